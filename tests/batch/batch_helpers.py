"""Helpers of the batch tests: good input files and a run-independent dump of a database.
(In a module of its own with a unique name: ``from conftest import ...`` picked up another
folder's conftest when both folders were collected in one run.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

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


def dump_sqlite(path: Path) -> dict[str, list[tuple]]:
    """Every row of every result table, sorted (a run-independent picture of the database)."""
    db = sqlite3.connect(path)
    try:
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in RESULT_TABLES}
    finally:
        db.close()
