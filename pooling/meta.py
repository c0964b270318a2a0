"""Inverse-variance pooling of proportions, the way metafor's rma.uni does it (intercept-only model).

tau^2 estimators: EE (none), DL (DerSimonian-Laird), REML (Fisher scoring, truncated at 0),
PM (Paule-Mandel: generalised Q equals k - 1). Wald-type CI and prediction interval on the normal
distribution (rma's default test="z"); I^2 and H^2 as metafor defines them for each model.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from pooling.settings import PoolSettings
from pooling.transforms import FloatArray, back_transform, escalc, needs_correction


@dataclass(frozen=True)
class Study:
    """One study's contribution on the analysis scale and as a proportion."""

    label: str
    events: int
    total: int
    yi: float
    vi: float
    weight: float  # percent of the total weight in the model that was fitted
    proportion: float  # back-transformed yi
    ci_lb: float
    ci_ub: float
    corrected: bool  # the continuity correction was added


@dataclass(frozen=True)
class Pooled:
    """A fitted model: on the analysis scale (`*_t`) and back-transformed to a proportion."""

    transform: str
    method: str
    level: float
    k: int
    estimate_t: float
    se: float
    ci_lb_t: float
    ci_ub_t: float
    pi_lb_t: float
    pi_ub_t: float
    estimate: float
    ci_lb: float
    ci_ub: float
    pi_lb: float
    pi_ub: float
    tau2: float
    i2: float  # percent
    h2: float
    q: float
    q_df: int
    q_p: float
    studies: list[Study] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def fixed_estimate(yi: FloatArray, vi: FloatArray, tau2: float) -> tuple[float, float, FloatArray]:
    """(estimate, se, weights) of the inverse-variance mean at a given tau^2."""
    w = 1 / (vi + tau2)
    est = float(np.sum(w * yi) / np.sum(w))
    return est, float(np.sqrt(1 / np.sum(w))), w


def cochran_q(yi: FloatArray, vi: FloatArray) -> float:
    est, _, w = fixed_estimate(yi, vi, 0.0)
    return float(np.sum(w * (yi - est) ** 2))


def tau2_dl(yi: FloatArray, vi: FloatArray) -> float:
    w = 1 / vi
    c = np.sum(w) - np.sum(w**2) / np.sum(w)
    return max(0.0, float((cochran_q(yi, vi) - (len(yi) - 1)) / c))


def tau2_reml(yi: FloatArray, vi: FloatArray, settings: PoolSettings) -> float:
    """Fisher scoring on the restricted likelihood, as rma.uni, started from the DL value."""
    tau2 = tau2_dl(yi, vi)
    for _ in range(settings.max_iter):
        w = 1 / (vi + tau2)
        # P = W - W 1 (1'W1)^-1 1'W for the intercept-only model, never formed as a k x k matrix
        py = w * yi - w * np.sum(w * yi) / np.sum(w)
        tr_p = np.sum(w) - np.sum(w**2) / np.sum(w)
        tr_pp = np.sum(w**2) - 2 * np.sum(w**3) / np.sum(w) + (np.sum(w**2) / np.sum(w)) ** 2
        step = (np.sum(py**2) - tr_p) / tr_pp
        new = tau2 + step
        while new < 0 and step != 0:  # step halving keeps the iterate in the parameter space
            step /= 2
            new = tau2 + step
            if abs(step) < settings.tol:
                new = 0.0
        if abs(new - tau2) < settings.tol:
            return max(0.0, float(new))
        tau2 = max(0.0, float(new))
    raise ArithmeticError("REML tau^2 did not converge")


def tau2_pm(yi: FloatArray, vi: FloatArray, settings: PoolSettings) -> float:
    """Root of the generalised Q statistic minus its expectation k - 1; 0 when Q(0) <= k - 1."""
    k = len(yi)

    def excess(tau2: float) -> float:
        est, _, w = fixed_estimate(yi, vi, tau2)
        return float(np.sum(w * (yi - est) ** 2) - (k - 1))

    if excess(0.0) <= 0:
        return 0.0
    upper = max(100.0, 10 * float(np.var(yi, ddof=1)))
    while excess(upper) > 0:
        upper *= 10
    from scipy.optimize import brentq  # imported here: scipy.optimize is slow to import and PM-only

    return float(
        brentq(excess, 0.0, upper, xtol=settings.tol, rtol=4 * np.finfo(float).eps, maxiter=settings.max_iter)
    )


