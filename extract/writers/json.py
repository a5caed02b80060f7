"""JSON output: one file per document, ``<out>/json/<document_id>.json``, written atomically.

The file holds the schema's rows for that document, nested::

    {"document": {documents row},
     "pages": [pages rows],
     "tables": [{tables row, "issues": [...], "pages": [...], "values": [values rows]}],
     "flags": [flags rows, "candidates" as a list]}

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
from .files import write_text_atomic
from .tables import document_rows

FOLDER = "json"


def document_json(doc: DocumentResult) -> dict[str, Any]:
    """The JSON object written for ``doc``."""
    rows = document_rows(doc)
    values: dict[int, list[Row]] = {}
    for v in rows["values"]:
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
        "document": {**rows["documents"][0], "fields_flagged": json.loads(rows["documents"][0]["fields_flagged"])},
        "fields": rows["document_fields"],
        "pages": rows["pages"],
        "tables": tables,
        "flags": flags,
        "lines": rows["lines"],
    }


class JsonWriter:
    name = "json"
    per_document = True

    def __init__(self, ctx: WriterContext) -> None:
        self.folder = ctx.out_dir / FOLDER
        self.target = str(self.folder.resolve())

    def path(self, document_id: str) -> Path:
        return self.folder / f"{document_id}.json"

    def write_document(self, doc: DocumentResult, manifest: Sequence[Row]) -> None:
        text = json.dumps(document_json(doc), ensure_ascii=False, separators=(",", ":"))
        write_text_atomic(self.path(doc.document_id), text + "\n")

    def delete_document(self, document_id: str) -> None:
        self.path(document_id).unlink(missing_ok=True)

    def finish(self, store: ResultStore) -> list[str]:
        for document_id in store.document_ids():
            if not self.path(document_id).exists():
                self.write_document(store.load_document(document_id), [])
        return [str(self.folder)]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> JsonWriter:
    return JsonWriter(ctx)


__all__ = ["JsonWriter", "document_json", "open_writer"]
