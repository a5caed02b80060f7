"""Turn a :class:`~extract.model.DocumentResult` into rows of the output schema (pure functions).

Every writer goes through :func:`document_rows`, so the database, the CSV/Parquet files, the
Excel workbook and the JSON files hold the same rows.  See :mod:`extract.writers.schema` for the
columns and their meaning.  Rows are plain ``dict``s keyed by column name; :func:`frame` makes a
typed DataFrame of them; :func:`wide_rows` pivots the value rows (blank cells included) into one
row per table row and one column per canonical column of a form, with a ``<column>__status``
column beside each (:data:`STATUS_SUFFIX`).  A numeric column holds numbers only: the OCR text
of a cell that is no number stays in the long table and the review queue.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from ..config import NUMERIC_TYPES
from ..manifest import document_status, page_statuses
from ..model import DocumentResult, PageResult, Value, ValueStatus
from ..understand.successors import commune_successor, district_successor
from .schema import BLANK_CELLS, CELL_VALUES, TABLES_BY_NAME, arrow_schema, columns

log = logging.getLogger(__name__)

Row = dict[str, Any]

#: Context of a value row, the same for every cell of a document (see :func:`document_context`).
CONTEXT_COLUMNS = (
    "report_number",
    "report_date",
    "year",
    "province_code",
    "province",
    "district_code",
    "district",
    "successor_province_code",
    "successor_province",
)
#: Columns that identify a row of a wide (one row per table row) sheet, before the form's columns.
WIDE_ID_COLUMNS = (
    "document_id",
    "source",
    *CONTEXT_COLUMNS,
    "table_index",
    "row_index",
    "row_key",
    "row_kind",
    "row_label",
    "commune_code",
    "commune_name",
    "commune_successor_code",
    "commune_successor_name",
)
STATUS_SUFFIX = "__status"  # wide column "<key>__status": the status of column <key>'s cell
ALL_CELLS = "all_cells"  # key of document_rows' result holding every value row, blanks included
BLANK = ValueStatus.BLANK.value
#: Wide column types: "number" (float), "boolean", "string"; form column type -> wide type.
WIDE_TYPES = {"bool": "boolean", **{t: "number" for t in NUMERIC_TYPES - {"mixed"}}}
REVIEW_STATUSES = frozenset(
    {ValueStatus.FLAGGED.value, ValueStatus.CORRECTED.value, ValueStatus.REVIEWED.value}
)
_PANDAS_TYPES = {
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.string(): pd.StringDtype(),
}
ROW_KEY_SUFFIX = "~"  # a repeated row key within a table becomes "<key>~<row_index>"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _status(value: ValueStatus | str) -> str:
    return value.value if isinstance(value, ValueStatus) else str(value)


def document_error(doc: DocumentResult) -> str | None:
    """The assembly error, else the failed pages' errors joined (``None`` when nothing failed)."""
    if doc.error:
        return doc.error
    errors = [p.error for p in doc.pages if p.error]
    return "; ".join(errors) if errors else None


def _unique_row_keys(values: Sequence[Value]) -> dict[tuple[int, int], str]:
    """(table_index, row_index) -> a row key unique within its table.

    The understanding stage gives every row a stable key; should two body rows of one table share
    a key, the later rows get ``<key>~<row_index>`` so that no value overwrites another.
    """
    owner: dict[tuple[int, str], int] = {}
    out: dict[tuple[int, int], str] = {}
    for v in values:
        slot = (v.table_index, v.row_index)
        if slot in out:
            continue
        first = owner.setdefault((v.table_index, v.row_key), v.row_index)
        if first == v.row_index:
            out[slot] = v.row_key
        else:
            out[slot] = f"{v.row_key}{ROW_KEY_SUFFIX}{v.row_index}"
            log.warning(
                "%s table %d: row %d repeats row key %r of row %d; stored as %r",
                v.source,
                v.table_index,
                v.row_index,
                v.row_key,
                first,
                out[slot],
            )
    return out


def _page_row(doc_id: str, page: PageResult, status: str) -> Row:
    return {
        "document_id": doc_id,
        "page": page.page_index + 1,
        "status": status,
        "error": page.error,
        "stage": page.error_stage,
        "dpi": float(page.dpi),
        "rotation": int(page.rotation),
        "skew": float(page.skew_deg),
        "seconds": float(page.seconds),
    }


