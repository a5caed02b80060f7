"""Benchmark on the population's test split: ours and img2table side by side, per quality and dpi.

``python -m bench.population [--split test] [--out DIR] [--limit N] [--pages N] [--jobs N]``

1. Start-up check (:mod:`bench.preflight`) when img2table runs: a broken OpenCV set-up stops
   the benchmark before it prints img2table at 0%.
2. Write the split's documents (:mod:`extract.synth.population`; ``--limit`` documents or the
   first documents reaching ``--pages`` pages) into ``DIR/scans``, reused while the generator's
   sources are unchanged.
3. Run every system on every document in a fresh process (:func:`bench.benchmark.run_system`),
   two at a time by default (ours and img2table on the same document side by side).
4. Score against the printed truth (:mod:`bench.printed_scoring`), sum per (quality, dpi) and
   print one Markdown table (stdout; ``DIR/population.md`` and ``DIR/population.json`` too).

Exits 3 when a system failed on most pages (its page errors, or a run that crashed), after
printing the tables, so a broken set-up cannot pass for a result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .benchmark import REPO, log, run_system
from .printed_scoring import PrintedScore, rates, score_img2table_printed, score_ours_printed

SYSTEMS = ("ours", "img2table")
FAILED_PAGES_MAX = 0.5  # a system that failed on more than this share of pages fails the benchmark
QUALITY_ORDER = ("clean", "mild", "hard", "fax")


def generator_fingerprint() -> str:
    """Hash of the generator's sources and data: written documents are reused while unchanged."""
    h = hashlib.sha256()
    folder = REPO / "extract" / "synth"
    for p in sorted([*folder.rglob("*.py"), *folder.rglob("*.yaml")]):
        h.update(str(p.relative_to(REPO)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _one_document(split: str, index: int, folder: str) -> dict[str, Any]:
    from extract.synth.build import write_document
    from extract.synth.population import build_population_document, plan_document

    plan = plan_document(split, index)
    doc = build_population_document(plan)
    path = Path(folder) / f"{plan.stem}.pdf"
    write_document(doc, path)
    return {
        "file": path.name,
        "index": index,
        "quality": plan.quality,
        "dpi": plan.dpi,
        "pages": len(doc.scans),
        "district": plan.district.name,
        "font": plan.font,
        "forms": list(plan.forms),
    }


def document_indexes(split: str, limit: int | None, qualities: Sequence[str] = ()) -> list[int]:
    """Indexes of the split's documents to run: the first ``limit`` of those whose quality is in
    ``qualities`` (all qualities when none is given)."""
    from extract.synth.population import COMBOS, SPLITS

    return [
        i for i in range(SPLITS[split].documents) if not qualities or COMBOS[i % len(COMBOS)][0] in qualities
    ][:limit]


def write_documents(
    split: str,
    folder: Path,
    limit: int | None,
    pages: int | None,
    jobs: int,
    qualities: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The split's documents in ``folder`` (reused when the stamp matches), in index order; only
    those of ``qualities`` when some are given (a dev run on hard scans alone)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "population.params.json"
    params: dict[str, Any] = {
        "split": split,
        "limit": limit,
        "pages": pages,
        "fingerprint": generator_fingerprint(),
    }
    if qualities:
        params["qualities"] = sorted(qualities)
    if stamp.exists():
        saved = json.loads(stamp.read_text(encoding="utf-8"))
        if saved.get("params") == params and all((folder / d["file"]).exists() for d in saved["documents"]):
            return list(saved["documents"])
    indexes = document_indexes(split, limit, qualities)
    docs: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        batch = max(1, jobs)
        while indexes and (pages is None or sum(d["pages"] for d in docs) < pages):
            todo, indexes = indexes[:batch], indexes[batch:]
            docs += list(pool.map(_one_document, [split] * len(todo), todo, [str(folder)] * len(todo)))
    if pages is not None:  # keep the fewest documents that reach the page count
        kept, total = [], 0
        for d in docs:
            if total >= pages:
                break
            kept.append(d)
            total += d["pages"]
        docs = kept
    stamp.write_text(
        json.dumps({"params": params, "documents": docs}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return docs


def failed_pages(system: str, data: dict[str, Any], pages: int) -> int:
    """Pages the system failed on: all of them when the run crashed, else its page errors."""
    if data.get("returncode") not in (0, None) or (
        data.get("error") and not data.get("tables") and not data.get("pages")
    ):
        return pages
    return len({int(e["page_index"]) for e in data.get("page_errors", ()) if e.get("page_index") is not None})


def run(
    out: Path,
    split: str,
    limit: int | None,
    pages: int | None,
    systems: Sequence[str],
    jobs: int,
    resume: bool = False,
    qualities: Sequence[str] = (),
) -> dict[str, Any]:
    t0 = time.perf_counter()
    docs = write_documents(split, out / "scans", limit, pages, jobs, qualities)
    log(
        f"{len(docs)} documents, {sum(d['pages'] for d in docs)} pages ready in "
        f"{time.perf_counter() - t0:.0f} s"
    )
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    tasks = [(d, s) for d in docs for s in systems]

    def one(task: tuple[dict[str, Any], str]) -> dict[str, Any]:
        d, system = task
        saved = runs / f"{Path(d['file']).stem}_{system}.json"
        if resume and saved.exists():
            data = json.loads(saved.read_text(encoding="utf-8"))
            if not data.get("error") and "tables" in data:  # the run's own file: it finished
                log(f"{d['file']}: {system} reused from {saved.name}")
                return {**data, "returncode": 0, "wall_s": float(data.get("seconds") or 0.0)}
        data = run_system(system, str(out / "scans" / d["file"]), saved)
        log(
            f"{d['file']}: {system} {data['wall_s']:.0f} s"
            + (f" (error: {data['error'][:160]})" if data.get("error") else "")
        )
        return data

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
        raw = list(threads.map(one, tasks))

    groups: dict[str, dict[str, Any]] = {}
    per_doc = []
    for (d, system), data in zip(tasks, raw, strict=False):
        truth = json.loads(
            (out / "scans" / (Path(d["file"]).stem + ".truth.json")).read_text(encoding="utf-8")
        )
        usable = data.get("returncode") == 0 or data.get("tables") or data.get("pages")
        score = (
            (score_ours_printed(truth, data) if system == "ours" else score_img2table_printed(truth, data))
            if usable
            else PrintedScore(pages=d["pages"])
        )
        if not usable:
            score.tables, score.rows = len(truth["tables"]), sum(t["rows"] for t in truth["tables"])
        key = f"{d['quality']} {d['dpi']}"
        g = groups.setdefault(key, {"quality": d["quality"], "dpi": d["dpi"], "documents": 0, "systems": {}})
        entry = g["systems"].setdefault(
            system,
            {"score": PrintedScore(), "seconds": 0.0, "cpu_seconds": 0.0, "failed_pages": 0, "pages": 0},
        )
        entry["score"].add(score)
        entry["seconds"] += float(data.get("seconds") or data.get("wall_s") or 0.0)
        entry["cpu_seconds"] += float(data.get("cpu_seconds") or 0.0)
        entry["pages"] += d["pages"]
        entry["failed_pages"] += failed_pages(system, data, d["pages"])
        if system == systems[0]:
            g["documents"] += 1
        per_doc.append(
            {
                "file": d["file"],
                "system": system,
                "score": score.to_dict(),
                "rates": rates(score),
                "seconds": data.get("seconds"),
                "error": data.get("error"),
            }
        )
    for g in groups.values():
        for e in g["systems"].values():
            e["rates"] = rates(e["score"])
            e["seconds_per_page"] = e["seconds"] / max(1, e["pages"])
            e["cpu_seconds_per_page"] = e["cpu_seconds"] / max(1, e["pages"])
            e["score"] = e["score"].to_dict()
    return {
        "setup": {
            "split": split,
            "limit": limit,
            "pages": pages,
            "systems": list(systems),
            "jobs": jobs,
            "documents": docs,
            "cpu_count": os.cpu_count(),
            "fingerprint": generator_fingerprint(),
        },
        "groups": dict(
            sorted(groups.items(), key=lambda kv: (QUALITY_ORDER.index(kv[1]["quality"]), -kv[1]["dpi"]))
        ),
        "documents": per_doc,
    }


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def render(result: dict[str, Any]) -> str:
    head = (
        "| scans | pages | system | form id | rows found | numbers exact | (row, column, value) right | "
        "of them suggested (flagged) | communes canonical | unflagged error | flagged share | s/page |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    totals: dict[str, dict[str, Any]] = {}
    for g in result["groups"].values():
        for system, e in g["systems"].items():
            r = e["rates"]
            lines.append(
                f"| {g['quality']}, {g['dpi']} dpi | {e['pages']} | {system} | {_pct(r['form_id'])} | "
                f"{_pct(r['rows_found'])} | {_pct(r['numbers_exact'])} | {_pct(r['triples_right'])} | "
                f"{_pct(r.get('triples_suggested'))} | {_pct(r['communes_canonical'])} | "
                f"{_pct(r['unflagged_error'])} | "
                f"{_pct(r['flagged_share'])} | {e['seconds_per_page']:.2f} |"
            )
            t = totals.setdefault(system, {"score": PrintedScore(), "seconds": 0.0, "pages": 0})
            t["score"].add(PrintedScore(**e["score"]))
            t["seconds"] += e["seconds"]
            t["pages"] += e["pages"]
    for system, t in totals.items():
        r = rates(t["score"])
        lines.append(
            f"| **all** | {t['pages']} | {system} | {_pct(r['form_id'])} | {_pct(r['rows_found'])} | "
            f"{_pct(r['numbers_exact'])} | {_pct(r['triples_right'])} | {_pct(r.get('triples_suggested'))} | "
            f"{_pct(r['communes_canonical'])} | "
            f"{_pct(r['unflagged_error'])} | {_pct(r['flagged_share'])} | "
            f"{t['seconds'] / max(1, t['pages']):.2f} |"
        )
    documents = {d["file"]: d for d in result["setup"]["documents"]}
    with_form: dict[str, int] = {}
    missing: dict[str, dict[str, int]] = {}
    for entry in result["documents"]:
        if entry["system"] != "ours":
            continue
        for form in documents[entry["file"]]["forms"]:
            with_form[form] = with_form.get(form, 0) + 1
        for form, cols in entry["score"]["missing_columns"].items():
            for col in cols:
                missing.setdefault(form, {})[col] = missing.setdefault(form, {}).get(col, 0) + 1
    often = {
        form: [(col, n) for col, n in cols.items() if 2 * n >= with_form[form]]
        for form, cols in missing.items()
    }
    if any(often.values()):
        lines.append("")
        lines.append(
            "Printed columns our output did not give (matched by header text) in at least half the documents "
            "that print the form: "
            + "; ".join(
                f"{form}: " + ", ".join(f'"{col}" ({n}/{with_form[form]})' for col, n in cols)
                for form, cols in sorted(often.items())
                if cols
            )
        )
    return "\n".join(lines)


def failures(result: dict[str, Any]) -> list[str]:
    """Systems that failed on most pages, as messages."""
    out = []
    for system in result["setup"]["systems"]:
        pages = sum(
            g["systems"][system]["pages"] for g in result["groups"].values() if system in g["systems"]
        )
        failed = sum(
            g["systems"][system]["failed_pages"] for g in result["groups"].values() if system in g["systems"]
        )
        if pages and failed / pages > FAILED_PAGES_MAX:
            out.append(f"{system} failed on {failed} of {pages} pages")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from extract.synth.population import COMBOS

    parser = argparse.ArgumentParser(prog="python -m bench.population", description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test", choices=("dev", "test"))
    parser.add_argument("--out", help="folder for scans, runs and the report (default: a temp folder)")
    parser.add_argument("--limit", type=int, help="only the first N documents of the split")
    parser.add_argument("--pages", type=int, help="only the first documents that reach N pages (a quick run)")
    parser.add_argument(
        "--quality",
        action="append",
        default=[],
        choices=sorted({q for q, _dpi in COMBOS}),
        help="only documents of this quality (repeatable; a dev run on hard scans alone)",
    )
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument(
        "--resume",
        action="store_true",
        help="reuse the runs already in --out that finished without error (a run interrupted, or a few "
        "failed ones to redo)",
    )
    args = parser.parse_args(argv)

    if "img2table" in args.systems:
        from .preflight import problems

        found = problems()
        if found:
            for p in found:
                print(f"bench: {p}", file=sys.stderr)
            return 2
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench_population_"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result = run(
        out,
        args.split,
        args.limit,
        args.pages,
        args.systems,
        max(1, args.jobs),
        resume=args.resume,
        qualities=args.quality,
    )
    result["setup"]["total_seconds"] = round(time.perf_counter() - started, 1)
    text = render(result)
    result["report_markdown"] = text
    (out / "population.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "population.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    log(f"done in {result['setup']['total_seconds']:.0f} s; {out / 'population.json'}")
    bad = failures(result)
    for b in bad:
        print(f"bench: {b}", file=sys.stderr)
    return 3 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
