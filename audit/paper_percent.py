"""percent_recompute: every narrative percentage against its count and denominator.

Rules (audit.percent does the arithmetic):
- k of N (p%): k/N must give p by conventional rounding with p's decimals; a match by truncation only
  is an inconsistent *minor* finding (a reporting habit, but the printed value is not k/N).
- k (p%) without N printed: first, is there any N at all for which k/N rounds to p? If not, the pair
  is impossible whatever the denominator. Otherwise the extractor's inferred N is used, marked uncertain.
- p% of N without k: GRIM for percentages (some k in 0..N must give p).
- p% alone: N is the paper's one study population where it has one (uncertain); else unverifiable.
Approximate wording ("about 8%") and cited studies make a finding uncertain.
"""

from __future__ import annotations

import re

from audit.claims import Grid, Paper, finding, n_from_label, parse_number, span_of
from audit.percent import check_percent, feasible_denominators, percent_decimals
from schemas import EntityBase, Finding

__all__ = ["check_percents"]

RE_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
RE_K_OF_N = re.compile(
    r"(?<![\w.])(\d+|" + "|".join(WORDS) + r") of (?:the |these |those )?(?:remaining )?(\d+)(?![\d.])", re.I
)
DEFAULT_MAX_N = 100_000  # beyond this denominator search, a count with its percentage is left unverified
RE_OF_GROUP = re.compile(r"\s*of\s+(?!\d)\w", re.I)
RE_APPROX = re.compile(r"\b(about|approximately|approx\.?|around|nearly|almost|roughly|some|~|≈)\s*$", re.I)


def _literal(paper: Paper, e: EntityBase, value: float) -> tuple[str, int, int] | None:
    """The percent as printed inside the entity's span (keeps its decimals), with its offsets."""
    text = paper.text[e.start : e.end]
    best = None
    for m in RE_PCT.finditer(text):
        if abs(float(m.group(1)) - value) < 1e-9:
            best = (m.group(1), e.start + m.start(), e.start + m.end())
    return best


def _int(word: str) -> int:
    return int(word) if word.isdigit() else WORDS[word.lower()]


def _printed(paper: Paper, e: EntityBase, n: int) -> bool:
    return re.search(rf"(?<![\d.]){n}(?![\d.])", paper.text[e.start : e.end]) is not None


def _approx(paper: Paper, start: int) -> bool:
    return RE_APPROX.search(paper.text[max(0, start - 40) : start]) is not None


RE_TOTAL = re.compile(r"^\s*(total|all)\b", re.I)


def _table_percents(paper: Paper) -> list[Finding]:
    """Tables with 'n' and '%' columns under one group label: each % against n / the group's total."""
    out: list[Finding] = []
    for g in paper.grids:
        for j, lab in g.col_labels.items():
            if (
                lab.strip() != "%"
                or j < 1
                or g.col_labels.get(j - 1, "").strip().lower() not in ("n", "no.", "no")
            ):
                continue
            if g.span_labels.get(j) != g.span_labels.get(j - 1):
                continue
            total_rows = [i for i in range(g.n_body) if RE_TOTAL.match(g.row_label(i))]
            n_total = g.col_n(j - 1)
            total_cell = None
            if n_total is None and len(total_rows) == 1:
                x = parse_number(g.text(total_rows[0], j - 1))
                if x is not None and x == int(x) and x > 0:
                    n_total, total_cell = int(x), g.span(total_rows[0], j - 1)
            if not n_total:
                continue
            for i in range(g.n_body):
                if i in total_rows:
                    continue
                k, pct = parse_number(g.text(i, j - 1)), g.text(i, j).strip().rstrip("%").strip()
                if k is None or k != int(k) or parse_number(pct) is None:
                    continue
                v = check_percent(pct, n_total, int(k))
                where = f"{g.label} {g.row_label(i)} ({g.col_label(j)})"
                ok = v.status == "consistent" and v.method == "rounding"
                status = (
                    "consistent" if ok else "inconsistent" if v.status != "unverifiable" else "unverifiable"
                )
                msg = f"{where}: {v.message}" + (
                    "" if ok or v.status != "consistent" else " Not by conventional rounding."
                )
                ev = [g.span(i, j - 1), g.span(i, j), total_cell]
                out.append(finding("percent_recompute", status, msg, ev, "minor", v.expected, pct))
    return out


