"""`evidence report`: one static, self-contained HTML page (inline CSS and SVG; no script, font or
stylesheet from the network), across papers first, then paper by paper."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from report.db import open_warehouse
from report.forest import close, forest_figure, heterogeneity_line, svg_text
from report.pool import GroupResult, NothingToPool, collect, plot_title
from report.settings import DEFAULT_REPORT, PoolRequest, ReportSettings
from warehouse.views import query_dicts

# Sentence ends: ., ! or ? then space and a capital/digit/bracket, or a blank line.
PAT_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])|\n\s*\n")
SHOWN_FIELDS = (
    "label",
    "n",
    "agent",
    "value",
    "value_high",
    "unit",
    "normalized",
    "route",
    "schedule",
    "outcome",
    "numerator",
    "denominator",
    "percent",
    "event",
    "grade",
    "count",
    "group",
    "operator",
    "comparison",
    "test",
    "df",
    "ci",
    "variable",
    "mean",
    "sd",
)

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header,main{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:20px;border-bottom:1px solid #ddd}
h1{font-size:24px;margin:.3em 0}h2{font-size:20px;margin-top:1.6em;border-bottom:2px solid #1f3b73}
h3{font-size:16px;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 7px;vertical-align:top;text-align:left}
th{background:#eef1f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
mark{background:#ffe58a;padding:0 1px;border-radius:2px}
.flag{color:#b00020;font-weight:600}.muted{color:#666}
.status-inconsistent{color:#b00020;font-weight:600}.status-unverifiable{color:#a15c00}
.status-consistent{color:#2a7f62}
figure.forest{margin:1em 0;overflow-x:auto}figure.forest svg{max-width:100%;height:auto}
blockquote{margin:.3em 0 .3em 1em;padding-left:.8em;border-left:3px solid #ccc;color:#333}
details{margin:.4em 0}summary{cursor:pointer;font-weight:600}
section.paper{border-top:1px solid #ddd;margin-top:2em}
nav ol{columns:2}
"""


