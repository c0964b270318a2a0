"""PDF reader: words in reading order, running heads dropped, hyphens joined, tables rebuilt.

Layout, per page: words (pdfplumber, tolerance relative to the font size so tightly set text keeps
its spaces) are grouped into rows; a column gutter is looked for in the middle of the page; rows
that cross it are full width, the others are read left column first. Tables are found under their
"Table N" captions (or as ruled grids), rebuilt from word positions, taken out of the running text
and rendered after the page's text as "caption\\ncell\\tcell..." lines so every cell has a span.

`Document.offset_map[i]` is the offset of `text[i]` in the laid-out text before hyphens were joined.
"""

from __future__ import annotations

import io
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from schemas import (
    Document,
    EncryptedPDF,
    EvidenceError,
    FontRun,
    ImageOnlyPDF,
    Meta,
    Page,
    Table,
    TableCell,
    TooLarge,
    UnreadablePaper,
)

if TYPE_CHECKING:
    from extractors.read import ReadSettings

__all__ = ["read_pdf"]

# Word building: a gap wider than this share of the font size splits words (an absolute 3 pt
# tolerance glues tightly set 8 pt text into one "word" per line).
WORD_X_TOLERANCE_RATIO = 0.15
WORD_Y_TOLERANCE = 3.0
LIGATURES = frozenset("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
LIGATURE_MAX_GAP_EM = 0.5
OVERPRINT_SHARE = 0.2
# Two words share a row when their boxes overlap by this share of the smaller height
# (superscripts and subscripts stay on their line).
ROW_MIN_OVERLAP = 0.5
# The gutter is looked for in this middle band of the page width (wide enough for a side column
# of affiliations beside the main text, as BMJ and Lancet set their first pages).
GUTTER_BAND = (0.2, 0.8)
# At most this share of the rows may cross the gutter (titles, full-width abstracts, tables and
# figures); in a single column almost every row crosses any position.
GUTTER_MAX_CROSSING = 0.35
# Each column must hold at least this share of the rows.
GUTTER_MIN_SIDE = 0.15
GUTTER_MIN_ROWS = 6
SUBCOLUMN_MIN_SHARE = 0.5
# Two words either side of the gutter closer than this many em are one full-width line.
GUTTER_MIN_GAP_EM = 0.9
# Running heads and footers live in these top and bottom shares of the page ...
MARGIN_SHARE = 0.1
# ... and repeat (digits ignored) on at least this many pages, or this share of them.
RUNNING_MIN_PAGES = 2
RUNNING_MIN_SHARE = 0.25
MAX_MARGIN_LINES = 3
PAT_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
# A vertical gap wider than this many line heights starts a new paragraph (blank line).
PARAGRAPH_GAP_LINES = 0.8
# Hyphen joining: a line ending "letter-" followed by a line starting in lower case is one word,
# except where the second part usually forms a hyphenated compound (the hyphen is kept).
PAT_LINE_END_HYPHEN = re.compile(r"[A-Za-z]-$")
COMPOUND_SECOND_PARTS = frozenset(
    "up based related term year years month months week weeks day days dose doses blind blinded "
    "specific free like label labelled labeled controlled matched adjusted induced treated naive "
    "dependent independent associated risk income level scale sectional arm point".split()
)
# Tables.
PAT_TABLE_CAPTION = re.compile(r"^table\s*(\d{1,3}|[IVX]{1,5})\b\s*[.:|]?", re.IGNORECASE)
PAT_FIGURE_CAPTION = re.compile(r"^(?:Fig\.?|Figure|FIGURE)\s*\d{1,3}\b")
PAT_COLUMN_BREAK = re.compile(
    r"\((?:table \w+ )?continue[sd]? (?:in|on|from) (?:the )?(?:next|previous) column\)", re.I
)
PAT_CONTINUED = re.compile(r"\(?\bcont(?:inued|\.|'d)\b\)?", re.IGNORECASE)
PAT_DOT_LEADER = re.compile(r"^[.\u2026\u00b7_\-\u2013\u2014]{6,}$")
# Within a table row, words further apart than this many em belong to different cells; runs of
# words split at the wider gap are what tells prose and captions from table rows.
CELL_GAP_EM = 0.6
PHRASE_GAP_EM = 0.9
# A position across a table is a column gap when at most this share of its multi-cell rows cover it
# (a header spanning two columns does not merge them).
COLUMN_GAP_MAX_COVER = 0.15
COLUMN_GAP_MIN_ROWS = 4  # from this many multi-cell rows on, one spanning row never merges columns
# A table ends at a vertical gap wider than this many (median) line heights ...
TABLE_MAX_ROW_GAP_LINES = 2.6
# ... or at a line of prose: one cell wider than this share of the table, with many words.
TABLE_PROSE_WIDTH = 0.35
TABLE_PROSE_MIN_WORDS = 9
CAPTION_MAX_LINES = 5
FOOTNOTE_MAX_LINES = 20  # footnote lines between a table and a caption printed under it
CAPTION_BELOW_MAX = 60.0  # pt between a ruled grid and a caption printed under it
# Beside a table found in one column, when most lines of the other column are split into cells or
# short, the table runs across the page.
TABLE_TABULAR_SHARE = 0.6
# In a table across the page, a line filling one column is that column's text.
COLUMN_LINE_SHARE = 0.85
COLUMN_LINE_MIN_WORDS = 4
TEXT_LINE_WORD_SHARE = 0.7
TEXT_LINE_MAX_GAP_EM = 1.2
PAT_WORD = re.compile(r"^[(\[\"'‘“]?[^\W\d_]{2,}[-'’]?[^\W\d_]*[)\],.;:?!\"'’”]*$")
TABLE_MIN_ROWS = 2
TABLE_MIN_COLS = 2
MAX_HEADER_ROWS = 3
PAT_NUMBER_CELL = re.compile(r"^[<>≤≥=~±]?\s*[-−–]?\d")
# A rule under a caption is a table rule when it spans this share of the table's width.
RULE_MIN_WIDTH_SHARE = 0.4
RULE_MAX_HEIGHT = 2.0
PAT_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])")


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fonts: list[str]  # one font name per character of `text`

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    words: list[Word]
    top: float
    bottom: float
    x0: float
    x1: float
    gap_before: bool = False  # start a new paragraph before this line

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class RawTable:
    label: str
    caption: str
    rows: list[list[str]]
    header_rows: int
    continued: bool
    top: float
    bottom: float
    footnotes: list[str] = field(default_factory=list)


