"""p-values recomputed from summary statistics: t-tests from means/SDs/ns, tests on counts, pooled SDs.

Rules:
- **Two-group t-test** (`ttest_from_stats`, Student or Welch). The reported means and SDs are rounded,
  so each stands for an interval of half a unit of its last decimal. `ttest_p_range` moves them
  within those intervals (|mean difference| smallest with SDs largest gives p_max; the reverse gives
  p_min; Welch's df are taken at the same corners). A reported p is consistent with the inputs when
  it lies in [p_min, p_max] once both ends are rounded to its decimals (`p < x`: p_min < x;
  `p > x`: p_max > x), the same rule as audit.pvalues.
- **Paired t-test from group summaries** (`paired_t_bounds`): without the correlation r between the
  two measurements, SD(diff)^2 = sd1^2 + sd2^2 - 2 r sd1 sd2 with r in [-1, 1] (or a narrower range),
  so p has bounds rather than a value; `implied_correlation` gives the r a reported t or p needs.
- **Counts** (`chi2_from_counts`, `fisher_from_counts`, `check_counts_p`): Pearson chi-square with and
  without Yates' continuity correction and Fisher's exact test (scipy.stats); the verdict says which
  method reproduces the reported p.
- **Whole-group SD** (`combined_sd`, `combined_sd_range`): the SD of the union of subgroups is
  sqrt((sum (n_i - 1) sd_i^2 + sum n_i (m_i - M)^2) / (N - 1)), within variance plus between variance.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from scipy import stats as sps

__all__ = [
    "ChiSquareResult",
    "PairedBounds",
    "SummaryVerdict",
    "TTestResult",
    "check_combined_sd",
    "check_counts_p",
    "check_paired_p",
    "check_ttest_p",
    "chi2_from_counts",
    "combined_mean",
    "combined_sd",
    "combined_sd_range",
    "fisher_from_counts",
    "implied_correlation",
    "p_consistent",
    "paired_t_bounds",
    "ttest_from_stats",
    "ttest_p_range",
]

Status = Literal["consistent", "inconsistent", "unverifiable"]
TTestKind = Literal["student", "welch"]
DEFAULT_P_DECIMALS = 3
MAX_CORNER_GROUPS = 8  # 2**8 corners of the subgroup means is still instant
R_BOUNDS = (-1.0, 1.0)


@dataclass(frozen=True)
class TTestResult:
    t: float
    df: float
    p: float
    kind: TTestKind


@dataclass(frozen=True)
class ChiSquareResult:
    chi2: float
    df: int
    p: float
    yates: bool
    min_expected: float  # below 5: the chi-square approximation is doubtful, Fisher is the better test


@dataclass(frozen=True)
class PairedBounds:
    """Bounds of a paired t-test rebuilt from group summaries over the unknown correlation r."""

    t_min: float
    t_max: float
    p_min: float
    p_max: float
    df: int
    r_range: tuple[float, float]


@dataclass(frozen=True)
class SummaryVerdict:
    """Outcome of a check on summary statistics: status, the expected value or range, a message."""

    check: str
    status: Status
    message: str
    expected: Any = None
    reported: Any = None
    bounds: tuple[float, float] | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _half_unit(decimals: int | None) -> float:
    return 0.0 if decimals is None else 0.5 * 10.0 ** (-decimals)


def _num(x: float) -> str:
    text = f"{x:.3f}"
    return text[1:] if text.startswith("0.") else text


def _rep(p: float) -> str:
    text = f"{p:.10f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("0.") else text


def _fmt_p(p: float) -> str:
    if p < 0.001:
        return "< .001"
    text = f"{p:.3f}"
    return "= " + (text[1:] if text.startswith("0") else text)


# -- two-group t-tests -------------------------------------------------------------------------------


def ttest_from_stats(
    mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int, equal_var: bool = True
) -> TTestResult:
    """Two-sided independent-samples t-test from summaries (Student, or Welch when equal_var=False)."""
    if min(n1, n2) < 2 or min(sd1, sd2) < 0:
        raise ValueError("need n >= 2 per group and non-negative SDs")
    res = sps.ttest_ind_from_stats(mean1, sd1, n1, mean2, sd2, n2, equal_var=equal_var)
    if equal_var:
        df = float(n1 + n2 - 2)
    else:
        v1, v2 = sd1**2 / n1, sd2**2 / n2
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)) if v1 + v2 > 0 else float(n1 + n2 - 2)
    return TTestResult(float(res.statistic), df, float(res.pvalue), "student" if equal_var else "welch")


def _t_p(diff: float, sd1: float, sd2: float, n1: int, n2: int, equal_var: bool) -> float:
    sd1, sd2 = max(sd1, 1e-12), max(sd2, 1e-12)
    if diff == 0:
        return 1.0
    return ttest_from_stats(diff, sd1, n1, 0.0, sd2, n2, equal_var).p


def ttest_p_range(
    mean1: float,
    sd1: float,
    n1: int,
    mean2: float,
    sd2: float,
    n2: int,
    mean_decimals: int | None,
    sd_decimals: int | None,
    equal_var: bool = True,
) -> tuple[float, float]:
    """(p_min, p_max) of the t-test over the rounding intervals of both means and both SDs."""
    hm, hs = _half_unit(mean_decimals), _half_unit(sd_decimals)
    diff = mean1 - mean2
    d_lo, d_hi = diff - 2 * hm, diff + 2 * hm
    small = 0.0 if d_lo <= 0 <= d_hi else min(abs(d_lo), abs(d_hi))
    large = max(abs(d_lo), abs(d_hi))
    sds1, sds2 = (max(0.0, sd1 - hs), sd1 + hs), (max(0.0, sd2 - hs), sd2 + hs)
    ps_max = [_t_p(small, a, b, n1, n2, equal_var) for a in sds1 for b in sds2]
    ps_min = [_t_p(large, a, b, n1, n2, equal_var) for a in sds1 for b in sds2]
    return min(ps_min), max(ps_max)


def p_consistent(
    reported_p: float, p_operator: str, p_min: float, p_max: float, p_decimals: int | None = None
) -> bool:
    """Is a reported p (operator =, <, <=, >, >=) compatible with the range [p_min, p_max]?"""
    decimals = DEFAULT_P_DECIMALS if p_decimals is None else p_decimals
    if p_operator in ("<", "<="):
        return p_min < reported_p or (p_operator == "<=" and p_min <= reported_p)
    if p_operator in (">", ">="):
        return p_max > reported_p or (p_operator == ">=" and p_max >= reported_p)
    return round(p_min, decimals) <= reported_p <= round(p_max, decimals)


def check_ttest_p(
    mean1: float,
    sd1: float,
    n1: int,
    mean2: float,
    sd2: float,
    n2: int,
    reported_p: float,
    p_operator: str = "=",
    p_decimals: int | None = None,
    mean_decimals: int | None = None,
    sd_decimals: int | None = None,
    kinds: Sequence[TTestKind] = ("student", "welch"),
) -> SummaryVerdict:
    """Check a reported two-group p against Student and/or Welch t-tests rebuilt from the summaries.

    Consistent when any of `kinds` covers the reported p within the rounding of the inputs.
    """
    try:
        ranges = {
            kind: ttest_p_range(
                mean1, sd1, n1, mean2, sd2, n2, mean_decimals, sd_decimals, equal_var=kind == "student"
            )
            for kind in kinds
        }
        points = {kind: ttest_from_stats(mean1, sd1, n1, mean2, sd2, n2, kind == "student") for kind in kinds}
    except ValueError as exc:
        return SummaryVerdict("ttest_from_stats", "unverifiable", str(exc), reported=reported_p)
    matching = [
        k for k, (lo, hi) in ranges.items() if p_consistent(reported_p, p_operator, lo, hi, p_decimals)
    ]
    parts = [
        f"{kind.title()} t({points[kind].df:.4g}) = {points[kind].t:.2f}, p {_fmt_p(points[kind].p)} "
        f"(range {_num(ranges[kind][0])}–{_num(ranges[kind][1])})"
        for kind in kinds
    ]
    head = f"{mean1:g} ({sd1:g}), n = {n1} vs {mean2:g} ({sd2:g}), n = {n2}: " + "; ".join(parts)
    reported = f"p {p_operator} {_rep(reported_p)}"
    lo = min(r[0] for r in ranges.values())
    hi = max(r[1] for r in ranges.values())
    if matching:
        msg = f"{head}; reported {reported} matches {', '.join(k.title() for k in matching)}."
        status: Status = "consistent"
    else:
        msg = f"{head}; reported {reported} is outside every range: check the means, SDs, ns or the test."
        status = "inconsistent"
    details = {"matching": matching, "ranges": ranges, "tests": points}
    return SummaryVerdict("ttest_from_stats", status, msg, points[kinds[0]].p, reported_p, (lo, hi), details)


# -- paired t-test from group summaries ---------------------------------------------------------------


def paired_t_bounds(
    mean1: float,
    sd1: float,
    mean2: float,
    sd2: float,
    n: int,
    r_range: tuple[float, float] = R_BOUNDS,
    mean_decimals: int | None = None,
    sd_decimals: int | None = None,
) -> PairedBounds:
    """Bounds of a paired t-test (df = n - 1) over the unknown correlation r and input rounding."""
    if n < 2:
        raise ValueError("a paired t-test needs n >= 2")
    r_lo, r_hi = max(-1.0, r_range[0]), min(1.0, r_range[1])
    hm, hs = _half_unit(mean_decimals), _half_unit(sd_decimals)
    diff = abs(mean1 - mean2)
    d_small = max(0.0, diff - 2 * hm)
    d_large = diff + 2 * hm
    sd_diffs = []
    for a in (max(0.0, sd1 - hs), sd1 + hs):
        for b in (max(0.0, sd2 - hs), sd2 + hs):
            for r in (r_lo, r_hi):
                sd_diffs.append(math.sqrt(max(0.0, a * a + b * b - 2 * r * a * b)))
    # with r = 1 and equal SDs the difference has no spread: the smallest SD(diff) can reach 0
    if r_hi >= 1.0 and abs(sd1 - sd2) <= 2 * hs:
        sd_diffs.append(0.0)
    se_small, se_large = min(sd_diffs) / math.sqrt(n), max(sd_diffs) / math.sqrt(n)
    t_max = math.inf if se_small == 0 else d_large / se_small
    t_min = 0.0 if se_large == 0 else d_small / se_large
    df = n - 1
    p_min = 0.0 if math.isinf(t_max) else float(2 * sps.t.sf(t_max, df))
    p_max = float(2 * sps.t.sf(t_min, df))
    return PairedBounds(t_min, t_max, p_min, p_max, df, (r_lo, r_hi))


def implied_correlation(
    mean1: float, sd1: float, mean2: float, sd2: float, n: int, t: float | None = None, p: float | None = None
) -> float:
    """Correlation r between the two measurements that a reported paired t (or two-sided p) implies.

    Outside [-1, 1] the reported paired test is impossible with these group summaries.
    """
    if t is None:
        if p is None:
            raise ValueError("give t or p")
        t = float(sps.t.isf(p / 2, n - 1))
    if t == 0 or sd1 == 0 or sd2 == 0:
        raise ValueError("t and both SDs must be non-zero")
    sd_diff = abs(mean1 - mean2) * math.sqrt(n) / abs(t)
    return (sd1**2 + sd2**2 - sd_diff**2) / (2 * sd1 * sd2)


def check_paired_p(
    mean1: float,
    sd1: float,
    mean2: float,
    sd2: float,
    n: int,
    reported_p: float,
    p_operator: str = "=",
    p_decimals: int | None = None,
    mean_decimals: int | None = None,
    sd_decimals: int | None = None,
    r_range: tuple[float, float] = R_BOUNDS,
) -> SummaryVerdict:
    """Is a paired-test p possible for two measurements of the same n patients, whatever r is?

    Inconsistent only when the reported p lies outside the bounds over r in `r_range` and the
    rounding of the inputs; for p = x the message gives the correlation that p implies.
    """
    try:
        bounds = paired_t_bounds(mean1, sd1, mean2, sd2, n, r_range, mean_decimals, sd_decimals)
    except ValueError as exc:
        return SummaryVerdict("paired_t_bounds", "unverifiable", str(exc), reported=reported_p)
    ok = p_consistent(reported_p, p_operator, bounds.p_min, bounds.p_max, p_decimals)
    reported = f"p {p_operator} {_rep(reported_p)}"
    implied = ""
    if p_operator == "=" and 0 < reported_p < 1 and sd1 > 0 and sd2 > 0 and mean1 != mean2:
        r = implied_correlation(mean1, sd1, mean2, sd2, n, p=reported_p)
        implied = f"; it {'implies' if -1 <= r <= 1 else 'would need'} r = {r:.2f} between the measurements"
    head = (
        f"Paired {mean1:g} ({sd1:g}) vs {mean2:g} ({sd2:g}), n = {n}: p between "
        f"{'<.001' if bounds.p_min < 0.001 else _num(bounds.p_min)} and "
        f"{_num(bounds.p_max)} for r in [{bounds.r_range[0]:g}, {bounds.r_range[1]:g}]"
    )
    if ok:
        msg = f"{head}; reported {reported} is possible{implied}."
    else:
        msg = f"{head}; reported {reported} is impossible for any such r{implied}: check the summaries or the test."
    details = {"bounds": bounds}
    return SummaryVerdict(
        "paired_t_bounds", "consistent" if ok else "inconsistent", msg, None, reported_p,
        (bounds.p_min, bounds.p_max), details,
    )  # fmt: skip


# -- counts -----------------------------------------------------------------------------------------


def chi2_from_counts(table: Sequence[Sequence[int]], yates: bool = False) -> ChiSquareResult:
    """Pearson chi-square test of independence on a contingency table (Yates only applies to 2x2)."""
    res = sps.chi2_contingency(table, correction=yates)
    expected = res.expected_freq
    return ChiSquareResult(
        float(res.statistic), int(res.dof), float(res.pvalue), yates, float(expected.min())
    )


def fisher_from_counts(table: Sequence[Sequence[int]], alternative: str = "two-sided") -> float:
    """Fisher's exact p for a 2x2 table (scipy.stats.fisher_exact)."""
    return float(sps.fisher_exact(table, alternative=alternative).pvalue)


