"""toxicity entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas.context import PaperContext


def tox(nlp, text: str):
    ctx = PaperContext(text=text, repaired=text)
    return [e for e in extract_entities(ctx, nlp) if e.kind == "toxicity"]


def test_two_groups_per_event(nlp):
    text = (
        "Grade 3 and/or Grade 4 toxicities differed when the control arm of 120 patients "
        "was compared with the treatment arm: Grade 3/4 neutropenia (40% vs. 22%)."
    )
    found = tox(nlp, text)
    assert [(t.percent, t.group, t.grade) for t in found] == [
        (40, "control arm", "3/4"),
        (22, "treatment arm", "3/4"),
    ]
    assert found[0].text == "Grade 3/4 neutropenia (40%"
    assert found[1].text == "Grade 3/4 neutropenia (40% vs. 22%)"


def test_explicit_zeros(nlp):
    text = (
        "No treatment-related deaths were reported among the 240 patients. "
        "No patients experienced severe toxicity (grade III or IV). Serious toxicity did not occur."
    )
    found = tox(nlp, text)
    assert [(t.count, t.percent) for t in found] == [(0, 0), (0, 0), (0, 0)]
    assert found[1].grade == "III/IV"


def test_percent_for_each_event(nlp):
    text = "Grade II toxicity was about 12% for neutrophils and 9% for platelets."
    found = tox(nlp, text)
    assert [(t.event, t.percent, t.grade) for t in found] == [
        ("neutrophils", 12, "II"),
        ("platelets", 9, "II"),
    ]


def test_counts_of_patients(nlp):
    (t,) = tox(nlp, "Two patients developed a severe skin rash.")
    assert (t.count, t.event) == (2, "severe skin rash")


def test_respectively_pairs_events_and_percents(nlp):
    text = "Six weeks later, neutrophils and platelets had decreased in 18% and 30%, respectively."
    assert [t.percent for t in tox(nlp, text)] == [18, 30]


def test_lab_thresholds_are_not_counts(nlp):
    text = "No patient had leukopenia < 3,000 white blood cell counts/mm3 or 80,000 platelets/mm3 at entry."
    assert [t for t in tox(nlp, text) if t.count and t.count > 100] == []


def test_at_least_one_is_a_threshold(nlp):
    text = "Table 2 shows participants with at least one adverse event during the 6 months."
    assert [t for t in tox(nlp, text) if t.count == 1] == []


def test_chemical_formula_digits_are_not_counts(nlp):
    text = "Arterial pO2 was monitored to screen for signs of pulmonary O2 toxicity."
    assert [t for t in tox(nlp, text) if t.count] == []
