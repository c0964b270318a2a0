"""mtd entities: the maximum tolerated dose statement and its dose-limiting toxicities.

"The MTD was 1.25 mIU/m2, with constitutional side effects, vomiting, and hyperglycemia dose
limiting" gives value 1.25, unit "mIU/m2", normalized 1.25e6 IU/m2/day (the paper defined mIU as
million IU and gave the escalation doses daily) and three dose-limiting events.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.entities.base import EntityComponent
from extractors.entities.dose import PAT_DOSE, find_agents, find_doses
from extractors.entities.text import paper_abbreviations, paper_views
from extractors.numbers import parse_number
from extractors.units import normalize_dose, parse_unit, schedule_basis
from schemas import Dose, EntityBase, Mtd
from schemas.context import PaperContext

__all__ = ["MtdComponent", "find_mtds"]

# "The MTD was 1.25 mIU/m2", "maximum tolerated dose (MTD) of 30 mg/m2", "MTD: 5 mg/kg".
PAT_MTD = re.compile(
    r"\b(?:MTD|maximum[- ]tolerated\s+dose|maximally\s+tolerated\s+dose)(?:\s*\(MTD\))?"
    # "MTD of docetaxel was ...": the agent may sit between the term and its verb
    r"(?:\s+(?:of|for)\s+(?P<agent>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)(?=\s+(?:was|is)\b))?"
    r"\s*(?:was|is|of|=|:|was\s+(?:determined|defined|found)\s+to\s+be|was\s+established\s+at)\s*"
    rf"(?P<dose>{PAT_DOSE})"
)
# Dose-limiting events: "with A, B, and C dose limiting" or "dose-limiting toxicities were A and B".
PAT_DLT_BEFORE = re.compile(
    r"\bwith\s+(?P<list>[^.;]{3,160}?)\s+(?:being\s+|as\s+(?:the\s+)?)?dose[- ]limiting\b", re.I
)
PAT_DLT_AFTER = re.compile(
    r"\bdose[- ]limiting\s+(?:toxicit(?:y|ies)|events?|side\s+effects?)\s*(?:was|were|included|consisted\s+of|:)\s*"
    r"(?P<list>[^.;]{3,160})",
    re.I,
)


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
    for m in PAT_MTD.finditer(text):
        value = parse_number(m["low"])
        if value is None:
            continue
        unit = re.sub(r"\s+", " ", m["unit"]).strip()
        sent_end = next((e for s, e in sents if s <= m.start() < e), len(text))
        sent_start = next((s for s, e in sents if s <= m.start() < e), 0)
        rest = text[m.end() : sent_end]
        dlt = PAT_DLT_BEFORE.search(rest) or PAT_DLT_AFTER.search(rest)
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
        agent = m["agent"] or (before[-1] if before else (agents[-1][2] if agents else None))
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
