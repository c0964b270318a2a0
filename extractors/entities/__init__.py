"""Entity extraction: a spaCy pipeline on `spacy.blank("en")` with one registered component per kind.

Each component (`extractors/entities/<kind>.py`) matches on the repaired text, the sections and the
table cells of a `PaperContext`, and writes `doc.spans["evidence_<kind>"]` (for display) and its typed records to
`doc.user_data["evidence_entities"]`. `extract_entities` gathers them with their provenance.
"""

from extractors.entities.pipeline import (
    DEFAULT_COMPONENTS,
    EntitySettings,
    build_nlp,
    extract_entities,
    make_doc,
)

__all__ = ["DEFAULT_COMPONENTS", "EntitySettings", "build_nlp", "extract_entities", "make_doc"]
