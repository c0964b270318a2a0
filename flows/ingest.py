"""The `ingest_corpus` Prefect flow: discover -> plan -> process batches concurrently -> load each batch.

Tasks wrap the plain functions of flows/pipeline.py and warehouse/; they add caching by content hash,
retries on the lock-bound load only, concurrency and logging. The flow runs unchanged on a server
started for the run (no PREFECT_API_URL; flows/server.py) or against the configured one.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import multiprocessing
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE, TASK_SOURCE, CacheKeyFnPolicy
from prefect.context import FlowRunContext, TaskRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import BaseModel, Field

from flows.discover import discover_files
from flows.parent_watch import exit_with_parent
from flows.pipeline import FileOutcome, file_sha256, pipeline_fingerprint, process_file_safe
from flows.server import prefect_server
from flows.settings import IngestSettings
from schemas import WarehouseBusy
from warehouse import Warehouse

ProgressHook = Callable[[int, int], None]  # (files done so far, files in all)
_progress_hook: ProgressHook | None = None  # set by the CLI; the flow runs in its process
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()  # batches start in several threads at once; each must not make its own pool


class IngestPlan(BaseModel):
    todo: list[tuple[str, str | None]] = Field(default_factory=list)  # (path, sha256)
    skipped: list[str] = Field(default_factory=list)  # unchanged papers' ids, already loaded


class IngestSummary(BaseModel):
    run_id: str
    db: str
    files: int
    papers_written: int
    papers_skipped: int
    errors: list[dict[str, Any]]
    entities: dict[str, int]
    findings: dict[str, int]
    seconds: float
    status: str
    stage_seconds: dict[str, float] = Field(default_factory=dict)  # summed over papers (CPU-ish time)


def set_progress_hook(hook: ProgressHook | None) -> None:
    global _progress_hook
    _progress_hook = hook


def report_progress(done: int, total: int) -> None:
    """Tell the CLI's progress bar. A function, so the flow never refers to the (unpicklable) hook itself:
    a Dask run pickles the flow function by value."""
    if _progress_hook is not None:
        _progress_hook(done, total)


def get_pool(workers: int) -> ProcessPoolExecutor:
    """One pool per process, sized to the workers; spawned (not forked) because Prefect runs threads."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._max_workers != workers:  # type: ignore[attr-defined]
            shutdown_pool_locked()
            _pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=exit_with_parent,  # a SIGKILLed ingest must not leave its workers running
                initargs=(os.getpid(),),
            )
        return _pool


def shutdown_pool() -> None:
    with _pool_lock:
        shutdown_pool_locked()


def shutdown_pool_locked() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


_malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only


def return_freed_memory() -> None:
    """Hand the C allocator's free pages back to the system. A batch's papers are unpickled in one of
    the pool's threads and freed in the flow's after the load; glibc kept those pages in its per-thread
    arenas, and the flow's RSS crept up ~0.1 MB a paper without this (a few ms a batch)."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def batch_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Content sha256 of each file + its path + the pipeline's code fingerprint."""
    payload = json.dumps([parameters["batch"], parameters["fingerprint"]])
    return hashlib.sha256(payload.encode()).hexdigest()


@task(name="plan-ingest", cache_policy=NO_CACHE)
def plan_ingest(files: list[str], db: str, fingerprint: str, run_id: str, lock_timeout: float) -> IngestPlan:
    """Hash the files; skip those whose papers are loaded already by this same pipeline."""
    with Warehouse(db, lock_timeout=lock_timeout) as wh:
        known = wh.known_papers()
        wh.start_run(run_id, len(files))
    loaded: dict[tuple[str, str], list[str]] = {}
    for pid, (sha, src, pipe) in known.items():
        if pipe == fingerprint:
            loaded.setdefault((src, sha), []).append(pid)
    plan = IngestPlan()
    for path in files:
        sha = file_sha256(path)
        hits = loaded.get((path, sha or ""), [])
        if sha is not None and hits:
            plan.skipped.extend(hits)
        else:
            plan.todo.append((path, sha))
    return plan


