"""statcheck-style parsing of reported test results (`t(28) = 2.20, p = .03`).

This module only reads what is printed: test, df, value, comparison signs, the reported p and their
decimals. It never computes a p-value (that is `audit/`). Patterns are composed from named `PAT_*`
parts, each with a comment on the quirk it absorbs. Besides clean text, the parts tolerate the
operator garbling that PDF text layers leave inside a result (statcheck's corpus is full of it):
these substitutions are only accepted inside the tight shape of a result, never in running text.
"""

from __future__ import annotations

import re

from extractors.numbers import decimals_of
from schemas.records import Operator, ReportedStat

__all__ = ["PAT_RESULT", "RE_RESULT", "parse_stats", "normalize_test"]

# Control characters some PDF converters leave around operators and minus signs (\x01, \x03, \x07).
PAT_JUNK = r"[\x00-\x08\x0e-\x1f]"
# White space that may also hold such junk, and line breaks inside a result.
PAT_WS = rf"(?:\s|{PAT_JUNK})*"

# --- test names --------------------------------------------------------------------------------
# No letter before the test name: "at(28)" or "Part(2)" are not tests.
PAT_NAME_START = r"(?<![A-Za-z0-9_])"
# t: Student/Welch t, also plural "ts(28)".
PAT_T = r"(?P<t>ts?)"
# F: also plural "Fs", and "BF(1, 15)" where a stray glyph (a bullet or beta) was glued to F; the
# two-number df required below keeps Bayes factors out.
PAT_F = r"(?P<F>(?:B?F)s?)"
# chi-square: χ2, χ², χ 2, chi2, Chi-square(d), x2/X2, G2 (likelihood ratio, read as chi2 like
# statcheck does), and PDF damage where χ became "?", "??" or "B".
PAT_CHI = (
    r"(?P<chi>(?:χ|[Cc]hi|CHI|[xX]|\?{1,2}|B|G)\s?(?:2|²|-?[Ss]quared?(?:\s+test)?)|[Cc]hi[- ]?[Ss]quared?)"
)
# r: Pearson r, "rs", point-biserial "rpb".
PAT_R = r"(?P<r>r(?:s|pb)?)"
# z: upper or lower case.
PAT_Z = r"(?P<z>[zZ])"
# Q: meta-analytic heterogeneity, with subscripts written inline (QT, QBetween, Qw, Q_between).
PAT_Q = r"(?P<Q>Q(?:[_ ]?(?:[Bb]etween|[Ww]ithin|[Tt]otal|[Ee]rror|[TBWE]|b|w|e|t))?)"
PAT_TEST = rf"{PAT_NAME_START}(?:{PAT_CHI}|{PAT_F}|{PAT_Q}|{PAT_T}|{PAT_R}|{PAT_Z})"

# --- degrees of freedom ------------------------------------------------------------------------
# A df: integer or decimal (Welch's t(261.38)); a lower-case "l" is a 1 the PDF font confused.
PAT_DF_NUM = r"(?:\d+(?:[.·]\d+)?|l)"
# Separator between df1 and df2: comma, semicolon or slash, with spaces/line breaks.
PAT_DF_SEP = r"\s*[,;/]\s*"
# The sample size statcheck allows inside chi-square df: "(1, N = 90)", "(1, N p 6,721)" (= as p).
PAT_DF_N = r"(?:\s*[,;]\s*[Nn]\s*(?:=|p|\s)\s*\d{1,3}(?:,\d{3})*\d*)"
# "(28)", "(2, 45)", "(1, N = 90)", with a line break between the name and "(".
PAT_DF = rf"\s*\(\s*(?P<df1>{PAT_DF_NUM})(?:{PAT_DF_SEP}(?P<df2>{PAT_DF_NUM}))?{PAT_DF_N}?\s*\)"
# Subscripted df flattened by the PDF layer: "t 283 = 1.36", "F 1,375.4 = 11.71" (no brackets, no
# space after the comma). Accepted only with "=" and a p or "ns" after the value (checked in code).
PAT_DF_BARE = r"[ \t](?P<bdf1>\d+(?:\.\d+)?)(?:,(?P<bdf2>\d+(?:\.\d+)?))?(?=\s*=)"

