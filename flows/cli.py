"""`evidence`: a thin command line over the library. Each command parses, calls one function, prints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from schemas import EvidenceError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Literature-evidence extraction into DuckDB."
)
console = Console(stderr=True)

DEFAULT_DB = Path("warehouse/evidence.duckdb")
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB warehouse file.")]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]


@app.callback()
def main_options() -> None:
    """evidence: literature-evidence extraction into DuckDB."""


def fail(exc: BaseException) -> None:
    console.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int, typer.Option(help="Worker processes for extraction.")] = 0,
    batch_size: Annotated[int, typer.Option(help="Papers per Prefect task.")] = 0,
    strict: Annotated[bool, typer.Option(help="Exit non-zero when any file fails.")] = False,
    dask_address: Annotated[
        str | None, typer.Option(help="Run tasks on an existing Dask scheduler (tcp://HOST:PORT).")
    ] = None,
    dask_local: Annotated[int, typer.Option(help="Run tasks on a local Dask cluster of N processes.")] = 0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's own logs.")] = False,
) -> None:
    """Ingest papers into the warehouse through the Prefect flow.

    Example: evidence ingest corpus/ --db warehouse/evidence.duckdb --workers 2
    """
    from flows.settings import IngestSettings, configure_prefect_env

    configure_prefect_env(verbose)
    from flows.progress import ingest_with_progress
    from flows.render import print_summary

    given = {
        "workers": workers,
        "batch_size": batch_size,
        "strict": strict,
        "dask_address": dask_address,
        "dask_local": dask_local,
    }
    settings = IngestSettings.resolve({k: v for k, v in given.items() if v})
    try:
        summary = ingest_with_progress(paths, db, settings)
    except EvidenceError as exc:
        fail(exc)
    print_summary(summary)
    if summary.status == "failed" or (strict and summary.errors):
        raise typer.Exit(1)


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="One paper file (.txt, .pdf, .xml/.nxml, MEDLINE, RIS).")],
    format: Annotated[str, typer.Option("--format", "-f", help="json (the contract) or table.")] = "json",
) -> None:
    """Extract one file: no database, no flow (the JSON is the scoring contract).

    Example: evidence extract corpus/000_2a3e66c60246c07a.txt --format json
    """
    from flows.pipeline import extract_file

    try:
        output = extract_file(path)
    except (EvidenceError, OSError) as exc:
        fail(exc)
    if format == "json":
        print(output.model_dump_json(indent=1))
    else:
        from flows.render import print_entities

        print_entities(output)


@app.command("sql")
def sql_command(
    statement: Annotated[str, typer.Argument(help="A read-only SQL statement.")],
    db: DbOption = DEFAULT_DB,
    csv: Annotated[bool, typer.Option("--csv", help="CSV output.")] = False,
    json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Query the warehouse on a read-only connection.

    Example: evidence sql "SELECT kind, count(*) FROM entities GROUP BY kind"
    """
    from flows.render import print_rows
    from warehouse import run_readonly_sql

    try:
        columns, rows = run_readonly_sql(db, statement)
    except EvidenceError as exc:
        fail(exc)
    print_rows(columns, rows, "csv" if csv else "json" if json else "table")


@app.command()
def papers(db: DbOption = DEFAULT_DB, format: FormatOption = "table") -> None:
    """List the papers in the warehouse with their entity and finding counts.

    Example: evidence papers --format csv
    """
    from flows.render import print_rows
    from flows.reports import list_papers

    try:
        columns, rows = list_papers(db)
    except EvidenceError as exc:
        fail(exc)
    print_rows(columns, rows, format, title="papers")


@app.command()
def audit(
    paper: Annotated[str | None, typer.Argument(help="Paper id prefix or part of its source path.")] = None,
    db: DbOption = DEFAULT_DB,
    format: FormatOption = "table",
) -> None:
    """List audit findings, inconsistent first, with the evidence quoted.

    Example: evidence audit 000_2a3e --format json
    """
    from flows.render import print_findings
    from flows.reports import list_findings

    try:
        rows = list_findings(db, paper)
    except EvidenceError as exc:
        fail(exc)
    print_findings(rows, format)


def main() -> None:
    app()


# Commands of the pooling/report/export side live in their own module and register on `app`.
from flows import cli_review  # noqa: E402,F401
