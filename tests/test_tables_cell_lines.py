"""Tables written one cell per line under a glued `Table N` caption (PMC full-text exports)."""

from __future__ import annotations

from extractors.tables import find_cell_line_tables, find_tables

EM = "\u2003"  # an em space marks an indented sub-row

BASELINE = f"""BODY.RESULTS:
Baseline characteristics are shown in Table 1.
Table 1Baseline demographics and clinical characteristics
Characteristic
Formoterol (n = 57)
Budesonide/formoterol (n = 58)
Male/female, n
20/37
22/36
Age, years (range)
43.9 (12–72)
45.9 (13–78)
Race, n (%)


{EM}Caucasian
39 (68)
37 (64)
{EM}Black
0
1 (2)
a Data are n (%) unless stated otherwise.
Both groups were similar at baseline, and the trial went on as planned for everyone.
"""


def test_rows_of_w_cells_with_a_section_row_and_footnote() -> None:
    (table,) = find_cell_line_tables(BASELINE)
    assert table.label == "Table 1"
    assert table.caption == "Baseline demographics and clinical characteristics"
    assert table.header == [["Characteristic", "Formoterol (n = 57)", "Budesonide/formoterol (n = 58)"]]
    assert table.rows == [
        ["Male/female, n", "20/37", "22/36"],
        ["Age, years (range)", "43.9 (12–72)", "45.9 (13–78)"],
        ["Race, n (%)", "", ""],
        ["Caucasian", "39 (68)", "37 (64)"],
        ["Black", "0", "1 (2)"],
    ]
    assert table.footnotes == ["a Data are n (%) unless stated otherwise."]
    assert BASELINE[table.start : table.start + 7] == "Table 1"
    assert BASELINE[: table.end].endswith("unless stated otherwise.")


def test_cells_keep_their_spans() -> None:
    (table,) = find_cell_line_tables(BASELINE)
    for cell in table.cells:
        assert BASELINE[cell.start : cell.end] == cell.text
    header = [c for c in table.cells if c.header]
    assert [(c.row, c.col) for c in header] == [(0, 0), (0, 1), (0, 2)]
    caucasian = next(c for c in table.cells if c.text == "Caucasian")
    assert (caucasian.row, caucasian.col, caucasian.header) == (4, 0, False)
    assert not any(c.text == "" for c in table.cells)  # empty cells have no span


ONE_LINE_SECTIONS = f"""Table 3Adverse events and laboratory values
{EM}
Placebo (n = 40)
Active (n = 41)
P
Any adverse event
12 (30)
15 (37)
0.52
Laboratory
{EM}ALT, U/L
22 ± 6
25 ± 9
NS
{EM}Creatinine, mg/dL
0.9 ± 0.2
1.0 ± 0.3
< 0.05
Figure 2Flow of participants.
"""


def test_a_section_label_alone_on_its_line_and_a_p_column() -> None:
    (table,) = find_cell_line_tables(ONE_LINE_SECTIONS)
    assert table.header == [["", "Placebo (n = 40)", "Active (n = 41)", "P"]]
    assert table.rows == [
        ["Any adverse event", "12 (30)", "15 (37)", "0.52"],
        ["Laboratory", "", "", ""],
        ["ALT, U/L", "22 ± 6", "25 ± 9", "NS"],
        ["Creatinine, mg/dL", "0.9 ± 0.2", "1.0 ± 0.3", "< 0.05"],
    ]
    assert "Figure" not in ONE_LINE_SECTIONS[table.start : table.end]


SPANNING = """Table 1Baseline characteristics
Placebo (n = 20)
Paroxetine (n = 23)

Mean
SD
Mean
SD
Age (years)
59.5
6.0
59.2
5.4
Body mass index (kg/m2)
32.0
5.3
31.7
5.5
"""


def test_a_spanning_header_row_over_the_leaf_labels() -> None:
    (table,) = find_cell_line_tables(SPANNING)
    assert table.header == [
        ["Placebo (n = 20)", "Paroxetine (n = 23)", "", "", ""],
        ["", "Mean", "SD", "Mean", "SD"],
    ]
    assert table.rows[1] == ["Body mass index (kg/m2)", "32.0", "5.3", "31.7", "5.5"]


CAPTION_THEN_PROSE = """Table 2Outcomes at week 12
The primary outcome improved in both groups, and the difference between the groups was small (P = 0.2).
Secondary outcomes followed the same pattern over the whole of the follow-up period of the trial.
Table 3Adverse events
"""

SHORT_TEXT_LINES = """Table 1Location of acupuncture points
Point
Laterality
Anatomical location
Ren6
Unilateral
On the midline of the lower abdomen
Sham1
Bilateral
Posterior wrist, between radius and ulna
"""


def test_no_table_from_prose_or_from_lines_without_values() -> None:
    assert find_cell_line_tables(CAPTION_THEN_PROSE) == []
    assert find_cell_line_tables(SHORT_TEXT_LINES) == []


def test_running_text_that_cites_a_table_is_no_caption() -> None:
    cells = BASELINE.splitlines()[3:]  # the cell lines without their caption line
    text = "Table 2 shows the results.\n" + "\n".join(cells)
    assert find_cell_line_tables(text) == []


def test_find_tables_reads_cell_line_tables_once() -> None:
    tables = find_tables(BASELINE + "\n" + ONE_LINE_SECTIONS)
    assert [t.label for t in tables] == ["Table 1", "Table 3"]
