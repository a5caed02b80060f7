"""Output writers: one module per output, all fed the same rows (:mod:`.tables`, :mod:`.schema`).

Two kinds of writer share one small interface (:class:`Writer`):

- **per-document** writers (``sqlite``, ``postgres``, ``json``) write each finished document as
  one atomic step (one transaction; one file replaced at once).  The batch records which
  documents each writer's ``target`` holds, so a re-run writes only what is missing there;
- **batch** writers (``csv``, ``parquet``, ``excel``) rebuild their files in ``finish`` from every
  finished document in the batch's state, atomically, and only when the state changed since their
  last rebuild.

Every writer is idempotent: writing a document again replaces its rows, never duplicates them.
:data:`WRITERS` maps each format name to a factory taking a :class:`WriterContext`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import OutputError
from ..model import DocumentResult

Row = dict[str, Any]


@dataclass(frozen=True)
class WriterContext:
    """What a writer factory needs: the output folder, the database URL, the configs folder."""

    out_dir: Path
    db_url: str | None = None
    config_dir: str | None = None


class ResultStore(Protocol):
    """What batch writers read from the batch state when they rebuild their files."""

    def document_ids(self) -> list[str]:
        """Ids of the finished documents, ordered by source."""
        ...

    def load_document(self, document_id: str) -> DocumentResult:
        """A finished document's result (pages carry no tables or text: only their status data)."""
        ...

    def documents(self) -> Iterator[DocumentResult]:
        """Every finished document, ordered by source."""
        ...

    def manifest_rows(self) -> list[Row]:
        """One ``manifest`` row per input file, ordered by source."""
        ...

    def fingerprint(self) -> str:
        """Changes whenever a finished document or a manifest row changes."""
        ...


class Writer(Protocol):
    name: str
    target: str  # where the rows go, for the batch's record of what each target holds
    per_document: bool

    def write_document(self, doc: DocumentResult, manifest: Sequence[Row]) -> None:
        """Write (or replace) one document's rows and the manifest rows of its input files."""
        ...

    def delete_document(self, document_id: str) -> None:
        """Remove a document's rows (its file changed content and was processed again)."""
        ...

    def finish(self, store: ResultStore) -> list[str]:
        """End of batch: bring the output up to date with ``store``; returns the outputs' locations."""
        ...

    def close(self) -> None: ...


WriterFactory = Callable[[WriterContext], Writer]


def _lazy(module: str, factory: str = "open_writer") -> WriterFactory:
    def make(ctx: WriterContext) -> Writer:
        mod = importlib.import_module(f"{__name__}.{module}")
        return getattr(mod, factory)(ctx)  # type: ignore[no-any-return]

    return make


#: Format name -> writer factory.  Modules are imported when a writer is made.
WRITERS: dict[str, WriterFactory] = {
    "sqlite": _lazy("sqlite"),
    "postgres": _lazy("postgres"),
    "csv": _lazy("csv"),
    "parquet": _lazy("parquet"),
    "excel": _lazy("excel"),
    "json": _lazy("json"),
    "pdf": _lazy("pdf"),  # searchable PDF per document (extract/writers/pdf.py)
}
DEFAULT_FORMATS: tuple[str, ...] = ("sqlite", "csv", "json")


def make_writers(names: Sequence[str], ctx: WriterContext) -> list[Writer]:
    """Writers for ``names`` (format names from :data:`WRITERS`), in order; closes them on failure."""
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        raise ValueError(f"unknown output format(s) {', '.join(unknown)}; choose from {', '.join(WRITERS)}")
    made: list[Writer] = []
    try:
        for name in dict.fromkeys(names):
            made.append(WRITERS[name](ctx))
    except BaseException:
        for w in made:
            w.close()
        raise
    return made


__all__ = [
    "DEFAULT_FORMATS",
    "WRITERS",
    "OutputError",
    "ResultStore",
    "Writer",
    "WriterContext",
    "make_writers",
]
