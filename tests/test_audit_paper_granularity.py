"""grim / grimmer over tables and text (audit/paper_granularity.py)."""

from __future__ import annotations

import pytest

from audit.paper_granularity import check_granularity, is_integer_valued
from schemas import Cohort
from tests.test_audit_paper_fixtures import Doc, covers


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("No. of metastases", True),
        ("Number of lesions", True),
        ("Pain score", True),
        ("Age (y)", True),
        ("IL-2 (ng/mL)", False),
        ("Z-score", False),
        ("Mean item score", False),
        ("Score (%)", False),
        ("Follow-up (mo)", False),
    ],
)
def test_integer_vocabulary(label: str, expected: bool) -> None:
    assert is_integer_valued(label) is expected


def two_groups(mean1: str, mean2: str) -> Doc:
    doc = Doc()
    doc.table(
        "Table 4", "Characteristics",
        [["Parameter", "Responders (n = 33)", "Nonresponders (n = 9)"]],
        [["No. of bone metastases", f"{mean1} ± 4.81", f"{mean2} ± 5.74"], ["IL-2 (ng/mL)", "2.91 ± 0.56", "2.72 ± 0.54"]],
    )  # fmt: skip
    return doc


def test_grim_flags_impossible_means_of_counts_with_n_from_the_header() -> None:
    doc = two_groups("11.89", "13.15")
    found = check_granularity(doc.paper())
    assert [f.status for f in found] == ["inconsistent", "inconsistent"]
    assert not any(f.uncertain for f in found)
    assert covers(doc, found[0], "11.89 ± 4.81") and "392/33" in found[0].message


def test_grim_passes_possible_means_and_ignores_continuous_rows() -> None:
    doc = two_groups("11.88", "13.11")  # 392/33 and 118/9
    found = check_granularity(doc.paper())
    # GRIM passes; GRIMMER (n stated) then tests the SD, which is arbitrary here
    assert len(found) == 2 and all(f.check == "grimmer" for f in found)
    assert "impossible for n = 33" not in found[0].message


def test_n_from_the_study_population_makes_the_finding_uncertain() -> None:
    doc = Doc()
    doc.add("Forty-two patients were treated; all 42 patients were followed.")
    doc.entity(Cohort, "Forty-two patients", n=42)
    doc.entity(Cohort, "42 patients", n=42)
    doc.table(
        "Table 3",
        "Follow-up",
        [["Parameter", "Before", "1 mo"]],
        [["Pain score", "8.24 ± 3.71", "6.35 ± 3.04"]],
    )
    found = check_granularity(doc.paper())
    assert [(f.status, f.uncertain) for f in found] == [("consistent", True), ("inconsistent", True)]
    # the label that made the row integer-valued is part of the evidence
    assert covers(doc, found[1], "Pain score")


def test_no_n_no_finding() -> None:
    doc = Doc()
    doc.table("Table 3", "Follow-up", [["Parameter", "Before"]], [["Pain score", "8.23 ± 3.71"]])
    assert check_granularity(doc.paper()) == []
