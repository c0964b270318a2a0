"""Agreement of audit.pvalues with statcheck's reference material.

Usage: .venv/bin/python bench/statcheck_parity.py [--corpora ../shared/corpora] [--verbose]

Two sets, both from ../shared/corpora/statcheck/:
- statcheck_manual_gold.jsonl: hand-coded APA results. ReportedStat records are built from the coded
  fields (test, df, value, p operator and value); the decimals of the value and of p, which the float
  fields lost, are read back from the coded raw string. Only rows with coded error flags are scored
  (two-tailed flags `error`/`decision_error`, and the OneTailedTxt flags `error_1tail`/...).
- statcheck_unit_cases.jsonl: sentences from statcheck's unit tests with options and the expected
  error / decision_error. Sentences go through extractors.stats.parse_stats when that parser exists
  and reads them; otherwise through the small stand-in reader below (bench only, never used by the
  pipeline), and the table says which one ran.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from audit.pvalues import PValueVerdict, check_reported_stat  # noqa: E402
from schemas.records import ReportedStat  # noqa: E402

DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
GOLD_FILE = "statcheck/statcheck_manual_gold.jsonl"
UNIT_FILE = "statcheck/statcheck_unit_cases.jsonl"

# statcheck's own defaults (our PValueSettings honours one-tailed mentions by default; statcheck does not)
STATCHECK_DEFAULTS: dict[str, Any] = {
    "alpha": 0.05,
    "p_equal_alpha_sig": True,
    "p_zero_error": True,
    "one_tailed_txt": False,
    "one_tailed_tests": False,
}
STATCHECK_ARG_NAMES = {
    "alpha": "alpha",
    "pEqualAlphaSig": "p_equal_alpha_sig",
    "pZeroError": "p_zero_error",
    "OneTailedTxt": "one_tailed_txt",
    "OneTailedTests": "one_tailed_tests",
}

PAT_NUMBER = re.compile(r"-?\d*\.?\d+")
PAT_P = re.compile(r"p\s*[<>=≤≥]\s*(\d*\.\d+|\d+)", re.IGNORECASE)
PAT_ONE_TAILED = re.compile(r"sided|tailed|directional", re.IGNORECASE)  # statcheck's own text search


@dataclass
class Comparison:
    case: str
    field: str
    expected: bool
    got: bool | None
    message: str = ""

    @property
    def agrees(self) -> bool:
        return self.got is not None and self.got == self.expected


@dataclass
class ParityReport:
    name: str
    comparisons: list[Comparison] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def agreement(self, field_name: str | None = None) -> float:
        rows = [c for c in self.comparisons if field_name is None or c.field == field_name]
        return sum(c.agrees for c in rows) / len(rows) if rows else float("nan")

    def disagreements(self) -> list[Comparison]:
        return [c for c in self.comparisons if not c.agrees]

    def fields(self) -> list[str]:
        return sorted({c.field for c in self.comparisons})


def _decimals(number_text: str) -> int:
    return len(number_text.split(".")[1]) if "." in number_text else 0


def _value_decimals(raw: str, value: float) -> int:
    # The coded value lost trailing zeros (9.20 -> 9.2): find its printed form before the p-value
    head = PAT_P.split(raw)[0] if PAT_P.search(raw) else raw
    matches = [m for m in PAT_NUMBER.findall(head) if abs(float(m)) == abs(value)]
    return _decimals(matches[-1]) if matches else _decimals(repr(abs(value)))


def _p_decimals(raw: str, p: float) -> int | None:
    for match in PAT_P.finditer(raw):
        if float(match.group(1)) == p:
            return _decimals(match.group(1))
    return None


def gold_to_stat(row: dict[str, Any]) -> ReportedStat:
    """ReportedStat from a manual-gold row's coded fields (decimals recovered from its raw string)."""
    test = row["test_type"] or ("F" if row["df1"] is not None and row["df2"] is not None else "")
    df = [d for d in (row["df1"], row["df2"]) if d is not None]
    if row["p_comparison"] == "ns":
        p_operator, p_value, p_decimals = ">", None, None
    else:
        p_operator, p_value = row["p_comparison"], row["p"]
        p_decimals = _p_decimals(row["raw_result"], p_value) if p_value is not None else None
    return ReportedStat(
        test=test,
        df=df,
        value=row["test_value"],
        value_decimals=_value_decimals(row["raw_result"], row["test_value"]),
        comparison=row["test_comparison"],
        p_operator=p_operator,
        p_value=p_value,
        p_decimals=p_decimals,
        one_tailed=bool(row.get("one_tailed")),
        raw=row["raw_result"],
    )


def run_manual_gold(corpora: Path = DEFAULT_CORPORA) -> ParityReport:
    """Score error / decision_error (two-tailed) and their OneTailedTxt variants on the manual gold."""
    report = ParityReport("statcheck manual gold")
    rows = [json.loads(line) for line in (corpora / GOLD_FILE).read_text().splitlines() if line.strip()]
    unflagged = 0
    unflagged_status: dict[str, int] = {}
    for i, row in enumerate(rows):
        if row["error"] is None and row["decision_error"] is None:
            unflagged += 1
            status = check_reported_stat(gold_to_stat(row), settings=STATCHECK_DEFAULTS).status
            unflagged_status[status] = unflagged_status.get(status, 0) + 1
            continue
        stat = gold_to_stat(row)
        case = f"#{i} {row['paper_id']}: {row['raw_result']!r}"
        two = check_reported_stat(stat, settings=STATCHECK_DEFAULTS)
        one = check_reported_stat(stat, settings={**STATCHECK_DEFAULTS, "one_tailed_txt": True})
        for name, verdict, flag in (
            ("error", two, "error"),
            ("decision_error", two, "decision_error"),
            ("error_1tail", one, "error_1tail"),
            ("decision_error_1tail", one, "decision_error_1tail"),
        ):
            if row[flag] is None:
                continue
            got = getattr(verdict, flag.replace("_1tail", ""))
            report.comparisons.append(Comparison(case, name, bool(row[flag]), got, verdict.message))
    report.notes.append(
        f"{len(rows)} rows, {len(rows) - unflagged} with coded flags (scored), {unflagged} unflagged"
    )
    report.notes.append(
        f"our verdicts on the unflagged rows (no gold): {dict(sorted(unflagged_status.items()))}"
    )
    return report


