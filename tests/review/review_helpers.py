"""Small helpers shared by the review tests (reading the results database of a run copy)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from extract.review.rerun import values_table

VALUES = values_table().name


def rows(out: Path, sql: str, *args: object) -> list[sqlite3.Row]:
    with sqlite3.connect(out / "results.sqlite") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql.replace("{values}", f'"{VALUES}"'), args).fetchall()


def damaged_cell(out: Path, row_index: int, column: str) -> tuple[str, int, str, str]:
    """The outputs' key of the 5B cell at ``row_index``/``column``."""
    (r,) = rows(
        out,
        "SELECT document_id, table_index, row_key, column_key FROM {values}"
        " WHERE form = '5B' AND row_index = ? AND column_key = ?",
        row_index,
        column,
    )
    return (r["document_id"], r["table_index"], r["row_key"], r["column_key"])
