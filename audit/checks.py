"""Run every paper-level check (first pass: none yet)."""

from __future__ import annotations

from schemas.context import PaperContext
from schemas import EntityBase, Finding


def run_checks(ctx: PaperContext, entities: list[EntityBase]) -> list[Finding]:
    return []
