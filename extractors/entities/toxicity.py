"""toxicity entities: adverse events with a count or percent (grade and group when given).

"Grade 3/4 neutropenia (40% vs. 22%)" after "the control arm ... compared with the treatment arm"
gives two entities, one per group; "Grade 2 toxicity was 12% for neutrophils and 9% for platelets"
gives two; "neutrophils and platelets fell in 30% and 18%, respectively"; "nausea (12%)",
"headache in 5 patients (10%)", "4 patients (8%) had a rash", "grade ≥3 fatigue (6%)"; "Two patients
developed a rash" (count 2); explicit zeros ("No drug-related deaths were reported", "no grade 3 or 4
toxicity", "Serious toxicity did not occur") have count 0 and percent 0. Event terms are data
(`patterns/toxicity.jsonl`: TOX_EVENT; blood counts as TOX_LAB only where they fall or carry a grade).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from extractors.abbreviations import join_hyphenated
from extractors.entities.base import EntityComponent
from extractors.entities.text import (
    PAT_COUNT,
    alternation,
    cited_sentences,
    paper_views,
    parse_count,
    pattern_terms,
)
from extractors.numbers import PAT_NUMBER_WORD, parse_number, parse_number_words
from schemas import EntityBase, Toxicity
from schemas.context import PaperContext

__all__ = ["ToxicityComponent", "find_toxicities"]

# Grades as printed: "Grade 3/4", "grade III or IV", "Grade 3 and/or Grade 4", "grade I".
# "grade ≥3", "grade 3 or higher" keep their comparison in the grade string.
PAT_GRADE = (
    r"grade\s*(?P<grade>(?:≥|>=|>)?\s*(?:[1-5]|IV|V|I{1,3})"
    r"(?:\s*(?:/|-|–|or|and/or|and)\s*(?:grade\s+)?(?:[1-5]|IV|V|I{1,3}|higher|above|worse|greater))?)(?![\w.])"
)
RE_GRADE = re.compile(PAT_GRADE, re.I)
# "(18% vs. 4%)": one event, two groups.
RE_VS_PAIR = re.compile(
    r"\(\s*(?P<a>\d{1,3}(?:\.\d+)?)\s*%\s*(?:vs\.?|versus)\s*(?P<b>\d{1,3}(?:\.\d+)?)\s*%\s*\)"
)
# The two groups a "vs." sentence compares: "the control arm of 120 patients was compared with the treatment arm".
RE_GROUP_PAIR = re.compile(
    r"\b(?P<g1>(?:initial|first|early|earlier|control|placebo|treatment)\s+(?:group|period|cohort|arm))\b.*?"
    r"\b(?P<g2>(?:final|last|second|late|later|treatment|intervention)\s+(?:group|period|cohort|arm))\b",
    re.I | re.S,
)
# "19% for platelets", "16% for white blood cells".
RE_PCT_FOR = re.compile(
    r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s+for\s+(?P<event>[a-z][a-z -]{2,40}?)(?=\s+and\b|\s*[,.;]|\s*$)"
)
# "Twenty-one percent of patients experienced a mild, transient worsening of symptoms".
RE_PCT_OF_PATIENTS = re.compile(
    rf"(?P<pct>\d{{1,3}}(?:\.\d+)?\s*%|(?:{PAT_NUMBER_WORD})\s+percent)\s+of\s+(?:the\s+|all\s+)?patients\s+"
    r"(?:experienced|had|developed|reported|suffered|showed)\s+(?P<event>[^.;]{3,80})",
    re.I,
)
# Zeros: "No immediate adverse reactions were noted", "no major renal complication was detected".
TPL_NONE_NOTED = (
    r"\bno\s+(?P<event>(?:[\w-]+\s+){0,3}?(?:{tox}))\s+(?:was|were|have\s+been|has\s+been)\s+"
    r"(?:noted|reported|observed|seen|detected|recorded|found)"
)
# "No patients experienced severe toxicity (grade III or IV)", "no patients required a blood transfusion".
TPL_NO_PATIENTS = (
    r"\bno\s+(?:other\s+)?patients?\s+(?:experienced|required|developed|had|suffered)\s+(?:a\s+|any\s+)?"
    r"(?P<event>(?:[\w-]+\s+){0,2}?(?:{tox}))(?:\s*\((?P<paren>[^()]{1,30})\))?"
)
# "Severe toxicity did not occur", "grade 4 toxicity did not occur".
TPL_DID_NOT_OCCUR = (
    r"(?P<event>(?:severe|serious|major|life-threatening|{grade})\s+(?:{tox}))\s+(?:did\s+not|was\s+not|were\s+not)\s+"
    r"(?:occur|observed|seen|noted)"
)
# "with no side effects", "with no significant side effect"; only general terms ("with no diarrhoea" is
# usually a baseline characteristic) and never "with no differences in adverse events".
TPL_WITH_NO = (
    r"\b(?:with\s+no)\s+(?P<event>(?:(?!(?:differences?|changes?|increase|in|of)\b)[\w-]+\s+){0,2}?"
    r"(?:side\s+effects?|adverse\s+(?:events?|effects|reactions?)|toxicit(?:y|ies)|complications?))\b"
)
# "with only 1 significant side effect", "2 serious adverse events".
TPL_COUNT_EVENT = (
    # a small count right before the event; "3,000 white blood cell counts" is a lab threshold
    # "at least one adverse event" is a threshold, not a count
    # "Table 3 Adverse events", "day 5 infection": a label or a time point, not a count
    r"(?<![\w/\-,.≥≤<>])(?<!grade\s)(?<!least\s)(?<!than\s)(?<!per\s)(?<!Grade\s)(?<!Table\s)(?<!table\s)"
    r"(?<!Figure\s)(?<!day\s)(?<!Day\s)(?<!week\s)(?P<n>\d{1,3}(?![\d,])|" + PAT_NUMBER_WORD + r")\s+"
    r"(?P<event>(?:significant\s+|serious\s+|severe\s+|major\s+)?(?:{tox}))\b"
    # "3,000 white blood cell counts", "390 diarrhea episodes", "12 rash cases": not a count of people
    r"(?!\s*(?:counts?|episodes?|attempts?|cases|days|events\s+per|regimens?|protocols?|groups?|arms?|scores?|scales?))"
    # a table row "Pneumonia 12 Sepsis 8": the next cell's number follows the event
    r"(?!\s+\d)"
)
# "<event> occurred in 3 of 6 patients".
TPL_OCCURRED_IN = (
    r"(?P<event>{tox})\s+(?:occurred|was\s+observed|was\s+seen)\s+in\s+(?P<n>\d+)\s+of\s+(?P<d>\d+)"
)
# "Three patients developed antibodies", "One of these 26 patients suffered kidney toxicity",
# "only 1 patient had a significant side effect".
TPL_PATIENTS_DEVELOPED = (
    # "one out of 58 patients experienced ...": the count is the first number, not the group
    r"(?<!of\s)(?P<n>" + PAT_COUNT + r")\s+(?:of\s+these\s+(?:\d+\s+)?)?patients?\b(?P<mid>[^.;]{0,120}?)\b"
    r"(?:developed|experienced|suffered|had)\s+(?:a\s+|an\s+)?(?P<event>(?:[\w-]+\s+){0,3}?(?:{tox}))"
)
# "She later died of pneumonia": a single patient's fatal event.
RE_DIED_OF = re.compile(
    r"\b(?:he|she|one\s+patient|the\s+patient)\s+(?:\w+\s+)?died\s+of\s+(?P<event>[a-z][\w-]+)", re.I
)
# "white blood cells and platelets had decreased in 21% and 27%, respectively".
TPL_RESPECTIVELY = (
    r"(?P<e1>{tox})\s+and\s+(?P<e2>{tox})\s+(?:had\s+|were\s+)?(?:\w+\s+){0,2}?in\s+"
    r"(?P<p1>\d{1,3}(?:\.\d+)?)\s*%\s+and\s+(?P<p2>\d{1,3}(?:\.\d+)?)\s*%,?\s+respectively"
)


# "nausea (12%)", "nausea (6, 12%)", "nausea (n = 6; 12%)", "grade 3 neutropenia (15.2%)"; not a
# comparison "(12% vs. 4%)" (two groups, read above) nor a confidence interval.
TPL_EVENT_PCT = r"(?P<event>{tox})\s*\(\s*(?:n\s*=\s*)?(?:(?P<n>\d{1,4})\s*(?:[,;]\s*\[?|\[|\()\s*)?(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*\]?\s*\)"
# "headache occurred in 5 patients (10%)", "rash was reported in 4 (8%)", "nausea in 12 patients".
TPL_EVENT_IN_N = (
    r"(?P<event>{tox})\s+(?:(?:was|were)\s+)?(?:(?:reported|observed|seen|noted|occurred|developed)\s+)?in\s+"
    r"(?P<n>\d{1,4}|"
    + PAT_NUMBER_WORD
    + r")\s*(?P<who>patients?|participants?|subjects?|children|women|men|cases)?"
    r"(?:\s*\(\s*(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*\))?"
)
# "4 patients (8%) had a rash", "Twelve participants (24%) reported headache".
TPL_N_PCT_EVENT = (
    r"(?P<n>" + PAT_COUNT + r")\s+(?:patients?|participants?|subjects?|children|women|men)\s*\(\s*"
    r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*\)\s+(?:had|experienced|developed|reported|suffered\s+from|suffered)\s+"
    r"(?:a\s+|an\s+)?(?P<event>(?:[\w-]+\s+){0,3}?(?:{tox}))"
)


def _fill(template: str, tox: str, grade: str = "") -> str:
    return template.replace("{tox}", tox).replace("{grade}", grade)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    events = [r["pattern"] for r in pattern_terms("toxicity", "TOX_EVENT")]
    labs = [r["pattern"] for r in pattern_terms("toxicity", "TOX_LAB")]
    tox = alternation(events)
    tox_or_lab = alternation(events + labs)
    grade = PAT_GRADE.replace("(?P<grade>", "(?:")
    return {
        "tox": re.compile(rf"\b(?:{tox})\b", re.I),
        "tox_or_lab": re.compile(rf"\b(?:{tox_or_lab})\b", re.I),
        "event_pct": re.compile(_fill(TPL_EVENT_PCT, tox=tox), re.I),
        "event_in_n": re.compile(_fill(TPL_EVENT_IN_N, tox=tox), re.I),
        "n_pct_event": re.compile(_fill(TPL_N_PCT_EVENT, tox=tox), re.I),
        "none_noted": re.compile(_fill(TPL_NONE_NOTED, tox=tox), re.I),
        "no_patients": re.compile(_fill(TPL_NO_PATIENTS, tox=tox), re.I),
        "did_not_occur": re.compile(_fill(TPL_DID_NOT_OCCUR, tox=tox, grade=grade), re.I),
        "with_no": re.compile(_fill(TPL_WITH_NO, tox=tox), re.I),
        "count_event": re.compile(_fill(TPL_COUNT_EVENT, tox=tox), re.I),
        "occurred_in": re.compile(_fill(TPL_OCCURRED_IN, tox=tox), re.I),
        "developed": re.compile(_fill(TPL_PATIENTS_DEVELOPED, tox=tox), re.I),
        "respectively": re.compile(_fill(TPL_RESPECTIVELY, tox=tox_or_lab), re.I),
    }


def _grade(text: str) -> str | None:
    m = RE_GRADE.search(text)
    if not m:
        return None
    g = re.sub(r"\s+", " ", m["grade"])
    g = re.sub(r"\s*(?:or|and/or|and|/)\s*(?:grade\s+)?", "/", g, flags=re.I)
    # "3 or higher" is "≥3"
    return re.sub(r"^(\w+)/(?:higher|above|worse|greater)$", r"≥\1", g, flags=re.I)


def _event_before(text: str, at: int, floor: int) -> tuple[int, str]:
    """The phrase naming the event just before `at`: back to a comma, colon or clause opener."""
    window = text[floor:at]
    cut = max(window.rfind(","), window.rfind(":"), window.rfind(";"), window.rfind("("))
    start = floor + cut + 1
    phrase = text[start:at].strip()
    # "events more frequent with X included nausea (12% vs 4%)": the event is what follows the list opener
    opener = list(re.finditer(r"\b(?:included|including|such\s+as|were|was|namely|notably)\s+", phrase, re.I))
    if opener:
        start += len(text[start:at]) - len(text[start:at].lstrip()) + opener[-1].end()
        phrase = phrase[opener[-1].end() :]
    phrase = re.sub(r"^(?:and|or|including|such as)\s+", "", phrase, flags=re.I)
    return at - len(text[start:at].lstrip()), re.sub(r"\s+", " ", join_hyphenated(phrase))


def _clean(event: str) -> str:
    return re.sub(r"\s+", " ", join_hyphenated(event)).strip(" ,.;").lower()


def find_toxicities(ctx: PaperContext) -> list[Toxicity]:
    """Every toxicity statement in the text (paper offsets)."""
    out: list[Toxicity] = []
    for view, vctx, vsents in paper_views(ctx):
        out.extend(view.restore(_find_toxicities(vctx, vsents), ctx))
    return out


def _find_toxicities(ctx: PaperContext, sents: list[tuple[int, int]]) -> list[Toxicity]:
    text = ctx.repaired
    pats = _patterns()
    cited = cited_sentences(ctx, sents)
    out: list[Toxicity] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    def add(s: int, e: int, i: int, **fields: Any) -> None:
        taken.append((s, e))
        out.append(Toxicity(start=s, end=e, text=ctx.text[s:e], cited=bool(cited[i]), **fields))

    for i, (s0, s1) in enumerate(sents):
        sentence = text[s0:s1]
        joined = join_hyphenated(sentence)
        about_tox = bool(pats["tox"].search(joined) or RE_GRADE.search(sentence))

        # Two groups compared event by event: "(18% vs. 4%)".
        pairs = list(RE_VS_PAIR.finditer(text, s0, s1))
        if pairs and about_tox:
            gm = RE_GROUP_PAIR.search(sentence)
            groups = (gm["g1"].lower(), gm["g2"].lower()) if gm else ("group 1", "group 2")
            floor = s0
            listed = False  # a list of adverse events: later items need not be lexicon terms
            for m in pairs:
                start, event = _event_before(text, m.start(), floor)
                floor = m.end()
                named = bool(pats["tox"].search(event) or RE_GRADE.search(event))
                if not (named or (listed and len(event.split()) <= 5)):
                    continue
                listed = True
                # each group's entity ends at its own percent, so the two spans differ
                for key, group in (("a", groups[0]), ("b", groups[1])):
                    end = m.end(key) + 1 if key == "a" else m.end()
                    add(
                        start,
                        end,
                        i,
                        event=event.lower(),
                        grade=_grade(event),
                        percent=float(m[key]),
                        group=group,
                    )

        for m in pats["respectively"].finditer(text, s0, s1):
            if not free(m.start(), m.end()):
                continue
            # one span per event, from the event to its own percent
            for ek, pk in (("e1", "p1"), ("e2", "p2")):
                event = _clean(m[ek]) + (" decrease" if "decreas" in m.group(0) else "")
                add(
                    m.start(ek),
                    m.end(pk) + 1,
                    i,
                    event=event,
                    percent=float(m[pk]),
                    grade=_grade(sentence),
                    group="patients",
                )
            taken.append((m.start(), m.end()))

        grade_here = _grade(sentence)
        for m in RE_PCT_FOR.finditer(text, s0, s1):
            event = _clean(m["event"])
            lab_graded = bool(pats["tox_or_lab"].search(event) and grade_here)
            if not free(m.start(), m.end()) or not (pats["tox"].search(event) or lab_graded):
                continue
            add(
                m.start(),
                m.end(),
                i,
                event=event,
                grade=grade_here,
                percent=float(m["pct"]),
                group="patients",
            )

        for m in RE_PCT_OF_PATIENTS.finditer(text, s0, s1):
            if not free(m.start(), m.end()) or not pats["tox"].search(join_hyphenated(m["event"])):
                continue
            raw = m["pct"]
            pct = parse_number(raw.replace("%", "").strip()) if "%" in raw else parse_number_words(raw)
            if pct is None:
                continue
            tm = pats["tox"].search(join_hyphenated(m["event"]))
            add(
                m.start(),
                m.end(),
                i,
                event=tm.group(0).lower() if tm else _clean(m["event"]),
                grade=_grade(m["event"]),
                percent=float(pct),
                group="patients",
            )

        for key in ("none_noted", "no_patients", "did_not_occur", "with_no"):
            for m in pats[key].finditer(text, s0, s1):
                if not free(m.start(), m.end()):
                    continue
                paren = m.groupdict().get("paren") or ""
                add(
                    m.start(),
                    m.end(),
                    i,
                    event=_clean(m["event"]),
                    grade=_grade(m.group(0) + " " + paren),
                    count=0,
                    percent=0.0,
                    group="patients",
                )

        for m in pats["n_pct_event"].finditer(text, s0, s1):
            n = parse_count(m["n"])
            if n is None or not free(m.start(), m.end()):
                continue
            add(
                m.start(),
                m.end(),
                i,
                event=_clean(m["event"]),
                grade=_grade(m["event"]),
                count=n,
                percent=float(m["pct"]),
                group="patients",
            )

        for m in pats["event_pct"].finditer(text, s0, s1):
            if not free(m.start(), m.end()) or re.match(r"\s*(?:vs\.?|versus)", text[m.end() : m.end() + 10]):
                continue
            # the grade printed just before the event: "grade 3 neutropenia (15%)"
            lead = text[max(s0, m.start() - 25) : m.start()]
            grade = _grade(lead + m["event"])
            start = m.start()
            gm = list(RE_GRADE.finditer(lead))
            if gm and lead[gm[-1].end() :].strip() == "":
                start = m.start() - len(lead) + gm[-1].start()
            add(
                start,
                m.end(),
                i,
                event=_clean(m["event"]),
                grade=grade,
                count=int(m["n"]) if m["n"] else None,
                percent=float(m["pct"]),
                group="patients",
            )

        for m in pats["event_in_n"].finditer(text, s0, s1):
            if not free(m.start(), m.end()):
                continue
            n = parse_count(m["n"])
            # "in 12 patients" or "in 12 (24%)"; a bare "in 12" is a time or a measure
            if n is None or not (m["who"] or m["pct"]):
                continue
            if re.match(r"\s*(?:of|out\s+of)\s+\d", text[m.end() : m.end() + 10]):
                continue  # "in 3 of 6 patients": read by the n-of-N template below
            add(
                m.start(),
                m.end(),
                i,
                event=_clean(m["event"]),
                grade=_grade(text[max(s0, m.start() - 25) : m.start()] + m["event"]),
                count=n,
                percent=float(m["pct"]) if m["pct"] else None,
                group="patients",
            )

        for m in pats["occurred_in"].finditer(text, s0, s1):
            if free(m.start(), m.end()):
                add(
                    m.start(),
                    m.end(),
                    i,
                    event=_clean(m["event"]),
                    count=int(m["n"]),
                    group=f"{m['d']} patients",
                )

        for m in pats["developed"].finditer(text, s0, s1):
            if not free(m.start(), m.end()):
                continue
            n = parse_count(m["n"])
            if n is None or re.search(r"[.;]", m["mid"]):
                continue
            add(m.start(), m.end(), i, event=_clean(m["event"]), count=n, group="patients")

        for m in pats["count_event"].finditer(text, s0, s1):
            n = parse_count(m["n"])
            if n is None or not free(m.start(), m.end()):
                continue
            add(m.start(), m.end(), i, event=_clean(m["event"]), count=n, group="patients")

        for m in RE_DIED_OF.finditer(text, s0, s1):
            if free(m.start(), m.end()):
                add(
                    m.start(),
                    m.end(),
                    i,
                    event=f"death from {m['event'].lower()}",
                    grade="5",
                    count=1,
                    group="patients",
                )
    return out


class ToxicityComponent(EntityComponent):
    kind = "toxicity"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        return list(find_toxicities(ctx))
