"""Excel output: ``<out>/results.xlsx`` with one wide sheet per form, for people to review.

Each form sheet has one row per table row (document, table, row label, commune code and name)
and one column per canonical column of the form (header: the column key; the printed header is
the header cell's comment).  A flagged cell is filled red with a comment giving the reason and
the OCR text; a corrected cell is filled blue with the rule that corrected it.  The ``review``
sheet lists every flagged or corrected value (the ``flags`` table); ``documents`` (with
``duplicate_of``), ``fields`` (the metadata fields with their status and confidence) and
``manifest`` sheets follow.  The workbook is rebuilt from the batch state, replaced atomically,
and only when the state changed.  (Excel holds at most 1,048,576 rows a sheet.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..model import DocumentResult, ValueStatus
from . import ResultStore, Row, WriterContext
from .duplicates import mark_duplicates
from .files import FINGERPRINT_FILE, Rebuild, atomic_path
from .schema import DOCUMENT_FIELDS, DOCUMENTS, FLAGS, MANIFEST, columns
from .tables import ALL_CELLS, WIDE_ID_COLUMNS, WideCollector, document_rows, form_columns

FILE_NAME = "results.xlsx"
FLAGGED_FILL = PatternFill("solid", fgColor="FFC7CE")  # light red
CORRECTED_FILL = PatternFill("solid", fgColor="BDD7EE")  # light blue
REVIEWED_FILL = PatternFill("solid", fgColor="E0D9FF")  # light violet: decided in the review app
MARKED = (ValueStatus.FLAGGED.value, ValueStatus.CORRECTED.value, ValueStatus.REVIEWED.value)
HEADER_FONT = Font(bold=True)
COMMENT_AUTHOR = "bcubnd-extract"
RESERVED_SHEETS = ("review", "documents", "fields", "manifest")
_SHEET_NAME_MAX = 31  # Excel's limit
_BAD_SHEET_CHARS = set("[]:*?/\\")

Slot = tuple[str, int, int, str]  # (document_id, table_index, row_index, column_key)


def sheet_name(form: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name for ``form``."""
    base = "".join("_" if ch in _BAD_SHEET_CHARS else ch for ch in form)[:_SHEET_NAME_MAX] or "form"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _write_rows(ws: Worksheet, header: Sequence[str], rows: Sequence[Row]) -> None:
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = HEADER_FONT
    for row in rows:
        ws.append([_cell(row.get(c)) for c in header])
    ws.freeze_panes = "A2"


def _cell(value: Any) -> Any:
    return value if value is None or isinstance(value, (int, float, bool, str)) else str(value)


def _mark(ws: Worksheet, row: int, col: int, value: Row) -> None:
    cell = ws.cell(row=row, column=col)
    if value["status"] == ValueStatus.FLAGGED.value:
        cell.fill = FLAGGED_FILL
        text = f"flagged: {value.get('flag_reason') or 'needs review'}\nread: {value.get('raw_text')!r}"
    elif value["status"] == ValueStatus.REVIEWED.value:  # decided by a person in the review app
        cell.fill = REVIEWED_FILL
        why = f": {value['flag_reason']}" if value.get("flag_reason") else ""
        text = f"reviewed{why}\nread: {value.get('raw_text')!r}"
    else:
        cell.fill = CORRECTED_FILL
        text = f"corrected by {value.get('rule') or 'validation'}\nread: {value.get('raw_text')!r}"
    cell.comment = Comment(text, COMMENT_AUTHOR)


class ExcelWriter:
    name = "excel"
    per_document = False

    def __init__(self, ctx: WriterContext) -> None:
        self.path = ctx.out_dir / FILE_NAME
        self.target = str(self.path.resolve())
        self.columns = form_columns(ctx.config_dir)
        self.rebuild = Rebuild(ctx.out_dir / f".{FILE_NAME}{FINGERPRINT_FILE}")

    def write_document(self, doc: DocumentResult, manifest: list[Row]) -> None:
        """Nothing per document: the workbook is rebuilt in :meth:`finish`."""

    def delete_document(self, document_id: str) -> None:
        """Nothing per document: the workbook is rebuilt in :meth:`finish`."""

    def finish(self, store: ResultStore) -> list[str]:
        fingerprint = store.fingerprint()
        if not self.rebuild.needed(fingerprint, [self.path]):
            return [str(self.path)]
        wide = WideCollector(self.columns)
        marks: dict[Slot, Row] = {}
        headers: dict[tuple[str, str], str] = {}
        documents: list[Row] = []
        fields: list[Row] = []
        flags: list[Row] = []
        for doc in store.documents():
            rows = document_rows(doc)
            documents.extend(rows["documents"])
            fields.extend(rows[DOCUMENT_FIELDS.name])
            flags.extend(rows["flags"])
            wide.add(rows[ALL_CELLS], doc.source)
            for v in rows[ALL_CELLS]:
                headers.setdefault((v["form"], v["column_key"]), v["column_header"] or "")
                if v["status"] in MARKED:
                    marks[(v["document_id"], v["table_index"], v["row_index"], v["column_key"])] = v
        wb = Workbook()
        wb.remove(wb.active)
        taken = set(RESERVED_SHEETS)
        mark_duplicates(documents)
        for form, view in wide.forms().items():
            keys, wide_rows = view.keys, view.rows
            ws = wb.create_sheet(sheet_name(form, taken))
            _write_rows(ws, view.header, wide_rows)
            for j, key in enumerate(keys, start=len(WIDE_ID_COLUMNS) + 1):
                if headers.get((form, key)):
                    ws.cell(row=1, column=j).comment = Comment(headers[(form, key)], COMMENT_AUTHOR)
            for i, row in enumerate(wide_rows, start=2):
                for j, key in enumerate(keys, start=len(WIDE_ID_COLUMNS) + 1):
                    mark = marks.get((row["document_id"], row["table_index"], row["row_index"], key))
                    if mark is not None:
                        _mark(ws, i, j, mark)
        _write_rows(wb.create_sheet("review"), columns(FLAGS), flags)
        _write_rows(wb.create_sheet("documents"), columns(DOCUMENTS), documents)
        _write_rows(wb.create_sheet("fields"), columns(DOCUMENT_FIELDS), fields)
        _write_rows(wb.create_sheet("manifest"), columns(MANIFEST), store.manifest_rows())
        with atomic_path(self.path) as tmp:
            wb.save(tmp)
        self.rebuild.done(fingerprint)
        return [str(self.path)]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> ExcelWriter:
    return ExcelWriter(ctx)


__all__ = ["ExcelWriter", "open_writer", "sheet_name"]
