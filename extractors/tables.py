"""Tables rebuilt from flattened text (PDF text where each table became a run of lines).

A table starts at a `TABLE N` / `Table N.` line: caption lines follow, then header lines (wrapped and
stacked header cells, grouped headers over several columns), body rows, footnotes (`*`, `†`,
abbreviation lists, explanatory sentences) and ends where running text resumes. The layout is read
from general cues, never from a particular table:

- a body line holds values (numbers, `mean ± SD`, dashes, `NS`) or starts with an enumerator (`0:`);
  header lines come before the first such line;
- rows start with a row label (label-first tables) or with a running id (patient listings, ids
  counting up); lines in between continue the row (wrapped cells: a trailing comma, slash, `±`, a
  lowercase word, a parenthesis);
- tokens join into cells by structure (`2.87 ± 1.23`, `400 mg`, `L, N, C`, `Not beneficial`,
  `Age (y)`), and the column count comes from the header's leaf cells or, failing that, the rows;
  a row with more cells than columns merges its most cohesive neighbours (`Oct` + `400 mg`).

Every cell keeps its span in the text; `Table.rows` are the body rows as strings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from extractors.lines import Line, split_lines
from schemas import Section, Table, TableCell

__all__ = [
    "DEFAULT_MAX_TABLE_LINES",
    "TableBlock",
    "TableSettings",
    "find_cell_line_tables",
    "find_rule_tables",
    "find_tables",
    "locate_tables",
]

DEFAULT_MAX_TABLE_LINES = 600
DEFAULT_MAX_CAPTION_LINES = 4

PAT_TABLE_LABEL = re.compile(
    r"^[ \t]*(?P<word>TABLE|Table)[ \t]+(?P<num>\d{1,3}[A-Za-z]?|[IVX]{1,5})\b[ \t]*(?P<punct>[.:|—–-]?)[ \t]*(?P<rest>.*)$"
)
# Boundaries a table never runs past (kept here: extractors/sections.py builds on this module).
PAT_FIGURE_LABEL = re.compile(r"^[ \t]*(?:FIGURE|Figure|FIG\.|Fig\.)[ \t]*\d+[A-Za-z]?\b")
PAT_HEADING = re.compile(
    r"^[ \t]*(?:\d+\.?\s+)?(?:INTRODUCTION|BACKGROUND|(?:MATERIALS?|PATIENTS|SUBJECTS)\s+AND\s+METHODS|METHODS?|"
    r"RESULTS(?:\s+AND\s+DISCUSSION)?|DISCUSSION|CONCLUSIONS?|REFERENCES|ACKNOWLEDG[E]?MENTS?|"
    r"Introduction|Background|(?:Materials?|Patients|Subjects)\s+and\s+[Mm]ethods|Methods|Results|"
    r"Discussion|Conclusions?|References|Acknowledg[e]?ments?)[ \t]*$"
)
PAT_TOKEN = re.compile(r"\([^()\n]*\)|\S+")
PAT_NUM_TOKEN = re.compile(r"^[<>≤≥=~]?[↓↑]?[-−–+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?[*†‡§¶#]*,?$")
PAT_ID_TOKEN = re.compile(r"^\d{1,4}[*†‡§¶#]*$")
PAT_ENUM_TOKEN = re.compile(r"^\d{1,2}:$")
UNITS = frozenset(
    "mg g kg µg μg mcg ng pg mL ml L l dL µL GBq MBq kBq mCi µCi Ci Gy cGy mGy Sv mSv IU U mIU MIU "
    "mo mos month months y yr yrs year years d day days h hr hrs hour hours wk wks week weeks min s "
    "mm cm m % mmol/L µmol/L mg/dL ng/mL pg/mL g/dL g/L mg/m2 mg/kg IU/kg MBq/kg kg/m2 times x".split()
)
# Words that take a number after them and make a label with it ("Week 12", "Grade 3").
PRE_NUMBER_WORDS = frozenset(
    "week weeks day days month months year years cycle cycles visit grade grades stage stages phase arm "
    "group cohort level dose course patient no. no".split()
)
FUNCTION_WORDS = frozenset(
    "of in and at to with for by on from between after before the or vs vs. versus per".split()
)
NOT_APPLICABLE = frozenset({"NS", "NR", "NA", "ND", "NE", "n.s.", "N/A", "NS*", "ns"})
DASHES = frozenset({"—", "–", "-", "−", "…", "..."})
CONNECTOR_ENDINGS = (",", "/", "±", "=", "<", ">", "≤", "≥", "&")
PAT_FOOTNOTE_MARK = re.compile(r"^[*†‡§¶#]|^\|\||^[a-h](?=[A-Z][^a-z])")
PAT_ABBREVIATION_LINE = re.compile(
    r"^(?=[\w./-]*[A-Za-z])[\w./-]{1,15} ?(?:=|:) ?\S|^(?:Abbreviations?|Note|Notes|NOTE)\b"
)
PAT_STAT_CELL = re.compile(r"^[A-Za-z]{1,2}2? ?[<>=≤≥] ?[-−]?\.?\d")
PAT_WORD = re.compile(r"^[A-Za-z][A-Za-z'’-]*[.,;:]?$")


@dataclass(frozen=True)
class TableSettings:
    max_table_lines: int = DEFAULT_MAX_TABLE_LINES
    max_caption_lines: int = DEFAULT_MAX_CAPTION_LINES

    def __post_init__(self) -> None:
        if self.max_table_lines < 2 or self.max_caption_lines < 0:
            raise ValueError("max_table_lines must be >= 2 and max_caption_lines >= 0")

    @classmethod
    def resolve(cls, value: TableSettings | Mapping[str, Any] | None) -> TableSettings:
        if value is None:
            return cls()
        if isinstance(value, TableSettings):
            return value
        return cls(**dict(value))


@dataclass
class Tok:
    start: int
    end: int
    text: str
    line: int

    @cached_property
    def kind(self) -> str:
        t = self.text
        if t == "±":
            return "pm"
        if t in ("<", ">", "=", "≤", "≥"):
            return "op"
        if t in DASHES:
            return "dash"
        if PAT_ENUM_TOKEN.match(t):
            return "enum"
        if t.startswith("(") and t.endswith(")"):
            return "paren"
        if t in NOT_APPLICABLE:
            return "na"
        if any(c.isdigit() for c in t) and PAT_NUM_TOKEN.match(t):
            return "num"
        if t.rstrip(",;") in UNITS:
            return "unit"
        return "word"


@dataclass
class Cell:
    toks: list[Tok]
    text: str

    @property
    def start(self) -> int:
        return self.toks[0].start

    @property
    def end(self) -> int:
        return self.toks[-1].end

    @property
    def first_kind(self) -> str:
        return self.toks[0].kind

    @property
    def is_value(self) -> bool:
        if PAT_STAT_CELL.match(self.text):
            return True  # "P < 0.001"
        return self.first_kind in ("num", "pm", "dash", "na", "op") and all(
            t.kind != "word" for t in self.toks
        )

    def join(self, other: Cell, sep: str) -> Cell:
        return Cell(self.toks + other.toks, self.text + sep + other.text)


@dataclass
class TableBlock:
    """Where a table sits (label line to last footnote) and the lines of each of its parts."""

    label: str
    start: int
    end: int
    caption: list[Line] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    footnotes: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Lines and tokens


def tokenize(line: Line) -> list[Tok]:
    return [
        Tok(line.start + m.start(), line.start + m.end(), m.group(), line.index)
        for m in PAT_TOKEN.finditer(line.text)
    ]


def is_value_token(toks: list[Tok], i: int) -> bool:
    kind = toks[i].kind
    if kind in ("pm", "dash", "na", "enum"):
        return True
    if kind != "num":
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    prev = toks[i - 1] if i else None
    if nxt is not None and nxt.kind == "unit" and nxt.line == toks[i].line:
        return False  # "3 mo" is a header quantity, not a value
    if prev is not None and prev.text.lower().rstrip(".") in PRE_NUMBER_WORDS:
        return False  # "Week 12"
    return True


def is_data_line(line: Line) -> bool:
    toks = tokenize(line)
    return any(is_value_token(toks, i) for i in range(len(toks)))


def words_of(line: Line) -> list[str]:
    return [t.text for t in tokenize(line) if PAT_WORD.match(t.text)]


def is_prose(line: Line) -> bool:
    """Running text rather than a table line: many words, mostly lowercase."""
    words = words_of(line)
    if len(words) < 6:
        return False
    lower = sum(w[0].islower() for w in words)
    if lower / len(words) < 0.6:
        return False
    stripped = line.text.strip()
    return stripped[:1].islower() or line.indented or len(stripped) >= 55


def is_sentence(line: Line) -> bool:
    """An explanatory sentence (a footnote without a marker): words, ending with a full stop."""
    stripped = line.text.strip()
    if not stripped.endswith(".") or re.search(r"\d\.$", stripped):
        return False
    toks = tokenize(line)
    words = [t for t in toks if PAT_WORD.match(t.text)]
    return len(toks) >= 4 and len(words) >= 0.5 * len(toks)


def is_footnote_start(line: Line) -> bool:
    stripped = line.text.strip()
    return bool(PAT_FOOTNOTE_MARK.match(stripped) or PAT_ABBREVIATION_LINE.match(stripped)) or is_sentence(
        line
    )


def is_boundary(line: Line) -> bool:
    """The next table, a figure legend or a section heading: this table has ended."""
    return table_label_ok(PAT_TABLE_LABEL.match(line.text)) or bool(
        PAT_FIGURE_LABEL.match(line.text) or PAT_HEADING.match(line.text)
    )


def table_label_ok(m: re.Match[str] | None) -> bool:
    if m is None:
        return False
    rest = m["rest"]
    if m["word"] == "TABLE" or not rest or m["punct"]:
        return True
    return rest[:1].isupper() and rest.split()[0].lower() not in ("shows", "lists", "gives", "summarizes")


# ---------------------------------------------------------------------------------------------
# Locating a table and its parts


def ends_with_connector(text: str) -> bool:
    t = text.rstrip()
    if not t:
        return False
    last = t.split()[-1].lower()
    return t.endswith((",", ";", ":", "–", "-", "/")) or last in FUNCTION_WORDS


def locate_tables(text: str, settings: TableSettings | Mapping[str, Any] | None = None) -> list[TableBlock]:
    """Every `TABLE N` block of the text with its caption, header, body and footnote lines."""
    cfg = TableSettings.resolve(settings)
    lines = split_lines(text)
    blocks: list[TableBlock] = []
    i = 0
    while i < len(lines):
        m = PAT_TABLE_LABEL.match(lines[i].text)
        if not m or not table_label_ok(m):
            i += 1
            continue
        block = read_block(lines, i, m, cfg)
        if block is None:
            i += 1
            continue
        blocks.append(block)
        last = max([ln.index for part in (block.body, block.footnotes) for ln in part] or [i])
        i = last + 1
    return blocks


def next_nonblank(lines: list[Line], i: int, stop: int) -> int | None:
    while i < stop and lines[i].blank:
        i += 1
    return i if i < stop else None


def read_block(lines: list[Line], i: int, m: re.Match[str], cfg: TableSettings) -> TableBlock | None:
    label = f"Table {m['num']}"
    stop = min(len(lines), i + cfg.max_table_lines)
    caption: list[Line] = []
    j = i + 1
    if m["rest"].strip():
        caption.append(Line(i, lines[i].start + m.start("rest"), lines[i].end, m["rest"]))
    # Caption: the next line, continued while its sentence is unfinished (a trailing comma or
    # connective, or a next line in lower case), across a blank line too.
    while len(caption) < cfg.max_caption_lines:
        k = next_nonblank(lines, j, stop)
        if k is None or is_boundary(lines[k]) or is_data_line(lines[k]):
            break
        if caption and not (ends_with_connector(caption[-1].text) or lines[k].text.strip()[:1].islower()):
            break
        caption.append(lines[k])
        j = k + 1
    # Header lines up to the first data line; body lines up to the footnotes or running text.
    header: list[Line] = []
    k = j
    while k < stop and not is_data_line(lines[k]):
        if is_boundary(lines[k]) or (not lines[k].blank and is_prose(lines[k])):
            return None  # a label with no table under it (or the text goes on)
        if not lines[k].blank:
            header.append(lines[k])
        k += 1
    if k >= stop:
        return None
    body, footnotes = read_body(lines, k, stop)
    if not body:
        return None
    end_line = (footnotes or body)[-1]
    return TableBlock(label, lines[i].start, end_line.end, caption, header, body, footnotes)


def read_body(lines: list[Line], k: int, stop: int) -> tuple[list[Line], list[Line]]:
    body: list[Line] = []
    footnotes: list[Line] = []
    while k < stop:
        line = lines[k]
        k += 1
        if line.blank:
            continue
        if is_boundary(line):
            break
        if footnotes:
            prev = footnotes[-1].text.strip()
            if is_footnote_start(line) and not (line.indented and is_prose(line)):
                footnotes.append(line)
            elif (not prev.endswith((".", ")")) and not is_prose(line)) or ends_with_connector(prev):
                footnotes.append(line)
            else:
                break
            continue
        unfinished = bool(body) and body[-1].text.rstrip().endswith(CONNECTOR_ENDINGS)
        if body and not unfinished and is_footnote_start(line) and not is_listing_row(line):
            footnotes.append(line)
            continue
        if body and not unfinished and is_prose(line):
            break
        body.append(line)
    return body, footnotes


def is_listing_row(line: Line) -> bool:
    """A line that is certainly a table row even though it also looks like a footnote."""
    toks = tokenize(line)
    return bool(toks) and (PAT_ID_TOKEN.match(toks[0].text) is not None and len(toks) >= 3)


# ---------------------------------------------------------------------------------------------
# Cells


def stacked_glue(toks: list[Tok]) -> set[int]:
    """Token indexes i where token i+1 continues a cell stacked over short lines ("12 M/" + "8 F")."""
    by_line: dict[int, list[int]] = {}
    for i, t in enumerate(toks):
        by_line.setdefault(t.line, []).append(i)
    lines = sorted(by_line)
    glue: set[int] = set()
    for a, b in zip(lines, lines[1:], strict=False):
        ia, ib = by_line[a], by_line[b]
        if len(ia) <= 2 and len(ib) <= 2 and toks[ia[-1]].text.endswith(("/", "±")):
            glue.update(ia)  # the short line is one cell, continued on the next short line
            glue.update(ib[:-1])
    return glue


def build_cells(toks: list[Tok], label_first: bool) -> list[Cell]:
    """Structural joins: tokens that cannot stand alone attach to their neighbours."""
    cells: list[Cell] = []
    glue = stacked_glue(toks)
    pending_join, pending_sep = False, " "  # the previous cell asked for the next token
    enumerated = bool(toks) and toks[0].kind == "enum"
    for i, tok in enumerate(toks):
        cell = Cell([tok], tok.text)
        kind = tok.kind
        prev = cells[-1] if cells else None
        join, sep = False, " "
        if prev is None or kind == "enum":
            pass
        elif pending_join:
            join, sep = True, pending_sep
        elif i - 1 in glue:
            join, sep = True, "" if prev.text.endswith("/") else " "
        elif kind == "pm" or kind == "paren":
            join = True
        elif kind == "unit" and prev.toks[-1].kind == "num":
            join = True
        elif kind == "op" and len(prev.text) == 1 and prev.text.isalpha():
            join = True
        elif (
            kind == "num"
            and prev.toks[-1].kind == "word"
            and prev.toks[-1].text.lower().rstrip(".") in PRE_NUMBER_WORDS
        ):
            join = True
        elif (
            kind == "word"
            and tok.text[:1].islower()
            and len(tok.text.rstrip(",;")) >= 2
            and lower_joinable(prev)
        ):
            join = True
        elif enumerated:
            join = True  # "0: none (normal mobility ...)": an enumerated cell runs to the next "1:"
        if join and prev is not None:
            cells[-1] = prev.join(cell, sep)
        else:
            cells.append(cell)
        pending_join, pending_sep = wants_next(cells[-1], toks, i)
    if label_first and not enumerated:
        cells = merge_label(cells)
    return cells


def settled_count(cells: list[Cell]) -> int:
    """Cells a row will keep once its near-certain merges (`Oct` + `400 mg`) are made."""
    return len(cells) - sum(cohesion(a, b) >= 0.9 for a, b in zip(cells, cells[1:], strict=False))


def lower_joinable(prev: Cell) -> bool:
    """A lowercase word continues a cell ending in a word, a parenthesis or a unit ("4 mo after")."""
    return prev.toks[-1].kind in ("word", "paren", "unit", "enum")


def wants_next(cell: Cell, toks: list[Tok], i: int) -> tuple[bool, str]:
    """Whether the cell ends unfinished (so the next token continues it) and with what separator."""
    last = cell.toks[-1]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None:
        return False, " "
    across = nxt.line != last.line
    t = last.text
    if last.kind == "pm" or last.kind == "op":
        return True, " "
    if t.endswith(",") and nxt.kind != "enum":
        return True, " "
    if t.endswith("/"):
        return True, ""
    if across and t.endswith("-") and len(t) > 1 and t[-2].isalnum():
        return True, ""
    if (
        last.kind == "word"
        and t.lower() in FUNCTION_WORDS
        and len(cell.toks) > 1
        and nxt.kind not in ("pm", "dash")
    ):
        return True, " "
    return False, " "


def merge_label(cells: list[Cell]) -> list[Cell]:
    """Label-first rows: every leading non-value cell belongs to the row label."""
    k = 0
    while k < len(cells) and not cells[k].is_value:
        k += 1
    if k <= 1:
        return cells
    label = cells[0]
    for c in cells[1:k]:
        label = label.join(c, " ")
    return [label] + cells[k:]


def cohesion(a: Cell, b: Cell) -> float:
    """How likely two adjacent cells are one cell split in two (for rows with too many cells)."""
    a_word = a.toks[-1].kind == "word" and a.toks[-1].text[:1].isalpha()
    b_quantity = b.first_kind == "num" and any(t.kind == "unit" for t in b.toks)
    if a_word and len(a.toks) == 1 and b_quantity:
        return 0.9  # "Oct" + "400 mg"
    if a_word and b.first_kind == "word":
        return 0.5
    if a_word and b.first_kind == "num":
        return 0.3
    return 0.1


def fit_cells(cells: list[Cell], n: int) -> list[Cell]:
    cells = list(cells)
    while n > 0 and len(cells) > n:
        scores = [cohesion(cells[i], cells[i + 1]) for i in range(len(cells) - 1)]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        if scores[best] < 0.25:
            break
        cells[best : best + 2] = [cells[best].join(cells[best + 1], " ")]
    return cells


# ---------------------------------------------------------------------------------------------
# Rows


def is_id_mode(body: list[Line]) -> bool:
    ids = []
    for line in body:
        toks = tokenize(line)
        if len(toks) >= 3 and PAT_ID_TOKEN.match(toks[0].text) and toks[1].kind != "pm":
            ids.append(int(re.sub(r"\D", "", toks[0].text)))
    if len(ids) < 3:
        return False
    rising = sum(b > a for a, b in zip(ids, ids[1:], strict=False))
    return rising >= 0.7 * (len(ids) - 1)


def line_id(line: Line) -> int | None:
    return line_id_of(tokenize(line))


def group_rows(body: list[Line], id_mode: bool, n_hint: int) -> list[list[Tok]]:
    rows: list[list[Tok]] = []
    last_id: int | None = None
    for line in body:
        toks = tokenize(line)
        if not toks:
            continue
        if rows and continues(rows[-1], line, toks, id_mode, last_id, n_hint):
            rows[-1].extend(toks)
            continue
        rows.append(list(toks))
        ident = line_id(line)
        if id_mode and ident is not None and (last_id is None or ident == last_id + 1 or len(toks) >= 3):
            last_id = ident
    return rows


def continues(
    row: list[Tok], line: Line, toks: list[Tok], id_mode: bool, last_id: int | None, n_hint: int
) -> bool:
    """Whether `line` continues the row being read rather than starting the next one."""
    last = row[-1].text
    first = toks[0]
    if last.endswith(CONNECTOR_ENDINGS) or (last.endswith("-") and last[:-1][-1:].isalnum()):
        return True
    label_first = not id_mode or line_id_of(row) is None
    row_cells = build_cells(row, label_first=label_first)
    line_cells = build_cells(toks, label_first=True)
    row_has_values = any(c.is_value for c in row_cells)
    lowercase = first.kind == "word" and first.text[:1].islower()
    if first.kind == "paren" or (lowercase and (len(toks) <= 5 or not row_has_values)):
        return True  # "(n = 42)", a wrapped label ("Patients with liver" / "metastases 12 (25.0)")
    if id_mode:
        ident = line_id(line)
        if ident is not None and last_id is not None and ident == last_id + 1:
            return False  # the next id in sequence starts the next row
        if line_id_of(row) is not None:  # an id row goes on until it has its cells
            return n_hint > 0 and settled_count(row_cells) < n_hint
        # a summary row ("Mean ± SD ...") takes values until the next label
        return not (row_has_values and first.kind == "word" and first.text[:1].isupper())
    return not row_has_values and bool(line_cells) and line_cells[0].is_value


def line_id_of(row: list[Tok]) -> int | None:
    """The running id a listing row starts with ("20*" -> 20), if any."""
    if row and PAT_ID_TOKEN.match(row[0].text):
        return int(re.sub(r"\D", "", row[0].text))
    return None


# ---------------------------------------------------------------------------------------------
# Header


def header_cells(header: list[Line]) -> list[list[Cell]]:
    """Header cells, grouped by the blank-separated block of header lines their first token is in.

    All header lines are read as one token stream, so a cell stacked over several lines ("Primary" /
    "tumor", "Interval" / "between" / ... / "(y)") comes out whole.
    """
    block_of: dict[int, int] = {}
    prev: int | None = None
    for line in header:
        if prev is not None and line.index > prev + 1:
            block_of[line.index] = block_of[prev] + 1
        else:
            block_of[line.index] = block_of[prev] if prev is not None else 0
        prev = line.index
    toks = [t for line in header for t in tokenize(line)]
    per_block: list[list[Cell]] = [[] for _ in range(max(block_of.values(), default=-1) + 1)]
    for cell in build_cells(toks, label_first=False):
        per_block[block_of[cell.toks[0].line]].append(cell)
    return per_block


def split_header(header: list[Line], n: int) -> list[list[Cell]]:
    """Header rows: a block of group cells ("After therapy" over 1-6 mo) when one explains why there
    are more header cells than columns, then the leaf cells."""
    per_block = header_cells(header)
    cells = [c for b in per_block for c in b]
    if not cells:
        return []
    extra = len(cells) - n
    if n and extra > 0:
        for b in per_block[:-1]:
            if len(b) == extra:
                return [b, [c for c in cells if all(c is not g for g in b)]]
    return [cells]


def column_count(block: TableBlock, id_mode: bool, header_count: int) -> int:
    """Listings: the header's leaf count, checked against the usual width of an id row."""
    widths = [
        settled_count(build_cells(tokenize(ln), label_first=False))
        for ln in block.body
        if line_id(ln) is not None
    ]
    if not widths:
        return header_count
    usual = Counter(widths).most_common(1)[0][0]
    return header_count if usual - 2 <= header_count <= usual else usual


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def build_table(block: TableBlock) -> Table:
    id_mode = is_id_mode(block.body)
    header_count = sum(len(b) for b in header_cells(block.header))
    n = column_count(block, id_mode, header_count) if id_mode else 0
    rows = [
        build_cells(r, label_first=not id_mode or line_id_of(r) is None)
        for r in group_rows(block.body, id_mode, n)
    ]
    if not id_mode:
        n = max((len(r) for r in rows), default=0)  # label-first: the widest row
    rows = [fit_cells(r, n) for r in rows]
    header_rows = split_header(block.header, n)
    table = Table(
        label=block.label,
        caption=collapse(" ".join(ln.text for ln in block.caption)) or None,
        start=block.start,
        end=block.end,
        footnotes=footnote_texts(block.footnotes),
    )
    for r, cells in enumerate(header_rows):
        table.header.append([collapse(c.text) for c in cells])
        table.cells += [
            TableCell(row=r, col=c, text=collapse(cell.text), start=cell.start, end=cell.end, header=True)
            for c, cell in enumerate(cells)
        ]
    for r, cells in enumerate(rows, start=len(header_rows)):
        strings = [collapse(c.text) for c in cells]
        table.rows.append(strings + [""] * max(0, n - len(strings)))
        table.cells += [
            TableCell(row=r, col=c, text=text, start=cell.start, end=cell.end)
            for c, (cell, text) in enumerate(zip(cells, strings, strict=True))
        ]
    return table


