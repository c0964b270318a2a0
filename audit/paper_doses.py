"""mtd_consistency and unit_consistency: a claimed maximum tolerated dose against the doses tested.

Rules:
- **mtd_consistency**: an MTD must lie within the range of dose levels the paper says it tested for
  the same agent (a Dose entity with a low and a high value), compared on the normalised scale where
  both are normalised to the same unit. Above the top level (or below the lowest) is inconsistent.
- **unit_consistency**: the MTD and the tested levels of one agent must share a normalised unit
  (IU/m²/day against IU/kg is a different dosing basis and cannot be compared): flagged, never
  converted. Nothing is "fixed" silently.
(A dose-escalation table with patients and DLTs per level, from which a 3+3 design implies the MTD,
is not read yet: the tables extractor does not mark such tables.)
"""

from __future__ import annotations

from audit.claims import Paper, finding, span_of
from schemas import Finding

__all__ = ["check_doses"]


def _norm(e: object) -> tuple[float | None, float | None, str | None]:
    n = getattr(e, "normalized", None)
    if n is None:
        return None, None, None
    return n.value, n.value_high, n.unit


def _same_agent(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.replace(" ", "").lower() == b.replace(" ", "").lower())


def check_doses(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    doses = [d for d in paper.of_kind("dose") if not d.cited and getattr(d, "value_high", None) is not None]
    for mtd in paper.of_kind("mtd"):
        if mtd.cited:
            continue
        mv, _, mu = _norm(mtd)
        ranges = [d for d in doses if _same_agent(getattr(d, "agent", None), getattr(mtd, "agent", None))]
        if not ranges:
            msg = f"'{paper.text[mtd.start : mtd.end]}': no tested dose range of the same agent to compare with."
            out.append(finding("mtd_consistency", "unverifiable", msg, [span_of(mtd)]))
            continue
        for d in ranges:
            lo, hi, du = _norm(d)
            said, levels = paper.text[mtd.start : mtd.end], paper.text[d.start : d.end]
            ev = [span_of(mtd), span_of(d)]
            if mv is None or lo is None or hi is None or mu is None or du is None:
                out.append(
                    finding("mtd_consistency", "unverifiable", f"'{said}' vs '{levels}': not normalised.", ev)
                )
                continue
            if mu != du:
                msg = f"'{said}' is in {mu} but the tested levels '{levels}' are in {du}; the two cannot be compared."
                out.append(finding("unit_consistency", "inconsistent", msg, ev, "minor", du, mu, True))
                continue
            if lo - 1e-9 <= mv <= hi + 1e-9:
                msg = f"'{said}' lies within the tested levels '{levels}'."
                out.append(finding("mtd_consistency", "consistent", msg, ev))
            else:
                side = "above the highest" if mv > hi else "below the lowest"
                msg = (
                    f"'{said}' lies {side} tested level ('{levels}'): an MTD must be one of the doses tested."
                )
                out.append(
                    finding("mtd_consistency", "inconsistent", msg, ev, "major", [lo, hi], mv, mtd.uncertain)
                )
    return out
