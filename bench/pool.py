"""Seconds to pool proportions in SQL (`pooled_proportions`: EE + DerSimonian-Laird) over 100,000
synthetic outcome rows, and the Python step (REML) over the same studies for comparison.

The warehouse gets N_PAPERS synthetic papers, each with one dose (one of N_AGENTS agents), one cohort
and OUTCOMES_PER_PAPER response rates, so `outcomes` holds N_PAPERS * OUTCOMES_PER_PAPER rows.

    python bench/pool.py                  # 20,000 papers x 5 outcomes = 100,000 outcome rows
    python bench/pool.py --papers 2000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import timed  # noqa: E402
from report.pool import fit_groups  # noqa: E402
from report.settings import PoolRequest  # noqa: E402
from warehouse import Warehouse, sql  # noqa: E402
from warehouse.views import apply_views, pool_input, pooled_dl  # noqa: E402

OUTCOMES = ("response", "objective response", "complete response", "stable disease", "pain relief")


def synthetic_tables(n_papers: int, per_paper: int, n_agents: int, seed: int = 7) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    ids = [f"{i:064x}" for i in range(n_papers)]
    agents = [f"agent-{a}" for a in rng.integers(0, n_agents, n_papers)]
    true_p = rng.beta(2, 5, n_papers)
    totals = rng.integers(10, 200, (n_papers, per_paper))
    events = rng.binomial(totals, np.repeat(true_p[:, None], per_paper, axis=1))
    papers = pa.table(
        {
            "paper_id": ids,
            "sha256": ids,
            "source": [f"synthetic/{i}.txt" for i in range(n_papers)],
            "format": ["text"] * n_papers,
            "year": rng.integers(1990, 2025, n_papers).tolist(),
            "pipeline": ["bench"] * n_papers,
        }
    )
    documents = pa.table(
        {
            "paper_id": ids,
            "text": [("A randomized trial. " if i % 3 == 0 else "A series. ") * 3 for i in range(n_papers)],
        }
    )
    rows: dict[str, list] = {
        k: []
        for k in (
            "paper_id",
            "entity_idx",
            "kind",
            "start",
            "end",
            "span",
            "cited",
            "uncertain",
            "n",
            "agent",
            "value",
            "unit",
            "norm_value",
            "norm_unit",
            "outcome",
            "numerator",
            "denominator",
            "percent",
            "record",
        )
    }

    def add(pid: str, idx: int, kind: str, **cols: object) -> None:
        for key in rows:
            rows[key].append(cols.get(key))
        rows["paper_id"][-1], rows["entity_idx"][-1], rows["kind"][-1] = pid, idx, kind
        rows["start"][-1], rows["end"][-1], rows["span"][-1] = idx * 10, idx * 10 + 5, "span"
        rows["cited"][-1] = rows["uncertain"][-1] = False
        rows["record"][-1] = json.dumps({"kind": kind})

    for i, pid in enumerate(ids):
        add(pid, 0, "cohort", n=int(totals[i, 0]))
        add(pid, 1, "dose", agent=agents[i], value=148.0, unit="MBq", norm_value=148.0, norm_unit="MBq")
        for j in range(per_paper):
            add(
                pid,
                2 + j,
                "response_rate",
                outcome=OUTCOMES[j % len(OUTCOMES)],
                numerator=int(events[i, j]),
                denominator=int(totals[i, j]),
                percent=round(100 * events[i, j] / totals[i, j], 1),
            )
    schema = {
        "n": pa.int32(),
        "numerator": pa.int32(),
        "denominator": pa.int32(),
        "value": pa.float64(),
        "norm_value": pa.float64(),
        "percent": pa.float64(),
    }
    entities = pa.table({k: pa.array(v, type=schema.get(k)) for k, v in rows.items()})
    return {"papers": papers, "documents": documents, "entities": entities}


def build(db: Path, n_papers: int, per_paper: int, n_agents: int) -> None:
    with Warehouse(db) as wh:
        for table, data in synthetic_tables(n_papers, per_paper, n_agents).items():
            wh.con.register(f"staged_{table}", data)
            wh.con.execute(sql("insert_by_name").format(table=table, staged=f"staged_{table}"))
            wh.con.unregister(f"staged_{table}")
        apply_views(wh.con)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=20_000)
    ap.add_argument("--outcomes-per-paper", type=int, default=5)
    ap.add_argument("--agents", type=int, default=20)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    db = Path(tempfile.mkdtemp(prefix="bench-pool-")) / "evidence.duckdb"
    t0 = time.perf_counter()
    build(db, args.papers, args.outcomes_per_paper, args.agents)
    print(f"built {db} in {time.perf_counter() - t0:.1f} s")
    with Warehouse(db) as wh:
        n_rows = wh.con.execute("SELECT count(*) FROM outcomes").fetchone()[0]
        cases = {
            "SQL pooled_proportions, by agent (one outcome per study)": lambda: pooled_dl(
                wh.con, "response_rate", "PLO", "agent", None
            ),
            "SQL pooled_proportions, by outcome (every outcome row)": lambda: pooled_dl(
                wh.con, "response_rate", "PLO", "outcome", None
            ),
            "SQL pooled_proportions, PFT, all studies": lambda: pooled_dl(
                wh.con, "response_rate", "PFT", "none", None
            ),
            "Python REML (pool_input + pooling/), by agent": lambda: fit_groups(
                pool_input(wh.con, "response_rate", None, "agent"), PoolRequest(by="agent", method="REML")
            ),
        }
        print(
            f"{n_rows:,} outcome rows, {args.papers:,} studies, {args.agents} agents; median of {args.runs} runs"
        )
        print("| query | median s | min s | groups |\n|---|---:|---:|---:|")
        for name, fn in cases.items():
            median, times, result = timed(fn, args.runs)
            print(f"| {name} | {median:.3f} | {min(times):.3f} | {len(result)} |")


if __name__ == "__main__":
    main()
