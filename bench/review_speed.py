"""How fast the review app answers a reviewer: a scripted reviewer on a database of 100,000 values.

1. A real run of the pipeline on two samples (``samples/5B_damaged_mild.pdf``, ``samples/14B_mild.png``)
   -- or ``--base OUT``, an existing run.
2. Its documents are cloned under new document ids (the same source files, pages and grids) into a
   new output folder until the long table holds ``--values`` values (default 100,000): a results
   database and a batch state as big as an archive's.
3. ``pipeline.py review OUT`` is started (a separate process, waitress, as a user runs it) and a
   scripted reviewer works the queue over HTTP with keep-alive: for each cell it posts a decision
   (accept the best usable reading, else confirm as printed), then loads the next cell as a browser
   does: the cell page, then its crop.  The page overlay loads in the background in the browser and
   is timed apart.

Reported: per decision, milliseconds from the decision's POST to the next cell's page and crop
received (median, p90, max), each step's share, and the decisions per minute the app sustains.
Run: ``.venv/bin/python -m bench.review_speed [--values 100000] [--decisions 300]``.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("5B_damaged_mild.pdf", "14B_mild.png")


def base_run(work: Path) -> Path:
    """A real pipeline run on the two samples (sqlite output only)."""
    folder = work / "in"
    folder.mkdir(parents=True)
    for name in SAMPLES:
        shutil.copy(ROOT / "samples" / name, folder / name)
    out = work / "base"
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = [
        sys.executable,
        str(ROOT / "pipeline.py"),
        str(folder),
        "--out",
        str(out),
        "--format",
        "sqlite",
        "--workers",
        "2",
        "--no-progress",
        "-q",
    ]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    return out


def clone(base: Path, out: Path, target_values: int) -> tuple[int, int]:
    """Clone the documents of ``base`` into ``out`` until ``target_values`` values; (documents, values)."""
    import dataclasses

    from extract.manifest import FILE_NAME, Manifest, document_status, page_statuses
    from extract.model import ValueStatus
    from extract.writers import WriterContext
    from extract.writers.sqlite import open_writer

    src = Manifest(base / FILE_NAME)
    docs = [src.load_document(d) for d in src.document_ids()]
    pages = {d.document_id: src.load_pages(d.document_id)[0] for d in docs}
    paths = {d.document_id: src.document(d.document_id).path for d in docs}  # type: ignore[union-attr]
    writer = open_writer(WriterContext(out_dir=out))
    dst = Manifest(out / FILE_NAME)
    n_docs = n_values = i = 0
    try:
        while n_values < target_values:
            for doc in docs:
                new_id = hashlib.sha256(f"{doc.document_id}-{i}".encode()).hexdigest()[:16]
                tables = []
                for t in doc.tables:
                    values = tuple(dataclasses.replace(v, document_id=new_id) for v in t.values)
                    tables.append(dataclasses.replace(t, values=values))
                copy = dataclasses.replace(doc, document_id=new_id, source=f"{doc.source}#{i}", tables=tables)
                # each clone reads its own file (a hard link: no disk), as an archive's documents do,
                # so that the app renders its pages instead of finding them in its page cache
                path = Path(paths[doc.document_id])
                link = out / "sources" / f"{i}-{path.name}"
                link.parent.mkdir(parents=True, exist_ok=True)
                if not link.exists():
                    os.link(path, link)
                dst.add_document(new_id, copy.source, str(link))
                dst.set_page_count(new_id, doc.page_count)
                for p in pages[doc.document_id]:
                    dst.save_page(new_id, p)
                dst.finish_document(copy, document_status(copy), page_statuses(copy))
                writer.write_document(copy, [])
                n_docs += 1
                n_values += sum(
                    v.status != ValueStatus.BLANK for v in copy.values()
                )  # rows of the long table
            i += 1
    finally:
        writer.close()
        dst.close()
        src.close()
    return n_docs, n_values


class Reviewer:
    """A scripted reviewer speaking HTTP/1.1 with keep-alive, like a browser tab."""

    def __init__(self, url: str) -> None:
        u = urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        self.headers = {"Cookie": "reviewer=bench"}

    def get(self, path: str) -> tuple[int, bytes, str | None]:
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        return r.status, r.read(), r.getheader("Location")

    def post(self, path: str, body: dict) -> dict:
        data = json.dumps(body).encode()
        self.conn.request(
            "POST",
            path,
            body=data,
            headers=self.headers | {"Content-Type": "application/json", "X-Requested-With": "review"},
        )
        r = self.conn.getresponse()
        payload = json.loads(r.read() or b"{}")
        if r.status != 200:
            raise RuntimeError(f"{path}: {r.status} {payload}")
        return payload


_CANDIDATE = re.compile(r'<li data-text="([^"]*)" class="(?:selected)?(?P<unusable> unusable)?')


def decide_all(url: str, decisions: int) -> list[dict[str, float]]:
    """Work the queue from its first cell; per decision the times of each step, seconds."""
    import html

    rv = Reviewer(url)
    status, _body, location = rv.get("/next?sort=document")
    assert status == 302 and location, "the queue is empty"
    cell_path = location
    status, page, _ = rv.get(cell_path)
    timings = []
    for _ in range(decisions):
        q = {k: v[0] for k, v in parse_qs(urlparse(cell_path).query).items()}
        key = {k: q[k] for k in "dtrc"}
        m = _CANDIDATE.search(page.decode())
        body = key | {"queue": {"sort": "document"}}
        if m and not m.group("unusable"):
            body |= {"action": "accept", "value": html.unescape(m.group(1))}
        else:
            body |= {"action": "confirm"}
        t0 = time.perf_counter()
        answer = rv.post("/api/decide", body)
        t1 = time.perf_counter()
        cell_path = answer["next"]
        status, page, _ = rv.get(cell_path)
        t2 = time.perf_counter()
        nq = {k: v[0] for k, v in parse_qs(urlparse(cell_path).query).items()}
        status, crop, _ = rv.get("/crop.png?" + urlencode({k: nq[k] for k in "dtrc"}))
        t3 = time.perf_counter()
        assert status == 200 and crop[:4] == b"\x89PNG"
        overlay = re.search(rb'id="page" src="([^"]+)"', page)
        timings.append(
            {
                "decide": t1 - t0,
                "cell": t2 - t1,
                "crop": t3 - t2,
                "total": t3 - t0,
                "overlay_url": html.unescape(overlay.group(1).decode()) if overlay else "",
            }
        )
    return timings


def overlay_times(url: str, paths: list[str]) -> list[float]:
    """Seconds to fetch each page overlay (what the browser loads in the background)."""
    rv = Reviewer(url)
    out = []
    for path in paths:
        t = time.perf_counter()
        status, img, _ = rv.get(path)
        assert status == 200 and img[:2] == b"\xff\xd8"
        out.append(time.perf_counter() - t)
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--values", type=int, default=100_000)
    ap.add_argument("--decisions", type=int, default=300)
    ap.add_argument(
        "--base", type=Path, help="an existing run to clone (default: run the pipeline on two samples)"
    )
    ap.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="review-bench-"))
    try:
        base = args.base or base_run(work)
        out = args.keep or work / "big"
        t = time.perf_counter()
        n_docs, n_values = clone(base, out, args.values)
        print(f"database: {n_docs} documents, {n_values} values (built in {time.perf_counter() - t:.0f} s)")
        env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(ROOT))
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "pipeline.py"), "review", str(out), "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        try:
            url = server.stdout.readline().strip()  # type: ignore[union-attr]
            flagged = Reviewer(url).get("/api/progress")[1]
            print(
                f"queue: {json.loads(flagged)['left']} flagged cells; scripted reviewer, {args.decisions} "
                "decisions"
            )
            cpu0 = cpu_seconds(server.pid)
            timings = decide_all(url, args.decisions)
            cpu = cpu_seconds(server.pid) - cpu0
            overlays = overlay_times(url, [x["overlay_url"] for x in timings[:: max(1, len(timings) // 30)]])
        finally:
            server.terminate()
            server.wait(timeout=10)
        print("| step | median ms | p90 ms | max ms |")
        print("| --- | --- | --- | --- |")
        steps = (
            ("decide", "decision (POST: record, re-validate the table, rewrite its rows)"),
            ("cell", "next cell page (GET)"),
            ("crop", "its crop (GET; page decoded in the background)"),
            ("total", "**decision → next cell shown**"),
        )
        for step, label in steps:
            xs = [1000 * x[step] for x in timings]
            print(f"| {label} | {statistics.median(xs):.1f} | {pct(xs, 90):.1f} | {max(xs):.1f} |")
        xs = [1000 * x for x in overlays]
        print(
            f"| page overlay ({len(xs)} pages; loads in the background) | {statistics.median(xs):.1f} | "
            f"{pct(xs, 90):.1f} | {max(xs):.1f} |"
        )
        shown = sum(x["total"] for x in timings)
        print(
            "decisions per minute the app sustains (decision → next cell shown): "
            f"{60 * len(timings) / shown:.0f}"
        )
        print(
            f"app CPU per decision (decision, next page, crop, background page decoding): "
            f"{1000 * cpu / len(timings):.1f} ms; load average during the run: {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
