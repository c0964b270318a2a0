"""Glyph repair (first pass: identity). One character in, one character out."""

from __future__ import annotations

from schemas import FontRun, RepairedText


def repair_glyphs(text: str, font_runs: list[FontRun] | None = None) -> RepairedText:
    return RepairedText(text=text, repairs=[])
