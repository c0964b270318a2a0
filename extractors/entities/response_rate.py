"""response_rate entities: the share of participants with a response or benefit.

"The response rate was 27 of 40 (68%)", "effective in 11 patients (58% of arm B)", "The 68%
response rate", "clinical response in 47% of treated patients", "12 patients improved", and explicit
zeros ("Objective tumor regressions were not observed" with the trial's N as denominator).
Numerator, denominator and percent are each `None` when the text does not give them; a missing
denominator is inferred only when a known group size reproduces the printed percent.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from extractors.abbreviations import join_hyphenated
from extractors.entities.base import EntityComponent
from extractors.entities.cohort import find_cohorts
from extractors.entities.text import (
    CITING_SECTIONS,
    PAT_COUNT,
    PAT_INT,
    alternation,
    cited_sentences,
    paper_views,
    parse_count,
    pattern_terms,
    section_of,
)
from schemas import Cohort, EntityBase, ResponseRate
from schemas.context import PaperContext

__all__ = ["ResponseRateComponent", "find_response_rates", "percent_matches"]

PAT_PCT = r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*%"
# "27 of 40 (68%)", "11 of 19 patients of group B (58% of group B)", "3 of the remaining 17 patients (17.6%)",
# "Six of these 11 patients (32% of group B)".
RE_N_OF_N = re.compile(
    rf"(?P<num>{PAT_COUNT})\s+of\s+(?:the\s+|these\s+|all\s+)?(?:(?:remaining|other|evaluable|treated)\s+)?"
    rf"(?P<den>{PAT_INT})"
    rf"(?P<tail>(?:\s+(?!and\b|or\b)[A-Za-z][\w-]*){{0,5}}?\s*\(\s*{PAT_PCT}(?:\s+of\s+(?P<grp>group\s+\w+))?[^()]{{0,30}}\))?",
    re.I,
)
# "11 patients (58% of group B)", "5 patients (24%)", "11 patients (58%, including patient 7)".
RE_N_PATIENTS_PCT = re.compile(
    rf"(?P<num>{PAT_COUNT})\s+(?:[a-z][\w-]*\s+)?(?:patients|subjects|participants|cases)\s*\(\s*{PAT_PCT}"
    # the percent stands alone ("(25%–50% reduction)" is a range, not this count's share)
    r"(?:\s+of\s+(?P<grp>group\s+\w+))?\s*(?:[,;][^()]{0,40})?\)",
    re.I,
)
# "Three patients could walk again", "these 11 patients remained pain-free", "9 patients improved".
RE_N_PATIENTS = re.compile(
    rf"(?P<these>these\s+)?(?P<num>{PAT_COUNT})\s+(?:(?:other|more|of\s+these)\s+)?(?P<noun>patients|subjects|participants|cases)\b",
    re.I,
)
# "Two of these patients improved": the group is the one just named.
RE_OF_THESE = re.compile(rf"(?P<num>{PAT_COUNT})\s+of\s+these\s+(?:patients|subjects|participants)\b", re.I)
# "stabilized in 14 patients", "a “minor response” in 6 cases", "regressed in 22".
RE_IN_N = re.compile(rf"\bin\s+(?P<num>{PAT_INT})(?:\s+(?:patients|subjects|participants|cases))?\b(?!\s*%)")
# "clinical response in 47% of treated patients", "tumor responses in 22%".
RE_IN_PCT = re.compile(rf"\bin\s+{PAT_PCT}")
# "regression ... occurred in patient 18": one patient's response.
RE_IN_ONE_PATIENT = re.compile(
    r"\b(?:occurred|observed|seen|achieved)\s+in\s+(?:patient\s+\d+|one\s+patient|a\s+single\s+patient)\b",
    re.I,
)
# "20% had a partial tumor response", "Twenty percent achieved remission".
RE_PCT_HAD = re.compile(
    rf"{PAT_PCT}\s+(?:of\s+(?:the\s+)?patients\s+)?(?:had|achieved|showed|experienced)\s+", re.I
)
# "The 79% response rate", "response rate was 79%", "response rate of 79%".
RE_ZERO = re.compile(
    r"\b(?P<phrase>(?:objective\s+|complete\s+|partial\s+|major\s+)?(?:tumou?r(?:al)?\s+)?(?:regressions?|responses?|remissions?))"
    r"\s+(?:were|was)\s+not\s+(?:observed|seen|noted|achieved)"
    r"|\babsence\s+of\s+(?P<phrase2>(?:objective\s+|complete\s+)?(?:tu-?\s*mou?r(?:al)?\s+)?(?:regressions?|responses?|remissions?))",
    re.I,
)
# A group size named in the sentence: "in the 23 melanoma patients", "in 40 treated patients",
# "Among 85 patients", "a series of 30 tumours".
RE_SENTENCE_GROUP = re.compile(
    rf"\b(?:in|among|of)\s+(?:the\s+|these\s+|all\s+)?(?P<n>{PAT_INT})\s+(?:[a-z][\w-]*\s+){{0,2}}?"
    r"(?:patients|subjects|participants|cases|tumou?rs|lesions|carcinoids|melanomas|sarcomas|lymphomas)\b",
    re.I,
)


# A survey's or message's "response rate" (people who answered), not a treatment response.
RE_SURVEY = re.compile(
    r"\b(?:surveys?|questionnaires?|repl(?:y|ied|ies)|messages?|SMS|e-?mails?|mail(?:ed|ing)?|postal|invit\w+|"
    r"letters?|GPs|practices|physicians|clinicians|respondents|interviews?|participation|recruitment|"
    r"responded\s+that|response\s+(?:options?|format|scale|categor\w+))\b",
    re.I,
)
# Counts of people who left or lack data are attrition (cohorts), whatever outcome the sentence names.
RE_ATTRITION = re.compile(
    r"\b(?:missing|discontinu\w+|withdr[ae]w\w*|lost\s+to\s+follow|dropp?ed\s+out|drop-?outs?|excluded|"
    r"did\s+not\s+(?:complete|attend|return)|were\s+not\s+(?:analy[sz]ed|evaluable)|reasons?\s+for)\b",
    re.I,
)
# "a study in 92 patients showed that ...": a reporting verb, not an outcome.
RE_REPORTING = re.compile(r"^\s*(?:showed|demonstrated|found|reported|suggested|indicated)\s+that\b", re.I)
# The word after "n of N": people, or a verb/preposition that starts the clause about them.
RE_PERSON_OR_VERB = re.compile(
    r"^(?:patients?|subjects?|participants?|cases?|children|infants|adults|men|women|persons|people|individuals"
    r"|carcinoids?|responders|controls|evaluable|treated|remaining|in|of|at|with|who|had|have|has|were|was|could"
    r"|did|showed|remained|responded|achieved|experienced|developed|receiving|given|\w+ed|\w+ing)$"
)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    outcomes = pattern_terms("response_rate", "OUTCOME_TERM")
    rates = pattern_terms("response_rate", "RATE_PHRASE")
    tox = [
        r["pattern"] for r in pattern_terms("toxicity", "TOX_EVENT") + pattern_terms("toxicity", "TOX_LAB")
    ]
    rate_alt = alternation([r["pattern"] for r in rates])
    return {
        "outcome_re": re.compile(rf"\b(?:{alternation([r['pattern'] for r in outcomes])})\b", re.I),
        "outcome_names": {r["pattern"].lower(): r["outcome"] for r in outcomes + rates},
        "rate_re": re.compile(rf"\b(?:{rate_alt})\b", re.I),
        "rate_pct_re": re.compile(
            rf"{PAT_PCT}\s+(?:overall\s+|objective\s+)?(?P<phrase>{rate_alt})\b"
            # "objective response rate (ORR) was 45%": the abbreviation may sit between phrase and verb
            rf"|\b(?P<phrase2>{rate_alt})(?:\s*\([A-Za-z]{{2,6}}\))?\s+(?:was|of|=|:)\s+(?:about\s+)?"
            rf"(?P<pct2>\d{{1,3}}(?:\.\d+)?)\s*%(?!\s*(?:and|vs))",
            re.I,
        ),
        "tox_re": re.compile(rf"\b(?:{alternation(tox)})\b", re.I),
        "outcome_verb_re": re.compile(
            r"^\s*(?:could|had|have|were|was|remained|improved|responded|showed|achieved|became)\b", re.I
        ),
    }


def percent_matches(num: int, den: int, pct: float) -> bool:
    """Does num/den print as `pct` (rounded or truncated to the printed decimals)?"""
    if den <= 0:
        return False
    exact = 100.0 * num / den
    decimals = len(str(pct).split(".")[1]) if "." in str(pct) and not float(pct).is_integer() else 0
    scale = 10**decimals
    return abs(round(exact, decimals) - pct) < 1e-9 or abs(math.floor(exact * scale) / scale - pct) < 1e-9


def _infer_denominator(
    num: int | None, pct: float | None, explicit: int | None, sizes: list[int], group: int | None
) -> int | None:
    """The denominator: the explicit one when it fits the percent, else a known group size that does."""
    if pct is None or num is None:
        return explicit if explicit is not None else group
    for cand in [explicit, group]:
        if cand is not None and percent_matches(num, cand, pct):
            return cand
    if pct > 0:
        guess = round(100.0 * num / pct)
        for cand in (guess, guess - 1, guess + 1):
            if cand in sizes and percent_matches(num, cand, pct):
                return cand
    return explicit


def _outcome(sentence: str) -> str | None:
    lex = _lexicon()
    m = lex["rate_re"].search(sentence) or lex["outcome_re"].search(sentence)
    if not m:
        return None
    name: str = lex["outcome_names"].get(re.sub(r"\s+", " ", m.group(0).lower()), m.group(0).lower())
    return name


def _group_sizes(cohorts: list[Cohort], before: int) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for c in sorted(cohorts, key=lambda c: c.start):
        if c.start >= before or c.cited:
            continue
        if c.label and re.fullmatch(r"group\s+\w+", c.label, re.I):
            # a group's size is its largest count; smaller ones are its subgroups ("group B (n = 6)")
            key = re.sub(r"\s+", " ", c.label.lower())
            sizes[key] = max(sizes.get(key, 0), c.n)
    return sizes


def find_response_rates(ctx: PaperContext, cohorts: list[Cohort] | None = None) -> list[ResponseRate]:
    """Every response rate in the text (paper offsets)."""
    out: list[ResponseRate] = []
    for view, vctx, vsents in paper_views(ctx):
        # group sizes come from the prose; the view's own cohorts give their positions in view offsets
        vcohorts = _view_cohorts(view, cohorts if cohorts is not None else find_cohorts(ctx))
        out.extend(view.restore(_find_response_rates(vctx, vsents, vcohorts), ctx))
    return out


def _view_cohorts(view: Any, cohorts: list[Cohort]) -> list[Cohort]:
    return [
        c.model_copy(update={"start": view.to_view(c.start), "end": view.to_view(c.end)}) for c in cohorts
    ]


def _find_response_rates(
    ctx: PaperContext, sents: list[tuple[int, int]], cohorts: list[Cohort] | None = None
) -> list[ResponseRate]:
    text = ctx.repaired
    lex = _lexicon()
    if cohorts is None:
        cohorts = []
    sizes = sorted({c.n for c in cohorts})
    own = [c.n for c in cohorts if not c.cited and c.n_high is None]
    trial_n = max(own) if own else None
    cited = cited_sentences(ctx, sents)
    out: list[ResponseRate] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    def add(
        s: int, e: int, i: int, outcome: str | None, num: int | None, den: int | None, pct: float | None
    ) -> None:
        taken.append((s, e))
        out.append(
            ResponseRate(
                start=s,
                end=e,
                text=ctx.text[s:e],
                outcome=outcome,
                numerator=num,
                denominator=den,
                percent=pct,
                cited=bool(cited[i]),
            )
        )

    def last_den() -> int | None:
        # a single patient's response shares the denominator of the rate reported just before it
        dens = [r.denominator for r in out if r.denominator and not r.cited]
        return dens[-1] if dens else None

    prev_group: int | None = None
    for i, (s0, s1) in enumerate(sents):
        # words broken at line ends ("stabili-\nzation") are read whole; offsets come from `text`
        sentence = join_hyphenated(text[s0:s1])
        has_outcome = bool(lex["outcome_re"].search(sentence) or lex["rate_re"].search(sentence))
        groups_here = [(m.start() + s0, parse_count(m["n"])) for m in RE_SENTENCE_GROUP.finditer(sentence)]
        group_sizes = _group_sizes(cohorts, s0)
        if has_outcome:
            _sentence_rates(
                ctx,
                text,
                s0,
                s1,
                i,
                sentence,
                groups_here,
                group_sizes,
                sizes,
                prev_group,
                trial_n,
                free,
                add,
                last_den,
            )
        named = [n for _, n in groups_here if n] + [
            parse_count(m["num"]) for m in RE_N_PATIENTS.finditer(sentence) if parse_count(m["num"])
        ]
        if named:
            prev_group = named[-1]
    return out


def _sentence_rates(
    ctx: PaperContext,
    text: str,
    s0: int,
    s1: int,
    i: int,
    sentence: str,
    groups_here: list[tuple[int, int | None]],
    group_sizes: dict[str, int],
    sizes: list[int],
    prev_group: int | None,
    trial_n: int | None,
    free: Any,
    add: Any,
    last_den: Any,
) -> None:
    lex = _lexicon()
    outcome = _outcome(sentence)

    def group_before(at: int) -> int | None:
        # the largest group named earlier in the sentence; smaller ones are its outcome counts
        found = [n for g, n in groups_here if g < at and n]
        return max(found) if found else None

    def group_of(name: str | None) -> int | None:
        return group_sizes.get(re.sub(r"\s+", " ", name.lower())) if name else None

    def toxic_before(at: int) -> bool:
        return bool(lex["tox_re"].search(text[max(s0, at - 60) : at]))

    def local_outcome(start: int, end: int) -> bool:
        """An outcome named near the count (not only somewhere in a long sentence), and no adverse
        event or attrition right after it ("6 patients (21%) had bleeding", "33 patients (24%) missing")."""
        lo = max(s0, start - 160, text.rfind(";", s0, start) + 1)
        semi = text.find(";", end, s1)
        hi = min(s1, end + 100, semi if semi >= 0 else s1)
        near = join_hyphenated(text[lo:hi])
        tail = re.split(r"[,;]", join_hyphenated(text[end:hi]), maxsplit=1)[0]
        if lex["tox_re"].search(tail[:60]) or RE_ATTRITION.search(near):
            return False
        return bool(lex["outcome_re"].search(near) or lex["rate_re"].search(near))

    if RE_SURVEY.search(sentence) and (outcome or "").startswith("respon"):
        return  # people who answered a survey or a message

    for m in RE_N_OF_N.finditer(text, s0, s1):
        num, den = parse_count(m["num"]), parse_count(m["den"])
        if num is None or den is None or num > den or toxic_before(m.start()):
            continue
        # "11 of 13 foci": a share of things, not of people
        # an upper-case word ("7 of 7 MDA components") is a thing, not people
        nxt = re.match(r"\s+([A-Za-z]+)\b", text[m.end("den") : m.end("den") + 30])
        if nxt and (not RE_PERSON_OR_VERB.match(nxt.group(1)) or nxt.group(1).isupper()):
            continue
        if not local_outcome(m.start(), m.end()):
            continue
        pct = float(m["pct"]) if m["pct"] else None
        den2 = _infer_denominator(num, pct, den, sizes, group_of(m["grp"]))
        add(m.start(), m.end(), i, outcome, num, den2, pct)

    for m in RE_N_PATIENTS_PCT.finditer(text, s0, s1):
        if not free(m.start(), m.end()) or toxic_before(m.start()) or not local_outcome(m.start(), m.end()):
            continue
        num = parse_count(m["num"])
        pct = float(m["pct"])
        den = _infer_denominator(num, pct, None, sizes, group_of(m["grp"]))
        add(m.start(), m.end(), i, outcome, num, den, pct)

    for m in RE_OF_THESE.finditer(text, s0, s1):
        if free(m.start(), m.end()) and lex["outcome_verb_re"].match(text[m.end() : s1]):
            add(m.start(), m.end(), i, outcome, parse_count(m["num"]), prev_group, None)

    for m in RE_N_PATIENTS.finditer(text, s0, s1):
        if not free(m.start(), m.end()):
            continue
        rest = text[m.end() : s1]
        rest = re.sub(r"^\s*in\s+(group\s+\w+)", "", rest)
        if not lex["outcome_verb_re"].match(rest) or RE_REPORTING.match(rest):
            continue
        clause = re.split(r"[,;]", rest, maxsplit=1)[0]
        if not lex["outcome_re"].search(clause) or lex["tox_re"].search(clause):
            continue
        num = parse_count(m["num"])
        gm = re.match(r"\s+in\s+(group\s+\w+)", text[m.end() : s1])
        den = num if m["these"] else (group_of(gm.group(1)) if gm else group_before(m.start()))
        if den is not None and num is not None and den < num:
            den = None
        add(m.start(), m.end(), i, outcome, num, den, None)

    for m in RE_IN_N.finditer(text, s0, s1):
        if not free(m.start(), m.end()):
            continue
        lead = " ".join(
            re.findall(r"[A-Za-z][\w-]*", join_hyphenated(text[max(s0, m.start() - 60) : m.start()]))[-4:]
        )
        if not lex["outcome_re"].search(lead) or lex["tox_re"].search(lead):
            continue
        if re.match(r"\s*(?:mo|months?|years?|weeks?|days?|patients?\s+\()", text[m.end() : m.end() + 12]):
            continue
        num = parse_count(m["num"])
        den = group_before(m.start())
        if den is None or num is None or num >= den:
            continue
        add(max(s0, m.start() - len(lead) - 2), m.end(), i, _outcome(lead) or outcome, num, den, None)

    for m in lex["rate_pct_re"].finditer(text, s0, s1):
        if not free(m.start(), m.end()):
            continue
        pct = float(m["pct"] or m["pct2"])
        add(m.start(), m.end(), i, outcome, None, None, pct)

    for m in RE_IN_PCT.finditer(text, s0, s1):
        if not free(m.start(), m.end()):
            continue
        lead_text = text[max(s0, m.start() - 50) : m.start()]
        lead = " ".join(re.findall(r"[A-Za-z][\w-]*", join_hyphenated(lead_text))[-4:])
        if not lex["outcome_re"].search(lead) or lex["tox_re"].search(lead):
            continue
        pct = float(m["pct"])
        first = lead_text.find(lead.split()[0][:4]) if lead else -1
        start = m.start() - len(lead_text) + first if first >= 0 else m.start()
        add(start, m.end(), i, _outcome(lead) or outcome, None, group_before(m.start()), pct)

    for m in RE_PCT_HAD.finditer(text, s0, s1):
        tail = text[m.end() : min(s1, m.end() + 60)]
        if not free(m.start(), m.end()) or not lex["outcome_re"].search(tail) or lex["tox_re"].search(tail):
            continue
        add(
            m.start(),
            m.end() + len(tail.split(",")[0].split(".")[0]),
            i,
            _outcome(tail) or outcome,
            None,
            group_before(m.start()),
            float(m["pct"]),
        )

    # one patient's response is a Results statement; a Discussion mentions it again
    in_results = section_of(ctx, s0) not in CITING_SECTIONS
    for m in RE_IN_ONE_PATIENT.finditer(text, s0, s1) if in_results else ():
        lead = text[s0 : m.start()]
        outcomes = list(lex["outcome_re"].finditer(join_hyphenated(lead)))
        om = outcomes[-1] if outcomes else None
        if om is None or not free(m.start(), m.end()) or lex["tox_re"].search(lead):
            continue
        add(s0 + om.start(), m.end(), i, outcome, 1, last_den(), None)

    for m in RE_ZERO.finditer(text, s0, s1):
        if not free(m.start(), m.end()):
            continue
        after = RE_SENTENCE_GROUP.search(text, m.end(), s1)
        den = parse_count(after["n"]) if after else (group_before(m.start()) or trial_n)
        phrase = re.sub(r"\s+", " ", m["phrase"] or m["phrase2"]).lower().replace("- ", "")
        add(m.start(), m.end(), i, phrase, 0, den, None)


class ResponseRateComponent(EntityComponent):
    kind = "response_rate"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        return list(find_response_rates(ctx))
