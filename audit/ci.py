"""Point estimates, confidence intervals and p-values checked against each other.

Rules (each value printed with d decimals stands for +/- half a unit of its last decimal):
- **Estimate inside its CI** (`check_estimate_in_ci`): lower <= estimate <= upper within rounding.
- **Ratio CIs are symmetric on the log scale** (`check_ratio_ci_symmetry`, HR / OR / RR): a Wald CI is
  log(est) +/- z * SE, so log(est) - log(lower) = log(upper) - log(est). Inconsistent only when the two
  distances differ for every value within the rounding of estimate and bounds. Difference measures
  (mean difference, risk difference) are symmetric on the natural scale (`ratio=False`).
- **p against the CI** (`check_p_against_ci`): a 95% CI that excludes the null (1 for ratios, 0 for
  differences) means p < .05, and one that includes it means p > .05. A reported p on the other side
  contradicts the CI, unless the null lies within rounding of a bound.
- **p from the estimate and CI** (`p_from_ci`, Altman & Bland 2011, BMJ 343:d2090): SE = (log(upper) -
  log(lower)) / (2 * 1.96), z = log(est) / SE, p = 2 * (1 - Phi(|z|)) (the normal tail rather than
  their closed-form approximation exp(-0.717 z - 0.416 z^2)). `p_range_from_ci` moves the three
  values within their rounding. The recomputed p assumes a Wald-type interval, so treat a mismatch
  as a prompt to look, not as proof.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Literal

from scipy import stats as sps

__all__ = [
    "CIVerdict",
    "DEFAULT_LEVEL",
    "check_estimate_in_ci",
    "check_p_against_ci",
    "check_ratio_ci_symmetry",
    "p_from_ci",
    "p_range_from_ci",
    "se_from_ci",
]

Status = Literal["consistent", "inconsistent", "unverifiable"]
DEFAULT_LEVEL = 0.95
DEFAULT_ALPHA = 0.05
DEFAULT_P_DECIMALS = 3


@dataclass(frozen=True)
class CIVerdict:
    """Outcome of a CI check: status, expected value or range, reported value, one-sentence message."""

    check: str
    status: Status
    message: str
    expected: Any = None
    reported: Any = None
    bounds: tuple[float, float] | None = None


def _half(decimals: int | None) -> float:
    return 0.0 if decimals is None else 0.5 * 10.0 ** (-decimals)


def _z(level: float) -> float:
    return float(sps.norm.isf((1 - level) / 2))


def _fmt_ci(estimate: float, lower: float, upper: float, decimals: int | None) -> str:
    d = 2 if decimals is None else decimals
    return f"{estimate:.{d}f} ({lower:.{d}f}–{upper:.{d}f})"


def _fmt_p(p: float) -> str:
    if p < 0.001:
        return "< .001"
    text = f"{p:.3f}"
    return "= " + (text[1:] if text.startswith("0") else text)


def _rep(p: float) -> str:
    text = f"{p:.10f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("0.") else text


def check_estimate_in_ci(
    estimate: float, lower: float, upper: float, decimals: int | None = None
) -> CIVerdict:
    """Is the point estimate inside its own CI (within rounding)? Also flags lower > upper."""
    shown = _fmt_ci(estimate, lower, upper, decimals)
    tol = 2 * _half(decimals)
    if lower > upper + tol:
        return CIVerdict(
            "estimate_in_ci",
            "inconsistent",
            f"{shown}: the lower bound exceeds the upper bound.",
            None,
            estimate,
            (lower, upper),
        )
    if lower - tol <= estimate <= upper + tol:
        return CIVerdict(
            "estimate_in_ci",
            "consistent",
            f"{shown}: the estimate lies inside its CI.",
            None,
            estimate,
            (lower, upper),
        )
    side = "below" if estimate < lower else "above"
    msg = f"{shown}: the estimate lies {side} its own CI; check for a transposed or misprinted value."
    return CIVerdict("estimate_in_ci", "inconsistent", msg, None, estimate, (lower, upper))


def _distances(estimate: float, lower: float, upper: float, ratio: bool) -> tuple[float, float]:
    if ratio:
        return math.log(estimate) - math.log(lower), math.log(upper) - math.log(estimate)
    return estimate - lower, upper - estimate


def check_ratio_ci_symmetry(
    estimate: float,
    lower: float,
    upper: float,
    decimals: int | None = None,
    ratio: bool = True,
) -> CIVerdict:
    """Is a CI symmetric around its estimate (log scale for ratios), allowing for rounding?"""
    shown = _fmt_ci(estimate, lower, upper, decimals)
    scale = "log scale" if ratio else "natural scale"
    if ratio and min(estimate, lower, upper) <= 0:
        return CIVerdict(
            "ci_symmetry", "unverifiable", f"{shown}: a ratio and its CI must be positive.", reported=estimate
        )
    if not lower <= estimate <= upper:
        return CIVerdict(
            "ci_symmetry", "unverifiable", f"{shown}: the estimate lies outside its CI.", reported=estimate
        )
    h = _half(decimals)
    # Smallest and largest difference between the two half-widths over the rounding box (corners)
    diffs = []
    for e, lo, hi in itertools.product(
        (estimate - h, estimate + h), (lower - h, lower + h), (upper - h, upper + h)
    ):
        if ratio and min(e, lo, hi) <= 0:
            continue
        if lo <= e <= hi:
            a, b = _distances(e, lo, hi, ratio)
            diffs.append(b - a)
    left, right = _distances(estimate, lower, upper, ratio)
    centre = math.sqrt(lower * upper) if ratio else (lower + upper) / 2
    d = 2 if decimals is None else decimals
    if not diffs or min(diffs) <= 0 <= max(diffs):
        msg = f"{shown}: symmetric on the {scale} within rounding (half-widths {left:.3f} and {right:.3f})."
        return CIVerdict(
            "ci_symmetry", "consistent", msg, centre, estimate, (min(diffs or [0]), max(diffs or [0]))
        )
    msg = (
        f"{shown}: not symmetric on the {scale} (half-widths {left:.3f} and {right:.3f}); the CI is centred on "
        f"{centre:.{d + 1}f}, not {estimate:.{d}f}: check the estimate or a bound."
    )
    return CIVerdict("ci_symmetry", "inconsistent", msg, centre, estimate, (min(diffs), max(diffs)))


def se_from_ci(lower: float, upper: float, ratio: bool = True, level: float = DEFAULT_LEVEL) -> float:
    """Standard error (of the log for ratios) implied by a Wald CI."""
    if ratio:
        return (math.log(upper) - math.log(lower)) / (2 * _z(level))
    return (upper - lower) / (2 * _z(level))


def p_from_ci(
    estimate: float, lower: float, upper: float, ratio: bool = True, level: float = DEFAULT_LEVEL
) -> float:
    """Two-sided p of an estimate against its null from its CI (Altman & Bland), assuming a Wald CI."""
    if ratio and min(estimate, lower, upper) <= 0:
        raise ValueError("a ratio and its CI must be positive")
    se = se_from_ci(lower, upper, ratio, level)
    if se <= 0:
        raise ValueError("the CI has no width")
    z = (math.log(estimate) if ratio else estimate) / se
    return float(2 * sps.norm.sf(abs(z)))


def p_range_from_ci(
    estimate: float,
    lower: float,
    upper: float,
    decimals: int | None,
    ratio: bool = True,
    level: float = DEFAULT_LEVEL,
) -> tuple[float, float]:
    """(p_min, p_max) of `p_from_ci` over the rounding of estimate and bounds."""
    h = _half(decimals)
    ps = []
    for e, lo, hi in itertools.product(
        (estimate - h, estimate, estimate + h), (lower - h, lower + h), (upper - h, upper + h)
    ):
        if (ratio and min(e, lo, hi) <= 0) or hi <= lo:
            continue
        ps.append(p_from_ci(e, lo, hi, ratio, level))
    if not ps:
        raise ValueError("no valid CI within rounding")
    return min(ps), max(ps)


def check_p_against_ci(
    estimate: float,
    lower: float,
    upper: float,
    reported_p: float,
    p_operator: str = "=",
    decimals: int | None = None,
    p_decimals: int | None = None,
    ratio: bool = True,
    level: float = DEFAULT_LEVEL,
) -> CIVerdict:
    """Does a reported p agree with the CI: same side of alpha = 1 - level, and the recomputed value?

    A contradiction of significance (CI excludes the null but p > alpha, or the reverse) is
    inconsistent. Otherwise the p recomputed from the CI (Altman & Bland) must cover the reported p
    within rounding (p = x: x in [round(p_min), round(p_max)]; p < x: p_min < x; p > x: p_max > x).
    """
    shown = _fmt_ci(estimate, lower, upper, decimals)
    alpha = 1 - level
    null = 1.0 if ratio else 0.0
    reported = f"p {p_operator} {_rep(reported_p)}"
    try:
        p_point = p_from_ci(estimate, lower, upper, ratio, level)
        p_lo, p_hi = p_range_from_ci(estimate, lower, upper, decimals, ratio, level)
    except ValueError as exc:
        return CIVerdict("p_vs_ci", "unverifiable", f"{shown}: {exc}.", reported=reported_p)
    h = _half(decimals)
    excludes = lower - h > null or upper + h < null
    includes = lower + h < null < upper - h
    says_sig = (p_operator in ("<", "<=") and reported_p <= alpha) or (
        p_operator == "=" and reported_p < alpha
    )
    says_ns = (p_operator in (">", ">=") and reported_p >= alpha) or (
        p_operator == "=" and reported_p > alpha
    )
    ci_text = f"the {level:.0%} CI {'excludes' if excludes else 'includes'} {null:g}"
    if (excludes and says_ns) or (includes and says_sig):
        msg = (
            f"{shown}: {ci_text}, so p should be {'below' if excludes else 'above'} {alpha:g} "
            f"(recomputed p {_fmt_p(p_point)}), but reported {reported}: the p-value and the CI contradict each other."
        )
        return CIVerdict("p_vs_ci", "inconsistent", msg, p_point, reported_p, (p_lo, p_hi))
    d = DEFAULT_P_DECIMALS if p_decimals is None else p_decimals
    if p_operator in ("<", "<="):
        ok = p_lo < reported_p or (p_operator == "<=" and p_lo <= reported_p)
    elif p_operator in (">", ">="):
        ok = p_hi > reported_p or (p_operator == ">=" and p_hi >= reported_p)
    else:
        ok = round(p_lo, d) <= reported_p <= round(p_hi, d)
    range_text = f"range {_rep(round(p_lo, 4))}–{_rep(round(p_hi, 4))}"
    if ok:
        msg = f"{shown} gives p {_fmt_p(p_point)} ({range_text}); reported {reported} is consistent."
        return CIVerdict("p_vs_ci", "consistent", msg, p_point, reported_p, (p_lo, p_hi))
    msg = (
        f"{shown} gives p {_fmt_p(p_point)} ({range_text}, assuming a Wald CI); reported {reported}: "
        "check the p-value, the CI or the test behind them."
    )
    return CIVerdict("p_vs_ci", "inconsistent", msg, p_point, reported_p, (p_lo, p_hi))
