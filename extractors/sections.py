"""Sections and citation metadata (first pass)."""

from __future__ import annotations

import re

from schemas import Meta, Section

PAT_CITATION = re.compile(r"(?P<journal>[A-Z][A-Za-z .]+?)\.? (?P<year>(?:19|20)\d\d)\b[;\s]")


def find_sections(text: str, known: list[Section] | None = None) -> list[Section]:
    return list(known or [])


def read_citation(text: str) -> Meta:
    m = PAT_CITATION.search(text)
    if not m:
        return Meta()
    return Meta(journal=m["journal"].strip(), year=int(m["year"]))
