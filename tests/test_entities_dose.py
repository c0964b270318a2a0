"""dose entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas import Table, TableCell
from schemas.context import PaperContext


def doses(nlp, text: str, tables: list[Table] | None = None):
    ctx = PaperContext(text=text, repaired=text, tables=tables or [])
    return [e for e in extract_entities(ctx, nlp) if e.kind == "dose"]


def test_parenthetical_equivalent_is_the_same_dose(nlp):
    text = "Forty-two patients were treated intravenously with 89SrCl2 at a dose of 148 MBq (4 mCi)."
    (d,) = doses(nlp, text)
    assert (d.value, d.unit, d.agent, d.route, d.diagnostic) == (148, "MBq", "89SrCl2", "iv", False)
    assert d.text == "148 MBq"
    assert d.normalized.model_dump() == {"value": 148, "value_high": None, "unit": "MBq"}


def test_range_with_tracer_is_diagnostic(nlp):
    text = (
        "Before therapy, all patients received 740–1,110 MBq (20–30 mCi) of 99mTc-labeled methylene "
        "diphosphonate intravenously and underwent whole-body scanning 2–4 h afterward."
    )
    (d,) = doses(nlp, text)
    assert (d.value, d.value_high, d.unit) == (740, 1110, "MBq")
    assert d.agent == "99mTc-labeled methylene diphosphonate"
    assert d.diagnostic
    assert d.text == "740–1,110 MBq"


def test_listed_doses_share_a_unit(nlp):
    text = "Patients were given 3.7, 5.6, or 7.4 GBq of 131I-\nMIBG in 3 monthly administrations."
    found = doses(nlp, text)
    assert [d.value for d in found] == [3.7, 5.6, 7.4]
    assert {d.agent for d in found} == {"131I-MIBG"}
    assert {d.normalized.unit for d in found} == {"GBq per administration"}


def test_iu_per_kg_every_8_hours(nlp):
    text = "Patients received intravenous bolus infusions of IL-2 (720,000 IU/kg every 8 hours)."
    (d,) = doses(nlp, text)
    assert (d.value, d.unit, d.agent, d.schedule) == (720000, "IU/kg", "IL-2", "every 8 hours")
    assert d.normalized.unit == "IU/kg per dose"
    assert d.route == "iv bolus"


def test_defined_million_units_daily(nlp):
    text = (
        "Thirty-eight patients were treated at seven IL-2 dose levels ranging from 0.4 to 1.75 million "
        "International Units (mIU)/m2 daily."
    )
    (d,) = doses(nlp, text)
    assert (d.value, d.value_high) == (0.4, 1.75)
    assert d.unit == "million International Units (mIU)/m2"
    assert d.normalized.model_dump() == {"value": 400000, "value_high": 1750000, "unit": "IU/m2/day"}


def test_concentrations_ratios_and_counts_are_not_doses(nlp):
    text = (
        "Serum IL-2 was 4.5 ng/mL and peaked below 2.3 IU/ml; absorbed dose was 0.4 to 16.9 mGy/MBq. "
        "Patients received 3 monthly administrations. The MTD was 1.25 mg/m2."
    )
    assert doses(nlp, text) == []


def test_table_cells(nlp):
    text = "Oct 400 mg\nTracer Administered activity (GBq)\n131I-MIBG 20.5\n"
    cells = [
        TableCell(row=0, col=0, text="Tracer", start=11, end=17, header=True),
        TableCell(row=0, col=1, text="Administered activity (GBq)", start=18, end=45, header=True),
        TableCell(row=1, col=0, text="131I-MIBG", start=46, end=55),
        TableCell(row=1, col=1, text="20.5", start=56, end=60),
    ]
    found = doses(nlp, text + "\nOct = Octreotide.\n", [Table(label="Table 2", cells=cells)])
    oct_dose = next(d for d in found if d.unit == "mg")
    assert (oct_dose.value, oct_dose.agent, oct_dose.text) == (400, "octreotide", "400 mg")
    cell = next(d for d in found if d.table == "Table 2")
    assert (cell.value, cell.unit, cell.agent, cell.text) == (20.5, "GBq", "131I-MIBG", "20.5")
    assert cell.normalized.unit == "GBq (administered activity, per patient)"


def test_drug_named_next_to_the_dose(nlp):
    text = "Patients were randomized to receive either intravenous 1 g tranexamic acid or saline placebo."
    (d,) = doses(nlp, text)
    assert (d.value, d.unit, d.agent, d.route) == (1, "g", "tranexamic acid", "iv")
    text = "Patients received sitagliptin 100 mg/day for 12 weeks."
    (d,) = doses(nlp, text)
    assert (d.agent, d.unit, d.normalized.unit) == ("sitagliptin", "mg/day", "mg/day")


def test_laboratory_recipes_and_spreads_are_not_doses(nlp):
    text = (
        "Samples were centrifuged in buffered saline (contents per liter: 8.5 g of NaCl, 0.3 g of KH2PO4). "
        "Baseline M-value was 3.8 ± 0.4 mg in the HCF group."
    )
    assert doses(nlp, text) == []
