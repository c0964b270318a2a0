"""Papers/second of ingest with and without the Prefect flow, and the flow's overhead.

The same per-paper functions (flows.pipeline.process_file_safe) run over the same files twice:
plain (a process pool of --workers + one bulk load per batch), and through `ingest_corpus`
(Prefect tasks, a fresh warehouse each run, the temporary Prefect server started per process).

    python bench/ingest.py                 # corpus/ and 1,000 Evidence Inference full texts
    python bench/ingest.py --n 200 --runs 1
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import CORPUS, timed, unpack_evidence_inference  # noqa: E402
from flows.settings import configure_prefect_env  # noqa: E402

configure_prefect_env()

from flows.discover import discover_files  # noqa: E402
from flows.ingest import batches, run_ingest  # noqa: E402
from flows.pipeline import pipeline_fingerprint, process_file_safe  # noqa: E402
from flows.settings import IngestSettings  # noqa: E402
from warehouse import Warehouse  # noqa: E402


def plain_ingest(files: list[Path], db: Path, workers: int, batch_size: int) -> int:
    fingerprint = pipeline_fingerprint()
    written = 0
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool, Warehouse(db) as wh:
        for batch in batches(files, batch_size):
            outcomes = list(pool.map(process_file_safe, batch))
            results = [(r, o.sha256) for o in outcomes for r in o.results]
            written += wh.load(
                results, [e for o in outcomes for e in o.errors], pipeline=fingerprint, run_id="bench"
            )
    return written


def measure(name: str, files: list[Path], runs: int, workers: int, batch_size: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))

    def fresh(label: str) -> Path:
        db = tmp / f"{label}.duckdb"
        db.unlink(missing_ok=True)
        return db

    plain_s, _, n = timed(lambda: plain_ingest(files, fresh("plain"), workers, batch_size), runs)
    settings = IngestSettings(workers=workers, batch_size=batch_size)
    flow_s, _, summary = timed(lambda: run_ingest(files, fresh("flow"), settings), runs)
    cached_s, _, _ = timed(lambda: run_ingest(files, tmp / "flow.duckdb", settings), 1)
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "corpus": name,
        "files": len(files),
        "papers": n,
        "plain_s": plain_s,
        "flow_s": flow_s,
        "rerun_s": cached_s,
        "plain_pps": n / plain_s,
        "flow_pps": summary.papers_written / flow_s,
        "ratio": flow_s / plain_s,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="Evidence Inference texts (0 to skip)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batch-size", type=int, default=25)
    args = ap.parse_args()
    rows = [measure("corpus/ (5 seeds)", discover_files([CORPUS]), args.runs, args.workers, args.batch_size)]
    if args.n:
        files = unpack_evidence_inference(args.n)
        rows.append(
            measure(f"evidence-inference ({args.n})", files, args.runs, args.workers, args.batch_size)
        )
        shutil.rmtree(files[0].parents[1], ignore_errors=True)
    print(f"workers={args.workers} batch_size={args.batch_size} runs={args.runs} (medians)")
    print(
        "| corpus | papers | plain s | flow s | flow/plain | plain papers/s | flow papers/s | unchanged re-run s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['papers']} | {r['plain_s']:.1f} | {r['flow_s']:.1f} | {r['ratio']:.2f} | "
            f"{r['plain_pps']:.1f} | {r['flow_pps']:.1f} | {r['rerun_s']:.1f} |"
        )


if __name__ == "__main__":
    main()
