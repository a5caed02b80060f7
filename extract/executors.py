"""Executors: run picklable page tasks and hand back results as they finish.

One interface (:class:`Executor`) over :class:`SerialExecutor` (tests, debugging),
:class:`ProcessExecutor` (the default: a local process pool) and :class:`DaskExecutor` (an existing
Dask cluster, or a local one).  Each keeps a bounded number of tasks in flight
(``workers x in_flight_per_worker``), so memory stays at about one page per worker however large
the batch.  A task that raises, a worker that dies, or a task that runs past its timeout comes back
as a :class:`TaskError` for that task only.  Each pool worker runs under an address-space limit
(:func:`limit_memory`); a page that needs more fails alone, and says so.

The orchestration that feeds them is :func:`extract.batch.run_batch`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import logging.handlers
import multiprocessing
import os
import queue
import re
import resource
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .errors import ExecutorError, MissingDependencyError, WorkerMemoryError
from .model import PageResult

log = logging.getLogger(__name__)

K = TypeVar("K")
PARENT_CHECK_S = 1.0  # how often a pool worker without a parent sentinel checks its parent
TIMEOUT_POLL_S = 1.0  # how often running tasks are checked against the task timeout
STOP_WAIT_S = 30.0  # how long stopped workers may take to be noticed dead
DEAD_WORKER_GRACE_S = 10.0  # a worker dead this long while the pool has not noticed: the pool is stuck


@dataclass(frozen=True)
class TaskError:
    """Why a task brought no result: ``kind`` is "exception" or "worker_died"."""

    kind: str
    message: str


Outcome = tuple[K, Any, TaskError | None]  # (key, result or None, error or None)


class Executor(Protocol):
    name: str

    @property
    def workers(self) -> int: ...

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[tuple[K, Any]]) -> Iterator[Outcome[K]]:
        """Run ``fn(task)`` for each ``(key, task)``; yield ``(key, result, error)`` as tasks finish.

        ``items`` is consumed lazily: at most a bounded number of tasks is in flight.
        """
        ...

    def close(self) -> None: ...


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


_worker_tag = ""


class _TagFilter(logging.Filter):
    """Prefixes a worker's log records with the page it is working on."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _worker_tag:
            record.msg = f"[{_worker_tag}] {record.msg}"
        return True


_memory_limit: int | None = None  # this worker's address-space limit (set by init_worker)
_start_queue: Any = None  # where this worker says when it begins a task (set by init_worker)
_OUT_OF_MEMORY = re.compile(
    r"MemoryError|out of memory|insufficient memory|failed to allocate|cannot allocate memory|bad_alloc",
    re.IGNORECASE,
)


def _memory_reason(message: str) -> str:
    message = " ".join(message.split())  # OpenCV's messages span lines
    limit = f"its limit of {_gib(_memory_limit)}" if _memory_limit else "the memory available"
    return f"{message} (the page needed more memory than {limit}; see --max-memory-per-worker)"


def run_task_noting_start(token: int, fn: Callable[[Any], Any], task: Any) -> Any:
    """:func:`run_task`, after telling the parent that this worker has begun task ``token`` (the
    task timeout counts from here, not from the moment the pool queued the task: a worker still
    starting up on a loaded machine is not a page that hangs)."""
    if _start_queue is not None:
        _start_queue.put((token, time.monotonic()))  # CLOCK_MONOTONIC: one clock for all processes
    return run_task(fn, task)


def run_task(fn: Callable[[Any], Any], task: Any) -> Any:
    """What a worker runs: ``fn(task)``, with log records tagged by file and page.

    A page that ran out of memory (a ``MemoryError``, raised or reported in the page's error)
    says so, with the worker's limit."""
    global _worker_tag
    path, page = getattr(task, "path", None), getattr(task, "page_index", None)
    _worker_tag = f"{os.path.basename(path)} p{page + 1}" if path is not None and page is not None else ""
    try:
        result = fn(task)
    except MemoryError as exc:
        raise WorkerMemoryError(_memory_reason(describe(exc))) from None
    finally:
        _worker_tag = ""
    error = getattr(result, "error", None)
    if isinstance(result, PageResult) and error and _OUT_OF_MEMORY.search(error):
        result = dataclasses.replace(result, error=_memory_reason(error))
    return result


def limit_memory(limit: int | None) -> None:
    """Limit this process's address space to ``limit`` bytes (``None``: leave it alone).

    Past the limit an allocation fails (Python raises ``MemoryError``; native code may abort,
    and the executor then reports that page alone) instead of the machine running out."""
    global _memory_limit
    if not limit:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _memory_limit = limit