def estimate_tau2(yi: FloatArray, vi: FloatArray, settings: PoolSettings) -> float:
    if len(yi) < 2 or settings.method == "EE":
        return 0.0
    if settings.method == "DL":
        return tau2_dl(yi, vi)
    if settings.method == "REML":
        return tau2_reml(yi, vi, settings)
    return tau2_pm(yi, vi, settings)


def heterogeneity(yi: FloatArray, vi: FloatArray, tau2: float, method: str) -> tuple[float, float]:
    """(I^2 in percent, H^2) as metafor reports them for this model."""
    k = len(yi)
    if k < 2:
        return 0.0, 1.0
    if method == "EE":
        q = cochran_q(yi, vi)
        return (max(0.0, 100 * (q - (k - 1)) / q) if q > 0 else 0.0), q / (k - 1)
    w = 1 / vi
    vt = (k - 1) * np.sum(w) / (np.sum(w) ** 2 - np.sum(w**2))  # "typical" within-study variance
    return float(100 * tau2 / (vt + tau2)), float((vt + tau2) / vt)


def pool(
    events: ArrayLike,
    totals: ArrayLike,
    settings: PoolSettings | dict | None = None,
    labels: list[str] | None = None,
) -> Pooled:
    """Pool k proportions events/totals; see PoolSettings for the transform, estimator and correction."""
    cfg = PoolSettings.resolve(settings)
    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    if x.shape != n.shape or x.ndim != 1 or len(x) == 0:
        raise ValueError("events and totals must be equal-length, non-empty sequences")
    yi, vi = escalc(x, n, cfg)
    if not np.all(np.isfinite(yi)) or not np.all(np.isfinite(vi)) or np.any(vi <= 0):
        raise ValueError(f"{cfg.transform} is undefined for some study (zero events with cc_mode='none'?)")
    tau2 = estimate_tau2(yi, vi, cfg)
    est, se, w = fixed_estimate(yi, vi, tau2)
    z = float(special.ndtri(1 - (1 - cfg.level) / 2))
    q, k = cochran_q(yi, vi), len(yi)
    i2, h2 = heterogeneity(yi, vi, tau2, cfg.method)
    pi_half = z * np.sqrt(se**2 + tau2)
    t_values = np.array([est, est - z * se, est + z * se, est - pi_half, est + pi_half])
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        back = back_transform(t_values, cfg.transform, n)
        study_p = back_transform(yi, cfg.transform, n)
        half = z * np.sqrt(vi)
        study_lb = back_transform(yi - half, cfg.transform, n)
        study_ub = back_transform(yi + half, cfg.transform, n)
    caught = sorted({str(m.message) for m in seen})
    for message in caught:
        warnings.warn(message, UserWarning, stacklevel=2)
    corrected = needs_correction(x, n, cfg)
    names = labels or [f"study {i + 1}" for i in range(k)]
    studies = [
        Study(
            label=names[i],
            events=int(x[i]),
            total=int(n[i]),
            yi=float(yi[i]),
            vi=float(vi[i]),
            weight=float(100 * w[i] / np.sum(w)),
            proportion=float(study_p[i]),
            ci_lb=float(study_lb[i]),
            ci_ub=float(study_ub[i]),
            corrected=bool(corrected[i]),
        )
        for i in range(k)
    ]
    return Pooled(
        transform=cfg.transform,
        method=cfg.method,
        level=cfg.level,
        k=k,
        estimate_t=est,
        se=se,
        ci_lb_t=float(t_values[1]),
        ci_ub_t=float(t_values[2]),
        pi_lb_t=float(t_values[3]),
        pi_ub_t=float(t_values[4]),
        estimate=float(back[0]),
        ci_lb=float(back[1]),
        ci_ub=float(back[2]),
        pi_lb=float(back[3]),
        pi_ub=float(back[4]),
        tau2=tau2,
        i2=i2,
        h2=h2,
        q=q,
        q_df=k - 1,
        q_p=float(special.chdtrc(k - 1, q)) if k > 1 else 1.0,
        studies=studies,
        warnings=caught,
    )
