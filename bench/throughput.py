"""Archive-scale throughput of the batch CLI: pages/s per worker, memory, resume after ``kill -9``.

``python -m bench.throughput [--docs N] [--out DIR] [--seed S]``

1. **Archive.**  Generate (deterministically, :mod:`extract.synth.build`, quality
   :data:`QUALITY` at :data:`DPI` dpi) ``N`` documents of 1-:data:`MAX_PAGES` pages each: one
   form, the cover and one form, or two forms of the sample report, some upside down, most as
   image-only PDFs, some as multi-page TIFFs or PNGs; plus a truncated PDF and a ``.txt`` file.
   Ground truth goes to ``DIR/truth/`` (outside the archive).
2. **Single-document baseline.**  ``extract.page.process_page`` on every page of every
   :data:`BASELINE_EVERY`-th document, in this process, after one untimed warm-up page (imports
   and the tesseract engine): steady-state pages/s of one core with no batch machinery.
3. **Batch CLI** (``python pipeline.py ARCHIVE --out RUN --workers W --no-progress``, the real
   pipeline) for each ``W`` in :data:`WORKER_COUNTS`, each on a fresh output folder: wall time
   of the whole command (start-up included), pages/s, pages/s per worker and its ratio to the
   baseline (target: at least :data:`TARGET_SHARE`), speed-up over ``W = 1``, peak RSS of each
   worker process and of the whole process tree (``/proc`` sampled every :data:`SAMPLE_S` s, plus
   the kernel's ``VmHWM``), worker utilisation (sum of the pages' own processing seconds stored
   in the manifest / (wall x W)) and the pages' processing seconds compared page by page with
   the baseline's (same pages).
4. **Resume.**  The ``W = 2`` command on a fresh output folder, ``SIGKILL`` to its whole process
   group once :data:`KILL_SHARE` of the pages are stored in ``RUN/manifest.sqlite``, then the
   same command again: time to finish, pages computed and reused, and a row-by-row comparison
   of the final ``results.sqlite`` ``values`` table with the uninterrupted ``W = 2`` run's.
5. **Orchestration overhead**: the batch with a fake, instant page function
   (``tests/batch/batch_fakes.py``), serial, :data:`OVERHEAD_DOCS` x :data:`OVERHEAD_PAGES` pages,
   SQLite + CSV + JSON outputs: seconds of batch machinery per page.

Markdown tables go to stdout, progress to stderr; ``DIR/throughput.json`` holds every figure,
``DIR/throughput.md`` the report, ``DIR/runs/*.log`` each CLI run's log.  The machine's load
average is printed at the start and the end and recorded for every phase: on a shared machine
other jobs slow every figure, the ratios less than the absolute rates.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import importlib.util
import itertools
import json
import math
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from .report import table

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench-out" / "throughput"
SEED = 2024
DEFAULT_DOCS = 24
QUALITY = "mild"
DPI = 200.0
MAX_PAGES = 3  # pages per generated document (1..MAX_PAGES)
ROTATED_SHARE = 0.15  # share of documents scanned upside down
TIFF_EVERY = 7  # every 7th document is a multi-page TIFF ...
PNG_EVERY = 5  # ... every 5th one-page document a PNG; the rest are PDFs
TRUNCATED_BYTES = 1024  # the broken PDF keeps only its first KiB
BASELINE_EVERY = 4  # the baseline reads every 4th document of the archive
WORKER_COUNTS = (1, 2)
RESUME_WORKERS = 2
KILL_SHARE = 0.5  # kill the resume run once this share of the pages is stored
TARGET_SHARE = 0.9  # pages/s per worker should be within 10 % of the baseline's pages/s
SAMPLE_S = 0.1  # /proc sampling period (VmRSS, VmHWM), seconds
PSS_EVERY_S = 2.0  # PSS sampling period, seconds (smaps_rollup costs ~5 ms of CPU per process)
MANIFEST_POLL_S = 0.25  # manifest polling period while waiting to kill, seconds
SURVIVOR_WAIT_S = 5.0  # how long to wait for the killed process group to disappear, seconds
OVERHEAD_DOCS = 40
OVERHEAD_PAGES = 3
OVERHEAD_REPEATS = 3
MAX_DIFFS_SHOWN = 5
SUMMARY_RE = re.compile(
    r"computed (\d+) page\(s\) \(([\d.]+) pages/s\), reused (\d+), wrote (\d+) document\(s\)"
)
VALUE_KEY = ("document_id", "table_index", "row_key", "column_key")


def log(message: str) -> None:
    """Progress to stderr (stdout holds only the report)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def source_fingerprint() -> str:
    """A hash of the pipeline's code and configs (``extract/**.py``, ``configs/**``, ``pipeline.py``).

    Recorded around every phase: on a shared working tree, code edited during the benchmark
    makes its phases run different pipelines (and their results differ for that reason).
    """
    digest = hashlib.sha256()
    files = [REPO / "pipeline.py", *(REPO / "extract").rglob("*.py"), *(REPO / "configs").rglob("*")]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(str(path.relative_to(REPO)).encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages, rounded."""
    return [round(x, 2) for x in os.getloadavg()]


# ------------------------------------------------------------------------------------------------
# the archive


@dataclass(frozen=True)
class DocPlan:
    """One generated document: which forms, cover or not, rotation, seed."""

    forms: tuple[str, ...]
    cover: bool
    rotation: int  # degrees clockwise, every page
    seed: int

    def stem(self, index: int) -> str:
        parts = [f"{index:03d}", *(["cover"] if self.cover else []), "-".join(self.forms)]
        return "_".join(parts) + (f"_r{self.rotation}" if self.rotation else "")


def plan_candidates(codes: Sequence[str], seed: int, index: int) -> Iterator[DocPlan]:
    """Plans for document ``index``, deterministic in ``(seed, index)``: the first that fits
    :data:`MAX_PAGES` pages is used.  Kinds: one form, the cover and one form, two forms."""
    rng = np.random.default_rng([seed, index])
    while True:
        kind = int(rng.integers(0, 3))
        picked = rng.choice(len(codes), size=2 if kind == 2 else 1, replace=False)
        forms = tuple(codes[int(i)] for i in sorted(picked))
        rotation = 180 if rng.random() < ROTATED_SHARE else 0
        yield DocPlan(forms, kind == 1, rotation, int(rng.integers(0, 2**31)))


@dataclass
class ArchiveDoc:
    """A generated input file."""

    path: str
    pages: int
    forms: list[str]
    cover: bool
    rotation: int


def _suffix(index: int, pages: int) -> str:
    if index % TIFF_EVERY == TIFF_EVERY - 1:
        return ".tiff"
    if pages == 1 and index % PNG_EVERY == PNG_EVERY - 1:
        return ".png"
    return ".pdf"


def build_archive(folder: Path, truth_dir: Path, n_docs: int, seed: int) -> list[ArchiveDoc]:
    """Write ``n_docs`` scanned documents plus a truncated PDF and a text file into ``folder``."""
    from extract.config import load_forms
    from extract.synth.build import build_document, load_report, write_document

    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(truth_dir, ignore_errors=True)
    folder.mkdir(parents=True)
    truth_dir.mkdir(parents=True)
    report, forms = load_report(), load_forms()
    codes = [f.code for f in report.forms]
    docs: list[ArchiveDoc] = []
    for i in range(n_docs):
        for plan in plan_candidates(codes, seed, i):
            built = build_document(
                report,
                forms,
                form_codes=plan.forms,
                include_cover=plan.cover,
                quality=QUALITY,
                dpi=DPI,
                seed=plan.seed,
                rotation=plan.rotation,
                name=plan.stem(i),
            )
            pages = int(built.truth["page_count"])
            if pages <= MAX_PAGES:
                break
        files = write_document(built, folder / (plan.stem(i) + _suffix(i, pages)))
        truth = files.pop()  # <stem>.truth.json: not an input
        truth.replace(truth_dir / truth.name)
        docs.extend(
            ArchiveDoc(
                str(f), 1 if f.suffix == ".png" else pages, list(plan.forms), plan.cover, plan.rotation
            )
            for f in files
        )
    first_pdf = next(Path(d.path) for d in docs if d.path.endswith(".pdf"))
    (folder / "broken_truncated.pdf").write_bytes(first_pdf.read_bytes()[:TRUNCATED_BYTES])
    (folder / "notes.txt").write_text("Ghi chú: not a scan, the batch should skip it.\n", encoding="utf-8")
    return docs


# ------------------------------------------------------------------------------------------------
# single-document baseline


def run_baseline(docs: Sequence[ArchiveDoc], warmup: ArchiveDoc) -> dict[str, Any]:
    """``process_page`` on every page of ``docs`` in this process; seconds per page.

    One untimed warm-up page of ``warmup`` first (imports, tesseract engine; not one of the timed
    pages); ``OMP_THREAD_LIMIT`` is 1.
    """
    from extract.ingest import document_id
    from extract.page import PageTask, process_page

    warm = process_page(PageTask(warmup.path, 0, document_id(warmup.path)))
    pages: list[dict[str, Any]] = []
    load_before = load_average()
    started = time.perf_counter()
    for d in docs:
        doc_id = document_id(d.path)
        for i in range(d.pages):
            t0 = time.perf_counter()
            result = process_page(PageTask(d.path, i, doc_id))
            pages.append(
                {
                    "document_id": doc_id,
                    "file": os.path.basename(d.path),
                    "page_index": i,
                    "wall_s": time.perf_counter() - t0,
                    "page_s": result.seconds,  # the page's own timing, as the batch stores it
                    "error": result.error,
                }
            )
    wall = time.perf_counter() - started
    return {
        "documents": len(docs),
        "pages": len(pages),
        "wall_s": wall,
        "pages_per_s": len(pages) / wall if wall > 0 else None,
        "warmup_s": warm.seconds,
        "failed_pages": sum(p["error"] is not None for p in pages),
        "per_page": pages,
        "load_before": load_before,
        "load_after": load_average(),
    }


# ------------------------------------------------------------------------------------------------
# process tree sampling


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as fh:
                kids.extend(int(x) for x in fh.read().split())
    return kids


def _status_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in KiB (empty when it is gone)."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    return out


def _pss_kib(pid: int) -> int:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/cmdline", "rb") as fh:
        return fh.read().replace(b"\0", b" ").decode(errors="replace")
    return ""


@dataclass
class ProcPeak:
    """Peaks of one process of the tree, KiB."""

    pid: int
    role: str
    rss_kib: int = 0  # highest sampled VmRSS
    hwm_kib: int = 0  # the kernel's VmHWM (peak RSS) at the last sample

    @property
    def peak_kib(self) -> int:
        return max(self.rss_kib, self.hwm_kib)


@dataclass
class TreeSampler:
    """Peak memory of a process tree, one :meth:`sample` at a time.

    Roles: ``batch`` (the CLI), ``worker`` (a pool process: a child of the forkserver, or a
    ``spawn_main`` process), ``forkserver``, ``resource_tracker``, ``other``.
    """

    root: int
    procs: dict[int, ProcPeak] = field(default_factory=dict)
    total_rss_kib: int = 0  # highest sum of VmRSS over the tree (shared pages counted per process)
    total_pss_kib: int = 0  # highest sum of PSS over the tree (shared pages split between sharers)
    cpu_s: float = 0.0  # CPU seconds the sampling itself took (it shares the machine with the run)
    next_pss: float = 0.0
    samples: int = 0

    def _role(self, pid: int, parent: int | None, cmd: str) -> str:
        if pid == self.root:
            return "batch"
        if "spawn_main" in cmd:
            return "worker"
        if "forkserver" in cmd:
            parent_role = self.procs[parent].role if parent in self.procs else ""
            return "worker" if parent_role == "forkserver" else "forkserver"
        return "resource_tracker" if "resource_tracker" in cmd else "other"

    def sample(self) -> None:
        cpu0 = time.process_time()
        with_pss = time.monotonic() >= self.next_pss
        if with_pss:
            self.next_pss = time.monotonic() + PSS_EVERY_S
        stack: list[tuple[int, int | None]] = [(self.root, None)]
        rss = pss = 0
        while stack:
            pid, parent = stack.pop()
            status = _status_kib(pid)
            if not status:
                continue
            proc = self.procs.get(pid)
            if proc is None:
                proc = self.procs[pid] = ProcPeak(pid, self._role(pid, parent, _cmdline(pid)))
            proc.rss_kib = max(proc.rss_kib, status.get("VmRSS", 0))
            proc.hwm_kib = max(proc.hwm_kib, status.get("VmHWM", 0))
            rss += status.get("VmRSS", 0)
            pss += _pss_kib(pid) if with_pss else 0
            stack.extend((kid, pid) for kid in _children(pid))
        self.total_rss_kib = max(self.total_rss_kib, rss)
        self.total_pss_kib = max(self.total_pss_kib, pss)
        self.samples += 1
        self.cpu_s += time.process_time() - cpu0

    def summary(self) -> dict[str, Any]:
        by_role: dict[str, list[int]] = {}
        for p in self.procs.values():
            by_role.setdefault(p.role, []).append(p.peak_kib)
        return {
            "worker_peak_rss_mib": [round(k / 1024, 1) for k in by_role.get("worker", [])],
            "batch_peak_rss_mib": round(max(by_role.get("batch", [0])) / 1024, 1),
            "other_peak_rss_mib": {
                role: round(max(v) / 1024, 1)
                for role, v in by_role.items()
                if role not in ("worker", "batch")
            },
            "tree_peak_rss_mib": round(self.total_rss_kib / 1024, 1),
            "tree_peak_pss_mib": round(self.total_pss_kib / 1024, 1),
            "samples": self.samples,
            "sampler_cpu_s": round(self.cpu_s, 2),
        }


# ------------------------------------------------------------------------------------------------
# the batch CLI


def manifest_pages(out: Path) -> int:
    """Page results stored in ``out/manifest.sqlite`` so far (0 when it does not exist yet)."""
    path = out / "manifest.sqlite"
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
        try:
            return int(db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def cli_command(archive: Path, out: Path, workers: int) -> list[str]:
    return [
        sys.executable,
        str(REPO / "pipeline.py"),
        str(archive),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--no-progress",
    ]


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _group_alive(pgid: int) -> list[int]:
    """Processes still in process group ``pgid``."""
    alive = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{name}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(name))
    return alive


def run_cli(
    archive: Path,
    out: Path,
    workers: int,
    log_path: Path,
    kill_when: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """Run the batch CLI in its own process group, sampling its memory; optionally ``SIGKILL``
    the group once ``kill_when()`` is true.  Returns wall seconds, exit code, memory peaks and
    the counts of the CLI's summary line."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    load_before = load_average()
    killed_at = None
    survivors: list[int] = []
    with open(log_path, "w") as log_fh:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cli_command(archive, out, workers),
            cwd=REPO,
            env=_cli_env(),
            stdout=log_fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: one killpg reaches the workers too
        )
        sampler = TreeSampler(proc.pid)
        next_poll = 0.0
        while proc.poll() is None:
            sampler.sample()
            now = time.perf_counter()
            if kill_when is not None and now >= next_poll:
                next_poll = now + MANIFEST_POLL_S
                if kill_when():
                    os.killpg(proc.pid, signal.SIGKILL)
                    killed_at = time.perf_counter() - started
                    proc.wait()
                    deadline = time.monotonic() + SURVIVOR_WAIT_S
                    while (survivors := _group_alive(proc.pid)) and time.monotonic() < deadline:
                        time.sleep(SAMPLE_S)
                    break
            time.sleep(SAMPLE_S)
        wall = time.perf_counter() - started
    text = log_path.read_text(errors="replace")
    m = SUMMARY_RE.search(text)
    return {
        "workers": workers,
        "returncode": proc.returncode,
        "wall_s": wall,
        "killed_at_s": killed_at,
        "survivors": survivors,
        "computed": int(m.group(1)) if m else None,
        "batch_pages_per_s": float(m.group(2)) if m else None,
        "reused": int(m.group(3)) if m else None,
        "documents_written": int(m.group(4)) if m else None,
        "log": str(log_path),
        "memory": sampler.summary(),
        "load_before": load_before,
        "load_after": load_average(),
    }


