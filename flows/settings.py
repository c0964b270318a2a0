"""Settings of an ingest run, and the environment Prefect needs before it is imported."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 8))
DEFAULT_BATCH_SIZE = 25  # papers per task: a task costs ~50 ms of server CPU, a paper ~50 ms of ours
DEFAULT_LOCK_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class IngestSettings:
    workers: int = DEFAULT_WORKERS
    batch_size: int = DEFAULT_BATCH_SIZE
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S
    strict: bool = False
    dask_address: str | None = None  # tcp://HOST:PORT of an existing Dask scheduler
    dask_local: int = 0  # >0: start a LocalCluster with this many worker processes

    def __post_init__(self) -> None:
        if self.dask_address and self.dask_local:
            raise ValueError("give either dask_address or dask_local, not both")
        if self.dask_local < 0:
            raise ValueError("dask_local must be >= 0")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if self.lock_timeout < 0:
            raise ValueError("lock_timeout must be >= 0")

    @property
    def uses_dask(self) -> bool:
        return bool(self.dask_address or self.dask_local)

    @classmethod
    def resolve(cls, value: IngestSettings | Mapping[str, Any] | None) -> IngestSettings:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in dict(value).items() if k in known})


# Keep Prefect's telemetry (which fails offline) and INFO chatter off the console, and give a temporary
# server time to start on a cold 2-core machine (run_ingest starts its own, flows/server.py; a flow
# called directly without PREFECT_API_URL gets Prefect's).
QUIET_PREFECT_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_SERVER_LEVEL": "WARNING",
    "PREFECT_CLI_COLORS": "false",
    "DASK_DISTRIBUTED__LOGGING__DISTRIBUTED": "warning",  # Dask's scheduler/worker chatter
    "DASK_DISTRIBUTED__DIAGNOSTICS__NVML": "false",
}
VERBOSE_PREFECT_ENV = {
    **QUIET_PREFECT_ENV,
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_SERVER_LEVEL": "INFO",
}


def configure_prefect_env(verbose: bool = False) -> None:
    """Set Prefect's environment defaults (the user's own settings win). Call before importing prefect."""
    for key, value in (VERBOSE_PREFECT_ENV if verbose else QUIET_PREFECT_ENV).items():
        os.environ.setdefault(key, value)
