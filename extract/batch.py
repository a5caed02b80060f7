"""Batch runs over many files: the orchestration that keeps every page accounted for.

The page tasks run on an executor (:mod:`extract.executors`: serial, a local process pool, Dask).

**Orchestration** (:func:`run_batch`): discover inputs -> hash each file (the document id) ->
skip documents already complete -> count pages (an unreadable file becomes a failed file row, the
batch goes on) -> submit the missing pages -> store each page result in the manifest as it
arrives -> when all pages of a document are in, assemble it (in this process) -> write it to
every per-document output in one atomic step -> mark it done.  At the end the batch outputs
(CSV, Parquet, Excel) are rebuilt from the manifest.  Killed at any point, a re-run recomputes
only the pages that never arrived.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .config import PageStageSettings, Settings, load_config, settings_section
from .errors import BatchBusyError, InputFileError, MissingDependencyError, OutputError
from .executors import Executor, ProcessExecutor, TaskError, available_cpus, describe
from .ingest import os_error_reason
from .inputs import ArchiveLimits, InputFile, expand_inputs, remove_partial_members
from .manifest import FILE_NAME as MANIFEST_FILE
from .manifest import PENDING, Manifest, document_status, page_statuses
from .model import DocumentMeta, DocumentResult, PageResult, PageStatus
from .task_options import TaskOptions
from .writers import DEFAULT_FORMATS, Writer, WriterContext, make_writers
from .writers.files import remove_temp_files

log = logging.getLogger(__name__)

CACHE_DIR = "cache"  # under the output folder: extracted archive members
LOCK_FILE = ".lock"
WORKER_STAGE = "worker"  # error_stage of a page whose task raised or whose worker died


class BatchSettings(BaseModel):
    """Section ``batch`` of pipeline.yaml."""

    model_config = ConfigDict(extra="forbid")

    formats: list[str] = Field(default_factory=lambda: list(DEFAULT_FORMATS))  # outputs by default
    in_flight_per_worker: int = Field(2, ge=1)  # page tasks queued per worker (memory ~ workers pages)
    start_method: Literal["forkserver", "spawn"] = "forkserver"  # process pool start method
    dask_timeout_s: float = Field(30.0, gt=0)  # connecting to a scheduler / waiting for workers
    progress_interval_s: float = Field(10.0, gt=0)  # log-line progress period when stderr is no TTY
    task_timeout_s: float | None = Field(1800.0, gt=0)  # a page running longer stops its worker (None: never)
    # memory: each pool worker's address space is limited (RLIMIT_AS) so one page cannot take the
    # machine (and the batch) down; "auto" shares memory_share of the machine's memory among them
    max_memory_per_worker: str = "auto"  # "auto", a size ("3GiB", "1500MiB") or "0" (no limit)
    memory_share: float = Field(0.8, gt=0, le=1)  # of the machine's (or cgroup's) memory, for all workers
    min_memory_per_worker_mib: float = Field(1536, gt=0)  # "auto" never goes below this
    # archives (see extract.inputs.ArchiveLimits)
    max_member_mib: float = Field(2048, gt=0)  # uncompressed size of one archive member
    max_archive_mib: float = Field(8192, gt=0)  # uncompressed size of one archive, nested ones included
    max_compression_ratio: float = Field(250, gt=1)  # members larger than ...
    ratio_check_above_mib: float = Field(100, ge=0)  # ... this may expand at most that many times

    @field_validator("max_memory_per_worker")
    @classmethod
    def _a_size(cls, value: str) -> str:
        if value.strip().lower() != "auto":
            parse_size(value)  # ValueError: pydantic reports it as this setting's error
        return value

    @property
    def archive_limits(self) -> ArchiveLimits:
        return ArchiveLimits(
            max_member_mib=self.max_member_mib,
            max_archive_mib=self.max_archive_mib,
            max_ratio=self.max_compression_ratio,
            ratio_above_mib=self.ratio_check_above_mib,
        )


def load_settings(config_dir: str | None = None) -> BatchSettings:
    return settings_section(BatchSettings, "batch", config_dir)


CONFIG_STAGE = "config"  # the stage of a page that failed on its configuration (recomputed by any re-run)


# ------------------------------------------------------------------------------------------
# memory per worker

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def parse_size(text: str) -> int:
    """Bytes in a size such as ``"3GiB"``, ``"1500M"``, ``"2g"`` or ``"4096"`` (MiB when no unit
    is given).  Raises ``ValueError``."""
    found = _SIZE.match(text)
    if not found:
        raise ValueError(f"{text!r} is not a size (examples: 3GiB, 1500MiB, 0 for no limit)")
    number, unit = float(found.group(1)), found.group(2).lower() or "m"
    return int(number * (1 << (10 * "bkmgt".index(unit))))


def machine_memory() -> int:
    """Bytes of memory this process tree may use: physical memory, or a smaller cgroup limit."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in _CGROUP_LIMITS:
        with contextlib.suppress(OSError, ValueError):
            limit = int(Path(path).read_text().strip())
            if 0 < limit < total:
                total = limit
    return total


