"""unit_consistency across the doses of one agent: flagged (uncertain, minor), never converted."""

from __future__ import annotations

from audit import run_checks
from schemas import Dose, Normalized, PaperContext


def dose(
    text: str,
    sentence: str,
    agent: str,
    value: float,
    unit: str,
    norm_value: float,
    norm_unit: str,
    diagnostic: bool = False,
) -> Dose:
    start = text.index(sentence)
    return Dose(
        start=start,
        end=start + len(sentence),
        text=sentence,
        agent=agent,
        value=value,
        unit=unit,
        normalized=Normalized(value=norm_value, unit=norm_unit),
        diagnostic=diagnostic,
    )


def unit_findings(text: str, doses: list[Dose]):
    return [
        f for f in run_checks(PaperContext(text=text, repaired=text), doses) if f.check == "unit_consistency"
    ]


def test_a_thousandfold_dose_of_one_agent_is_flagged() -> None:
    text = "Patients received 2 mg of drugamab daily. Later, 2000 mg of drugamab was given daily."
    doses = [
        dose(text, "2 mg of drugamab", "drugamab", 2, "mg", 2, "mg"),
        dose(text, "2000 mg of drugamab", "drugamab", 2000, "mg", 2000, "mg"),
    ]
    [f] = unit_findings(text, doses)
    assert f.status == "inconsistent" and f.uncertain and f.severity == "minor"
    assert "1,000×" in f.message
    assert [(e.start, e.end) for e in f.evidence] == [
        (doses[0].start, doses[0].end),
        (doses[1].start, doses[1].end),
    ]


def test_radioactive_agent_dosed_by_mass_is_flagged() -> None:
    text = "We gave 148 MBq of 89SrCl2. Each patient had 4 mg of 89SrCl2."
    doses = [
        dose(text, "148 MBq of 89SrCl2", "89SrCl2", 148, "MBq", 148, "MBq"),
        dose(text, "4 mg of 89SrCl2", "89SrCl2", 4, "mg", 4, "mg"),
    ]
    [f] = unit_findings(text, doses)
    assert f.status == "inconsistent" and "incompatible" in f.message


def test_ordinary_ranges_diluent_volumes_and_diagnostic_doses_are_not_flagged() -> None:
    text = (
        "Doses were 25 mg, 50 mg and 100 mg of drugamab in 2 ml saline; 7 GBq of 111In-agent were "
        "given, after a diagnostic 140 MBq of 111In-agent."
    )
    doses = [
        dose(text, "25 mg", "drugamab", 25, "mg", 25, "mg"),
        dose(text, "100 mg", "drugamab", 100, "mg", 100, "mg"),
        dose(text, "2 ml", "drugamab", 2, "ml", 2, "mL"),
        dose(text, "7 GBq", "111In-agent", 7, "GBq", 7000, "MBq"),
        dose(text, "140 MBq", "111In-agent", 140, "MBq", 140, "MBq", diagnostic=True),
    ]
    assert unit_findings(text, doses) == []
