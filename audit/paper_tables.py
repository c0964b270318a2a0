"""table_vs_table: the same quantity reported twice across tables, and summary rows recomputed.

Rules:
- **Whole group from its subgroups.** Where a table gives mean ± SD per subgroup with each n
  ("Responders (n = 33)"), the whole group's mean is the n-weighted mean and its SD is fixed by the
  subgroups (within + between sums of squares, audit.summary_tests.combined_sd_range over the
  rounding of every input). A cell elsewhere that reports the same variable (label match) with the
  mean the subgroups imply is the whole group: its SD must lie in the implied range.
- **Same mean, different SD.** Two tables giving the same variable the same mean (3+ significant
  digits) but SDs that differ beyond rounding report one quantity twice, inconsistently.
- **Per-patient listings.** A table whose first column holds consecutive patient ids is a listing.
  A "Mean ± SD" row summarises the patient rows above it (back to the previous summary row); it is
  recomputed with and without the rows a footnote marks as excluded, and must match by conventional
  rounding under one of them (truncation only: minor). Where the layout lost the column alignment,
  the summary cell is compared with the column whose recomputed mean and SD are clearly the closest.
  Counts such as "12 M/8 F" are recounted the same way.
- **Same patient, two listings.** Numeric columns of two listings that agree for most patients (at
  least 5 pairs, 75%, 4 distinct values) report the same quantity; a patient where they differ is
  flagged (footnote-excluded patients are left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.claims import (
    Grid,
    MeanSD,
    Paper,
    finding,
    fmt_num,
    label_match,
    mean_sd_of,
    norm_text,
    parse_mean_sd,
    parse_number,
    rounds_to,
    span_of,
    truncates_to,
)
from audit.summary_tests import check_combined_sd, combined_mean
from schemas import EntityBase, EvidenceSpan, Finding

__all__ = ["Listing", "check_tables", "find_listings", "subgroup_sets"]

RE_SUMMARY_LABEL = re.compile(r"^\s*(mean|median|average|total|all)\b", re.I)
RE_ID = re.compile(r"^\s*(\d{1,4})\s*([*†‡§¶a-z]?)\s*$")
RE_COUNTS = re.compile(r"^\s*(\d+)\s*([A-Za-z]{1,12})\s*/\s*(\d+)\s*([A-Za-z]{1,12})\s*$")
RE_EXCLUDED = re.compile(r"exclu|not (included|analy[sz]ed|evaluable)|withdr", re.I)


# -- subgroups and their whole group -------------------------------------------------------------------


@dataclass
class SubgroupSet:
    """Mean ± SD of one variable in two or more subgroups with known n."""

    grid: Grid
    variable: str  # the variable's label (row label or column label)
    context: str  # a spanning/time label where known
    cells: list[tuple[int, int]]
    values: list[MeanSD]
    ns: list[int]
    groups: list[str]


def subgroup_sets(paper: Paper) -> list[SubgroupSet]:
    """Every (variable, subgroups) block: groups as rows with (n = x) labels, or as columns."""
    out: list[SubgroupSet] = []
    for g in paper.grids:
        ncols = g.n_cols()
        group_rows = [i for i in range(g.n_body) if g.row_n(i)]
        if len(group_rows) >= 2:
            for j in range(1, ncols):
                vals = [(i, v) for i in group_rows if (v := parse_mean_sd(g.text(i, j))) is not None]
                if len(vals) >= 2:
                    out.append(
                        SubgroupSet(
                            g, g.col_labels.get(j, ""), g.span_labels.get(j, ""),
                            [(i, j) for i, _ in vals], [v for _, v in vals],
                            [g.row_n(i) or 0 for i, _ in vals], [g.row_label(i) for i, _ in vals],
                        )
                    )  # fmt: skip
        group_cols = [j for j in range(1, ncols) if g.col_n(j)]
        if len(group_cols) >= 2:
            for i in range(g.n_body):
                vals2 = [(j, v) for j in group_cols if (v := parse_mean_sd(g.text(i, j))) is not None]
                if len(vals2) >= 2:
                    out.append(
                        SubgroupSet(
                            g, g.row_label(i), "", [(i, j) for j, _ in vals2], [v for _, v in vals2],
                            [g.col_n(j) or 0 for j, _ in vals2], [g.col_label(j) for j, _ in vals2],
                        )
                    )  # fmt: skip
    return out


@dataclass
class MeanCell:
    grid: Grid
    i: int
    j: int
    value: MeanSD
    descriptor: str  # row label + column label
    n: int | None


def mean_cells(paper: Paper) -> list[MeanCell]:
    out = []
    for g in paper.grids:
        for i in range(g.n_body):
            for j in range(1, g.n_cols()):
                v = parse_mean_sd(g.text(i, j))
                if v is None:
                    continue
                desc = f"{g.row_label(i)} | {g.col_label(j)}"
                out.append(MeanCell(g, i, j, v, desc, g.row_n(i) or g.col_n(j)))
    return out


def _desc(c: MeanCell) -> str:
    return f"{c.grid.label} ({c.grid.row_label(c.i)}, {c.grid.col_label(c.j)})"


def _combined(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    cells = mean_cells(paper)
    thr = paper.settings.label_match
    for sg in subgroup_sets(paper):
        means = [v.m for v in sg.values]
        sds = [v.s for v in sg.values]
        md = max(v.mean_decimals for v in sg.values)
        sdd = max(v.sd_decimals for v in sg.values)
        total = sum(sg.ns)
        grand = combined_mean(means, sg.ns)
        own = {(sg.grid.label, i, j) for i, j in sg.cells}
        for c in cells:
            if (c.grid.label, c.i, c.j) in own:
                continue
            n_differs = c.n is not None and c.n != total
            if n_differs and c.grid is sg.grid:
                continue
            # a whole-group cell is not itself one of the subgroups of another block in the same table
            if c.grid is sg.grid and (c.grid.row_n(c.i) or c.grid.col_n(c.j)) and c.n != total:
                continue
            if label_match(sg.variable, c.descriptor) < thr:
                continue
            if sg.context and c.grid is not sg.grid and label_match(sg.context, c.descriptor) < thr:
                # a time label ("Before therapy") must agree where both tables have one
                other_ctx = c.grid.span_labels.get(c.j) or c.grid.col_labels.get(c.j, "")
                if other_ctx and label_match(sg.context, other_ctx) < thr and _has_time(c.descriptor):
                    continue
            # the weighted mean must reproduce the reported whole-group mean (the numeric link)
            tol = 0.5 * 10.0**-c.value.mean_decimals + 0.5 * 10.0**-md
            if abs(grand - c.value.m) > tol + 1e-9:
                continue
            if n_differs:
                # the same variable and the very mean the subgroups imply, but another n: a count slip
                # or patients outside the subgroups (hence uncertain). A mean of few digits matching
                # groups of a very different size is a coincidence (59 for 232 vs 823 patients).
                near = abs(total - c.n) <= 0.1 * total  # type: ignore[operator]
                if not near or _sig_digits(c.value.mean) < 3:
                    continue
                msg = (
                    f"{_desc(c)} gives n = {c.n} for the group whose mean {c.value.mean} the subgroups of "
                    f"{sg.grid.label} reproduce ({grand:.{md + 1}f}), but those subgroups add up to n = {total}."
                )
                ev_n = [c.grid.span(c.i, 0) if c.grid.row_n(c.i) else c.grid.header_span(c.j)]
                ev_n += [
                    sg.grid.span(i, 0) if sg.grid.row_n(i) else sg.grid.header_span(j) for i, j in sg.cells
                ]
                out.append(finding("subgroup_sum", "inconsistent", msg, ev_n, "minor", total, c.n, True))
                continue
            v = check_combined_sd(c.value.s, means, sds, sg.ns, c.value.sd_decimals, md, sdd)
            groups = ", ".join(
                f"{gl.split('(')[0].strip()} {val} (n = {n})"
                for gl, val, n in zip(sg.groups, sg.values, sg.ns, strict=True)
            )
            where = f"{sg.grid.label} {sg.variable}{' ' + sg.context if sg.context else ''}"
            lo, hi = v.bounds or (float("nan"), float("nan"))
            if v.status == "inconsistent":
                msg = (
                    f"{_desc(c)} gives {c.value} for the whole group (n = {total}); {where} subgroups "
                    f"({groups}) imply mean {grand:.{md + 1}f} and SD {v.expected:.{sdd + 1}f} "
                    f"(range {lo:.{sdd + 1}f}–{hi:.{sdd + 1}f}), not {c.value.sd}."
                )
            else:
                msg = (
                    f"{_desc(c)} gives {c.value}; the subgroups of {where} ({groups}) imply mean "
                    f"{grand:.{md + 1}f} and SD {v.expected:.{sdd + 1}f}: consistent."
                )
            ev = [sg.grid.span(i, j) for i, j in sg.cells] + [c.grid.span(c.i, c.j)]
            out.append(finding("table_vs_table", v.status, msg, ev, "major", v.expected, c.value.s))
    return out


def _has_time(text: str) -> bool:
    return (
        re.search(r"\b(before|after|baseline|\d+\s*(mo|months?|wk|weeks?|d|days?|y|years?))\b", text, re.I)
        is not None
    )


def _same_mean(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    cells = mean_cells(paper)
    thr = paper.settings.label_match
    seen: set[tuple[int, int]] = set()
    for a_i, a in enumerate(cells):
        for b_i in range(a_i + 1, len(cells)):
            b = cells[b_i]
            if a.grid is b.grid or a.value.mean != b.value.mean:
                continue
            digits = len(a.value.mean.replace(".", "").replace("-", "").lstrip("0"))
            if digits < 3 or (a.n and b.n and a.n != b.n):
                continue
            # both cells must name the same variable; a subgroup row ("Responders (n = 33)") never
            # stands for a whole group unless the ns agree
            va = _variable_of(a)
            vb = _variable_of(b)
            if label_match(va, vb) < max(thr, 90):
                continue
            key = (id(a), id(b))
            if key in seen:
                continue
            seen.add(key)
            half = 0.5 * 10.0 ** -min(a.value.sd_decimals, b.value.sd_decimals)
            same = abs(a.value.s - b.value.s) <= half + 1e-9
            ev = [a.grid.span(a.i, a.j), b.grid.span(b.i, b.j)]
            if same:
                msg = f"{_desc(a)} and {_desc(b)} both give {a.value}: consistent."
                out.append(finding("table_vs_table", "consistent", msg, ev))
            else:
                msg = (
                    f"{_desc(a)} gives {a.value} and {_desc(b)} gives {b.value}: the same mean of "
                    f"{va or 'the variable'} with SDs {a.value.sd} and {b.value.sd}; one SD is misprinted or the groups differ."
                )
                out.append(
                    finding("table_vs_table", "inconsistent", msg, ev, "major", a.value.sd, b.value.sd)
                )
    return out


def _variable_of(c: MeanCell) -> str:
    """The variable a cell reports: its column label when rows are groups, else its row label."""
    g = c.grid
    col = g.col_labels.get(c.j, "")
    row = g.row_label(c.i)
    if g.row_n(c.i) or re.search(r"patients|subjects|group|controls?|total|all\b", row, re.I):
        return col
    return row


# -- per-patient listings --------------------------------------------------------------------------------


@dataclass
class Block:
    rows: list[int]  # body row indexes of patients
    summary: int | None  # body row index of its summary row


@dataclass
class Listing:
    grid: Grid
    ids: dict[int, int]  # body row -> patient id
    marks: dict[int, str]  # body row -> footnote mark on the id
    excluded: set[int]  # body rows a footnote excludes from the analysis
    blocks: list[Block] = field(default_factory=list)

    def row_of(self, pid: int) -> int | None:
        for r, p in self.ids.items():
            if p == pid:
                return r
        return None


def find_listings(paper: Paper) -> list[Listing]:
    """Tables whose first column holds consecutive integer ids (one row per patient)."""
    out = []
    for g in paper.grids:
        ids: dict[int, int] = {}
        marks: dict[int, str] = {}
        for i in range(g.n_body):
            m = RE_ID.match(g.row_label(i))
            if m:
                ids[i] = int(m.group(1))
                marks[i] = m.group(2)
        if len(ids) < paper.settings.min_listing_rows:
            continue
        seq = [ids[i] for i in sorted(ids)]
        if seq[0] >= 1000:  # consecutive years are not patients
            continue
        steps = sum(1 for a, b in zip(seq, seq[1:], strict=False) if b == a + 1)
        if steps < 0.8 * (len(seq) - 1):
            continue
        excl_marks = set()
        for fn in g.table.footnotes:
            if RE_EXCLUDED.search(fn) and fn[:1] in "*†‡§¶":
                excl_marks.add(fn[0])
        excluded = {i for i, mk in marks.items() if mk and mk in excl_marks}
        lst = Listing(g, ids, marks, excluded)
        current: list[int] = []
        for i in range(g.n_body):
            if i in ids:
                current.append(i)
            elif RE_SUMMARY_LABEL.match(g.row_label(i)) and current:
                lst.blocks.append(Block(current, i))
                current = []
        if current:
            lst.blocks.append(Block(current, None))
        out.append(lst)
    return out


def _column_values(lst: Listing, rows: list[int], j: int) -> dict[int, float] | None:
    """Numeric values of column j over rows (dashes are missing); None when the column is not numeric."""
    vals: dict[int, float] = {}
    filled = 0
    for i in rows:
        t = lst.grid.text(i, j).strip()
        if t in ("", "—", "-", "–", "NA", "na", "ND"):
            continue
        filled += 1
        x = parse_number(t)
        if x is not None:
            vals[i] = x
    if filled == 0 or len(vals) < 0.8 * filled or len(vals) < 3:
        return None
    return vals


def _variants(lst: Listing, vals: dict[int, float]) -> list[tuple[str, list[float], list[int]]]:
    out = [("all rows", [vals[i] for i in sorted(vals)], sorted(vals))]
    kept = [i for i in sorted(vals) if i not in lst.excluded]
    if len(kept) != len(vals):
        out.insert(0, ("without the footnote-excluded rows", [vals[i] for i in kept], kept))
    return out


def _score(ms: MeanSD, m: float, s: float) -> float:
    scale = max(ms.s, s, 1e-9)
    return abs(ms.m - m) / scale + abs(ms.s - s) / max(ms.s, s, 1e-9)


def _summary_means(lst: Listing, blk: Block) -> list[Finding]:
    out: list[Finding] = []
    g = lst.grid
    if blk.summary is None:
        return out
    ncols = g.n_cols()
    numeric = {j: v for j in range(1, ncols) if (v := _column_values(lst, blk.rows, j)) is not None}
    # ids are not a variable
    numeric.pop(0, None)
    for j in range(1, len(g.body(blk.summary))):
        ms = parse_mean_sd(g.text(blk.summary, j))
        if ms is None:
            continue
        scored = []
        for jj, vals in numeric.items():
            best = min(_score(ms, *mean_sd_of(v)) for _, v, _ in _variants(lst, vals) if len(v) >= 2)
            scored.append((best, jj))
        if not scored:
            continue
        scored.sort()
        best, col = scored[0]
        second = scored[1][0] if len(scored) > 1 else float("inf")
        if not (best <= 1.0 and second >= max(2 * best, best + 0.5)) and col != j:
            continue
        if col != j and best > 1.0:
            continue
        vals = numeric[col]
        tried = []
        status, severity = "inconsistent", "major"
        for name, series, _rows in _variants(lst, vals):
            m, s = mean_sd_of(series)
            tried.append(
                f"{name} (n = {len(series)}): {fmt_num(m, ms.mean_decimals + 2)} ± {fmt_num(s, ms.sd_decimals + 2)}"
            )
            if rounds_to(m, ms.mean) and rounds_to(s, ms.sd):
                status = "consistent"
                break
            if (truncates_to(m, ms.mean) or rounds_to(m, ms.mean)) and (
                truncates_to(s, ms.sd) or rounds_to(s, ms.sd)
            ):
                severity = "minor"
            elif (
                abs(m - ms.m) <= 2 * 10.0**-ms.mean_decimals + 1e-9
                and abs(s - ms.s) <= 2 * 10.0**-ms.sd_decimals + 1e-9
            ):
                severity = "minor"
        label = g.col_label(col) or f"column {col}"
        where = f"{g.label} '{g.row_label(blk.summary)}' row {ms}"
        recomputed = "; ".join(tried)
        if status == "consistent":
            msg = f"{where} matches the {len(blk.rows)} listed rows of {label}, recomputed {recomputed}."
        elif severity == "minor":
            msg = (
                f"{where} is not reproduced by conventional rounding from the listed values of {label}: "
                f"recomputed {recomputed} (a match by truncation or a last-digit slip at most)."
            )
        else:
            msg = f"{where} does not match the listed values of {label}: recomputed {recomputed}."
        ev = [g.span(blk.summary, j)] + [g.span(i, col) for i in blk.rows if i in vals]
        out.append(
            finding("table_vs_table", status, msg, ev, severity, recomputed, str(ms), uncertain=col != j)
        )
    return out


def _summary_counts(lst: Listing, blk: Block) -> list[Finding]:
    """'12 M/8 F' in a summary row against the categories counted in the block's rows."""
    out: list[Finding] = []
    g = lst.grid
    if blk.summary is None:
        return out
    for j in range(1, len(g.body(blk.summary))):
        m = RE_COUNTS.match(g.text(blk.summary, j))
        if not m:
            continue
        k1, c1, k2, c2 = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        cats = {c1.lower(), c2.lower()}
        col = None
        for jj in range(1, g.n_cols()):
            vals = {g.text(i, jj).strip().lower() for i in blk.rows}
            if vals and vals <= cats:
                col = jj
                break
        if col is None:
            continue
        tried, ok = [], False
        for name, rows in (
            ("all rows", blk.rows),
            ("without the footnote-excluded rows", [i for i in blk.rows if i not in lst.excluded]),
        ):
            n1 = sum(1 for i in rows if g.text(i, col).strip().lower() == c1.lower())
            n2 = sum(1 for i in rows if g.text(i, col).strip().lower() == c2.lower())
            tried.append(f"{name}: {n1} {c1}/{n2} {c2}")
            if (n1, n2) == (k1, k2):
                ok = True
                break
        where = f"{g.label} '{g.row_label(blk.summary)}' row {k1} {c1}/{k2} {c2}"
        status = "consistent" if ok else "inconsistent"
        msg = f"{where} {'matches' if ok else 'does not match'} the listed rows ({'; '.join(tried)})."
        ev = [g.span(blk.summary, j)] + [g.span(i, col) for i in blk.rows]
        out.append(finding("subgroup_sum", status, msg, ev, "minor", tried, f"{k1}/{k2}"))
    return out


