"""MEDLINE (PubMed "nbib") reader: one Document per record, title then abstract.

A record that cannot be read (a line that is neither a tag nor a continuation, no PMID, neither
title nor abstract) is left out and reported as an UnreadablePaper naming the file and the record;
the other records are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.read_records import documents_from_records
from schemas import Document, EvidenceError, Meta, Section, UnreadablePaper

__all__ = ["looks_like_medline", "read_medline", "split_abstract_parts"]

# "TAG - value": the tag is up to four letters/digits padded with spaces to four characters.
PAT_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
PAT_CONTINUATION = re.compile(r"^ {2,}\S")
PAT_MEDLINE_START = re.compile(r"^PMID- ?\d+\s*$", re.MULTILINE)
PAT_MEDLINE_TAG = re.compile(r"^(?:TI|AB|DP|TA|JT|AU|FAU|OWN|STAT)\s*- ", re.MULTILINE)
PAT_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
PAT_DOI_ID = re.compile(r"^(10\.\S+)\s*\[doi\]", re.IGNORECASE)
# Structured abstracts run their labels inline: "BACKGROUND: ... METHODS: ...".
PAT_ABSTRACT_LABEL = re.compile(r"(?:^|(?<=[.?!)] ))([A-Z][A-Z/&,\- ]{2,40}[A-Z]): ")


@dataclass
class _Record:
    index: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def first(self, tag: str) -> str | None:
        values = self.fields.get(tag)
        return values[0] if values else None


def looks_like_medline(sample: str) -> bool:
    """A MEDLINE export starts records with "PMID- " lines followed by other tag lines."""
    return bool(PAT_MEDLINE_START.search(sample)) and bool(PAT_MEDLINE_TAG.search(sample))


def read_medline(text: str, source: str, paper_id: str) -> tuple[list[Document], list[EvidenceError]]:
    """One Document per record (paper_id "<sha256>:<k>"), and an error per record left out."""
    return documents_from_records(
        _split_records(text), _document, source, paper_id, "no MEDLINE record (no 'PMID- ' line)"
    )


def _split_records(text: str) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    tag: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            tag = None
            continue
        match = PAT_TAG_LINE.match(line)
        if match and match.group(1) == "PMID":
            current = _Record(index=len(records))
            records.append(current)
        if current is None:
            continue  # text before the first record (a header some exports add)
        if match and not PAT_CONTINUATION.match(line):
            tag = match.group(1)
            current.fields.setdefault(tag, []).append(match.group(2).strip())
        elif PAT_CONTINUATION.match(line) and tag is not None:
            values = current.fields[tag]
            values[-1] = f"{values[-1]} {line.strip()}".strip()
        else:
            current.problems.append(f"line {number} is neither a tag nor a continuation: {line[:60]!r}")
    return records


def _document(record: _Record, source: str, paper_id: str) -> Document:
    where = f"{source} [record {record.index}]"
    if record.problems:
        raise UnreadablePaper(f"{where}: broken MEDLINE record ({record.problems[0]})")
    pmid = record.first("PMID")
    if not pmid or not pmid.isdigit():
        raise UnreadablePaper(f"{where}: MEDLINE record without a valid PMID ({pmid!r})")
    title = record.first("TI") or ""
    abstract = " ".join(record.fields.get("AB", []))
    if not title and not abstract:
        raise UnreadablePaper(f"{where}: MEDLINE record {pmid} has neither a title (TI) nor an abstract (AB)")
    text, sections = compose_title_abstract(title, abstract)
    return Document(
        paper_id=paper_id,
        source=source,
        format="medline",
        text=text,
        meta=_meta(record, title, pmid),
        sections=sections,
    )


def compose_title_abstract(title: str, abstract: str) -> tuple[str, list[Section]]:
    """The text "title\\n\\nabstract\\n" with its title and abstract sections (and labelled parts)."""
    sections: list[Section] = []
    text = ""
    if title:
        text = title
        sections.append(Section(name="title", start=0, end=len(title)))
    if abstract:
        start = len(text) + 2 if text else 0
        text = f"{text}\n\n{abstract}" if text else abstract
        sections.append(Section(name="abstract", heading="Abstract", start=start, end=len(text)))
        for label, part_start, part_end in split_abstract_parts(abstract):
            sections.append(
                Section(
                    name="abstract", heading=label, part=label, start=start + part_start, end=start + part_end
                )
            )
    return text + "\n", sections


def split_abstract_parts(abstract: str) -> list[tuple[str, int, int]]:
    """Inline structured-abstract parts: (label, start, end) from "LABEL: text" runs."""
    matches = list(PAT_ABSTRACT_LABEL.finditer(abstract))
    parts = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(abstract)
        parts.append((match.group(1).title(), match.start(1), len(abstract[:end].rstrip())))
    return parts


def _meta(record: _Record, title: str, pmid: str) -> Meta:
    year = PAT_YEAR.search(record.first("DP") or "")
    doi = None
    for value in record.fields.get("AID", []) + record.fields.get("LID", []):
        match = PAT_DOI_ID.match(value)
        if match:
            doi = match.group(1)
            break
    return Meta(
        title=title or None,
        journal=record.first("TA") or record.first("JT"),
        year=int(year.group(0)) if year else None,
        volume=record.first("VI"),
        pages=record.first("PG"),
        pmid=pmid,
        doi=doi,
        authors=record.fields.get("AU", []) or record.fields.get("FAU", []),
    )
