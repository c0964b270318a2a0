"""Build the spaCy pipeline and run it over a paper."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

import extractors.entities.factories  # noqa: F401  (registers the components)
from extractors.entities.base import ENTITIES_KEY
from extractors.entities.text import reset_sentencizer
from schemas import EntityBase
from schemas.context import PaperContext

DEFAULT_COMPONENTS: tuple[str, ...] = (
    "evidence_cohort",
    "evidence_dose",
    "evidence_response_rate",
    "evidence_toxicity",
    "evidence_mtd",
    "evidence_p_value",
    "evidence_statistic",
    "evidence_summary_stat",
)

# Split comparison signs and slashes inside tokens ("P<0.001", "(mIU)/m2") so patterns see them.
SCIENTIFIC_INFIXES = (r"(?<=[A-Za-z)])[<>=≤≥±](?=[0-9.])", r"(?<=[)])/(?=[A-Za-z])")


@dataclass(frozen=True)
class EntitySettings:
    components: tuple[str, ...] = DEFAULT_COMPONENTS
    max_length: int = 20_000_000

    def __post_init__(self) -> None:
        unknown = [c for c in self.components if c not in DEFAULT_COMPONENTS]
        if unknown:
            raise ValueError(f"unknown entity components: {unknown}")

    @classmethod
    def resolve(cls, value: EntitySettings | Mapping[str, Any] | None) -> EntitySettings:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        data = dict(value)
        if "components" in data:
            data["components"] = tuple(data["components"])
        return cls(**data)


def build_nlp(settings: EntitySettings | Mapping[str, Any] | None = None) -> Language:
    """A blank English pipeline (no downloaded model) with our tokenizer rules and components."""
    settings = EntitySettings.resolve(settings)
    nlp = spacy.blank("en")
    nlp.max_length = settings.max_length
    infixes = list(nlp.Defaults.infixes) + list(SCIENTIFIC_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    for name in settings.components:
        nlp.add_pipe(name)
    return nlp


def drop_cached_pipelines() -> None:
    """Forget the module-level sentence splitter (entities.text); the next use builds a fresh one.

    A spaCy pipeline's vocabulary keeps every string it has tokenised, so a pipeline kept for a whole
    corpus grows with it: call this whenever a long-running process replaces its build_nlp pipeline."""
    reset_sentencizer()


def make_doc(nlp: Language, ctx: PaperContext) -> Doc:
    doc = nlp.make_doc(ctx.repaired)
    doc.user_data["evidence"] = ctx
    return doc


def extract_entities(ctx: PaperContext, nlp: Language) -> list[EntityBase]:
    """Run every component over one paper; return its entities with provenance, in text order."""
    doc = nlp(make_doc(nlp, ctx))
    return collect_entities(doc, ctx)


def extract_entities_batch(ctxs: Iterable[PaperContext], nlp: Language) -> list[list[EntityBase]]:
    ctxs = list(ctxs)
    docs = nlp.pipe(make_doc(nlp, c) for c in ctxs)  # nlp.pipe accepts Docs and keeps user_data
    return [collect_entities(doc, ctx) for doc, ctx in zip(docs, ctxs, strict=True)]


def collect_entities(doc: Doc, ctx: PaperContext) -> list[EntityBase]:
    out: list[EntityBase] = []
    seen: set[tuple] = set()
    for records in doc.user_data.get(ENTITIES_KEY, {}).values():
        for ent in records:
            ident = (ent.kind, ent.start, ent.end, ent.model_dump_json())  # type: ignore[attr-defined]
            if ident in seen:
                continue
            seen.add(ident)
            update: dict[str, Any] = {"text": ctx.text[ent.start : ent.end]}
            if ent.section is None:
                update["section"] = ctx.section_at(ent.start)
            if not ent.uncertain and ctx.is_uncertain(ent.start, ent.end):
                update["uncertain"] = True
            out.append(ent.model_copy(update=update))
    out.sort(key=lambda e: (e.start, e.end, e.kind))  # type: ignore[attr-defined]
    return out
