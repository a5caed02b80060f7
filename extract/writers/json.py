"""JSON output: one file per document, ``<out>/json/<source stem>-<document_id>.json`` (the
stem of the first input file that had this content), written atomically.

The file holds the schema's rows for that document, nested::

    {"document": {documents row},
     "pages": [pages rows],
     "fields": [document_fields rows],
     "tables": [{tables row, "issues": [...], "pages": [...],
                 "values": [cell_values rows, "parts" as a list or null]}],
     "flags": [flags rows, "candidates" as a list]}

``document.duplicate_of`` agrees with the other outputs: a file is written when its document
finishes, and at the end of the batch, once the duplicates are known (:mod:`.duplicates`), the
files whose mark changed are written again (atomically).  ``json/.duplicate_of`` records
the mark every file holds, so that only those are rewritten, and only when the batch changed.

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
from .duplicates import find_duplicates
from .files import (
    FINGERPRINT_FILE,
    Rebuild,
    document_files,
    remove_document_files,
    safe_name,
    write_text_atomic,
)
from .schema import CELL_VALUES
from .tables import document_row, document_rows

FOLDER = "json"
MARKS_FILE = ".duplicate_of"  # JSON: document id -> the duplicate_of its file holds (non-empty only)


def document_json(doc: DocumentResult, duplicate_of: str | None = None) -> dict[str, Any]:
    """The JSON object written for ``doc`` (``duplicate_of``: the id of the report's original)."""
    rows = document_rows(doc)
    values: dict[int, list[Row]] = {}
    for v in rows[CELL_VALUES.name]:  # a joined cell's parts as a list, like a table's pages
        values.setdefault(v["table_index"], []).append({**v, "parts": json.loads(v["parts"] or "null")})
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
        "document": {**rows["documents"][0], "duplicate_of": duplicate_of},
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
        self.marks = self._read_marks()

    def _read_marks(self) -> dict[str, str]:
        try:
            marks = json.loads((self.folder / MARKS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in marks.items()} if isinstance(marks, dict) else {}

    def existing(self, document_id: str) -> list[Path]:
        """The files of ``document_id`` (its source may have been renamed since it was written)."""
        return document_files(self.folder, document_id, ".json")

    def write_document(self, doc: DocumentResult, manifest: Sequence[Row]) -> None:
        self._write(doc, self.marks.get(doc.document_id))

    def _write(self, doc: DocumentResult, duplicate_of: str | None) -> None:
        text = json.dumps(document_json(doc, duplicate_of), ensure_ascii=False, separators=(",", ":"))
        path = self.folder / file_name(doc.source, doc.document_id)
        write_text_atomic(path, text + "\n")
        remove_document_files(self.folder, doc.document_id, ".json", keep=path)

    def delete_document(self, document_id: str) -> None:
        remove_document_files(self.folder, document_id, ".json")

    def finish(self, store: ResultStore) -> list[str]:
        """Write the files that are missing, and again those whose duplicate mark changed."""
        fingerprint = store.fingerprint()
        rebuild = Rebuild(self.folder / FINGERPRINT_FILE)
        ids = store.document_ids()
        missing = {i for i in ids if not self.existing(i)}
        if not missing and not rebuild.needed(fingerprint, [self.folder / MARKS_FILE]):
            return [str(self.folder)]
        dupes = find_duplicates(document_row(doc) for doc in store.documents())
        for document_id in ids:
            if document_id in missing or self.marks.get(document_id) != dupes.get(document_id):
                self._write(store.load_document(document_id), dupes.get(document_id))
        self.marks = dupes
        write_text_atomic(self.folder / MARKS_FILE, json.dumps(dupes, sort_keys=True) + "\n")
        rebuild.done(fingerprint)
        return [str(self.folder)]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> JsonWriter:
    return JsonWriter(ctx)


__all__ = ["JsonWriter", "document_json", "open_writer"]
