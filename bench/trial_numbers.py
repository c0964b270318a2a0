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


def number_pattern(x: float) -> str:
    """A regex for `x` as a paper may print it: "12.3", "12.30", "012.3", "−12.3", "12·3"."""
    whole, _, frac = f"{abs(x):.6f}".rstrip("0").rstrip(".").partition(".")
    sign = r"[-−–]" if x < 0 else ""
    dec = rf"[.·,]{frac}0*" if frac else r"(?:[.·,]0+)?"
    return rf"(?<![\d.·]){sign}0*{whole}{dec}(?![\d]|[.·,]\d)"


def printed_pair_at(text: str, mean: float, sd: float) -> int | None:
    """Where the mean is printed with its SD within a table row's reach (same line, or the SD at
    most 300 characters after it); None when the pair is not printed, e.g. computed by annotators
    from a CI or SE, or read off a figure."""
    sd_pat = re.compile(number_pattern(sd))
    for m in re.finditer(number_pattern(mean), text):
        if sd_pat.search(text, m.end(), m.end() + 300):
            return m.start()
    return None


def snippet(text: str, n: int) -> str:
    """Where a missed number sits in the text (first occurrence), to see why it was missed."""
    m = re.search(rf"(?<![\d.,]){n}(?![\d.,]\d)", text)
    if not m:
        return "(not printed in the text)"
    return re.sub(r"\s+", " ", text[max(0, m.start() - 70) : m.end() + 50])


def recall_figures(gold: int, found: int, unprinted: int) -> dict[str, float]:
    """Recall over all gold items, and over those printed in the text (the reachable ones)."""
    return {
        "gold": gold,
        "found": found,
        "recall": found / max(1, gold),
        "printed": gold - unprinted,
        "recall_printed": found / max(1, gold - unprinted),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N papers")
    ap.add_argument(
        "--misses",
        type=int,
        default=20,
        help="print up to N missed arm sizes and N missed mean/SD pairs with context",
    )
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
    ms_misses: list[tuple[str, float, float, str]] = []
    ms_unprinted = 0  # gold pairs whose mean and SD are not both printed in the text
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
                at = printed_pair_at(doc.text, mean, sd)
                ms_unprinted += at is None
                context = (
                    "(not printed in the text)"
                    if at is None
                    else re.sub(r"\s+", " ", doc.text[max(0, at - 70) : at + 80])
                )
                ms_misses.append((pmcid, mean, sd, context))
    elapsed = time.perf_counter() - started
    summary = {
        "papers": len(pmcids),
        "arm_sizes": recall_figures(size_total, size_hit, unprinted),
        "cohort_entities": cohort_count,
        "mean_sd_pairs": recall_figures(ms_total, ms_hit, ms_unprinted),
        "seconds": round(elapsed, 1),
    }
    if args.json:
        summary["missed_arm_sizes"] = [{"pmcid": p, "n": n, "context": c} for p, n, c in misses]
        summary["missed_mean_sd_pairs"] = [
            {"pmcid": p, "mean": mean, "sd": sd, "context": c} for p, mean, sd, c in ms_misses
        ]
        print(json.dumps(summary, indent=2))
        return 0
    a, m = summary["arm_sizes"], summary["mean_sd_pairs"]
    print(f"papers: {summary['papers']}  ({summary['seconds']} s)")
    print(f"arm sizes: {a['found']}/{a['gold']} recall {a['recall']:.3f}  ({cohort_count} cohort entities)")
    print(f"  of the sizes printed in the text: {a['found']}/{a['printed']} recall {a['recall_printed']:.3f}")
    print(f"mean/SD pairs: {m['found']}/{m['gold']} recall {m['recall']:.3f}")
    print(f"  of the pairs printed in the text: {m['found']}/{m['printed']} recall {m['recall_printed']:.3f}")
    for pmcid, n, context in misses[: args.misses]:
        print(f"MISS PMC{pmcid} n={n}: …{context}…")
    for pmcid, mean, sd, context in ms_misses[: args.misses]:
        print(f"MISS PMC{pmcid} mean={mean:g} sd={sd:g}: …{context}…")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
