"""dose entities: literal sentences in, fields and spans out."""

from __future__ import annotations

from extractors.entities import extract_entities
from schemas import Table, TableCell
from schemas.context import PaperContext


def doses(nlp, text: str, tables: list[Table] | None = None):
    ctx = PaperContext(text=text, repaired=text, tables=tables or [])
    return [e for e in extract_entities(ctx, nlp) if e.kind == "dose"]


def test_parenthetical_equivalent_is_the_same_dose(nlp):
    text = "Thirty patients were treated intravenously with 153Sm-EDTMP at a dose of 185 MBq (5 mCi)."
    (d,) = doses(nlp, text)
    assert (d.value, d.unit, d.agent, d.route, d.diagnostic) == (185, "MBq", "153Sm-EDTMP", "iv", False)
    assert d.text == "185 MBq"
    assert d.normalized.model_dump() == {"value": 185, "value_high": None, "unit": "MBq"}


def test_range_with_tracer_is_diagnostic(nlp):
    text = (
        "Before treatment, every patient received 370–555 MBq (10–15 mCi) of 99mTc-labeled sestamibi "
        "intravenously and underwent planar scanning 1 h later."
    )
    (d,) = doses(nlp, text)
    assert (d.value, d.value_high, d.unit) == (370, 555, "MBq")
    assert d.agent == "99mTc-labeled sestamibi"
    assert d.diagnostic
    assert d.text == "370–555 MBq"


def test_listed_doses_share_a_unit_and_go_to_mbq(nlp):
    text = "Patients were given 5.5, 7.4, or 9.2 GBq of 177Lu-\nDOTATATE in 4 administrations."
    found = doses(nlp, text)
    assert [d.value for d in found] == [5.5, 7.4, 9.2]
    assert {d.agent for d in found} == {"177Lu-DOTATATE"}
    assert [d.normalized.value for d in found] == [5500, 7400, 9200]
    assert {d.normalized.unit for d in found} == {"MBq"}


def test_iu_per_kg_every_12_hours(nlp):
    text = "Patients received intravenous bolus infusions of IL-2 (600,000 IU/kg every 12 hours)."
    (d,) = doses(nlp, text)
    assert (d.value, d.unit, d.agent, d.schedule) == (600000, "IU/kg", "IL-2", "every 12 hours")
    assert d.normalized.unit == "IU/kg"
    assert d.route == "iv bolus"


def test_defined_million_units_daily(nlp):
    text = (
        "Twenty patients were treated at four IL-2 dose levels ranging from 0.5 to 2 million "
        "International Units (mIU)/m2 daily."
    )
    (d,) = doses(nlp, text)
    assert (d.value, d.value_high) == (0.5, 2)
    assert d.unit == "million International Units (mIU)/m2"
    assert d.normalized.model_dump() == {"value": 500000, "value_high": 2000000, "unit": "IU/m2/day"}


def test_concentrations_ratios_and_counts_are_not_doses(nlp):
    text = (
        "Serum IL-6 was 3.1 ng/mL and peaked below 1.8 IU/ml; absorbed dose was 0.2 to 11.5 mGy/MBq. "
        "Patients received 4 weekly administrations. The MTD was 40 mg/m2."
    )
    assert doses(nlp, text) == []


def test_table_cells(nlp):
    text = "Oct 300 mg\nTracer Administered activity (GBq)\n177Lu-DOTATATE 14.5\n"
    cells = [
        TableCell(row=0, col=0, text="Tracer", start=11, end=17, header=True),
        TableCell(row=0, col=1, text="Administered activity (GBq)", start=18, end=45, header=True),
        TableCell(row=1, col=0, text="177Lu-DOTATATE", start=46, end=60),
        TableCell(row=1, col=1, text="14.5", start=61, end=65),
    ]
    found = doses(nlp, text + "\nOct = Octreotide.\n", [Table(label="Table 2", cells=cells)])
    oct_dose = next(d for d in found if d.unit == "mg")
    assert (oct_dose.value, oct_dose.agent, oct_dose.text) == (300, "octreotide", "300 mg")
    cell = next(d for d in found if d.table == "Table 2")
    assert (cell.value, cell.unit, cell.agent, cell.text) == (14.5, "GBq", "177Lu-DOTATATE", "14.5")
    assert cell.normalized.model_dump() == {"value": 14500, "value_high": None, "unit": "MBq"}


def test_drug_named_next_to_the_dose(nlp):
    text = "Patients were randomized to receive either intravenous 1 g tranexamic acid or saline placebo."
    (d,) = doses(nlp, text)
    assert (d.value, d.unit, d.agent, d.route) == (1, "g", "tranexamic acid", "iv")
    assert d.normalized.model_dump() == {"value": 1000, "value_high": None, "unit": "mg"}
    text = "Patients received sitagliptin 100 mg/day for 12 weeks."
    (d,) = doses(nlp, text)
    assert (d.agent, d.unit, d.normalized.unit) == ("sitagliptin", "mg/day", "mg/day")


def test_laboratory_recipes_and_spreads_are_not_doses(nlp):
    text = (
        "Samples were centrifuged in buffered saline (contents per liter: 8.5 g of NaCl, 0.3 g of KH2PO4). "
        "Baseline M-value was 3.8 ± 0.4 mg in the HCF group."
    )
    assert doses(nlp, text) == []
