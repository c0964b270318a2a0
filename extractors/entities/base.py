"""The shape every entity component shares: `__call__` = `match` + `set_annotations`."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from schemas import EntityBase
from schemas.context import PaperContext

ENTITIES_KEY = "evidence_entities"  # doc.user_data[ENTITIES_KEY][component key] -> records


class EntityComponent:
    """Subclasses set `kind` and implement `match(doc, ctx) -> list[EntityBase]`."""

    kind = "entity"

    def __init__(self, nlp: Language, name: str):
        self.nlp = nlp
        self.name = name

    @property
    def key(self) -> str:
        return f"evidence_{self.kind}"

    def __call__(self, doc: Doc) -> Doc:
        ctx: PaperContext | None = doc.user_data.get("evidence")
        if ctx is None:  # a bare doc (e.g. a test sentence): treat its text as the whole paper
            ctx = PaperContext(text=doc.text, repaired=doc.text)
        self.set_annotations(doc, self.match(doc, ctx), ctx)
        return doc

    def match(self, doc: Doc, ctx: PaperContext) -> list[EntityBase]:
        raise NotImplementedError

    def set_annotations(self, doc: Doc, entities: list[EntityBase], ctx: PaperContext) -> None:
        """Spans for display in `doc.spans[key]`; the records themselves in `doc.user_data`, in order.

        Records are not kept on `Span._` extensions: spaCy keys those by character offsets, so two
        entities over the same characters (a value read twice with different meanings) would collapse.
        """
        spans = []
        for ent in entities:
            span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.key] = spans
        doc.user_data.setdefault(ENTITIES_KEY, {})[self.key] = list(entities)
