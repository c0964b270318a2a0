"""p-values: recomputed from their test statistic or from the table's summaries, and compared with the
table when the text reports them again.

Rules:
- **p_from_statistic** (statcheck): a Statistic entity with its df and the p-value printed right after
  it (same sentence) is checked by audit.pvalues.check_reported_stat; a decision error is major.
- **Comparison tables**: a table with two group rows carrying their n ("Responders (n = 33)"), mean ±
  SD cells, and a "P" row compares the groups column by column. Each table P is checked against the
  Student and Welch t-tests rebuilt from the cells (audit.summary_tests.check_ttest_p, rounding of
  every input allowed for); a mismatch may also mean another test was used, so it is minor.
- **Narrative claims linked to those columns**: a sentence that names both groups (whole words, glyph
  variants and hyphenation folded) and the column variables ("IL-2 and TNF-α"), with a time label
  ("before therapy") matching a spanning header, links each of its p-values to one column: k p-values
  with k variables map in order ("respectively"), one p-value covers every variable named. The
  narrative p is then compared with the table's P (narrative_vs_table) and with the recomputed test
  (p_from_summary_stats).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audit.claims import (
    Grid,
    MeanSD,
    Paper,
    finding,
    norm_label,
    norm_map,
    norm_text,
    parse_mean_sd,
    span_of,
    word_positions,
)
from audit.pvalues import check_reported_stat
from audit.summary_tests import SummaryVerdict, check_paired_p, check_ttest_p
from schemas import EntityBase, EvidenceSpan, Finding, ReportedStat
from schemas.records import Operator

__all__ = ["check_pvalues", "comparison_columns", "p_agree"]

RE_P_ROW = re.compile(r"^\s*p(\s*values?)?\s*$|^\s*p\s+between", re.I)
RE_P_CELL = re.compile(r"^\s*(?:p\s*)?([<>≤≥=]?)\s*(\d*\.\d+)\s*[*†‡§¶a-z]?\s*$", re.I)
OPERATORS: dict[str, Operator] = {"<": "<", "<=": "<=", "=": "=", ">=": ">=", ">": ">"}
OPS = {"≤": "<=", "≥": ">=", "": "=", "=": "=", "<": "<", ">": ">"}
STOP = {"the", "of", "in", "and", "after", "before", "mo", "months", "therapy", "treatment"}


@dataclass
class Column:
    """Two groups compared on one variable in one table column, with the table's P."""

    grid: Grid
    j: int
    rows: tuple[int, int]
    values: tuple[MeanSD, MeanSD]
    ns: tuple[int, int]
    p_row: int
    p_op: str
    p_value: float
    p_decimals: int
    variable: str  # normalised column label
    time: str  # spanning label ("" when none)


def parse_p_cell(text: str) -> tuple[str, float, int] | None:
    m = RE_P_CELL.match(text or "")
    if not m:
        return None
    num = m.group(2)
    return OPS.get(m.group(1), "="), float(num), len(num.split(".")[1])


def _p_entities(paper: Paper) -> dict[tuple[str, int, int], EntityBase]:
    """Table-cell p-values the extractor read (footnote marks resolved: '0.001*' with '*P < 0.001')."""
    out = {}
    for e in paper.of_kind("p_value"):
        if e.table and e.cell:
            out[(e.table, e.cell[0], e.cell[1])] = e
    return out


def comparison_columns(paper: Paper) -> list[Column]:
    out = []
    cell_ps = _p_entities(paper)
    for g in paper.grids:
        group_rows = [i for i in range(g.n_body) if g.row_n(i)]
        p_rows = [i for i in range(g.n_body) if RE_P_ROW.match(g.row_label(i))]
        if len(group_rows) != 2 or len(p_rows) != 1:
            continue
        pr = p_rows[0]
        for j in range(1, g.n_cols()):
            a, b = parse_mean_sd(g.text(group_rows[0], j)), parse_mean_sd(g.text(group_rows[1], j))
            p = parse_p_cell(g.text(pr, j))
            ent = cell_ps.get((g.label, g.row_index(pr), j))
            ent_value = getattr(ent, "value", None) if ent is not None else None
            if ent_value is not None:
                d = getattr(ent, "decimals", None) or (p[2] if p else 3)
                p = (getattr(ent, "operator", "="), float(ent_value), d)
            if a is None or b is None or p is None:
                continue
            out.append(
                Column(
                    g, j, (group_rows[0], group_rows[1]), (a, b),
                    (g.row_n(group_rows[0]) or 0, g.row_n(group_rows[1]) or 0), pr, p[0], p[1], p[2],
                    norm_label(g.col_labels.get(j, "")), norm_text(g.span_labels.get(j, "")),
                )
            )  # fmt: skip
    return out


