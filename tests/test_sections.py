"""Sections of small synthetic texts and of the seeds, and citation metadata."""

from __future__ import annotations

import pytest

from extractors.repair import repair_glyphs
from extractors.sections import SectionSettings, find_sections, read_citation
from schemas import PaperContext, Section
from tests.conftest import CORPUS

FULL_TEXT = """A phase II study of drug X in advanced disease

J. Smith, A. Jones

Department of Oncology, Some University

Abstract
Background: Drug X is new. Methods: We treated 40 patients.
Results: The response rate was 20% (P < 0.05). Conclusions: Drug X is active.

Keywords: drug X; phase II

1. Introduction
Advanced disease has a poor outlook.

2. Methods
Patients received drug X.

Table 1. Response by dose level
Dose level Patients Responses
1 10 2
2 15 4
3 15 2

3. Results
Eight patients responded.

Figure 1. Waterfall plot of the best response.

4. Discussion
Drug X is active.

References
1. Doe J. J Clin Oncol. 2001;19:1-5.
"""

UNLABELLED_TOP = """ We treated patients with drug Y and measured a marker.
Methods: Thirty patients were treated. Results: The marker fell
in 20 of 30 (67%). Conclusion: Drug Y lowers the marker.

KeyWords: drug Y; marker

Ann Test Med 2005; 12:100–105

Markers matter in this disease (1). Little is known
about drug Y.

PATIENTS AND METHODS

Thirty patients were treated.

RESULTS

The marker fell.

DISCUSSION

It works.
"""

PUBMED_PAGE = """Send to

Choose Destination
Ann Test Med. 2003 Jan;12(1):10-9.

A randomized trial of drug Z.

Author information

Department of Medicine, Test University, Testville, USA.


The question was open.


Sixty patients were randomized.


The response rate was 30% versus 10%.


Drug Z works.

[Indexed for MEDLINE]

Supplemental Content

Loading ...
Support Center"""


def names(text: str, **cfg: object) -> list[tuple[str, str | None, str | None]]:
    return [(s.name, s.heading, s.part) for s in find_sections(text, settings=cfg or None)]


def span_of(text: str, sections: list[Section], name: str, **match: object) -> str:
    s = next(s for s in sections if s.name == name and all(getattr(s, k) == v for k, v in match.items()))
    return text[s.start : s.end]


def uncovered(text: str, sections: list[Section]) -> str:
    covered = bytearray(len(text))
    for s in sections:
        covered[s.start : s.end] = b"\x01" * (s.end - s.start)
    return "".join(c for i, c in enumerate(text) if not covered[i] and not c.isspace())


def test_full_text_with_headings() -> None:
    sections = find_sections(FULL_TEXT)
    assert [s.name for s in sections if s.part is None] == [
        "title",
        "boilerplate",
        "abstract",
        "keywords",
        "introduction",
        "methods",
        "table",
        "results",
        "figure",
        "discussion",
        "references",
    ]
    assert span_of(FULL_TEXT, sections, "title") == "A phase II study of drug X in advanced disease"
    parts = [s.part for s in sections if s.name == "abstract" and s.part]
    assert parts == ["Background", "Methods", "Results", "Conclusions"]
    assert (
        span_of(FULL_TEXT, sections, "abstract", part="Results")
        == "Results: The response rate was 20% (P < 0.05)."
    )
    table = next(s for s in sections if s.name == "table")
    methods = next(s for s in sections if s.name == "methods")
    assert table.heading == "Table 1" and methods.start < table.start < table.end <= methods.end
    assert next(s for s in sections if s.name == "figure").heading == "Figure 1"
    assert uncovered(FULL_TEXT, sections) == ""


def test_tables_nest_inside_the_running_section() -> None:
    ctx = PaperContext(text=FULL_TEXT, repaired=FULL_TEXT, sections=find_sections(FULL_TEXT))
    assert ctx.section_at(FULL_TEXT.index("2 15 4")) == "table 1"
    assert ctx.section_at(FULL_TEXT.index("Patients received")) == "methods"
    assert ctx.section_at(FULL_TEXT.index("Eight patients")) == "results"


def test_unlabelled_abstract_keywords_citation_introduction() -> None:
    sections = find_sections(UNLABELLED_TOP)
    got = [(s.name, s.part) for s in sections]
    assert got[:5] == [
        ("abstract", None),
        ("abstract", "Methods"),
        ("abstract", "Results"),
        ("abstract", "Conclusion"),
        ("keywords", None),
    ]
    assert span_of(UNLABELLED_TOP, sections, "abstract").endswith("Drug Y lowers the marker.")
    assert span_of(UNLABELLED_TOP, sections, "citation") == "Ann Test Med 2005; 12:100–105"
    assert span_of(UNLABELLED_TOP, sections, "introduction").startswith("Markers matter")
    assert [s.name for s in sections][-3:] == ["methods", "results", "discussion"]
    assert uncovered(UNLABELLED_TOP, sections) == ""


