"""mtd entities: the maximum tolerated dose statement."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas.context import PaperContext

PAPER = (
    "Cohorts of four to nine patients were treated at escalating IL-2 dose levels until the maximum "
    "tolerated dose (MTD) was defined. Thirty-eight patients were treated at seven IL-2 dose levels ranging "
    "from 0.4 to 1.75 million International Units (mIU)/m2 daily. The MTD was 1.25 mIU/m2, with "
    "constitutional side effects, vomiting, and hyperglycemia dose limiting."
)


def entities(nlp, text: str, kind: str):
    ctx = PaperContext(text=text, repaired=text)
    return [e for e in extract_entities(ctx, nlp) if e.kind == kind]


def test_mtd_with_paper_units_and_daily_schedule(nlp):
    (m,) = entities(nlp, PAPER, "mtd")
    assert (m.value, m.unit, m.agent) == (1.25, "mIU/m2", "IL-2")
    assert m.normalized.model_dump() == {"value": 1250000, "value_high": None, "unit": "IU/m2/day"}
    assert m.dose_limiting == ["constitutional side effects", "vomiting", "hyperglycemia"]
    assert m.text == "MTD was 1.25 mIU/m2"
    assert PAPER[m.start : m.end] == m.text


def test_mtd_is_not_also_a_dose(nlp):
    assert [d.value for d in entities(nlp, PAPER, "dose")] == [0.4]


def test_mention_without_a_value_is_no_mtd(nlp):
    assert entities(nlp, "Doses were escalated until the MTD was defined.", "mtd") == []


def test_mtd_of_with_dlt_sentence_after(nlp):
    text = (
        "The maximum tolerated dose (MTD) of docetaxel was 30 mg/m2 weekly; dose-limiting toxicities were "
        "grade 4 neutropenia and mucositis."
    )
    ms = entities(nlp, text, "mtd")
    assert [(m.value, m.unit, m.agent) for m in ms] == [(30, "mg/m2", "docetaxel")]
    assert ms[0].dose_limiting == ["grade 4 neutropenia", "mucositis"]
