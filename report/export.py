"""`evidence export`: one row per entity with its provenance (CSV, Parquet or JSON), and a
RevMan-style CSV of outcomes per study and arm."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from report.db import open_warehouse
from report.duplicates import refresh_links
from report.settings import DEFAULT_EXPORT_DIR, EXPORT_FORMATS
from warehouse.views import apply_views, query_arrow

ENTITIES_STEM = "entities"
REVMAN_FILE = "outcomes_revman.csv"


def write_table(table: pa.Table, path: Path, fmt: str) -> Path:
    if fmt == "csv":
        pa_csv.write_csv(table, path)
    elif fmt == "parquet":
        pq.write_table(table, path)
    else:  # one JSON array of objects: what a reviewer's script or spreadsheet import expects
        path.write_text(
            json.dumps(table.to_pylist(), default=str, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return path


def export_warehouse(
    db: str | Path,
    fmt: str = "csv",
    out_dir: str | Path = DEFAULT_EXPORT_DIR,
    options: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write `entities.<fmt>` and `outcomes_revman.csv` into `out_dir`; returns the paths written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open_warehouse(db) as wh:
        apply_views(wh.con)
        refresh_links(wh)
        entities = query_arrow(wh.con, "export_entities")
        revman = query_arrow(wh.con, "export_revman")
    return [
        write_table(entities, out / f"{ENTITIES_STEM}.{fmt}", fmt),
        write_table(revman, out / REVMAN_FILE, "csv"),
    ]
