"""The review queue: which cells it holds (filters), in which order (sorts), and walking it.

:class:`QueueQueries` is the queue half of :class:`~extract.review.service.ReviewService` (it needs
the service's ``engine`` and ``settings``).  The queue is the ``flags`` table joined with
``documents`` (for district and year); the order always ends with the cell's key, so every cell
has one place, and a cell keeps its place after it is decided.  In document order the walk takes
two indexed steps (the rest of this document, else the nearest document with a cell in the queue)
instead of sorting the whole queue at each step.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select, tuple_

from ..validate import format_number
from ..writers.schema import TABLES_BY_NAME
from . import corrections as cx
from .settings import ReviewSettings

FLAGS = TABLES_BY_NAME["flags"]
DOCUMENTS = TABLES_BY_NAME["documents"]
STATUSES = ("flagged", "corrected", "reviewed")
SORTS = ("document", "form", "reason", "confidence")
QUEUE_INDEX = "review_flags_queue"
QUEUE_ORDER = ("document_id", "status", "table_index", "page", "y0", "x0", "row_key", "column_key")
_REASON_HEAD = re.compile(r"[A-Za-z][A-Za-z ,]*")
KEY_COLUMNS = (FLAGS.c.document_id, FLAGS.c.table_index, FLAGS.c.row_key, FLAGS.c.column_key)


def reason_category(reason: str | None) -> str:
    """The kind of a flag reason: "printed totals inconsistent", "low confidence", ..."""
    if not reason:
        return ""
    m = _REASON_HEAD.match(reason)
    return (m.group(0) if m else reason).strip().rstrip(",").strip()


def shown(row: Any) -> str:
    """A long-table row's value as a person reads it ("5.697", "Có", text, "" for blank)."""
    if row["number"] is not None:
        return format_number(float(row["number"]))
    if row["boolean"] is not None:
        return "Có" if row["boolean"] else "Không"
    return row["text"] or ""


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: status, form, district, year, reason category; and its order."""

    status: str = "flagged"
    form: str = ""
    district: str = ""
    year: str = ""
    reason: str = ""
    sort: str = "document"

    @classmethod
    def from_args(cls, args: Any) -> QueueFilter:
        status = args.get("status", "flagged")
        sort = args.get("sort", "document")
        return cls(
            status=status if status in (*STATUSES, "all") else "flagged",
            form=args.get("form", ""),
            district=args.get("district", ""),
            year=args.get("year", ""),
            reason=args.get("reason", ""),
            sort=sort if sort in SORTS else "document",
        )

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v}


def _cell_id(row: Any) -> cx.CellId | None:
    return (row[0], int(row[1]), row[2], row[3]) if row is not None else None


class QueueQueries:
    """Queue listing and walking over the results database (mixed into the review service)."""

    engine: Engine
    settings: ReviewSettings

    # -- queue ------------------------------------------------------------------------------
    def _sort_columns(self, sort: str) -> list[Any]:
        tail = [
            DOCUMENTS.c.source,
            FLAGS.c.document_id,
            FLAGS.c.table_index,
            FLAGS.c.page,
            FLAGS.c.y0,
            FLAGS.c.x0,
            FLAGS.c.row_key,
            FLAGS.c.column_key,
        ]
        heads: dict[str, list[Any]] = {
            "document": [],
            "form": [FLAGS.c.form],
            "reason": [func.coalesce(FLAGS.c.flag_reason, "")],
            "confidence": [FLAGS.c.confidence],
        }
        return [*heads[sort], *tail]

    def _where(self, f: QueueFilter, *, with_status: bool = True) -> list[Any]:
        conds: list[Any] = []
        if with_status and f.status != "all":
            conds.append(FLAGS.c.status == f.status)
        if f.form:
            conds.append(FLAGS.c.form == f.form)
        if f.district:
            conds.append(DOCUMENTS.c.district == f.district)
        if f.year:
            try:
                conds.append(DOCUMENTS.c.year == int(f.year))
            except ValueError:
                conds.append(False)
        if f.reason:
            conds.append(FLAGS.c.flag_reason.startswith(f.reason, autoescape=True))
        return conds

    def _joined(self, *cols: Any) -> Any:
        return select(*cols).select_from(FLAGS.join(DOCUMENTS, DOCUMENTS.c.id == FLAGS.c.document_id))

    def queue(self, f: QueueFilter, offset: int = 0, limit: int | None = None) -> dict[str, Any]:
        """One page of the queue, the counts per status, the total and the filter choices."""
        limit = limit or self.settings.queue_page_size
        cols = [
            FLAGS.c.document_id,
            FLAGS.c.table_index,
            FLAGS.c.row_key,
            FLAGS.c.column_key,
            FLAGS.c.form,
            FLAGS.c.page,
            FLAGS.c.row_label,
            FLAGS.c.column_header,
            FLAGS.c.status,
            FLAGS.c.flag_reason,
            FLAGS.c.raw_text,
            FLAGS.c.number,
            FLAGS.c.text,
            FLAGS.c.confidence,
            DOCUMENTS.c.source,
            DOCUMENTS.c.district,
            DOCUMENTS.c.year,
        ]
        with self.engine.connect() as conn:
            stmt = self._joined(*cols).where(*self._where(f)).order_by(*self._sort_columns(f.sort))
            rows = [dict(r._mapping) for r in conn.execute(stmt.offset(offset).limit(limit))]
            counts = dict(
                conn.execute(
                    self._joined(FLAGS.c.status, func.count())
                    .where(*self._where(f, with_status=False))
                    .group_by(FLAGS.c.status)
                ).all()
            )
            total = counts.get(f.status, 0) if f.status != "all" else sum(counts.values())
            forms = sorted(r[0] for r in conn.execute(select(FLAGS.c.form).distinct()) if r[0])
            districts = sorted(r[0] for r in conn.execute(select(DOCUMENTS.c.district).distinct()) if r[0])
            years = sorted(r[0] for r in conn.execute(select(DOCUMENTS.c.year).distinct()) if r[0])
            reasons = sorted(
                {reason_category(r[0]) for r in conn.execute(select(FLAGS.c.flag_reason).distinct())} - {""}
            )
        for r in rows:
            r["value"] = shown({"number": r["number"], "boolean": None, "text": r["text"]})
        return {
            "rows": rows,
            "counts": {s: counts.get(s, 0) for s in STATUSES},
            "total": total,
            "offset": offset,
            "limit": limit,
            "choices": {"form": forms, "district": districts, "year": years, "reason": reasons},
        }

    def position(self, cell: cx.CellId, f: QueueFilter) -> tuple[Any, ...] | None:
        """The sort key of ``cell`` in the queue order of ``f`` (None when it is not in ``flags``).

        Take it before a decision: the decision may change the cell's own sort key (its reason)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                self._joined(*self._sort_columns(f.sort)).where(*self._cell_where(cell))
            ).first()
        return tuple(row) if row is not None else None

    def neighbour(
        self, cell: cx.CellId, f: QueueFilter, step: int, here: tuple[Any, ...] | None = None
    ) -> cx.CellId | None:
        """The cell after (``step`` 1) or before (-1) ``cell`` in the queue ``f``; None at an end.

        ``here`` is the cell's sort key (:meth:`position`) when it was taken earlier; the cell
        itself need not be in the queue any more (decided): its place in the order still counts.
        """
        cols = self._sort_columns(f.sort)
        here = here if here is not None else self.position(cell, f)
        if here is None:
            return None
        if f.sort == "document":
            return self._neighbour_by_document(cell, f, step, here)

        position = tuple_(*cols) > tuple_(*here) if step > 0 else tuple_(*cols) < tuple_(*here)
        order = cols if step > 0 else [c.desc() for c in cols]
        stmt = self._joined(*KEY_COLUMNS).where(position, *self._where(f)).order_by(*order).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return _cell_id(row)

    def _neighbour_by_document(
        self, cell: cx.CellId, f: QueueFilter, step: int, here: tuple[Any, ...]
    ) -> cx.CellId | None:
        """:meth:`neighbour` in document order, in two indexed steps instead of one sort of the
        whole queue: the rest of this document, else the nearest document with a cell in the queue."""

        inner = self._sort_columns("document")[2:]  # table_index, page, y0, x0, row_key, column_key
        source = here[0]
        conds = self._where(f)

        def first_in(document_id: str, after: tuple[Any, ...] | None) -> Any:
            where = [FLAGS.c.document_id == document_id, *conds]
            if after is not None:
                where.append(tuple_(*inner) > tuple_(*after) if step > 0 else tuple_(*inner) < tuple_(*after))
            order = inner if step > 0 else [c.desc() for c in inner]
            return conn.execute(self._joined(*KEY_COLUMNS).where(*where).order_by(*order).limit(1)).first()

        with self.engine.connect() as conn:
            row = first_in(cell[0], here[2:])
            if row is None:
                doc_key = tuple_(DOCUMENTS.c.source, DOCUMENTS.c.id)
                beyond = doc_key > tuple_(source, cell[0]) if step > 0 else doc_key < tuple_(source, cell[0])
                has = (
                    select(FLAGS.c.document_id).where(FLAGS.c.document_id == DOCUMENTS.c.id, *conds).exists()
                )
                order = [DOCUMENTS.c.source, DOCUMENTS.c.id]
                nxt = conn.execute(
                    select(DOCUMENTS.c.id)
                    .where(beyond, has)
                    .order_by(*(order if step > 0 else [c.desc() for c in order]))
                    .limit(1)
                ).first()
                row = first_in(nxt[0], None) if nxt is not None else None
        return _cell_id(row)

    def first(self, f: QueueFilter) -> cx.CellId | None:

        with self.engine.connect() as conn:
            stmt = self._joined(*KEY_COLUMNS).where(*self._where(f)).order_by(*self._sort_columns(f.sort))
            row = conn.execute(stmt.limit(1)).first()
        return _cell_id(row)

    @staticmethod
    def _cell_where(cell: cx.CellId, table: Any = FLAGS) -> list[Any]:
        return [
            table.c.document_id == cell[0],
            table.c.table_index == cell[1],
            table.c.row_key == cell[2],
            table.c.column_key == cell[3],
        ]
