"""narrative_vs_narrative: a number the text states twice (abstract, results, discussion) must agree.

Rules:
- **Restated percent**: a percentage given alone ("a marker response in 21%", "tumor stabilization
  in 73%") is linked to the claims elsewhere in the text that give it with its count ("In 4
  patients (21%) ... a major marker response"): those whose sentence shares the distinctive word
  stems of the phrase that names the outcome ("marker", "stabiliz"; two when it has two or more). A restatement equal to none of the
  linked percents is flagged (uncertain: the link rests on words).
- **Restated mean ± SD**: two mean ± SD statements in different sections with the same unit,
  sharing two distinctive word stems of the words before them ("the average time before relapse was
  16.1 ± 7.8 mo" ... "time between the onset of cure and relapse was 16.1 ± 7.8 mo"), and equal
  in one of mean or SD, the other within 10% (mean) or 20% (SD) of it: the other must be equal too
  (uncertain: the link rests on words). Means of zero are not linked (change scores), nor values
  with several look-alikes (repeated measures): only a pair with no other candidate is judged.
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
# a percent in a sample-size or power statement is an assumption, not a result
RE_PLANNING = re.compile(r"\b(assum\w*|expect\w*|hypothes\w*|power|sample size|anticipat\w*)\b", re.I)
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
    last = re.split(r"[,;:(]", head)[-1]
    clause = last if RE_WORD.search(last) else head
    words = RE_WORD.findall(_clean(clause))[-before:]
    return {w[:STEM] for w in words} - GENERIC


RE_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*%")
WINDOW = 80  # characters each side of a counted claim that may name its outcome


def _outcome_words(paper: Paper, r: ResponseRate) -> set[str]:
    """Stems naming what a bare percent measures: its clause before the number ("a marker response
    in 21%"), or after it when nothing comes before ("25% of patients achieved recovery")."""
    lo, hi = paper.sentence(r.start, r.end)
    found = list(RE_PERCENT.finditer(paper.text, r.start, r.end))  # the entity's own is its last
    at, end = (found[-1].start(), found[-1].end()) if found else (r.start, r.end)
    before = re.split(r"[,;:()]", paper.text[lo:at])[-1]
    names = {w[:STEM] for w in RE_WORD.findall(_clean(before))[-6:]} - GENERIC
    if not names:
        after = re.split(r"[,;:()]", paper.text[end:hi])[0]
        names = {w[:STEM] for w in RE_WORD.findall(_clean(after))[:6]} - GENERIC
    return names


def _near_words(paper: Paper, e: EntityBase) -> set[str]:
    lo, hi = paper.sentence(e.start, e.end)
    return _stems(paper.text[max(lo, e.start - WINDOW) : min(hi, e.end + WINDOW)])


def _restated_percents(paper: Paper) -> list[Finding]:
    rates = [e for e in paper.narrative("response_rate") if isinstance(e, ResponseRate) and not e.cited]
    counted = [e for e in rates if e.percent is not None and e.numerator is not None]
    out: list[Finding] = []
    for r in rates:
        if r.percent is None or r.numerator is not None:
            continue
        names = _outcome_words(paper, r)
        own = paper.sentence(r.start, r.end)
        if not names or RE_PLANNING.search(paper.text[own[0] : own[1]]):
            continue
        linked = []
        for e in counted:
            if paper.sentence(e.start, e.end) != own and len(names & _near_words(paper, e)) >= min(
                2, len(names)
            ):
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


def _near(a: SummaryStat, b: SummaryStat) -> bool:
    """A restatement slip changes a digit or two; different variables that share an SD, or a mean of
    zero (change scores, standardised values), rarely lie this close."""
    assert a.sd is not None and b.sd is not None
    if a.mean == 0 or a.sd == 0:
        return False
    shared = a.sd if a.sd == b.sd else a.mean
    if len(f"{abs(shared):g}".replace(".", "").lstrip("0")) < 2:
        return False  # "0.05 (1.28)" and "0.05 (1.13)": one digit in common is no link
    if a.sd == b.sd:
        return abs(a.mean - b.mean) <= 0.1 * abs(a.mean)
    return abs(a.sd - b.sd) <= 0.2 * a.sd


def _restated_means(paper: Paper) -> list[Finding]:
    stats = [
        e for e in paper.narrative("summary_stat")
        if isinstance(e, SummaryStat) and not e.cited and e.sd is not None
    ]  # fmt: skip
    partners: dict[int, list[int]] = {k: [] for k in range(len(stats))}
    for k, a in enumerate(stats):
        for m in range(k + 1, len(stats)):
            b = stats[m]
            # A restatement is in another part of the paper (abstract / results / discussion), named
            # alike, with the same unit and a number in common.
            if a.section is None or a.section == b.section or not (a.mean == b.mean or a.sd == b.sd):
                continue
            if _unit_after(paper, a) != _unit_after(paper, b) or not _near(a, b):
                continue
            if len(_naming_words(paper, a) & _naming_words(paper, b)) < 2:
                continue
            partners[k].append(m)
            partners[m].append(k)
    out: list[Finding] = []
    for k, found in partners.items():
        # Repeated measures (one variable at many time points) give each value several look-alikes:
        # only a pair that has no other candidate on either side is a restatement.
        if len(found) != 1 or found[0] < k or len(partners[found[0]]) != 1:
            continue
        a, b = stats[k], stats[found[0]]
        said_a, said_b = paper.text[a.start : a.end], paper.text[b.start : b.end]
        if a.mean == b.mean and a.sd == b.sd:
            msg = f"'{said_a}' is restated as '{said_b}'."
            out.append(finding("narrative_vs_narrative", "consistent", msg, [span_of(a), span_of(b)]))
            continue
        same_mean = a.mean == b.mean
        msg = (
            f"'{said_a}' and '{said_b}' describe the same variable with the same "
            f"{'mean' if same_mean else 'SD'} but a different {'SD' if same_mean else 'mean'}."
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
