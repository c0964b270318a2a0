"""The Prefect server of a run: the one the user configured, or one started here for the run's length.

Without PREFECT_API_URL Prefect itself starts a temporary server in every process that runs a task
(one per Dask worker), and a SIGKILLed `evidence ingest` left that server running (~200 MB each; repeated
kills exhausted the machine's memory). So every run without a configured server starts its own:
`python -m flows.server PARENT_PID PORT` runs `prefect server start` in-process and stops it as soon as
PARENT_PID is gone, however it died.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from flows.parent_watch import exit_with_parent
from schemas import EvidenceError

DEFAULT_SERVER_STARTUP_S = 120.0
START_ATTEMPTS = 3
SHUTDOWN_GRACE_S = 10.0
# Like Prefect's own temporary server: only the services a run needs, no UI, no telemetry; and never
# a prompt (`prefect server start` in a terminal offers to edit the user's Prefect profile).
RUN_SERVER_ENV = {
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLI_PROMPT": "false",
}


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


def start_server(timeout: float, attempts: int = START_ATTEMPTS) -> tuple[subprocess.Popen, str]:
    """Start `python -m flows.server` on a free port and wait until it answers.

    A server that exits while starting is started again, on a new port: two runs starting at once on
    a fresh machine both create Prefect's database and one of them exits (code 3), and a free port
    can be taken by another process before the server binds it. A server that is merely slow is not
    restarted; `timeout` bounds the wait."""
    for attempt in range(1, attempts + 1):
        port = free_port()
        url = f"http://127.0.0.1:{port}/api"
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.server", str(os.getpid()), str(port)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **RUN_SERVER_ENV},
        )
        try:
            wait_healthy(url, timeout, proc)
            return proc, url
        except PrefectServerError:
            exited = proc.poll() is not None
            if not exited:
                proc.kill()
                proc.wait()
            if not exited or attempt == attempts:
                raise
            time.sleep(attempt)  # let the other run finish creating the database
    raise AssertionError("unreachable")


@contextmanager
def prefect_server(timeout: float = DEFAULT_SERVER_STARTUP_S) -> Iterator[str]:
    """Yield the API URL of a running server: the configured one, or one started here and stopped after."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()  # the environment, the Prefect profile or a test harness
    if configured:
        yield configured
        return
    proc, url = start_server(timeout)
    try:
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


def stop_this_server() -> None:
    """Shut down as on Ctrl-C (uvicorn finishes its requests and closes the database); force it if stuck."""
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(SHUTDOWN_GRACE_S)
    os._exit(1)


def main(argv: list[str]) -> None:
    """`python -m flows.server PARENT_PID PORT`: serve Prefect's API on 127.0.0.1:PORT while PARENT_PID lives."""
    parent_pid, port = (int(a) for a in argv)
    exit_with_parent(parent_pid, stop_this_server)
    from prefect.cli import app

    sys.argv = ["prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    app()  # Prefect's console script, which reads sys.argv


if __name__ == "__main__":
    main(sys.argv[1:])