def check_counts_p(
    table: Sequence[Sequence[int]],
    reported_p: float,
    p_operator: str = "=",
    p_decimals: int | None = None,
) -> SummaryVerdict:
    """Which test on the counts reproduces the reported p: chi-square with/without Yates, Fisher.

    Counts are exact, so each method gives one p; a match is a p that rounds to the reported one.
    """
    rows = [list(r) for r in table]
    if (
        any(c < 0 for r in rows for c in r)
        or any(sum(r) == 0 for r in rows)
        or any(sum(c) == 0 for c in zip(*rows, strict=True))
    ):
        return SummaryVerdict(
            "counts_p", "unverifiable", "a row or column of the table is empty", reported=reported_p
        )
    methods: dict[str, float] = {}
    plain = chi2_from_counts(rows, yates=False)
    methods["chi-square"] = plain.p
    is_2x2 = len(rows) == 2 and all(len(r) == 2 for r in rows)
    if is_2x2:
        methods["chi-square with Yates"] = chi2_from_counts(rows, yates=True).p
        methods["Fisher exact"] = fisher_from_counts(rows)
    matching = [m for m, p in methods.items() if p_consistent(reported_p, p_operator, p, p, p_decimals)]
    listing = "; ".join(f"{m} p {_fmt_p(p)}" for m, p in methods.items())
    reported = f"p {p_operator} {_rep(reported_p)}"
    head = f"Counts {rows}: {listing}"
    if plain.min_expected < 5:
        head += f" (smallest expected count {plain.min_expected:.1f}: chi-square unreliable)"
    if matching:
        status: Status = "consistent"
        msg = f"{head}; reported {reported} matches {', '.join(matching)}."
    else:
        status = "inconsistent"
        msg = f"{head}; reported {reported} matches none of them: check the counts or the test used."
    lo, hi = min(methods.values()), max(methods.values())
    return SummaryVerdict("counts_p", status, msg, methods, reported_p, (lo, hi), {"matching": matching})


