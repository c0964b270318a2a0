"""audit.grim: GRIM, GRIMMER, DEBIT and scrutiny's rounding procedures."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.grim import (
    debit,
    debit_check,
    decimal_places,
    grim,
    grim_check,
    grim_probability,
    grim_ratio,
    grim_total,
    grimmer,
    grimmer_check,
    reround,
    sd_binary,
)


def test_decimal_places_keeps_trailing_zeros_in_strings() -> None:
    assert decimal_places("5.20") == 2
    assert decimal_places(5.20) == 1
    assert decimal_places("71") == 0
    assert decimal_places(" 6.0 ") == 1


def test_grim_classic_example() -> None:
    assert not grim("5.19", 28)  # Brown & Heathers: impossible for 28 integer scores
    assert grim("5.19", 32)
    assert grim("5.18", 28) and grim("5.21", 28)


def test_grim_items_and_percent() -> None:
    assert grim("2.84", 16, items=2)
    assert not grim("71", 43, percent=True)  # 30/43 = 69.8%, 31/43 = 72.1%
    assert grim("72", 43, percent=True)
    assert grim("5.2", 28, decimals=2) is grim("5.20", 28)


def test_grim_cannot_discriminate_large_n() -> None:
    assert grim("5.19", 100)
    verdict = grim_check("5.19", 100)
    assert verdict.status == "unverifiable" and verdict.consistent


def test_grim_check_message_names_the_nearest_means() -> None:
    verdict = grim_check("5.19", 28)
    assert verdict.status == "inconsistent" and verdict.reason == "GRIM inconsistent"
    assert "5.18 (145/28)" in verdict.message and "5.21 (146/28)" in verdict.message
    pct = grim_check("71", 43, percent=True)
    assert "69.77% (30/43)" in pct.message and "72.09% (31/43)" in pct.message
    assert grim_check("5.21", 28).status == "consistent"


def test_grim_rounding_methods() -> None:
    # 5.225 (= 146.3/28 is not a grain; use n = 40: grains 5.225, 5.250)
    assert grim("5.23", 40, rounding="up") and not grim("5.23", 40, rounding="down")
    assert grim("5.22", 40, rounding="down") and not grim("5.22", 40, rounding="up")
    assert grim("5.22", 40, rounding="up_or_down") and grim("5.23", 40, rounding="up_or_down")
    assert grim("5.22", 40, rounding="floor") and not grim("5.23", 40, rounding="floor")
    with pytest.raises(ValueError):
        grim("5.22", 40, rounding="sideways")


def test_reround() -> None:
    assert reround(0.145, 2) == (0.15, 0.14)
    assert reround(2.5, 0, "even") == (2,)
    assert reround(-2.5, 0, "up") == (-2,)
    assert reround(-2.5, 0, "up", symmetric=True) == (-3,)
    assert reround(4.28, 1, "up_from", threshold=9) == (4.2,)
    assert reround(4.28, 1, "up_from", threshold=1) == (4.3,)
    assert reround(8.421, 2, "anti_trunc") == (8.43,)
    assert reround(-8.439, 2, "trunc") == (-8.43,)


def test_grim_stats() -> None:
    assert grim_total("5.30", 20) == 80
    assert grim_ratio("5.30", 30) == pytest.approx(0.70)
    assert grim_probability("5.30", 120) == 0.0
    assert grim_total("87.50", 45, percent=True) == 9955


def test_grimmer_examples() -> None:
    assert grimmer("5.21", "1.6", 28)
    assert not grimmer("3.44", "2.47", 18)
    assert not grimmer("5.23", "2.55", 35)  # fails test 3 (parity)
    assert grimmer("5.23", "2.55", 31)
    assert grimmer("2.74", "0.96", 63, items=2)
    assert grimmer("2.57", "2.57", 30)  # pigs5 edge case


def test_grimmer_check_reasons() -> None:
    assert grimmer_check("5.23", "2.55", 35).reason == "GRIMMER inconsistent (test 3)"
    assert grimmer_check("5.19", "1.00", 28).reason == "GRIM inconsistent"
    test1 = grimmer_check("5.21", "1.00", 28)
    assert test1.reason == "GRIMMER inconsistent (test 1)" and "nearest possible SDs are" in test1.message
    assert grimmer_check("5.21", "1.6", 28).status == "consistent"
    assert grimmer_check("5.21", "1.6", 1).status == "unverifiable"


def test_debit() -> None:
    pigs3 = [("0.53", "0.50"), ("0.44", "0.50"), ("0.77", "0.42"), ("0.19", "0.35")]
    assert [debit(x, sd, 1683) for x, sd in pigs3] == [True, True, True, False]
    assert sd_binary(0.5, 2) == pytest.approx(0.7071, abs=1e-4)
    verdict = debit_check("0.19", "0.35", 1683)
    assert verdict.status == "inconsistent" and "implies SD 0.389" in verdict.message
    assert debit_check("1.5", "0.3", 20).status == "unverifiable"
    assert not debit("0.36", "0.11", 20)  # sd of 7/20 is 0.49


@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 99), items=st.integers(1, 3), frac=st.floats(0, 1), scale=st.integers(1, 9))
def test_grim_accepts_every_true_mean(n: int, items: int, frac: float, scale: int) -> None:
    k = round(frac * n * items * scale)
    mean = f"{k / (n * items):.2f}"
    assert grim(mean, n, items)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(1, 7), min_size=2, max_size=40))
def test_grimmer_accepts_real_data(values: list[int]) -> None:
    n = len(values)
    mean = sum(values) / n
    sd = (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5
    assert grimmer(f"{mean:.2f}", f"{sd:.2f}", n)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 500), frac=st.floats(0, 1))
def test_debit_accepts_real_binary_data(n: int, frac: float) -> None:
    k = round(frac * n)
    assert debit(f"{k / n:.2f}", f"{sd_binary(k / n, n):.2f}", n)
