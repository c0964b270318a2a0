"""p_value entities: reported p-values in running text, in table `P` rows/columns and via footnotes.

Reads `ctx.repaired` (real `<`, `=`, `−`). Each p-value is its own entity, also inside a list that
`respectively` distributes ("P = 0.565 and 0.542, respectively" gives two). "NS" and
"P = not significant" give none: there is no number to pool or audit.

The table helpers at the bottom (`table_cell_grid`, `footnote_marks`, ...) are shared with the
statistic and summary_stat components.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from extractors.entities.base import EntityComponent
from extractors.entities.text import (
    CITING_SECTIONS,
    cited_sentences,
    section_of,
    sentence_spans,
    sentences_of,
)
from schemas import EntityBase, PValue
from schemas.context import PaperContext
from schemas.records import Operator, Table, TableCell

__all__ = [
    "PValueComponent",
    "RE_P_TEXT",
    "find_p_values",
    "sentence_bounds",
    "clause_before",
    "table_regions",
    "in_regions",
    "table_cell_grid",
    "footnote_marks",
    "FootnoteP",
    "mark_cited",
]

# --- the "P" itself ----------------------------------------------------------------------------
# A capital or small p standing alone: not inside a word ("Phase", "IL-P", "pH"), optionally
# "P value", "P-value", "Pvalue", plural "P values", with "two-tailed"/"one-sided" in front.
PAT_P_HEAD = (
    r"(?<![A-Za-z0-9\-/])"
    r"(?:(?:two|one|2|1)[- ](?:tailed|sided)\s+)?"
    r"[Pp](?:\s*-?\s*values?)?(?![A-Za-z0-9'’])"
    # what the p is for: "P for trend", "P for interaction", "P-trend", "P(trend)"
    r"(?:\s+for\s+(?:linear\s+)?(?:trend|interaction|heterogeneity|difference|non-?linearity)"
    r"|[-_ ]?\(?(?:trend|interaction|het)\)?(?![A-Za-z]))?"
)
# --- the operator ------------------------------------------------------------------------------
# Symbols first (two-character ASCII forms before single ones), then words:
# "P value of less than 0.05", "P was less than .01", "P value of 0.03", "P < or = 0.05".
PAT_P_OP_SYMBOL = r"<\s?or\s?=|>\s?or\s?=|<=|>=|=<|=>|[<>=≤≥]"
PAT_P_OP_WORDS = (
    r"(?:(?:was|is|were|of|being)\s+)?"
    r"(?:(?:less|lower|smaller)\s+than(?:\s+or\s+equal\s+to)?|(?:greater|higher|larger|more)\s+than"
    r"(?:\s+or\s+equal\s+to)?|below|under|above|of|was|were|is|are|equal(?:s|led)?(?:\s+to)?)"
)
# An operator glyph the repair stage could not decide (� for < or =); see UNCERTAIN_OPERATOR_RULE.
PAT_P_OP_UNKNOWN = "\ufffd"
# A verb before a symbol ("P was < 0.05"), and a colon ("P value: 0.03") as "=".
PAT_P_OP = rf"(?P<op>(?:(?:was|were|is|are)\s+)?(?:{PAT_P_OP_SYMBOL})|{PAT_P_OP_WORDS}|:|{PAT_P_OP_UNKNOWN})"
# --- the value ---------------------------------------------------------------------------------
# A probability: "0.05", ".05", "0·05" (mid-dot), "1.0", "1", scientific "1.2 × 10−5", "1e-5",
# and the bare power "10−4" (p < 10^-4).
PAT_P_VALUE = (
    r"(?P<value>\d(?:[.·]\d+)?(?:\s?[×x]\s?10\s?\^?\s?[-−–]\s?\d+|[eE][-−–]\d+)"
    r"|(?:0|1)?[.·]\d+|1(?![\d.·])|0(?![\d.·])"
    r"|10\s?\^?\s?[-−–]\s?\d+)(?![\d.·]\d)"
    # not a measured quantity: phosphorus "P = 0.9 mmol/L", a probability is never followed by a unit
    r"(?!\s?(?:%|mg|mmol|µmol|μmol|mEq|g/|mL|kg|Gy)\b)"
)
PAT_P_TEXT = rf"{PAT_P_HEAD}\s*{PAT_P_OP}\s*{PAT_P_VALUE}"
# A p stated only as not significant: "P = not significant", "(P = NS)", "P: n.s.", and a "P" row or
# column cell reading "NS". No number: operator and value stay None, `ns` is set.
PAT_NS_WORD = r"(?:not\s+significant|non-?significant|n\.\s?s\.?|NS)(?![A-Za-z])"
PAT_P_NS = rf"{PAT_P_HEAD}\s*(?:[=:\ufffd]|was|were|is)?\s*(?P<ns>{PAT_NS_WORD})"
RE_P_NS = re.compile(PAT_P_NS)
RE_NS_CELL = re.compile(rf"\s*{PAT_NS_WORD}\s*[*†‡§]*\s*", re.IGNORECASE)
RE_P_TEXT = re.compile(PAT_P_TEXT)
# A list continuing the first value: ", 0.542", " and 0.542", ", and P = 0.019" is its own match.
PAT_P_MORE = rf"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*){PAT_P_VALUE}"
RE_P_MORE = re.compile(PAT_P_MORE)
# A list is only distributed when "respectively" follows or the list closes a parenthesis.
PAT_LIST_END = r"\s*(?:,\s*|\s)respectively\b|\s*\)"
RE_LIST_END = re.compile(PAT_LIST_END)
# "0.05 or less", "0.05 or lower", "0.95 or more" after the value.
RE_OR_LESS = re.compile(
    r"\s+or\s+(?P<dir>less|lower|smaller|below|more|greater|higher|above)\b", re.IGNORECASE
)
# What may separate chained p-values that share one comparison.
RE_CHAIN_GAP = re.compile(r"[\s,;]*(?:and\s+|or\s+)?")

WORD_OPERATORS: tuple[tuple[str, Operator], ...] = (
    ("or equal", "<="),  # refined below by direction
    ("less", "<"),
    ("lower", "<"),
    ("smaller", "<"),
    ("below", "<"),
    ("under", "<"),
    ("greater", ">"),
    ("higher", ">"),
    ("larger", ">"),
    ("more", ">"),
    ("above", ">"),
)
SYMBOL_OPERATORS: dict[str, Operator] = {
    "<": "<",
    ">": ">",
    "=": "=",
    "≤": "<=",
    "≥": ">=",
    "<=": "<=",
    ">=": ">=",
    "=<": "<=",
    "=>": ">=",
}
# Conventional significance thresholds: a p printed as one of these after an undecided glyph is a
# threshold ("P � 0.05" means P < 0.05); any other value is an exact report ("P � 0.019" = 0.019).
# Entities read this way carry uncertain=True.
UNCERTAIN_OPERATOR_RULE = frozenset({0.05, 0.01, 0.001, 0.0001, 0.005})
# P-values above this are not probabilities (a year, a page number).
MAX_P = 1.0


def read_operator(op: str) -> Operator:
    """`<`, `≤`, `less than`, `of less than or equal to` -> schema operator (`=` for "of", "was")."""
    o = re.sub(r"\s+", " ", op.strip().lower())
    o = re.sub(r"^(?:was|were|is|are) (?=[<>=≤≥])", "", o)
    if o in SYMBOL_OPERATORS:
        return SYMBOL_OPERATORS[o]
    if "or =" in o or "or equal" in o:
        return "<=" if o.startswith("<") or any(w in o for w in ("less", "lower", "smaller")) else ">="
    for word, operator in WORD_OPERATORS[1:]:
        if word in o:
            return operator
    return "="


def read_p_value(s: str) -> float | None:
    """`0.05`, `.05`, `0·05`, `1.2 × 10−5`, `1e-5`, `10−4` -> float; `None` above 1."""
    t = s.replace("·", ".").replace("−", "-").replace("–", "-").replace(" ", "").replace("^", "")
    try:
        if re.fullmatch(r"10-\d+", t):
            value = float(f"1e-{int(t[3:])}")
        elif "×10" in t or "x10" in t:
            mant, exp = re.split(r"[×x]10", t)
            value = float(f"{mant}e{int(exp)}")  # exact decimal, no binary product error
        else:
            value = float(t)
    except ValueError:
        return None
    return value if 0 <= value <= MAX_P else None


def p_decimals(s: str) -> int:
    m = re.match(r"\d*[.·](\d+)", s.strip())
    return len(m[1]) if m else 0


# ---------------------------------------------------------------------------------------------
# Sentences and clauses
# ---------------------------------------------------------------------------------------------

# A sentence ends at ". " + capital/digit/paren, or at a blank line (headings, table rows).
RE_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bvs)(?<!\bet al)(?<!\bFig)[.!?](?=\s+[A-Z(0-9])|\n\s*\n")


def sentence_bounds(text: str, i: int, limit: int = 600) -> tuple[int, int]:
    """[start, end) of the sentence around offset `i` (at most `limit` characters each way)."""
    lo = max(0, i - limit)
    start = lo
    for m in RE_SENTENCE_END.finditer(text, lo, i):
        start = m.end()
    after = RE_SENTENCE_END.search(text, i, min(len(text), i + limit))
    end = after.start() + 1 if after else min(len(text), i + limit)
    while start < end and text[start].isspace():
        start += 1
    return start, end


def clause_before(text: str, i: int, max_chars: int = 160) -> str:
    """The words leading up to offset `i` in its sentence, white space collapsed, as a label."""
    s, _ = sentence_bounds(text, i)
    chunk = text[max(s, i - max_chars) : i]
    chunk = re.sub(r"[\s(\[;,:]+$", "", chunk)
    return re.sub(r"\s+", " ", chunk).strip()


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def table_regions(ctx: PaperContext) -> list[tuple[int, int]]:
    """Text spans of the tables that the table stage placed in the text."""
    return [(t.start, t.end) for t in ctx.tables if t.start is not None and t.end is not None]


def in_regions(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in regions)


def table_cell_grid(table: Table) -> dict[tuple[int, int], TableCell]:
    """(row, col) -> cell; built from `cells` or, without them, from `header` + `rows` strings."""
    if table.cells:
        return {(c.row, c.col): c for c in table.cells}
    grid: dict[tuple[int, int], TableCell] = {}
    n_header = len(table.header)
    for r, row in enumerate([*table.header, *table.rows]):
        for c, text in enumerate(row):
            grid[(r, c)] = TableCell(row=r, col=c, text=text, header=r < n_header)
    return grid


def header_rows(grid: dict[tuple[int, int], TableCell]) -> set[int]:
    return {r for (r, _c), cell in grid.items() if cell.header}


def row_label(grid: dict[tuple[int, int], TableCell], row: int) -> str | None:
    """The first non-empty, non-numeric cell of a row."""
    cols = sorted(c for (r, c) in grid if r == row)
    for c in cols:
        text = grid[(row, c)].text.strip()
        if text and re.search(r"[A-Za-z]", text) and not RE_NUMERIC_CELL.fullmatch(text):
            return text
    return None


def column_header(grid: dict[tuple[int, int], TableCell], col: int) -> str | None:
    """Header cells above a column joined top to bottom ("Before therapy IL-2 (ng/mL)").

    A header row with fewer cells than the table has columns holds spanning headers: k of them
    share the data columns (all but the label column) evenly when they divide them; a lone
    spanning header is left out, since where it starts is unknown.
    """
    n_cols = max(c for _, c in grid) + 1
    parts: list[str] = []
    for r in sorted(header_rows(grid)):
        cells = sorted(c for (rr, c) in grid if rr == r)
        k = len(cells)
        if k >= n_cols:
            cell = grid.get((r, col))
        elif k > 1 and col > 0 and (n_cols - 1) % k == 0:
            width = (n_cols - 1) // k
            cell = grid.get((r, cells[(col - 1) // width]))
        else:
            cell = None
        if cell is not None and cell.text.strip():
            parts.append(cell.text.strip())
    return " ".join(parts) if parts else None


# A footnote marker: symbols, or a single letter; "y" is how some PDFs print a dagger.
PAT_MARK = r"[*†‡§¶#‖]+|[a-z]"
# A numeric table cell with an optional comparison sign and trailing marker: "<0.001†", "0.345*".
RE_NUMERIC_CELL = re.compile(
    rf"(?P<op>{PAT_P_OP_SYMBOL})?\s*(?P<value>[-−]?(?:\d+(?:[.·]\d+)?|[.·]\d+))\s*(?P<mark>{PAT_MARK})?"
)
# The marker closing any cell: symbols after anything, a letter only glued to a digit ("0.001y").
RE_CELL_MARK = re.compile(r"(?:(?P<sym>[*†‡§¶#‖]+)|(?<=\d)(?P<letter>[a-z]))\s*$")
# The marked number closing a cell ("21.2*" in "58 ± 21.2*").
RE_MARKED_TAIL = re.compile(r"[-−]?(?:\d+(?:[.·]\d+)?|[.·]\d+)\s*(?:[*†‡§¶#‖]+|(?<=\d)[a-z])\s*$")
# A footnote stating a p-value: "*P < 0.001 vs. control subjects.", "† P > 0.05 versus responders".
RE_FOOTNOTE_P = re.compile(
    rf"^\s*(?P<mark>{PAT_MARK})\s*{PAT_P_HEAD}\s*(?P<op>{PAT_P_OP_SYMBOL}|{PAT_P_OP_WORDS})\s*"
    rf"{PAT_P_VALUE}(?P<rest>.*)$",
    re.DOTALL,
)
# A row or column label that holds p-values: "P", "P value", "P between groups", "p-value".
RE_P_LABEL = re.compile(
    r"^\s*[Pp](?:[- ]?values?)?(?:\s*\(.*\)|\s+(?:between|for|vs\.?|versus)\b.*)?\s*[*†‡§]?\s*$"
)


@dataclass(frozen=True)
class FootnoteP:
    mark: str
    operator: Operator
    value: float
    decimals: int
    comparison: str | None


def footnote_marks(table: Table) -> dict[str, FootnoteP]:
    """Marker -> the p-value its footnote states (`*P < 0.001 vs. control subjects`)."""
    out: dict[str, FootnoteP] = {}
    for note in table.footnotes:
        for line in re.split(r"(?<!vs\.)(?<=\.)\s+(?=\S)|\n", note):
            m = RE_FOOTNOTE_P.match(line)
            if not m:
                continue
            value = read_p_value(m["value"])
            if value is None:
                continue
            rest = re.sub(r"\s+", " ", m["rest"]).strip(" .;")
            out[m["mark"]] = FootnoteP(
                m["mark"], read_operator(m["op"]), value, p_decimals(m["value"]), rest or None
            )
    return out


# A column heading that starts with a lone "P" and goes on ("P ∆ cortisol, time, interaction").
RE_P_HEAD_LOOSE = re.compile(r"^\s*[Pp](?:[- ]?values?)?(?![A-Za-z0-9'’])")
# One p in a list cell, and what may stand in for one ("n.a.", "NS", "—").
RE_P_LIST_TOKEN = re.compile(
    r"(?:(?P<op>[<>≤≥=])\s?)?(?P<value>(?:0|1)?[.·]\d+|1(?![\d.·])|0(?![\d.·]))(?:[*†‡§¶#‖]+)?"
)
RE_P_LIST_FILLER = re.compile(r"^(?:[\s,;]|n\.?a\.?|NS|ns|—|–|-)*$")


def _p_list_tokens(text: str, cell: TableCell) -> list[re.Match[str]]:
    """The p-values of a cell that lists several ("0.001, 0.025, <0.001"), or [] if it is not one."""
    if cell.start is None or cell.end is None:
        return []
    found = list(RE_P_LIST_TOKEN.finditer(text, cell.start, cell.end))
    if not found:
        return []
    rest, pos = [], cell.start
    for m in found:
        rest.append(text[pos : m.start()])
        pos = m.end()
    rest.append(text[pos : cell.end])
    return found if RE_P_LIST_FILLER.match("".join(rest)) else []


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def find_p_values(text: str, start: int = 0, end: int | None = None) -> Iterator[PValue]:
    """p-values in `text[start:end]` (spans index `text`), lists distributed one entity per value."""
    stop = len(text) if end is None else end
    last_end = -1
    comparison: str | None = None
    for m in RE_P_TEXT.finditer(text, start, stop):
        value = read_p_value(m["value"])
        if value is None:
            continue
        op_text = m["op"]
        uncertain = op_text == PAT_P_OP_UNKNOWN
        if uncertain:
            operator: Operator = "<" if value in UNCERTAIN_OPERATOR_RULE else "="
        else:
            operator = read_operator(op_text)
        end = m.end()
        # "P values of 0.05 or less": the trailing words turn "of" into "<=" / ">="
        tail = RE_OR_LESS.match(text, end, stop)
        if tail and operator == "=":
            operator = "<=" if tail["dir"].lower() in {"less", "lower", "smaller", "below"} else ">="
            end = tail.end()
        # "P = 0.019, P = 0.024, and P = 0.019": a chained p shares the clause of the first one.
        if not (last_end >= 0 and RE_CHAIN_GAP.fullmatch(text, last_end, m.start())):
            comparison = clause_before(text, m.start()) or None
        yield PValue(
            start=m.start(),
            end=end,
            text=text[m.start() : end],
            operator=operator,
            value=value,
            comparison=comparison,
            decimals=p_decimals(m["value"]),
            uncertain=uncertain,
        )
        # "P = 0.565 and 0.542, respectively": further values share the operator.
        more: list[re.Match[str]] = []
        pos = m.end()
        while (mm := RE_P_MORE.match(text, pos, stop)) is not None:
            more.append(mm)
            pos = mm.end()
        last_end = m.end()
        if more and RE_LIST_END.match(text, pos, stop):
            last_end = more[-1].end()
            for mm in more:
                v = read_p_value(mm["value"])
                if v is None:
                    break
                yield PValue(
                    start=mm.start("value"),
                    end=mm.end("value"),
                    text=mm["value"],
                    operator=operator,
                    value=v,
                    comparison=comparison,
                    decimals=p_decimals(mm["value"]),
                    uncertain=uncertain,
                )


# ---------------------------------------------------------------------------------------------
# Tables laid out as plain text (no parsed Table covers them)
# ---------------------------------------------------------------------------------------------

# A table heading line: "TABLE 2", "Table 3.", "Table S1".
RE_TABLE_HEADING = re.compile(r"^[ \t]*(?:TABLE|Table)[ \t]+S?\d+\b", re.MULTILINE)
# A footnote line stating a p-value, at a line start: "*P < 0.001 vs. control subjects."
RE_FOOTNOTE_LINE = re.compile(
    rf"^[ \t]*(?P<mark>[*†‡§¶#‖]+|[a-z](?=[ \t]*[Pp]\b))[ \t]*{PAT_P_HEAD}[ \t]*"
    rf"(?P<op>{PAT_P_OP_SYMBOL}|{PAT_P_OP_WORDS})[ \t]*{PAT_P_VALUE}",
    re.MULTILINE,
)
# A marked number in a table line: "0.001*", "<0.001†", "21.2*", "0.001y" (letters glued to digits).
PAT_MARKED_TOKEN = (
    r"(?<![\w.·])(?:(?P<op>[<>≤≥=])[ \t]?)?(?P<value>[-−]?(?:\d+(?:[.·]\d+)?|[.·]\d+))"
    r"(?P<mark>[*†‡§¶#‖]+|[a-z](?![\w]))"
)
RE_MARKED_TOKEN = re.compile(PAT_MARKED_TOKEN)
# A "P" row label at a line start: "P", "P value", "P between groups".
RE_P_ROW = re.compile(
    r"^[ \t]*[Pp](?:[- ]?values?)?(?:[ \t]+between[ \t]+groups)?[ \t]+(?=[<>≤≥]?[ \t]?[.\d])", re.MULTILINE
)
# An unmarked number in a P row: "0.03", "<0.001".
RE_ROW_TOKEN = re.compile(
    r"(?<![\w.·])(?:(?P<op>[<>≤≥=])[ \t]?)?(?P<value>(?:0|1)?[.·]\d+|1)(?P<mark>[*†‡§¶#‖]+|[a-z])?(?![\w.·])"
)
# How far above its footnote a table's body may start.
DEFAULT_TABLE_LOOKBACK = 4000


def _table_start_before(text: str, i: int) -> int | None:
    start = None
    for m in RE_TABLE_HEADING.finditer(text, max(0, i - DEFAULT_TABLE_LOOKBACK), i):
        start = m.start()
    return start


def find_text_table_p_values(
    text: str, regions: list[tuple[int, int]]
) -> tuple[list[PValue], set[tuple[int, int]]]:
    """p-values of tables that reached us as plain text lines: `P` rows and footnote-marked cells.

    Returns the entities and the spans of the footnote p-values they consumed (so the text pass
    does not count "*P < 0.001" again). Only text under a "Table N" heading is read.
    """
    out: list[PValue] = []
    consumed: set[tuple[int, int]] = set()
    seen_cells: set[tuple[int, int]] = set()
    footnotes = [m for m in RE_FOOTNOTE_LINE.finditer(text) if not in_regions(regions, m.start(), m.end())]
    for fm in footnotes:
        value = read_p_value(fm["value"])
        top = _table_start_before(text, fm.start())
        if value is None or top is None:
            continue
        mark = fm["mark"]
        note = FootnoteP(mark, read_operator(fm["op"]), value, p_decimals(fm["value"]), None)
        body_end = text.rfind("\n", top, fm.start())
        used = False
        for tm in RE_MARKED_TOKEN.finditer(text, top, max(top, body_end)):
            if tm["mark"] != mark or (tm.start(), tm.end()) in seen_cells:
                continue
            line_start = text.rfind("\n", 0, tm.start()) + 1
            row_head = RE_P_ROW.match(text, line_start)
            if row_head and row_head.end() <= tm.start():
                continue  # P rows are read below, with the footnote's help
            used = True
            seen_cells.add((tm.start(), tm.end()))
            start = tm.start()
            out.append(
                PValue(
                    start=start,
                    end=tm.end(),
                    text=text[start : tm.end()],
                    operator=note.operator,
                    value=note.value,
                    comparison=re.sub(r"\s+", " ", text[fm.end() : text.find("\n", fm.end())]).strip(" .;")
                    or None,
                    decimals=note.decimals,
                )
            )
        if used:
            consumed.add((fm.start(), fm.end()))
    notes_by_table: dict[int, dict[str, FootnoteP]] = {}
    for fm in footnotes:
        top = _table_start_before(text, fm.start())
        value = read_p_value(fm["value"])
        if top is not None and value is not None:
            notes_by_table.setdefault(top, {})[fm["mark"]] = FootnoteP(
                fm["mark"], read_operator(fm["op"]), value, p_decimals(fm["value"]), None
            )
    for rm in RE_P_ROW.finditer(text):
        if in_regions(regions, rm.start(), rm.end()):
            continue
        top = _table_start_before(text, rm.start())
        if top is None:
            continue
        marks = notes_by_table.get(top, {})
        line_end = text.find("\n", rm.end())
        line_end = len(text) if line_end < 0 else line_end
        rest = text[rm.end() : line_end]
        tokens = list(RE_ROW_TOKEN.finditer(text, rm.end(), line_end))
        # every token on the row must be a p (else this is prose starting with "P")
        if not tokens or re.sub(RE_ROW_TOKEN.pattern, "", rest).strip():
            continue
        for tm in tokens:
            value = read_p_value(tm["value"])
            if value is None:
                continue
            row_note = marks.get(tm["mark"]) if tm["mark"] else None
            if tm["op"]:
                operator = read_operator(tm["op"])
            elif row_note is not None and abs(row_note.value - value) < 1e-12:
                operator = row_note.operator
            else:
                operator = "="
            for fm in footnotes:
                if tm["mark"] and fm["mark"] == tm["mark"] and _table_start_before(text, fm.start()) == top:
                    consumed.add((fm.start(), fm.end()))
            out.append(
                PValue(
                    start=tm.start(),
                    end=tm.end(),
                    text=tm[0],
                    operator=operator,
                    value=value,
                    comparison=None,
                    decimals=p_decimals(tm["value"]),
                )
            )
    return out, consumed


# doc.user_data key for the sentences that report other studies.
CITED_SPANS_KEY = "evidence_cited_spans"


def mark_cited(entities: list[EntityBase], doc: Doc, ctx: PaperContext) -> list[EntityBase]:
    """Flag text entities in sentences that report another study (`cited`), never to be pooled.

    Uses the sentence and citation rules the clinical components share (extractors/entities/cohort.py).
    """
    candidates = [e for e in entities if e.table is None and not e.cited]
    if not candidates:
        return entities
    cited_spans: list[tuple[int, int]] | None = doc.user_data.get(CITED_SPANS_KEY)
    if cited_spans is None:  # once per doc: the three numeric components share it
        sents = sentence_spans(doc) if doc.has_annotation("SENT_START") else sentences_of(ctx.repaired)
        flags = cited_sentences(ctx, sents)
        cited_spans = [span for span, flag in zip(sents, flags, strict=True) if flag]
        doc.user_data[CITED_SPANS_KEY] = cited_spans
    if not cited_spans:
        return entities
    out: list[EntityBase] = []
    for e in entities:
        # the entity itself must sit in a citing section (a figure legend a sentence runs into is not)
        if (
            e.table is None
            and any(s <= e.start < t for s, t in cited_spans)
            and section_of(ctx, e.start) in CITING_SECTIONS
        ):
            e = e.model_copy(update={"cited": True})
        out.append(e)
    return out


def ns_p_value(ctx: PaperContext, start: int, end: int, comparison: str | None, **where: object) -> PValue:
    return PValue(start=start, end=end, text=ctx.text[start:end], ns=True, comparison=comparison, **where)


def find_ns_p_values(ctx: PaperContext) -> list[PValue]:
    """`P = not significant` in running text (a table's "NS" cells are read with the table)."""
    text = ctx.repaired
    return [
        ns_p_value(ctx, m.start(), m.end(), clause_before(text, m.start()) or None)
        for m in RE_P_NS.finditer(text)
    ]


class PValueComponent(EntityComponent):
    kind = "p_value"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        regions = table_regions(ctx)
        table_ents = [e for t in ctx.tables for e in self.match_table(t, ctx)]
        taken = [(e.start, e.end) for e in table_ents]
        text_table_ents, consumed = find_text_table_p_values(ctx.repaired, regions)
        for ent in text_table_ents:
            if not any(s < ent.end and ent.start < e for s, e in taken):
                table_ents.append(ent)
                taken.append((ent.start, ent.end))
        out: list[EntityBase] = list(table_ents)
        for ent in [*find_p_values(ctx.repaired), *find_ns_p_values(ctx)]:
            if in_regions(regions, ent.start, ent.end):
                continue  # the table pass reads these (cells, footnotes)
            if any(s <= ent.start and ent.end <= e for s, e in consumed):
                continue  # a footnote whose meaning was given to the cells it marks
            if any(s < ent.end and ent.start < e for s, e in taken):
                continue
            out.append(ent)
            taken.append((ent.start, ent.end))
        return mark_cited(out, doc, ctx)

    def match_table(self, table: Table, ctx: PaperContext) -> list[PValue]:
        grid = table_cell_grid(table)
        if not grid:
            return []
        marks = footnote_marks(table)
        rows = sorted({r for r, _ in grid})
        cols = sorted({c for _, c in grid})
        p_rows = {r for r in rows if (r, cols[0]) in grid and RE_P_LABEL.match(grid[(r, cols[0])].text)}
        heads = header_rows(grid)
        p_cols = {
            c
            for c in cols
            if any(RE_P_LABEL.match(grid[(r, c)].text) for r in heads if (r, c) in grid)
            # "P ∆ cortisol, time, interaction": a lone P heading a column of p-values
            or (
                any(RE_P_HEAD_LOOSE.match(grid[(r, c)].text) for r in heads if (r, c) in grid)
                and any(
                    _p_list_tokens(ctx.repaired, cell)
                    for (rr, cc), cell in grid.items()
                    if cc == c and not cell.header
                )
            )
        }
        out: list[PValue] = []
        for (r, c), cell in sorted(grid.items()):
            if cell.header or cell.start is None or cell.end is None:
                continue
            text = cell.text.strip()
            # A cell that states a whole p ("P < 0.001", "p = .03") is read as text, in place.
            in_cell = [e for e in find_p_values(ctx.repaired, cell.start, cell.end)]
            if in_cell:
                label = row_label(grid, r) if r not in p_rows else column_header(grid, c)
                for e in in_cell:
                    out.append(
                        e.model_copy(
                            update={
                                "text": ctx.text[e.start : e.end],
                                "comparison": f"{table.label}: {label}" if label else table.label,
                                "table": table.label,
                                "cell": (r, c),
                            }
                        )
                    )
                continue
            if (
                (r in p_rows or c in p_cols)
                and RE_NS_CELL.fullmatch(text)
                and not (c == cols[0] and r in p_rows)
            ):
                label = row_label(grid, r) if c in p_cols else column_header(grid, c)
                out.append(
                    ns_p_value(
                        ctx,
                        cell.start,
                        cell.end,
                        f"{table.label}: {label}" if label else table.label,
                        table=table.label,
                        cell=(r, c),
                    )
                )
                continue
            mm = RE_CELL_MARK.search(text)
            mark = (mm["sym"] or mm["letter"]) if mm else None
            note = marks.get(mark) if mark else None
            m = RE_NUMERIC_CELL.fullmatch(text)
            if (r in p_rows or c in p_cols) and m is None and not (c == cols[0] and r in p_rows):
                # several p-values in one cell ("0.001, 0.025, 0.72"): each with its own span
                label = row_label(grid, r) if c in p_cols else column_header(grid, c)
                for tm in _p_list_tokens(ctx.repaired, cell):
                    v = read_p_value(tm["value"])
                    if v is None:
                        continue
                    out.append(
                        PValue(
                            start=tm.start(),
                            end=tm.end(),
                            text=ctx.text[tm.start() : tm.end()],
                            operator=read_operator(tm["op"]) if tm["op"] else "=",
                            value=v,
                            comparison=f"{table.label}: {label}" if label else table.label,
                            decimals=p_decimals(tm["value"]),
                            table=table.label,
                            cell=(r, c),
                        )
                    )
                continue
            if r in p_rows or c in p_cols:
                if m is None or (c == cols[0] and r in p_rows):
                    continue
                value = read_p_value(m["value"])
                if value is None:
                    continue
                if m["op"]:
                    operator = read_operator(m["op"])
                elif note is not None and abs(note.value - value) < 1e-12:
                    operator = note.operator  # "0.001*" with "*P < 0.001": the footnote says "<"
                else:
                    operator = "="
                label = row_label(grid, r) if c in p_cols else column_header(grid, c)
                comparison = f"{table.label}: {label}" if label else table.label
                out.append(
                    PValue(
                        start=cell.start,
                        end=cell.end,
                        text=ctx.text[cell.start : cell.end],
                        operator=operator,
                        value=value,
                        comparison=comparison,
                        decimals=p_decimals(m["value"]),
                        table=table.label,
                        cell=(r, c),
                    )
                )
            elif note is not None:
                # A marked value cell ("58 ± 21.2*" with "*P > 0.05 vs. responders") reports that p.
                parts = [p for p in (row_label(grid, r), column_header(grid, c), note.comparison) if p]
                # The span is the marked number ("21.2*"), not the whole cell: the p is read from the
                # marker, and the cell's own value (a summary_stat) keeps its distinct span.
                tail = RE_MARKED_TAIL.search(ctx.repaired, cell.start, cell.end)
                start = tail.start() if tail else cell.start
                out.append(
                    PValue(
                        start=start,
                        end=cell.end,
                        text=ctx.text[start : cell.end],
                        operator=note.operator,
                        value=note.value,
                        comparison=f"{table.label}: " + ", ".join(parts),
                        decimals=note.decimals,
                        table=table.label,
                        cell=(r, c),
                    )
                )
        return out
