"""Command line: ``python pipeline.py INPUT... --out DIR`` (also installed as ``bcubnd-extract``).

Argument parsing, progress and exit codes; the work is :func:`extract.batch.run_batch`.

Exit codes: 0 every file and page was read; 1 the batch finished but some inputs or pages failed
(see the manifest); 2 usage error; 130 interrupted; otherwise the ``exit_code`` of the
:mod:`extract.errors` exception that stopped the batch (configs 4, missing dependency 5,
outputs 7, executor 8, output folder busy 9).

Only results go to stdout (the location of every output, one a line); logs, progress and the
summary go to stderr.  Progress is a tqdm bar when stderr is a terminal, else a log line every
``batch.progress_interval_s`` seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .errors import ExtractError

log = logging.getLogger("extract")

MAX_LISTED_FAILURES = 20  # failures printed in the summary; the manifest holds them all
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    from .writers import WRITERS

    p = argparse.ArgumentParser(
        prog="bcubnd-extract",
        description="Extract the tables of scanned BC-UBND reports into validated, tidy outputs.",
        epilog="Re-running with the same --out resumes: finished pages and documents are not redone."
        " Review the flagged cells in the browser: bcubnd-extract review OUT (see review --help).",
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
        "--retry-failed", action="store_true", help="compute failed pages and unreadable files again"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
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
    try:
        return _run(parser, args, functions)
    except KeyboardInterrupt:
        log.error("interrupted: re-run the same command to resume")
        return EXIT_INTERRUPTED
    except ExtractError as exc:
        log.error("%s", exc)
        return exc.exit_code


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
    from .batch import (
        DaskExecutor,
        ProcessExecutor,
        SerialExecutor,
        check_task_options,
        default_functions,
        load_settings,
        run_batch,
    )
    from .config import config_dir
    from .writers import WriterContext, make_writers

    configs = str(config_dir(args.configs)) if args.configs else None
    settings = load_settings(configs)
    for name in ("workers", "dask_local"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.print_usage(sys.stderr)
            log.error("--%s must be at least 1", name.replace("_", "-"))
            return EXIT_USAGE
    functions = functions or default_functions()
    options = {"dpi": args.dpi} if args.dpi is not None else {}
    try:
        formats = choose_formats(args.formats, args.db, settings.formats)
        check_task_options(functions, configs, options)
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        log.error("%s", exc)
        return EXIT_USAGE

    if args.serial:
        executor: Any = SerialExecutor()
    elif args.scheduler or args.dask_local:
        executor = DaskExecutor(
            args.scheduler,
            local_workers=args.dask_local,
            in_flight_per_worker=settings.in_flight_per_worker,
            timeout_s=settings.dask_timeout_s,
        )
    else:
        executor = ProcessExecutor(
            args.workers,
            in_flight_per_worker=settings.in_flight_per_worker,
            start_method=settings.start_method,
            log_level=logging.getLogger().level,
        )
    tty = sys.stderr.isatty()
    progress = (
        None
        if args.no_progress
        else TqdmProgress(sys.stderr)
        if tty
        else LogProgress(settings.progress_interval_s)
    )
    writers = make_writers(formats, WriterContext(out_dir=args.out, db_url=args.db, config_dir=configs))
    try:
        with _progress_logging(tty and progress is not None):
            summary = run_batch(
                args.inputs,
                args.out,
                executor=executor,
                writers=writers,
                config_dir=configs,
                progress=progress,
                functions=functions,
                retry_failed=args.retry_failed,
                task_options=options,
            )
    finally:
        for w in writers:
            w.close()
    _print_summary(summary)
    for location in summary.outputs:
        print(location)
    sys.stdout.flush()
    return summary.exit_code


__all__ = ["LogProgress", "TqdmProgress", "build_parser", "choose_formats", "main"]
