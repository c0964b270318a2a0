"""Review views over synthetic warehouse rows: doses in common units, outcomes with provenance and
audit flags, duplicates pooled once, and DerSimonian-Laird in SQL equal to pooling/ in Python."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from pooling import pool
from report.duplicates import refresh_links
from report.pool import pool_outcomes
from schemas import Cohort, Dose, Finding, Meta, Normalized, PaperResult, ResponseRate, Toxicity
from warehouse import Warehouse
from warehouse.views import apply_views, pool_input, pooled_dl, query_dicts

TEXT_A = (
    "Strontium-89 in bone pain. Forty patients received 89SrCl2 148 MBq intravenously. "
    "Pain relief occurred in 10 of 40 patients (25%). Grade 3 thrombocytopenia occurred in 4 patients (10%)."
)
TEXT_B = (
    "A series of 25 patients received 89SrCl2 4 mCi. No patient responded: 0 of 25 (0%). "
    "An earlier study reported 5 of 10 responses."
)
TEXT_C = (
    "Thirty patients received IL-2 720,000 IU/kg every 8 hours. Objective responses were seen in 12 of 30 "
    "patients (40%). Another arm received 7 GBq."
)
IDS = {"A": "a" * 64, "B": "b" * 64, "C": "c" * 64, "D": "d" * 64}


def span(text: str, needle: str) -> dict:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle), "text": needle}


def offsets(text: str, needle: str) -> dict:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle)}


def papers() -> list[PaperResult]:
    """Three studies (one with a zero-event arm, one with an audit failure) and A again as MEDLINE."""
    a = PaperResult(
        paper_id=IDS["A"],
        source="inbox/a_smith2001.txt",
        format="text",
        text=TEXT_A,
        meta=Meta(year=2001, journal="J Test"),
        entities=[
            Cohort(**span(TEXT_A, "Forty patients"), n=40, section="methods"),
            Dose(
                **span(TEXT_A, "89SrCl2 148 MBq"),
                agent="89SrCl2",
                value=148,
                unit="MBq",
                normalized=Normalized(value=148, unit="MBq"),
                route="iv",
            ),
            ResponseRate(
                **span(TEXT_A, "10 of 40 patients (25%)"),
                outcome="response",
                numerator=10,
                denominator=40,
                percent=25,
                section="results",
            ),
            Toxicity(
                **span(TEXT_A, "4 patients (10%)"), event="thrombocytopenia", grade="3", count=4, percent=10
            ),
        ],
    )
    b = PaperResult(
        paper_id=IDS["B"],
        source="inbox/b_jones2003.txt",
        format="text",
        text=TEXT_B,
        meta=Meta(year=2003),
        entities=[
            Cohort(**span(TEXT_B, "25 patients"), n=25),
            Dose(
                **span(TEXT_B, "89SrCl2 4 mCi"),
                agent="89SrCl2",
                value=4,
                unit="mCi",
                normalized=Normalized(value=4, unit="mCi"),
            ),
            ResponseRate(
                **span(TEXT_B, "0 of 25 (0%)"), outcome="response", numerator=0, denominator=25, percent=0
            ),
            ResponseRate(
                **span(TEXT_B, "5 of 10"), outcome="response", numerator=5, denominator=10, cited=True
            ),
        ],
        findings=[
            Finding(
                check="percent_recompute",
                status="inconsistent",
                severity="major",
                message="0 of 25 is not what the text says",
                evidence=[offsets(TEXT_B, "0 of 25")],
            )
        ],
    )
    c = PaperResult(
        paper_id=IDS["C"],
        source="inbox/c_lee2005.txt",
        format="text",
        text=TEXT_C,
        meta=Meta(year=2005),
        entities=[
            Cohort(**span(TEXT_C, "Thirty patients"), n=30),
            Dose(
                **span(TEXT_C, "IL-2 720,000 IU/kg every 8 hours"),
                agent="IL-2",
                value=720000,
                unit="IU/kg",
                schedule="every 8 hours",
                normalized=Normalized(value=720000, unit="IU/kg per dose"),
            ),
            Dose(
                **span(TEXT_C, "7 GBq"),
                value=7,
                unit="GBq",
                schedule="3 administrations",
                normalized=Normalized(value=7, unit="GBq per administration"),
            ),
            ResponseRate(
                **span(TEXT_C, "12 of 30 patients (40%)"),
                outcome="objective response",
                numerator=12,
                percent=40,
            ),
        ],
    )
    medline_text = "Strontium-89 in bone pain.\n\nPain relief occurred in 10 of 40 patients (25%)."
    d = PaperResult(
        paper_id=IDS["D"],
        source="inbox/pubmed_123.medline",
        format="medline",
        text=medline_text,
        meta=Meta(year=2001, title="Strontium-89 in bone pain", pmid="123"),
        entities=[
            Cohort(**span(medline_text, "40 patients"), n=40),
            ResponseRate(
                **span(medline_text, "10 of 40 patients (25%)"),
                outcome="response",
                numerator=10,
                denominator=40,
                percent=25,
            ),
        ],
    )
    return [a, b, c, d]


def load(db: Path, results: list[PaperResult] | None = None) -> Path:
    with Warehouse(db) as wh:
        wh.load([(r, r.paper_id) for r in (results or papers())], [], pipeline="p", run_id="r")
    return db


@pytest.fixture(scope="module")
def review_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One loaded warehouse for the tests that only read (pooled_results writes replace by request)."""
    return load(tmp_path_factory.mktemp("review") / "evidence.duckdb")


