"""Turn a :class:`~extract.model.DocumentResult` into rows of the output schema (pure functions).

Every writer goes through :func:`document_rows`, so the database, the CSV/Parquet files, the
Excel workbook and the JSON files hold the same rows.  See :mod:`extract.writers.schema` for the
columns and their meaning.  Rows are plain ``dict``s keyed by column name; :func:`frame` makes a
typed DataFrame of them; :func:`wide_frame` pivots the long ``values`` table into one row per table
row and one column per canonical column of a form.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from ..manifest import document_status, page_statuses
from ..model import DocumentResult, PageResult, Value, ValueStatus
from .schema import TABLES_BY_NAME, arrow_schema, columns

log = logging.getLogger(__name__)

Row = dict[str, Any]

#: Columns that identify a row of a wide (one row per table row) sheet, before the form's columns.
WIDE_ID_COLUMNS = (
    "document_id",
    "source",
    "table_index",
    "row_index",
    "row_key",
    "row_kind",
    "row_label",
    "commune_code",
    "commune_name",
)
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


def _value_row(v: Value, row_key: str) -> Row:
    x0, y0, x1, y1 = v.box
    return {
        "document_id": v.document_id,
        "table_index": v.table_index,
        "form": v.form,
        "row_index": v.row_index,
        "row_key": row_key,
        "row_kind": v.row_kind,
        "row_label": v.row_label,
        "commune_code": v.commune_code,
        "commune_name": v.commune_name,
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
    }


def _flag_row(v: Value, row_key: str) -> Row:
    x0, y0, x1, y1 = v.box
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
        "problem": v.extra.get("problem"),
        "candidates": _json(candidates),
    }


def document_rows(doc: DocumentResult) -> dict[str, list[Row]]:
    """Rows of ``documents``, ``pages``, ``tables``, ``values`` and ``flags`` for one document."""
    meta = doc.meta
    statuses = page_statuses(doc)
    documents = [
        {
            "id": doc.document_id,
            "source": doc.source,
            "pages": doc.page_count,
            "status": document_status(doc),
            "error": document_error(doc),
            "number": meta.number,
            "date": meta.date,
            "district": meta.district,
            "district_code": meta.district_code,
            "province": meta.province,
            "province_code": meta.province_code,
            "year": meta.year,
            "title": meta.title,
        }
    ]
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
    values = [_value_row(v, keys[(v.table_index, v.row_index)]) for v in all_values]
    flags = [
        _flag_row(v, keys[(v.table_index, v.row_index)])
        for v in all_values
        if _status(v.status) in REVIEW_STATUSES
    ]
    return {"documents": documents, "pages": pages, "tables": tables, "values": values, "flags": flags}


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
    """The value a wide sheet shows for a long ``values`` row: number, else boolean, else text."""
    if row.get("number") is not None:
        return row["number"]
    if row.get("boolean") is not None:
        return row["boolean"]
    return row.get("text")


def wide_rows(
    values: Iterable[Row], sources: Mapping[str, str], order: Sequence[str] = ()
) -> tuple[list[str], list[Row]]:
    """Pivot long ``values`` rows of one form into wide rows.

    Returns (column keys, rows).  Column keys follow ``order`` (the form's canonical order from
    configs/forms), then any other key in order of appearance.  Each wide row holds
    :data:`WIDE_ID_COLUMNS` plus one entry per column key (see :func:`cell_value`).  ``sources``
    maps document id -> source path.
    """
    keys: dict[str, None] = dict.fromkeys(order)
    rows: dict[tuple[str, int, int], Row] = {}
    for v in values:
        slot = (v["document_id"], v["table_index"], v["row_index"])
        row = rows.get(slot)
        if row is None:
            row = rows[slot] = {
                "document_id": v["document_id"],
                "source": sources.get(v["document_id"]),
                "table_index": v["table_index"],
                "row_index": v["row_index"],
                "row_key": v["row_key"],
                "row_kind": v["row_kind"],
                "row_label": v["row_label"],
                "commune_code": v["commune_code"],
                "commune_name": v["commune_name"],
            }
        keys.setdefault(v["column_key"], None)
        row[v["column_key"]] = cell_value(v)
    used = {k for r in rows.values() for k in r}
    ordered = [k for k in keys if k in used and k not in WIDE_ID_COLUMNS]
    return ordered, list(rows.values())


class WideCollector:
    """Accumulates wide rows per form, document by document (see :func:`wide_rows`).

    ``orders`` maps form code -> canonical column keys (:func:`form_column_order`).  Only the
    wide rows are kept (one per table row), never the long values.
    """

    def __init__(self, orders: Mapping[str, Sequence[str]]) -> None:
        self.orders = orders
        self.keys: dict[str, dict[str, None]] = {}
        self.rows: dict[str, list[Row]] = {}

    def add(self, values: Sequence[Row], source: str) -> None:
        by_form: dict[str, list[Row]] = {}
        for v in values:
            by_form.setdefault(v["form"], []).append(v)
        for form, form_values in by_form.items():
            sources = {form_values[0]["document_id"]: source}
            keys, rows = wide_rows(form_values, sources, self.orders.get(form, ()))
            known = self.keys.setdefault(form, dict.fromkeys(k for k in self.orders.get(form, ())))
            known.update(dict.fromkeys(keys))
            self.rows.setdefault(form, []).extend(rows)

    def forms(self) -> dict[str, tuple[list[str], list[Row]]]:
        """form -> (column keys used, wide rows), forms sorted by code."""
        out = {}
        for form in sorted(self.rows):
            used = {k for r in self.rows[form] for k in r}
            out[form] = ([k for k in self.keys[form] if k in used], self.rows[form])
        return out


def form_column_order(config_dir: str | None) -> dict[str, list[str]]:
    """Canonical column keys of every declared form (empty when the configs cannot be read)."""
    from ..config import load_forms
    from ..errors import ConfigError

    try:
        return {f.code: [c.key for c in f.columns] for f in load_forms(config_dir)}
    except ConfigError as exc:
        log.warning("wide outputs keep columns in order of appearance: %s", exc)
        return {}


__all__ = [
    "WIDE_ID_COLUMNS",
    "Row",
    "WideCollector",
    "arrow_table",
    "cell_value",
    "document_error",
    "document_rows",
    "document_status",
    "form_column_order",
    "frame",
    "manifest_seconds",
    "page_statuses",
    "wide_rows",
]
