"""Command line: ``python pipeline.py INPUT... --out DIR`` (also installed as ``bcubnd-extract``).

Argument parsing, progress and exit codes; the work is :func:`extract.batch.run_batch`.

Exit codes: see :data:`EXIT_CODES` (printed by ``--help``).  Every error is one line on stderr
naming the path and what to do; ``--verbose`` adds the traceback.  Configs and options are all
checked, and the inputs looked at, before any output is created or any page read.

Only results go to stdout (the location of every output, one a line); logs, progress and the
summary go to stderr.  Progress is a tqdm bar when stderr is a terminal, else a log line every
``batch.progress_interval_s`` seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import glob
import logging
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .errors import ExtractError, UsageError

log = logging.getLogger("extract")

MAX_LISTED_FAILURES = 20  # failures printed in the summary; the manifest holds them all
EXIT_USAGE = 2
EXIT_OUTPUTS = 7  # extract.writers.OutputError
EXIT_INTERNAL = 10
EXIT_INTERRUPTED = 130

#: Every exit code of the command and its meaning (``--help`` prints this table).
EXIT_CODES: dict[int, str] = {
    0: "every input was read (some values may be flagged for review)",
    1: "the batch finished, but some inputs or pages failed (see the manifest)",
    EXIT_USAGE: "usage error: a bad option, an input that does not exist, or inputs that find no file",
    3: "an input file stopped the run",
    4: "a config file or setting is invalid (configs/*.yaml, or an option such as --dpi)",
    5: "a required tool or data file is missing (tesseract, its Vietnamese model, psycopg)",
    6: "an external tool failed",
    EXIT_OUTPUTS: "the outputs cannot be written (folder, disk, database)",
    8: "the executor cannot run tasks (Dask scheduler unreachable, no workers)",
    9: "another run is using this --out folder (or --db)",
    EXIT_INTERNAL: "an unexpected internal error (a bug: re-run with --verbose and report it)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C): re-run the same command to resume",
}

EXAMPLES = """\
examples:
  bcubnd-extract scans/ --out out                      # a folder, recursively: SQLite + CSV + JSON
  bcubnd-extract a.pdf b.tif archive.zip --out out --format sqlite,csv,parquet,excel
  bcubnd-extract @todo.txt --out out --workers 4       # one input a line
  bcubnd-extract scans/ --out out --db postgresql://user@host:5432/reports
  bcubnd-extract scans/ --out out --configs my-configs --dpi 300
  bcubnd-extract review out                            # review the flagged cells in the browser
  python -c "from extract import load_results; print(load_results('out')['cell_values'])"
