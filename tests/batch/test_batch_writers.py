"""Writers: the shared rows, SQLite upserts, CSV/Parquet/Excel/JSON contents, idempotence."""

from __future__ import annotations

import csv
import dataclasses
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
from batch_fakes import assemble_document, process_page
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from extract.config import load_forms
from extract.manifest import Manifest, document_status, page_statuses, slim
from extract.model import DocumentResult, ValueStatus
from extract.page import PageTask
from extract.writers import WriterContext, make_writers
from extract.writers.excel import CORRECTED_FILL, FLAGGED_FILL, sheet_name
from extract.writers.schema import CELL_VALUES, key_columns
from extract.writers.tables import WIDE_ID_COLUMNS, document_rows, frame

SOURCE = "/scans/ke_sach_2019.pdf"


def fake_document(
    document_id: str = "0123456789abcdef", pages: int = 3, source: str = SOURCE
) -> DocumentResult:
    results = [process_page(PageTask(source, i, document_id)) for i in range(pages)]
    return assemble_document(document_id, source, results)


def _store(tmp_path: Path, docs: list[DocumentResult]) -> Manifest:
    m = Manifest(tmp_path / "manifest.sqlite")
    for doc in docs:
        m.add_document(doc.document_id, doc.source, doc.source)
        m.set_file(doc.source, doc.source, document_id=doc.document_id, status="pending")
        for page in doc.pages:
            m.save_page(doc.document_id, page)
        m.finish_document(doc, document_status(doc), page_statuses(doc))
    return m


def test_document_rows_are_complete_and_survive_slimming() -> None:
    doc = fake_document(pages=4)
    rows = document_rows(doc)
    assert len(rows["cell_values"]) == len(doc.values()) == 3 * 6
    assert [p["page"] for p in rows["pages"]] == [1, 2, 3, 4]
    assert rows["pages"][2]["status"] == "no_tables"
    review = [v for v in doc.values() if v.status in (ValueStatus.FLAGGED, ValueStatus.CORRECTED)]
    assert len(rows["flags"]) == len(review) > 0
    assert all(json.loads(f["candidates"])[0]["variant"] == "gray" for f in rows["flags"])
    keys = {tuple(v[k] for k in key_columns(CELL_VALUES)) for v in rows["cell_values"]}
    assert len(keys) == len(rows["cell_values"])
    assert document_rows(slim(doc)) == rows  # what the state keeps gives the same rows


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "31480", "II/1"]), min_size=1, max_size=12))
def test_repeated_row_keys_never_overwrite_values(row_keys: list[str]) -> None:
    doc = fake_document(pages=1)
    table = doc.tables[0]
    template = table.values[0]
    values = [
        dataclasses.replace(template, row_index=i, row_key=k, column_key=c)
        for i, k in enumerate(row_keys)
        for c in ("x", "y")
    ]
    doc = dataclasses.replace(doc, tables=(dataclasses.replace(table, values=values), *doc.tables[1:]))
    values = document_rows(doc)["cell_values"]
    keys = [(v["row_key"], v["column_key"]) for v in values]
    assert len(set(keys)) == len(keys) == 2 * len(row_keys)
    first_seen = {}
    for v in values:  # the first row with a key keeps it unchanged
        first_seen.setdefault(row_keys[v["row_index"]], v["row_index"])
        if first_seen[row_keys[v["row_index"]]] == v["row_index"]:
            assert v["row_key"] == row_keys[v["row_index"]]


def test_sqlite_writer_replaces_a_documents_rows(tmp_path: Path) -> None:
    [writer] = make_writers(["sqlite"], WriterContext(out_dir=tmp_path))
    doc = fake_document(pages=4)
    manifest = [{"source": SOURCE, "document_id": doc.document_id, "status": "done", "pages": 4}]
    writer.write_document(doc, manifest)
    writer.write_document(doc, manifest)
    db = sqlite3.connect(tmp_path / "results.sqlite")

    def count(t):
        return db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]

    assert (count("documents"), count("pages"), count("cell_values"), count("manifest")) == (1, 4, 18, 1)
    assert count("values") == 18  # the view under the old name, for one release
    smaller = dataclasses.replace(doc, tables=doc.tables[:1], pages=doc.pages[:2], page_count=2)
    writer.write_document(smaller, manifest)
    assert (count("pages"), count("cell_values"), count("tables")) == (2, 6, 1)
    writer.delete_document(doc.document_id)
    assert (count("documents"), count("cell_values"), count("flags")) == (0, 0, 0)
    writer.close()


