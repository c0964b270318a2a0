"""Mutation benchmark of the paper-level audit: inject one wrong number, see whether a finding points at it.

For each corpus paper (corpus/*.txt) the unmodified text is run through flows.pipeline first (the
baseline). Then single-number errors are injected into copies, one per copy, at sites found in the
text by type — a percentage, a count ("k of N", "(n = N)", "24 men", an integer table cell), a p-value
(narrative "P = x" and the cells of a table's P row) and a mean (the mean of "mean ± SD") — each
changed to another plausible value with the same decimals (the text's length may change; offsets after
the site shift, and the comparison accounts for it). A p-value printed as a bound moves the falsifying
way ("P < 0.001" to "P < 0.0002"; "P > 0.05" to "P > 0.25"): moved the other way it stays true (an
undecided glyph, "P � 0.01", is a "<" before a conventional threshold, as the extractor reads it). A site is *detected* when the mutated copy has
an inconsistent finding whose evidence covers the changed number; sites the baseline already flagged
are left out. *In entity* sites are those where the extractor read a statistic of that kind (a response rate, a
cohort, a p-value, a summary statistic), leaving out numbers that are definitions or thresholds
("a decrease of 25% to 50%"). *Checked* sites are those a consistent baseline finding already read
(what the audit can see at all). *Gold-checked* sites (corpus only) are an independent ceiling: the
number lies inside a quote of a hand-checked gold finding of the same paper (shared/gold/seeds.json,
consistent or inconsistent) and that finding's detail prints the number ("79" for "79%"), so the
annotators checked a relation that constrains it. New inconsistent findings elsewhere in a mutated copy
count as collateral alarms.
On the untouched papers, inconsistent findings are split by the gold annotation (shared/gold/seeds.json):
confirmed (they overlap a quote of a gold inconsistency) and unconfirmed; false alarms overlap only
quotes of gold consistent checks (the scorer's rule).

    .venv/bin/python -m bench.audit_mutation --per-type 200 --seed 1        # every site of corpus/
    .venv/bin/python -m bench.audit_mutation --per-type 100 --seed 1 --evidence-inference 200
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import CORPUS, SHARED, unpack_evidence_inference
from extractors.read import read_path
from flows.pipeline import default_nlp, process_document
from schemas import PaperResult

TYPES = ("percent", "count", "p_value", "mean")
# a site "reports a statistic" when the extractor read an entity of these kinds there
ENTITY_KINDS = {
    "percent": ("response_rate", "toxicity"),
    "count": ("cohort", "response_rate", "toxicity"),
    "p_value": ("p_value",),
    "mean": ("summary_stat",),
}
PAT_PERCENT = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,2})?)(?=\s*%)")
PAT_K_OF_N = re.compile(r"(?<![\w.])(\d{1,3}) of (?:the |these |those )?(?:remaining )?(\d{1,3})(?![\w.])")
PAT_N_EQ = re.compile(r"\(n\s*(?:=|5|�)\s*(\d{1,4})\)")
PAT_N_NOUN = re.compile(r"(?<![\w.])(\d{1,3})(?=\s+(?:men|women|patients|subjects)\b)")
PAT_P = re.compile(r"\bP\s*(?:=|5|<|,|>|\.|�)\s*(0?\.\d+)(?!\d)|(?<=and )(0\.\d+)(?=, respectively)")
# (?!\d): "0.66 0" must not yield the site "0.6" (the glyph-damaged "±" is a "6")
PAT_MEAN = re.compile(r"(?<![\w.])(\d+\.\d+)(?!\d)(?=\s*(?:±|6|�)\s*\d)")
# the operator printed before a p-value site, glyph-damaged forms included ("," is "<", "." is ">")
PAT_P_OPERATOR = re.compile(r"(<|,|>|\.|≤|≥|�)\s*$")
# an undecided glyph ("P � 0.01") reads as "<" before a conventional threshold, as the extractor reads it
THRESHOLDS = {0.05, 0.01, 0.005, 0.001, 0.0001}


@dataclass(frozen=True)
class Site:
    paper: str
    kind: str
    start: int
    end: int
    old: str
    op: str = "="  # a p-value's operator: "<", ">" or "="


def sites_of(name: str, text: str, baseline: PaperResult) -> list[Site]:
    out: list[Site] = []

    def add(kind: str, m: re.Match[str], group: int) -> None:
        if m.group(group) is not None:
            out.append(Site(name, kind, m.start(group), m.end(group), m.group(group)))

    for m in PAT_PERCENT.finditer(text):
        add("percent", m, 1)
    for m in PAT_K_OF_N.finditer(text):
        add("count", m, 1)
        add("count", m, 2)
    for pat in (PAT_N_EQ, PAT_N_NOUN):
        for m in pat.finditer(text):
            add("count", m, 1)
    for m in PAT_P.finditer(text):
        for group in (1, 2):
            if m.group(group) is not None:
                op = PAT_P_OPERATOR.search(text[m.start() : m.start(group)])
                signs = {"<": "<", ",": "<", "≤": "<", ">": ">", ".": ">", "≥": ">"}
                signs["�"] = "<" if float(m.group(group)) in THRESHOLDS else "="
                sign = signs[op.group(1)] if op else "="
                out.append(Site(name, "p_value", m.start(group), m.end(group), m.group(group), sign))
    for m in PAT_MEAN.finditer(text):
        add("mean", m, 1)
    # table cells: integer counts in labelled rows, and the cells of a P row
    for t in baseline.tables:
        labels = {c.row: c.text for c in t.cells if c.col == 0}
        for c in t.cells:
            if c.header or c.col == 0 or c.start is None or c.end is None:
                continue
            raw = text[c.start : c.end]
            label = labels.get(c.row, "")
            if re.fullmatch(r"\d{1,3}", raw) and re.search(r"[A-Za-z]{3}", label):
                out.append(Site(name, "count", c.start, c.end, raw))
            m = re.fullmatch(r"([<,]?)(0?\.\d+)\S?", raw)
            if m and re.fullmatch(r"\s*P\s*", label):
                sign = "<" if m.group(1) else "="
                out.append(Site(name, "p_value", c.start + m.start(2), c.start + m.end(2), m.group(2), sign))
    seen: set[tuple[int, int]] = set()
    unique = []
    for s in out:
        if (s.start, s.end) not in seen:
            seen.add((s.start, s.end))
            unique.append(s)
    return unique


def mutate(site: Site, rng: random.Random) -> str | None:
    old = site.old
    dec = len(old.split(".")[1]) if "." in old else 0
    value = float(old)
    lead = "" if old.startswith(".") else None
    for _ in range(20):
        if site.kind == "percent":
            delta = rng.choice([1, 2, 3, 4, 5]) if dec == 0 else rng.randint(2, 15) / 10
            new = value + rng.choice([-1, 1]) * delta
            if not 0 <= new <= 100:
                continue
        elif site.kind == "count":
            new = value + rng.choice([-3, -2, -1, 1, 2, 3])
            if new < 0:
                continue
        elif site.kind == "p_value":
            # A bound moved the weak way ("P < 0.001" -> "P < 0.005") stays true: not an error.
            factors = {"<": [0.2, 0.5], ">": [2.0, 3.0, 5.0]}.get(site.op, [0.2, 0.5, 2.0, 3.0, 5.0])
            new = min(0.999, value * rng.choice(factors))
        else:
            new = value + rng.choice([-1, 1]) * rng.randint(2, 10) * 10.0**-dec
            if new < 0:
                continue
        places = dec
        while site.kind == "p_value" and round(new, places) == 0:  # 0.001 x 0.2 prints as 0.0002
            places += 1
        text = f"{new:.{places}f}"
        if lead == "" and text.startswith("0."):
            text = text[1:]
        if text != old and float(text) > 0 or (site.kind in ("count", "percent") and text != old):
            return text
    return None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def inconsistent_spans(result: PaperResult) -> list[list[tuple[int, int]]]:
    return [[(e.start, e.end) for e in f.evidence] for f in result.findings if f.status == "inconsistent"]


def checked_spans(result: PaperResult) -> list[list[tuple[int, int]]]:
    """Evidence of findings that computed something (consistent or inconsistent)."""
    return [[(e.start, e.end) for e in f.evidence] for f in result.findings if f.status != "unverifiable"]


def run_text(text: str, name: str, tmp: Path) -> PaperResult:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return process_document(read_path(path)[0], default_nlp())


def gold_findings(name: str) -> list[dict]:
    """The hand-checked findings of one corpus paper (shared/gold/seeds.json); none when absent."""
    gold_path = SHARED / "gold" / "seeds.json"
    if not gold_path.exists():
        return []
    return json.loads(gold_path.read_text())["documents"].get(name, {}).get("findings", [])


def quote_finder(text: str) -> Callable[[str], list[tuple[int, int]]]:
    """Locate a gold quote in `text` with whitespace runs collapsed: every (start, end) it occupies."""
    norm_chars, index = [], []
    for i, c in enumerate(text):
        if c.isspace():
            if norm_chars and norm_chars[-1] != " ":
                norm_chars.append(" ")
                index.append(i)
        else:
            norm_chars.append(c)
            index.append(i)
    norm = "".join(norm_chars)

    def find(q: str) -> list[tuple[int, int]]:
        q = re.sub(r"\s+", " ", q.strip())
        out, k = [], norm.find(q)
        while q and k >= 0:
            out.append((index[k], index[k + len(q) - 1] + 1))
            k = norm.find(q, k + 1)
        return out

    return find


def mentions(detail: str, number: str) -> bool:
    """Whether a gold detail prints `number` as a whole number ("79" not in "179", "79.5" or "0.79")."""
    forms = {number, "0" + number} if number.startswith(".") else {number}
    return any(re.search(rf"(?<![\d.]){re.escape(f)}(?!\.?\d)", detail) for f in forms)


def gold_checked(site: Site, gold: list[dict], find: Callable[[str], list[tuple[int, int]]]) -> str | None:
    """The detail of a gold finding whose quote holds the site and whose detail names its number."""
    for g in gold:
        if not mentions(g["detail"], site.old):
            continue
        if any(a <= site.start and site.end <= b for q in g["quotes"] for a, b in find(q)):
            return g["detail"]
    return None


def gold_split(name: str, result: PaperResult) -> tuple[int, int, int]:
    """(confirmed, unconfirmed, false alarms) among the baseline's inconsistent findings."""
    gold = gold_findings(name)
    find = quote_finder(result.text)
    bad = [sp for g in gold if g["status"] == "inconsistent" for q in g["quotes"] for sp in find(q)]
    good = [
        sp
        for g in gold
        if g["status"] == "consistent" and not g.get("uncertain")
        for q in g["quotes"]
        for sp in find(q)
    ]
    confirmed = unconfirmed = false_alarms = 0
    for spans in inconsistent_spans(result):
        if any(overlaps(s, b) for s in spans for b in bad):
            confirmed += 1
        else:
            unconfirmed += 1
            false_alarms += any(overlaps(s, g) for s in spans for g in good)
    return confirmed, unconfirmed, false_alarms