def _watch_parent() -> None:
    """Exit this worker as soon as the batch process is gone (e.g. ``kill -9``): no orphans.

    ``multiprocessing.parent_process().sentinel`` is the batch process itself under both the
    spawn and the forkserver start methods.
    """
    from multiprocessing.connection import wait as wait_for

    parent = multiprocessing.parent_process()
    if parent is not None:
        wait_for([parent.sentinel])
    else:
        ppid = os.getppid()
        while os.getppid() == ppid:
            time.sleep(PARENT_CHECK_S)
    os._exit(1)


def init_worker(
    log_queue: Any | None = None,
    level: int = logging.INFO,
    memory_limit: int | None = None,
    start_queue: Any | None = None,
) -> None:
    """Pool worker start-up: one OpenMP thread for tesseract, logs to the parent, no Ctrl-C, no
    orphans, at most ``memory_limit`` bytes of address space; when each task begins is sent to
    ``start_queue`` (see :func:`run_task_noting_start`)."""
    import signal

    global _start_queue
    _start_queue = start_queue
    os.environ["OMP_THREAD_LIMIT"] = "1"
    limit_memory(memory_limit)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    if log_queue is not None:
        root = logging.getLogger()
        root.handlers[:] = []
        handler = logging.handlers.QueueHandler(log_queue)
        handler.addFilter(_TagFilter())
        root.addHandler(handler)
        root.setLevel(level)
    threading.Thread(target=_watch_parent, daemon=True).start()


class SerialExecutor:
    """Runs every task in this process, one at a time (tests, debugging)."""

    name = "serial"
    workers = 1

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[tuple[K, Any]]) -> Iterator[Outcome[K]]:
        for key, task in items:
            try:
                result = run_task(fn, task)
            except Exception as exc:
                log.debug("task %r raised", key, exc_info=True)
                yield key, None, TaskError("exception", describe(exc))
            else:
                yield key, result, None

    def close(self) -> None:
        pass


def available_cpus() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class _Flight:
    key: Any
    task: Any
    solo: bool = False  # run alone, to tell whether it is the task that kills its worker
    token: int = 0  # names this submission in the workers' start messages
    started: float | None = None  # when a worker began it (monotonic seconds)
    overdue: bool = False  # ran past the task timeout


