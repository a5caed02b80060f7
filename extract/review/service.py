"""What the review app does, without the web: queue, cell, document, decisions, progress, export.

:class:`ReviewService` works on a run's output folder: the results database (SQLite by default,
or the ``--db`` URL: PostgreSQL through the same code) and the batch state ``manifest.sqlite``,
which holds each document as the run finished it (its table structure, which re-validation needs)
and each page's detected grid (for the page overlay).

A decision is one transaction: the correction is appended, every correction of the document is
laid over the document as the run finished it, that table is validated again and its rows of the
long table and of ``flags`` are replaced, page and document statuses follow.  Decisions on one
document are serialized (SQLite: the write lock taken at BEGIN; PostgreSQL: an advisory lock on
the document), so concurrent reviewers never lose one.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url

from ..manifest import FILE_NAME as STATE_FILE
from ..manifest import Manifest
from ..model import DocumentResult, PixelBox, TableGrid, Value, ValueStatus
from ..units import mm_to_whole_px
from ..writers import WriterContext, make_writers
from ..writers.schema import TABLES_BY_NAME
from ..writers.sql import public_url
from ..writers.tables import document_rows
from . import corrections as cx
from .apply import apply_corrections, cell_index, column_type, parse_reviewed
from .images import PageCache, PageGeometry, crop, jpeg, overlay, png
from .queue import QUEUE_INDEX, QUEUE_ORDER, SORTS, STATUSES, QueueFilter, QueueQueries, shown
from .rerun import Reviews, find_orphans, load_rules, orphan_message, values_table
from .settings import ReviewSettings

log = logging.getLogger(__name__)

VALUES = values_table()
FLAGS = TABLES_BY_NAME["flags"]
TABLES = TABLES_BY_NAME["tables"]
PAGES = TABLES_BY_NAME["pages"]
DOCUMENTS = TABLES_BY_NAME["documents"]
SQLITE_BUSY_TIMEOUT_MS = 30_000

DB_FORMATS = ("sqlite", "postgres")


@dataclass(frozen=True)
class Decision:
    correction_id: int
    cell: cx.CellId
    row_statuses: dict[str, str]  # column key -> status of the decided cell's row afterwards


@dataclass
class _DocEntry:
    doc: DocumentResult
    path: str  # the file to read pages from
    grids: dict[int, tuple[TableGrid, ...]] | None = None  # 0-based page -> grids (loaded lazily)
    cells: dict[cx.CellId, tuple[int, tuple[int, str]]] | None = None  # apply.cell_index (lazily)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Wait for another writer's lock; the writers' WAL journal needs no fsync of the file per commit."""
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_writer_connect(dbapi_connection: Any, record: Any) -> None:
    _sqlite_connect(dbapi_connection, record)
    dbapi_connection.isolation_level = None  # transactions are begun explicitly (BEGIN IMMEDIATE)


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock first: no lost update


def database_url(out_dir: Path, db_url: str | None) -> str:
    """The results database of a run: ``db_url`` (PostgreSQL or SQLite), else ``<out>/results.sqlite``."""
    from ..writers.postgres import is_postgres_url, postgres_url
    from ..writers.sqlite import sqlite_url

    if is_postgres_url(db_url):
        return postgres_url(db_url or "")
    return sqlite_url(WriterContext(out_dir=out_dir, db_url=db_url))


