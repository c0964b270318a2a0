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


def ingest(db, *extra: str, api_url: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
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


@pytest.fixture(scope="module")
def local_run(tmp_path_factory) -> dict[str, list[tuple]]:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    ingest(db, "--workers", "1")
    return snapshot(db)


def test_dask_local_cluster_fills_the_same_warehouse(tmp_path, local_run) -> None:
    pytest.importorskip("prefect_dask")
    ingest(tmp_path / "dask.duckdb", "--dask-local", "2", "--batch-size", "2")
    assert local_run["papers"] and snapshot(tmp_path / "dask.duckdb") == local_run


def test_an_existing_dask_cluster_fills_the_same_warehouse(tmp_path, local_run) -> None:
    """--dask-address, as on a real cluster: a Prefect server and the workers started before the ingest,
    the workers told where the server is by PREFECT_API_URL."""
    pytest.importorskip("prefect_dask")
    from distributed import LocalCluster

    from flows.server import prefect_server

    with prefect_server() as api_url:  # exports PREFECT_API_URL to the worker processes started next
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            ingest(
                tmp_path / "dask.duckdb",
                "--dask-address",
                cluster.scheduler_address,
                "--batch-size",
                "2",
                api_url=api_url,
            )
    assert snapshot(tmp_path / "dask.duckdb") == local_run
