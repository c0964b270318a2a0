"""Forest plots with matplotlib: one row per study (n/N, estimate and CI, weight, audit flags), the
pooled diamond with its prediction interval, and a heterogeneity line."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless: the CLI and CI have no display
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402

from pooling import Pooled  # noqa: E402

FLAG_COLOR = "#b00020"
STUDY_COLOR = "#1f3b73"
POOLED_COLOR = "#2a7f62"
ROW_HEIGHT = 0.32  # inches per row
# matplotlib writes a creation date and random ids into SVG; fixed values keep reruns identical
matplotlib.rcParams["svg.hashsalt"] = "evidence"
# text stays text in SVG: smaller inline pages, selectable and searchable numbers
matplotlib.rcParams["svg.fonttype"] = "none"


def fmt_p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def heterogeneity_line(pooled: Pooled) -> str:
    if pooled.k < 2:
        return "Heterogeneity: not estimable (one study)"
    return (
        f"Heterogeneity: τ² = {pooled.tau2:.3g}; I² = {pooled.i2:.0f}%; H² = {pooled.h2:.2f}; "
        f"Q = {pooled.q:.2f} (df = {pooled.q_df}, p {fmt_p(pooled.q_p)})"
    )


def forest_figure(pooled: Pooled, flags: Sequence[Sequence[str]] | None = None, title: str = "") -> Figure:
    """The forest plot of one fitted model; `flags[i]` lists the failed audit checks of study i."""
    flags = flags or [[] for _ in pooled.studies]
    k = len(pooled.studies)
    height = 1.9 + ROW_HEIGHT * (k + 3)
    fig = plt.figure(figsize=(10, height))
    bottom, top = 0.95 / height, 0.45 / height  # room for the notes below and the title above
    ax = fig.add_axes((0.32, bottom, 0.40, 1 - bottom - top))
    ys = list(range(k + 1, 1, -1))  # studies from the top, pooled row at y = 0
    max_w = max((s.weight for s in pooled.studies), default=1.0) or 1.0
    for y, s, f in zip(ys, pooled.studies, flags, strict=True):
        color = FLAG_COLOR if f else STUDY_COLOR
        ax.plot([s.ci_lb, s.ci_ub], [y, y], color=color, lw=1.2)
        ax.plot([s.proportion], [y], marker="s", color=color, markersize=4 + 8 * (s.weight / max_w) ** 0.5)
    d = pooled
    ax.add_patch(
        Polygon(
            [(d.ci_lb, 0), (d.estimate, 0.3), (d.ci_ub, 0), (d.estimate, -0.3)],
            closed=True,
            color=POOLED_COLOR,
            gid="pooled-diamond",
        )
    )
    if d.method != "EE" and d.k > 1:
        ax.plot([d.pi_lb, d.pi_ub], [-0.7, -0.7], color=POOLED_COLOR, lw=1, ls="--")
    ax.axvline(d.estimate, color=POOLED_COLOR, lw=0.6, ls=":")
    ax.set_ylim(-1.2, k + 2)
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel(f"proportion ({int(d.level * 100)}% CI)")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    # text columns beside the axis, in axis-y / figure-x coordinates
    trans = ax.get_yaxis_transform()

    def col(x: float, y: float, text: str, **kw: Any) -> None:
        ax.text(x, y, text, transform=trans, va="center", fontsize=8.5, clip_on=False, **kw)

    col(-0.78, k + 1.8, "Study", weight="bold")
    col(-0.08, k + 1.8, "n/N", weight="bold", ha="right")
    col(1.04, k + 1.8, "Proportion [CI]", weight="bold")
    col(1.52, k + 1.8, "Weight", weight="bold", ha="right")
    for y, s, f in zip(ys, pooled.studies, flags, strict=True):
        label = (s.label[:38] + "…") if len(s.label) > 39 else s.label
        col(-0.78, y, label + (" †" if s.corrected else ""))
        col(-0.08, y, f"{s.events}/{s.total}", ha="right")
        col(1.04, y, f"{s.proportion:.2f} [{s.ci_lb:.2f}, {s.ci_ub:.2f}]")
        col(1.52, y, f"{s.weight:.1f}%", ha="right")
        if f:
            col(1.56, y, "⚑ " + ", ".join(f), color=FLAG_COLOR)
    model = {
        "EE": "Common effect (EE)",
        "DL": "Random effects (DL)",
        "REML": "Random effects (REML)",
        "PM": "Random effects (PM)",
    }[d.method]
    col(-0.78, 0, f"{model}, {d.transform}", weight="bold")
    col(
        -0.08,
        0,
        f"{sum(s.events for s in d.studies)}/{sum(s.total for s in d.studies)}",
        ha="right",
        weight="bold",
    )
    col(1.04, 0, f"{d.estimate:.2f} [{d.ci_lb:.2f}, {d.ci_ub:.2f}]", weight="bold")
    col(1.52, 0, "100%", ha="right", weight="bold")
    if d.method != "EE" and d.k > 1:
        col(-0.78, -0.7, "Prediction interval", style="italic")
        col(1.04, -0.7, f"[{d.pi_lb:.2f}, {d.pi_ub:.2f}]", style="italic")
    notes = [heterogeneity_line(d)]
    if any(s.corrected for s in d.studies):
        notes.append("† 0.5 added to events and non-events (zero or all events)")
    if any(flags):
        notes.append("⚑ numbers failed an audit check (see the report)")
    notes.extend(d.warnings)
    fig.text(0.02, 0.02, "\n".join(notes), fontsize=7.5, va="bottom", wrap=True)
    if title:
        fig.suptitle(title, fontsize=11, x=0.02, ha="left")
    return fig


def save_forest(fig: Figure, stem: Path) -> list[Path]:
    """Write `<stem>.png` and `<stem>.svg`; returns both paths."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    fig.savefig(paths[0], dpi=150, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    return paths


def svg_text(fig: Figure) -> str:
    """The figure as an inline <svg> element (no XML prolog), for a self-contained HTML page."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]


def close(fig: Figure) -> None:
    plt.close(fig)
