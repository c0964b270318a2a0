"""PubMed abstract page saved as HTML: citation, title and abstract kept; page chrome dropped."""

from __future__ import annotations

import pytest

from extractors.read import read_bytes
from schemas import UnreadablePaper

LEGACY_PAGE = b"""<!DOCTYPE html>
<html><head><title>Daily IL-2 - PubMed - NCBI</title><script>var tracking = 1;</script>
<style>.x{color:red}</style></head>
<body>
<div class="header"><a>Send to</a></div>
<div id="dest"><h4>Choose Destination</h4><ul><li>File</li></ul></div>
<div class="rprt abstract">
 <div class="cit"><a>Clin Cancer Res.</a> 1996 Apr;2(4):669-77.</div>
 <h1>Daily subcutaneous injection of low-dose interleukin 2 expands natural killer cells.</h1>
 <div class="auths"><a>Caligiuri MA</a>, <a>Murray C</a>.</div>
 <div class="afflist"><h3>Author information</h3><ul><li>1 Divisions of Medicine, Boston, MA.</li></ul></div>
 <p>See comment in PubMed Commons below</p>
 <div class="abstr"><h3>Abstract</h3><div>
  <p><strong>PURPOSE:</strong> To expand NK cells in vivo.</p>
  <p><strong>RESULTS:</strong> Twelve patients received 1.25 x 10(6) IU/m2 daily; NK cells rose (P &lt; 0.05).</p>
 </div></div>
 <div class="aux"><dl class="rprtid"><dt>PMID:</dt><dd>9816918</dd></dl></div>
</div>
<div class="footer">NCBI footer</div>
</body></html>
"""


def test_legacy_pubmed_page() -> None:
    (doc,) = read_bytes(LEGACY_PAGE, "abstract.html")
    assert doc.format == "pubmed_html"
    assert doc.text == (
        "Clin Cancer Res. 1996 Apr;2(4):669-77.\n\n"
        "Daily subcutaneous injection of low-dose interleukin 2 expands natural killer cells.\n\n"
        "PURPOSE: To expand NK cells in vivo.\n\n"
        "RESULTS: Twelve patients received 1.25 x 10(6) IU/m2 daily; NK cells rose (P < 0.05).\n"
    )
    for chrome in (
        "Send to",
        "Choose Destination",
        "PubMed Commons",
        "Author information",
        "Boston",
        "tracking",
    ):
        assert chrome not in doc.text
    meta = doc.meta
    assert (meta.journal, meta.year, meta.volume, meta.pages, meta.pmid) == (
        "Clin Cancer Res",
        1996,
        "2",
        "669-77",
        "9816918",
    )
    assert meta.authors == ["Caligiuri MA", "Murray C"]
    names = {s.name: doc.text[s.start : s.end] for s in doc.sections}
    assert names["citation"] == "Clin Cancer Res. 1996 Apr;2(4):669-77."
    assert names["abstract"].startswith("PURPOSE:") and names["abstract"].endswith("(P < 0.05).")


def test_page_without_structure_keeps_its_text() -> None:
    (doc,) = read_bytes(
        b"<html><body><p>Send to</p><p>Forty patients were treated.</p></body></html>", "x.html"
    )
    assert doc.text == "Forty patients were treated.\n"


def test_empty_page() -> None:
    with pytest.raises(UnreadablePaper, match="blank.html"):
        read_bytes(b"<html><head><script>x()</script></head><body> </body></html>", "blank.html")
