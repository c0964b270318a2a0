"""Bench: recall of hand-extracted arm sizes (and mean/SD pairs) on the trial-numbers corpus.

The corpus (../shared/corpora/trial-numbers, 120 RCTs, see its DATASET.md) gives, per outcome, the
intervention and comparator group sizes, events, means and SDs. We build a Document from each
paper's Markdown, run the whole per-paper pipeline (`flows.pipeline.process_document`) and ask:

- arm sizes: of the distinct (paper, group size) pairs in the gold, how many appear as the `n` of an
  extracted cohort entity of that paper;
- mean/SD pairs: of the distinct (paper, mean, sd) triples, how many appear as a summary_stat with
  that mean and SD (0.5% relative tolerance, as the scorer's).

Usage:
  .venv/bin/python bench/trial_numbers.py [--corpus DIR] [--limit N] [--misses N] [--json]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.pipeline import default_nlp, process_document  # noqa: E402
from schemas import Document  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "trial-numbers"


def same_number(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-9, 0.005 * max(abs(a), abs(b)))


def as_float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def load_gold(corpus: Path) -> tuple[dict[str, set[int]], dict[str, set[tuple[float, float]]]]:
    sizes: dict[str, set[int]] = defaultdict(set)
    means: dict[str, set[tuple[float, float]]] = defaultdict(set)
    with open(corpus / "annotated_rct_dataset.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pmcid = row["pmcid"]
            for side in ("intervention", "comparator"):
                n = as_float(row[f"{side}_group_size"])
                if n is not None and n == int(n) and n > 0:
                    sizes[pmcid].add(int(n))
                mean, sd = as_float(row[f"{side}_mean"]), as_float(row[f"{side}_standard_deviation"])
                if mean is not None and sd is not None:
                    means[pmcid].add((mean, sd))
    return sizes, means


def read_markdown(path: Path) -> Document:
    data = path.read_bytes()
    return Document(
        paper_id=hashlib.sha256(data).hexdigest(),
        source=str(path),
        format="text",
        text=data.decode("utf-8"),
    )


def snippet(text: str, n: int) -> str:
    """Where a missed number sits in the text (first occurrence), to see why it was missed."""
    m = re.search(rf"(?<![\d.,]){n}(?![\d.,]\d)", text)
    if not m:
        return "(not printed in the text)"
    return re.sub(r"\s+", " ", text[max(0, m.start() - 70) : m.end() + 50])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N papers")
    ap.add_argument("--misses", type=int, default=20, help="print up to N missed arm sizes with context")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = ap.parse_args(argv)

    sizes, means = load_gold(args.corpus)
    md_dir = args.corpus / "no_attributes_markdown_files"
    pmcids = sorted(set(sizes) | set(means))
    if args.limit:
        pmcids = pmcids[: args.limit]
    nlp = default_nlp()
    size_hit = size_total = ms_hit = ms_total = 0
    cohort_count = 0
    misses: list[tuple[str, int, str]] = []
    unprinted = 0  # gold sizes the annotators computed: the number appears nowhere in the text
    ms_misses: list[tuple[str, float, float]] = []
    started = time.perf_counter()
    for pmcid in pmcids:
        path = md_dir / f"PMC{pmcid}.md"
        if not path.exists():
            continue
        doc = read_markdown(path)
        result = process_document(doc, nlp)
        found_n = {e.n for e in result.entities if e.kind == "cohort"}  # type: ignore[attr-defined]
        cohort_count += sum(1 for e in result.entities if e.kind == "cohort")
        stats = [
            (e.mean, e.sd)  # type: ignore[attr-defined]
            for e in result.entities
            if e.kind == "summary_stat" and e.sd is not None  # type: ignore[attr-defined]
        ]
        for n in sorted(sizes.get(pmcid, ())):
            size_total += 1
            if n in found_n:
                size_hit += 1
            else:
                context = snippet(doc.text, n)
                unprinted += context == "(not printed in the text)"
                misses.append((pmcid, n, context))
        for mean, sd in sorted(means.get(pmcid, ())):
            ms_total += 1
            if any(same_number(mean, m) and same_number(sd, s) for m, s in stats):
                ms_hit += 1
            else:
                ms_misses.append((pmcid, mean, sd))
    elapsed = time.perf_counter() - started
    summary = {
        "papers": len(pmcids),
        "arm_sizes": {
            "gold": size_total,
            "found": size_hit,
            "recall": size_hit / max(1, size_total),
            "printed": size_total - unprinted,
            "recall_printed": size_hit / max(1, size_total - unprinted),
        },
        "cohort_entities": cohort_count,
        "mean_sd_pairs": {"gold": ms_total, "found": ms_hit, "recall": ms_hit / max(1, ms_total)},
        "seconds": round(elapsed, 1),
    }
    if args.json:
        summary["missed_arm_sizes"] = [{"pmcid": p, "n": n, "context": c} for p, n, c in misses]
        print(json.dumps(summary, indent=2))
        return 0
    a, m = summary["arm_sizes"], summary["mean_sd_pairs"]
    print(f"papers: {summary['papers']}  ({summary['seconds']} s)")
    print(f"arm sizes: {a['found']}/{a['gold']} recall {a['recall']:.3f}  ({cohort_count} cohort entities)")
    print(f"  of the sizes printed in the text: {a['found']}/{a['printed']} recall {a['recall_printed']:.3f}")
    print(f"mean/SD pairs: {m['found']}/{m['gold']} recall {m['recall']:.3f}")
    for pmcid, n, context in misses[: args.misses]:
        print(f"MISS PMC{pmcid} n={n}: …{context}…")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
