"""Read a file into Documents: pick the reader by content first, by suffix second.

Every reader returns `schemas.Document` records and raises only the typed errors of `schemas.errors`;
anything else a parsing library throws is wrapped into `UnreadablePaper` here, naming the file.
Multi-record files (MEDLINE, PubMed XML, RIS) give one Document per record. A record that cannot be
read is skipped with a logged warning and listed by `read_path_report` / `read_bytes_report`;
`read_path` / `read_bytes` raise only when no record at all could be read.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from extractors.read_html import read_pubmed_html
from extractors.read_medline import looks_like_medline, read_medline
from extractors.read_pdf import read_pdf
from extractors.read_ris import looks_like_ris, read_ris
from extractors.read_text import decode_text, read_text
from extractors.read_xml import read_xml
from schemas import (
    Document,
    EmptyFile,
    EvidenceError,
    MalformedXML,
    TooLarge,
    UnreadablePaper,
    UnsupportedFormat,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ReadReport",
    "ReadSettings",
    "read_bytes",
    "read_bytes_report",
    "read_path",
    "read_path_report",
    "sha256_bytes",
    "sniff_format",
]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".text", ".pdf", ".xml", ".nxml", ".medline", ".nbib", ".ris", ".html", ".htm")

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_PDF_PAGES = 500
# A0 is about 2384 x 3370 pt; anything bigger is a poster or a hostile MediaBox, not a paper.
DEFAULT_MAX_PAGE_AREA = 2384.0 * 3370.0
DEFAULT_TIME_BUDGET_S = 120.0

SNIFF_BYTES = 4096
SUFFIX_FORMATS = {
    ".pdf": "pdf",
    ".xml": "xml",
    ".nxml": "xml",
    ".medline": "medline",
    ".nbib": "medline",
    ".ris": "ris",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
}
PAT_XML_START = re.compile(
    rb"^\s*(?:<\?xml|<!DOCTYPE\s+(?:article|PubmedArticleSet)|<(?:PubmedArticleSet|article)\b)"
)
PAT_HTML_START = re.compile(rb"^\s*(?:<!DOCTYPE\s+html|<html\b|<head\b)", re.IGNORECASE)


@dataclass(frozen=True)
class ReadSettings:
    """Limits on one file: bytes read, PDF pages and page area, wall time per document."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    max_page_area: float = DEFAULT_MAX_PAGE_AREA
    time_budget_s: float = DEFAULT_TIME_BUDGET_S

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.max_pdf_pages <= 0:
            raise ValueError(f"max_pdf_pages must be positive, got {self.max_pdf_pages}")
        if self.max_page_area <= 0:
            raise ValueError(f"max_page_area must be positive, got {self.max_page_area}")
        if self.time_budget_s <= 0:
            raise ValueError(f"time_budget_s must be positive, got {self.time_budget_s}")

    @classmethod
    def resolve(cls, settings: ReadSettings | dict[str, Any] | None) -> ReadSettings:
        """Settings from an instance, a dict of field values (unknown keys refused) or None (defaults)."""
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        if isinstance(settings, dict):
            known = {f.name for f in fields(cls)}
            unknown = set(settings) - known
            if unknown:
                raise ValueError(f"unknown read settings: {sorted(unknown)}")
            return cls(**settings)
        raise TypeError(f"cannot resolve ReadSettings from {type(settings).__name__}")


@dataclass
class ReadReport:
    """What one file gave: the Documents read and the records skipped (one message each)."""

    documents: list[Document] = field(default_factory=list)
    errors: list[EvidenceError] = field(default_factory=list)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff_format(data: bytes, source: str) -> str:
    """'pdf', 'xml', 'html', 'medline', 'ris' or 'text': by content first, by the file suffix second.

    MEDLINE and RIS are told apart from plain text after decoding (see `_dispatch`).
    """
    head = data[:SNIFF_BYTES]
    body = head.lstrip(b"\xef\xbb\xbf")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if PAT_XML_START.match(body):
        return "xml"
    if PAT_HTML_START.match(body):
        return "html"
    suffix = Path(source).suffix.lower()
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    if not suffix:
        return "text"
    raise UnsupportedFormat(
        f"{source}: unsupported file type {suffix!r} (supported: {', '.join(SUPPORTED_SUFFIXES)})"
    )


