"""Executors: same results and failures through serial, process pool and Dask; bounded in flight;
a worker that dies fails only its own page."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from batch_fakes import SLOW_START_S, functions, slow_square, slow_start_worker, square_or_hang
from batch_helpers import dump_sqlite, write_good

from extract.batch import run_batch
from extract.cli import main
from extract.executors import ProcessExecutor, SerialExecutor
from extract.writers import WriterContext, make_writers


def _drive(executor, n: int):
    """Run slow_square over 0..n-1; return (outcomes by key, most tasks ever taken but not yet returned)."""
    taken = 0
    returned = 0
    worst = 0

    def items():
        nonlocal taken
        for i in range(n):
            taken += 1
            yield i, i

    outcomes = {}
    try:
        for key, result, error in executor.map_unordered(slow_square, items()):
            worst = max(worst, taken - returned)
            returned += 1
            outcomes[key] = (result, error)
    finally:
        executor.close()
    return outcomes, worst


@pytest.mark.parametrize("make", [SerialExecutor, lambda: ProcessExecutor(2, in_flight_per_worker=2)])
def test_executors_return_every_result_and_failure_with_bounded_flight(make) -> None:
    executor = make()
    outcomes, worst = _drive(executor, 40)
    assert sorted(outcomes) == list(range(40))
    for i, (result, error) in outcomes.items():
        if i == 13:
            assert result is None and error.kind == "exception" and "ValueError: thirteen" in error.message
        else:
            assert error is None and result == i * i
    limit = 1 if isinstance(executor, SerialExecutor) else 4
    assert worst <= limit  # never more tasks taken than workers x in_flight_per_worker


def test_a_dying_worker_fails_only_its_page(tmp_path: Path) -> None:
    inputs = write_good(tmp_path / "in", {"a.pdf": 2, "x_crashpage.pdf": 3, "b.pdf": 2})
    out = tmp_path / "out"
    writers = make_writers(["sqlite"], WriterContext(out_dir=out))
    summary = run_batch(
        [str(p) for p in inputs], out, executor=ProcessExecutor(2), writers=writers, functions=functions()
    )
    writers[0].close()
    assert summary.pages_computed == 7
    assert summary.pages.get("failed") == 1 and summary.exit_code == 1
    [message] = [f for f in summary.failures if "x_crashpage.pdf" in f]
    assert "x_crashpage.pdf, page 1" in message and "worker process died" in message and "[worker]" in message


def test_dask_local_cluster_gives_the_same_rows_as_serial(tmp_path: Path) -> None:
    write_good(tmp_path / "in", {"a.pdf": 3, "b_failpage.pdf": 3, "c_raisepage.pdf": 2, "d.pdf": 1})
    common = [str(tmp_path / "in"), "--format", "sqlite", "--no-progress"]
    assert main([*common, "--out", str(tmp_path / "serial"), "--serial"], functions=functions()) == 1
    assert main([*common, "--out", str(tmp_path / "dask"), "--dask-local", "2"], functions=functions()) == 1
    serial = dump_sqlite(tmp_path / "serial" / "results.sqlite")
    assert dump_sqlite(tmp_path / "dask" / "results.sqlite") == serial
    assert len(serial["pages"]) == 9 and len(serial["cell_values"]) > 0
    stages = {row[4] for row in serial["pages"] if row[2] == "failed"}
    assert stages == {"ocr", "worker"}


def test_an_existing_dask_scheduler_runs_the_batch(tmp_path: Path) -> None:
    from distributed import LocalCluster

    write_good(tmp_path / "in", {"a.pdf": 2, "b_failpage.pdf": 2})
    common = [str(tmp_path / "in"), "--format", "sqlite", "--no-progress"]
    assert main([*common, "--out", str(tmp_path / "serial"), "--serial"], functions=functions()) == 1
    with LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        code = main(
            [*common, "--out", str(tmp_path / "remote"), "--scheduler", cluster.scheduler_address],
            functions=functions(),
        )
    assert code == 1
    assert dump_sqlite(tmp_path / "remote" / "results.sqlite") == dump_sqlite(
        tmp_path / "serial" / "results.sqlite"
    )


HANG_TIMEOUT_S = 2.0


def test_a_task_that_hangs_is_stopped_and_fails_alone() -> None:
    executor = ProcessExecutor(2, in_flight_per_worker=2, task_timeout_s=HANG_TIMEOUT_S)
    started = time.monotonic()
    try:
        outcomes = {
            key: (result, error)
            for key, result, error in executor.map_unordered(square_or_hang, ((i, i) for i in range(12)))
        }
    finally:
        executor.close()
    took = time.monotonic() - started
    assert sorted(outcomes) == list(range(12))
    result, error = outcomes[7]
    assert result is None and error is not None and error.kind == "timeout"
    assert f"took longer than {HANG_TIMEOUT_S:g} s (batch.task_timeout_s)" in error.message
    assert all(outcomes[i] == (i * i, None) for i in range(12) if i != 7)
    assert took < 120  # not the hour the task would sleep: once in the pool, once alone, worker start-ups


class _SlowStartExecutor(ProcessExecutor):
    def _new_pool(self):  # type: ignore[no-untyped-def]
        pool = super()._new_pool()
        pool._initializer = slow_start_worker  # every worker of this pool starts slowly
        return pool


def test_the_task_timeout_counts_from_when_a_worker_begins_the_task_not_from_the_queue() -> None:
    # workers that take longer to start than the timeout (a loaded machine) must not turn good
    # pages into timeouts: the clock starts when a worker begins the task
    timeout = SLOW_START_S / 2
    executor = _SlowStartExecutor(1, in_flight_per_worker=2, task_timeout_s=timeout)
    try:
        outcomes = {
            key: (result, error)
            for key, result, error in executor.map_unordered(square_or_hang, ((i, i) for i in range(4)))
        }
    finally:
        executor.close()
    assert outcomes == {i: (i * i, None) for i in range(4)}


class _DeadWorker:
    exitcode = -9

    def kill(self) -> None:
        pass


class _LivingWorker:
    exitcode = None

    def kill(self) -> None:
        pass


class _PoolThatMissesADeath:
    """A pool whose worker dies on the task "kill" and which never breaks its futures (what
    ``concurrent.futures`` can do when a worker is killed at the wrong moment): the futures of
    that pool stay pending forever. Other tasks finish at once, in this process."""

    def __init__(self) -> None:
        self._processes = {1: _LivingWorker(), 2: _LivingWorker()}

    def submit(self, _runner, _token, fn, task):
        from concurrent.futures import Future

        future: Future = Future()
        if task == "kill":
            self._processes[1] = _DeadWorker()
        else:
            future.set_result(fn(task))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def test_a_pool_that_misses_a_dead_worker_does_not_hang_the_batch(monkeypatch) -> None:
    import extract.executors as executors

    monkeypatch.setattr(executors, "DEAD_WORKER_GRACE_S", 0.2, raising=False)
    monkeypatch.setattr(executors, "TIMEOUT_POLL_S", 0.05)
    pools: list[_PoolThatMissesADeath] = []

    def new_pool() -> _PoolThatMissesADeath:
        pools.append(_PoolThatMissesADeath())
        return pools[-1]

    executor = ProcessExecutor(2, in_flight_per_worker=2)  # no task timeout: the case that hung
    monkeypatch.setattr(executor, "_new_pool", new_pool)
    outcomes: dict = {}

    def run() -> None:
        items = [(0, "a"), (1, "kill"), (2, "b")]
        outcomes.update(
            {key: (result, error) for key, result, error in executor.map_unordered(str.upper, items)}
        )

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(timeout=10)
    assert not runner.is_alive(), "the batch hung on a pool that never noticed its dead worker"
    assert outcomes[0] == ("A", None) and outcomes[2] == ("B", None)
    result, error = outcomes[1]
    assert result is None and error.kind == "worker_died" and "worker process died" in error.message
    assert len(pools) >= 2  # the stuck pool was replaced, and the killer task ran alone in a new one
