"""PDF reader: layout, running heads, hyphens, tables and fonts on drawn PDFs; errors; the real corpus."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest

from extractors.read import read_bytes, read_path
from schemas import Document, EncryptedPDF, ImageOnlyPDF, Table, TooLarge, UnreadablePaper
from tests.conftest import SHARED
from tests.fixtures_pdf import RUNNING_HEAD, encrypted_pdf, image_only_pdf, two_column_pdf

PDF_DIR = SHARED / "corpora" / "pdfs"
PAT_ABSTRACT_HEADING = re.compile(r"^(?:abstract|summary|background)\b", re.IGNORECASE | re.MULTILINE)
ABSTRACT_WITHIN = 10_000


@pytest.fixture(scope="module")
def drawn() -> Document:
    (doc,) = read_bytes(two_column_pdf(), "drawn.pdf")
    return doc


def test_columns_are_read_left_then_right(drawn: Document) -> None:
    text = drawn.text
    assert text.startswith("Strontium therapy in painful bone metastases\n")
    assert text.index("and after treatment in every patient.") < text.index(
        "Results: The response rate was 64%"
    )
    # Lines of the two columns are never interleaved.
    assert "treated Results" not in text and "bone the difference" not in text


def test_running_head_and_page_numbers_removed(drawn: Document) -> None:
    assert RUNNING_HEAD not in drawn.text
    lines = drawn.text.splitlines()
    assert not any(line.strip() in {"1", "2", "3"} for line in lines)


def test_hyphen_joined_with_offset_map(drawn: Document) -> None:
    text = drawn.text
    at = text.index("necrosis factor")
    assert "necro-" not in text
    assert drawn.offset_map is not None and len(drawn.offset_map) == len(text)
    # The joined word's second half comes after the dropped hyphen and line break in the raw text.
    assert drawn.offset_map[at + 5] == drawn.offset_map[at + 4] + 3
    assert drawn.offset_map == sorted(drawn.offset_map)


def test_compound_hyphen_kept_at_line_end() -> None:
    from extractors.read_pdf import COMPOUND_SECOND_PARTS

    assert "up" in COMPOUND_SECOND_PARTS  # "follow-\nup" stays "follow-up"


def test_pages_tile_the_text(drawn: Document) -> None:
    assert [p.number for p in drawn.pages] == [1, 2, 3]
    assert drawn.pages[0].start == 0 and drawn.pages[-1].end == len(drawn.text)
    assert all(a.end == b.start for a, b in zip(drawn.pages, drawn.pages[1:], strict=False))
    page3 = drawn.text[drawn.pages[2].start : drawn.pages[2].end]
    assert "Outcomes at eight weeks" in page3


def _cells_match_text(doc: Document, table: Table) -> None:
    for cell in table.cells:
        assert cell.start is not None and cell.end is not None
        assert doc.text[cell.start : cell.end] == cell.text


def test_ruled_table(drawn: Document) -> None:
    table = next(t for t in drawn.tables if t.label == "Table 1")
    assert table.header == [["Group", "n", "Age"]]
    assert table.rows == [["Treated", "20", "61.2"], ["Control", "22", "59.8"]]
    assert table.page == 2
    _cells_match_text(drawn, table)
    assert {(c.row, c.col) for c in table.cells if c.header} == {(0, 0), (0, 1), (0, 2)}


def test_unruled_table(drawn: Document) -> None:
    table = next(t for t in drawn.tables if t.label == "Table 2")
    assert table.caption == "Table 2 Outcomes at eight weeks"
    assert table.header == [["Outcome", "Treated", "Control", "P value"]]
    assert table.rows[0] == ["Pain score", "3.2 ± 1.1", "5.9 ± 1.4", "0.003"]
    assert table.rows[1][3] == "0.02"
    _cells_match_text(drawn, table)
    assert table.start is not None and table.end is not None
    assert drawn.text[table.start : table.end].startswith("Table 2 Outcomes")
    # The table's words are not repeated in the running text.
    assert drawn.text.count("5.9 ± 1.4") == 1


def test_symbol_font_run(drawn: Document) -> None:
    runs = [r for r in drawn.font_runs if r.font == "Symbol"]
    assert len(runs) == 1
    run = runs[0]
    assert drawn.text[run.start - len("2.7 ") : run.start] == "2.7 "
    assert all(r.start < r.end for r in drawn.font_runs)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = encrypted_pdf(tmp_path / "locked.pdf")
    with pytest.raises(EncryptedPDF, match="locked.pdf"):
        read_path(path)


def test_truncated_pdf() -> None:
    data = two_column_pdf()
    with pytest.raises(UnreadablePaper, match="cut.pdf"):
        read_bytes(data[: len(data) // 2], "cut.pdf")


def test_garbage_named_pdf() -> None:
    with pytest.raises(UnreadablePaper, match="noise.pdf"):
        read_bytes(os.urandom(4000), "noise.pdf")


def test_garbage_after_header() -> None:
    with pytest.raises(UnreadablePaper, match="bad.pdf"):
        read_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "bad.pdf")


def test_image_only_pdf() -> None:
    with pytest.raises(ImageOnlyPDF, match="scan.pdf"):
        read_bytes(image_only_pdf(), "scan.pdf")


def test_page_limit() -> None:
    with pytest.raises(TooLarge, match="3 pages"):
        read_bytes(two_column_pdf(), "long.pdf", {"max_pdf_pages": 2})


def test_page_area_limit() -> None:
    with pytest.raises(TooLarge, match="page 1"):
        read_bytes(two_column_pdf(), "poster.pdf", {"max_page_area": 1000.0})


# The real corpus -------------------------------------------------------------------------------

# file -> (table label, first cell of a row, cells that row must hold)
CORPUS_CELLS = {
    "bmj2015_LEAP_physical_activity_smoking_cessation_pregnancy_rct.pdf": [
        ("Table 3", "Self reported continuous abstinence", ["30 (8)", "25 (6)", "1.21 (0.70 to 2.10)"]),
        ("Table 1", "Mean (SD) weight (kg)", ["69.2 (14.1)", "70.9 (15.9)"]),
    ],
    "critcare2014_ACTH_test_adrenal_sensitivity.pdf": [
        ("Table 3", "APACHE II", ["19 (14-33)", "0.002, <0.001, 0.90"]),
    ],
    "intpsychogeriatr2014_life_events_dementia_cohort.pdf": [
        ("Table 1", "Age: mean, SD", ["67.7, SD = 9.6", "72.8, SD = 7.4", "<0.001"]),
    ],
    "lancet2018_moxidectin_vs_ivermectin_phase3_rct.pdf": [
        ("Table 1", "Age (years)", ["41·5 (16·4)", "42·8 (16·1)"]),
        ("Table 2", "Any grade", ["39 (4%)", "17 (3%)"]),
    ],
    "bmcmed2014_LIMIT_antenatal_lifestyle_rct.pdf": [
        ("Table 1", "Maternal age, years", ["29.4 ± 5.4", "29.6 ± 5.4"]),
        ("Table 2", "Total energy, kJ", ["8678.89 (2690.39)", "0.99"]),
    ],
    "bmcpublichealth2014_UatUni_online_intervention_rct.pdf": [
        ("Table 1", "UK", ["75.74", "537"]),
    ],
    "bmjopen2016_GoActive_pilot_cluster_rct.pdf": [
        ("Table 5", "Peer support", ["6.3 (2.6)", "0.5 (0.1 to 0.9) p=0.03"]),
    ],
    "jmir2012_hand_hygiene_web_rct.pdf": [
        ("Table 2", "Age (years)", ["49.17 (11.02)", "50.94 (12.05)"]),
        ("Table 5", "Male", ["3.77 (1.03)"]),
    ],
    "jmirmhealth2016_TXT2BFiT_weight_rct.pdf": [
        ("Table 3", "TXT2BFiT", ["2.03 (1.23-3.35) P=.006"]),
    ],
    "lancetrespmed2014_StopAdvisor_smoking_rct.pdf": [
        ("Table 1", "Age (years)", ["39·8 (14·8)", "39·4 (14·3)"]),
        ("Table 2", "Low SES", ["90/1088 (8%)", "1·36 (1·00 to 1·86)"]),
    ],
    "trials2014_inhaled_PGE1_neonates_pilot_rcts.pdf": [
        ("Table 1", "Maternal age, years", ["32.3 (6.8)", "32.3 (9.4)"]),
    ],
}
# Four short papers of four publishers by default; all eleven under -m slow.
QUICK = (
    "bmj2015_LEAP_physical_activity_smoking_cessation_pregnancy_rct.pdf",
    "critcare2014_ACTH_test_adrenal_sensitivity.pdf",
    "intpsychogeriatr2014_life_events_dementia_cohort.pdf",
    "lancet2018_moxidectin_vs_ivermectin_phase3_rct.pdf",
)
CORPUS_PARAMS = [
    pytest.param(name, marks=[pytest.mark.corpus] + ([] if name in QUICK else [pytest.mark.slow]))
    for name in CORPUS_CELLS
]


@cache
def read_corpus_pdf(name: str) -> Document:
    if not PDF_DIR.exists():
        pytest.skip(f"{PDF_DIR} is absent (shared corpora not laid beside the project)")
    (doc,) = read_path(PDF_DIR / name)
    return doc


@pytest.mark.parametrize("name", CORPUS_PARAMS)
def test_corpus_pdf_tables(name: str) -> None:
    doc = read_corpus_pdf(name)
    for label, first, cells in CORPUS_CELLS[name]:
        table = next((t for t in doc.tables if t.label == label), None)
        assert table is not None, f"{name}: {label} not found (found {[t.label for t in doc.tables]})"
        row = next((r for r in table.rows if r and r[0].startswith(first)), None)
        assert row is not None, f"{name} {label}: no row starting {first!r}"
        for cell in cells:
            assert cell in row, f"{name} {label} row {first!r}: {cell!r} not in {row}"
        _cells_match_text(doc, table)


@pytest.mark.parametrize("name", CORPUS_PARAMS)
def test_corpus_pdf_abstract_and_layout(name: str) -> None:
    doc = read_corpus_pdf(name)
    # The abstract's heading opens a line near the start (after a cover page in provisional PDFs).
    assert PAT_ABSTRACT_HEADING.search(doc.text[:ABSTRACT_WITHIN]), f"{name}: no abstract heading"
    assert doc.pages[-1].end == len(doc.text)
    assert doc.offset_map is not None and len(doc.offset_map) == len(doc.text)
    assert doc.font_runs
