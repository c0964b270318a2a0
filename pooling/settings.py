"""Settings of one meta-analysis of proportions (metafor's names, so reviewers recognise them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

TRANSFORMS = ("PLO", "PFT", "PAS", "PLN", "PR")
METHODS = ("EE", "DL", "REML", "PM")
CC_MODES = ("only0", "all", "none")

DEFAULT_TRANSFORM = "PLO"  # logit: metafor's usual choice for proportions, bounded back-transform
DEFAULT_METHOD = "REML"  # metafor's default random-effects estimator
DEFAULT_LEVEL = 0.95
DEFAULT_CC = 0.5  # escalc's add=1/2 ...
DEFAULT_CC_MODE = "only0"  # ... to="only0": only studies with zero events or zero non-events
DEFAULT_TOL = 1e-12  # tau^2 iterations; tighter than metafor's 1e-5 so agreement is not tolerance-bound
DEFAULT_MAX_ITER = 1000


@dataclass(frozen=True)
class PoolSettings:
    """How to pool: transform (measure), tau^2 estimator, CI level and continuity correction.

    The continuity correction follows metafor's escalc: `cc` is added to events and non-events of a
    study with zero events or zero non-events (`cc_mode="only0"`), to every study (`"all"`), or never
    (`"none"`). PAS and PFT are defined at 0 and n, so they are never corrected (as in escalc).
    """

    transform: str = DEFAULT_TRANSFORM
    method: str = DEFAULT_METHOD
    level: float = DEFAULT_LEVEL
    cc: float = DEFAULT_CC
    cc_mode: str = DEFAULT_CC_MODE
    tol: float = DEFAULT_TOL
    max_iter: int = DEFAULT_MAX_ITER

    def __post_init__(self) -> None:
        object.__setattr__(self, "transform", self.transform.upper())
        object.__setattr__(self, "method", self.method.upper())
        if self.transform not in TRANSFORMS:
            raise ValueError(f"transform must be one of {', '.join(TRANSFORMS)}, not {self.transform!r}")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if not 0 < self.level < 1:
            raise ValueError("level must lie strictly between 0 and 1")
        if self.cc < 0:
            raise ValueError("cc must be >= 0")
        if self.cc_mode not in CC_MODES:
            raise ValueError(f"cc_mode must be one of {', '.join(CC_MODES)}")
        if self.tol <= 0 or self.max_iter < 1:
            raise ValueError("tol must be > 0 and max_iter >= 1")

    @classmethod
    def resolve(cls, value: PoolSettings | Mapping[str, Any] | None) -> PoolSettings:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        known = {f.name for f in fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"unknown pooling settings: {', '.join(sorted(unknown))}")
        return cls(**{k: v for k, v in dict(value).items() if v is not None})
