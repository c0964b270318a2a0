"""PubMed abstract page saved as HTML: citation, title, authors and abstract; page chrome dropped.

The page is flattened into text blocks (one per block element). Blocks in the page chrome ("Send
to", "Choose Destination", "PubMed Commons", the "Author information" affiliation list, navigation,
scripts) are dropped. The citation ("Clin Cancer Res. 1996 Apr;2(4):669-77."), the title (<h1>) and
the abstract (its container's class, or the blocks under an "Abstract" heading) make the text; a page
without that structure keeps all its remaining blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from schemas import Document, Meta, Section, UnreadablePaper

__all__ = ["html_blocks", "read_pubmed_html"]

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd div dl dt figcaption footer form h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table td th tr ul".split()
)
SKIP_TAGS = frozenset("script style noscript head nav footer form select button svg template iframe".split())
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
PAT_BOILERPLATE = re.compile(
    r"^(?:send to:?|choose destination|see comment in pubmed commons below|pubmed commons|"
    r"author information|format:.*|display settings:?.*|free pmc article|free full text|full text links|"
    r"similar articles|cited by.*|publication types?|mesh terms|substances|grant support|linkout.*|"
    r"save items|add to favorites|cite|share|collapse section|expand section|actions|"
    r"page navigation|comment in|erratum in|pubmed|ncbi|search|advanced|help|user guide)$",
    re.IGNORECASE,
)
# Classes of the page's affiliation and chrome containers (legacy and current PubMed layouts).
CHROME_CLASSES = frozenset(
    {"afflist", "affiliations", "ui-ncbitoggler-slave", "linkoutlist", "rprtnum", "aux", "portlet", "banner"}
)
# Only the abstract's own containers: the legacy page wraps the whole record in class "abstract".
ABSTRACT_CLASSES = frozenset({"abstr", "abstract-content", "abstracttext", "eng-abstract"})
AUTHOR_CLASSES = frozenset({"auths", "authors-list"})
CITATION_CLASSES = frozenset({"cit", "article-source", "citation"})
TITLE_CLASSES = frozenset({"heading-title"})
PAT_CITATION = re.compile(r"^[A-Z][\w .&'()-]{1,80}\.\s+(?:19|20)\d\d\b[^\n]{0,80}?[;:.]")
PAT_ABSTRACT_HEADING = re.compile(r"^abstract$", re.IGNORECASE)
PAT_AFTER_ABSTRACT = re.compile(
    r"^(?:keywords?:?.*|pmid:.*|doi:.*|pmcid:.*|copyright .*|©.*|comment in.*|similar articles|"
    r"publication types?|mesh terms|substances|grant support|linkout.*|references?)$",
    re.IGNORECASE,
)
PAT_PMID = re.compile(r"\bPMID:\s*(\d+)")
PAT_DOI = re.compile(r"\bdoi:\s*(10\.\S+?)\.?(?:\s|$)", re.IGNORECASE)
PAT_CITATION_PARTS = re.compile(
    r"^(?P<journal>[^.]+(?:\.[^.0-9]+)*?)\.\s+(?P<year>(?:19|20)\d\d)[^;]*;(?P<volume>[^(:]+)?(?:\([^)]*\))?:?(?P<pages>[\w-]+)?"
)
PAT_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
PAT_TAG = re.compile(r"<[^>]*>")


@dataclass
class Block:
    text: str
    tags: frozenset[str]
    classes: frozenset[str]


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.stack: list[tuple[str, frozenset[str]]] = []
        self.buffer: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
        if tag in VOID_TAGS:
            return
        classes = set()
        for name, value in attrs:
            if name in ("class", "id") and value:
                classes.update(value.lower().split())
        self.stack.append((tag, frozenset(classes)))
        if tag in SKIP_TAGS:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS or not any(t == tag for t, _ in self.stack):
            return
        if tag in BLOCK_TAGS:
            self._flush()
        while self.stack:
            popped, _ = self.stack.pop()
            if popped in SKIP_TAGS:
                self.skipping -= 1
            if popped == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = PAT_SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if text:
            tags = frozenset(t for t, _ in self.stack)
            classes = frozenset(c for _, cs in self.stack for c in cs)
            self.blocks.append(Block(text, tags, classes))


def html_blocks(html: str) -> list[Block]:
    """The page's text blocks in order, with the tags and classes around each; chrome left out."""
    parser = _Flattener()
    parser.feed(html)
    parser.close()
    blocks = []
    in_affiliations = False
    for block in parser.blocks:
        if block.classes & CHROME_CLASSES:
            continue
        line = block.text.strip(" :")
        if PAT_BOILERPLATE.match(line):
            # "Author information" heads the affiliation list: skip to the abstract or the next heading.
            in_affiliations = line.lower() == "author information"
            continue
        if in_affiliations:
            if (
                PAT_ABSTRACT_HEADING.match(line)
                or block.classes & ABSTRACT_CLASSES
                or block.tags & {"h1", "h2", "h3"}
            ):
                in_affiliations = False
            else:
                continue
        blocks.append(block)
    return blocks