@dataclass
class PageLayout:
    number: int
    height: float
    lines: list[Line]
    tables: list[RawTable]


@dataclass
class TextBuilder:
    """The laid-out ("raw") text with one font per character and the characters to drop."""

    parts: list[str] = field(default_factory=list)
    fonts: list[str | None] = field(default_factory=list)
    dropped: set[int] = field(default_factory=set)
    length: int = 0
    last_hyphen: int | None = None  # raw offset of a line-final hyphen that may be joined

    def add(self, text: str, fonts: list[str] | None = None) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.fonts.extend(fonts if fonts is not None else [None] * len(text))
        self.length += len(text)
        return start, self.length

    def add_line(self, line: Line) -> None:
        first = line.words[0].text
        if self.last_hyphen is not None and first[:1].islower():
            # The hyphen sits at last_hyphen and the newline right after it.
            keep_hyphen = first.rstrip(".,;:)").lower() in COMPOUND_SECOND_PARTS
            if not keep_hyphen:
                self.dropped.add(self.last_hyphen)
            self.dropped.add(self.last_hyphen + 1)
        elif line.gap_before and self.length:
            self.add("\n")
        self.last_hyphen = None
        for i, word in enumerate(line.words):
            if i:
                self.add(" ")
            self.add(word.text, word.fonts if len(word.fonts) == len(word.text) else None)
        if PAT_LINE_END_HYPHEN.search(line.words[-1].text):
            self.last_hyphen = self.length - 1
        self.add("\n")

    def end_block(self) -> None:
        self.last_hyphen = None
        if self.length:
            self.add("\n")


