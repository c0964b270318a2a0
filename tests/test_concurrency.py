"""Two ingests into one warehouse at once, and `evidence sql` reading while an ingest writes.

DuckDB allows one writing process per file. Each load is a short transaction and the connection is
closed between loads, so concurrent ingests take turns (waiting for the lock, up to --lock-timeout)
and readers get in between loads; nothing corrupts, nothing is doubled.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def evidence(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    return subprocess.Popen(
        [sys.executable, "-m", "flows", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def make_copies(folder, k: int, tag: str) -> None:
    folder.mkdir()
    for i in range(k):
        seed = SEEDS[i % len(SEEDS)]
        (folder / f"{tag}{i:02d}_{seed.name}").write_bytes(seed.read_bytes() + f"\n{tag} {i}\n".encode())


def test_two_ingests_at_once_and_a_reader_in_between(tmp_path) -> None:
    make_copies(tmp_path / "a", 8, "a")
    make_copies(tmp_path / "b", 8, "b")
    db = tmp_path / "shared.duckdb"
    first = evidence("ingest", str(tmp_path / "a"), "--db", str(db), "--batch-size", "1", "--workers", "1")
    second = evidence("ingest", str(tmp_path / "b"), "--db", str(db), "--batch-size", "1", "--workers", "1")
    reads: list[tuple[int, str]] = []
    while first.poll() is None or second.poll() is None:
        if db.exists():
            r = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "flows",
                    "sql",
                    "SELECT count(*) AS n FROM papers",
                    "--db",
                    str(db),
                    "--csv",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            reads.append((r.returncode, r.stdout + r.stderr))
        time.sleep(1)
    for proc in (first, second):
        _, err = proc.communicate()
        assert proc.returncode == 0, err[-2000:]
    # every read either saw a consistent count or was told clearly that a writer holds the file
    for code, out in reads:
        assert (code == 0 and out.startswith("n\n")) or (code == 1 and "locked" in out), out
    assert any(code == 0 for code, _ in reads)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT source) FROM papers").fetchone() == (16, 16)
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 16
        assert con.execute("SELECT count(*) FROM ingest_runs WHERE status = 'ok'").fetchone()[0] == 2
    finally:
        con.close()
