"""The HTML report: self-contained and offline, per paper (metadata, entities, highlighted sentences,
tables, findings with evidence) and across papers (forest plots, findings by check); and it renders
in a real headless Chromium without console errors."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from report.html import write_report
from schemas import Table, TableCell
from tests.test_views import TEXT_A, load, papers

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def report_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    results = papers()
    results[0] = results[0].model_copy(
        update={
            "tables": [
                Table(
                    label="Table 1",
                    caption="Response by dose",
                    header=[["Dose", "Responders"]],
                    rows=[["148 MBq", "10/40"]],
                    cells=[
                        TableCell(row=0, col=0, text="Dose", header=True),
                        TableCell(row=0, col=1, text="Responders", header=True),
                        TableCell(row=1, col=0, text="148 MBq"),
                        TableCell(row=1, col=1, text="10/40"),
                    ],
                )
            ]
        }
    )
    db = load(root / "evidence.duckdb", results)
    return write_report(db, root / "out" / "report.html")


def test_report_is_self_contained(report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # nothing to fetch: no scripts, stylesheets, images or fonts by URL (SVG namespaces are not fetched)
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#|data:)""", html)
    assert "url(http" not in html and "@import" not in html and "<script" not in html


def test_report_across_papers(report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    assert html.count('<figure class="forest"') == 3  # overall, then by agent: 89SrCl2 (k = 2) and IL-2
    assert "pooled-diamond" in html and "Heterogeneity: τ² =" in html
    overview = html[html.index('id="findings-overview"') :]
    overview = overview[: overview.index("</table>")]
    assert "<td>percent_recompute</td>" in overview and '<td class="num">1</td>' in overview
    assert "⚑ percent_recompute" in html  # the flagged study, beside its numbers
    anchor = re.search(r'<a href="#(paper-\d+)">b_jones2003 \(2003\)</a>', html).group(1)
    assert f'<section class="paper" id="{anchor}"><h2>b_jones2003.txt</h2>' in html


def test_report_per_paper(report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    assert html.count('<section class="paper"') == 4
    # source sentences with the numbers highlighted
    assert '<mark title="response_rate">10 of 40 patients (25%)</mark>' in html
    assert '<mark title="dose">89SrCl2 148 MBq</mark>' in html
    # its tables, and the findings with the evidence quoted
    assert "Table 1: Response by dose" in html and "<td>10/40</td>" in html
    assert '<mark title="evidence">0 of 25</mark>' in html and "status-inconsistent" in html
    assert TEXT_A.split(".")[0] in html


def test_cli_report(report_path: Path, tmp_path: Path) -> None:
    db = report_path.parent.parent / "evidence.duckdb"
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000


# --- a real browser ------------------------------------------------------------------------------


class DevTools:
    """A minimal Chrome DevTools Protocol client over one page's websocket."""

    def __init__(self, ws_url: str) -> None:
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=2**26)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=30))
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg["result"]
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.events:
                if e.get("method") == method:
                    return e
            self.events.append(json.loads(self.ws.recv(timeout=deadline - time.monotonic())))
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"]["value"]


@pytest.fixture
def chromium(tmp_path: Path):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (Debian: apt-get install -y chromium)")
    proc = subprocess.Popen(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--remote-debugging-port=0",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if m := re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line):
                port = int(m.group(1))
        assert port, "chromium did not start its DevTools endpoint"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            page = next(t for t in json.load(resp) if t["type"] == "page")
        client = DevTools(page["webSocketDebuggerUrl"])
        yield client
        client.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def non_white_share(png: bytes) -> float:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    pixels = list(img.getdata())
    return sum(1 for p in pixels if p < 200) / len(pixels)


def has_color(png: bytes, rgb: tuple[int, int, int], tol: int = 12) -> bool:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    return any(all(abs(a - b) <= tol for a, b in zip(px, rgb, strict=True)) for px in img.getdata())


def test_report_renders_in_headless_chromium(chromium: DevTools, report_path: Path, tmp_path: Path) -> None:
    for domain in ("Page", "Runtime", "Log", "Network"):
        chromium.call(f"{domain}.enable")
    chromium.call("Page.navigate", url=report_path.as_uri())
    chromium.wait_for("Page.loadEventFired")
    errors = [
        e
        for e in chromium.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    assert errors == []
    requested = [
        e["params"]["request"]["url"]
        for e in chromium.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requested and all(
        u.startswith(("file:", "data:")) for u in requested
    )  # offline: nothing else fetched

    boxes = chromium.evaluate("""JSON.stringify(['figure.forest svg', '#findings-overview'].map(sel => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return {x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height};
    }))""")
    plot, findings = json.loads(boxes)
    assert plot["width"] > 400 and plot["height"] > 150 and findings["height"] > 30
    shots = {}
    for name, box in (("plot", plot), ("findings", findings)):
        data = chromium.call(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True, clip={**box, "scale": 1}
        )["data"]
        import base64

        shots[name] = base64.b64decode(data)
        (tmp_path / f"{name}.png").write_bytes(shots[name])
    assert non_white_share(shots["plot"]) > 0.01
    assert has_color(shots["plot"], (0x2A, 0x7F, 0x62))  # the pooled diamond is drawn
    assert has_color(shots["plot"], (0x1F, 0x3B, 0x73))  # and the study markers
    assert non_white_share(shots["findings"]) > 0.02
    text = chromium.evaluate("document.querySelector('#findings-overview').innerText")
    assert "percent_recompute" in text