# -- whole-group SD from subgroups ----------------------------------------------------------------------


def combined_mean(means: Sequence[float], ns: Sequence[int]) -> float:
    """Mean of the union of subgroups."""
    return sum(m * n for m, n in zip(means, ns, strict=True)) / sum(ns)


def combined_sd(means: Sequence[float], sds: Sequence[float], ns: Sequence[int]) -> float:
    """SD of the union of subgroups: within-group plus between-group sums of squares over N - 1."""
    if len(means) != len(sds) or len(means) != len(ns) or sum(ns) < 2:
        raise ValueError("means, sds and ns must align and total at least 2")
    grand = combined_mean(means, ns)
    within = sum((n - 1) * s * s for s, n in zip(sds, ns, strict=True))
    between = sum(n * (m - grand) ** 2 for m, n in zip(means, ns, strict=True))
    return math.sqrt((within + between) / (sum(ns) - 1))


def combined_sd_range(
    means: Sequence[float],
    sds: Sequence[float],
    ns: Sequence[int],
    mean_decimals: int | None = None,
    sd_decimals: int | None = None,
) -> tuple[float, float]:
    """(min, max) of the whole-group SD over the rounding of the subgroup means and SDs.

    The SD grows with every subgroup SD, so those sit at their bounds; the between-group part is
    searched over the corners of the mean intervals (up to MAX_CORNER_GROUPS groups, else nominal means).
    """
    hm, hs = _half_unit(mean_decimals), _half_unit(sd_decimals)
    sd_lo = [max(0.0, s - hs) for s in sds]
    sd_hi = [s + hs for s in sds]
    if hm and len(means) <= MAX_CORNER_GROUPS:
        corners = [
            [m + sign * hm for m, sign in zip(means, signs, strict=True)]
            for signs in itertools.product((-1, 1), repeat=len(means))
        ]
        # the between part is smallest when the means move together towards each other
        corners.append(list(means))
    else:
        corners = [list(means)]
    lows = [combined_sd(c, sd_lo, ns) for c in corners]
    highs = [combined_sd(c, sd_hi, ns) for c in corners]
    low = min(lows)
    if hm:
        grand = combined_mean(means, ns)
        shrunk = [m + max(-hm, min(hm, grand - m)) for m in means]
        low = min(low, combined_sd(shrunk, sd_lo, ns))
    return low, max(highs)


