"""Helpers shared by the benchmarks: corpora paths, timing, medians."""

from __future__ import annotations

import statistics
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"


def unpack_evidence_inference(n: int, dest: Path | None = None, member: str = "txt_files") -> list[Path]:
    """The first `n` full texts (sorted by name) of the Evidence Inference archive, unpacked to a temp dir."""
    archive = CORPORA / "evidence-inference" / f"{member}.tar.gz"
    if not archive.exists():
        raise SystemExit(f"{archive} is absent")
    dest = dest or Path(tempfile.mkdtemp(prefix="evinf-"))
    # Two sequential passes: choosing members and then extracting them out of order would make the
    # gzip stream rewind and decompress again for each file.
    with tarfile.open(archive) as tar:
        names = sorted(m.name for m in tar if m.isfile() and m.name.endswith((".txt", ".abst")))
    wanted = set(names[:n])
    with tarfile.open(archive, mode="r|gz") as tar:
        for member in tar:
            if member.name in wanted:
                tar.extract(member, dest, filter="data")
    for abst in dest.rglob("*.abst"):  # plain-text abstracts under their own suffix
        abst.rename(abst.with_suffix(".txt"))
    return sorted(dest.rglob("*.txt"))


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """Median seconds over `runs` calls, all timings, and the last result."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result
