"""RIS reader: one Document per `TY  - ` ... `ER  - ` record, title then abstract.

A record that cannot be read (no end tag before the next start, neither title nor abstract) is left
out and reported as an UnreadablePaper naming the file and the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.read_medline import compose_title_abstract
from extractors.read_records import documents_from_records
from schemas import Document, EvidenceError, Meta, UnreadablePaper

__all__ = ["looks_like_ris", "read_ris"]

PAT_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
PAT_RIS_START = re.compile(r"^\s*TY  - ", re.MULTILINE)
PAT_RIS_END = re.compile(r"^ER  -", re.MULTILINE)
PAT_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
TITLE_TAGS = ("TI", "T1", "CT", "BT")
ABSTRACT_TAGS = ("AB", "N2")
JOURNAL_TAGS = ("JO", "J2", "JA", "JF", "T2")
YEAR_TAGS = ("PY", "Y1", "DA")


@dataclass
class _Record:
    index: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    closed: bool = False

    def first(self, *tags: str) -> str | None:
        for tag in tags:
            if self.fields.get(tag):
                return self.fields[tag][0]
        return None


def looks_like_ris(sample: str) -> bool:
    """RIS starts its first record with a `TY  - ` line."""
    first = next((line for line in sample.splitlines() if line.strip()), "")
    return first.lstrip("\ufeff").startswith("TY  - ")


def read_ris(text: str, source: str, paper_id: str) -> tuple[list[Document], list[EvidenceError]]:
    """One Document per RIS record (paper_id "<sha256>:<k>"), and an error per record left out."""
    return documents_from_records(
        _split_records(text), _document, source, paper_id, "no RIS record (no 'TY  - ' line)"
    )


def _split_records(text: str) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    tag: str | None = None
    for line in text.lstrip("\ufeff").splitlines():
        match = PAT_RIS_LINE.match(line)
        if match is None:
            # RIS allows wrapped values: a non-tag line continues the previous field.
            if current is not None and tag is not None and line.strip() and not current.closed:
                values = current.fields[tag]
                values[-1] = f"{values[-1]} {line.strip()}".strip()
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tag == "TY":
            current = _Record(index=len(records))
            records.append(current)
        elif current is None or current.closed:
            continue
        if tag == "ER":
            current.closed = True
            tag = None
            continue
        current.fields.setdefault(tag, []).append(value)
    return records


def _document(record: _Record, source: str, paper_id: str) -> Document:
    where = f"{source} [record {record.index}]"
    if not record.closed:
        raise UnreadablePaper(f"{where}: RIS record without its 'ER  - ' end line")
    title = record.first(*TITLE_TAGS) or ""
    abstract = " ".join(v for tag in ABSTRACT_TAGS for v in record.fields.get(tag, []))
    if not title and not abstract:
        raise UnreadablePaper(f"{where}: RIS record has neither a title nor an abstract")
    text, sections = compose_title_abstract(title, abstract)
    year = PAT_YEAR.search(record.first(*YEAR_TAGS) or "")
    start_page, end_page = record.first("SP"), record.first("EP")
    meta = Meta(
        title=title or None,
        journal=record.first(*JOURNAL_TAGS),
        year=int(year.group(0)) if year else None,
        volume=record.first("VL"),
        pages="-".join(p for p in (start_page, end_page) if p) or None,
        pmid=_pmid(record),
        doi=record.first("DO"),
        authors=record.fields.get("AU", []) or record.fields.get("A1", []),
    )
    return Document(paper_id=paper_id, source=source, format="ris", text=text, meta=meta, sections=sections)


def _pmid(record: _Record) -> str | None:
    for value in record.fields.get("AN", []) + record.fields.get("PM", []):
        digits = value.strip()
        if digits.isdigit():
            return digits
    return None