def test_pubmed_page_chrome_title_and_inferred_parts() -> None:
    sections = find_sections(PUBMED_PAGE)
    assert span_of(PUBMED_PAGE, sections, "title") == "A randomized trial of drug Z."
    assert span_of(PUBMED_PAGE, sections, "citation") == "Ann Test Med. 2003 Jan;12(1):10-9."
    assert span_of(PUBMED_PAGE, sections, "boilerplate", heading="Author information").endswith(
        "Testville, USA."
    )
    abstract = span_of(PUBMED_PAGE, sections, "abstract", part=None)
    assert abstract.startswith("The question") and abstract.endswith("Drug Z works.")
    parts = {s.part: PUBMED_PAGE[s.start : s.end] for s in sections if s.name == "abstract" and s.part}
    assert parts == {
        "Background": "The question was open.",
        "Methods": "Sixty patients were randomized.",
        "Results": "The response rate was 30% versus 10%.",
        "Conclusions": "Drug Z works.",
    }
    chrome = [PUBMED_PAGE[s.start : s.end] for s in sections if s.name == "boilerplate" and s.heading is None]
    assert chrome[0] == "Send to\n\nChoose Destination"
    assert chrome[-1].startswith("[Indexed for MEDLINE]") and chrome[-1].endswith("Support Center")
    assert uncovered(PUBMED_PAGE, sections) == ""


def test_three_paragraph_abstract_gets_no_invented_parts() -> None:
    page = PUBMED_PAGE.replace("\n\n\nDrug Z works.", "")
    assert not any(s.part for s in find_sections(page) if s.name == "abstract")


def test_plain_text_is_one_body_section() -> None:
    text = "Some notes about a study.\nNo headings at all."
    assert [(s.name, s.start, s.end) for s in find_sections(text)] == [("body", 0, len(text))]


def test_known_sections_are_kept_and_completed() -> None:
    known = [Section(name="methods", heading="Methods", start=0, end=10)]
    sections = find_sections(FULL_TEXT, known)
    assert known[0] in sections
    assert [s for s in sections if s.name == "methods"] == known  # the reader's own view wins
    assert any(s.name == "table" for s in sections) and any(s.name == "results" for s in sections)


def test_settings() -> None:
    text = "Intro text here.\n\nOUTCOMES\n\nThe marker fell.\n"
    assert ("results", "OUTCOMES", None) in names(text, headings={"outcomes": "results"})
    with pytest.raises(ValueError):
        SectionSettings(max_heading_chars=1)


# --- Citations -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "J Nucl Med 2006; 47:242–246\n",
            {"journal": "J Nucl Med", "year": 2006, "volume": "47", "pages": "242–246"},
        ),
        (
            "Clin Cancer Res. 1996 Apr;2(4):669-77.\n",
            {"journal": "Clin Cancer Res", "year": 1996, "volume": "2", "pages": "669-77"},
        ),
        (
            "Cancer. 1998 Aug 15;83(4):797-805.\n",
            {"journal": "Cancer", "year": 1998, "volume": "83", "pages": "797-805"},
        ),
    ],
)
def test_citation_lines(text: str, expected: dict[str, object]) -> None:
    meta = read_citation("Some text first.\n\n" + text + "\nMore text.")
    assert meta.model_dump(include=set(expected)) == expected


def test_citation_ids_and_portal_fields() -> None:
    text = (
        "Title of a paper on X\n\nA. Author, B. Author\n\nAbstract text of some length here.\n\n"
        "JournalJournal of Tests\nPublication statusPublished - 12 May 2001\nPages (from-to)5-9\n"
        "PMID: 12345678 doi: 10.1000/xyz.123.\n"
    )
    meta = read_citation(text)
    assert (meta.journal, meta.year, meta.pages, meta.pmid, meta.doi) == (
        "Journal of Tests",
        2001,
        "5-9",
        "12345678",
        "10.1000/xyz.123",
    )
    assert meta.title == "Title of a paper on X" and meta.authors == ["A. Author", "B. Author"]


def test_reference_list_is_not_the_papers_citation() -> None:
    assert read_citation("Text.\n\nReferences\n1. Doe J. Title. J Clin Oncol. 2001;19:1-5.\n").journal is None


# --- Seeds ------------------------------------------------------------------------------------------


