"""audit.ci: estimate within CI, log-scale symmetry, p against CI, p from CI (Altman & Bland)."""

from __future__ import annotations

import math

import pytest

from audit.ci import (
    check_estimate_in_ci,
    check_p_against_ci,
    check_ratio_ci_symmetry,
    p_from_ci,
    p_range_from_ci,
    se_from_ci,
)


def test_estimate_outside_ci() -> None:
    assert check_estimate_in_ci(0.75, 0.60, 0.98, 2).status == "consistent"
    outside = check_estimate_in_ci(1.75, 0.60, 0.98, 2)
    assert outside.status == "inconsistent" and "above its own CI" in outside.message
    assert check_estimate_in_ci(0.50, 0.98, 0.60, 2).status == "inconsistent"
    # within rounding of a bound counts as inside
    assert check_estimate_in_ci(0.60, 0.61, 0.98, 2).status == "consistent"


def test_ratio_ci_symmetry_on_log_scale() -> None:
    # exact Wald CI for HR 0.75 with SE 0.1: exp(log 0.75 +/- 1.96 * 0.1) = 0.6165-0.9124
    assert check_ratio_ci_symmetry(0.75, 0.62, 0.91, 2).status == "consistent"
    skewed = check_ratio_ci_symmetry(0.75, 0.50, 0.94, 2)
    assert skewed.status == "inconsistent" and "centred on 0.686" in skewed.message
    # symmetric on the natural scale is asymmetric on the log scale for a wide ratio CI
    assert check_ratio_ci_symmetry(2.0, 1.0, 3.0, 1).status == "inconsistent"
    assert check_ratio_ci_symmetry(2.0, 1.0, 3.0, 1, ratio=False).status == "consistent"
    assert check_ratio_ci_symmetry(0.75, 0.0, 0.94, 2).status == "unverifiable"


def test_p_from_ci_altman_bland() -> None:
    # Altman & Bland's worked example: RR 0.81 (0.70-0.94) -> p = 0.005
    assert p_from_ci(0.81, 0.70, 0.94) == pytest.approx(0.005, abs=1e-3)
    assert se_from_ci(0.70, 0.94) == pytest.approx((math.log(0.94) - math.log(0.70)) / 3.92, rel=1e-3)
    # a difference with its CI: 2.1 (-0.3 to 4.5) -> z = 2.1 / (4.8 / 3.92)
    assert p_from_ci(2.1, -0.3, 4.5, ratio=False) == pytest.approx(0.0861, abs=1e-3)
    lo, hi = p_range_from_ci(0.81, 0.70, 0.94, 2)
    assert lo < p_from_ci(0.81, 0.70, 0.94) < hi


def test_p_contradicting_the_ci() -> None:
    contradiction = check_p_against_ci(0.75, 0.60, 0.94, 0.08, "=", 2, 2)
    assert contradiction.status == "inconsistent" and "contradict" in contradiction.message
    reverse = check_p_against_ci(2.1, -0.3, 4.5, 0.03, "=", 1, 2, ratio=False)
    assert reverse.status == "inconsistent" and "includes 0" in reverse.message
    assert check_p_against_ci(0.75, 0.60, 0.94, 0.01, "=", 2, 2).status == "consistent"
    assert check_p_against_ci(0.75, 0.60, 0.94, 0.05, "<", 2).status == "consistent"
    # a bound on the null within rounding decides nothing: no contradiction
    assert check_p_against_ci(0.80, 0.64, 1.00, 0.05, "=", 2, 2).status == "consistent"


def test_p_far_from_the_ci_value() -> None:
    verdict = check_p_against_ci(0.81, 0.70, 0.94, 0.04, "=", 2, 2)
    assert verdict.status == "inconsistent" and "assuming a Wald CI" in verdict.message
    assert check_p_against_ci(0.81, 0.70, 0.94, 0.001, "<").status == "inconsistent"
    assert check_p_against_ci(0.81, -0.70, 0.94, 0.04).status == "unverifiable"
