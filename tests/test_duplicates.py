"""Duplicate linking: one study from two sources is linked (DOI, PMID, or fuzzy title/opening + year +
first numbers), listed by `evidence duplicates`, and pooled once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.pipeline import extract_file, process_document
from report.duplicates import DuplicateSettings, find_links, refresh_links
from report.pool import pool_outcomes
from schemas import Document, Meta, PaperResult
from tests.conftest import CORPUS
from tests.test_views import load, papers
from warehouse import Warehouse

PDF_TEXT = CORPUS / "000_2a3e66c60246c07a.txt"  # J Nucl Med 2006: text extracted from the PDF
MEDLINE_TITLE = (
    "Serum interleukin-2 and tumor necrosis factor-alpha levels in patients with painful bone "
    "metastases treated with 89SrCl2."
)


def candidate(pid: str, **kw) -> dict:
    base = {
        "paper_id": pid,
        "format": "text",
        "title": None,
        "year": None,
        "doi": None,
        "pmid": None,
        "opening": "",
        "numbers": [],
    }
    return {**base, **kw}


def medline_record(text_paper: PaperResult, nlp) -> PaperResult:
    """The paper as its PubMed (MEDLINE) record: title, then the abstract, read by the real pipeline."""
    text = text_paper.text
    abstract = " ".join(re.sub(r"-\n", "", text[: text.index("KeyWords")]).split())
    doc = Document(
        paper_id="e" * 64,
        source="pubmed/16455632.medline",
        format="medline",
        text=MEDLINE_TITLE + "\n\n" + abstract,
        meta=Meta(title=MEDLINE_TITLE, journal="J Nucl Med", year=2006, pmid="16455632"),
    )
    return process_document(doc, nlp)


def test_paper_as_text_and_as_medline_record_is_one_study(nlp, db_path: Path, tmp_path: Path) -> None:
    text_paper = extract_file(PDF_TEXT, nlp).papers[0]
    record = medline_record(text_paper, nlp)
    other = papers()[1:3]  # two unrelated studies
    load(db_path, [text_paper, record, *other])
    with Warehouse(db_path) as wh:
        links = refresh_links(wh)
    assert [(link.paper_id, link.study_id, link.method) for link in links] == [
        (record.paper_id, text_paper.paper_id, "fuzzy")
    ]  # the full text stands for the study
    assert "first numbers" in links[0].reason
    run = pool_outcomes(db_path, {"method": "DL"}, plots=False)
    pooled = run.groups[0].rows
    assert record.paper_id not in [r["paper_id"] for r in pooled]  # the study is pooled from its full text
    assert len({r["study_id"] for r in pooled}) == len(pooled)


def test_doi_and_pmid_link_whatever_the_titles() -> None:
    links = find_links(
        [
            candidate("p1", title="A trial", doi="10.1000/XYZ", format="pdf"),
            candidate(
                "p2", title="Completely different words", doi="https://doi.org/10.1000/xyz", format="medline"
            ),
            candidate("p3", title="Another", pmid="42"),
            candidate("p4", title="Yet another", pmid="42", numbers=[1, 2, 3]),
        ]
    )
    assert {(lk.paper_id, lk.study_id, lk.method) for lk in links} == {
        ("p2", "p1", "doi"),
        ("p3", "p4", "pmid"),
    }


def test_similar_titles_with_different_years_or_numbers_stay_apart() -> None:
    title = "Strontium-89 for painful bone metastases: a phase II study"
    base = candidate("p1", title=title, year=2001, numbers=[40, 10, 40])
    assert find_links([base, candidate("p2", title=title, year=2004, numbers=[40, 10, 40])]) == []
    assert find_links([base, candidate("p3", title=title, year=2001, numbers=[120, 31, 120])]) == []
    (link,) = find_links([base, candidate("p4", title=title.upper() + ".", year=2001, numbers=[40, 10, 38])])
    assert link.method == "fuzzy" and link.score == 100
    # without numbers to compare, only an identical title links
    assert find_links([candidate("a", title=title), candidate("b", title=title + " (abstract)")]) == []


def test_settings_validate() -> None:
    with pytest.raises(ValueError):
        DuplicateSettings(title_score=0)


def test_cli_duplicates_lists_the_links(db_path: Path) -> None:
    load(db_path)
    result = CliRunner().invoke(app, ["duplicates", "--db", str(db_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "study_source,duplicate_source,format,method,score,reason"
    assert lines[1].startswith("a_smith2001.txt,pubmed_123.medline,medline,")