def memory_per_worker(setting: str, workers: int, settings: BatchSettings) -> int | None:
    """The address-space limit of one worker in bytes (``None``: no limit).

    ``setting`` is ``"auto"`` (``memory_share`` of :func:`machine_memory` split among ``workers``,
    at least ``min_memory_per_worker_mib``), a size, or ``"0"`` (no limit).
    """
    if setting.strip().lower() == "auto":
        share = int(machine_memory() * settings.memory_share / max(workers, 1))
        return max(share, int(settings.min_memory_per_worker_mib * (1 << 20)))
    size = parse_size(setting)
    return size or None


# ------------------------------------------------------------------------------------------
# the functions a batch runs


@dataclass(frozen=True)
class PipelineFunctions:
    """The per-page and per-document functions a batch calls (injectable for tests).

    ``process_page`` runs in workers and must be picklable (a module-level function);
    ``make_task(path, page_index, document_id, page_settings, options)`` builds its argument
    (``page_settings``: :meth:`Settings.page_stages`; ``options``: the command line's
    :class:`~extract.task_options.TaskOptions`); ``assemble_document`` gets the
    :class:`~extract.config.Settings`.
    """

    process_page: Callable[[Any], PageResult]
    assemble_document: Callable[[str, str, list[PageResult], Settings], DocumentResult]
    count_pages: Callable[[str], int]
    document_id: Callable[[str], str]
    make_task: Callable[[str, int, str, PageStageSettings, TaskOptions], Any]


def default_functions() -> PipelineFunctions:
    """The real pipeline (imported on first use)."""
    try:
        from .document import assemble_document
        from .ingest import count_pages, document_id
        from .page import PageTask, process_page
    except ImportError as exc:
        raise MissingDependencyError(f"cannot load the pipeline: {exc}") from exc

    return PipelineFunctions(process_page, assemble_document, count_pages, document_id, PageTask)


# ------------------------------------------------------------------------------------------
# orchestration


class Progress(Protocol):
    """Progress of the pages computed in this run (drawn by the CLI; never by workers)."""

    def start(self, total: int) -> None: ...

    def advance(self, failed: bool) -> None: ...

    def close(self) -> None: ...


@dataclass
class BatchSummary:
    """What a batch did.  ``files`` and ``pages`` count statuses over this run's inputs."""

    files: dict[str, int] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # one message per failed file or page
    pages_computed: int = 0  # pages processed in this run
    pages_reused: int = 0  # pages of unfinished documents whose stored results were reused
    documents_complete: int = 0  # documents finished by an earlier run (nothing to compute)
    documents_written: int = 0  # documents assembled and/or written in this run
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.files.get(PageStatus.FAILED.value) or self.pages.get(PageStatus.FAILED.value))

    @property
    def exit_code(self) -> int:
        """0: everything read; 1: the batch finished but some files or pages failed."""
        return 1 if self.failed else 0


@dataclass
class _Doc:
    document_id: str
    source: str
    path: str
    page_count: int
    missing: list[int]