# --- comparison operators ----------------------------------------------------------------------
# Clean operators, ASCII two-character forms first.
PAT_OP_CLEAN = r"<=|>=|=<|=>|[=<>≤≥]"
# Garbled operators seen in PDF text layers: "<bc>" for "=", a lone "p" for "=" ("t(60) p 1.98"),
# "b" for "<" and "N" for ">" glued to the number ("pb.001", "psN.28"), "!" for "<" ("p ! .05").
PAT_OP_GARBLED = r"<bc>|(?<=\s)p(?=\s)|b(?=\s?[.\d])|N(?=\s?[.\d])|!"
PAT_OP = rf"(?P<op>{PAT_OP_CLEAN}|{PAT_OP_GARBLED})"

# --- the statistic's value ---------------------------------------------------------------------
# Junk glued to an operator ("=\x01 1.25") is noise; after a space, \x01 or \x04 stands for a lost
# minus ("p \x013.03" is t = -3.03). So the operator eats only glued junk, then spaces.
PAT_AFTER_OP = rf"{PAT_JUNK}*\s*"
# Junk that never stands for a minus (\x03, \x07 around signs).
PAT_NOISE = r"[\x00\x02\x03\x05-\x08\x0e-\x1f]"
# Minus as typeset or damaged: ASCII, unicode minus, en dash, "?", \x01 and \x04 (PDF minus losses).
PAT_SIGN = rf"(?P<sign>[-−–?\x01\x04]){PAT_JUNK}*\s?"
# The value: thousands-grouped ("1,224.08"), plain, or leading-dot (r = .34); mid-dot decimals;
# a decimal comma glued to one or two digits ("F(1, 24) = 4,50", European typesetting).
PAT_VALUE = (
    r"(?P<value>\d{1,3}(?:,\d{3})+(?:[.·]\d+)?(?!\d)|\d+,\d{1,2}(?![\d.]|,\d)|\d+(?:[.·]\d+)?|[.·]\d+)"
)
PAT_SIGNED_VALUE = rf"{PAT_NOISE}*(?:{PAT_SIGN})?{PAT_VALUE}"
# A second value sharing the same test and df: "F(1, 15) = 19.9 and 5.16, p < .001 and p < .05".
PAT_VALUE2 = r"(?:\s*(?:,|and)\s*(?P<sign2>[-−–])?(?P<value2>\d+[.·]\d+|[.·]\d+)(?=\s*,?\s*(?:p|P)\b))?"

# --- what may sit between the statistic and its p ----------------------------------------------
# Comma, semicolon, colon, an opening parenthesis, line breaks.
PAT_P_GAP = r"[\s,;:(\[]*"
# An effect size or MSE reported in between: "MSE = 6.61,", "d = 0.5,", "η2 = .04,".
PAT_BETWEEN = r"(?:(?:MSE|SE|d|g|η2|ηp2|η²|R2|ω2)\s*=\s*[-−]?\d*[.·]?\d+\s*[,;]\s*)?"

