"""Scale: ingest Evidence Inference full texts with the default settings on this machine.

Reports papers/second (median of --runs), peak RSS of the ingest process tree, the DuckDB file
size, the time split by stage (read, repair, sections/tables, entities, audit, load, and the
Prefect/orchestration remainder), and peak RSS at growing corpus sizes (memory must stay flat).
A second run over the same corpus and warehouse shows the cache (unchanged files are skipped).

    python bench/scale.py --sizes 500,1000,2000,4470 --runs 1
    python bench/scale.py --sizes 200 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, unpack_evidence_inference  # noqa: E402

CHILD = """
import json, resource, sys, time
from flows.settings import configure_prefect_env
configure_prefect_env()
from flows.ingest import run_ingest
t0 = time.perf_counter()
s = run_ingest([sys.argv[1]], sys.argv[2])
wall = time.perf_counter() - t0
peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "written": s.papers_written, "skipped": s.papers_skipped,
                  "errors": len(s.errors), "stages": s.stage_seconds,
                  "peak_rss_mb": max(peak_self, peak_children), "flow_rss_mb": peak_self}))
"""


def run_child(folder: Path, db: Path, results: Path) -> dict:
    """One ingest in a fresh process. `results`: Prefect's result storage, where the batch cache lives;
    a timed run needs an empty one, or a second run of the same folder only reads the cache back."""
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOCAL_STORAGE_PATH": str(results),
    }
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="500,1000,2000,4470")
    ap.add_argument("--runs", type=int, default=1, help="runs at the largest size (median reported)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    files = unpack_evidence_inference(max(sizes), work / "all")
    rows = []
    for size in sizes:
        folder = work / f"n{size}"
        folder.mkdir()
        for f in files[:size]:
            os.link(f, folder / f.name)
        runs = args.runs if size == max(sizes) else 1
        results = []
        for i in range(runs):
            db = work / f"n{size}.duckdb"
            db.unlink(missing_ok=True)
            store = work / f"results-n{size}-{i}"
            results.append(run_child(folder, db, store))
        first = sorted(results, key=lambda r: r["wall"])[len(results) // 2]
        t0 = time.perf_counter()
        rerun = run_child(folder, db, store)  # the last run's warehouse and cache: nothing is redone
        rows.append(
            {
                "papers": size,
                "wall_s": statistics.median(r["wall"] for r in results),
                "papers_per_s": size / statistics.median(r["wall"] for r in results),
                "peak_rss_mb": first["peak_rss_mb"],
                "flow_rss_mb": first["flow_rss_mb"],
                # checkpoint spikes are sporadic: the worst run's peak, not only the median run's
                "flow_rss_max_mb": max(r["flow_rss_mb"] for r in results),
                "db_mb": db.stat().st_size / 2**20,
                "errors": first["errors"],
                "rerun_s": rerun["wall"],
                "rerun_share": rerun["wall"] / first["wall"],
                "stages": first["stages"],
                "rerun_total_s": time.perf_counter() - t0,
            }
        )
    print(
        "| papers | wall s | papers/s | peak RSS MB (largest process) | peak RSS MB (flow process) | DuckDB MB | errors | "
        "flow peak MB, worst run | unchanged re-run s | re-run / first |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['papers']} | {r['wall_s']:.1f} | {r['papers_per_s']:.1f} | {r['peak_rss_mb']:.0f} | "
            f"{r['flow_rss_mb']:.0f} | {r['db_mb']:.1f} | {r['errors']} | {r['flow_rss_max_mb']:.0f} | {r['rerun_s']:.1f} | "
            f"{r['rerun_share']:.0%} |"
        )
    big = rows[-1]
    cpu = sum(big["stages"].values())
    print(
        f"\nStage split at {big['papers']} papers (seconds summed over worker processes; load in the flow):"
    )
    print("| stage | seconds | share |")
    print("|---|---|---|")
    for stage, secs in sorted(big["stages"].items(), key=lambda kv: -kv[1]):
        print(f"| {stage} | {secs:.1f} | {secs / cpu:.0%} |")
    print(
        f"(wall {big['wall_s']:.1f} s on {os.cpu_count()} cores; the difference between wall × cores and the "
        "summed stages is orchestration: Prefect server start, task runs, process start-up, waiting)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
