"""The batch state: page results stored as they arrive, unreadable ones recomputed, and a larger
serial batch accounted for page by page (its cost per page is measured by ``bench/throughput.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from batch_fakes import functions, process_page
from batch_helpers import dump_sqlite, write_good

from extract.batch import run_batch
from extract.cli import main
from extract.executors import SerialExecutor
from extract.manifest import Manifest
from extract.model import DocumentResult
from extract.page import PageTask
from extract.writers import ResultStore, Row, Writer, WriterContext, make_writers


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


class _CountingWriter:
    """A real writer that counts what the batch asks of it (the overhead figure is bench/throughput.py's)."""

    def __init__(self, inner: Writer) -> None:
        self.inner = inner
        self.name = inner.name
        self.target = inner.target
        self.per_document = inner.per_document
        self.written: list[str] = []
        self.finished = 0

    def write_document(self, doc: DocumentResult, manifest: Sequence[Row]) -> None:
        self.written.append(doc.document_id)
        self.inner.write_document(doc, manifest)

    def delete_document(self, document_id: str) -> None:
        self.inner.delete_document(document_id)

    def finish(self, store: ResultStore) -> list[str]:
        self.finished += 1
        return self.inner.finish(store)

    def close(self) -> None:
        self.inner.close()


def test_a_serial_batch_of_many_documents_stores_every_page_and_writes_each_document_once(
    tmp_path: Path,
) -> None:
    write_good(tmp_path / "in", {f"r{i:03d}.pdf": 3 for i in range(40)})
    out = tmp_path / "out"
    writers = [
        _CountingWriter(w) for w in make_writers(["sqlite", "csv", "json"], WriterContext(out_dir=out))
    ]
    try:
        summary = run_batch(
            [str(tmp_path / "in")], out, executor=SerialExecutor(), writers=writers, functions=functions()
        )
    finally:
        for w in writers:
            w.close()
    assert summary.pages_computed == 120 and summary.pages_reused == 0
    assert summary.documents_written == 40 and summary.exit_code == 0
    with Manifest(out / "manifest.sqlite") as m:
        ids = m.document_ids()
        assert len(ids) == 40
        assert all(m.page_indices(d) == {0, 1, 2} for d in ids)
        per_document = [w for w in writers if w.per_document]
        assert per_document  # sqlite and json write as each document finishes
        for w in per_document:
            assert sorted(w.written) == sorted(ids)  # each document once, none twice
            assert all(not m.needs_write(d, w.target) for d in ids)
    assert all(w.finished == 1 for w in writers)
    db = dump_sqlite(out / "results.sqlite")
    assert len(db["documents"]) == 40 and len(db["pages"]) == 120 and len(db["manifest"]) == 40
    assert sorted(p.stem.rsplit("-", 1)[1] for p in (out / "json").glob("*.json")) == sorted(ids)
