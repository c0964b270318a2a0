"""`evidence extract` emits the contract JSON (schema version 1) with valid provenance."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.pipeline import extract_file
from schemas import ENTITY_KINDS, ExtractOutput
from tests.conftest import SEEDS

CONTRACT_KEYS = {
    "cohort": {"label", "n", "n_high"},
    "dose": {"agent", "value", "value_high", "unit", "normalized", "route", "schedule", "diagnostic"},
    "response_rate": {"outcome", "numerator", "denominator", "percent"},
    "toxicity": {"event", "grade", "count", "percent", "group"},
    "mtd": {"agent", "value", "unit", "normalized", "dose_limiting"},
    "p_value": {"operator", "value", "comparison"},
    "statistic": {"test", "value", "df", "ci"},
    "summary_stat": {"variable", "group", "mean", "sd", "n"},
}


@pytest.fixture(scope="module")
def outputs(nlp) -> dict[str, dict]:
    return {p.name: json.loads(extract_file(p, nlp).model_dump_json()) for p in SEEDS}


def test_schema_covers_contract_kinds() -> None:
    assert set(ENTITY_KINDS) == set(CONTRACT_KEYS)


@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_extract_json_validates_and_keeps_text_verbatim(outputs, seed) -> None:
    out = outputs[seed]
    ExtractOutput.model_validate(out)  # round-trips through the pydantic schema
    assert out["schema_version"] == 1
    paper = out["papers"][0]
    raw = next(p for p in SEEDS if p.name == seed).read_text(encoding="utf-8")
    assert paper["text"] == raw
    assert set(paper) >= {"source", "text", "meta", "entities", "tables", "findings"}
    assert set(paper["meta"]) >= {"title", "journal", "year", "pmid", "doi"}


def test_every_entity_has_contract_keys_and_a_valid_span(outputs) -> None:
    n = 0
    for out in outputs.values():
        paper = out["papers"][0]
        for e in paper["entities"]:
            n += 1
            assert {"kind", "start", "end", "text", "section"} <= set(e)
            assert CONTRACT_KEYS[e["kind"]] <= set(e)
            assert paper["text"][e["start"] : e["end"]] == e["text"]
        for f in paper["findings"]:
            assert {"check", "status", "message", "expected", "reported", "evidence"} <= set(f)
            assert f["status"] in ("consistent", "inconsistent", "unverifiable")
            for ev in f["evidence"]:
                assert 0 <= ev["start"] < ev["end"] <= len(paper["text"])
    assert n > 0


def test_cli_extract_prints_contract_json() -> None:
    result = CliRunner().invoke(app, ["extract", str(SEEDS[1]), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and len(data["papers"]) == 1


def test_cli_extract_reports_unreadable_file(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(app, ["extract", str(empty)])
    assert result.exit_code == 1
    assert "empty" in result.output
