"""`evidence`: a thin command line over the library (see README for examples)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from schemas import EvidenceError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Literature-evidence extraction into DuckDB.")
console = Console(stderr=True)


@app.callback()
def main_options() -> None:
    """evidence: literature-evidence extraction into DuckDB."""


def fail(exc: EvidenceError) -> None:
    console.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(1)


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="One paper file (.txt, .pdf, .xml/.nxml, MEDLINE, RIS).")],
    format: Annotated[str, typer.Option("--format", "-f", help="json (the contract) or table.")] = "json",
) -> None:
    """Extract one file without a database or a flow.

    Example: evidence extract corpus/000_2a3e66c60246c07a.txt --format json
    """
    from flows.pipeline import extract_file

    try:
        out = extract_file(path)
    except EvidenceError as exc:
        fail(exc)
    if format == "json":
        print(out.model_dump_json(indent=1))
    else:
        from flows.render import print_entities

        print_entities(out)


def main() -> None:
    app()
