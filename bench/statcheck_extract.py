"""Share of statcheck's hand-extracted results that `extractors.stats.parse_stats` reads right.

Usage: .venv/bin/python bench/statcheck_extract.py [path/to/statcheck_manual_gold.jsonl] [--quiet]

A gold row counts as read when one parsed result from its `raw_result` string has the same test,
df, comparison and value, and the same p operator and value ("ns" = our p_operator ">" with no p_value).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.stats import normalize_test, parse_stats  # noqa: E402
from schemas.records import ReportedStat  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "statcheck"
DEFAULT_GOLD = DEFAULT_CORPUS / "statcheck_manual_gold.jsonl"


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _gold_df(row: dict) -> list[float]:
    return [float(d) for d in (row.get("df1"), row.get("df2")) if d is not None and not _nan(d)]


def _nan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


def matches(row: dict, stat: ReportedStat) -> bool:
    """Does `stat` read the gold row's statistic and p-value?"""
    gold_test = row.get("test_type") or ""
    if gold_test and normalize_test(gold_test) != stat.test:
        return False
    gold_df = _gold_df(row)
    if gold_df and gold_df != stat.df:
        return False
    if (row.get("test_comparison") or "=") != stat.comparison:
        return False
    if not _close(float(row["test_value"]), stat.value):
        return False
    p_cmp = row.get("p_comparison")
    if p_cmp == "ns":
        return stat.p_operator == ">" and stat.p_value is None
    if p_cmp is None:
        return True
    return p_cmp == stat.p_operator and _close(float(row["p"]), stat.p_value)


def score(path: Path) -> tuple[float, list[tuple[dict, list[ReportedStat]]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    failures: list[tuple[dict, list[ReportedStat]]] = []
    for row in rows:
        stats = parse_stats(row["raw_result"])
        if not any(matches(row, s) for s in stats):
            failures.append((row, stats))
    share = 1 - len(failures) / len(rows) if rows else 0.0
    return share, failures


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT_GOLD
    share, failures = score(path)
    if "--quiet" not in argv:
        for row, stats in failures:
            got = [(s.test, s.df, s.comparison, s.value, s.p_operator, s.p_value) for s in stats]
            want = (
                row.get("test_type"),
                _gold_df(row),
                row.get("test_comparison"),
                row.get("test_value"),
                row.get("p_comparison"),
                row.get("p"),
            )
            print(f"MISS {row['raw_result']!r}\n  want {want}\n  got  {got}")
    print(f"statcheck extraction share: {share:.3f} ({len(failures)} misses)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
