"""JSON output: one file per document, ``<out>/json/<source stem>-<document_id>.json`` (the
stem of the first input file that had this content), written atomically.

The file holds the schema's rows for that document, nested::

    {"document": {documents row},
     "pages": [pages rows],
     "fields": [document_fields rows],
     "tables": [{tables row, "issues": [...], "pages": [...], "values": [cell_values rows]}],
     "flags": [flags rows, "candidates" as a list]}

(``documents.duplicate_of`` is set across documents at the end of a batch, in the database and
table outputs; a JSON file is written when its document finishes and leaves it empty.)

(``tables.pages``, ``tables.issues`` and ``flags.candidates`` are JSON text in the database and
real lists here.)  ``finish`` writes any finished document whose file is missing and returns
the folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import DocumentResult
from . import ResultStore, Row, WriterContext
from .files import safe_name, write_text_atomic
from .schema import CELL_VALUES
from .tables import document_rows

FOLDER = "json"


def document_json(doc: DocumentResult) -> dict[str, Any]:
    """The JSON object written for ``doc``."""
    rows = document_rows(doc)
    values: dict[int, list[Row]] = {}
    for v in rows[CELL_VALUES.name]:
        values.setdefault(v["table_index"], []).append(v)
    tables = [
        {
            **t,
            "pages": json.loads(t["pages"]),
            "issues": json.loads(t["issues"]),
            "values": values.get(t["table_index"], []),
        }
        for t in rows["tables"]
    ]
    flags = [{**f, "candidates": json.loads(f["candidates"])} for f in rows["flags"]]
    return {
        "document": rows["documents"][0],
        "fields": rows["document_fields"],
        "pages": rows["pages"],
        "tables": tables,
        "flags": flags,
        "lines": rows["lines"],
    }


def file_name(source: str, document_id: str) -> str:
    """``<source stem>-<document_id>.json`` (an archive member's own stem)."""
    stem = Path(source.rsplit("!", 1)[-1]).stem
    return f"{safe_name(stem)[:80]}-{document_id}.json"


class JsonWriter:
    name = "json"
    per_document = True

    def __init__(self, ctx: WriterContext) -> None:
        self.folder = ctx.out_dir / FOLDER
        self.target = str(self.folder.resolve())

    def existing(self, document_id: str) -> list[Path]:
        """The files of ``document_id`` (its source may have been renamed since it was written)."""
        return sorted(self.folder.glob(f"*-{document_id}.json"))

    def write_document(self, doc: DocumentResult, manifest: Sequence[Row]) -> None:
        text = json.dumps(document_json(doc), ensure_ascii=False, separators=(",", ":"))
        path = self.folder / file_name(doc.source, doc.document_id)
        write_text_atomic(path, text + "\n")
        for old in self.existing(doc.document_id):
            if old != path:
                old.unlink(missing_ok=True)

    def delete_document(self, document_id: str) -> None:
        for path in self.existing(document_id):
            path.unlink(missing_ok=True)

    def finish(self, store: ResultStore) -> list[str]:
        for document_id in store.document_ids():
            if not self.existing(document_id):
                self.write_document(store.load_document(document_id), [])
        return [str(self.folder)]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> JsonWriter:
    return JsonWriter(ctx)


__all__ = ["JsonWriter", "document_json", "open_writer"]
