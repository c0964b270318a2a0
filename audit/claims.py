"""What the paper-level checks share: settings, the paper's text and tables as numbers, and claim links.

A *claim* is a narrative number about a named group, variable and time point. Checks link it to the
table cells that report the same quantity by their labels: row and column labels (a spanning header
such as "Before therapy" over two columns included) are normalised (glyph variants such as α/a,
line-end hyphenation, units in brackets, "(n = 33)") and compared with rapidfuzz; numbers confirm a
link (a subgroup's weighted mean must reproduce the whole group's mean) wherever labels alone are weak.

Nothing here knows any particular paper: every rule is written for tables and sentences in general.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from schemas import Cohort, EntityBase, EvidenceSpan, Finding, PaperContext, Table, TableCell

__all__ = [
    "AuditSettings",
    "Grid",
    "MeanSD",
    "Paper",
    "finding",
    "fmt_num",
    "label_match",
    "n_from_label",
    "norm_label",
    "norm_map",
    "norm_text",
    "parse_mean_sd",
    "parse_number",
    "sentence_bounds",
    "span_of",
]

DEFAULT_LABEL_MATCH = 85.0  # rapidfuzz score (0-100) for two labels to name the same variable
DEFAULT_MIN_LISTING_ROWS = 5  # a per-patient listing has at least this many consecutive ids
DEFAULT_MAIN_COHORT_MIN_MENTIONS = 2
DEFAULT_MAX_SENTENCE = 600  # characters; a longer "sentence" is a layout accident


@dataclass(frozen=True)
class AuditSettings:
    """Options of the paper-level audit (`run_checks`)."""

    label_match: float = DEFAULT_LABEL_MATCH
    min_listing_rows: int = DEFAULT_MIN_LISTING_ROWS
    main_cohort_min_mentions: int = DEFAULT_MAIN_COHORT_MIN_MENTIONS
    max_sentence: int = DEFAULT_MAX_SENTENCE

    def __post_init__(self) -> None:
        if not 0 < self.label_match <= 100:
            raise ValueError(f"label_match must lie in (0, 100], got {self.label_match}")
        if self.min_listing_rows < 2:
            raise ValueError("min_listing_rows must be at least 2")

    @classmethod
    def resolve(cls, value: AuditSettings | dict[str, Any] | None) -> AuditSettings:
        if value is None:
            return cls()
        if isinstance(value, AuditSettings):
            return value
        return cls(**value)


# -- numbers in cells and sentences ------------------------------------------------------------------

GREEK = str.maketrans({"α": "a", "β": "b", "γ": "g", "δ": "d", "κ": "k", "µ": "u", "μ": "u", "ω": "w"})
PAT_NUM = r"[-−–]?\d+(?:,\d{3})*(?:\.\d+)?|[-−–]?\.\d+"
PAT_PM = r"\s*(?:±|\+/-|\+-|6|�)\s*"  # ± as printed or as PDF symbol-font damage (6, �)
RE_MEAN_SD = re.compile(rf"^\s*({PAT_NUM}){PAT_PM}({PAT_NUM})\s*[*†‡§¶a-z]?\s*$")
RE_NUMBER = re.compile(rf"^\s*({PAT_NUM})\s*[*†‡§¶]?\s*$")
RE_N_LABEL = re.compile(r"\(\s*n\s*(?:=|5|�)\s*(\d+)\s*\)|\bn\s*(?:=|5|�)\s*(\d+)\b", re.I)


@dataclass(frozen=True)
class MeanSD:
    """A "mean ± SD" as printed; the strings keep their decimals."""

    mean: str
    sd: str

    @property
    def m(self) -> float:
        return float(self.mean)

    @property
    def s(self) -> float:
        return float(self.sd)

    @property
    def mean_decimals(self) -> int:
        return decimals_of(self.mean)

    @property
    def sd_decimals(self) -> int:
        return decimals_of(self.sd)

    def __str__(self) -> str:
        return f"{self.mean} ± {self.sd}"


def _clean_num(text: str) -> str:
    return text.replace(",", "").replace("−", "-").replace("–", "-")


def decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_mean_sd(text: str) -> MeanSD | None:
    """'2.91 ± 0.56' -> MeanSD('2.91', '0.56'); anything else -> None."""
    m = RE_MEAN_SD.match(text or "")
    if not m:
        return None
    mean, sd = _clean_num(m.group(1)), _clean_num(m.group(2))
    if float(sd) < 0:
        return None
    return MeanSD(mean, sd)


def parse_number(text: str) -> float | None:
    """A cell holding one number (a footnote mark allowed) -> float; else None."""
    m = RE_NUMBER.match(text or "")
    return float(_clean_num(m.group(1))) if m else None


def fmt_num(x: float, decimals: int) -> str:
    return f"{x:.{max(0, decimals)}f}"


def rounds_to(value: float, reported: str) -> bool:
    """Does `value` print as `reported` by conventional rounding (a tie may go either way)?"""
    d = decimals_of(reported)
    target = float(reported)
    unit = 10.0**-d
    return abs(value - target) <= unit / 2 + 1e-9


def truncates_to(value: float, reported: str) -> bool:
    d = decimals_of(reported)
    scaled = value * 10**d
    return bool(math.floor(scaled + 1e-9) == round(float(reported) * 10**d))


# -- labels --------------------------------------------------------------------------------------------

RE_UNITS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def norm_text(text: str) -> str:
    """Lower case, glyph variants folded (α -> a), line-end hyphenation joined, white space collapsed."""
    t = text.translate(GREEK).lower()
    t = re.sub(r"(?<=[a-z])-\s*\n\s*(?=[a-z])", "", t)
    return re.sub(r"\s+", " ", t).strip()


def norm_map(text: str, offset: int = 0) -> tuple[str, list[int]]:
    """norm_text with, for each output character, its offset in the paper (text starts at `offset`)."""
    out: list[str] = []
    idx: list[int] = []
    t = text.translate(GREEK)
    i, n = 0, len(t)
    while i < n:
        c = t[i]
        if c == "-" and i + 1 < n and t[i + 1] == "\n" and out and out[-1].isalpha():
            i += 1
            while i < n and t[i].isspace():
                i += 1
            continue
        if c.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                idx.append(offset + i)
            i += 1
            continue
        out.append(c.lower())
        idx.append(offset + i)
        i += 1
    return "".join(out), idx


def norm_label(label: str) -> str:
    """A row or column label reduced to its variable: units, (n = x) and footnote marks dropped."""
    t = RE_UNITS.sub(" ", label or "")
    t = re.sub(r"[*†‡§¶]", " ", t)
    return norm_text(t)


def label_match(a: str, b: str) -> float:
    """Similarity (0-100) of two labels once normalised: token-set ratio, so word order and extra words
    ("No. of metastases" / "No. of bone metastases") cost little."""
    na, nb = norm_label(a), norm_label(b)
    if not na or not nb:
        return 0.0
    return float(fuzz.token_set_ratio(na, nb))


def n_from_label(label: str | None) -> int | None:
    """'Responders (n = 33)' -> 33 (the PDF's '5' for '=' accepted)."""
    if not label:
        return None
    m = RE_N_LABEL.search(label)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def whole_word(word: str) -> re.Pattern[str]:
    """`word` as a whole word of lower-case text: not inside a longer word or number."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")


def word_in(word: str, text: str) -> int:
    """Position of `word` in `text` as a whole word (normalised both), or -1."""
    m = whole_word(norm_text(word)).search(text)
    return m.start() if m else -1


def word_positions(word: str, text: str) -> list[int]:
    """Every position of `word` (taken as given) in `text` as a whole word."""
    return [m.start() for m in whole_word(word).finditer(text)]


# -- sentences -----------------------------------------------------------------------------------------

RE_BOUNDARY = re.compile(r"[.!?]\s+(?=[A-Z(])|\n\s*\n(?=[A-Z])")


def sentence_bounds(text: str, start: int, end: int, max_len: int = DEFAULT_MAX_SENTENCE) -> tuple[int, int]:
    """The sentence around [start, end): from the previous sentence end to the next one."""
    lo = max(0, start - max_len)
    left = lo
    # endpos past `start` so that the look-ahead can see the sentence's first letter
    for m in RE_BOUNDARY.finditer(text, lo, min(len(text), start + 2)):
        if m.end() <= start:
            left = m.end()
    nxt = RE_BOUNDARY.search(text, end, min(len(text), end + max_len))
    right = nxt.start() + 1 if nxt else min(len(text), end + max_len)
    return left, right


# -- tables as grids -----------------------------------------------------------------------------------


@dataclass
class Grid:
    """A schemas.Table as a grid of cells with full column labels (spanning headers distributed)."""

    table: Table
    n_header: int
    cells: dict[tuple[int, int], TableCell] = field(default_factory=dict)
    col_labels: dict[int, str] = field(default_factory=dict)
    span_labels: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, table: Table) -> Grid:
        g = cls(table=table, n_header=len(table.header))
        for c in table.cells:
            g.cells[(c.row, c.col)] = c
        if table.header:
            bottom = table.header[-1]
            for j, lab in enumerate(bottom):
                g.col_labels[j] = lab
            data_cols = len(bottom) - 1
            # A spanning row with k labels over the data columns: only an even split is trusted
            # (schemas.Table header rows carry no spans; see the report for the change wanted).
            for upper in table.header[:-1]:
                k = len([u for u in upper if u])
                if k >= 2 and data_cols > 0 and data_cols % k == 0:
                    width = data_cols // k
                    for j in range(1, len(bottom)):
                        g.span_labels[j] = upper[(j - 1) // width]
        return g

    @property
    def label(self) -> str:
        return self.table.label

    @property
    def n_body(self) -> int:
        return len(self.table.rows)

    def body(self, i: int) -> list[str]:
        return self.table.rows[i]

    def row_index(self, i: int) -> int:
        """Cell row index of body row i (header rows come first)."""
        return self.n_header + i

    def cell(self, i: int, j: int) -> TableCell | None:
        return self.cells.get((self.row_index(i), j))

    def text(self, i: int, j: int) -> str:
        row = self.table.rows[i]
        return row[j] if j < len(row) else ""

    def row_label(self, i: int) -> str:
        return self.text(i, 0)

    def col_label(self, j: int, with_span: bool = True) -> str:
        lab = self.col_labels.get(j, "")
        span = self.span_labels.get(j) if with_span else None
        return f"{span} {lab}".strip() if span else lab

    def n_cols(self) -> int:
        return max(
            [len(r) for r in self.table.rows] + [len(self.table.header[-1]) if self.table.header else 0]
        )

    def span(self, i: int, j: int) -> EvidenceSpan | None:
        c = self.cell(i, j)
        if c is None or c.start is None or c.end is None:
            return None
        return EvidenceSpan(start=c.start, end=c.end)

    def header_span(self, j: int) -> EvidenceSpan | None:
        c = self.cells.get((self.n_header - 1, j))
        if c is None or c.start is None or c.end is None:
            return None
        return EvidenceSpan(start=c.start, end=c.end)

    def row_span(self, i: int) -> EvidenceSpan | None:
        spans = [s for j in range(len(self.body(i))) if (s := self.span(i, j)) is not None]
        if not spans:
            return None
        return EvidenceSpan(start=min(s.start for s in spans), end=max(s.end for s in spans))

    def col_n(self, j: int) -> int | None:
        return n_from_label(self.col_labels.get(j)) or n_from_label(self.span_labels.get(j))

    def row_n(self, i: int) -> int | None:
        return n_from_label(self.row_label(i))


def span_of(e: EntityBase) -> EvidenceSpan:
    return EvidenceSpan(start=e.start, end=e.end)


def spans(items: Iterable[EvidenceSpan | None]) -> list[EvidenceSpan]:
    out: list[EvidenceSpan] = []
    for s in items:
        if s is not None and s not in out:
            out.append(s)
    return out


def finding(
    check: str,
    status: str,
    message: str,
    evidence: Iterable[EvidenceSpan | None],
    severity: str = "minor",
    expected: Any = None,
    reported: Any = None,
    uncertain: bool = False,
) -> Finding:
    """A Finding; consistent and unverifiable findings are 'info' whatever severity was asked."""
    sev = severity if status == "inconsistent" else "info"
    return Finding(
        check=check,
        status=status,  # type: ignore[arg-type]
        severity=sev,  # type: ignore[arg-type]
        message=message,
        expected=expected,
        reported=reported,
        evidence=spans(evidence),
        uncertain=uncertain,
    )


# -- the paper -------------------------------------------------------------------------------------------


@dataclass
class Paper:
    """A paper's context and entities with the lookups the checks share."""

    ctx: PaperContext
    entities: list[EntityBase]
    settings: AuditSettings = field(default_factory=AuditSettings)
    grids: list[Grid] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.grids = [Grid.build(t) for t in self.ctx.tables]

    @property
    def text(self) -> str:
        return self.ctx.repaired or self.ctx.text

    def of_kind(self, kind: str) -> list[EntityBase]:
        return [e for e in self.entities if getattr(e, "kind", None) == kind]

    def narrative(self, kind: str) -> list[EntityBase]:
        return [e for e in self.of_kind(kind) if e.table is None]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return sentence_bounds(self.text, start, end, self.settings.max_sentence)

    def in_table_region(self, start: int) -> bool:
        return any(
            t.start is not None and t.end is not None and t.start <= start < t.end for t in self.ctx.tables
        )

    def main_cohort(self) -> int | None:
        """The paper's one study population, when it has one: the N stated most often (at least twice)
        in its own narrative, which is also the largest N it states. None for multi-arm papers whose
        arms are reported as often as the total."""
        ns = [
            e.n
            for e in self.of_kind("cohort")
            if isinstance(e, Cohort) and not e.cited and e.table is None and e.n >= 2
        ]
        if not ns:
            return None
        counts = Counter(ns)
        top, freq = counts.most_common(1)[0]
        tied = [n for n, c in counts.items() if c == freq]
        if freq < self.settings.main_cohort_min_mentions or len(tied) > 1 or top != max(ns):
            return None
        return top


def mean_sd_of(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    m = sum(values) / n
    var = sum((v - m) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return m, math.sqrt(var)
