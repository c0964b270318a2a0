"""Loads are idempotent, replace changed papers whole, record errors, and never write on a read connection."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from schemas import Cohort, Finding, IngestError, Meta, PaperResult, PValue, QueryError, WarehouseBusy
from warehouse import Warehouse, apply_schema, connect, run_readonly_sql, sql
from warehouse.rows import DOCUMENT_CHUNK_CHARS, PAPER_TABLES, rows_for, text_chunks
from warehouse.store import arrow

TEXT = "Forty-two patients (n = 42) responded (P < 0.05)."


def paper(pid: str = "a" * 64, source: str = "x.txt", text: str = TEXT) -> PaperResult:
    return PaperResult(
        paper_id=pid,
        source=source,
        format="text",
        text=text,
        meta=Meta(journal="J Test", year=2001),
        entities=[
            Cohort(start=19, end=27, text=text[19:27], n=42, label="patients"),
            PValue(start=39, end=47, text=text[39:47], operator="<", value=0.05),
        ],
        findings=[
            Finding(
                check="percent_recompute",
                status="consistent",
                message="ok",
                evidence=[{"start": 0, "end": 10}],
            )
        ],
    )


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ["papers", "documents", "entities", "findings", "ingest_errors"]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


SCHEMA_V1 = Path(__file__).parent / "fixtures" / "schema_v1.sql"


def primary_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'")
    return {t for (t,) in rows.fetchall()}


def test_schema_applies_twice_and_records_its_version(fresh_db) -> None:
    apply_schema(fresh_db)
    assert fresh_db.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall() == [(1,), (2,)]


def test_only_papers_are_keyed_among_a_papers_tables(fresh_db) -> None:
    # keys on the child tables made every commit and checkpoint rewrite their indexes (memory grew
    # with the warehouse); their rows are unique by construction, replaced whole per paper
    assert primary_keys(fresh_db) & set(PAPER_TABLES) == {"papers"}


def test_a_version_1_warehouse_is_migrated_with_its_rows(db_path) -> None:
    text = "é" * (2 * DOCUMENT_CHUNK_CHARS + 7)  # several chunks, characters of two bytes
    con = duckdb.connect(str(db_path))
    con.execute(SCHEMA_V1.read_text(encoding="utf-8"))
    rows = rows_for([(paper(text=text), "a" * 64), (paper("b" * 64, "y.txt", ""), "b" * 64)], "p", "r1")
    rows["documents"] = [{"paper_id": "a" * 64, "text": text}, {"paper_id": "b" * 64, "text": ""}]
    for table, table_rows in rows.items():
        if table_rows and table != "document_chunks":
            con.register("staged", arrow(table_rows))
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged")
            con.unregister("staged")
    before = counts(con)
    assert {"documents", "entities"} <= primary_keys(con)
    con.close()
    with Warehouse(db_path) as wh:
        assert counts(wh.con) == before
        assert primary_keys(wh.con) & set(PAPER_TABLES) == {"papers"}
        assert wh.con.execute("SELECT max(version) FROM schema_migrations").fetchone() == (2,)
        texts = dict(wh.con.execute("SELECT paper_id, text FROM documents").fetchall())
        assert texts == {"a" * 64: text, "b" * 64: ""}
        wh.load([(paper(text=text), "a" * 64)], [], pipeline="p", run_id="r2")  # replaced, not duplicated
        assert counts(wh.con) == before


def test_texts_are_stored_in_chunks_and_read_back_whole(db_path) -> None:
    text = "ab" * DOCUMENT_CHUNK_CHARS + "±"
    with Warehouse(db_path) as wh:
        wh.load(
            [(paper(text=text), "a" * 64), (paper("b" * 64, "y.txt", ""), "b" * 64)],
            [],
            pipeline="p",
            run_id="r",
        )
        assert wh.con.execute("SELECT count(*) FROM document_chunks").fetchone() == (4,)  # 3 + 1 empty
        assert dict(wh.con.execute("SELECT paper_id, text FROM documents").fetchall()) == {
            "a" * 64: text,
            "b" * 64: "",
        }


def test_text_chunks_cover_the_text_exactly() -> None:
    assert text_chunks("") == [""]
    assert text_chunks("abcdefg", 3) == ["abc", "def", "g"]
    assert "".join(text_chunks("x" * 10_001, 4000)) == "x" * 10_001


def test_rows_keep_provenance() -> None:
    rows = rows_for([(paper(), "a" * 64)], pipeline="p", run_id="r")
    ent = rows["entities"][0]
    assert (ent["start"], ent["end"], ent["span"], ent["n"]) == (19, 27, "(n = 42)", 42)
    assert rows["document_chunks"] == [{"paper_id": "a" * 64, "chunk": 0, "text": TEXT}]


def test_load_twice_is_idempotent(db_path) -> None:
    with Warehouse(db_path) as wh:
        wh.load([(paper(), "a" * 64)], [], pipeline="p", run_id="r1")
        first = counts(wh.con)
        wh.load([(paper(), "a" * 64)], [], pipeline="p", run_id="r2")
        assert (
            counts(wh.con)
            == first
            == {"papers": 1, "documents": 1, "entities": 2, "findings": 1, "ingest_errors": 0}
        )


def setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return con.execute("SELECT current_setting($name)", {"name": name}).fetchone()[0]


def test_a_load_larger_than_the_writers_memory_limit_spills_and_succeeds(db_path) -> None:
    """The writer's buffer pool is capped (checkpoint spikes); a load bigger than the cap must still work."""
    text = TEXT + " filler" * 400_000  # 2.8 MB of text per paper, 28 MB in all against a 16 MB cap
    papers = [(paper(pid=f"{i:064d}", source=f"p{i}.txt", text=text), f"{i:064d}") for i in range(10)]
    with Warehouse(db_path, memory_limit="16MB") as wh:
        assert setting(wh.con, "memory_limit") == "15.2 MiB"
        assert wh.load(papers, [], pipeline="p", run_id="r1") == 10
    with Warehouse(db_path, read_only=True) as wh:
        assert setting(wh.con, "memory_limit") != "15.2 MiB"  # readers keep DuckDB's default
        lengths = wh.con.execute("SELECT length(text) FROM documents").fetchall()
        assert lengths == [(len(text),)] * 10


