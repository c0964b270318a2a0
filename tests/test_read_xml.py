"""XML readers: PMC JATS (sections, tables with spans), PubMed XML records, unsafe and malformed XML."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.read import read_bytes, read_bytes_report, read_path
from extractors.read_xml import canonical_section
from schemas import Document, MalformedXML, UnsafeXML
from tests.conftest import SHARED

NXML_DIR = SHARED / "corpora" / "evidence-inference" / "nxml"

JATS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD Journal Archiving and Interchange DTD v2.3 20070202//EN" "archivearticle.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">
<front>
 <journal-meta><journal-id journal-id-type="nlm-ta">Crit Care</journal-id>
  <journal-title>Critical Care</journal-title></journal-meta>
 <article-meta>
  <article-id pub-id-type="pmid">15566594</article-id>
  <article-id pub-id-type="doi">10.1186/cc2969</article-id>
  <title-group><article-title>Effects of lornoxicam in severe sepsis</article-title></title-group>
  <contrib-group><contrib contrib-type="author"><name><surname>Memi&#x0015f;</surname>
   <given-names>Dilek</given-names></name></contrib></contrib-group>
  <pub-date pub-type="ppub"><year>2004</year></pub-date>
  <volume>8</volume><fpage>R474</fpage><lpage>R482</lpage>
  <abstract>
   <sec><title>Methods</title><p>A total of 40 patients were randomly assigned.</p></sec>
   <sec><title>Results</title><p>No differences were found (<italic>P</italic> &gt; 0.05).</p></sec>
  </abstract>
 </article-meta>
</front>
<body>
 <sec><title>Introduction</title><p>Sepsis is common [<xref ref-type="bibr" rid="B1">1</xref>].</p></sec>
 <sec sec-type="methods"><title>Patients and methods</title>
  <sec><title>Statistical analysis</title><p>We used t tests with counts of 10<sup>3</sup> cells.</p></sec>
 </sec>
 <sec><title>Results</title>
  <p>Baseline data are in Table 1.
   <table-wrap id="T1"><label>Table 1</label><caption><p>Characteristics of patients</p></caption>
    <table><thead>
     <tr><th rowspan="2">Characteristic</th><th colspan="2">Group</th></tr>
     <tr><th>Lornoxicam (n = 20)</th><th>Placebo (n = 20)</th></tr>
    </thead><tbody>
     <tr><td>Age (years)</td><td>54.3 &#x000b1; 12.1</td><td>51.0 &#x000b1; 9.8</td></tr>
     <tr><td rowspan="2">Sex</td><td>12 M</td><td>11 M</td></tr>
     <tr><td>8 F</td><td>9 F</td></tr>
    </tbody></table>
    <table-wrap-foot><fn><p>Values are mean &#x000b1; SD.</p></fn></table-wrap-foot>
   </table-wrap>
  Mortality did not differ.</p>
 </sec>
 <sec><title>Discussion</title><p>Lornoxicam had no effect.</p></sec>
</body>
<back><ref-list><ref id="B1"><mixed-citation>Bone RC. Chest 1992; 101: 1644.</mixed-citation></ref></ref-list></back>
</article>
"""

PUBMED_XML = b"""<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "pubmed_190101.dtd">
<PubmedArticleSet>
 <PubmedArticle><MedlineCitation><PMID Version="1">9816918</PMID><Article>
  <Journal><JournalIssue><Volume>83</Volume><PubDate><Year>1998</Year><Month>Aug</Month></PubDate></JournalIssue>
   <Title>Cancer</Title><ISOAbbreviation>Cancer</ISOAbbreviation></Journal>
  <ArticleTitle>Trends in the safety of high dose bolus interleukin-2.</ArticleTitle>
  <Pagination><MedlinePgn>797-805</MedlinePgn></Pagination>
  <ELocationID EIdType="doi">10.1002/(sici)1097-0142</ELocationID>
  <Abstract>
   <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">High dose IL-2 is toxic.</AbstractText>
   <AbstractText Label="RESULTS">Of 155 patients, 36 (23%) responded (P &lt; 0.001).</AbstractText>
  </Abstract>
  <AuthorList><Author><LastName>Kammula</LastName><Initials>US</Initials></Author></AuthorList>
 </Article></MedlineCitation></PubmedArticle>
 <PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Journal><Title>J</Title></Journal></Article>
 </MedlineCitation></PubmedArticle>
 <PubmedArticle><MedlineCitation><PMID>8000001</PMID><Article>
  <Journal><JournalIssue><PubDate><MedlineDate>1995 Nov-Dec</MedlineDate></PubDate></JournalIssue><Title>Blood</Title></Journal>
  <ArticleTitle>A second record.</ArticleTitle>
  <Abstract><AbstractText>Twelve patients received 5 mg/kg.</AbstractText></Abstract>
 </Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<article><front><article-meta><title-group><article-title>&xxe;</article-title></title-group></article-meta></front></article>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<PubmedArticleSet>&lol4;</PubmedArticleSet>
"""


@pytest.fixture(scope="module")
def jats() -> Document:
    (doc,) = read_bytes(JATS, "PMC1.nxml")
    return doc


def section(doc: Document, name: str, heading: str | None = None) -> str:
    found = next(s for s in doc.sections if s.name == name and (heading is None or s.heading == heading))
    return doc.text[found.start : found.end]


def test_jats_meta(jats: Document) -> None:
    meta = jats.meta
    assert (meta.title, meta.journal, meta.year, meta.pmid, meta.doi) == (
        "Effects of lornoxicam in severe sepsis",
        "Crit Care",
        2004,
        "15566594",
        "10.1186/cc2969",
    )
    assert meta.pages == "R474-R482" and meta.volume == "8" and meta.authors == ["Memiş Dilek"]
    assert jats.format == "jats"


