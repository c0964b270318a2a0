from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import (
    RE_NUMBER,
    decimals_of,
    find_fractions,
    find_n_of_n,
    find_number_words,
    find_numbers,
    find_ranges,
    parse_number,
    parse_number_words,
    split_respectively,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("720,000", 720000.0),
        ("1,234,567", 1234567.0),
        ("0.05", 0.05),
        ("0·05", 0.05),
        (".05", 0.05),
        ("−.21", -0.21),
        ("−0.91", -0.91),
        ("-3", -3.0),
        ("12", 12.0),
        ("Forty-two", 42.0),
        ("abc", None),
        ("", None),
        ("1.2.3", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "n"), [("0.050", 3), ("12", 0), ("0·5", 1), (".001", 3), ("720,000", 0)])
def test_decimals_of(text: str, n: int) -> None:
    assert decimals_of(text) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Forty-two", 42),
        ("Thirty-eight", 38),
        ("twenty-one percent", 21),
        ("one hundred and five", 105),
        ("two thousand three hundred", 2300),
        ("seven", 7),
        ("seventy", 70),
        ("patients", None),
    ],
)
def test_parse_number_words(text: str, value: int | None) -> None:
    assert parse_number_words(text) == value


def test_find_number_words_spans() -> None:
    text = "Forty-two patients and one hundred and five controls"
    found = find_number_words(text)
    assert [(m.value, text[m.start : m.end]) for m in found] == [
        (42.0, "Forty-two"),
        (105.0, "one hundred and five"),
    ]


def test_find_numbers_does_not_read_inside_words() -> None:
    text = "IL-2 at 10-20 mg, HbA1c −0.5"
    found = [(m.text, m.value) for m in find_numbers(text)]
    # "IL-2" is interleukin 2, never minus two; "10-20" is a range, never minus twenty
    assert ("2", 2.0) in found
    assert ("20", 20.0) in found
    assert ("−0.5", -0.5) in found
    assert all(v >= 0 for t, v in found if t != "−0.5")
    assert "1" not in [t for t, _ in found]  # the 1 in HbA1c


@pytest.mark.parametrize(
    ("text", "low", "high", "quote"),
    [
        ("95% CI 0.4–1.75.", 0.4, 1.75, "0.4–1.75"),
        ("ranging 0.4 to 1.75 mg", 0.4, 1.75, "ranging 0.4 to 1.75"),
        ("rose from 154 to 530% after", 154.0, 530.0, "from 154 to 530%"),
        ("between 2 and 5 cycles", 2.0, 5.0, "between 2 and 5"),
        ("(−0.5 to −0.2)", -0.5, -0.2, "−0.5 to −0.2"),
        ("(0.4-1.75)", 0.4, 1.75, "0.4-1.75"),
    ],
)
def test_find_ranges(text: str, low: float, high: float, quote: str) -> None:
    (r,) = find_ranges(text)
    assert (r.low, r.high) == (low, high)
    assert text[r.start : r.end] == quote


def test_and_without_between_is_not_a_range() -> None:
    assert find_ranges("P = 0.565 and 0.542") == []


def test_n_of_n_and_fraction() -> None:
    text = "12 of 40 (30%) responded and 5 of the 20 patients (25.0 %) progressed"
    a, b = find_n_of_n(text)
    assert (a.numerator, a.denominator, a.percent) == (12, 40, 30.0)
    assert text[a.start : a.end] == "12 of 40 (30%)"
    assert (b.numerator, b.denominator, b.percent) == (5, 20, 25.0)
    (f,) = find_fractions("responses in 12/40 (30%) on 12/05/2001")
    assert (f.numerator, f.denominator, f.percent) == (12, 40, 30.0)


def test_fraction_skips_dates_and_impossible_counts() -> None:
    assert find_fractions("seen on 12/05/2001") == []
    assert find_fractions("ratio 40/12") == []


def test_respectively_distributes_with_own_spans() -> None:
    text = "The two-tailed P = 0.565 and 0.542, respectively."
    (group,) = split_respectively(text)
    assert [(m.value, text[m.start : m.end]) for m in group] == [(0.565, "0.565"), (0.542, "0.542")]


def test_respectively_needs_a_list() -> None:
    assert split_respectively("in 1999. The rate was 12%, respectively") == []


# --- properties --------------------------------------------------------------------------------


@settings(deadline=None)
@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False), st.integers(0, 4))
def test_round_trip_formatted(value: float, places: int) -> None:
    printed = f"{value:.{places}f}"
    assert parse_number(printed) == pytest.approx(float(printed))
    assert decimals_of(printed) == places
    grouped = f"{value:,.{places}f}"
    assert parse_number(grouped) == pytest.approx(float(printed))
    mid_dot = printed.replace(".", "·").replace("-", "−")
    assert parse_number(mid_dot) == pytest.approx(float(printed))


@settings(deadline=None)
@given(st.integers(0, 999_999))
def test_number_words_round_trip(n: int) -> None:
    assert parse_number_words(_spell(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_spans_valid(text: str) -> None:
    parse_number(text)
    parse_number_words(text)
    decimals_of(text)
    for finder in (find_numbers, find_number_words, find_ranges, find_n_of_n, find_fractions):
        for m in finder(text):
            assert 0 <= m.start < m.end <= len(text)
            assert text[m.start : m.end] == m.text
    for group in split_respectively(text):
        for m in group:
            assert text[m.start : m.end] == m.text


@settings(deadline=None)
@given(st.text(alphabet="0123456789.,·−- abc%/()", max_size=40))
def test_found_numbers_parse(text: str) -> None:
    for m in RE_NUMBER.finditer(text):
        assert parse_number(m[0]) is not None


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _spell(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + _spell(rest))
    rest = n % 1000
    return _spell(n // 1000) + " thousand" + ("" if rest == 0 else " " + _spell(rest))