def seed_sections(prefix: str) -> tuple[str, list[Section]]:
    text = repair_glyphs(next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")).text
    return text, find_sections(text)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_sections_cover_the_text(prefix: str) -> None:
    text, sections = seed_sections(prefix)
    assert uncovered(text, sections) == ""


def test_seed_000_full_text() -> None:
    text, sections = seed_sections("000")
    running = [s.name for s in sections if s.name not in ("table",) and s.part is None]
    assert running == ["abstract", "keywords", "citation", "introduction", "methods", "results", "discussion"]
    assert [s.heading for s in sections if s.name == "table"] == [f"Table {k}" for k in range(1, 7)]
    assert [s.part for s in sections if s.part] == ["Methods", "Results", "Conclusion"]
    ctx = PaperContext(text=text, repaired=text, sections=sections)
    assert ctx.section_at(text.index("Pain score 8.24")) == "table 3"
    assert ctx.section_at(text.index("lasted 224 d")) == "results"
    assert ctx.section_at(text.index("independent prognostic")) == "discussion"


def test_seed_003_figures_and_tables_nest() -> None:
    text, sections = seed_sections("003")
    assert [s.heading for s in sections if s.name == "figure"] == [
        "Figure 2",
        "Figure 1",
        "Figure 4",
        "Figure 3",
    ]
    assert [s.name for s in sections if s.name not in ("table", "figure") and s.part is None] == [
        "abstract",
        "introduction",
        "methods",
        "results",
        "discussion",
        "conclusion",
    ]
    table1 = next(s for s in sections if s.heading == "Table 1")
    assert text[table1.end - len("nonsignificant.") : table1.end] == "nonsignificant."


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("000", {"journal": "J Nucl Med", "year": 2006, "volume": "47", "pages": "242–246", "title": None}),
        (
            "001",
            {
                "journal": "Clin Cancer Res",
                "year": 1996,
                "title": "Daily subcutaneous injection of low-dose interleukin 2 expands natural killer cells in vivo "
                "without significant toxicity.",
            },
        ),
        ("002", {"journal": "Cancer", "year": 1998, "volume": "83"}),
        ("003", {"journal": None, "year": None}),
        (
            "004",
            {
                "journal": "International Journal of Immunotherapy",
                "year": 1998,
                "pages": "41-44",
                "title": "Immunobiological effects of interleukin-2, interleukin-12 or interleukin-2 plus "
                "interleukin-12 in metastatic cancer patients",
            },
        ),
    ],
)
def test_seed_citations(prefix: str, expected: dict[str, object]) -> None:
    text, _ = seed_sections(prefix)
    assert read_citation(text).model_dump(include=set(expected)) == expected


def test_seed_002_unlabelled_structured_abstract() -> None:
    text, sections = seed_sections("002")
    results = span_of(text, sections, "abstract", part="Results")
    assert results.startswith("Significant decreases") and results.endswith("over the study period.")
    assert [s.part for s in sections if s.part] == ["Background", "Methods", "Results", "Conclusions"]


def test_seed_004_portal_page() -> None:
    text, sections = seed_sections("004")
    assert read_citation(text).authors[:2] == ["P. Lissoni", "S. Barni"]
    assert span_of(text, sections, "abstract").startswith("IL-2 and IL-12 seem")
    assert span_of(text, sections, "boilerplate").startswith("Research output")


HEADED_ABSTRACT = """Original Paper

Effect of drug W on blood pressure: a
randomized trial

Abstract

Background
Blood pressure is high.

Methods
We randomized 80 adults.

Results
Drug W lowered it by 5 mm Hg.

Introduction
Hypertension is common.

Methods
Adults were randomized.

Results
It fell.

References
1. Doe J. Hypertension.
Lancet. 2010;375:1-9.
"""


def test_abstract_parts_under_their_own_headings() -> None:
    sections = find_sections(HEADED_ABSTRACT)
    assert span_of(HEADED_ABSTRACT, sections, "boilerplate") == "Original Paper"
    assert (
        span_of(HEADED_ABSTRACT, sections, "title")
        == "Effect of drug W on blood pressure: a\nrandomized trial"
    )
    parts = {s.part: HEADED_ABSTRACT[s.start : s.end] for s in sections if s.name == "abstract" and s.part}
    assert parts == {
        "Background": "Background\nBlood pressure is high.",
        "Methods": "Methods\nWe randomized 80 adults.",
        "Results": "Results\nDrug W lowered it by 5 mm Hg.",
    }
    assert span_of(HEADED_ABSTRACT, sections, "abstract", part=None).endswith("by 5 mm Hg.")
    body = [
        (s.name, HEADED_ABSTRACT[s.start : s.end])
        for s in sections
        if s.start >= HEADED_ABSTRACT.index("Introduction")
    ]
    assert body[:3] == [
        ("introduction", "Introduction\nHypertension is common."),
        ("methods", "Methods\nAdults were randomized."),
        ("results", "Results\nIt fell."),
    ]
    assert not any(s.name == "citation" for s in sections)  # "Lancet. 2010;375:1-9." is a reference
    assert read_citation(HEADED_ABSTRACT).journal is None
