"""Parquet output: the same tables as the CSV output, ``<out>/parquet/<table>.parquet`` and
``<out>/parquet/wide/<form>.parquet``, with the Arrow types of :func:`schema.arrow_schema`.

A wide column is float64 when every cell is a number, boolean when every cell is a boolean, else
text (numbers written as in the CSV).  Files are rebuilt from the batch state, each replaced
atomically, and only when the state changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import DocumentResult
from . import ResultStore, Row, WriterContext
from .files import FINGERPRINT_FILE, Rebuild, atomic_path, safe_name
from .schema import ALL_TABLES, DOCUMENT_TABLES, MANIFEST, TABLES_BY_NAME, arrow_schema
from .tables import WIDE_ID_COLUMNS, WideCollector, arrow_table, document_rows, form_column_order

ROW_GROUP_ROWS = 100_000  # rows buffered before a row group is written
FLOAT_FORMAT = "%.15g"
_ID_TYPES = {"table_index": pa.int64(), "row_index": pa.int64()}


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


def _wide_type(cells: list[object]) -> pa.DataType:
    present = [c for c in cells if c is not None]
    if present and all(isinstance(c, bool) for c in present):
        return pa.bool_()
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in present):
        return pa.float64()
    return pa.string()


def wide_table(keys: list[str], rows: list[Row]) -> pa.Table:
    """The Arrow table of a form's wide rows (see the module docstring for column types)."""
    fields, arrays = [], []
    for name in WIDE_ID_COLUMNS:
        typ = _ID_TYPES.get(name, pa.string())
        fields.append(pa.field(name, typ))
        arrays.append(pa.array([r.get(name) for r in rows], type=typ))
    for key in keys:
        cells = [r.get(key) for r in rows]
        typ = _wide_type(cells)
        if typ == pa.string():
            cells = [
                None if c is None else FLOAT_FORMAT % c if isinstance(c, float) else str(c) for c in cells
            ]
        fields.append(pa.field(key, typ))
        arrays.append(pa.array(cells, type=typ))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


class ParquetWriter:
    name = "parquet"
    per_document = False

    def __init__(self, ctx: WriterContext) -> None:
        self.folder = ctx.out_dir / "parquet"
        self.target = str(self.folder.resolve())
        self.orders = form_column_order(ctx.config_dir)

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
        wide = WideCollector(self.orders)
        with contextlib.ExitStack() as stack:
            sinks: dict[str, _BufferedTable] = {}
            for table in ALL_TABLES:
                tmp = stack.enter_context(atomic_path(self.folder / f"{table.name}.parquet"))
                writer = stack.enter_context(pq.ParquetWriter(tmp, arrow_schema(TABLES_BY_NAME[table.name])))
                sinks[table.name] = _BufferedTable(table.name, writer)
                stack.callback(sinks[table.name].flush)  # runs before the writer closes
            for doc in store.documents():
                rows = document_rows(doc)
                for table in DOCUMENT_TABLES:
                    sinks[table.name].add(rows[table.name])
                wide.add(rows["values"], doc.source)
            sinks[MANIFEST.name].add(store.manifest_rows())
        written = []
        for form, (keys, wide_rows) in wide.forms().items():
            path = wide_dir / f"{safe_name(form)}.parquet"
            with atomic_path(path) as tmp:
                pq.write_table(wide_table(keys, wide_rows), tmp)
            written.append(path)
        for stale in set(wide_dir.glob("*.parquet")) - set(written):
            stale.unlink()
        rebuild.done(fingerprint)
        return [str(p) for p in [*self._outputs(), *written]]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> ParquetWriter:
    return ParquetWriter(ctx)


__all__ = ["ParquetWriter", "open_writer", "wide_table"]
