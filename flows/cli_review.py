"""Review-side commands (pool, report, export, watch, duplicates), registered on the main app."""

from __future__ import annotations

from flows.cli import app  # noqa: F401
