from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.entities import extract_entities
from extractors.entities.p_value import PValueComponent, find_p_values, read_operator
from schemas.context import PaperContext
from schemas.records import Table, TableCell


def p_values(text: str) -> list[tuple[str, float, str]]:
    return [(e.operator, e.value, text[e.start : e.end]) for e in find_p_values(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Levels were higher (P < 0.001).", [("<", 0.001, "P < 0.001")]),
        ("t(28) = 2.20, p = .03", [("=", 0.03, "p = .03")]),
        ("a P value of less than 0.05 was significant", [("<", 0.05, "P value of less than 0.05")]),
        ("did not differ (P > 0.05).", [(">", 0.05, "P > 0.05")]),
        ("effect (P≤0.05)", [("<=", 0.05, "P≤0.05")]),
        ("P-value = 0·04", [("=", 0.04, "P-value = 0·04")]),
        ("P < 10−4 overall", [("<", 0.0001, "P < 10−4")]),
        ("P = 1.2 × 10−5.", [("=", 1.2e-5, "P = 1.2 × 10−5")]),
        (
            "(two-tailed P value = 0.40 and 1.0, respectively)",
            [("=", 0.40, "two-tailed P value = 0.40"), ("=", 1.0, "1.0")],
        ),
        ("(P = 0.565 and 0.542, respectively)", [("=", 0.565, "P = 0.565"), ("=", 0.542, "0.542")]),
        (
            "(P = 0.019, P = 0.024, and P = 0.019, respectively)",
            [("=", 0.019, "P = 0.019"), ("=", 0.024, "P = 0.024"), ("=", 0.019, "P = 0.019")],
        ),
    ],
)
def test_text_p_values(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert p_values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "group B had died (P = not significant)",
        "No difference (NS) was seen",
        "Phase 2 trial by P. Lissoni in 2001",
        "P 2001 was a good year",
        "the pH = 7.4 and p = 12 pages",
    ],
)
def test_not_p_values(text: str) -> None:
    assert p_values(text) == []


def test_list_needs_respectively_or_parenthesis() -> None:
    assert p_values("P = 0.04 and 0.5 mg were given") == [("=", 0.04, "P = 0.04")]


def test_comparison_is_the_clause() -> None:
    (e,) = find_p_values("Serum IL-2 rose in responders (P < 0.001).")
    assert e.comparison == "Serum IL-2 rose in responders"
    assert e.decimals == 3


def test_undecided_glyph_reads_as_uncertain() -> None:
    text = "higher in group A (P \ufffd 0.05) and survival (P \ufffd 0.019)."
    found = list(find_p_values(text))
    assert [(e.operator, e.value, e.uncertain) for e in found] == [("<", 0.05, True), ("=", 0.019, True)]


def test_read_operator_words() -> None:
    assert read_operator("of less than") == "<"
    assert read_operator("greater than or equal to") == ">="
    assert read_operator("was") == "="


def test_component_in_pipeline(nlp) -> None:
    text = "Responders improved (P < 0.01)."
    ents = [e for e in extract_entities(PaperContext(text=text, repaired=text), nlp) if e.kind == "p_value"]
    assert [(e.operator, e.value, e.text) for e in ents] == [("<", 0.01, "P < 0.01")]


