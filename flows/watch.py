"""`evidence watch INBOX`: a Prefect deployment (`flow.serve`) that ingests new files dropped into a
folder on an interval, the way a review team adds papers as they find them.

Each run is the `ingest_corpus` flow over the whole inbox, as a subflow: its plan skips files already
loaded (same path, sha256 and pipeline), so only new or changed files are read, and a failing file
gets its `ingest_errors` row exactly as with `evidence ingest`.

Prefect schedules deployments only on a real server (`prefect server start`, PREFECT_API_URL set);
its temporary local server cannot. Without one, `watch` runs the same flow itself every interval.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.settings import PREFECT_API_URL

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


def has_prefect_server() -> bool:
    return bool(PREFECT_API_URL.value())


def poll_inbox(
    inbox: str | Path,
    db: str | Path,
    interval: int,
    max_runs: int | None = None,
    on_run: Callable[[IngestSummary], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run `watch_inbox` every `interval` seconds (forever, or `max_runs` times); returns runs done."""
    runs = 0
    while max_runs is None or runs < max_runs:
        started = time.monotonic()
        summary = watch_inbox(str(inbox), str(db))
        runs += 1
        if on_run:
            on_run(summary)
        if max_runs is None or runs < max_runs:
            sleep(max(0.0, interval - (time.monotonic() - started)))
    return runs


def serve_inbox(
    inbox: str | Path,
    db: str | Path,
    interval: int = DEFAULT_INTERVAL_S,
    on_run: Callable[[IngestSummary], None] | None = None,
) -> None:
    """Serve the `watch_inbox` deployment on an interval until interrupted (blocks).

    With a Prefect server configured this is `flow.serve` (runs appear in the UI under the deployment
    `watch_inbox/evidence-watch`); without one, the flow runs in this process on the same interval.
    """
    if interval < 1:
        raise ValueError("interval must be at least 1 second")
    inbox, db = Path(inbox).resolve(), Path(db).resolve()
    if has_prefect_server():
        watch_inbox.serve(
            name=DEPLOYMENT_NAME, interval=interval, parameters={"inbox": str(inbox), "db": str(db)}
        )
    else:
        poll_inbox(inbox, db, interval, on_run=on_run)
