"""Plain-text reader: decode the bytes, keep the decoded text verbatim."""

from __future__ import annotations

from schemas import Document, UnreadablePaper

__all__ = ["decode_text", "read_text"]

BOM_UTF8 = b"\xef\xbb\xbf"
BOMS_UTF16 = (b"\xff\xfe", b"\xfe\xff")
# UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte. These shares of the sampled
# byte pairs decide it; random binary has NULs about once in 256 bytes.
UTF16_SAMPLE_BYTES = 4096
UTF16_MIN_NUL_SHARE = 0.3
UTF16_MAX_OTHER_NUL_SHARE = 0.05
# Text has almost no control characters besides tab, newlines and form feed; binary has many.
MAX_CONTROL_SHARE = 0.02
CONTROL_SAMPLE_CHARS = 20000
ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def decode_text(data: bytes, source: str) -> str:
    """The text of `data`: UTF-8 (BOM or not), UTF-16 (BOM or NUL pattern), else cp1252 / latin-1."""
    if data.startswith(BOMS_UTF16):
        text = _decode(data, "utf-16", source)
    elif (guess := _utf16_without_bom(data)) is not None:
        text = _decode(data, guess, source)
    elif b"\x00" in data[:UTF16_SAMPLE_BYTES]:
        raise UnreadablePaper(f"{source}: binary content, not text (NUL bytes)")
    else:
        text = _decode_8bit(data, source)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise UnreadablePaper(f"{source}: binary content, not text (control characters)")
    return text


def read_text(text: str, source: str, paper_id: str) -> Document:
    """A plain-text paper: the decoded text as is (boilerplate is marked later, never removed)."""
    if not text.strip():
        raise UnreadablePaper(f"{source}: the file holds only white space")
    return Document(paper_id=paper_id, source=source, format="text", text=text)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:UTF16_SAMPLE_BYTES]
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0::2].count(0) / pairs
    odd_nuls = sample[1::2].count(0) / pairs
    if odd_nuls >= UTF16_MIN_NUL_SHARE and even_nuls <= UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even_nuls >= UTF16_MIN_NUL_SHARE and odd_nuls <= UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadablePaper(
            f"{source}: not valid {encoding} text ({exc.reason} at byte {exc.start})"
        ) from exc


def _decode_8bit(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadablePaper(f"{source}: cannot decode the text")  # unreachable: latin-1 decodes any byte


def _control_share(text: str) -> float:
    sample = text[:CONTROL_SAMPLE_CHARS]
    if not sample:
        return 0.0
    controls = sum(
        1 for c in sample if (c < " " and c not in ALLOWED_CONTROLS) or "\x7f" <= c <= "\x9f" or c == "\ufffd"
    )
    return controls / len(sample)
