"""Tables rebuilt from flattened text: synthetic layouts, the seed tables' cells, the contract JSON."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from extractors.repair import repair_glyphs
from extractors.sections import find_sections
from extractors.tables import TableSettings, find_tables, locate_tables
from schemas import Section, Table
from tests.conftest import CORPUS, shared_path

# A label-first table in another house style: caption on the label line and wrapped, n (%) cells,
# a group row, wrapped labels, a marker, two footnotes, then the running text resumes.
BASELINE = """were randomly assigned between March 2010 and May 2012.

Table 2. Baseline characteristics of the patients, by
treatment arm

Drug A Placebo
Characteristic (n = 48) (n = 51) P value
Age, y (mean ± SD) 61.2 ± 9.4 59.8 ± 10.1 0.47
Female sex 22 (45.8) 25 (49.0) 0.75
Previous treatment
Surgery 30 (62.5) 28 (54.9) 0.44
Radiotherapy 18 (37.5) 23 (45.1) 0.44
Patients with liver
metastases 12 (25.0) 9 (17.6) 0.37*
Median time since
diagnosis, mo 14 11 —

*Fisher exact test.
ECOG = Eastern Cooperative Oncology Group; SD = standard deviation.
 The two arms were well balanced, and no patient was lost to follow-up
during the first year of the study.
"""

# A patient listing: ids counting up, stacked header cells, a wrapped cell, a summary row.
LISTING = """TABLE 4
Dose Escalation Listing

Pt Age Sex
Primary
site

Dose
(mg/m2) Cycles Best response

1 54 F Breast 60 4 Partial response
2 61 M Colon 60 2 Progression
3 47 F Ovary, peritoneum 90 6 Complete response
4 70 M Lung
(squamous)
120 1 Not evaluable
5 66 F Breast 120 5 Stable disease
Median 61 — — 4 —

Dose in mg/m2 per cycle.
 Responses were assessed every two cycles by the investigators, who were
