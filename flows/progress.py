"""Run the ingest flow behind a rich progress bar."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.ingest import IngestSummary, run_ingest, set_progress_hook
from flows.settings import IngestSettings


def ingest_with_progress(paths: Sequence[Path], db: Path, settings: IngestSettings) -> IngestSummary:
    with Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
    ) as progress:
        bar = progress.add_task("papers", total=None)

        def update(done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)

        set_progress_hook(update)
        try:
            return run_ingest(list(paths), db, settings)
        finally:
            set_progress_hook(None)