def read_pdf(data: bytes, source: str, paper_id: str, settings: ReadSettings) -> Document:
    """One PDF paper. Raises EncryptedPDF, ImageOnlyPDF, TooLarge or UnreadablePaper."""
    if b"%PDF-" not in data[:1024]:
        raise UnreadablePaper(f"{source}: not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise UnreadablePaper(f"{source}: truncated PDF (no %%EOF marker at the end)")
    started = time.monotonic()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            layouts = _lay_out_pages(pdf, source, settings, started)
            info = dict(pdf.metadata)
    except EvidenceError:
        raise
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedPDF(f"{source}: the PDF is encrypted and needs a password") from exc
        raise UnreadablePaper(f"{source}: cannot parse the PDF ({type(cause).__name__}: {cause})") from exc
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedPDF(f"{source}: the PDF is encrypted and needs a password") from exc
    except Exception as exc:  # pdfminer raises many untyped errors on damaged files
        raise UnreadablePaper(f"{source}: cannot parse the PDF ({type(exc).__name__}: {exc})") from exc
    if not any(layout.lines or layout.tables for layout in layouts):
        raise ImageOnlyPDF(f"{source}: the PDF has no text layer (scanned images only)")
    _drop_running_lines(layouts)
    return _assemble(layouts, source, paper_id, info)


def _lay_out_pages(pdf: Any, source: str, settings: ReadSettings, started: float) -> list[PageLayout]:
    pages = pdf.pages
    if len(pages) > settings.max_pdf_pages:
        raise TooLarge(f"{source}: {len(pages)} pages exceeds the limit of {settings.max_pdf_pages}")
    layouts = []
    for number, page in enumerate(pages, start=1):
        area = float(page.width) * float(page.height)
        if area > settings.max_page_area:
            raise TooLarge(
                f"{source}: page {number} measures {area:.0f} pt², over {settings.max_page_area:.0f}"
            )
        layouts.append(_lay_out_page(page, number))
        page.flush_cache()  # pdfplumber keeps every parsed object per page otherwise
        if time.monotonic() - started > settings.time_budget_s:
            raise TooLarge(
                f"{source}: reading took over {settings.time_budget_s:.0f} s (stopped at page {number})"
            )
    return layouts


def _lay_out_page(page: Any, number: int) -> PageLayout:
    width = float(page.width)
    words = _page_words(page)
    rules = _horizontal_rules(page)
    words, leaders = _split_dot_leaders(words)
    rules.extend(leaders)
    if not words:
        return PageLayout(number, float(page.height), [], [])
    rows = _group_rows(words)
    gutter = _find_gutter(rows, 0.0, width)
    lines = _split_rows(rows, [gutter] if gutter is not None else [])
    tables, table_words = _find_caption_tables(lines, rules, gutter, width)
    ruled, ruled_words = _find_ruled_tables(page, words, table_words, lines)
    tables.extend(ruled)
    table_words |= ruled_words
    # The running text is laid out again without the tables, whose cell gaps would pass for gutters.
    body_rows = _group_rows([w for w in words if id(w) not in table_words])
    body = _split_rows(body_rows, _find_gutters(body_rows, width))
    _mark_paragraphs(body)
    tables.sort(key=lambda t: t.top)
    return PageLayout(number, float(page.height), body, tables)


def _page_words(page: Any) -> list[Word]:
    extractor = WordExtractor(x_tolerance_ratio=WORD_X_TOLERANCE_RATIO, y_tolerance=WORD_Y_TOLERANCE)
    width, height = float(page.width), float(page.height)
    x_origin, y_origin = float(page.bbox[0]), float(page.bbox[1])
    words: list[Word] = []
    ligature_ends: set[int] = set()
    for raw, chars in extractor.iter_extract_tuples(_clean_chars(page.chars)):
        # Rotated side-bars ("Downloaded from ...") are not part of the reading flow.
        if not raw.get("upright", True) or not raw["text"].strip():
            continue
        x0, x1 = raw["x0"] - x_origin, raw["x1"] - x_origin
        top, bottom = raw["top"] - y_origin, raw["bottom"] - y_origin
        if x1 < 0 or x0 > width or bottom < 0 or top > height:
            continue
        sizes = [c.get("size", 0.0) for c in chars]
        words.append(
            Word(
                text=raw["text"],
                x0=x0,
                x1=x1,
                top=top,
                bottom=bottom,
                size=max(sizes) if sizes else bottom - top,
                fonts=[_font_name(c.get("fontname", "")) for c in chars],
            )
        )
        if chars and chars[-1].get("text") in LIGATURES:
            ligature_ends.add(len(words) - 1)
    return _join_after_ligatures(words, ligature_ends)


def _clean_chars(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop glyphs drawn twice in place (fake bold: "CCrriittiiccaall") and a space drawn inside the
    box of the ligature before it (some typesetters emit one)."""
    kept: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, int], list[tuple[float, float]]] = {}
    for char in chars:
        text = char.get("text", "")
        x0, top = float(char["x0"]), float(char["top"])
        x, y = round(x0), round(top)
        # The same glyph again within a fifth of its width is an overprint; dot leaders are further apart.
        near = OVERPRINT_SHARE * max(float(char["x1"]) - x0, 0.5)
        if text.strip() and any(
            abs(x0 - ox) < near and abs(top - oy) < near
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for ox, oy in seen.get((text, x + dx, y + dy), ())
        ):
            continue
        previous = kept[-1] if kept else None
        if (
            text == " "
            and previous is not None
            and previous.get("text") in LIGATURES
            and char["x1"] <= previous["x1"] + 0.5
        ):
            continue
        seen.setdefault((text, x, y), []).append((x0, top))
        kept.append(char)
    return kept


def _join_after_ligatures(words: list[Word], ligature_ends: set[int]) -> list[Word]:
    """Some fonts give ligature glyphs ("ﬁ", "ﬀ") too narrow a width: "identiﬁ ed" is one word."""
    joined: list[Word] = []
    for i, word in enumerate(words):
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and i - 1 in ligature_ends
            and word.text[:1].islower()
            and abs(word.top - previous.top) < 1
            and 0 <= word.x0 - previous.x1 < LIGATURE_MAX_GAP_EM * word.size
        ):
            joined[-1] = Word(
                text=previous.text + word.text,
                x0=previous.x0,
                x1=word.x1,
                top=min(previous.top, word.top),
                bottom=max(previous.bottom, word.bottom),
                size=max(previous.size, word.size),
                fonts=previous.fonts + word.fonts,
            )
        else:
            joined.append(word)
    return joined


def _font_name(name: str) -> str:
    # Subset prefixes ("ABCDEF+Symbol") differ per file; the base name is what glyph repair keys on.
    return name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name


def _horizontal_rules(page: Any) -> list[tuple[float, float, float]]:
    rules = []
    for obj in list(page.lines) + list(page.rects):
        height = abs(float(obj["bottom"]) - float(obj["top"]))
        if height <= RULE_MAX_HEIGHT and float(obj["x1"]) - float(obj["x0"]) > 0:
            rules.append((float(obj["x0"]), float(obj["x1"]), float(obj["top"])))
    return rules


def _split_dot_leaders(words: list[Word]) -> tuple[list[Word], list[tuple[float, float, float]]]:
    """Rows of dots drawn as text are rules too (some typesetters draw table rules that way)."""
    kept, rules = [], []
    for word in words:
        if PAT_DOT_LEADER.match(word.text):
            rules.append((word.x0, word.x1, (word.top + word.bottom) / 2))
        else:
            kept.append(word)
    return kept, rules


def _group_rows(words: list[Word]) -> list[list[Word]]:
    rows: list[tuple[float, float, list[Word]]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        best, best_overlap = None, 0.0
        for i in range(len(rows) - 1, -1, -1):
            top, bottom, _ = rows[i]
            if bottom < word.top - 2 * max(word.height, 1.0):
                break
            overlap = min(bottom, word.bottom) - max(top, word.top)
            share = overlap / max(min(bottom - top, word.height), 0.1)
            if share >= ROW_MIN_OVERLAP and share > best_overlap:
                best, best_overlap = i, share
        if best is None:
            rows.append((word.top, word.bottom, [word]))
        else:
            top, bottom, members = rows[best]
            members.append(word)
            # The row box follows its main line, not its superscripts.
            if word.height >= bottom - top:
                rows[best] = (word.top, word.bottom, members)
        rows.sort(key=lambda r: r[0])
    return [sorted(members, key=lambda w: w.x0) for _, _, members in rows]


def _find_gutters(rows: list[list[Word]], width: float) -> list[float]:
    """Column gutters, the page's main one first; a part wider than half the page is searched again
    (a side column of affiliations beside two columns of text)."""
    main = _find_gutter(rows, 0.0, width)
    if main is None:
        return []
    gutters = [main]
    for lo, hi in ((0.0, main), (main, width)):
        if hi - lo > SUBCOLUMN_MIN_SHARE * width:
            part = [[w for w in row if lo <= w.x0 and w.x1 <= hi] for row in rows]
            inner = _find_gutter([r for r in part if r], lo, hi)
            if inner is not None:
                gutters.append(inner)
    return gutters


def _find_gutter(rows: list[list[Word]], x_lo: float, x_hi: float) -> float | None:
    if len(rows) < GUTTER_MIN_ROWS:
        return None
    span = x_hi - x_lo
    lo, hi = int(x_lo + span * GUTTER_BAND[0]), int(x_lo + span * GUTTER_BAND[1])
    crossing = [0] * (hi - lo + 1)
    for row in rows:
        covered: set[int] = set()
        for w in row:
            covered.update(range(max(lo, int(w.x0)), min(hi, int(w.x1)) + 1))
        for x in covered:
            crossing[x - lo] += 1
    best = min(crossing)
    if best > GUTTER_MAX_CROSSING * len(rows):
        return None
    # The centre of the longest run of least-crossed positions.
    run_start, best_run = None, (0, -1)
    for i, count in enumerate([*crossing, best + 1]):
        if count == best and run_start is None:
            run_start = i
        elif count != best and run_start is not None:
            if i - run_start > best_run[1] - best_run[0]:
                best_run = (run_start, i)
            run_start = None
    gutter = lo + (best_run[0] + best_run[1]) / 2
    left = sum(1 for row in rows if any(w.x1 < gutter for w in row))
    right = sum(1 for row in rows if any(w.x0 > gutter for w in row))
    if left < GUTTER_MIN_SIDE * len(rows) or right < GUTTER_MIN_SIDE * len(rows):
        return None
    return gutter


def _split_rows(rows: list[list[Word]], gutters: list[float]) -> list[Line]:
    """Lines in reading order: full-width lines in place, column lines left column first."""
    if not gutters:
        return [_line(row) for row in rows]
    bounds = sorted(gutters)
    ordered: list[Line] = []
    columns: list[list[Line]] = [[] for _ in range(len(bounds) + 1)]

    def flush() -> None:
        for column in columns:
            ordered.extend(column)
            column.clear()

    for row in rows:
        parts: list[list[Word]] = [[] for _ in columns]
        crosses = False
        for word in row:
            index = sum(1 for g in bounds if word.x0 >= g)
            if index < len(bounds) and word.x1 > bounds[index]:
                crosses = True
                break
            parts[index].append(word)
        if not crosses:
            em = statistics.median(w.size for w in row)
            filled = [p for p in parts if p]
            crosses = any(
                b[0].x0 - a[-1].x1 < GUTTER_MIN_GAP_EM * em for a, b in zip(filled, filled[1:], strict=False)
            )
        if crosses:
            flush()
            ordered.append(_line(row))
            continue
        for column, part in zip(columns, parts, strict=True):
            if part:
                column.append(_line(part))
    flush()
    return ordered


def _line(words: list[Word]) -> Line:
    return Line(
        words=words,
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
    )


def _mark_paragraphs(lines: list[Line]) -> None:
    heights = [line.bottom - line.top for line in lines]
    if not heights:
        return
    line_height = statistics.median(heights)
    previous: Line | None = None
    for line in lines:
        if previous is not None:
            gap = line.top - previous.bottom
            # A jump upwards is a new column or band: also a paragraph break.
            line.gap_before = gap > PARAGRAPH_GAP_LINES * line_height or line.top < previous.top - line_height
        previous = line


# Tables ------------------------------------------------------------------------------------------


def _phrases(words: list[Word], gap_em: float = PHRASE_GAP_EM) -> list[list[Word]]:
    """Runs of words separated by less than `gap_em` em."""
    phrases: list[list[Word]] = []
    for word in words:
        if phrases and word.x0 - phrases[-1][-1].x1 < gap_em * max(word.size, 1.0):
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


def _find_caption_tables(
    lines: list[Line], rules: list[tuple[float, float, float]], gutter: float | None, width: float
) -> tuple[list[RawTable], set[int]]:
    tables: list[RawTable] = []
    taken: set[int] = set()
    all_words = [w for line in lines for w in line.words]
    for line in lines:
        match = _caption_match(line.text)
        if not match or any(id(w) in taken for w in line.words):
            continue
        found = _table_near_caption(_PageView(all_words, rules, gutter, width, taken), line, match)
        if found is not None:
            table, words = found
            tables.append(table)
            taken |= words
    return tables, taken


def _caption_match(text: str) -> re.Match[str] | None:
    """ "Table 2 Outcomes", "Table 2. Outcomes", "table 2 | outcomes"; not "Table 2 shows the ..."."""
    match = PAT_TABLE_CAPTION.match(text)
    if match is None:
        return None
    separated = match.group(0).rstrip()[-1:] in ".:|"
    rest = text[match.end() :].lstrip()
    return match if separated or not rest[:1].islower() else None


@dataclass
class _PageView:
    words: list[Word]
    rules: list[tuple[float, float, float]]
    gutter: float | None
    width: float
    taken: set[int]


def _table_near_caption(
    page: _PageView, caption_line: Line, match: re.Match[str]
) -> tuple[RawTable, set[int]] | None:
    # Most journals caption a table above it; some (Lancet) below it.
    found, below = None, True
    for below in (True, False):
        x_lo, x_hi = _table_x_range(page, caption_line, below)
        found = _table_in_range(page, caption_line, match, below, x_lo, x_hi)
        if found is not None:
            break
    gutter = page.gutter
    if gutter is None or x_lo < gutter - 1 < gutter + 1 < x_hi:
        return found
    # A caption in one column over a table that runs across the page: the other column, beside the
    # rows found, holds cells too (or nothing was found in the caption's column alone).
    other = (gutter, page.width) if x_hi <= gutter + 1 else (0.0, gutter)
    if found is not None and not _band_is_tabular(page, *other, found[0].top, found[0].bottom):
        return found
    for direction in (True, False) if found is None else (below,):
        wider = _table_in_range(page, caption_line, match, direction, 0.0, page.width)
        if wider is not None and (found is None or _filled(wider[0].rows) > _filled(found[0].rows)):
            return wider
    return found


def _filled(cells: list[list[str]]) -> int:
    return sum(1 for row in cells for c in row if c)


def _band_is_tabular(page: _PageView, lo: float, hi: float, y0: float, y1: float) -> bool:
    words = [
        w
        for w in page.words
        if id(w) not in page.taken and lo <= w.x0 and w.x1 <= hi and y0 <= (w.top + w.bottom) / 2 <= y1
    ]
    rows = [_line(r) for r in _group_rows(words)]
    if len(rows) < TABLE_MIN_ROWS:
        return False
    left, right = min(r.x0 for r in rows), max(r.x1 for r in rows)
    text_lines = sum(1 for r in rows if _is_text_line(r, left, right))
    return text_lines <= (1 - TABLE_TABULAR_SHARE) * len(rows)


def _is_text_line(row: Line, left: float, right: float) -> bool:
    """A line of running text: wordy, mostly letters, filling its column (justified lines too)."""
    if len(row.words) < COLUMN_LINE_MIN_WORDS or row.x1 - row.x0 < COLUMN_LINE_SHARE * (right - left):
        return False
    gaps = [b.x0 - a.x1 for a, b in zip(row.words, row.words[1:], strict=False)]
    if max(gaps) > TEXT_LINE_MAX_GAP_EM * statistics.median(w.size for w in row.words):
        return False  # cells of a header row, not a justified line
    wordy = sum(1 for w in row.words if PAT_WORD.match(w.text))
    return wordy >= TEXT_LINE_WORD_SHARE * len(row.words)


def _table_in_range(
    page: _PageView, caption_line: Line, match: re.Match[str], below: bool, x_lo: float, x_hi: float
) -> tuple[RawTable, set[int]] | None:
    rows = _free_rows(page, x_lo, x_hi)
    first = caption_line.words[0]
    at = next((i for i, r in enumerate(rows) if any(w is first for w in r.words)), None)
    if at is None:
        return None
    line_height = statistics.median(r.bottom - r.top for r in rows)
    rules = _rules_across(page, x_lo, x_hi)
    caption_rows = _caption_rows(rows, at, rules, line_height)
    span = (min(r.x0 for r in rows), max(r.x1 for r in rows))  # the text's extent, not the page's
    notes: list[Line] = []
    before: list[list[str]] = []  # cells of the part printed in the previous column
    if below:
        body = _table_rows(
            rows[at + len(caption_rows) :], caption_rows[-1], rules, line_height, span, page.gutter
        )
    else:
        above = list(reversed(rows[:at]))
        # Footnotes sit between a table and a caption placed under it.
        skip = 0
        while skip < min(len(above), FOOTNOTE_MAX_LINES) and (
            len(_phrases(above[skip].words)) == 1 or len(above[skip].words) >= TABLE_PROSE_MIN_WORDS
        ):
            skip += 1
        if skip == len(above):
            return None
        notes = above[:skip][::-1]
        start = above[skip]
        body = _table_rows(above[skip + 1 :], start, rules, line_height, span, page.gutter, upwards=True)
        body = [*reversed(body), start]
        before, before_rows = _previous_column_part(page, rows, body, match.group(1), x_lo, x_hi)
        notes = before_rows + notes
    body, footnotes = _split_footnotes(body, rules)
    cells, header_rows = _cells_from_rows(body, rules)
    if before:
        header_rows = _header_rows_of(before)
        cells = before + cells
    if not _is_table(cells):
        return None
    caption = " ".join(r.text for r in caption_rows)
    table = RawTable(
        label=f"Table {match.group(1)}",
        caption=caption,
        rows=cells,
        header_rows=header_rows,
        continued=bool(PAT_CONTINUED.search(caption)),
        top=min(caption_line.top, body[0].top),
        bottom=max(caption_line.bottom, body[-1].bottom),
        footnotes=[r.text for r in footnotes + notes if not PAT_COLUMN_BREAK.search(r.text)],
    )
    return table, {id(w) for r in caption_rows + body + footnotes + notes for w in r.words}


def _free_rows(page: _PageView, x_lo: float, x_hi: float) -> list[Line]:
    free = [w for w in page.words if id(w) not in page.taken and x_lo - 1 <= (w.x0 + w.x1) / 2 <= x_hi + 1]
    return [_line(r) for r in _group_rows(free)]


def _rules_across(page: _PageView, x_lo: float, x_hi: float) -> list[float]:
    return sorted(
        top
        for x0, x1, top in page.rules
        if min(x1, x_hi) - max(x0, x_lo) >= RULE_MIN_WIDTH_SHARE * (x_hi - x_lo)
    )


def _previous_column_part(
    page: _PageView, rows: list[Line], body: list[Line], number: str, x_lo: float, x_hi: float
) -> tuple[list[list[str]], list[Line]]:
    """A table that starts in the left column and "continues in next column": its first part.

    Returns the first part's cells and every line it took (the part, its column-break notes); the
    repeated header above "(continued from previous column)" in the right column is dropped.
    """
    if page.gutter is None or x_lo < page.gutter - 1:
        return [], []
    marker = next((r for r in rows if PAT_COLUMN_BREAK.search(r.text) and r.bottom <= body[0].top + 1), None)
    if marker is None:
        return [], []
    # Rows of the right-hand part above the marker repeat the header.
    del body[: next((i for i, r in enumerate(body) if r.top > marker.top), len(body))]
    left = _free_rows(page, 0.0, page.gutter)
    end = next(
        (
            i
            for i, r in enumerate(left)
            if PAT_COLUMN_BREAK.search(r.text) and re.search(rf"\b{number}\b", r.text)
        ),
        None,
    )
    if end is None or not body:
        return [], [marker]
    line_height = statistics.median(r.bottom - r.top for r in left)
    span = (min(r.x0 for r in left), page.gutter)
    part = _table_rows(list(reversed(left[:end])), left[end], [], line_height, span, None, upwards=True)
    part = part[::-1]
    cells, _ = _cells_from_rows(part, _rules_across(page, 0.0, page.gutter))
    return cells, [*part, left[end], marker]


def _header_rows_of(cells: list[list[str]]) -> int:
    """Header rows by content: the rows above the first row label, or the labelled first row, plus
    the unlabelled, number-free rows that continue it ("(n = 945)" under "Lifestyle advice")."""
    limit = min(MAX_HEADER_ROWS, len(cells) - 1)
    first_label = next((k for k, row in enumerate(cells[:limit]) if row and row[0]), None)
    if first_label is None:
        return 1
    k = max(first_label, 1)
    while k < limit and not cells[k][0] and not any(PAT_NUMBER_CELL.match(c) for c in cells[k]):
        k += 1
    return k


def _split_footnotes(body: list[Line], rules: list[float]) -> tuple[list[Line], list[Line]]:
    """Single-cell lines under the last rule inside the table are its footnotes."""
    for k in range(len(body) - 1, 0, -1):
        if _rule_between(rules, body[k - 1], body[k]):
            tail = body[k:]
            if all(len(_phrases(r.words)) == 1 for r in tail):
                return body[:k], tail
            break
    return body, []


def _caption_rows(rows: list[Line], at: int, rules: list[float], line_height: float) -> list[Line]:
    """The caption's first line and the single-cell lines that follow it closely, up to a rule."""
    caption_rows = [rows[at]]
    for row in rows[at + 1 :]:
        previous = caption_rows[-1]
        if (
            len(caption_rows) >= CAPTION_MAX_LINES
            or _rule_between(rules, previous, row)
            or row.top - previous.bottom > line_height
            or len(_phrases(row.words)) > 1
        ):
            break
        caption_rows.append(row)
    return caption_rows


def _rule_between(rules: list[float], upper: Line, lower: Line) -> bool:
    return any(upper.bottom - 1 <= r <= lower.top + 1 for r in rules)


def _table_rows(
    rows: list[Line],
    start: Line,
    rules: list[float],
    line_height: float,
    span: tuple[float, float],
    gutter: float | None,
    upwards: bool = False,
) -> list[Line]:
    """Rows of a table from `start` on (downwards, or upwards), up to a gap, a caption or prose."""
    body: list[Line] = []
    previous = start
    for row in rows:
        if (
            PAT_TABLE_CAPTION.match(row.text)
            or PAT_FIGURE_CAPTION.match(row.text)
            or PAT_COLUMN_BREAK.search(row.text)
        ):
            break
        upper, lower = (row, previous) if upwards else (previous, row)
        gap = lower.top - upper.bottom
        max_gap = TABLE_MAX_ROW_GAP_LINES * line_height * (2 if _rule_between(rules, upper, lower) else 1)
        if gap > max_gap or _is_prose(row, span[1] - span[0]) or _is_column_line(row, span, gutter):
            break
        body.append(row)
        previous = row
    return body


def _is_column_line(row: Line, span: tuple[float, float], gutter: float | None) -> bool:
    """Running text: each side of the gutter the row fills is a line of text (justified lines too)."""
    lo, hi = span
    if gutter is None or not lo < gutter < hi:
        return _is_text_line(row, lo, hi)
    left = [w for w in row.words if w.x1 <= gutter]
    right = [w for w in row.words if w.x0 >= gutter]
    if len(left) + len(right) < len(row.words):
        return False
    return all(
        _is_text_line(_line(side), a, b) for side, a, b in ((left, lo, gutter), (right, gutter, hi)) if side
    )


def _is_prose(row: Line, width: float) -> bool:
    # Long, wide runs of words only: a line of text, or of both columns seen across the full width
    # (a table's row label can be long, but it has cells beside it).
    return all(
        len(phrase) >= TABLE_PROSE_MIN_WORDS and phrase[-1].x1 - phrase[0].x0 >= TABLE_PROSE_WIDTH * width
        for phrase in _phrases(row.words)
    )


def _table_x_range(page: _PageView, caption: Line, below: bool) -> tuple[float, float]:
    """The caption's column (the page when it crosses the gutter), widened to a rule just under it."""
    gutter, width = page.gutter, page.width
    if gutter is None or caption.x0 < gutter < caption.x1:
        lo, hi = 0.0, width
    elif caption.x1 <= gutter:
        lo, hi = 0.0, gutter
    else:
        lo, hi = gutter, width
    height = caption.bottom - caption.top
    under = sorted(
        (top, x0, x1)
        for x0, x1, top in page.rules
        if caption.top < top < caption.bottom + 6 * height and x1 - x0 > 0.2 * width
    )
    if below and under and under[0][1] <= caption.x0 + 5:
        _, x0, x1 = under[0]
        lo, hi = min(lo, x0 - 1), max(hi, x1 + 1)
    return lo, hi


def _cells_from_rows(rows: list[Line], rules: list[float]) -> tuple[list[list[str]], int]:
    """Cell texts by row and column: columns are the gaps shared by all multi-cell rows."""
    if not rows:
        return [], 0
    row_phrases = [_phrases(row.words, CELL_GAP_EM) for row in rows]
    columns = _columns(row_phrases) or [[rows[0].x0, rows[0].x1]]
    table = _assign_cells(row_phrases, columns)
    # Neighbouring columns never filled in the same row are one column indented differently.
    merged = True
    while merged and len(columns) > 1:
        merged = False
        for i in range(len(columns) - 1):
            if not any(row[i] and row[i + 1] for row in table):
                columns[i : i + 2] = [[columns[i][0], columns[i + 1][1]]]
                table = _assign_cells(row_phrases, columns)
                merged = True
                break
    return table, _header_rows(rows, table, rules)


def _assign_cells(row_phrases: list[list[list[Word]]], columns: list[list[float]]) -> list[list[str]]:
    table: list[list[str]] = []
    for phrases in row_phrases:
        cells = [""] * len(columns)
        for phrase in phrases:
            col = _column_of(phrase[0].x0, phrase[-1].x1, columns)
            text = " ".join(w.text for w in phrase)
            cells[col] = f"{cells[col]} {text}" if cells[col] else text
        table.append(cells)
    return table


def _columns(row_phrases: list[list[list[Word]]]) -> list[list[float]]:
    """Column extents: runs of x positions covered by more than a few of the multi-cell rows."""
    multi = [phrases for phrases in row_phrases if len(phrases) > 1]
    if not multi:
        return []
    origin = int(min(p[0].x0 for phrases in multi for p in phrases))
    end = int(max(p[-1].x1 for phrases in multi for p in phrases)) + 1
    cover = [0] * (end - origin + 1)
    for phrases in multi:
        for p in phrases:
            for x in range(int(p[0].x0) - origin, int(p[-1].x1) - origin + 1):
                cover[x] += 1
    most = max(1, int(COLUMN_GAP_MAX_COVER * len(multi))) if len(multi) >= COLUMN_GAP_MIN_ROWS else 0
    columns: list[list[float]] = []
    for x, count in enumerate(cover):
        if count > most:
            if columns and columns[-1][1] == origin + x - 1:
                columns[-1][1] = origin + x
            else:
                columns.append([origin + x, origin + x])
    return columns


def _column_of(x0: float, x1: float, columns: list[list[float]]) -> int:
    best, best_overlap = 0, -1.0
    for i, (c0, c1) in enumerate(columns):
        overlap = min(x1, c1) - max(x0, c0)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    if best_overlap <= 0:  # between columns: the nearest one to its left edge
        best = min(range(len(columns)), key=lambda i: abs(columns[i][0] - x0))
    return best


def _header_rows(rows: list[Line], cells: list[list[str]], rules: list[float]) -> int:
    # A rule between two rows near the top separates the header (journal style: top, mid and bottom rules).
    for k in range(1, min(MAX_HEADER_ROWS, len(rows) - 1) + 1):
        if _rule_between(rules, rows[k - 1], rows[k]):
            return k
    return _header_rows_of(cells)


def _find_ruled_tables(
    page: Any, words: list[Word], taken: set[int], lines: list[Line]
) -> tuple[list[RawTable], set[int]]:
    """Fully ruled grids (vertical and horizontal lines) that no caption search already took."""
    if not any(abs(float(e["bottom"]) - float(e["top"])) > RULE_MAX_HEIGHT for e in page.lines + page.rects):
        return [], set()
    found: list[RawTable] = []
    used: set[int] = set()
    for table in page.find_tables():
        x0, top, x1, bottom = table.bbox
        inside = [
            w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
        ]
        if not inside or any(id(w) in taken for w in inside):
            continue
        cells = [
            [_collapse(c or "") for c in row]
            for row in table.extract(x_tolerance_ratio=WORD_X_TOLERANCE_RATIO)
        ]
        filled = [c for c in cells[0] if c] if cells else []
        if len(filled) == 1 and (match := PAT_TABLE_CAPTION.match(filled[0])):
            # BMJ style: the caption is the grid's first row.
            caption_words: set[int] = set()
            label, caption = f"Table {match.group(1)}", filled[0]
            cells = cells[1:]
        else:
            label, caption, caption_words = _caption_near(lines, top, bottom, taken | used)
        if not _is_table(cells):
            continue
        used |= {id(w) for w in inside} | caption_words
        found.append(RawTable(label, caption, cells, 1, bool(PAT_CONTINUED.search(caption)), top, bottom))
    return found, used


def _caption_near(lines: list[Line], top: float, bottom: float, taken: set[int]) -> tuple[str, str, set[int]]:
    """The closest "Table N" line above the grid, or just below it."""
    near = [
        line
        for line in lines
        if _caption_match(line.text)
        and not any(id(w) in taken for w in line.words)
        and (line.bottom <= top + 1 or bottom - 1 <= line.top <= bottom + CAPTION_BELOW_MAX)
    ]
    if not near:
        return "Table", "", set()
    caption = min(near, key=lambda line: min(abs(top - line.bottom), abs(line.top - bottom)))
    match = _caption_match(caption.text)
    assert match is not None
    return f"Table {match.group(1)}", caption.text, {id(w) for w in caption.words}


def _is_table(cells: list[list[str]]) -> bool:
    return sum(1 for row in cells if sum(1 for c in row if c) >= TABLE_MIN_COLS) >= TABLE_MIN_ROWS


def _collapse(text: str) -> str:
    return " ".join(text.split())


# Running heads and assembly ----------------------------------------------------------------------


def _margin_key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text.lower()))


