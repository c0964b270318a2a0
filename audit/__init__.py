"""Pure checks over extracted records: recompute what can be recomputed, compare what is reported twice.

Numeric cores: audit.percent, audit.grim, audit.pvalues, audit.summary_tests, audit.ci. Paper-level
checks (audit.paper_*) turn a paper's entities and tables into Finding records; `run_checks` runs them.
"""

from audit.checks import CHECKS, run_checks
from audit.claims import AuditSettings

__all__ = ["CHECKS", "AuditSettings", "run_checks"]