def stored_pages(out: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """``(document_id, page_index) -> {status, seconds}`` from ``out/manifest.sqlite``."""
    db = sqlite3.connect(out / "manifest.sqlite")
    try:
        rows = db.execute("SELECT document_id, page_index, status, seconds FROM pages").fetchall()
    finally:
        db.close()
    return {(d, i): {"status": s, "seconds": sec} for d, i, s, sec in rows}


def file_statuses(out: Path) -> dict[str, str]:
    """File name -> status (and reason) from ``out/manifest.sqlite``."""
    db = sqlite3.connect(out / "manifest.sqlite")
    try:
        rows = db.execute("SELECT source, status, reason FROM files").fetchall()
    finally:
        db.close()
    return {os.path.basename(s): st + (f": {r}" if r else "") for s, st, r in rows}


def complete_documents(out: Path) -> int:
    db = sqlite3.connect(out / "manifest.sqlite")
    try:
        return int(db.execute("SELECT COUNT(*) FROM documents WHERE complete = 1").fetchone()[0])
    finally:
        db.close()


def batch_figures(run: dict[str, Any], out: Path, baseline: Mapping[str, Any]) -> dict[str, Any]:
    """Throughput of a finished run against the baseline, from its log and its manifest."""
    stored = stored_pages(out)
    pages = run["computed"] if run["computed"] is not None else len(stored)
    wall, w = run["wall_s"], run["workers"]
    rate = pages / wall if wall > 0 else None
    per_worker = rate / w if rate is not None else None
    busy = sum(p["seconds"] or 0.0 for p in stored.values())
    same = [
        (b["page_s"], stored[(b["document_id"], b["page_index"])]["seconds"])
        for b in baseline["per_page"]
        if (b["document_id"], b["page_index"]) in stored
    ]
    return {
        **run,
        "pages": pages,
        "pages_per_s": rate,
        "pages_per_s_per_worker": per_worker,
        "ratio_to_baseline": per_worker / baseline["pages_per_s"]
        if per_worker is not None and baseline["pages_per_s"]
        else None,
        "page_seconds_sum": busy,
        "utilisation": busy / (wall * w) if wall > 0 else None,
        "same_pages": len(same),
        "same_pages_slowdown": sum(s for _, s in same) / sum(b for b, _ in same) if same else None,
        "page_statuses": _count(p["status"] for p in stored.values()),
        "files": file_statuses(out),
    }


def _count(items: Iterator[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return dict(sorted(out.items()))


# ------------------------------------------------------------------------------------------------
# comparing results


def values_rows(path: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and every row of ``values`` in ``path``, ordered by the table's key."""
    db = sqlite3.connect(path)
    try:
        from extract.writers.schema import CELL_VALUES

        cur = db.execute(f'SELECT * FROM "{CELL_VALUES.name}" ORDER BY {", ".join(VALUE_KEY)}')
        return [c[0] for c in cur.description], cur.fetchall()
    finally:
        db.close()


def compare_values(a: Path, b: Path) -> dict[str, Any]:
    """Row-by-row comparison of two ``values`` tables (matched on their key)."""
    cols_a, rows_a = values_rows(a)
    cols_b, rows_b = values_rows(b)
    if cols_a != cols_b:
        return {"identical": False, "error": f"columns differ: {cols_a} vs {cols_b}"}
    key_at = [cols_a.index(k) for k in VALUE_KEY]
    by_key_a = {tuple(r[i] for i in key_at): r for r in rows_a}
    by_key_b = {tuple(r[i] for i in key_at): r for r in rows_b}
    differing = []
    for key in sorted(by_key_a.keys() & by_key_b.keys(), key=repr):
        ra, rb = by_key_a[key], by_key_b[key]
        if ra != rb:
            cols = [c for c, x, y in zip(cols_a, ra, rb, strict=False) if x != y]
            differing.append({"key": list(key), "columns": cols})
    only_a = sorted(by_key_a.keys() - by_key_b.keys(), key=repr)
    only_b = sorted(by_key_b.keys() - by_key_a.keys(), key=repr)
    return {
        "rows_a": len(rows_a),
        "rows_b": len(rows_b),
        "equal_rows": sum(1 for k in by_key_a.keys() & by_key_b.keys() if by_key_a[k] == by_key_b[k]),
        "differing_rows": len(differing),
        "only_in_a": len(only_a),
        "only_in_b": len(only_b),
        "identical": rows_a == rows_b,
        "examples": differing[:MAX_DIFFS_SHOWN]
        + [{"key": list(k), "only_in": "a"} for k in only_a[:MAX_DIFFS_SHOWN]]
        + [{"key": list(k), "only_in": "b"} for k in only_b[:MAX_DIFFS_SHOWN]],
    }


# ------------------------------------------------------------------------------------------------
# resume after kill -9


def run_resume(archive: Path, out: Path, runs: Path, total_pages: int) -> dict[str, Any]:
    """Kill the ``RESUME_WORKERS`` run once ``KILL_SHARE`` of the pages are stored; run it again."""
    shutil.rmtree(out, ignore_errors=True)
    threshold = max(1, math.ceil(total_pages * KILL_SHARE))
    first = run_cli(
        archive,
        out,
        RESUME_WORKERS,
        runs / "resume_killed.log",
        kill_when=lambda: manifest_pages(out) >= threshold,
    )
    stored_at_kill = manifest_pages(out)
    complete_at_kill = complete_documents(out)
    second = run_cli(archive, out, RESUME_WORKERS, runs / "resume_rerun.log")
    return {
        "threshold_pages": threshold,
        "killed": first["killed_at_s"] is not None,
        "killed_at_s": first["killed_at_s"],
        "survivors": first["survivors"],
        "stored_at_kill": stored_at_kill,
        "documents_complete_at_kill": complete_at_kill,
        "first": first,
        "second": second,
        "stored_after": manifest_pages(out),
        "stored_pages_recomputed": (second["computed"] - (total_pages - stored_at_kill))
        if second["computed"] is not None
        else None,
    }


# ------------------------------------------------------------------------------------------------
# orchestration overhead (fake page function)


def _load_test_module(name: str) -> ModuleType:
    """A helper module of ``tests/batch`` (the batch tests' fakes), loaded by path."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "batch" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_overhead(folder: Path) -> dict[str, Any]:
    """Seconds of batch machinery per page: serial, fake instant pages, SQLite + CSV + JSON."""
    from extract.batch import run_batch
    from extract.executors import SerialExecutor
    from extract.writers import WriterContext, make_writers

    pdfbytes = _load_test_module("pdfbytes")
    fakes = _load_test_module("batch_fakes")
    shutil.rmtree(folder, ignore_errors=True)
    inputs = folder / "in"
    inputs.mkdir(parents=True)
    for n in range(OVERHEAD_DOCS):
        (inputs / f"r{n:03d}.pdf").write_bytes(pdfbytes.pdf_bytes(OVERHEAD_PAGES, 301 + n))
    load_before = load_average()
    per_page = []
    for k in range(OVERHEAD_REPEATS):
        out = folder / f"out{k}"
        writers = make_writers(["sqlite", "csv", "json"], WriterContext(out_dir=out))
        t0 = time.perf_counter()
        try:
            summary = run_batch(
                [str(inputs)], out, executor=SerialExecutor(), writers=writers, functions=fakes.functions()
            )
        finally:
            for w in writers:
                w.close()
        elapsed = time.perf_counter() - t0
        per_page.append(elapsed / max(summary.pages_computed, 1))
    return {
        "documents": OVERHEAD_DOCS,
        "pages": OVERHEAD_DOCS * OVERHEAD_PAGES,
        "repeats": OVERHEAD_REPEATS,
        "ms_per_page": [round(1000 * s, 2) for s in per_page],
        "ms_per_page_median": round(1000 * statistics.median(per_page), 2),
        "ms_per_page_min": round(1000 * min(per_page), 2),
        "load_before": load_before,
        "load_after": load_average(),
    }


# ------------------------------------------------------------------------------------------------
# report


def _f(x: float | None, digits: int = 2, suffix: str = "") -> str:
    return "n/a" if x is None else f"{x:.{digits}f}{suffix}"


def _load(r: Mapping[str, Any]) -> str:
    return f"{r['load_before'][0]:.2f} -> {r['load_after'][0]:.2f}"


def render_report(result: Mapping[str, Any]) -> str:
    """The Markdown report of :func:`run` 's result."""
    m = result["machine"]
    a = result["archive"]
    b = result["baseline"]
    lines = [
        "# Archive-scale throughput",
        "",
        (
            f"Machine: {m['cpus']} CPU(s) available; load average (1/5/15 min) {m['load_start']} at start, "
            f"{m['load_end']} at end. Shared with other jobs: absolute rates vary with their load; "
            "the load column gives the 1-minute average before -> after each phase."
        ),
        f"OMP_THREAD_LIMIT=1; {m['python']}; total {result['seconds']:.0f} s.",
        _code_line(result.get("code", [])),
        "",
        (
            f"Archive: {a['documents']} documents, {a['pages']} pages ({a['pages_by_count']} docs by page count), "
            f"quality {QUALITY}, {DPI:g} dpi, seed {a['seed']}; types {a['types']}; plus broken_truncated.pdf "
            f"and notes.txt. Generated in {a['seconds']:.1f} s."
        ),
        "",
        "## Single-document baseline (process_page in one process, no batch machinery)",
        "",
        *table(
            ["documents", "pages", "wall s", "pages/s", "s/page", "warm-up page s", "failed pages", "load"],
            [
                [
                    b["documents"],
                    b["pages"],
                    _f(b["wall_s"], 1),
                    _f(b["pages_per_s"], 3),
                    _f(b["wall_s"] / b["pages"] if b["pages"] else None, 2),
                    _f(b["warmup_s"], 1),
                    b["failed_pages"],
                    _load(b),
                ]
            ],
        ),
        "",
        "## Batch CLI (`pipeline.py ARCHIVE --out RUN --workers W --no-progress`)",
        "",
    ]
    runs = result["batch"]
    one = next((r for r in runs if r["workers"] == 1), None)
    rows = []
    for r in runs:
        speedup = (
            r["pages_per_s"] / one["pages_per_s"]
            if one is not None and one["pages_per_s"] and r["pages_per_s"]
            else None
        )
        ratio = r["ratio_to_baseline"]
        verdict = "n/a" if ratio is None else ("yes" if ratio >= TARGET_SHARE else "no")
        rows.append(
            [
                r["workers"],
                r["pages"],
                _f(r["wall_s"], 1),
                _f(r["pages_per_s"], 3),
                _f(r["pages_per_s_per_worker"], 3),
                _f(ratio, 2, "x"),
                verdict,
                _f(speedup, 2, "x"),
                _f(r["utilisation"], 2),
                _f(r["page_seconds_sum"] / r["pages"] if r["pages"] else None, 2),
                f"{_f(r['same_pages_slowdown'], 2, 'x')} ({r['same_pages']})",
                r["returncode"],
                _load(r),
            ]
        )
    lines += table(
        [
            "W",
            "pages",
            "wall s",
            "pages/s",
            "pages/s per worker",
            "vs baseline",
            f">= {TARGET_SHARE:.0%}",
            "speed-up vs W=1",
            "worker utilisation",
            "page s (mean)",
            "page s vs baseline (same pages)",
            "exit",
            "load",
        ],
        rows,
    )
    lines += [
        "",
        (
            "Wall time is the whole command (interpreter start, imports, forkserver, one tesseract engine per "
            "worker, assembly and writing). Worker utilisation = sum of the pages' own processing seconds "
            "(stored in the manifest) / (wall x W); 'page s (mean)' is their mean (baseline: the s/page above, over a "
            "quarter of the documents). 'page s vs baseline' = those seconds / the baseline's for "
            "the same pages (>1: pages compute slower inside the batch, e.g. both cores busy). Exit 1 = some "
            "input failed (the truncated PDF)."
        ),
        "",
        "### Peak memory (RSS, MiB)",
        "",
        *table(
            [
                "W",
                "per worker",
                "max worker",
                "batch process",
                "others",
                "tree total RSS",
                "tree total PSS",
                "sampler CPU s",
            ],
            [
                [
                    r["workers"],
                    ", ".join(f"{x:.0f}" for x in r["memory"]["worker_peak_rss_mib"]) or "n/a",
                    _f(max(r["memory"]["worker_peak_rss_mib"], default=None), 0),
                    _f(r["memory"]["batch_peak_rss_mib"], 0),
                    ", ".join(f"{k} {v:.0f}" for k, v in r["memory"]["other_peak_rss_mib"].items()) or "-",
                    _f(r["memory"]["tree_peak_rss_mib"], 0),
                    _f(r["memory"]["tree_peak_pss_mib"], 0),
                    _f(r["memory"]["sampler_cpu_s"], 1),
                ]
                for r in runs
            ],
        ),
        "",
        (
            f"Per process: max of VmRSS sampled every {SAMPLE_S:g} s and the kernel's VmHWM. Tree totals are the "
            f"highest sum over one sample; RSS counts pages shared between the forkserver and its workers in "
            f"each, PSS (sampled every {PSS_EVERY_S:g} s: reading it is costly) splits them. Sampler CPU s: what "
            "the sampling itself cost (on the same 2 cores)."
        ),
        "",
    ]
    if runs:
        last = runs[-1]
        statuses = _count(v.split(":")[0] for v in last["files"].values())
        bad = {k: v for k, v in last["files"].items() if not v.startswith(("done", "flagged", "no_tables"))}
        lines += [
            f"Inputs (W={last['workers']} manifest): files {statuses}; pages {last['page_statuses']}.",
            "",
        ]
        lines += [f"- `{k}`: {v}" for k, v in sorted(bad.items())]
        lines += [""]
    rs = result.get("resume")
    if rs:
        s1, s2 = rs["first"], rs["second"]
        cmp = rs["comparison"]
        lines += [
            f"## Resume after SIGKILL (W={RESUME_WORKERS})",
            "",
            *table(
                [
                    "killed at s",
                    "pages stored at kill",
                    "docs complete at kill",
                    "survivors",
                    "re-run wall s",
                    "re-run computed",
                    "re-run reused (unfinished docs)",
                    "stored pages recomputed",
                    "pages stored at end",
                    "re-run exit",
                    "load",
                ],
                [
                    [
                        _f(rs["killed_at_s"], 1),
                        f"{rs['stored_at_kill']}/{a['pages']}",
                        rs["documents_complete_at_kill"],
                        str(len(rs["survivors"])),
                        _f(s2["wall_s"], 1),
                        s2["computed"],
                        s2["reused"],
                        rs["stored_pages_recomputed"],
                        f"{rs['stored_after']}/{a['pages']}",
                        s2["returncode"],
                        f"{s1['load_before'][0]:.2f} -> {s2['load_after'][0]:.2f}",
                    ]
                ],
            ),
            "",
            (
                f"Killed with SIGKILL to the process group once {rs['threshold_pages']} pages were in the manifest "
                f"(first run's wall {s1['wall_s']:.1f} s). 'stored pages recomputed' = pages the re-run computed "
                "beyond those missing at the kill (0: nothing stored was redone)."
            ),
            "",
            "`values` of the resumed run vs the uninterrupted W=2 run (row by row, on the table's key): "
            + _comparison_line(cmp),
            "",
        ]
        if "w1_vs_w2" in result:
            lines += ["`values` of W=1 vs W=2: " + _comparison_line(result["w1_vs_w2"]), ""]
    o = result.get("overhead")
    if o:
        lines += [
            "## Orchestration overhead (fake instant page function, serial, SQLite + CSV + JSON)",
            "",
            *table(
                ["documents", "pages", "ms/page median", "ms/page min", "runs (ms/page)", "load"],
                [
                    [
                        o["documents"],
                        o["pages"],
                        _f(o["ms_per_page_median"], 2),
                        _f(o["ms_per_page_min"], 2),
                        ", ".join(f"{x:.2f}" for x in o["ms_per_page"]),
                        _load(o),
                    ]
                ],
            ),
            "",
        ]
    return "\n".join(lines)


def _code_line(code: Sequence[Mapping[str, str]]) -> str:
    """Whether the pipeline's code and configs stayed the same through every phase."""
    hashes = list(dict.fromkeys(h for c in code for h in (c["before"], c["after"])))
    if len(hashes) <= 1:
        return f"Code and configs unchanged during the run (fingerprint {hashes[0] if hashes else 'n/a'})."
    changed = [f"during {c['phase']}" for c in code if c["before"] != c["after"]]
    changed += [
        f"between {a['phase']} and {b['phase']}"
        for a, b in itertools.pairwise(code)
        if a["after"] != b["before"]
    ]
    return (
        f"**Code or configs changed during the run** (shared working tree): {', '.join(changed)}. Those "
        "phases ran different pipelines: their figures and results are not strictly like for like."
    )


def _comparison_line(cmp: Mapping[str, Any]) -> str:
    if "error" in cmp:
        return f"**differ**: {cmp['error']}"
    verdict = "**identical**" if cmp["identical"] else "**differ**"
    text = (
        f"{verdict}: {cmp['rows_a']} vs {cmp['rows_b']} rows, {cmp['equal_rows']} equal, "
        f"{cmp['differing_rows']} differing, {cmp['only_in_a']} only in the first, {cmp['only_in_b']} only in "
        "the second."
    )
    if cmp["examples"]:
        text += " Examples: " + "; ".join(json.dumps(e, ensure_ascii=False) for e in cmp["examples"])
    return text


# ------------------------------------------------------------------------------------------------
# main


def run(n_docs: int, out: Path, seed: int) -> dict[str, Any]:
    """Every phase; returns the result dict written to ``out/throughput.json``."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    started = time.perf_counter()
    load_start = load_average()
    code: list[dict[str, str]] = []

    def phase(name: str, fn: Callable[[], Any]) -> Any:
        before = source_fingerprint()
        value = fn()
        code.append({"phase": name, "before": before, "after": source_fingerprint()})
        return value

    log(f"load average {load_start}; generating {n_docs} documents")
    archive, runs = out / "archive", out / "runs"
    t0 = time.perf_counter()
    docs = phase("archive", lambda: build_archive(archive, out / "truth", n_docs, seed))
    total_pages = sum(d.pages for d in docs)
    archive_info = {
        "documents": len(docs),
        "pages": total_pages,
        "pages_by_count": {str(k): sum(d.pages == k for d in docs) for k in range(1, MAX_PAGES + 1)},
        "types": _count(Path(d.path).suffix for d in docs),
        "seed": seed,
        "seconds": time.perf_counter() - t0,
        "files": [asdict(d) | {"path": os.path.basename(d.path)} for d in docs],
    }
    log(f"archive: {len(docs)} documents, {total_pages} pages; baseline")
    timed = docs[::BASELINE_EVERY]
    warmup = next((d for d in docs if d not in timed), timed[0])
    baseline = phase("baseline", lambda: run_baseline(timed, warmup))
    log(f"baseline: {baseline['pages']} pages at {baseline['pages_per_s']:.3f} pages/s")
    batch = []
    for w in WORKER_COUNTS:
        target = out / f"run_w{w}"
        shutil.rmtree(target, ignore_errors=True)
        log(f"batch CLI with {w} worker(s)")
        r = phase(f"W={w}", functools.partial(run_cli, archive, target, w, runs / f"w{w}.log"))
        batch.append(batch_figures(r, target, baseline))
        log(f"W={w}: {r['wall_s']:.1f} s, exit {r['returncode']}")
    log("resume after SIGKILL")
    resume = phase("resume", lambda: run_resume(archive, out / "run_resume", runs, total_pages))
    resume["comparison"] = compare_values(
        out / f"run_w{RESUME_WORKERS}" / "results.sqlite", out / "run_resume" / "results.sqlite"
    )
    result: dict[str, Any] = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "python": sys.version.split()[0],
            "load_start": load_start,
        },
        "archive": archive_info,
        "baseline": baseline,
        "batch": batch,
        "resume": resume,
        "code": code,
    }
    if 1 in WORKER_COUNTS and 2 in WORKER_COUNTS:
        result["w1_vs_w2"] = compare_values(
            out / "run_w1" / "results.sqlite", out / "run_w2" / "results.sqlite"
        )
    log("orchestration overhead (fake pages)")
    result["overhead"] = phase("overhead", lambda: run_overhead(out / "overhead"))
    result["machine"]["load_end"] = load_average()
    result["seconds"] = time.perf_counter() - started
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help=f"documents (default {DEFAULT_DOCS})")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    result = run(args.docs, out, args.seed)
    report = render_report(result)
    (out / "throughput.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    (out / "throughput.md").write_text(report + "\n")
    print(report)
    log(f"wrote {out / 'throughput.json'} and {out / 'throughput.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
