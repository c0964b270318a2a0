"""Turn PaperResult records into rows per warehouse table (pure; no database)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from schemas import IngestError, PaperResult

Row = dict[str, Any]

# Tables a load writes, in dependency order; the only identifiers ever formatted into SQL.
PAPER_TABLES = (
    "papers",
    "document_chunks",
    "sections",
    "tables",
    "table_cells",
    "entities",
    "findings",
    "repairs",
)

# Texts are stored in pieces of this many characters (see schema.sql: a checkpoint rewrites the last
# 2,048 rows of a table, so whole texts per row made its memory grow with the corpus).
DOCUMENT_CHUNK_CHARS = 4000

# Entity fields that have their own column (the rest stays in `record`).
ENTITY_COLUMNS: dict[str, str] = {
    "label": "label",
    "n": "n",
    "n_high": "n_high",
    "agent": "agent",
    "value": "value",
    "value_high": "value_high",
    "unit": "unit",
    "route": "route",
    "schedule": "schedule",
    "diagnostic": "diagnostic",
    "outcome": "outcome",
    "numerator": "numerator",
    "denominator": "denominator",
    "percent": "percent",
    "event": "event",
    "grade": "grade",
    "count": "count",
    "group": "group",
    "operator": "operator",
    "comparison": "comparison",
    "test": "test",
    "variable": "variable",
    "mean": "mean",
    "sd": "sd",
}


def paper_row(result: PaperResult, sha256: str, pipeline: str, run_id: str | None) -> Row:
    m = result.meta
    return {
        "paper_id": result.paper_id,
        "sha256": sha256,
        "source": result.source,
        "format": result.format,
        "title": m.title,
        "journal": m.journal,
        "year": m.year,
        "volume": m.volume,
        "pages": m.pages,
        "pmid": m.pmid,
        "doi": m.doi,
        "n_chars": len(result.text),
        "pipeline": pipeline,
        "run_id": run_id,
    }


def entity_row(paper_id: str, idx: int, entity: Any) -> Row:
    data = entity.model_dump()
    row: Row = {
        "paper_id": paper_id,
        "entity_idx": idx,
        "kind": data["kind"],
        "section": data.get("section"),
        "start": data["start"],
        "end": data["end"],
        "span": data["text"],
        "table_label": data.get("table"),
        "cell_row": (data.get("cell") or (None, None))[0],
        "cell_col": (data.get("cell") or (None, None))[1],
        "cited": bool(data.get("cited")),
        "uncertain": bool(data.get("uncertain")),
        "record": json.dumps(data, ensure_ascii=False),
    }
    for field, column in ENTITY_COLUMNS.items():
        row[column] = data.get(field)
    if data["kind"] == "cohort":  # `n` and `value` mean the same for a cohort: keep n only
        row["value"] = None
    norm = data.get("normalized") or {}
    row["norm_value"], row["norm_value_high"], row["norm_unit"] = (
        norm.get("value"),
        norm.get("value_high"),
        norm.get("unit"),
    )
    ci = data.get("ci") or [None, None]
    row["ci_low"], row["ci_high"] = ci[0], ci[1]
    if row["count"] is not None:
        row["count"] = int(row["count"])
    return row


def rows_for(
    results: Iterable[tuple[PaperResult, str]], pipeline: str, run_id: str | None
) -> dict[str, list[Row]]:
    """Rows per table for (result, file sha256) pairs."""
    out: dict[str, list[Row]] = {t: [] for t in PAPER_TABLES}
    for result, sha in results:
        pid = result.paper_id
        out["papers"].append(paper_row(result, sha, pipeline, run_id))
        out["document_chunks"].extend(
            {"paper_id": pid, "chunk": i, "text": piece} for i, piece in enumerate(text_chunks(result.text))
        )
        for i, s in enumerate(result.sections):
            out["sections"].append(
                {
                    "paper_id": pid,
                    "idx": i,
                    "name": s.name,
                    "heading": s.heading,
                    "part": s.part,
                    "start": s.start,
                    "end": s.end,
                }
            )
        for i, t in enumerate(result.tables):
            out["tables"].append(
                {
                    "paper_id": pid,
                    "table_idx": i,
                    "label": t.label,
                    "caption": t.caption,
                    "footnotes": list(t.footnotes),
                    "n_header_rows": len(t.header),
                    "n_rows": len(t.rows),
                    "start": t.start,
                    "end": t.end,
                    "page": t.page,
                }
            )
            for c in t.cells:
                out["table_cells"].append(
                    {
                        "paper_id": pid,
                        "table_idx": i,
                        "row": c.row,
                        "col": c.col,
                        "header": c.header,
                        "text": c.text,
                        "start": c.start,
                        "end": c.end,
                    }
                )
        for i, e in enumerate(result.entities):
            out["entities"].append(entity_row(pid, i, e))
        for i, f in enumerate(result.findings):
            out["findings"].append(
                {
                    "paper_id": pid,
                    "finding_idx": i,
                    "check": f.check,
                    "status": f.status,
                    "severity": f.severity,
                    "message": f.message,
                    "expected": json.dumps(f.expected, ensure_ascii=False, default=str),
                    "reported": json.dumps(f.reported, ensure_ascii=False, default=str),
                    "evidence": json.dumps([e.model_dump() for e in f.evidence]),
                    "uncertain": f.uncertain,
                }
            )
        for r in result.repairs:
            out["repairs"].append(
                {
                    "paper_id": pid,
                    "offset": r.offset,
                    "before": r.before,
                    "after": r.after,
                    "rule": r.rule,
                    "confidence": r.confidence,
                    "uncertain": r.uncertain,
                }
            )
    return out


def error_rows(errors: Iterable[IngestError], run_id: str | None) -> list[Row]:
    return [{**e.model_dump(), "run_id": run_id} for e in errors]


def text_chunks(text: str, size: int = DOCUMENT_CHUNK_CHARS) -> list[str]:
    """`text` cut into consecutive pieces of `size` characters; one empty piece for an empty text."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
