"""The review queue: every value a person should look at, in reading order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from extract.model import Candidate, DocumentResult, Value, ValueStatus

if TYPE_CHECKING:
    import pandas as pd

REVIEW_COLUMNS: Final = (
    "document_id",
    "source",
    "page",  # 1-based
    "form",
    "table_index",
    "row_index",
    "row_key",
    "row_label",
    "column_key",
    "column_header",
    "raw_text",  # as OCR read it (before any correction)
    "candidates",  # every OCR reading: "text (confidence, variant)", "; "-separated
    "chosen_text",  # the text the value now comes from
    "chosen_value",  # number, Có/Không or text
    "suggestion",  # what the form's sums give for a cell not read clearly (a suggestion, never the value)
    "status",
    "corrected",  # True when a candidate replaced the OCR reading
    "suspect",  # True for the cell a failing rule most likely points at
    "reason",
    "rule",
    "confidence",
    "x0",  # crop box of the cell, pixels of the prepared page
    "y0",
    "x1",
    "y1",
)


def format_candidates(candidates: Iterable[Candidate]) -> str:
    """ "5.697 (91, vie+eng); 9.697 (64, vie)"."""
    return "; ".join(f"{c.text} ({c.confidence:.0f}, {c.variant})" for c in candidates)


def _chosen(value: Value) -> Any:
    if value.number is not None:
        return value.number
    if value.boolean is not None:
        return value.boolean
    return value.text


def _row(value: Value) -> dict[str, Any]:
    x0, y0, x1, y1 = value.box.as_tuple()
    return {
        "document_id": value.document_id,
        "source": value.source,
        "page": value.page_index + 1,
        "form": value.form,
        "table_index": value.table_index,
        "row_index": value.row_index,
        "row_key": value.row_key,
        "row_label": value.row_label,
        "column_key": value.column_key,
        "column_header": value.column_header,
        "raw_text": value.correction.original_text if value.correction is not None else value.raw_text,
        "candidates": format_candidates(value.candidates),
        "chosen_text": value.raw_text,
        "chosen_value": _chosen(value),
        "suggestion": value.suggestion,
        "status": value.status.value,
        "corrected": value.correction is not None,
        "suspect": value.suspect,
        "reason": value.flag_reason or "",
        "rule": value.rule or "",
        "confidence": value.confidence,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
    }


def review_queue(docs: Iterable[DocumentResult]) -> pd.DataFrame:
    """Flagged and corrected values of ``docs``, one row each, in the order a reviewer reads.

    Sorted by document (source file, then id), page, table (the document's form order), row,
    then column in the table's own column order.  Columns: :data:`REVIEW_COLUMNS`.
    """
    import pandas as pd  # here, not at import: a page worker loads this module with its settings

    rows: list[dict[str, Any]] = []
    order: list[int] = []
    for doc in docs:
        for table in doc.tables:
            position = {k: i for i, k in enumerate(table.columns)}
            for value in table.values:
                if value.status not in (ValueStatus.FLAGGED, ValueStatus.CORRECTED):
                    continue
                rows.append(_row(value))
                order.append(position.get(value.column_key, len(position)))
    frame = pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))
    if frame.empty:
        return frame
    frame["_col"] = order
    frame = frame.sort_values(
        ["source", "document_id", "page", "table_index", "row_index", "_col"], kind="stable"
    ).drop(columns="_col")
    return frame.reset_index(drop=True)