def check_combined_sd(
    reported_sd: float,
    means: Sequence[float],
    sds: Sequence[float],
    ns: Sequence[int],
    sd_decimals_reported: int | None = None,
    mean_decimals: int | None = None,
    sd_decimals: int | None = None,
) -> SummaryVerdict:
    """Does a whole-group SD agree with the SD implied by its subgroups (table vs table)?"""
    try:
        expected = combined_sd(means, sds, ns)
        lo, hi = combined_sd_range(means, sds, ns, mean_decimals, sd_decimals)
    except ValueError as exc:
        return SummaryVerdict("combined_sd", "unverifiable", str(exc), reported=reported_sd)
    half = _half_unit(sd_decimals_reported)
    ok = lo - half <= reported_sd <= hi + half
    groups = ", ".join(f"{m:g} ({s:g}), n = {n}" for m, s, n in zip(means, sds, ns, strict=True))
    head = f"Subgroups {groups} imply a whole-group SD of {expected:.3g} (range {lo:.3g}–{hi:.3g})"
    if ok:
        msg = f"{head}; reported {reported_sd:g} is consistent."
    else:
        msg = f"{head}; reported {reported_sd:g} is not: check the subgroup or whole-group figures."
    return SummaryVerdict(
        "combined_sd", "consistent" if ok else "inconsistent", msg, expected, reported_sd, (lo, hi)
    )
