"""Parquet output: the same tables as the CSV output, ``<out>/parquet/<table>.parquet`` and
``<out>/parquet/wide/<form>.parquet``, with the Arrow types of :func:`schema.arrow_schema`.

A wide column has its form column's type: float64 for numeric columns (numbers only: a cell
that holds no number is null there, its OCR text in ``cell_values`` and ``flags``), boolean for
Có/Không columns, string for text; ``mixed`` columns and unknown forms are float64 when every
cell is a number, boolean when every cell is a boolean, else string.  Each value column has a
string ``<column>__status`` column.  Codes are strings.  Files are rebuilt from the batch state,
each replaced atomically, and only when the state changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq

from ..model import DocumentResult
from . import ResultStore, Row, WriterContext
from .duplicates import mark_duplicates
from .files import FINGERPRINT_FILE, Rebuild, atomic_path, safe_name
from .schema import ALL_TABLES, DOCUMENT_TABLES, DOCUMENTS, MANIFEST, TABLES_BY_NAME, arrow_schema
from .tables import ALL_CELLS, WideCollector, arrow_table, document_rows, form_columns, wide_table

ROW_GROUP_ROWS = 100_000  # rows buffered before a row group is written


class _BufferedTable:
    """Buffers rows of one table and writes them as row groups of :data:`ROW_GROUP_ROWS` rows."""

    def __init__(self, name: str, writer: pq.ParquetWriter) -> None:
        self.name = name
        self.writer = writer
        self.rows: list[Row] = []

    def add(self, rows: Sequence[Row]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= ROW_GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(arrow_table(self.name, self.rows))
            self.rows = []


class ParquetWriter:
    name = "parquet"
    per_document = False

    def __init__(self, ctx: WriterContext) -> None:
        self.folder = ctx.out_dir / "parquet"
        self.target = str(self.folder.resolve())
        self.columns = form_columns(ctx.config_dir)

    def write_document(self, doc: DocumentResult, manifest: list[Row]) -> None:
        """Nothing per document: the files are rebuilt in :meth:`finish`."""

    def delete_document(self, document_id: str) -> None:
        """Nothing per document: the files are rebuilt in :meth:`finish`."""

    def _outputs(self) -> list[Path]:
        return [self.folder / f"{t.name}.parquet" for t in ALL_TABLES]

    def finish(self, store: ResultStore) -> list[str]:
        fingerprint = store.fingerprint()
        rebuild = Rebuild(self.folder / FINGERPRINT_FILE)
        wide_dir = self.folder / "wide"
        if not rebuild.needed(fingerprint, self._outputs()):
            return [str(p) for p in [*self._outputs(), *sorted(wide_dir.glob("*.parquet"))]]
        wide = WideCollector(self.columns)
        documents = []
        with contextlib.ExitStack() as stack:
            sinks: dict[str, _BufferedTable] = {}
            for table in ALL_TABLES:
                tmp = stack.enter_context(atomic_path(self.folder / f"{table.name}.parquet"))
                writer = stack.enter_context(pq.ParquetWriter(tmp, arrow_schema(TABLES_BY_NAME[table.name])))
                sinks[table.name] = _BufferedTable(table.name, writer)
                stack.callback(sinks[table.name].flush)  # runs before the writer closes
            for doc in store.documents():
                rows = document_rows(doc)
                documents.extend(rows[DOCUMENTS.name])  # added last, with their duplicates marked
                for table in DOCUMENT_TABLES:
                    if table is not DOCUMENTS:
                        sinks[table.name].add(rows[table.name])
                wide.add(rows[ALL_CELLS], doc.source)
            mark_duplicates(documents)
            sinks[DOCUMENTS.name].add(documents)
            sinks[MANIFEST.name].add(store.manifest_rows())
        written = []
        for form, view in wide.forms().items():
            path = wide_dir / f"{safe_name(form)}.parquet"
            with atomic_path(path) as tmp:
                pq.write_table(wide_table(view), tmp)
            written.append(path)
        for stale in set(wide_dir.glob("*.parquet")) - set(written):
            stale.unlink()
        rebuild.done(fingerprint)
        return [str(p) for p in [*self._outputs(), *written]]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> ParquetWriter:
    return ParquetWriter(ctx)


__all__ = ["ParquetWriter", "open_writer"]
