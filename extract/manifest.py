"""The batch's state and manifest: one SQLite file in the output folder (``manifest.sqlite``).

It records every input file, every document (keyed by content hash) and every page, and keeps
each page's :class:`~extract.model.PageResult` (pickled, as a BLOB) the moment it arrives, in its
own transaction.  That is what makes a batch resumable after ``kill -9``: a re-run finds the pages
already stored, computes only the missing ones, and re-does nothing that finished.

Tables (internal; the published ``manifest`` table of the outputs is :meth:`Manifest.manifest_rows`):

- ``files``: one row per input ``source``: its document id and status (pending, done, flagged,
  no_tables, failed, skipped) with reason and stage;
- ``documents``: one row per content hash: canonical source, page count, status, whether it is
  ``complete`` (assembled, or unreadable), and its assembled result (pages stripped of OCR'd
  cells and text: the full page results stay in ``pages``) with that result's digest;
- ``pages``: one row per finished page: status (done, no_tables, failed; flagged after assembly),
  error, stage, seconds, the pickled page result;
- ``written``: which digest of each document each output target holds.

Timestamps (``*_at``, seconds since the epoch) are for people; nothing depends on them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import pickle
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from .model import DocumentResult, PageResult, PageStatus, ValueStatus

FILE_NAME = "manifest.sqlite"
PENDING = "pending"
SUPERSEDED = "superseded"  # a source whose file changed content: its old document
PICKLE_PROTOCOL = 5
SQLITE_BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    source TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    document_id TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    stage TEXT,
    updated_at REAL
);
CREATE INDEX IF NOT EXISTS files_document ON files(document_id);
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    page_count INTEGER,
    status TEXT NOT NULL,
    error TEXT,
    stage TEXT,
    complete INTEGER NOT NULL DEFAULT 0,
    pages_failed INTEGER,
    seconds REAL,
    result BLOB,
    digest TEXT,
    finished_at REAL
);
CREATE TABLE IF NOT EXISTS pages (
    document_id TEXT NOT NULL,
    page_index INTEGER NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    stage TEXT,
    seconds REAL,
    result BLOB NOT NULL,
    finished_at REAL,
    PRIMARY KEY (document_id, page_index)
);
CREATE TABLE IF NOT EXISTS written (
    document_id TEXT NOT NULL,
    target TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (document_id, target)
);
"""


@dataclass(frozen=True)
class FileState:
    source: str
    path: str
    document_id: str | None
    status: str
    reason: str | None
    stage: str | None


@dataclass(frozen=True)
class DocumentState:
    document_id: str
    source: str
    path: str
    page_count: int | None
    status: str
    error: str | None
    stage: str | None
    complete: bool
    digest: str | None


def arrival_status(result: PageResult) -> str:
    """A page's status when its result arrives (assembly may later turn done into flagged)."""
    if result.failed:
        return PageStatus.FAILED.value
    return PageStatus.DONE.value if result.tables else PageStatus.NO_TABLES.value


def page_statuses(doc: DocumentResult) -> dict[int, str]:
    """Status of every page (0-based index -> done / flagged / no_tables / failed)."""
    flagged_pages = {
        v.page_index for v in doc.values() if _value_status(v.status) == ValueStatus.FLAGGED.value
    }
    out: dict[int, str] = {}
    for page in doc.pages:
        if page.failed:
            out[page.page_index] = PageStatus.FAILED.value
        elif page.page_index in flagged_pages:
            out[page.page_index] = PageStatus.FLAGGED.value
        elif page.tables:
            out[page.page_index] = PageStatus.DONE.value
        else:
            out[page.page_index] = PageStatus.NO_TABLES.value
    return out


def document_status(doc: DocumentResult) -> str:
    """failed (assembly error or no page read), flagged (a failed page or a flagged value),
    no_tables (nothing tabular found) or done."""
    statuses = page_statuses(doc).values()
    if doc.error or not doc.pages or all(s == PageStatus.FAILED.value for s in statuses):
        return PageStatus.FAILED.value
    if any(s in (PageStatus.FAILED.value, PageStatus.FLAGGED.value) for s in statuses):
        return PageStatus.FLAGGED.value
    if not doc.tables:
        return PageStatus.NO_TABLES.value
    return PageStatus.DONE.value


def _value_status(status: ValueStatus | str) -> str:
    return status.value if isinstance(status, ValueStatus) else str(status)