def footnote_texts(lines: list[Line]) -> list[str]:
    """One string per footnote: a line continues the previous note until that note is finished."""
    notes: list[str] = []
    for line in lines:
        stripped = line.text.strip()
        if notes and (not notes[-1].endswith((".", ")")) or not is_footnote_start(line)):
            notes[-1] = collapse(notes[-1] + " " + stripped)
        else:
            notes.append(collapse(stripped))
    return notes


def find_tables(
    text: str,
    sections: list[Section] | None = None,
    settings: TableSettings | Mapping[str, Any] | None = None,
) -> list[Table]:
    """Tables of the (glyph-repaired) text; none is read inside a references section."""
    skip = [(s.start, s.end) for s in sections or [] if s.name == "references"]
    tables = []
    for block in locate_tables(text, settings):
        if any(a <= block.start < b for a, b in skip):
            continue
        tables.append(build_table(block))
    for table in [*find_rule_tables(text), *find_cell_line_tables(text)]:
        start, end = table.start or 0, table.end or 0
        taken = [(t.start or 0, t.end or 0) for t in tables]
        if any(a < end and start < b for a, b in [*skip, *taken]):
            continue
        tables.append(table)
    return sorted(tables, key=lambda t: t.start or 0)


# ---------------------------------------------------------------------------------------------
# Tables drawn with dash rules (Markdown "simple" and "multiline" tables, plain-text exports):
#
#       Header 1      Header 2
#   ----------- ---------------
#     Row label     12.3 ± 4.5
#
# The runs of dashes under the header give the columns. A multiline table opens and closes with
# one unbroken rule and separates its rows with blank lines; a simple table ends at a blank line.

