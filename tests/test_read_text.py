"""Plain-text decoding, the dispatcher (content first, suffix second) and ReadSettings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extractors.read import ReadSettings, read_bytes, read_bytes_report, read_path, sha256_bytes, sniff_format
from extractors.read_text import decode_text
from schemas import EmptyFile, MalformedXML, TooLarge, UnreadablePaper, UnsupportedFormat

SENTENCE = "Forty-two patients (24 men, 18 women) received 150 µg/kg; response in 64% (p < 0.05).\n"


def test_utf8_text_is_kept_verbatim(tmp_path: Path) -> None:
    text = "Send to\n\nChoose Destination\n  " + SENTENCE + "tumor necro-\nsis factor\r\n"
    path = tmp_path / "paper.txt"
    path.write_bytes(text.encode("utf-8"))
    (doc,) = read_path(path)
    assert doc.text == text
    assert doc.format == "text"
    assert doc.paper_id == sha256_bytes(text.encode("utf-8"))
    assert doc.source == str(path)


def test_utf8_bom_is_dropped() -> None:
    (doc,) = read_bytes(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "bom.txt")
    assert doc.text == SENTENCE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(encoding: str) -> None:
    data = SENTENCE.encode(encoding)
    assert data.startswith((b"\xff\xfe", b"\xfe\xff")) == (encoding == "utf-16")
    (doc,) = read_bytes(data, "wide.txt")
    assert doc.text == SENTENCE


def test_latin1_falls_back_to_cp1252() -> None:
    text = "Patients received 150 µg/kg; mean ± SD 4.5 ± 1.2 °C; café\n"
    (doc,) = read_bytes(text.encode("latin-1"), "old.txt")
    assert doc.text == text


def test_cp1252_quotes_decode() -> None:
    data = "The \u201cresponders\u201d \u2013 n = 12\n".encode("cp1252")
    assert decode_text(data, "q.txt") == "The \u201cresponders\u201d \u2013 n = 12\n"


def test_random_bytes_are_binary() -> None:
    data = random.Random(7).randbytes(5000)
    with pytest.raises(UnreadablePaper, match="binary content"):
        read_bytes(data, "noise.txt")


def test_control_characters_are_binary() -> None:
    data = bytes(range(1, 9)) * 200 + b"some text"
    with pytest.raises(UnreadablePaper, match="binary content.*rand.txt|rand.txt.*binary content"):
        read_bytes(data, "rand.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(EmptyFile, match="empty.txt"):
        read_path(path)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadablePaper, match="nothing.txt"):
        read_path(tmp_path / "nothing.txt")


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(SENTENCE * 10)
    with pytest.raises(TooLarge, match="big.txt"):
        read_path(path, {"max_bytes": 100})


def test_unsupported_suffix() -> None:
    with pytest.raises(UnsupportedFormat, match="paper.docx"):
        read_bytes(b"PK\x03\x04 not a paper", "paper.docx")


@pytest.mark.parametrize(
    ("data", "source", "expected"),
    [
        (b"%PDF-1.7\n...", "paper.txt", "pdf"),
        (b'<?xml version="1.0"?><article/>', "paper.txt", "xml"),
        (b"<PubmedArticleSet></PubmedArticleSet>", "paper", "xml"),
        (b"<!DOCTYPE html><html></html>", "paper.txt", "html"),
        (b"PMID- 123\nTI  - x\n", "export.medline", "medline"),
        (b"plain words", "paper.xml", "xml"),
        (b"plain words", "paper.ris", "ris"),
        (b"plain words", "paper", "text"),
    ],
)
def test_sniff_format(data: bytes, source: str, expected: str) -> None:
    assert sniff_format(data, source) == expected


def test_txt_holding_medline_goes_to_medline_reader() -> None:
    data = b"PMID- 111\nTI  - First title.\nAB  - First abstract.\n\nPMID- 222\nTI  - Second.\nAB  - Two.\n"
    docs = read_bytes(data, "pubmed_result.txt")
    assert [d.format for d in docs] == ["medline", "medline"]


def test_xml_suffix_on_a_medline_export() -> None:
    docs = read_bytes(b"PMID- 111\nTI  - A title.\nAB  - An abstract.\n", "pubmed.xml")
    assert [d.format for d in docs] == ["medline"]


def test_xml_suffix_on_plain_words_is_malformed() -> None:
    with pytest.raises(MalformedXML, match="notes.xml"):
        read_bytes(b"plain words", "notes.xml")


def test_read_settings_resolve_and_checks() -> None:
    assert ReadSettings.resolve(None) == ReadSettings()
    settings = ReadSettings(max_pdf_pages=3)
    assert ReadSettings.resolve(settings) is settings
    assert ReadSettings.resolve({"time_budget_s": 5}).time_budget_s == 5
    with pytest.raises(ValueError, match="unknown"):
        ReadSettings.resolve({"pages": 3})
    with pytest.raises(ValueError, match="max_bytes"):
        ReadSettings(max_bytes=0)
    with pytest.raises(TypeError):
        ReadSettings.resolve(42)  # type: ignore[arg-type]


def test_report_of_single_document() -> None:
    report = read_bytes_report(SENTENCE.encode(), "one.txt")
    assert len(report.documents) == 1 and report.errors == []
