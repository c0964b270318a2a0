"""The per-paper pipeline as plain functions: read -> repair -> sections/tables -> entities -> audit.

`evidence extract` calls these directly (no Prefect, no database); the ingest flow wraps them in tasks.
"""

from __future__ import annotations

import hashlib
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field
from spacy.language import Language

from audit import run_checks
from extractors.abbreviations import find_abbreviations
from extractors.entities import build_nlp, extract_entities
from extractors.entities.pipeline import drop_cached_pipelines
from extractors.read import read_path, read_path_report
from extractors.repair import repair_glyphs
from extractors.sections import find_sections, read_citation
from extractors.tables import find_tables
from schemas import (
    Document,
    EvidenceError,
    ExtractOutput,
    IngestError,
    Meta,
    PaperContext,
    PaperResult,
    Section,
    TooLarge,
)

# spaCy keeps every string a pipeline has tokenised (vocabulary and tokenizer cache), so one pipeline
# for a worker's whole life grew ~0.07 MB a paper; building a fresh one takes ~0.15 s.
DOCUMENTS_PER_NLP = 250
_nlp: Language | None = None
_nlp_uses = 0
_nlp_lock = threading.Lock()


def default_nlp() -> Language:
    """This process's pipeline, replaced by a fresh one every DOCUMENTS_PER_NLP calls (one a document)."""
    global _nlp, _nlp_uses
    with _nlp_lock:
        if _nlp is None or _nlp_uses >= DOCUMENTS_PER_NLP:
            drop_cached_pipelines()
            _nlp, _nlp_uses = build_nlp(), 0
        _nlp_uses += 1
        return _nlp


def merge_meta(known: Meta, found: Meta) -> Meta:
    """Reader-provided metadata wins; the citation line fills the gaps."""
    data = known.model_dump()
    for key, value in found.model_dump().items():
        if data.get(key) in (None, [], "") and value not in (None, [], ""):
            data[key] = value
    return Meta(**data)


DEFAULT_MAX_TEXT_CHARS = 5_000_000  # ~50x a long paper: beyond this it is not one paper


def reader_table_sections(doc: Document) -> list[Section]:
    """Table blocks a reader rendered into the text (PDF, XML) are table sections, not body text."""
    known = {(s.start, s.end) for s in doc.sections if s.name == "table"}
    return [
        Section(name="table", heading=t.label, start=t.start, end=t.end)
        for t in doc.tables
        if t.start is not None and t.end is not None and (t.start, t.end) not in known
    ]


class Stopwatch:
    """Accumulates seconds per stage into a dict (for the scale benchmark's stage split)."""

    def __init__(self, into: dict[str, float] | None):
        self.into = into
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[stage] = self.into.get(stage, 0.0) + now - self.last
        self.last = now


def process_document(
    doc: Document,
    nlp: Language | None = None,
    max_chars: int = DEFAULT_MAX_TEXT_CHARS,
    timings: dict[str, float] | None = None,
) -> PaperResult:
    """Every stage after reading, for one paper."""
    if len(doc.text) > max_chars:
        raise TooLarge(
            f"{doc.source}: {len(doc.text):,} characters of text, more than the {max_chars:,} one paper "
            "may have; split the file or raise the limit"
        )
    nlp = nlp or default_nlp()
    clock = Stopwatch(timings)
    repaired = repair_glyphs(doc.text, doc.font_runs)
    clock.lap("repair")
    sections = find_sections(repaired.text, doc.sections + reader_table_sections(doc))
    tables = doc.tables or find_tables(repaired.text, sections)
    meta = merge_meta(doc.meta, read_citation(repaired.text))
    clock.lap("sections_tables")
    ctx = PaperContext(
        text=doc.text,
        repaired=repaired.text,
        sections=sections,
        tables=tables,
        abbreviations=find_abbreviations(repaired.text),
        uncertain_offsets=frozenset(r.offset for r in repaired.repairs if r.uncertain),
    )
    entities = extract_entities(ctx, nlp)
    clock.lap("entities")
    findings = run_checks(ctx, entities)
    clock.lap("audit")
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


class FileOutcome(BaseModel):
    """What one input file became: papers, or errors (never an exception)."""

    source: str
    sha256: str | None = None
    results: list[PaperResult] = Field(default_factory=list)
    errors: list[IngestError] = Field(default_factory=list)
    stage_seconds: dict[str, float] = Field(default_factory=dict)


def file_sha256(path: str | Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


DEFAULT_TIME_LIMIT_S = 300.0  # per file; a pathological document must not stall a batch


class TimeBudgetExceeded(TooLarge):
    """A document took longer than the per-document time budget."""


@contextmanager
def time_limit(seconds: float | None, source: str) -> Iterator[None]:
    """Interrupt the block after `seconds` (only in a process's main thread, where signals arrive:
    the ingest worker processes; elsewhere the block runs unbounded)."""
    usable = (
        seconds and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeBudgetExceeded(f"{source}: gave up after the per-document time budget of {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_file_safe(
    path: str | Path, nlp: Language | None = None, time_limit_s: float | None = DEFAULT_TIME_LIMIT_S
) -> FileOutcome:
    """Read and process one file; every failure becomes an IngestError with its stage."""
    source = str(path)
    sha = file_sha256(path)
    outcome = FileOutcome(source=source, sha256=sha)
    stage = "read"
    try:
        with time_limit(time_limit_s, source):
            started = time.perf_counter()
            report = read_path_report(path)
            outcome.stage_seconds["read"] = time.perf_counter() - started
            docs = report.documents
            for i, exc in enumerate(report.errors, start=1):  # records of a multi-record file left out
                outcome.errors.append(error_for(f"{source}#record-error-{i}", sha, "read", exc))
            stage = "extract"
            for doc in docs:
                try:
                    outcome.results.append(process_document(doc, nlp, timings=outcome.stage_seconds))
                except TimeBudgetExceeded:
                    raise
                except Exception as exc:  # noqa: BLE001 - one bad paper must not stop the others
                    label = source if len(docs) == 1 else f"{source}#{doc.paper_id.rpartition(':')[2]}"
                    outcome.errors.append(error_for(label, sha, "extract", exc))
    except EvidenceError as exc:
        outcome.errors.append(error_for(source, sha, exc.stage if stage == "read" else stage, exc))
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the run
        outcome.errors.append(error_for(source, sha, stage, exc))
    return outcome


def error_for(source: str, sha: str | None, stage: str, exc: BaseException) -> IngestError:
    message = str(exc) or type(exc).__name__
    return IngestError(
        source=source, sha256=sha, stage=stage, error_type=type(exc).__name__, message=message[:2000]
    )


def pipeline_fingerprint() -> str:
    """Hash of the code that turns a file into rows: a changed extractor re-processes unchanged files."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for package in ("schemas", "extractors", "audit", "flows"):
        for path in sorted((root / package).rglob("*")):
            if path.suffix in (".py", ".jsonl", ".json", ".txt") and path.is_file():
                h.update(path.relative_to(root).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]
