"""cohort entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas import Table, TableCell
from schemas.context import PaperContext


def cohorts(nlp, text: str, tables: list[Table] | None = None):
    ctx = PaperContext(text=text, repaired=text, tables=tables or [])
    return [e for e in extract_entities(ctx, nlp) if e.kind == "cohort"]


def test_number_words_and_sex_split(nlp):
    text = "Methods: Forty-two patients (24 men and 18 women) were treated intravenously."
    found = {(e.n, e.label, e.text) for e in cohorts(nlp, text)}
    assert (42, "patients", "Forty-two patients") in found
    assert (24, "men", "24 men") in found
    assert (18, "women", "18 women") in found


def test_n_equals_with_label_and_span(nlp):
    text = "The primary tumors were of the lung (n = 14), breast (n = 10) and skin (melanoma, n = 1)."
    found = cohorts(nlp, text)
    assert [(e.n, e.label) for e in found] == [(14, "lung"), (10, "breast"), (1, "melanoma")]
    assert all(text[e.start : e.end] == e.text for e in found)
    assert found[0].text == "n = 14"


def test_n_of_n_denominator_is_a_cohort(nlp):
    text = "Therapy was beneficial in 14 of 19 patients of group A (73% of group A)."
    (c,) = cohorts(nlp, text)
    assert (c.n, c.label) == (19, "group A")
    assert c.text.startswith("19")


def test_range_of_cohort_sizes(nlp):
    (c,) = cohorts(nlp, "Cohorts of four to nine patients were treated at escalating dose levels.")
    assert (c.n, c.n_high) == (4, 9)
    assert c.text == "four to nine patients"


def test_per_group_counts(nlp):
    text = "All had progressive disease (14 in group A, 7 in group B)."
    assert [(e.n, e.label) for e in cohorts(nlp, text)] == [(14, "group A"), (7, "group B")]


def test_outcome_counts_are_not_cohorts(nlp):
    text = (
        "Three patients developed nonneutralizing anti-IL-2 antibodies. Radionuclide therapy was beneficial "
        "in 14 patients (73% of group A). Two patients could work again."
    )
    assert cohorts(nlp, text) == []


def test_durations_years_doses_and_ages_are_not_cohorts(nlp):
    text = (
        "Patients had a life expectancy of 6 mo or longer and were studied between December 2001 and "
        "February 2004 (mean age, 54 y); 148 MBq was injected and scans were made 24 h later."
    )
    assert cohorts(nlp, text) == []


def test_cited_cohort_in_discussion(nlp):
    text = "DISCUSSION\n\nMore recently, Bongers et al. (34) reported a series of 12 patients with clinical response."
    (c,) = cohorts(nlp, text)
    assert c.n == 12 and c.cited


def test_table_count_columns(nlp):
    text = "Parameter Responders (n = 33) Nonresponders (n = 9)\nMale 19 5\n"
    cells = [
        TableCell(row=0, col=1, text="Responders (n = 33)", start=10, end=29, header=True),
        TableCell(row=0, col=2, text="Nonresponders (n = 9)", start=30, end=51, header=True),
        TableCell(row=1, col=0, text="Male", start=52, end=56),
        TableCell(row=1, col=1, text="19", start=57, end=59),
        TableCell(row=1, col=2, text="5", start=60, end=61),
    ]
    table = Table(label="Table 4", cells=cells)
    found = {(e.n, e.label, e.table) for e in cohorts(nlp, text, [table])}
    assert (19, "Responders, Male", "Table 4") in found
    assert (5, "Nonresponders, Male", "Table 4") in found
    assert (33, "Responders", None) in found


def test_responders_become_a_group_when_the_paper_says_so(nlp):
    text = "The response rate was 33 of 42 (79%). Responders (n = 33) had higher IL-2."
    found = {(e.n, e.label, e.text) for e in cohorts(nlp, text)}
    assert (33, "responders", "33") in found
    assert (33, "Responders", "n = 33") in found
    lone = "The response rate was 33 of 42 (79%)."
    assert 33 not in {e.n for e in cohorts(nlp, lone)}


def test_time_points_are_not_counts_and_labels_name_groups(nlp):
    text = "Parasitaemia on day 14 in the Cotrifazid group was rare (controls, n = 22, HCF, n = 18)."
    found = [(e.n, e.label) for e in cohorts(nlp, text)]
    assert found == [(22, "controls"), (18, "HCF")]
