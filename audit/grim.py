"""Granularity tests for summaries of integer data: GRIM, GRIMMER and DEBIT.

Follows the R package scrutiny (Jung; 0.6.x), which these functions match on its own test cases
(see bench/scrutiny_parity.py):

- **GRIM** (Brown & Heathers 2017): a mean of n integer scores (or of n scores summed over `items`
  integer items) must be some k / (n * items). The reported mean is consistent when one of the two
  grains around mean * n * items, rounded to the reported decimals, gives the reported mean back.
  Percentages work the same way on the proportion (two more decimals).
- **GRIMMER** (Anaya 2016; Allard's analytic version, with rsprite2's multi-item extension): given a
  GRIM-consistent sum, the sum of squares must be an integer whose SD rounds to the reported SD
  (test 2), with the parity of the sum (test 3).
- **DEBIT** (Heathers & Brown 2019): the mean of binary data is a proportion k / n, and its SD is
  fixed by it: sqrt(n / (n - 1) * p * (1 - p)). Some k must reproduce both reported values.

Rounding: `rounding` names how the authors' software may have rounded; the default "up_or_down"
accepts both directions of a tie (5 rounded up or down), as scrutiny does. Reported values should be
passed as strings so that trailing zeros keep their decimals ("5.20" has 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = [
    "DEFAULT_ROUNDING",
    "ROUNDING_METHODS",
    "GranularityVerdict",
    "debit",
    "debit_check",
    "decimal_places",
    "grim",
    "grim_check",
    "grim_probability",
    "grim_ratio",
    "grim_total",
    "grimmer",
    "grimmer_check",
    "reround",
    "sd_binary",
]

Rounding = Literal[
    "up_or_down",
    "up_from_or_down_from",
    "ceiling_or_floor",
    "even",
    "up",
    "down",
    "up_from",
    "down_from",
    "ceiling",
    "floor",
    "trunc",
    "anti_trunc",
]
ROUNDING_METHODS: tuple[str, ...] = Rounding.__args__  # type: ignore[attr-defined]
DEFAULT_ROUNDING: Rounding = "up_or_down"
DEFAULT_THRESHOLD = 5.0
# scrutiny nudges scaled values by sqrt(eps)/10 so that 0.145 * 100 = 14.4999... still rounds as a tie
ROUNDING_TOLERANCE = math.sqrt(2.220446049250313e-16) / 10
# scrutiny compares with dplyr::near()'s tolerance and widens reconstructed values by 1e-12 ("dust")
NEAR_TOLERANCE = math.sqrt(2.220446049250313e-16)
DUST = 1e-12

Status = Literal["consistent", "inconsistent", "unverifiable"]
Number = str | float | int


@dataclass(frozen=True)
class GranularityVerdict:
    """Outcome of a GRIM / GRIMMER / DEBIT check.

    status is "unverifiable" when the test cannot discriminate (n * items >= 10 ** decimals for GRIM:
    every mean is possible) or the inputs are out of range. `candidates` are the nearest possible
    values (means for GRIM, SDs for GRIMMER and DEBIT), for the message and the reviewer.
    """

    check: Literal["grim", "grimmer", "debit"]
    status: Status
    consistent: bool
    reason: str
    message: str
    reported: str
    n: int
    candidates: tuple[float, ...] = ()


# -- numbers and rounding --------------------------------------------------------------------------


def decimal_places(x: Number) -> int:
    """Decimals as printed ("5.20" -> 2). Floats have lost trailing zeros: pass strings where they matter."""
    if isinstance(x, str):
        text = x.strip()
        return len(text.split(".", 1)[1]) if "." in text else 0
    exponent = Decimal(repr(float(x))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _as_float(x: Number) -> float:
    return float(x.strip()) if isinstance(x, str) else float(x)


def _restore_sign(core: float, x: float) -> float:
    return -core if x < 0 else core


def _tie_offset(threshold: float) -> float:
    return 1 - threshold / 10 + ROUNDING_TOLERANCE


def _round_up_from(x: float, digits: int, threshold: float, symmetric: bool) -> float:
    p10 = 10.0**digits
    if symmetric:
        return _restore_sign(math.floor(abs(x) * p10 + _tie_offset(threshold)) / p10, x)
    return math.floor(x * p10 + _tie_offset(threshold)) / p10


def _round_down_from(x: float, digits: int, threshold: float, symmetric: bool) -> float:
    p10 = 10.0**digits
    if symmetric:
        return _restore_sign(math.ceil(abs(x) * p10 - _tie_offset(threshold)) / p10, x)
    return math.ceil(x * p10 - _tie_offset(threshold)) / p10


def _round_even(x: float, digits: int) -> float:
    return round(x, digits)


def _round_ceiling(x: float, digits: int) -> float:
    p10 = 10.0**digits
    return math.ceil(x * p10 - ROUNDING_TOLERANCE) / p10


def _round_floor(x: float, digits: int) -> float:
    p10 = 10.0**digits
    return math.floor(x * p10 + ROUNDING_TOLERANCE) / p10


def _round_trunc(x: float, digits: int) -> float:
    p10 = 10.0**digits
    return _restore_sign(math.trunc(abs(x) * p10 + ROUNDING_TOLERANCE) / p10, x)


def _round_anti_trunc(x: float, digits: int) -> float:
    p10 = 10.0**digits
    scaled = x * p10
    return _restore_sign(math.trunc(abs(scaled) + ROUNDING_TOLERANCE) + 1, scaled) / p10


def reround(
    x: float,
    digits: int,
    rounding: str = DEFAULT_ROUNDING,
    threshold: float = DEFAULT_THRESHOLD,
    symmetric: bool = False,
) -> tuple[float, ...]:
    """Round a reconstructed value the way the authors may have (scrutiny's reround).

    Compound methods ("up_or_down", "up_from_or_down_from", "ceiling_or_floor") return both results.
    """
    if rounding in ("up_from", "down_from", "up_from_or_down_from") and not 0 < threshold < 10:
        raise ValueError("threshold must lie strictly between 0 and 10")
    if rounding == "up_or_down":
        return _round_up_from(x, digits, 5, symmetric), _round_down_from(x, digits, 5, symmetric)
    if rounding == "up_from_or_down_from":
        return (
            _round_up_from(x, digits, threshold, symmetric),
            _round_down_from(x, digits, threshold, symmetric),
        )
    if rounding == "ceiling_or_floor":
        return _round_ceiling(x, digits), _round_floor(x, digits)
    single = {
        "even": lambda: _round_even(x, digits),
        "up": lambda: _round_up_from(x, digits, 5, symmetric),
        "down": lambda: _round_down_from(x, digits, 5, symmetric),
        "up_from": lambda: _round_up_from(x, digits, threshold, symmetric),
        "down_from": lambda: _round_down_from(x, digits, threshold, symmetric),
        "ceiling": lambda: _round_ceiling(x, digits),
        "floor": lambda: _round_floor(x, digits),
        "trunc": lambda: _round_trunc(x, digits),
        "anti_trunc": lambda: _round_anti_trunc(x, digits),
    }
    if rounding not in single:
        raise ValueError(f"unknown rounding {rounding!r}; one of {', '.join(ROUNDING_METHODS)}")
    return (single[rounding](),)


def _near_any(value: float, candidates: tuple[float, ...] | list[float]) -> bool:
    return any(abs(value - c) < NEAR_TOLERANCE for c in candidates)


def _rounds_to(
    value: float, target: float, digits: int, rounding: str, threshold: float, symmetric: bool
) -> bool:
    # Reconstructed values are widened by scrutiny's "dust" so float noise cannot decide a tie
    return any(
        _near_any(target, reround(v, digits, rounding, threshold, symmetric))
        for v in (value - DUST, value + DUST)
    )


def _fmt(x: float, digits: int) -> str:
    return f"{x:.{digits}f}"


# -- GRIM ----------------------------------------------------------------------------------------


def _grim_inputs(mean: Number, decimals: int | None, percent: bool) -> tuple[float, int]:
    x_num = _as_float(mean)
    digits = decimal_places(mean) if decimals is None else decimals
    if percent:
        x_num /= 100
        digits += 2
    return x_num, digits


def grim(
    mean: Number,
    n: int,
    items: int = 1,
    decimals: int | None = None,
    rounding: str = DEFAULT_ROUNDING,
    percent: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
    symmetric: bool = False,
) -> bool:
    """GRIM: can a mean of n integer scores (over `items` items) print as `mean`? (scrutiny's grim)

    Pass the mean as a string to keep its decimals, or give `decimals`. `percent`: the value is a
    percentage of n. Returns True when consistent, also when GRIM cannot discriminate.
    """
    if n <= 0 or items <= 0:
        raise ValueError("n and items must be positive")
    x_num, digits = _grim_inputs(mean, decimals, percent)
    n_items = n * items
    rec_sum = x_num * n_items
    grains = (math.ceil(rec_sum) / n_items, math.floor(rec_sum) / n_items)
    return any(_rounds_to(g, x_num, digits, rounding, threshold, symmetric) for g in grains)


def grim_total(
    mean: Number, n: int, items: int = 1, decimals: int | None = None, percent: bool = False
) -> int:
    """Number of grains (10 ** decimals) left uncovered by n * items (scrutiny's grim_total)."""
    _, digits = _grim_inputs(mean, decimals, percent)
    return int(10**digits - n * items)


def grim_ratio(
    mean: Number, n: int, items: int = 1, decimals: int | None = None, percent: bool = False
) -> float:
    """Share of inconsistent values among all printable ones; negative when GRIM cannot discriminate."""
    _, digits = _grim_inputs(mean, decimals, percent)
    return grim_total(mean, n, items, decimals, percent) / 10**digits


def grim_probability(
    mean: Number, n: int, items: int = 1, decimals: int | None = None, percent: bool = False
) -> float:
    """Probability that a random mean with these decimals is GRIM-inconsistent (ratio floored at 0)."""
    return max(0.0, grim_ratio(mean, n, items, decimals, percent))


def _possible_means(x_num: float, n_items: int, digits: int) -> tuple[float, float]:
    below = math.floor(x_num * n_items) / n_items
    above = math.ceil(x_num * n_items) / n_items
    if math.isclose(below, above):
        above = (math.floor(x_num * n_items) + 1) / n_items
    return round(below, digits + 2), round(above, digits + 2)


def grim_check(
    mean: Number,
    n: int,
    items: int = 1,
    decimals: int | None = None,
    rounding: str = DEFAULT_ROUNDING,
    percent: bool = False,
) -> GranularityVerdict:
    """GRIM with a verdict and a reviewer's message; unverifiable when n * items >= 10 ** decimals."""
    reported = mean if isinstance(mean, str) else repr(mean)
    if n <= 0 or items <= 0:
        return GranularityVerdict(
            "grim", "unverifiable", True, "bad input", f"n = {n} cannot be tested", reported, n
        )
    x_num, digits = _grim_inputs(mean, decimals, percent)
    n_items = n * items
    unit = "%" if percent else ""
    what = f"{'percentage' if percent else 'mean'} {reported}{unit}"
    scores = f"n = {n} integer scores" + (f" ({items} items each)" if items > 1 else "")
    if n_items >= 10**digits:
        msg = f"GRIM cannot test the {what}: with {scores} every value with {digits} decimals is possible."
        return GranularityVerdict("grim", "unverifiable", True, "n too large", msg, reported, n)
    ok = grim(mean, n, items, decimals, rounding, percent)
    below, above = _possible_means(x_num, n_items, digits)
    k_below, k_above = round(below * n_items), round(above * n_items)
    scale = 100 if percent else 1
    shown = digits  # a percentage shows two more decimals than printed: 69.77%
    if ok:
        msg = f"The {what} is possible for {scores}."
        return GranularityVerdict("grim", "consistent", True, "passed", msg, reported, n, (below, above))
    msg = (
        f"The {what} is impossible for {scores}: the nearest possible values are "
        f"{_fmt(below * scale, shown)}{unit} ({k_below}/{n_items}) and {_fmt(above * scale, shown)}{unit} "
        f"({k_above}/{n_items}); check n or the {'percentage' if percent else 'mean'}."
    )
    return GranularityVerdict(
        "grim", "inconsistent", False, "GRIM inconsistent", msg, reported, n, (below, above)
    )


# -- GRIMMER ---------------------------------------------------------------------------------------


def _grimmer_reason(
    mean: Number,
    sd: Number,
    n: int,
    items: int,
    rounding: str,
    threshold: float,
    symmetric: bool,
    mean_decimals: int | None,
    sd_decimals: int | None,
) -> tuple[bool, str, tuple[float, ...]]:
    if not grim(mean, n, items, mean_decimals, rounding, threshold=threshold, symmetric=symmetric):
        return False, "GRIM inconsistent", ()
    x_num = _as_float(mean)
    sd_num = _as_float(sd)
    digits_x = decimal_places(mean) if mean_decimals is None else mean_decimals
    digits_sd = decimal_places(sd) if sd_decimals is None else sd_decimals
    n_items = n * items
    half_x = 5 / 10 ** (digits_x + 1)
    half_sd = 5 / 10 ** (digits_sd + 1)
    sd_lower = 0.0 if sd_num < half_sd else sd_num - half_sd
    sd_upper = sd_num + half_sd
    # Every integer sum whose mean prints as the reported one (more than one when n is large)
    sums = range(round(max(0.0, x_num - half_x) * n_items), round((x_num + half_x) * n_items) + 1)
    sums_ok = [
        s for s in sums if _rounds_to(s / n_items, x_num, digits_x, rounding, threshold, symmetric)
    ] or [round(x_num * n_items)]
    passed = {1: False, 2: False, 3: False}
    nearest: list[float] = []
    for total in sums_ok:
        x_real = total / n_items
        ss_lower = ((n - 1) * sd_lower**2 + n * x_real**2) * items**2
        ss_upper = ((n - 1) * sd_upper**2 + n * x_real**2) * items**2
        lo, hi = math.ceil(ss_lower), math.floor(ss_upper)
        if lo > hi:
            # Keep the SDs of the two sums of squares either side, for the reviewer's message
            for ss in (hi, lo):
                var = (ss / items**2 - n * x_real**2) / (n - 1)
                if var >= 0:
                    nearest.append(math.sqrt(var))
            continue
        passed[1] = True
        for ss in range(lo, hi + 1):
            var = (ss / items**2 - n * x_real**2) / (n - 1)
            sd_pred = math.sqrt(var) if var >= 0 else float("nan")
            if math.isnan(sd_pred):
                continue
            nearest.append(sd_pred)
            if not _rounds_to(sd_pred, sd_num, digits_sd, rounding, threshold, symmetric):
                continue
            passed[2] = True
            # The sum of squares of integers has the parity of their sum
            if ss % 2 == total % 2:
                passed[3] = True
                return True, "passed", tuple(nearest)
    if not passed[1]:
        return False, "GRIMMER inconsistent (test 1)", tuple(nearest)
    if not passed[2]:
        return False, "GRIMMER inconsistent (test 2)", tuple(nearest)
    return False, "GRIMMER inconsistent (test 3)", tuple(nearest)


def grimmer(
    mean: Number,
    sd: Number,
    n: int,
    items: int = 1,
    rounding: str = DEFAULT_ROUNDING,
    threshold: float = DEFAULT_THRESHOLD,
    symmetric: bool = False,
    mean_decimals: int | None = None,
    sd_decimals: int | None = None,
) -> bool:
    """GRIMMER: are mean, SD and n of integer scores mutually possible? (scrutiny's grimmer)

    Runs GRIM first, then for each possible sum: test 1, an integer sum of squares within the SD's
    rounding interval; test 2, one whose SD rounds to the reported SD; test 3, with the sum's parity.
    """
    if n <= 1 or items <= 0:
        raise ValueError("GRIMMER needs n > 1 and items > 0")
    return _grimmer_reason(mean, sd, n, items, rounding, threshold, symmetric, mean_decimals, sd_decimals)[0]


def grimmer_check(
    mean: Number,
    sd: Number,
    n: int,
    items: int = 1,
    rounding: str = DEFAULT_ROUNDING,
) -> GranularityVerdict:
    """GRIMMER with the failing test named and a reviewer's message."""
    reported = f"{mean} ({sd})"
    if n <= 1 or items <= 0:
        return GranularityVerdict(
            "grimmer", "unverifiable", True, "bad input", f"n = {n} cannot be tested", reported, n
        )
    ok, reason, nearest = _grimmer_reason(mean, sd, n, items, rounding, DEFAULT_THRESHOLD, False, None, None)
    scores = f"n = {n} integer scores" + (f" ({items} items each)" if items > 1 else "")
    if ok:
        msg = f"Mean {mean} with SD {sd} is possible for {scores}."
        return GranularityVerdict("grimmer", "consistent", True, reason, msg, reported, n)
    if reason == "GRIM inconsistent":
        msg = f"Mean {mean} is impossible for {scores} (GRIM), so SD {sd} cannot be checked against it."
    else:
        digits_sd = decimal_places(sd)
        sd_num = _as_float(sd)
        close = sorted(nearest, key=lambda s: abs(s - sd_num))[:2]
        near_text = ", ".join(_fmt(s, digits_sd + 2) for s in sorted(close))
        detail = {
            "GRIMMER inconsistent (test 1)": f"no integer sum of squares fits it; the nearest possible SDs are {near_text}",
            "GRIMMER inconsistent (test 2)": f"the nearest possible SDs are {near_text}",
            "GRIMMER inconsistent (test 3)": "the sums of squares that fit have the wrong parity for the sum",
        }[reason]
        msg = f"SD {sd} is impossible with mean {mean} for {scores}: {detail}."
    return GranularityVerdict(
        "grimmer", "inconsistent", False, reason, msg, reported, n, tuple(sorted(nearest))[:10]
    )


# -- DEBIT ---------------------------------------------------------------------------------------


def sd_binary(proportion: float, n: int) -> float:
    """Sample SD of n binary values with mean `proportion`: sqrt(n / (n - 1) * p * (1 - p))."""
    return math.sqrt(n / (n - 1) * proportion * (1 - proportion))


def _debit_reason(
    mean: Number, sd: Number, n: int, rounding: str, threshold: float, symmetric: bool
) -> tuple[bool, str, tuple[float, ...]]:
    x_num, sd_num = _as_float(mean), _as_float(sd)
    digits_x, digits_sd = decimal_places(mean), decimal_places(sd)
    if not (0 <= x_num <= 1 and 0 <= sd_num <= 1):
        raise ValueError("DEBIT needs a binary mean and SD between 0 and 1")
    half_x = 5 / 10 ** (digits_x + 1)
    # Binary data: the mean is exactly k / n; try every k whose proportion prints as the mean
    ks = range(max(0, math.floor((x_num - half_x) * n)), min(n, math.ceil((x_num + half_x) * n)) + 1)
    ks_ok = [k for k in ks if _rounds_to(k / n, x_num, digits_x, rounding, threshold, symmetric)]
    if not ks_ok:
        return False, "mean impossible for n", ()
    sds = tuple(sd_binary(k / n, n) for k in ks_ok)
    if any(_rounds_to(s, sd_num, digits_sd, rounding, threshold, symmetric) for s in sds):
        return True, "passed", sds
    return False, "SD does not match the mean", sds


def debit(
    mean: Number,
    sd: Number,
    n: int,
    rounding: str = DEFAULT_ROUNDING,
    threshold: float = DEFAULT_THRESHOLD,
    symmetric: bool = False,
) -> bool:
    """DEBIT: are the mean and SD of n binary (0/1) values mutually possible?

    Exact form: some count k with k / n printing as the mean must have the binary SD
    sqrt(n / (n - 1) * p * (1 - p)) printing as the SD. Pass mean and SD as strings.
    """
    if n <= 1:
        raise ValueError("DEBIT needs n > 1")
    return _debit_reason(mean, sd, n, rounding, threshold, symmetric)[0]


def debit_check(mean: Number, sd: Number, n: int, rounding: str = DEFAULT_ROUNDING) -> GranularityVerdict:
    """DEBIT with a verdict and a reviewer's message (unverifiable for values outside [0, 1])."""
    reported = f"{mean} ({sd})"
    try:
        if n <= 1:
            raise ValueError("DEBIT needs n > 1")
        ok, reason, sds = _debit_reason(mean, sd, n, rounding, DEFAULT_THRESHOLD, False)
    except ValueError as exc:
        return GranularityVerdict("debit", "unverifiable", True, "bad input", str(exc), reported, n)
    if ok:
        msg = f"Binary mean {mean} with SD {sd} is possible for n = {n}."
        return GranularityVerdict("debit", "consistent", True, reason, msg, reported, n, sds)
    if not sds:
        msg = f"Binary mean {mean} is impossible for n = {n}: no count k gives k/{n} = {mean}."
    else:
        digits_sd = decimal_places(sd) + 1
        span = (
            f"{_fmt(min(sds), digits_sd)}"
            if len(sds) == 1
            else f"{_fmt(min(sds), digits_sd)}–{_fmt(max(sds), digits_sd)}"
        )
        msg = f"Binary mean {mean} (n = {n}) implies SD {span}, not the reported {sd}."
    return GranularityVerdict("debit", "inconsistent", False, reason, msg, reported, n, sds)
