"""percent_recompute on literal sentences and tables (audit/paper_percent.py)."""

from __future__ import annotations

from audit.paper_percent import check_percents
from schemas import Cohort, ResponseRate, Toxicity
from tests.test_audit_paper_fixtures import Doc, covers


def statuses(doc: Doc) -> list[tuple[str, str]]:
    return [(f.status, f.severity) for f in check_percents(doc.paper())]


def test_k_of_n_rounds_to_the_percent() -> None:
    doc = Doc()
    doc.add("The response rate was 33 of 42 (79%).")
    doc.entity(ResponseRate, "33 of 42 (79%)", numerator=33, denominator=42, percent=79.0)
    assert statuses(doc) == [("consistent", "info")]


def test_k_of_n_that_no_rounding_gives_is_inconsistent() -> None:
    doc = Doc()
    doc.add("By then 5 of the remaining 19 patients (26.9%) had died.")
    doc.entity(
        ResponseRate, "5 of the remaining 19 patients (26.9%)", numerator=5, denominator=19, percent=26.9
    )
    [f] = check_percents(doc.paper())
    assert f.status == "inconsistent" and "26.3%" in f.message and covers(doc, f, "26.9%")


def test_truncation_only_is_an_inconsistent_minor_finding() -> None:
    doc = Doc()
    doc.add("Therapy was beneficial in 14 of 19 patients (73%).")
    doc.entity(ResponseRate, "14 of 19 patients (73%)", numerator=14, denominator=19, percent=73.0)
    assert statuses(doc) == [("inconsistent", "minor")]


def test_count_whose_percent_no_denominator_gives() -> None:
    doc = Doc()
    doc.add("Tumours were stable in 14 patients (73%).")
    # the extractor's denominator is not printed: it must not be trusted
    doc.entity(ResponseRate, "14 patients (73%)", numerator=14, denominator=19, percent=73.0)
    [f] = check_percents(doc.paper())
    assert f.status == "inconsistent" and "no denominator" in f.message


def test_count_with_a_possible_percent_and_no_n_is_unverifiable() -> None:
    doc = Doc()
    doc.add("Nine of these 14 patients (47% of group A) improved.")
    doc.entity(
        ResponseRate, "Nine of these 14 patients (47% of group A)", numerator=9, denominator=19, percent=47.0
    )
    assert statuses(doc) == [("unverifiable", "info")]


def test_percent_alone_uses_the_single_study_population_as_uncertain() -> None:
    doc = Doc()
    doc.add("Forty-two patients were treated. All 42 patients were followed.")
    doc.entity(Cohort, "Forty-two patients", n=42)
    doc.entity(Cohort, "42 patients", n=42)
    doc.add("Platelets had decreased in 27% and white cells in 21%.")
    doc.entity(Toxicity, "Platelets had decreased in 27%", percent=27.0)
    doc.entity(Toxicity, "white cells in 21%", percent=21.0)
    found = check_percents(doc.paper())
    assert [(f.status, f.uncertain) for f in found] == [("inconsistent", True), ("consistent", True)]


def test_percent_alone_without_population_is_unverifiable() -> None:
    doc = Doc()
    doc.add("Grade 3 diarrhea occurred in 27%.")
    doc.entity(Toxicity, "diarrhea occurred in 27%", percent=27.0)
    assert statuses(doc) == [("unverifiable", "info")]


def test_table_n_and_percent_columns() -> None:
    doc = Doc()
    doc.table(
        "Table 6", "Change by group",
        [["Responders", "Nonresponders"], ["Change", "n", "%", "n", "%"]],
        [["Decrease", "29", "87.9", "2", "22.2"], ["Increase", "4", "12.1", "7", "70.0"], ["Total", "33", "100", "9", "100"]],
    )  # fmt: skip
    found = check_percents(doc.paper())
    bad = [f for f in found if f.status == "inconsistent"]
    assert len(found) == 4 and len(bad) == 1 and covers(doc, bad[0], "70.0")


def test_small_percent_of_a_large_unstated_n_is_possible() -> None:
    doc = Doc()
    doc.add("Serious adverse events occurred in four (0.6%).")
    doc.entity(Toxicity, "adverse events occurred in four (0.6%)", count=4, percent=0.6)
    assert statuses(doc) == [("unverifiable", "info")]


def test_count_and_percent_cells_against_the_column_n() -> None:
    doc = Doc()
    doc.table(
        "Table 3", "Abstinence outcomes. Values are numbers (percentages)",
        [["Outcome", "Activity (n=392)", "Control (n=393)"]],
        [["Abstinent at end of pregnancy", "30 (8)", "25 (6)"], ["Abstinent at 4 weeks", "50 (12)", "61 (17)"],
         ["Mean (SD) age", "27.2 (6.1)", "27.8 (6.5)"]],
    )  # fmt: skip
    found = check_percents(doc.paper())
    # 50/392 = 12.76% printed 12: below k/n, impossible; 61/393 = 15.52% printed 17: a smaller n could give it
    assert [f.status for f in found] == ["consistent", "consistent", "inconsistent", "unverifiable"]
    assert covers(doc, found[2], "50 (12)")


def test_a_column_whose_percentages_follow_another_denominator_is_left_unverified() -> None:
    # weighted survey percentages: most cells miss the column's n, so no single cell is blamed
    doc = Doc()
    doc.table(
        "Table 1", "Characteristics, n (%)",
        [["", "All (n = 513)"]],
        [["Known", "171 (31.9)"], ["Not known", "365 (68.1)"], ["Yes", "75 (14.1)"], ["No", "457 (85.9)"]],
    )  # fmt: skip
    found = check_percents(doc.paper())
    assert found and all(f.status == "unverifiable" for f in found)
