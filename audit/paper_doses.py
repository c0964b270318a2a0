"""mtd_consistency and unit_consistency: a claimed maximum tolerated dose against the doses tested.

Rules:
- **mtd_consistency**: an MTD must lie within the range of dose levels the paper says it tested for
  the same agent (a Dose entity with a low and a high value), compared on the normalised scale where
  both are normalised to the same unit. Above the top level (or below the lowest) is inconsistent.
- **unit_consistency**: the MTD and the tested levels of one agent must share a normalised unit
  (IU/m²/day against IU/kg is a different dosing basis and cannot be compared): flagged, never
  converted. Nothing is "fixed" silently. Across all doses of one agent (this paper's own, therapeutic
  and diagnostic apart): doses in incompatible quantities (a mass and a radioactivity, a mass and
  international units) are flagged, and so is a dose about a thousand times (≥ 500×) the others of
  the same agent, quantity and basis — the signature of mg printed where µg is meant. Both rest on
  an interpretation (a paper may legitimately give a loading dose in mg and IU), so they are marked
  uncertain and minor.
- **3+3 design**: where the text states a 3+3 design and a table gives, per dose level, the patients
  treated and those with a dose-limiting toxicity, the MTD is the highest level with at most 1 DLT
  in 6 (or none in 3) below the first level with 2 or more DLTs; the claimed MTD must equal it.
"""

from __future__ import annotations

import re

from audit.claims import Grid, Paper, finding, parse_number, span_of
from schemas import EntityBase, Finding

__all__ = ["check_doses"]


def _norm(e: object) -> tuple[float | None, float | None, str | None]:
    n = getattr(e, "normalized", None)
    if n is None:
        return None, None, None
    return n.value, n.value_high, n.unit


def _same_agent(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.replace(" ", "").lower() == b.replace(" ", "").lower())


RE_DLT = re.compile(r"\bdlts?\b|dose[- ]limiting", re.I)
RE_PATIENTS = re.compile(r"\b(patients|pts|no\.?|number|n)\b", re.I)
RE_DOSE = re.compile(r"\bdose\b|\blevel\b", re.I)
RE_THREE_PLUS_THREE = re.compile(
    r"\b3\s*\+\s*3\b|three[- ]plus[- ]three|cohorts? of (3|three) patients", re.I
)
RE_FIRST_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
RE_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def _escalation(g: Grid) -> list[tuple[float, int, int, int]] | None:
    """(dose, patients, DLTs, body row) per level of a dose-escalation table, or None."""
    labels = {j: g.col_labels.get(j, "") for j in range(g.n_cols())}
    dlt = [j for j, lab in labels.items() if RE_DLT.search(lab)]
    pts = [j for j, lab in labels.items() if RE_PATIENTS.search(lab) and not RE_DLT.search(lab) and j != 0]
    dose = [j for j, lab in labels.items() if RE_DOSE.search(lab) and not RE_DLT.search(lab)]
    if len(dlt) != 1 or not dose:
        return None
    levels = []
    for i in range(g.n_body):
        m = RE_FIRST_NUMBER.search(g.text(i, dose[0]))
        cell = g.text(i, dlt[0])
        frac = RE_FRACTION.match(cell)
        if m is None:
            continue
        if frac:
            k, n = int(frac.group(1)), int(frac.group(2))
        else:
            kk = parse_number(cell)
            nn = parse_number(g.text(i, pts[0])) if pts else None
            if kk is None or nn is None:
                continue
            k, n = int(kk), int(nn)
        levels.append((float(m.group(1)), n, k, i))
    return levels if len(levels) >= 2 else None


def _three_plus_three(levels: list[tuple[float, int, int, int]]) -> float | None:
    """The MTD a 3+3 design implies: the highest tolerated level below the first with >= 2 DLTs."""
    mtd = None
    for dose, n, k, _ in sorted(levels):
        if k >= 2:
            break
        if (k == 0 and n >= 3) or (k == 1 and n >= 6):
            mtd = dose
        else:
            break
    return mtd


def _design_mtd(paper: Paper, mtds: list[EntityBase]) -> list[Finding]:
    out: list[Finding] = []
    if not RE_THREE_PLUS_THREE.search(paper.text):
        return out
    for g in paper.grids:
        levels = _escalation(g)
        if levels is None:
            continue
        implied = _three_plus_three(levels)
        for mtd in mtds:
            value = float(getattr(mtd, "value", 0.0))
            ev = [span_of(mtd)] + [g.span(i, j) for *_, i in levels for j in range(g.n_cols())]
            listing = "; ".join(f"{d:g}: {k}/{n}" for d, n, k, _ in sorted(levels))
            if implied is not None and abs(implied - value) < 1e-9:
                msg = f"'{paper.text[mtd.start : mtd.end]}' is the MTD a 3+3 design implies from {g.label} ({listing})."
                out.append(finding("mtd_consistency", "consistent", msg, ev))
            else:
                msg = (
                    f"'{paper.text[mtd.start : mtd.end]}', but under the stated 3+3 design {g.label}'s DLTs per "
                    f"level ({listing}) imply an MTD of {implied if implied is not None else 'none of the levels'}."
                )
                out.append(finding("mtd_consistency", "inconsistent", msg, ev, "major", implied, value, True))
    return out


