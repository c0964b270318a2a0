"""Typed records that flow through the pipeline, one direction:

Document (as read) -> RepairRecord[] -> Section[] / Table[] -> Entity[] -> Finding[] -> PaperResult.

Offsets (`start`, `end`) always index `Document.text`, the text exactly as read. Glyph repair is
one character in, one character out, so the repaired text shares these offsets.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

SourceFormat = Literal["text", "pdf", "jats", "pubmed_xml", "medline", "ris", "pubmed_html"]
Operator = Literal["<", "<=", "=", ">=", ">"]
Status = Literal["consistent", "inconsistent", "unverifiable"]
Severity = Literal["major", "minor", "info"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Meta(Record):
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    authors: list[str] = Field(default_factory=list)


class Page(Record):
    """A PDF page's slice of the document text."""

    number: int
    start: int
    end: int


class FontRun(Record):
    """Characters [start, end) of the text were drawn in `font` (PDF readers only)."""

    start: int
    end: int
    font: str


class Section(Record):
    """A slice of the text with a canonical name.

    name: title, abstract, keywords, introduction, methods, results, discussion, conclusion,
    table, figure, references, boilerplate, citation, body.
    """

    name: str
    heading: str | None = None
    start: int
    end: int
    part: str | None = None  # a structured abstract's label ("Methods") or a subheading


class TableCell(Record):
    row: int  # index into Table.header + Table.rows, header rows first
    col: int
    text: str  # glyphs repaired, white space collapsed
    start: int | None = None
    end: int | None = None
    header: bool = False


class Table(Record):
    label: str
    caption: str | None = None
    header: list[list[str]] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)
    footnotes: list[str] = Field(default_factory=list)
    start: int | None = None
    end: int | None = None
    cells: list[TableCell] = Field(default_factory=list)
    page: int | None = None


class Document(Record):
    """One paper as a reader returns it, before any interpretation."""

    paper_id: str  # sha256 of the file's bytes; "<sha256>:<k>" for record k of a multi-record file
    source: str
    format: SourceFormat
    text: str
    meta: Meta = Field(default_factory=Meta)
    sections: list[Section] = Field(default_factory=list)  # where the reader knows them (XML)
    tables: list[Table] = Field(default_factory=list)  # where the reader found them (XML, PDF)
    pages: list[Page] = Field(default_factory=list)
    font_runs: list[FontRun] = Field(default_factory=list)
    offset_map: list[int] | None = None  # PDF: text offset -> offset in the raw extracted text


class RepairRecord(Record):
    offset: int
    before: str
    after: str
    rule: str
    confidence: float = 1.0
    uncertain: bool = False  # flagged, not repaired: context could not decide


class RepairedText(Record):
    text: str  # same length as Document.text
    repairs: list[RepairRecord] = Field(default_factory=list)


class Normalized(Record):
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None


class EntityBase(Record):
    model_config = ConfigDict(extra="allow")

    start: int
    end: int
    text: str
    section: str | None = None
    cited: bool = False  # the number reports another study: never pool it
    uncertain: bool = False  # rests on an uncertain glyph repair
    table: str | None = None  # "Table 2" when read from a table cell
    cell: tuple[int, int] | None = None  # (row, col) within that table


class Cohort(EntityBase):
    kind: Literal["cohort"] = "cohort"
    label: str | None = None
    n: int
    n_high: int | None = None


class Dose(EntityBase):
    kind: Literal["dose"] = "dose"
    agent: str | None = None
    value: float
    value_high: float | None = None
    unit: str
    normalized: Normalized | None = None
    route: str | None = None
    schedule: str | None = None
    diagnostic: bool = False


class ResponseRate(EntityBase):
    kind: Literal["response_rate"] = "response_rate"
    outcome: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    percent: float | None = None


class Toxicity(EntityBase):
    kind: Literal["toxicity"] = "toxicity"
    event: str | None = None
    grade: str | None = None
    count: int | None = None
    percent: float | None = None
    group: str | None = None


class Mtd(EntityBase):
    kind: Literal["mtd"] = "mtd"
    agent: str | None = None
    value: float
    unit: str
    normalized: Normalized | None = None
    dose_limiting: list[str] = Field(default_factory=list)


class PValue(EntityBase):
    kind: Literal["p_value"] = "p_value"
    operator: Operator | None = None  # None (with value None) when the paper only says "NS"
    value: float | None = None
    ns: bool = False  # reported as "not significant" / "NS" without a number
    comparison: str | None = None
    decimals: int | None = None


class Statistic(EntityBase):
    kind: Literal["statistic"] = "statistic"
    test: str
    value: float
    df: list[float] | None = None
    ci: list[float] | None = None
    decimals: int | None = None


class SummaryStat(EntityBase):
    kind: Literal["summary_stat"] = "summary_stat"
    variable: str | None = None
    group: str | None = None
    mean: float
    sd: float | None = None
    n: int | None = None
    mean_decimals: int | None = None
    sd_decimals: int | None = None
    se: float | None = None  # when the paper declares mean ± SE(M), the dispersion goes here, not to sd
    se_decimals: int | None = None
    dispersion: Literal["SD", "SE"] | None = None


Entity = Annotated[
    Cohort | Dose | ResponseRate | Toxicity | Mtd | PValue | Statistic | SummaryStat,
    Field(discriminator="kind"),
]
ENTITY_KINDS = ("cohort", "dose", "response_rate", "toxicity", "mtd", "p_value", "statistic", "summary_stat")


class ReportedStat(Record):
    """A test result as printed (statcheck's unit): parsed, never recomputed."""

    test: str  # t, F, chi2, r, z, Q
    df: list[float] = Field(default_factory=list)
    value: float
    value_decimals: int
    comparison: Operator = "="
    p_operator: Operator | None = None
    p_value: float | None = None
    p_decimals: int | None = None
    one_tailed: bool = False
    raw: str
    start: int = 0
    end: int = 0


class EvidenceSpan(Record):
    start: int
    end: int


class Finding(Record):
    check: str
    status: Status
    severity: Severity = "minor"
    message: str
    expected: Any = None
    reported: Any = None
    evidence: list[EvidenceSpan] = Field(default_factory=list)
    uncertain: bool = False


class PaperResult(Record):
    """One paper in the contract JSON (see shared/eval/CONTRACT.md), plus our extras."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str
    source: str
    format: SourceFormat
    text: str
    meta: Meta
    sections: list[Section] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    repairs: list[RepairRecord] = Field(default_factory=list)


class ExtractOutput(Record):
    schema_version: Literal[1] = SCHEMA_VERSION
    papers: list[PaperResult]


class IngestError(Record):
    source: str
    sha256: str | None = None
    stage: str  # read, extract, audit, load
    error_type: str
    message: str