"""


def rows_of(text: str, label: str) -> list[list[str]]:
    return next(t for t in find_tables(text) if t.label == label).rows


def test_label_first_table() -> None:
    (table,) = find_tables(BASELINE)
    assert table.label == "Table 2"
    assert table.caption == "Baseline characteristics of the patients, by treatment arm"
    assert table.rows == [
        ["Age, y (mean ± SD)", "61.2 ± 9.4", "59.8 ± 10.1", "0.47"],
        ["Female sex", "22 (45.8)", "25 (49.0)", "0.75"],
        ["Previous treatment", "", "", ""],
        ["Surgery", "30 (62.5)", "28 (54.9)", "0.44"],
        ["Radiotherapy", "18 (37.5)", "23 (45.1)", "0.44"],
        ["Patients with liver metastases", "12 (25.0)", "9 (17.6)", "0.37*"],
        ["Median time since diagnosis, mo", "14", "11", "—"],
    ]
    assert table.footnotes == [
        "*Fisher exact test.",
        "ECOG = Eastern Cooperative Oncology Group; SD = standard deviation.",
    ]
    assert BASELINE[table.start :].startswith("Table 2.")
    assert BASELINE[: table.end].endswith("standard deviation.")


def test_listing_with_wrapped_cells_and_summary_row() -> None:
    (table,) = find_tables(LISTING)
    assert table.label == "Table 4" and table.caption == "Dose Escalation Listing"
    assert table.header == [["Pt", "Age", "Sex", "Primary site", "Dose (mg/m2)", "Cycles", "Best response"]]
    assert table.rows == [
        ["1", "54", "F", "Breast", "60", "4", "Partial response"],
        ["2", "61", "M", "Colon", "60", "2", "Progression"],
        ["3", "47", "F", "Ovary, peritoneum", "90", "6", "Complete response"],
        ["4", "70", "M", "Lung (squamous)", "120", "1", "Not evaluable"],
        ["5", "66", "F", "Breast", "120", "5", "Stable disease"],
        ["Median", "61", "—", "—", "4", "—", ""],
    ]
    assert table.footnotes == ["Dose in mg/m2 per cycle."]
    assert LISTING[: table.end].endswith("per cycle.")


def test_cells_keep_their_spans() -> None:
    for text in (BASELINE, LISTING):
        for table in find_tables(text):
            assert table.cells
            for cell in table.cells:
                assert cell.start is not None and cell.end is not None
                assert table.start <= cell.start < cell.end <= table.end
                assert re.sub(r"\s+", " ", text[cell.start : cell.end]) == cell.text
            body = [c for c in table.cells if not c.header]
            assert {c.row for c in body} == set(range(len(table.header), len(table.header) + len(table.rows)))


def test_damaged_table_after_repair() -> None:
    text = (
        "TABLE 1\nMarker Levels\n\nGroup Before After\n\nTreated (n 5 12) 2.87 6 1.23 4.13 6 1.12\n"
        "Controls (n 5 10) 2.70 6 0.54 2.75 6 0.50\n\nP 0.345* ,0.001y\n\n*P . 0.05.\nyP , 0.001.\n"
    )
    rows = rows_of(repair_glyphs(text).text, "Table 1")
    assert rows == [
        ["Treated (n = 12)", "2.87 ± 1.23", "4.13 ± 1.12"],
        ["Controls (n = 10)", "2.70 ± 0.54", "2.75 ± 0.50"],
        ["P", "0.345*", "<0.001†"],
    ]


def test_enumerated_text_table() -> None:
    text = (
        "TABLE 1\nGrading Scale\n\nSymptom grade Sleep grade\n\n0: none (no symptom at all) 0: normal\n"
        "1: mild (noticed on questioning) 1: restless (wakes once or twice)\n\nGrade = symptom grade + sleep grade.\n"
    )
    assert rows_of(text, "Table 1") == [
        ["0: none (no symptom at all)", "0: normal"],
        ["1: mild (noticed on questioning)", "1: restless (wakes once or twice)"],
    ]


def test_table_mentions_in_prose_are_not_tables() -> None:
    text = (
        "Table 3 shows the results for all\npatients, and the rest is prose that goes on and on.\n\nTABLE 9\n"
        "This label is followed by running text rather than by any table at all here.\n"
    )
    assert find_tables(text) == []


def test_tables_in_references_are_skipped() -> None:
    refs = [Section(name="references", start=0, end=len(LISTING))]
    assert find_tables(LISTING, refs) == []
    assert len(find_tables(LISTING, [])) == 1


def test_settings() -> None:
    assert locate_tables(LISTING, TableSettings(max_table_lines=6)) == []  # too short to reach a body row
    with pytest.raises(ValueError):
        TableSettings(max_table_lines=1)


# --- Seeds --------------------------------------------------------------------------------------


def seed_tables(prefix: str) -> dict[str, Table]:
    text = repair_glyphs(next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")).text
    return {t.label: t for t in find_tables(text, find_sections(text))}


def row(table: Table, first: str) -> list[str]:
    return next(r for r in table.rows if r[0] == first)


def test_seed_000_tables() -> None:
    tables = seed_tables("000")
    assert list(tables) == [f"Table {k}" for k in range(1, 7)]
    t1, t2, t3, t4, t5, t6 = tables.values()
    assert t1.header == [["Severity score", "Frequency score"]] and len(t1.rows) == 5
    assert (
        row(t1, "3: severe (in a chair most of the time or needing low-dose opioids)")[1]
        == "3: frequent (1–3 times per day)"
    )
    assert t1.footnotes == ["Pain score = severity score × frequency score."]
    assert row(t2, "Patients with bone metastases (n = 42)") == [
        "Patients with bone metastases (n = 42)",
        "2.77 ± 0.31",
        "2.87 ± 1.23",
    ]
    assert t2.caption == "IL-2 and TNF-α Levels in Patients with Bone Metastases and Control Subjects"
    assert t3.header == [
        ["After therapy"],
        ["Parameter", "Before therapy", "1 mo", "2 mo", "3 mo", "4 mo", "5 mo", "6 mo"],
    ]
    assert row(t3, "Pain score") == [
        "Pain score",
        "8.24 ± 3.71",
        "6.35 ± 3.04",
        "5.84 ± 2.16",
        "4.20 ± 3.87",
        "3.99 ± 2.15",
        "4.01 ± 3.64",
        "4.73 ± 2.81",
    ]
    assert t3.footnotes[0].startswith("r = -0.91 for IL-2 lesions, -0.87")
    assert row(t4, "Age (y)") == ["Age (y)", "53 ± 20.3", "58 ± 21.2*"]
    assert row(t4, "Male") == ["Male", "19", "5"] and row(t4, "Melanoma") == ["Melanoma", "1", ""]
    assert row(t4, "Primary tumor type") == ["Primary tumor type", "", ""]
    assert row(t5, "P") == ["P", "0.345*", "0.745*", "<0.001†", "<0.001†"]
    assert t5.header[0] == ["Before therapy", "4 mo after therapy"]
    assert t5.footnotes == ["*P > 0.05 vs. responders.", "†P < 0.001 vs. responders."]
    assert t6.header[0] == ["Responders", "Nonresponders", "Total"]
    assert t6.rows == [
        ["Decrease", "29", "87.9", "2", "22.2", "31", "73.8"],
        ["Increase", "4", "12.1", "7", "77.8", "11", "26.2"],
        ["Total", "33", "100", "9", "100", "42", "100"],
    ]


def test_seed_003_listings() -> None:
    tables = seed_tables("003")
    t1, t2, t3 = tables["Table 1"], tables["Table 2"], tables["Table 3"]
    for t in (t1, t2, t3):
        assert [r[0] for r in t.rows if r[0][:1].isdigit()] == [
            str(k) if k != 20 else "20*" for k in range(1, 33)
        ]
    assert len(t1.header[-1]) == 10 and t1.header[-1][-1] == "Interval between diagnosis and RT (y)"
    assert row(t1, "9") == [
        "9",
        "A",
        "71",
        "M",
        "Vipoma",
        "Pancreas",
        "L, B",
        "Chem, Rad",
        "Oct 600 mg, analgesic",
        "7",
    ]
    assert row(t1, "11")[8:] == ["Oct 1,000 mg, parenteral nutrition", "15"]
    assert ["Mean ± SD", "61.8 ± 7.8", "12 M/8 F"] == next(r for r in t1.rows if r[0] == "Mean ± SD")[:3]
    assert row(t1, "P between groups")[1:4] == ["NS", "NS", "NS"]
    assert t2.header[0] == ["Pretherapeutic imaging", "Radionuclide therapy"] and len(t2.header[1]) == 11
    assert row(t2, "13") == ["13", "A", "68", "F", "Carcinoid", "3", "3", "131I-MIBG", "5.8", "0.66", "22"]
    assert row(t3, "12")[8:] == ["5-HIAA, ↓58%", "Improvement, then aggravation", "Not beneficial"]
    assert row(t3, "18")[6:9] == ["Partial regression", "18", "5-HIAA, normalized"]
    assert t1.footnotes[-1].endswith("NS = nonsignificant.")
    assert (
        t3.footnotes[-1]
        == "NET = neuroendocrine tumor; NSE = neuron-specific enolase; 5-HIAA = 5-hydroxyindoleacetic acid."
    )


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_abstract_pages_have_no_tables(prefix: str) -> None:
    assert seed_tables(prefix) == {}


def test_seed_tables_against_the_gold() -> None:
    gold = json.loads(shared_path("gold", "seeds.json").read_text())["documents"]
    spec = importlib.util.spec_from_file_location("score", shared_path("eval", "score.py"))
    assert spec is not None and spec.loader is not None
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    f1 = []
    for name in ("000_2a3e66c60246c07a.txt", "003_746d682b221710a5.txt"):
        tables = [t.model_dump() for t in seed_tables(name[:3]).values()]
        results = score.score_tables(gold[name]["tables"], tables)
        assert all(r["found"] for r in results)
        f1 += [r["f1"] for r in results]
    assert sum(f1) / len(f1) >= 0.9


def test_extract_puts_tables_in_the_contract_json(nlp: object) -> None:
    from flows.pipeline import extract_file

    out = json.loads(extract_file(next(CORPUS.glob("000_*.txt")), nlp).model_dump_json())
    (paper,) = out["papers"]
    assert [t["label"] for t in paper["tables"]] == [f"Table {k}" for k in range(1, 7)]
    table3 = paper["tables"][2]
    assert ["Pain score", "8.24 ± 3.71"] == table3["rows"][3][:2]
    cell = next(c for c in table3["cells"] if c["text"] == "8.24 ± 3.71")
    assert paper["text"][cell["start"] : cell["end"]] == "8.24 6 3.71"  # spans index the text as read
    assert any(s["name"] == "table" and s["heading"] == "Table 3" for s in paper["sections"])


# A Markdown multiline table: top and bottom rules, rows parted by blank lines, a cell wrapped over
# two lines, and running text glued to the closing rule after a ":::" fence.
RULE_TABLE = """::: caption
Efficacy endpoints
:::

  -------------------------------------------------------------
                   Placebo (n = 45)   Drug (n = 47)   P value
  ---------------- ------------------ --------------- ---------
  Irritability     26.1 (1.0)         26.9 (1.0)      0.044

  Response rate    9 (20.0)           19 (40.4)       0.033
  (week 8)
  -------------------------------------------------------------:::: The drug was well tolerated.
