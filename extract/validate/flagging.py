"""One way to flag a value for a reason: a value flagged already keeps its reasons, the new one
put first (once); and one way to make a flagged value where nothing was read."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from extract.model import RowInfo, Value, ValueStatus


def add_flag(value: Value, reason: str) -> Value:
    """``value`` FLAGGED with ``reason`` (before any reason it was flagged for already)."""
    if value.status == ValueStatus.FLAGGED and value.flag_reason:
        if reason in value.flag_reason:
            return value
        return replace(value, flag_reason=f"{reason}; {value.flag_reason}")
    return replace(value, status=ValueStatus.FLAGGED, rule=None, flag_reason=reason)


def row_fields(row: RowInfo) -> dict[str, Any]:
    """The fields a value takes from the row it stands in (key, kind, label, commune)."""
    commune = row.commune.commune if row.commune is not None else None
    return {
        "row_key": row.key,
        "row_kind": row.kind.value,
        "row_label": row.label,
        "commune_code": commune.code if commune is not None else None,
        "commune_name": commune.name if commune is not None else None,
    }


def unread_value(template: Value, reason: str, **where: Any) -> Value:
    """A FLAGGED value with no number where a printed value was not read (a cell the grid lost, a
    row not found): ``template``'s document, table and row, changed by ``where`` (its column, box,
    row, …), blank, confidence 0, ``reason`` as both its flag and its ``problem`` (the rules treat
    it as not read, never as a printed 0), nothing of the template's reading kept."""
    return replace(
        template,
        **{
            "value_kind": "null",
            "number": None,
            "boolean": None,
            "text": None,
            "unit": None,
            "note": None,
            "raw_text": "",
            "confidence": 0.0,
            "status": ValueStatus.FLAGGED,
            "flag_reason": reason,
            "candidates": (),
            "rule": None,
            "problem": reason,
            "ambiguous": False,
            "correction": None,
            "suspect": False,
            "continued": None,
            "parts": (),
            "after_break": None,
            "review": None,
            "suggestion": None,
            **where,
        },
    )
