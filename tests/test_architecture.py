"""One direction of flow: flows -> extractors/audit/warehouse -> schemas; prefect and duckdb stay in their place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("schemas", "extractors", "audit", "warehouse", "pooling", "report", "flows")
ALLOWED = {  # package -> local packages it may import
    "schemas": {"schemas"},
    "extractors": {"schemas", "extractors"},
    "audit": {"schemas", "audit"},
    "warehouse": {"schemas", "warehouse"},
    "pooling": {"schemas", "pooling"},
    "report": {"schemas", "pooling", "warehouse", "report"},
    "flows": set(PACKAGES),
}
THIRD_PARTY_HOME = {"prefect": {"flows"}, "duckdb": {"warehouse"}, "matplotlib": {"report"}}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_flow_one_way(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        found = imports_of(path)
        local = found & set(PACKAGES)
        assert local <= ALLOWED[package], (
            f"{path.relative_to(ROOT)} imports {sorted(local - ALLOWED[package])}"
        )
        for lib, homes in THIRD_PARTY_HOME.items():
            assert lib not in found or package in homes, f"{path.relative_to(ROOT)} imports {lib}"


def test_sql_lives_in_sql_files() -> None:
    for path in (ROOT / "warehouse").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for keyword in ("CREATE TABLE", "DELETE FROM", "INSERT INTO", "SELECT count"):
            assert keyword not in text, f"{path.relative_to(ROOT)} has inline SQL ({keyword})"