def prepare_out(out_dir: str | os.PathLike[str]) -> Path:
    """Create the output folder when needed and check that files can be created in it.

    Raises :class:`OutputError` (one line naming the folder and why) for a path that is a file,
    a parent that does not allow it, a read-only folder or file system.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise OutputError(f"--out {out}: exists and is not a folder") from exc
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot create the output folder: {os_error_reason(exc)}") from exc
    if not out.is_dir():
        raise OutputError(f"--out {out}: exists and is not a folder")
    try:
        with tempfile.TemporaryFile(dir=out, prefix=".probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot write in the output folder: {os_error_reason(exc)}") from exc
    return out


@contextlib.contextmanager
def _exclusive(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for the run (released by the OS even after ``kill -9``)."""
    try:
        fh = open(out_dir / LOCK_FILE, "a")  # noqa: SIM115 - closed below, after the lock is released
    except OSError as exc:
        raise OutputError(f"--out {out_dir}: cannot create the lock file: {os_error_reason(exc)}") from exc
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BatchBusyError(f"{out_dir}: another run is using this output folder") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _open_manifest(path: Path) -> Manifest:
    try:
        return Manifest(path)
    except (sqlite3.Error, OSError) as exc:
        raise OutputError(f"{path}: cannot open the batch state: {exc}") from exc


def _remove_failed_copies(manifest: Manifest, files: Sequence[InputFile], cache: Path) -> None:
    """Delete the cache copies of archive members that could not be read (they are extracted
    again if the archive is run again); copies of readable documents stay for their provenance."""
    for item in files:
        if item.path == item.source or Path(item.path).parent != cache:
            continue
        row = manifest.file(item.source)
        if row is not None and row.status == PageStatus.FAILED.value and row.stage in ("input", "ingest"):
            with contextlib.suppress(OSError):
                os.unlink(item.path)