# The quantity a normalised unit measures, and its basis (per kg, per m², per day), from its spelling.
QUANTITIES = (
    ("Bq", "radioactivity"),
    ("Ci", "radioactivity"),
    ("IU", "international units"),
    ("g", "mass"),
    ("L", "volume"),
)
PAT_BASIS = re.compile(r"/(?:kg|m2|m²|day|d|h|min)\b")
# A mg/µg (or µg/ng) slip multiplies by 1000: flag ratios near it, not wider spreads (those are
# usually a measured amount or another drug read as a dose, not a slip).
SLIP_RATIOS = (500.0, 2000.0)
# Quantities that cannot both dose one agent: a radiopharmaceutical is dosed by activity. Mass and IU
# can both be right (biologics convert), and a volume is the diluent, so those pairs are not flagged.
INCOMPATIBLE = {frozenset({"radioactivity", "mass"}), frozenset({"radioactivity", "international units"})}


def _quantity(unit: str) -> tuple[str | None, str]:
    head, *rest = unit.split("/", 1)
    basis = "/" + rest[0] if rest else ""
    for suffix, name in QUANTITIES:
        if head.endswith(suffix):
            return name, basis
    return None, basis


def _agent_units(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    by_agent: dict[tuple[str, bool], list[EntityBase]] = {}
    for d in paper.of_kind("dose"):
        agent = getattr(d, "agent", None)
        value, _, unit = _norm(d)
        if d.cited or not agent or value is None or not unit or value <= 0:
            continue
        key = (agent.replace(" ", "").lower(), bool(getattr(d, "diagnostic", False)))
        by_agent.setdefault(key, []).append(d)
    for (_, _diag), doses in sorted(by_agent.items()):
        agent = getattr(doses[0], "agent", "")
        kinds: dict[str, list[EntityBase]] = {}
        for d in doses:
            quantity, basis = _quantity(_norm(d)[2] or "")
            if quantity:
                kinds.setdefault(quantity, []).append(d)
        clash = [k for k in kinds if any(frozenset({k, other}) in INCOMPATIBLE for other in kinds)]
        if clash:
            kinds_shown = {k: kinds[k] for k in clash}
            first = [ds[0] for ds in kinds_shown.values()]
            said = "; ".join(
                f"'{paper.text[d.start : d.end]}' ({q})" for q, d in zip(kinds_shown, first, strict=True)
            )
            msg = f"{agent} is dosed in incompatible quantities within the paper: {said}; check the units."
            out.append(
                finding(
                    "unit_consistency",
                    "inconsistent",
                    msg,
                    [span_of(d) for d in first],
                    "minor",
                    None,
                    sorted(kinds_shown),
                    True,
                )
            )
        for quantity, ds in kinds.items():
            groups: dict[str, list[EntityBase]] = {}
            for d in ds:
                groups.setdefault(_quantity(_norm(d)[2] or "")[1], []).append(d)
            for basis, same in groups.items():
                values = sorted((float(_norm(d)[0] or 0.0), i) for i, d in enumerate(same))
                if len(values) < 2 or values[0][0] <= 0:
                    continue
                (low, i_low), (high, i_high) = values[0], values[-1]
                if not SLIP_RATIOS[0] <= high / low <= SLIP_RATIOS[1]:
                    continue
                a, b = same[i_low], same[i_high]
                msg = (
                    f"{agent}: '{paper.text[b.start : b.end]}' is {high / low:,.0f}× "
                    f"'{paper.text[a.start : a.end]}' ({quantity}{basis}); a unit slip (mg for µg) is "
                    "likely in one of them."
                )
                out.append(
                    finding(
                        "unit_consistency",
                        "inconsistent",
                        msg,
                        [span_of(a), span_of(b)],
                        "minor",
                        None,
                        [low, high],
                        True,
                    )
                )
    return out


def check_doses(paper: Paper) -> list[Finding]:
    out: list[Finding] = _design_mtd(paper, [m for m in paper.of_kind("mtd") if not m.cited])
    out += _agent_units(paper)
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