def test_changed_file_replaces_its_paper(db_path) -> None:
    with Warehouse(db_path) as wh:
        wh.load([(paper("a" * 64), "a" * 64)], [], pipeline="p", run_id="r1")
        changed = paper("b" * 64, text=TEXT.replace("42", "43"))
        wh.load([(changed, "b" * 64)], [], pipeline="p", run_id="r2")
        assert wh.con.execute("SELECT paper_id FROM papers").fetchall() == [("b" * 64,)]
        assert (
            wh.con.execute("SELECT count(*) FROM entities WHERE paper_id = ?", ["a" * 64]).fetchone()[0] == 0
        )


def test_error_rows_are_replaced_and_cleared_by_success(db_path) -> None:
    err = IngestError(source="x.txt", sha256="c" * 64, stage="read", error_type="EmptyFile", message="empty")
    with Warehouse(db_path) as wh:
        wh.load([], [err], pipeline="p", run_id="r1")
        wh.load([], [err], pipeline="p", run_id="r2")
        assert counts(wh.con)["ingest_errors"] == 1
        wh.load([(paper(source="x.txt"), "a" * 64)], [], pipeline="p", run_id="r3")
        assert counts(wh.con)["ingest_errors"] == 0


def test_failed_load_rolls_back(db_path, monkeypatch) -> None:
    with Warehouse(db_path) as wh:
        wh.load([(paper(), "a" * 64)], [], pipeline="p", run_id="r1")
        before = counts(wh.con)
        bad = paper("d" * 64, source="y.txt")
        monkeypatch.setattr(
            "warehouse.store.sql",
            lambda name: "SELECT * FROM no_such_table" if name == "insert_by_name" else sql(name),
        )
        with pytest.raises(duckdb.Error):
            wh.load([(bad, "d" * 64)], [], pipeline="p", run_id="r2")
        assert counts(wh.con) == before


def test_user_sql_cannot_write(db_path) -> None:
    with Warehouse(db_path) as wh:
        wh.load([(paper(), "a" * 64)], [], pipeline="p", run_id="r1")
    cols, rows = run_readonly_sql(db_path, "SELECT count(*) AS n FROM papers")
    assert (cols, rows) == (["n"], [(1,)])
    for statement in (
        "DELETE FROM papers",
        "DROP TABLE papers",
        "CREATE TABLE t(x INT)",
        "INSERT INTO papers (paper_id) VALUES ('x')",
    ):
        with pytest.raises(QueryError):
            run_readonly_sql(db_path, statement)
    cols, rows = run_readonly_sql(db_path, "SELECT count(*) AS n FROM papers")
    assert rows == [(1,)]


def test_missing_warehouse_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(WarehouseBusy, match="no warehouse"):
        run_readonly_sql(tmp_path / "none.duckdb", "SELECT 1")


def test_second_writer_waits_then_fails_clearly(db_path) -> None:
    import subprocess
    import sys
    import time

    with Warehouse(db_path):
        pass
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import duckdb, time, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(20)"
            ),
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match="locked by another"):
            connect(db_path, lock_timeout=1.0)
        assert time.monotonic() - started >= 1.0
    finally:
        holder.kill()
        holder.wait()