class _Batch:
    """One run of :func:`run_batch` (state shared by its steps)."""

    def __init__(
        self,
        manifest: Manifest,
        functions: PipelineFunctions,
        writers: Sequence[Writer],
        config: Settings,
        summary: BatchSummary,
    ) -> None:
        self.manifest = manifest
        self.fn = functions
        self.writers = writers
        self.config = config
        self.summary = summary
        from .review.rerun import Reviews  # sqlalchemy: not on a page worker's import path

        self.reviews = Reviews.for_writers(writers, config.folder)  # corrections made in the review app
        self.canonical: list[str] = []  # document ids this run is the canonical source of
        self.sources: set[str] = set()  # their sources

    # -- planning ---------------------------------------------------------------------------
    def register(self, item: InputFile, retry_failed: bool) -> _Doc | None:
        """Record an input; return the document to compute when it has missing pages."""
        m = self.manifest
        if not item.ok:
            m.set_file(
                item.source,
                item.path,
                document_id=None,
                status=item.status or "failed",
                reason=item.problem,
                stage="input",
            )
            return None
        try:
            document_id = self.fn.document_id(item.path)
        except (OSError, InputFileError) as exc:
            m.set_file(
                item.source,
                item.path,
                document_id=None,
                status="failed",
                reason=f"{item.source}: cannot read: {exc}",
                stage="input",
            )
            return None
        self._forget_old_content(item.source, document_id)
        state = m.add_document(document_id, item.source, item.path)
        if state.source != item.source:
            owner = m.file(state.source)
            owner_holds = owner is not None and owner.document_id == document_id
            if owner_holds and (state.complete or state.source in self.sources):
                m.set_file(
                    item.source,
                    item.path,
                    document_id=document_id,
                    status=PageStatus.SKIPPED.value,
                    reason=f"duplicate of {state.source} (same content)",
                    stage="input",
                )
                return None
            m.claim(document_id, item.source, item.path)  # the old source changed: this one takes over
            state = m.require_document(document_id)
        elif state.path != item.path:
            m.update_path(document_id, item.path)
        m.set_file(item.source, item.path, document_id=document_id, status=PENDING)
        m.mirror(document_id)
        self.canonical.append(document_id)
        self.sources.add(item.source)
        if state.complete and retry_failed and (state.status == PageStatus.FAILED.value or state.error):
            m.reopen(document_id, failed_pages=True)
        elif state.complete and any(stage == CONFIG_STAGE for *_x, stage in m.failed_pages([document_id])):
            m.reopen(document_id, failed_pages=True)  # pages failed under a broken configuration: never final
        elif state.complete:
            self.summary.documents_complete += 1
            return None
        return self._plan_pages(document_id, item)

    def _forget_old_content(self, source: str, document_id: str) -> None:
        """``source`` held other content before: drop that document from the outputs."""
        previous = self.manifest.file(source)
        old_id = previous.document_id if previous is not None else None
        if old_id is None or old_id == document_id:
            return
        old = self.manifest.document(old_id)
        others = [f for f in self.manifest.files() if f.document_id == old_id and f.source != source]
        if old is not None and old.source == source and not others:
            log.info("%s changed since the last run: replacing document %s", source, old.document_id)
            self.manifest.supersede(old.document_id)
            for w in self.writers:
                w.delete_document(old.document_id)

    def _plan_pages(self, document_id: str, item: InputFile) -> _Doc | None:
        m = self.manifest
        page_count = m.require_document(document_id).page_count
        if page_count is None:
            try:
                page_count = int(self.fn.count_pages(item.path))
            except InputFileError as exc:
                m.fail_document(document_id, _name_source(str(exc), item), "ingest")
                return None
            except Exception as exc:  # noqa: BLE001 - an unreadable file fails alone
                m.fail_document(document_id, f"{item.source}: cannot read: {describe(exc)}", "ingest")
                return None
            m.set_page_count(document_id, page_count)
        _pages, _broken = m.load_pages(document_id)  # drops stored results that no longer load
        stored = m.page_indices(document_id)
        missing = [i for i in range(page_count) if i not in stored]
        self.summary.pages_reused += page_count - len(missing)
        return _Doc(document_id, item.source, item.path, page_count, missing)

    # -- results ----------------------------------------------------------------------------
    def page_arrived(self, doc: _Doc, page_index: int, result: Any, error: TaskError | None) -> bool:
        """Store one page's outcome; returns whether it failed."""
        if error is not None:
            result = _failed_page(doc, page_index, f"{error.message}", WORKER_STAGE)
        elif not isinstance(result, PageResult) or result.page_index != page_index:
            got = (
                type(result).__name__
                if not isinstance(result, PageResult)
                else f"page {result.page_index + 1}"
            )
            result = _failed_page(doc, page_index, f"the page task returned {got}", WORKER_STAGE)
        elif doc.path != doc.source:  # name the archive member, not its cache file
            result = dataclasses.replace(
                result,
                source=doc.source,
                error=result.error.replace(doc.path, doc.source) if result.error else None,
            )
        self.manifest.save_page(doc.document_id, result)
        self.summary.pages_computed += 1
        return result.failed

    def complete(self, doc: _Doc) -> None:
        """Assemble a document whose pages are all stored, record it, write it everywhere."""
        pages, _broken = self.manifest.load_pages(doc.document_id)
        stored = {p.page_index for p in pages}
        pages += [
            _failed_page(doc, i, "the stored page result could not be read back", "state")
            for i in range(doc.page_count)
            if i not in stored
        ]
        pages.sort(key=lambda p: p.page_index)
        stage = None
        try:
            result = self.fn.assemble_document(doc.document_id, doc.source, pages, self.config)
        except Exception as exc:
            log.debug("assembling %s failed", doc.source, exc_info=True)
            result = DocumentResult(
                document_id=doc.document_id,
                source=doc.source,
                page_count=doc.page_count,
                meta=DocumentMeta(),
                pages=tuple(pages),
                tables=(),
                error=f"{doc.source}: cannot assemble the document: {describe(exc)}",
            )
            stage = "assemble"
        if result.page_count != doc.page_count or result.source != doc.source:
            result = dataclasses.replace(result, page_count=doc.page_count, source=doc.source)
        digest = self.manifest.finish_document(
            result, document_status(result), page_statuses(result), stage=stage
        )
        self.write(result, digest)

    def write(self, doc: DocumentResult, digest: str) -> None:
        rows = self.manifest.manifest_rows(doc.document_id)
        doc = self.reviews.apply(doc)  # reviewed values re-applied to what is written
        for w in self.writers:
            if w.per_document and self.manifest.needs_write(doc.document_id, w.target):
                w.write_document(doc, rows)
                self.manifest.mark_written(doc.document_id, w.target, digest)
        self.summary.documents_written += 1

    def catch_up(self, document_id: str) -> None:
        """Write a finished document to the per-document outputs that lack it."""
        state = self.manifest.document(document_id)
        if state is None or not state.complete or state.digest is None:
            return
        if any(w.per_document and self.manifest.needs_write(document_id, w.target) for w in self.writers):
            self.write(self.manifest.load_document(document_id), state.digest)