# --- the p-value -------------------------------------------------------------------------------
# "p", "P", plural "ps" (reported over several tests).
PAT_P_NAME = r"(?<![A-Za-z])(?P<pname>[pP]s?)"
# The p-value itself: "< .001", "= 0.03", "< . 001" (a space the PDF put after the point), "= 1.00",
# "= .000", and scientific notation ("1.2 × 10−5", "1e-5").
PAT_P_NUM = (
    r"(?P<pvalue>(?:0|1)?[.·]\s?\d+|[01](?![.·\d])|1[.·]0+)"
    r"(?:\s?[×x]\s?10\s?(?P<pexp>[-−–]\s?\d+)|[eE](?P<pexp2>[-−–]\d+))?"
)
PAT_P_OP = PAT_OP.replace("?P<op>", "?P<pop>")
PAT_P = rf"{PAT_P_NAME}{PAT_WS}{PAT_P_OP}{PAT_WS}{PAT_P_NUM}"
# "ns" / "n.s." / "NS" in place of a p: returned as p_operator ">" with p_value None (p > alpha).
PAT_NS = r"(?P<ns>\b(?:ns|NS|n\.s\.)(?![A-Za-z]))"
# "... was statistically significant at the .05 level" in place of a p (reads as p < .05).
PAT_SIG_LEVEL = (
    r"(?:was\s+|were\s+)?(?:statistically\s+)?significant\s+at\s+the\s+(?P<siglevel>0?[.·]\d+)\s+level"
)
# A second p for the second value: "p < .001 and p < .05".
PAT_P2 = rf"(?:\s*(?:,|and)\s*[pP]{PAT_WS}(?P<pop2>{PAT_OP_CLEAN}|{PAT_OP_GARBLED}){PAT_WS}(?P<pvalue2>0?[.·]\d+))?"

# A whole result: test, optional df, operator (may be lost: "t(28) 2.20"), value, then a p, "ns"
# or a significance level.
PAT_RESULT = (
    rf"{PAT_TEST}(?:{PAT_DF}|{PAT_DF_BARE})?"
    rf"{PAT_WS}(?:{PAT_OP}{PAT_AFTER_OP}|(?<=\)\s))"
    rf"{PAT_SIGNED_VALUE}{PAT_VALUE2}"
    rf"(?:{PAT_P_GAP}{PAT_BETWEEN}(?:{PAT_P}{PAT_P2}|{PAT_NS}|{PAT_SIG_LEVEL}))?"
)
RE_RESULT = re.compile(PAT_RESULT)

# Context that makes a reported p one-tailed (statcheck's OneTailedTxt).
PAT_ONE_TAILED = r"\b(?:one|1)[- ]?(?:tailed|sided)\b|\bdirectional\b"
RE_ONE_TAILED = re.compile(PAT_ONE_TAILED, re.IGNORECASE)
# How far a one-tailed mention may sit from the result (same sentence, nearby).
DEFAULT_TAIL_WINDOW = 120

OPERATORS: dict[str, Operator] = {
    "=": "=",
    "<": "<",
    ">": ">",
    "≤": "<=",
    "≥": ">=",
    "<=": "<=",
    ">=": ">=",
    "=<": "<=",
    "=>": ">=",
    "<bc>": "=",
    "p": "=",
    "b": "<",
    "N": ">",
    "!": "<",
}


def normalize_test(name: str) -> str:
    """Canonical test name: t, F, chi2, r, z, Q (`QBetween` -> `Q`, `χ2` -> `chi2`, `Fs` -> `F`)."""
    n = name.strip()
    if n.startswith("Q"):
        return "Q"
    if n in {"t", "ts"}:
        return "t"
    if n.lstrip("B").rstrip("s") == "F":
        return "F"
    if n in {"r", "rs", "rpb"}:
        return "r"
    if n in {"z", "Z"}:
        return "z"
    return "chi2"


def _read_value(sign: str | None, text: str) -> float:
    if re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # decimal comma
    value = float(text.replace("·", ".").replace(",", "").replace(" ", ""))
    return -value if sign else value


def _value_decimals(text: str) -> int:
    m = re.fullmatch(r"\d+,(\d{1,2})", text)
    return len(m[1]) if m else decimals_of(text)


def _read_df(s: str | None) -> float | None:
    if s is None:
        return None
    return 1.0 if s == "l" else float(s.replace("·", "."))


def _read_p(m: re.Match[str]) -> tuple[float, int]:
    mantissa = m["pvalue"].replace("·", ".").replace(" ", "")
    decimals = decimals_of(mantissa)
    value = float(mantissa)
    exp = m["pexp"] or m["pexp2"]
    if exp:
        value *= 10.0 ** int(re.sub(r"[−–\s]", lambda c: "-" if c[0] in "−–" else "", exp))
    return value, decimals


