"""The batch state: page results stored as they arrive, unreadable ones recomputed, and the
orchestration's own cost per page."""

from __future__ import annotations

import time
from pathlib import Path

from batch_fakes import functions, process_page
from conftest import dump_sqlite, write_good

from extract.batch import SerialExecutor, run_batch
from extract.cli import main
from extract.manifest import Manifest
from extract.page import PageTask
from extract.writers import WriterContext, make_writers

MAX_OVERHEAD_S_PER_PAGE = 0.1  # generous (shared CI machines); measured ~5-16 ms, see the report


def test_pages_round_trip_and_unreadable_results_are_dropped(tmp_path: Path) -> None:
    with Manifest(tmp_path / "m.sqlite") as m:
        m.add_document("d" * 16, "/x.pdf", "/x.pdf")
        results = [process_page(PageTask("/x.pdf", i, "d" * 16)) for i in range(3)]
        for r in results:
            m.save_page("d" * 16, r)
        m.save_page("d" * 16, results[1])  # stored again: replaced, not duplicated
        pages, broken = m.load_pages("d" * 16)
        assert pages == results and broken == []
        m.db.execute("UPDATE pages SET result = X'00ff' WHERE page_index = 2")
        pages, broken = m.load_pages("d" * 16)
        assert pages == results[:2] and broken == [2]
        assert m.page_indices("d" * 16) == {0, 1}


def test_a_stored_page_that_cannot_be_read_back_is_computed_again(tmp_path: Path, monkeypatch) -> None:
    write_good(tmp_path / "in", {"a.pdf": 3, "b.pdf": 2})
    args = [str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--serial", "--no-progress"]
    assert main(args, functions=functions()) == 0
    before = dump_sqlite(tmp_path / "out" / "results.sqlite")
    with Manifest(tmp_path / "out" / "manifest.sqlite") as m:
        [(doc_id,)] = m.db.execute("SELECT document_id FROM documents WHERE source LIKE '%a.pdf'").fetchall()
        m.reopen(doc_id, failed_pages=False)  # as if killed before the document was finished
        m.db.execute("UPDATE pages SET result = X'00' WHERE document_id = ? AND page_index = 1", (doc_id,))
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("BATCH_FAKE_CALLS", str(calls))
    assert main(args, functions=functions()) == 0
    assert calls.read_text().split() == [doc_id, "1"]
    assert dump_sqlite(tmp_path / "out" / "results.sqlite") == before


def test_orchestration_overhead_per_page_is_small(tmp_path: Path) -> None:
    write_good(tmp_path / "in", {f"r{i:03d}.pdf": 3 for i in range(40)})
    out = tmp_path / "out"
    writers = make_writers(["sqlite", "csv", "json"], WriterContext(out_dir=out))
    started = time.perf_counter()
    summary = run_batch(
        [str(tmp_path / "in")], out, executor=SerialExecutor(), writers=writers, functions=functions()
    )
    elapsed = time.perf_counter() - started
    for w in writers:
        w.close()
    assert summary.pages_computed == 120
    assert elapsed / summary.pages_computed < MAX_OVERHEAD_S_PER_PAGE
