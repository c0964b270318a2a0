"""Read a file into Documents: pick the reader by content and suffix."""

from __future__ import annotations

import hashlib
from pathlib import Path

from schemas import Document, EmptyFile, UnreadablePaper

SUPPORTED_SUFFIXES = (".txt", ".text", ".pdf", ".xml", ".nxml", ".medline", ".nbib", ".ris", ".html", ".htm")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_path(path: str | Path) -> list[Document]:
    """Every paper in the file at `path` (one, or one per record of a MEDLINE/PubMed XML/RIS file)."""
    path = Path(path)
    data = path.read_bytes()
    return read_bytes(data, str(path))


def read_bytes(data: bytes, source: str) -> list[Document]:
    if not data.strip():
        raise EmptyFile(f"{source}: the file is empty")
    digest = sha256_bytes(data)
    text = decode_text(data, source)
    return [Document(paper_id=digest, source=source, format="text", text=text)]


def decode_text(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise UnreadablePaper(f"{source}: binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")