def parse_statcheck_args(args: str | None) -> dict[str, Any]:
    """statcheck option string ('pEqualAlphaSig = FALSE, alpha = .10') -> PValueSettings fields."""
    settings = dict(STATCHECK_DEFAULTS)
    for part in (args or "").split(","):
        if "=" not in part:
            continue
        key, value = (s.strip() for s in part.split("=", 1))
        name = STATCHECK_ARG_NAMES[key]
        settings[name] = float(value) if name == "alpha" else value.upper() == "TRUE"
    return settings


# Stand-in reader for the unit-case sentences (simple APA results only). Bench use only.
_PAT_STANDIN = re.compile(
    r"(?P<test>t|F|r|chi2|z|Z|Q)\s*(?:\((?P<df>[^)]*)\))?\s*(?P<comp>[<>=])\s*(?P<value>-?\d*\.?\d+)\s*,\s*"
    r"(?:(?P<ns>ns)|p\s*(?P<pop>[<>=])\s*(?P<p>\d*\.\d+))"
)


def standin_parse(text: str) -> list[ReportedStat]:
    out = []
    for m in _PAT_STANDIN.finditer(text):
        df = [float(d) for d in (m.group("df") or "").split(",") if d.strip()]
        ns = m.group("ns") is not None
        out.append(
            ReportedStat(
                test=m.group("test"),
                df=df,
                value=float(m.group("value")),
                value_decimals=_decimals(m.group("value")),
                comparison=m.group("comp"),  # type: ignore[arg-type]
                p_operator=">" if ns else m.group("pop"),  # type: ignore[arg-type]
                p_value=None if ns else float(m.group("p")),
                p_decimals=None if ns else _decimals(m.group("p")),
                one_tailed=bool(PAT_ONE_TAILED.search(text)),
                raw=m.group(0),
                start=m.start(),
                end=m.end(),
            )
        )
    return out


def _project_parser() -> Callable[[str], list[ReportedStat]] | None:
    try:
        from extractors.stats import parse_stats  # type: ignore[import-not-found]
    except Exception:
        return None
    return parse_stats  # type: ignore[no-any-return]


def run_unit_cases(corpora: Path = DEFAULT_CORPORA, use_project_parser: bool = True) -> ParityReport:
    """Score statcheck's unit-test sentences (parsed by extractors.stats or the stand-in reader)."""
    cases = [json.loads(line) for line in (corpora / UNIT_FILE).read_text().splitlines() if line.strip()]
    parser = _project_parser() if use_project_parser else None
    report = ParityReport("statcheck unit cases")
    report.notes.append(
        "reader: extractors.stats.parse_stats"
        if parser
        else "reader: bench stand-in (extractors.stats absent)"
    )
    unread = 0
    for case in cases:
        stats = []
        if parser is not None:
            try:
                stats = parser(case["text"])
            except Exception:
                stats = []
        if not stats:
            stats = standin_parse(case["text"])
            if parser is not None and stats:
                unread += 1
        label = f"{case['file']}: {case['text']!r} [{case['args'] or 'defaults'}]"
        if not stats:
            report.comparisons.append(Comparison(label, case["field"], case["expected"], None, "not read"))
            continue
        verdict: PValueVerdict = check_reported_stat(stats[0], settings=parse_statcheck_args(case["args"]))
        got = getattr(verdict, case["field"])
        report.comparisons.append(Comparison(label, case["field"], case["expected"], got, verdict.message))
    if parser is not None:
        report.notes.append(f"{unread} sentences the project parser did not read fell back to the stand-in")
    return report


def print_report(report: ParityReport, verbose: bool = False) -> None:
    print(f"\n== {report.name} ==")
    for note in report.notes:
        print(f"  {note}")
    print(f"  {'field':<22}{'n':>5}{'agree':>8}{'rate':>8}")
    for name in report.fields():
        rows = [c for c in report.comparisons if c.field == name]
        agree = sum(c.agrees for c in rows)
        print(f"  {name:<22}{len(rows):>5}{agree:>8}{agree / len(rows):>8.3f}")
    total = len(report.comparisons)
    agree = sum(c.agrees for c in report.comparisons)
    print(f"  {'all':<22}{total:>5}{agree:>8}{report.agreement():>8.3f}")
    for c in report.disagreements():
        print(f"  DISAGREE {c.field}: expected {c.expected}, got {c.got} | {c.case}")
        if verbose:
            print(f"           {c.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not (args.corpora / GOLD_FILE).exists():
        sys.exit(f"statcheck corpus not found under {args.corpora}")
    print_report(run_manual_gold(args.corpora), args.verbose)
    print_report(run_unit_cases(args.corpora), args.verbose)


if __name__ == "__main__":
    main()
