"""ci_consistency: a point estimate against its own confidence interval and the p-value beside it.

Rules (audit.ci does the arithmetic): the estimate must lie inside its CI; a ratio (HR, OR, RR) CI
must be symmetric around the estimate on the log scale; a p-value printed with the estimate must
agree with whether the 95% CI excludes the null (1 for ratios, 0 for differences).
"""

from __future__ import annotations

import re

from audit.ci import check_estimate_in_ci, check_p_against_ci, check_ratio_ci_symmetry
from audit.claims import Paper, finding, span_of
from schemas import Finding

__all__ = ["check_cis"]

RATIO_TESTS = re.compile(
    r"^(hr|or|rr|irr|sir|smr|aor|ahr|ratio|hazard ratio|odds ratio|relative risk)$", re.I
)
DIFF_TESTS = re.compile(r"^(md|smd|mean difference|difference|rd|risk difference|b|beta|β|d)$", re.I)


def check_cis(paper: Paper) -> list[Finding]:
    out: list[Finding] = []
    ps = sorted(paper.narrative("p_value"), key=lambda e: e.start)
    for st in paper.of_kind("statistic"):
        ci = getattr(st, "ci", None)
        if not ci or len(ci) != 2:
            continue
        est, (lo, hi) = float(getattr(st, "value", 0.0)), (float(ci[0]), float(ci[1]))
        dec = getattr(st, "decimals", None)
        ratio = RATIO_TESTS.match(getattr(st, "test", "") or "") is not None
        ev = [span_of(st)]
        v = check_estimate_in_ci(est, lo, hi, dec)
        out.append(
            finding("ci_consistency", v.status, v.message, ev, "major", v.expected, v.reported, st.uncertain)
        )
        if v.status != "consistent":
            continue
        if ratio and lo > 0:
            w = check_ratio_ci_symmetry(est, lo, hi, dec, ratio=True)
            out.append(
                finding("ci_consistency", w.status, w.message, ev, "minor", w.expected, w.reported, True)
            )
        p = next((x for x in ps if 0 <= x.start - st.end <= 30), None)
        if p is not None and ((ratio and lo > 0) or DIFF_TESTS.match(getattr(st, "test", "") or "")):
            u = check_p_against_ci(
                est, lo, hi, float(getattr(p, "value", 0.0)), getattr(p, "operator", "="), dec,
                getattr(p, "decimals", None), ratio,
            )  # fmt: skip
            status = u.status
            if status == "inconsistent" and "contradict" not in u.message:
                # same side of alpha: the p may come from another test than the Wald CI (Fisher, exact,
                # likelihood ratio), so a different value is a prompt to look, not an inconsistency
                status = "unverifiable"
            out.append(
                finding(
                    "ci_consistency",
                    status,
                    u.message,
                    ev + [span_of(p)],
                    "major",
                    u.expected,
                    u.reported,
                    st.uncertain,
                )
            )
    return out
