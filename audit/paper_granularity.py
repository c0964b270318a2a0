"""grim / grimmer: means (and SDs) of integer-valued variables in tables and text, with their n.

A variable is integer-valued when its label says so in general vocabulary: counts ("No. of",
"number of", "count"), scores ("pain score"; not z-, T- or standardised scores, nor mean item scores)
and age in whole years. n comes from the cell's column or row label ("Responders (n = 33)"), the
table caption, or else the paper's one study population (then the finding is uncertain). GRIMMER runs
only where n is stated, since the SD test is exact in n.
"""

from __future__ import annotations

import re

from audit.claims import Grid, MeanSD, Paper, finding, n_from_label, norm_label, parse_mean_sd, span_of
from audit.grim import grim_check, grimmer_check
from schemas import Finding

__all__ = ["check_granularity", "is_integer_valued"]

RE_INTEGER = re.compile(
    r"\b(no\.?\s+of|number\s+of|numbers\s+of|counts?|scores?|n\s+of)\b|^age$|^age\b.*\by(ea)?rs?\b",
    re.I,
)
RE_NOT_INTEGER = re.compile(
    r"\b(z|t|standardi[sz]ed|propensity|mean|average|per|index|ratio|rate|percent|%|log|sd|sds)\b[- ]*|/",
    re.I,
)


def is_integer_valued(label: str) -> bool:
    """Does a row/column label name an integer-valued per-patient variable (count, score, age in years)?"""
    raw = label or ""
    if "%" in raw:
        return False
    if re.search(r"\((y|yr|yrs|years?)\)", raw, re.I) and re.match(r"\s*age\b", raw, re.I):
        return True
    core = norm_label(raw)
    if not core or RE_NOT_INTEGER.search(core):
        return False
    if re.search(r"\b(z|t)[- ]score", core):
        return False
    return RE_INTEGER.search(core) is not None and not core.startswith("age")


def _n_for(grid: Grid, i: int, j: int, main: int | None) -> tuple[int | None, bool]:
    n = grid.col_n(j) or grid.row_n(i) or n_from_label(grid.table.caption)
    if n:
        return n, False
    return main, True


def _test(ms: MeanSD, n: int, sd_ok: bool) -> tuple[str, str, str]:
    """(check, status, message) for one mean (and SD)."""
    v = grim_check(ms.mean, n)
    if v.status != "consistent" or not sd_ok or n < 2:
        return "grim", v.status, v.message
    w = grimmer_check(ms.mean, ms.sd, n)
    return ("grimmer", w.status, w.message) if w.status != "unverifiable" else ("grim", v.status, v.message)


def check_granularity(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    main = paper.main_cohort()
    for g in paper.grids:
        ncols = g.n_cols()
        for i in range(g.n_body):
            row_int = is_integer_valued(g.row_label(i))
            for j in range(1, ncols):
                if not (row_int or is_integer_valued(g.col_labels.get(j, ""))):
                    continue
                ms = parse_mean_sd(g.text(i, j))
                if ms is None or ms.mean_decimals == 0:
                    continue
                n, inferred = _n_for(g, i, j, main)
                if not n:
                    continue
                check, status, msg = _test(ms, n, sd_ok=not inferred)
                what = f"{g.label}, {g.row_label(i)} ({g.col_label(j) or 'column ' + str(j)})"
                basis = "" if not inferred else f" (n = {n} taken from the paper's study population)"
                message = f"{what}: {msg}{basis}"
                # the label that made the variable integer-valued was read too
                ev = [g.span(i, j), g.span(i, 0) if row_int else g.header_span(j)]
                out.append(finding(check, status, message, ev, "major", None, str(ms), inferred))
    # narrative means with their n, for integer-valued variables
    for e in paper.narrative("summary_stat"):
        var = getattr(e, "variable", None) or ""
        n = getattr(e, "n", None)
        if not n or not is_integer_valued(var):
            continue
        mean = getattr(e, "mean", None)
        dec = getattr(e, "mean_decimals", None)
        if mean is None or not dec:
            continue
        v = grim_check(f"{mean:.{dec}f}", n)
        msg = f"'{' '.join(paper.text[e.start : e.end].split())}' ({var}): {v.message}"
        out.append(
            finding("grim", v.status, msg, [span_of(e)], "major", None, f"{mean:.{dec}f}", e.uncertain)
        )
    return out