def _name_source(message: str, item: InputFile) -> str:
    return message.replace(item.path, item.source) if item.path != item.source else message


def _failed_page(doc: _Doc, page_index: int, reason: str, stage: str) -> PageResult:
    return PageResult(
        source=doc.source,
        page_index=page_index,
        page_count=doc.page_count,
        dpi=0.0,
        width=0,
        height=0,
        error=f"{doc.source}, page {page_index + 1}: {reason}",
        error_stage=stage,
    )


def _tasks(
    docs: Sequence[_Doc], fn: PipelineFunctions, config: Settings, options: TaskOptions
) -> Iterator[tuple[tuple[int, int], Any]]:
    stages = config.page_stages()
    for n, doc in enumerate(docs):
        for page_index in doc.missing:
            yield (n, page_index), fn.make_task(doc.path, page_index, doc.document_id, stages, options)


def run_batch(
    inputs: Sequence[str],
    out_dir: str | os.PathLike[str],
    *,
    executor: Executor | None = None,
    writers: Sequence[Writer] | Callable[[], Sequence[Writer]] | None = None,
    config_dir: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    functions: PipelineFunctions | None = None,
    retry_failed: bool = False,
    task_options: TaskOptions | None = None,
) -> BatchSummary:
    """Process every page of every input into ``out_dir``; resumable and idempotent.

    ``inputs``: files, folders, globs, ``@list.txt`` files, zip archives (see :mod:`extract.inputs`).
    ``executor``: defaults to a :class:`ProcessExecutor` over all CPUs (closed at the end either way).
    ``writers``: defaults to the ``batch.formats`` of pipeline.yaml (SQLite, CSV and JSON); a
    callable is called (and its writers closed at the end) once the output folder's lock is held,
    so two runs on one folder never race to create database tables.
    ``settings``: the validated configs (default: ``load_config(config_dir)``), passed to every stage.
    ``retry_failed``: compute failed pages and unreadable files again.
    ``task_options``: the command line's options of every page task (default: none set).
    Raises :class:`ExtractError` subclasses only for problems that stop the whole batch
    (outputs that cannot be written, an unusable executor, a busy output folder).
    """
    started = time.perf_counter()
    functions = functions or default_functions()
    options = task_options or TaskOptions()
    config = settings or load_config(config_dir)  # every config checked before the output folder
    config_dir = config.folder
    batch_settings = config.batch
    out = prepare_out(out_dir)
    summary = BatchSummary()
    with contextlib.ExitStack() as stack:
        stack.enter_context(_exclusive(out))
        removed = remove_temp_files(out) + remove_partial_members(out / CACHE_DIR)
        if removed:
            log.info("removed %d temporary file(s) left by an interrupted run", removed)
        writers = _open_writers(
            stack, writers, batch_settings.formats, WriterContext(out, config_dir=config_dir)
        )
        executor = executor if executor is not None else _default_executor(batch_settings)
        stack.callback(executor.close)
        manifest = stack.enter_context(_open_manifest(out / MANIFEST_FILE))
        batch = _Batch(manifest, functions, writers, config, summary)

        files = expand_inputs(inputs, out / CACHE_DIR, exclude=[out], limits=batch_settings.archive_limits)
        docs = [d for d in (batch.register(f, retry_failed) for f in files) if d is not None]
        log.info(
            "%d input file(s): %d document(s) already complete, %d to finish with %d page(s) to compute"
            " (%d stored page(s) reused)",
            len(files),
            summary.documents_complete,
            len(docs),
            sum(len(d.missing) for d in docs),
            summary.pages_reused,
        )
        for document_id in batch.canonical:
            batch.catch_up(document_id)
        for doc in docs:
            if not doc.missing:
                batch.complete(doc)
        todo = [d for d in docs if d.missing]
        if todo:
            _compute(batch, todo, executor, _tasks(todo, functions, config, options), progress)
        batch.reviews.refresh(manifest, writers, manifest.manifest_rows)
        for w in writers:
            summary.outputs.extend(w.finish(batch.reviews.store(manifest)))
        batch.reviews.report_orphans()
        _account(manifest, files, batch.canonical, summary)
        _remove_failed_copies(manifest, files, out / CACHE_DIR)
    summary.seconds = time.perf_counter() - started
    return summary