def document_context(doc: DocumentResult) -> Row:
    """The report's number, date, year and units (with the district's post-2025 successor), the
    same on every value row of ``doc``."""
    meta = doc.meta
    successor = district_successor(meta.district_code)
    return {
        "report_number": meta.number,
        "report_date": meta.date,
        "year": meta.year,
        "province_code": meta.province_code,
        "province": meta.province,
        "district_code": meta.district_code,
        "district": meta.district,
        "successor_province_code": successor.province_code if successor else None,
        "successor_province": successor.province if successor else None,
    }


def _value_row(v: Value, row_key: str, context: Row) -> Row:
    x0, y0, x1, y1 = v.box.as_tuple()
    successor = commune_successor(v.commune_code)
    return {
        "document_id": v.document_id,
        "table_index": v.table_index,
        "form": v.form,
        **context,
        "row_index": v.row_index,
        "row_key": row_key,
        "row_kind": v.row_kind,
        "row_label": v.row_label,
        "commune_code": v.commune_code,
        "commune_name": v.commune_name,
        "commune_successor_code": successor.code if successor else None,
        "commune_successor_name": successor.name if successor else None,
        "column_key": v.column_key,
        "column_header": v.column_header,
        "value_kind": v.value_kind,
        "number": v.number,
        "boolean": v.boolean,
        "text": v.text,
        "unit": v.unit,
        "note": v.note,
        "raw_text": v.raw_text,
        "confidence": float(v.confidence),
        "page": v.page_index + 1,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "status": _status(v.status),
        "flag_reason": v.flag_reason,
        "rule": v.rule,
        "parts": _parts(v),
        "suggestion": v.suggestion,
    }


def _parts(v: Value) -> str | None:
    """The parts of a cell joined over a page break (JSON), None for a cell on one page."""
    if not v.parts:
        return None
    keys = ("x0", "y0", "x1", "y1")
    return _json(
        [
            {
                "page": part.page_index + 1,
                **dict(zip(keys, part.box.as_tuple(), strict=True)),
                "raw_text": part.raw_text,
                "confidence": float(part.confidence),
            }
            for part in v.parts
        ]
    )


def _flag_row(v: Value, row_key: str) -> Row:
    x0, y0, x1, y1 = v.box.as_tuple()
    candidates = [{"text": c.text, "confidence": c.confidence, "variant": c.variant} for c in v.candidates]
    return {
        "document_id": v.document_id,
        "table_index": v.table_index,
        "row_key": row_key,
        "column_key": v.column_key,
        "form": v.form,
        "page": v.page_index + 1,
        "row_label": v.row_label,
        "column_header": v.column_header,
        "status": _status(v.status),
        "flag_reason": v.flag_reason,
        "rule": v.rule,
        "raw_text": v.raw_text,
        "number": v.number,
        "text": v.text,
        "confidence": float(v.confidence),
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "problem": v.problem,
        "candidates": _json(candidates),
        "suggestion": v.suggestion,
    }


def _field_rows(doc: DocumentResult) -> list[Row]:
    """``document_fields`` rows: the metadata fields with the status and confidence the metadata
    reader gave them (``DocumentMeta.fields``; none when the reader gives none)."""
    return [
        {
            "document_id": doc.document_id,
            "name": f.name,
            "value": f.value,
            "status": f.status,
            "confidence": float(f.confidence),
            "raw_text": f.raw,
            "reason": f.reason,
        }
        for f in getattr(doc.meta, "fields", ())
    ]


def document_row(doc: DocumentResult) -> Row:
    """The ``documents`` row of ``doc`` (``duplicate_of`` empty: it is set across documents)."""
    meta = doc.meta
    context = document_context(doc)
    return {
        "id": doc.document_id,
        "source": doc.source,
        "pages": doc.page_count,
        "status": document_status(doc),
        "error": document_error(doc),
        "report_number": meta.number,
        "date": meta.date,
        "year": meta.year,
        "district": meta.district,
        "district_code": meta.district_code,
        "province": meta.province,
        "province_code": meta.province_code,
        "successor_province_code": context["successor_province_code"],
        "successor_province": context["successor_province"],
        "title": meta.title,
        "issuer": getattr(meta, "issuer", None),
        "duplicate_of": None,  # set across documents by duplicates.mark_duplicates
        "district_evidence": meta.district_evidence,
    }


