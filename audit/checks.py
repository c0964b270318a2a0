"""Run every paper-level check over one paper's context and entities.

Each check module is a pure function `Paper -> list[Finding]`; a check that fails on an unexpected
input must not take the others down, so each runs on its own and a crash becomes an unverifiable
finding naming the check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from audit.claims import AuditSettings, Paper, finding
from audit.paper_ci import check_cis
from audit.paper_comparisons import check_comparisons
from audit.paper_doses import check_doses
from audit.paper_granularity import check_granularity
from audit.paper_labels import check_label_swaps
from audit.paper_percent import check_percents
from audit.paper_pvalues import check_pvalues
from audit.paper_restated import check_restated
from audit.paper_sums import check_sums
from audit.paper_tables import check_tables
from schemas import EntityBase, Finding, PaperContext

__all__ = ["CHECKS", "run_checks"]

CHECKS: dict[str, Callable[[Paper], list[Finding]]] = {
    "percent_recompute": check_percents,
    "grim": check_granularity,
    "table_vs_table": check_tables,
    "p_values": check_pvalues,
    "label_swap": check_label_swaps,
    "sums": check_sums,
    "doses": check_doses,
    "ci_consistency": check_cis,
    "narrative_vs_narrative": check_restated,
    "p_from_summary_stats": check_comparisons,
}


def run_checks(
    ctx: PaperContext,
    entities: list[EntityBase],
    settings: AuditSettings | dict[str, Any] | None = None,
) -> list[Finding]:
    """Every paper-level check; findings in check order (see audit/paper_*.py for the rules)."""
    # A p reported only as "NS" carries no number to compare or recompute.
    usable = [e for e in entities if not (e.kind == "p_value" and getattr(e, "value", 0) is None)]
    paper = Paper(ctx, usable, AuditSettings.resolve(settings))
    out: list[Finding] = []
    for name, check in CHECKS.items():
        try:
            out.extend(check(paper))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            out.append(
                finding(name, "unverifiable", f"{name} could not run: {type(exc).__name__}: {exc}", [])
            )
    return out
