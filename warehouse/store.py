"""The only module that talks to DuckDB: schema, bulk loads in one transaction, named read queries."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from schemas import IngestError, PaperResult, QueryError, WarehouseBusy
from warehouse.rows import DOCUMENT_CHUNK_CHARS, PAPER_TABLES, Row, error_rows, rows_for
from warehouse.transaction import transaction

DEFAULT_DB = Path("warehouse/evidence.duckdb")
DEFAULT_LOCK_TIMEOUT_S = 30.0
# A writer's DuckDB buffer pool. Unbounded (DuckDB's default is 80% of RAM), the checkpoint on closing a
# load now and then rewrites whole 122,880-row groups and held them all at once: +150 MB spikes on a
# 4,000-paper file with DuckDB 2.0 (+800 MB with 1.5). Capped, DuckDB evicts or spills to <file>.tmp;
# a replay of 180 loads: 64 MB kept every spike within the first loads' +100 MB and took the same time
# as 128 or 256 MB (README "Performance"). Readers keep DuckDB's default.
WRITER_MEMORY_LIMIT = "64MB"


@cache
def sql(name: str) -> str:
    """A named query from warehouse/sql/<name>.sql (or the DDL, `schema`)."""
    base = resources.files("warehouse")
    path = base / "schema.sql" if name == "schema" else base / "sql" / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect(
    path: str | Path,
    read_only: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
    memory_limit: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting up to `lock_timeout` s for another process's write lock.

    `memory_limit` (DuckDB's syntax, "256MB") bounds DuckDB's buffer pool; None keeps its default."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseBusy(f"no warehouse at {path}: run `evidence ingest` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": memory_limit} if memory_limit else {}
    deadline = time.monotonic() + lock_timeout
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{path} is locked by another evidence process (waited {lock_timeout:.0f} s); "
                    "try again when it finishes"
                ) from exc
            time.sleep(0.5)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version schema.sql last brought this file to; 0 for an empty file."""
    if not con.execute(sql("has_table"), {"name": "schema_migrations"}).fetchone()[0]:
        return 0
    return con.execute(sql("schema_version")).fetchone()[0] or 0


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing, tables then the review views; re-applying is a no-op.

    An older file is migrated in the same transaction (see schema.sql for why version 2 changed)."""
    from warehouse.views import apply_views  # views.py imports this module's neighbours only

    migrate_v2 = schema_version(con) == 1
    with transaction(con):
        if migrate_v2:
            con.execute(sql("migrate_v2_before"))
        con.execute(sql("schema"))
        if migrate_v2:
            con.execute(sql("migrate_v2_texts"), {"chunk_chars": DOCUMENT_CHUNK_CHARS})
            con.execute(sql("migrate_v2_after"))
    apply_views(con)


def arrow(rows: Sequence[Row]) -> pa.Table:
    return pa.Table.from_pylist(list(rows))


class Warehouse:
    """A DuckDB file with the evidence schema. Use as a context manager."""

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        read_only: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
        memory_limit: str | None = WRITER_MEMORY_LIMIT,
    ):
        """`memory_limit` applies to a writer only: readers (`evidence sql`) keep DuckDB's default."""
        self.path = Path(path)
        self.read_only = read_only
        self.con = connect(
            self.path,
            read_only=read_only,
            lock_timeout=lock_timeout,
            memory_limit=None if read_only else memory_limit,
        )
        if not read_only:
            apply_schema(self.con)

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # --- reads -------------------------------------------------------------------------------
    def query(self, name: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[tuple]]:
        cur = self.con.execute(sql(name), params or {})
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()

    def known_papers(self) -> dict[str, tuple[str, str, str]]:
        """paper_id -> (sha256, source, pipeline) of every paper already loaded."""
        _, rows = self.query("known_papers")
        return {pid: (sha, src, pipe) for pid, sha, src, pipe in rows}

    # --- writes ------------------------------------------------------------------------------
    def start_run(self, run_id: str, n_files: int) -> None:
        self.con.execute(sql("start_run"), {"run_id": run_id, "started_at": now(), "n_files": n_files})

    def finish_run(
        self, run_id: str, *, n_papers: int, n_skipped: int, n_errors: int, seconds: float, status: str
    ) -> None:
        self.con.execute(
            sql("finish_run"),
            {
                "run_id": run_id,
                "finished_at": now(),
                "n_papers": n_papers,
                "n_skipped": n_skipped,
                "n_errors": n_errors,
                "seconds": seconds,
                "status": status,
            },
        )

    def load(
        self,
        results: Iterable[tuple[PaperResult, str]],
        errors: Iterable[IngestError],
        *,
        pipeline: str,
        run_id: str | None,
    ) -> int:
        """Replace the given papers' rows and record errors, all in one transaction. Returns papers written."""
        tables = rows_for(results, pipeline, run_id)
        err_rows = error_rows(errors, run_id)
        sources = sorted({r["source"] for r in tables["papers"]} | {r["source"] for r in err_rows})
        con = self.con
        try:
            with transaction(con):
                if tables["papers"]:
                    con.register(
                        "staged_papers",
                        arrow([{"paper_id": r["paper_id"], "source": r["source"]} for r in tables["papers"]]),
                    )
                    stale = con.execute(sql("stale_papers")).fetchall()
                    # Only when something is replaced: each DELETE scans its whole table, a cost that grows
                    # with the warehouse and that a first ingest never needs.
                    if stale:
                        con.register("staged_replace", arrow([{"paper_id": pid} for (pid,) in stale]))
                        con.execute(sql("delete_papers"))
                    for table in PAPER_TABLES:
                        if tables[table]:
                            staged = f"staged_{table}"
                            con.register(staged, arrow(tables[table]))
                            con.execute(sql("insert_by_name").format(table=table, staged=staged))
                if sources:
                    con.register("staged_sources", arrow([{"source": s} for s in sources]))
                    con.execute(sql("clear_errors"))
                if err_rows:
                    con.register("staged_ingest_errors", arrow(err_rows))
                    con.execute(
                        sql("insert_by_name").format(table="ingest_errors", staged="staged_ingest_errors")
                    )
        finally:
            for name in ["staged_papers", "staged_replace", "staged_sources", "staged_ingest_errors"] + [
                f"staged_{t}" for t in PAPER_TABLES
            ]:
                try:
                    con.unregister(name)
                except Exception:  # noqa: BLE001 - not registered in this load
                    pass
        return len(tables["papers"])


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def run_readonly_sql(
    path: str | Path, statement: str, lock_timeout: float = 5.0
) -> tuple[list[str], list[tuple]]:
    """Run a user's SELECT on a read-only connection: DuckDB itself refuses any write."""
    con = connect(path, read_only=True, lock_timeout=lock_timeout)
    try:
        cur = con.execute(statement)
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from exc
    finally:
        con.close()