def document_rows(doc: DocumentResult) -> dict[str, list[Row]]:
    """Rows of every per-document table (``documents``, ``document_fields``, ``pages``,
    ``tables``, ``cell_values``, ``flags``) for one document, and under :data:`ALL_CELLS` every
    value row, blank cells included (for the wide views); under ``blank_cells`` the blank ones
    (the databases keep them, see :mod:`.schema`)."""
    statuses = page_statuses(doc)
    context = document_context(doc)
    documents = [document_row(doc)]
    pages = [_page_row(doc.document_id, p, statuses[p.page_index]) for p in doc.pages]
    tables = [
        {
            "document_id": doc.document_id,
            "table_index": t.table_index,
            "form": t.form,
            "form_score": float(t.form_score),
            "title": t.title,
            "pages": _json([p + 1 for p in t.pages]),
            "n_rows": len(t.rows),
            "issues": _json(list(t.issues)),
        }
        for t in doc.tables
    ]
    all_values = doc.values()
    keys = _unique_row_keys(all_values)
    cells = [_value_row(v, keys[(v.table_index, v.row_index)], context) for v in all_values]
    flags = [
        _flag_row(v, keys[(v.table_index, v.row_index)])
        for v in all_values
        if _status(v.status) in REVIEW_STATUSES
    ]
    from ..pagetext import line_rows

    return {
        "documents": documents,
        "document_fields": _field_rows(doc),
        "pages": pages,
        "tables": tables,
        CELL_VALUES.name: [c for c in cells if c["status"] != BLANK],
        BLANK_CELLS.name: [c for c in cells if c["status"] == BLANK],
        "flags": flags,
        "lines": line_rows(doc),
        ALL_CELLS: cells,
    }


def manifest_seconds(doc: DocumentResult) -> float:
    """Sum of the page processing times of ``doc``, seconds."""
    return float(sum(p.seconds for p in doc.pages))


