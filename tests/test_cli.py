"""The CLI is a thin, documented skin: every command has help text, an example and a README entry."""

from __future__ import annotations

import json

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from flows.cli import app
from schemas import Meta, PaperResult, PValue
from tests.conftest import ROOT
from warehouse import Warehouse

runner = CliRunner()
COMMANDS = sorted(get_command(app).commands)


def test_expected_commands_exist() -> None:
    assert {"ingest", "extract", "sql", "papers", "audit"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_example_and_readme_entry(name: str) -> None:
    command = get_command(app).commands[name]
    assert command.help and "Example: evidence " + name in command.help
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"evidence {name}" in readme, f"README has no entry for `evidence {name}`"


@pytest.fixture
def loaded_db(db_path):
    text = "Responders differed (P = 0.519)."
    result = PaperResult(
        paper_id="f" * 64,
        source="p.txt",
        format="text",
        text=text,
        meta=Meta(year=2000),
        entities=[PValue(start=21, end=30, text=text[21:30], operator="=", value=0.519)],
        findings=[
            {
                "check": "narrative_vs_table",
                "status": "inconsistent",
                "severity": "major",
                "message": "Table 5 gives P = 0.345; the text gives P = 0.519.",
                "evidence": [{"start": 21, "end": 30}],
            }
        ],
    )
    with Warehouse(db_path) as wh:
        wh.load([(result, "f" * 64)], [], pipeline="p", run_id="r")
    return db_path


def test_sql_reads_in_three_formats(loaded_db) -> None:
    q = "SELECT kind, value FROM entities"
    table = runner.invoke(app, ["sql", q, "--db", str(loaded_db)])
    assert table.exit_code == 0 and "p_value" in table.stdout
    csv_out = runner.invoke(app, ["sql", q, "--db", str(loaded_db), "--csv"])
    assert csv_out.stdout.splitlines()[:2] == ["kind,value", "p_value,0.519"]
    js = runner.invoke(app, ["sql", q, "--db", str(loaded_db), "--json"])
    assert json.loads(js.stdout) == [{"kind": "p_value", "value": 0.519}]


def test_sql_refuses_to_write(loaded_db) -> None:
    result = runner.invoke(app, ["sql", "DELETE FROM entities", "--db", str(loaded_db)])
    assert result.exit_code == 1
    assert "read-only" in result.output
    with Warehouse(loaded_db, read_only=True) as wh:
        assert wh.con.execute("SELECT count(*) FROM entities").fetchone()[0] == 1


def test_papers_and_audit_list_what_was_loaded(loaded_db) -> None:
    papers = runner.invoke(app, ["papers", "--db", str(loaded_db), "--format", "csv"])
    assert papers.exit_code == 0 and "p.txt" in papers.stdout
    audit = runner.invoke(app, ["audit", "p.txt", "--db", str(loaded_db), "--format", "json"])
    assert audit.exit_code == 0
    rows = json.loads(audit.stdout)
    assert rows[0]["status"] == "inconsistent" and "P = 0.519" in rows[0]["evidence"]
