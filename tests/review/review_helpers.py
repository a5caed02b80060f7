"""Small helpers shared by the review tests (reading the results database of a run copy)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
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


def confirm_concurrently(out: Path, db_url: str | None, cells: Sequence[tuple], reviewers: int = 4) -> None:
    """``reviewers`` services (as many app processes' worth of connections and caches), each in its
    own thread, confirm their share of ``cells`` at the same time; raises the first error."""
    from extract.review.service import ReviewService

    services = [ReviewService(out, db_url) for _ in range(reviewers)]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for cell in cells[n::reviewers]:
                services[n].decide(cell, "confirm", f"reviewer{n}")
        except BaseException as exc:  # noqa: BLE001 - raised below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(reviewers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in services:
        s.close()
    if errors:
        raise errors[0]
