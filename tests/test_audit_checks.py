"""run_checks: every paper-level check over one paper, failures contained, spans inside the text."""

from __future__ import annotations

import pytest

import audit.checks as checks
from audit.claims import AuditSettings
from schemas import Cohort, PaperContext, ResponseRate
from tests.conftest import CORPUS
from tests.test_audit_paper_fixtures import Doc


def test_empty_paper_has_no_findings() -> None:
    assert checks.run_checks(PaperContext(text="", repaired=""), []) == []


def test_findings_are_sorted_by_check_with_valid_evidence() -> None:
    doc = Doc()
    doc.add("A total of 42 patients (24 men and 18 women). The response rate was 33 of 42 (79%).")
    doc.entity(Cohort, "42 patients", n=42)
    doc.entity(Cohort, "24 men", n=24, label="men")
    doc.entity(Cohort, "18 women", n=18, label="women")
    doc.entity(ResponseRate, "33 of 42 (79%)", numerator=33, denominator=42, percent=79.0)
    found = checks.run_checks(doc.context(), doc.entities)
    assert {f.check for f in found} == {"percent_recompute", "subgroup_sum"}
    for f in found:
        assert f.status == "consistent" and f.severity == "info"
        assert all(0 <= e.start < e.end <= len(doc.text) for e in f.evidence)


def test_a_crashing_check_becomes_unverifiable(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(paper: object) -> list[object]:
        raise RuntimeError("bad table")

    monkeypatch.setitem(checks.CHECKS, "percent_recompute", boom)
    found = checks.run_checks(PaperContext(text="x", repaired="x"), [])
    assert [(f.check, f.status) for f in found] == [("percent_recompute", "unverifiable")]


def test_settings_resolve_and_validate() -> None:
    assert AuditSettings.resolve(None) == AuditSettings()
    assert AuditSettings.resolve({"label_match": 90}).label_match == 90
    with pytest.raises(ValueError):
        AuditSettings(label_match=0)


def test_untouched_short_papers_raise_no_alarm() -> None:
    """The three abstracts of the corpus have nothing inconsistent (gold: no inconsistency)."""
    from flows.pipeline import extract_file

    for name in ("001_ed8bd937ad24d9c2.txt", "002_f9babffb7715b9f8.txt", "004_f78614f15aaaf1f7.txt"):
        out = extract_file(CORPUS / name)
        assert not [f for f in out.papers[0].findings if f.status == "inconsistent"], name