# Two or more runs of dashes, nothing else: the column rule.
PAT_COLUMN_RULE = re.compile(r"^(?P<indent>[ \t]*)-{2,}(?:[ \t]+-{2,})+[ \t]*$")
# One unbroken run: the top and bottom rule of a multiline table.
PAT_FULL_RULE = re.compile(r"^[ \t]*-{10,}[ \t]*(?::{3,}.*)?$")
# A cell: text with single spaces inside; two spaces or more separate cells.
PAT_RULE_CELL = re.compile(r"\S+(?:\s\S+)*")
# A fenced-div marker (":::") ends the table's text on its line: what follows is running text.
PAT_FENCE = re.compile(r":{3,}")
# A fenced caption block above the table: "::: caption" ... ":::".
PAT_CAPTION_FENCE = re.compile(r"^:{3,}\s*caption\s*$")
# How many lines a header or a caption above the column rule may take.
MAX_RULE_HEADER_LINES = 4
MAX_RULE_CAPTION_LINES = 6


def scan_tables(lines: list[Line], read_at: Callable[[int, int], tuple[Table | None, int]]) -> list[Table]:
    """Walk `lines` top to bottom: `read_at(i, ordinal)` gives the table starting at line i, if any,
    and the line to go on from (always past i); `ordinal` numbers the tables found so far from 1."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        table, i = read_at(i, len(tables) + 1)
        if table is not None:
            tables.append(table)
    return tables


def find_rule_tables(text: str) -> list[Table]:
    """Tables whose columns are drawn by a rule of dash runs; cells keep their spans."""
    lines = split_lines(text)

    def read_at(i: int, ordinal: int) -> tuple[Table | None, int]:
        if PAT_COLUMN_RULE.match(lines[i].text) is None:
            return None, i + 1
        table, last = _rule_table(lines, i, ordinal)
        return table, max(i, last) + 1

    return scan_tables(lines, read_at)


def _rule_columns(line: Line) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"-{2,}", line.text)]


def _line_cells(line: Line) -> list[tuple[int, int]]:
    """Cell spans within the line (offsets in the line), up to a fence marker."""
    fence = PAT_FENCE.search(line.text)
    visible = line.text[: fence.start()] if fence else line.text
    return [(m.start(), m.end()) for m in PAT_RULE_CELL.finditer(visible)]


def _column_of(span: tuple[int, int], columns: list[tuple[int, int]]) -> int:
    """The column a cell sits in: the one holding its first character, else the most overlapped,
    else the nearest to its left (cells may overhang their column)."""
    a, b = span
    for k, (ca, cb) in enumerate(columns):
        if ca <= a < cb:
            return k
    overlaps = [min(b, cb) - max(a, ca) for ca, cb in columns]
    if max(overlaps) > 0:
        return overlaps.index(max(overlaps))
    left = [k for k, (ca, _) in enumerate(columns) if ca <= a]
    return left[-1] if left else 0


def _place_cells(line: Line, columns: list[tuple[int, int]], header_like: bool) -> dict[int, tuple[int, int]]:
    """Column -> span (line offsets). A row with one cell per column is read in order; a header row
    one cell short lost its empty label cell (the alignment of such rows is often lost)."""
    spans = _line_cells(line)
    n = len(columns)
    if len(spans) == n:
        return dict(enumerate(spans))
    if header_like and len(spans) == n - 1 and n > 2:
        return {k + 1: span for k, span in enumerate(spans)}
    placed: dict[int, tuple[int, int]] = {}
    for span in spans:
        k = _column_of(span, columns)
        placed[k] = (placed[k][0], span[1]) if k in placed else span
    return placed


def _has_value(line: Line) -> bool:
    return any(re.search(r"\d", line.text[a:b]) for a, b in _line_cells(line))


def _rule_table(lines: list[Line], i: int, ordinal: int) -> tuple[Table | None, int]:
    rule_line = lines[i]
    columns = _rule_columns(rule_line)
    indent = len(rule_line.text) - len(rule_line.text.lstrip())
    # the header: lines right above the rule, back to a blank line or the multiline table's top rule
    header: list[Line] = []
    k = i - 1
    multiline = False
    while k >= 0 and len(header) < MAX_RULE_HEADER_LINES and lines[k].text.strip():
        if PAT_FULL_RULE.match(lines[k].text):
            multiline = True
            break
        if PAT_FENCE.match(lines[k].text.strip()):
            break
        header.insert(0, lines[k])
        k -= 1
    top = k if multiline else k + 1
    # the body: rows to a blank line (simple) or to the bottom rule (multiline, blank lines part rows)
    groups: list[list[Line]] = [[]]
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if PAT_FULL_RULE.match(line.text) or PAT_COLUMN_RULE.match(line.text):
            break
        if not line.text.strip():
            if not multiline and not line.text and any(groups):
                break  # an empty line ends a simple table; a line of spaces is an empty row
            if multiline and groups[-1]:
                groups.append([])
            j += 1
            continue
        if len(line.text) - len(line.text.lstrip()) < indent:
            break  # running text resumes
        if multiline:
            groups[-1].append(line)
        else:
            groups.append([line])
        if PAT_FENCE.search(line.text):
            break  # the div closes on this line
        j += 1
    rows = [g for g in groups if g]
    if not rows:
        return None, i
    last_line = rows[-1][-1]
    table = Table(label=f"Table {ordinal}", caption=_rule_caption(lines, top - 1 if top > 0 else -1))
    table.start = lines[top].start if top >= 0 else rule_line.start
    fence = PAT_FENCE.search(last_line.text)
    # through the last row's line break, so the region read on its own keeps its last line whole
    table.end = last_line.start + fence.start() if fence else min(last_line.end + 1, lines[-1].end)
    header_rows = [[ln] for ln in header] if not multiline or len(header) < 2 else [header]
    # rows after the rule without any number continue the header ("Mean  SD  Mean  SD")
    while rows and not any(_has_value(ln) for ln in rows[0]) and len(rows) > 1:
        header_rows.append(rows.pop(0))
    for r, group in enumerate([*header_rows, *rows]):
        is_header = r < len(header_rows)
        cells: dict[int, list[tuple[Line, int, int]]] = {}
        for line in group:
            for c, (a, b) in _place_cells(line, columns, is_header).items():
                cells.setdefault(c, []).append((line, a, b))
        strings = [""] * len(columns)
        for c, parts in sorted(cells.items()):
            strings[c] = " ".join(collapse(line.text[a:b]) for line, a, b in parts)
            line, a, b = parts[0]
            one_part = len(parts) == 1
            table.cells.append(
                TableCell(
                    row=r,
                    col=c,
                    text=strings[c],
                    # a cell wrapped over lines has no single span
                    start=line.start + a if one_part else None,
                    end=line.start + b if one_part else None,
                    header=is_header,
                )
            )
        (table.header if is_header else table.rows).append(strings)
    return table, max(j, i)


def _rule_caption(lines: list[Line], k: int) -> str | None:
    """A fenced caption block ending within a few lines above the table."""
    while k >= 0 and (
        not lines[k].text.strip() or re.fullmatch(r"\s*!\[[^\]]*\]\([^)]*\)\s*", lines[k].text)
    ):
        k -= 1
    if k < 0 or not PAT_FENCE.fullmatch(lines[k].text.strip()):
        return None
    body: list[str] = []
    for m in range(k - 1, max(-1, k - MAX_RULE_CAPTION_LINES - 1), -1):
        if PAT_CAPTION_FENCE.match(lines[m].text.strip()):
            return collapse(" ".join(body)) or None
        body.insert(0, lines[m].text)
    return None


# ---------------------------------------------------------------------------------------------
# Tables laid out one cell per line (full-text exports that drop the grid):
#
#   Table 1Baseline characteristics      <- the label glued to its caption
#   Characteristic                       <- W header cells, one per line (an empty line is an empty cell)
#   Drug A (n = 57)
#   Drug B (n = 58)
#   Age, years                           <- then rows of W lines: a label, then values
#   43.9 (12–72)
#   45.9 (13–78)
#
# Nothing marks W or where the header ends: every (W, header length) is tried, and the one under
# which the most consecutive W-line chunks read as "label, values..." wins. The table ends where
# that pattern breaks; when no W gives rows enough, no table is read.

# "Table 1Baseline ..." (glued caption) or a bare "Table 1"; "Table 2 shows ..." is running text.
PAT_CELL_LINE_LABEL = re.compile(r"^(?:Table|TABLE) ?(?P<num>\d{1,3})(?:[.:]\s?)?(?P<rest>(?![\s\d]).*)?$")
# Lines a cell-per-line table never runs past: the next table or figure, a section heading.
PAT_CELL_LINE_STOP = re.compile(r"^(?:Table|TABLE|Figure|FIGURE|Fig\.) ?\d|^[A-Z][A-Z0-9 ]*\.[A-Z]")
# A value cell: a number (signed, compared, parenthesised), a statistic ("P < 0.05"), a dash or n/a.
PAT_VALUE_CELL = re.compile(
    r"^\(?[<>≤≥=~±+−–-]?\s?\.?\d"
    r"|^[Pp]\s?[<>=≤≥]"
    r"|^(?:[—–−-]+|…|\.\.\.|NS|NR|NA|ND|NE|n\.?s\.?|n/?a|N/A|ns|nd|NC|NT)[*†‡§¶#a-d]?$"
)
PAT_NA_CELL = re.compile(r"^(?:NS|NR|NA|ND|NE|n\.?s\.?|n/?a|N/A|ns|nd|NC|NT)[*†‡§¶#a-d]?$")
# A footnote under the table: a marker ("*", "†", "a ") or "Data are ...", "Abbreviations: ...".
PAT_CELL_LINE_NOTE = re.compile(
    r"^(?:[*†‡§¶#]|[a-h]\s\S|[a-h](?=[A-Z])|(?:Data|Values|Results)\s(?:are|were|is)\b|Abbreviations?\b|Notes?\b)"
)
# A footnote where a row label would be: a marker and a space, then a sentence.
PAT_NOTE_LABEL = re.compile(r"^(?:[*†‡§¶#]+|[a-h]|\d)\s+[A-Z][a-z]+\s+[a-z]")
MAX_VALUE_WORDS = 2  # words a value cell may carry ("12 mg daily")
MIN_CELL_LINE_ROWS = 2  # a table holds at least this many rows with values
MAX_CELL_LINE_COLUMNS = 10
MAX_LABEL_CHARS = 120
MAX_TOLERATED_CELL_CHARS = 60


def _cell_text(line: Line) -> str:
    return collapse(line.text)


def _is_label(cell: str) -> bool:
    """A row label: text, not a value ("2 h" and "< 65 years" are labels, "12.3" and "NS" are not) nor
    a footnote ("a Data are ...", "1 Values are ...")."""
    if not cell or len(cell) > MAX_LABEL_CHARS or PAT_NOTE_LABEL.match(cell):
        return False
    return not (PAT_VALUE_CELL.match(cell) and not re.search(r"[A-Za-z]", PAT_NA_CELL.sub("", cell)))


def _is_value(cell: str) -> bool:
    """A value cell; a number leading a phrase ("2 (p < 0.01) vs decrease in ...") is a note."""
    return bool(PAT_VALUE_CELL.match(cell)) and len(re.findall(r"[A-Za-z]{3,}", cell)) <= MAX_VALUE_WORDS


def _values_ok(cells: list[str]) -> bool:
    return all(not c or _is_value(c) for c in cells)


def _next_row(texts: list[str], k: int, w: int) -> tuple[str, int]:
    """The kind and line count of the row starting at line k: 'values' (a label, then w - 1 values or
    empty cells, one value at least), 'section' (a label over w - 1 empty lines, or a label alone on its
    line over a row of values), 'odd' (a label over short cells, some of them text), or 'bad'."""
    if k + w > len(texts) or not _is_label(texts[k]):
        return "bad", 0
    rest = texts[k + 1 : k + w]
    if _values_ok(rest):
        return ("values" if any(rest) else "section"), w
    if _is_label(texts[k + 1]) and _next_row(texts, k + 1, w)[0] == "values":
        return "section", 1  # a heading on its own line over a row of values
    if all(len(c) <= MAX_TOLERATED_CELL_CHARS for c in rest):
        return "odd", w
    return "bad", 0


def _cell_line_rows(lines: list[Line], w: int, h: int) -> tuple[int, list[tuple[int, int]]]:
    """(score, rows as (first line, line count)) of reading lines[h:] as rows of w cells.

    Rows are read until the pattern breaks; an odd row (a text cell among values) is let through when
    the two rows after it hold values. Section rows at the end are not part of the table.
    """
    texts = [_cell_text(ln) for ln in lines]
    rows: list[tuple[int, int]] = []
    score = kept = 0  # kept: rows up to the last one with values
    k = h
    while k < len(texts):
        kind, n = _next_row(texts, k, w)
        if not rows and kind == "section" and n == 1:
            break  # a lone label line before any row belongs to the header
        if kind == "odd":
            if not score:
                break  # a header row, not an odd body row
            after = _next_row(texts, k + n, w)
            if _next_row(texts, k + n + after[1], w)[0] != "values" or after[0] != "values":
                break
        elif kind == "bad":
            break
        rows.append((k, n))
        k += n
        if kind == "values":
            score += 1
            kept = len(rows)
    return score, rows[:kept]


def _fit_cell_lines(lines: list[Line]) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The best (columns, header lines, body rows) for the lines after a caption, or None."""
    best: tuple[int, int, int, list[tuple[int, int]]] | None = None
    for w in range(2, MAX_CELL_LINE_COLUMNS + 1):
        for h in range(1, 3 * w + 1):
            if h + w > len(lines) or is_prose(lines[h - 1]):
                break  # running text, not a header
            score, rows = _cell_line_rows(lines, w, h)
            # more rows with values first; then the shorter header, the fewer columns
            if score >= MIN_CELL_LINE_ROWS and (best is None or (score, -h, -w) > best[:3]):
                best = (score, -h, -w, rows)
    if best is None:
        return None
    _, neg_h, neg_w, rows = best
    return -neg_w, -neg_h, rows


