"""Proportions on an analysis scale (metafor's escalc measures) and back again.

PLO logit, PFT Freeman-Tukey double arcsine, PAS arcsine square root, PLN log, PR raw proportion.
Sampling variances follow escalc's defaults (vtype "LS").
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pooling.settings import PoolSettings

FloatArray = NDArray[np.float64]
# Measures defined at 0 and n events: escalc never adds a continuity correction to them.
NO_CORRECTION = frozenset({"PAS", "PFT"})
PFT_WARNING = (
    "PFT back-transform uses the harmonic mean of the study sizes (metafor's transf.ipft.hm); "
    "with unequal sizes it can misstate the pooled proportion (Schwarzer et al. 2019): prefer PLO"
)


def corrected_counts(
    events: ArrayLike, totals: ArrayLike, settings: PoolSettings
) -> tuple[FloatArray, FloatArray]:
    """Events and totals after the continuity correction (escalc's add/to)."""
    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    if np.any(n <= 0) or np.any(x < 0) or np.any(x > n):
        raise ValueError("each study needs 0 <= events <= total and total > 0")
    if settings.transform in NO_CORRECTION or settings.cc_mode == "none" or settings.cc == 0:
        return x, n
    m = n - x
    if settings.cc_mode == "all":
        fix = np.ones_like(x, dtype=bool)
    else:
        fix = (x == 0) | (m == 0)
    add = np.where(fix, settings.cc, 0.0)
    return x + add, m + add + x + add


def needs_correction(events: ArrayLike, totals: ArrayLike, settings: PoolSettings) -> NDArray[np.bool_]:
    """Which studies the continuity correction touched."""
    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    if settings.transform in NO_CORRECTION or settings.cc_mode == "none" or settings.cc == 0:
        return np.zeros_like(x, dtype=bool)
    if settings.cc_mode == "all":
        return np.ones_like(x, dtype=bool)
    return (x == 0) | (x == n)


def escalc(events: ArrayLike, totals: ArrayLike, settings: PoolSettings) -> tuple[FloatArray, FloatArray]:
    """(yi, vi): each study's proportion on the analysis scale and its sampling variance."""
    x, n = corrected_counts(events, totals, settings)
    p = x / n
    t = settings.transform
    with np.errstate(divide="ignore", invalid="ignore"):
        if t == "PR":
            yi, vi = p, p * (1 - p) / n
        elif t == "PLN":
            yi, vi = np.log(p), 1 / x - 1 / n
        elif t == "PLO":
            yi, vi = np.log(p / (1 - p)), 1 / x + 1 / (n - x)
        elif t == "PAS":
            yi, vi = np.arcsin(np.sqrt(p)), 1 / (4 * n)
        else:  # PFT
            yi = 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))
            vi = 1 / (4 * n + 2)
    return np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)


def pft(p: ArrayLike, n: float) -> FloatArray:
    """metafor's transf.pft: a proportion onto the double-arcsine scale at size n."""
    x = np.asarray(p, dtype=float) * n
    return 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))


def ipft(y: ArrayLike, n: float) -> FloatArray:
    """metafor's transf.ipft: the inverse of `pft` at size n, clipped to [0, 1]."""
    y = np.atleast_1d(np.asarray(y, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.sin(2 * y)
        z = 0.5 * (1 - np.sign(np.cos(2 * y)) * np.sqrt(1 - (s + (s - 1 / s) / n) ** 2))
    z = np.where(y > pft(1.0, n), 1.0, z)
    z = np.where(y < pft(0.0, n), 0.0, z)
    return z


def harmonic_mean(totals: ArrayLike) -> float:
    n = np.asarray(totals, dtype=float)
    return float(1 / np.mean(1 / n))


def back_transform(y: ArrayLike, transform: str, totals: ArrayLike | None = None) -> FloatArray:
    """Values on the analysis scale back to proportions (PFT: harmonic-mean n, with a warning)."""
    y = np.asarray(y, dtype=float)
    if transform == "PR":
        return y
    if transform == "PLO":
        return 1 / (1 + np.exp(-y))
    if transform == "PLN":
        return np.exp(y)
    if transform == "PAS":
        # transf.iarcsin clips to the arcsine's range before squaring the sine
        return np.sin(np.clip(y, 0, np.pi / 2)) ** 2
    if transform == "PFT":
        if totals is None:
            raise ValueError("the PFT back-transform needs the study sizes")
        warnings.warn(PFT_WARNING, UserWarning, stacklevel=2)
        return ipft(y, harmonic_mean(totals)).reshape(y.shape)
    raise ValueError(f"unknown transform {transform!r}")
