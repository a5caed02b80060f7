"""Table-level trust: values whose place in the table's structure is in doubt are flagged.

A printed column the form does not declare is kept under its own key (``extra_<n>``) and the
table gets an issue.  That is right for a column the config lacks; but when one of the form's
own value columns was *not found* in the same table, the likelier story on a worn scan is that
its header was misread, and the "extra" column holds that column's values — or a neighbour's,
shifted.  Such values are not trusted as read: they are flagged, with the columns that are
missing named (the dev split's hard 200-dpi 6B read "Tinh giản biên chế / Kế hoạch" as an
undeclared column and its values stood ``read`` under no column the form knows).
"""

from __future__ import annotations

from dataclasses import replace

from extract.config import FormSpec
from extract.model import TableResult, Value
from extract.understand.forms import EXTRA_PREFIX

from .flagging import add_flag

_VALUE_TYPES = frozenset({"count", "signed", "decimal", "percent", "ratio", "bool", "mixed"})
"""Declared column types whose absence makes an undeclared column suspect (not notes, labels)."""


def missing_value_columns(table: TableResult, form: FormSpec) -> list[str]:
    """The form's value columns that the table does not have (its header did not map them)."""
    have = set(table.columns)
    return [c.key for c in form.columns if c.type in _VALUE_TYPES and c.key not in have]


def flag_undeclared_columns(table: TableResult, form: FormSpec) -> TableResult:
    """``table`` with the values of its undeclared (``extra_``) columns FLAGGED while some of
    ``form``'s value columns were not found in it.  Blanks stay blank."""
    missing = missing_value_columns(table, form)
    if not missing:
        return table
    shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return replace(table, values=tuple(_flag(v, form, shown) for v in table.values))


def _flag(value: Value, form: FormSpec, shown: str) -> Value:
    if not value.column_key.startswith(EXTRA_PREFIX) or value.value_kind == "null":
        return value
    reason = (
        f"column {value.column_key} is not one form {form.code} declares, while its column(s) "
        f"{shown} were not found: a header misread, the value may belong to one of them"
    )
    return add_flag(value, reason)