def p_agree(op1: str, v1: float, d1: int, op2: str, v2: float, d2: int) -> bool:
    """Can two reports of one p-value both be right? ('=' values equal at the coarser decimals.)"""
    o1, o2 = op1.rstrip("="), op2.rstrip("=")
    if not o1 and not o2:
        d = min(d1, d2)
        # the finer value rounded to the coarser decimals, a tie going either way
        return abs(v1 - v2) <= 0.5 * 10.0**-d + 1e-9
    if o1 == "<" and not o2:
        return v2 <= v1
    if o2 == "<" and not o1:
        return v1 <= v2
    if o1 == ">" and not o2:
        return v2 >= v1
    if o2 == ">" and not o1:
        return v1 >= v2
    if o1 == o2:
        return True
    lo, hi = (v1, v2) if o1 == ">" else (v2, v1)  # p > lo and p < hi
    return lo < hi


def _fmt_p(op: str, v: float, d: int) -> str:
    return f"P {op} {v:.{d}f}"


def _ttest(col: Column, op: str, value: float, decimals: int) -> SummaryVerdict:
    (a, b), (n1, n2) = col.values, col.ns
    return check_ttest_p(
        a.m, a.s, n1, b.m, b.s, n2, value, op, decimals,
        max(a.mean_decimals, b.mean_decimals), max(a.sd_decimals, b.sd_decimals),
    )  # fmt: skip


