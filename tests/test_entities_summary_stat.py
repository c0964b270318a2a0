from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.entities import extract_entities
from extractors.entities.summary_stat import SummaryStatComponent, find_means_without_sd, find_summary_stats
from schemas.context import PaperContext
from schemas.records import Table, TableCell


def summaries(text: str) -> list[tuple]:
    found = [*find_summary_stats(text), *find_means_without_sd(text)]
    return [(e.mean, e.sd, text[e.start : e.end]) for e in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "serum IL-2 concentrations increased from 2.91 ± 0.56 to 4.58 ± 1.14 (P < 0.001)",
            [(2.91, 0.56, "2.91 ± 0.56"), (4.58, 1.14, "4.58 ± 1.14")],
        ),
        (
            "follow-up in group A and group B: 26.6 ± 16.5 mo versus 9.9 ± 4.6 mo, respectively",
            [(26.6, 16.5, "26.6 ± 16.5 mo"), (9.9, 4.6, "9.9 ± 4.6 mo")],
        ),
        ("(24 men and 18 women; mean age, 54 y)", [(54.0, None, "mean age, 54 y")]),
        ("aged 54.2 (SD 8.1) years", [(54.2, 8.1, "54.2 (SD 8.1)")]),
        ("weight 70.1 +/- 12.0 kg", [(70.1, 12.0, "70.1 +/- 12.0 kg")]),
    ],
)
def test_text_summaries(text: str, expected: list[tuple]) -> None:
    assert summaries(text) == expected


def test_percent_mean_with_n() -> None:
    text = "urinary 5-HIAA fell by 65% ± 21% in 3 patients"
    (e,) = find_summary_stats(text)
    assert (e.mean, e.sd, e.n, e.mean_decimals, e.sd_decimals) == (65.0, 21.0, 3, 0, 0)
    assert text[e.start : e.end] == "65% ± 21%"


def test_decimals_and_variable() -> None:
    text = "Serum IL-2 concentrations increased from 2.90 ± 0.5 to 4.58 ± 1.14."
    first = find_summary_stats(text)[0]
    assert (first.mean_decimals, first.sd_decimals) == (2, 1)
    assert first.variable == "Serum IL-2 concentrations"


@pytest.mark.parametrize(
    "text",
    [
        "12 (30%) patients responded",
        "Results are expressed as mean ± SD.",
        "the mean ± SD was computed",
    ],
)
def test_not_summaries(text: str) -> None:
    assert summaries(text) == []


def test_bare_mean_not_doubled_when_sd_follows() -> None:
    assert summaries("mean age was 54 ± 8 y") == [(54.0, 8.0, "54 ± 8 y")]