def type_row(pool: int, sites: list[dict]) -> dict[str, int]:
    """One type's counts: each column and the detected sites within it."""
    row = {"sites": pool, "mutated": len(sites), "detected": sum(p["detected"] for p in sites)}
    for column, key in (("in_entity", "reported"), ("checked", "checked"), ("gold_checked", "gold_checked")):
        row[column] = sum(p[key] for p in sites)
        row[f"{column}_detected"] = sum(p[key] and p["detected"] for p in sites)
    row["collateral"] = sum(bool(p["collateral"]) for p in sites)
    return row


def share(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-type", type=int, default=40, help="mutations per error type")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the per-type counts and the per-site results here")
    ap.add_argument(
        "--evidence-inference", type=int, metavar="N",
        help="mutate the first N Evidence Inference full texts instead of corpus/ (no gold: no false-alarm split)",
    )  # fmt: skip
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="mutation-"))
    if args.evidence_inference:
        papers = unpack_evidence_inference(args.evidence_inference)
    else:
        papers = sorted(CORPUS.glob("*.txt"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in papers}
    baselines = {name: run_text(text, name, tmp) for name, text in texts.items()}
    by_type: dict[str, list[Site]] = defaultdict(list)
    for name, text in texts.items():
        for s in sites_of(name, text, baselines[name]):
            flagged = any(
                overlaps((s.start, s.end), sp)
                for spans in inconsistent_spans(baselines[name])
                for sp in spans
            )
            if not flagged:
                by_type[s.kind].append(s)
    finders = {name: quote_finder(res.text) for name, res in baselines.items()}
    gold = {name: [] if args.evidence_inference else gold_findings(name) for name in texts}
    per_site = []
    for kind in TYPES:
        pool = by_type.get(kind, [])
        for s in rng.sample(pool, min(args.per_type, len(pool))):
            new = mutate(s, rng)
            if new is None:
                continue
            text = texts[s.paper]
            mutated = text[: s.start] + new + text[s.end :]
            shift = len(new) - len(s.old)
            res = run_text(mutated, s.paper, tmp)
            site = (s.start, s.start + len(new))
            base = {
                tuple((a + (shift if a >= s.end else 0), b + (shift if b > s.end else 0)) for a, b in spans)
                for spans in inconsistent_spans(baselines[s.paper])
            }
            new_elsewhere = [
                spans for spans in inconsistent_spans(res)
                if tuple(spans) not in base and not any(overlaps(site, sp) for sp in spans)
            ]  # fmt: skip
            detail = gold_checked(s, gold[s.paper], finders[s.paper])
            per_site.append({
                "paper": s.paper, "kind": kind, "start": s.start, "old": s.old, "new": new,
                "context": " ".join(text[max(0, s.start - 70) : s.end + 50].split()),
                "detected": any(overlaps(site, sp) for spans in inconsistent_spans(res) for sp in spans),
                "checked": any(
                    overlaps((s.start, s.end), sp) for spans in checked_spans(baselines[s.paper]) for sp in spans
                ),
                "reported": any(
                    e.kind in ENTITY_KINDS[kind] and overlaps((s.start, s.end), (e.start, e.end))
                    for e in baselines[s.paper].entities
                ),
                "gold_checked": detail is not None, "gold_detail": detail,
                "collateral": len(new_elsewhere),
            })  # fmt: skip
    rows = {
        kind: type_row(len(by_type.get(kind, [])), [p for p in per_site if p["kind"] == kind])
        for kind in TYPES
    }
    print(
        f"{'type':<9} {'sites':>5} {'mutated':>7} {'detected':>8} {'share':>6} {'in entity':>9} "
        f"{'share':>6} {'checked':>7} {'share':>6} {'gold-checked':>12} {'share':>6} {'collateral':>10}"
    )
    for kind, r in rows.items():
        print(
            f"{kind:<9} {r['sites']:>5} {r['mutated']:>7} {r['detected']:>8} {share(r['detected'], r['mutated']):>6} "
            f"{r['in_entity']:>9} {share(r['in_entity_detected'], r['in_entity']):>6} "
            f"{r['checked']:>7} {share(r['checked_detected'], r['checked']):>6} "
            f"{r['gold_checked']:>12} {share(r['gold_checked_detected'], r['gold_checked']):>6} {r['collateral']:>10}"
        )
    print()
    print(
        f"{'untouched paper':<28} {'inconsistent':>12} {'confirmed':>9} {'unconfirmed':>11} {'false alarms':>12}"
    )
    for name, res in baselines.items():
        conf, unconf, fa = gold_split(name, res)
        n_inc = sum(f.status == "inconsistent" for f in res.findings)
        print(f"{name:<28} {n_inc:>12} {conf:>9} {unconf:>11} {fa:>12}")
    print(f"\n{len(per_site)} mutated copies in {time.perf_counter() - t0:.0f} s (seed {args.seed})")
    if args.json:
        args.json.write_text(json.dumps({"by_type": rows, "sites": per_site}, indent=1))


if __name__ == "__main__":
    main()
