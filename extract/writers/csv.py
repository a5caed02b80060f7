"""CSV output: ``<out>/csv/<table>.csv`` for every schema table (``cell_values`` is the tidy long
table) and ``<out>/csv/wide/<form>.csv``: one row per table row, one column per canonical column
of the form (numbers only in a numeric column), then a ``<column>__status`` column per column,
with the report's context and the commune code and name.

CSV has no types: ``extract.load_results(out)`` reads every file back typed (codes as text with
their leading zeros, numbers as nullable numbers); ``csv/wide/columns.json`` records the type of
every wide column (number, integer, boolean, string).  By hand, read codes with ``dtype=str``.
The files are rebuilt from the batch state (UTF-8, comma-separated, a header row; numbers
without a trailing ``.0``), each replaced atomically, and only when the state changed.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import DocumentResult
from . import ResultStore, Row, WriterContext
from .duplicates import mark_duplicates
from .files import FINGERPRINT_FILE, Rebuild, atomic_path, safe_name, write_text_atomic
from .schema import ALL_TABLES, DOCUMENT_TABLES, DOCUMENTS, MANIFEST, columns
from .tables import ALL_CELLS, FLOAT_TEXT, WideCollector, document_rows, form_columns

FLOAT_FORMAT = FLOAT_TEXT  # 5697.0 -> "5697", 99.7 -> "99.7"
ENCODING = "utf-8"
WIDE_TYPES_FILE = "columns.json"  # csv/wide/columns.json: form -> {column: type}


def _format(value: object) -> object:
    """A CSV field: empty for NULL, numbers as :data:`FLOAT_FORMAT`, the rest as is."""
    if value is None:
        return ""
    if isinstance(value, float):
        return FLOAT_FORMAT % value
    return value


def _write_rows(writer: Any, names: list[str], rows: Iterable[Row]) -> None:
    writer.writerows([_format(r.get(c)) for c in names] for r in rows)


class CsvWriter:
    name = "csv"
    per_document = False

    def __init__(self, ctx: WriterContext) -> None:
        self.folder = ctx.out_dir / "csv"
        self.target = str(self.folder.resolve())
        self.columns = form_columns(ctx.config_dir)

    def write_document(self, doc: DocumentResult, manifest: list[Row]) -> None:
        """Nothing per document: the files are rebuilt in :meth:`finish`."""

    def delete_document(self, document_id: str) -> None:
        """Nothing per document: the files are rebuilt in :meth:`finish`."""

    def _outputs(self) -> list[Path]:
        return [self.folder / f"{t.name}.csv" for t in ALL_TABLES]

    def _wide_outputs(self) -> list[Path]:
        wide_dir = self.folder / "wide"
        return [*sorted(wide_dir.glob("*.csv")), wide_dir / WIDE_TYPES_FILE]

    def finish(self, store: ResultStore) -> list[str]:
        fingerprint = store.fingerprint()
        rebuild = Rebuild(self.folder / FINGERPRINT_FILE)
        wide_dir = self.folder / "wide"
        if not rebuild.needed(fingerprint, self._outputs()):
            return [str(p) for p in [*self._outputs(), *self._wide_outputs()]]
        wide = WideCollector(self.columns)
        documents = []
        names = {t.name: columns(t) for t in ALL_TABLES}
        with contextlib.ExitStack() as stack:
            writers = {}
            for table in ALL_TABLES:
                tmp = stack.enter_context(atomic_path(self.folder / f"{table.name}.csv"))
                writers[table.name] = csv.writer(
                    stack.enter_context(tmp.open("w", encoding=ENCODING, newline=""))
                )
                writers[table.name].writerow(names[table.name])
            for doc in store.documents():
                rows = document_rows(doc)
                documents.extend(rows[DOCUMENTS.name])  # written last, with their duplicates marked
                for table in DOCUMENT_TABLES:
                    if table is not DOCUMENTS:
                        _write_rows(writers[table.name], names[table.name], rows[table.name])
                wide.add(rows[ALL_CELLS], doc.source)
            mark_duplicates(documents)
            _write_rows(writers[DOCUMENTS.name], names[DOCUMENTS.name], documents)
            _write_rows(writers[MANIFEST.name], names[MANIFEST.name], store.manifest_rows())
        written = []
        types = {}
        for form, view in wide.forms().items():
            path = wide_dir / f"{safe_name(form)}.csv"
            with atomic_path(path) as tmp, tmp.open("w", encoding=ENCODING, newline="") as fh:
                out = csv.writer(fh)
                out.writerow(view.header)
                _write_rows(out, view.header, view.rows)
            written.append(path)
            types[path.name] = {"form": form, "columns": view.column_types()}
        for stale in set(wide_dir.glob("*.csv")) - set(written):
            stale.unlink()
        write_text_atomic(wide_dir / WIDE_TYPES_FILE, json.dumps(types, ensure_ascii=False, indent=1) + "\n")
        written.append(wide_dir / WIDE_TYPES_FILE)
        rebuild.done(fingerprint)
        return [str(p) for p in [*self._outputs(), *written]]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> CsvWriter:
    return CsvWriter(ctx)


__all__ = ["CsvWriter", "open_writer"]
