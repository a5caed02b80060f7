"""Corrections: what a reviewer decided about one cell, kept as rows of the ``corrections`` table.

Every decision is appended, never updated or deleted, so the table is the audit trail:
document, table, row, column, the old value and OCR text, the new value, the reviewer, the time
and the reason.  An undo is a row of its own (``action = "undo"``, ``undoes`` = the id it takes
back).  The value a cell has now is its *effective* correction: the latest row (highest id)
that is not an undo and was not undone -- two reviewers deciding the same cell: the later wins,
the earlier stays in the history.

The table lives in the results database (SQLite or PostgreSQL, next to the ``values`` table) and
is created when absent; nothing else in it is touched here.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    insert,
    select,
)

from ..errors import ReviewError

METADATA = MetaData()

CORRECTIONS = Table(
    "corrections",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Text, nullable=False),
    Column("table_index", Integer, nullable=False),
    Column("row_key", Text, nullable=False),
    Column("column_key", Text, nullable=False),
    Column("row_index", Integer),
    Column("page", Integer),  # 1-based
    Column("action", Text, nullable=False),
    Column("old_value", Text),  # the value before the decision, as shown ("5.697", "", "Có")
    Column("old_text", Text),  # the OCR text of the cell
    Column("old_status", Text),
    Column("new_value", Text),  # the value decided; NULL for blank and illegible
    Column("reviewer", Text, nullable=False),
    Column("created_at", Text, nullable=False),  # ISO 8601, UTC, microseconds
    Column("created", Float, nullable=False),  # the same instant, seconds since the epoch
    Column("reason", Text),
    Column("undoes", Integer),  # for action "undo": the id of the correction taken back
    Index("corrections_cell", "document_id", "table_index", "row_key", "column_key"),
    Index("corrections_reviewer", "reviewer", "id"),
)


class Action(str, enum.Enum):
    ACCEPT = "accept"  # one of the cell's OCR candidates
    TYPE = "type"  # a value typed by the reviewer
    BLANK = "blank"  # the printed cell is empty
    ILLEGIBLE = "illegible"  # the printed cell cannot be read by a person either
    CONFIRM = "confirm"  # the value is right as printed (even when the report's sums disagree)
    WRONG = "wrong"  # "this value is wrong" from the document view, with the right value
    UNDO = "undo"


#: Actions that carry a new value.
VALUE_ACTIONS = frozenset({Action.ACCEPT, Action.TYPE, Action.WRONG})

CellId = tuple[str, int, str, str]
"""A cell of the outputs: (document_id, table_index, row_key, column_key) -- the key of ``values``."""


@dataclass(frozen=True)
class Correction:
    """One row of ``corrections``."""

    id: int
    document_id: str
    table_index: int
    row_key: str
    column_key: str
    action: Action
    new_value: str | None
    reviewer: str
    created_at: str
    reason: str | None = None
    old_value: str | None = None
    old_text: str | None = None
    old_status: str | None = None
    row_index: int | None = None
    page: int | None = None
    undoes: int | None = None

    @property
    def cell(self) -> CellId:
        return (self.document_id, self.table_index, self.row_key, self.column_key)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Correction:
        return cls(
            id=int(row["id"]),
            document_id=row["document_id"],
            table_index=int(row["table_index"]),
            row_key=row["row_key"],
            column_key=row["column_key"],
            action=Action(row["action"]),
            new_value=row["new_value"],
            reviewer=row["reviewer"],
            created_at=row["created_at"],
            reason=row["reason"],
            old_value=row["old_value"],
            old_text=row["old_text"],
            old_status=row["old_status"],
            row_index=row["row_index"],
            page=row["page"],
            undoes=row["undoes"],
        )


def create_table(engine: Engine) -> None:
    """Create ``corrections`` in the results database when it is absent."""
    METADATA.create_all(engine)


def now() -> tuple[str, float]:
    """The current instant as (ISO 8601 UTC text, seconds since the epoch)."""
    t = datetime.now(UTC)
    return t.isoformat(timespec="microseconds"), t.timestamp()


def record(conn: Connection, **fields: Any) -> int:
    """Append one correction (``created_at``/``created`` default to now); returns its id."""
    if "created_at" not in fields:
        fields["created_at"], fields["created"] = now()
    fields["action"] = Action(fields["action"]).value
    result = conn.execute(insert(CORRECTIONS).values(**fields))
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def load(conn: Connection, document_id: str | None = None) -> list[Correction]:
    """Every correction (of one document when given), oldest first."""
    stmt = select(CORRECTIONS).order_by(CORRECTIONS.c.id)
    if document_id is not None:
        stmt = stmt.where(CORRECTIONS.c.document_id == document_id)
    return [Correction.from_row(r._mapping) for r in conn.execute(stmt)]


def effective(corrections: Iterable[Correction]) -> dict[CellId, Correction]:
    """Cell -> the correction in force: the latest one not undone (undo rows themselves excluded)."""
    rows = sorted(corrections, key=lambda c: c.id)
    undone = {c.undoes for c in rows if c.action is Action.UNDO}
    out: dict[CellId, Correction] = {}
    for c in rows:
        if c.action is Action.UNDO or c.id in undone:
            continue
        out[c.cell] = c
    return out


def digest(corrections: Sequence[Correction]) -> str:
    """Changes whenever a correction is added (for the file outputs' rebuild fingerprint)."""
    h = hashlib.sha256()
    for c in sorted(corrections, key=lambda c: c.id):
        h.update(f"{c.id}\x1f{c.action.value}\x1f{c.cell!r}\x1f{c.new_value}\x1f{c.undoes}\n".encode())
    return h.hexdigest()[:16]


__all__ = [
    "CORRECTIONS",
    "VALUE_ACTIONS",
    "Action",
    "CellId",
    "Correction",
    "ReviewError",
    "create_table",
    "digest",
    "effective",
    "load",
    "now",
    "record",
]