"""


def test_rule_table_cells_keep_spans() -> None:
    from extractors.tables import find_rule_tables

    (table,) = find_rule_tables(RULE_TABLE)
    assert table.caption == "Efficacy endpoints"
    assert table.header == [["", "Placebo (n = 45)", "Drug (n = 47)", "P value"]]
    assert table.rows == [
        ["Irritability", "26.1 (1.0)", "26.9 (1.0)", "0.044"],
        ["Response rate (week 8)", "9 (20.0)", "19 (40.4)", "0.033"],
    ]
    spans = {c.text: (c.start, c.end) for c in table.cells}
    assert spans["Response rate (week 8)"] == (None, None)  # wrapped over two lines: no one span
    assert all(RULE_TABLE[c.start : c.end] == c.text for c in table.cells if c.start is not None)
    assert "tolerated" not in RULE_TABLE[table.start : table.end]


def test_rule_table_header_row_one_cell_short() -> None:
    from extractors.tables import find_rule_tables

    text = (
        "                        Drug              Placebo\n"
        "  --------------------- ---------- ------ -------- ------ -------\n"
        "  Mean                  SD         Mean   SD       P\n"
        "  Age (years)           60.93      6.15   62.34    6.07   0.283\n"
        "\n"
        "Text.\n"
    )
    (table,) = find_rule_tables(text)
    # the sub-header lost its empty label cell: its cells belong to the value columns
    assert table.header[-1] == ["", "Mean", "SD", "Mean", "SD", "P"]
    assert table.rows == [["Age (years)", "60.93", "6.15", "62.34", "6.07", "0.283"]]


def test_dashes_in_prose_are_no_rule_table() -> None:
    from extractors.tables import find_rule_tables

    assert find_rule_tables("The score -- a composite -- rose.\nA line -- b -- c.\n") == []
