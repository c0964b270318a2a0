"""Opening the warehouse for the review side: an existing file only (a typo must not create one)."""

from __future__ import annotations

from pathlib import Path

from schemas import WarehouseBusy
from warehouse import Warehouse


def open_warehouse(db: str | Path) -> Warehouse:
    """A writable connection (the review views and result tables are created on it)."""
    if not Path(db).exists():
        raise WarehouseBusy(f"no warehouse at {db}: run `evidence ingest` first")
    return Warehouse(db)
