"""Review-side commands (pool, report, export, watch, duplicates), registered on the main app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli import DEFAULT_DB, DbOption, FormatOption, app, console, fail
from schemas import EvidenceError

OutDirOption = Annotated[Path, typer.Option("--out", help="Folder to write into.")]


@app.command()
def pool(
    outcome: Annotated[
        str, typer.Option(help="response_rate, toxicity, or an outcome label pattern.")
    ] = "response_rate",
    agent: Annotated[str | None, typer.Option(help="Only studies of this agent (ILIKE pattern).")] = None,
    by: Annotated[str, typer.Option(help="Group by none, agent, dose_band, design or outcome.")] = "none",
    method: Annotated[
        str, typer.Option(help="tau² estimator: EE, DL, REML or PM (metafor's names).")
    ] = "REML",
    transform: Annotated[str, typer.Option(help="PLO (logit), PFT, PAS, PLN or PR.")] = "PLO",
    out: OutDirOption = Path("warehouse"),
    db: DbOption = DEFAULT_DB,
    format: FormatOption = "table",
) -> None:
    """Pool a proportion across studies; print the table and write forest plots (PNG and SVG).

    Example: evidence pool --outcome response_rate --by agent --method REML --transform PLO
    """
    from flows.render import print_rows
    from report.pool import pool_outcomes

    try:
        run = pool_outcomes(
            db,
            {
                "outcome": outcome,
                "agent": agent,
                "by": by,
                "method": method,
                "transform": transform,
                "out_dir": out,
            },
        )
    except (EvidenceError, ValueError) as exc:
        fail(exc)
    print_rows(*run.table(), format, title=f"pooled {outcome}")
    for line in run.warnings + [f"forest plot: {p}" for p in run.plots]:
        console.print(line)
    if format == "table":
        print("\n".join(run.summary_lines()))


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path(
        "warehouse/report.html"
    ),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write a static, self-contained HTML report: pooled outcomes, findings by check, every paper.

    Example: evidence report --out warehouse/report.html
    """
    from report.html import write_report

    try:
        path = write_report(db, out)
    except EvidenceError as exc:
        fail(exc)
    console.print(f"report: {path}")


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="csv, parquet or json.")] = "csv",
    out: OutDirOption = Path("warehouse/export"),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export one row per entity with provenance, and a RevMan-style CSV of outcomes per study and arm.

    Example: evidence export --format parquet --out warehouse/export
    """
    from report.export import export_warehouse

    try:
        paths = export_warehouse(db, format, out)
    except (EvidenceError, ValueError) as exc:
        fail(exc)
    for path in paths:
        print(path)


@app.command()
def duplicates(db: DbOption = DEFAULT_DB, format: FormatOption = "table") -> None:
    """Link papers that report one study (DOI, PMID, or fuzzy title + year + first numbers) and list them.

    Example: evidence duplicates --format csv
    """
    from flows.render import print_rows
    from report.duplicates import list_duplicates

    try:
        columns, rows = list_duplicates(db)
    except EvidenceError as exc:
        fail(exc)
    print_rows(columns, rows, format, title="duplicate papers (pooled once, as their study)")


@app.command()
def watch(
    inbox: Annotated[Path, typer.Argument(help="Folder that new papers are dropped into.")],
    db: DbOption = DEFAULT_DB,
    interval: Annotated[int, typer.Option(help="Seconds between scans.")] = 60,
    once: Annotated[bool, typer.Option("--once", help="Scan once and exit (no deployment).")] = False,
) -> None:
    """Serve a Prefect deployment that ingests new files dropped into INBOX every --interval seconds.

    Example: evidence watch inbox/ --db warehouse/evidence.duckdb --interval 60
    """
    from flows.settings import configure_prefect_env

    configure_prefect_env()
    from flows.render import print_summary
    from flows.watch import serve_inbox, watch_inbox

    if once:
        print_summary(watch_inbox(str(inbox), str(db)))
    else:
        serve_inbox(inbox, db, interval, on_run=print_summary)
