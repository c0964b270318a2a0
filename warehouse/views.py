"""Review-side SQL: the views and macros of warehouse/sql/views/ and the named queries over them.

The views (`outcomes`, `doses_normalized`, `entity_flags`) and macros (`pool_input`,
`pooled_proportions`) are applied with CREATE OR REPLACE, so re-applying is a no-op and a reviewer's
`evidence sql` sees them once `evidence pool`, `report` or `export` has run. Values are always bound;
the only identifiers are the file names below and the grouping names of BY_COLUMNS.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa

from schemas import QueryError
from warehouse.transaction import transaction

# Applied in this order: tables, then views over them, then macros over the views.
VIEW_FILES = (
    "01_tables",
    "02_doses_normalized",
    "03_entity_flags",
    "04_outcomes",
    "05_pool_input",
    "06_pooled_proportions",
)
QUERY_FILES = frozenset(
    {
        "pool_input",
        "pooled_dl",
        "delete_pooled",
        "insert_pooled",
        "pooled",
        "delete_links",
        "insert_links",
        "links",
        "duplicate_candidates",
        "export_entities",
        "export_revman",
        "report_papers",
        "report_entities",
        "report_tables",
        "report_findings",
        "report_checks",
    }
)
# Groupings `pool_input` understands (a CASE in 05_pool_input.sql, never a formatted identifier).
BY_COLUMNS = ("none", "agent", "dose_band", "design", "outcome")
EXPORT_QUERIES = {"entities": "export_entities", "revman": "export_revman"}


@cache
def view_sql(name: str) -> str:
    """The text of warehouse/sql/views/<name>.sql (a view file, or `q_<name>` for a named query)."""
    if name in VIEW_FILES:
        filename = f"{name}.sql"
    elif name in QUERY_FILES:
        filename = f"q_{name}.sql"
    else:
        raise KeyError(f"no review query named {name!r}")
    return (resources.files("warehouse") / "sql" / "views" / filename).read_text(encoding="utf-8")


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace the review tables, views and macros (needs a writable connection)."""
    for name in VIEW_FILES:
        con.execute(view_sql(name))


def check_by(by: str) -> str:
    if by not in BY_COLUMNS:
        raise QueryError(f"--by must be one of {', '.join(BY_COLUMNS)}, not {by!r}")
    return by


def query_dicts(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> list[dict]:
    """Rows of a named query as dicts."""
    try:
        cur = con.execute(view_sql(name), params or {})
    except duckdb.Error as exc:
        raise QueryError(f"{name}: {str(exc).splitlines()[0]}") from exc
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def query_arrow(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> pa.Table:
    """A named query as an Arrow table (exports keep DuckDB's column types)."""
    try:
        return con.sql(view_sql(name), params=params or None).to_arrow_table()  # DuckDB 2: no extra copy
    except duckdb.Error as exc:
        raise QueryError(f"{name}: {str(exc).splitlines()[0]}") from exc


def pool_input(con: duckdb.DuckDBPyConnection, outcome: str, agent: str | None, by: str) -> list[dict]:
    """The studies behind a pooled outcome: one row per study x arm x group, with provenance and flags."""
    return query_dicts(con, "pool_input", {"outcome": outcome, "agent": agent, "by": check_by(by)})


def pooled_dl(
    con: duckdb.DuckDBPyConnection, outcome: str, transform: str, by: str, agent: str | None, cc: float = 0.5
) -> list[dict]:
    """EE and DerSimonian-Laird pooled proportions computed in SQL, one row per group and method."""
    return query_dicts(
        con,
        "pooled_dl",
        {"outcome": outcome, "transform": transform, "by": check_by(by), "agent": agent, "cc": cc},
    )


def store_pooled(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Replace stored pooled results of the same request (outcome, agent, by, transform, method)."""
    if not rows:
        return
    try:
        with transaction(con):
            for key in {(r["outcome"], r["agent"], r["by_col"], r["transform"], r["method"]) for r in rows}:
                con.execute(
                    view_sql("delete_pooled"),
                    dict(zip(("outcome", "agent", "by", "transform", "method"), key, strict=True)),
                )
            con.register("staged_pooled", pa.Table.from_pylist(list(rows)))
            con.execute(view_sql("insert_pooled"))
    finally:
        con.unregister("staged_pooled")


def replace_links(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Replace the study links with `rows` ({paper_id, study_id, method, score, reason})."""
    try:
        with transaction(con):
            con.execute(view_sql("delete_links"))
            if rows:
                con.register("staged_links", pa.Table.from_pylist(list(rows)))
                con.execute(view_sql("insert_links"))
    finally:
        if rows:
            con.unregister("staged_links")
