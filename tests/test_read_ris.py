"""RIS reader: records between TY and ER, wrapped values, metadata, a record without its end."""

from __future__ import annotations

import pytest

from extractors.read import read_bytes, read_bytes_report
from schemas import UnreadablePaper

RIS = """TY  - JOUR
TI  - Radionuclide therapy of neuroendocrine tumors
AU  - Smith, J.
AU  - Doe, A.
PY  - 2004///
JO  - J Nucl Med
VL  - 45
SP  - 100
EP  - 108
DO  - 10.1000/jnm.2004.1
AN  - 15000001
AB  - Twenty patients (group A) received 111In-pentetreotide;
the response rate was 35%.
ER  -

TY  - JOUR
TI  - A record that never ends
AB  - Lost.
TY  - JOUR
T1  - Second title
N2  - Abstract in N2, 5 mg/kg daily.
ER  -
"""


def test_ris_records() -> None:
    report = read_bytes_report(RIS.encode(), "refs.ris")
    first, second = report.documents
    assert first.format == "ris" and first.paper_id.endswith(":0") and second.paper_id.endswith(":2")
    assert first.text == (
        "Radionuclide therapy of neuroendocrine tumors\n\n"
        "Twenty patients (group A) received 111In-pentetreotide; the response rate was 35%.\n"
    )
    meta = first.meta
    assert (meta.journal, meta.year, meta.volume, meta.pages, meta.doi, meta.pmid) == (
        "J Nucl Med",
        2004,
        "45",
        "100-108",
        "10.1000/jnm.2004.1",
        "15000001",
    )
    assert meta.authors == ["Smith, J.", "Doe, A."]
    assert second.text == "Second title\n\nAbstract in N2, 5 mg/kg daily.\n"
    abstract = next(s for s in first.sections if s.name == "abstract")
    assert first.text[abstract.start : abstract.end].endswith("was 35%.")


def test_unterminated_record_reported() -> None:
    report = read_bytes_report(RIS.encode(), "refs.ris")
    (error,) = report.errors
    assert "refs.ris [record 1]" in str(error) and "ER" in str(error)


def test_end_tag_with_trailing_space() -> None:
    docs = read_bytes(RIS.replace("ER  -\n", "ER  - \n").encode(), "refs.ris")
    assert len(docs) == 2


def test_ris_sniffed_from_txt() -> None:
    docs = read_bytes(RIS.encode(), "export.txt")
    assert [d.format for d in docs] == ["ris", "ris"]


def test_no_records() -> None:
    with pytest.raises(UnreadablePaper, match="no RIS record"):
        read_bytes(b"just some words\n", "refs.ris")