def _margin_lines(layout: PageLayout) -> list[Line]:
    top_zone = layout.height * MARGIN_SHARE
    bottom_zone = layout.height * (1 - MARGIN_SHARE)
    by_top = sorted(layout.lines, key=lambda line: line.top)
    heads = [line for line in by_top[:MAX_MARGIN_LINES] if line.bottom <= top_zone]
    feet = [line for line in by_top[-MAX_MARGIN_LINES:] if line.top >= bottom_zone]
    return heads + feet


def _drop_running_lines(layouts: list[PageLayout]) -> None:
    """Remove lines in the page margins that repeat across pages (digits ignored) or are page numbers."""
    pages_with: Counter[str] = Counter()
    for layout in layouts:
        pages_with.update({_margin_key(line) for line in _margin_lines(layout)})
    needed = max(RUNNING_MIN_PAGES, round(RUNNING_MIN_SHARE * len(layouts)))
    for layout in layouts:
        drop = {
            id(line)
            for line in _margin_lines(layout)
            if pages_with[_margin_key(line)] >= needed or PAT_PAGE_NUMBER.match(line.text.strip())
        }
        if drop:
            layout.lines = [line for line in layout.lines if id(line) not in drop]


def _assemble(layouts: list[PageLayout], source: str, paper_id: str, info: dict[str, Any]) -> Document:
    builder = TextBuilder()
    page_spans: list[tuple[int, int, int]] = []
    table_spans: list[tuple[RawTable, int, int, int, list[list[tuple[int, int]]]]] = []
    for layout in layouts:
        start = builder.length
        for line in layout.lines:
            builder.add_line(line)
        for table in layout.tables:
            builder.end_block()
            t_start, _ = builder.add(table.caption + "\n")
            spans = []
            for row in table.rows:
                row_spans = []
                for j, cell in enumerate(row):
                    if j:
                        builder.add("\t")
                    row_spans.append(builder.add(cell))
                builder.add("\n")
                spans.append(row_spans)
            for note in table.footnotes:
                builder.add(note + "\n")
            table_spans.append((table, layout.number, t_start, builder.length, spans))
        builder.end_block()
        page_spans.append((layout.number, start, builder.length))
    raw = "".join(builder.parts)
    keep = [i for i in range(len(raw)) if i not in builder.dropped]
    text = "".join(raw[i] for i in keep)
    # to_text[r] is the text offset of raw offset r (or of the next kept character).
    to_text = [0] * (len(raw) + 1)
    k = 0
    for r in range(len(raw) + 1):
        to_text[r] = k
        if r < len(raw) and r not in builder.dropped:
            k += 1
    pages = [Page(number=n, start=to_text[s], end=to_text[e]) for n, s, e in page_spans]
    tables = _merge_tables(table_spans, to_text)
    fonts = [builder.fonts[i] for i in keep]
    return Document(
        paper_id=paper_id,
        source=source,
        format="pdf",
        text=text,
        meta=_meta(info, text),
        tables=tables,
        pages=pages,
        font_runs=_font_runs(fonts),
        offset_map=keep,
    )


