"""cohort entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas import Table, TableCell
from schemas.context import PaperContext


def cohorts(nlp, text: str, tables: list[Table] | None = None):
    ctx = PaperContext(text=text, repaired=text, tables=tables or [])
    return [e for e in extract_entities(ctx, nlp) if e.kind == "cohort"]


def test_number_words_and_sex_split(nlp):
    text = "Methods: Thirty-six patients (20 men and 16 women) were treated orally."
    found = {(e.n, e.label, e.text) for e in cohorts(nlp, text)}
    assert (36, "patients", "Thirty-six patients") in found
    assert (20, "men", "20 men") in found
    assert (16, "women", "16 women") in found


def test_n_equals_with_label_and_span(nlp):
    text = "The primary tumors were of the colon (n = 12), prostate (n = 8) and skin (melanoma, n = 2)."
    found = cohorts(nlp, text)
    assert [(e.n, e.label) for e in found] == [(12, "colon"), (8, "prostate"), (2, "melanoma")]
    assert all(text[e.start : e.end] == e.text for e in found)
    assert found[0].text == "n = 12"


def test_n_of_n_denominator_is_a_cohort(nlp):
    text = "Treatment was effective in 11 of 21 patients of group B (52% of group B)."
    (c,) = cohorts(nlp, text)
    assert (c.n, c.label) == (21, "group B")
    assert c.text.startswith("21")


def test_range_of_cohort_sizes(nlp):
    (c,) = cohorts(nlp, "Groups of three to six patients received increasing dose levels.")
    assert (c.n, c.n_high) == (3, 6)
    assert c.text == "three to six patients"


def test_per_group_counts(nlp):
    text = "All had stable disease at entry (12 in group A, 9 in group B)."
    assert [(e.n, e.label) for e in cohorts(nlp, text)] == [(12, "group A"), (9, "group B")]


def test_outcome_counts_are_not_cohorts(nlp):
    text = (
        "Four patients developed a generalised rash. The treatment was effective "
        "in 11 patients (58% of group B). Three patients could walk again."
    )
    assert cohorts(nlp, text) == []


def test_durations_years_doses_and_ages_are_not_cohorts(nlp):
    text = (
        "Patients had a life expectancy of 3 mo or longer and were studied between March 2009 and "
        "June 2012 (mean age, 61 y); 185 MBq was injected and scans were made 48 h later."
    )
    assert cohorts(nlp, text) == []


def test_cited_cohort_in_discussion(nlp):
    text = "DISCUSSION\n\nEarlier, Smith et al. (21) reported a series of 15 patients with partial response."
    (c,) = cohorts(nlp, text)
    assert c.n == 15 and c.cited


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
    text = "The response rate was 27 of 40 (68%). Responders (n = 27) had higher IL-6."
    found = {(e.n, e.label, e.text) for e in cohorts(nlp, text)}
    assert (27, "responders", "27") in found
    assert (27, "Responders", "n = 27") in found
    lone = "The response rate was 27 of 40 (68%)."
    assert 27 not in {e.n for e in cohorts(nlp, lone)}


def test_time_points_are_not_counts_and_labels_name_groups(nlp):
    text = "Fever on day 10 in the artesunate group was rare (controls, n = 25, AS, n = 19)."
    found = [(e.n, e.label) for e in cohorts(nlp, text)]
    assert found == [(25, "controls"), (19, "AS")]