def test_file_writers_build_long_wide_and_review_outputs(tmp_path: Path) -> None:
    docs = [
        fake_document("aaaaaaaaaaaaaaaa", 4, "/scans/a.pdf"),
        fake_document("bbbbbbbbbbbbbbbb", 2, "/scans/b.pdf"),
    ]
    store = _store(tmp_path, docs)
    writers = make_writers(["csv", "parquet", "excel", "json"], WriterContext(out_dir=tmp_path / "out"))
    for w in writers:
        w.finish(store)
    out = tmp_path / "out"
    n_values = sum(len(d.values()) for d in docs)

    values = pq.read_table(out / "parquet" / "cell_values.parquet")
    assert values.num_rows == n_values and str(values.schema.field("number").type) == "double"
    assert (out / "csv" / "cell_values.csv").read_text(encoding="utf-8").count("\n") == 1 + n_values

    order = [c.key for c in next(f for f in load_forms() if f.code == "5B").columns]
    header = (out / "csv" / "wide" / "5B.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[: len(WIDE_ID_COLUMNS)] == list(WIDE_ID_COLUMNS)
    form_cols = [c for c in header[len(WIDE_ID_COLUMNS) :] if not c.endswith("__status")]
    assert header[len(WIDE_ID_COLUMNS) + len(form_cols) :] == [f"{c}__status" for c in form_cols]
    assert form_cols == sorted(form_cols, key=order.index)  # the form's canonical order
    wide = pq.read_table(out / "parquet" / "wide" / "5B.parquet").to_pylist()
    assert {r["commune_code"] for r in wide} == {"31480", "31483", "31486"}

    wb = load_workbook(out / "results.xlsx")
    assert {"5B", "unknown", "review", "documents", "manifest"} <= set(wb.sheetnames)
    ws = wb["5B"]
    head = [c.value for c in ws[1]]
    flagged = [v for d in docs for v in d.values() if v.form == "5B" and v.status == ValueStatus.FLAGGED]
    corrected = [v for d in docs for v in d.values() if v.form == "5B" and v.status == ValueStatus.CORRECTED]
    assert flagged and corrected
    rows = {(r[0].value, r[head.index("row_index")].value): r for r in ws.iter_rows(min_row=2)}
    for v, fill in [(flagged[0], FLAGGED_FILL), (corrected[0], CORRECTED_FILL)]:
        cell = rows[(v.document_id, v.row_index)][head.index(v.column_key)]
        assert cell.fill.fgColor.rgb.endswith(fill.fgColor.rgb[-6:])
        assert cell.value == v.number  # a number, or empty when the cell holds none
    cell = rows[(flagged[0].document_id, flagged[0].row_index)][head.index(flagged[0].column_key)]
    assert flagged[0].flag_reason in cell.comment.text
    n_review = sum(
        1 for d in docs for v in d.values() if v.status in (ValueStatus.FLAGGED, ValueStatus.CORRECTED)
    )
    assert wb["review"].max_row == 1 + n_review

    doc_json = json.loads((out / "json" / "a-aaaaaaaaaaaaaaaa.json").read_text(encoding="utf-8"))
    assert doc_json["document"]["source"] == "/scans/a.pdf"
    assert sum(len(t["values"]) for t in doc_json["tables"]) == len(docs[0].values())
    assert isinstance(doc_json["flags"][0]["candidates"], list)

    stamp = (out / "csv" / "cell_values.csv").stat().st_mtime_ns
    for w in writers:
        w.finish(store)  # nothing changed: nothing rewritten
    assert (out / "csv" / "cell_values.csv").stat().st_mtime_ns == stamp
    third = fake_document("cccccccccccccccc", 1, "/scans/c.pdf")
    _store(tmp_path, [third]).close()
    for w in writers:
        w.finish(store)
    assert (out / "csv" / "cell_values.csv").read_text(encoding="utf-8").count("\n") == 1 + n_values + len(
        third.values()
    )
    store.close()


def test_sheet_names_are_valid_and_unique() -> None:
    taken = {"review"}
    assert sheet_name("5B", taken) == "5B"
    assert sheet_name("5B", taken) == "5B (2)"
    assert sheet_name("review", taken) == "review (2)"
    long = sheet_name("a/b:c" * 10, taken)
    assert len(long) <= 31 and "/" not in long and ":" not in long


def test_frames_have_the_schema_columns_and_nullable_types() -> None:
    rows = document_rows(fake_document(pages=2))
    values = frame("cell_values", rows["cell_values"])
    assert list(values.columns) == [c.name for c in CELL_VALUES.columns]
    assert str(values["number"].dtype) == "Float64" and str(values["boolean"].dtype) == "boolean"
    assert values["boolean"].isna().all() and len(values) == len(rows["cell_values"])
    assert frame("flags", []).empty


def _report(doc: DocumentResult, number: str) -> DocumentResult:
    """``doc`` as a scan of report ``number`` of 2019-11-21 by district 943."""
    meta = dataclasses.replace(doc.meta, number=number, date="2019-11-21", district_code="943")
    return dataclasses.replace(doc, meta=meta, page_count=len(doc.pages))


def _json_documents(folder: Path) -> dict[str, tuple[str | None, int]]:
    """document id -> (its JSON file's duplicate_of, the file's mtime)."""
    out = {}
    for path in folder.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))["document"]
        out[doc["id"]] = (doc["duplicate_of"], path.stat().st_mtime_ns)
    return out


