"""XML readers: PMC JATS articles (.nxml/.xml) and PubMed XML (`PubmedArticleSet`).

Parsing goes through defusedxml only: entity definitions (billion laughs), external entities (XXE)
and external DTD fetching are refused as UnsafeXML; anything expat rejects is MalformedXML.

JATS text layout: title, abstract (one paragraph per structured part, "Label: text"), body sections
with their headings, and each `<table-wrap>` where it occurs as "Table N caption", one line per row
(cells joined by tabs, spanned positions left empty) and its footnotes. Every Section, Table and
TableCell offset points into that text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from schemas import (
    Document,
    EvidenceError,
    MalformedXML,
    Meta,
    Section,
    Table,
    TableCell,
    UnreadablePaper,
    UnsafeXML,
)

__all__ = ["canonical_section", "parse_xml", "read_jats", "read_pubmed_xml", "read_xml"]

# Section titles (or JATS sec-type values) to canonical names, first match wins.
SECTION_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^abstract|summary$"), "abstract"),
    (re.compile(r"result.*discussion|results?$|^findings"), "results"),
    (re.compile(r"conclu"), "conclusion"),
    (re.compile(r"discussion|comment"), "discussion"),
    (
        re.compile(r"method|material|patients|participants|design|setting|procedure|statistic|experimental"),
        "methods",
    ),
    (re.compile(r"intro|background|rationale|objective|aims?$|purpose"), "introduction"),
    (re.compile(r"case (report|presentation)|^cases?$"), "results"),
    (
        re.compile(
            r"acknowledg|funding|competing|conflict|author.*contribution|abbreviation|supplementary|additional file"
        ),
        "boilerplate",
    ),
    (re.compile(r"reference|bibliograph"), "references"),
    (re.compile(r"keyword"), "keywords"),
)
# Elements that break a paragraph: rendered as their own blocks.
BLOCK_TAGS = frozenset(
    {"table-wrap", "fig", "list", "disp-quote", "boxed-text", "sec", "table-wrap-group", "fig-group"}
)
# The reference list is left out of the text (its years and volumes are not findings).
SKIP_TAGS = frozenset({"ref-list", "object-id", "graphic", "media"})
PAT_SPACE = re.compile(r"\s+")
PAT_EXPONENT = re.compile(r"^\s*[-−–+]?\d+\s*$")
PAT_YEAR = re.compile(r"(?:19|20)\d\d")


def canonical_section(title: str | None, sec_type: str | None = None) -> str:
    """The canonical name of a section from its JATS sec-type or its heading ('body' when unknown)."""
    for candidate in (sec_type, title):
        if not candidate:
            continue
        key = PAT_SPACE.sub(" ", candidate.strip().lower()).strip(" .:")
        for pattern, name in SECTION_NAMES:
            if pattern.search(key):
                return name
    return "body"


def parse_xml(data: bytes, source: str) -> Element:
    """The root element, parsed safely (UnsafeXML for entity tricks, MalformedXML for bad XML)."""
    try:
        root: Element = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        return root
    except DefusedXmlException as exc:
        raise UnsafeXML(f"{source}: refused unsafe XML ({type(exc).__name__}: {exc})") from exc
    except ParseError as exc:
        raise MalformedXML(f"{source}: malformed XML ({exc})") from exc
    except (ValueError, UnicodeError) as exc:
        raise MalformedXML(f"{source}: malformed XML ({exc})") from exc


def read_xml(data: bytes, source: str, paper_id: str) -> tuple[list[Document], list[EvidenceError]]:
    """JATS article or PubMed article set: the Documents read and the per-record errors."""
    root = parse_xml(data, source)
    tag = _local(root.tag)
    if tag == "PubmedArticleSet":
        return read_pubmed_xml(root, source, paper_id)
    if tag == "PubmedArticle":
        return read_pubmed_xml([root], source, paper_id)
    if tag == "article":
        return [read_jats(root, source, paper_id)], []
    article = next((e for e in root.iter() if _local(e.tag) == "article"), None)
    if article is not None:  # a PMC OAI wrapper or similar around one article
        return [read_jats(article, source, paper_id)], []
    raise MalformedXML(f"{source}: XML root <{tag}> is neither a JATS <article> nor a <PubmedArticleSet>")


# Text building ----------------------------------------------------------------------------------


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def add(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def paragraph(self, text: str) -> tuple[int, int] | None:
        text = _collapse(text)
        if not text:
            return None
        span = self.add(text)
        self.add("\n\n")
        return span

    def section(self, name: str, start: int, heading: str | None = None, part: str | None = None) -> None:
        end = self.content_end()
        if end > start:
            self.sections.append(Section(name=name, heading=heading, start=start, end=end, part=part))

    def content_end(self) -> int:
        """The offset after the last character that is not a newline: blocks end there."""
        end = self.length
        for part in reversed(self.parts):
            stripped = part.rstrip("\n")
            end -= len(part) - len(stripped)
            if stripped:
                break
        return end

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _collapse(text: str | None) -> str:
    return PAT_SPACE.sub(" ", text or "").strip()


def _all_text(elem: Element | None) -> str:
    if elem is None:
        return ""
    return _collapse("".join(_iter_text(elem)))


def _iter_text(elem: Element) -> Iterator[str]:
    if _local(elem.tag) in SKIP_TAGS:
        return
    last = elem.text or ""
    if last:
        yield last
    for child in elem:
        yield _exponent_mark(last, child)
        for piece in _iter_text(child):
            last = piece or last
            yield piece
        if child.tail:
            last = child.tail
            yield child.tail


def _exponent_mark(before: str, child: Element) -> str:
    """'^' before a superscript number that follows a digit: 10<sup>-3</sup> is 10^-3, not 10-3."""
    if _local(child.tag) == "sup" and before[-1:].isdigit() and PAT_EXPONENT.match(child.text or ""):
        return "^"
    return ""


def _children(elem: Element | None, name: str) -> list[Element]:
    return [] if elem is None else [c for c in elem if _local(c.tag) == name]


def _child(elem: Element | None, name: str) -> Element | None:
    return next(iter(_children(elem, name)), None)


def _find(elem: Element | None, *path: str) -> Element | None:
    for name in path:
        elem = _child(elem, name)
    return elem


def _descendants(elem: Element, name: str) -> Iterator[Element]:
    return (e for e in elem.iter() if _local(e.tag) == name)


# JATS -------------------------------------------------------------------------------------------


def read_jats(article: Element, source: str, paper_id: str) -> Document:
    """One PMC JATS article: metadata, abstract, body sections and tables with cell spans."""
    front = _child(article, "front")
    meta_elem = _find(front, "article-meta")
    builder = _Builder()
    title = _all_text(_find(meta_elem, "title-group", "article-title"))
    if title:
        builder.paragraph(title)
        builder.section("title", 0)
    for abstract in _children(meta_elem, "abstract"):
        if abstract.get("abstract-type") in ("toc", "teaser", "graphical"):
            continue
        _render_abstract(builder, abstract)
    keywords = [_all_text(k) for k in _descendants(meta_elem, "kwd")] if meta_elem is not None else []
    if keywords:
        start = builder.length
        builder.paragraph("Keywords: " + "; ".join(k for k in keywords if k))
        builder.section("keywords", start)
    body = _child(article, "body")
    if body is not None:
        _render_blocks(builder, list(body), "body")
    # Some articles keep their tables in <back> or a floats group rather than in the body.
    for part in ("back", "floats-group", "floats-wrap"):
        elem = _child(article, part)
        if elem is not None:
            _render_blocks(builder, list(elem), "body")
    text = builder.text.rstrip("\n") + "\n"
    if not text.strip():
        raise UnreadablePaper(f"{source}: the JATS article has no title, abstract or body text")
    return Document(
        paper_id=paper_id,
        source=source,
        format="jats",
        text=text,
        meta=_jats_meta(front, title),
        sections=builder.sections,
        tables=builder.tables,
    )


def _render_abstract(builder: _Builder, abstract: Element) -> None:
    start = builder.length
    parts = _children(abstract, "sec")
    if parts:
        for sec in parts:
            label = _all_text(_child(sec, "title")) or None
            body = " ".join(_all_text(p) for p in sec if _local(p.tag) not in ("title", "label"))
            part_start = builder.length
            builder.paragraph(f"{label}: {body}" if label else body)
            builder.section("abstract", part_start, heading=label, part=label)
    else:
        for p in abstract:
            if _local(p.tag) != "title":
                builder.paragraph(_all_text(p))
    builder.section("abstract", start, heading="Abstract")


def _render_blocks(builder: _Builder, elems: Iterable[Element], name: str) -> None:
    for elem in elems:
        tag = _local(elem.tag)
        if tag in SKIP_TAGS or tag in ("title", "label"):
            continue
        if tag == "sec":
            _render_section(builder, elem, name)
        elif tag == "p":
            _render_paragraph(builder, elem, name)
        elif tag in ("table-wrap", "table-wrap-group"):
            for wrap in [elem] if tag == "table-wrap" else list(_descendants(elem, "table-wrap")):
                _render_table(builder, wrap)
        elif tag in ("fig", "fig-group"):
            _render_figure(builder, elem)
        elif tag in (
            "list",
            "boxed-text",
            "disp-quote",
            "list-item",
            "def-list",
            "def-item",
            "glossary",
            "app-group",
            "app",
        ):
            _render_blocks(builder, list(elem), name)
        else:
            builder.paragraph(_all_text(elem))


def _render_section(builder: _Builder, sec: Element, parent: str) -> None:
    # A section under a known one keeps its name ("Statistical analysis" stays in methods) and
    # records its heading as the part.
    heading = _all_text(_child(sec, "title")) or None
    top_level = parent == "body"
    name = canonical_section(heading, sec.get("sec-type")) if top_level else parent
    start = builder.length
    if heading:
        builder.paragraph(heading)
    _render_blocks(builder, list(sec), name)
    builder.section(name, start, heading=heading, part=None if top_level else heading)


def _render_paragraph(builder: _Builder, p: Element, name: str) -> None:
    """A paragraph, split around the tables, figures and lists nested in it."""
    pieces: list[str] = [p.text or ""]
    for child in p:
        tag = _local(child.tag)
        if tag in BLOCK_TAGS:
            builder.paragraph("".join(pieces))
            _render_blocks(builder, [child], name)
            pieces = [child.tail or ""]
        else:
            pieces.append(_exponent_mark(next((x for x in reversed(pieces) if x), ""), child))
            pieces.extend(_iter_text(child))
            pieces.append(child.tail or "")
    builder.paragraph("".join(pieces))


def _render_figure(builder: _Builder, fig: Element) -> None:
    for one in [fig] if _local(fig.tag) == "fig" else list(_descendants(fig, "fig")):
        label = _all_text(_child(one, "label"))
        caption = _all_text(_child(one, "caption"))
        start = builder.length
        if builder.paragraph(f"{label} {caption}".strip()):
            builder.section("figure", start, heading=label or None)


def _render_table(builder: _Builder, wrap: Element) -> None:
    label = _all_text(_child(wrap, "label")) or "Table"
    caption = _all_text(_child(wrap, "caption")) or None
    table_elem = next(_descendants(wrap, "table"), None)
    start = builder.length
    builder.add(_collapse(f"{label} {caption or ''}") + "\n")
    cells: list[TableCell] = []
    header: list[list[str]] = []
    rows: list[list[str]] = []
    if table_elem is not None:  # a table given only as an image keeps its caption and footnotes
        grid, header_rows = _table_grid(table_elem)
        for r, row in enumerate(grid):
            texts = []
            for c, cell in enumerate(row):
                if c:
                    builder.add("\t")
                origin = cell is not None and (r, c) == _origin(grid, r, c)
                text = _all_text(cell) if origin and cell is not None else ""
                s, e = builder.add(text)
                texts.append(text)
                if text:
                    cells.append(TableCell(row=r, col=c, text=text, start=s, end=e, header=r < header_rows))
            builder.add("\n")
            (header if r < header_rows else rows).append(texts)
    notes = (_all_text(item) for foot in _descendants(wrap, "table-wrap-foot") for item in foot)
    footnotes = [note for note in notes if note]
    for note in footnotes:
        builder.add(note + "\n")
    end = builder.content_end()
    builder.add("\n")
    builder.tables.append(
        Table(
            label=label,
            caption=caption,
            header=header,
            rows=rows,
            footnotes=footnotes,
            start=start,
            end=end,
            cells=cells,
        )
    )
    builder.sections.append(Section(name="table", heading=label, start=start, end=end))


def _table_grid(table: Element) -> tuple[list[list[Element | None]], int]:
    """Cells laid on a grid: a spanning cell fills every position it covers (same element)."""
    row_elems: list[tuple[Element, bool]] = []
    for group in table:
        tag = _local(group.tag)
        if tag == "tr":
            row_elems.append((group, False))
        elif tag in ("thead", "tbody", "tfoot"):
            row_elems.extend((tr, tag == "thead") for tr in _children(group, "tr"))
    grid: dict[tuple[int, int], Element] = {}
    width = 0
    for r, (tr, _) in enumerate(row_elems):
        c = 0
        for cell in tr:
            if _local(cell.tag) not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), cell)
            c += colspan
            width = max(width, c)
    height = len(row_elems)
    matrix = [[grid.get((r, c)) for c in range(width)] for r in range(height)]
    header_rows = sum(1 for _, in_head in row_elems if in_head)
    if header_rows == 0:
        # No <thead>: leading rows made only of <th> cells are the header.
        for tr, _ in row_elems:
            kinds = {_local(c.tag) for c in tr if _local(c.tag) in ("td", "th")}
            if kinds != {"th"}:
                break
            header_rows += 1
    return matrix, header_rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _origin(grid: list[list[Element | None]], r: int, c: int) -> tuple[int, int]:
    cell = grid[r][c]
    while r > 0 and grid[r - 1][c] is cell:
        r -= 1
    while c > 0 and grid[r][c - 1] is cell:
        c -= 1
    return r, c


def _jats_meta(front: Element | None, title: str) -> Meta:
    journal_meta = _child(front, "journal-meta")
    article_meta = _child(front, "article-meta")
    journal = None
    for jid in _children(journal_meta, "journal-id"):
        if jid.get("journal-id-type") in ("nlm-ta", "iso-abbrev"):
            journal = _all_text(jid)
            break
    journal = (
        journal
        or _all_text(_find(journal_meta, "journal-title-group", "journal-title"))
        or _all_text(_child(journal_meta, "journal-title"))
    )
    ids = {a.get("pub-id-type"): _all_text(a) for a in _children(article_meta, "article-id")}
    years = [_all_text(_child(d, "year")) for d in _children(article_meta, "pub-date")]
    year = next((int(y) for y in years if PAT_YEAR.fullmatch(y)), None)
    fpage, lpage = _all_text(_child(article_meta, "fpage")), _all_text(_child(article_meta, "lpage"))
    authors = []
    for contrib in _descendants(article_meta, "contrib") if article_meta is not None else []:
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = _child(contrib, "name")
        if name is not None:
            surname, given = _all_text(_child(name, "surname")), _all_text(_child(name, "given-names"))
            authors.append(f"{surname} {given}".strip())
    return Meta(
        title=title or None,
        journal=journal or None,
        year=year,
        volume=_all_text(_child(article_meta, "volume")) or None,
        pages="-".join(p for p in (fpage, lpage) if p)
        or _all_text(_child(article_meta, "elocation-id"))
        or None,
        pmid=ids.get("pmid") or None,
        doi=ids.get("doi") or None,
        authors=[a for a in authors if a],
    )


# PubMed XML -------------------------------------------------------------------------------------


def read_pubmed_xml(
    articles: Iterable[Element], source: str, paper_id: str
) -> tuple[list[Document], list[EvidenceError]]:
    """One Document per `PubmedArticle`; a record without title and abstract is reported, not raised."""
    documents: list[Document] = []
    errors: list[EvidenceError] = []
    for k, article in enumerate(a for a in articles if _local(a.tag) == "PubmedArticle"):
        record_source = f"{source} [record {k}]"
        try:
            documents.append(_pubmed_article(article, record_source, f"{paper_id}:{k}", source))
        except EvidenceError as exc:
            errors.append(exc)
    if not documents and not errors:
        raise UnreadablePaper(f"{source}: the PubmedArticleSet holds no PubmedArticle")
    return documents, errors


def _pubmed_article(article: Element, record_source: str, paper_id: str, source: str) -> Document:
    citation = _child(article, "MedlineCitation")
    art = _child(citation, "Article")
    pmid = _all_text(_child(citation, "PMID")) or None
    title = _all_text(_child(art, "ArticleTitle")) or _all_text(_child(art, "VernacularTitle"))
    builder = _Builder()
    if title:
        start = builder.length
        builder.paragraph(title)
        builder.section("title", start)
    abstract = _child(art, "Abstract")
    texts = _children(abstract, "AbstractText")
    if texts:
        start = builder.length
        for part in texts:
            label = part.get("Label") or None
            body = _all_text(part)
            part_start = builder.length
            builder.paragraph(f"{label}: {body}" if label else body)
            if label:
                builder.section("abstract", part_start, heading=label, part=label)
        builder.section("abstract", start, heading="Abstract")
    if not title and not texts:
        raise UnreadablePaper(
            f"{record_source}: PubMed record {pmid or '?'} has neither a title nor an abstract"
        )
    text = builder.text.rstrip("\n") + "\n"
    return Document(
        paper_id=paper_id,
        source=source,
        format="pubmed_xml",
        text=text,
        meta=_pubmed_meta(article, art, title, pmid),
        sections=builder.sections,
    )


def _pubmed_meta(article: Element, art: Element | None, title: str, pmid: str | None) -> Meta:
    journal = _child(art, "Journal")
    issue = _child(journal, "JournalIssue")
    date = _child(issue, "PubDate")
    year_text = _all_text(_child(date, "Year")) or _all_text(_child(date, "MedlineDate"))
    year_match = PAT_YEAR.search(year_text)
    doi = None
    for loc in _children(art, "ELocationID"):
        if loc.get("EIdType") == "doi":
            doi = _all_text(loc)
    for aid in _descendants(article, "ArticleId"):
        if doi is None and aid.get("IdType") == "doi":
            doi = _all_text(aid)
    authors = []
    for author in _descendants(art, "Author") if art is not None else []:
        last = _all_text(_child(author, "LastName"))
        initials = _all_text(_child(author, "Initials"))
        collective = _all_text(_child(author, "CollectiveName"))
        if last or collective:
            authors.append(f"{last} {initials}".strip() if last else collective)
    return Meta(
        title=title or None,
        journal=_all_text(_child(journal, "ISOAbbreviation")) or _all_text(_child(journal, "Title")) or None,
        year=int(year_match.group(0)) if year_match else None,
        volume=_all_text(_child(issue, "Volume")) or None,
        pages=_all_text(_find(art, "Pagination", "MedlinePgn")) or None,
        pmid=pmid,
        doi=doi,
        authors=authors,
    )
