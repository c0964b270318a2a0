"""mtd entities: the maximum tolerated dose statement and its dose-limiting toxicities.

"The MTD was 2 MIU/m2, with fever, fatigue and nausea dose limiting" gives value 2, unit "MIU/m2",
normalized 2e6 IU/m2 (per day when the paper's escalation doses were daily) and three dose-limiting
events. Also "the maximum tolerated dose of drug X was defined as 60 mg/m2", "MTD: 5 mg/kg",
"75 mg/m2 was declared the MTD" and "dose-limiting toxicities (DLTs) were neutropenia and diarrhea".
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.entities.base import EntityComponent
from extractors.entities.dose import PAT_DOSE, PAT_MTD_TERM, PAT_MTD_VERB, find_agents, find_doses
from extractors.entities.text import paper_abbreviations, paper_views
from extractors.numbers import parse_number
from extractors.units import normalize_dose, parse_unit, schedule_basis
from schemas import Dose, EntityBase, Mtd
from schemas.context import PaperContext

__all__ = ["MtdComponent", "find_mtds"]

# "The MTD was 2 MIU/m2", "maximum tolerated dose (MTD) of 30 mg/m2", "MTD: 5 mg/kg".
PAT_MTD = re.compile(
    rf"\b{PAT_MTD_TERM}"
    # "MTD of docetaxel was ...": the agent may sit between the term and its verb
    r"(?:\s+(?:of|for)\s+(?P<agent>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)(?=\s+(?:was|is)\b|\s*\(\s*\d))?"
    rf"\s*{PAT_MTD_VERB}\s*(?:approximately\s+|about\s+)?"
    rf"(?P<dose>{PAT_DOSE})",
    re.I,
)
# A verb before the term: "a phase I trial defined the MTD to be 40 mg/day".
PAT_MTD_DEFINED = re.compile(
    rf"\b(?:defined|determined|established|identified|set)\s+the\s+{PAT_MTD_TERM}\s+(?:to\s+be|as|at)\s+"
    rf"(?P<dose>{PAT_DOSE})",
    re.I,
)
# The dose first: "75 mg/m2 was declared the MTD", "60 mg/m2 was considered the maximum tolerated dose".
PAT_MTD_AFTER = re.compile(
    rf"(?P<dose>{PAT_DOSE})\s+(?:was|is)\s+(?:therefore\s+)?(?:declared|defined\s+as|considered|determined\s+to\s+be|"
    rf"established\s+as|identified\s+as)?\s*(?:the|as\s+the)\s+{PAT_MTD_TERM}",
    re.I,
)
# Dose-limiting events: "with A, B, and C dose limiting" or "dose-limiting toxicities were A and B".
PAT_DLT_BEFORE = re.compile(
    r"\bwith\s+(?P<list>[^.;]{3,160}?)\s+(?:being\s+|as\s+(?:the\s+)?)?dose[- ]limiting\b", re.I
)
# "Grade 3 fatigue was the dose-limiting toxicity" (the events first).
PAT_DLT_SUBJECT = re.compile(
    r"^\s*(?P<list>[^.;]{3,120}?)\s+(?:was|were)\s+(?:the\s+)?dose[- ]limiting\s+(?:toxicit(?:y|ies)|events?)",
    re.I,
)
PAT_DLT_AFTER = re.compile(
    r"\b(?:dose[- ]limiting\s+(?:toxicit(?:y|ies)|events?|side\s+effects?)(?:\s*\(DLTs?\))?|DLTs?)\s*"
    r"(?:was|were|included|consisted\s+of|comprised|:)\s*"
    r"(?P<list>[^.;]{3,160})",
    re.I,
)


def _dlt_subject(text: str) -> re.Match[str] | None:
    """ "... . Grade 3 fatigue was the dose-limiting toxicity." in the rest of the sentence or the next."""
    for piece in re.split(r"(?<=[.;])\s+", text):
        found = PAT_DLT_SUBJECT.match(piece)
        if found:
            return found
    return None


def _split_events(listing: str) -> list[str]:
    parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", re.sub(r"\s+", " ", listing))
    return [p.strip() for p in parts if p.strip()]


def _paper_basis(doses: list[Dose], unit: str, abbreviations: dict[str, str]) -> str:
    """The per-time basis of the paper's escalation doses printed in the same unit ("daily" -> "/day")."""
    parts = parse_unit(unit, abbreviations)
    for d in doses:
        dp = parse_unit(d.unit, abbreviations)
        if parts is None or dp is None or (dp.amount, dp.per) != (parts.amount, parts.per):
            continue
        if dp.per_time:
            return f"/{dp.per_time}"
        basis = schedule_basis(d.schedule)
        if basis:
            return basis
    return ""


