"""Duplicate papers: one study ingested from two sources (a PDF and its PubMed record) is linked as
one study, by DOI, PMID, or fuzzy title (rapidfuzz) + year + the first numbers it reports."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from report.db import open_warehouse
from warehouse import Warehouse
from warehouse.views import apply_views, query_dicts, replace_links

DEFAULT_TITLE_SCORE = 90.0  # token_set_ratio (0-100) between titles, or a title and a text's opening
DEFAULT_NUMBER_OVERLAP = 0.5  # share of the shorter list of first numbers found in the other
DEFAULT_FIRST_NUMBERS = 8
ABSTRACT_FORMATS = frozenset({"medline", "pubmed_xml", "pubmed_html", "ris"})
PAT_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
PAT_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class DuplicateSettings:
    title_score: float = DEFAULT_TITLE_SCORE
    number_overlap: float = DEFAULT_NUMBER_OVERLAP
    first_numbers: int = DEFAULT_FIRST_NUMBERS

    def __post_init__(self) -> None:
        if not 0 < self.title_score <= 100 or not 0 <= self.number_overlap <= 1 or self.first_numbers < 1:
            raise ValueError("title_score in (0, 100], number_overlap in [0, 1], first_numbers >= 1")

    @classmethod
    def resolve(cls, value: DuplicateSettings | Mapping[str, Any] | None) -> DuplicateSettings:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in dict(value).items() if k in known})


@dataclass(frozen=True)
class Link:
    paper_id: str
    study_id: str  # the paper that stands for the study: full text before abstract
    method: str  # doi, pmid, fuzzy
    score: float | None
    reason: str


def norm_doi(doi: str | None) -> str | None:
    return PAT_DOI_PREFIX.sub("", doi.strip()).lower() if doi and doi.strip() else None


def norm_text(text: str | None) -> str:
    return PAT_NON_WORD.sub(" ", (text or "").lower()).strip()


def number_overlap(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Share of the shorter list found in the other (as multisets); None when either is too short."""
    if len(a) < 2 or len(b) < 2:
        return None
    common = sum((Counter(a) & Counter(b)).values())
    return common / min(len(a), len(b))


def find_links(papers: Sequence[Mapping[str, Any]], settings: DuplicateSettings | None = None) -> list[Link]:
    """Links for every paper that reports the same study as another (the study's own paper excluded).

    Each paper is a mapping with paper_id, format, title, year, doi, pmid, opening (the start of its
    text) and numbers (cohort sizes, events, totals in text order).
    """
    cfg = DuplicateSettings.resolve(settings)
    n = len(papers)
    parent = list(range(n))
    why: dict[int, tuple[str, float | None, str]] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int, method: str, score: float | None, reason: str) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[rj] = ri
            why.setdefault(j, (method, score, reason))
            why.setdefault(i, (method, score, reason))

    for key, method in (("doi", "doi"), ("pmid", "pmid")):
        seen: dict[str, int] = {}
        for i, p in enumerate(papers):
            value = norm_doi(p.get("doi")) if key == "doi" else (str(p.get("pmid") or "").strip() or None)
            if value is None:
                continue
            if value in seen:
                union(seen[value], i, method, None, f"same {key.upper()} {value}")
            else:
                seen[value] = i
    # Titles, and the openings of the texts: a PDF's text may print no title (or the reader found
    # none) and begin with its abstract, which a PubMed record prints right after its title.
    names = [norm_text(p.get("title") or p.get("opening")) for p in papers]
    openings = [norm_text(p.get("opening")) for p in papers]
    if n > 1:
        scores = process.cdist(names, names, scorer=fuzz.token_set_ratio, score_cutoff=cfg.title_score)
        by_opening = process.cdist(
            openings, openings, scorer=fuzz.token_set_ratio, score_cutoff=cfg.title_score
        )
        numbers = [list(p.get("numbers") or [])[: cfg.first_numbers] for p in papers]
        for i in range(n):
            for j in range(i + 1, n):
                score = float(max(scores[i][j], by_opening[i][j]))
                if score < cfg.title_score or not names[i] or not names[j]:
                    continue
                yi, yj = papers[i].get("year"), papers[j].get("year")
                if yi and yj and yi != yj:
                    continue
                overlap = number_overlap(numbers[i], numbers[j])
                if overlap is not None and overlap < cfg.number_overlap:
                    continue
                if overlap is None and names[i] != names[j]:  # nothing else agrees: demand the same title
                    continue
                union(
                    i,
                    j,
                    "fuzzy",
                    score,
                    f"title {score:.0f}/100, year {yi or yj or '?'}, "
                    f"first numbers {'n/a' if overlap is None else f'{overlap:.0%}'} shared",
                )
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    links = []
    for members in groups.values():
        if len(members) < 2:
            continue
        head = min(
            members,
            key=lambda i: (
                papers[i].get("format") in ABSTRACT_FORMATS,
                -len(papers[i].get("numbers") or []),
                papers[i]["paper_id"],
            ),
        )
        for i in members:
            if i != head:
                method, score, reason = why.get(i) or why[head]
                links.append(Link(papers[i]["paper_id"], papers[head]["paper_id"], method, score, reason))
    return sorted(links, key=lambda link: (link.study_id, link.paper_id))


def refresh_links(wh: Warehouse, settings: DuplicateSettings | None = None) -> list[Link]:
    """Recompute the study links of every paper in the warehouse and store them (views applied first)."""
    apply_views(wh.con)
    links = find_links(query_dicts(wh.con, "duplicate_candidates"), settings)
    replace_links(wh.con, [link.__dict__ for link in links])
    return links


def list_duplicates(
    db: str | Path, settings: DuplicateSettings | None = None
) -> tuple[list[str], list[tuple]]:
    """Refresh the links and list them: (columns, rows) with the study's paper and each duplicate."""
    with open_warehouse(db) as wh:
        refresh_links(wh, settings)
        rows = query_dicts(wh.con, "links")
    columns = ["study_source", "duplicate_source", "format", "method", "score", "reason"]
    return columns, [
        (
            Path(r["study_source"]).name,
            Path(r["source"]).name,
            r["format"],
            r["method"],
            None if r["score"] is None else round(r["score"], 1),
            r["reason"],
        )
        for r in rows
    ]
