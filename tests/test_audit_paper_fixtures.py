"""Builders for the paper-level audit tests: literal sentences and tables laid out as a paper's text,
with cells and entities carrying the offsets the extractors would give them. Plus tests of the
shared helpers in audit.claims."""

from __future__ import annotations

from typing import Any

from audit.claims import (
    AuditSettings,
    Grid,
    Paper,
    label_match,
    n_from_label,
    norm_map,
    parse_mean_sd,
    sentence_bounds,
)
from schemas import EntityBase, PaperContext, Section, Table, TableCell


class Doc:
    """Append sentences and tables; then `paper()` gives the audit's view of the result."""

    def __init__(self) -> None:
        self.text = ""
        self.tables: list[Table] = []
        self.entities: list[EntityBase] = []
        self.sections: list[Section] = []

    def section(self, name: str, span: tuple[int, int]) -> None:
        self.sections.append(Section(name=name, start=span[0], end=span[1]))

    def add(self, sentence: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += sentence + "\n\n"
        return start, start + len(sentence)

    def table(
        self,
        label: str,
        caption: str,
        header: list[list[str]],
        rows: list[list[str]],
        footnotes: tuple[str, ...] = (),
    ) -> Table:
        start = len(self.text)
        self.text += f"{label}\n{caption}\n"
        cells: list[TableCell] = []
        for r, row in enumerate(list(header) + list(rows)):
            for c, value in enumerate(row):
                s = len(self.text)
                self.text += value + " "
                cells.append(
                    TableCell(row=r, col=c, text=value, start=s, end=s + len(value), header=r < len(header))
                )
            self.text += "\n"
        for f in footnotes:
            self.text += f + "\n"
        t = Table(
            label=label, caption=caption, header=header, rows=rows, footnotes=list(footnotes),
            start=start, end=len(self.text), cells=cells,
        )  # fmt: skip
        self.text += "\n"
        self.tables.append(t)
        return t

    def entity(self, cls: type[EntityBase], quote: str, after: int = 0, **fields: Any) -> EntityBase:
        start = self.text.index(quote, after)
        e = cls(start=start, end=start + len(quote), text=quote, **fields)
        self.entities.append(e)
        return e

    def context(self) -> PaperContext:
        return PaperContext(text=self.text, repaired=self.text, tables=self.tables, sections=self.sections)

    def paper(self, settings: AuditSettings | None = None) -> Paper:
        return Paper(self.context(), self.entities, settings or AuditSettings())


def covers(doc: Doc, finding: Any, quote: str) -> bool:
    """Does one of the finding's evidence spans overlap `quote` in the document?"""
    start = doc.text.index(quote)
    return any(e.start < start + len(quote) and start < e.end for e in finding.evidence)


# -- helpers in audit.claims -------------------------------------------------------------------------


def test_parse_mean_sd_keeps_decimals_and_reads_glyph_damage() -> None:
    ms = parse_mean_sd("2.90 ± 0.50")
    assert ms is not None and ms.mean == "2.90" and ms.sd_decimals == 2
    assert parse_mean_sd("13.15 6 5.74*") is not None  # PDF symbol font: ± printed as 6
    assert parse_mean_sd("Responders") is None


def test_n_from_label() -> None:
    assert n_from_label("Responders (n = 33)") == 33
    assert n_from_label("Nonresponders (n 5 9)") == 9
    assert n_from_label("IL-2 (ng/mL)") is None


def test_label_match_ignores_units_and_word_order() -> None:
    assert label_match("No. of bone metastases", "No. of metastases | Before therapy") >= 85
    assert label_match("TNF-α (ng/mL)", "TNF-a") >= 85
    assert label_match("IL-2 (ng/mL)", "Pain score") < 85


def test_sentence_bounds_stop_at_sentence_ends() -> None:
    text = "First one. The value was 14 of 19 (73%). Nine of these improved."
    s, e = sentence_bounds(text, text.index("14"), text.index("14") + 2)
    assert text[s:e] == "The value was 14 of 19 (73%)."
    s, e = sentence_bounds(text, text.index("Nine"), text.index("Nine") + 4)
    assert text[s:e] == "Nine of these improved."


def test_norm_map_joins_hyphenation_and_keeps_offsets() -> None:
    text = "non-\nresponders and TNF-α"
    norm, idx = norm_map(text, 100)
    assert norm == "nonresponders and tnf-a"
    assert idx[norm.index("tnf")] == 100 + text.index("TNF")


def test_grid_distributes_spanning_headers_evenly_only() -> None:
    doc = Doc()
    t = doc.table(
        "Table 1", "Levels",
        [["Before", "After"], ["Group", "A", "B", "A", "B"]],
        [["X (n = 3)", "1", "2", "3", "4"]],
    )  # fmt: skip
    g = Grid.build(t)
    assert g.col_label(1) == "Before A" and g.col_label(4) == "After B"
    t2 = doc.table("Table 2", "Odd", [["Over"], ["G", "a", "b", "c"]], [["r", "1", "2", "3"]])
    assert Grid.build(t2).col_label(1) == "a"


def test_main_cohort_only_for_a_single_population() -> None:
    from schemas import Cohort

    doc = Doc()
    doc.add("Forty-two patients were treated. Of the 42 patients, 24 were men.")
    doc.entity(Cohort, "Forty-two patients", n=42, label="patients")
    doc.entity(Cohort, "42 patients", n=42, label="patients")
    doc.entity(Cohort, "24", n=24, label="men")
    assert doc.paper().main_cohort() == 42
    arms = Doc()
    for k in range(3):
        start, _ = arms.add(f"Round {k}: group A had 20 patients and group B 12 patients.")
        arms.entity(Cohort, "20 patients", after=start, n=20, label="group A")
        arms.entity(Cohort, "12 patients", after=start, n=12, label="group B")
    assert arms.paper().main_cohort() is None