def _cross_listing(paper: Paper, listings: list[Listing]) -> list[Finding]:
    out: list[Finding] = []
    for a_i, a in enumerate(listings):
        for b in listings[a_i + 1 :]:
            shared = set(a.ids.values()) & set(b.ids.values())
            if len(shared) < paper.settings.min_listing_rows:
                continue
            rows_a = [a.row_of(p) for p in sorted(shared)]
            rows_b = [b.row_of(p) for p in sorted(shared)]
            pairs = [
                (ra, rb) for ra, rb in zip(rows_a, rows_b, strict=True) if ra is not None and rb is not None
            ]
            cols_a = {
                j: v for j in range(1, a.grid.n_cols()) if (v := _column_values(a, [p[0] for p in pairs], j))
            }
            cols_b = {
                j: v for j in range(1, b.grid.n_cols()) if (v := _column_values(b, [p[1] for p in pairs], j))
            }
            for ja, va in cols_a.items():
                for jb, vb in cols_b.items():
                    both = [
                        (ra, rb) for ra, rb in pairs
                        if ra in va and rb in vb and ra not in a.excluded and rb not in b.excluded
                    ]  # fmt: skip
                    if len(both) < 5:
                        continue
                    agree = [(ra, rb) for ra, rb in both if abs(va[ra] - vb[rb]) < 1e-9]
                    distinct = {va[ra] for ra, _ in agree}
                    if len(agree) < 5 or len(agree) < 0.75 * len(both) or len(distinct) < 4:
                        continue
                    la, lb = a.grid.col_label(ja), b.grid.col_label(jb)
                    for ra, rb in both:
                        if abs(va[ra] - vb[rb]) < 1e-9:
                            continue
                        pid = a.ids[ra]
                        msg = (
                            f"Patient {pid}: {a.grid.label} gives {la} = {a.grid.text(ra, ja)} but {b.grid.label} "
                            f"gives {lb} = {b.grid.text(rb, jb)}, while the two columns agree for "
                            f"{len(agree)} of the {len(both)} patients listed in both."
                        )
                        ev: list[EvidenceSpan | None] = [
                            a.grid.span(ra, 0),
                            a.grid.span(ra, ja),
                            b.grid.span(rb, 0),
                            b.grid.span(rb, jb),
                        ]
                        out.append(
                            finding(
                                "table_vs_table",
                                "inconsistent",
                                msg,
                                ev,
                                "minor",
                                a.grid.text(ra, ja),
                                b.grid.text(rb, jb),
                                uncertain=label_match(la, lb) < 50,
                            )
                        )
    return out


