"""label_swap: a 2×2 diagnostic table whose row labels contradict the sensitivity and specificity the
text cites from it.

Rule: the text says "the sensitivity and specificity of <marker> <finding> to be a% and b%". The table
whose caption names sensitivity/specificity and the same marker has two outcome groups (column groups
with a % column each) and two rows, one of them labelled with the finding ("Increase"), the other its
complement. Sensitivity is the share of one group in the finding's row, specificity the share of the
other group in the complement row. If the cited values sit there (for either choice of the diseased
group), the labels agree; if they sit exactly in the *other* rows, the row labels (or the text) are
swapped. Anything else is left unverifiable.

A sensitivity/specificity pair of a marker no table reports ("Table 7" absent from the text) is read
against the groups of the paper's diagnostic tables when they all have the same two group sizes
(the Total row of each group's n column, or its header n): the two percentages must be k/n of one group
and k/n of the other (percent_recompute, uncertain: the groups are assumed shared).
"""

from __future__ import annotations

import re

from audit.claims import Grid, Paper, finding, norm_label, norm_map, norm_text, parse_number
from audit.percent import check_percent
from schemas import EvidenceSpan, Finding

__all__ = ["check_label_swaps"]

RE_SENS = re.compile(
    r"(sensitivity and specificity|specificity and sensitivity) of (?:an? |the )?(.{1,60}?)"
    r"\s+(?:to be|were|was|of|:)\s*(\d+(?:\.\d+)?)\s*% and (\d+(?:\.\d+)?)\s*%"
)
RE_TOTAL = re.compile(r"^\s*(total|all|overall)\b", re.I)
STOP = {"a", "an", "the", "of", "in", "to", "and", "level", "levels", "serum", "change"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9][a-z0-9-]*", text) if w not in STOP}


def _pct_columns(g: Grid) -> dict[str, int]:
    """Column group label -> its % column (Total groups left out)."""
    out: dict[str, int] = {}
    for j, lab in g.col_labels.items():
        span = g.span_labels.get(j, "")
        if lab.strip() == "%" and span and not RE_TOTAL.match(span):
            out.setdefault(span, j)
    return out


def _diagnostic(g: Grid) -> bool:
    cap = norm_text(g.table.caption or "")
    return "sensitivity" in cap or "specificity" in cap


def _group_sizes(g: Grid) -> tuple[tuple[int, int], list[EvidenceSpan | None]] | None:
    """The two outcome groups' sizes of a diagnostic table (header n, else the Total row's n cell)."""
    totals = [i for i in range(g.n_body) if RE_TOTAL.match(g.row_label(i))]
    sizes, ev = [], []
    for _, c in sorted(_pct_columns(g).items(), key=lambda kv: kv[1]):
        n = g.col_n(c) or g.col_n(c - 1)
        where = g.header_span(c)
        if n is None and len(totals) == 1 and g.col_labels.get(c - 1, "").strip().lower() == "n":
            x = parse_number(g.text(totals[0], c - 1))
            n, where = (
                (int(x), g.span(totals[0], c - 1))
                if x is not None and x == int(x) and x > 0
                else (None, None)
            )
        if n is None:
            return None
        sizes.append(n)
        ev.append(where)
    return ((sizes[0], sizes[1]), ev) if len(sizes) == 2 else None


def _shared_groups(paper: Paper, sens: str, spec: str, subject: str, claim: EvidenceSpan) -> list[Finding]:
    """A pair no table reports, against the one pair of group sizes all diagnostic tables share."""
    found = [gs for g in paper.grids if _diagnostic(g) and (gs := _group_sizes(g))]
    if not found or len({gs[0] for gs in found}) != 1:
        return []
    (n1, n2), ev = found[0]

    def fits(p: str, n: int) -> bool:
        return check_percent(p, n).status == "consistent"

    pairs = [(a, b) for a, b in ((n1, n2), (n2, n1)) if fits(sens, a) and fits(spec, b)]
    head = f"Sensitivity {sens}% and specificity {spec}% of {subject}"
    groups = f"the diagnostic groups of n = {n1} and n = {n2}"
    if pairs:
        a, b = pairs[0]
        msg = f"{head} are attainable with {groups} (k/{a} and k/{b})."
        return [finding("percent_recompute", "consistent", msg, [claim, *ev], uncertain=True)]
    msg = (
        f"{head}: no count k of {groups} gives both (sensitivity k/{n1} with specificity k/{n2}, or the "
        "other way round); check the percentages or the groups."
    )
    return [
        finding("percent_recompute", "inconsistent", msg, [claim, *ev], "minor", [n1, n2], [sens, spec], True)
    ]


