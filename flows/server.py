"""A real Prefect server for runs whose tasks leave this process (Dask workers).

Without PREFECT_API_URL every process that runs a task starts its own temporary server; on a Dask
cluster that would be one per worker. So the Dask path uses the server the user configured, or
starts one `prefect server start` for the duration of the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from schemas import EvidenceError

DEFAULT_SERVER_STARTUP_S = 120.0


class PrefectServerError(EvidenceError):
    stage = "orchestration"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise PrefectServerError(f"`prefect server start` exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise PrefectServerError(f"no Prefect server answered at {url} within {timeout:.0f} s")


@contextmanager
def prefect_server(timeout: float = DEFAULT_SERVER_STARTUP_S) -> Iterator[str]:
    """Yield the API URL of a running server: the configured one, or one started here and stopped after."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
    )
    try:
        wait_healthy(url, timeout, proc)
        os.environ["PREFECT_API_URL"] = url  # inherited by Dask worker processes started after this
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
