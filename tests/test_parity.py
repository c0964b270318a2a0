"""Parity with statcheck (p-values) and scrutiny (GRIM, GRIMMER, DEBIT) on their reference material."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
STATCHECK_MIN_AGREEMENT = 0.95
SCRUTINY_MIN_AGREEMENT = 1.0

pytestmark = pytest.mark.corpus


def _load_bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _require(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"reference corpus absent: {path} (../shared/corpora is not checked out here)")


def test_statcheck_manual_gold_agreement() -> None:
    _require(CORPORA / "statcheck" / "statcheck_manual_gold.jsonl")
    bench = _load_bench("statcheck_parity")
    report = bench.run_manual_gold(CORPORA)
    for field in ("error", "decision_error", "error_1tail", "decision_error_1tail"):
        assert report.agreement(field) >= STATCHECK_MIN_AGREEMENT, (field, report.disagreements())


@pytest.mark.parametrize("use_project_parser", [False, True])
def test_statcheck_unit_cases_agreement(use_project_parser: bool) -> None:
    _require(CORPORA / "statcheck" / "statcheck_unit_cases.jsonl")
    bench = _load_bench("statcheck_parity")
    report = bench.run_unit_cases(CORPORA, use_project_parser=use_project_parser)
    assert report.agreement() >= STATCHECK_MIN_AGREEMENT, report.disagreements()


def test_scrutiny_agreement() -> None:
    _require(CORPORA / "scrutiny" / "testthat" / "test-grim.R")
    bench = _load_bench("scrutiny_parity")
    report = bench.run_scrutiny(CORPORA)
    assert len(report.cases) > 800
    # every default-rounding GRIM, GRIMMER and DEBIT verdict agrees exactly
    defaults = [c for c in report.cases if "rounding=" not in c.call or "rounding='up_or_down'" in c.call]
    assert all(c.agrees for c in defaults), [c for c in defaults if not c.agrees]
    # the rest agree or differ only where scrutiny's verdict rests on float noise (exact arithmetic sides with us)
    assert report.unexplained() == []
    assert report.agreement(count_explained=True) >= SCRUTINY_MIN_AGREEMENT
