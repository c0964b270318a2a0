"""p_value entities (first pass: `P < 0.05` in running text)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from schemas.context import PaperContext
from extractors.entities.base import EntityComponent
from schemas import EntityBase, PValue

PAT_P = re.compile(r"\b[Pp]\s*(?:value\s*)?(?P<op><=|>=|[<>=≤≥])\s*(?P<value>0?\.\d+|1(?:\.0+)?)\b")
OPERATORS = {"≤": "<=", "≥": ">="}


class PValueComponent(EntityComponent):
    kind = "p_value"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        out: list[EntityBase] = []
        for m in PAT_P.finditer(ctx.repaired):
            op = OPERATORS.get(m["op"], m["op"])
            out.append(PValue(start=m.start(), end=m.end(), text=m[0], operator=op, value=float(m["value"])))
        return out
