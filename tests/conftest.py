"""Shared fixtures: an in-memory warehouse, paths to the corpus and shared material, the nlp."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEEDS = sorted(CORPUS.glob("*.txt"))

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture
def fresh_db() -> duckdb.DuckDBPyConnection:
    from warehouse import apply_schema

    con = duckdb.connect(":memory:")
    apply_schema(con)
    yield con
    con.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "evidence.duckdb"


@pytest.fixture(scope="session")
def nlp():
    from extractors.entities import build_nlp

    return build_nlp()


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip when this checkout has none."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (shared material not laid beside the project)")
    return path
