"""`evidence pool`: studies from the warehouse's `pool_input`, pooled by pooling/, stored in
pooled_results, drawn as forest plots."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pooling import Pooled, PoolSettings, pool
from report.db import open_warehouse
from report.duplicates import refresh_links
from report.forest import close, forest_figure, save_forest
from report.settings import PoolRequest
from schemas import EvidenceError
from warehouse import Warehouse, views

PAT_SLUG = re.compile(r"[^A-Za-z0-9]+")


class NothingToPool(EvidenceError):
    """No study reports the requested outcome with both events and a total."""

    stage = "pool"


@dataclass
class GroupResult:
    """One pooled group: the fitted model, the warehouse rows behind each study, the plot files."""

    grp: str
    pooled: Pooled
    rows: list[dict[str, Any]]
    plots: list[Path] = field(default_factory=list)

    @property
    def flags(self) -> list[list[str]]:
        return [list(r.get("flags") or []) for r in self.rows]


@dataclass
class PoolRun:
    request: PoolRequest
    groups: list[GroupResult]

    def table(self) -> tuple[list[str], list[tuple]]:
        """The pooled estimate table the CLI prints."""
        pct = int(self.request.level * 100)
        cols = [
            "group",
            "k",
            "events/N",
            "model",
            f"proportion [{pct}% CI]",
            f"{pct}% PI",
            "tau2",
            "I2",
            "Q (p)",
            "flagged",
        ]
        rows = []
        for g in self.groups:
            p = g.pooled
            rows.append(
                (
                    g.grp,
                    p.k,
                    f"{sum(s.events for s in p.studies)}/{sum(s.total for s in p.studies)}",
                    f"{p.method} {p.transform}",
                    f"{p.estimate:.3f} [{p.ci_lb:.3f}, {p.ci_ub:.3f}]",
                    f"[{p.pi_lb:.3f}, {p.pi_ub:.3f}]",
                    f"{p.tau2:.4g}",
                    f"{p.i2:.1f}%",
                    f"{p.q:.2f} ({p.q_p:.3g})",
                    sum(1 for f in g.flags if f),
                )
            )
        return cols, rows

    def summary_lines(self) -> list[str]:
        """One sentence per group: what `make run` ends by printing."""
        req, pct = self.request, int(self.request.level * 100)
        lines = []
        for g in self.groups:
            p = g.pooled
            where = "" if req.by == "none" else f" ({req.by.replace('_', ' ')} {g.grp})"
            lines.append(
                f"Pooled {req.outcome.replace('_', ' ')}{where}: {p.estimate:.1%} "
                f"[{pct}% CI {p.ci_lb:.1%} to {p.ci_ub:.1%}], k = {p.k} studies, "
                f"{sum(s.events for s in p.studies)}/{sum(s.total for s in p.studies)} events; "
                f"{p.method} {p.transform}, tau² = {p.tau2:.3g}, I² = {p.i2:.0f}%"
            )
        return lines

    @property
    def plots(self) -> list[Path]:
        return [path for g in self.groups for path in g.plots]

    @property
    def warnings(self) -> list[str]:
        return sorted({w for g in self.groups for w in g.pooled.warnings})


def slug(text: str) -> str:
    return PAT_SLUG.sub("_", text).strip("_").lower() or "all"


def study_label(row: Mapping[str, Any]) -> str:
    arm = row.get("arm")
    return row["label"] + (f" – {arm}" if arm and arm != "all" else "")


def fit_groups(rows: Sequence[Mapping[str, Any]], request: PoolRequest) -> list[GroupResult]:
    """Pool each group of `pool_input` rows (pure: no database, no files)."""
    settings = PoolSettings(
        transform=request.transform, method=request.method, level=request.level, cc=request.cc
    )
    by_group: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_group.setdefault(row["grp"], []).append(dict(row))
    groups = []
    for grp, members in sorted(by_group.items()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # kept in Pooled.warnings and printed by the caller
            fitted = pool(
                [r["events"] for r in members],
                [r["total"] for r in members],
                settings,
                labels=[study_label(r) for r in members],
            )
        groups.append(GroupResult(grp=grp, pooled=fitted, rows=members))
    return groups


def stored_row(group: GroupResult, request: PoolRequest) -> dict[str, Any]:
    """A pooled_results row (studies as JSON with each number's provenance)."""
    p = group.pooled
    studies = [
        {
            "study_id": r["study_id"],
            "paper_id": r["paper_id"],
            "label": s.label,
            "arm": r["arm"],
            "outcome": r["outcome"],
            "events": s.events,
            "total": s.total,
            "proportion": s.proportion,
            "ci_lb": s.ci_lb,
            "ci_ub": s.ci_ub,
            "weight": s.weight,
            "corrected": s.corrected,
            "flags": list(r.get("flags") or []),
            "span": r["span"],
            "start": r["start"],
            "end": r["end"],
            "section": r["section"],
            "table": r["table_label"],
        }
        for s, r in zip(p.studies, group.rows, strict=True)
    ]
    return {
        "outcome": request.outcome,
        "agent": request.agent,
        "by_col": request.by,
        "grp": group.grp,
        "transform": p.transform,
        "method": p.method,
        "level": p.level,
        "k": p.k,
        "events": sum(s.events for s in p.studies),
        "total": sum(s.total for s in p.studies),
        "estimate": p.estimate,
        "ci_lb": p.ci_lb,
        "ci_ub": p.ci_ub,
        "pi_lb": p.pi_lb,
        "pi_ub": p.pi_ub,
        "estimate_t": p.estimate_t,
        "se": p.se,
        "tau2": p.tau2,
        "i2": p.i2,
        "h2": p.h2,
        "q": p.q,
        "q_df": p.q_df,
        "q_p": p.q_p,
        "studies": json.dumps(studies, default=str),
        "warnings": p.warnings,
    }


def plot_title(request: PoolRequest, grp: str) -> str:
    parts = [request.outcome.replace("_", " ")]
    if request.agent:
        parts.append(f"agent {request.agent}")
    if request.by != "none":
        parts.append(f"{request.by.replace('_', ' ')}: {grp}")
    return " · ".join(parts)


def plot_stem(request: PoolRequest, grp: str) -> Path:
    name = f"forest_{slug(request.outcome)}"
    if request.agent:
        name += f"_{slug(request.agent)}"
    if request.by != "none":
        name += f"_{slug(grp)}"
    return request.out_dir / name


def collect(wh: Warehouse, request: PoolRequest) -> list[GroupResult]:
    """Apply the views, refresh duplicate links, pool every group and store the results."""
    views.apply_views(wh.con)
    refresh_links(wh)
    rows = views.pool_input(wh.con, request.outcome, request.agent, request.by)
    if not rows:
        raise NothingToPool(
            f"no study reports {request.outcome!r} with events and a total"
            + (f" for agent {request.agent!r}" if request.agent else "")
        )
    groups = fit_groups(rows, request)
    views.store_pooled(wh.con, [stored_row(g, request) for g in groups])
    return groups


def pool_outcomes(
    db: str | Path, request: PoolRequest | Mapping[str, Any] | None = None, plots: bool = True
) -> PoolRun:
    """Pool an outcome across the warehouse's studies; store the results and write the forest plots."""
    req = PoolRequest.resolve(request)
    with open_warehouse(db) as wh:
        groups = collect(wh, req)
    if plots:
        for g in groups:
            fig = forest_figure(g.pooled, g.flags, plot_title(req, g.grp))
            g.plots = save_forest(fig, plot_stem(req, g.grp))
            close(fig)
    return PoolRun(request=req, groups=groups)
