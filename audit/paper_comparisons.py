"""p_from_summary_stats in running text: "43.7 ± 11.0 in the GIK group and 42.4 ± 11.7 in the
control group (P = 0.12)", recomputed with the group sizes the paper gives elsewhere.

Rule: a sentence with exactly two mean ± SD statements (SD, not SE) followed by one numeric p-value,
no test statistic of its own (p_from_statistic covers those), no median, and no sign of a
within-group or time comparison ("from ... to", baseline, before/after, pre/post, a day or visit)
or of a subgroup ("in patients with", "among"). The two groups are the two labels of the paper's
group sizes ("diclofenac (n = 107)", "vehicle control (n = 109)") that the sentence names; the
statements take them in order of mention. Group sizes are uncertain in running text (dropouts,
missing values), so each n may lie anywhere from half the largest size given for that label to that
size, or to the paper's largest group less the other group (the label's sizes may all be
completer counts); two sizes in the sentence itself ("the 18 hungry subjects of the trained group")
are taken as they are. The reported p must fall within the Student or Welch p-range over those sizes and the
rounding of the means and SDs (audit.summary_tests). A mismatch may also mean another test
(ANCOVA, non-parametric), so it is minor and uncertain.
"""

from __future__ import annotations

import math
import re

from audit.claims import Paper, finding, span_of
from audit.summary_tests import p_consistent, ttest_p_range
from schemas import Cohort, Finding, PValue, SummaryStat

__all__ = ["check_comparisons"]

# the share of a group's stated size that may still be behind a mean in running text
MIN_SHARE = 0.5
GENERIC_LABELS = {
    "patients", "patient", "participants", "subjects", "population", "group", "groups", "total", "all",
    "cases", "persons", "people", "individuals", "children", "adults", "women", "men", "volunteers",
}  # fmt: skip
RE_WITHIN = re.compile(
    r"\b(from|baseline|before|after|pre|post|pre-?treatment|post-?treatment|pre-?operative|post-?operative|"
    r"day|days \d|visit|week \d|month \d|\d+(?:st|nd|rd|th)|median|iqr|range|change from|"
    r"in patients with|among|subgroup|those with|in the subset)\b",
    re.I,
)


def _labelled_sizes(paper: Paper) -> dict[str, list[Cohort]]:
    out: dict[str, list[Cohort]] = {}
    for e in paper.of_kind("cohort"):
        if not isinstance(e, Cohort) or e.cited or not e.label:
            continue
        label = e.label.strip().lower()
        if label in GENERIC_LABELS or len(label) < 3:
            continue
        out.setdefault(label, []).append(e)
    return out


def _inside(e: Cohort, stats: list[SummaryStat]) -> bool:
    """A 'cohort' read off an SD ("-0.48 ± 24 in the intervention group") is no group size."""
    return any(s.start <= e.start < s.end or e.start <= s.start < e.end for s in stats)


def _mentions(label: str, sentence: str) -> int | None:
    """Where the sentence names the label (a whole word, not inside 'non-<label>'), else None."""
    m = re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", sentence)
    return m.start() if m else None


def _p_range(
    a: SummaryStat, b: SummaryStat, sizes: tuple[tuple[int, int], tuple[int, int]]
) -> tuple[float, float]:
    (lo1, hi1), (lo2, hi2) = sizes
    assert a.sd is not None and b.sd is not None
    p_min, p_max = 1.0, 0.0
    for student in (True, False):
        low, _ = ttest_p_range(a.mean, a.sd, hi1, b.mean, b.sd, hi2, a.mean_decimals, a.sd_decimals, student)
        _, high = ttest_p_range(a.mean, a.sd, lo1, b.mean, b.sd, lo2, a.mean_decimals, a.sd_decimals, student)
        p_min, p_max = min(p_min, low), max(p_max, high)
    return p_min, p_max


def check_comparisons(paper: Paper) -> list[Finding]:
    sizes = _labelled_sizes(paper)
    cohorts = [e.n for e in paper.of_kind("cohort") if isinstance(e, Cohort) and not e.cited]
    total = max(cohorts, default=0)
    by_sentence: dict[tuple[int, int], list] = {}
    for e in paper.entities:
        if e.table is None and not getattr(e, "cited", False):
            by_sentence.setdefault(paper.sentence(e.start, e.end), []).append(e)
    out: list[Finding] = []
    for (lo, hi), ents in by_sentence.items():
        stats = [e for e in ents if isinstance(e, SummaryStat) and e.sd is not None and e.dispersion != "SE"]
        ps = [e for e in ents if isinstance(e, PValue) and e.value is not None and e.operator is not None]
        if len(stats) != 2 or len(ps) != 1 or any(e.kind == "statistic" for e in ents):
            continue
        a, b = sorted(stats, key=lambda e: e.start)
        p = ps[0]
        sentence = paper.text[lo:hi].lower().replace("-\n", "")
        if p.start < b.end or RE_WITHIN.search(sentence):
            continue
        in_sentence = sorted(
            (e for e in ents if isinstance(e, Cohort) and e.start < p.start and not _inside(e, stats)),
            key=lambda e: e.start,
        )
        if len(in_sentence) == 2:
            # "the 18 hungry subjects of the trained group (80.1 ± 6.3) than the 42 hungry controls
            # (89.2 ± 10.2)": the sentence's own sizes, exact
            groups = [c.label or "group" for c in in_sentence]
            b1, b2 = ((c.n, c.n) for c in in_sentence)
            size_ev = list(in_sentence)
        else:
            named = sorted((pos, label) for label in sizes if (pos := _mentions(label, sentence)) is not None)
            if len({label for _, label in named}) != 2:
                continue
            groups = [label for _, label in named]
            ns = [sorted(c.n for c in sizes[g]) for g in groups]
            # the label's smaller sizes are often categories within the group ("4 in group A")
            lows = [max(2, math.floor(MIN_SHARE * n[-1])) for n in ns]
            # a label's largest size may be a completer count: up to the total less the other group
            b1 = (lows[0], max(ns[0][-1], total - lows[1]))
            b2 = (lows[1], max(ns[1][-1], total - lows[0]))
            size_ev = [sizes[groups[0]][0], sizes[groups[1]][0]]
        try:
            p_min, p_max = _p_range(a, b, (b1, b2))
        except ValueError:
            continue
        operator = p.operator
        if operator == "=" and (p.decimals or 0) >= 3 and abs(p.value - 10.0**-p.decimals) < 1e-12:
            operator = "<="  # "p = 0.0001": the floor some software prints for anything smaller
        ok = p_consistent(p.value, operator, p_min, p_max, p.decimals)  # type: ignore[arg-type]
        said_p = paper.text[p.start : p.end]
        head = (
            f"{paper.text[a.start : a.end]} ({groups[0]}, n {b1[0]}–{b1[1]}) vs "
            f"{paper.text[b.start : b.end]} ({groups[1]}, n {b2[0]}–{b2[1]}): Student or Welch t gives "
            f"p from {p_min:.3g} to {p_max:.3g}"
        )
        ev = [span_of(a), span_of(b), span_of(p)] + [span_of(c) for c in size_ev]
        if ok:
            out.append(
                finding("p_from_summary_stats", "consistent", f"{head}; reported '{said_p}' fits.", ev)
            )
        else:
            msg = (
                f"{head}; the reported '{said_p}' is outside that range: check the means, SDs, "
                "group sizes, or whether another test was used."
            )
            out.append(
                finding(
                    "p_from_summary_stats", "inconsistent", msg, ev, "minor", [p_min, p_max], p.value, True
                )
            )
    return out