def _sig_digits(text: str) -> int:
    return len(text.replace(".", "").replace("-", "").lstrip("0"))


# words that name no variable: sharing them links no sentence to a cell
LABEL_FILLER = {
    "the", "and", "of", "in", "at", "to", "for", "with", "or", "vs", "mean", "sd", "se", "n", "no",
    "group", "groups", "patien", "subjec", "partic", "total", "all", "value", "values", "before",
    "after", "baseli", "therap", "treatm", "months", "mo", "years", "yr", "weeks", "days", "table",
}  # fmt: skip


def _label_words(text: str) -> set[str]:
    """Lower-case word stems of 2+ characters ("BMI", "IL-2" -> "il", "follow-up" -> "follow")."""
    return {w[:6] for w in re.findall(r"[a-z][a-z0-9]+", norm_text(text).lower())} - LABEL_FILLER


def _names_cell(c: MeanCell, words: set[str]) -> bool:
    """Does the sentence name both the cell's row and its column (variable and group, whichever way
    the table is laid out)? The caption counts for either."""
    g = c.grid
    caption = _label_words(g.table.caption or "")
    row = _label_words(g.row_label(c.i)) | caption
    col = _label_words(f"{g.col_labels.get(c.j, '')} {g.span_labels.get(c.j, '')}") | caption
    return bool(row & words) and bool(col & words)