def test_jats_sections(jats: Document) -> None:
    assert section(jats, "title") == "Effects of lornoxicam in severe sepsis"
    assert section(jats, "abstract", "Results") == "Results: No differences were found (P > 0.05)."
    abstract = section(jats, "abstract", "Abstract")
    assert abstract.startswith("Methods: A total of 40") and abstract.endswith("(P > 0.05).")
    assert section(jats, "introduction").startswith("Introduction\n\nSepsis is common [1].")
    assert "t tests with counts of 10^3 cells" in section(jats, "methods", "Patients and methods")
    nested = next(s for s in jats.sections if s.heading == "Statistical analysis")
    assert nested.name == "methods" and nested.part == "Statistical analysis"
    assert section(jats, "discussion").endswith("Lornoxicam had no effect.")
    assert "Mortality did not differ." in section(jats, "results")
    assert "Bone RC" not in jats.text  # the reference list stays out


def test_jats_table_cells_have_spans(jats: Document) -> None:
    (table,) = jats.tables
    assert table.label == "Table 1" and table.caption == "Characteristics of patients"
    assert table.header == [
        ["Characteristic", "Group", ""],
        ["", "Lornoxicam (n = 20)", "Placebo (n = 20)"],
    ]
    assert table.rows == [
        ["Age (years)", "54.3 ± 12.1", "51.0 ± 9.8"],
        ["Sex", "12 M", "11 M"],
        ["", "8 F", "9 F"],
    ]
    assert table.footnotes == ["Values are mean ± SD."]
    for cell in table.cells:
        assert jats.text[cell.start : cell.end] == cell.text
    assert {(c.row, c.col) for c in table.cells if c.header} == {(0, 0), (0, 1), (1, 1), (1, 2)}
    block = jats.text[table.start : table.end]
    assert block.startswith("Table 1 Characteristics of patients\n") and block.endswith(
        "Values are mean ± SD."
    )
    assert any(s.name == "table" and s.heading == "Table 1" for s in jats.sections)


@pytest.mark.parametrize(
    ("title", "sec_type", "expected"),
    [
        ("Background", None, "introduction"),
        ("Materials and Methods", None, "methods"),
        (None, "methods", "methods"),
        ("Results and discussion", None, "results"),
        ("Conclusions", None, "conclusion"),
        ("Competing interests", None, "boilerplate"),
        ("Some odd heading", None, "body"),
    ],
)
def test_canonical_section(title: str | None, sec_type: str | None, expected: str) -> None:
    assert canonical_section(title, sec_type) == expected


def test_pubmed_xml_records() -> None:
    report = read_bytes_report(PUBMED_XML, "set.xml")
    first, second = report.documents
    assert first.paper_id.endswith(":0") and second.paper_id.endswith(":2")
    assert first.text == (
        "Trends in the safety of high dose bolus interleukin-2.\n\n"
        "BACKGROUND: High dose IL-2 is toxic.\n\n"
        "RESULTS: Of 155 patients, 36 (23%) responded (P < 0.001).\n"
    )
    assert (first.meta.pmid, first.meta.journal, first.meta.year, first.meta.doi) == (
        "9816918",
        "Cancer",
        1998,
        "10.1002/(sici)1097-0142",
    )
    parts = {s.part: first.text[s.start : s.end] for s in first.sections if s.part}
    assert parts["RESULTS"].startswith("RESULTS: Of 155")
    assert second.meta.year == 1995 and second.format == "pubmed_xml"
    # The record with neither title nor abstract is reported, not raised.
    (error,) = report.errors
    assert "record 1" in str(error) and "set.xml" in str(error)


def test_xxe_refused() -> None:
    with pytest.raises(UnsafeXML, match="xxe.xml"):
        read_bytes(XXE, "xxe.xml")


def test_billion_laughs_refused() -> None:
    with pytest.raises(UnsafeXML, match="bomb.xml"):
        read_bytes(BILLION_LAUGHS, "bomb.xml")


def test_malformed_xml() -> None:
    with pytest.raises(MalformedXML, match="broken.nxml"):
        read_bytes(b"<?xml version='1.0'?><article><front></article>", "broken.nxml")


def test_unknown_xml_root() -> None:
    with pytest.raises(MalformedXML, match="neither"):
        read_bytes(b"<?xml version='1.0'?><rss><channel/></rss>", "feed.xml")


@cache
def corpus_nxml() -> list[Path]:
    if not NXML_DIR.exists():
        pytest.skip(f"{NXML_DIR} is absent (shared corpora not laid beside the project)")
    return sorted(NXML_DIR.glob("*.nxml"))


@pytest.mark.corpus
def test_corpus_nxml_all_read_with_tables() -> None:
    paths = corpus_nxml()
    assert len(paths) == 94
    for path in paths:
        (doc,) = read_path(path)
        expected = path.read_bytes().count(b"<table-wrap ") + path.read_bytes().count(b"<table-wrap>")
        with_grid = [t for t in doc.tables if t.cells]
        assert len(doc.tables) == expected, path.name
        assert len(with_grid) >= expected - path.read_bytes().count(b"<graphic"), path.name
        assert any(s.name == "abstract" for s in doc.sections), path.name
        for table in doc.tables:
            for cell in table.cells:
                assert doc.text[cell.start : cell.end] == cell.text, (path.name, table.label)


@pytest.mark.corpus
def test_corpus_nxml_named_cell() -> None:
    path = NXML_DIR / "PMC1065065.nxml"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    (doc,) = read_path(path)
    table = next(t for t in doc.tables if t.label == "Table 1")
    assert table.rows[0][:2] == ["Respiration (PaO2/FiO2 ratio)", ">400"]
    assert doc.meta.pmid == "15566594"