class ProcessExecutor:
    """A local process pool (``concurrent.futures``, forkserver or spawn start).

    When a worker dies (a crash in native code, the kernel's OOM killer) the pool breaks and
    every task in flight is lost; those tasks are then run again one at a time, so only the
    task that kills its worker alone is reported, as ``worker_died``.

    A task still running ``task_timeout_s`` after a worker began it (a page that hangs where no
    deadline of its own reaches) gets its pool's workers stopped; the tasks in flight run again
    one at a time, and the one that overruns alone is reported as ``timeout``.
    """

    name = "process"

    def __init__(
        self,
        workers: int | None = None,
        *,
        in_flight_per_worker: int = 2,
        start_method: str = "forkserver",
        log_level: int = logging.INFO,
        memory_limit: int | None = None,
        task_timeout_s: float | None = None,
    ) -> None:
        self._workers = max(1, workers or available_cpus())
        self.memory_limit = memory_limit  # bytes of address space per worker (None: no limit)
        self.task_timeout_s = task_timeout_s  # None: no limit
        self.limit = self._workers * in_flight_per_worker
        self.context = multiprocessing.get_context(start_method)
        self.log_level = log_level
        self.pool: ProcessPoolExecutor | None = None
        self.log_queue: Any = None
        self.start_queue: Any = None  # workers say here when they begin a task
        self.submitted = 0
        self._dead_since: float | None = (
            None  # when a dead worker was first seen in a pool that had not broken
        )
        self.listener: logging.handlers.QueueListener | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def _new_pool(self) -> ProcessPoolExecutor:
        if self.log_queue is None:
            self.log_queue = self.context.Queue()
            self.listener = logging.handlers.QueueListener(
                self.log_queue, _ParentLog(), respect_handler_level=False
            )
            self.listener.start()
        if self.start_queue is None:
            self.start_queue = self.context.Queue()
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=self.context,
            initializer=init_worker,
            initargs=(self.log_queue, self.log_level, self.memory_limit, self.start_queue),
        )

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[tuple[K, Any]]) -> Iterator[Outcome[K]]:
        source = iter(items)
        exhausted = False
        suspects: deque[_Flight] = deque()  # in flight when a worker died: each runs again alone
        retry: deque[_Flight] = deque()  # not submitted because the pool had just broken
        pending: dict[Future[Any], _Flight] = {}
        if self.pool is None:
            self.pool = self._new_pool()
        try:
            while True:
                refused = False
                while not refused:  # fill the pipeline
                    if suspects:
                        if not pending:
                            flight = suspects.popleft()
                            flight.solo = True
                            if not self._submit(pending, fn, flight):
                                suspects.appendleft(flight)
                                refused = True
                        break
                    if len(pending) >= self.limit:
                        break
                    if retry:
                        flight = retry.popleft()
                    elif exhausted:
                        break
                    else:
                        try:
                            key, task = next(source)
                        except StopIteration:
                            exhausted = True
                            break
                        flight = _Flight(key, task)
                    if not self._submit(pending, fn, flight):
                        retry.appendleft(flight)
                        refused = True
                if not pending:
                    if refused:
                        self._replace_pool()
                        continue
                    return
                done, _ = wait(pending, timeout=self._poll_s(), return_when=FIRST_COMPLETED)
                if not done and (self._stop_overdue(pending) or self._stuck_on_dead_worker()):
                    done = set(pending)  # every task in flight is lost with the stopped workers
                broken = False
                for fut in done:
                    flight = pending.pop(fut)
                    outcome, died = self._settle(fut, flight) if fut.done() else (self._lost(flight), True)
                    broken |= died
                    if outcome is None:
                        suspects.append(flight)
                    else:
                        yield outcome
                if broken:  # every other task in flight is lost with the pool
                    for fut, flight in list(pending.items()):
                        outcome, _died = (
                            self._settle(fut, flight) if fut.done() else (self._lost(flight), True)
                        )
                        if outcome is None:
                            suspects.append(flight)
                        else:
                            yield outcome
                    pending.clear()
                    if suspects:
                        log.warning(
                            "a worker process died; running the %d page(s) in flight one at a time",
                            len(suspects),
                        )
                    self._replace_pool()
        finally:
            for fut in pending:
                fut.cancel()

    def _submit(self, pending: dict[Future[Any], _Flight], fn: Callable[[Any], Any], flight: _Flight) -> bool:
        """Submit ``flight``; ``False`` when the pool is broken (a worker just died)."""
        assert self.pool is not None
        self.submitted += 1
        flight.token, flight.started, flight.overdue = self.submitted, None, False
        try:
            pending[self.pool.submit(run_task_noting_start, flight.token, fn, flight.task)] = flight
        except BrokenProcessPool:
            return False
        return True

    def _poll_s(self) -> float:
        return TIMEOUT_POLL_S if self.task_timeout_s is None else min(TIMEOUT_POLL_S, self.task_timeout_s / 4)

    def _stuck_on_dead_worker(self) -> bool:
        """``True`` when a worker of the pool has been dead for ``DEAD_WORKER_GRACE_S`` and the pool
        has still not broken its futures (``concurrent.futures`` can miss a worker killed at the wrong
        moment, and then waits forever): its other workers are stopped and the tasks in flight are
        settled as lost with the pool."""
        processes = dict(getattr(self.pool, "_processes", None) or {})
        if not any(process.exitcode is not None for process in processes.values()):
            self._dead_since = None
            return False
        now = time.monotonic()
        if self._dead_since is None:
            self._dead_since = now
        if now - self._dead_since < DEAD_WORKER_GRACE_S:
            return False
        log.warning(
            "a worker process died and its pool did not notice in %g s: replacing the pool",
            DEAD_WORKER_GRACE_S,
        )
        for process in processes.values():
            with contextlib.suppress(OSError):
                process.kill()
        self._dead_since = None
        return True

    def _stop_overdue(self, pending: dict[Future[Any], _Flight]) -> bool:
        """Note when a worker began each task; when one has run past the timeout, stop the
        pool's workers (the only way to stop a running task) and return ``True``."""
        if self.task_timeout_s is None or self.pool is None:
            return False
        began = self._starts()
        for flight in pending.values():
            if flight.started is None and flight.token in began:
                flight.started = began[flight.token]
        now = time.monotonic()
        overdue = [
            f for f in pending.values() if f.started is not None and now - f.started > self.task_timeout_s
        ]
        if not overdue:
            return False
        for flight in overdue:
            flight.overdue = True
        log.warning("a page ran longer than %g s: stopping its worker", self.task_timeout_s)
        for process in list(getattr(self.pool, "_processes", {}).values()):
            with contextlib.suppress(OSError):
                process.kill()
        wait(pending, timeout=STOP_WAIT_S)
        return True

    def _starts(self) -> dict[int, float]:
        """The start messages the workers have sent since the last call: {token: monotonic s}."""
        began: dict[int, float] = {}
        while self.start_queue is not None:
            try:
                token, at = self.start_queue.get_nowait()
            except queue.Empty:
                break
            began[token] = at
        return began

    def _replace_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def _settle(self, fut: Future[Any], flight: _Flight) -> tuple[Outcome[Any] | None, bool]:
        """(the task's outcome, or ``None`` when it must run again; whether the pool broke)."""
        try:
            return (flight.key, fut.result(), None), False
        except BrokenProcessPool:
            return self._lost(flight), True
        except Exception as exc:  # noqa: BLE001 - a task's failure is data
            return (flight.key, None, TaskError("exception", describe(exc))), False

    def _lost(self, flight: _Flight) -> Outcome[Any] | None:
        """The outcome of a task lost with its pool: ``None`` (run it again, alone) unless it ran
        alone, and so is the task that stopped or killed its worker."""
        if flight.solo and flight.overdue:
            message = (
                f"the page took longer than {self.task_timeout_s:g} s (batch.task_timeout_s);"
                " its worker was stopped"
            )
            return (flight.key, None, TaskError("timeout", message))
        if flight.solo:
            memory = (
                f"over its memory limit of {_gib(self.memory_limit)}"
                if self.memory_limit
                else "out of memory"
            )
            message = f"the worker process died while processing this page (a crash, or {memory})"
            return (flight.key, None, TaskError("worker_died", message))
        return None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self.listener is not None:
            self.listener.stop()
            self.listener = None