def process_files(batch: list[tuple[str, str | None]], fingerprint: str, workers: int) -> list[FileOutcome]:
    """Read, repair, extract and audit a batch of files (in worker processes when workers > 1)."""
    paths = [p for p, _ in batch]
    if workers <= 1:
        return [process_file_safe(p) for p in paths]
    return list(get_pool(workers).map(process_file_safe, paths))


# The task wraps a plain, importable function so Dask can pickle it by reference.
process_batch = task(
    process_files,
    name="process-batch",
    cache_policy=TASK_SOURCE + CacheKeyFnPolicy(cache_key_fn=batch_cache_key),
    persist_result=True,
    # Results are persisted; keeping every batch's papers in memory too made the flow's RSS grow with
    # the corpus (1.6 GB at 4,470 papers). Each is read back once, loaded, and dropped.
    cache_result_in_memory=False,
)


def retry_on_lock(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a load only when the database was busy; a data error will not go away."""
    try:
        state.result()
    except WarehouseBusy:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False


@task(
    name="load-batch",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_condition_fn=retry_on_lock,
)
def load_batch(
    outcomes: list[FileOutcome], db: str, fingerprint: str, run_id: str, lock_timeout: float
) -> int:
    """Write one batch's papers and errors in a single transaction (the only step that writes DuckDB)."""
    results = [(r, o.sha256 or r.paper_id) for o in outcomes for r in o.results]
    errors = [e for o in outcomes for e in o.errors]
    with Warehouse(db, lock_timeout=lock_timeout) as wh:
        return wh.load(results, errors, pipeline=fingerprint, run_id=run_id)


@task(name="finish-run", cache_policy=NO_CACHE)
def finish_run(
    db: str,
    run_id: str,
    n_files: int,
    written: int,
    plan: IngestPlan,
    errors: list[dict[str, Any]],
    started: float,
    lock_timeout: float,
) -> IngestSummary:
    seconds = time.perf_counter() - started
    status = "failed" if n_files and errors and not (written or plan.skipped) else "ok"
    with Warehouse(db, lock_timeout=lock_timeout) as wh:
        wh.finish_run(
            run_id,
            n_papers=written,
            n_skipped=len(plan.skipped),
            n_errors=len(errors),
            seconds=seconds,
            status=status,
        )
        ids = plan.skipped + written_ids(wh, run_id)
        _, ent = wh.query("summary_entities", {"paper_ids": ids})
        _, fin = wh.query("summary_findings", {"paper_ids": ids})
    return IngestSummary(
        run_id=run_id,
        db=db,
        files=n_files,
        papers_written=written,
        papers_skipped=len(plan.skipped),
        errors=errors,
        entities=dict(ent),
        findings=dict(fin),
        seconds=round(seconds, 2),
        status=status,
    )


def written_ids(wh: Warehouse, run_id: str) -> list[str]:
    _, rows = wh.query("papers_of_run", {"run_id": run_id})
    return [r[0] for r in rows]


def batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def batches_in_flight(cfg: IngestSettings, cluster_threads: int | None = None) -> int:
    """How many batches the flow submits ahead of the load: enough to keep every worker busy while a
    batch loads, and no more, because a finished task's future holds its papers until it is dropped.

    `cluster_threads`: the Dask cluster's worker threads when the flow runs on one (dask_cluster_threads)."""
    slots = cluster_threads if cluster_threads else max(cfg.workers, cfg.dask_local)
    return 2 * slots + 2


def dask_cluster_threads(cfg: IngestSettings) -> int | None:
    """Worker threads of the Dask cluster this flow runs on, as its scheduler reports them; None when the
    flow does not run on Dask (or the scheduler has no worker yet: then the settings decide)."""
    if not cfg.uses_dask:
        return None
    from prefect_dask import DaskTaskRunner  # optional: only a Dask run imports it

    runner = getattr(FlowRunContext.get(), "task_runner", None)
    if not isinstance(runner, DaskTaskRunner):
        return None
    return sum(runner.client.nthreads().values()) or None


def completed_in_order_of_finish(
    submit: Callable[[Any], PrefectFuture], items: list[Any], window: int
) -> Iterator[PrefectFuture]:
    """Submit `items` keeping at most `window` running; yield each future as it finishes and forget it.

    Prefect keeps a task's return value in its future's final state whatever the result settings, so
    holding every future until the end of the run kept every paper in memory (~0.3 MB a paper)."""
    waiting = deque(items)
    running: set[PrefectFuture] = set()
    while waiting or running:
        while waiting and len(running) < window:
            running.add(submit(waiting.popleft()))
        finished = next(as_completed(list(running)))
        running.discard(finished)
        yield finished


@flow(name="ingest_corpus", task_runner=ThreadPoolTaskRunner(max_workers=8))
def ingest_corpus(
    paths: list[str], db: str = "warehouse/evidence.duckdb", settings: dict[str, Any] | None = None
) -> IngestSummary:
    """Ingest every paper under `paths` into the DuckDB warehouse at `db`."""
    cfg = IngestSettings.resolve(settings)
    logger = get_run_logger()
    started = time.perf_counter()
    run_id = uuid.uuid4().hex[:12]
    fingerprint = pipeline_fingerprint()
    files = [str(p) for p in discover_files(paths)]
    plan = plan_ingest(files, db, fingerprint, run_id, cfg.lock_timeout)
    logger.info("%d files: %d to process, %d unchanged", len(files), len(plan.todo), len(plan.skipped))
    done = len(files) - len(plan.todo)
    report_progress(done, len(files))
    written, errors = 0, []
    stages: dict[str, float] = {}
    finished = completed_in_order_of_finish(
        lambda b: process_batch.submit(b, fingerprint, cfg.workers),
        batches(plan.todo, cfg.batch_size),
        batches_in_flight(cfg, dask_cluster_threads(cfg)),
    )
    try:
        for fut in finished:
            outcomes: list[FileOutcome] = fut.result()
            del fut
            loading = time.perf_counter()
            written += load_batch(outcomes, db, fingerprint, run_id, cfg.lock_timeout)
            stages["load"] = stages.get("load", 0.0) + time.perf_counter() - loading
            for o in outcomes:
                for stage, secs in o.stage_seconds.items():
                    stages[stage] = stages.get(stage, 0.0) + secs
                for e in o.errors:
                    logger.warning("%s: %s: %s", e.source, e.error_type, e.message)
                    errors.append(e.model_dump())
            done += len(outcomes)
            del outcomes
            return_freed_memory()
            report_progress(done, len(files))
    finally:
        shutdown_pool()
    summary = finish_run(db, run_id, len(files), written, plan, errors, started, cfg.lock_timeout)
    return summary.model_copy(update={"stage_seconds": {k: round(v, 3) for k, v in stages.items()}})


def run_ingest(
    paths: list[str | Path], db: str | Path, settings: IngestSettings | None = None
) -> IngestSummary:
    """Run the flow (the CLI and tests call this), locally or on a Dask cluster."""
    cfg = IngestSettings.resolve(settings)
    args = ([str(p) for p in paths], str(db))
    # Our own server rather than Prefect's temporary one: it is shared with the Dask workers and stops
    # when this process dies, even by SIGKILL.
    with prefect_server():
        if not cfg.uses_dask:
            return ingest_corpus(*args, settings=cfg.__dict__)
        from prefect_dask import DaskTaskRunner

        if cfg.dask_address:
            runner = DaskTaskRunner(address=cfg.dask_address)
        else:
            cluster = {
                "n_workers": cfg.dask_local,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
            runner = DaskTaskRunner(cluster_kwargs=cluster)
        # Dask workers are the parallelism: each batch runs in one worker process, and the load
        # stays in this process (a task called directly runs here), so there is one DuckDB writer.
        local = {**cfg.__dict__, "workers": 1}
        return ingest_corpus.with_options(task_runner=runner)(*args, settings=local)