def _table_ctx() -> PaperContext:
    # A table laid out as text, with cell spans into it; footnotes give the markers' meaning.
    rows = [
        ["Group", "TNF-α (ng/mL)", "IL-2 (ng/mL)"],
        ["Controls (n = 20)", "1.35 ± 0.43", "4.50 ± 1.37"],
        ["Patients (n = 42)", "2.77 ± 0.31", "2.87 ± 1.23*"],
        ["P", "0.001*", "<0.001†"],
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
    notes = ["*P < 0.001 vs. control subjects.", "†P = 0.002 vs. controls."]
    text += "\n".join(notes) + "\n"
    table = Table(
        label="Table 2",
        header=[rows[0]],
        rows=rows[1:],
        footnotes=notes,
        cells=cells,
        start=0,
        end=len(text),
    )
    return PaperContext(text=text, repaired=text, tables=[table])


def test_table_p_row_and_footnotes(nlp) -> None:
    ctx = _table_ctx()
    ents = PValueComponent(nlp, "p").match(nlp.make_doc(ctx.repaired), ctx)
    got = sorted((e.cell, e.operator, e.value, ctx.text[e.start : e.end]) for e in ents)
    assert got == [
        (
            (2, 2),
            "<",
            0.001,
            "1.23*",
        ),  # a marked value cell reports its footnote's p (span: the marked number)
        ((3, 1), "<", 0.001, "0.001*"),  # the footnote turns "0.001*" into "< 0.001"
        ((3, 2), "<", 0.001, "<0.001†"),  # an explicit sign wins
    ]
    assert all(e.table == "Table 2" for e in ents)
    # footnote lines inside the table are not read again as text p-values
    assert len(ents) == 3


TEXT_TABLE = """TABLE 5
Levels in Responders and Nonresponders

Group IL-2 (ng/mL) TNF-α (ng/mL) IL-2 (ng/mL)
Responders (n = 33) 2.91 ± 0.56 2.78 ± 0.37 4.58 ± 1.14
Nonresponders (n = 9) 2.72 ± 0.54 2.73 ± 0.45 58 ± 21.2‡

P 0.345* 0.001† <0.001†

*P > 0.05 vs. responders.
†P < 0.001 vs. responders.
‡P = 0.02 vs. responders.
"""


def test_plain_text_table_p_row_and_marked_cells(nlp) -> None:
    ctx = PaperContext(text=TEXT_TABLE, repaired=TEXT_TABLE)
    ents = PValueComponent(nlp, "p").match(nlp.make_doc(ctx.repaired), ctx)
    got = sorted((e.start, e.operator, e.value, TEXT_TABLE[e.start : e.end]) for e in ents)
    assert [g[1:] for g in got] == [
        ("=", 0.02, "21.2‡"),  # marked value cell: the footnote's p, on the marked number
        ("=", 0.345, "0.345*"),  # "0.345*" with "*P > 0.05": the printed value stands
        ("<", 0.001, "0.001†"),  # same value as its footnote: the footnote's operator
        ("<", 0.001, "<0.001†"),
    ]


def test_prose_starting_with_p_is_not_a_p_row(nlp) -> None:
    text = "TABLE 1\nDoses\n\nP 32 was given to 4 patients\n"
    ctx = PaperContext(text=text, repaired=text)
    assert PValueComponent(nlp, "p").match(nlp.make_doc(text), ctx) == []


def test_unused_footnote_stays_a_p_value(nlp) -> None:
    text = "TABLE 1\nAge 54 ± 8 56 ± 9\n\n*P = 0.03 for the trend.\n"
    ctx = PaperContext(text=text, repaired=text)
    ents = PValueComponent(nlp, "p").match(nlp.make_doc(text), ctx)
    assert [(e.operator, e.value, e.text) for e in ents] == [("=", 0.03, "P = 0.03")]


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [
        ("P for trend = 0.03", "=", 0.03),
        ("P-trend < 0.01", "<", 0.01),
        ("P(interaction) = 0.2", "=", 0.2),
        ("P = 3 × 10^-5", "=", 3e-5),
        ("P = 3.2e-5", "=", 3.2e-5),
        ("P=.000", "=", 0.0),
    ],
)
def test_p_value_variants(text: str, op: str, value: float) -> None:
    ((got_op, got_value, quote),) = p_values(text)
    assert (got_op, got_value, quote) == (op, value, text)


def test_phosphorus_is_not_a_p_value() -> None:
    assert p_values("serum P = 0.9 mmol/L") == []


def test_cell_stating_a_whole_p(nlp) -> None:
    rows = [["Group", "Follow-up (mo)"], ["Mean ± SD", "9.9 ± 4.6"], ["P between groups", "P < 0.001"]]
    text = ""
    cells: list[TableCell] = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            start = len(text)
            text += cell
            cells.append(TableCell(row=r, col=c, text=cell, start=start, end=len(text), header=r == 0))
            text += " "
        text += "\n"
    table = Table(label="Table 2", header=[rows[0]], rows=rows[1:], cells=cells, start=0, end=len(text))
    ctx = PaperContext(text=text, repaired=text, tables=[table])
    ents = PValueComponent(nlp, "p").match(nlp.make_doc(text), ctx)
    assert [(e.operator, e.value, e.text, e.cell) for e in ents] == [("<", 0.001, "P < 0.001", (2, 1))]


