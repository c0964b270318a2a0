"""toxicity entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas.context import PaperContext


def tox(nlp, text: str):
    ctx = PaperContext(text=text, repaired=text)
    return [e for e in extract_entities(ctx, nlp) if e.kind == "toxicity"]


def test_two_groups_per_event(nlp):
    text = (
        "Decreases in Grade 3 and/or Grade 4 toxicities were found when the initial group of 155 patients "
        "was compared with the final group: Grade 3/4 diarrhea (92% vs. 12%)."
    )
    found = tox(nlp, text)
    assert [(t.percent, t.group, t.grade) for t in found] == [
        (92, "initial group", "3/4"),
        (12, "final group", "3/4"),
    ]
    assert found[0].text == "Grade 3/4 diarrhea (92%"
    assert found[1].text == "Grade 3/4 diarrhea (92% vs. 12%)"


def test_explicit_zeros(nlp):
    text = (
        "No treatment-related deaths were noted in the final 809 patients. "
        "No patients experienced severe toxicity (grade III or IV). Severe toxicity did not occur."
    )
    found = tox(nlp, text)
    assert [(t.count, t.percent) for t in found] == [(0, 0), (0, 0), (0, 0)]
    assert found[1].grade == "III/IV"


def test_percent_for_each_event(nlp):
    text = "Grade I toxicity was about 19% for platelets and 16% for white blood cells."
    found = tox(nlp, text)
    assert [(t.event, t.percent, t.grade) for t in found] == [
        ("platelets", 19, "I"),
        ("white blood cells", 16, "I"),
    ]


def test_counts_of_patients(nlp):
    (t,) = tox(nlp, "Three patients developed nonneutralizing anti-IL-2 antibodies.")
    assert (t.count, t.event) == (3, "nonneutralizing anti-il-2 antibodies")


def test_respectively_pairs_events_and_percents(nlp):
    text = "Three months later, white blood cells and platelets had decreased in 21% and 27%, respectively."
    assert [t.percent for t in tox(nlp, text)] == [21, 27]


def test_lab_thresholds_are_not_counts(nlp):
    text = "No patient had leukopenia < 3,000 white blood cell counts/mm3 or 80,000 platelets/mm3 at entry."
    assert [t for t in tox(nlp, text) if t.count and t.count > 100] == []


def test_at_least_one_is_a_threshold(nlp):
    text = "Table 2 shows participants with at least one adverse event during the 6 months."
    assert [t for t in tox(nlp, text) if t.count == 1] == []


def test_chemical_formula_digits_are_not_counts(nlp):
    text = "Arterial pO2 was monitored to screen for signs of pulmonary O2 toxicity."
    assert [t for t in tox(nlp, text) if t.count] == []
