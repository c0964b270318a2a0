"""MEDLINE reader: records, continuation lines, metadata, and a broken record among good ones."""

from __future__ import annotations

import pytest

from extractors.read import read_bytes, read_bytes_report
from extractors.read_medline import looks_like_medline, split_abstract_parts
from schemas import UnreadablePaper

MEDLINE = """PMID- 9816918
OWN - NLM
STAT- MEDLINE
DP  - 1998 Aug 15
TI  - Trends in the safety of high dose bolus interleukin-2 administration in
      patients with metastatic cancer.
PG  - 797-805
LID - 10.1002/(sici)1097-0142(19980815)83:4<797::aid-cncr25>3.0.co;2-m [doi]
AB  - BACKGROUND: High dose bolus IL-2 is toxic. METHODS: We reviewed 155
      consecutive patients given 720,000 IU/kg. RESULTS: Toxicity fell over time
      (P < 0.001).
FAU - Kammula, Udai S
AU  - Kammula US
AU  - White DE
TA  - Cancer
JT  - Cancer
VI  - 83
AID - 10.1002/(sici)1097-0142(19980815)83:4<797::aid-cncr25>3.0.co;2-m [doi]

PMID- 8000001
TI  - A broken record.
THIS LINE IS NOT MEDLINE AT ALL
AB  - Never read.

PMID- 8000002
DP  - 1995 Nov-Dec
TI  - Low-dose interleukin 2.
AB  - Twelve patients received 1.25 x 10(6) IU/m2 daily.
TA  - Clin Cancer Res
"""


def test_records_and_continuations() -> None:
    report = read_bytes_report(MEDLINE.encode(), "pubmed.nbib")
    first, third = report.documents
    assert first.format == "medline"
    assert first.paper_id.endswith(":0") and third.paper_id.endswith(":2")
    assert first.text == (
        "Trends in the safety of high dose bolus interleukin-2 administration in patients with metastatic cancer."
        "\n\nBACKGROUND: High dose bolus IL-2 is toxic. METHODS: We reviewed 155 consecutive patients given "
        "720,000 IU/kg. RESULTS: Toxicity fell over time (P < 0.001).\n"
    )
    meta = first.meta
    assert (meta.pmid, meta.journal, meta.year, meta.volume, meta.pages) == (
        "9816918",
        "Cancer",
        1998,
        "83",
        "797-805",
    )
    assert meta.doi == "10.1002/(sici)1097-0142(19980815)83:4<797::aid-cncr25>3.0.co;2-m"
    assert meta.authors == ["Kammula US", "White DE"]
    assert third.meta.year == 1995 and third.text.startswith("Low-dose interleukin 2.\n\nTwelve")


def test_sections_and_structured_parts() -> None:
    (doc, *_) = read_bytes(MEDLINE.encode(), "pubmed.txt")
    by_part = {s.part: doc.text[s.start : s.end] for s in doc.sections if s.part}
    assert by_part["Methods"] == "METHODS: We reviewed 155 consecutive patients given 720,000 IU/kg."
    assert by_part["Results"] == "RESULTS: Toxicity fell over time (P < 0.001)."
    title = next(s for s in doc.sections if s.name == "title")
    assert doc.text[title.start : title.end].endswith("metastatic cancer.")


def test_broken_record_is_reported_and_skipped() -> None:
    report = read_bytes_report(MEDLINE.encode(), "pubmed.nbib")
    (error,) = report.errors
    assert isinstance(error, UnreadablePaper)
    assert "pubmed.nbib [record 1]" in str(error) and "THIS LINE" in str(error)
    assert len(read_bytes(MEDLINE.encode(), "pubmed.nbib")) == 2


def test_only_broken_records_raise() -> None:
    with pytest.raises(UnreadablePaper, match="record 0"):
        read_bytes(b"PMID- 1\nTI  - x\nGARBAGE LINE\n", "bad.medline")


def test_record_without_title_or_abstract() -> None:
    with pytest.raises(UnreadablePaper, match="neither a title"):
        read_bytes(b"PMID- 5\nTA  - J\nDP  - 2001\n", "empty.medline")


def test_looks_like_medline() -> None:
    assert looks_like_medline("PMID- 123\nOWN - NLM\n")
    assert not looks_like_medline("PMID: 123 is cited here\nTI something")


def test_split_abstract_parts_needs_capital_labels() -> None:
    text = "OBJECTIVE: To test. Results: not a label here. CONCLUSIONS: It works."
    assert [label for label, *_ in split_abstract_parts(text)] == ["Objective", "Conclusions"]
