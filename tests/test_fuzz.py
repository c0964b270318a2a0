"""Property tests: no exception but the documented ones escapes a reader, repair or the pipeline;
offsets are always valid."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.read import read_bytes_report
from extractors.repair import repair_glyphs
from flows.pipeline import process_document
from schemas import Document, EvidenceError

# Text that looks like damaged PDF output: digits, the glyphs symbol fonts turn into, table spacing.
damaged = st.text(
    alphabet=st.sampled_from(list("0123456789 .,;:()-–−±=<>≤≥%6P5pnrt\ufffd\n\tabcdeNSmgMBq·†y*")),
    max_size=400,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(damaged)
def test_repair_keeps_length_and_records_every_change(text: str) -> None:
    out = repair_glyphs(text)
    assert len(out.text) == len(text)
    changed = {i for i, (a, b) in enumerate(zip(text, out.text, strict=True)) if a != b}
    recorded = {r.offset for r in out.repairs if not r.uncertain or r.after != r.before}
    assert changed <= recorded
    for r in out.repairs:
        assert 0 <= r.offset < len(text) and text[r.offset] == r.before


@FUZZ
@given(
    st.binary(max_size=3000),
    st.sampled_from(["x.txt", "x.pdf", "x.xml", "x.nxml", "x.medline", "x.ris", "x.html"]),
)
def test_readers_raise_only_documented_errors(data: bytes, name: str) -> None:
    try:
        report = read_bytes_report(data, name)
    except EvidenceError:
        return
    for doc in report.documents:
        for t in doc.tables:
            for c in t.cells:
                if c.start is not None:
                    assert 0 <= c.start <= c.end <= len(doc.text)
        for s in doc.sections:
            assert 0 <= s.start <= s.end <= len(doc.text)


XML_PIECES = [
    "<article>",
    "</article>",
    "<body>",
    "</body>",
    "<p>",
    "</p>",
    "<sec>",
    "<title>",
    "</title>",
    "<table-wrap>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "&amp;",
    "&lt;",
    "P < 0.05",
    "n = 42",
    '<!DOCTYPE a [<!ENTITY x "y">]>',
    "&x;",
    '<?xml version="1.0"?>',
    "]]>",
    "<![CDATA[",
]


@FUZZ
@given(st.lists(st.sampled_from(XML_PIECES), max_size=40))
def test_xml_reader_on_malformed_markup(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    try:
        read_bytes_report(data, "x.nxml")
    except EvidenceError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged)
def test_pipeline_spans_always_quote_the_text(text: str) -> None:
    if not text.strip():
        return
    paper = process_document(Document(paper_id="f" * 64, source="fuzz.txt", format="text", text=text))
    for e in paper.entities:
        assert paper.text[e.start : e.end] == e.text
    for f in paper.findings:
        for ev in f.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
