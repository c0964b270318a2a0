"""The per-paper pipeline as plain functions: read -> repair -> sections/tables -> entities -> audit.

`evidence extract` calls these directly (no Prefect, no database); the ingest flow wraps them in tasks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from audit import run_checks
from extractors.entities import build_nlp, extract_entities
from extractors.read import read_path
from extractors.repair import repair_glyphs
from extractors.sections import find_sections, read_citation
from extractors.tables import find_tables
from schemas import Document, ExtractOutput, Meta, PaperContext, PaperResult


@lru_cache(maxsize=1)
def default_nlp() -> Language:
    return build_nlp()


def merge_meta(known: Meta, found: Meta) -> Meta:
    """Reader-provided metadata wins; the citation line fills the gaps."""
    data = known.model_dump()
    for key, value in found.model_dump().items():
        if data.get(key) in (None, [], "") and value not in (None, [], ""):
            data[key] = value
    return Meta(**data)


def process_document(doc: Document, nlp: Language | None = None) -> PaperResult:
    """Every stage after reading, for one paper."""
    nlp = nlp or default_nlp()
    repaired = repair_glyphs(doc.text, doc.font_runs)
    sections = find_sections(repaired.text, doc.sections)
    tables = doc.tables or find_tables(repaired.text, sections)
    meta = merge_meta(doc.meta, read_citation(repaired.text))
    ctx = PaperContext(
        text=doc.text,
        repaired=repaired.text,
        sections=sections,
        tables=tables,
        uncertain_offsets=frozenset(r.offset for r in repaired.repairs if r.uncertain),
    )
    entities = extract_entities(ctx, nlp)
    findings = run_checks(ctx, entities)
    return PaperResult(
        paper_id=doc.paper_id,
        source=doc.source,
        format=doc.format,
        text=doc.text,
        meta=meta,
        sections=sections,
        entities=entities,
        tables=tables,
        findings=findings,
        repairs=repaired.repairs,
    )


def extract_file(path: str | Path, nlp: Language | None = None) -> ExtractOutput:
    """The contract JSON object for one file (raises EvidenceError when it cannot be read)."""
    return ExtractOutput(papers=[process_document(d, nlp) for d in read_path(path)])
