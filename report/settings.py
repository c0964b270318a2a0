"""Settings of the review side: what to pool, and where plots, reports and exports go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pooling import METHODS, TRANSFORMS

BY_CHOICES = ("none", "agent", "dose_band", "design", "outcome")
EXPORT_FORMATS = ("csv", "parquet", "json")

DEFAULT_OUTCOME = "response_rate"
DEFAULT_BY = "none"
DEFAULT_METHOD = "REML"
DEFAULT_TRANSFORM = "PLO"
DEFAULT_LEVEL = 0.95
DEFAULT_CC = 0.5
DEFAULT_OUT_DIR = Path("warehouse")
DEFAULT_REPORT = Path("warehouse/report.html")
DEFAULT_EXPORT_DIR = Path("warehouse/export")


def resolve_dataclass(cls: Any, value: Any) -> Any:
    if value is None:
        return cls()
    if isinstance(value, cls):
        return value
    known = {f.name for f in fields(cls)}
    unknown = set(value) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} fields: {', '.join(sorted(unknown))}")
    return cls(**{k: v for k, v in dict(value).items() if v is not None})


@dataclass(frozen=True)
class PoolRequest:
    """One pooled outcome: which outcome (a kind or an outcome label pattern), filter, grouping, model."""

    outcome: str = DEFAULT_OUTCOME
    agent: str | None = None  # ILIKE pattern on the paper's main agent
    by: str = DEFAULT_BY
    method: str = DEFAULT_METHOD
    transform: str = DEFAULT_TRANSFORM
    level: float = DEFAULT_LEVEL
    cc: float = DEFAULT_CC
    out_dir: Path = DEFAULT_OUT_DIR  # forest plots go here

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())
        object.__setattr__(self, "transform", self.transform.upper())
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        if not self.outcome.strip():
            raise ValueError("outcome must not be empty")
        if self.by not in BY_CHOICES:
            raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}, not {self.by!r}")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if self.transform not in TRANSFORMS:
            raise ValueError(f"transform must be one of {', '.join(TRANSFORMS)}, not {self.transform!r}")
        if not 0 < self.level < 1 or self.cc < 0:
            raise ValueError("level must lie in (0, 1) and cc must be >= 0")

    @classmethod
    def resolve(cls, value: PoolRequest | Mapping[str, Any] | None) -> PoolRequest:
        return resolve_dataclass(cls, value)


@dataclass(frozen=True)
class ReportSettings:
    """What the HTML report pools (each outcome overall and by each grouping) and how."""

    outcomes: tuple[str, ...] = (DEFAULT_OUTCOME,)
    by: tuple[str, ...] = ("none", "agent")
    method: str = DEFAULT_METHOD
    transform: str = DEFAULT_TRANSFORM
    max_text_chars: int = 400_000  # per paper: longer texts are cut in the report, never in the warehouse

    def __post_init__(self) -> None:
        for b in self.by:
            if b not in BY_CHOICES:
                raise ValueError(f"by must be among {', '.join(BY_CHOICES)}")
        PoolRequest(method=self.method, transform=self.transform)  # validates both

    @classmethod
    def resolve(cls, value: ReportSettings | Mapping[str, Any] | None) -> ReportSettings:
        return resolve_dataclass(cls, value)
