"""The number layer: how numbers are printed in papers, and how to read them back.

Everything here works on repaired text (real `−`, `·`, `±`) and returns plain floats plus the
character spans they came from. Nothing here raises on odd input: a string that is not a number
reads as `None`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "PAT_NUMBER",
    "PAT_NUMBER_AFTER_JOIN",
    "PAT_NUMBER_WORD",
    "PAT_RANGE",
    "PAT_N_OF_N",
    "PAT_FRACTION",
    "RE_NUMBER",
    "RE_NUMBER_WORD",
    "RE_RANGE",
    "RE_N_OF_N",
    "RE_FRACTION",
    "NumberMatch",
    "RangeMatch",
    "CountMatch",
    "parse_number",
    "decimals_of",
    "parse_number_words",
    "find_numbers",
    "find_number_words",
    "find_ranges",
    "find_n_of_n",
    "find_fractions",
    "split_respectively",
    "normalize_number_text",
]

# Minus signs as typeset: ASCII hyphen-minus, unicode minus, en dash used as minus.
MINUS_CHARS = "-−–"
# The same as a regex character-class body (hyphen escaped so it never forms a range).
MINUS_CLASS = r"\-−–"
# Decimal points: the full stop and the mid-dot of Lancet-style journals (0·05).
DECIMAL_CHARS = ".·"

# A sign, only when it is not glued to a preceding word or number ("IL-2" is not minus two,
# "10-20" is a range).
PAT_SIGN = r"(?:(?<![\w.·])[-−–])?"
# Thousands groups must be exactly three digits ("720,000", "1,234,567"), so "1,2" stays two numbers.
PAT_THOUSANDS = r"\d{1,3}(?:,\d{3})+(?!\d)"
# A plain integer part.
PAT_INT = r"\d+"
# Fraction after a full stop or mid-dot.
PAT_FRAC = r"[.·]\d+"
# A leading-dot decimal as in APA style (p = .05); not after a digit, to leave "1.5" whole.
PAT_LEADING_DOT = r"(?<!\d)[.·]\d+"

# A whole number: optional sign, then thousands-grouped or plain integer with optional fraction, or
# a leading-dot decimal. No digit or word character may sit on either side, so we never read half
# a token ("A1c", "x2").
PAT_NUMBER = (
    r"(?<![\w.·])"
    rf"(?:[{MINUS_CLASS}])?"
    rf"(?:(?:{PAT_THOUSANDS}|{PAT_INT})(?:{PAT_FRAC})?|{PAT_LEADING_DOT})"
    r"(?![\d])"
)
RE_NUMBER = re.compile(PAT_NUMBER)

_NUMBER_FULL = re.compile(
    rf"\s*(?P<sign>[+{MINUS_CLASS}])?\s*(?P<body>(?:{PAT_THOUSANDS}|{PAT_INT})(?:{PAT_FRAC})?|[.·]\d+)\s*"
)


def normalize_number_text(s: str) -> str:
    """`−0·05` -> `-0.05`, `720,000` -> `720000` (for float())."""
    out = s.strip()
    for ch in MINUS_CHARS:
        out = out.replace(ch, "-")
    return out.replace("·", ".").replace(",", "")


def parse_number(s: str) -> float | None:
    """Read one printed number (`720,000`, `0·05`, `−.21`, `.05`); `None` if `s` is not one."""
    if not isinstance(s, str):
        return None
    m = _NUMBER_FULL.fullmatch(s)
    if m is None:
        return parse_number_words(s)
    body = m["body"].replace("·", ".").replace(",", "")
    try:
        value = float(body)
    except ValueError:  # pragma: no cover - the regex admits only digits
        return None
    if m["sign"] and m["sign"] != "+":
        value = -value
    return value


def decimals_of(s: str) -> int:
    """Digits printed after the decimal point (`0.050` -> 3, `12` -> 0, `0·5` -> 1)."""
    if not isinstance(s, str):
        return 0
    m = re.search(r"[.·](\d+)", s.strip())
    return len(m[1]) if m else 0


# ---------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_ALT = "|".join(TENS)
# "twenty-one", "twenty one", "forty": a tens word optionally joined to a unit by hyphen or space.
PAT_WORD_UNDER_100 = rf"(?:(?:{_TENS_ALT})(?:[-\s](?:{_UNIT_ALT}))?|(?:{_UNIT_ALT}))"
# "one hundred and five", "two thousand three hundred": scale words with optional "and".
PAT_NUMBER_WORD = (
    rf"\b{PAT_WORD_UNDER_100}"
    rf"(?:\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?{PAT_WORD_UNDER_100})?)*\b"
)
RE_NUMBER_WORD = re.compile(PAT_NUMBER_WORD, re.IGNORECASE)


def parse_number_words(s: str) -> int | None:
    """`Forty-two` -> 42, `one hundred and five` -> 105, `twenty-one percent` -> 21; else `None`."""
    if not isinstance(s, str):
        return None
    words = re.split(r"[\s\-]+", s.strip().lower())
    # A trailing "percent"/"per cent"/"%" does not change the count itself.
    while words and words[-1] in {"percent", "per", "cent", "%"}:
        words.pop()
    words = [w for w in words if w and w != "and"]
    if not words:
        return None
    total = 0
    current = 0
    seen = False
    for w in words:
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES:
            if w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * SCALES[w]
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


# ---------------------------------------------------------------------------------------------
# Finding numbers in text
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberMatch:
    value: float
    start: int
    end: int
    text: str
    decimals: int = 0
    word: bool = False  # spelled out ("Forty-two")


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMatch]:
    """Every printed number in `text[start:end]`, spans indexing `text`."""
    out: list[NumberMatch] = []
    for m in RE_NUMBER.finditer(text, start, len(text) if end is None else end):
        value = parse_number(m[0])
        if value is None:  # pragma: no cover
            continue
        out.append(NumberMatch(value, m.start(), m.end(), m[0], decimals_of(m[0])))
    return out


def find_number_words(text: str, start: int = 0, end: int | None = None) -> list[NumberMatch]:
    """Every spelled-out number (`Thirty-eight`, `one hundred and five`) in `text[start:end]`."""
    out: list[NumberMatch] = []
    for m in RE_NUMBER_WORD.finditer(text, start, len(text) if end is None else end):
        value = parse_number_words(m[0])
        if value is None:
            continue
        out.append(NumberMatch(float(value), m.start(), m.end(), m[0], 0, word=True))
    return out


# ---------------------------------------------------------------------------------------------
# Ranges
# ---------------------------------------------------------------------------------------------

# The high end follows a joiner directly, so only a digit/point before it disqualifies it.
PAT_NUMBER_AFTER_JOIN = PAT_NUMBER.replace(r"(?<![\w.·])", r"(?<![\d.·])", 1)
# Range joiners: hyphen or en dash (tight or spaced), "to", "and" after "between", em dash in tables.
PAT_RANGE_JOIN = r"(?:\s*[-–—]\s*|\s+to\s+|\s+and\s+)"
# The low end of a range may carry a unit or percent sign ("154% to 530%", "10 mg to 20 mg").
PAT_RANGE_UNIT = r"(?:\s?%|\s?[A-Za-zµμ/]{1,8}(?:/[A-Za-z0-9²]{1,6})?)?"
# "from 154 to 530%" / "between 2 and 5" / "0.4–1.75": the prefix is optional but "and" needs "between".
PAT_RANGE = (
    r"(?:(?P<prefix>\b(?:from|between|range[ds]?(?:\s+from)?|ranging(?:\s+from)?)\s+))?"
    rf"(?P<low>{PAT_NUMBER})(?P<low_unit>{PAT_RANGE_UNIT})"
    rf"(?P<join>{PAT_RANGE_JOIN})"
    rf"(?P<high>{PAT_NUMBER_AFTER_JOIN})"
    # a percent sign printed only after the high end ("from 154 to 530%") belongs to the range
    r"(?:\s?%)?"
)
RE_RANGE = re.compile(PAT_RANGE)


@dataclass(frozen=True)
class RangeMatch:
    low: float
    high: float
    start: int
    end: int
    text: str
    low_decimals: int = 0
    high_decimals: int = 0


def find_ranges(text: str, start: int = 0, end: int | None = None) -> list[RangeMatch]:
    """Ranges (`0.4–1.75`, `0.4 to 1.75`, `from 154 to 530%`, `between 2 and 5`) as (low, high)."""
    out: list[RangeMatch] = []
    for m in RE_RANGE.finditer(text, start, len(text) if end is None else end):
        join = m["join"].strip()
        if join == "and" and not (m["prefix"] and m["prefix"].lower().startswith("between")):
            continue
        if join in "-–—" and m["low_unit"] and m["low_unit"].strip() not in {"%", ""}:
            continue  # "5 mg-10" is not a tight range we trust
        low_text = m["low"]
        high_text = m["high"]
        # A hyphen joiner swallowed as the high end's minus sign ("0.4-1.75" reads high "-1.75").
        if high_text[0] in MINUS_CHARS and join == "":
            high_text = high_text[1:]
        low = parse_number(low_text)
        high = parse_number(high_text)
        if low is None or high is None:
            continue
        s = m.start("prefix") if m["prefix"] else m.start("low")
        out.append(
            RangeMatch(
                low, high, s, m.end(), text[s : m.end()], decimals_of(low_text), decimals_of(high_text)
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Counts: "n of N (x%)" and "x/N"
# ---------------------------------------------------------------------------------------------

PAT_INT_COUNT = r"(?<![\w.·,])\d{1,3}(?:,\d{3})+(?![\d])|(?<![\w.·,])\d+(?![\d.·])"
# "12 of 40 (30%)", "12 of the 40 patients (30.0 %)": the percent is optional.
PAT_N_OF_N = (
    rf"(?P<num>{PAT_INT_COUNT})\s+of\s+(?:the\s+|all\s+)?(?P<den>{PAT_INT_COUNT})"
    # up to three words ("patients", "evaluable patients") may sit before the percent
    r"(?:(?P<between>(?:\s+[A-Za-z][\w-]*){0,3})"
    rf"\s*[(\[]\s*(?P<pct>{PAT_NUMBER})\s*%\s*[)\]])?"
)
RE_N_OF_N = re.compile(PAT_N_OF_N)
# "12/40 (30%)": slash fractions; not dates ("12/05/2001") and not units ("mg/m2").
PAT_FRACTION = (
    rf"(?<!/)(?<!/\s)(?P<num>{PAT_INT_COUNT})\s?/\s?(?P<den>{PAT_INT_COUNT})(?!\s?/\s?\d)"
    rf"(?:\s*[(\[]\s*(?P<pct>{PAT_NUMBER})\s*%\s*[)\]])?"
)
RE_FRACTION = re.compile(PAT_FRACTION)


@dataclass(frozen=True)
class CountMatch:
    numerator: int
    denominator: int
    percent: float | None
    start: int
    end: int
    text: str


def _count_matches(regex: re.Pattern[str], text: str, start: int, end: int | None) -> list[CountMatch]:
    out: list[CountMatch] = []
    for m in regex.finditer(text, start, len(text) if end is None else end):
        num = parse_number(m["num"])
        den = parse_number(m["den"])
        if num is None or den is None or den == 0 or num > den:
            continue
        pct = parse_number(m["pct"]) if m["pct"] else None
        out.append(CountMatch(int(num), int(den), pct, m.start(), m.end(), m[0]))
    return out


def find_n_of_n(text: str, start: int = 0, end: int | None = None) -> list[CountMatch]:
    """`12 of 40 (30%)` -> CountMatch(12, 40, 30.0); numerator never above denominator."""
    return _count_matches(RE_N_OF_N, text, start, end)


def find_fractions(text: str, start: int = 0, end: int | None = None) -> list[CountMatch]:
    """`12/40 (30%)` -> CountMatch(12, 40, 30.0); dates (`1/2/2001`) are skipped."""
    return _count_matches(RE_FRACTION, text, start, end)


# ---------------------------------------------------------------------------------------------
# "respectively"
# ---------------------------------------------------------------------------------------------

# A list of numbers joined by commas / "and" / "or" / "vs", e.g. "0.565 and 0.542" or "12, 15, and 20".
PAT_LIST_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*;\s*|\s+vs\.?\s+|\s+versus\s+)"
# Up to ~60 characters may sit between the last listed value and "respectively" (units, a
# parenthetical), but no sentence end.
PAT_RESPECTIVELY_TAIL = r"[^.;]{0,60}?\brespectively\b"


def split_respectively(text: str, start: int = 0, end: int | None = None) -> list[list[NumberMatch]]:
    """Lists of numbers that a following `respectively` distributes, each value with its own span.

    `P = 0.565 and 0.542, respectively` -> [[0.565 @..., 0.542 @...]]. Only lists of two or more
    numbers within the same clause before `respectively` are returned.
    """
    stop = len(text) if end is None else end
    out: list[list[NumberMatch]] = []
    for rm in re.finditer(r"\brespectively\b", text[start:stop]):
        r_at = start + rm.start()
        # Look back at most 300 characters, not across a sentence end.
        lo = max(start, r_at - 300)
        window_start = lo
        for sm in re.finditer(r"[.;!?](?=\s+[A-Z(])", text[lo:r_at]):
            window_start = lo + sm.end()
        nums = [n for n in find_numbers(text, window_start, r_at)]
        if len(nums) < 2:
            continue
        # Walk backwards from the number nearest to "respectively", collecting values that are
        # separated only by list separators (optionally after a shared unit/percent sign).
        group = [nums[-1]]
        for prev in reversed(nums[:-1]):
            gap = text[prev.end : group[0].start]
            if re.fullmatch(rf"\s*(?:%|[A-Za-zµμ/]{{1,6}})?{PAT_LIST_SEP}", gap):
                group.insert(0, prev)
            else:
                break
        if len(group) >= 2:
            out.append(group)
    return out