class ReviewService(QueueQueries):
    """The review actions over one run's outputs (thread-safe: one instance serves the app)."""

    def __init__(
        self,
        out_dir: str | Path,
        db_url: str | None = None,
        config_dir: str | None = None,
        settings: ReviewSettings | None = None,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.db_url = db_url
        self.config_dir = config_dir
        self.settings = settings or ReviewSettings.from_config(config_dir)
        state = self.out_dir / STATE_FILE
        if not state.is_file():
            raise cx.ReviewError(
                f"{self.out_dir}: no run here ({STATE_FILE} is missing): run the pipeline first"
            )
        self.state_path = state
        url = database_url(self.out_dir, db_url)
        self.engine = create_engine(url)  # reads (SQLite WAL: never wait for a writer)
        self._writer = self.engine  # decisions
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            if not Path(make_url(url).database or "").is_file():
                raise cx.ReviewError(
                    f"{url}: no results database: run the pipeline with the sqlite output first"
                )
            event.listen(self.engine, "connect", _sqlite_connect)
            self._writer = create_engine(url)
            event.listen(self._writer, "connect", _sqlite_writer_connect)
            event.listen(self._writer, "begin", _sqlite_begin)
        if not sa_inspect(self.engine).has_table(FLAGS.name):
            raise cx.ReviewError(f"{public_url(url)}: no results of a run in this database")
        cx.create_table(self.engine)
        with self.engine.begin() as conn:  # the queue walks flags document by document, in reading order
            conn.execute(
                text(f"CREATE INDEX IF NOT EXISTS {QUEUE_INDEX} ON flags ({', '.join(QUEUE_ORDER)})")
            )
        self.forms, self.validate_settings = load_rules(config_dir)
        self.pages = PageCache(self.settings.page_cache)
        self._docs: OrderedDict[str, _DocEntry] = OrderedDict()
        self._docs_lock = threading.Lock()
        self._local = threading.local()
        self._prefetch = ThreadPoolExecutor(max_workers=1, thread_name_prefix="review-prefetch")

    def close(self) -> None:
        self._prefetch.shutdown(wait=True, cancel_futures=True)
        self.engine.dispose()
        self._writer.dispose()

    def prefetch_next(self, cell: cx.CellId, f: QueueFilter) -> None:
        """In the background: decode the page of the cell after ``cell`` (so that its crop is
        ready when the reviewer gets there: a page takes ~0.3-0.6 s to render and deskew)."""

        def warm() -> None:
            try:
                nxt = self.neighbour(cell, f, 1)
                if nxt is None:
                    return
                with self.engine.connect() as conn:
                    page = conn.execute(select(VALUES.c.page).where(*self._cell_where(nxt, VALUES))).scalar()
                if page is not None:
                    self.pages.get(self._geometry(nxt[0], int(page)))
            except Exception:
                log.debug("prefetch after %r failed", cell, exc_info=True)

        self._prefetch.submit(warm)

    # -- the batch state --------------------------------------------------------------------
    def _state(self) -> Manifest:
        m = getattr(self._local, "state", None)
        if m is None:
            m = self._local.state = Manifest(self.state_path)
        return m

    def _entry(self, document_id: str) -> _DocEntry:
        with self._docs_lock:
            entry = self._docs.get(document_id)
            if entry is not None:
                self._docs.move_to_end(document_id)
                return entry
        state = self._state()
        try:
            doc = state.load_document(document_id)
        except KeyError as exc:
            raise cx.ReviewError(
                f"document {document_id} is not in the run's state ({self.state_path})"
            ) from exc
        info = state.document(document_id)
        entry = _DocEntry(doc, info.path if info is not None else doc.source)
        with self._docs_lock:
            self._docs[document_id] = entry
            while len(self._docs) > self.settings.document_cache:
                self._docs.popitem(last=False)
        return entry

    def _grids(self, document_id: str, page: int) -> tuple[TableGrid, ...]:
        entry = self._entry(document_id)
        if entry.grids is None:
            pages, _broken = self._state().load_pages(document_id)
            entry.grids = {p.page_index: tuple(t.grid for t in p.tables) for p in pages}
        return entry.grids.get(page - 1, ())

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def _write(self, document_id: str) -> Iterator[Connection]:
        with self._writer.begin() as conn:
            if self.dialect == "postgresql":
                lock_id = zlib.crc32(document_id.encode())
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_id})
            yield conn

    # -- one cell ---------------------------------------------------------------------------
    def cell(self, cell: cx.CellId) -> dict[str, Any]:
        """Everything the cell view shows (raises :class:`ReviewError` for an unknown cell)."""
        with self.engine.connect() as conn:
            value = conn.execute(select(VALUES).where(*self._cell_where(cell, VALUES))).first()
            if value is None:
                raise cx.ReviewError(f"no cell {cell!r} in the results")
            v = dict(value._mapping)
            flag = conn.execute(select(FLAGS).where(*self._cell_where(cell))).first()
            row = conn.execute(
                select(VALUES)
                .where(
                    VALUES.c.document_id == cell[0],
                    VALUES.c.table_index == cell[1],
                    VALUES.c.row_key == cell[2],
                )
                .order_by(VALUES.c.x0)
            ).all()
            table = conn.execute(
                select(TABLES).where(TABLES.c.document_id == cell[0], TABLES.c.table_index == cell[1])
            ).first()
            doc = conn.execute(select(DOCUMENTS).where(DOCUMENTS.c.id == cell[0])).first()
            history = conn.execute(
                select(cx.CORRECTIONS)
                .where(*self._cell_where(cell, cx.CORRECTIONS))
                .order_by(cx.CORRECTIONS.c.id.desc())
            ).all()
        f = dict(flag._mapping) if flag is not None else {}
        candidates = json.loads(f.get("candidates") or "[]")
        v["value"] = shown(v)
        form = self.forms.get(v["form"])
        return {
            "cell": cell,
            "value": v,
            "flag": f,
            "problem": f.get("problem"),
            "candidates": self._choices(v, candidates, column_type(form, cell[3])),
            "row": [dict(r._mapping) | {"value": shown(r._mapping)} for r in row],
            "table": dict(table._mapping) | {"issues": json.loads(table.issues or "[]")} if table else {},
            "document": dict(doc._mapping) if doc is not None else {},
            "history": [dict(h._mapping) for h in history],
        }

    @staticmethod
    def _choices(v: dict[str, Any], candidates: list[dict[str, Any]], col_type: str) -> list[dict[str, Any]]:
        """The readings a reviewer can accept: each distinct candidate text (best confidence
        first), marked when it is the current value or cannot be a value of the column."""
        best: dict[str, dict[str, Any]] = {}
        for c in candidates:
            t = (c.get("text") or "").strip()
            if not t:
                continue
            if t not in best or c["confidence"] > best[t]["confidence"]:
                best[t] = dict(c, text=t)
        out = sorted(best.values(), key=lambda c: -float(c["confidence"]))
        for c in out:
            try:
                _kind, number, boolean, as_text, _unit = parse_reviewed(c["text"], col_type)
                c["value"] = shown({"number": number, "boolean": boolean, "text": as_text})
                c["usable"] = True
            except cx.ReviewError as exc:
                c["value"], c["usable"], c["problem"] = "", False, str(exc)
            c["current"] = c["usable"] and c["value"] == v["value"]
        if v.get("suggestion") is not None:  # what the form's sums give: first, accepted with Enter
            text = shown({"number": float(v["suggestion"]), "boolean": None, "text": None})
            rule = v.get("rule") or "the form's arithmetic"
            out.insert(
                0,
                {
                    "text": text,
                    "value": text,
                    "usable": True,
                    "current": False,
                    "suggested": rule,
                    "confidence": 0.0,
                },
            )
        return out

    # -- decisions --------------------------------------------------------------------------
    def decide(
        self,
        cell: cx.CellId,
        action: cx.Action | str,
        reviewer: str,
        value: str | None = None,
        reason: str | None = None,
    ) -> Decision:
        """Record a decision on ``cell`` and re-validate its table (see the module doc)."""
        action = cx.Action(action)
        if action is cx.Action.UNDO:
            raise cx.ReviewError("use undo() to take a decision back")
        reviewer = (reviewer or "").strip()
        if not reviewer:
            raise cx.ReviewError("a decision needs the reviewer's name")
        entry = self._entry(cell[0])
        table = next((t for t in entry.doc.tables if t.table_index == cell[1]), None)
        if table is None:
            raise cx.ReviewError(f"document {cell[0]} has no table {cell[1]}")
        col_type = column_type(self.forms.get(table.form), cell[3])
        if action in cx.VALUE_ACTIONS:
            value = (value or "").strip()
            if not value:
                raise cx.ReviewError(f"'{action.value}' needs a value")
            parse_reviewed(value, col_type)  # raises for a value the column cannot hold
        with self._write(cell[0]) as conn:
            o = self._old_cell(conn, cell)
            new_value = (
                value if action in cx.VALUE_ACTIONS else shown(o) if action is cx.Action.CONFIRM else None
            )
            cid = cx.record(
                conn,
                document_id=cell[0],
                table_index=cell[1],
                row_key=cell[2],
                column_key=cell[3],
                row_index=o["row_index"],
                page=o["page"],
                action=action,
                old_value=shown(o),
                old_text=o["raw_text"],
                old_status=o["status"],
                new_value=new_value,
                reviewer=reviewer,
                reason=reason,
            )
            statuses = self._rewrite_table(conn, cell[0], cell[1], cell[2])
        return Decision(cid, cell, statuses)

    def undo(self, reviewer: str, correction_id: int | None = None) -> Decision | None:
        """Take back ``correction_id``, or the reviewer's latest decision still in force."""
        with self.engine.connect() as conn:
            mine = cx.load(conn) if correction_id is None else []
        if correction_id is None:
            in_force = {c.id for c in cx.effective(mine).values()}
            undone = {c.undoes for c in mine if c.action is cx.Action.UNDO}
            candidates = [
                c
                for c in mine
                if c.reviewer == reviewer and c.action is not cx.Action.UNDO and c.id not in undone
            ]
            target = next((c for c in reversed(candidates) if c.id in in_force), None)
            if target is None:
                return None
        else:
            with self.engine.connect() as conn:
                row = conn.execute(select(cx.CORRECTIONS).where(cx.CORRECTIONS.c.id == correction_id)).first()
            if row is None:
                raise cx.ReviewError(f"no correction #{correction_id}")
            target = cx.Correction.from_row(row._mapping)
        with self._write(target.document_id) as conn:
            cid = cx.record(
                conn,
                document_id=target.document_id,
                table_index=target.table_index,
                row_key=target.row_key,
                column_key=target.column_key,
                row_index=target.row_index,
                page=target.page,
                action=cx.Action.UNDO,
                old_value=target.new_value,
                new_value=target.old_value,
                reviewer=reviewer,
                reason=f"undo of #{target.id} ({target.action.value})",
                undoes=target.id,
            )
            statuses = self._rewrite_table(conn, target.document_id, target.table_index, target.row_key)
        return Decision(cid, target.cell, statuses)

    def _rewrite_table(
        self, conn: Connection, document_id: str, table_index: int, row_key: str
    ) -> dict[str, str]:
        """Re-validate one table under every correction of its document; replace its rows."""
        entry = self._entry(document_id)
        if entry.cells is None:
            entry.cells = cell_index(entry.doc)
        applied = apply_corrections(
            entry.doc,
            cx.load(conn, document_id),
            self.forms,
            self.validate_settings,
            tables=[table_index],
            index=entry.cells,
        )
        table = next(t for t in applied.document.tables if t.table_index == table_index)
        rows = document_rows(dataclasses.replace(applied.document, tables=(table,), pages=()))
        for t in (VALUES, FLAGS):
            self._replace_rows(conn, t, document_id, table_index, rows[t.name])
        conn.execute(
            update(TABLES)
            .where(TABLES.c.document_id == document_id, TABLES.c.table_index == table_index)
            .values(issues=rows["tables"][0]["issues"])
        )
        self._update_statuses(conn, document_id)
        return {r["column_key"]: r["status"] for r in rows[VALUES.name] if r["row_key"] == row_key}

    @staticmethod
    def _replace_rows(
        conn: Connection, table: Any, document_id: str, table_index: int, new: list[dict]
    ) -> None:
        """Make the rows of one table of ``table`` (the long table, flags) equal ``new``, touching
        only the rows that changed (a decision changes a few cells of a table)."""
        keys = ("row_key", "column_key")
        names = [c.name for c in table.columns]
        old = {
            (r.row_key, r.column_key): dict(r._mapping)
            for r in conn.execute(
                select(table).where(table.c.document_id == document_id, table.c.table_index == table_index)
            )
        }
        fresh = {(r["row_key"], r["column_key"]): {n: r.get(n) for n in names} for r in new}
        gone = [k for k, r in old.items() if fresh.get(k) != r]
        added = [r for k, r in fresh.items() if old.get(k) != r]
        if gone:
            where = and_(table.c.document_id == document_id, table.c.table_index == table_index)
            conn.execute(delete(table).where(where, tuple_(*(table.c[k] for k in keys)).in_(gone)))
        if added:
            conn.execute(insert(table), added)

    def _update_statuses(self, conn: Connection, document_id: str) -> None:
        """Pages and the document: flagged while a flagged value (or a failed page) remains."""
        flagged = ValueStatus.FLAGGED.value
        has_flag = (
            select(VALUES.c.page)
            .where(VALUES.c.document_id == document_id, VALUES.c.status == flagged)
            .distinct()
        )
        pages_flagged = {r[0] for r in conn.execute(has_flag)}
        for page, status in conn.execute(
            select(PAGES.c.page, PAGES.c.status).where(PAGES.c.document_id == document_id)
        ).all():
            want = "flagged" if page in pages_flagged else "done"
            if status in ("flagged", "done") and status != want:
                conn.execute(
                    update(PAGES)
                    .where(PAGES.c.document_id == document_id, PAGES.c.page == page)
                    .values(status=want)
                )
        failed = conn.execute(
            select(func.count()).where(PAGES.c.document_id == document_id, PAGES.c.status == "failed")
        ).scalar_one()
        want = "flagged" if pages_flagged or failed else "done"
        conn.execute(
            update(DOCUMENTS)
            .where(DOCUMENTS.c.id == document_id, DOCUMENTS.c.status.in_(("flagged", "done")))
            .values(status=want)
        )

    # -- images -----------------------------------------------------------------------------
    def _geometry(self, document_id: str, page: int) -> PageGeometry:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(PAGES.c.dpi, PAGES.c.rotation, PAGES.c.skew).where(
                    PAGES.c.document_id == document_id, PAGES.c.page == page
                )
            ).first()
        if row is None or not row.dpi:
            raise cx.ReviewError(f"document {document_id} has no readable page {page}")
        entry = self._entry(document_id)
        return PageGeometry(
            entry.path, page - 1, float(row.dpi), int(row.rotation or 0), float(row.skew or 0.0)
        )

    def crop_png(self, cell: cx.CellId) -> bytes:
        """The cell's crop from the page, rendered on demand."""
        with self.engine.connect() as conn:
            v = conn.execute(
                select(VALUES.c.page, VALUES.c.x0, VALUES.c.y0, VALUES.c.x1, VALUES.c.y1).where(
                    *self._cell_where(cell, VALUES)
                )
            ).first()
        if v is None:
            raise cx.ReviewError(f"no cell {cell!r} in the results")
        geometry = self._geometry(cell[0], v.page)
        gray = self.pages.get(geometry)
        margin = mm_to_whole_px(self.settings.crop_margin_mm, geometry.dpi)
        return png(crop(gray, PixelBox(v.x0, v.y0, v.x1, v.y1), margin))

    def page_jpeg(self, document_id: str, page: int, current: cx.CellId | None = None) -> bytes:
        """The whole page: its grids, every flagged cell outlined, ``current`` highlighted."""
        geometry = self._geometry(document_id, page)
        gray = self.pages.get(geometry)
        with self.engine.connect() as conn:
            flagged = [
                PixelBox(*r)
                for r in conn.execute(
                    select(FLAGS.c.x0, FLAGS.c.y0, FLAGS.c.x1, FLAGS.c.y1).where(
                        FLAGS.c.document_id == document_id,
                        FLAGS.c.page == page,
                        FLAGS.c.status == ValueStatus.FLAGGED.value,
                    )
                )
            ]
            box = None
            if current is not None:
                r = conn.execute(
                    select(VALUES.c.x0, VALUES.c.y0, VALUES.c.x1, VALUES.c.y1).where(
                        *self._cell_where(current, VALUES)
                    )
                ).first()
                box = PixelBox(*r) if r is not None else None
        img = overlay(gray, self._grids(document_id, page), flagged, box, self.settings.overlay_max_width)
        return jpeg(img, self.settings.overlay_jpeg_quality)

    # -- the document view ------------------------------------------------------------------
    def document(self, document_id: str) -> dict[str, Any]:
        """Every page of a document with its tables as read (rows x columns of values)."""
        with self.engine.connect() as conn:
            doc = conn.execute(select(DOCUMENTS).where(DOCUMENTS.c.id == document_id)).first()
            if doc is None:
                raise cx.ReviewError(f"no document {document_id} in the results")
            pages = conn.execute(
                select(PAGES).where(PAGES.c.document_id == document_id).order_by(PAGES.c.page)
            ).all()
            values = conn.execute(
                select(VALUES)
                .where(VALUES.c.document_id == document_id)
                .order_by(VALUES.c.page, VALUES.c.table_index, VALUES.c.row_index, VALUES.c.x0)
            ).all()
            tables = {
                r.table_index: r
                for r in conn.execute(select(TABLES).where(TABLES.c.document_id == document_id))
            }
        by_page: dict[int, dict[int, dict[str, Any]]] = {}
        cells = [dict(r._mapping) for r in values]
        cells += self._blank_cells(
            document_id, {(c["table_index"], c["row_key"], c["column_key"]) for c in cells}
        )
        cells.sort(key=lambda c: (c["page"], c["table_index"], c["row_index"], c["x0"]))
        for m in cells:
            t = by_page.setdefault(m["page"], {}).setdefault(
                m["table_index"],
                {
                    "table_index": m["table_index"],
                    "form": m["form"],
                    "title": tables[m["table_index"]].title if m["table_index"] in tables else "",
                    "columns": {},
                    "rows": {},
                },
            )
            t["columns"].setdefault(m["column_key"], (m["x0"], m["column_header"]))
            row = t["rows"].setdefault(
                m["row_index"], {"label": m["row_label"], "key": m["row_key"], "cells": {}}
            )
            row["cells"][m["column_key"]] = dict(m) | {"value": shown(m)}
        out_pages = []
        for p in pages:
            tabs = []
            for t in by_page.get(p.page, {}).values():
                cols = sorted(t["columns"].items(), key=lambda kv: kv[1][0])
                t["columns"] = [(k, header) for k, (_x, header) in cols]
                t["rows"] = [t["rows"][i] for i in sorted(t["rows"])]
                tabs.append(t)
            out_pages.append({"page": p.page, "status": p.status, "error": p.error, "tables": tabs})
        return {"document": dict(doc._mapping), "pages": out_pages}

    def _blank_cells(self, document_id: str, present: set[tuple[int, str, str]]) -> list[dict[str, Any]]:
        """Cells printed empty (status ``blank``: not rows of the long table) as the run read them,
        so that a spot check can still say one is wrong (OCR may have missed a printed value)."""
        entry = self._entry(document_id)
        if entry.cells is None:
            entry.cells = cell_index(entry.doc)
        out = []
        for cell, (pos, (row_index, column_key)) in entry.cells.items():
            if cell[1:] in present:
                continue
            v = self._state_value(entry, pos, row_index, column_key)
            out.append(
                {
                    "document_id": document_id,
                    "table_index": cell[1],
                    "row_key": cell[2],
                    "column_key": column_key,
                    "row_index": row_index,
                    "row_label": v.row_label,
                    "column_header": v.column_header,
                    "form": v.form,
                    "page": v.page_index + 1,
                    "x0": v.box.x0,
                    "status": ValueStatus.BLANK.value,
                    "flag_reason": None,
                    "raw_text": v.raw_text,
                    "number": None,
                    "boolean": None,
                    "text": None,
                }
            )
        return out

    @staticmethod
    def _state_value(entry: _DocEntry, pos: int, row_index: int, column_key: str) -> Value:
        return next(
            v for v in entry.doc.tables[pos].values if (v.row_index, v.column_key) == (row_index, column_key)
        )

    def _old_cell(self, conn: Connection, cell: cx.CellId) -> dict[str, Any]:
        """The cell as it is now: its long-table row, or (a printed-empty cell has none) the run's."""
        old = conn.execute(select(VALUES).where(*self._cell_where(cell, VALUES))).first()
        if old is not None:
            return dict(old._mapping)
        entry = self._entry(cell[0])
        if entry.cells is None:
            entry.cells = cell_index(entry.doc)
        hit = entry.cells.get(cell)
        if hit is None:
            raise cx.ReviewError(f"no cell {cell!r} in the results")
        v = self._state_value(entry, hit[0], *hit[1])
        return {
            "number": None,
            "boolean": None,
            "text": None,
            "raw_text": v.raw_text,
            "status": ValueStatus.BLANK.value,
            "row_index": v.row_index,
            "page": v.page_index + 1,
        }

    def documents(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [
                dict(r._mapping)
                for r in conn.execute(
                    select(
                        DOCUMENTS.c.id,
                        DOCUMENTS.c.source,
                        DOCUMENTS.c.status,
                        DOCUMENTS.c.district,
                        DOCUMENTS.c.year,
                        DOCUMENTS.c.pages,
                    ).order_by(DOCUMENTS.c.source)
                )
            ]

    # -- progress ---------------------------------------------------------------------------
    def progress(self, now: float | None = None) -> dict[str, Any]:
        """Cells reviewed and left, decisions per hour (last hour and overall), per reviewer; orphans."""
        now = time.time() if now is None else now
        with self.engine.connect() as conn:
            counts: dict[str, int] = dict(
                conn.execute(select(FLAGS.c.status, func.count()).group_by(FLAGS.c.status)).all()
            )
            all_corrections = cx.load(conn)
        decisions = [c for c in all_corrections if c.action is not cx.Action.UNDO]
        stamps = sorted(self._epoch(c) for c in decisions)
        last_hour = sum(1 for t in stamps if t >= now - 3600)
        span_h = (stamps[-1] - stamps[0]) / 3600 if len(stamps) > 1 else 0.0
        per_reviewer: dict[str, int] = {}
        for c in decisions:
            per_reviewer[c.reviewer] = per_reviewer.get(c.reviewer, 0) + 1
        orphans = find_orphans(self.engine, all_corrections)
        return {
            "reviewed": counts.get("reviewed", 0),
            "left": counts.get("flagged", 0),
            "corrected": counts.get("corrected", 0),
            "decisions": len(decisions),
            "undos": len(all_corrections) - len(decisions),
            "last_hour": last_hour,
            "per_hour": (len(stamps) / span_h) if span_h > 0 else None,
            "per_reviewer": sorted(per_reviewer.items()),
            "orphans": [orphan_message(c) for c in orphans],
        }

    @staticmethod
    def _epoch(c: cx.Correction) -> float:
        from datetime import datetime

        return datetime.fromisoformat(c.created_at).timestamp()

    # -- export -----------------------------------------------------------------------------
    def export(self, formats: Sequence[str] | None = None) -> list[str]:
        """Rebuild the file outputs (CSV, Parquet, Excel, JSON) with the reviewed values; the
        database already holds them.  Returns the outputs' locations."""
        from ..batch import load_settings

        chosen = [f for f in (formats or load_settings(self.config_dir).formats) if f not in DB_FORMATS]
        writers = make_writers(chosen, WriterContext(out_dir=self.out_dir, config_dir=self.config_dir))
        out: list[str] = []
        try:
            with self.engine.connect() as conn:
                reviews = Reviews(self.engine, None, self.config_dir, cx.load(conn))
            state = self._state()
            store = reviews.store(state)
            for w in writers:
                if w.per_document:
                    for doc_id in state.document_ids():
                        w.write_document(store.load_document(doc_id), state.manifest_rows(doc_id))
                out.extend(w.finish(store))
        finally:
            for w in writers:
                w.close()
        return out


__all__ = ["SORTS", "STATUSES", "Decision", "QueueFilter", "ReviewService", "database_url"]
