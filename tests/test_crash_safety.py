"""SIGKILL an ingest of 200 papers at random points, ten times; re-run; nothing lost, nothing doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import ROOT, shared_path

pytestmark = pytest.mark.slow

N_PAPERS = 200
KILLS = 10


def start_ingest(inbox, db) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    return subprocess.Popen(
        [sys.executable, "-m", "flows", "ingest", str(inbox), "--db", str(db), "--batch-size", "10"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # killed as a group, with its temporary Prefect server
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_repeated_sigkill_then_rerun_gives_the_complete_warehouse(tmp_path) -> None:
    import tarfile

    archive = shared_path("corpora", "evidence-inference", "txt_files.tar.gz")
    inbox = tmp_path / "inbox"
    with tarfile.open(archive) as tar:
        names = sorted(m.name for m in tar if m.isfile() and m.name.endswith(".txt"))
    wanted = set(names[:N_PAPERS])
    with tarfile.open(archive, mode="r|gz") as tar:  # one sequential pass: no rewinding the gzip stream
        for member in tar:
            if member.name in wanted:
                tar.extract(member, inbox, filter="data")
    db = tmp_path / "crash.duckdb"
    rng = random.Random(2026)
    for _ in range(KILLS):
        proc = start_ingest(inbox, db)
        time.sleep(rng.uniform(5, 30))
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: its temporary Prefect server too
        proc.wait()
    final = start_ingest(inbox, db)
    _, err = final.communicate(timeout=1800)
    assert final.returncode == 0, err[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        papers = con.execute("SELECT count(*), count(DISTINCT source) FROM papers").fetchone()
        errors = con.execute("SELECT count(DISTINCT source) FROM ingest_errors").fetchone()[0]
        assert papers[0] == papers[1]  # no paper twice
        assert papers[0] + errors == N_PAPERS  # none lost
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == papers[0]
        for table in ("entities", "sections", "findings", "table_cells", "repairs"):
            orphans = con.execute(
                f"SELECT count(*) FROM {table} WHERE paper_id NOT IN (SELECT paper_id FROM papers)"
            ).fetchone()[0]
            assert orphans == 0, table
        dup = con.execute(
            "SELECT count(*) FROM (SELECT paper_id, entity_idx FROM entities GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dup == 0
    finally:
        con.close()
    # a clean re-run of the same files changes nothing
    before = counts(db)
    again = start_ingest(inbox, db)
    again.communicate(timeout=600)
    assert counts(db) == before


def counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("papers", "documents", "entities", "findings", "ingest_errors")
        }
    finally:
        con.close()
