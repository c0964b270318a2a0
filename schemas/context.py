"""What the entity components know about a paper besides its tokens."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from schemas.records import Section, Table


@dataclass
class PaperContext:
    """Carried on `doc.user_data["evidence"]` so every component reads the same facts."""

    text: str  # as read; entity spans quote this
    repaired: str  # glyphs repaired, same length as `text`
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)  # short form -> long form
    uncertain_offsets: frozenset[int] = frozenset()  # flagged `�` glyphs nobody could decide

    def section_at(self, offset: int) -> str | None:
        """Name of the innermost section containing `offset` (tables before their enclosing section)."""
        best: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.end - s.start < best.end - best.start):
                best = s
        if best is None:
            return None
        if best.name == "table" and best.heading:
            return best.heading.lower()
        return best.name

    def is_uncertain(self, start: int, end: int) -> bool:
        return any(start <= o < end for o in self.uncertain_offsets)


def line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, c in enumerate(text) if c == "\n"]
    return starts


def line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1