def test_ns_cells_give_ns_p_values(nlp) -> None:
    rows = [["Parameter", "Age"], ["P between groups", "NS"]]
    text = "Parameter Age\nP between groups NS\n"
    cells = [
        TableCell(row=0, col=0, text="Parameter", start=0, end=9, header=True),
        TableCell(row=0, col=1, text="Age", start=10, end=13, header=True),
        TableCell(row=1, col=0, text="P between groups", start=14, end=30),
        TableCell(row=1, col=1, text="NS", start=31, end=33),
    ]
    table = Table(label="Table 1", header=[rows[0]], rows=rows[1:], cells=cells, start=0, end=len(text))
    ctx = PaperContext(text=text, repaired=text, tables=[table])
    [p] = PValueComponent(nlp, "p").match(nlp.make_doc(text), ctx)
    assert (p.ns, p.operator, p.value, p.text) == (True, None, None, "NS")


def test_or_less_after_the_value() -> None:
    assert p_values("P-values of 0.05 or less were significant") == [("<=", 0.05, "P-values of 0.05 or less")]
    assert p_values("a P  value <0.05") == [("<", 0.05, "P  value <0.05")]


def test_p_values_reported_from_other_studies_are_cited(nlp) -> None:
    text = (
        "DISCUSSION\n\nSmith et al. found lower levels in treated patients (P < 0.01) (12). "
        "In our study, levels rose (P = 0.03)."
    )
    ents = [e for e in extract_entities(PaperContext(text=text, repaired=text), nlp) if e.kind == "p_value"]
    assert [(e.value, e.cited) for e in ents] == [(0.01, True), (0.03, False)]


_ALPHABET = "Pp <>=≤≥0123456789.·,−-×^eE()[]*†NSnsvalue respectively and or\n\ufffd"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_text_p_values_never_raise_and_spans_valid(text: str) -> None:
    for e in find_p_values(text):
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        assert 0 <= e.value <= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P values were 0.03 and 0.04, respectively", [("=", 0.03), ("=", 0.04)]),
        ("P value: 0.03", [("=", 0.03)]),
        ("P was < 0.05", [("<", 0.05)]),
    ],
)
def test_verbs_and_colons(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(op, v) for op, v, _ in p_values(text)] == expected


def test_p_column_with_several_values_per_cell(nlp) -> None:
    rows = [
        ["", "Test 1", "P ∆ cortisol, time, interaction"],
        ["ACTH, pmol/L", "3.1 (1.1-18.0)", "0.001, 0.025, <0.001"],
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
    table = Table(label="Table 2", header=[rows[0]], rows=rows[1:], cells=cells, start=0, end=len(text))
    ctx = PaperContext(text=text, repaired=text, tables=[table])
    ents = PValueComponent(nlp, "p").match(nlp.make_doc(text), ctx)
    assert [(e.operator, e.value, e.text) for e in ents] == [
        ("=", 0.001, "0.001"),
        ("=", 0.025, "0.025"),
        ("<", 0.001, "<0.001"),
    ]


@pytest.mark.parametrize(
    "text, quote",
    [
        ("Deaths did not differ between arms (P = not significant).", "P = not significant"),
        ("Weight change was similar (p = NS) in both groups.", "p = NS"),
        ("The difference in relapse (P: n.s.) was small.", "P: n.s."),
    ],
)
def test_p_stated_as_not_significant(nlp, text: str, quote: str) -> None:
    ents = [e for e in extract_entities(PaperContext(text=text, repaired=text), nlp) if e.kind == "p_value"]
    assert [(e.operator, e.value, e.ns, e.text) for e in ents] == [(None, None, True, quote)]


def test_ns_is_not_read_from_ordinary_words(nlp) -> None:
    text = "The NS group (nonsmokers) and the Pns cohort were enrolled; P was computed later."
    ents = [e for e in extract_entities(PaperContext(text=text, repaired=text), nlp) if e.kind == "p_value"]
    assert ents == []


def test_ns_cells_of_a_p_row(nlp) -> None:
    rows = [["Variable", "Group A", "Group B", "P"], ["Age (y)", "61.8 ± 7.8", "65.9 ± 13.2", "NS"]]
    text, cells = "", []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            cells.append(
                TableCell(row=r, col=c, text=cell, start=len(text), end=len(text) + len(cell), header=r == 0)
            )
            text += cell + " "
        text += "\n"
    table = Table(label="Table 1", header=[rows[0]], rows=rows[1:], cells=cells, start=0, end=len(text))
    ctx = PaperContext(text=text, repaired=text, tables=[table])
    [p] = [e for e in extract_entities(ctx, nlp) if e.kind == "p_value"]
    assert (p.ns, p.value, p.text, p.cell) == (True, None, "NS", (1, 3))
    assert p.comparison == "Table 1: Age (y)"
