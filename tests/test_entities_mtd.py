"""mtd entities: the maximum tolerated dose statement."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas.context import PaperContext

PAPER = (
    "Groups of three to six patients were treated at escalating IL-2 dose levels until the maximum "
    "tolerated dose (MTD) was reached. Twenty-four patients were treated at five IL-2 dose levels ranging "
    "from 0.5 to 2.5 million International Units (mIU)/m2 daily. The MTD was 2 mIU/m2, with "
    "fever, nausea, and hypotension dose limiting."
)


def entities(nlp, text: str, kind: str):
    ctx = PaperContext(text=text, repaired=text)
    return [e for e in extract_entities(ctx, nlp) if e.kind == kind]


def test_mtd_with_paper_units_and_daily_schedule(nlp):
    (m,) = entities(nlp, PAPER, "mtd")
    assert (m.value, m.unit, m.agent) == (2, "mIU/m2", "IL-2")
    assert m.normalized.model_dump() == {"value": 2_000_000, "value_high": None, "unit": "IU/m2/day"}
    assert m.dose_limiting == ["fever", "nausea", "hypotension"]
    assert m.text == "MTD was 2 mIU/m2"
    assert PAPER[m.start : m.end] == m.text


def test_mtd_is_not_also_a_dose(nlp):
    assert [d.value for d in entities(nlp, PAPER, "dose")] == [0.5]


def test_mention_without_a_value_is_no_mtd(nlp):
    assert entities(nlp, "Doses were escalated until the MTD was defined.", "mtd") == []
    assert entities(nlp, "The MTD was not reached at 400 mg.", "mtd") == []


def test_mtd_of_with_dlt_sentence_after(nlp):
    text = (
        "The maximum tolerated dose (MTD) of docetaxel was 30 mg/m2 weekly; dose-limiting toxicities were "
        "grade 4 neutropenia and mucositis."
    )
    ms = entities(nlp, text, "mtd")
    assert [(m.value, m.unit, m.agent) for m in ms] == [(30, "mg/m2", "docetaxel")]
    assert ms[0].dose_limiting == ["grade 4 neutropenia", "mucositis"]


def test_mtd_defined_as_with_dlts_in_the_next_sentence(nlp):
    text = (
        "Cisplatin was given at 60 to 100 mg/m2. The maximum tolerated dose of cisplatin was defined as "
        "80 mg/m2. Dose-limiting toxicities (DLTs) were neutropenia and diarrhea."
    )
    (m,) = entities(nlp, text, "mtd")
    assert (m.value, m.agent, m.dose_limiting) == (80, "cisplatin", ["neutropenia", "diarrhea"])
    assert [d.value for d in entities(nlp, text, "dose")] == [60]


def test_dose_before_the_term(nlp):
    (m,) = entities(nlp, "Thus 75 mg/m2 was declared the MTD.", "mtd")
    assert (m.value, m.unit, m.text) == (75, "mg/m2", "75 mg/m2 was declared the MTD")
    assert entities(nlp, "Thus 75 mg/m2 was declared the MTD.", "dose") == []