def find_mtds(ctx: PaperContext, abbreviations: dict[str, str]) -> list[Mtd]:
    """Every MTD statement (paper offsets)."""
    out: list[Mtd] = []
    for view, vctx, vsents in paper_views(ctx):
        out.extend(view.restore(_find_mtds(vctx, vsents, abbreviations), ctx))
    return out


def _find_mtds(ctx: PaperContext, sents: list[tuple[int, int]], abbreviations: dict[str, str]) -> list[Mtd]:
    text = ctx.repaired
    doses: list[Dose] | None = None
    out: list[Mtd] = []
    found = [*PAT_MTD.finditer(text), *PAT_MTD_AFTER.finditer(text), *PAT_MTD_DEFINED.finditer(text)]
    matches = []
    for m in sorted(found, key=lambda m: (m.start(), -m.end())):
        if not any(m.start("dose") < k.end("dose") and k.start("dose") < m.end("dose") for k in matches):
            matches.append(m)
    for m in matches:
        value = parse_number(m["low"])
        if value is None:
            continue
        unit = re.sub(r"\s+", " ", m["unit"]).strip()
        sent_end = next((e for s, e in sents if s <= m.start() < e), len(text))
        sent_start = next((s for s, e in sents if s <= m.start() < e), 0)
        rest = text[m.end() : sent_end]
        # the dose-limiting events may follow in the next sentence ("DLTs were ...")
        nxt = next(((s, e) for s, e in sents if s >= sent_end), None)
        following = text[nxt[0] : nxt[1]] if nxt else ""
        dlt = (
            PAT_DLT_BEFORE.search(rest)
            or PAT_DLT_AFTER.search(rest)
            or PAT_DLT_AFTER.match(following.lstrip())
            or _dlt_subject(rest + " " + following)
        )
        events = _split_events(dlt["list"]) if dlt else []
        if doses is None:
            doses = find_doses(ctx, abbreviations)
        normalized = normalize_dose(value, None, unit, abbreviations, text[sent_start:sent_end])
        if normalized is not None and not parse_unit(unit, abbreviations).per_time:  # type: ignore[union-attr]
            basis = schedule_basis(text[sent_start:sent_end]) or _paper_basis(doses, unit, abbreviations)
            normalized = normalize_dose(value, None, unit, abbreviations)
            if normalized is not None:
                normalized = normalized.model_copy(
                    update={"unit": f"{normalized.unit}{basis}", "value_high": None}
                )
        agents = find_agents(text, 0, m.start(), abbreviations)
        before = [d.agent for d in doses if d.end <= m.start() and d.agent]
        named = m.groupdict().get("agent")
        agent = named or (before[-1] if before else (agents[-1][2] if agents else None))
        out.append(
            Mtd(
                start=m.start(),
                end=m.end(),
                text=ctx.text[m.start() : m.end()],
                agent=agent,
                value=value,
                unit=unit,
                normalized=normalized,
                dose_limiting=events,
            )
        )
    return out


class MtdComponent(EntityComponent):
    kind = "mtd"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        return list(find_mtds(ctx, paper_abbreviations(doc, ctx)))