@dataclass
class PooledSection:
    title: str
    request: PoolRequest
    group: GroupResult
    svg: str


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of the sentences of `text` (a simple splitter: the report only quotes them)."""
    return [0] + [m.end() for m in PAT_SENTENCE_END.finditer(text)]


def sentence_of(starts: Sequence[int], text: str, start: int, end: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, start) - 1
    j = bisect.bisect_left(starts, end)
    return starts[max(i, 0)], (starts[j] if j < len(starts) else len(text))


def highlight(text: str, lo: int, hi: int, spans: Sequence[tuple[int, int, str]]) -> str:
    """text[lo:hi] escaped, with each (start, end, title) span inside it wrapped in <mark>."""
    out, pos = [], lo
    for start, end, title in sorted(spans):
        start, end = max(start, pos), min(end, hi)
        if start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark title="{escape(title)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:hi]))
    return " ".join("".join(out).split())


def values_of(record: Mapping[str, Any]) -> str:
    parts = []
    for key in SHOWN_FIELDS:
        value = record.get(key)
        if value in (None, [], {}, ""):
            continue
        if isinstance(value, dict):
            value = " ".join(str(v) for v in value.values() if v is not None)
        parts.append(f"{key}={value}")
    return ", ".join(parts)


def table_html(columns: Sequence[str], rows: Sequence[Sequence[Any]], attrs: str = "") -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append(f'<td class="num">{escape(str(v))}</td>')
            elif isinstance(v, Raw):
                cells.append(f"<td>{v.html}</td>")
            else:
                cells.append(f"<td>{escape('' if v is None else str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table {attrs}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


@dataclass(frozen=True)
class Raw:
    """Already-escaped HTML for a table cell."""

    html: str


def quote_evidence(text: str, evidence: str) -> str:
    try:
        spans = json.loads(evidence or "[]")
    except ValueError:
        return ""
    starts = sentence_bounds(text) if spans else []
    quotes = []
    for s in spans:
        lo, hi = sentence_of(starts, text, s["start"], s["end"])
        quotes.append(
            f"<blockquote>{highlight(text, lo, hi, [(s['start'], s['end'], 'evidence')])}</blockquote>"
        )
    return "".join(quotes)


def pooled_html(sections: Sequence[PooledSection], stored_note: str, anchors: Mapping[str, str]) -> str:
    """Each pooled group: the estimate, its forest plot, and its studies linked to their papers."""
    if not sections:
        return f'<p class="muted">No pooled outcome: {escape(stored_note)}</p>'
    out = []
    for i, s in enumerate(sections):
        p = s.group.pooled
        flagged = [r for r in s.group.rows if r.get("flags")]
        out.append(f"<h3>{escape(s.title)}</h3>")
        out.append(
            f"<p><strong>{p.estimate:.3f}</strong> [{p.ci_lb:.3f}, {p.ci_ub:.3f}] "
            f"({p.method}, {p.transform}, k = {p.k}; prediction interval [{p.pi_lb:.3f}, {p.pi_ub:.3f}]). "
            f"{escape(heterogeneity_line(p))}.</p>"
        )
        out.append(f'<figure class="forest" id="forest-{i}">{s.svg}</figure>')
        rows = [
            (
                Raw(f'<a href="#{anchors[r["paper_id"]]}">{escape(st.label)}</a>')
                if r["paper_id"] in anchors
                else st.label,
                r["outcome"],
                st.events,
                st.total,
                f"{st.proportion:.3f}",
                f"{st.weight:.1f}%",
                Raw(f'<span class="flag">⚑ {escape(", ".join(r["flags"]))}</span>' if r.get("flags") else ""),
                Raw(
                    f"<q>{escape(' '.join(str(r['span']).split()))}</q> "
                    f'<span class="muted">{escape(r.get("table_label") or r.get("section") or "")} '
                    f"[{r['start']}:{r['end']}]</span>"
                ),
            )
            for st, r in zip(p.studies, s.group.rows, strict=True)
        ]
        out.append(
            table_html(
                ["study", "outcome", "events", "N", "proportion", "weight", "audit", "source"],
                rows,
                'class="studies"',
            )
        )
        if flagged:
            out.append(
                f'<p class="flag">{len(flagged)} of {p.k} studies have numbers that failed an audit '
                "check.</p>"
            )
        for w in p.warnings:
            out.append(f'<p class="muted">Note: {escape(w)}</p>')
    return "\n".join(out)


def paper_html(
    paper: Mapping[str, Any],
    entities: Sequence[Mapping[str, Any]],
    tables: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    anchor: str,
    max_chars: int,
) -> str:
    text = paper["text"][:max_chars]
    meta = [
        (k, paper.get(k))
        for k in ("source", "format", "title", "journal", "year", "volume", "pages", "doi", "pmid", "n_chars")
    ]
    out = [
        f'<section class="paper" id="{anchor}"><h2>{escape(Path(paper["source"]).name)}</h2>',
        table_html(["field", "value"], [(k, v) for k, v in meta if v not in (None, "")], 'class="meta"'),
    ]
    records = [json.loads(e["record"]) for e in entities]
    out.append(f"<h3>Entities ({len(entities)})</h3>")
    out.append(
        table_html(
            ["kind", "values", "span", "section / cell", "offsets", "cited"],
            [
                (
                    e["kind"],
                    values_of(r),
                    " ".join(str(e["span"]).split()),
                    (
                        f"{e['table_label']} r{e['cell_row']}c{e['cell_col']}"
                        if e["table_label"]
                        else e["section"] or ""
                    ),
                    f"{e['start']}–{e['end']}",
                    "cited" if e["cited"] else "",
                )
                for e, r in zip(entities, records, strict=True)
            ],
            'class="entities"',
        )
    )
    starts = sentence_bounds(text)
    sentences: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for e in entities:
        if e["end"] <= len(text) and not e["table_label"]:
            sentences.setdefault(sentence_of(starts, text, e["start"], e["end"]), []).append(
                (e["start"], e["end"], e["kind"])
            )
    out.append(
        f"<h3>Source sentences ({len(sentences)})</h3><details open><summary>sentences with the "
        "extracted numbers highlighted</summary>"
    )
    out.extend(
        f'<blockquote data-offset="{lo}">{highlight(text, lo, hi, spans)}</blockquote>'
        for (lo, hi), spans in sorted(sentences.items())
    )
    out.append("</details>")
    by_table: dict[int, list[Mapping[str, Any]]] = {}
    for t in tables:
        by_table.setdefault(t["table_idx"], []).append(t)
    if by_table:
        out.append(f"<h3>Tables ({len(by_table)})</h3>")
    for cells in by_table.values():
        first = cells[0]
        grid: dict[int, dict[int, str]] = {}
        for c in cells:
            if c["row"] is not None:
                grid.setdefault(c["row"], {})[c["col"]] = c["text"]
        width = max((max(r) + 1 for r in grid.values() if r), default=0)
        rows = [[grid[r].get(col, "") for col in range(width)] for r in sorted(grid)]
        out.append(f"<details><summary>{escape(first['label'])}: {escape(first['caption'] or '')}</summary>")
        out.append(table_html([f"{i + 1}" for i in range(width)], rows, 'class="source-table"'))
        if first["footnotes"]:
            out.append("".join(f'<p class="muted">{escape(f)}</p>' for f in first["footnotes"]))
        out.append("</details>")
    out.append(f"<h3>Audit findings ({len(findings)})</h3>")
    if findings:
        out.append(
            table_html(
                ["check", "status", "severity", "message", "evidence"],
                [
                    (
                        f["check"],
                        Raw(f'<span class="status-{escape(f["status"])}">{escape(f["status"])}</span>'),
                        f["severity"],
                        f["message"],
                        Raw(quote_evidence(paper["text"], f["evidence"])),
                    )
                    for f in findings
                ],
                'class="findings"',
            )
        )
    else:
        out.append('<p class="muted">No audit findings.</p>')
    out.append("</section>")
    return "\n".join(out)


def render_report(
    pooled: Sequence[PooledSection],
    checks: Sequence[Mapping[str, Any]],
    papers: Sequence[Mapping[str, Any]],
    entities: Sequence[Mapping[str, Any]],
    tables: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    settings: ReportSettings,
    note: str = "",
) -> str:
    """The whole page from plain rows (pure: no database)."""

    def by_paper(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
        out: dict[str, list[Mapping[str, Any]]] = {}
        for r in rows:
            out.setdefault(r["paper_id"], []).append(r)
        return out

    ents, tabs, finds = by_paper(entities), by_paper(tables), by_paper(findings)
    anchors = {p["paper_id"]: f"paper-{i}" for i, p in enumerate(papers)}
    toc = "".join(
        f'<li><a href="#{anchors[p["paper_id"]]}">{escape(Path(p["source"]).name)}</a> '
        f'<span class="muted">{len(ents.get(p["paper_id"], []))} entities, '
        f"{sum(1 for f in finds.get(p['paper_id'], []) if f['status'] == 'inconsistent')} "
        "inconsistent</span></li>"
        for p in papers
    )
    overview = table_html(
        ["check", "inconsistent", "unverifiable", "consistent", "papers with an inconsistency"],
        [
            (c["check"], c["inconsistent"], c["unverifiable"], c["consistent"], c["papers_inconsistent"])
            for c in checks
        ],
        'id="findings-overview"',
    )
    if not checks:
        overview += '<p class="muted">No audit findings in the warehouse yet.</p>'
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        f'<header><h1>Evidence report</h1><p class="muted">{len(papers)} papers, {len(entities)} entities, '
        f"{len(findings)} audit findings · generated {generated}</p></header><main>",
        "<h2>Pooled outcomes</h2>",
        pooled_html(pooled, note, anchors),
        "<h2>Audit findings by check</h2>",
        overview,
        f"<h2>Papers</h2><nav><ol>{toc}</ol></nav>",
    ]
    body.extend(
        paper_html(
            p,
            ents.get(p["paper_id"], []),
            tabs.get(p["paper_id"], []),
            finds.get(p["paper_id"], []),
            anchors[p["paper_id"]],
            settings.max_text_chars,
        )
        for p in papers
    )
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Evidence report</title>"
        # an empty favicon: the browser would otherwise request /favicon.ico and log an error
        '<link rel="icon" href="data:,">'
        f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def write_report(
    db: str | Path,
    out: str | Path = DEFAULT_REPORT,
    settings: ReportSettings | Mapping[str, Any] | None = None,
) -> Path:
    """Pool the configured outcomes, read every paper, and write the self-contained HTML report."""
    cfg = ReportSettings.resolve(settings)
    out = Path(out)
    sections: list[PooledSection] = []
    notes = []
    with open_warehouse(db) as wh:
        for outcome in cfg.outcomes:
            for by in cfg.by:
                req = PoolRequest(
                    outcome=outcome, by=by, method=cfg.method, transform=cfg.transform, out_dir=out.parent
                )
                try:
                    groups = collect(wh, req)
                except NothingToPool as exc:
                    notes.append(str(exc))
                    continue
                if by != "none" and (len(groups) < 2 or all(g.pooled.k < 2 for g in groups)):
                    continue  # nothing beyond the overall analysis and the studies themselves
                for g in groups:
                    fig = forest_figure(g.pooled, g.flags, plot_title(req, g.grp))
                    sections.append(PooledSection(plot_title(req, g.grp), req, g, svg_text(fig)))
                    close(fig)
        checks = query_dicts(wh.con, "report_checks")
        papers = query_dicts(wh.con, "report_papers")
        entities = query_dicts(wh.con, "report_entities")
        tables = query_dicts(wh.con, "report_tables")
        findings = query_dicts(wh.con, "report_findings")
    html = render_report(
        sections, checks, papers, entities, tables, findings, cfg, "; ".join(sorted(set(notes)))
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
