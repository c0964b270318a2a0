"""dose entities: administered amounts of a drug or radiation, with agent, route, schedule.

"185 MBq (5 mCi) of 153Sm-EDTMP" (the parenthetical equivalent is the same dose), "370–555 MBq",
"2, 4, or 8 mg" (three doses), "1 to 3 million International Units (MIU)/m2 daily", "10 mg/kg every
12 hours", "metformin 500 mg", "2 mg/kg propofol", "aspirin (100 mg)", table cells ("Drug 200 mg") and
per-patient amount columns ("Total activity (GBq)"). Tracer activities for imaging are doses with
`diagnostic`. The agent is found by a lexicon (data), INN stems ("-mab", "-tinib", "-platin") and
isotope-labelled names ("99mTc-", "177Lu-", "[18F]"), then by its place next to the amount.
Not doses: concentrations ("2.3 IU/ml", "10 g/L"), ratios ("mGy/MBq"), thresholds ("LD50 > 2 g/kg",
"≤ 20 µg/kg/min"), accelerations ("3 g") and the MTD statement itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from extractors.abbreviations import join_hyphenated
from extractors.entities.base import EntityComponent
from extractors.entities.text import (
    alternation,
    cited_sentences,
    paper_abbreviations,
    paper_views,
    pattern_terms,
)
from extractors.numbers import parse_number
from extractors.units import PAT_DOSE_UNIT, normalize_dose, parse_unit
from schemas import Dose, EntityBase
from schemas.context import PaperContext

__all__ = [
    "DoseComponent",
    "find_doses",
    "find_agents",
    "PAT_DOSE",
    "PAT_SCHEDULE",
    "PAT_MTD_TERM",
    "PAT_MTD_VERB",
]

# A dose number: thousands groups, decimals; never the tail of a word or isotope ("IL-2", "131I").
PAT_DOSE_NUMBER = r"(?<![\w.,/\-–])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]\d)"
# The high end of a range sits right after its joiner.
PAT_DOSE_HIGH = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]\d)"
# What an amount is per: "/kg", "/m2", "/day", "per kg"; "(mIU)/m2" has its parenthesis inside the unit.
PAT_PER = (
    r"(?:\s*(?:/|\bper\s)\s*(?:kg|m2|m²|m\^2|day|d|dose|wk|week|h|min)\b"
    # exponent notation: "mg·kg−1·day−1", "g.kg-1.h-1", "mg kg-1"
    r"|\s*[·.⋅]?\s*(?:kg|m2|day|d|h|min)\s?(?:−|-|–)\s?1\b)"
)
# A dose: low [– high] unit [per ...]. "1 to 3 million International Units (MIU)/m2".
PAT_DOSE = (
    rf"(?P<low>{PAT_DOSE_NUMBER})"
    rf"(?:\s*(?:–|-|—|\bto\b)\s*(?P<high>{PAT_DOSE_HIGH}))?"
    rf"\s*(?P<unit>{PAT_DOSE_UNIT}(?![A-Za-z]){PAT_PER}*)"
)
RE_DOSE = re.compile(PAT_DOSE)
# Doses listed before a shared unit: "2, 4, or 8 mg" (the last one carries the unit).
RE_LIST_BEFORE = re.compile(
    rf"(?P<items>(?:{PAT_DOSE_NUMBER}\s*,\s*)+(?:{PAT_DOSE_NUMBER}\s*,?\s*)?(?:or|and)\s+)$"
)
# After the unit: a concentration or ratio ("IU/ml", "g/L", "mg/dL") is not a dose.
RE_CONCENTRATION_AFTER = re.compile(r"^\s*/\s*(?:m?l|dl|L|mL|dL|mm3|µl|μl|MBq|GBq|g)\b", re.I)
# The MTD statement is the mtd component's ("The MTD was 40 mg/m2", "60 mg was declared the MTD").
PAT_MTD_TERM = r"(?:MTD|maxim(?:um|al|ally)[- ]tolera(?:ted|ble)\s+doses?)(?:\s*\(MTD\))?"
# Between the term and its dose: "was", "of", "was determined to be", "was defined as", "was reached at".
PAT_MTD_VERB = (
    r"(?:(?:was|is)\s+(?:(?:determined|defined|found|established|identified|considered|set|reached|declared)"
    r"\s+(?:to\s+be|as|at)\s+)?|of|=|:|\((?=\s*\d))"  # "below the MTD (8 mg twice daily)"
)
RE_MTD_BEFORE = re.compile(
    rf"\b{PAT_MTD_TERM}(?:\s+(?:of|for)\s+[\w-]+(?:\s+[\w-]+){{0,2}}?)?\s*(?:{PAT_MTD_VERB}|to\s+be|as|at|\()"
    r"\s*(?:approximately\s+|about\s+)?$",
    re.I,
)
RE_MTD_AFTER = re.compile(
    r"^\s+(?:was|is)\s+(?:therefore\s+)?(?:declared|defined\s+as|considered|determined\s+to\s+be|"
    rf"established\s+as|identified\s+as)?\s*(?:the|as\s+the)\s+{PAT_MTD_TERM}",
    re.I,
)
# A threshold or comparison, not an amount given: "LD50 > 2 g/kg", "a rate of ≤ 20 µg/kg/min".
RE_THRESHOLD_BEFORE = re.compile(
    r"(?:[<>≤≥]|\bLD50\b[^.;]{0,20}|\bexceed(?:ing|ed)?|\b(?:less|more|greater|lower|higher)\s+than|\bbelow|\babove)"
    r"\s*=?\s*$",
    re.I,
)
# ... unless the amount was given: "patients who received ≥ 100 GBq" is a (cumulative) dose.
RE_GIVEN_BEFORE = re.compile(
    r"\b(?:received|receiving|given|administered)\s*(?:[<>≤≥]|more\s+than)?\s*=?\s*$", re.I
)
# "g" as acceleration ("a magnitude of 3.2 g", "2 g-force"), not grams.
RE_GRAVITY = re.compile(r"\b(?:acceleration|gravity|g-force|vibration|magnitude|centrifug\w*)\b", re.I)
# Amounts measured in the body or in food are not doses: "liver iron 1.4 mg/kg", "intake of 1,200 mg".
RE_MEASURED_BEFORE = re.compile(
    # "dose levels of 2 to 8 mg" are doses
    r"\b(?<!dose\s)(?<!dosing\s)(?:concentrations?|levels?|contents?|excretion|clearance|intakes?|consumption|loss|output|deficit|"
    # decimals may sit in between ("content was 1.2 mg/kg versus 3.4 mg/kg")
    r"LD50|ED50|IC50|EC50|AUC|Cmax|cut-?off|threshold|limit|equivalent\s+to|corresponds?\s+to)\b"
    r"(?:[^.;]|\.(?=\d)){0,40}$",
    re.I,
)
# Volumes ("1 L of saline") and bare units ("4 units of blood") are doses only with "of <agent>".
RE_NEEDS_OF = re.compile(r"^(?:mL|ml|L|U|units?)$")
# Radiopharmaceuticals: isotope mass number + element, then a ligand ("153Sm-EDTMP", "177Lu-\nDOTATATE",
# "99mTc-labeled sestamibi", "90Y-ibritumomab", "223RaCl2").
# Isotopes used in nuclear medicine, by element symbol (mass number printed before: "177Lu", "99mTc").
PAT_ISOTOPE = r"\d{1,3}m?(?:Sr|In|I|Tc|Y|Lu|Ga|F|Ra|Sm|Re|Ho|Cu|Tl|Xe|P|Bi|At|Ac|Er|Zr|Cr|Co|Rb|Pb|Th|Ir|Au|C|N|O|Kr|Cs|Se)"
PAT_RADIOPHARMACEUTICAL = (
    rf"(?<![\w])(?:{PAT_ISOTOPE}"
    r"(?:Cl2|-\s*\n?\s*(?:labeled|labelled)(?:\s+(?!\w+ly\b|(?:and|or|was|were|in|at|for|to|with|by)\b)[a-z][\w-]*){1,2}|-\s*\n?\s*[A-Za-z][\w\-]*(?:-\s*\n\s*[a-z]+)?)"
    # bracketed isotope: "[18F]FDG", "[177Lu]Lu-PSMA-617"
    rf"|\[{PAT_ISOTOPE}\]\s?-?[A-Za-z][\w\-]*)"
)
RE_RADIOPHARMACEUTICAL = re.compile(PAT_RADIOPHARMACEUTICAL)
# Schedules, as printed. A comment per quirk: "3 monthly (therapeutic) administrations", "once/week".
PAT_SCHEDULE = (
    r"(?<![\w-])(?:single\s+(?:dose|administration|injection)"
    r"|(?:\d+|one|two|three|four|five|six|ten)\s+(?:\w+\s+){0,2}(?:administrations|injections|doses|cycles|courses)"
    r"|every\s+\d+\s*(?:hours|h|days|weeks)|every\s+day(?:\s+for\s+\d+\s+days)?"
    r"|once\s*(?:/|a|per)\s*(?:day|week|month)|twice\s+(?:daily|a\s+day|weekly)"
    # several a day: "3 times daily", "four times a day", "tid", "b.i.d.", "q8h"
    r"|(?:\d+|two|three|four|five|six)\s+times\s+(?:daily|a\s+day|per\s+day)|b\.?i\.?d|t\.?i\.?d|q\.?i\.?d|q\s?\d+\s?h"
    r"|daily|weekly|monthly|for\s+\d+\s+(?:consecutive\s+)?days)\b"
)
RE_SCHEDULE = re.compile(PAT_SCHEDULE, re.I)
# Per-patient amount columns of a table: "Administered activity (GBq)", "Total dose (mg)".
RE_AMOUNT_HEADER = re.compile(
    rf"(?P<label>[A-Za-z][\w ]*?(?:activity|dose))\s*\(\s*(?P<unit>{PAT_DOSE_UNIT})\s*\)", re.I
)
RE_AGENT_HEADER = re.compile(r"^(?:tracer|agent|drug|radiopharmaceutical|treatment)$", re.I)
# A cell value: "20.0", or a mean ± SD row "18.8 ± 4.2" (the mean is the dose).
RE_CELL_VALUE = re.compile(r"^\s*(?P<v>\d+(?:\.\d+)?)\s*(?:±\s*\d+(?:\.\d+)?)?\s*$")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    agents = pattern_terms("dose", "AGENT")
    routes = pattern_terms("dose", "ROUTE")
    diag = [r["pattern"] for r in pattern_terms("dose", "DIAGNOSTIC")]
    upper = [d for d in diag if d.isupper()]
    lower = [d for d in diag if not d.isupper()]
    return {
        "agents": {a["pattern"].lower(): a["agent"] for a in agents},
        "agent_re": re.compile(rf"(?<![\w-])(?:{alternation([a['pattern'] for a in agents])})(?![\w])", re.I),
        "routes": {r["pattern"].lower(): r["route"] for r in routes},
        "route_re": re.compile(
            rf"(?<![\w.])(?:{alternation([r['pattern'] for r in routes if not r['pattern'].isupper()])})(?![\w])"
            rf"|\b(?:{alternation([r['pattern'] for r in routes if r['pattern'].isupper()])})\b",
            re.I,
        ),
        "diag_re": re.compile(rf"\b(?:{alternation(lower)})\b", re.I),
        "diag_upper_re": re.compile(rf"\b(?:{alternation(upper)})\b") if upper else None,
        "lab_re": re.compile(
            rf"\b(?:{alternation([r['pattern'] for r in pattern_terms('dose', 'LAB_CONTEXT')])})\b", re.I
        ),
        "composition_re": re.compile(
            rf"(?<![\w-])(?:{alternation([r['pattern'] for r in pattern_terms('dose', 'COMPOSITION_CONTEXT')])})(?![\w-])"
        ),
        "admin_re": re.compile(
            rf"\b(?:{alternation([r['pattern'] for r in pattern_terms('dose', 'ADMIN')])})\b", re.I
        ),
    }


@lru_cache(maxsize=1)
def _drug_name_re() -> re.Pattern[str]:
    """Drug names the lexicon does not list, by their INN stem ("sitagliptin", "ropivacaine", "golimumab")
    or a phrase pattern ("tranexamic acid", "interleukin-6", "magnesium sulfate")."""
    suffixes = [r["pattern"] for r in pattern_terms("dose", "AGENT_SUFFIX")]
    phrases = [r["pattern"] for r in pattern_terms("dose", "AGENT_PHRASE")]  # regex fragments
    return re.compile(
        rf"(?<![\w-])(?:{'|'.join(phrases)}|[A-Za-z][a-z]{{2,}}(?:{alternation(suffixes)}))(?![\w-])", re.I
    )


def _adjacent_drug(text: str, dose_start: int, dose_end: int) -> str | None:
    """A drug named right next to the dose: "sitagliptin 100 mg", "1 g tranexamic acid"."""
    rx = _drug_name_re()
    after = re.match(r"[ \t]+", text[dose_end : dose_end + 3])
    if after:
        m = rx.match(text, dose_end + after.end())
        if m:
            return m.group(0)
    m = re.search(r"([A-Za-z][\w-]*(?:\s+acid)?)[ \t(]+$", text[max(0, dose_start - 40) : dose_start])
    if m and rx.fullmatch(m.group(1)):
        return m.group(1)
    return None


def _canonical_drug(name: str) -> str:
    """A drug name found by its stem, as a lexicon would spell it: "Golimumab" -> "golimumab",
    "interleukin-6" -> "IL-6"; upper-case forms ("IL-12") stay as printed."""
    name = _clean_agent(name)
    m = re.fullmatch(r"(?:interleukin[- ]|IL-)(\d{1,2})", name, re.I)
    if m:
        return f"IL-{m.group(1)}"
    return name.lower() if name[:1].isupper() and name[1:] == name[1:].lower() or name.islower() else name


def _clean_agent(text: str) -> str:
    return re.sub(r"\s+", " ", join_hyphenated(text)).strip(" /,;:-")


def find_agents(text: str, start: int, end: int, abbreviations: dict[str, str]) -> list[tuple[int, int, str]]:
    """Agent mentions in `text[start:end]`: (start, end, canonical name)."""
    lex = _lexicon()
    found: list[tuple[int, int, str]] = []
    for m in RE_RADIOPHARMACEUTICAL.finditer(text, start, end):
        found.append((m.start(), m.end(), _clean_agent(m.group(0))))
    for m in lex["agent_re"].finditer(text, start, end):
        found.append((m.start(), m.end(), lex["agents"].get(m.group(0).lower(), m.group(0))))
    for m in _drug_name_re().finditer(text, start, end):
        found.append((m.start(), m.end(), _canonical_drug(m.group(0))))
    # A short form the paper defined as an agent ("Oct = Octreotide", "FF = fluticasone furoate").
    for short, long in abbreviations.items():
        canon = _agent_name(long)
        if canon is None or len(short) < 2 or short.lower() in {"mg", "iu", "ml"}:
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text[start:end]):
            found.append((start + m.start(), start + m.end(), canon))
    found.sort()
    # Drop mentions inside a longer one ("IL-2" inside "anti-IL-2" is still IL-2; keep the first).
    out: list[tuple[int, int, str]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        out.append(f)
    return out


def _agent_name(phrase: str) -> str | None:
    """The agent a long form names ("fluticasone furoate" -> "fluticasone furoate"), if it names one."""
    lex = _lexicon()
    canon = lex["agents"].get(phrase.lower())
    if canon is not None:
        return str(canon)
    # "community-directed treatment with ivermectin": the drug the long form names, not the whole phrase
    m = lex["agent_re"].search(phrase)
    if m:
        return str(lex["agents"].get(m.group(0).lower(), m.group(0)))
    m = _drug_name_re().search(phrase)
    if m:
        return _canonical_drug(phrase if m.group(0) == phrase.strip() else m.group(0))
    return None


# Words between an agent and its amount printed after it: "aspirin 100 mg", "aspirin (100 mg)",
# "aspirin at 100 mg", "aspirin, 100 mg", "aspirin at a dose of 100 mg", "aspirin in doses of 100 mg".
RE_AGENT_DOSE_GAP = re.compile(
    r"\s*(?:\(|,|:|=)?\s*(?:(?:was\s+|were\s+)?(?:given|administered|infused|injected)\s+)?"
    r"(?:(?:at|in|with)\s+)?(?:(?:a|an|the)\s+)?(?:(?:single|daily|total|loading|starting|fixed|oral|iv)\s+)?"
    r"(?:(?:doses?|dosages?|rate)\s+of\s+)?$",
    re.I,
)
# Words between an amount and its agent printed after it: "100 mg aspirin", "100 mg of oral aspirin".
RE_DOSE_AGENT_GAP = re.compile(
    r"^\s*(?:\([^()]{0,30}\)\s*)?(?:(?:daily|once\s+daily|twice\s+daily)\s+)?(?:of\s+)?(?:(?:the|oral|intravenous|iv|inhaled|intranasal|topical|"
    r"subcutaneous|intramuscular|sublingual|liposomal|extended-release|slow-release)\s+)?$",
    re.I,
)


def _choose_agent(
    text: str, dose_start: int, dose_end: int, sent: tuple[int, int], agents: list[tuple[int, int, str]]
) -> str | None:
    after = [
        a
        for a in agents
        if dose_end <= a[0] < dose_end + 50 and RE_DOSE_AGENT_GAP.match(text[dose_end : a[0]])
    ]
    before = [
        a
        for a in reversed(agents)
        if dose_start - 50 <= a[1] <= dose_start and RE_AGENT_DOSE_GAP.search(text[a[1] : dose_start])
    ]
    # "185 MBq (5 mCi) of 153Sm-EDTMP": "of" binds the agent after the amount most tightly
    if after and re.search(r"\bof\b", text[dose_end : after[0][0]]):
        return after[0][2]
    # "metformin 500 mg": a name touching the amount before it ("Moxifloxacin 400 mg FF/VI 200 µg" in a
    # table header row), then one touching it after ("2 mg/kg propofol"), then a looser one before
    # ("ketamine at a dose of 0.5 mg/kg")
    if before and re.fullmatch(r"[ \t(]*", text[before[0][1] : dose_start]):
        return before[0][2]
    if after:
        return after[0][2]
    if before:
        return before[0][2]
    drug = _adjacent_drug(text, dose_start, dose_end)
    if drug:
        return drug
    # Otherwise the nearest agent named earlier in the sentence, else the first one after.
    before = [a for a in agents if a[1] <= dose_start and a[0] >= sent[0]]
    if before:
        return before[-1][2]
    inside = [a for a in agents if dose_end <= a[0] < sent[1]]
    return inside[0][2] if inside else None


def _route(sentence: str) -> str | None:
    lex = _lexicon()
    routes: list[str] = []
    for m in lex["route_re"].finditer(sentence):
        r = lex["routes"].get(m.group(0).lower())
        if r and r not in routes:
            routes.append(r)
    return " ".join(routes) or None


def _schedule(sentence: str) -> str | None:
    found: list[str] = []
    for m in RE_SCHEDULE.finditer(sentence):
        s = re.sub(r"\s+", " ", m.group(0))
        if s.lower() not in (f.lower() for f in found):
            found.append(s)
    return "; ".join(found) or None


def _is_diagnostic(text: str, sent: tuple[int, int]) -> bool:
    lex = _lexicon()
    # The sentence, and the run-in heading of its paragraph ("111In-Pentetreotide Imaging. Before ...").
    para_start = text.rfind("\n\n", 0, sent[0])
    heading = text[max(0, para_start) : sent[0]]
    window = text[sent[0] : sent[1]]
    for chunk in (window, heading[-120:]):
        if lex["diag_re"].search(chunk) or (lex["diag_upper_re"] and lex["diag_upper_re"].search(chunk)):
            return True
    return False


def _paragraph(text: str, at: int, reach: int = 1500) -> str:
    """The block of text around `at` between blank lines (a table printed as text is one block)."""
    lo = text.rfind("\n\n", max(0, at - reach), at)
    hi = text.find("\n\n", at, at + reach)
    return text[(lo + 2 if lo >= 0 else max(0, at - reach)) : (hi if hi >= 0 else at + reach)]


def _doses_in(spans: list[tuple[int, int]], sent: tuple[int, int]) -> int:
    return sum(1 for s, _ in spans if sent[0] <= s < sent[1])


def _clause(
    text: str, sent: tuple[int, int], start: int, end: int, spans: list[tuple[int, int]]
) -> tuple[int, int]:
    """The part of the sentence that belongs to the amount at [start, end): from the previous amount (or
    ";") to the next one, a parenthetical equivalent ("185 MBq (5 mCi)") not counting as a next amount."""
    lo, hi = sent
    for s, e in spans:
        if e <= start and s >= lo:
            lo = e
        elif s >= end and s < hi and not re.fullmatch(r"\s*\(\s*", text[end:s]):
            hi = s
            break
    semi_before = text.rfind(";", lo, start)
    semi_after = text.find(";", end, hi)
    return (semi_before + 1 if semi_before >= 0 else lo), (semi_after if semi_after >= 0 else hi)


def _sentence_of(sents: list[tuple[int, int]], offset: int) -> int:
    for i, (s, e) in enumerate(sents):
        if s <= offset < e:
            return i
    return max(0, len(sents) - 1)


def find_doses(ctx: PaperContext, abbreviations: dict[str, str]) -> list[Dose]:
    """Every administered amount in the text and in per-patient amount columns of tables."""
    out: list[Dose] = []
    for view, vctx, vsents in paper_views(ctx):
        out.extend(view.restore(_find_doses(vctx, vsents, abbreviations), ctx))
    return out


def _find_doses(ctx: PaperContext, sents: list[tuple[int, int]], abbreviations: dict[str, str]) -> list[Dose]:
    text = ctx.repaired
    if not sents:
        sents = [(0, len(text))]
    cited = cited_sentences(ctx, sents)
    agents = find_agents(text, 0, len(text), abbreviations)
    out: list[Dose] = []
    last_end = -1
    spans = [mm.span() for mm in RE_DOSE.finditer(text)]
    for m in RE_DOSE.finditer(text):
        unit = re.sub(r"\s+", " ", m["unit"]).strip()
        before = text[max(0, m.start() - 60) : m.start()]
        after = text[m.end() : m.end() + 40]
        # "/MBq" is a ratio, "± 0.4 mg" a spread, "The MTD was ..." the mtd component's
        if (
            before.endswith("/")
            or re.search(r"±\s*$", before)
            or RE_CONCENTRATION_AFTER.match(after)
            or RE_MTD_BEFORE.search(before)
            or RE_MTD_AFTER.match(text[m.end() : m.end() + 80])
        ):
            continue
        if RE_THRESHOLD_BEFORE.search(before) and not RE_GIVEN_BEFORE.search(before):
            continue
        if RE_MEASURED_BEFORE.search(before):
            continue
        # "(5 mCi)" right after "185 MBq": the same dose in other units.
        if last_end >= 0 and re.fullmatch(r"\s*\(\s*", text[last_end : m.start()]):
            continue
        amount = re.split(r"\s*/|\s+per\s", unit)[0]
        if RE_NEEDS_OF.match(amount) and not re.match(r"\s*of\b", after):
            continue
        if parse_unit(unit, abbreviations) is None:
            continue
        low = parse_number(m["low"])
        high = parse_number(m["high"]) if m["high"] else None
        if low is None:
            continue
        if high is not None and high <= low:
            high = None  # "1–6" never runs down; read the first number only
        i = _sentence_of(sents, m.start())
        sent = sents[i]
        sentence = text[sent[0] : sent[1]]
        # "contents per liter: 8.5 g of NaCl": a laboratory recipe, not an administered amount
        lex = _lexicon()
        if lex["lab_re"].search(sentence) and not lex["admin_re"].search(sentence):
            continue
        # a nutrient composition table ("Vitamin C 50 mg 50% 75 mg ... DFE"): contents, not amounts given
        c0, c1 = _clause(text, sent, m.start(), m.end(), spans)
        clause = text[c0:c1]
        para = _paragraph(text, m.start())
        if lex["composition_re"].search(para) and not lex["admin_re"].search(clause):
            continue
        if re.fullmatch(r"g", amount) and RE_GRAVITY.search(sentence):
            continue
        # schedule and route are read from the dose's own clause: "40 mg daily or 20 mg twice daily"
        schedule = _schedule(clause)
        agent = _choose_agent(text, m.start(), m.end(), sent, agents)
        # an amount with no agent in a sentence that gives nothing ("shoes weighing 135 g") is no dose
        if agent is None and not lex["admin_re"].search(sentence) and not _is_diagnostic(text, sent):
            continue
        common: dict[str, Any] = {
            "unit": unit,
            "agent": agent,
            "route": _route(clause) or (_route(sentence) if _doses_in(spans, sent) == 1 else None),
            "schedule": schedule,
            "diagnostic": _is_diagnostic(text, sent),
            "cited": bool(cited[i]),
        }
        # "2, 4, or 8 mg": each listed number is a dose in the shared unit.
        lm = RE_LIST_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
        if lm and high is None:
            base = max(0, m.start() - 60) + lm.start("items")
            for nm in re.finditer(PAT_DOSE_NUMBER, text[base : m.start()]):
                v = parse_number(nm.group(0))
                if v is None:
                    continue
                s, e = base + nm.start(), base + nm.end()
                out.append(
                    Dose(
                        start=s,
                        end=e,
                        text=ctx.text[s:e],
                        value=v,
                        normalized=normalize_dose(v, None, unit, abbreviations, schedule),
                        **common,
                    )
                )
        out.append(
            Dose(
                start=m.start(),
                end=m.end(),
                text=ctx.text[m.start() : m.end()],
                value=low,
                value_high=high,
                normalized=normalize_dose(low, high, unit, abbreviations, schedule),
                **common,
            )
        )
        last_end = m.end()
    out.extend(_table_doses(ctx, abbreviations, agents))
    return _dedupe(out)


def _dedupe(doses: list[Dose]) -> list[Dose]:
    seen: set[tuple[int, int]] = set()
    out = []
    for d in doses:
        if (d.start, d.end) in seen:
            continue
        seen.add((d.start, d.end))
        out.append(d)
    return out


def _table_doses(
    ctx: PaperContext, abbreviations: dict[str, str], agents: list[tuple[int, int, str]]
) -> list[Dose]:
    """Per-patient amounts in a column headed "Administered activity (GBq)": one dose per non-zero cell."""
    out: list[Dose] = []
    for table in ctx.tables:
        amount_cols: dict[int, tuple[str, str]] = {}
        agent_cols: set[int] = set()
        for c in table.cells:
            if not c.header:
                continue
            m = RE_AMOUNT_HEADER.search(c.text)
            if m:
                amount_cols[c.col] = (m["label"].strip().lower(), m["unit"])
            elif RE_AGENT_HEADER.match(c.text.strip()):
                agent_cols.add(c.col)
        if not amount_cols:
            continue
        rows: dict[int, dict[int, Any]] = {}
        for c in table.cells:
            if not c.header:
                rows.setdefault(c.row, {})[c.col] = c
        shift = _header_shift(rows, agent_cols, abbreviations)
        amount_cols = {col + shift: v for col, v in amount_cols.items()}
        agent_cols = {col + shift for col in agent_cols}
        for cells in rows.values():
            agent = None
            for col in agent_cols:
                cell = cells.get(col)
                if cell is not None and re.search(r"[A-Za-z]", cell.text):
                    found = find_agents(cell.text, 0, len(cell.text), abbreviations)
                    agent = found[0][2] if found else cell.text.strip()
            for col, (_label, unit) in amount_cols.items():
                cell = cells.get(col)
                if cell is None or cell.start is None or cell.end is None:
                    continue
                vm = RE_CELL_VALUE.match(cell.text)
                if not vm:
                    continue
                value = float(vm["v"])
                if value == 0:
                    continue  # "0": no treatment given, not a dose
                norm = normalize_dose(value, None, unit, abbreviations)
                out.append(
                    Dose(
                        start=cell.start,
                        end=cell.end,
                        text=ctx.text[cell.start : cell.end],
                        value=value,
                        unit=unit,
                        normalized=norm,
                        agent=agent,
                        table=table.label,
                        cell=(cell.row, cell.col),
                    )
                )
    return out


def _header_shift(
    rows: dict[int, dict[int, Any]], agent_cols: set[int], abbreviations: dict[str, str]
) -> int:
    """How far the header columns sit from the body columns (0 when they line up).

    A rebuilt table can place a header one column off; the agent column is the anchor: its body
    cells name agents, so the shift that puts the most agents under "Tracer" is the right one.
    """
    if not agent_cols:
        return 0
    best, best_hits = 0, -1
    for shift in (0, -1, 1):
        hits = 0
        for cells in rows.values():
            for col in agent_cols:
                cell = cells.get(col + shift)
                if cell is not None and find_agents(cell.text, 0, len(cell.text), abbreviations):
                    hits += 1
        if hits > best_hits:
            best, best_hits = shift, hits
    return best


class DoseComponent(EntityComponent):
    kind = "dose"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        return list(find_doses(ctx, paper_abbreviations(doc, ctx)))
