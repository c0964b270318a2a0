"""mtd_consistency, unit_consistency and ci_consistency."""

from __future__ import annotations

from audit.paper_ci import check_cis
from audit.paper_doses import check_doses
from schemas import Dose, Mtd, Normalized, PValue, Statistic
from tests.test_audit_paper_fixtures import Doc


def mtd_doc(mtd: float, unit: str = "IU/m2/day") -> Doc:
    doc = Doc()
    doc.add("Patients received IL-2 at doses ranging from 0.4 to 1.75 MIU/m2. The MTD was 1.25 MIU/m2.")
    doc.entity(
        Dose, "0.4 to 1.75 MIU/m2", agent="IL-2", value=0.4, value_high=1.75, unit="MIU/m2",
        normalized=Normalized(value=4e5, value_high=1.75e6, unit="IU/m2/day"),
    )  # fmt: skip
    doc.entity(
        Mtd, "MTD was 1.25 MIU/m2", agent="IL-2", value=mtd, unit="MIU/m2",
        normalized=Normalized(value=mtd * 1e6, unit=unit),
    )  # fmt: skip
    return doc


def test_mtd_within_the_tested_levels() -> None:
    assert [f.status for f in check_doses(mtd_doc(1.25).paper())] == ["consistent"]


def test_mtd_above_the_tested_levels() -> None:
    [f] = check_doses(mtd_doc(2.5).paper())
    assert f.status == "inconsistent" and f.severity == "major"


def test_mtd_in_another_unit_is_flagged_not_converted() -> None:
    [f] = check_doses(mtd_doc(1.25, unit="IU/kg").paper())
    assert f.check == "unit_consistency" and f.status == "inconsistent" and f.uncertain


def test_estimate_outside_its_ci_and_p_against_ci() -> None:
    doc = Doc()
    start, _ = doc.add(
        "The hazard ratio was HR 2.50 (95% CI 0.80-2.10) and HR 0.60 (95% CI 0.40-0.90), P = 0.40."
    )
    doc.entity(
        Statistic, "HR 2.50 (95% CI 0.80-2.10)", after=start, test="HR", value=2.5, ci=[0.8, 2.1], decimals=2
    )
    doc.entity(
        Statistic, "HR 0.60 (95% CI 0.40-0.90)", after=start, test="HR", value=0.6, ci=[0.4, 0.9], decimals=2
    )
    doc.entity(PValue, "P = 0.40", after=start, operator="=", value=0.4, decimals=2)
    found = check_cis(doc.paper())
    assert found[0].status == "inconsistent"  # 2.50 above its own CI
    assert any(
        f.status == "inconsistent" and "0.40" in f.message for f in found[1:]
    )  # CI excludes 1, P = .40


def escalation_doc(mtd: float) -> Doc:
    doc = Doc()
    doc.add("Patients were enrolled in a standard 3+3 design. The MTD was 1.25 MIU/m2.")
    doc.entity(Mtd, "MTD was 1.25 MIU/m2", agent="IL-2", value=mtd, unit="MIU/m2")
    doc.table(
        "Table 2", "Dose escalation",
        [["Dose level (MIU/m2)", "No. of patients", "No. with DLT"]],
        [["0.4", "3", "0"], ["0.75", "3", "0"], ["1.25", "6", "1"], ["1.75", "4", "2"]],
    )  # fmt: skip
    return doc


def test_mtd_implied_by_a_3_plus_3_table() -> None:
    found = [f for f in check_doses(escalation_doc(1.25).paper()) if "3+3" in f.message]
    assert [f.status for f in found] == ["consistent"]


def test_mtd_not_implied_by_the_3_plus_3_table() -> None:
    [f] = [f for f in check_doses(escalation_doc(1.75).paper()) if "3+3" in f.message]
    assert f.status == "inconsistent" and "imply an MTD of 1.25" in f.message