def read_path_report(path: str | Path, settings: ReadSettings | dict[str, Any] | None = None) -> ReadReport:
    """Every readable record of the file at `path`, and an error per record that was skipped."""
    resolved = ReadSettings.resolve(settings)
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadablePaper(f"{path}: cannot open the file ({exc.strerror or exc})") from exc
    if size > resolved.max_bytes:
        raise TooLarge(f"{path}: {size} bytes exceeds the limit of {resolved.max_bytes} bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadablePaper(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    return read_bytes_report(data, str(path), resolved)


def read_path(path: str | Path, settings: ReadSettings | dict[str, Any] | None = None) -> list[Document]:
    """Every paper in the file at `path` (one, or one per record of a MEDLINE/PubMed XML/RIS file)."""
    return _documents_or_raise(read_path_report(path, settings), str(path))


def read_bytes(
    data: bytes, source: str, settings: ReadSettings | dict[str, Any] | None = None
) -> list[Document]:
    """Every paper in `data`, read as the file named `source`."""
    return _documents_or_raise(read_bytes_report(data, source, settings), source)


def read_bytes_report(
    data: bytes, source: str, settings: ReadSettings | dict[str, Any] | None = None
) -> ReadReport:
    """Like `read_bytes`, but records that fail inside a multi-record file are reported, not raised."""
    resolved = ReadSettings.resolve(settings)
    if len(data) > resolved.max_bytes:
        raise TooLarge(f"{source}: {len(data)} bytes exceeds the limit of {resolved.max_bytes} bytes")
    if not data.strip():
        raise EmptyFile(f"{source}: the file is empty")
    digest = sha256_bytes(data)
    kind = sniff_format(data, source)
    try:
        return _dispatch(kind, data, source, digest, resolved)
    except EvidenceError:
        raise
    except RecursionError as exc:
        raise UnreadablePaper(f"{source}: the file nests too deeply to read") from exc
    except Exception as exc:  # a library bug or an input it chokes on: still one typed error
        raise UnreadablePaper(f"{source}: cannot read as {kind} ({type(exc).__name__}: {exc})") from exc


def _dispatch(kind: str, data: bytes, source: str, digest: str, settings: ReadSettings) -> ReadReport:
    if kind == "pdf":
        return ReadReport([read_pdf(data, source, digest, settings)])
    if kind == "xml" and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _report(read_xml(data, source, digest))
    text = decode_text(data, source)
    if kind in ("text", "medline", "ris", "xml"):
        # A PubMed export saved as .txt (or .xml) is still a MEDLINE file: the content decides.
        sample = text[:SNIFF_BYTES]
        kind = "medline" if looks_like_medline(sample) else "ris" if looks_like_ris(sample) else kind
    if kind == "html":
        return ReadReport([read_pubmed_html(text, source, digest)])
    if kind == "medline":
        return _report(read_medline(text, source, digest))
    if kind == "ris":
        return _report(read_ris(text, source, digest))
    if kind == "xml":
        raise MalformedXML(f"{source}: not XML (the file does not start with a tag)")
    return ReadReport([read_text(text, source, digest)])


def _report(result: tuple[list[Document], list[EvidenceError]]) -> ReadReport:
    documents, errors = result
    for error in errors:
        log.warning("skipped a record: %s", error)
    return ReadReport(documents, errors)


def _documents_or_raise(report: ReadReport, source: str) -> list[Document]:
    if report.documents:
        return report.documents
    if report.errors:
        raise report.errors[0]
    raise UnreadablePaper(f"{source}: no paper found in the file")