def _open_writers(
    stack: contextlib.ExitStack[Any],
    writers: Sequence[Writer] | Callable[[], Sequence[Writer]] | None,
    formats: Sequence[str],
    context: WriterContext,
) -> Sequence[Writer]:
    """The writers of the run: ``writers`` as given, or made now (``None``: ``formats``; a
    callable: called) and closed when ``stack`` closes."""
    if writers is not None and not callable(writers):
        return writers
    opened: list[Writer] = []

    def close_opened() -> None:
        for w in opened:
            w.close()

    stack.callback(close_opened)
    opened += make_writers(formats, context) if writers is None else writers()
    return opened


def _default_executor(settings: BatchSettings) -> ProcessExecutor:
    """A process pool over every CPU with the ``batch`` settings' limits."""
    return ProcessExecutor(
        in_flight_per_worker=settings.in_flight_per_worker,
        start_method=settings.start_method,
        memory_limit=memory_per_worker(settings.max_memory_per_worker, available_cpus(), settings),
        task_timeout_s=settings.task_timeout_s,
    )


def _compute(
    batch: _Batch,
    todo: Sequence[_Doc],
    executor: Executor,
    tasks: Iterator[tuple[tuple[int, int], Any]],
    progress: Progress | None,
) -> None:
    """Run the missing pages of ``todo``; store each page as it arrives and complete each
    document when its last page is in."""
    remaining = {n: len(d.missing) for n, d in enumerate(todo)}
    if progress is not None:
        progress.start(sum(remaining.values()))
    try:
        for (n, page_index), result, error in executor.map_unordered(batch.fn.process_page, tasks):
            failed = batch.page_arrived(todo[n], page_index, result, error)
            if progress is not None:
                progress.advance(failed)
            remaining[n] -= 1
            if remaining[n] == 0:
                batch.complete(todo[n])
    finally:
        if progress is not None:
            progress.close()


def _account(
    manifest: Manifest, files: Sequence[InputFile], canonical: Sequence[str], summary: BatchSummary
) -> None:
    """Fill the summary's counts and failure messages from the manifest (this run's inputs)."""
    ids = list(dict.fromkeys(canonical))
    summary.pages = manifest.page_counts(ids)
    page_failures: list[str] = []
    for source, page_index, error, stage in manifest.failed_pages(ids):
        prefix = f"{source}, page {page_index + 1}"
        message = error or "failed"
        page_failures.append(f"{message if message.startswith(source) else f'{prefix}: {message}'} [{stage}]")
    listed = {line.rsplit(" [", 1)[0] for line in page_failures}
    for row in manifest.files(f.source for f in files):
        summary.files[row.status] = summary.files.get(row.status, 0) + 1
        if (
            row.status == PageStatus.FAILED.value
            and row.reason
            and row.stage in ("input", "ingest", "assemble")
            and row.reason not in listed  # a one-page file that failed: its page says it already
        ):
            summary.failures.append(
                row.reason if row.reason.startswith(row.source) else f"{row.source}: {row.reason}"
            )
    summary.failures.extend(page_failures)


__all__ = [
    "BatchSettings",
    "BatchSummary",
    "PipelineFunctions",
    "Progress",
    "default_functions",
    "load_settings",
    "machine_memory",
    "memory_per_worker",
    "parse_size",
    "prepare_out",
    "run_batch",
]
