"""p_from_summary_stats in running text (audit/paper_comparisons.py)."""

from __future__ import annotations

from audit.paper_comparisons import check_comparisons
from schemas import Cohort, PValue, SummaryStat
from tests.test_audit_paper_fixtures import Doc, covers


def trial(p: str, sentence: str | None = None, mean1: str = "38.2") -> Doc:
    doc = Doc()
    doc.add("Patients were randomized to topical diclofenac (n = 107) or vehicle control (n = 109).")
    doc.entity(Cohort, "n = 107", n=107, label="diclofenac")
    doc.entity(Cohort, "n = 109", n=109, label="control")
    said = sentence or (
        f"Mean (SD) duration of treatment in the diclofenac group was {mean1} (9.9) days versus "
        f"34.4 (12.5) days in the vehicle control group (p = {p})."
    )
    doc.add(said)
    doc.entity(SummaryStat, f"{mean1} (9.9)", mean=float(mean1), sd=9.9, mean_decimals=1, sd_decimals=1)
    doc.entity(SummaryStat, "34.4 (12.5)", mean=34.4, sd=12.5, mean_decimals=1, sd_decimals=1)
    doc.entity(PValue, f"p = {p}", operator="=", value=float(p), decimals=len(p.split(".")[1]))
    return doc


def test_a_p_the_means_sds_and_group_sizes_can_give_is_consistent() -> None:
    # t-test at n = 107/109 gives p = 0.013
    [f] = check_comparisons(trial("0.013").paper())
    assert f.status == "consistent" and f.check == "p_from_summary_stats"


def test_a_p_far_larger_than_any_group_size_allows_is_flagged() -> None:
    doc = trial("0.45")
    [f] = check_comparisons(doc.paper())
    assert f.status == "inconsistent" and f.uncertain and f.severity == "minor"
    assert covers(doc, f, "p = 0.45") and covers(doc, f, "38.2 (9.9)") and covers(doc, f, "n = 107")


def test_group_sizes_may_shrink_to_half_so_a_larger_p_still_fits() -> None:
    # at 54/55 per group the t-test gives p ~ 0.08: dropouts could explain p = 0.06
    [f] = check_comparisons(trial("0.06").paper())
    assert f.status == "consistent"


def test_within_group_and_time_comparisons_are_left_alone() -> None:
    said = "In the diclofenac group pain fell from 38.2 (9.9) at baseline to 34.4 (12.5) in the control group (p = 0.45)."
    assert check_comparisons(trial("0.45", said).paper()) == []


def test_sizes_given_in_the_sentence_are_used_as_they_are() -> None:
    doc = Doc()
    doc.add("Participants were trained (n = 64) or controls (n = 72).")
    doc.entity(Cohort, "n = 64", n=64, label="trained")
    doc.entity(Cohort, "n = 72", n=72, label="controls")
    doc.add("The 18 hungry trained subjects had lower glucose (80.1 ± 6.3) than the 42 hungry controls (89.2 ± 10.2; p = 0.01).")
    doc.entity(Cohort, "18 hungry", n=18, label="trained")
    doc.entity(Cohort, "42 hungry", n=42, label="controls")
    doc.entity(SummaryStat, "80.1 ± 6.3", mean=80.1, sd=6.3, mean_decimals=1, sd_decimals=1)
    doc.entity(SummaryStat, "89.2 ± 10.2", mean=89.2, sd=10.2, mean_decimals=1, sd_decimals=1)
    doc.entity(PValue, "p = 0.01", operator="=", value=0.01, decimals=2)
    [f] = check_comparisons(doc.paper())
    assert "n 18–18" in f.message and f.status == "inconsistent"


def test_p_printed_as_the_software_floor_means_at_most() -> None:
    # "p = 0.0001" for a t-test whose p is far smaller is the floor many packages print
    [f] = check_comparisons(trial("0.0001", mean1="58.2").paper())
    assert f.status == "consistent"