"""


def build_parser() -> argparse.ArgumentParser:
    from .writers import WRITERS

    p = argparse.ArgumentParser(
        prog="bcubnd-extract",
        description="Extract the tables of scanned BC-UBND reports into validated, tidy outputs.",
        epilog="Re-running with the same --out resumes: finished pages and documents are not redone.\n\n"
        "exit codes:\n"
        + "".join(f"  {code:<4} {text}\n" for code, text in EXIT_CODES.items())
        + "\n"
        + EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="PDF/TIFF/PNG/JPEG files, folders (recursive), globs, zip archives, or @list.txt",
    )
    p.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="output folder (also holds the manifest)"
    )
    p.add_argument(
        "--format",
        dest="formats",
        metavar="LIST",
        help=f"comma-separated outputs among {','.join(WRITERS)} (default: batch.formats of pipeline.yaml,"
        " i.e. sqlite,csv,json)",
    )
    p.add_argument(
        "--db", metavar="URL", help="database URL: sqlite:///file.sqlite or postgresql://user@host:port/db"
    )
    p.add_argument(
        "--configs", metavar="DIR", help="configs folder (default: $EXTRACT_CONFIGS or the repository's)"
    )
    p.add_argument(
        "--dpi", type=float, help="render resolution for PDF pages (default: page.dpi of pipeline.yaml)"
    )
    run = p.add_mutually_exclusive_group()
    run.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: all CPUs)")
    run.add_argument("--serial", action="store_true", help="process pages one at a time in this process")
    run.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on an existing Dask cluster (tcp://host:port)"
    )
    run.add_argument(
        "--dask-local", type=int, metavar="N", help="start a local Dask cluster of N worker processes"
    )
    p.add_argument(
        "--max-memory-per-worker",
        metavar="SIZE",
        help="address-space limit of each worker process, e.g. 3GiB or 1500MiB; a page that needs more"
        " fails alone with that reason (default: batch.max_memory_per_worker of pipeline.yaml, 'auto':"
        " 80%% of the machine's memory shared among the workers; 0: no limit)",
    )
    p.add_argument(
        "--one-document",
        action="store_true",
        help="each folder, glob or @list INPUT is one document, its files in page order"
        " (numbers in names compare as numbers: p-9.png before p-10.png)",
    )
    p.add_argument(
        "--retry-failed", action="store_true", help="compute failed pages and unreadable files again"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines")
    p.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="more log output, tracebacks of errors (-vv: debug)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors on stderr")
    return p


def choose_formats(formats: str | None, db: str | None, defaults: Sequence[str]) -> list[str]:
    """The outputs to write.  Raises ``ValueError`` for an unusable combination.

    Without ``--format``, a PostgreSQL ``--db`` replaces the default SQLite output.
    """
    from .writers import WRITERS
    from .writers.postgres import is_postgres_url

    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()] if formats else list(defaults)
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        raise ValueError(f"unknown --format {','.join(unknown)} (choose from {','.join(WRITERS)})")
    if not chosen:
        raise ValueError("--format names no output")
    postgres = is_postgres_url(db)
    if postgres and not formats:
        chosen = ["postgres" if f == "sqlite" else f for f in chosen]
        if "postgres" not in chosen:
            chosen.insert(0, "postgres")
    if "postgres" in chosen and not postgres:
        raise ValueError("--format postgres needs --db postgresql://user@host:port/database")
    if db and not postgres and not db.startswith("sqlite"):
        raise ValueError(f"--db {db!r}: use a sqlite:/// or postgresql:// URL")
    if db and not postgres and "sqlite" not in chosen:
        raise ValueError("--db names a SQLite database but --format leaves out sqlite")
    return list(dict.fromkeys(chosen))


class LogProgress:
    """Progress as a log line every ``interval_s`` seconds (stderr is not a terminal)."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self.total = self.done = self.failed = 0
        self.started = self.last = 0.0

    def start(self, total: int) -> None:
        self.total = total
        self.started = self.last = time.monotonic()
        log.info("computing %d page(s)", total)

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if now - self.last >= self.interval_s:
            self.last = now
            self._line(now)

    def _line(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        log.info(
            "pages %d/%d (%.0f%%), %d failed, %.2f pages/s, ETA %s",
            self.done,
            self.total,
            100.0 * self.done / max(self.total, 1),
            self.failed,
            rate,
            _duration(eta),
        )

    def close(self) -> None:
        if self.total:
            self._line(time.monotonic())


class TqdmProgress:
    """A tqdm bar on stderr: pages done, pages/s, ETA, failures so far."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: Any = None
        self.failed = 0

    def start(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="page", file=self.stream, dynamic_ncols=True, smoothing=0.05)
        self.bar.set_postfix(failed=0)

    def advance(self, failed: bool) -> None:
        if failed:
            self.failed += 1
            self.bar.set_postfix(failed=self.failed, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    s = round(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose >= 2 else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "%(levelname)s %(message)s" if verbose < 2 else "%(levelname)s %(name)s: %(message)s"
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if verbose < 2:
        for noisy in ("distributed", "tornado", "bokeh", "asyncio"):
            logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


@contextlib.contextmanager
def _progress_logging(tty: bool) -> Iterator[None]:
    if tty:
        from tqdm.contrib.logging import logging_redirect_tqdm

        with logging_redirect_tqdm():
            yield
    else:
        yield


def _print_summary(summary: Any) -> None:
    files = ", ".join(f"{n} {s}" for s, n in sorted(summary.files.items())) or "none"
    pages = ", ".join(f"{n} {s}" for s, n in sorted(summary.pages.items())) or "none"
    rate = summary.pages_computed / summary.seconds if summary.seconds > 0 else 0.0
    log.info("files: %s", files)
    log.info("pages: %s", pages)
    log.info(
        "computed %d page(s) (%.2f pages/s), reused %d, wrote %d document(s) in %s",
        summary.pages_computed,
        rate,
        summary.pages_reused,
        summary.documents_written,
        _duration(summary.seconds),
    )
    for message in summary.failures[:MAX_LISTED_FAILURES]:
        log.warning("failed: %s", message)
    if len(summary.failures) > MAX_LISTED_FAILURES:
        log.warning(
            "... and %d more failures (see the manifest)", len(summary.failures) - MAX_LISTED_FAILURES
        )


def main(argv: Sequence[str] | None = None, *, functions: Any = None) -> int:
    """Run the CLI; returns the exit code.  ``functions`` replaces the pipeline (tests)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["review"] and "--out" not in argv:  # the review app (extract/review/server.py)
        return _review(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error (already printed)
        return int(exc.code or 0)
    _configure_logging(args.verbose, args.quiet)
    trace = args.verbose > 0
    try:
        return _run(parser, args, functions)
    except KeyboardInterrupt:
        log.error("interrupted: re-run the same command to resume")
        return EXIT_INTERRUPTED
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        log.error("%s", exc, exc_info=trace)
        return exc.exit_code
    except ExtractError as exc:
        log.error("%s", _one_line(str(exc)), exc_info=trace)
        return exc.exit_code
    except OSError as exc:  # left over from creating the outputs: name the path
        where = f"{exc.filename}: " if exc.filename else ""
        log.error("%s%s (check --out and its permissions)", where, exc.strerror or exc, exc_info=trace)
        return EXIT_OUTPUTS
    except Exception as exc:
        log.error(
            "unexpected error: %s: %s (re-run with --verbose for the traceback, and report it)",
            type(exc).__name__,
            _one_line(str(exc)),
            exc_info=trace,
        )
        return EXIT_INTERNAL


def _one_line(message: str) -> str:
    """``message`` on one line (SQLAlchemy and pydantic messages span several, with links)."""
    first = message.strip().splitlines()[0] if message.strip() else message
    return first.split(" (Background on this error at:")[0]


def check_inputs(specs: Sequence[str], out: Path) -> None:
    """Before any output is created: every INPUT named on the command line exists (a path, a glob
    that matches, a readable ``@list`` file), and together they find at least one file of a
    supported type.  Raises :class:`UsageError`.  (Problems inside folders, archives and list
    files are the batch's: they become failed or skipped manifest rows.)"""
    from .errors import InputFileError
    from .ingest import open_regular, os_error_reason
    from .inputs import ARCHIVE_SUFFIXES, SUPPORTED_SUFFIXES

    wanted = SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES
    skip = os.path.abspath(out)

    def usable(name: str) -> bool:
        return os.path.splitext(name)[1].lower() in wanted

    def finds(path: str) -> bool:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if os.path.abspath(os.path.join(root, d)) != skip]
                if any(usable(f) for f in files):
                    return True
            return False
        return os.path.exists(path)  # a named file: even an unsupported one is a manifest row

    def listed(path: str, seen: tuple[str, ...]) -> bool:
        try:
            with open_regular(path) as fh:  # a FIFO named as a list would block forever
                text = fh.read().decode("utf-8-sig")
        except InputFileError as exc:
            raise UsageError(f"@{path}: cannot read the list file: {exc.reason}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"@{path}: cannot read the list file: {exc}") from exc
        base = os.path.dirname(os.path.abspath(path))
        found = False
        for line in text.splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#"):
                entry = os.path.expanduser(entry)
                entry = entry if os.path.isabs(entry) else os.path.join(base, entry)
                found = one(entry, seen, named=False) or found
        return found

    def one(spec: str, seen: tuple[str, ...], named: bool) -> bool:
        if spec.startswith("@"):
            path = os.path.abspath(os.path.expanduser(spec[1:]))
            return path not in seen and listed(path, (*seen, path))
        path = os.path.expanduser(spec)
        try:
            os.stat(path)
        except OSError as exc:  # a locked folder or a link loop is not "no such file"
            if exc.errno != errno.ENOENT and named:
                raise UsageError(f"{spec}: {os_error_reason(exc)} (check the path)") from exc
        else:
            return finds(path)
        matches = glob.glob(path, recursive=True) if set("*?[") & set(spec) else []
        if matches:
            return any(finds(m) for m in matches)
        if named:
            what = "no file matches this pattern" if set("*?[") & set(spec) else "no such file or folder"
            raise UsageError(f"{spec}: {what} (check the path)")
        return False  # a missing line of a list file is a failed manifest row

    found = False
    for spec in specs:
        found = one(spec, (), named=True) or found
    if not found:
        supported = " ".join(sorted(wanted))
        raise UsageError(f"{' '.join(specs)}: no input file found (looked for {supported})")


def _review(argv: list[str]) -> int:
    from .review.server import main as review_main

    _configure_logging(0, False)
    try:
        return review_main(argv)
    except SystemExit as exc:  # --help, or a usage error (already printed)
        return int(exc.code or 0)
    except ExtractError as exc:
        log.error("%s", exc)
        return exc.exit_code


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, functions: Any) -> int:
    from .batch import default_functions, memory_per_worker, prepare_out, run_batch
    from .config import load_config
    from .executors import DaskExecutor, ProcessExecutor, SerialExecutor, available_cpus
    from .task_options import TaskOptions
    from .writers import WriterContext, make_writers

    for name in ("workers", "dask_local"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    # every config file and setting, before anything else (exit 4)
    config = load_config(args.configs)
    task_options = TaskOptions(dpi=args.dpi)  # OptionError (exit 4) naming the option
    if args.max_memory_per_worker is not None:
        config = config.override(
            "batch", "--max-memory-per-worker", max_memory_per_worker=args.max_memory_per_worker
        )
    configs = config.folder
    settings = config.batch
    functions = functions or default_functions()
    workers = args.dask_local or args.workers or available_cpus()
    try:
        formats = choose_formats(args.formats, args.db, settings.formats)
        memory_limit = memory_per_worker(settings.max_memory_per_worker, workers, settings)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    check_inputs(args.inputs, args.out)
    prepare_out(args.out)  # OutputError (exit 7) before any work when --out cannot be written

    if args.serial:
        executor: Any = SerialExecutor()
    elif args.scheduler or args.dask_local:
        executor = DaskExecutor(
            args.scheduler,
            local_workers=args.dask_local,
            in_flight_per_worker=settings.in_flight_per_worker,
            timeout_s=settings.dask_timeout_s,
            memory_limit=memory_limit if args.dask_local else None,
        )
    else:
        executor = ProcessExecutor(
            args.workers,
            in_flight_per_worker=settings.in_flight_per_worker,
            start_method=settings.start_method,
            log_level=logging.getLogger().level,
            memory_limit=memory_limit,
            task_timeout_s=settings.task_timeout_s,
        )
    tty = sys.stderr.isatty()
    progress = (
        None
        if args.no_progress
        else TqdmProgress(sys.stderr)
        if tty
        else LogProgress(settings.progress_interval_s)
    )
    context = WriterContext(out_dir=args.out, db_url=args.db, config_dir=configs)
    with _progress_logging(tty and progress is not None):
        if args.one_document:
            from .grouping import group_inputs

            args.inputs = group_inputs(args.inputs, args.out)
        summary = run_batch(
            args.inputs,
            args.out,
            executor=executor,
            writers=lambda: make_writers(formats, context),  # opened under the output folder's lock
            settings=config,
            progress=progress,
            functions=functions,
            retry_failed=args.retry_failed,
            task_options=task_options,
        )
    _print_summary(summary)
    for location in summary.outputs:
        print(location)
    sys.stdout.flush()
    return summary.exit_code


__all__ = [
    "EXIT_CODES",
    "LogProgress",
    "TqdmProgress",
    "UsageError",
    "build_parser",
    "check_inputs",
    "choose_formats",
    "main",
]
