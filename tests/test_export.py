"""Exports: one row per entity with provenance in CSV, Parquet and JSON, each reading back into DuckDB
as the same rows; and the RevMan-style CSV of outcomes per study and arm."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from report.export import export_warehouse
from tests.test_views import load
from warehouse import Warehouse
from warehouse.views import apply_views, view_sql


@pytest.fixture(scope="module")
def export_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load(tmp_path_factory.mktemp("export") / "evidence.duckdb")


def expected(db: Path) -> tuple[list[str], list[str], list[tuple]]:
    """Columns, DuckDB types and rows of the export query, straight from the warehouse."""
    with Warehouse(db) as wh:
        apply_views(wh.con)
        cur = wh.con.execute(view_sql("export_entities"))
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
        types = [r[1] for r in wh.con.execute(f"DESCRIBE {view_sql('export_entities')}").fetchall()]
    return cols, types, rows


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_round_trips_through_duckdb(export_db: Path, tmp_path: Path, fmt: str) -> None:
    cols, types, rows = expected(export_db)
    paths = export_warehouse(export_db, fmt, tmp_path)
    assert [p.name for p in paths] == [f"entities.{fmt}", "outcomes_revman.csv"]
    con = duckdb.connect()
    path = str(paths[0])
    if fmt == "csv":  # the column types travel beside a CSV, as a reviewer would declare them
        columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in zip(cols, types, strict=True)) + "}"
        back = con.execute(f"SELECT * FROM read_csv(?, header = true, columns = {columns})", [path])
    elif fmt == "parquet":
        back = con.execute("SELECT * FROM read_parquet(?)", [path])
    else:
        casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in zip(cols, types, strict=True))
        back = con.execute(f"SELECT {casts} FROM read_json(?, format = 'array')", [path])
    assert [d[0] for d in back.description] == cols
    assert back.fetchall() == rows
    assert len(rows) == 14  # every entity of the four papers, cited ones included


def test_every_exported_entity_carries_its_provenance(export_db: Path, tmp_path: Path) -> None:
    (path, _) = export_warehouse(export_db, "json", tmp_path)
    rows = json.loads(path.read_text(encoding="utf-8"))
    with Warehouse(export_db, read_only=True) as wh:
        texts = dict(wh.con.execute("SELECT paper_id, text FROM documents").fetchall())
    for r in rows:
        assert r["source"].startswith("inbox/") and r["paper_id"] and r["kind"]
        assert texts[r["paper_id"]][r["start"] : r["end"]] == r["span"]
        assert json.loads(r["record"])["kind"] == r["kind"]


def test_revman_csv_has_one_row_per_study_arm_and_outcome(export_db: Path, tmp_path: Path) -> None:
    (_, revman) = export_warehouse(export_db, "csv", tmp_path)
    with revman.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:11] == [
        "study",
        "study_id",
        "paper_id",
        "group",
        "outcome_type",
        "outcome",
        "events",
        "total",
        "mean",
        "sd",
        "n",
    ]
    dich = {
        (r["study"], r["group"], r["outcome"]): (r["events"], r["total"])
        for r in rows
        if r["outcome_type"] == "response_rate"
    }
    assert dich[("b_jones2003 (2003)", "all", "response")] == ("0", "25")
    assert dich[("c_lee2005 (2005)", "all", "objective response")] == ("12", "30")
    # the MEDLINE copy of study A is exported under A's study id
    ids = {r["study"]: r["study_id"] for r in rows}
    assert ids["pubmed_123 (2001)"] == ids["a_smith2001 (2001)"] == "a" * 64


def test_cli_export(export_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--db", str(export_db), "--format", "parquet", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "entities.parquet").exists() and "outcomes_revman.csv" in result.stdout
    bad = CliRunner().invoke(
        app, ["export", "--db", str(export_db), "--format", "xlsx", "--out", str(tmp_path)]
    )
    assert bad.exit_code == 1 and "format must be one of" in bad.output