def test_json_files_carry_duplicate_of_and_follow_its_changes(tmp_path: Path) -> None:
    a = _report(fake_document("aaaaaaaaaaaaaaaa", 3, "/scans/a.pdf"), "542/BC-UBND")
    b = _report(fake_document("bbbbbbbbbbbbbbbb", 2, "/scans/b.pdf"), "Số 542 / BC-UBND")  # a second scan
    c = _report(fake_document("cccccccccccccccc", 2, "/scans/c.pdf"), "543/BC-UBND")  # another report
    store = _store(tmp_path, [a, b, c])
    (writer,) = make_writers(["json"], WriterContext(out_dir=tmp_path / "out"))
    folder = tmp_path / "out" / "json"
    for doc in (a, b, c):
        writer.write_document(doc, [])  # as the batch does, before the duplicates are known
    assert [dup for dup, _ in _json_documents(folder).values()] == [None] * 3
    writer.finish(store)
    first = _json_documents(folder)
    assert {i: d for i, (d, _) in first.items()} == {
        a.document_id: None,
        b.document_id: a.document_id,
        c.document_id: None,
    }
    csv_writer = make_writers(["csv"], WriterContext(out_dir=tmp_path / "out"))[0]
    csv_writer.finish(store)
    with (tmp_path / "out" / "csv" / "documents.csv").open(encoding="utf-8") as fh:
        from_csv = {r["id"]: r["duplicate_of"] or None for r in csv.DictReader(fh)}
    assert from_csv == {i: d for i, (d, _) in first.items()}  # every output agrees

    writer.finish(store)  # nothing changed: no file written again
    assert _json_documents(folder) == first

    d = _report(fake_document("dddddddddddddddd", 4, "/scans/d.pdf"), "542/BC-UBND")  # the most complete scan
    _store(tmp_path, [d]).close()
    writer.write_document(d, [])
    writer.finish(store)
    second = _json_documents(folder)
    assert {i: dup for i, (dup, _) in second.items()} == {
        a.document_id: d.document_id,
        b.document_id: d.document_id,
        c.document_id: None,
        d.document_id: None,
    }
    assert second[c.document_id] == first[c.document_id]  # its mark did not change: not rewritten
    assert second[a.document_id][1] != first[a.document_id][1]

    fresh = make_writers(["json"], WriterContext(out_dir=tmp_path / "out"))[0]  # a re-run of the batch
    fresh.write_document(b, [])  # b computed again: written with the mark its file had
    assert _json_documents(folder)[b.document_id][0] == d.document_id
    store.close()
