"""Typed errors: extractors raise them, flows record them as ingest_errors rows, the CLI prints them."""


class EvidenceError(Exception):
    """Base of every error the pipeline reports to the user."""

    stage = "extract"


class UnreadablePaper(EvidenceError):
    """The file cannot be read as a paper (empty, binary, undecodable, truncated)."""

    stage = "read"


class EmptyFile(UnreadablePaper):
    pass


class UnsupportedFormat(UnreadablePaper):
    pass


class EncryptedPDF(UnreadablePaper):
    pass


class ImageOnlyPDF(UnreadablePaper):
    pass


class TooLarge(UnreadablePaper):
    """The file exceeds a configured per-document limit (bytes, pages, page size, time)."""


class MalformedXML(UnreadablePaper):
    pass


class UnsafeXML(MalformedXML):
    """External entities, DTD tricks or entity-expansion bombs."""


class WarehouseBusy(EvidenceError):
    """Another process holds the DuckDB write lock."""

    stage = "load"


class QueryError(EvidenceError):
    """A user's SQL failed (syntax, unknown table, or an attempted write on the read-only connection)."""

    stage = "query"
