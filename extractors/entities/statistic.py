"""statistic entities (first pass: not yet implemented; see issue 4)."""

from __future__ import annotations

from spacy.tokens import Doc

from schemas.context import PaperContext
from extractors.entities.base import EntityComponent
from schemas import EntityBase


class StatisticComponent(EntityComponent):
    kind = "statistic"

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        return []
