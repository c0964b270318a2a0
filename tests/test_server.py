"""A SIGKILLed ingest leaves nothing running: its Prefect server and its workers watch their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

LINUX_PROC = Path("/proc")
pytestmark = pytest.mark.skipif(not (LINUX_PROC / "self" / "stat").exists(), reason="reads /proc")


def parent_of(pid: int) -> int | None:
    try:
        stat = (LINUX_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def is_running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for a reaper, but it holds no memory)."""
    try:
        stat = (LINUX_PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(root: int) -> dict[int, str]:
    """pid -> command line of every process below `root`."""
    children: dict[int, list[int]] = {}
    for entry in LINUX_PROC.iterdir():
        if entry.name.isdigit() and (ppid := parent_of(int(entry.name))) is not None:
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        try:
            found[pid] = (LINUX_PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        todo += children.get(pid, [])
    return found


def wait_until(predicate, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    return None


def kill_all(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_an_orphaned_helper_exits_when_its_parent_is_killed() -> None:
    child = "import sys, time; from flows.parent_watch import exit_with_parent; exit_with_parent(int(sys.argv[1])); time.sleep(60)"
    parent = (
        "import os, subprocess, sys, time; "
        f"p = subprocess.Popen([sys.executable, '-c', {child!r}, str(os.getpid())]); "
        "print(p.pid, flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", parent], cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    helper = int(proc.stdout.readline())
    try:
        assert is_running(helper)
        proc.kill()  # SIGKILL: the parent runs no clean-up at all
        proc.wait()
        assert wait_until(lambda: not is_running(helper), timeout=5), "the helper outlived its parent"
    finally:
        kill_all([helper])
        proc.stdout.close()


@pytest.mark.slow
def test_sigkilled_ingest_leaves_no_prefect_server_or_worker(tmp_path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for k in range(40):  # enough work that the kill lands mid-ingest
        seed = SEEDS[k % len(SEEDS)]
        (inbox / f"{k:03d}_{seed.name}").write_bytes(seed.read_bytes() + f"\ncopy {k}\n".encode())
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # as a user's shell: no server
    cli = subprocess.Popen(
        [sys.executable, "-m", "flows", "ingest", str(inbox), "--db", str(tmp_path / "w.duckdb")],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # only so that the clean-up below can reach anything left behind
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    helpers: dict[int, str] = {}
    try:
        # Kill once the server is up and the extraction workers are running.
        def started() -> bool:
            helpers.update(descendants(cli.pid))
            text = " ".join(helpers.values())
            return "flows.server" in text and "multiprocessing" in text

        assert wait_until(started, timeout=180), f"the ingest never got going: {helpers}"
        assert cli.poll() is None, "the ingest finished before it could be killed"
        os.kill(cli.pid, signal.SIGKILL)  # the CLI alone, as `kill -9 <pid>` would
        cli.wait()
        left = wait_until(lambda: not [p for p in helpers if is_running(p)], timeout=15)
        assert left, (
            f"still running after the CLI was killed: {[helpers[p] for p in helpers if is_running(p)]}"
        )
    finally:
        kill_all([*helpers, *descendants(cli.pid)])
        try:
            os.killpg(cli.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        cli.wait()


def test_two_runs_starting_at_once_on_a_fresh_machine_both_get_a_server(tmp_path) -> None:
    # both create Prefect's database; the one that loses the race exits and is started again
    start = (
        "from flows.server import start_server; "
        "proc, url = start_server(180); print(url); proc.terminate(); proc.wait()"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", start],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err[-2000:]
        assert out.startswith("http://127.0.0.1:")
