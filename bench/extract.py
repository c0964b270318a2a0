"""Extraction throughput: abstracts/second and full texts/second on this machine, and the share of
time spent inside spaCy (tokenizer + our registered components) against the rest of the per-paper
pipeline (read, repair, sections/tables, audit).

Runs the per-paper functions in a process pool of --workers (default: all cores), medians of --runs.

    python bench/extract.py --n 200 --runs 3
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import unpack_evidence_inference  # noqa: E402


def work(path: Path) -> dict[str, float]:
    from flows.pipeline import process_file_safe

    outcome = process_file_safe(path, time_limit_s=None)
    return outcome.stage_seconds


def warm(_: int) -> None:
    from flows.pipeline import default_nlp

    default_nlp()


def run(files: list[Path], workers: int) -> tuple[float, dict[str, float]]:
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        list(pool.map(warm, range(workers)))  # imports and nlp built before the clock starts
        t0 = time.perf_counter()
        stages: dict[str, float] = {}
        for s in pool.map(work, files, chunksize=4):
            for k, v in s.items():
                stages[k] = stages.get(k, 0.0) + v
        return time.perf_counter() - t0, stages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    print(f"workers={args.workers} runs={args.runs} (medians)")
    print("| input | docs | median s | docs/s | spaCy share | stage split (summed CPU s) |")
    print("|---|---|---|---|---|---|")
    for member, label in (("abstracts", "abstracts"), ("txt_files", "full texts")):
        files = unpack_evidence_inference(args.n, member=member)
        walls, last = [], {}
        for _ in range(args.runs):
            wall, last = run(files, args.workers)
            walls.append(wall)
        wall = statistics.median(walls)
        total = sum(last.values()) or 1.0
        split = ", ".join(f"{k} {v:.1f}" for k, v in sorted(last.items(), key=lambda kv: -kv[1]))
        print(
            f"| {label} | {len(files)} | {wall:.1f} | {len(files) / wall:.1f} | "
            f"{last.get('entities', 0.0) / total:.0%} | {split} |"
        )
        shutil.rmtree(files[0].parents[1], ignore_errors=True)


if __name__ == "__main__":
    main()
