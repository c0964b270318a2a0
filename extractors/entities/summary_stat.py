"""summary_stat entities: a mean with its SD (`mean ± SD`, `mean (SD)`) or a stated mean without
one (`mean age, 54 y`), with variable, group and n, from running text and from table cells.
`mean_decimals` and `sd_decimals` keep the printed precision for GRIM-style checks.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.entities.base import EntityComponent
from extractors.entities.p_value import (
    column_header,
    in_regions,
    mark_cited,
    row_label,
    sentence_bounds,
    table_cell_grid,
    table_regions,
)
from extractors.numbers import PAT_NUMBER, decimals_of, parse_number
from schemas import EntityBase, SummaryStat
from schemas.context import PaperContext
from schemas.records import Table, TableCell

__all__ = [
    "SummaryStatComponent",
    "find_summary_stats",
    "find_means_without_sd",
    "find_paren_sd",
    "match_table",
]

# A unit or percent sign printed after the mean and repeated after the SD: "65% ± 21%", "26.6 mo".
PAT_UNIT = (
    r"(?:\s?%|\s?(?:mo|months?|y|yr|years?|wk|weeks?|d|days?|h|min|kg|cm|mm|g|mg|ng/mL|pg/mL|GBq|MBq|mCi))?"
)
# mean ± SD: the plus-minus sign, "+/-" in plain-text sources, and the SD with its own decimals.
PAT_PLUS_MINUS = r"\s*(?:±|\+/-|\+/−|\+-)\s*"
PAT_MEAN_PM_SD = (
    rf"(?P<mean>{PAT_NUMBER})(?P<unit1>{PAT_UNIT}){PAT_PLUS_MINUS}(?P<sd>\d+(?:[.·]\d+)?|[.·]\d+)(?![\d.·]\d)"
    rf"(?P<unit2>{PAT_UNIT})"
)
RE_MEAN_PM_SD = re.compile(PAT_MEAN_PM_SD)
# mean (SD): only when the parenthesis names the SD ("54.2 (SD 8.1)", "54.2 (SD = 8.1)",
# "54.2 (± 8.1)"); a bare "12 (30%)" is a count and percent, never a mean.
PAT_MEAN_PAREN_SD = (
    rf"(?P<mean>{PAT_NUMBER})(?P<unit1>{PAT_UNIT})\s*[(\[]\s*(?:SD|s\.d\.|standard\s+deviation|±)\s*[=:,]?\s*"
    r"(?P<sd>\d+(?:[.·]\d+)?|[.·]\d+)(?P<unit2>" + PAT_UNIT + r")\s*[)\]]"
)
RE_MEAN_PAREN_SD = re.compile(PAT_MEAN_PAREN_SD)
# A mean stated without SD: "mean age, 54 y", "mean age of 54 years", "mean age was 54",
# "average follow-up: 12.5 mo". The variable is one to three words after "mean"/"average".
PAT_MEAN_WORDS = (
    r"\b(?:[Mm]ean|[Aa]verage)\s+(?P<var>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)"
    r"\s*(?:,|:|=|\s+of|\s+was|\s+were|\s+is)\s*"
    rf"(?P<mean>{PAT_NUMBER})(?P<unit1>{PAT_UNIT})(?!\s*(?:±|\+/-|\d|[.·]\d))"
)
RE_MEAN_WORDS = re.compile(PAT_MEAN_WORDS)
# "(n = 42)" in a header or row label, "in 3 patients" after a mean in text.
RE_N_LABEL = re.compile(r"\(\s*[nN]\s*=\s*(?P<n>\d{1,6})\s*\)")
RE_N_AFTER = re.compile(
    r"\s*(?:mo|months?|years?|y)?\s*,?\s*in\s+(?P<n>\d{1,5})\s+(?:patients|subjects|participants|cases)\b"
)
# Words that name the variable just before a text mean: "serum IL-2 concentrations increased from".
RE_VARIABLE_BEFORE = re.compile(
    r"(?P<var>(?:[A-Za-z0-9][\w\-α-ω/]*\s+){0,3}?[A-Za-z][\w\-α-ω/]*)\s+"
    r"(?:increased|decreased|rose|fell|changed|was|were|of|improved|declined|dropped)"
    r"(?:\s+(?:significantly|from|to|by))*\s*\(?\s*$"
)


# What may sit between two values of the same variable: "to", "versus", "vs.", "and", a comma.
RE_SHARED_VARIABLE_GAP = re.compile(r"\s*(?:,\s*)?(?:to|versus|vs\.?|and|compared\s+with)?\s*", re.IGNORECASE)


def _number(s: str) -> float | None:
    return parse_number(s.replace(" ", ""))


def _variable_before(text: str, sent_start: int, i: int) -> str | None:
    m = RE_VARIABLE_BEFORE.search(text[sent_start:i])
    if m:
        return re.sub(r"\s+", " ", m["var"]).strip()
    return None


def find_summary_stats(text: str) -> list[SummaryStat]:
    """`2.91 ± 0.56`, `65% ± 21% in 3 patients`, `54.2 (SD 8.1)` in running text."""
    out: list[SummaryStat] = []
    for regex in (RE_MEAN_PM_SD, RE_MEAN_PAREN_SD):
        for m in regex.finditer(text):
            mean, sd = _number(m["mean"]), _number(m["sd"])
            if mean is None or sd is None or sd < 0:
                continue
            s, _ = sentence_bounds(text, m.start())
            n_match = RE_N_AFTER.match(text, m.end())
            out.append(
                SummaryStat(
                    start=m.start(),
                    end=m.end(),
                    text=m[0],
                    mean=mean,
                    sd=sd,
                    variable=_variable_before(text, s, m.start()),
                    n=int(n_match["n"]) if n_match else None,
                    mean_decimals=decimals_of(m["mean"]),
                    sd_decimals=decimals_of(m["sd"]),
                )
            )
    out.sort(key=lambda e: e.start)
    # "increased from 2.91 ± 0.56 to 4.58 ± 1.14": the second value shares the first's variable
    for prev, ent in zip(out, out[1:], strict=False):
        if (
            ent.variable is None
            and prev.variable
            and RE_SHARED_VARIABLE_GAP.fullmatch(text, prev.end, ent.start)
        ):
            ent.variable = prev.variable
    return out


def find_means_without_sd(text: str) -> list[SummaryStat]:
    """`mean age, 54 y` -> SummaryStat(variable="age", mean=54, sd=None)."""
    out: list[SummaryStat] = []
    for m in RE_MEAN_WORDS.finditer(text):
        mean = _number(m["mean"])
        if mean is None:
            continue
        out.append(
            SummaryStat(
                start=m.start(),
                end=m.end(),
                text=m[0],
                mean=mean,
                variable=m["var"],
                mean_decimals=decimals_of(m["mean"]),
            )
        )
    return out


# A table cell that is exactly a mean ± SD (with an optional footnote marker).
RE_CELL_PM = re.compile(rf"\s*{PAT_MEAN_PM_SD}\s*(?:[*†‡§¶#]+|[a-z])?\s*")
RE_CELL_PAREN = re.compile(
    rf"\s*(?P<mean>{PAT_NUMBER})\s*\(\s*(?P<sd>\d+(?:[.·]\d+)?|[.·]\d+)\s*\)\s*(?:[*†‡§¶#]+)?\s*"
)
# A row label that only says the row summarises the rows above ("Mean ± SD", "Mean (SD)").
RE_SUMMARY_ROW = re.compile(r"^\s*(?:mean|average)\s*(?:±|\+/-|\(?\s*SD\s*\)?|\(|$)", re.IGNORECASE)
# A caption/header saying cells are "mean (SD)" licenses the bare "54.2 (8.1)" form in that table.
RE_MEAN_SD_LEGEND = re.compile(r"mean\s*\(\s*SD\s*\)|mean\s*\(\s*s\.d\.\s*\)", re.IGNORECASE)


def match_table(table: Table, ctx: PaperContext) -> list[SummaryStat]:
    """Cells holding `mean ± SD`: variable = row label, group = column header, n from `(n = 42)`."""
    grid = table_cell_grid(table)
    if not grid:
        return []
    legend = " ".join([table.caption or "", *(" ".join(r) for r in table.header), *table.footnotes])
    paren_ok = bool(RE_MEAN_SD_LEGEND.search(legend))
    out: list[SummaryStat] = []
    for (r, c), cell in sorted(grid.items()):
        if cell.header or cell.start is None or cell.end is None:
            continue
        label = row_label(grid, r) or ""
        # a row whose label says count and percent ("Female sex, n (%)") holds no mean (SD)
        row_paren_ok = paren_ok and not (RE_OTHER_LEGEND.search(label) or "%" in label)
        m = RE_CELL_PM.fullmatch(cell.text) or (RE_CELL_PAREN.fullmatch(cell.text) if row_paren_ok else None)
        if m is not None:
            tokens = [(cell.start, cell.end, m)]
        else:
            tokens = _decorated_cell_tokens(cell, ctx.repaired, label, row_paren_ok)
        for start, end, tm in tokens:
            stat = _table_stat(grid, r, c, start, end, tm["mean"], tm["sd"], table, ctx)
            if stat is not None:
                out.append(stat)
    out += _mean_sd_columns(grid, table, ctx)
    return out


# What may surround a value in a cell besides white space: Markdown emphasis ("**22.6% (23)**"),
# footnote markers and superscripts ("4.1 ± 1.4^a^", "2.1 (0.4)[b](#)").
# A bracketed count after a value ("1944 (1793) [5]") and the first of a doubled minus ("--1.4",
# an en dash in Markdown) are decoration too.
RE_CELL_DECORATION = re.compile(
    r"(?:\s|[*_†‡§¶#‖+]|\^[^^\s]{1,8}\^|\[[^\]\s]{0,8}\]\([^)\s]*\)|(?<=[\d)*^\s])[a-h](?![\w])"
    r"|\[\s?\d{1,6}\s?\]|-$)*"
)
# Around and between the values of one cell ("0.13±0.43 (0.32±0.17)"): decoration, brackets, separators.
RE_CELL_BETWEEN = re.compile(rf"(?:{RE_CELL_DECORATION.pattern}|[()\[\],;/])*")
# In a table: a mean (or a percentage) and one number in brackets, "22.6% (23)", "−7.5 (1.4)".
RE_CELL_PAREN_TOKEN = re.compile(
    # the SD may repeat the percent sign only after a percentage: "12 (30%)" is a count and percent
    rf"(?P<mean>{PAT_NUMBER})(?P<pct>%)?\s?\(\s?(?P<sd>\d+(?:[.·]\d+)?|[.·]\d+)(?(pct)%?)\s?\)"
)


def _decorated_cell_tokens(
    cell: TableCell, text: str, label: str, paren_ok: bool
) -> list[tuple[int, int, re.Match[str]]]:
    """`mean ± SD`, `mean (± SD)` or licensed `mean (SD)` values in a cell that holds nothing else
    but decoration (and, between values, brackets)."""
    assert cell.start is not None and cell.end is not None
    regexes = [RE_TOKEN_PM, RE_MEAN_PAREN_SD]
    if paren_ok or _legend_says_sd(text, text.rfind("\n", 0, cell.start) + 1, label):
        regexes.append(RE_CELL_PAREN_TOKEN)
    for regex in regexes:
        found = list(regex.finditer(text, cell.start, cell.end))
        if not found:
            continue
        if regex is RE_CELL_PAREN_TOKEN and any(
            decimals_of(m["mean"]) == 0 and decimals_of(m["sd"]) > 0 for m in found
        ):
            continue  # "4 (9.1)": a count and its percent, as in find_paren_sd
        if all(
            RE_CELL_BETWEEN.fullmatch(text, a, b)
            for a, b in _gaps(cell.start, cell.end, [m.span() for m in found])
        ):
            return [(m.start(), m.end(), m) for m in found]
    return []


# Column headers saying a column holds means, and the next its SDs ("Mean | SD", "M | SD", "x̄ | SD";
# "χ" is how some conversions print x̄).
RE_MEAN_HEADER = re.compile(r"[*_\s]*(?:mean|average|M|x̄|X̄|χ)[*_\s]*", re.IGNORECASE)
RE_SD_HEADER = re.compile(r"[*_\s]*(?:SD|S\.D\.|standard\s+deviation)[*_\s]*", re.IGNORECASE)
# A cell holding one plain number (a percentage too), possibly decorated: "56.16", "35.2%", "4.13**".
RE_PLAIN_VALUE = re.compile(rf"(?P<value>{PAT_NUMBER})%?")


def _leaf_header(grid: dict[tuple[int, int], TableCell], col: int) -> str:
    """The lowest non-empty header cell of a column."""
    rows = sorted((r for (r, c), cell in grid.items() if c == col and cell.header and cell.text.strip()))
    return grid[(rows[-1], col)].text if rows else ""


def _plain_value(text: str, cell: TableCell | None) -> re.Match[str] | None:
    if cell is None or cell.start is None or cell.end is None:
        return None
    found = list(RE_PLAIN_VALUE.finditer(text, cell.start, cell.end))
    if len(found) != 1:
        return None
    m = found[0]
    ok = all(RE_CELL_DECORATION.fullmatch(text, a, b) for a, b in _gaps(cell.start, cell.end, [m.span()]))
    return m if ok else None


def _mean_sd_columns(
    grid: dict[tuple[int, int], TableCell], table: Table, ctx: PaperContext
) -> list[SummaryStat]:
    """Mean and SD printed in neighbouring columns headed "Mean" and "SD": one entity spanning both."""
    n_cols = max(c for _, c in grid) + 1
    pairs = [
        c
        for c in range(n_cols - 1)
        if RE_MEAN_HEADER.fullmatch(_leaf_header(grid, c))
        and RE_SD_HEADER.fullmatch(_leaf_header(grid, c + 1))
    ]
    out: list[SummaryStat] = []
    text = ctx.repaired
    for r in sorted({r for (r, _c), cell in grid.items() if not cell.header}):
        for c in pairs:
            mean_cell, sd_cell = grid.get((r, c)), grid.get((r, c + 1))
            mm, sm = _plain_value(text, mean_cell), _plain_value(text, sd_cell)
            if mm is None or sm is None or sm["value"].startswith(("-", "−", "–")):
                continue
            stat = _table_stat(grid, r, c, mm.start(), sm.end(), mm["value"], sm["value"], table, ctx)
            if stat is not None:
                out.append(stat)
    return out


# Two values the table stage left in one cell ("5.05 (1.68) 6.00 (1.23)"): each is read on its own.
RE_TOKEN_PM = re.compile(rf"{PAT_MEAN_PM_SD}(?:\s*[*†‡§¶#]+)?")


def _gaps(start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], start
    for a, b in spans:
        out.append((pos, a))
        pos = b
    out.append((pos, end))
    return out


def _table_stat(
    grid: dict[tuple[int, int], TableCell],
    r: int,
    c: int,
    start: int,
    end: int,
    mean_text: str,
    sd_text: str,
    table: Table,
    ctx: PaperContext,
) -> SummaryStat | None:
    mean, sd = _number(mean_text), _number(sd_text)
    if mean is None or sd is None:
        return None
    variable = row_label(grid, r)
    group = column_header(grid, c)
    n = None
    for label in (group, variable):
        nm = RE_N_LABEL.search(label or "")
        if nm:
            n = int(nm["n"])
            break
    if group and variable and RE_N_LABEL.search(variable) and not RE_N_LABEL.search(group):
        # rows are the groups ("Responders (n = 33)"), columns the variables
        variable, group = group, variable
    elif variable and RE_SUMMARY_ROW.match(variable):
        # a "Mean ± SD" row under per-patient rows: the column names the variable
        variable, group = group, None
    return SummaryStat(
        start=start,
        end=end,
        text=ctx.text[start:end],
        mean=mean,
        sd=sd,
        variable=variable,
        group=group,
        n=n,
        mean_decimals=decimals_of(mean_text),
        sd_decimals=decimals_of(sd_text),
        table=table.label,
        cell=(r, c),
    )


# --- "mean (SD)" without "SD" in the parenthesis: licensed by a legend ---------------------------
# A value and a single number in brackets, "36.1 (8.9)", "−17.5 (6.1)": a CI has two numbers and a
# count-with-percent carries "%"; neither matches.
RE_PAREN_TOKEN = re.compile(
    rf"(?P<mean>{PAT_NUMBER})\s?\(\s?(?P<sd>\d+(?:[.·]\d+)?|[.·]\d+)\s?\)(?![\w%])(?!\s*%)"
    # a percentage and its SD in square brackets: "73.3% [6.9%]" (with "mean [standard deviation]")
    rf"|(?P<pmean>{PAT_NUMBER})%\s?\[\s?(?P<psd>\d+(?:[.·]\d+)?|[.·]\d+)%\s?\]"
)
# Legends that say what the bracket holds: an SD ("mean (SD)", "(standard deviation)", "SD") ...
RE_SD_LEGEND = re.compile(r"\bSDs?\b|standard\s+deviations?|\bs\.d\.", re.IGNORECASE)
# ... or a count and its percent ("n (%)", "No. (%)", "number (percentage)"), or another spread.
RE_OTHER_LEGEND = re.compile(
    r"\bn\s*\(\s*%\s*\)|\(\s*%\s*\)|No\.\s*\(\s*%|number\s*\(\s*perc|\bIQR\b|interquartile|\brange\b"
    r"|\bA?SEM?\b|standard\s+error",
    re.IGNORECASE,
)
# A row label that names a measured variable: a unit in brackets, or "mean", "score", "age".
RE_CONTINUOUS_LABEL = re.compile(
    r"\((?!\s*%|\s*n\b)[^()]*[A-Za-z/][^()]*\)|\bmean\b|\bscores?\b|\bage\b|\bindex\b"
    # a unit after a comma: "Weight, kg", "SBP, mmHg", "LDL, mg/dL"
    r"|,\s*[A-Za-zµμ]{1,6}(?:/[A-Za-z0-9²]{1,5})?\s*$",
    re.IGNORECASE,
)
# How many lines above a value its table's legend (caption, column header) may sit.
DEFAULT_LEGEND_LINES = 25
# How many lines below a value its table's footnotes may sit.
DEFAULT_FOOTNOTE_LINES = 20


def _legend_says_sd(text: str, line_start: int, label: str) -> bool:
    if RE_SD_LEGEND.search(label):
        return True
    if RE_OTHER_LEGEND.search(label) or "%" in label:
        return False  # the row's own label says count and percent ("Female sex (no.; %)")
    lo = line_start
    for _ in range(DEFAULT_LEGEND_LINES):
        lo = text.rfind("\n", 0, max(0, lo - 1)) + 1
        if lo <= 0:
            break
    hi = line_start
    for _ in range(DEFAULT_FOOTNOTE_LINES):
        nxt = text.find("\n", hi + 1)
        if nxt < 0:
            hi = len(text)
            break
        hi = nxt
    # the caption and header above, and the footnotes below ("Table values are mean (SD).")
    around = text[lo:hi]
    sd = [m.start() for m in RE_SD_LEGEND.finditer(around)]
    other = [m.start() for m in RE_OTHER_LEGEND.finditer(around)]
    if not sd:
        return False
    if not other:
        return True
    # "mean (SD) or n (%)": only rows that name a measured variable
    return bool(RE_CONTINUOUS_LABEL.search(label))


def find_paren_sd(text: str) -> list[SummaryStat]:
    """`36.1 (8.9)` where the row label, the sentence or the table legend above says the bracket is an SD."""
    out: list[SummaryStat] = []
    for m in RE_PAREN_TOKEN.finditer(text):
        mean_text, sd_text = m["mean"] or m["pmean"], m["sd"] or m["psd"]
        mean, sd = _number(mean_text), _number(sd_text)
        if mean is None or sd is None:
            continue
        if m["mean"] and decimals_of(mean_text) == 0 and decimals_of(sd_text) > 0:
            continue  # "4 (9.1)": a count and its percent far more often than an integer mean
        line_start = text.rfind("\n", 0, m.start()) + 1
        sent_start, _ = sentence_bounds(text, m.start())
        row = re.match(r"\s*(?P<label>[^\d−\-(]*[A-Za-z][^\d−]*?)\s{2,}", text[line_start : m.start()] + "  ")
        # the row's label in a table line; else the sentence up to the value
        label = row["label"] if row else text[max(line_start, sent_start) : m.start()]
        if not _legend_says_sd(text, line_start, label):
            continue
        out.append(
            SummaryStat(
                start=m.start(),
                end=m.end(),
                text=m[0],
                mean=mean,
                sd=sd,
                variable=re.sub(r"\s+", " ", row["label"]).strip(" *") if row else None,
                mean_decimals=decimals_of(mean_text),
                sd_decimals=decimals_of(sd_text),
            )
        )
    return out


# A statement of what follows "±": "mean ± SD", "mean ± SEM", "(mean ± standard error)", "± SE".
RE_DISPERSION = re.compile(
    r"(?:mean|average)?\s*(?:±|\+/-)\s*(?P<kind>SD|S\.D\.|SEM|SE|S\.E\.(?:M\.)?|standard\s+deviations?"
    r"|standard\s+errors?(?:\s+of\s+the\s+mean)?)(?![A-Za-z])"
)


def dispersion_kind(label: str) -> str:
    """`SEM`, `S.E.`, `standard error of the mean` -> "SE"; anything else -> "SD"."""
    return "SE" if re.match(r"S\.?E|standard\s+error", label, re.IGNORECASE) else "SD"


def apply_dispersion(ent: SummaryStat, kind: str | None) -> SummaryStat:
    """A "±" that the paper declares a standard error is not an SD: keep it apart (`se`), so the
    audit never tests p-values or SD ranges with it. The field `dispersion` says which it was."""
    if kind != "SE" or ent.sd is None:
        return ent
    data = ent.model_dump()
    data.update(se=ent.sd, se_decimals=ent.sd_decimals, sd=None, sd_decimals=None, dispersion="SE")
    return SummaryStat(**data)


def declared_dispersion(text: str, before: int) -> str | None:
    """The last "mean ± SD/SEM" statement before offset `before` (e.g. in Methods), if any."""
    kind = None
    for m in RE_DISPERSION.finditer(text, 0, before):
        kind = dispersion_kind(m["kind"])
    return kind


class SummaryStatComponent(EntityComponent):
    kind = "summary_stat"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        text = ctx.repaired
        regions = table_regions(ctx)
        table_ents = [e for t in ctx.tables for e in match_table(t, ctx)]
        taken = [(e.start, e.end) for e in table_ents]
        out: list[EntityBase] = list(table_ents)
        for ent in (*find_summary_stats(text), *find_means_without_sd(text), *find_paren_sd(text)):
            if any(s < ent.end and ent.start < e for s, e in taken):
                continue
            if table_ents and in_regions(regions, ent.start, ent.end):
                continue  # a table we parsed: its cells were read above
            out.append(ent)
            taken.append((ent.start, ent.end))
        out = mark_cited(out, doc, ctx)
        statements = [(m.start(), dispersion_kind(m["kind"])) for m in RE_DISPERSION.finditer(text)]
        if not statements:
            return out
        result: list[EntityBase] = []
        for base in out:
            assert isinstance(base, SummaryStat)
            ent = base
            # the nearest statement before the value; else the paper's first (a table above Methods)
            before = [k for at, k in statements if at < ent.start]
            kinds = {k for _, k in statements}
            kind = before[-1] if before else (statements[0][1] if len(kinds) == 1 else None)
            result.append(apply_dispersion(ent, kind))
        return result