def _cell_line_header(header: list[Line], w: int) -> list[list[Line]]:
    """Header rows: the last w lines are the column labels; lines above them span columns (their
    empty lines are dropped: a spanning row lists its labels in order)."""
    while len(header) > w and header[-1].blank:
        header = header[:-1]  # a stray empty line between the header and the body
    if len(header) < w:
        return [header]
    leaf = header[-w:]
    upper = [ln for ln in header[:-w] if not ln.blank]
    return [upper, leaf] if upper else [leaf]


def find_cell_line_tables(text: str) -> list[Table]:
    """Tables written one cell per line under a `Table N` caption line; cells keep their spans."""
    lines = split_lines(text)

    def read_at(i: int, _ordinal: int) -> tuple[Table | None, int]:
        m = PAT_CELL_LINE_LABEL.match(lines[i].text)
        if m is None:
            return None, i + 1
        stop = i + 1
        while (
            stop < len(lines)
            and stop - i < DEFAULT_MAX_TABLE_LINES
            and not PAT_CELL_LINE_STOP.match(lines[stop].text)
        ):
            stop += 1
        region = lines[i + 1 : stop]
        fit = _fit_cell_lines(region)
        if fit is None:
            return None, i + 1
        table, last = _cell_line_table(lines[i], m, region, *fit)
        return table, last + 1

    return scan_tables(lines, read_at)


