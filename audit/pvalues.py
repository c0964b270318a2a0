"""Recompute p-values from reported test statistics (statcheck's rules, Nuijten et al.).

Rules, in the order `check_reported_stat` applies them:

1. **Rounding tolerance.** A statistic printed with *k* decimals stands for any value within half a
   unit of its last decimal (t = 2.20 means 2.195 <= t <= 2.205). The p-value is recomputed at both
   ends, giving the range [p_low, p_high] that a correctly reported p may come from.
2. **Error** (statcheck's `error_test`). `p = x`: x must lie in [p_low, p_high] after rounding both ends
   to x's decimals. `p < x`: an error when x < p_low. `p > x`: an error when x > p_high. "ns" means
   `p > alpha`. A statistic given as `t < v` / `t > v` turns the check one-sided (see the table in
   `is_inconsistent`). `p = .000` (or any p <= 0) is an error unless `p_zero_error` is off.
3. **Decision error** (statcheck's `decision_error_test`), only for errors: the reported p and the
   recomputed p fall on different sides of alpha (p = alpha counts as significant unless
   `p_equal_alpha_sig` is off).
4. **One-tailed tests** (statcheck's OneTailedTxt): when the text mentions one-tailed / one-sided /
   directional testing (`ReportedStat.one_tailed`), an error that disappears once the p-value is
   recomputed one-tailed is accepted as a one-tailed test. Only t, z and r have tails.

Tests: t(df), F(df1, df2), chi2(df) (also G2, Q, Qb, Qw: chi-square distributed), r(df) via
t = r * sqrt(df / (1 - r^2)), z. Inputs are numbers and `ReportedStat` records, never text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from scipy import stats as sps

from schemas.records import ReportedStat

__all__ = [
    "DEFAULT_ALPHA",
    "PValueSettings",
    "PValueVerdict",
    "TEST_TYPES",
    "check_reported_stat",
    "compute_p",
    "format_p",
    "is_decision_error",
    "is_inconsistent",
    "normalize_test",
    "p_range",
    "stat_bounds",
]

DEFAULT_ALPHA = 0.05
DEFAULT_P_EQUAL_ALPHA_SIG = True
DEFAULT_P_ZERO_ERROR = True
DEFAULT_ONE_TAILED_TXT = True  # honour ReportedStat.one_tailed (statcheck's default is off)
DEFAULT_ONE_TAILED_TESTS = False

TestType = Literal["t", "F", "chi2", "r", "z"]
TEST_TYPES: tuple[str, ...] = ("t", "F", "chi2", "r", "z")
TAILED_TESTS = frozenset({"t", "r", "z"})  # F and chi-square p-values are upper-tail only

# Names a parser or a hand coder may give to the same distribution.
TEST_ALIASES: dict[str, TestType] = {
    "t": "t",
    "f": "F",
    "r": "r",
    "z": "z",
    "chi2": "chi2",
    "chisq": "chi2",
    "chi-square": "chi2",
    "chi": "chi2",
    "χ2": "chi2",
    "χ²": "chi2",
    "x2": "chi2",
    "g2": "chi2",  # likelihood-ratio chi-square
    "q": "chi2",  # meta-analytic heterogeneity Q (Q, Qb, Qw, QBetween, QT ...) is chi-square distributed
}

Status = Literal["consistent", "inconsistent", "unverifiable"]
POperator = Literal["<", "=", ">"]
_OPERATOR_FOLD = {"<": "<", "<=": "<", "=": "=", ">=": ">", ">": ">"}


@dataclass(frozen=True)
class PValueSettings:
    """Options of `check_reported_stat` (statcheck's argument names in brackets).

    alpha [alpha]; p_equal_alpha_sig [pEqualAlphaSig]: p = alpha counts as significant;
    p_zero_error [pZeroError]: p = .000 is an error; one_tailed_txt [OneTailedTxt]: accept a
    one-tailed p where `ReportedStat.one_tailed` says the text mentions one-tailed testing;
    one_tailed_tests [OneTailedTests]: treat every t, r and z test as one-tailed.
    """

    alpha: float = DEFAULT_ALPHA
    p_equal_alpha_sig: bool = DEFAULT_P_EQUAL_ALPHA_SIG
    p_zero_error: bool = DEFAULT_P_ZERO_ERROR
    one_tailed_txt: bool = DEFAULT_ONE_TAILED_TXT
    one_tailed_tests: bool = DEFAULT_ONE_TAILED_TESTS

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must lie in (0, 1), got {self.alpha}")

    @classmethod
    def resolve(cls, value: PValueSettings | dict[str, Any] | None) -> PValueSettings:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        return cls(**value)


@dataclass(frozen=True)
class PValueVerdict:
    """Outcome of `check_reported_stat`.

    status: consistent / inconsistent / unverifiable. error and decision_error follow statcheck
    (None when unverifiable). computed_p is the p of the statistic as printed; p_bounds the range
    over its rounding interval stat_bounds. one_tailed: the verdict rests on a one-tailed p.
    """

    status: Status
    message: str
    test: str
    error: bool | None = None
    decision_error: bool | None = None
    computed_p: float | None = None
    p_bounds: tuple[float, float] | None = None
    stat_bounds: tuple[float, float] | None = None
    reported: str | None = None
    one_tailed: bool = False

    @property
    def severity(self) -> Literal["major", "minor", "info"]:
        """major: the significance decision flips; minor: a p-value error; info otherwise."""
        if self.decision_error:
            return "major"
        return "minor" if self.error else "info"


def normalize_test(test: str) -> TestType | None:
    """Canonical test name (t, F, chi2, r, z) or None when the test is not recomputable."""
    key = test.strip().lower().replace(" ", "").replace("^", "")
    if key in TEST_ALIASES:
        return TEST_ALIASES[key]
    if key.startswith("q"):
        return "chi2"
    if key.startswith("chi") or key.startswith("χ"):
        return "chi2"
    return None


def _df_for(test: TestType, df: Sequence[float] | float | None) -> tuple[float, ...]:
    values: tuple[float, ...]
    if df is None:
        values = ()
    elif isinstance(df, int | float):
        values = (float(df),)
    else:
        values = tuple(float(d) for d in df)
    if test == "z":
        return ()
    if test == "F":
        if len(values) < 2:
            raise ValueError("F needs two degrees of freedom")
        return values[:2]
    if not values:
        raise ValueError(f"{test} needs degrees of freedom")
    # t and r: the last df (a parser may keep "t(1, 28)" style pairs); chi2: the first (N follows it)
    return (values[0],) if test == "chi2" else (values[-1],)


def compute_p(test: str, value: float, df: Sequence[float] | float | None = None, tails: int = 2) -> float:
    """p-value of a test statistic (statcheck's compute_p).

    tails applies to t, r and z only. r is converted with t = r * sqrt(df / (1 - r^2)).
    Raises ValueError for an unknown test, missing df, or an impossible value (|r| > 1, F < 0).
    """
    kind = normalize_test(test)
    if kind is None:
        raise ValueError(f"unknown test type {test!r}")
    if tails not in (1, 2):
        raise ValueError("tails must be 1 or 2")
    dfs = _df_for(kind, df)
    if any(d <= 0 for d in dfs):
        raise ValueError(f"degrees of freedom must be positive, got {dfs}")
    if kind == "t":
        p = float(sps.t.sf(abs(value), dfs[0]))
    elif kind == "z":
        p = float(sps.norm.sf(abs(value)))
    elif kind == "r":
        if abs(value) > 1:
            raise ValueError(f"a correlation cannot exceed 1 in absolute value, got {value}")
        if abs(value) == 1:
            return 0.0
        t_value = abs(value) * math.sqrt(dfs[0] / (1 - value * value))
        p = float(sps.t.sf(t_value, dfs[0]))
    elif kind == "F":
        if value < 0:
            raise ValueError("F cannot be negative")
        return float(sps.f.sf(value, dfs[0], dfs[1]))
    else:
        if value < 0:
            raise ValueError("chi-square cannot be negative")
        return float(sps.chi2.sf(value, dfs[0]))
    return min(1.0, p * 2) if tails == 2 else p


def stat_bounds(value: float, decimals: int) -> tuple[float, float]:
    """Magnitude interval [low, high] of a statistic printed with `decimals` decimals (half a unit)."""
    half = 0.5 * 10.0 ** (-decimals)
    magnitude = abs(value)
    return max(0.0, magnitude - half), magnitude + half


def p_range(
    test: str, value: float, df: Sequence[float] | float | None, decimals: int, tails: int = 2
) -> tuple[float, float]:
    """(p_low, p_high): p over the rounding interval of the statistic (p_low at its largest magnitude)."""
    kind = normalize_test(test)
    low, high = stat_bounds(value, decimals)
    if kind == "r":
        high = min(high, 1.0)
    return compute_p(test, high, df, tails), compute_p(test, low, df, tails)


def _round_half(x: float, decimals: int) -> float:
    # R's round() and Python's round() both round the binary value correctly; good enough for p
    return round(x, decimals)


def is_inconsistent(
    reported_p: float,
    p_operator: str,
    p_low: float,
    p_high: float,
    p_decimals: int,
    comparison: str = "=",
    p_zero_error: bool = DEFAULT_P_ZERO_ERROR,
) -> bool:
    """statcheck's error rule for a reported p against the recomputed range [p_low, p_high].

    stat "=": p = x errs if x is outside [round(p_low), round(p_high)]; p < x if x < p_low; p > x if
    x > p_high. stat "<" (true stat smaller, true p larger): p = x errs if x < round(p_high); p < x if
    x < p_high; p > x never. stat ">": p = x errs if x > round(p_low); p < x never; p > x if x > p_low.
    """
    op = _OPERATOR_FOLD[p_operator]
    comp = _OPERATOR_FOLD[comparison]
    if p_zero_error and reported_p <= 0:
        return True
    if comp == "=":
        if op == "=":
            return reported_p > _round_half(p_high, p_decimals) or reported_p < _round_half(p_low, p_decimals)
        if op == "<":
            return reported_p < p_low
        return reported_p > p_high
    if comp == "<":
        if op == "=":
            return reported_p < _round_half(p_high, p_decimals)
        if op == "<":
            return reported_p < p_high
        return False
    if op == "=":
        return reported_p > _round_half(p_low, p_decimals)
    if op == "<":
        return False
    return reported_p > p_low


def is_decision_error(
    reported_p: float,
    computed_p: float,
    p_operator: str,
    comparison: str = "=",
    alpha: float = DEFAULT_ALPHA,
    p_equal_alpha_sig: bool = DEFAULT_P_EQUAL_ALPHA_SIG,
) -> bool:
    """statcheck's decision-error rule: reported and recomputed p on different sides of alpha.

    Apply it only to results that `is_inconsistent` flags (statcheck does the same).
    """
    op = _OPERATOR_FOLD[p_operator]
    comp = _OPERATOR_FOLD[comparison]
    rp, cp, a = reported_p, computed_p, alpha
    if p_equal_alpha_sig:
        if comp == "=":
            if op == "=":
                return (rp <= a < cp) or (rp > a >= cp)
            if op == "<":
                return rp <= a < cp
            return rp >= a >= cp
        if comp == "<":
            return op != ">" and rp <= a <= cp
        if op == "=":
            return rp > a >= cp
        return op == ">" and rp >= a >= cp
    if comp == "=":
        if op == "=":
            return (rp < a <= cp) or (rp >= a > cp)
        if op == "<":
            return rp <= a <= cp
        return rp >= a > cp
    if comp == "<":
        if op == "=":
            return rp < a <= cp
        return op == "<" and rp <= a <= cp
    return op != "<" and rp >= a >= cp


def format_p(p: float, decimals: int = 3) -> str:
    """APA style: no leading zero, '< .001' below the smallest printable value."""
    if p < 10.0 ** (-decimals):
        return "< ." + "0" * (decimals - 1) + "1"
    text = f"{p:.{decimals}f}"
    return text[1:] if text.startswith("0") else text


def _format_stat(stat: ReportedStat, kind: TestType) -> str:
    name = {"chi2": "χ2"}.get(kind, kind)
    if stat.test.lower().startswith("q"):
        name = stat.test
    dfs = ", ".join(f"{d:g}" for d in stat.df) if stat.df and kind != "z" else ""
    head = f"{name}({dfs})" if dfs else name
    return f"{head} {stat.comparison} {stat.value:.{stat.value_decimals}f}"


def _format_reported(stat: ReportedStat, ns: bool) -> str:
    if ns:
        return "ns"
    assert stat.p_value is not None and stat.p_operator is not None
    decimals = stat.p_decimals if stat.p_decimals is not None else _decimals_of(stat.p_value)
    text = f"{stat.p_value:.{decimals}f}"
    return f"p {stat.p_operator} {text[1:] if text.startswith('0.') else text}"


def _decimals_of(x: float) -> int:
    # p-values carry no trailing zeros once parsed to float: fall back to the shortest repr
    text = repr(float(x))
    if "e" in text:
        mantissa, exponent = text.split("e")
        frac = mantissa.split(".")[1] if "." in mantissa else ""
        return max(0, len(frac.rstrip("0")) - int(exponent))
    frac = text.split(".")[1] if "." in text else ""
    return len(frac.rstrip("0"))


def _is_ns(stat: ReportedStat) -> bool:
    # Convention with extractors/stats.py: "ns" is p_operator ">" with no p_value
    return stat.p_value is None and stat.p_operator in (">", ">=")


def _unverifiable(stat: ReportedStat, reason: str) -> PValueVerdict:
    return PValueVerdict(
        status="unverifiable", message=f"{stat.raw.strip() or stat.test}: {reason}", test=stat.test
    )


def _evaluate(
    stat: ReportedStat, kind: TestType, tails: int, settings: PValueSettings, ns: bool
) -> tuple[bool, bool, float, tuple[float, float]]:
    computed = compute_p(kind, stat.value, stat.df, tails)
    p_bounds = p_range(kind, stat.value, stat.df, stat.value_decimals, tails)
    if ns:
        reported, op, decimals = settings.alpha, ">", 0
    else:
        assert stat.p_value is not None and stat.p_operator is not None
        reported, op = stat.p_value, stat.p_operator
        decimals = stat.p_decimals if stat.p_decimals is not None else _decimals_of(stat.p_value)
    error = is_inconsistent(
        reported, op, p_bounds[0], p_bounds[1], decimals, stat.comparison, settings.p_zero_error
    )
    decision = error and is_decision_error(
        reported, computed, op, stat.comparison, settings.alpha, settings.p_equal_alpha_sig
    )
    return error, decision, computed, p_bounds


def _message(
    stat: ReportedStat,
    kind: TestType,
    error: bool,
    decision: bool,
    computed: float,
    p_bounds: tuple[float, float],
    reported: str,
    one_tailed: bool,
    alpha: float,
) -> str:
    low, high = stat_bounds(stat.value, stat.value_decimals)
    if stat.value < 0:
        low, high = -high, -low
    d = stat.value_decimals + 1
    tail_note = " one-tailed" if one_tailed else ""
    lo_p, hi_p = format_p(p_bounds[0]), format_p(p_bounds[1])
    if lo_p != hi_p:
        range_text = f"range {lo_p}–{hi_p}"
    else:
        range_text = f"p {lo_p}" if lo_p.startswith("<") else f"p = {lo_p}"
    p_text = format_p(computed)
    p_text = p_text if p_text.startswith("<") else "= " + p_text
    head = (
        f"{_format_stat(stat, kind)} gives{tail_note} p {p_text} "
        f"({range_text} for {kind} in [{low:.{d}f}, {high:.{d}f}]); reported {reported}"
    )
    if not error:
        return head + ": consistent."
    if decision:
        side = "significant" if computed <= alpha else "not significant"
        return head + f": decision error, the recomputed p is {side} at alpha = {alpha:g}."
    return head + ": inconsistent, check the statistic, its df or the p-value."


def check_reported_stat(
    stat: ReportedStat,
    alpha: float | None = None,
    settings: PValueSettings | dict[str, Any] | None = None,
) -> PValueVerdict:
    """Check a reported p-value against the one recomputed from its test statistic.

    Rules: see the module docstring. `alpha` overrides `settings.alpha`. Returns an unverifiable
    verdict (never raises) when the test is unknown, df are missing, or no p-value was reported.
    """
    opts = PValueSettings.resolve(settings)
    if alpha is not None:
        opts = replace(opts, alpha=alpha)
    kind = normalize_test(stat.test)
    if kind is None:
        return _unverifiable(stat, f"test {stat.test!r} cannot be recomputed")
    ns = _is_ns(stat)
    if not ns and (stat.p_value is None or stat.p_operator is None):
        return _unverifiable(stat, "no p-value reported")
    if not ns and stat.p_value is not None and stat.p_value > 1:
        return _unverifiable(stat, "a p-value above 1 is not a p-value (misread?)")
    tails = 1 if (opts.one_tailed_tests and kind in TAILED_TESTS) else 2
    try:
        error, decision, computed, p_bounds = _evaluate(stat, kind, tails, opts, ns)
    except ValueError as exc:
        return _unverifiable(stat, str(exc))
    one_tailed = tails == 1
    # statcheck's OneTailedTxt: an error that vanishes one-tailed, where the text mentions it
    if (
        error
        and opts.one_tailed_txt
        and not opts.one_tailed_tests
        and stat.one_tailed
        and kind in TAILED_TESTS
    ):
        error_1, decision_1, computed_1, p_bounds_1 = _evaluate(stat, kind, 1, opts, ns)
        if not error_1:
            error, decision, computed, p_bounds, one_tailed = (
                error_1,
                decision_1,
                computed_1,
                p_bounds_1,
                True,
            )
    reported = _format_reported(stat, ns)
    message = _message(stat, kind, error, decision, computed, p_bounds, reported, one_tailed, opts.alpha)
    return PValueVerdict(
        status="inconsistent" if error else "consistent",
        message=message,
        test=kind,
        error=error,
        decision_error=decision,
        computed_p=computed,
        p_bounds=p_bounds,
        stat_bounds=stat_bounds(stat.value, stat.value_decimals),
        reported=reported,
        one_tailed=one_tailed,
    )
