"""Bench: eyeball the clinical entities extracted from papers nobody annotated.

Runs the per-paper pipeline over a sample of files (plain text, Evidence Inference `.txt`/`.abst`,
JATS `.nxml`, PDF, Markdown) and prints, per kind, how many entities were found and a random sample
of them: the verbatim span, the sentence around it and the values read. Reading the sample is how
precision is estimated ("of 40 sampled doses, 36 are administered amounts with the right value").

Usage:
  .venv/bin/python bench/entity_review.py PATH [PATH ...] [--files N] [--sample N] [--seed S]
      [--kinds cohort,dose] [--context N] [--json]

  PATH is a file or a folder (searched for .txt .abst .nxml .xml .pdf .md files).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.read import read_path  # noqa: E402
from flows.pipeline import default_nlp, process_document  # noqa: E402
from schemas import Document  # noqa: E402

DEFAULT_KINDS = ("cohort", "dose", "response_rate", "toxicity", "mtd")
DEFAULT_SAMPLE = 40
DEFAULT_CONTEXT = 90
SUFFIXES = {".txt", ".abst", ".nxml", ".xml", ".pdf", ".md"}
# The values worth showing per kind (the scorer's keys first).
SHOW = {
    "cohort": ("n", "n_high", "label", "cited"),
    "dose": (
        "value",
        "value_high",
        "unit",
        "normalized",
        "agent",
        "route",
        "schedule",
        "diagnostic",
        "cited",
    ),
    "response_rate": ("numerator", "denominator", "percent", "outcome", "cited"),
    "toxicity": ("count", "percent", "event", "grade", "group", "cited"),
    "mtd": ("value", "unit", "normalized", "agent", "dose_limiting"),
}


def gather(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES))
        elif p.exists():
            out.append(p)
    return out


def read_any(path: Path) -> list[Document]:
    """Documents of one file; `.abst`/`.md` files are plain text the reader may not sniff."""
    if path.suffix.lower() in {".abst", ".md"}:
        data = path.read_bytes()
        return [
            Document(
                paper_id=hashlib.sha256(data).hexdigest(),
                source=str(path),
                format="text",
                text=data.decode("utf-8", errors="replace"),
            )
        ]
    return read_path(path)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def values(ent: Any, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in SHOW.get(kind, ()):
        v = getattr(ent, key, None)
        if hasattr(v, "model_dump"):
            v = {k: x for k, x in v.model_dump().items() if x is not None}
        # zeros are values ("no serious adverse events": count 0); False and empties are not
        if v is not None and v is not False and v != [] and v != {}:
            out[key] = v
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--files", type=int, default=0, help="a random sample of N files (0: all)")
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="entities shown per kind")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default=",".join(DEFAULT_KINDS))
    ap.add_argument("--context", type=int, default=DEFAULT_CONTEXT, help="characters of context each side")
    ap.add_argument("--json", action="store_true", help="print every entity as a JSON line instead")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    files = gather(args.paths)
    if args.files and len(files) > args.files:
        files = sorted(rng.sample(files, args.files))
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    nlp = default_nlp()
    found: dict[str, list[tuple[str, str, Any]]] = defaultdict(list)
    papers = 0
    started = time.perf_counter()
    for path in files:
        try:
            docs = read_any(path)
        except Exception as exc:  # a bench goes on past an unreadable file
            print(f"skip {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        for doc in docs:
            papers += 1
            result = process_document(doc, nlp)
            for ent in result.entities:
                if ent.kind in kinds:  # type: ignore[attr-defined]
                    found[ent.kind].append((path.name, doc.text, ent))  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started

    if args.json:
        for kind in kinds:
            for name, _text, ent in found[kind]:
                row = {"file": name, "kind": kind, "text": ent.text, **values(ent, kind)}
                print(json.dumps(row, ensure_ascii=False, default=str))
        return 0

    print(f"{papers} papers from {len(files)} files in {elapsed:.1f} s")
    counts = Counter({k: len(found[k]) for k in kinds})
    print("per kind: " + ", ".join(f"{k} {counts[k]}" for k in kinds))
    for kind in kinds:
        items = found[kind]
        shown = rng.sample(items, min(args.sample, len(items)))
        print(f"\n=== {kind}: {len(items)} found, {len(shown)} shown")
        for k, (name, text, ent) in enumerate(shown, 1):
            left = one_line(text[max(0, ent.start - args.context) : ent.start])
            right = one_line(text[ent.end : ent.end + args.context])
            print(f"[{k:>2}] {name} {json.dumps(values(ent, kind), ensure_ascii=False, default=str)}")
            print(f"     …{left} [[{one_line(ent.text)}]] {right}…")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