def _bare(label: str) -> str:
    """A label without its bracketed units or (n = x): 'IL-2 (ng/mL)' -> 'IL-2'."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


def _plain(col: Column) -> str:
    """'IL-2 before therapy, Responders vs Nonresponders' for messages."""
    g = col.grid
    span = g.span_labels.get(col.j, "")
    var = _bare(g.col_labels.get(col.j, ""))
    when = f" {span[:1].lower() + span[1:]}" if span else ""
    return f"{var}{when}, {_bare(g.row_label(col.rows[0]))} vs {_bare(g.row_label(col.rows[1]))}"


def _where(col: Column) -> str:
    g = col.grid
    return f"{g.label} ({g.col_label(col.j)}, {g.row_label(col.rows[0])} vs {g.row_label(col.rows[1])})"


def _cells(col: Column) -> list[EvidenceSpan | None]:
    g = col.grid
    return [g.span(col.rows[0], col.j), g.span(col.rows[1], col.j)]


RE_CELL_MARK = re.compile(r"(?:([*†‡§¶#‖]+)|(?<=\d)([a-z]))\s*$")


def _footnote(paper: Paper, col: Column) -> EvidenceSpan | None:
    """The table footnote a marked P cell points to ("0.001*" -> "*P < 0.001 vs. control subjects."):
    it decides how the cell reads, so it is evidence too."""
    t = col.grid.table
    m = RE_CELL_MARK.search(col.grid.text(col.p_row, col.j))
    if m is None or t.start is None or t.end is None:
        return None
    mark = re.escape(m.group(1) or m.group(2))
    note = re.compile(rf"^[ \t]*{mark}[ \t]*P\b[^\n]*", re.M).search(paper.text, t.start, t.end)
    return EvidenceSpan(start=note.start(), end=note.end()) if note else None


def _table_p(paper: Paper, col: Column) -> Finding:
    v = _ttest(col, col.p_op, col.p_value, col.p_decimals)
    reported = _fmt_p(col.p_op, col.p_value, col.p_decimals)
    msg = f"{_where(col)} gives {reported}; recomputed from its means, SDs and n: {v.message}"
    note = _footnote(paper, col)
    if note is not None:
        msg += f" (The cell's mark refers to '{paper.text[note.start : note.end].strip()}'.)"
    ev = [col.grid.span(col.p_row, col.j)] + _cells(col) + [note]
    return finding("p_from_summary_stats", v.status, msg, ev, "minor", v.expected, reported)


# -- narrative links ------------------------------------------------------------------------------------


def _p_groups(paper: Paper, ps: list[EntityBase]) -> list[list[EntityBase]]:
    """Consecutive p-values printed together ("P = 0.519 and 0.178") form one group."""
    groups: list[list[EntityBase]] = []
    for e in sorted(ps, key=lambda x: x.start):
        if groups:
            gap = paper.text[groups[-1][-1].end : e.start]
            if len(gap) < 20 and re.fullmatch(r"[\s,;]*(and|or)?[\s,;]*(p\s*\S?\s*)?", gap, re.I):
                groups[-1].append(e)
                continue
        groups.append([e])
    return groups


def _time_of(norm: str, lo: int, hi: int, times: list[str]) -> str | None:
    """The spanning label named nearest to a p-value group at norm[lo:hi] (before or after it), by the
    words that tell the labels apart; None when no label is named or two are equally near."""
    if not times:
        return ""
    dist: dict[str, int] = {}
    for t in times:
        words = set(re.findall(r"[a-z0-9]+", t))
        others = set().union(*(set(re.findall(r"[a-z0-9]+", o)) for o in times if o != t))
        for w in words - others - {"mo", "d", "wk", "y"}:
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", norm):
                d = lo - m.end() if m.end() <= lo else m.start() - hi if m.start() >= hi else 0
                dist[t] = min(dist.get(t, 10**9), d)
    if not dist:
        return None
    ranked = sorted(dist.items(), key=lambda kv: kv[1])
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _narrative_links(paper: Paper, cols: list[Column]) -> list[Finding]:
    out: list[Finding] = []
    if not cols:
        return out
    by_grid: dict[str, list[Column]] = {}
    for c in cols:
        by_grid.setdefault(c.grid.label, []).append(c)
    ps = [e for e in paper.narrative("p_value") if not e.cited and not paper.in_table_region(e.start)]
    by_sentence: dict[tuple[int, int], list[EntityBase]] = {}
    for e in ps:
        by_sentence.setdefault(paper.sentence(e.start, e.end), []).append(e)
    for (s, e_), sent_ps in by_sentence.items():
        norm, idx = norm_map(paper.text[s:e_], s)
        for gcols in by_grid.values():
            g = gcols[0].grid
            groups = [norm_label(g.row_label(i)) for i in gcols[0].rows]
            named = [k for k, gl in enumerate(groups) if gl and word_positions(gl, norm)]
            if len(named) == 1:
                out += _within_group(paper, norm, idx, gcols, named[0], sent_ps)
                continue
            if len(named) != 2:
                continue
            variables = sorted(
                {
                    (min(pos), c.variable)
                    for c in gcols
                    if c.variable and (pos := word_positions(c.variable, norm))
                }
            )
            if not variables:
                continue
            names = [v for _, v in variables]
            times = sorted({c.time for c in gcols if c.time})
            for grp, pairs in _assign_groups(_p_groups(paper, sent_ps), names):
                # the time point named nearest the p-values, within the sentence
                lo = next((x for x, off in enumerate(idx) if off >= grp[0].start), len(norm))
                hi = next((x for x, off in enumerate(idx) if off >= grp[-1].end), len(norm))
                time = _time_of(norm, lo, hi, times) if times else ""
                if time is None:
                    continue
                for p, var in pairs:
                    match = [c for c in gcols if c.variable == var and (not times or c.time == time)]
                    if len(match) != 1:
                        continue
                    out += _compare(paper, p, match[0], (s, e_))
    return out


def _assign_groups(
    groups: list[list[EntityBase]], names: list[str]
) -> list[tuple[list[EntityBase], list[tuple[EntityBase, str]]]]:
    """Which variable each p-value is about. One p-value per variable in separate brackets ("IL-2
    increased (P < 0.001), whereas TNF-α decreased (P < 0.001)") maps in order; within one bracket,
    k p-values for k variables map in order ("respectively"); a lone p-value covers every variable."""
    if len(groups) > 1 and len(groups) == len(names) and all(len(g) == 1 for g in groups):
        return [(g, [(g[0], v)]) for g, v in zip(groups, names, strict=True)]
    out = []
    for g in groups:
        if len(g) == len(names):
            out.append((g, list(zip(g, names, strict=True))))
        elif len(g) == 1:
            out.append((g, [(g[0], v) for v in names]))
    return out


def _assign(groups: list[list[EntityBase]], names: list[str]) -> list[tuple[EntityBase, str]]:
    return [pair for _, pairs in _assign_groups(groups, names) for pair in pairs]


def _within_group(
    paper: Paper, norm: str, idx: list[int], gcols: list[Column], which: int, sent_ps: list[EntityBase]
) -> list[Finding]:
    """One group named, a change over the table's two time points: a paired test, r unknown.

    The correlation between the two measurements is not printed, so the p-value has bounds over
    r in [-1, 1] (audit.summary_tests.check_paired_p); the test itself is assumed, hence uncertain.
    """
    out: list[Finding] = []
    times = sorted({c.time for c in gcols if c.time})
    if len(times) != 2:
        return out
    variables = sorted(
        {(min(pos), c.variable) for c in gcols if c.variable and (pos := word_positions(c.variable, norm))}
    )
    names = [v for _, v in variables]
    if not names:
        return out
    for p, var in _assign(_p_groups(paper, sent_ps), names):
        cols = [c for c in gcols if c.variable == var]
        if len(cols) != 2 or cols[0].time == cols[1].time:
            continue
        a, b = cols[0].values[which], cols[1].values[which]
        n = cols[0].ns[which]
        op, value = getattr(p, "operator", "="), getattr(p, "value", None)
        if value is None:
            continue
        dec = getattr(p, "decimals", None) or 3
        v = check_paired_p(
            a.m, a.s, b.m, b.s, n, value, op, dec,
            max(a.mean_decimals, b.mean_decimals), max(a.sd_decimals, b.sd_decimals),
        )  # fmt: skip
        g = cols[0].grid
        who = g.row_label(cols[0].rows[which])
        msg = (
            f"The text gives {_fmt_p(op, value, dec)} for the change in {g.col_labels.get(cols[0].j, var)} "
            f"within {who} ({cols[0].time} vs {cols[1].time}, {g.label}); assuming a paired test: {v.message}"
        )
        ev = [span_of(p), g.span(cols[0].rows[which], cols[0].j), g.span(cols[1].rows[which], cols[1].j)]
        out.append(finding("p_from_summary_stats", v.status, msg, ev, "minor", v.bounds, value, True))
    return out


def _compare(paper: Paper, p: EntityBase, col: Column, sent: tuple[int, int]) -> list[Finding]:
    op = getattr(p, "operator", "=")
    value = getattr(p, "value", None)
    if value is None:
        return []
    dec = getattr(p, "decimals", None) or len(f"{value}".split(".")[-1])
    said = _fmt_p(op, value, dec)
    table_p = _fmt_p(col.p_op, col.p_value, col.p_decimals)
    where = _plain(col)
    out: list[Finding] = []
    agree = p_agree(op, value, dec, col.p_op, col.p_value, col.p_decimals)
    v = _ttest(col, op, value, dec)
    t = v.details.get("tests", {}).get("student") if v.details else None
    recomputed = (
        f"; recomputed from {col.grid.label}'s means, SDs and n: t({t.df:.0f}) = {abs(t.t):.2f}, P = {t.p:.3g}"
        if t
        else ""
    )
    ev_text = span_of(p)
    if agree:
        msg = f"{col.grid.label} gives {table_p} for {where}; the text gives {said}: consistent."
        out.append(
            finding(
                "narrative_vs_table",
                "consistent",
                msg,
                [ev_text, col.grid.span(col.p_row, col.j)],
                uncertain=p.uncertain,
            )
        )
    else:
        msg = f"{col.grid.label} gives {table_p} for {where}; the text gives {said}{recomputed}."
        out.append(
            finding(
                "narrative_vs_table", "inconsistent", msg, [ev_text, col.grid.span(col.p_row, col.j)],
                "major", table_p, said, p.uncertain,
            )
        )  # fmt: skip
    msg2 = f"The text gives {said} for {where}; recomputed from {col.grid.label}: {v.message}"
    sev = "major" if v.status == "inconsistent" else "info"
    out.append(
        finding(
            "p_from_summary_stats",
            v.status,
            msg2,
            [ev_text] + _cells(col),
            sev,
            v.expected,
            said,
            p.uncertain,
        )
    )
    return out


# -- statistics with their p ----------------------------------------------------------------------------


RE_P_IN_STAT = re.compile(r"\bp\s*(<=|>=|[<>=≤≥])\s*(0?\.\d+)", re.I)


def _p_of(paper: Paper, st: EntityBase, ps: list[EntityBase]) -> tuple[str, float, int, EvidenceSpan] | None:
    """The p-value printed with a statistic: inside its span ("t(28) = 2.20, p = .03") or right after."""
    m = RE_P_IN_STAT.search(paper.text[st.start : st.end])
    if m:
        num = m.group(2)
        op = {"≤": "<=", "≥": ">="}.get(m.group(1), m.group(1))
        span = EvidenceSpan(start=st.start + m.start(), end=st.start + m.end())
        return op, float(num), len(num.split(".")[1]), span
    nxt = next((p for p in ps if st.start <= p.start and p.start - st.end <= 25), None)
    if nxt is None or getattr(nxt, "value", None) is None:
        return None
    dec = getattr(nxt, "decimals", None) or len(f"{nxt.value}".split(".")[-1])  # type: ignore[attr-defined]
    return getattr(nxt, "operator", "="), float(nxt.value), dec, span_of(nxt)  # type: ignore[attr-defined]


def _from_statistic(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    ps = sorted(paper.narrative("p_value"), key=lambda e: e.start)
    one_tailed = re.search(r"one[- ](tailed|sided)|directional", paper.text, re.I) is not None
    for st in paper.narrative("statistic"):
        test = getattr(st, "test", "")
        df = getattr(st, "df", None)
        if test.lower() not in ("t", "f", "chi2", "r", "z", "χ2", "x2") or (not df and test.lower() != "z"):
            continue
        found = _p_of(paper, st, ps)
        if found is None:
            continue
        op, p_value, p_dec, p_span = found
        dec = getattr(st, "decimals", None)
        value = float(getattr(st, "value", 0.0))
        rs = ReportedStat(
            test=test, df=list(df or []), value=value,
            value_decimals=dec if dec is not None else len(f"{value}".split(".")[-1]),
            p_operator=OPERATORS.get(op), p_value=p_value, p_decimals=p_dec, one_tailed=one_tailed,
            raw=paper.text[st.start : max(st.end, p_span.end)], start=st.start, end=max(st.end, p_span.end),
        )  # fmt: skip
        v = check_reported_stat(rs)
        sev = "major" if v.decision_error else "minor"
        ev = [span_of(st), p_span]
        out.append(
            finding("p_from_statistic", v.status, v.message, ev, sev, v.computed_p, v.reported, st.uncertain)
        )
    return out


# -- the same test reported twice --------------------------------------------------------------------

ENDPOINTS = (
    "overall|progression-?free|event-?free|disease-?free|recurrence-?free|relapse-?free|metastasis-?free|"
    "failure-?free|cancer-?specific|disease-?specific|cause-?specific"
)
RE_ENDPOINT = re.compile(rf"\b({ENDPOINTS})\b(?=[^.;()]{{0,60}}?\bsurvival\b)")
SUMMARY_SECTIONS = {"abstract", "figure", "table"}
RE_AT_TIME = re.compile(r"\bat (\d+(?:\.\d+)?) ?(mo|months?|y|yr|years?|wk|weeks?|d|days?)\b")
RE_ADJUSTED = re.compile(r"\b(multivariate|multivariable|adjusted|cox|univariate|subgroup|stratified)\b")
RE_GROUP_NAME = re.compile(r"\b(?:group|arm)\s+([a-z0-9])\b")


def _restated(paper: Paper) -> list[Finding]:
    """A survival endpoint's p-value printed in several places (abstract, results, figure legend) must
    be the same p. Linked by the endpoint named before it ("overall, progression-free and event-free
    survival ... (P = 0.019, P = 0.024 and P = 0.019, respectively)" maps in order), and only where the
    two mentions share their time point ("at 3 mo"), adjustment and named groups."""
    out: list[Finding] = []
    mentions: list[tuple[str, tuple[tuple[str, str] | None, bool, frozenset[str]], EntityBase]] = []
    ps = [e for e in paper.narrative("p_value") if not e.cited]
    by_sentence: dict[tuple[int, int], list[EntityBase]] = {}
    for e in ps:
        by_sentence.setdefault(paper.sentence(e.start, e.end), []).append(e)
    for (s, e_), sent_ps in by_sentence.items():
        norm, idx = norm_map(paper.text[s:e_], s)
        prev = 0
        for grp in _p_groups(paper, sent_ps):
            lo = next((x for x, off in enumerate(idx) if off >= grp[0].start), len(norm))
            clause = norm[prev:lo]
            prev = next((x for x, off in enumerate(idx) if off >= grp[-1].end), len(norm))
            # endpoints named before "survival", in order ("overall ... and event-free survival")
            names: list[str] = []
            for m in RE_ENDPOINT.finditer(clause):
                name = re.sub(r"(?<=[a-z])-?(free|specific)$", r"-\1", m.group(1))
                if name not in names:
                    names.append(name)
            if not names or len(names) != len(grp):
                continue
            t = RE_AT_TIME.search(clause)
            key = (
                (t.group(1), t.group(2)[:1]) if t else None,
                bool(RE_ADJUSTED.search(norm)),
                frozenset(RE_GROUP_NAME.findall(norm)),
            )
            for p, name in zip(grp, names, strict=True):
                mentions.append((name, key, p))
    for a in range(len(mentions)):
        for b in range(a + 1, len(mentions)):
            (na, ka, pa), (nb, kb, pb) = mentions[a], mentions[b]
            if na != nb or ka[0] != kb[0] or ka[1] != kb[1]:
                continue
            if ka[2] and kb[2] and not (ka[2] <= kb[2] or kb[2] <= ka[2]):
                continue
            # a restatement: the abstract or a figure/table legend against the results, never two
            # passages of a discussion or review (which compare other trials' results)
            secs = {paper.ctx.section_at(pa.start), paper.ctx.section_at(pb.start)}
            if len(secs) != 2 or not secs & SUMMARY_SECTIONS or secs - SUMMARY_SECTIONS - {"results"}:
                continue
            va, vb = getattr(pa, "value", None), getattr(pb, "value", None)
            if va is None or vb is None:
                continue
            oa, ob = getattr(pa, "operator", "="), getattr(pb, "operator", "=")
            da, db = getattr(pa, "decimals", None) or 3, getattr(pb, "decimals", None) or 3
            sa, sb = _fmt_p(oa, va, da), _fmt_p(ob, vb, db)
            ev = [span_of(pa), span_of(pb)]
            if p_agree(oa, va, da, ob, vb, db):
                msg = f"The {na} survival p-value is given as {sa} and again as {sb}: consistent."
                out.append(finding("narrative_vs_narrative", "consistent", msg, ev))
            else:
                wa = paper.ctx.section_at(pa.start) or "text"
                wb = paper.ctx.section_at(pb.start) or "text"
                msg = (
                    f"The {na} survival comparison is given {sa} in the {wa} and {sb} in the {wb}; "
                    "one of the two is misprinted."
                )
                out.append(finding("narrative_vs_narrative", "inconsistent", msg, ev, "minor", sa, sb, True))
    return out


def check_pvalues(paper: Paper) -> list[Finding]:
    cols = comparison_columns(paper)
    out = [_table_p(paper, c) for c in cols]
    out += _narrative_links(paper, cols)
    out += _from_statistic(paper)
    out += _restated(paper)
    return out