def slim(doc: DocumentResult) -> DocumentResult:
    """``doc`` with its pages' OCR'd cells dropped (they stay in the ``pages`` table).

    The pages keep their tables' grids, so :func:`page_statuses` gives the same answer, and
    their text lines, which are written out (the ``lines`` table).
    """
    pages = tuple(
        dataclasses.replace(p, tables=tuple(dataclasses.replace(t, cells=()) for t in p.tables))
        for p in doc.pages
    )
    return dataclasses.replace(doc, pages=pages)


class Manifest:
    """The batch state in ``<out>/manifest.sqlite``.  One process writes it at a time."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a killed process loses nothing
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- files ------------------------------------------------------------------------------
    def set_file(
        self,
        source: str,
        path: str,
        *,
        document_id: str | None,
        status: str,
        reason: str | None = None,
        stage: str | None = None,
    ) -> None:
        """Record (or replace) the row of input ``source``."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO files (source, path, document_id, status, reason, stage, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET path = excluded.path,"
                " document_id = excluded.document_id, status = excluded.status, reason = excluded.reason,"
                " stage = excluded.stage, updated_at = excluded.updated_at",
                (source, path, document_id, status, reason, stage, time.time()),
            )

    def file(self, source: str) -> FileState | None:
        row = self.db.execute(
            "SELECT source, path, document_id, status, reason, stage FROM files WHERE source = ?", (source,)
        ).fetchone()
        return FileState(*row) if row else None

    def files(self, sources: Iterable[str] | None = None) -> list[FileState]:
        """File rows (all, or those of ``sources``), ordered by source."""
        rows = self.db.execute(
            "SELECT source, path, document_id, status, reason, stage FROM files ORDER BY source"
        ).fetchall()
        wanted = None if sources is None else set(sources)
        return [FileState(*r) for r in rows if wanted is None or r[0] in wanted]

    # -- documents --------------------------------------------------------------------------
    def document(self, document_id: str) -> DocumentState | None:
        row = self.db.execute(
            "SELECT document_id, source, path, page_count, status, error, stage, complete, digest"
            " FROM documents WHERE document_id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            return None
        document_id, source, path, page_count, status, error, stage, complete, digest = row
        return DocumentState(
            document_id, source, path, page_count, status, error, stage, bool(complete), digest
        )

    def require_document(self, document_id: str) -> DocumentState:
        """The state of a registered document (``KeyError`` when unknown)."""
        state = self.document(document_id)
        if state is None:
            raise KeyError(f"document {document_id} is not in the manifest")
        return state

    def add_document(self, document_id: str, source: str, path: str) -> DocumentState:
        """Register a document (content) first met as ``source``; returns its state."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO documents (document_id, source, path, status) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(document_id) DO NOTHING",
                (document_id, source, path, PENDING),
            )
        return self.require_document(document_id)

    def claim(self, document_id: str, source: str, path: str) -> None:
        """Make ``source`` the canonical source of a document (its old source is gone or changed).

        The document becomes pending again, so that it is assembled (from its stored pages) and
        written under its new source.
        """
        with self.transaction() as db:
            db.execute(
                "UPDATE documents SET source = ?, path = ?, complete = 0, status = ? WHERE document_id = ?",
                (source, path, PENDING, document_id),
            )

    def update_path(self, document_id: str, path: str) -> None:
        """Where the document's bytes are now (an archive cache file may have moved)."""
        with self.transaction() as db:
            db.execute("UPDATE documents SET path = ? WHERE document_id = ?", (path, document_id))

    def supersede(self, document_id: str) -> None:
        """Mark a document whose source changed content: it leaves the outputs."""
        with self.transaction() as db:
            db.execute(
                "UPDATE documents SET status = ?, complete = 0 WHERE document_id = ?",
                (SUPERSEDED, document_id),
            )
            db.execute("DELETE FROM written WHERE document_id = ?", (document_id,))

    def set_page_count(self, document_id: str, page_count: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE documents SET page_count = ? WHERE document_id = ?", (page_count, document_id))

    def fail_document(self, document_id: str, reason: str, stage: str) -> None:
        """A document that cannot be read at all (corrupt, encrypted, empty): complete, failed."""
        with self.transaction() as db:
            db.execute(
                "UPDATE documents SET status = ?, error = ?, stage = ?, complete = 1, page_count = NULL,"
                " pages_failed = NULL, seconds = NULL, result = NULL, digest = NULL, finished_at = ?"
                " WHERE document_id = ?",
                (PageStatus.FAILED.value, reason, stage, time.time(), document_id),
            )
            self._mirror(db, document_id)

    def reopen(self, document_id: str, *, failed_pages: bool) -> None:
        """Make a finished document pending again (``failed_pages``: and forget its failed pages)."""
        with self.transaction() as db:
            if failed_pages:
                db.execute(
                    "DELETE FROM pages WHERE document_id = ? AND status = ?",
                    (document_id, PageStatus.FAILED.value),
                )
            db.execute(
                "UPDATE documents SET status = ?, error = NULL, stage = NULL, complete = 0 WHERE "
                "document_id = ?",
                (PENDING, document_id),
            )
            self._mirror(db, document_id)

    def mirror(self, document_id: str) -> None:
        """Copy the document's status onto the file row of its canonical source."""
        with self.transaction() as db:
            self._mirror(db, document_id)

    def _mirror(self, db: sqlite3.Connection, document_id: str) -> None:
        """Copy the document's status onto the file rows that are its canonical source."""
        db.execute(
            "UPDATE files SET status = d.status, reason = d.error, stage = d.stage, updated_at = ?"
            " FROM documents AS d WHERE d.document_id = ? AND files.document_id = d.document_id"
            " AND files.source = d.source",
            (time.time(), document_id),
        )

    # -- pages ------------------------------------------------------------------------------
    def save_page(self, document_id: str, result: PageResult) -> None:
        """Store a page's result (replacing an earlier one) in one transaction."""
        blob = pickle.dumps(result, protocol=PICKLE_PROTOCOL)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO pages (document_id, page_index, status, error, stage, seconds, result, "
                "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(document_id, page_index) DO "
                "UPDATE SET status = excluded.status, error = excluded.error, stage = excluded.stage, "
                "seconds = excluded.seconds, result = excluded.result, finished_at = excluded.finished_at",
                (
                    document_id,
                    result.page_index,
                    arrival_status(result),
                    result.error,
                    result.error_stage,
                    result.seconds,
                    blob,
                    time.time(),
                ),
            )

    def page_indices(self, document_id: str) -> set[int]:
        """0-based indexes of the pages whose results are stored."""
        rows = self.db.execute("SELECT page_index FROM pages WHERE document_id = ?", (document_id,))
        return {r[0] for r in rows}

    def load_pages(self, document_id: str) -> tuple[list[PageResult], list[int]]:
        """(stored page results in page order, indexes of stored results that cannot be read back).

        A result pickled by an older version of the package may no longer load; its row is
        deleted so that the page is computed again.
        """
        pages, broken = [], []
        rows = self.db.execute(
            "SELECT page_index, result FROM pages WHERE document_id = ? ORDER BY page_index", (document_id,)
        ).fetchall()
        for index, blob in rows:
            try:
                pages.append(pickle.loads(blob))
            except Exception:  # noqa: BLE001 - any unpickling failure means: compute it again
                broken.append(index)
        if broken:
            with self.transaction() as db:
                db.executemany(
                    "DELETE FROM pages WHERE document_id = ? AND page_index = ?",
                    [(document_id, i) for i in broken],
                )
        return pages, broken

    # -- finished documents -----------------------------------------------------------------
    def finish_document(
        self, doc: DocumentResult, status: str, page_statuses: Mapping[int, str], *, stage: str | None = None
    ) -> str:
        """Store an assembled document, its final page statuses and its files' status.

        Returns the digest of the stored result (what writers record having written).
        """
        blob = pickle.dumps(slim(doc), protocol=PICKLE_PROTOCOL)
        digest = hashlib.sha256(blob).hexdigest()[:32]
        failed = [p for p in doc.pages if p.failed]
        error = doc.error or ("; ".join(p.error or "" for p in failed) if failed else None)
        if stage is None and failed:
            stage = failed[0].error_stage
        with self.transaction() as db:
            db.executemany(
                "UPDATE pages SET status = ? WHERE document_id = ? AND page_index = ?",
                [(s, doc.document_id, i) for i, s in page_statuses.items()],
            )
            db.execute(
                "UPDATE documents SET status = ?, error = ?, stage = ?, complete = 1, page_count = ?, "
                "pages_failed = ?, seconds = ?, result = ?, digest = ?, finished_at = ? WHERE document_id "
                "= ?",
                (
                    status,
                    error,
                    stage if error else None,
                    doc.page_count,
                    len(failed),
                    float(sum(p.seconds for p in doc.pages)),
                    blob,
                    digest,
                    time.time(),
                    doc.document_id,
                ),
            )
            self._mirror(db, doc.document_id)
        return digest

    def needs_write(self, document_id: str, target: str) -> bool:
        """Whether ``target`` lacks the current result of a finished document."""
        row = self.db.execute(
            "SELECT d.digest, w.digest FROM documents AS d LEFT JOIN written AS w"
            " ON w.document_id = d.document_id AND w.target = ? WHERE d.document_id = ?",
            (target, document_id),
        ).fetchone()
        return row is not None and row[0] is not None and row[0] != row[1]

    def mark_written(self, document_id: str, target: str, digest: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO written (document_id, target, digest) VALUES (?, ?, ?)"
                " ON CONFLICT(document_id, target) DO UPDATE SET digest = excluded.digest",
                (document_id, target, digest),
            )

    # -- what the writers read (extract.writers.ResultStore) -------------------------------
    def document_ids(self) -> list[str]:
        """Finished, readable documents (those with a stored result), ordered by source."""
        rows = self.db.execute(
            "SELECT document_id FROM documents WHERE complete = 1 AND result IS NOT NULL ORDER BY source, "
            "document_id"
        )
        return [r[0] for r in rows]

    def load_document(self, document_id: str) -> DocumentResult:
        row = self.db.execute("SELECT result FROM documents WHERE document_id = ?", (document_id,)).fetchone()
        if row is None or row[0] is None:
            raise KeyError(f"document {document_id} has no stored result")
        doc: DocumentResult = pickle.loads(row[0])
        return doc

    def documents(self) -> Iterator[DocumentResult]:
        for document_id in self.document_ids():
            yield self.load_document(document_id)

    def manifest_rows(self, document_id: str | None = None) -> list[dict[str, Any]]:
        """One row per input file (the outputs' ``manifest`` table), ordered by source; only the
        files of ``document_id`` when given."""
        where, args = ("WHERE f.document_id = ?", (document_id,)) if document_id else ("", ())
        rows = self.db.execute(
            "SELECT f.source, f.document_id, f.status, f.reason, f.stage, CASE WHEN f.source = d.source "
            "THEN d.page_count END, CASE WHEN f.source = d.source THEN d.pages_failed END, CASE WHEN "
            "f.source = d.source THEN d.seconds END FROM files AS f LEFT JOIN documents AS d ON "
            f"d.document_id = f.document_id {where} ORDER BY f.source",
            args,
        ).fetchall()
        names = ("source", "document_id", "status", "reason", "stage", "pages", "pages_failed", "seconds")
        return [dict(zip(names, r, strict=True)) for r in rows]

    def fingerprint(self) -> str:
        """A digest of every file row and every finished document's result digest."""
        h = hashlib.sha256()
        for row in self.manifest_rows():
            h.update(repr(sorted(row.items())).encode())
        for row in self.db.execute(
            "SELECT document_id, digest FROM documents WHERE complete = 1 AND result IS NOT NULL ORDER BY "
            "document_id"
        ):
            h.update(repr(row).encode())
        return h.hexdigest()[:32]

    # -- accounting -------------------------------------------------------------------------
    def page_counts(self, document_ids: Sequence[str]) -> dict[str, int]:
        """Page status -> count over ``document_ids``."""
        out: dict[str, int] = {}
        for document_id in document_ids:
            for status, n in self.db.execute(
                "SELECT status, COUNT(*) FROM pages WHERE document_id = ? GROUP BY status", (document_id,)
            ):
                out[status] = out.get(status, 0) + n
        return out

    def failed_pages(self, document_ids: Sequence[str]) -> list[tuple[str, int, str | None, str | None]]:
        """(source, 0-based page, error, stage) of every failed page of ``document_ids``."""
        out = []
        for document_id in document_ids:
            out.extend(
                self.db.execute(
                    "SELECT d.source, p.page_index, p.error, p.stage FROM pages AS p JOIN documents AS d"
                    " ON d.document_id = p.document_id WHERE p.document_id = ? AND p.status = ?"
                    " ORDER BY p.page_index",
                    (document_id, PageStatus.FAILED.value),
                ).fetchall()
            )
        return out


__all__ = [
    "PENDING",
    "SUPERSEDED",
    "DocumentState",
    "FileState",
    "Manifest",
    "arrival_status",
    "document_status",
    "page_statuses",
    "slim",
]