def _table_ctx() -> PaperContext:
    rows = [
        ["Parameter", "Responders (n = 33)", "Nonresponders (n = 9)"],
        ["Age (y)", "53 ± 20.3", "58 ± 21.2*"],
        ["Male", "19", "5"],
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
    table = Table(label="Table 4", header=[rows[0]], rows=rows[1:], cells=cells, start=0, end=len(text))
    return PaperContext(text=text, repaired=text, tables=[table])


def test_table_cells(nlp) -> None:
    ctx = _table_ctx()
    ents = SummaryStatComponent(nlp, "s").match(nlp.make_doc(ctx.repaired), ctx)
    got = [(e.mean, e.sd, e.variable, e.group, e.n, e.cell, ctx.text[e.start : e.end]) for e in ents]
    assert got == [
        (53.0, 20.3, "Age (y)", "Responders (n = 33)", 33, (1, 1), "53 ± 20.3"),
        (58.0, 21.2, "Age (y)", "Nonresponders (n = 9)", 9, (1, 2), "58 ± 21.2*"),
    ]


def test_component_in_pipeline(nlp) -> None:
    text = "The average time before relapse was 16.1 ± 7.8 mo."
    ents = [
        e for e in extract_entities(PaperContext(text=text, repaired=text), nlp) if e.kind == "summary_stat"
    ]
    assert [(e.mean, e.sd, e.text) for e in ents] == [(16.1, 7.8, "16.1 ± 7.8 mo")]


def test_declared_standard_error_is_kept_apart(nlp) -> None:
    text = "Values are mean ± SEM. Weight fell from 80.2 ± 1.5 kg to 76.0 ± 1.4 kg."
    ents = SummaryStatComponent(nlp, "s").match(nlp.make_doc(text), PaperContext(text=text, repaired=text))
    assert [(e.mean, e.sd, e.se, e.dispersion) for e in ents] == [
        (80.2, None, 1.5, "SE"),
        (76.0, None, 1.4, "SE"),
    ]


def test_declared_sd_keeps_sd(nlp) -> None:
    text = "Results are expressed as mean ± SD. Age was 54.1 ± 8.2 y."
    ents = SummaryStatComponent(nlp, "s").match(nlp.make_doc(text), PaperContext(text=text, repaired=text))
    assert [(e.mean, e.sd) for e in ents] == [(54.1, 8.2)]


PAREN_TABLE = """Table 2. Scores at baseline. Data are mean (SD) or n (%).

  Characteristic        Intervention     Control
  Age (years)           54.2 (8.1)       55.0 (7.9)
  Female sex            12 (30.0)        14 (35.0)
  Weight, kg            78.2 (15.6)      77.7 (16.1)
"""


def test_mean_paren_sd_licensed_by_legend() -> None:
    from extractors.entities.summary_stat import find_paren_sd

    got = [(e.mean, e.sd, e.variable, PAREN_TABLE[e.start : e.end]) for e in find_paren_sd(PAREN_TABLE)]
    assert got == [
        (54.2, 8.1, "Age (years)", "54.2 (8.1)"),
        (55.0, 7.9, "Age (years)", "55.0 (7.9)"),
        (78.2, 15.6, "Weight, kg", "78.2 (15.6)"),
        (77.7, 16.1, "Weight, kg", "77.7 (16.1)"),
    ]


def test_mean_paren_without_legend_is_not_read() -> None:
    from extractors.entities.summary_stat import find_paren_sd

    assert find_paren_sd("Responders 12 (30.5) and 14 (35.0) patients") == []
    assert find_paren_sd("HR 0.72 (0.61) was reported") == []


def _grid_ctx(header: list[list[str]], rows: list[list[str]]) -> PaperContext:
    text = ""
    cells: list[TableCell] = []
    for r, row in enumerate([*header, *rows]):
        for c, cell in enumerate(row):
            start = len(text)
            text += cell
            cells.append(
                TableCell(row=r, col=c, text=cell, start=start, end=len(text), header=r < len(header))
            )
            text += " "
        text += "\n"
    table = Table(label="Table 5", header=header, rows=rows, cells=cells, start=0, end=len(text))
    return PaperContext(text=text, repaired=text, tables=[table])


def test_spanning_header_and_summary_row(nlp) -> None:
    ctx = _grid_ctx(
        [["Before", "After"], ["Group", "IL-2", "TNF", "IL-2", "TNF"]],
        [["Responders (n = 33)", "2.91 ± 0.56", "2.78 ± 0.37", "4.58 ± 1.14", "1.24 ± 0.55"]],
    )
    ents = SummaryStatComponent(nlp, "s").match(nlp.make_doc(ctx.repaired), ctx)
    assert [(e.variable, e.group, e.n) for e in ents] == [
        ("Before IL-2", "Responders (n = 33)", 33),
        ("Before TNF", "Responders (n = 33)", 33),
        ("After IL-2", "Responders (n = 33)", 33),
        ("After TNF", "Responders (n = 33)", 33),
    ]
    ctx = _grid_ctx([["Patient", "Age (y)"]], [["1", "61"], ["Mean ± SD", "61.8 ± 7.8"]])
    (ent,) = SummaryStatComponent(nlp, "s").match(nlp.make_doc(ctx.repaired), ctx)
    assert (ent.mean, ent.variable, ent.group) == (61.8, "Age (y)", None)


def test_second_value_shares_the_variable() -> None:
    text = "Serum IL-2 concentrations increased from 2.91 ± 0.56 to 4.58 ± 1.14."
    assert [e.variable for e in find_summary_stats(text)] == ["Serum IL-2 concentrations"] * 2


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="meanageSD ±+/-−()%,.0123456789 kgmoin patients\n", max_size=80))
def test_summaries_never_raise_and_spans_valid(text: str) -> None:
    from extractors.entities.summary_stat import find_paren_sd

    for e in (*find_summary_stats(text), *find_means_without_sd(text), *find_paren_sd(text)):
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        assert e.sd is None or e.sd >= 0


def test_more_mean_sd_shapes() -> None:
    from extractors.entities.summary_stat import find_paren_sd

    assert summaries("FPG 97.6 (±20.8) mg/dl") == [(97.6, 20.8, "97.6 (±20.8)")]
    text = "The MTL group (mean [standard deviation], 73.3% [6.9%]) chose well."
    assert [(e.mean, e.sd, text[e.start : e.end]) for e in find_paren_sd(text)] == [
        (73.3, 6.9, "73.3% [6.9%]")
    ]
    below = "  Sugars quiz      47.2 (19.6)      41.9 (19.4)\n\nTable values are mean (SD).\n"
    assert [(e.mean, e.sd) for e in find_paren_sd(below)] == [(47.2, 19.6), (41.9, 19.4)]


