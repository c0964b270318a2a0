"""statistic entities: test statistics (t, F, χ², r, z, Q via `extractors.stats`), effect estimates
with confidence intervals (HR/OR/RR/mean difference) and correlation coefficients, in text and in
table footnotes.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.entities.base import EntityComponent
from extractors.entities.p_value import column_header, mark_cited, row_label, table_cell_grid
from extractors.numbers import PAT_NUMBER, PAT_NUMBER_AFTER_JOIN, decimals_of, parse_number
from extractors.stats import parse_stats
from schemas import EntityBase, Statistic
from schemas.context import PaperContext
from schemas.records import Table

__all__ = [
    "StatisticComponent",
    "find_statistics",
    "find_effect_estimates",
    "find_correlations",
    "match_table",
]

# --- effect estimates --------------------------------------------------------------------------
# The estimate's name, abbreviated or spelled out; adjusted forms ("aHR", "adjusted OR").
PAT_EFFECT_NAME = (
    r"(?<![A-Za-z])(?P<name>a?HR|a?OR|a?RR|IRR|MD|SMD|WMD"
    # spelled-out names in any case ("Hazard ratio" heads a column); abbreviations only in capitals
    r"|(?i:(?:adjusted\s+)?(?:hazard|odds|risk|rate|incidence\s+rate)\s+ratios?"
    r"|relative\s+risks?|(?:standardi[sz]ed\s+|weighted\s+)?mean\s+differences?"
    # a difference (risk, treatment, between-group) counts only with its CI, checked in code
    r"|(?:absolute\s+|adjusted\s+|risk\s+|treatment\s+|between-group\s+)?differences?))(?![A-Za-z])"
)
# Between name and value: "HR 0.72", "HR = 0.72", "HR, 0.72", "HR of 0.72", "HR was 0.72", "(HR: 0.72";
# the abbreviation defined on the way ("adjusted odds ratio (aOR) 1.8"); and what it is for ("the
# hazard ratio for death was 0.72"), a phrase allowed only when a CI follows (checked in code).
PAT_EFFECT_ABBREV = r"(?:\s*\(\s*[A-Za-z]{1,5}\s*\))?"
PAT_EFFECT_FOR = r"(?P<for>\s+(?:for|of|in)\s+[^.;:()\d=]{1,60}?(?=\s+(?:was|were|is|of)\s|\s*[=:,]))?"
PAT_EFFECT_GAP = rf"{PAT_EFFECT_ABBREV}{PAT_EFFECT_FOR}(?:\s*[=:,]\s*|\s+(?:of|was|were|is)\s+|\s+)"
# A unit printed after an estimate: "−1.2 points", "3.1 mm Hg", "5%".
PAT_EFFECT_UNIT = r"(?:\s?%|\s(?:points?|mm\s?Hg|kg|cm|mg/dL|mmol/L|days?|weeks?|months?|years?))?"
# The CI label: "95% CI", "95% confidence interval", "CI 95%", "95 % CI:".
PAT_CI_LABEL = (
    r"(?:(?P<level>\d{2}(?:\.\d)?)\s?%\s*(?:CI|confidence\s+intervals?)|CI\s*(?P<level2>\d{2})\s?%|CI)"
)
# The CI bounds: "0.61–0.85", "0.61 to 0.85", "0.61, 0.85", "−1.2 to −0.3".
PAT_CI_BOUNDS = rf"(?P<low>{PAT_NUMBER})\s*(?:[-–—]|to|,|;)\s*(?P<high>{PAT_NUMBER_AFTER_JOIN})"
PAT_CI_BOUNDS_BARE = PAT_CI_BOUNDS.replace("?P<low>", "?P<low2>").replace("?P<high>", "?P<high2>")
# Value then CI: "0.72 (95% CI 0.61–0.85)", "0.72; 95% CI, 0.61 to 0.85", "0.72 [95% CI: 0.61, 0.85]".
PAT_EFFECT = (
    rf"{PAT_EFFECT_NAME}{PAT_EFFECT_GAP}(?P<value>{PAT_NUMBER}){PAT_EFFECT_UNIT}"
    rf"(?:\s*[,;(\[]\s*{PAT_CI_LABEL}\s*[,:=]?\s*{PAT_CI_BOUNDS}\s*[)\]]?"
    # an unlabelled interval only inside brackets right after the value: "HR 2.3 (1.2–4.5)"
    rf"|\s*[(\[]\s*{PAT_CI_BOUNDS_BARE}\s*[)\]])?"
)
RE_EFFECT = re.compile(PAT_EFFECT)

# --- correlations ------------------------------------------------------------------------------
# "r = −0.91", "rho = 0.5", "ρ = .4", "Spearman's r = ...", "R = 0.6" (no df: parse_stats needs df).
PAT_CORR_HEAD = r"(?<![A-Za-z0-9])(?P<name>r|R|rs|rho|ρ|r\s?[sp])\s*(?:=|:)\s*"
# Further coefficients in the same list, each "for" a named pair:
# "r = −0.91 for IL-2 lesions, −0.87 for IL-2 pain score, and 0.62 for TNF-a pain score".
PAT_CORR_MORE = rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?P<value>{PAT_NUMBER})(?=\s+for\s)"
# Spelled out: "correlation coefficient of 0.45", "(correlation coefficient, r = 0.45)",
# "Pearson correlation was −0.3".
PAT_CORR_WORDS = (
    r"(?<![A-Za-z])(?P<wname>(?i:(?:Pearson(?:'s)?\s+|Spearman(?:'s)?\s+|intraclass\s+)?correlation"
    r"(?:\s+coefficients?)?))(?:\s*\(\s*(?:r|ρ|rho|ICC)\s*\))?\s*(?:,\s*(?:r|ρ|rho)\s*)?"
    r"(?:=|:|\s+of|\s+was|\s+were|\s+is)\s*"
)
RE_CORR = re.compile(rf"(?:{PAT_CORR_HEAD}|{PAT_CORR_WORDS})(?P<value>{PAT_NUMBER})")
RE_CORR_MORE = re.compile(PAT_CORR_MORE)
# What a listed coefficient is "for": up to the next comma/semicolon/period.
RE_FOR = re.compile(r"\s+for\s+[^,;.]{1,60}")

TEST_NAMES = {
    "hr": "HR",
    "ahr": "HR",
    "or": "OR",
    "aor": "OR",
    "rr": "RR",
    "arr": "RR",
    "irr": "IRR",
    "md": "mean difference",
    "smd": "SMD",
    "wmd": "mean difference",
}


def _test_name(name: str) -> str:
    n = re.sub(r"\s+", " ", name.strip()).lower()
    if n in TEST_NAMES:
        return TEST_NAMES[n]
    if "hazard" in n:
        return "HR"
    if "odds" in n:
        return "OR"
    if "incidence rate" in n or n.startswith("rate"):
        return "IRR"
    if "risk" in n and "difference" not in n:
        return "RR"
    if "standardi" in n:
        return "SMD"
    if "mean" in n:
        return "mean difference"
    if n.startswith("risk") or n.startswith("absolute"):
        return "RD"
    return "difference"


def find_effect_estimates(text: str) -> list[Statistic]:
    """`HR 0.72 (95% CI 0.61–0.85)` -> Statistic(test="HR", value=0.72, ci=[0.61, 0.85])."""
    out: list[Statistic] = []
    for m in RE_EFFECT.finditer(text):
        name = m["name"]
        has_ci = bool(m["low"] or m["low2"])
        if m["for"] and not has_ci:
            continue  # "the odds ratio for X was 2" without an interval: too loose to trust
        if name == "OR" and not has_ci:
            continue  # a bare "OR 2" is too often the conjunction in capitals
        if re.search(r"difference", name, re.IGNORECASE) and "mean" not in name.lower() and not has_ci:
            continue  # "a difference of 50%" in a power calculation is no estimate
        value = parse_number(m["value"])
        if value is None:
            continue
        ci = None
        low_text, high_text = m["low"] or m["low2"], m["high"] or m["high2"]
        if low_text and high_text:
            low, high = parse_number(low_text), parse_number(high_text)
            if low is not None and high is not None and low <= value <= high:
                ci = [low, high]
        out.append(
            Statistic(
                start=m.start(),
                end=m.end(),
                text=m[0],
                test=_test_name(name),
                value=value,
                ci=ci,
                decimals=decimals_of(m["value"]),
            )
        )
    return out


def find_correlations(text: str) -> list[Statistic]:
    """`r = −0.91 for IL-2 lesions, −0.87 for IL-2 pain score` -> two r statistics."""
    out: list[Statistic] = []
    for m in RE_CORR.finditer(text):
        value = parse_number(m["value"])
        if value is None or not -1 <= value <= 1:
            continue
        test = "ICC" if m["wname"] and "intraclass" in m["wname"].lower() else "r"
        end = m.end()
        f = RE_FOR.match(text, end)
        span_end = f.end() if f else end
        out.append(
            Statistic(
                start=m.start(),
                end=span_end,
                text=text[m.start() : span_end],
                test=test,
                value=value,
                decimals=decimals_of(m["value"]),
            )
        )
        pos = span_end
        while (mm := RE_CORR_MORE.match(text, pos)) is not None:
            v = parse_number(mm["value"])
            if v is None or not -1 <= v <= 1:
                break
            f = RE_FOR.match(text, mm.end())
            e = f.end() if f else mm.end()
            out.append(
                Statistic(
                    start=mm.start("value"),
                    end=e,
                    text=text[mm.start("value") : e],
                    test=test,
                    value=v,
                    decimals=decimals_of(mm["value"]),
                )
            )
            pos = e
    return out


def find_statistics(text: str) -> list[Statistic]:
    """Every statistic in `text`: test results first, then estimates and correlations not inside one."""
    out: list[Statistic] = []
    for s in parse_stats(text):
        out.append(
            Statistic(
                start=s.start,
                end=s.end,
                text=s.raw,
                test=s.test,
                value=s.value,
                df=s.df or None,
                decimals=s.value_decimals,
            )
        )
    taken = [(e.start, e.end) for e in out]
    for extra in (*find_effect_estimates(text), *find_correlations(text)):
        if any(s < extra.end and extra.start < e for s, e in taken):
            continue
        out.append(extra)
        taken.append((extra.start, extra.end))
    return out


# A column header or row label naming an estimate: "HR (95% CI)", "Adjusted OR", "Mean difference".
RE_EFFECT_LABEL = re.compile(PAT_EFFECT_NAME)
# A table cell holding an estimate: "0.72 (0.61–0.85)", "0.72 [0.61, 0.85]", "1.30", with a marker.
RE_EFFECT_CELL = re.compile(
    rf"\s*(?P<value>{PAT_NUMBER})\s*(?:[(\[]\s*{PAT_CI_BOUNDS}\s*[)\]])?\s*(?:[*†‡§¶#]+|(?<=\d)[a-z])?\s*"
)


def match_table(table: Table, ctx: PaperContext) -> list[Statistic]:
    """Estimates in cells under (or beside) a label naming them: "HR (95% CI)" -> HR, CI."""
    grid = table_cell_grid(table)
    out: list[Statistic] = []
    for (r, c), cell in sorted(grid.items()):
        if cell.header or cell.start is None or cell.end is None or c == 0:
            continue
        label = column_header(grid, c) or ""
        named = RE_EFFECT_LABEL.search(label) or RE_EFFECT_LABEL.search(row_label(grid, r) or "")
        if named is None:
            continue
        m = RE_EFFECT_CELL.fullmatch(cell.text)
        if m is None:
            continue
        value = parse_number(m["value"])
        if value is None:
            continue
        ci = None
        if m["low"]:
            low, high = parse_number(m["low"]), parse_number(m["high"])
            if low is not None and high is not None and low <= value <= high:
                ci = [low, high]
        if ci is None and m["low"]:
            continue  # a bracket that does not hold the estimate is no CI of it: not an estimate cell
        out.append(
            Statistic(
                start=cell.start,
                end=cell.end,
                text=ctx.text[cell.start : cell.end],
                test=_test_name(named["name"]),
                value=value,
                ci=ci,
                decimals=decimals_of(m["value"]),
                table=table.label,
                cell=(r, c),
            )
        )
    return out


class StatisticComponent(EntityComponent):
    kind = "statistic"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        out: list[EntityBase] = [e for t in ctx.tables for e in match_table(t, ctx)]
        taken = [(e.start, e.end) for e in out]
        # Table footnotes stay in the text ("r = −0.91 for IL-2 lesions ..."): read there.
        for ent in find_statistics(ctx.repaired):
            if not any(s < ent.end and ent.start < e for s, e in taken):
                out.append(ent)
        return mark_cited(out, doc, ctx)