def _cell_line_table(
    label_line: Line, m: re.Match[str], region: list[Line], w: int, h: int, rows: list[tuple[int, int]]
) -> tuple[Table, int]:
    """The table read from `region` (the lines after the caption line); the index of its last line."""
    body_rows = [region[k : k + n] for k, n in rows]
    notes: list[Line] = []
    end = rows[-1][0] + rows[-1][1]
    for line in region[end:]:
        if line.blank:
            continue
        if not PAT_CELL_LINE_NOTE.match(line.text.strip()):
            break
        notes.append(line)
    last = (notes or body_rows[-1])[-1]
    caption = collapse(m["rest"] or "") or None
    table = Table(
        label=f"Table {m['num']}",
        caption=caption,
        start=label_line.start,
        end=last.end,
        footnotes=[collapse(ln.text) for ln in notes],
    )
    header_rows = _cell_line_header(region[:h], w)
    for r, row in enumerate([*header_rows, *body_rows]):
        is_header = r < len(header_rows)
        # a header one line short of the columns lacks the stub's (empty) cell
        pad = 1 if is_header and r == len(header_rows) - 1 and len(row) == w - 1 else 0
        strings = [_cell_text(ln) for ln in row]
        strings = [""] * pad + strings
        (table.header if is_header else table.rows).append(strings + [""] * (w - len(strings)))
        for c, (line, cell) in enumerate(zip(row, strings[pad:], strict=True), start=pad):
            if not cell:
                continue
            lead = len(line.text) - len(line.text.lstrip())
            trail = len(line.text) - len(line.text.rstrip())
            table.cells.append(
                TableCell(
                    row=r,
                    col=c,
                    text=cell,
                    start=line.start + lead,
                    end=line.end - trail,
                    header=is_header,
                )
            )
    return table, last.index