def test_two_values_in_one_cell(nlp) -> None:
    ctx = _grid_ctx(
        [["Variable", "Baseline, mean (SD)", "Follow-up, mean (SD)"]],
        [["Intentions", "4.93 (1.67)", "5.05 (1.68) 6.00 (1.23)"]],
    )
    ents = SummaryStatComponent(nlp, "s").match(nlp.make_doc(ctx.repaired), ctx)
    assert [(e.mean, e.sd, ctx.text[e.start : e.end]) for e in ents] == [
        (4.93, 1.67, "4.93 (1.67)"),
        (5.05, 1.68, "5.05 (1.68)"),
        (6.0, 1.23, "6.00 (1.23)"),
    ]


# --- Markdown tables drawn with dash rules (extractors.tables.find_rule_tables) -----------------

MEAN_SD_COLUMNS = """::: caption
Baseline characteristics
:::

                        *Drug*                 *Placebo*
  --------------------- ---------- ----------- ---------- ---------- -----------
  *Mean*                *SD*       *Mean*      *SD*       *p Value*
  Age (years)           60.93      6.15        62.34      6.07       0.283
  Change in VMI         35.2%      21.7%       9.9%       14.5%      < 0.001
  Median stay (IQR)     12         8--15       11         7--14      0.5

Text resumes here.
"""


def _rule_table_stats(nlp, text: str) -> list[tuple]:
    from extractors.tables import find_tables

    ctx = PaperContext(text=text, repaired=text, tables=find_tables(text))
    ents = SummaryStatComponent(nlp, "s").match(nlp.make_doc(text), ctx)
    return [(e.mean, e.sd, text[e.start : e.end], e.variable) for e in ents if e.sd is not None]


def test_mean_and_sd_in_neighbouring_columns(nlp) -> None:
    got = _rule_table_stats(nlp, MEAN_SD_COLUMNS)
    assert [(m, s, v) for m, s, _, v in got] == [
        (60.93, 6.15, "Age (years)"),
        (62.34, 6.07, "Age (years)"),
        (35.2, 21.7, "Change in VMI"),
        (9.9, 14.5, "Change in VMI"),
    ]  # the IQR row "12 | 8--15" is no mean and SD: its spread is a range
    assert got[0][2].startswith("60.93") and got[0][2].endswith("6.15")


def test_neighbouring_columns_need_mean_and_sd_headers(nlp) -> None:
    text = MEAN_SD_COLUMNS.replace("*Mean*", "*Median*").replace("*SD*", "*IQR*")
    assert _rule_table_stats(nlp, text) == []


DECORATED_CELLS = """::: caption
Outcomes. Data are mean (SD) unless stated otherwise.
:::

  Outcome                Intervention          Control               Difference (95% CI)
  ---------------------- --------------------- --------------------- ----------------------
  **Adherence**          **22.6% (23)**        **36.4% (32)**        **13.8% (-8.0, 35.7)**
  Pain score             --1.4 (4.2)^a^        2.1 (0.4)[b](#)       3.9 (2.2 to 5)
  FPG, Mean (±SD)        97.6 (±20.8)          101.9 (±35.1)         0.797
  Flexion                1.62±0.47[a](#),[b](#) 0.30±0.79 (0.38±0.98)
  Female sex, n (%)      12 (30)               14 (35)
  Dose, mg [n]           1944 (1793) [5]       625 (250) [5]

Text resumes here.
"""


def test_decorated_table_cells(nlp) -> None:
    got = [(m, s, t) for m, s, t, _ in _rule_table_stats(nlp, DECORATED_CELLS)]
    assert got == [
        (22.6, 23.0, "22.6% (23)"),
        (36.4, 32.0, "36.4% (32)"),
        (-1.4, 4.2, "-1.4 (4.2)"),
        (2.1, 0.4, "2.1 (0.4)"),
        (97.6, 20.8, "97.6 (±20.8)"),
        (101.9, 35.1, "101.9 (±35.1)"),
        (1.62, 0.47, "1.62±0.47"),
        (0.3, 0.79, "0.30±0.79"),
        (0.38, 0.98, "0.38±0.98"),
        (1944.0, 1793.0, "1944 (1793)"),
        (625.0, 250.0, "625 (250)"),
    ]  # not the CIs "(-8.0, 35.7)" and "(2.2 to 5)", nor the counts "12 (30)" of an "n (%)" row


@pytest.mark.parametrize(
    "text",
    [
        "mean age 54 years (range 30-70)",
        "median 12 (8–15) days",
        "a difference of 2.3 (1.2 to 3.4)",
        "scores ranged 12–15",
    ],
)
def test_ranges_and_intervals_are_not_sds(text: str) -> None:
    from extractors.entities.summary_stat import find_paren_sd

    found = [*find_summary_stats(text), *find_paren_sd(text)]
    assert [(e.mean, e.sd) for e in found if e.sd is not None] == []
