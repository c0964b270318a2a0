"""Console rendering for the CLI (rich tables); no logic beyond formatting."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from schemas import ExtractOutput

out = Console()

ENTITY_FIELDS = {
    "cohort": ("label", "n", "n_high"),
    "dose": ("agent", "value", "value_high", "unit", "normalized", "route", "schedule"),
    "response_rate": ("outcome", "numerator", "denominator", "percent"),
    "toxicity": ("event", "grade", "count", "percent", "group"),
    "mtd": ("agent", "value", "unit", "normalized", "dose_limiting"),
    "p_value": ("operator", "value", "comparison"),
    "statistic": ("test", "value", "df", "ci"),
    "summary_stat": ("variable", "group", "mean", "sd", "n"),
}


def print_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table", title: str | None = None
) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        print(
            json.dumps(
                [dict(zip(columns, r, strict=True)) for r in rows], default=str, ensure_ascii=False, indent=1
            )
        )
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(str(c))
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        out.print(table)


def print_entities(output: ExtractOutput) -> None:
    for paper in output.papers:
        table = Table(title=f"{paper.source} ({paper.meta.journal or '?'} {paper.meta.year or ''})")
        for c in ("kind", "section", "values", "span"):
            table.add_column(c)
        for e in paper.entities:
            data = e.model_dump()
            values = ", ".join(
                f"{k}={data[k]}" for k in ENTITY_FIELDS[data["kind"]] if data.get(k) not in (None, [])
            )
            table.add_row(
                data["kind"], data.get("section") or "", values, " ".join(data["text"].split())[:80]
            )
        out.print(table)
        if paper.findings:
            print_findings([(f.check, f.status, f.severity, f.message, "") for f in paper.findings])


def print_summary(summary: Any) -> None:
    table = Table(title=f"ingest {summary.run_id} into {summary.db}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files", str(summary.files))
    table.add_row("papers written", str(summary.papers_written))
    table.add_row("papers unchanged (skipped)", str(summary.papers_skipped))
    for kind in ENTITY_FIELDS:
        table.add_row(f"entities: {kind}", str(summary.entities.get(kind, 0)))
    for status in ("inconsistent", "unverifiable", "consistent"):
        table.add_row(f"findings: {status}", str(summary.findings.get(status, 0)))
    table.add_row("errors", str(len(summary.errors)))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    out.print(table)
    for e in summary.errors:
        out.print(f"[red]error[/red] {e['source']}: {e['stage']}: {e['error_type']}: {e['message']}")


def quote(text: str, evidence: str) -> str:
    """The sentences a finding read, from its evidence spans ([{start, end}])."""
    try:
        spans = json.loads(evidence) if isinstance(evidence, str) else evidence
    except ValueError:
        return ""
    return " | ".join(" ".join(text[s["start"] : s["end"]].split())[:120] for s in spans or [])


def print_findings(rows: Sequence[Sequence[Any]], fmt: str = "table") -> None:
    columns = ("check", "status", "severity", "message", "evidence")
    if fmt != "table":
        print_rows(columns, rows, fmt)
        return
    table = Table(title="findings", show_lines=True)
    for c in columns:
        table.add_column(c)
    style = {"inconsistent": "red", "unverifiable": "yellow", "consistent": "green"}
    for r in rows:
        table.add_row(r[0], f"[{style.get(r[1], '')}]{r[1]}[/]", r[2], r[3], r[4])
    out.print(table)
