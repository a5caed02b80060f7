"""Shared fixtures of the batch tests: input folders with good and broken files, database dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pdfbytes import pdf_bytes

REPO = Path(__file__).resolve().parents[2]
RESULT_TABLES = ("documents", "document_fields", "pages", "tables", "cell_values", "flags", "manifest")


def write_good(folder: Path, names_pages: dict[str, int], start_width: int = 301) -> list[Path]:
    """Blank PDFs with distinct contents (page width differs) named as given."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n, (name, pages) in enumerate(names_pages.items()):
        path = folder / name
        path.write_bytes(pdf_bytes(pages, start_width + n))
        out.append(path)
    return out


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> Path:
    """A folder of good and broken inputs (see the expectations in test_batch_run)."""
    folder = tmp_path / "in"
    write_good(folder, {"a.pdf": 4, "b_failpage.pdf": 3, "c_raisepage.pdf": 2})
    (folder / "sub").mkdir()
    (folder / "sub" / "dup_of_a.pdf").write_bytes((folder / "a.pdf").read_bytes())
    (folder / "encrypted.pdf").write_bytes(pdf_bytes(2, 400, encrypted=True))
    (folder / "corrupt.pdf").write_bytes(pdf_bytes(3, 401)[:150])
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "not_a_pdf.pdf").write_text("this is a text file with a .pdf name\n")
    (folder / "notes.txt").write_text("not an input\n")
    return folder


def dump_sqlite(path: Path) -> dict[str, list[tuple]]:
    """Every row of every result table, sorted (a run-independent picture of the database)."""
    db = sqlite3.connect(path)
    try:
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in RESULT_TABLES}
    finally:
        db.close()
