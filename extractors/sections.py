"""Sections of a paper's text, and its citation metadata.

`find_sections` names slices of the (glyph-repaired) text: title, abstract (and its structured parts),
keywords, introduction, methods, results, discussion, conclusion, references, citation, boilerplate
(saved web-page chrome: "Send to", "PubMed Commons", "Loading ..."), and, nested inside the running
section they interrupt, tables (heading "Table 2") and figure legends (heading "Figure 1").

Full texts are read from their headings (`MATERIALS AND METHODS`, `Results`, numbered or not); the
unlabelled top of the paper is split into the abstract (a block with inline labels "Methods:",
"Results:", "Conclusion:" or under an "Abstract" heading), keywords, a citation line and the
introduction. Saved abstract pages (PubMed, research portals) are read as chrome around a title and
an abstract; a four-paragraph abstract whose labels the page dropped gets the parts Background,
Methods, Results, Conclusions (the structured-abstract convention), other unlabelled ones none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from extractors.lines import Line, split_lines
from extractors.tables import locate_tables
from schemas import Meta, Section

__all__ = ["DEFAULT_HEADINGS", "SectionSettings", "find_sections", "read_citation"]

# Heading text (lowercased, spaces collapsed) -> canonical section name.
DEFAULT_HEADINGS: dict[str, str] = {
    **dict.fromkeys(["abstract", "summary"], "abstract"),
    **dict.fromkeys(["introduction", "background"], "introduction"),
    **dict.fromkeys(
        [
            "materials and methods",
            "material and methods",
            "methods",
            "patients and methods",
            "subjects and methods",
            "methodology",
            "experimental procedures",
            "methods and materials",
            "study design",
            "patients, materials, and methods",
        ],
        "methods",
    ),
    **dict.fromkeys(["results", "findings", "results and discussion"], "results"),
    **dict.fromkeys(["discussion", "comment"], "discussion"),
    **dict.fromkeys(
        ["conclusion", "conclusions", "summary and conclusions", "concluding remarks"], "conclusion"
    ),
    **dict.fromkeys(["references", "literature cited", "bibliography"], "references"),
    **dict.fromkeys(
        [
            "acknowledgments",
            "acknowledgements",
            "acknowledgment",
            "acknowledgement",
            "funding",
            "conflict of interest",
            "conflicts of interest",
            "disclosure",
            "disclosures",
        ],
        "boilerplate",
    ),
    "figure legends": "figure",
}

# Inline labels of a structured abstract ("Methods: Forty-two patients ...").
PAT_ABSTRACT_LABEL = re.compile(
    r"(?:^|(?<=[\s.]))(?P<label>Background|Purpose|Objectives?|Aims?|Introduction|Context|Design|Setting|"
    r"Patients|Participants|Materials and Methods|Patients and Methods|Methods|Interventions?|Measurements|"
    r"Main Outcome Measures|Results|Findings|Conclusions?|Interpretation|BACKGROUND|PURPOSE|OBJECTIVES?|"
    r"METHODS|PATIENTS AND METHODS|MATERIALS AND METHODS|RESULTS|CONCLUSIONS?)\s*[:.](?=\s+[A-Z0-9])"
)
INFERRED_PARTS = ("Background", "Methods", "Results", "Conclusions")

# Chrome of saved abstract pages (whole lines).
PAT_BOILERPLATE = re.compile(
    r"^\s*(?:Send to|Choose Destination|See comment in PubMed Commons below|PubMed Commons(?: home)?|"
    r"How to join PubMed Commons|Supplemental Content|Full text links|Icon for .{1,60}|Loading\s*(?:\.\.\.|…)|"
    r"Support Center|\[(?:PubMed - )?(?:indexed for MEDLINE|in process|as supplied by publisher|"
    r"Indexed for MEDLINE)\]|Free (?:full text|PMC Article|Article)|Similar articles|Cited by \d+ .*|"
    r"Publication types?|MeSH terms|Substances?|LinkOut - more resources|Grant support|Comment in|"
    r"Erratum in|Display Settings:?.*|Format:.*|Abstract\s*Format:.*|Research output:.*|"
    r"ASJC Scopus subject areas|Dive into the research topics.*|Cite this|Access to Document|Fingerprint|"
    r"Together they form a unique fingerprint\.?|Other files and links|Link to publication.*|"
    r"Author information|Author details|Affiliations?)\s*$",
    re.I,
)
PAT_BULLET = re.compile(r"^\s*[•·▪◦*-]\s+\S")
# Research-portal metadata lines ("JournalInternational Journal of X", "Publication statusPublished - 1998").
PAT_PORTAL_META = re.compile(
    r"^\s*(?:Original language|Pages \(from-to\)|Number of pages|Journal(?=[A-Z])|Volume(?=\s?\d)|"
    r"Issue number|Publication status|State(?=Published)|DOIs?(?=\s?10\.)|Publisher)\S*"
)
PAT_KEYWORDS = re.compile(r"^\s*(?:Key\s?-?\s?words|KEY\s?WORDS|Keywords|Index terms)\s*[:.]", re.I)
PAT_FIGURE = re.compile(r"^\s*(?P<word>FIGURE|Figure|FIG\.|Fig\.)\s*(?P<num>\d+[A-Za-z]?)\b[.:]?")
# Article-type labels printed above a title.
PAT_ARTICLE_TYPE = re.compile(
    r"^\s*(?:Original (?:Paper|Article|Research|Investigation|Contribution)|Research(?: Article| Paper)?|"
    r"Article|Review(?: Article)?|Brief (?:Report|Communication)|Clinical (?:Study|Investigation|Trial)|"
    r"Open Access|Short Communication|Letter)\s*$",
    re.I,
)
PAT_NUMBERED = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
# Citation lines: "Clin Cancer Res. 1996 Apr;2(4):669-77." and "J Nucl Med 2006; 47:242–246".
PAT_CITATION_PUBMED = re.compile(
    r"^\s*(?P<journal>[A-Z][^\n.;:]{1,100}?)\.\s+(?P<year>(?:18|19|20)\d\d)(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?"
    r"(?:\s*-\s*[A-Z]?[a-z]{0,2}\s*\d{0,2})?)?\s*;\s*(?P<volume>[\w-]+)?(?:\s*\((?P<issue>[^)]+)\))?"
    r"(?:\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[–-]\s*[A-Za-z]?\d+)?))?\.?",
    re.M,
)
PAT_CITATION_JOURNAL = re.compile(
    r"^\s*(?P<journal>[A-Z][A-Za-z&() .-]{1,80}?)\.?\s+(?P<year>(?:18|19|20)\d\d)\s*;\s*(?P<volume>\d+)"
    r"(?:\s*\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[–-]\s*[A-Za-z]?\d+)?)",
    re.M,
)
PAT_PORTAL_JOURNAL = re.compile(r"^\s*Journal(?P<v>[A-Z][^\n]{2,150}?)\s*$", re.M)
PAT_PORTAL_YEAR = re.compile(
    r"^\s*Publication status\s*Published\s*-\s*(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?P<v>\d{4})", re.M
)
PAT_PORTAL_PAGES = re.compile(r"^\s*Pages \(from-to\)\s*(?P<v>\S+)\s*$", re.M)
PAT_PORTAL_VOLUME = re.compile(r"^\s*Volume\s*(?P<v>\d+\w*)\s*$", re.M)
PAT_PMID = re.compile(r"\bPMID:?\s*(?P<v>\d{5,9})\b")
PAT_DOI = re.compile(r"\b(?:doi|DOI)\s*:?\s*(?P<v>10\.\d{4,9}/[^\s\"<>]+)")
PAT_AUTHOR = re.compile(
    r"^(?:(?:[A-Z]\.\s?){1,3}(?:[A-Z][\w'´’-]+\s?){1,3}|[A-Z][\w'´’-]+(?:\s[A-Z][\w'´’-]+)?\s[A-Z]{1,3}\d*(?:,\d+)*"
    r"|[A-Z][a-z]+\s(?:[A-Z]\.\s)?[A-Z][\w'´’-]+)$"
)


@dataclass(frozen=True)
class SectionSettings:
    headings: tuple[tuple[str, str], ...] = tuple(DEFAULT_HEADINGS.items())
    max_heading_chars: int = 60
    max_title_chars: int = 300

    def __post_init__(self) -> None:
        if self.max_heading_chars < 4 or self.max_title_chars < 10:
            raise ValueError("max_heading_chars must be >= 4 and max_title_chars >= 10")

    @property
    def heading_map(self) -> dict[str, str]:
        return dict(self.headings)

    @classmethod
    def resolve(cls, value: SectionSettings | Mapping[str, Any] | None) -> SectionSettings:
        if value is None:
            return cls()
        if isinstance(value, SectionSettings):
            return value
        data = dict(value)
        if isinstance(data.get("headings"), Mapping):
            data["headings"] = tuple(data["headings"].items())
        return cls(**data)


def heading_name(line: Line, cfg: SectionSettings) -> str | None:
    """Canonical name when the whole line is a known heading (upper or title case, maybe numbered)."""
    text = PAT_NUMBERED.sub("", line.stripped).rstrip(":. ")
    if not text or len(text) > cfg.max_heading_chars:
        return None
    key = re.sub(r"\s+", " ", text).lower()
    name = cfg.heading_map.get(key)
    if name is None:
        return None
    if not (text.isupper() or text[0].isupper()):
        return None
    return name


def block_end(lines: list[Line], i: int) -> int:
    """Index of the last line of the text block starting at line i (a blank line or an indented line
    after a full line ends a block: PDF text starts a new column or page with a space)."""
    j = i
    while j + 1 < len(lines) and not lines[j + 1].blank and not lines[j + 1].text[:1].isspace():
        j += 1
    return j


def is_chrome(line: Line) -> bool:
    return bool(PAT_BOILERPLATE.match(line.text))


def citation_match(line: Line) -> re.Match[str] | None:
    for pat in (PAT_CITATION_PUBMED, PAT_CITATION_JOURNAL):
        m = pat.match(line.text)
        if m and len(line.stripped) <= len(m.group().strip()) + 25 and m["volume"]:
            return m
    return None


def is_author_line(line: Line) -> bool:
    parts = [p.strip() for p in re.split(r",\s*|\s+and\s+", line.stripped.rstrip(".")) if p.strip()]
    return len(parts) >= 2 and sum(bool(PAT_AUTHOR.match(p)) for p in parts) >= 0.8 * len(parts)


def find_sections(
    text: str,
    known: list[Section] | None = None,
    settings: SectionSettings | Mapping[str, Any] | None = None,
) -> list[Section]:
    """Named slices of the text; `known` sections (from a structured reader) are kept, and only kinds
    they lack (tables, figures, boilerplate, ...) are added."""
    cfg = SectionSettings.resolve(settings)
    found = read_sections(text, cfg)
    if known:
        have = {s.name for s in known}
        found = list(known) + [s for s in found if s.name not in have]
    return sorted(found, key=lambda s: (s.start, -s.end))


@dataclass
class Builder:
    """Sections found so far, and which lines they took (1: a section, 2: a nested table/figure)."""

    text: str
    lines: list[Line]
    cfg: SectionSettings
    out: list[Section] = field(default_factory=list)
    taken: bytearray = field(default_factory=bytearray)

    def __post_init__(self) -> None:
        self.taken = bytearray(len(self.lines))

    def claim(
        self,
        name: str,
        first: int,
        last: int,
        heading: str | None = None,
        part: str | None = None,
        span: tuple[int, int] | None = None,
        mark: int = 1,
    ) -> None:
        start, end = span or (self.lines[first].content_start, self.lines[last].end)
        if end > start:
            self.out.append(Section(name=name, heading=heading, start=start, end=end, part=part))
        for k in range(first, last + 1):
            self.taken[k] = max(self.taken[k], mark)

    def free(self, start: int = 0, stop: int | None = None) -> list[Line]:
        return [ln for ln in self.lines[start:stop] if not ln.blank and not self.taken[ln.index]]


def read_sections(text: str, cfg: SectionSettings) -> list[Section]:
    b = Builder(text, split_lines(text), cfg)
    lines = b.lines
    # Tables and figure legends: nested inside whatever section runs around them.
    for block in locate_tables(text):
        first, last = line_at(lines, block.start), line_at(lines, max(block.start, block.end - 1))
        b.claim("table", first, last, heading=block.label, span=(block.start, block.end), mark=2)
    for ln in lines:
        m = PAT_FIGURE.match(ln.text)
        if (
            m
            and not b.taken[ln.index]
            and (m["word"].isupper() or re.match(r"\s*(?:Figure|Fig\.)\s*\d+[A-Za-z]?\s*[.:]", ln.text))
        ):
            b.claim("figure", ln.index, block_end(lines, ln.index), heading=f"Figure {m['num']}", mark=2)
    # Chrome and citation lines.
    chrome = [ln.index for ln in b.free() if is_chrome(ln)]
    web_page = len(chrome) >= 2 or any(PAT_PORTAL_META.match(ln.text) for ln in lines)
    for i in chrome:
        b.claim(
            "boilerplate",
            i,
            i,
            heading="Author information" if re.search(r"author|affiliation", lines[i].text, re.I) else None,
        )
    refs = references_line(lines, cfg)
    citation_line = next((ln.index for ln in b.free(0, refs) if citation_match(ln)), None)
    if citation_line is not None:
        b.claim("citation", citation_line, citation_line)
    for ln in b.free():
        if PAT_PORTAL_META.match(ln.text):
            b.claim("citation", ln.index, ln.index)
    if web_page:
        read_web_page(b, citation_line)
    else:
        read_full_text(b)
    return merge_adjacent(b.out, text)


def read_web_page(b: Builder, citation_line: int | None) -> None:
    lines = b.lines
    # Affiliations: the short block(s) under "Author information".
    for ln in lines:
        if not re.match(r"^\s*(?:Author information|Affiliations?)\s*$", ln.text, re.I):
            continue
        k = ln.index + 1
        while k < len(lines) and lines[k].blank:
            k += 1
        while k < len(lines) and not lines[k].blank and not b.taken[k]:
            if len(lines[k].stripped) >= 400 and not PAT_BULLET.match(lines[k].text):
                break
            b.claim("boilerplate", k, k, heading="Author information")
            k += 1
            while (
                k < len(lines)
                and lines[k].blank
                and k + 1 < len(lines)
                and PAT_BULLET.match(lines[k + 1].text)
            ):
                k += 1
    free = b.free()
    # Title: the first free line after the citation (PubMed) or at the top (portals), a single line.
    if free and (citation_line is None or free[0].index > citation_line):
        first = free[0]
        if len(first.stripped) <= b.cfg.max_title_chars and block_end(lines, first.index) == first.index:
            b.claim("title", first.index, first.index)
            if len(free) > 1 and is_author_line(free[1]):
                b.claim("citation", free[1].index, free[1].index, heading="Authors", part="authors")
    # Bullet lists that follow chrome (subject areas) are chrome too.
    for ln in b.free():
        if PAT_BULLET.match(ln.text) and any(b.taken[k] for k in range(max(0, ln.index - 3), ln.index)):
            b.claim("boilerplate", ln.index, ln.index)
    # Abstract: the free paragraphs, from the first to the one before the page chrome resumes.
    paragraphs: list[tuple[int, int]] = []
    free = b.free()
    k = free[0].index if free else len(lines)
    while k < len(lines):
        if lines[k].blank:
            k += 1
            continue
        if b.taken[k]:
            if paragraphs:
                break
            k += 1
            continue
        last = k
        while last + 1 < len(lines) and not lines[last + 1].blank and not b.taken[last + 1]:
            last += 1
        paragraphs.append((k, last))
        k = last + 1
    if paragraphs:
        b.claim("abstract", paragraphs[0][0], paragraphs[-1][1])
        if not add_abstract_parts(b, paragraphs[0][0], paragraphs[-1][1]) and len(paragraphs) == len(
            INFERRED_PARTS
        ):
            for (first_line, last_line), part in zip(paragraphs, INFERRED_PARTS, strict=True):
                b.claim("abstract", first_line, last_line, part=part)
    for ln in b.free():
        b.claim("boilerplate", ln.index, ln.index)


def add_abstract_parts(b: Builder, first: int, last: int) -> bool:
    """Parts of a structured abstract from its inline labels; False when it has fewer than two."""
    start, end = b.lines[first].content_start, b.lines[last].end
    labels = list(PAT_ABSTRACT_LABEL.finditer(b.text, start, end))
    if len({m["label"].lower() for m in labels}) < 2:
        return False
    for m, nxt in zip(labels, [*labels[1:], None], strict=True):
        part_end = nxt.start() if nxt else end
        while part_end > m.start() and b.text[part_end - 1].isspace():
            part_end -= 1
        a, z = line_at(b.lines, m.start()), line_at(b.lines, max(m.start(), part_end - 1))
        b.claim("abstract", a, z, part=m["label"].title(), span=(m.start(), part_end))
    return True


def line_at(lines: list[Line], offset: int) -> int:
    lo, hi = 0, len(lines) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def read_full_text(b: Builder) -> None:
    lines, cfg = b.lines, b.cfg
    headings = [(ln.index, name) for ln in b.free() if (name := heading_name(ln, cfg))]
    first_heading = headings[0][0] if headings else len(lines)
    # Top matter: a title (after an article-type label such as "Original Paper"), the abstract
    # (inline labels), keywords.
    top = b.free(0, first_heading)
    if top and PAT_ARTICLE_TYPE.match(top[0].text):
        b.claim("boilerplate", top[0].index, top[0].index)
        top = top[1:]
    if len(top) > 1:
        k, z = top[0].index, block_end(lines, top[0].index)
        title = " ".join(ln.stripped for ln in lines[k : z + 1])
        short = z - k < 3 and len(title) <= cfg.max_title_chars
        if short and not title.endswith(".") and not PAT_ABSTRACT_LABEL.search(title):
            b.claim("title", k, z)
    labelled_start = bool(headings) and headings[0][1] in ("abstract", "introduction")
    headings = abstract_part_headings(b, headings)
    inline = find_inline_abstract(b, first_heading)
    if inline is not None:
        b.claim("abstract", inline[0], inline[1])
        add_abstract_parts(b, inline[0], inline[1])
    for ln in b.free():
        if PAT_KEYWORDS.match(ln.text):
            b.claim("keywords", ln.index, block_end(lines, ln.index))
    # Running sections from each heading to the next (tables and figures stay nested inside).
    bounds = [*headings, (len(lines), "")]
    for (i, name), (j, _) in zip(bounds, bounds[1:], strict=False):
        last = j - 1
        while last > i and (lines[last].blank or b.taken[last] == 1):
            last -= 1
        b.claim(name, i, max(i, last), heading=lines[i].stripped)
        if name == "abstract":
            add_abstract_parts(b, i + 1, max(i, last))
    # What is left before the first heading: front matter (authors, affiliations) when the paper
    # labels its own start ("Abstract", "Introduction"), else the unlabelled introduction.
    rest = [ln.index for ln in b.free(0, first_heading)]
    if rest:
        has_body = any(name in ("methods", "results", "discussion") for _, name in headings)
        if labelled_start:
            b.claim("boilerplate", rest[0], rest[-1], heading="Front matter")
        else:
            b.claim("introduction" if has_body else "body", rest[0], rest[-1])


def abstract_part_headings(b: Builder, headings: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """An "Abstract" heading followed by "Introduction", "Methods", ... that the body repeats: those
    first ones are the abstract's parts (claimed here), not the paper's sections."""
    if not headings or headings[0][1] != "abstract":
        return headings
    names = [name for _, name in headings]
    imrad = ("introduction", "methods", "results", "conclusion")
    j = next((k for k in range(2, len(names)) if names[k] in names[1:k] and names[k] in imrad[:2]), None)
    if j is None or any(name not in imrad for name in names[1:j]):
        return headings
    start = headings[0][0]
    end = headings[j][0] - 1
    while end > start and (b.lines[end].blank or b.taken[end]):
        end -= 1
    parts = [*headings[1:j], (headings[j][0], "")]
    for (i, _), (k, _) in zip(parts, parts[1:], strict=False):
        last = k - 1
        while last > i and (b.lines[last].blank or b.taken[last]):
            last -= 1
        b.claim("abstract", i, last, part=b.lines[i].stripped.rstrip(":."))
    b.claim("abstract", start, end, heading=b.lines[start].stripped)
    return headings[j:]


def references_line(lines: list[Line], cfg: SectionSettings) -> int:
    """Index of the "References" heading (the end of the text when there is none)."""
    return next((ln.index for ln in lines if heading_name(ln, cfg) == "references"), len(lines))


def find_inline_abstract(b: Builder, stop: int) -> tuple[int, int] | None:
    """The opening blocks that carry inline abstract labels ("Methods:", "Results:", "Conclusion:")."""
    free = b.free(0, stop)
    if not free:
        return None
    first = free[0].index
    limit = b.lines[min(stop, len(b.lines)) - 1].end
    labels = list(PAT_ABSTRACT_LABEL.finditer(b.text, b.lines[first].start, limit))
    if len({m["label"].lower() for m in labels}) < 2:
        return None
    last_label = line_at(b.lines, labels[-1].start())
    if last_label - first > 80:
        return None
    return first, block_end(b.lines, last_label)


def merge_adjacent(sections: list[Section], text: str) -> list[Section]:
    """One section per run of chrome (or citation) lines, blank lines between them included."""
    out: list[Section] = []
    for s in sorted(sections, key=lambda s: (s.start, -s.end)):
        if (
            out
            and s.name in ("boilerplate", "citation")
            and out[-1].name == s.name
            and s.part == out[-1].part
            and s.heading == out[-1].heading
            and not text[out[-1].end : s.start].strip()
        ):
            out[-1] = out[-1].model_copy(update={"end": s.end})
            continue
        out.append(s)
    return out


# ---------------------------------------------------------------------------------------------
# Citation


def read_citation(text: str) -> Meta:
    """Journal, year, volume, pages (and title, authors, PMID, DOI where the text shows them)."""
    data: dict[str, Any] = {}
    lines = split_lines(text)
    for ln in lines[: references_line(lines, SectionSettings())]:  # never a reference's citation
        m = citation_match(ln) if not ln.blank else None
        if m:
            data.update(journal=m["journal"].strip(), year=int(m["year"]), volume=m["volume"])
            if m["pages"]:
                data["pages"] = re.sub(r"\s+", "", m["pages"])
            break
    for key, pat in (
        ("journal", PAT_PORTAL_JOURNAL),
        ("pages", PAT_PORTAL_PAGES),
        ("volume", PAT_PORTAL_VOLUME),
    ):
        m = pat.search(text)
        if m and key not in data:
            data[key] = m["v"].strip()
    m = PAT_PORTAL_YEAR.search(text)
    if m and "year" not in data:
        data["year"] = int(m["v"])
    m = PAT_PMID.search(text)
    if m:
        data["pmid"] = m["v"]
    m = PAT_DOI.search(text)
    if m:
        data["doi"] = m["v"].rstrip(".,;)")
    sections = find_sections(text)
    title = next((s for s in sections if s.name == "title"), None)
    if title is not None:
        data["title"] = re.sub(r"\s+", " ", text[title.start : title.end]).strip()
    authors = next((s for s in sections if s.part == "authors"), None)
    if authors is not None:
        line = text[authors.start : authors.end].strip().rstrip(".")
        data["authors"] = [p.strip() for p in re.split(r",\s*", line) if p.strip()]
    return Meta(**data)
