"""pooling/ agrees with metafor 3.8 (committed fixtures from bench/metafor_reference.R) and statsmodels."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from pooling import PFT_WARNING, PoolSettings, pool
from pooling.transforms import back_transform, escalc, ipft, pft

FIXTURES = Path(__file__).parent / "fixtures" / "metafor"
DATASETS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.json"))}
CASES = [(name, fit) for name, data in DATASETS.items() for fit in data["fits"]]
TOL = 1e-6


def fitted(name: str, measure: str, method: str):
    data = DATASETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the PFT back-transform warns by design
        return pool(data["xi"], data["ni"], {"transform": measure, "method": method})


def test_fixtures_cover_every_measure_and_method_with_zero_events() -> None:
    assert {(f["measure"], f["method"]) for _, f in CASES} == {
        (m, e) for m in ("PLO", "PFT", "PAS", "PLN", "PR") for e in ("EE", "DL", "REML", "PM")
    }
    zero = DATASETS["zero_events"]
    assert 0 in zero["xi"] and any(x == n for x, n in zip(zero["xi"], zero["ni"], strict=True))


@pytest.mark.parametrize(("name", "fit"), CASES, ids=[f"{n}-{f['measure']}-{f['method']}" for n, f in CASES])
def test_agrees_with_metafor(name: str, fit: dict) -> None:
    r = fitted(name, fit["measure"], fit["method"])
    got = {
        "yi": [s.yi for s in r.studies],
        "vi": [s.vi for s in r.studies],
        "weights": [s.weight for s in r.studies],
        "estimate": r.estimate_t,
        "se": r.se,
        "ci_lb": r.ci_lb_t,
        "ci_ub": r.ci_ub_t,
        "pi_lb": r.pi_lb_t,
        "pi_ub": r.pi_ub_t,
        "tau2": r.tau2,
        "i2": r.i2,
        "h2": r.h2,
        "q": r.q,
        "q_p": r.q_p,
        "estimate_back": r.estimate,
        "ci_lb_back": r.ci_lb,
        "ci_ub_back": r.ci_ub,
        "pi_lb_back": r.pi_lb,
        "pi_ub_back": r.pi_ub,
    }
    for key, value in got.items():
        np.testing.assert_allclose(value, fit[key], rtol=0, atol=TOL, err_msg=key)


def test_worked_example_pritz1997_logit_reml() -> None:
    # metafor's documented analysis of dat.pritz1997: rma(measure="PLO", xi, ni), back-transformed
    r = fitted("pritz1997", "PLO", "REML")
    ref = next(f for f in DATASETS["pritz1997"]["fits"] if (f["measure"], f["method"]) == ("PLO", "REML"))
    assert r.k == 14
    assert r.estimate == pytest.approx(ref["estimate_back"], abs=1e-9)
    assert 0.7 < r.estimate < 0.9 and r.ci_lb < r.estimate < r.ci_ub


@pytest.mark.parametrize("name", ["pritz1997", "zero_events", "corpus_like"])
@pytest.mark.parametrize(("method", "method_re"), [("DL", "dl"), ("PM", "pm")])
def test_agrees_with_statsmodels(name: str, method: str, method_re: str) -> None:
    r = fitted(name, "PLO", method)
    yi = np.array([s.yi for s in r.studies])
    vi = np.array([s.vi for s in r.studies])
    # statsmodels stops Paule-Mandel at atol 1e-5 by default; tighten it like the metafor fixtures
    sm = (
        combine_effects(yi, vi, method_re=method_re, atol=1e-12, maxiter=1000)
        if method == "PM"
        else combine_effects(yi, vi, method_re=method_re)
    )
    assert sm.tau2 == pytest.approx(r.tau2, abs=TOL)
    assert sm.mean_effect_re == pytest.approx(r.estimate_t, abs=TOL)
    assert sm.sd_eff_w_re == pytest.approx(r.se, abs=TOL)
    assert sm.q == pytest.approx(r.q, abs=TOL)
    re_row = sm.summary_frame().loc["random effect"]
    assert (re_row["ci_low"], re_row["ci_upp"]) == pytest.approx((r.ci_lb_t, r.ci_ub_t), abs=TOL)
    if method == "DL":  # statsmodels' I^2 is (Q - df)/Q, which is metafor's definition only for DL
        assert 100 * sm.i2 == pytest.approx(r.i2, abs=TOL)


def test_zero_and_all_event_studies_get_the_continuity_correction_only_where_needed() -> None:
    r = pool([0, 5, 10], [20, 20, 10], {"transform": "PLO", "method": "DL"})
    assert [s.corrected for s in r.studies] == [True, False, True]
    assert r.studies[0].yi == pytest.approx(np.log(0.5 / 20.5))
    assert r.studies[2].yi == pytest.approx(np.log(10.5 / 0.5))
    # arcsine-type measures are defined at 0 and n: no correction, as in escalc
    r = pool([0, 5, 10], [20, 20, 10], {"transform": "PAS", "method": "DL"})
    assert not any(s.corrected for s in r.studies) and r.studies[0].yi == 0.0


def test_without_correction_a_zero_event_logit_is_refused() -> None:
    with pytest.raises(ValueError, match="undefined"):
        pool([0, 5], [20, 20], {"cc_mode": "none"})


def test_all_zero_studies_pool_to_a_small_proportion() -> None:
    r = pool([0, 0, 0], [30, 40, 50], {"method": "REML"})
    assert r.tau2 == 0 and 0 < r.estimate < 0.03 and r.ci_lb < r.estimate


def test_pft_back_transform_warns_and_uses_the_harmonic_mean() -> None:
    with pytest.warns(UserWarning, match="harmonic mean"):
        r = pool([3, 17, 8], [20, 24, 60], {"transform": "PFT", "method": "DL"})
    assert PFT_WARNING in r.warnings
    nhm = 1 / np.mean(1 / np.array([20, 24, 60]))
    assert r.estimate == pytest.approx(float(ipft(r.estimate_t, nhm)[0]))


def test_pft_and_its_inverse_round_trip() -> None:
    p = np.linspace(0.01, 0.99, 25)
    np.testing.assert_allclose(ipft(pft(p, 40.0), 40.0), p, atol=1e-12)
    assert ipft(pft(0.0, 40.0) - 0.01, 40.0)[0] == 0.0 and ipft(np.pi / 2, 40.0)[0] == 1.0


@pytest.mark.parametrize("transform", ["PLO", "PAS", "PLN", "PR"])
def test_back_transform_inverts_escalc_for_single_studies(transform: str) -> None:
    yi, _ = escalc([7], [20], PoolSettings(transform=transform))
    assert back_transform(yi, transform)[0] == pytest.approx(7 / 20)


def test_single_study_pools_to_itself() -> None:
    r = pool([7], [20], {"method": "REML"})
    assert r.k == 1 and r.tau2 == 0 and r.estimate == pytest.approx(0.35) and r.q_df == 0


def test_settings_validate_and_resolve() -> None:
    assert PoolSettings.resolve({"transform": "pft", "method": "pm"}) == PoolSettings(
        transform="PFT", method="PM"
    )
    assert PoolSettings.resolve(None).transform == "PLO"
    with pytest.raises(ValueError, match="transform"):
        PoolSettings(transform="LOGIT")
    with pytest.raises(ValueError, match="unknown"):
        PoolSettings.resolve({"estimator": "DL"})
    with pytest.raises(ValueError, match="events"):
        pool([5], [3])