def read_pubmed_html(html: str, source: str, paper_id: str) -> Document:
    """A PubMed abstract page: "citation\\n\\ntitle\\n\\nauthors\\n\\nabstract" with its sections."""
    blocks = html_blocks(html)
    if not blocks:
        raise UnreadablePaper(f"{source}: the HTML page has no text")
    citation = next((b.text for b in blocks if b.classes & CITATION_CLASSES), None) or next(
        (b.text for b in blocks if PAT_CITATION.match(b.text)), None
    )
    title = next((b.text for b in blocks if b.classes & TITLE_CLASSES), None) or next(
        (b.text for b in blocks if "h1" in b.tags and b.text.lower() not in ("pubmed", "ncbi")), None
    )
    abstract = _abstract_blocks(blocks)
    pieces: list[tuple[str, str | None]] = []
    if citation:
        pieces.append((citation, "citation"))
    if title and title != citation:
        pieces.append((title, "title"))
    if abstract:
        pieces.extend((text, "abstract") for text in abstract if text not in (citation, title))
    if not title and not abstract:
        pieces = [(b.text, None) for b in blocks]
    text, sections = _compose(pieces)
    authors = next((b.text for b in blocks if b.classes & AUTHOR_CLASSES), "")
    meta = _meta(citation, title, PAT_TAG.sub(" ", html))
    meta.authors = [a.strip(" .") for a in re.split(r",|\band\b", authors) if a.strip(" .")]
    return Document(
        paper_id=paper_id, source=source, format="pubmed_html", text=text, meta=meta, sections=sections
    )


def _abstract_blocks(blocks: list[Block]) -> list[str]:
    marked = [
        b.text for b in blocks if b.classes & ABSTRACT_CLASSES and not PAT_ABSTRACT_HEADING.match(b.text)
    ]
    if marked:
        return [t for t in marked if not PAT_AFTER_ABSTRACT.match(t)]
    start = next((i for i, b in enumerate(blocks) if PAT_ABSTRACT_HEADING.match(b.text.strip(" :"))), None)
    if start is None:
        return []
    found = []
    for block in blocks[start + 1 :]:
        if PAT_AFTER_ABSTRACT.match(block.text) or block.tags & {"h1", "h2"}:
            break
        found.append(block.text)
    return found


def _compose(pieces: list[tuple[str, str | None]]) -> tuple[str, list[Section]]:
    text = ""
    sections: list[Section] = []
    abstract_start: int | None = None
    for piece, name in pieces:
        if text:
            text += "\n\n"
        start = len(text)
        text += piece
        if name == "abstract":
            abstract_start = start if abstract_start is None else abstract_start
        elif name:
            sections.append(Section(name=name, start=start, end=len(text)))
    if abstract_start is not None:
        sections.append(Section(name="abstract", heading="Abstract", start=abstract_start, end=len(text)))
    return text + "\n", sections


def _meta(citation: str | None, title: str | None, all_text: str) -> Meta:
    journal = year = volume = pages = None
    if citation and (match := PAT_CITATION_PARTS.match(citation)):
        journal = match["journal"].strip()
        year = int(match["year"])
        volume = (match["volume"] or "").strip() or None
        pages = match["pages"]
    pmid = PAT_PMID.search(all_text)
    doi = PAT_DOI.search(all_text)
    return Meta(
        title=title,
        journal=journal,
        year=year,
        volume=volume,
        pages=pages,
        pmid=pmid.group(1) if pmid else None,
        doi=doi.group(1) if doi else None,
    )
