"""Whole batches with fake page/document functions: accounting, exit codes, idempotent re-runs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from batch_fakes import functions
from batch_helpers import dump_sqlite, write_good
from pdfbytes import pdf_bytes

from extract.batch import run_batch
from extract.cli import main
from extract.executors import SerialExecutor
from extract.manifest import Manifest
from extract.writers import WriterContext, make_writers

ALL_FORMATS = "sqlite,csv,parquet,excel,json"


def _cli(inputs: list[str], out: Path, *extra: str) -> int:
    return main([*inputs, "--out", str(out), "--serial", "--no-progress", *extra], functions=functions())


def _calls(path: Path) -> list[tuple[str, int]]:
    if not path.exists():
        return []
    return [(d, int(p)) for d, p in (line.split() for line in path.read_text().splitlines())]


def test_every_file_and_page_is_accounted_for(mixed_inputs: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    rc = _cli([str(mixed_inputs)], out, "--format", ALL_FORMATS)
    assert rc == 1  # the batch finished, some inputs and pages failed

    db = sqlite3.connect(out / "results.sqlite")
    manifest = {
        Path(s).name: (st, reason, stage)
        for s, st, reason, stage in db.execute("SELECT source, status, reason, stage FROM manifest")
    }
    on_disk = {p.name for p in mixed_inputs.rglob("*") if p.is_file()}
    assert set(manifest) == on_disk  # every input file has a row
    for name in ("encrypted.pdf", "corrupt.pdf", "empty.pdf", "not_a_pdf.pdf"):
        status, reason, stage = manifest[name]
        assert (status, stage) == ("failed", "ingest") and name in reason
    assert "encrypted" in manifest["encrypted.pdf"][1] and "empty" in manifest["empty.pdf"][1]
    assert manifest["dup_of_a.pdf"][0] == "skipped" and "a.pdf" in manifest["dup_of_a.pdf"][1]
    assert manifest["notes.txt"][0] == "skipped" and ".txt" in manifest["notes.txt"][1]
    assert manifest["b_failpage.pdf"][0] == "flagged" and "page 2" in manifest["b_failpage.pdf"][1]
    assert manifest["a.pdf"][0] in ("done", "flagged")

    pages = db.execute(
        "SELECT d.source, p.page, p.status, p.stage, p.error FROM pages p JOIN documents d ON d.id = "
        "p.document_id"
    ).fetchall()
    per_doc = {}
    for source, page, status, stage, error in pages:
        per_doc.setdefault(Path(source).name, {})[page] = (status, stage, error)
    assert {k: sorted(v) for k, v in per_doc.items()} == {
        "a.pdf": [1, 2, 3, 4],
        "b_failpage.pdf": [1, 2, 3],
        "c_raisepage.pdf": [1, 2],
    }
    assert per_doc["b_failpage.pdf"][2][:2] == ("failed", "ocr")
    assert per_doc["c_raisepage.pdf"][1][:2] == ("failed", "worker")
    assert "c_raisepage.pdf, page 1" in per_doc["c_raisepage.pdf"][1][2]
    assert per_doc["a.pdf"][3][0] == "no_tables"
    # the document with a failed page is still assembled from its other pages
    assert (
        db.execute(
            "SELECT COUNT(*) FROM cell_values v JOIN documents d ON d.id = v.document_id"
            " WHERE d.source LIKE '%b_failpage.pdf' AND v.page = 1"
        ).fetchone()[0]
        == 6
    )
    n_values = db.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0]
    assert n_values == (3 + 1 + 1) * 6  # table pages: a 1,2,4; b 1; c 2 — 3 communes x 2 columns each

    err = capsys.readouterr().err
    assert "b_failpage.pdf, page 2: OcrTimeout" in err and "encrypted.pdf: encrypted PDF" in err

    values_csv = (out / "csv" / "cell_values.csv").read_text(encoding="utf-8").splitlines()
    assert len(values_csv) == 1 + n_values
    assert sorted(p.stem.rsplit("-", 1)[1] for p in (out / "json").glob("*.json")) == sorted(
        r[0] for r in db.execute("SELECT id FROM documents")
    )


def test_rerun_of_a_finished_batch_changes_nothing(mixed_inputs: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("BATCH_FAKE_CALLS", str(calls))
    assert _cli([str(mixed_inputs)], out, "--format", ALL_FORMATS) == 1
    assert len(_calls(calls)) == 9
    before = dump_sqlite(out / "results.sqlite")
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".csv", ".parquet", ".xlsx", ".json")]
    stamps = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    calls.unlink()

    assert _cli([str(mixed_inputs)], out, "--format", ALL_FORMATS) == 1  # still reports the failures

    assert _calls(calls) == []  # no page computed again
    assert dump_sqlite(out / "results.sqlite") == before
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files} == stamps  # not even rewritten
    db = sqlite3.connect(out / "results.sqlite")
    assert (
        db.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT document_id, table_index, row_key, column_key FROM "
            "cell_values)"
        ).fetchone()[0]
        == db.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0]
    )


def test_clean_batch_exits_zero_and_new_outputs_catch_up_without_recomputing(
    tmp_path: Path, monkeypatch
) -> None:
    inputs = write_good(tmp_path / "in", {"r1.pdf": 2, "r2.pdf": 1})
    out = tmp_path / "out"
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("BATCH_FAKE_CALLS", str(calls))
    assert _cli([str(p) for p in inputs], out, "--format", "sqlite") == 0
    assert not (out / "json").exists()
    calls.unlink()

    assert _cli([str(p) for p in inputs], out, "--format", "sqlite,json,parquet") == 0
    assert _calls(calls) == []
    assert len(list((out / "json").glob("*.json"))) == 2
    assert (out / "parquet" / "cell_values.parquet").exists()


def test_changed_file_replaces_its_old_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_good(folder, {"r.pdf": 2, "s.pdf": 1})
    out = tmp_path / "out"
    assert _cli([str(folder)], out, "--format", "sqlite,json,csv") == 0
    old = dump_sqlite(out / "results.sqlite")
    (folder / "r.pdf").write_bytes(pdf_bytes(4, 999))  # rescanned: new content, same name

    assert _cli([str(folder)], out, "--format", "sqlite,json,csv") == 0

    new = dump_sqlite(out / "results.sqlite")
    assert len(new["documents"]) == 2 and new["documents"] != old["documents"]
    assert {r[2] for r in new["documents"]} == {4, 1}  # page counts: the old 2-page version is gone
    assert len(new["pages"]) == 5
    assert len(list((out / "json").glob("*.json"))) == 2
    csv_docs = (out / "csv" / "documents.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_docs) == 3


def test_retry_failed_recomputes_only_failed_pages(mixed_inputs: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("BATCH_FAKE_CALLS", str(calls))
    assert _cli([str(mixed_inputs)], out, "--format", "sqlite") == 1
    first = {(d, p) for d, p in _calls(calls)}
    calls.unlink()
    assert _cli([str(mixed_inputs)], out, "--format", "sqlite", "--retry-failed") == 1  # they fail again
    retried = _calls(calls)
    with Manifest(out / "manifest.sqlite") as m:
        failed = {
            (r[0], r[1])
            for r in m.db.execute("SELECT document_id, page_index FROM pages WHERE status = 'failed'")
        }
    assert set(retried) == failed and len(retried) == 2 and failed <= first


def test_assembly_failure_fails_the_document_but_keeps_its_pages(tmp_path: Path) -> None:
    inputs = write_good(tmp_path / "in", {"ok.pdf": 1, "x_badassemble.pdf": 2})
    out = tmp_path / "out"
    writers = make_writers(["sqlite", "json"], WriterContext(out_dir=out))
    summary = run_batch(
        [str(p) for p in inputs], out, executor=SerialExecutor(), writers=writers, functions=functions()
    )
    for w in writers:
        w.close()
    assert summary.exit_code == 1 and summary.files["failed"] == 1 and sum(summary.files.values()) == 2
    assert any("x_badassemble.pdf: cannot assemble the document: ValueError" in f for f in summary.failures)
    db = sqlite3.connect(out / "results.sqlite")
    status, error = db.execute(
        "SELECT status, error FROM documents WHERE source LIKE '%x_badassemble.pdf'"
    ).fetchone()
    assert status == "failed" and "cannot assemble" in error
    assert (
        db.execute(
            "SELECT COUNT(*) FROM pages p JOIN documents d ON d.id = p.document_id"
            " WHERE d.source LIKE '%x_badassemble.pdf'"
        ).fetchone()[0]
        == 2
    )
    doc = json.loads(
        next(p for p in (out / "json").glob("*.json") if "x_badassemble" in p.read_text()).read_text()
    )
    assert doc["document"]["status"] == "failed" and doc["tables"] == []


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "nope"],
        ["--format", "postgres"],
        ["--workers", "0"],
        ["--serial", "--dask-local", "2"],
        ["--db", "mysql://x/y"],
        ["--format", "csv", "--db", "sqlite:///x.sqlite"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    write_good(tmp_path / "in", {"r.pdf": 1})
    assert main([str(tmp_path / "in"), "--out", str(tmp_path / "out"), *args], functions=functions()) == 2
    assert not (tmp_path / "out" / "results.sqlite").exists()


def test_a_duplicate_takes_over_when_the_original_changes(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "in"
    write_good(folder, {"a.pdf": 2})
    (folder / "copy.pdf").write_bytes((folder / "a.pdf").read_bytes())
    out = tmp_path / "out"
    assert _cli([str(folder / "a.pdf"), str(folder / "copy.pdf")], out, "--format", "sqlite") == 0
    db = sqlite3.connect(out / "results.sqlite")
    [(old_id,)] = db.execute("SELECT id FROM documents").fetchall()
    assert db.execute("SELECT status FROM manifest WHERE source LIKE '%copy.pdf'").fetchone() == ("skipped",)
    (folder / "a.pdf").write_bytes(pdf_bytes(3, 777))  # the original is rescanned
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("BATCH_FAKE_CALLS", str(calls))

    assert _cli([str(folder / "a.pdf"), str(folder / "copy.pdf")], out, "--format", "sqlite") == 0

    assert {d for d, _ in _calls(calls)} == {
        d for (d,) in db.execute("SELECT id FROM documents WHERE id != ?", (old_id,))
    }
    docs = dict(db.execute("SELECT id, source FROM documents").fetchall())
    assert len(docs) == 2 and Path(docs[old_id]).name == "copy.pdf"
    statuses = dict(db.execute("SELECT source, status FROM manifest").fetchall())
    assert "skipped" not in statuses.values() and len(statuses) == 2
