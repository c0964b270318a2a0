"""cohort entities (first pass: `n = 33` and `42 patients`)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from schemas.context import PaperContext
from extractors.entities.base import EntityComponent
from schemas import Cohort, EntityBase

PAT_N_EQUALS = re.compile(r"\(\s*n\s*=\s*(?P<n>\d{1,6})\s*\)")
PAT_N_PATIENTS = re.compile(r"\b(?P<n>\d{1,6}) (?P<label>patients|subjects|participants|men|women|controls)\b")


class CohortComponent(EntityComponent):
    kind = "cohort"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        out: list[EntityBase] = []
        for m in PAT_N_EQUALS.finditer(ctx.repaired):
            out.append(Cohort(start=m.start(), end=m.end(), text=m[0], n=int(m["n"])))
        for m in PAT_N_PATIENTS.finditer(ctx.repaired):
            out.append(Cohort(start=m.start(), end=m.end(), text=m[0], n=int(m["n"]), label=m["label"]))
        return out