def _is_one_tailed(text: str, start: int, end: int) -> bool:
    lo = max(0, start - DEFAULT_TAIL_WINDOW)
    hi = min(len(text), end + DEFAULT_TAIL_WINDOW)
    before = text[lo:start]
    after = text[end:hi]
    # Stay within the sentence: cut at the last/first sentence end.
    cut = max(before.rfind(". "), before.rfind(".\n"))
    if cut >= 0:
        before = before[cut + 1 :]
    stop = re.search(r"\.\s+[A-Z]", after)
    if stop:
        after = after[: stop.start()]
    return bool(RE_ONE_TAILED.search(before) or RE_ONE_TAILED.search(after))


def parse_stats(text: str) -> list[ReportedStat]:
    """Every reported test result in `text`, as printed, with its character span."""
    out: list[ReportedStat] = []
    for m in RE_RESULT.finditer(text):
        test = normalize_test(next(k for k in ("chi", "F", "Q", "t", "r", "z") if m[k]))
        df = [d for d in (_read_df(m["df1"]), _read_df(m["df2"])) if d is not None]
        if m["bdf1"]:
            if not (m["pvalue"] or m["ns"]):
                continue  # a bare number after a test letter needs a p to be a df
            df = [float(x) for x in (m["bdf1"], m["bdf2"]) if x]
        if test == "F" and m["F"].startswith("B") and len(df) != 2:
            continue  # "BF = 3.2" is a Bayes factor, not an F test
        if m["op"] is None and not df:
            continue  # without "=" we need the df to trust the shape
        if m["chi"] and m["chi"][0] in "?BGxX" and not df and m["op"] is None:
            continue
        comparison = OPERATORS.get(m["op"] or "=", "=")
        p_op: Operator | None = None
        p_value: float | None = None
        p_decimals: int | None = None
        if m["pvalue"]:
            p_op = OPERATORS.get(m["pop"], "=")
            p_value, p_decimals = _read_p(m)
        elif m["ns"]:
            p_op = ">"  # convention shared with audit/pvalues.py: "ns" is ">" with no p_value
        elif m["siglevel"]:
            p_op, p_value = "<", float(m["siglevel"].replace("·", "."))
            p_decimals = decimals_of(m["siglevel"])
        if p_op is None and not _plausible_without_p(test, df, m):
            continue
        end = m.end()
        one_tailed = _is_one_tailed(text, m.start(), end)
        out.append(
            ReportedStat(
                test=test,
                df=df,
                value=_read_value(m["sign"], m["value"]),
                value_decimals=_value_decimals(m["value"]),
                comparison=comparison,
                p_operator=p_op,
                p_value=p_value,
                p_decimals=p_decimals,
                one_tailed=one_tailed,
                raw=m[0],
                start=m.start(),
                end=end,
            )
        )
        if m["value2"]:
            p2_op, p2_value, p2_dec = p_op, p_value, p_decimals
            if m["pvalue2"]:
                p2_op = OPERATORS.get(m["pop2"], "=")
                p2_value = float(m["pvalue2"].replace("·", "."))
                p2_dec = decimals_of(m["pvalue2"])
            out.append(
                ReportedStat(
                    test=test,
                    df=df,
                    value=_read_value(m["sign2"], m["value2"]),
                    value_decimals=decimals_of(m["value2"]),
                    comparison=comparison,
                    p_operator=p2_op,
                    p_value=p2_value,
                    p_decimals=p2_dec,
                    one_tailed=one_tailed,
                    raw=m[0],
                    start=m.start(),
                    end=end,
                )
            )
    return out


def _plausible_without_p(test: str, df: list[float], m: re.Match[str]) -> bool:
    """A result printed without any p still counts when its shape is unmistakable (df and `=`)."""
    if m["op"] is None or m["op"] not in {"=", "<", ">", "≤", "≥", "<=", ">="}:
        return False
    if test in {"t", "F", "chi2", "Q"}:
        return bool(df)
    return test in {"r", "z"} and bool(df)
