"""narrative_vs_narrative: numbers stated twice in the text (audit/paper_restated.py)."""

from __future__ import annotations

from audit.paper_restated import check_restated
from schemas import ResponseRate, SummaryStat
from tests.test_audit_paper_fixtures import Doc, covers


def rates(restated: str) -> Doc:
    doc = Doc()
    doc.add("In 4 patients (21%) with carcinoids, there was a major marker response.")
    doc.add("Tumor stabilization was seen in 14 patients (73%) at 3 and 6 mo.")
    doc.add(f"There was a marker response in {restated}%, and tumor regression in 5%.")
    doc.entity(ResponseRate, "4 patients (21%)", outcome="response", numerator=4, denominator=19, percent=21.0)
    doc.entity(ResponseRate, "14 patients (73%)", outcome="stabilization", numerator=14, denominator=19, percent=73.0)
    doc.entity(ResponseRate, f"marker response in {restated}%", outcome="response", percent=float(restated))
    doc.entity(ResponseRate, "tumor regression in 5%", outcome="regression", percent=5.0)
    return doc


def test_a_percent_restated_equal_is_consistent() -> None:
    [f] = check_restated(rates("21").paper())
    assert f.status == "consistent" and "restates 21%" in f.message


def test_a_percent_restated_different_is_flagged_as_uncertain() -> None:
    doc = rates("25")
    [f] = check_restated(doc.paper())
    assert f.status == "inconsistent" and f.uncertain
    assert covers(doc, f, "4 patients (21%)") and covers(doc, f, "marker response in 25%")


def test_no_shared_outcome_word_no_link() -> None:
    # "regression" is named by no counted claim: nothing to compare it with
    doc = rates("21")
    assert all("regression" not in f.message for f in check_restated(doc.paper()))


def test_cited_numbers_are_not_compared() -> None:
    doc = rates("25")
    doc.entities[2] = doc.entities[2].model_copy(update={"cited": True})
    assert check_restated(doc.paper()) == []


def means(second: str) -> Doc:
    doc = Doc()
    doc.add("The average time before relapse was 16.1 ± 7.8 mo.")
    doc.add(f"For the 14 responders, the time between cure and relapse was {second} ± 7.8 mo.")
    doc.add("The mean follow-up was 16.1 ± 9.2 mo.")
    first = doc.entity(SummaryStat, "16.1 ± 7.8", mean=16.1, sd=7.8, section="abstract")
    doc.entity(SummaryStat, f"{second} ± 7.8", first.end, mean=float(second), sd=7.8, section="results")
    doc.entity(SummaryStat, "16.1 ± 9.2", mean=16.1, sd=9.2, section="results")
    return doc


def test_a_mean_restated_equal_is_consistent() -> None:
    [f] = check_restated(means("16.1").paper())
    assert f.status == "consistent"


def test_a_restated_mean_that_differs_in_its_mean_is_flagged() -> None:
    doc = means("15.8")
    [f] = check_restated(doc.paper())
    assert f.status == "inconsistent" and "different mean" in f.message and f.uncertain


def test_equal_sds_within_one_section_are_not_linked() -> None:
    # two groups or time points in one Results paragraph often share an SD
    doc = means("15.8")
    doc.entities[1] = doc.entities[1].model_copy(update={"section": "abstract"})
    assert check_restated(doc.paper()) == []


def test_same_mean_of_another_variable_is_not_linked() -> None:
    # "follow-up" shares no word with "relapse": 16.1 ± 9.2 is another variable
    assert all("9.2" not in f.message for f in check_restated(means("16.1").paper()))
