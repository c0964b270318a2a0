"""Percentages against their counts: k/N with the paper's decimals, rounding told apart from truncation.

Rules (exact rational arithmetic, so 1/8 = 12.5% is a true tie):
- A reported percentage with d decimals (as printed: "73.7" has 1) is reproduced by **conventional
  rounding** when k/N * 100 rounds to it, half up or half down (ties are accepted both ways, as
  software differs). Failing that, **truncation** (cutting the digits) or **ceiling** may reproduce
  it: the verdict says which, e.g. 14/19 = 73.68% gives 74% by rounding and 73% only by truncation.
- Without k, a percentage of N is possible only if some k in 0..N reproduces it (GRIM for
  percentages): 71% of 43 is impossible, as 30/43 = 69.77% and 31/43 = 72.09%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = [
    "PercentVerdict",
    "check_percent",
    "feasible_counts",
    "feasible_denominators",
    "percent_decimals",
    "percent_of",
    "reproducing_methods",
]

Status = Literal["consistent", "inconsistent", "unverifiable"]
Method = Literal["rounding", "truncation", "ceiling"]
METHODS: tuple[Method, ...] = ("rounding", "truncation", "ceiling")
DEFAULT_METHODS: tuple[Method, ...] = ("rounding",)
DEFAULT_MAX_DENOMINATOR = 10_000


@dataclass(frozen=True)
class PercentVerdict:
    """Outcome of `check_percent`.

    status: consistent when conventional rounding (or, with k unknown, some k) reproduces the
    percentage; also consistent, with method "truncation"/"ceiling", when only that procedure does
    (a reporting habit worth a note, not an error); inconsistent when nothing does.
    expected: the percentage by conventional rounding (k given) or None; feasible: the counts k.
    """

    status: Status
    method: Method | None
    message: str
    reported: str
    n: int
    k: int | None = None
    expected: str | None = None
    exact: float | None = None
    feasible: tuple[int, ...] = ()


def percent_decimals(percent: str | float) -> int:
    """Decimals as printed ("73.0" -> 1); a float has lost trailing zeros: pass strings."""
    if isinstance(percent, str):
        text = percent.strip().rstrip("%").strip()
        return len(text.split(".", 1)[1]) if "." in text else 0
    exponent = Decimal(repr(float(percent))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _as_fraction(percent: str | float) -> Fraction:
    text = percent.strip().rstrip("%").strip() if isinstance(percent, str) else repr(float(percent))
    return Fraction(text)


def percent_of(k: int, n: int) -> float:
    """k / n as a percentage."""
    if n <= 0:
        raise ValueError("N must be positive")
    return 100 * k / n


def _candidates(k: int, n: int, decimals: int) -> dict[Method, set[Fraction]]:
    scaled = Fraction(100 * k, n) * 10**decimals
    unit = Fraction(1, 10**decimals)
    half_up = math.floor(scaled + Fraction(1, 2))
    half_down = math.ceil(scaled - Fraction(1, 2))
    return {
        "rounding": {half_up * unit, half_down * unit},
        "truncation": {math.floor(scaled) * unit},
        "ceiling": {math.ceil(scaled) * unit},
    }


def reproducing_methods(k: int, n: int, percent: str | float, decimals: int | None = None) -> list[Method]:
    """Which procedures turn k/n into the reported percentage (rounding, truncation, ceiling)."""
    digits = percent_decimals(percent) if decimals is None else decimals
    target = _as_fraction(percent)
    cands = _candidates(k, n, digits)
    return [m for m in METHODS if target in cands[m]]


def feasible_counts(
    percent: str | float,
    n: int,
    decimals: int | None = None,
    methods: tuple[Method, ...] = DEFAULT_METHODS,
) -> list[int]:
    """All counts k in 0..n whose percentage of n gives the reported value by one of `methods`."""
    if n <= 0:
        raise ValueError("N must be positive")
    digits = percent_decimals(percent) if decimals is None else decimals
    target = _as_fraction(percent)
    centre = target * n / 100
    # only counts within one unit of the percentage's last decimal can reproduce it
    slack = Fraction(n, 100 * 10**digits) + 1
    lo, hi = max(0, math.floor(centre - slack)), min(n, math.ceil(centre + slack))
    return [k for k in range(lo, hi + 1) if any(target in _candidates(k, n, digits)[m] for m in methods)]


def feasible_denominators(
    k: int,
    percent: str | float,
    decimals: int | None = None,
    n_max: int = DEFAULT_MAX_DENOMINATOR,
    methods: tuple[Method, ...] = DEFAULT_METHODS,
) -> list[int]:
    """All N (k <= N <= n_max) for which k/N gives the reported percentage."""
    digits = percent_decimals(percent) if decimals is None else decimals
    target = _as_fraction(percent)
    out = []
    for n in range(max(1, k), n_max + 1):
        if any(target in _candidates(k, n, digits)[m] for m in methods):
            out.append(n)
    return out


def _fmt(value: Fraction | float, decimals: int) -> str:
    return f"{float(value):.{decimals}f}"


def check_percent(
    percent: str | float,
    n: int,
    k: int | None = None,
    decimals: int | None = None,
) -> PercentVerdict:
    """Check a reported percentage of N, against its count k when known (see the module rules)."""
    reported = percent if isinstance(percent, str) else repr(percent)
    if n <= 0 or (k is not None and not 0 <= k <= n):
        return PercentVerdict(
            "unverifiable", None, f"count {k} of N = {n} is not a proportion", reported, n, k
        )
    digits = percent_decimals(percent) if decimals is None else decimals
    shown = f"{_fmt(_as_fraction(percent), digits)}%"
    if k is not None:
        exact = Fraction(100 * k, n)
        cands = _candidates(k, n, digits)
        rounded = sorted(cands["rounding"])
        expected = " or ".join(f"{_fmt(r, digits)}%" for r in rounded)
        methods = reproducing_methods(k, n, percent, digits)
        head = f"{k}/{n} = {_fmt(exact, 2 if digits < 2 else digits + 1)}%"
        if "rounding" in methods:
            msg = f"{head} → {shown} by conventional rounding."
            return PercentVerdict("consistent", "rounding", msg, reported, n, k, expected, float(exact))
        if methods:
            how = methods[0]
            msg = f"{head} → {expected} by conventional rounding; {shown} only by {how}."
            return PercentVerdict("consistent", how, msg, reported, n, k, expected, float(exact))
        feasible = tuple(feasible_counts(percent, n, digits))
        alt = f"; {shown} of {n} needs k = {', '.join(map(str, feasible))}" if feasible else ""
        msg = f"{head} → {expected}, not the reported {shown}{alt}: check the count, N or the percentage."
        return PercentVerdict("inconsistent", None, msg, reported, n, k, expected, float(exact), feasible)
    feasible = tuple(feasible_counts(percent, n, digits))
    if feasible:
        ks = ", ".join(f"{c}/{n}" for c in feasible)
        msg = f"{shown} of N = {n} is possible ({ks})."
        return PercentVerdict("consistent", "rounding", msg, reported, n, None, None, None, feasible)
    truncated = tuple(feasible_counts(percent, n, digits, ("truncation", "ceiling")))
    target = _as_fraction(percent) * n / 100
    below, above = math.floor(target), math.ceil(target)
    if below == above:
        above += 1
    near = f"{below}/{n} = {_fmt(Fraction(100 * below, n), digits + 2)}% and {above}/{n} = " + (
        f"{_fmt(Fraction(100 * above, n), digits + 2)}%"
    )
    if truncated:
        msg = f"{shown} of N = {n} comes from no count by conventional rounding ({near}); only by truncation."
        return PercentVerdict("consistent", "truncation", msg, reported, n, None, None, None, truncated)
    msg = f"{shown} is impossible for N = {n}: {near}; check N or the percentage."
    return PercentVerdict("inconsistent", None, msg, reported, n)