def check_label_swaps(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    text = paper.text
    for m0 in re.finditer(r"sensitivity", text, re.I):
        s, e = paper.sentence(m0.start(), m0.end())
        if any(f.evidence and s <= f.evidence[0].start < e for f in out):
            continue
        norm, idx = norm_map(text[s:e], s)
        for m in RE_SENS.finditer(norm):
            order, subject, a, b = m.group(1), m.group(2), m.group(3), m.group(4)
            sens, spec = (a, b) if order.startswith("sensitivity") else (b, a)
            words = _words(subject)
            ev_text = EvidenceSpan(start=idx[m.start()], end=idx[m.end() - 1] + 1)
            linked = [
                g for g in paper.grids
                if _diagnostic(g) and words
                and words <= _words(norm_text(g.table.caption or "")) | _words(norm_label(g.col_labels.get(0, "")))
            ]  # fmt: skip
            if not linked:
                out += _shared_groups(paper, sens, spec, subject, ev_text)
            for g in linked:
                rows = [i for i in range(g.n_body) if g.row_label(i) and not RE_TOTAL.match(g.row_label(i))]
                pcts = _pct_columns(g)
                if len(rows) != 2 or len(pcts) != 2:
                    continue
                pos = [i for i in rows if norm_label(g.row_label(i)) in words]
                if len(pos) != 1:
                    continue
                p_row = pos[0]
                n_row = rows[0] if rows[1] == p_row else rows[1]
                (g1, c1), (g2, c2) = list(pcts.items())
                val = {(i, c): parse_number(g.text(i, c)) for i in rows for c in (c1, c2)}
                fs, fp = float(sens), float(spec)

                def hit(x: float | None, y: float) -> bool:
                    return x is not None and abs(x - y) < 1e-6

                as_printed = [(ga, gb) for ga, ca, gb, cb in ((g1, c1, g2, c2), (g2, c2, g1, c1))
                              if hit(val[(p_row, ca)], fs) and hit(val[(n_row, cb)], fp)]  # fmt: skip
                swapped = [(ga, gb) for ga, ca, gb, cb in ((g1, c1, g2, c2), (g2, c2, g1, c1))
                           if hit(val[(n_row, ca)], fs) and hit(val[(p_row, cb)], fp)]  # fmt: skip
                cells = [g.span(i, c) for i in rows for c in (c1, c2)] + [g.span(i, 0) for i in rows]
                ev = [ev_text] + cells
                pl, nl = g.row_label(p_row), g.row_label(n_row)
                if as_printed:
                    ga, gb = as_printed[0]
                    msg = (
                        f"The text's sensitivity {sens}% and specificity {spec}% of {subject} are {g.label}'s "
                        f"{ga} in the '{pl}' row and {gb} in the '{nl}' row: the labels agree."
                    )
                    out.append(finding("label_swap", "consistent", msg, ev))
                elif swapped:
                    ga, gb = swapped[0]
                    msg = (
                        f"The text gives sensitivity {sens}% and specificity {spec}% of {subject}, but in "
                        f"{g.label} {sens}% is {ga} in the '{nl}' row and {spec}% is {gb} in the '{pl}' row; "
                        f"as labelled, sensitivity would be {val[(p_row, c1 if ga == g1 else c2)]}% and "
                        f"specificity {val[(n_row, c2 if ga == g1 else c1)]}%: the '{pl}'/'{nl}' labels "
                        "(or the text) are swapped."
                    )
                    out.append(
                        finding("label_swap", "inconsistent", msg, ev, "major", [sens, spec], "swapped rows")
                    )
                else:
                    msg = (
                        f"The text's sensitivity {sens}% and specificity {spec}% of {subject} are not among "
                        f"{g.label}'s percentages."
                    )
                    out.append(finding("label_swap", "unverifiable", msg, ev))
    return out