def test_views_apply_twice(review_db: Path) -> None:
    with Warehouse(review_db) as wh:
        apply_views(wh.con)
        apply_views(wh.con)
        names = {
            r[0] for r in wh.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
    assert {"outcomes", "doses_normalized", "entity_flags"} <= names


def test_doses_in_common_units_with_daily_equivalents(review_db: Path) -> None:
    with Warehouse(review_db) as wh:
        apply_views(wh.con)
        rows = {
            r[0]: r[1:]
            for r in wh.con.execute(
                "SELECT span, common_value, common_unit, daily_value FROM doses_normalized"
            ).fetchall()
        }
    assert rows["89SrCl2 4 mCi"] == (148.0, "MBq", None)  # 4 mCi = 148 MBq: groups with paper A
    assert rows["89SrCl2 148 MBq"] == (148.0, "MBq", None)
    assert rows["7 GBq"] == (7000.0, "MBq per administration", None)
    assert rows["IL-2 720,000 IU/kg every 8 hours"] == (720000.0, "IU/kg per dose", 2160000.0)


def test_outcomes_one_row_per_paper_arm_outcome_with_provenance(review_db: Path) -> None:
    with Warehouse(review_db) as wh:
        apply_views(wh.con)
        rows = query_dicts(wh.con, "export_revman")  # reads `outcomes`
        out = wh.con.execute(
            "SELECT o.paper_id, o.outcome_kind, o.outcome, o.events, o.total, o.total_source, o.agent, o.dose_value, "
            "o.dose_unit, o.flags, o.span, substr(d.text, o.start + 1, o.end - o.start) FROM outcomes o "
            "JOIN documents d USING (paper_id) ORDER BY o.paper_id, o.outcome_kind, o.outcome"
        ).fetchall()
    by_paper = {(r[0][0], r[1]): r for r in out}
    assert len(out) == 5  # cited "5 of 10" is not an outcome of paper B
    a_tox = by_paper[("a", "toxicity")]
    assert a_tox[2:6] == ("thrombocytopenia grade 3", 4, 40, "from percent")
    b_resp = by_paper[("b", "response_rate")]
    assert b_resp[3:5] == (0, 25) and b_resp[6:9] == ("89SrCl2", 148.0, "MBq")
    assert b_resp[9] == ["percent_recompute"]  # the audit flag follows the number
    c_resp = by_paper[("c", "response_rate")]
    assert c_resp[3:6] == (12, 30, "from percent") and c_resp[6] == "IL-2"
    assert all(r[10] == r[11] for r in out)  # the span is the text at its offsets
    assert {r["study"] for r in rows} >= {"a_smith2001 (2001)", "pubmed_123 (2001)"}


def test_duplicate_study_is_pooled_once_from_its_full_text(review_db: Path) -> None:
    run = pool_outcomes(review_db, {"method": "DL"}, plots=False)
    (group,) = run.groups
    assert sorted(r["paper_id"][0] for r in group.rows) == ["a", "b", "c"]
    assert group.pooled.k == 3


@pytest.mark.parametrize("transform", ["PLO", "PFT", "PAS", "PLN", "PR"])
def test_sql_dl_equals_python_dl(review_db: Path, transform: str) -> None:
    with Warehouse(review_db) as wh:
        apply_views(wh.con)
        rows = pool_input(wh.con, "response_rate", None, "none")
        sql = {r["method"]: r for r in pooled_dl(wh.con, "response_rate", transform, "none", None)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in ("EE", "DL"):
            py = pool(
                [r["events"] for r in rows],
                [r["total"] for r in rows],
                {"transform": transform, "method": method},
            )
            got = sql[method]
            for key in ("estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "i2", "h2", "q", "se"):
                assert got[key] == pytest.approx(getattr(py, key), abs=1e-9), (method, key)
            assert got["estimate_t"] == pytest.approx(py.estimate_t, abs=1e-9)


def test_grouping_by_agent_and_agent_filter(review_db: Path) -> None:
    with Warehouse(review_db) as wh:
        refresh_links(wh)  # without links the MEDLINE copy of A would count as a third study
        groups = {
            r["grp"]: r["k"]
            for r in pooled_dl(wh.con, "response_rate", "PLO", "agent", None)
            if r["method"] == "DL"
        }
        only = pooled_dl(wh.con, "response_rate", "PLO", "none", "89srcl2")
    assert groups == {"89SrCl2": 2, "IL-2": 1}
    assert only[0]["k"] == 2


def test_pool_stores_reml_and_writes_forest_plots(db_path: Path, tmp_path: Path) -> None:
    review_db = load(db_path)
    run = pool_outcomes(review_db, {"method": "REML", "out_dir": tmp_path / "plots"})
    assert sorted(p.suffix for p in run.plots) == [".png", ".svg"]
    assert run.plots[0].read_bytes()[:4] == b"\x89PNG"
    svg = run.plots[1].read_text(encoding="utf-8")
    assert "pooled-diamond" in svg and "percent_recompute" in svg and "I²" in svg
    with Warehouse(review_db, read_only=True) as wh:
        stored = wh.con.execute("SELECT method, k, estimate, tau2, studies FROM pooled_results").fetchall()
    assert len(stored) == 1 and stored[0][:2] == ("REML", 3)
    assert stored[0][2] == pytest.approx(run.groups[0].pooled.estimate)
    studies = json.loads(stored[0][4])
    assert {s["span"] for s in studies} == {
        "10 of 40 patients (25%)",
        "0 of 25 (0%)",
        "12 of 30 patients (40%)",
    }
    # asking again replaces, never duplicates
    pool_outcomes(review_db, {"method": "REML"}, plots=False)
    with Warehouse(review_db, read_only=True) as wh:
        assert wh.con.execute("SELECT count(*) FROM pooled_results").fetchone()[0] == 1


def test_cli_pool_prints_the_table(review_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["pool", "--db", str(review_db), "--method", "DL", "--out", str(tmp_path), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()[:2]
    assert header.startswith("group,k,events/N") and row.startswith("all,3,22/95,DL PLO,")
    assert re.search(r"0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]", row)
    bad = CliRunner().invoke(app, ["pool", "--db", str(review_db), "--by", "colour"])
    assert bad.exit_code == 1 and "by must be one of" in bad.output
    none = CliRunner().invoke(app, ["pool", "--db", str(review_db), "--outcome", "survival"])
    assert none.exit_code == 1 and "no study reports" in none.output
    missing = tmp_path / "typo.duckdb"
    absent = CliRunner().invoke(app, ["pool", "--db", str(missing)])
    assert absent.exit_code == 1 and "no warehouse" in absent.output and not missing.exists()


def test_arms_of_one_study_are_not_pooled_as_separate_studies(db_path: Path) -> None:
    text = "Of 60 patients, fever occurred in 6 patients overall, in 2 of 20 (10%) in arm A, 4 of 40 (10%) in arm B."
    tox = [  # an arm's N comes from its percent; without one it would be the whole cohort's
        Toxicity(**span(text, needle), event="fever", count=count, percent=pct, group=group)
        for needle, count, pct, group in (
            ("6 patients overall", 6, None, None),
            ("2 of 20 (10%)", 2, 10, "arm A"),
            ("4 of 40 (10%)", 4, 10, "arm B"),
        )
    ]
    whole = PaperResult(
        paper_id="e" * 64,
        source="e.txt",
        format="text",
        text=text,
        meta=Meta(year=2010),
        entities=[Cohort(**span(text, "60 patients"), n=60), *tox],
    )
    arms_only = whole.model_copy(
        update={
            "paper_id": "f" * 64,
            "source": "f.txt",
            "meta": Meta(year=2012),
            "entities": [whole.entities[0], *tox[1:]],
        }
    )
    load(db_path, [whole, arms_only])
    with Warehouse(db_path) as wh:
        apply_views(wh.con)
        rows = pool_input(wh.con, "fever", None, "none")
        arms = wh.con.execute("SELECT count(*) FROM outcomes WHERE outcome = 'fever'").fetchone()[0]
    assert arms == 5  # every arm stays in `outcomes` (and the exports)
    assert sorted((r["paper_id"][0], r["arm"], r["events"]) for r in rows) == [
        ("e", "all", 6),
        ("f", "arm B", 4),
    ]


def test_a_study_is_pooled_on_the_outcome_its_abstract_reports(db_path: Path) -> None:
    text = (
        "Abstract: therapy was beneficial in 14 of 19 patients (74%). "
        "Results: a marker response occurred in 4 of 19 patients (21%)."
    )
    paper = PaperResult(
        paper_id="g" * 64,
        source="g.txt",
        format="text",
        text=text,
        meta=Meta(year=2004),
        entities=[
            ResponseRate(**span(text, "14 of 19 patients (74%)"), outcome="benefit", numerator=14,
                         denominator=19, percent=74, section="abstract"),
            ResponseRate(**span(text, "4 of 19 patients (21%)"), outcome="response", numerator=4,
                         denominator=19, percent=21, section="results"),
        ],
    )  # fmt: skip
    load(db_path, [paper])
    with Warehouse(db_path) as wh:
        apply_views(wh.con)
        [row] = pool_input(wh.con, "response_rate", None, "none")
    # the headline benefit, not the first 'response' a later section mentions
    assert (row["outcome"], row["events"], row["total"]) == ("benefit", 14, 19)