class _ParentLog(logging.Handler):
    """Hands worker log records to the parent's logger of the same name (so its handlers apply)."""

    def emit(self, record: logging.LogRecord) -> None:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def _dask_worker_setup() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


class DaskExecutor:
    """Runs page tasks on a Dask cluster: an existing one (``scheduler="tcp://host:port"``) or a
    ``LocalCluster`` of ``local_workers`` single-threaded worker processes, started on first use."""

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        local_workers: int | None = None,
        in_flight_per_worker: int = 2,
        timeout_s: float = 30.0,
        memory_limit: int | None = None,
    ) -> None:
        if not scheduler and not local_workers:
            raise ValueError("DaskExecutor needs a scheduler address or a number of local workers")
        self.scheduler = scheduler
        self.local_workers = local_workers
        self.per_worker = in_flight_per_worker
        self.timeout_s = timeout_s
        self.memory_limit = memory_limit  # per local worker (Dask's nanny restarts one that passes it)
        self.cluster: Any = None
        self.client: Any = None

    def _connect(self) -> Any:
        if self.client is not None:
            return self.client
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependencyError(
                "Dask executors need dask[distributed]: pip install 'dask[distributed]'"
            ) from exc
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout=self.timeout_s)
            else:
                self.cluster = LocalCluster(
                    n_workers=self.local_workers,
                    processes=True,
                    threads_per_worker=1,
                    dashboard_address=None,
                    env={"OMP_THREAD_LIMIT": "1"},
                    silence_logs=logging.WARNING,
                    memory_limit=self.memory_limit or 0,
                )
                self.client = Client(self.cluster, timeout=self.timeout_s)
            self.client.wait_for_workers(1, timeout=self.timeout_s)
            self.client.run(_dask_worker_setup)
        except (OSError, TimeoutError) as exc:
            where = self.scheduler or f"a local cluster of {self.local_workers} workers"
            self.close()
            raise ExecutorError(f"cannot use Dask at {where}: {exc}") from exc
        return self.client

    @property
    def workers(self) -> int:
        if self.client is None:
            return self.local_workers or 1
        info = self.client.scheduler_info()
        return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[tuple[K, Any]]) -> Iterator[Outcome[K]]:
        from distributed import as_completed

        client = self._connect()
        limit = self.workers * self.per_worker
        source = iter(items)
        keys: dict[Any, K] = {}
        running = as_completed()

        def submit() -> bool:
            try:
                key, task = next(source)
            except StopIteration:
                return False
            fut = client.submit(run_task, fn, task, pure=False, key=f"page-{uuid.uuid4().hex}")
            keys[fut] = key
            running.add(fut)
            return True

        while len(keys) < limit and submit():
            pass
        try:
            for fut in running:
                key = keys.pop(fut)
                if fut.status == "finished":
                    outcome: Outcome[K] = (key, fut.result(), None)
                else:
                    exc = fut.exception()
                    kind = "worker_died" if type(exc).__name__ == "KilledWorker" else "exception"
                    outcome = (key, None, TaskError(kind, describe(exc)))
                fut.release()
                submit()
                yield outcome
        finally:
            for fut in keys:
                fut.cancel()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def _gib(size: int) -> str:
    return f"{size / (1 << 30):.1f} GiB"


__all__ = [
    "DaskExecutor",
    "Executor",
    "Outcome",
    "ProcessExecutor",
    "SerialExecutor",
    "TaskError",
    "available_cpus",
    "describe",
    "init_worker",
    "limit_memory",
    "run_task",
]
