"""Helper processes that end when the process that started them is gone, even after a SIGKILL.

A killed `evidence ingest` cannot clean up after itself; each of its helpers (the Prefect server, the
extraction workers) watches its own parent instead. Polling getppid() works on every POSIX system and
needs nothing from the parent: once the parent dies the orphan is re-parented and the pid changes.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

POLL_S = 0.5


def exit_now() -> None:
    os._exit(1)  # an orphaned worker has no one to report to


def exit_with_parent(parent_pid: int, on_orphaned: Callable[[], None] = exit_now) -> None:
    """Call `on_orphaned` (default: exit at once) as soon as `parent_pid` is no longer our parent."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(POLL_S)
        on_orphaned()

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
