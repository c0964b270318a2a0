"""The record loop shared by the multi-record text readers (MEDLINE, RIS)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from schemas import Document, EvidenceError, UnreadablePaper


class IndexedRecord(Protocol):
    index: int  # position in the file: record k becomes paper "<sha256>:<k>"


R = TypeVar("R", bound=IndexedRecord)


def documents_from_records(
    records: Iterable[R],
    build: Callable[[R, str, str], Document],
    source: str,
    paper_id: str,
    none_found: str,
) -> tuple[list[Document], list[EvidenceError]]:
    """One Document per record, and an error per record left out; `none_found` when the file has none."""
    documents: list[Document] = []
    errors: list[EvidenceError] = []
    for record in records:
        try:
            documents.append(build(record, source, f"{paper_id}:{record.index}"))
        except UnreadablePaper as exc:
            errors.append(exc)
    if not documents and not errors:
        raise UnreadablePaper(f"{source}: {none_found}")
    return documents, errors
