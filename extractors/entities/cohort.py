"""cohort entities: how many participants are in a group.

Enrolled/treated/analysed counts ("Thirty-six patients", "an initial cohort of 210 patients"), per-sex
and per-arm counts ("30 men and 12 women", "9 in group B", "10 M/6 F"), sample sizes "(n = 48)",
denominators of "n of N", ranges ("cohorts of three to six patients") and count columns of tables
whose headers carry a group size. A count of people who had an outcome ("9 patients (41%)",
"4 patients developed a rash") is a response or toxicity, not a cohort.

The shared text helpers (sentences, citations, pattern files, views) live in `entities/text.py`;
they are re-exported here for components that still import them from this module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from extractors.entities.base import EntityComponent
from extractors.entities.text import (
    CITING_SECTIONS,
    PAT_COUNT,
    PAT_INT,
    TextView,
    alternation,
    cited_sentences,
    load_patterns,
    paper_abbreviations,
    paper_views,
    parse_count,
    pattern_terms,
    section_of,
    sentence_index,
    sentence_spans,
    sentences_of,
    text_view,
)
from extractors.numbers import PAT_NUMBER_WORD
from schemas import Cohort, EntityBase
from schemas.context import PaperContext

__all__ = [
    "CohortComponent",
    "find_cohorts",
    # re-exported from entities/text.py (other components import them from here)
    "CITING_SECTIONS",
    "PAT_COUNT",
    "PAT_INT",
    "TextView",
    "alternation",
    "cited_sentences",
    "load_patterns",
    "paper_abbreviations",
    "paper_views",
    "parse_count",
    "pattern_terms",
    "section_of",
    "sentence_spans",
    "sentences_of",
    "text_view",
]


# "(n = 33)", "n= 31", "N = 6": a sample size; the label is what precedes it.
# Markdown emphasis may wrap the n and the sign ("(*n* = 103)", "(*n *=* *117)").
PAT_N_EQUALS = re.compile(r"(?<![\w])\*{0,2}[nN][\s*]*=[\s*]*(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![\d.])")
# "14 in group A", "7 in the control arm".
PAT_IN_GROUP = re.compile(
    rf"(?P<n>{PAT_INT})\s+(?:in|from|to|on|per)\s+(?P<label>group\s+[A-Z0-9]\b|(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?:group|arm)\b"
    r"|(?:the\s+)?(?:control|placebo|intervention|treatment)\b)"
)
# "fentanyl group: 76 [52.1%]"; "Group I: 30 ml ..." is not (a count carries no unit).
PAT_GROUP_COLON = re.compile(
    rf"(?P<label>\b[\w-]+\s+(?:group|arm)):\s*(?P<n>{PAT_INT})(?!\s*(?:ml|mL|mg|µg|g|%|[A-Za-z]))"
)
# "two groups of 30 each", "3 groups of 20 patients each".
PAT_GROUPS_OF = re.compile(rf"\bgroups\s+of\s+(?P<n>{PAT_INT})\s+(?:[a-z]+\s+)?each\b", re.I)
# A table row of group sizes printed as text: "N 55 50", "No. of patients 33 9".
PAT_N_ROW = re.compile(
    r"^[ \t]*(?:N|n|No\.\s+of\s+(?:patients|participants|subjects)|Number\s+of\s+(?:patients|participants|subjects))"
    r"(?P<cells>(?:[ \t]+\d{1,6}){2,8})[ \t]*$",
    re.M,
)
# "497 were randomised (251 intervention and 246 control)", "Forty-five subjects (30 CPA and 15 placebo)":
# counts inside the parenthesis after a group size that add up to it are its arms.
PAT_SPLIT = re.compile(r"\((?P<body>[^()]{3,120})\)")
# A part's label is a group name, never a prepositional phrase ("5 on school function" counts items).
PAT_SPLIT_PART = re.compile(
    rf"(?P<n>{PAT_INT})\s+(?!(?:on|of|at|for|with|to|from|per|by|items?|questions?)\b)(?P<label>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){{0,2}}?)(?=\s*(?:,|;|and\b|$))"
)
# "8/754 versus 0/656", "(71/85)": the denominator of a fraction of people; not "Grade 3/4".
# Nor a time point "week 16/24", nor an exponent "(R–R)1/3".
PAT_FRACTION_DEN = re.compile(
    r"(?<![\w./)])(?<!grade\s)(?<!Grade\s)(?<!weeks\s)(?<!week\s)(?<!days\s)(?<!day\s)(?<!months\s)(?<!month\s)"
    r"(?P<num>\d{1,5})\s?/\s?(?P<den>\d{1,5})(?![\d/.]|\s?(?:mm|ml|mL|kg|m2|d|day|h|min|wk)\b)"
)
# "12 M/8 F" (a table's sex column).
PAT_SEX_SPLIT = re.compile(r"(?<![\w.])(?P<m>\d{1,4})\s*M\s*/\s*(?P<f>\d{1,4})\s*F\b")
# A number right after these is a label, not a count ("Table 1 Patient", "patient 13 patients").
PAT_NOT_A_COUNT_BEFORE = re.compile(
    r"\b(?:table|figure|fig\.?|patient|grade|stage|phase|day|week|month|year|no\.)\s*$", re.I
)
# "Four were of unknown origin": a sentence that opens with a bare count of the group just described.
PAT_BARE_SUBJECT = re.compile(
    rf"(?:^|(?<=[.;]\s))(?P<num>{PAT_NUMBER_WORD}|\d+)\s+(?:were|had been)\s+(?!\w+ed\b)", re.I
)
# "497 were randomised", "of whom 12 were excluded", "Of 250 randomized, 240 completed": a count with an
# enrolment verb and no noun. Not "12 were treated" after a dose (that is handled by the noun rule).
PAT_ENROLLED_BARE = re.compile(
    rf"(?<![\w.,%/])(?P<num>{PAT_INT}|{PAT_NUMBER_WORD})\s+(?:(?:were|was|had\s+been)\s+)?"
    r"(?:randomi[sz]ed|randomly\s+(?:assigned|allocated)|enrolled|recruited|allocated|assigned|excluded|"
    r"analy[sz]ed|screened|withdrew|dropped\s+out|lost\s+to\s+follow-?up|completed\s+the\s+(?:study|trial))\b"
    # "two randomized controlled trials": the studies, not the people
    r"(?!\s+(?:controlled|clinical|trials?|studies|design|phase|cross-?over))",
    re.I,
)
# "940 (34%) were hospitalised in unit A", "120 (50%) were allocated to exercise": an arm with its share.
PAT_N_PCT_ARM = re.compile(
    rf"(?<![\w.,%/])(?P<num>{PAT_INT})\s*\(\s*\d{{1,3}}(?:\.\d+)?\s*%\s*\)\s+(?:were\s+|was\s+)?"
    r"(?:randomi[sz]ed|allocated|assigned|hospitali[sz]ed\s+in|enrolled|included|recruited)\b",
    re.I,
)
PAT_OF_N_VERB = re.compile(
    rf"\b[Oo]f\s+(?:the\s+)?(?P<num>{PAT_INT})\s+(?:randomi[sz]ed|enrolled|recruited|eligible|included|screened)\b"
)
# A statistic just before a count: "a median of", "GMT of", "mean score was".
PAT_STAT_BEFORE = re.compile(
    r"\b(?:median|mean|average|GMTs?|titers?|titres?|scores?|levels?|values?|concentrations?|rates?|ratios?)"
    r"(?:\s+\w+){0,2}?\s*(?:of|was|were|=|:)?\s*$",
    re.I,
)
# The word after the denominator of "n of N" when N counts people: a verb, a preposition, an adjective
# of people ("1 of 3 conditions" is not).
PAT_PEOPLE_OR_CLAUSE = re.compile(
    r"^(?:in|of|at|with|who|had|have|has|were|was|could|did|and|or|to|from|for|by|on|per|vs|than|"
    r"evaluable|eligible|remaining|randomi[sz]ed|treated|enrolled|included|assessed|\w+ed|\w+ing|"
    # units of analysis other than people ("8 of 589 blood samples" when samples are what was randomised)
    r"samples|specimens|lesions|procedures|operations|deliveries|births|pregnancies|sites|wards|clinics|"
    r"hospitals|villages|households|units|teeth|eyes|ears|limbs|knees|hips)$"
)
# Words that may not sit between a count and its noun ("12 of patients", "3 mo in patients").
STOP_MODIFIERS = (
    r"of|in|and|or|with|the|were|was|to|at|for|from|by|on|had|who|per|than|vs|mo|months?|years?|y|"
    r"days?|weeks?|h|hours?|mg|kg|this|that|these|those|all|each|a|an|patient|"
    # "day one and four among children": a preposition never sits between a count and its people
    r"among|between|within|after|before|during|including|into|over|under"
)


def _nouns() -> tuple[str, dict[str, str]]:
    rows = pattern_terms("cohort", "COHORT_NOUN")
    return alternation([r["pattern"] for r in rows]), {r["pattern"].lower(): r["group"] for r in rows}


def _verbs(label: str) -> str:
    return alternation([r["pattern"] for r in pattern_terms("cohort", label)])


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    nouns, groups = _nouns()
    outcome = alternation([r["pattern"] for r in pattern_terms("response_rate", "OUTCOME_TERM")])
    tox = alternation([r["pattern"] for r in pattern_terms("toxicity", "TOX_EVENT")])
    mods = rf"(?:[\s,]+(?!(?:{STOP_MODIFIERS}|{nouns})\b)[A-Za-z][\w-]*(?<![.]))"
    return {
        "groups": groups,
        # "1241 metastatic cancer patients", "18 healthy, drug-naive volunteers", "Thirty-six patients".
        "noun": re.compile(rf"(?P<num>{PAT_COUNT})(?P<mods>{mods}{{0,3}})\s+(?P<noun>{nouns})\b", re.I),
        "noun_only": re.compile(rf"(?:{nouns})", re.I),
        # "cohorts of four to nine patients", "3-5 patients".
        "range": re.compile(
            rf"(?P<lo>{PAT_COUNT})\s*(?:to|–|-)\s*(?P<hi>{PAT_COUNT})(?P<mods>{mods}{{0,2}})\s+(?P<noun>{nouns})\b",
            re.I,
        ),
        # "9 of 21 patients", "3 of the remaining 17", "27 of 40": the denominator is a group.
        "n_of_n": re.compile(
            rf"(?P<num>{PAT_COUNT})\s+of\s+(?:the\s+|all\s+)?(?:(?:remaining|other|evaluable|treated|eligible)\s+)?"
            rf"(?P<den>{PAT_INT})"
        ),
        "enrol": re.compile(rf"^\s*(?:{_verbs('ENROL_VERB')})\b", re.I),
        "outcome_verb": re.compile(rf"^\s*(?:{_verbs('OUTCOME_VERB')})\b", re.I),
        "outcome": re.compile(rf"\b(?:{outcome}|{tox})\b", re.I),
        "negation": re.compile(r"\b(?:no|not|none|absence|without|neither|nor)\b", re.I),
    }


# Words that never name a group on their own ("subset of n = 69", "the n = 111 participants").
LABEL_STOPWORDS = {
    "of",
    "the",
    "in",
    "and",
    "or",
    "with",
    "to",
    "for",
    "a",
    "an",
    "at",
    "by",
    "from",
    "were",
    "was",
}


def _label_before(text: str, start: int, end: int | None = None) -> str | None:
    """The words naming an "(n = 14)" group: the piece before a comma inside the parenthesis
    ("(melanoma, n = 1)", "(controls, n = 22, HCF, n = 18"), else the words before it ("lung (n = 14)").
    """
    window = text[max(0, start - 80) : start]
    m = re.search(r"([^(),;=\n]*?)[,;]\s*$", window)
    if m and re.search(r"[A-Za-z]{2}", m.group(1)):
        return re.sub(r"^\s*(?:and|or)\s+", "", m.group(1).strip())
    window = re.sub(r"\s*\(\s*$", "", window).rstrip()
    words = re.findall(r"[A-Za-z][\w/-]*", window.split("\n\n")[-1])
    if not words or words[-1].lower() in LABEL_STOPWORDS or not re.search(r"[a-z]{2}", words[-1], re.I):
        # "n = 69 participants": the noun after the count names the group
        after = re.match(r"\s+([a-z][\w-]+)", text[end : end + 30]) if end is not None else None
        return after.group(1) if after and after.group(1) not in LABEL_STOPWORDS else None
    tail = words[-2:] if len(words) >= 2 and words[-2].lower() == "group" else words[-1:]
    return " ".join(tail)


def _group_after(text: str, end: int) -> str | None:
    m = re.match(r"\s*\((?:[^()]*?)(group\s+[A-Z0-9])\b", text[end : end + 40])
    if m:
        return m.group(1)
    m = re.match(r"\s+(?:[a-z]+\s+)?(?:in|of)\s+(group\s+[A-Z0-9])\b", text[end : end + 40])
    return m.group(1) if m else None


def find_cohorts(ctx: PaperContext) -> list[Cohort]:
    """Every cohort size stated in the text and in table cells of `ctx` (paper offsets)."""
    out: list[Cohort] = []
    for view, vctx, vsents in paper_views(ctx):
        out.extend(view.restore(_find_cohorts(vctx, vsents), ctx))
    return out + _responder_groups(ctx, out)


def _find_cohorts(ctx: PaperContext, sents: list[tuple[int, int]]) -> list[Cohort]:
    text = ctx.repaired
    pats = _compiled()
    cited = cited_sentences(ctx, sents)
    out: list[Cohort] = []
    taken: set[tuple[int, int]] = set()  # number spans already read

    def add(
        start: int, end: int, n: int, label: str | None, n_high: int | None = None, at: int | None = None
    ) -> None:
        # "on day 14 in the Cotrifazid group", "week 12 in group A": a time point, not a count
        if PAT_NOT_A_COUNT_BEFORE.search(text[max(0, start - 12) : start]) and not text[start:end].lstrip(
            "(*"
        ).lower().startswith("n"):
            return
        i = sentence_index(sents, start if at is None else at)
        out.append(
            Cohort(
                start=start,
                end=end,
                text=ctx.text[start:end],
                n=n,
                n_high=n_high,
                label=label,
                cited=bool(cited and cited[i]),
            )
        )

    for m in PAT_N_EQUALS.finditer(text):
        n = parse_count(m["n"])
        if n is None:
            continue
        add(m.start(), m.end(), n, _label_before(text, m.start(), m.end()) or "participants")
        taken.add(m.span("n"))

    for m in PAT_IN_GROUP.finditer(text):
        n = parse_count(m["n"])
        # "a median titre of 120 in the treated group": a value measured in the group, not its size
        if PAT_STAT_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        if n is not None and m.span("n") not in taken:
            add(m.start(), m.end(), n, m["label"])
            taken.add(m.span("n"))

    for m in PAT_GROUP_COLON.finditer(text):
        n = parse_count(m["n"])
        if n and m.span("n") not in taken:
            add(m.start(), m.end(), n, m["label"].lower())
            taken.add(m.span("n"))

    for m in PAT_GROUPS_OF.finditer(text):
        n = parse_count(m["n"])
        if n and m.span("n") not in taken:
            add(m.start(), m.end(), n, "per group")
            taken.add(m.span("n"))

    for m in PAT_N_ROW.finditer(text):
        for cm in re.finditer(r"\d+", m["cells"]):
            s, e = m.start("cells") + cm.start(), m.start("cells") + cm.end()
            if (s, e) not in taken:
                add(s, e, int(cm.group(0)), "group")
                taken.add((s, e))

    for m in PAT_SEX_SPLIT.finditer(text):
        for key, label in (("m", "men"), ("f", "women")):
            n = parse_count(m[key])
            if n is not None:
                add(m.start(key), m.end(key) + (1 if key == "m" else 1), n, label)
                taken.add(m.span(key))

    for m in pats["range"].finditer(text):
        lo, hi = parse_count(m["lo"]), parse_count(m["hi"])
        if lo is None or hi is None or hi <= lo:
            continue
        add(m.start(), m.end(), lo, pats["groups"].get(m["noun"].lower(), m["noun"].lower()), hi)
        taken.update({m.span("lo"), m.span("hi")})

    for m in pats["n_of_n"].finditer(text):
        num, den = parse_count(m["num"]), parse_count(m["den"])
        if num is None or den is None or num > den or den == 0 or m.span("den") in taken:
            continue
        # "1 of 3 conditions", "4 of 7 domains": a share of things, not of people
        thing = re.match(r"\s+([a-z]+)\b(?:\s+([a-z]+)\b)?", text[m.end("den") : m.end("den") + 40])
        words = [w for w in thing.groups() if w] if thing else []
        if words and not any(PAT_PEOPLE_OR_CLAUSE.match(w) or pats["noun_only"].fullmatch(w) for w in words):
            continue
        taken.add(m.span("den"))
        taken.add(m.span("num"))
        i = sentence_index(sents, m.start())
        s0 = sents[i][0] if sents else 0
        # The same group counted again in one sentence ("2 of 26 ..., 16 of 26 ...") is one cohort.
        if any(c.n == den and s0 <= c.start < m.start() for c in out):
            continue
        # "7 of 14 patients" right after "these 14 patients": the group was named already.
        if i > 0 and re.search(rf"\b(?:these|the)\s+{den}\b", text[sents[i - 1][0] : sents[i - 1][1]]):
            continue
        label = _group_after(text, m.end()) or "patients"
        add(m.start("den"), m.end("den") + _noun_tail(text, m.end("den")), den, label, at=m.start())

    for m in PAT_FRACTION_DEN.finditer(text):
        num, den = parse_count(m["num"]), parse_count(m["den"])
        if num is None or den is None or num > den or den < 2 or m.span("den") in taken:
            continue
        i = sentence_index(sents, m.start())
        s0 = sents[i][0] if sents else 0
        taken.add(m.span("den"))
        if any(c.n == den and s0 <= c.start < m.start() for c in out):
            continue
        add(m.start("den"), m.end("den"), den, "participants", at=m.start())

    for m in pats["noun"].finditer(text):
        if m.span("num") in taken:
            continue
        n = parse_count(m["num"])
        if n is None or n == 0:
            continue
        if _is_outcome_count(text, m, sents, pats):
            continue
        # a scale's levels "2 Asleep, opens eyes": a title-case word then a comma is not a modifier run
        if re.match(r"[\s,]+[A-Z][a-z]+,", m["mods"]):
            continue
        # "120 patients (n = 120)": the same group, read once from its "n ="
        if re.match(rf"\s*\(\s*\*{{0,2}}[nN]\s*=\s*{n}\s*\)", text[m.end() : m.end() + 20]):
            continue
        noun = m["noun"].lower()
        label = _group_after(text, m.end()) or pats["groups"].get(noun, noun)
        add(m.start(), m.end(), n, label)
        taken.add(m.span("num"))

    for m in PAT_SPLIT.finditer(text):
        parts = list(PAT_SPLIT_PART.finditer(m["body"]))
        if len(parts) < 2:
            continue
        counts = [parse_count(p["n"]) for p in parts]
        if any(c is None for c in counts):
            continue
        before = text[max(0, m.start() - 80) : m.start()]
        whole = [parse_count(w) for w in re.findall(rf"{PAT_COUNT}", before, re.I)]
        if not whole or whole[-1] != sum(counts):  # type: ignore[arg-type]
            continue
        base = m.start("body")
        for p, n in zip(parts, counts, strict=True):
            span = (base + p.start("n"), base + p.end("n"))
            if span in taken or not n:
                continue
            taken.add(span)
            add(base + p.start(), base + p.end(), n, p["label"].lower())

    for pat in (PAT_ENROLLED_BARE, PAT_OF_N_VERB, PAT_N_PCT_ARM):
        for m in pat.finditer(text):
            n = parse_count(m["num"])
            before = text[max(0, m.start() - 15) : m.start()]
            # "(12%) were excluded" has its count before; "1,000 mg were given" is no group; times are not
            if (
                not n
                or m.span("num") in taken
                or (pat is not PAT_N_PCT_ARM and re.search(r"[\d%]\s*\)?\s*$", before))
            ):
                continue
            label = (
                re.sub(r"\s+", " ", re.sub(r"^\s*\([^()]*\)", "", m.group(0)[len(m["num"]) :]))
                .strip()
                .lower()
            )
            add(m.start(), m.end(), n, re.sub(r"^(?:were|was|had been)\s+", "", label))
            taken.add(m.span("num"))

    for m in PAT_BARE_SUBJECT.finditer(text):
        n = parse_count(m["num"])
        if n and m.span("num") not in taken and not re.match(r"\s*(?:percent|%)", text[m.end("num") :]):
            add(m.start(), m.end(), n, "subgroup")
            taken.add(m.span("num"))

    out.extend(_table_cohorts(ctx))
    return out


def _noun_tail(text: str, end: int) -> int:
    """Length of " patients" after a count, so the span reads "19 patients"."""
    m = re.match(r"\s+[A-Za-z]+", text[end : end + 20])
    return (
        len(m.group(0)) if m and m.group(0).strip().lower() in {"patients", "subjects", "participants"} else 0
    )


def _is_outcome_count(
    text: str, m: re.Match[str], sents: list[tuple[int, int]], pats: dict[str, Any]
) -> bool:
    """Is this "N patients" the count of people who had an outcome (a response or toxicity)?"""
    i = sentence_index(sents, m.start())
    s0, s1 = sents[i] if sents else (0, len(text))
    before = text[max(s0, m.start() - 80) : m.start()]
    after = text[m.end() : min(s1, m.end() + 60)]
    # "effective in 11 patients (58% of arm B)": a count with its percent, in a sentence about an
    # outcome, is an outcome; "mild cooling consisted of 10 patients (31.3%)" is a subgroup.
    if re.match(r"\s*\(\s*[\d.]+\s*%", after) and pats["outcome"].search(text[s0:s1]):
        return True
    # "these 14 patients": a group named before; "the 23 melanoma patients" after "23 melanomas".
    if re.search(r"\bthese\s*$", before, re.I):
        return True
    if re.search(r"\bthe\s*$", before, re.I) and i > 0:
        prev = text[sents[i - 1][0] : sents[i - 1][1]]
        if re.search(rf"(?<![\d.]){re.escape(m['num'])}(?![\d.])", prev):
            return True
    # "Table 1 Patient characteristics", "patient 13", "grade 3 patients": the number is not a count.
    if PAT_NOT_A_COUNT_BEFORE.search(before):
        return True
    # "One patient (patient 13)" is one person; "from one patient to another" is nobody in particular.
    if re.match(r"\s*(?:\(\s*pa-?\s*tient\b|to\s+another\b)", after):
        return True
    # "Four patients developed a rash", "Three patients returned to work", "2 patients in group B
    # had no progression".
    # "3 patients in the high-dose TAP group required ...": the group named between count and verb
    verb_after = re.sub(r"^\s*in\s+(?:group\s+\w+|(?:the\s+)?(?:[\w+-]+\s+){1,3}(?:group|arm))", "", after)
    # "... required chemotherapy alone (n = 2) or ...": the group is then split, so it is a group
    split_after = PAT_N_EQUALS.search(text, m.end(), s1)
    if pats["outcome_verb"].match(verb_after) and not pats["enrol"].match(verb_after) and not split_after:
        return True
    # "6 courses of chemotherapy": a number of treatments given, not a group of courses analysed
    if re.match(r"\s+of\b", after) and m["noun"].lower() in {"courses", "cycles"}:
        return True
    # "herpes zoster occurred in four patients": people with an event
    if re.search(
        r"\b(?:occurred|was\s+(?:observed|seen|noted|reported)|were\s+(?:observed|seen|noted))\s+in\s*$",
        before,
        re.I,
    ):
        return True
    # "beneficial in 14 patients", "21% in 3 patients": people with an outcome, unless negated
    # ("did not report regression in 50 treated patients" names the group).
    if re.search(r"\bin\s*$", before, re.I):
        lead = before[: re.search(r"\bin\s*$", before, re.I).start()]  # type: ignore[union-attr]
        if re.search(r"%\s*$", lead):
            return True
        words = " ".join(re.findall(r"[A-Za-z][\w-]*", lead)[-6:])
        negated = pats["negation"].search(" ".join(re.findall(r"[A-Za-z][\w-]*", lead)[-7:]))
        if pats["outcome"].search(words) and not negated:
            return True
    return False


# "The response rate was 27 of 40 (68%)": the numerator names the responders.
PAT_RESPONSE_RATE_COUNT = re.compile(
    rf"\bresponse\s+rate\s+(?:was|of|=)\s+(?P<num>{PAT_INT})\s+of\s+(?P<den>{PAT_INT})", re.I
)


def _responder_groups(ctx: PaperContext, cohorts: list[Cohort]) -> list[Cohort]:
    """Responders counted in a response rate, when the paper then treats them as a group.

    A count of people with an outcome is a response, unless the paper also reports the responders as
    a group of that size ("Responders (n = 33)"); then the count is a cohort too.
    """
    sizes = {c.n for c in cohorts if c.label and re.search(r"(?<!non)(?<!non-)responder", c.label, re.I)}
    out = []
    for m in PAT_RESPONSE_RATE_COUNT.finditer(ctx.repaired):
        n = parse_count(m["num"])
        if n in sizes:
            out.append(
                Cohort(
                    start=m.start("num"),
                    end=m.end("num"),
                    text=ctx.text[m.start("num") : m.end("num")],
                    n=n,
                    label="responders",
                )
            )
    return out


def _table_cohorts(ctx: PaperContext) -> list[Cohort]:
    """Count cells of tables whose column headers give a group size ("Responders (n = 33)").

    Rows of plain integers no larger than the column's n are per-category counts ("Male 19 5");
    in columns headed just "n" only the total row is a group size.
    """
    out: list[Cohort] = []
    for table in ctx.tables:
        header_cells = [c for c in table.cells if c.header]
        group_n: dict[int, tuple[str, int]] = {}
        n_columns: set[int] = set()
        for c in header_cells:
            m = PAT_N_EQUALS.search(c.text)
            if m:
                label = c.text[: m.start()].strip(" (") or f"column {c.col}"
                group_n[c.col] = (label, int(m["n"].replace(",", "")))
            elif c.text.strip().lower() == "n":
                n_columns.add(c.col)
        if not group_n and not n_columns:
            continue
        rows: dict[int, list[Any]] = {}
        for c in table.cells:
            if not c.header:
                rows.setdefault(c.row, []).append(c)
        for cells in rows.values():
            cells.sort(key=lambda c: c.col)
            row_label = cells[0].text if cells and not re.fullmatch(r"\d+", cells[0].text) else ""
            for c in cells:
                if c.start is None or c.end is None or not re.fullmatch(r"\d{1,5}", c.text.strip()):
                    continue
                n = int(c.text)
                if c.col in group_n and n <= group_n[c.col][1] and row_label:
                    out.append(
                        Cohort(
                            start=c.start,
                            end=c.end,
                            text=ctx.text[c.start : c.end],
                            n=n,
                            label=f"{group_n[c.col][0]}, {row_label}".strip(", "),
                            table=table.label,
                            cell=(c.row, c.col),
                        )
                    )
                elif c.col in n_columns and row_label.lower().startswith("total"):
                    out.append(
                        Cohort(
                            start=c.start,
                            end=c.end,
                            text=ctx.text[c.start : c.end],
                            n=n,
                            label="total",
                            table=table.label,
                            cell=(c.row, c.col),
                        )
                    )
    return out


class CohortComponent(EntityComponent):
    kind = "cohort"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        return list(find_cohorts(ctx))