def frame(table: str, rows: Iterable[Row]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with the schema's columns, order and (nullable) types."""
    return arrow_table(table, rows).to_pandas(types_mapper=_PANDAS_TYPES.get)


def arrow_table(table: str, rows: Iterable[Row]) -> pa.Table:
    """An Arrow table of ``rows`` with the schema's columns, order and types."""
    schema = arrow_schema(TABLES_BY_NAME[table])
    names = columns(TABLES_BY_NAME[table])
    return pa.Table.from_pylist([{c: r.get(c) for c in names} for r in rows], schema=schema)


def cell_value(row: Mapping[str, Any]) -> Any:
    """What a wide cell of unknown type shows for a value row: number, else boolean, else text."""
    if row.get("number") is not None:
        return row["number"]
    if row.get("boolean") is not None:
        return row["boolean"]
    return row.get("text")


def typed_cell(row: Mapping[str, Any], wide_type: str) -> Any:
    """The wide cell of a value row in a column of ``wide_type``: a number column shows the
    number or nothing (never the OCR text of a cell that is no number), a boolean column the
    boolean, a string column the text (a number or boolean written as text when that is all)."""
    if wide_type == "number":
        return row.get("number")
    if wide_type == "boolean":
        return row.get("boolean")
    if row.get("text") is not None:
        return row["text"]
    value = cell_value(row)
    if isinstance(value, float):
        return FLOAT_TEXT % value
    return None if value is None else str(value)


FLOAT_TEXT = "%.15g"  # 5697.0 -> "5697", 99.7 -> "99.7"


def _inferred_type(cells: Iterable[Mapping[str, Any] | None]) -> str:
    """The wide type of a column no form declares (unknown forms, ``mixed`` columns): number when
    every cell holding something holds a number, boolean when every one a boolean, else string."""
    present = [c for c in cells if c is not None and cell_value(c) is not None]
    if present and all(c.get("number") is not None for c in present):
        return "number"
    if present and all(c.get("boolean") is not None for c in present):
        return "boolean"
    return "string" if present else "number"


def status_column(key: str) -> str:
    return f"{key}{STATUS_SUFFIX}"


@dataclasses.dataclass
class WideForm:
    """The wide view of one form: value column keys, their wide types, and the rows (each with
    :data:`WIDE_ID_COLUMNS`, one typed cell per key and a ``<key>__status`` per key)."""

    keys: list[str]
    types: dict[str, str]
    rows: list[Row]

    @property
    def header(self) -> list[str]:
        return [*WIDE_ID_COLUMNS, *self.keys, *(status_column(k) for k in self.keys)]

    def column_types(self) -> dict[str, str]:
        """Every column of :attr:`header` -> "number" / "boolean" / "integer" / "string"."""
        ids = {
            c: ("integer" if c in ("table_index", "row_index", "year") else "string") for c in WIDE_ID_COLUMNS
        }
        return {**ids, **self.types, **{status_column(k): "string" for k in self.keys}}


class WideCollector:
    """Accumulates the wide rows of every form, document by document.

    ``columns`` maps form code -> [(canonical key, declared wide type or ``None``)] in the form's
    order (:func:`form_columns`).  Feed it every value row, blank cells included
    (``document_rows(doc)[ALL_CELLS]``); rows of one table row become one wide row.
    """

    def __init__(self, columns: Mapping[str, Sequence[tuple[str, str | None]]]) -> None:
        self.columns = columns
        self.keys: dict[str, dict[str, None]] = {}
        self.rows: dict[str, list[tuple[Row, dict[str, Row]]]] = {}

    def add(self, values: Sequence[Row], source: str) -> None:
        slots: dict[tuple[str, int, int], tuple[Row, dict[str, Row]]] = {}
        for v in values:
            form = v["form"]
            keys = self.keys.setdefault(form, dict.fromkeys(k for k, _ in self.columns.get(form, ())))
            keys.setdefault(v["column_key"], None)
            slot = (form, v["table_index"], v["row_index"])
            if slot not in slots:
                ids = {c: v.get(c) for c in WIDE_ID_COLUMNS}
                ids["source"] = source
                slots[slot] = (ids, {})
                self.rows.setdefault(form, []).append(slots[slot])
            slots[slot][1][v["column_key"]] = v

    def forms(self) -> dict[str, WideForm]:
        """form -> its :class:`WideForm` (columns no row uses are left out), forms sorted by code."""
        out = {}
        for form in sorted(self.rows):
            rows = self.rows[form]
            used = {k for _ids, cells in rows for k in cells}
            keys = [k for k in self.keys[form] if k in used]
            declared = dict(self.columns.get(form, ()))
            types = {k: declared.get(k) or _inferred_type(cells.get(k) for _ids, cells in rows) for k in keys}
            wide = []
            for ids, cells in rows:
                row = dict(ids)
                for k in keys:
                    cell = cells.get(k)
                    row[k] = typed_cell(cell, types[k]) if cell is not None else None
                    row[status_column(k)] = cell["status"] if cell is not None else None
                wide.append(row)
            out[form] = WideForm(keys, types, wide)
        return out


_ARROW_TYPES = {"number": pa.float64(), "integer": pa.int64(), "boolean": pa.bool_(), "string": pa.string()}


def wide_table(view: WideForm) -> pa.Table:
    """The Arrow table of a form's wide view: float64 numeric columns, boolean Có/Không columns,
    string text, status and code columns, int64 indexes and year."""
    types = view.column_types()
    fields = [pa.field(name, _ARROW_TYPES[types[name]]) for name in view.header]
    arrays = [pa.array([r.get(f.name) for r in view.rows], type=f.type) for f in fields]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def wide_frame(view: WideForm) -> pd.DataFrame:
    """A form's wide view as a DataFrame of nullable types (``Float64``, ``boolean``, ``string``)."""
    return wide_table(view).to_pandas(types_mapper=_PANDAS_TYPES.get)


def form_columns(config_dir: str | None) -> dict[str, list[tuple[str, str | None]]]:
    """Every declared form's canonical column keys in order, each with its wide type (``None``
    for ``mixed`` columns: typed by what they hold); empty when the configs cannot be read."""
    from ..config import load_forms
    from ..errors import ConfigError

    skip = {"index", "label"}
    try:
        return {
            f.code: [
                (c.key, WIDE_TYPES.get(c.type, None if c.type == "mixed" else "string"))
                for c in f.columns
                if c.type not in skip
            ]
            for f in load_forms(config_dir)
        }
    except ConfigError as exc:
        log.warning("wide outputs keep columns in order of appearance: %s", exc)
        return {}


__all__ = [
    "ALL_CELLS",
    "CONTEXT_COLUMNS",
    "STATUS_SUFFIX",
    "WIDE_ID_COLUMNS",
    "Row",
    "WideCollector",
    "WideForm",
    "arrow_table",
    "cell_value",
    "document_context",
    "document_error",
    "document_row",
    "document_rows",
    "document_status",
    "form_columns",
    "frame",
    "manifest_seconds",
    "page_statuses",
    "status_column",
    "typed_cell",
    "wide_frame",
    "wide_table",
]
