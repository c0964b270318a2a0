"""audit.pvalues: recomputed p-values, rounding ranges and statcheck's error rules."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.pvalues import (
    PValueSettings,
    check_reported_stat,
    compute_p,
    format_p,
    is_decision_error,
    is_inconsistent,
    normalize_test,
    p_range,
    stat_bounds,
)
from schemas.records import ReportedStat


def stat(
    test: str,
    df: list[float],
    value: str,
    p_op: str | None,
    p: str | None,
    comparison: str = "=",
    one_tailed: bool = False,
) -> ReportedStat:
    decimals = len(value.split(".")[1]) if "." in value else 0
    return ReportedStat(
        test=test,
        df=df,
        value=float(value),
        value_decimals=decimals,
        comparison=comparison,  # type: ignore[arg-type]
        p_operator=p_op,  # type: ignore[arg-type]
        p_value=None if p is None else float(p),
        p_decimals=None if p is None else len(p.split(".")[1]),
        one_tailed=one_tailed,
        raw=f"{test}({df}) {comparison} {value}, p {p_op} {p}",
    )


STATCHECK = {"one_tailed_txt": False}


@pytest.mark.parametrize(
    ("test", "value", "df", "expected"),
    [
        ("t", 2.20, [28], 0.0362),
        ("t", -2.20, [28], 0.0362),
        ("F", 2.20, [2, 28], 0.1296),
        ("chi2", 22.20, [28], 0.7719),
        ("Q", 22.20, [28], 0.7719),
        ("z", 1.96, None, 0.0500),
        ("r", 0.22, [28], 0.2427),
    ],
)
def test_compute_p_known_values(test: str, value: float, df: list[float] | None, expected: float) -> None:
    assert compute_p(test, value, df) == pytest.approx(expected, abs=5e-5)


def test_compute_p_one_tailed_halves_t_but_not_f() -> None:
    assert compute_p("t", 2.20, [28], tails=1) == pytest.approx(compute_p("t", 2.20, [28]) / 2)
    assert compute_p("F", 4.84, [1, 28], tails=1) == compute_p("F", 4.84, [1, 28])


def test_compute_p_rejects_impossible_input() -> None:
    with pytest.raises(ValueError):
        compute_p("r", 1.2, [28])
    with pytest.raises(ValueError):
        compute_p("F", 2.0, [2])
    with pytest.raises(ValueError):
        compute_p("W", 2.0, [2])
    assert compute_p("r", -1.0, [10]) == 0.0


def test_normalize_test_aliases() -> None:
    assert normalize_test("Chi2") == "chi2"
    assert normalize_test("G2") == "chi2"
    assert normalize_test("QBetween") == "chi2"
    assert normalize_test("Z") == "z"
    assert normalize_test("B") is None


def test_stat_bounds_and_p_range() -> None:
    assert stat_bounds(2.20, 2) == pytest.approx((2.195, 2.205))
    assert stat_bounds(-2.2, 1) == pytest.approx((2.15, 2.25))
    low, high = p_range("t", 2.20, [28], 2)
    assert low < compute_p("t", 2.20, [28]) < high
    assert (low, high) == pytest.approx((0.03584, 0.03662), abs=1e-5)
    # a statistic of 0.0 cannot be widened below zero
    assert p_range("z", 0.0, None, 1)[1] == 1.0


def test_check_classic_error_message() -> None:
    verdict = check_reported_stat(stat("t", [28], "2.20", "=", ".01"))
    assert verdict.status == "inconsistent"
    assert verdict.error and not verdict.decision_error
    assert verdict.message.startswith("t(28) = 2.20 gives p = .036")
    assert "[2.195, 2.205]" in verdict.message and "reported p = .01" in verdict.message
    assert verdict.severity == "minor"


@pytest.mark.parametrize(
    ("value", "p_op", "p", "error"),
    [
        ("2.20", "=", ".036", False),
        ("2.20", "=", ".037", False),  # rounding of the statistic covers .037
        ("2.2", "=", ".04", False),
        ("2", "=", ".14", False),  # t in [1.5, 2.5] covers p up to .14
        ("2.20", "=", ".03", True),
        ("2.20", "<", ".05", False),
        ("2.20", ">", ".05", True),
        ("2.0", "<", ".05", False),
    ],
)
def test_check_rounding_tolerance(value: str, p_op: str, p: str, error: bool) -> None:
    assert check_reported_stat(stat("t", [28], value, p_op, p)).error is error


def test_decision_error_flips_significance() -> None:
    verdict = check_reported_stat(stat("t", [28], "1.20", "=", ".03"))
    assert verdict.decision_error and verdict.severity == "major"
    assert "decision error" in verdict.message
    # p = alpha is significant by default, not with p_equal_alpha_sig off
    assert not check_reported_stat(stat("t", [28], "2.20", "=", ".05")).decision_error
    off = check_reported_stat(stat("t", [28], "2.20", "=", ".05"), settings={"p_equal_alpha_sig": False})
    assert off.decision_error
    assert check_reported_stat(stat("t", [28], "2.20", "=", ".11"), alpha=0.10).decision_error


def test_p_zero() -> None:
    assert check_reported_stat(stat("t", [28], "22.20", "=", ".000")).error
    assert not check_reported_stat(
        stat("t", [28], "22.20", "=", ".000"), settings={"p_zero_error": False}
    ).error
    assert check_reported_stat(stat("t", [28], "22.20", "<", ".000"), settings={"p_zero_error": False}).error
    assert not check_reported_stat(stat("t", [28], "22.20", "<", ".001")).error


def test_ns_is_p_greater_than_alpha() -> None:
    ns = ReportedStat(test="t", df=[28], value=2.2, value_decimals=2, p_operator=">", raw="t(28) = 2.20, ns")
    verdict = check_reported_stat(ns)
    assert verdict.error and verdict.decision_error and verdict.reported == "ns"
    ok = ns.model_copy(update={"value": 1.2})
    assert check_reported_stat(ok).status == "consistent"


def test_one_tailed_only_where_text_says_so() -> None:
    plain = stat("t", [28], "2.20", "=", ".018")
    assert check_reported_stat(plain).error  # no mention: stays an error
    mentioned = stat("t", [28], "2.20", "=", ".018", one_tailed=True)
    verdict = check_reported_stat(mentioned)
    assert verdict.status == "consistent" and verdict.one_tailed
    assert "one-tailed" in verdict.message
    assert check_reported_stat(mentioned, settings=STATCHECK).error  # statcheck's default
    # a one-tailed p that is still wrong stays an error, with the two-tailed numbers
    wrong = check_reported_stat(stat("t", [28], "2.20", "=", ".01", one_tailed=True))
    assert wrong.error and not wrong.one_tailed
    every = PValueSettings(one_tailed_tests=True)
    assert not check_reported_stat(stat("t", [28], "2.20", "=", ".02"), settings=every).error
    assert check_reported_stat(stat("t", [28], "2.20", "=", ".04"), settings=every).error


@pytest.mark.parametrize(
    ("comparison", "p_op", "p", "error"),
    [
        ("<", "=", ".08", False),
        ("<", ">", ".02", False),
        ("<", "<", ".02", True),
        ("<", "=", ".02", True),
        (">", "=", ".02", False),
        (">", "<", ".08", False),
        (">", ">", ".08", True),
        (">", "=", ".08", True),
    ],
)
def test_inequality_of_the_statistic(comparison: str, p_op: str, p: str, error: bool) -> None:
    assert check_reported_stat(stat("t", [28], "2.2", p_op, p, comparison=comparison)).error is error


def test_r_with_df_and_f_and_chi2() -> None:
    assert check_reported_stat(stat("r", [46], ".34", "=", ".03")).error
    assert not check_reported_stat(stat("r", [46], ".34", "=", ".02")).error
    assert check_reported_stat(stat("F", [2, 56], "1.203", "<", ".001")).decision_error
    assert not check_reported_stat(stat("chi2", [1], "6.9", "<", ".01")).error


def test_unverifiable_never_raises() -> None:
    assert check_reported_stat(stat("F", [2], "2.2", "=", ".15")).status == "unverifiable"
    assert check_reported_stat(stat("W", [2], "2.2", "=", ".15")).status == "unverifiable"
    assert check_reported_stat(stat("r", [20], "1.3", "=", ".15")).status == "unverifiable"
    assert check_reported_stat(stat("t", [20], "2.3", None, None)).status == "unverifiable"


def test_low_level_rules() -> None:
    assert is_inconsistent(0.03, "=", 0.0358, 0.0366, 2)
    assert not is_inconsistent(0.04, "=", 0.0358, 0.0366, 2)
    assert is_decision_error(0.03, 0.06, "=")
    assert not is_decision_error(0.03, 0.04, "=")
    assert not math.isnan(compute_p("z", 0.0))


def test_format_p() -> None:
    assert format_p(0.0362) == ".036"
    assert format_p(0.00001) == "< .001"
    assert format_p(1.0) == "1.000"


@settings(max_examples=200, deadline=None)
@given(t=st.floats(0.01, 8), df=st.integers(2, 300), decimals=st.integers(1, 3))
def test_correctly_rounded_results_are_consistent(t: float, df: int, decimals: int) -> None:
    shown = round(t, decimals)
    p = compute_p("t", t, [df])
    low, high = p_range("t", shown, [df], decimals)
    assert low <= p <= high or math.isclose(p, low) or math.isclose(p, high)
    if p >= 0.001:
        record = ReportedStat(
            test="t", df=[df], value=shown, value_decimals=decimals, p_operator="=",
            p_value=round(p, 3), p_decimals=3, raw="generated",
        )  # fmt: skip
        assert check_reported_stat(record).status == "consistent"