def _near_link_tables(values: list[MeanSD], cells: list[MeanCell]) -> set[str]:
    """Tables a sentence reports though it prints none of their values exactly: one of its mean ± SD
    has the one cell of the table with the same SD of 3+ significant digits and a mean at most two
    units of its last decimal away (26.6 ± 16.5 against 26.5 ± 16.5), and another has the one cell
    of that table with its SD and a mean within ten units (9.2 ± 4.6 against 9.9 ± 4.6)."""
    strong: set[str] = set()
    linked: dict[str, set[int]] = {}
    for k, v in enumerate(values):
        unit = 10.0**-v.mean_decimals
        near = [
            c for c in cells
            if c.value.sd == v.sd and c.value.mean_decimals == v.mean_decimals
            and abs(c.value.m - v.m) <= 10 * unit + 1e-9
        ]  # fmt: skip
        if len(near) != 1:
            continue
        c = near[0]
        linked.setdefault(c.grid.label, set()).add(k)
        if _sig_digits(v.sd) >= 3 and abs(c.value.m - v.m) <= 2 * unit + 1e-9:
            strong.add(c.grid.label)
    return {label for label in strong if len(linked[label]) >= 2}


def _narrative_means(paper: Paper) -> list[Finding]:
    """Narrative "mean ± SD" against the table cell reporting the same quantity.

    Linked when both values are equal (consistent), or when the SD is identical and the mean differs
    by at most two units of its last decimal (or the mean identical, the SD not), provided either
    value has 3+ significant digits or another mean ± SD of the same sentence is printed exactly in
    the same table (the sentence then reports that table). A sentence printing none of the table's
    values exactly reports it too when one of its values links on its own (same 3+ digit SD) and
    another shares the SD of one cell of that table (_near_link_tables); then only the mean may differ.
    """
    out: list[Finding] = []
    cells = mean_cells(paper)
    stats = [e for e in paper.narrative("summary_stat") if not e.cited and getattr(e, "sd", None) is not None]
    texts: dict[int, MeanSD] = {}
    for e in stats:
        md, sd_d = getattr(e, "mean_decimals", None), getattr(e, "sd_decimals", None)
        if md is None or sd_d is None:
            continue
        texts[id(e)] = MeanSD(fmt_num(e.mean, md), fmt_num(e.sd, sd_d))  # type: ignore[attr-defined]
    by_sentence: dict[tuple[int, int], list[EntityBase]] = {}
    for e in stats:
        if id(e) in texts:
            by_sentence.setdefault(paper.sentence(e.start, e.end), []).append(e)
    for (lo, hi), sent in by_sentence.items():
        sentence_text = paper.text[lo:hi]
        exact_tables = {
            c.grid.label for e in sent for c in cells
            if c.value.mean == texts[id(e)].mean and c.value.sd == texts[id(e)].sd
        }  # fmt: skip
        near_linked = _near_link_tables([texts[id(e)] for e in sent], cells) - exact_tables
        for e in sent:
            v = texts[id(e)]
            exact = [c for c in cells if c.value.mean == v.mean and c.value.sd == v.sd]
            if exact:
                c = exact[0]
                msg = f"The text's {v} is printed in {_desc(c)}: consistent."
                out.append(
                    finding("narrative_vs_table", "consistent", msg, [span_of(e), c.grid.span(c.i, c.j)])
                )
                continue
            for c in cells:
                cv = c.value
                if cv.mean_decimals != v.mean_decimals or cv.sd_decimals != v.sd_decimals:
                    continue
                unit = 10.0**-v.mean_decimals
                colinked = c.grid.label in exact_tables or (c.grid.label in near_linked and cv.sd == v.sd)
                # a sentence already tied to this table may differ by more than a last-digit slip
                reach = 10 if colinked else 2
                near_mean = cv.sd == v.sd and 0 < abs(cv.m - v.m) <= reach * unit + 1e-9
                same_mean = cv.mean == v.mean and cv.sd != v.sd
                if not (near_mean or same_mean):
                    continue
                strong = _sig_digits(v.sd if near_mean else v.mean) >= 3
                if not (colinked or strong):
                    continue
                # an equal number is no link unless the sentence cites the table (or matches it exactly
                # elsewhere) or names the cell's row and column ("25.1 ± 6.2 µmol/L"
                # of vitamin E is not the BMI cell 25.1 ± 3.0; the younger subjects' BMI is not the
                # women's of the control group)
                cited = colinked or re.search(rf"\b{re.escape(c.grid.label)}\b", sentence_text, re.I)
                if not (cited or _names_cell(c, _label_words(sentence_text))):
                    continue
                what = "mean" if near_mean else "SD"
                msg = (
                    f"The text gives {v} but {_desc(c)} gives {cv}: the same quantity with a different {what} "
                    f"({v.mean if near_mean else v.sd} vs {cv.mean if near_mean else cv.sd})."
                )
                ev = [span_of(e), c.grid.span(c.i, c.j)]
                out.append(
                    finding(
                        "narrative_vs_table",
                        "inconsistent",
                        msg,
                        ev,
                        "minor",
                        str(cv),
                        str(v),
                        c.grid.label not in exact_tables,
                    )
                )
    return out


def check_tables(paper: Paper) -> list[Finding]:
    out = _combined(paper) + _same_mean(paper) + _narrative_means(paper)
    listings = find_listings(paper)
    for lst in listings:
        for blk in lst.blocks:
            out += _summary_means(lst, blk)
            out += _summary_counts(lst, blk)
    out += _cross_listing(paper, listings)
    return out
