"""Outputs an analyst can load without traps, from one real run (tesseract, OpenCV) of two scans
of the same report (the 5B form, clean and damaged) written to every format."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract import load_results
from extract.config import NUMERIC_TYPES, load_forms
from extract.understand.communes import Gazetteer
from extract.understand.successors import commune_successor
from tests.repo_data import ROOT

SAMPLES = ROOT / "samples"
SCANS = ("5B_clean_300.pdf", "5B_damaged_mild.pdf")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("outputs") / "out"
    cmd = [
        sys.executable,
        str(ROOT / "pipeline.py"),
        *(str(SAMPLES / s) for s in SCANS),
        "--out",
        str(out),
        "--workers",
        "2",
        "--no-progress",
        "--format",
        "sqlite,csv,parquet,excel,json",
    ]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr
    return out


def numeric_keys(form: str) -> list[str]:
    spec = next(f for f in load_forms() if f.code == form)
    return [c.key for c in spec.columns if c.type in NUMERIC_TYPES - {"mixed"}]


@pytest.mark.parametrize("source", ["folder", "csv", "parquet"])
def test_every_table_loads_typed_from_any_output(run: Path, source: str, tmp_path: Path) -> None:
    where = run
    if source != "folder":  # an output folder holding only that format
        where = tmp_path / source
        (where).mkdir()
        os.symlink(run / source, where / source)
    r = load_results(where)
    values = r["cell_values"]
    assert len(values) > 100
    assert str(values["number"].dtype) == "Float64" and str(values["year"].dtype) == "Int64"
    assert str(values["commune_code"].dtype) == "string"
    assert values["commune_code"].dropna().str.fullmatch(r"\d{5}").all()  # leading zeros kept, no ".0"
    assert str(values["report_date"].dtype).startswith("datetime64")
    wide = r.wide["5B"]
    for key in numeric_keys("5B"):
        if key in wide:
            assert str(wide[key].dtype) == "Float64", key
            assert str(wide[f"{key}__status"].dtype) == "string"
    # the loader's three-line example: a column's total per commune and year, numbers not strings
    total = values[values.column_key == "tiep_nhan_tong"].groupby(["commune_code", "year"])["number"].sum()
    assert total.dtype == "Float64" and (total > 0).all()


def test_numeric_wide_columns_hold_numbers_only_and_blanks_have_their_status(run: Path) -> None:
    with (run / "csv" / "wide" / "5B.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    long = load_results(run)["cell_values"]
    statuses: set[str] = set()
    for key in numeric_keys("5B"):
        for row in rows:
            cell = row.get(key, "")
            if cell:
                float(cell)  # never OCR text such as "5.737 3.598"
            statuses.add(row.get(f"{key}__status", ""))
    assert {"verified", "blank"} <= statuses
    assert "blank" not in set(long["status"])  # blanks are in the wide views, not the long table
    not_numbers = long[long.number.isna() & long.column_key.isin(numeric_keys("5B"))]
    assert (not_numbers["status"] == "flagged").all()  # no number: in the long table, flagged
    flagged = load_results(run)["flags"]
    assert set(zip(not_numbers.document_id, not_numbers.row_key, not_numbers.column_key)) <= set(
        zip(flagged.document_id, flagged.row_key, flagged.column_key)
    )  # ... and in the review queue


def test_every_value_row_carries_the_report_context_and_todays_units(run: Path) -> None:
    r = load_results(run)
    values, docs = r["cell_values"], r["documents"]
    for col in ("report_number", "year", "district_code", "district", "province_code", "province"):
        assert values[col].notna().all(), col
    assert "number" not in docs.columns and "report_number" in docs.columns
    communes = values.dropna(subset=["commune_code"]).drop_duplicates("commune_code")
    assert len(communes) >= 10
    for row in communes.itertuples():
        expected = commune_successor(row.commune_code)
        assert expected is not None and row.commune_successor_code == expected.code
        assert row.commune_successor_name == expected.name
    district = Gazetteer.load(None).district(values["district_code"].iloc[0])
    assert district.name == values["district"].iloc[0]
    assert set(values["successor_province"]) == {"Thành phố Cần Thơ"}  # Sóc Trăng joined Cần Thơ in 2025
    assert values["commune_successor_code"].dropna().str.fullmatch(r"\d{5}(; \d{5})*").all()


def test_the_second_scan_of_one_report_is_marked_and_can_be_left_out(run: Path) -> None:
    r = load_results(run)
    docs = r["documents"]
    assert len(docs) == 2 and docs["report_number"].nunique() == 1
    assert docs["duplicate_of"].notna().sum() == 1
    original = docs.loc[docs["duplicate_of"].isna(), "id"].iloc[0]
    assert docs["duplicate_of"].dropna().iloc[0] == original
    kept = load_results(run, exclude_duplicates=True)
    assert list(kept["documents"]["id"]) == [original]
    assert set(kept["cell_values"]["document_id"]) == {original}
    assert set(kept.wide["5B"]["document_id"]) == {original}
    assert len(kept["cell_values"]) < len(r["cell_values"])


def test_sql_names_json_names_and_file_modes(run: Path) -> None:
    db = sqlite3.connect(run / "results.sqlite")
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "cell_values" in tables and "values" not in tables
    n = db.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0]
    assert db.execute('SELECT COUNT(*) FROM "values"').fetchone()[0] == n  # the view, one release
    ids = {i for (i,) in db.execute("SELECT id FROM documents")}
    names = sorted(p.name for p in (run / "json").glob("*.json"))
    assert names == sorted(
        f"{Path(s).stem}-{i}.json" for s, i in db.execute("SELECT source, id FROM documents")
    )
    assert {
        json.loads((run / "json" / name).read_text(encoding="utf-8"))["document"]["id"] for name in names
    } == ids
    umask = os.umask(0)
    os.umask(umask)
    for path in [run / "csv" / "cell_values.csv", run / "results.xlsx", run / "json" / names[0]]:
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


def test_written_files_follow_a_stricter_umask(tmp_path: Path) -> None:
    from extract.writers.files import write_text_atomic

    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "a.csv", "x\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o640
    assert pd.read_csv(tmp_path / "a.csv").columns.tolist() == ["x"]
