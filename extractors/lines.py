"""A text as numbered lines with their character offsets: what the section and table readers walk."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Line:
    index: int
    start: int  # offset of the line's first character in the text
    end: int  # offset of its newline (exclusive end)
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def indented(self) -> bool:
        return self.text[:1] in (" ", "\t")

    @property
    def content_start(self) -> int:
        return self.start + len(self.text) - len(self.text.lstrip())


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines
