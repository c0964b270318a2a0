from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.entities import extract_entities
from extractors.entities.statistic import find_statistics
from schemas.context import PaperContext


def stats(text: str) -> list[tuple]:
    return [(e.test, e.value, e.df, e.ci, text[e.start : e.end]) for e in find_statistics(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("t(28) = 2.20, p = .03", [("t", 2.20, [28.0], None, "t(28) = 2.20, p = .03")]),
        ("F(2, 45) = 3.21, p < .05", [("F", 3.21, [2.0, 45.0], None, "F(2, 45) = 3.21, p < .05")]),
        ("χ2(1, N = 90) = 4.5, p = .03", [("chi2", 4.5, [1.0], None, "χ2(1, N = 90) = 4.5, p = .03")]),
        ("z = 1.96, p = .05", [("z", 1.96, None, None, "z = 1.96, p = .05")]),
        ("HR 0.72 (95% CI 0.61–0.85)", [("HR", 0.72, None, [0.61, 0.85], "HR 0.72 (95% CI 0.61–0.85)")]),
        (
            "hazard ratio, 0.72; 95% CI, 0.61 to 0.85",
            [("HR", 0.72, None, [0.61, 0.85], "hazard ratio, 0.72; 95% CI, 0.61 to 0.85")],
        ),
        (
            "OR was 2.1 (95% confidence interval 1.2-3.4)",
            [("OR", 2.1, None, [1.2, 3.4], "OR was 2.1 (95% confidence interval 1.2-3.4)")],
        ),
        (
            "mean difference −1.2 (95% CI −2.0 to −0.4)",
            [("mean difference", -1.2, None, [-2.0, -0.4], "mean difference −1.2 (95% CI −2.0 to −0.4)")],
        ),
        ("RR = 1.4", [("RR", 1.4, None, None, "RR = 1.4")]),
    ],
)
def test_statistics(text: str, expected: list[tuple]) -> None:
    assert stats(text) == expected


def test_correlation_list_gives_one_per_value() -> None:
    text = "r = −0.91 for IL-2 lesions, −0.87 for IL-2 pain score, and 0.62 for TNF-α pain score."
    got = stats(text)
    assert [(t, v) for t, v, *_ in got] == [("r", -0.91), ("r", -0.87), ("r", 0.62)]
    assert got[0][-1] == "r = −0.91 for IL-2 lesions"
    assert got[1][-1] == "−0.87 for IL-2 pain score"


@pytest.mark.parametrize(
    "text",
    [
        "eligible if ECOG 0 OR 1",
        "r = 12 for",  # not a correlation coefficient
        "the t-test and the χ2 test were used",
        "HRs were computed",
        "Phase 2 (n = 45)",
    ],
)
def test_not_statistics(text: str) -> None:
    assert stats(text) == []


def test_ci_must_contain_the_estimate() -> None:
    ((test, value, _df, ci, _q),) = stats("HR 0.72 (95% CI 1.1–1.5)")
    assert (test, value, ci) == ("HR", 0.72, None)


def test_component_in_pipeline(nlp) -> None:
    text = "Survival improved (HR 0.72, 95% CI 0.61-0.85; P < 0.001)."
    ents = [e for e in extract_entities(PaperContext(text=text, repaired=text), nlp) if e.kind == "statistic"]
    assert [(e.test, e.value, e.ci) for e in ents] == [("HR", 0.72, [0.61, 0.85])]
    assert ents[0].text.startswith("HR 0.72")


def test_unlabelled_interval_in_brackets() -> None:
    assert stats("HR 2.3 (1.2–4.5)") == [("HR", 2.3, None, [1.2, 4.5], "HR 2.3 (1.2–4.5)")]
    assert stats("HR 2.3 (n = 45)") == [("HR", 2.3, None, None, "HR 2.3")]


def test_difference_needs_its_interval() -> None:
    assert stats("difference 3·9 [3·2–4·9], p<0·0001") == [
        ("difference", 3.9, None, [3.2, 4.9], "difference 3·9 [3·2–4·9]")
    ]
    assert stats("risk difference 5.1 (95% CI 1.2 to 9.0)")[0][:2] == ("RD", 5.1)
    assert stats("to detect a difference of 50 in the primary outcome") == []


def test_estimates_in_table_cells(nlp) -> None:
    from extractors.entities.statistic import StatisticComponent
    from schemas.records import Table, TableCell

    rows = [
        ["Factor", "HR (95% CI)", "P"],
        ["Age ≥ 75 y", "4.48 (3.33–6.01)", "<0.001"],
        ["Male", "0.94", "0.7"],
    ]
    text = ""
    cells: list[TableCell] = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            start = len(text)
            text += cell
            cells.append(TableCell(row=r, col=c, text=cell, start=start, end=len(text), header=r == 0))
            text += " "
        text += "\n"
    table = Table(label="Table 3", header=[rows[0]], rows=rows[1:], cells=cells, start=0, end=len(text))
    ctx = PaperContext(text=text, repaired=text, tables=[table])
    ents = StatisticComponent(nlp, "s").match(nlp.make_doc(text), ctx)
    assert [(e.test, e.value, e.ci, e.cell, e.text) for e in ents] == [
        ("HR", 4.48, [3.33, 6.01], (1, 1), "4.48 (3.33–6.01)"),
        ("HR", 0.94, None, (2, 1), "0.94"),
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="tFrzQχ2HRORCI95% ()[],;=<>−-.0123456789pnsforand\n", max_size=80))
def test_statistics_never_raise_and_spans_valid(text: str) -> None:
    for e in find_statistics(text):
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    ("text", "test", "value", "ci"),
    [
        ("adjusted odds ratio (aOR) 1.8 (95% CI 1.1–2.9)", "OR", 1.8, [1.1, 2.9]),
        ("the hazard ratio for death was 0.72 (95% CI, 0.61 to 0.85)", "HR", 0.72, [0.61, 0.85]),
        ("mean difference, −1.2 points (95% CI −2.0 to −0.4)", "mean difference", -1.2, [-2.0, -0.4]),
        ("a correlation coefficient of 0.45", "r", 0.45, None),
        ("an intraclass correlation coefficient (ICC) of 0.91", "ICC", 0.91, None),
    ],
)
def test_longer_phrasings(text: str, test: str, value: float, ci: list[float] | None) -> None:
    ((got_test, got_value, _df, got_ci, quote),) = stats(text)
    assert (got_test, got_value, got_ci) == (test, value, ci)
    assert quote in text


def test_estimate_for_a_phrase_needs_its_interval() -> None:
    assert stats("the odds ratio for smokers was 2") == []
