"""Tables rebuilt from flattened text (first pass: none)."""

from __future__ import annotations

from schemas import Section, Table


def find_tables(text: str, sections: list[Section] | None = None) -> list[Table]:
    return []
