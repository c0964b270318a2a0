"""The same flow on a 2-worker Dask LocalCluster (processes) fills the warehouse exactly as a local run."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow

# What a run produces, without run-specific columns (run ids, timestamps, source paths of the temp copies).
SNAPSHOT = {
    "papers": "SELECT paper_id, sha256, format, journal, year, n_chars, pipeline FROM papers ORDER BY paper_id",
    "entities": "SELECT * EXCLUDE (record) FROM entities ORDER BY paper_id, entity_idx",
    "findings": "SELECT * FROM findings ORDER BY paper_id, finding_idx",
    "table_cells": 'SELECT * FROM table_cells ORDER BY paper_id, table_idx, "row", col',
    "repairs": 'SELECT * FROM repairs ORDER BY paper_id, "offset"',
}


def ingest(db, *extra: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    proc = subprocess.run(
        [sys.executable, "-m", "flows", "ingest", str(CORPUS), "--db", str(db), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


def snapshot(db) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(q).fetchall() for name, q in SNAPSHOT.items()}
    finally:
        con.close()


def test_dask_local_cluster_fills_the_same_warehouse(tmp_path) -> None:
    pytest.importorskip("prefect_dask")
    ingest(tmp_path / "local.duckdb", "--workers", "1")
    ingest(tmp_path / "dask.duckdb", "--dask-local", "2", "--batch-size", "2")
    local, dask = snapshot(tmp_path / "local.duckdb"), snapshot(tmp_path / "dask.duckdb")
    assert local["papers"] and local == dask
