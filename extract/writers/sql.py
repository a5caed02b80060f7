"""The database writer shared by SQLite and PostgreSQL (SQLAlchemy Core, one schema).

Each document is written in **one transaction**: its old rows are deleted from every
per-document table, then its new rows are inserted with ``INSERT .. ON CONFLICT DO UPDATE`` on the
table's unique key (dialect-specific upsert).  The delete makes a re-written document lose rows it
no longer has; the upsert keeps two runs that write the same document at once from failing or
duplicating.  Manifest rows are upserted by ``source``.  At the end of a batch ``finish`` marks
duplicate reports (``documents.duplicate_of``, see :mod:`.duplicates`) over the whole database.

The long table is ``cell_values``; a view ``values`` over it keeps queries written for the old
name working for one release (quote it: ``SELECT * FROM "values"``).  A database written before
the rename is refused with one line (use a new ``--out`` or ``--db``), never migrated silently.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..model import DocumentResult
from . import OutputError, ResultStore, Row
from .duplicates import find_duplicates
from .schema import (
    DATABASE_DOCUMENT_TABLES,
    DOCUMENTS,
    LEGACY_VIEWS,
    MANIFEST,
    METADATA,
    WIDE_COLUMNS,
    document_key,
    key_columns,
)
from .tables import document_rows, form_columns

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000  # wait this long for another writer's lock before failing
_CHUNK_ROWS = 5_000  # rows per executemany batch
CREATE_ATTEMPTS = 5  # tries at creating the tables while another run creates them too
CREATE_RETRY_S = 0.1
_CREATE_RACE = re.compile(
    r"already exists|duplicate (?:key|column)|unique constraint|database is locked|concurrently updated",
    re.IGNORECASE,
)


def _insert(dialect: str) -> Any:
    """The dialect's ``insert`` construct (it has ``on_conflict_do_update``)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert
    raise OutputError(f"database dialect {dialect!r} is not supported (use sqlite or postgresql)")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Wait for locks; WAL journal with NORMAL sync: a commit is atomic and needs no fsync of
    the database file (a crashed process loses nothing committed)."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def public_url(url: str) -> str:
    """``url`` with its password hidden (for logs and the batch's record of targets)."""
    return make_url(url).render_as_string(hide_password=True)


