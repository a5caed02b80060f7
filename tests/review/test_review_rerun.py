"""Reviewed values reach every export, and a re-run of the same inputs re-applies the corrections;
a correction whose cell no longer exists is reported and kept."""

from __future__ import annotations

import csv
import json
import sqlite3

import pandas as pd
from review_helpers import VALUES, damaged_cell, rows
from review_run import run_pipeline

from extract.review.service import ReviewService
from extract.understand.numbers import parse_value


def _decide_truth(run) -> tuple[tuple, float, str]:
    row_index, column, truth = run.damaged()
    cell = damaged_cell(run.out, row_index, column)
    (old,) = rows(
        run.out, "SELECT raw_text FROM {values} WHERE row_key = ? AND column_key = ?", cell[2], cell[3]
    )
    s = ReviewService(run.out)
    try:
        s.decide(cell, "type", "anna", truth)
    finally:
        s.close()
    return cell, parse_value(truth, "count").number, old["raw_text"]


def _csv_row(path, cell):
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if (r["document_id"], int(r["table_index"]), r["row_key"], r["column_key"]) == cell:
                return r
    raise AssertionError(f"{cell} not in {path}")


def test_export_writes_the_reviewed_value_to_every_file_output(run_copy) -> None:
    cell, number, ocr = _decide_truth(run_copy)
    s = ReviewService(run_copy.out)
    try:
        outputs = s.export(["csv", "json", "parquet", "excel"])
    finally:
        s.close()
    assert any(o.endswith("values.csv") for o in outputs)
    r = _csv_row(run_copy.out / "csv" / f"{VALUES}.csv", cell)
    assert float(r["number"]) == number and r["status"] == "reviewed" and r["raw_text"] == ocr
    doc = json.loads(next((run_copy.out / "json").glob(f"*-{cell[0]}.json")).read_text(encoding="utf-8"))
    hits = [v for t in doc["tables"] for v in t["values"] if (v["row_key"], v["column_key"]) == cell[2:]]
    assert hits and hits[0]["number"] == number and hits[0]["status"] == "reviewed"
    pq = pd.read_parquet(run_copy.out / "parquet" / f"{VALUES}.parquet")
    hit = pq[(pq.row_key == cell[2]) & (pq.column_key == cell[3]) & (pq.document_id == cell[0])]
    assert float(hit.number.iloc[0]) == number and hit.raw_text.iloc[0] == ocr
    review_sheet = pd.read_excel(run_copy.out / "results.xlsx", sheet_name="review")
    assert "reviewed" in set(review_sheet["status"])
    from openpyxl import load_workbook

    sheet = load_workbook(run_copy.out / "results.xlsx")["5B"]
    marked = [
        c for row in sheet.iter_rows() for c in row if c.comment and c.comment.text.startswith("reviewed")
    ]
    assert [c.value for c in marked] == [number] and ocr in marked[0].comment.text


def test_rerun_reapplies_corrections_and_reports_orphans(run_copy, tmp_path) -> None:
    cell, number, ocr = _decide_truth(run_copy)
    db = run_copy.out / "results.sqlite"
    with sqlite3.connect(db) as conn:  # a correction whose cell will not exist after the re-run
        conn.execute(
            "INSERT INTO corrections (document_id, table_index, row_key, column_key, action, new_value,"
            " reviewer, created_at, created) VALUES (?, 0, 'gone-row', 'gone-col', 'type', '5', 'bao',"
            " '2026-01-01T00:00:00+00:00', 0)",
            (cell[0],),
        )
    # the same inputs, a fresh state folder, the same database: every document is written anew
    fresh = tmp_path / "rerun"
    proc = run_pipeline(run_copy.inputs, fresh, "--db", f"sqlite:///{db}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    (v,) = rows(
        run_copy.out,
        "SELECT * FROM {values} WHERE document_id = ? AND row_key = ? AND column_key = ?",
        cell[0],
        cell[2],
        cell[3],
    )
    assert (v["number"], v["status"], v["raw_text"]) == (number, "reviewed", ocr)
    r = _csv_row(fresh / "csv" / f"{VALUES}.csv", cell)
    assert float(r["number"]) == number and r["status"] == "reviewed"
    assert "'gone-row'" in proc.stderr and "no longer exists" in proc.stderr
    assert len(rows(run_copy.out, "SELECT id FROM corrections")) == 2  # reported, never dropped
    s = ReviewService(run_copy.out)
    try:
        assert any("gone-row" in o for o in s.progress()["orphans"])
    finally:
        s.close()


def test_rerun_in_place_rebuilds_the_file_outputs_with_the_corrections(run_copy) -> None:
    cell, number, _ocr = _decide_truth(run_copy)
    proc = run_pipeline(run_copy.inputs, run_copy.out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    r = _csv_row(run_copy.out / "csv" / f"{VALUES}.csv", cell)
    assert float(r["number"]) == number and r["status"] == "reviewed"
    doc = json.loads(next((run_copy.out / "json").glob(f"*-{cell[0]}.json")).read_text(encoding="utf-8"))
    assert any(v["status"] == "reviewed" for t in doc["tables"] for v in t["values"])
