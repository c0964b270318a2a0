"""narrative_vs_narrative: a number the text states twice (abstract, results, discussion) must agree.

Rules:
- **Restated percent**: a percentage given alone ("a marker response in 21%", "tumor stabilization
  in 73%") is linked to the claims elsewhere in the text that give it with its count ("In 4
  patients (21%) ... a major marker response"): those whose sentence shares a distinctive word stem
  of the phrase that names the outcome ("marker", "stabiliz"). A restatement equal to none of the
  linked percents is flagged (uncertain: the link rests on words).
- **Restated mean ± SD**: two mean ± SD statements in different sections with the same unit,
  sharing two distinctive word stems of the words before them ("the average time before relapse was
  16.1 ± 7.8 mo" ... "time between the onset of cure and relapse was 16.1 ± 7.8 mo"), and equal
  in one of mean or SD: the other must be equal too (uncertain: the link rests on words).
Only numbers of this paper's own patients (not `cited`) and outside tables are compared.
"""

from __future__ import annotations

import re

from audit.claims import Paper, finding, span_of
from schemas import EntityBase, Finding, ResponseRate, SummaryStat

__all__ = ["check_restated"]

STEM = 6
# words that name no particular outcome or variable: sharing them links nothing
GENERIC = {
    w[:STEM] for w in (
        "patients", "subjects", "participants", "response", "rate", "tumor", "tumour", "group", "treated",
        "therapy", "total", "overall", "mean", "average", "median", "value", "level", "there", "their",
        "these", "those", "which", "after", "before", "during", "between", "among", "within", "while",
        "where", "other", "showed", "observed", "reported", "have", "with", "significant", "this", "that",
        "were", "from", "only",
    )
}  # fmt: skip
RE_WORD = re.compile(r"[A-Za-z]{4,}")
RE_UNIT_AFTER = re.compile(r"\s*([A-Za-z%µμ/][\w/%µμ.-]*)")


def _clean(text: str) -> str:
    """Line-break hyphenation undone ("re-\\nsponse" -> "response"), lower case."""
    return re.sub(r"-\s*\n\s*", "", text).lower()


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in RE_WORD.findall(_clean(text))} - GENERIC


def _naming_words(paper: Paper, e: EntityBase, before: int = 6) -> set[str]:
    """Distinctive stems of the clause that names the number: the words before it, back to a comma."""
    lo, _ = paper.sentence(e.start, e.end)
    head = paper.text[lo : e.start] + paper.text[e.start : e.end]
    head = re.split(r"\d+(?:\.\d+)?\s*%", head)[-2] if head.count("%") > 1 else head
    clause = re.split(r"[,;:(]", head)[-1] if re.search(r"[A-Za-z]{4,}", re.split(r"[,;:(]", head)[-1]) else head
    words = RE_WORD.findall(_clean(clause))[-before:]
    return {w[:STEM] for w in words} - GENERIC


def _restated_percents(paper: Paper) -> list[Finding]:
    rates = [e for e in paper.narrative("response_rate") if isinstance(e, ResponseRate) and not e.cited]
    counted = [e for e in rates if e.percent is not None and e.numerator is not None]
    out: list[Finding] = []
    for r in rates:
        if r.percent is None or r.numerator is not None:
            continue
        names = _naming_words(paper, r)
        if not names:
            continue
        own = paper.sentence(r.start, r.end)
        linked = []
        for e in counted:
            lo, hi = paper.sentence(e.start, e.end)
            if (lo, hi) != own and names & _stems(paper.text[lo:hi]):
                linked.append(e)
        if not linked:
            continue
        # Linked by words only: the restatement must equal one of the percents it may restate.
        percents = sorted({e.percent for e in linked if e.percent is not None})
        said = paper.text[r.start : r.end]
        ev = [span_of(r)] + [span_of(e) for e in linked]
        if r.percent in percents:
            ref = next(e for e in linked if e.percent == r.percent)
            msg = f"'{said}' restates {r.percent:g}% of '{paper.text[ref.start : ref.end]}'."
            out.append(finding("narrative_vs_narrative", "consistent", msg, [span_of(r), span_of(ref)]))
        else:
            where = "; ".join(f"'{paper.text[e.start : e.end]}'" for e in linked[:3])
            msg = (
                f"'{said}' gives {r.percent:g}%, but the claims elsewhere about the same outcome give "
                f"{', '.join(f'{p:g}%' for p in percents)} ({where}); one is wrong, or they concern other groups."
            )
            out.append(
                finding("narrative_vs_narrative", "inconsistent", msg, ev, "minor", percents, r.percent, True)
            )
    return out


def _unit_after(paper: Paper, e: EntityBase) -> str:
    m = RE_UNIT_AFTER.match(paper.text, e.end)
    return m.group(1).lower() if m else ""


def _restated_means(paper: Paper) -> list[Finding]:
    stats = [
        e for e in paper.narrative("summary_stat")
        if isinstance(e, SummaryStat) and not e.cited and e.sd is not None
    ]  # fmt: skip
    out: list[Finding] = []
    for k, a in enumerate(stats):
        for b in stats[k + 1 :]:
            if paper.sentence(a.start, a.end) == paper.sentence(b.start, b.end):
                continue
            same_mean, same_sd = a.mean == b.mean, a.sd == b.sd
            if not (same_mean or same_sd) or _unit_after(paper, a) != _unit_after(paper, b):
                continue  # both numbers differ: nothing links the two statements
            # A restatement is in another part of the paper (abstract / results / discussion) and named
            # alike; within one section equal SDs of different groups or times are common.
            if a.section is None or a.section == b.section:
                continue
            if len(_naming_words(paper, a) & _naming_words(paper, b)) < 2:
                continue
            if same_mean and same_sd:
                msg = f"'{paper.text[a.start : a.end]}' is restated as '{paper.text[b.start : b.end]}'."
                out.append(finding("narrative_vs_narrative", "consistent", msg, [span_of(a), span_of(b)]))
                continue
            what = "SD" if same_mean else "mean"
            msg = (
                f"'{paper.text[a.start : a.end]}' and '{paper.text[b.start : b.end]}' describe the same "
                f"variable with the same {'mean' if same_mean else 'SD'} but a different {what}."
            )
            expected, reported = (a.sd, b.sd) if same_mean else (a.mean, b.mean)
            out.append(
                finding(
                    "narrative_vs_narrative", "inconsistent", msg, [span_of(a), span_of(b)], "minor",
                    expected, reported, True,
                )
            )  # fmt: skip
    return out


def check_restated(paper: Paper) -> list[Finding]:
    return _restated_percents(paper) + _restated_means(paper)
