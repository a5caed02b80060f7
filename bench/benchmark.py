"""Benchmark our pipeline against img2table 2.0 + tesseract (vie) on generated scans.

``python -m bench.benchmark [--quick] [--out DIR] [--jobs N] [--repeat N]``

1. Generate (deterministically, seed :data:`SEED`) one image-only PDF per quality -- clean
   (300 dpi), mild (300 dpi), hard (200 dpi) -- of the report's cover and annex forms (all
   forms; ``--quick``: :data:`QUICK_FORMS`), with ground truth.  Files already generated with
   the same parameters and generator sources are reused.
2. For each quality, run each system in a fresh process (:mod:`bench.systems`): ours serially
   in-process (``process_page`` on every page, then ``assemble_document``), img2table with
   tesseract ``vie``.  Wall seconds come from the run itself (imports excluded); peak memory is
   the child's ``ru_maxrss`` read with ``os.wait4`` (per child, unlike RUSAGE_CHILDREN, which
   keeps the maximum over every child ever waited for), plus the peak summed RSS of the child's
   process tree sampled from /proc.
3. Score both against the truth (:mod:`bench.scoring`) and print one Markdown table per metric
   (:mod:`bench.report`) to stdout; progress goes to stderr.  ``DIR/benchmark.json`` holds the
   same figures, ``DIR/benchmark.md`` the report, ``DIR/runs/`` each run's raw output and log.

With ``--jobs 2`` (the default on a machine with 2 or more CPUs) two runs go side by side: ours
and img2table on the same scan, then the next quality, so that both systems share the machine
under the same conditions; ``--jobs 1`` runs one at a time (cleaner timings, twice the wall time).
``--repeat N`` runs every system N times on every scan (one round after the other): accuracy is
scored on the first run, times are the median of the N runs, and the report gives the spread of
the speed-up over the rounds -- on a shared machine one run's timing moves by 10% or more.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

REPO = Path(__file__).resolve().parent.parent
SEED = 2019
QUALITIES: dict[str, int] = {"clean": 300, "mild": 300, "hard": 200}  # quality -> scan dpi
QUICK_FORMS = ("5B", "7B", "10B", "14B")
SYSTEMS = ("ours", "img2table")
RUN_TIMEOUT_S = 1800.0  # a run taking longer is killed and reported
SAMPLE_SECONDS = 0.1  # period of the /proc memory sampler
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
KIB_PER_MIB = 1024.0


def log(message: str) -> None:
    """Progress, to stderr (stdout carries only the report)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# scans


@dataclass(frozen=True)
class ScanSpec:
    """One generated file: which forms, at which quality and resolution, from which seed."""

    quality: str
    dpi: int
    forms: tuple[str, ...]
    seed: int
    cover: bool = True

    @property
    def stem(self) -> str:
        digest = hashlib.sha1(",".join(self.forms).encode()).hexdigest()[:6]
        return f"bench_{self.quality}_{self.dpi}_{len(self.forms)}forms_{digest}"


