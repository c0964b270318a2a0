"""`evidence watch INBOX`: a Prefect deployment (`flow.serve`) that ingests new files dropped into a
folder on an interval, the way a review team adds papers as they find them.

Each scheduled run is the `ingest_corpus` flow over the whole inbox, as a subflow: its plan skips
files already loaded (same path, sha256 and pipeline), so only new or changed files are read, and a
failing file gets its `ingest_errors` row exactly as with `evidence ingest`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

from flows.ingest import IngestSummary, ingest_corpus

DEFAULT_INTERVAL_S = 60
DEPLOYMENT_NAME = "evidence-watch"


@flow(name="watch_inbox")
def watch_inbox(
    inbox: str, db: str = "warehouse/evidence.duckdb", settings: dict[str, Any] | None = None
) -> IngestSummary:
    """Ingest whatever is new in `inbox` into `db` (unchanged files are skipped)."""
    Path(inbox).mkdir(parents=True, exist_ok=True)  # an empty inbox is a normal state, not an error
    return ingest_corpus([inbox], db, settings)


def serve_inbox(inbox: str | Path, db: str | Path, interval: int = DEFAULT_INTERVAL_S) -> None:
    """Serve the `watch_inbox` deployment on an interval until interrupted (blocks)."""
    if interval < 1:
        raise ValueError("interval must be at least 1 second")
    watch_inbox.serve(
        name=DEPLOYMENT_NAME,
        interval=interval,
        parameters={"inbox": str(Path(inbox).resolve()), "db": str(Path(db).resolve())},
    )