RE_K_PCT = re.compile(r"^\s*(\d{1,6})\s*\(\s*(\d{1,3}(?:\.\d{1,2})?)\s*%?\s*\)\s*[*†‡§¶]?\s*$")
RE_SAYS_PERCENT = re.compile(r"%|percent|n\s*\(\s*%|no\.?\s*\(\s*%|numbers?\s*\(\s*percent", re.I)


def _column_ns(g: Grid) -> dict[int, int]:
    """n per column: '(n = 392)' in its header, or in a body row of such labels right under it."""
    ns = {j: n for j in range(1, g.n_cols()) if (n := g.col_n(j))}
    for i in range(min(2, g.n_body)):
        found = {j: n for j in range(1, len(g.body(i))) if (n := n_from_label(g.text(i, j)))}
        if found and all(re.fullmatch(r"\s*\(?\s*n\s*=\s*\d+\s*\)?\s*", g.text(i, j)) for j in found):
            ns.update({j: n for j, n in found.items() if j not in ns})
    return ns


def _table_count_percents(paper: Paper) -> list[Finding]:
    """ "k (p)" cells of tables that say they hold numbers (percentages), against the column's n.

    A printed percentage below k/n cannot come from any smaller denominator (missing data only
    raises it), so it is inconsistent; one above k/n may be a smaller analysed group: left unverified.
    When over a third of a column's cells miss its n, the column has another denominator (weighted
    percentages, a misread header): its cells are left unverified.
    """
    out: list[Finding] = []
    for g in paper.grids:
        ns = _column_ns(g)
        if not ns:
            continue
        by_column: dict[int, list[Finding]] = {}
        table_says = RE_SAYS_PERCENT.search(g.table.caption or "") is not None
        section = ""  # the label of the last row with no values ("Race, n (%)") heads the rows under it
        for i in range(g.n_body):
            if not any(g.text(i, j).strip() for j in range(1, len(g.body(i)))):
                section = g.row_label(i)
                continue
            row_says = RE_SAYS_PERCENT.search(f"{section} {g.row_label(i)}") is not None
            for j, n in ns.items():
                m = RE_K_PCT.match(g.text(i, j))
                if not m or not (table_says or row_says or RE_SAYS_PERCENT.search(g.col_label(j))):
                    continue
                k, pct = int(m.group(1)), m.group(2)
                if k > n or abs(100 * k / n - float(pct)) > 5:
                    continue  # another denominator altogether
                v = check_percent(pct, n, k)
                where = f"{g.label} {g.row_label(i)} ({g.col_label(j)}, n = {n})"
                ev = [g.span(i, j)]
                if v.status == "consistent" and v.method == "rounding":
                    f = finding("percent_recompute", "consistent", f"{where}: {v.message}", ev)
                elif float(pct) < 100 * k / n:
                    msg = f"{where}: {v.message}" + (
                        " Not by conventional rounding." if v.status == "consistent" else ""
                    )
                    f = finding("percent_recompute", "inconsistent", msg, ev, "minor", v.expected, pct)
                else:
                    msg = f"{where}: {k}/{n} = {100 * k / n:.2f}%, printed {pct}%: possible only with a smaller analysed n."
                    f = finding("percent_recompute", "unverifiable", msg, ev)
                by_column.setdefault(j, []).append(f)
        kept: list[Finding] = []
        for found in by_column.values():
            bad = [f for f in found if f.status == "inconsistent"]
            if len(bad) > max(1, len(found) // 3):
                # most of a column missing its n: the percentages have another denominator (weighted,
                # non-missing, a header misread); no single cell is to blame
                found = [f.model_copy(update={"status": "unverifiable", "severity": "info"}) for f in found]
            kept.extend(found)
        out.extend(sorted(kept, key=lambda f: f.evidence[0].start if f.evidence else 0))  # row by row
    return out


def check_percents(paper: Paper) -> list[Finding]:
    out: list[Finding] = _table_percents(paper) + _table_count_percents(paper)
    main = paper.main_cohort()
    for e in paper.entities:
        kind = getattr(e, "kind", None)
        if kind not in ("response_rate", "toxicity") or e.table is not None:
            continue
        pct = getattr(e, "percent", None)
        if pct is None:
            continue
        lit = _literal(paper, e, pct)
        if lit is None:
            continue
        shown, p_start, _ = lit
        k = getattr(e, "numerator", None) if kind == "response_rate" else getattr(e, "count", None)
        n = getattr(e, "denominator", None) if kind == "response_rate" else None
        # the counts as printed win over the extractor's: an inferred denominator may have been
        # derived from the very percentage under test, so it is not used at all
        printed = RE_K_OF_N.search(paper.text[e.start : p_start])
        if printed:
            k, n = _int(printed.group(1)), int(printed.group(2))
        inferred = False
        if not printed and n is not None and not _printed(paper, e, n):
            # with no count, an inferred N cannot come from the percentage: use it, flagged uncertain
            n, inferred = (None, False) if k is not None else (n, True)
        # "(47% of group A)": the percentage names its own denominator, which may not be the printed N
        if n is not None and k is not None and RE_OF_GROUP.match(paper.text[lit[2] : lit[2] + 30]):
            v0 = check_percent(shown, n, k)
            if not (v0.status == "consistent" and v0.method == "rounding"):
                n = None
        uncertain = e.uncertain or e.cited or inferred or _approx(paper, p_start)
        where = f"'{' '.join(paper.text[e.start : e.end].split())}'"
        ev = [span_of(e)]
        if k is not None and k > 0 and n is None:
            # Is any denominator possible at all for k and p?
            # the largest N that could still give p: k / N * 100 >= p - half a unit
            low = float(shown) - 0.5 * 10.0 ** -percent_decimals(shown)
            n_max = int(100 * k / low) + 1 if low > 0 else DEFAULT_MAX_N + 1
            if n_max <= DEFAULT_MAX_N and not feasible_denominators(k, shown, n_max=n_max):
                lo_n = max(k, int(100 * k // float(shown))) if float(shown) > 0 else k
                alt = "; nearest: " + ", ".join(
                    f"{k}/{m} = {100 * k / m:.2f}%" for m in (lo_n, lo_n + 1) if m > 0
                )
                msg = (
                    f"{where}: no denominator N makes {k}/N round to {shown}%{alt}; "
                    "check the count or the percentage."
                )
                out.append(
                    finding(
                        "percent_recompute", "inconsistent", msg, ev, "minor", None, f"{shown}%", uncertain
                    )
                )
                continue
            if n is None:
                msg = (
                    f"{where}: {k} with {shown}% is possible for some N, but the paper does not state N here."
                )
                out.append(finding("percent_recompute", "unverifiable", msg, ev, uncertain=uncertain))
                continue
            uncertain = True  # N inferred by the extractor
        if n is None and k is None:
            if main is None:
                msg = f"{where}: {shown}% has no stated denominator and the paper has no single study population."
                out.append(finding("percent_recompute", "unverifiable", msg, ev, uncertain=uncertain))
                continue
            n, uncertain = main, True
        if n is None or n <= 0 or (k is not None and k > n):
            continue
        if n is not None and k is None and not _printed(paper, e, n) and n != main:
            uncertain = True
        v = check_percent(shown, n, k)
        basis = f"{k}/{n}" if k is not None else f"N = {n}"
        if v.status == "consistent" and v.method == "rounding":
            msg = f"{where}: {v.message}"
            out.append(
                finding(
                    "percent_recompute",
                    "consistent",
                    msg,
                    ev,
                    expected=v.expected,
                    reported=f"{shown}%",
                    uncertain=uncertain,
                )
            )
        elif v.status == "consistent":
            msg = f"{where}: {v.message} The printed {shown}% is not {basis} by conventional rounding."
            out.append(
                finding(
                    "percent_recompute", "inconsistent", msg, ev, "minor", v.expected, f"{shown}%", uncertain
                )
            )
        elif v.status == "inconsistent":
            msg = f"{where}: {v.message}"
            out.append(
                finding(
                    "percent_recompute", "inconsistent", msg, ev, "minor", v.expected, f"{shown}%", uncertain
                )
            )
        else:
            out.append(
                finding("percent_recompute", "unverifiable", f"{where}: {v.message}", ev, uncertain=uncertain)
            )
    return out
