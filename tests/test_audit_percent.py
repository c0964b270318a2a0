"""audit.percent: percentages against counts, rounding versus truncation, feasible counts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.percent import (
    check_percent,
    feasible_counts,
    feasible_denominators,
    percent_decimals,
    percent_of,
    reproducing_methods,
)


def test_rounding_versus_truncation() -> None:
    rounded = check_percent("74", 19, 14)
    assert rounded.status == "consistent" and rounded.method == "rounding"
    truncated = check_percent("73", 19, 14)  # 14/19 = 73.68%
    assert truncated.method == "truncation"
    assert truncated.message == "14/19 = 73.68% → 74% by conventional rounding; 73% only by truncation."
    assert reproducing_methods(14, 19, "73") == ["truncation"]
    assert reproducing_methods(14, 19, "74") == ["rounding", "ceiling"]


def test_wrong_percent_is_inconsistent() -> None:
    verdict = check_percent("75", 19, 14)
    assert verdict.status == "inconsistent" and verdict.expected == "74%"
    assert check_percent("73.7", 19, 14).status == "consistent"
    assert check_percent("73.6", 19, 14).method == "truncation"
    assert check_percent("73.5", 19, 14).status == "inconsistent"


def test_ties_are_accepted_both_ways() -> None:
    assert check_percent("13", 8, 1).method == "rounding"  # 12.5%
    assert check_percent("12", 8, 1).method == "rounding"
    assert check_percent("12.5", 8, 1).expected == "12.5%"


def test_percent_impossible_for_small_n() -> None:
    verdict = check_percent("71", 43)
    assert verdict.status == "inconsistent"
    assert "30/43 = 69.77%" in verdict.message and "31/43 = 72.09%" in verdict.message
    assert check_percent("72", 43).feasible == (31,)
    assert feasible_counts("50", 7) == []
    assert feasible_counts("33.3", 3) == [1]


def test_percent_only_by_truncation_without_k() -> None:
    # 2/3 = 66.67%: "66%" of 3 is reachable only by truncation
    verdict = check_percent("66", 3)
    assert verdict.status == "consistent" and verdict.method == "truncation"
    assert verdict.feasible == (2,)


def test_reverse_lookups() -> None:
    assert feasible_counts("25", 20) == [5]
    assert feasible_counts("25", 100, methods=("rounding", "truncation")) == [25]
    assert feasible_denominators(3, "33.3", n_max=50) == [9]
    assert 12 in feasible_denominators(3, "25", n_max=20)


def test_helpers_and_bad_input() -> None:
    assert percent_decimals("73.0") == 1 and percent_decimals("12%") == 0
    assert percent_of(14, 19) == pytest.approx(73.684, abs=1e-3)
    assert check_percent("50", 10, 11).status == "unverifiable"
    with pytest.raises(ValueError):
        feasible_counts("50", 0)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 400), frac=st.floats(0, 1), decimals=st.integers(0, 2))
def test_true_percentages_are_feasible(n: int, frac: float, decimals: int) -> None:
    k = round(frac * n)
    shown = f"{100 * k / n:.{decimals}f}"
    assert k in feasible_counts(shown, n)
    assert check_percent(shown, n, k).status == "consistent"
