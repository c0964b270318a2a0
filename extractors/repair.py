"""Glyph repair: symbol-font damage undone by named, data-driven rules. One character in, one out.

PDF text of journals set in symbol fonts comes out with the operators on other characters:
Mathematical Pi prints `±` as `6`, `=` as `5`, `<` as `,`, `>` as `.`, minus as `2`, `×` as `·`,
`†` as `y`; other papers lose the glyph altogether (U+FFFD, `�`). Each rule below recognises one
such context and proposes a replacement for exactly one character, so offsets never move
(`len(repaired) == len(text)`). Every repair is a `RepairRecord(offset, before, after, rule,
confidence)`.

Plausibility: a p-value read this way must lie in [0, 1], a correlation in [-1, 1] (which is how a
leading "2" is known to be a minus), a count is an integer, an SD is unsigned; two integers around a
`6` are never read as `±` (they are counts).

Undecidable glyphs: a `�` whose context narrows it to a best guess (`P � 0.05` is most likely `<`,
`by �20%` most likely `≥`) is replaced by that guess with a low confidence and `uncertain=True`; a
`�` with no usable context is left as is, also flagged `uncertain=True` (`before == after`).
`RepairSettings(guess_uncertain=False)` leaves every uncertain glyph as is.

When a PDF reader supplies `font_runs`, characters drawn in a symbol font are mapped through that
font's table (`extractors/glyphs.py`) with high confidence, and the Mathematical-Pi context rules
never reinterpret a character the reader saw in a text font.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from extractors import glyphs
from schemas import FontRun, RepairedText, RepairRecord

__all__ = [
    "DEFAULT_MINUS",
    "DEFAULT_RULES",
    "RULES",
    "RepairSettings",
    "Rule",
    "font_table_for",
    "repair_glyphs",
]

FFFD = "\ufffd"
DEFAULT_MINUS = "-"  # ASCII, so `float()` reads a repaired number; "−" (U+2212) is allowed too
DEFAULT_FONT_CONFIDENCE = 0.99

# Number parts shared by the rules.
PAT_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
PAT_P_VALUE = r"(?:0?\.\d+|[01](?![\d.]))"
# A value token must not continue into more digits or letters ("6 mo" is not a value pair).
PAT_END = r"(?![\d]|\.\d|[A-Za-z])"


@dataclass
class Scan:
    """One document being repaired: the text, what is already decided, and what the rules learnt."""

    text: str
    settings: RepairSettings
    plain: bytearray  # 1 where a PDF reader saw the character in a text font: not a symbol glyph
    claimed: dict[int, RepairRecord] = field(default_factory=dict)
    math_pi_evidence: int = 0  # strong Mathematical-Pi repairs so far (gates the weaker rules)

    def fix(
        self, offset: int, after: str, rule: str, confidence: float, uncertain: bool = False
    ) -> RepairRecord:
        if uncertain and not self.settings.guess_uncertain:
            after = self.text[offset]
        return RepairRecord(
            offset=offset,
            before=self.text[offset],
            after=after,
            rule=rule,
            confidence=round(confidence, 3),
            uncertain=uncertain,
        )


RuleFn = Callable[[Scan], Iterator[RepairRecord]]


@dataclass(frozen=True)
class Rule:
    name: str
    find: RuleFn
    math_pi: bool = False  # reinterprets an ordinary character: never inside a text-font run
    strong: bool = False  # its repairs are evidence that the document is set in Mathematical Pi
    needs_evidence: bool = False  # fires only once the document showed strong Mathematical-Pi damage


# ---------------------------------------------------------------------------------------------
# Mathematical Pi: operators printed as digits and punctuation.

# "P, 0.05" / "P , 0.001" -> "<"; "P . 0.05" -> ">". The value must be a p-value.
# The "P" may carry a footnote marker still printed as a letter ("yP , 0.001" opens a footnote).
PAT_PI_P = re.compile(
    rf"(?:(?<![\w.])|(?<=^[yz])|(?<=\s[yz]))[Pp](?P<s1> ?)(?P<g>[,.])(?P<s2> ?)(?P<val>{PAT_P_VALUE})", re.M
)


def find_pi_p_comparison(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_P.finditer(scan.text):
        if m["g"] == "." and not m["s2"]:
            continue  # "P.0.05" is no layout a typesetter makes; "P. 0.05" and "P . 0.05" are
        if m["g"] == "," and not (m["s1"] or m["s2"]):
            continue
        yield scan.fix(m.start("g"), "<" if m["g"] == "," else ">", "pi_p_comparison", 0.95)


# "(n 5 14)", "n5 31", "P 5 0.519", "r 5 20.91", "t(40) 5 2.31" -> "=", each checked for plausibility.
PAT_PI_STAT_EQ = re.compile(
    r"(?<![\w.])(?P<sym>[nNPpr]|df|t|F|z|U|H|Q|χ2|OR|RR|HR)"
    r"(?P<df>\(\d+(?:\.\d+)?(?:, ?\d+(?:\.\d+)?)?\))?"
    r"(?P<s1> ?)(?P<g>5)(?P<s2> ?)(?P<val>2?\d*\.\d+|\d{1,3}(?:,\d{3})+|\d+)" + PAT_END
)


def plausible_stat(sym: str, raw: str) -> bool:
    value = float(raw.replace(",", ""))
    if sym in ("n", "N"):
        return "." not in raw
    if sym in ("P", "p"):
        return 0.0 <= value <= 1.0
    if sym == "r":  # |r| <= 1, or the leading "2" is a minus sign ("20.91" = -0.91)
        return value <= 1.0 or (raw.startswith("2") and float(raw[1:] or "nan") <= 1.0)
    return "." in raw  # t, F, z ...: a test statistic is printed with decimals


def find_pi_stat_equals(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_STAT_EQ.finditer(scan.text):
        if not (m["s1"] or m["s2"]) or not plausible_stat(m["sym"], m["val"]):
            continue
        weak = m["sym"] not in ("n", "N", "P", "p", "r")
        if weak and not (scan.math_pi_evidence or m["df"]):
            continue
        yield scan.fix(m.start("g"), "=", "pi_stat_equals", 0.8 if weak else 0.95)


# A correlation's leading "2" is a minus: "r = 20.91 for X, 20.87 for Y" -> -0.91, -0.87.
PAT_R_START = re.compile(r"(?<![\w.])r ?[=5\ufffd] ?")
PAT_R_VALUE = re.compile(
    r"(?:^|(?<=[=5\ufffd] )|(?<=[=5\ufffd])|(?<=, )|(?<=and )|(?<=to ))(?P<v>\d*\.\d+)(?![\d.])"
)
PAT_SENTENCE_END = re.compile(r"(?<=[A-Za-z%)\]])\.(?:\s|$)|;|\n\s*\n")


def find_pi_minus_correlation(scan: Scan) -> Iterator[RepairRecord]:
    for start in PAT_R_START.finditer(scan.text):
        end_m = PAT_SENTENCE_END.search(scan.text, start.end())
        end = end_m.start() if end_m else len(scan.text)
        segment = scan.text[start.start() : end]
        for m in PAT_R_VALUE.finditer(segment, start.end() - start.start()):
            raw = m["v"]
            # "20.91" (leading zero) or "2.91" (APA style, no zero): a coefficient has 2+ decimals
            if raw.startswith("2") and float(raw) > 1.0 and re.fullmatch(r"0?\.\d{2,}", raw[1:]):
                yield scan.fix(start.start() + m.start("v"), scan.settings.minus, "pi_minus_correlation", 0.9)


# "mean 6 SD" -> "mean ± SD".
PAT_PI_MEAN_SD = re.compile(r"\b(?:[Mm]ean|MEAN|[Aa]verage)\s+(?P<g>6)\s+(?:SD|SE|SEM|S\.D\.|s\.d\.|SE of)\b")


def find_pi_mean_sd(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_MEAN_SD.finditer(scan.text):
        yield scan.fix(m.start("g"), "±", "pi_mean_sd", 0.98)


# "2.87 6 1.23", "53 6 20.3", across a line break "1.24 6\n\n0.55" -> "±". Two integers never:
# "Male 19 6" is a row of counts.
PAT_PI_PM = re.compile(
    rf"(?<![\w.,])(?P<a>{PAT_NUM}%?)(?P<s1> +| *\n\s*)(?P<g>6)(?P<s2> +| *\n\s*)"
    rf"(?P<b>{PAT_NUM}%?)" + PAT_END
)
# "Increase 4 3.5 6 5.2": a count before the first number makes the row n, %, n, %: no "±" there.
PAT_COUNT_BEFORE = re.compile(r"(?:^|[ \t])\d+ +$")


def find_pi_plus_minus(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_PM.finditer(scan.text):
        a_dec, b_dec = "." in m["a"], "." in m["b"]
        percents = m["a"].endswith("%") and m["b"].endswith("%")
        line_start = scan.text.rfind("\n", 0, m.start()) + 1
        if PAT_COUNT_BEFORE.search(scan.text, line_start, m.start()) and a_dec:
            continue
        if a_dec and b_dec:
            confidence = 0.9
        elif a_dec or b_dec or percents:
            confidence = 0.8
        else:
            continue
        yield scan.fix(m.start("g"), "±", "pi_plus_minus", confidence)


# A p-value table cell: ",0.001y" -> "<0.001†"; ".0.05" -> ">0.05".
PAT_PI_P_CELL = re.compile(r"(?:(?<=\s)|^|(?<=\())(?P<g>[,.])(?P<val>0?\.\d+)(?=[*yz†‡§]?(?:[\s);,]|$))")


def find_pi_p_cell(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_P_CELL.finditer(scan.text):
        yield scan.fix(m.start("g"), "<" if m["g"] == "," else ">", "pi_p_cell", 0.9)


# Footnote markers: "y"/"z" after a p-value cell ("0.001y") or opening a footnote line ("yP , 0.001").
PAT_PI_MARK_CELL = re.compile(r"(?:(?<=\s)|^|(?<=[<>,.]))(?:[<>,.])?0?\.\d+(?P<g>[yz])(?=[\s);,]|$)", re.M)
PAT_PI_MARK_LINE = re.compile(r"^[ \t]*(?P<g>[yz])(?=[A-Z(*][^a-z]|[A-Z][a-z]* [<>=,.5]|P\b)", re.M)


def find_pi_dagger(scan: Scan) -> Iterator[RepairRecord]:
    for pat in (PAT_PI_MARK_CELL, PAT_PI_MARK_LINE):
        for m in pat.finditer(scan.text):
            yield scan.fix(m.start("g"), glyphs.MATH_PI_TABLE[m["g"]], "pi_dagger", 0.85)


# "severity score · frequency score" -> "×" (a spaced middle dot between words or numbers).
PAT_PI_TIMES = re.compile(r"(?<=[A-Za-z0-9)] )(?P<g>\u00b7)(?= [A-Za-z0-9(])")


def find_pi_times(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_TIMES.finditer(scan.text):
        yield scan.fix(m.start("g"), "×", "pi_times", 0.8)


# Definitions: "Pain score 5 severity score · frequency score", "RT 5 radiotherapy;" -> "=".
PAT_PI_DEFINITION = re.compile(
    r"(?:^|(?<=; ))[ \t]*(?:[A-Z][\w-]*(?: [a-z][\w-]*){0,3}) (?P<g>5) "
    r"(?=[a-z][\w-]*(?: [a-z][\w-]*){0,3} [\u00b7×] [a-z]|[a-z]{3,}[\w -]*(?:;|\.?$))",
    re.M,
)


def find_pi_definition(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_DEFINITION.finditer(scan.text):
        yield scan.fix(m.start("g"), "=", "pi_definition", 0.75)


# A freezer temperature whose minus was printed as "2": "preserved at 220°C" -> "-20°C".
PAT_PI_TEMPERATURE = re.compile(r"(?<![\w.\-−])(?P<g>2)(?P<t>\d{2,3})(?=\s?[°\ufffdº˚]\s?[CF]\b)")


def find_pi_temperature(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PI_TEMPERATURE.finditer(scan.text):
        if int(m["t"]) in glyphs.FREEZER_TEMPERATURES and int("2" + m["t"]) > 100:
            yield scan.fix(m.start("g"), scan.settings.minus, "pi_temperature", 0.7)


# ---------------------------------------------------------------------------------------------
# Lost glyphs (U+FFFD): context decides which operator or letter it was.

PAT_FFFD_MEAN_SD = re.compile(r"\b(?:[Mm]ean|MEAN|[Aa]verage)\s*(?P<g>\ufffd)\s*(?:SD|SE|SEM|S\.D\.)\b")


def find_fffd_mean_sd(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_MEAN_SD.finditer(scan.text):
        yield scan.fix(m.start("g"), "±", "fffd_mean_sd", 0.98)


PAT_FFFD_P = re.compile(
    rf"(?<![\w.])[Pp]\s*(?P<g>\ufffd)\s*(?:(?P<val>{PAT_P_VALUE}|\d+(?:\.\d+)?)|(?P<ns>not significant|"
    r"nonsignificant|NS\b|n\.s\.))"
)
PAT_CLAUSE_START = re.compile(r"[.;:]\s|\n\s*\n")


def find_fffd_p_value(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_P.finditer(scan.text):
        g = m.start("g")
        if m["ns"]:
            yield scan.fix(g, "=", "fffd_p_value", 0.9)
            continue
        value = float(m["val"])
        if value > 1.0:
            continue  # not a p-value: left to the fallback, flagged
        if value not in glyphs.P_THRESHOLDS:
            yield scan.fix(g, "=", "fffd_p_value", 0.8)  # an exact-looking value is reported with "="
            continue
        # "P � 0.05": "<" is the usual reading, "=" stays possible; a sentence that says the
        # difference was not significant reads ">". Either way the glyph stays uncertain.
        before = scan.text[max(0, g - 240) : g]
        clause = PAT_CLAUSE_START.split(before)[-1]
        if glyphs.NOT_SIGNIFICANT_CUES.search(clause):
            yield scan.fix(g, ">", "fffd_p_value", 0.4, uncertain=True)
        else:
            yield scan.fix(g, "<", "fffd_p_value", 0.5, uncertain=True)


PAT_FFFD_N = re.compile(r"(?<![\w.])[nN]\s*(?P<g>\ufffd)\s*(?=\d)")


def find_fffd_n_equals(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_N.finditer(scan.text):
        yield scan.fix(m.start("g"), "=", "fffd_n_equals", 0.95)


PAT_FFFD_STAT = re.compile(
    r"(?<![\w.])(?:r|R2|t|F|z|χ2|OR|HR|RR)(?:\([^()\n]{1,20}\))?\s*(?P<g>\ufffd)\s*(?=[−-]?\d*\.\d)"
)


def find_fffd_stat_equals(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_STAT.finditer(scan.text):
        yield scan.fix(m.start("g"), "=", "fffd_stat_equals", 0.75)


# "16.1 � 7.8 mo", "65% � 21%" -> "±"; "256 � 256", "20 � 20 mm" -> "×".
PAT_FFFD_PAIR = re.compile(
    rf"(?<![\w.,])(?P<a>{PAT_NUM}%?)(?P<s1>\s*)(?P<g>\ufffd)(?P<s2>\s*)(?P<b>{PAT_NUM}%?)" + PAT_END
)


def find_fffd_pair(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_PAIR.finditer(scan.text):
        a, b, g = m["a"], m["b"], m.start("g")
        integers = "." not in a and "." not in b and not a.endswith("%")
        if integers and (a == b or glyphs.DIMENSION_UNITS.match(scan.text, m.end())):
            yield scan.fix(g, "×", "fffd_times", 0.85)
        elif not integers or (a.endswith("%") and b.endswith("%")):
            yield scan.fix(g, "±", "fffd_plus_minus", 0.9)
        else:
            yield scan.fix(g, "±", "fffd_plus_minus", 0.4, uncertain=True)  # "12 � 5": ± or ×


# Abbreviation footnotes: "RT � radionuclide therapy; NET � neuroendocrine tumor" -> "=".
PAT_FFFD_ABBREVIATION = re.compile(
    r"(?:^|(?<=;)|(?<=; ))[ \t]*(?P<abbr>[0-9A-Za-z][\w-]{0,11})[ \t](?P<g>\ufffd)\s+"
    r"(?=[A-Za-z]{2,}|\d+-[a-z])",
    re.M,
)


def find_fffd_abbreviation(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_ABBREVIATION.finditer(scan.text):
        if any(c.isupper() for c in m["abbr"]):
            yield scan.fix(m.start("g"), "=", "fffd_abbreviation", 0.9)


PAT_FFFD_MICRO = re.compile(
    r"(?<=[\d\s(/])(?P<g>\ufffd)(?=(?:" + "|".join(glyphs.MICRO_UNITS) + r")(?:/|\b))"
)


def find_fffd_micro(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_MICRO.finditer(scan.text):
        yield scan.fix(m.start("g"), "µ", "fffd_micro", 0.9)


PAT_FFFD_GREEK_HYPHEN = re.compile(r"(?P<g>\ufffd)-(?P<w>[a-z]+)\b")


def find_fffd_greek_hyphen(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_GREEK_HYPHEN.finditer(scan.text):
        letter = glyphs.GREEK_BEFORE_HYPHEN.get(m["w"])
        if letter:
            yield scan.fix(m.start("g"), letter, "fffd_greek_hyphen", 0.9)


PAT_FFFD_CHI = re.compile(
    r"(?P<g>\ufffd)(?=2[\s-]*(?:tests?\b|statistics?\b|values?\b|analys[ie]s\b|=|\ufffd|\())"
)


def find_fffd_chi_square(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_CHI.finditer(scan.text):
        yield scan.fix(m.start("g"), "χ", "fffd_chi_square", 0.9)


PAT_FFFD_DEGREE = re.compile(r"(?<=\d)(?P<sp> ?)(?P<g>\ufffd)(?=[CF]\b)")


def find_fffd_degree(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_DEGREE.finditer(scan.text):
        yield scan.fix(m.start("g"), "°", "fffd_degree", 0.95)


# Bands: "�50 kg, 50–70 kg, or �70 kg" -> "<50 kg, 50–70 kg, or >70 kg".
PAT_FFFD_BANDS = re.compile(
    r"(?P<g1>\ufffd) ?(?P<lo>\d+(?:\.\d+)?)(?: ?[A-Za-z/%]+)?, ?(?P=lo) ?[–-] ?(?P<hi>\d+(?:\.\d+)?)"
    r"(?: ?[A-Za-z/%]+)?,?\s+(?:or|and)\s+(?P<g2>\ufffd) ?(?P=hi)(?![\d.])"
)


def find_fffd_bands(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_BANDS.finditer(scan.text):
        yield scan.fix(m.start("g1"), "<", "fffd_bands", 0.85)
        yield scan.fix(m.start("g2"), ">", "fffd_bands", 0.85)


# A comparison before a number with no symbol to go by: the word before may give the direction
# ("leukopenia � 3,000" reads "<"); "improved by �20%" reads "≥". Always uncertain.
PAT_FFFD_THRESHOLD = re.compile(r"(?P<g>\ufffd)\s?(?P<num>\d[\d,.]*%?)")
PAT_WORD_BEFORE = re.compile(r"(?P<word>[A-Za-z][\w-]*)\s*$")


def find_fffd_threshold(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_THRESHOLD.finditer(scan.text):
        g = m.start("g")
        before = PAT_WORD_BEFORE.search(scan.text, max(0, g - 40), g)
        word = before["word"].lower() if before else ""
        if word and glyphs.LOW_THRESHOLD_WORDS.search(word):
            yield scan.fix(g, "<", "fffd_threshold", 0.6, uncertain=True)
        elif word and glyphs.HIGH_THRESHOLD_WORDS.search(word):
            yield scan.fix(g, ">", "fffd_threshold", 0.6, uncertain=True)
        elif word in ("by", "of") and m["num"].endswith("%"):
            yield scan.fix(g, "≥", "fffd_threshold", 0.4, uncertain=True)


PAT_FFFD_WORD_GAP = re.compile(r"\b(?P<w>[a-z]{1,4})(?P<g>\ufffd)(?=[a-z])")


def find_fffd_word_gap(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_FFFD_WORD_GAP.finditer(scan.text):
        if m["w"] in glyphs.FUNCTION_WORDS:
            yield scan.fix(m.start("g"), " ", "fffd_word_gap", 0.6)


# A tab where an arrow glyph stood before a percent change ("NSE, \t37%"): the direction is a
# guess (a marker response is a fall), so it is flagged.
PAT_TAB_ARROW = re.compile(r",[ \n]+(?P<g>\t)(?=\d+(?:\.\d+)?%)(?!\d+(?:\.\d+)?% ?(?:CI|confidence))")


def find_tab_arrow(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_TAB_ARROW.finditer(scan.text):
        yield scan.fix(m.start("g"), "↓", "tab_arrow", 0.3, uncertain=True)


def find_fffd_unknown(scan: Scan) -> Iterator[RepairRecord]:
    """Every lost glyph no rule could read: left as is, flagged."""
    for m in re.finditer(FFFD, scan.text):
        yield RepairRecord(
            offset=m.start(), before=FFFD, after=FFFD, rule="fffd_unknown", confidence=0.0, uncertain=True
        )


# ---------------------------------------------------------------------------------------------
# Symbol font without a font name: Greek letters left as Latin ones, private-use Symbol codes.


def find_greek_name(scan: Scan) -> Iterator[RepairRecord]:
    for pattern, letters in GREEK_NAME_RES:
        for m in pattern.finditer(scan.text):
            yield scan.fix(m.start("g"), letters[m["g"]], "greek_name", 0.85)


GREEK_NAME_RES = tuple((re.compile(p), letters) for p, letters in glyphs.GREEK_NAME_PATTERNS)
PAT_PUA_SYMBOL = re.compile("[\uf020-\uf0ff]")


def find_pua_symbol(scan: Scan) -> Iterator[RepairRecord]:
    for m in PAT_PUA_SYMBOL.finditer(scan.text):
        code = chr(ord(m.group()) - glyphs.PUA_SYMBOL_BASE)
        after = glyphs.SYMBOL_TABLE.get(code, code if code.isprintable() else None)
        if after:
            yield scan.fix(m.start(), after, "pua_symbol", 0.9)


# Order matters: an offset belongs to the first rule that claims it; strong rules run before the
# rules they gate.
RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("pua_symbol", find_pua_symbol),
        Rule("fffd_mean_sd", find_fffd_mean_sd),
        Rule("fffd_p_value", find_fffd_p_value),
        Rule("fffd_n_equals", find_fffd_n_equals),
        Rule("fffd_stat_equals", find_fffd_stat_equals),
        Rule("fffd_bands", find_fffd_bands),
        Rule("fffd_pair", find_fffd_pair),
        Rule("fffd_abbreviation", find_fffd_abbreviation),
        Rule("fffd_micro", find_fffd_micro),
        Rule("fffd_greek_hyphen", find_fffd_greek_hyphen),
        Rule("fffd_chi_square", find_fffd_chi_square),
        Rule("fffd_degree", find_fffd_degree),
        Rule("fffd_threshold", find_fffd_threshold),
        Rule("fffd_word_gap", find_fffd_word_gap),
        Rule("tab_arrow", find_tab_arrow),
        Rule("pi_mean_sd", find_pi_mean_sd, math_pi=True, strong=True),
        Rule("pi_p_comparison", find_pi_p_comparison, math_pi=True, strong=True),
        Rule("pi_p_cell", find_pi_p_cell, math_pi=True, strong=True),
        Rule("pi_stat_equals", find_pi_stat_equals, math_pi=True, strong=True),
        Rule("pi_minus_correlation", find_pi_minus_correlation, math_pi=True),
        Rule("pi_plus_minus", find_pi_plus_minus, math_pi=True, needs_evidence=True),
        Rule("pi_dagger", find_pi_dagger, math_pi=True, needs_evidence=True),
        Rule("pi_times", find_pi_times, math_pi=True, needs_evidence=True),
        Rule("pi_definition", find_pi_definition, math_pi=True, needs_evidence=True),
        Rule("pi_temperature", find_pi_temperature, math_pi=True, needs_evidence=True),
        Rule("greek_name", find_greek_name, math_pi=True),
        Rule("fffd_unknown", find_fffd_unknown),
    )
}
DEFAULT_RULES: tuple[str, ...] = tuple(RULES)


@dataclass(frozen=True)
class RepairSettings:
    rules: tuple[str, ...] = DEFAULT_RULES
    minus: str = DEFAULT_MINUS
    guess_uncertain: bool = True  # apply the best guess for an uncertain glyph (it stays flagged)
    font_confidence: float = DEFAULT_FONT_CONFIDENCE

    def __post_init__(self) -> None:
        unknown = [r for r in self.rules if r not in RULES]
        if unknown:
            raise ValueError(f"unknown repair rules: {unknown}")
        if len(self.minus) != 1 or self.minus not in "-−":
            raise ValueError("minus must be '-' or '−' (one character in, one out)")
        if not 0.0 <= self.font_confidence <= 1.0:
            raise ValueError("font_confidence must lie in [0, 1]")

    @classmethod
    def resolve(cls, value: RepairSettings | Mapping[str, Any] | None) -> RepairSettings:
        if value is None:
            return cls()
        if isinstance(value, RepairSettings):
            return value
        data = dict(value)
        if "rules" in data:
            data["rules"] = tuple(data["rules"])
        return cls(**data)


def font_table_for(font: str) -> str | None:
    """Name of the glyph table for a PDF font name (`ABCDEF+MathematicalPi-One` -> `math_pi`)."""
    for pattern, table in glyphs.FONT_NAME_PATTERNS:
        if pattern.search(font):
            return table
    return None


def repair_from_fonts(scan: Scan, font_runs: list[FontRun]) -> None:
    n = len(scan.text)
    for run in font_runs:
        start, end = max(0, run.start), min(n, run.end)
        name = font_table_for(run.font)
        if name is None:
            scan.plain[start:end] = b"\x01" * max(0, end - start)
            continue
        table = glyphs.FONT_TABLES[name]
        for i in range(start, end):
            after = table.get(scan.text[i])
            if after is not None and i not in scan.claimed:
                scan.claimed[i] = scan.fix(i, after, f"font_{name}", scan.settings.font_confidence)


def repair_glyphs(
    text: str,
    font_runs: list[FontRun] | None = None,
    settings: RepairSettings | Mapping[str, Any] | None = None,
) -> RepairedText:
    """The text with symbol-font glyphs repaired (same length) and a record per repaired character."""
    cfg = RepairSettings.resolve(settings)
    scan = Scan(text=text, settings=cfg, plain=bytearray(len(text)))
    if font_runs:
        repair_from_fonts(scan, font_runs)
    for name in cfg.rules:
        rule = RULES[name]
        if rule.needs_evidence and not scan.math_pi_evidence:
            continue
        for record in rule.find(scan):
            i = record.offset
            if i in scan.claimed or (rule.math_pi and scan.plain[i]):
                continue
            scan.claimed[i] = record
            if rule.strong and record.after != record.before:
                scan.math_pi_evidence += 1
    chars = list(text)
    for i, record in scan.claimed.items():
        chars[i] = record.after
    repaired = "".join(chars)
    assert len(repaired) == len(text)
    return RepairedText(text=repaired, repairs=sorted(scan.claimed.values(), key=lambda r: r.offset))
