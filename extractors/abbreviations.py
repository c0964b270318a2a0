"""Abbreviations a paper defines, found with the Schwartz–Hearst algorithm.

`million International Units (MIU)`, `maximum tolerated dose (MTD)`, `interleukin 6 (IL-6)` in the
running text, and `Cis = Cisplatin; Dox = Doxorubicin` in table legends, give a dict short -> long.
The entity components use it to resolve units (a paper's `mIU` may mean million IU) and agents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_MAX_SHORT_LENGTH",
    "AbbreviationSettings",
    "Abbreviation",
    "find_abbreviations",
    "find_abbreviation_spans",
    "match_long_form",
    "join_hyphenated",
]

DEFAULT_MAX_SHORT_LENGTH = 10
DEFAULT_MAX_SHORT_WORDS = 2

# "long form (SF)": the parenthesis holds 1-10 characters without a space-separated clause; an
# optional trailing token after ")" ("(IL) 2") is not part of the short form.
PAT_PAREN = re.compile(r"\((?P<short>[^()\n]{1," + str(DEFAULT_MAX_SHORT_LENGTH) + r"})\)")
# Table legends define abbreviations as "SF = long form" separated by ";" or "," ("Cis = Cisplatin;
# NS = nonsignificant."). The long form runs to the next ";" or a full stop at the end of a line.
PAT_LEGEND = re.compile(
    r"(?:^|(?<=[;\n]))\s*(?P<short>[A-Za-z0-9][\w\-]{0,9})\s=\s(?P<long>[A-Za-z0-9][^;=\n]{1,80}?)\s*(?=;|\.\s*$|\.\n|\n|$)",
    re.MULTILINE,
)
# Short forms that are really statistics or sample sizes ("n = 20", "P < 0.05", "95% CI").
PAT_NOT_SHORT = re.compile(r"[=<>±%]|^\s*(?:n|p|P|r|t|F|df|i\.?e|e\.?g|see|ref)\b|^\d+(?:[.,]\d+)*$|^[ivx]+$")
# Text that marks the end of the candidate long form (sentence or clause boundary).
PAT_LONG_BOUNDARY = re.compile(r"[.;:!?\[\]()]")


@dataclass(frozen=True)
class AbbreviationSettings:
    max_short_length: int = DEFAULT_MAX_SHORT_LENGTH
    max_short_words: int = DEFAULT_MAX_SHORT_WORDS

    def __post_init__(self) -> None:
        if self.max_short_length < 1 or self.max_short_words < 1:
            raise ValueError("abbreviation limits must be positive")

    @classmethod
    def resolve(cls, value: AbbreviationSettings | Mapping[str, Any] | None) -> AbbreviationSettings:
        if value is None:
            return cls()
        if isinstance(value, AbbreviationSettings):
            return value
        return cls(**dict(value))


@dataclass(frozen=True)
class Abbreviation:
    short: str
    long: str
    start: int  # of the long form
    end: int  # after the short form's closing parenthesis (or the legend entry)


def match_long_form(short: str, candidate: str) -> str | None:
    """Schwartz–Hearst: the shortest tail of `candidate` whose letters spell `short` in order.

    Every alphanumeric character of the short form must be found, right to left, in the long form,
    and the short form's first character must start a word of the long form.
    """
    s = short.lower()
    c = candidate.lower()
    si = len(s) - 1
    li = len(c) - 1
    while si >= 0:
        ch = s[si]
        if not ch.isalnum():
            si -= 1
            continue
        while li >= 0 and (c[li] != ch or (si == 0 and li > 0 and c[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    start = candidate.rfind(" ", 0, li + 1) + 1
    long = candidate[start:].strip()
    if not long or long.lower() == short.lower() or len(long) <= len(short):
        return None
    return long


# A word broken at a line end: "necro-\nsis" joins to "necrosis", but "177Lu-\nDOTATATE" keeps its hyphen.
PAT_SOFT_HYPHEN = re.compile(r"(?<=[a-z])-\s*\n\s*(?=[a-z])")
PAT_HARD_HYPHEN = re.compile(r"-\s*\n\s*")


def join_hyphenated(text: str) -> str:
    """Undo line-end hyphenation (the text keeps its offsets elsewhere; this is for reading words)."""
    return PAT_HARD_HYPHEN.sub("-", PAT_SOFT_HYPHEN.sub("", text))


def _is_short_form(short: str, settings: AbbreviationSettings) -> bool:
    short = short.strip()
    if not short or len(short) > settings.max_short_length:
        return False
    if len(short.split()) > settings.max_short_words or "," in short:
        return False
    if not short[0].isalnum() or not any(ch.isalpha() for ch in short):
        return False
    return not PAT_NOT_SHORT.search(short)


def find_abbreviation_spans(
    text: str, settings: AbbreviationSettings | Mapping[str, Any] | None = None
) -> list[Abbreviation]:
    """Every definition in `text`, in order, with the long form's offsets."""
    settings = AbbreviationSettings.resolve(settings)
    out: list[Abbreviation] = []
    for m in PAT_PAREN.finditer(text):
        short = m["short"].strip()
        if not _is_short_form(short, settings):
            continue
        # Candidate long form: up to min(|SF| + 5, 2 |SF|) words before the parenthesis, within the clause.
        before = text[max(0, m.start() - 300) : m.start()]
        cut = [b.end() for b in PAT_LONG_BOUNDARY.finditer(before)]
        if cut:
            before = before[cut[-1] :]
        words = join_hyphenated(before).split()
        n_words = min(len(short) + 5, 2 * len(short))
        candidate = " ".join(words[-n_words:])
        if not candidate:
            continue
        long = match_long_form(short, candidate)
        if long is None:
            continue
        # Offsets of the long form in the original text: search its first word back from "(".
        first = long.split()[0]
        at = text.rfind(first, max(0, m.start() - 300), m.start())
        out.append(Abbreviation(short, long, at if at >= 0 else m.start(), m.end()))
    for m in PAT_LEGEND.finditer(text):
        short, long = m["short"], m["long"].strip()
        if _is_short_form(short, settings) and match_long_form(short, long) is not None:
            out.append(Abbreviation(short, long, m.start("short"), m.end("long")))
    out.sort(key=lambda a: a.start)
    return out


def find_abbreviations(
    text: str, settings: AbbreviationSettings | Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Short form -> long form for every definition in `text` (the first definition wins)."""
    found: dict[str, str] = {}
    for abbr in find_abbreviation_spans(text, settings):
        found.setdefault(abbr.short, abbr.long)
    return found
