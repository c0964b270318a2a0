"""Typed records of the pipeline and of the extraction contract (schema version 1)."""

from schemas.errors import (
    EmptyFile,
    EncryptedPDF,
    EvidenceError,
    ImageOnlyPDF,
    MalformedXML,
    TooLarge,
    UnreadablePaper,
    UnsafeXML,
    UnsupportedFormat,
    WarehouseBusy,
)
from schemas.context import PaperContext, line_of, line_starts
from schemas.records import (
    ENTITY_KINDS,
    SCHEMA_VERSION,
    Cohort,
    Document,
    Dose,
    Entity,
    EntityBase,
    EvidenceSpan,
    ExtractOutput,
    Finding,
    FontRun,
    IngestError,
    Meta,
    Mtd,
    Normalized,
    Page,
    PaperResult,
    PValue,
    RepairedText,
    RepairRecord,
    ReportedStat,
    ResponseRate,
    Section,
    Statistic,
    SummaryStat,
    Table,
    TableCell,
    Toxicity,
)

__all__ = [
    "PaperContext", "line_of", "line_starts", "ENTITY_KINDS", "SCHEMA_VERSION", "Cohort", "Document", "Dose", "Entity", "EntityBase",
    "EvidenceSpan", "ExtractOutput", "Finding", "FontRun", "IngestError", "Meta", "Mtd",
    "Normalized", "Page", "PaperResult", "PValue", "RepairedText", "RepairRecord", "ReportedStat",
    "ResponseRate", "Section", "Statistic", "SummaryStat", "Table", "TableCell", "Toxicity",
    "EmptyFile", "EncryptedPDF", "EvidenceError", "ImageOnlyPDF", "MalformedXML", "TooLarge",
    "UnreadablePaper", "UnsafeXML", "UnsupportedFormat", "WarehouseBusy",
]
