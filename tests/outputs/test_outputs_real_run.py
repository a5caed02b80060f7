"""Outputs an analyst can load without traps, from one real run (tesseract, OpenCV) of two scans
of the same report (the 5B form, clean and damaged) written to every format."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract import load_results
from extract.config import NUMERIC_TYPES, load_forms
from extract.understand.gazetteer import Gazetteer
from extract.understand.successors import commune_successor
from extract.writers.schema import TABLES_BY_NAME, key_columns
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


def only(run: Path, fmt: str, tmp_path: Path) -> Path:
    """An output folder holding only the ``fmt`` files of ``run`` (no results.sqlite)."""
    where = tmp_path / fmt
    where.mkdir()
    os.symlink(run / fmt, where / fmt)
    return where


@pytest.mark.parametrize("source", ["folder", "csv", "parquet"])
def test_every_table_loads_typed_from_any_output(run: Path, source: str, tmp_path: Path) -> None:
    r = load_results(run if source == "folder" else only(run, source, tmp_path))
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
    assert set(
        zip(not_numbers.document_id, not_numbers.row_key, not_numbers.column_key, strict=False)
    ) <= set(
        zip(flagged.document_id, flagged.row_key, flagged.column_key, strict=False)
    )  # ... and in the review queue


def by_key(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (schema table ``name``) in the order of its key, whatever output it came from."""
    return frame.sort_values(key_columns(TABLES_BY_NAME[name])).reset_index(drop=True)


def test_a_database_url_gives_the_wide_views_of_the_files(run: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{run / 'results.sqlite'}"
    from_db, from_files = load_results(url), load_results(only(run, "parquet", tmp_path))
    assert sorted(from_db.wide) == sorted(from_files.wide) and "5B" in from_db.wide
    for form, view in from_files.wide.items():  # the same rows, columns, values and dtypes
        pd.testing.assert_frame_equal(from_db.wide[form], view)
    wide = from_db.wide["5B"]
    for key in numeric_keys("5B"):
        if key in wide:
            assert str(wide[key].dtype) == "Float64" and str(wide[f"{key}__status"].dtype) == "string"
    assert str(wide["commune_code"].dtype) == "string" and str(wide["year"].dtype) == "Int64"
    assert str(wide["report_date"].dtype).startswith("datetime64")
    statuses = wide[[c for c in wide.columns if c.endswith("__status")]].stack()
    db = sqlite3.connect(run / "results.sqlite")
    (n_blank,) = db.execute("SELECT COUNT(*) FROM blank_cells WHERE form = '5B'").fetchone()
    (n_values,) = db.execute("SELECT COUNT(*) FROM cell_values WHERE form = '5B'").fetchone()
    assert n_blank > 0 and (statuses == "blank").sum() == n_blank  # every printed cell, blanks too
    assert len(statuses) == n_blank + n_values
    kept = load_results(url, exclude_duplicates=True)
    assert set(kept.wide["5B"]["document_id"]) == set(kept["documents"]["id"])
    assert len(kept.wide["5B"]) < len(wide)
    assert load_results(url, tables=["documents"], wide=False).wide == {}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_run_without_a_database_loads_with_the_documented_dtypes(
    run: Path, fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(run / "manifest.sqlite", out)  # the batch state: no page is read again
    cmd = [sys.executable, str(ROOT / "pipeline.py"), *(str(SAMPLES / s) for s in SCANS)]
    cmd += ["--out", str(out), "--format", fmt, "--no-progress", "--serial"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert not (out / "results.sqlite").exists() and (out / fmt / f"cell_values.{fmt}").exists()
    loaded, reference = load_results(out), load_results(f"sqlite:///{run / 'results.sqlite'}")
    assert loaded.keys() == reference.keys()
    for name, frame in reference.items():  # every table: same rows and dtypes as from the database
        pd.testing.assert_frame_equal(by_key(name, loaded[name]), by_key(name, frame))
    assert sorted(loaded.wide) == sorted(reference.wide)
    for form, view in reference.wide.items():
        pd.testing.assert_frame_equal(loaded.wide[form], view)
    values = loaded["cell_values"]
    assert values["commune_code"].dropna().str.fullmatch(r"\d{5}").all()
    assert str(values["number"].dtype) == "Float64" and str(values["boolean"].dtype) == "boolean"


def test_json_documents_carry_duplicate_of_like_every_output(run: Path) -> None:
    docs = load_results(run)["documents"]
    expected = {i: (None if pd.isna(d) else d) for i, d in zip(docs["id"], docs["duplicate_of"], strict=True)}
    assert sum(d is not None for d in expected.values()) == 1  # the two scans of one report
    written = {}
    for path in (run / "json").glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))["document"]
        written[doc["id"]] = doc["duplicate_of"]
    assert written == expected


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
