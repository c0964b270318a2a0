"""Hostile inputs through the whole per-file path: a clear error record or a bounded, correct result."""

from __future__ import annotations

import io
import random

import pytest

from flows.pipeline import process_file_safe

pytestmark = pytest.mark.slow


def pdf_bytes(pages: int = 1, size: tuple[float, float] = (595, 842), text: str = "Hello") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for _ in range(pages):
        if text:
            c.drawString(72, 72, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def one_error(path, error_type: str | tuple[str, ...]):
    outcome = process_file_safe(path)
    assert outcome.results == [], f"{path.name} gave papers"
    [err] = outcome.errors
    types = (error_type,) if isinstance(error_type, str) else error_type
    assert err.error_type in types, err
    assert err.message and path.name in err.message or err.message
    return err


def test_empty_file(tmp_path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    one_error(tmp_path / "empty.pdf", "EmptyFile")


def test_random_bytes_named_pdf(tmp_path) -> None:
    (tmp_path / "random.pdf").write_bytes(random.Random(3).randbytes(20_000))
    one_error(tmp_path / "random.pdf", ("UnreadablePaper", "UnsupportedFormat"))


def test_truncated_pdf(tmp_path) -> None:
    data = pdf_bytes(pages=3, text="A truncated paper of 42 patients.")
    (tmp_path / "truncated.pdf").write_bytes(data[: len(data) // 2])
    err = process_file_safe(tmp_path / "truncated.pdf")
    # pdfium may recover the pages before the cut: then a paper is fine, else a clear error
    assert err.results or err.errors[0].error_type in ("UnreadablePaper", "ImageOnlyPDF")


def test_encrypted_pdf(tmp_path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(text="Secret results"))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    (tmp_path / "encrypted.pdf").write_bytes(buf.getvalue())
    one_error(tmp_path / "encrypted.pdf", "EncryptedPDF")


def test_two_thousand_blank_pages(tmp_path) -> None:
    (tmp_path / "blank.pdf").write_bytes(pdf_bytes(pages=2000, text=""))
    one_error(tmp_path / "blank.pdf", ("TooLarge", "ImageOnlyPDF"))


def test_huge_page(tmp_path) -> None:
    (tmp_path / "huge.pdf").write_bytes(pdf_bytes(size=(10_000, 10_000), text="A huge page"))
    one_error(tmp_path / "huge.pdf", "TooLarge")


def test_fifty_megabyte_text(tmp_path) -> None:
    line = "Patients were followed for a long time and nothing was reported here at all.\n"
    path = tmp_path / "huge.txt"
    with open(path, "w", encoding="utf-8") as fh:
        for _ in range(50 * 1024 * 1024 // len(line)):
            fh.write(line)
    one_error(path, "TooLarge")


def test_invalid_utf8_is_read_as_legacy_encoding(tmp_path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Forty-two patients (n = 42) had a mean age of 54 y; café.".encode("latin-1"))
    outcome = process_file_safe(path)
    assert not outcome.errors
    assert "café" in outcome.results[0].text


def test_utf16_without_bom(tmp_path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("A total of 42 patients were enrolled (P < 0.05).".encode("utf-16-le"))
    outcome = process_file_safe(path)
    assert not outcome.errors
    paper = outcome.results[0]
    assert paper.text.startswith("A total of 42 patients")
    assert any(e.kind == "cohort" and e.n == 42 for e in paper.entities)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<article><body><p>&lol4;</p></body></article>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<article><front><article-meta><title-group><article-title>&xxe;</article-title></title-group>
</article-meta></front></article>"""


@pytest.mark.parametrize("name, content", [("bomb.xml", BOMB), ("xxe.nxml", XXE)])
def test_unsafe_xml_is_refused(tmp_path, name, content) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    err = one_error(tmp_path / name, ("UnsafeXML", "MalformedXML"))
    assert "root:" not in err.message  # nothing of /etc/passwd leaks into the message


def test_malformed_xml(tmp_path) -> None:
    (tmp_path / "broken.xml").write_text("<article><body><p>unclosed", encoding="utf-8")
    one_error(tmp_path / "broken.xml", "MalformedXML")


def medline(pmid: str, title: str, abstract: str) -> str:
    return f"PMID- {pmid}\nTI  - {title}\nAB  - {abstract}\nDP  - 2001 Jan\nTA  - J Test\n\n"


def test_medline_with_a_broken_record_keeps_the_others(tmp_path) -> None:
    good1 = medline("111", "A trial", "Forty patients were randomised (n = 40).")
    broken = "PMID- 222\nXX  - half a record, cut off here\n\n"
    good2 = medline("333", "Another trial", "A total of 60 patients were enrolled.")
    path = tmp_path / "export.medline"
    path.write_text(good1 + broken + good2, encoding="utf-8")
    outcome = process_file_safe(path)
    pmids = {p.meta.pmid for p in outcome.results}
    assert {"111", "333"} <= pmids
    assert "222" not in pmids
    assert [e.source.rpartition("#")[2] for e in outcome.errors] == ["record-error-1"]
    assert len({p.paper_id for p in outcome.results}) == len(outcome.results)