def _merge_tables(
    table_spans: list[tuple[RawTable, int, int, int, list[list[tuple[int, int]]]]], to_text: list[int]
) -> list[Table]:
    """One Table per label: a "(continued)" part adds its body rows to the table it continues."""
    tables: list[Table] = []
    by_label: dict[str, Table] = {}
    for raw, page, start, end, spans in table_spans:
        header = raw.rows[: raw.header_rows]
        body = raw.rows[raw.header_rows :]
        existing = by_label.get(raw.label) if raw.label != "Table" else None
        if existing is not None and (raw.continued or header == existing.header):
            target, first_row = existing, len(existing.header) + len(existing.rows)
            rows_from = raw.header_rows if header == existing.header or raw.continued else 0
            target.rows.extend(raw.rows[rows_from:])
            target.end = to_text[end]
        else:
            target = Table(
                label=raw.label,
                caption=raw.caption,
                header=header,
                rows=body,
                start=to_text[start],
                end=to_text[end],
                page=page,
                footnotes=raw.footnotes,
            )
            tables.append(target)
            if raw.label != "Table":
                by_label.setdefault(raw.label, target)
            first_row, rows_from = 0, 0
        for i in range(rows_from, len(raw.rows)):
            row_index = first_row + i - rows_from
            is_header = target is not existing and i < raw.header_rows
            for j, cell in enumerate(raw.rows[i]):
                if not cell:
                    continue
                s, e = spans[i][j]
                target.cells.append(
                    TableCell(
                        row=row_index, col=j, text=cell, start=to_text[s], end=to_text[e], header=is_header
                    )
                )
    return _one_per_label(tables)