def generator_fingerprint() -> str:
    """Hash of the generator's sources, content file and form declarations: a stored scan is
    reused only while they are unchanged."""
    h = hashlib.sha256()
    paths = sorted((REPO / "extract" / "synth").rglob("*.py"))
    paths += sorted((REPO / "extract" / "synth" / "data").rglob("*.yaml"))
    paths += sorted((REPO / "configs" / "forms").glob("*.yaml"))
    for p in paths:
        h.update(str(p.relative_to(REPO)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def generate_scan(spec: ScanSpec, folder: str, fingerprint: str) -> str:
    """Write ``<folder>/<stem>.pdf`` and its truth unless already there with the same parameters;
    return the PDF's path."""
    from extract.config import load_forms
    from extract.synth.build import build_document, load_report, write_document

    path = Path(folder) / f"{spec.stem}.pdf"
    stamp = path.with_suffix(".params.json")
    params = {**spec.__dict__, "forms": list(spec.forms), "fingerprint": fingerprint}
    truth = path.with_name(path.stem + ".truth.json")
    if (
        path.exists()
        and truth.exists()
        and stamp.exists()
        and json.loads(stamp.read_text(encoding="utf-8")) == params
    ):
        return str(path)
    doc = build_document(
        load_report(),
        load_forms(),
        form_codes=list(spec.forms),
        include_cover=spec.cover,
        quality=spec.quality,
        dpi=spec.dpi,
        seed=spec.seed,
        name=spec.stem,
    )
    write_document(doc, path)
    stamp.write_text(json.dumps(params), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------------------------------------
# runs


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(pid: int) -> int:
    """Summed resident memory of ``pid`` and all its descendants, now (0 once they are gone)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_bytes(p)
        todo += _children(p)
    return total


def run_system(system: str, path: str, out_json: Path, img2table_deskew: bool = True) -> dict[str, Any]:
    """Run ``system`` on ``path`` in a fresh process; return its raw output plus the
    measurements: ``wall_s`` (whole process), ``seconds`` (the extraction, from the run),
    ``maxrss_mib`` (os.wait4) and ``tree_rss_mib`` (sampled), ``returncode``, ``error``."""
    cmd = [sys.executable, "-m", "bench.systems", system, path, str(out_json)]
    if system == "img2table" and not img2table_deskew:
        cmd.append("--no-deskew")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    log_path = out_json.with_suffix(".log")
    started = time.perf_counter()
    peak_tree = 0
    with open(log_path, "wb") as logf:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=logf, stderr=subprocess.STDOUT)
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            peak_tree = max(peak_tree, tree_rss_bytes(proc.pid))
            if time.perf_counter() - started > RUN_TIMEOUT_S:
                proc.kill()
                _pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(SAMPLE_SECONDS)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    data: dict[str, Any] = {}
    if out_json.exists():
        data = json.loads(out_json.read_text(encoding="utf-8"))
    error = data.get("error")
    if proc.returncode != 0 and not error:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-400:]
        error = f"exit code {proc.returncode}: {tail.strip()}"
    data.update(
        wall_s=round(wall, 2),
        maxrss_mib=round(usage.ru_maxrss / KIB_PER_MIB, 1) if usage is not None else None,
        tree_rss_mib=round(peak_tree / 2**20, 1),
        returncode=proc.returncode,
        error=error,
        log=str(log_path),
    )
    return data


# ------------------------------------------------------------------------------------------------
# the benchmark


def _score(system: str, truth: dict[str, Any], data: dict[str, Any]) -> dict[str, Any] | None:
    from extract.config import load_forms

    from .scoring import form_columns, rates, score_img2table, score_ours

    if data.get("error") and "tables" not in data and "pages" not in data:
        return None
    columns = form_columns(load_forms())
    score = score_ours(truth, data, columns) if system == "ours" else score_img2table(truth, data, columns)
    return {"score": score.to_dict(), "rates": rates(score)}


def _run_summary(data: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "seconds",
        "cpu_seconds",
        "wall_s",
        "maxrss_mib",
        "tree_rss_mib",
        "returncode",
        "error",
        "log",
        "page_count",
    )
    out = {k: data.get(k) for k in keys}
    if data.get("page_errors"):
        out["page_errors"] = data["page_errors"]
    if "page_seconds" in data:
        out["page_seconds"] = data["page_seconds"]
        out["assemble_seconds"] = data.get("assemble_seconds")
    return out


TIMES = ("seconds", "cpu_seconds", "wall_s")
PEAKS = ("maxrss_mib", "tree_rss_mib")


def _rounds_summary(datas: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The first run's summary, with the median of every round's times in place of its own and
    each round's times under ``rounds`` (peak memory: the largest of the rounds)."""
    import statistics

    out = _run_summary(datas[0])
    if len(datas) < 2:
        return out
    out["rounds"] = [{k: d.get(k) for k in (*TIMES, *PEAKS)} for d in datas]
    for k in TIMES:
        got = [d[k] for d in datas if d.get(k) is not None]
        out[k] = statistics.median(got) if got else None
    for k in PEAKS:
        got = [d[k] for d in datas if d.get(k) is not None]
        out[k] = max(got) if got else None
    errors = [d["error"] for d in datas if d.get("error")]
    if errors and not out.get("error"):
        out["error"] = errors[0]
    return out


def run_benchmark(
    out: Path,
    forms: Sequence[str],
    qualities: Sequence[str],
    systems: Sequence[str] = SYSTEMS,
    jobs: int = 2,
    seed: int = SEED,
    img2table_deskew: bool = True,
    progress: Callable[[str], None] = log,
    repeat: int = 1,
) -> dict[str, Any]:
    """Generate, run, score; return the result dict :func:`bench.report.render` formats."""
    scans, runs = out / "scans", out / "runs"
    scans.mkdir(parents=True, exist_ok=True)
    runs.mkdir(parents=True, exist_ok=True)
    fingerprint = generator_fingerprint()
    specs = [ScanSpec(q, QUALITIES[q], tuple(forms), seed) for q in qualities]

    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(specs)))) as pool:
        paths = list(pool.map(generate_scan, specs, [str(scans)] * len(specs), [fingerprint] * len(specs)))
    progress(f"scans ready in {time.perf_counter() - t0:.0f} s: {', '.join(Path(p).name for p in paths)}")

    # the systems side by side on each scan, round after round
    rounds = max(1, repeat)
    tasks = [
        (spec, path, system, r)
        for r in range(rounds)
        for spec, path in zip(specs, paths, strict=False)
        for system in systems
    ]

    def one(task: tuple[ScanSpec, str, str, int]) -> dict[str, Any]:
        spec, path, system, r = task
        label = f"{spec.quality}: {system}" + (f" (round {r + 1}/{rounds})" if rounds > 1 else "")
        progress(f"{label} started")
        name = f"{spec.quality}_{system}" + (f"_round{r + 1}" if r else "")
        data = run_system(system, path, runs / f"{name}.json", img2table_deskew)
        progress(
            f"{label} done in {data['wall_s']:.0f} s"
            + (f" (error: {data['error'][:200]})" if data.get("error") else "")
        )
        return data

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
        raw = list(threads.map(one, tasks))

    later: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for (spec, _path, system, r), data in zip(tasks, raw, strict=False):
        if r:
            later.setdefault((spec.quality, system), []).append(data)
    qualities_out: dict[str, Any] = {}
    for (spec, path, system, r), data in zip(tasks, raw, strict=False):
        if r:
            continue
        truth_path = Path(path).with_name(Path(path).stem + ".truth.json")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        q = qualities_out.setdefault(
            spec.quality,
            {
                "file": str(Path(path).relative_to(out)) if Path(path).is_relative_to(out) else path,
                "dpi": spec.dpi,
                "pages": truth["page_count"],
                "truth_tables": len(truth["tables"]),
                "systems": {},
            },
        )
        entry: dict[str, Any] = {"run": _rounds_summary([data, *later.get((spec.quality, system), [])])}
        scored = _score(system, truth, data)
        if scored is not None:
            entry.update(scored)
        q["systems"][system] = entry

    return {
        "setup": {
            "seed": seed,
            "forms": list(forms),
            "cover": True,
            "qualities": {q: QUALITIES[q] for q in qualities},
            "systems": list(systems),
            "jobs": jobs,
            "repeat": rounds,
            "cpu_count": os.cpu_count(),
            "sample_seconds": SAMPLE_SECONDS,
            "generator_fingerprint": fingerprint,
            "img2table": (
                "PDF(detect_rotation="
                + str(img2table_deskew)
                + ", pdf_text_extraction=False) rendered at its fixed 200 dpi, TesseractOCR(n_threads=1, "
                'lang="vie"), extract_tables(implicit_rows=False, borderless_tables=False, min_confidence=50)'
            ),
            "python": sys.version.split()[0],
            "maxrss_method": "os.wait4 ru_maxrss per child process (KiB on Linux)",
        },
        "qualities": qualities_out,
    }


