"""CSV output: ``<out>/csv/<table>.csv`` for every schema table (``values`` is the tidy long
table) and ``<out>/csv/wide/<form>.csv``: one row per table row, one column per canonical column
of the form, with the commune code and name.

The files are rebuilt from the batch state (UTF-8, comma-separated, a header row; numbers
without a trailing ``.0``), each replaced atomically, and only when the state changed.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import DocumentResult
from . import ResultStore, Row, WriterContext
from .files import FINGERPRINT_FILE, Rebuild, atomic_path, safe_name
from .schema import ALL_TABLES, DOCUMENT_TABLES, MANIFEST, columns
from .tables import WIDE_ID_COLUMNS, WideCollector, document_rows, form_column_order

FLOAT_FORMAT = "%.15g"  # 5697.0 -> "5697", 99.7 -> "99.7"
ENCODING = "utf-8"


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
        self.orders = form_column_order(ctx.config_dir)

    def write_document(self, doc: DocumentResult, manifest: list[Row]) -> None:
        """Nothing per document: the files are rebuilt in :meth:`finish`."""

    def delete_document(self, document_id: str) -> None:
        """Nothing per document: the files are rebuilt in :meth:`finish`."""

    def _outputs(self) -> list[Path]:
        return [self.folder / f"{t.name}.csv" for t in ALL_TABLES]

    def finish(self, store: ResultStore) -> list[str]:
        fingerprint = store.fingerprint()
        rebuild = Rebuild(self.folder / FINGERPRINT_FILE)
        wide_dir = self.folder / "wide"
        if not rebuild.needed(fingerprint, self._outputs()):
            return [str(p) for p in [*self._outputs(), *sorted(wide_dir.glob("*.csv"))]]
        wide = WideCollector(self.orders)
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
                for table in DOCUMENT_TABLES:
                    _write_rows(writers[table.name], names[table.name], rows[table.name])
                wide.add(rows["values"], doc.source)
            _write_rows(writers[MANIFEST.name], names[MANIFEST.name], store.manifest_rows())
        written = []
        for form, (keys, wide_rows) in wide.forms().items():
            path = wide_dir / f"{safe_name(form)}.csv"
            header = [*WIDE_ID_COLUMNS, *keys]
            with atomic_path(path) as tmp, tmp.open("w", encoding=ENCODING, newline="") as fh:
                out = csv.writer(fh)
                out.writerow(header)
                _write_rows(out, header, wide_rows)
            written.append(path)
        for stale in set(wide_dir.glob("*.csv")) - set(written):
            stale.unlink()
        rebuild.done(fingerprint)
        return [str(p) for p in [*self._outputs(), *written]]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> CsvWriter:
    return CsvWriter(ctx)


__all__ = ["CsvWriter", "open_writer"]