def _one_per_label(tables: list[Table]) -> list[Table]:
    """Where two tables carry one label (a caption-like line in the text), the one with more cells."""
    best: dict[str, Table] = {}
    for table in tables:
        kept = best.get(table.label)
        if table.label != "Table" and (kept is None or len(table.cells) > len(kept.cells)):
            best[table.label] = table
    return [t for t in tables if t.label == "Table" or best.get(t.label) is t]


def _font_runs(fonts: list[str | None]) -> list[FontRun]:
    runs: list[list[Any]] = []  # [start, end, font]
    for i, font in enumerate(fonts):
        if font is None:
            continue
        # Spaces and newlines carry no font: a run goes on across one when the font does not change.
        if runs and runs[-1][2] == font and i - runs[-1][1] <= 1:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1, font])
    return [FontRun(start=start, end=end, font=font) for start, end, font in runs]


def _meta(info: dict[str, Any], text: str) -> Meta:
    title = info.get("Title")
    title = title.strip() if isinstance(title, str) else None
    if title and (
        len(title) < 12 or title.lower().endswith((".pdf", ".doc", ".docx")) or "untitled" in title.lower()
    ):
        title = None
    doi_match = PAT_DOI.search(text[:20000])
    return Meta(title=title or None, doi=doi_match.group(1) if doi_match else None)
