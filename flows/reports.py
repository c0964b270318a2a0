"""Read-side helpers behind `evidence papers` and `evidence audit`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.render import quote
from warehouse import Warehouse


def list_papers(db: str | Path) -> tuple[list[str], list[tuple]]:
    with Warehouse(db, read_only=True, lock_timeout=5) as wh:
        return wh.query("list_papers")


def list_findings(db: str | Path, paper: str | None) -> list[tuple[Any, ...]]:
    """(check, status, severity, message, quoted evidence) per finding."""
    with Warehouse(db, read_only=True, lock_timeout=5) as wh:
        _, rows = wh.query("list_findings", {"paper": paper})
    return [
        (f"{Path(src).name}: {check}", status, severity, message, quote(text, evidence))
        for src, check, status, severity, message, evidence, text, _ in rows
    ]
