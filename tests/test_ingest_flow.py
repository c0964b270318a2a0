"""The real Prefect flow, end to end, on a temporary Prefect server (a few session-scoped runs)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

TABLES = (
    "papers",
    "documents",
    "sections",
    "tables",
    "table_cells",
    "entities",
    "findings",
    "repairs",
    "ingest_errors",
)


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def make_inbox(root: Path) -> Path:
    inbox = root / "inbox"
    (inbox / "bad").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, inbox / seed.name)
    (inbox / "bad" / "empty.txt").write_bytes(b"")
    (inbox / "bad" / "random.pdf").write_bytes(random.Random(1).randbytes(4096))
    (inbox / "bad" / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (inbox / "bad" / "undecodable.txt").write_bytes(b"\xff\xfe\x00\xd8")
    return inbox


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def ingested(prefect_harness, tmp_path_factory):
    from flows.ingest import run_ingest

    root = tmp_path_factory.mktemp("ingest")
    inbox = make_inbox(root)
    db = root / "evidence.duckdb"
    first = run_ingest([inbox], db)
    after_first = counts(db)
    second = run_ingest([inbox], db)
    return {
        "inbox": inbox,
        "db": db,
        "first": first,
        "second": second,
        "after_first": after_first,
        "after_second": counts(db),
    }


def test_every_file_is_a_paper_or_an_error(ingested) -> None:
    first = ingested["first"]
    assert first.files == len(SEEDS) + 4
    assert first.papers_written == len(SEEDS)
    bad = sorted(Path(e["source"]).name for e in first.errors)
    assert bad == ["empty.txt", "random.pdf", "truncated.pdf", "undecodable.txt"]
    assert all(e["error_type"] and e["message"] and e["stage"] == "read" for e in first.errors)
    assert ingested["after_first"]["ingest_errors"] == 4
    assert first.entities and sum(first.entities.values()) > 0


def test_reingest_is_idempotent_and_does_no_work(ingested) -> None:
    assert ingested["after_second"] == ingested["after_first"]
    second = ingested["second"]
    assert second.papers_written == 0
    assert second.papers_skipped == len(SEEDS)
    assert second.entities == ingested["first"].entities


def test_changed_file_replaces_its_rows(ingested, tmp_path) -> None:
    from flows.ingest import run_ingest

    inbox, db = ingested["inbox"], ingested["db"]
    target = inbox / SEEDS[1].name
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\nA total of 17 patients were enrolled.\n")
        summary = run_ingest([target], db)
        assert summary.papers_written == 1
        assert counts(db)["papers"] == len(SEEDS)
        con = duckdb.connect(str(db), read_only=True)
        n = con.execute("SELECT count(*) FROM papers WHERE source = ?", [str(target)]).fetchone()[0]
        con.close()
        assert n == 1
    finally:
        target.write_bytes(original)
        run_ingest([target], db)
    assert counts(db) == ingested["after_first"]


def run_cli(args: list[str], **kw) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)  # each CLI process starts its own temporary server, as a user's would
    return subprocess.Popen(
        [sys.executable, "-m", "flows", *args],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # killed as a group, with its temporary Prefect server
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def test_killed_ingest_leaves_no_duplicate_or_half_paper(tmp_path) -> None:
    inbox = tmp_path / "many"
    inbox.mkdir()
    for k in range(30):
        seed = SEEDS[k % len(SEEDS)]
        (inbox / f"{k:03d}_{seed.name}").write_bytes(seed.read_bytes() + f"\ncopy {k}\n".encode())
    db = tmp_path / "killed.duckdb"
    rng = random.Random(7)
    for _ in range(2):
        proc = run_cli(["ingest", str(inbox), "--db", str(db), "--batch-size", "1", "--workers", "1"])
        time.sleep(rng.uniform(8, 20))
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: its temporary Prefect server too
        proc.wait()
    final = run_cli(["ingest", str(inbox), "--db", str(db), "--batch-size", "5"])
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err[-2000:]
    c = counts(db)
    assert c["papers"] == c["documents"] == 30
    con = duckdb.connect(str(db), read_only=True)
    try:
        dup = con.execute(
            "SELECT count(*) FROM (SELECT source FROM papers GROUP BY source HAVING count(*) > 1)"
        )
        assert dup.fetchone()[0] == 0
        orphans = con.execute(
            "SELECT count(*) FROM entities WHERE paper_id NOT IN (SELECT paper_id FROM papers)"
        )
        assert orphans.fetchone()[0] == 0
        # only `papers` has a key: the rows of the other tables are unique because loads replace whole papers
        for table, key in (("entities", "entity_idx"), ("document_chunks", "chunk"), ("sections", "idx")):
            twice = con.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY paper_id, {key} HAVING count(*) > 1)"
            )
            assert twice.fetchone()[0] == 0, table
        per_copy = con.execute("""SELECT count(DISTINCT n) FROM (
            SELECT regexp_extract(p.source, '_(\\d{3}_[0-9a-f_]+)', 1) AS seed, count(e.paper_id) AS n
            FROM papers p LEFT JOIN entities e USING (paper_id)
            GROUP BY p.paper_id, p.source) GROUP BY seed""").fetchall()
        assert all(row[0] == 1 for row in per_copy)  # every copy of a seed has the same entity count
    finally:
        con.close()


def test_watch_ingests_the_files_dropped_between_runs(prefect_harness, tmp_path) -> None:
    from flows.watch import poll_inbox

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS[0], inbox / SEEDS[0].name)
    summaries = []

    def interval_passes(_seconds: float) -> None:  # meanwhile a reviewer drops in another paper
        shutil.copy(SEEDS[1], inbox / SEEDS[1].name)

    runs = poll_inbox(
        inbox,
        tmp_path / "watch.duckdb",
        interval=1,
        max_runs=2,
        on_run=summaries.append,
        sleep=interval_passes,
    )
    assert runs == 2
    assert [(s.papers_written, s.papers_skipped) for s in summaries] == [(1, 0), (1, 1)]