class SqlWriter:
    """Writes documents into a SQLite or PostgreSQL database (tables created when absent)."""

    per_document = True

    def __init__(self, name: str, url: str, config_dir: str | None = None) -> None:
        self.name = name
        self.target = public_url(url)
        self.config_dir = config_dir
        try:
            self.engine: Engine = create_engine(url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            self._insert = _insert(self.engine.dialect.name)
            self._upserts = {t.name: self._upsert_statement(t) for t in (*DATABASE_DOCUMENT_TABLES, MANIFEST)}
            self._create_tables()
        except SQLAlchemyError as exc:
            raise OutputError(f"{self.target}: cannot open the database: {_first_line(exc)}") from exc

    def _check_not_legacy(self) -> None:
        """Refuse a database of the schema before the rename (``values``, ``documents.number``)."""
        found = inspect(self.engine)
        if found.has_table(DOCUMENTS.name):
            names = {c["name"] for c in found.get_columns(DOCUMENTS.name)}
            if "report_number" not in names:
                raise OutputError(
                    f'{self.target}: written by an older version (table "values", documents.number);'
                    " write to a new --out folder or --db database"
                )

    def _add_new_columns(self) -> None:
        """A database written before a nullable column was added (``cell_values.parts``) gets it:
        NULL in the rows written then, as they were."""
        found = inspect(self.engine)
        quote = self.engine.dialect.identifier_preparer.quote
        with self.engine.begin() as conn:
            for table in METADATA.sorted_tables:
                have = {c["name"] for c in found.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in have and column.nullable and not column.primary_key:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        conn.execute(
                            text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}")
                        )

    def _create_views(self) -> None:
        quote = self.engine.dialect.identifier_preparer.quote
        create = (
            "CREATE OR REPLACE VIEW"
            if self.engine.dialect.name == "postgresql"
            else "CREATE VIEW IF NOT EXISTS"
        )
        with self.engine.begin() as conn:
            for view, table in LEGACY_VIEWS.items():
                conn.execute(text(f"{create} {quote(view)} AS SELECT * FROM {quote(table)}"))

    def _create_tables(self) -> None:
        """Create the tables that are missing, also when another run creates them at the same
        time: a creation that loses that race ("already exists", a duplicate type name) is tried
        again, and then finds the tables there."""
        for attempt in range(CREATE_ATTEMPTS):
            try:
                self._check_not_legacy()  # its first connection may meet another run's lock too
                METADATA.create_all(self.engine, checkfirst=True)
                self._add_new_columns()
                self._create_views()
                return
            except SQLAlchemyError as exc:
                if attempt == CREATE_ATTEMPTS - 1 or not _CREATE_RACE.search(str(exc)):
                    raise
                log.debug(
                    "%s: tables created meanwhile by another run (%s); checking again", self.target, exc
                )
                time.sleep(CREATE_RETRY_S * (attempt + 1))

    def _upsert_statement(self, table: Table) -> Any:
        keys = key_columns(table)
        stmt = self._insert(table)
        return stmt.on_conflict_do_update(
            index_elements=keys,
            set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys},
        )

    def _upsert(self, conn: Connection, table: Table, rows: Sequence[Row]) -> None:
        if not rows:
            return
        stmt = self._upserts[table.name]
        for start in range(0, len(rows), _CHUNK_ROWS):
            conn.execute(stmt, list(rows[start : start + _CHUNK_ROWS]))

    def _delete(self, conn: Connection, document_id: str) -> None:
        for table in reversed(DATABASE_DOCUMENT_TABLES):
            conn.execute(delete(table).where(table.c[document_key(table)] == document_id))

    def write_document(self, doc: DocumentResult, manifest: Sequence[Row]) -> None:
        rows = document_rows(doc)
        try:
            with self.engine.begin() as conn:
                self._delete(conn, doc.document_id)
                for table in DATABASE_DOCUMENT_TABLES:
                    self._upsert(conn, table, rows[table.name])
                self._upsert(conn, MANIFEST, manifest)
        except SQLAlchemyError as exc:
            raise OutputError(f"{self.target}: cannot write document {doc.source}: {exc}") from exc

    def delete_document(self, document_id: str) -> None:
        try:
            with self.engine.begin() as conn:
                self._delete(conn, document_id)
        except SQLAlchemyError as exc:
            raise OutputError(f"{self.target}: cannot delete document {document_id}: {exc}") from exc

    def finish(self, store: ResultStore) -> list[str]:
        try:
            with self.engine.begin() as conn:
                self._upsert(conn, MANIFEST, store.manifest_rows())
                self._mark_duplicates(conn)
                self._write_wide_columns(conn)
        except SQLAlchemyError as exc:
            raise OutputError(f"{self.target}: cannot write the manifest: {exc}") from exc
        return [self.target]

    def _mark_duplicates(self, conn: Connection) -> None:
        t = DOCUMENTS
        rows = [dict(r._mapping) for r in conn.execute(select(t))]
        dupes = find_duplicates(rows)
        for row in rows:
            if row.get("duplicate_of") != dupes.get(row["id"]):
                conn.execute(update(t).where(t.c.id == row["id"]).values(duplicate_of=dupes.get(row["id"])))

    def _write_wide_columns(self, conn: Connection) -> None:
        """The forms' wide columns and types of this run's configs (see ``schema.WIDE_COLUMNS``)."""
        rows = [
            {"form": form, "column_key": key, "position": i, "wide_type": wide_type}
            for form, keys in form_columns(self.config_dir).items()
            for i, (key, wide_type) in enumerate(keys)
        ]
        conn.execute(delete(WIDE_COLUMNS))
        if rows:
            conn.execute(WIDE_COLUMNS.insert(), rows)

    def close(self) -> None:
        self.engine.dispose()


def _first_line(exc: Exception) -> str:
    """An SQLAlchemy error's message without its second lines and documentation link."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


__all__ = ["SqlWriter", "public_url"]
