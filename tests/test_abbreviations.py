"""Schwartz–Hearst abbreviation definitions."""

from __future__ import annotations

from extractors.abbreviations import (
    find_abbreviation_spans,
    find_abbreviations,
    join_hyphenated,
    match_long_form,
)


def test_running_text_definitions():
    text = (
        "Thirty-eight patients were treated at doses ranging from 0.4 to 1.75 million International Units "
        "(mIU)/m2 daily until the maximum tolerated dose (MTD) was defined. Serum interleukin-2 (IL-2) "
        "and tumor necro-\nsis factor-a (TNF-a) were measured."
    )
    found = find_abbreviations(text)
    assert found["mIU"] == "million International Units"
    assert found["MTD"] == "maximum tolerated dose"
    assert found["IL-2"] == "interleukin-2"
    assert found["TNF-a"] == "tumor necrosis factor-a"


def test_long_form_offsets():
    text = "the maximum tolerated dose (MTD) was 1.25"
    (abbr,) = find_abbreviation_spans(text)
    assert text[abbr.start : abbr.end] == "maximum tolerated dose (MTD)"


def test_table_legend_definitions():
    legend = "RT = radionuclide therapy; Oct = Octreotide; Lan = Lanreotide; NS = nonsignificant.\n"
    found = find_abbreviations(legend)
    assert found["Oct"] == "Octreotide"
    assert found["Lan"] == "Lanreotide"
    assert found["RT"] == "radionuclide therapy"


def test_statistics_and_citations_are_not_abbreviations():
    text = "healthy controls (n = 20) differed (P < 0.05) as reported before (12) in 2004 (ref 3)."
    assert find_abbreviations(text) == {}


def test_match_long_form_requires_word_initial_first_letter():
    assert match_long_form("NK", "natural killer") == "natural killer"
    assert match_long_form("XYZ", "natural killer") is None


def test_join_hyphenated():
    assert join_hyphenated("stabili-\nzation of 131I-\nMIBG") == "stabilization of 131I-MIBG"