def all_forms() -> list[str]:
    """Codes of every form in the report's content file, in printed order."""
    from extract.synth.build import load_report

    return [f.code for f in load_report().forms]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.benchmark", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"forms {', '.join(QUICK_FORMS)} only")
    parser.add_argument(
        "--out", help="folder for scans, raw runs, benchmark.json/.md (default: a temp folder)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="runs at a time (default: 2, or 1 on 1 CPU)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of every system on every scan (median time; default 1)"
    )
    parser.add_argument("--forms", nargs="+", help="form codes (overrides --quick)")
    parser.add_argument("--qualities", nargs="+", choices=list(QUALITIES), default=list(QUALITIES))
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    parser.add_argument(
        "--img2table-no-deskew", action="store_true", help="run img2table without detect_rotation"
    )
    args = parser.parse_args(argv)

    from .report import render

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench_"))
    out.mkdir(parents=True, exist_ok=True)
    forms = args.forms or (list(QUICK_FORMS) if args.quick else all_forms())
    log(f"output folder {out}; forms {', '.join(forms)}; qualities {', '.join(args.qualities)}")
    started = time.perf_counter()
    result = run_benchmark(
        out,
        forms,
        args.qualities,
        args.systems,
        jobs=max(1, args.jobs),
        seed=args.seed,
        img2table_deskew=not args.img2table_no_deskew,
        repeat=max(1, args.repeat),
    )
    result["setup"]["total_seconds"] = round(time.perf_counter() - started, 1)
    result["setup"]["parent_maxrss_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB, 1
    )
    text = render(result)
    result["report_markdown"] = text
    (out / "benchmark.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "benchmark.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    log(f"done in {result['setup']['total_seconds']:.0f} s; {out / 'benchmark.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
