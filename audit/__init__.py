"""Pure checks over extracted records: recompute what can be recomputed, compare what is reported twice."""

from audit.checks import run_checks

__all__ = ["run_checks"]
