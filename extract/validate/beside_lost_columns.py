"""Numbers beside a value column the table lost: verified only by a rule across the row.

When the header mapping does not find one of the form's number columns (its heading misread, a
vertical rule lost so two printed columns read as one), the numbers of that printed column still
stand somewhere: in the grid column beside it, which the mapping then gave the neighbour's key.
The sums down a column ("II = sum of communes", "Tổng số = (I) + (II)", "I, II = sum of fields")
hold for every column alike, so they verified those numbers under the neighbour's name: dev_3698
hard 300's 5B lost "Số hồ sơ đã tiếp nhận / Tổng số" and its 15 totals stood ``verified`` as "Từ
kỳ trước" (the printed "Từ kỳ trước" read into "Mới tiếp nhận" beside it, flagged); dev_2256's 4B
lost "Tổng số" of "Số TTHC công bố" the same way.

:func:`flag_beside_lost_columns`: in a table where a number column of the form was not found, the
numbers of the nearest mapped number column on each side of it (in the form's order) keep their
status only when a rule **across the row** (a ``row_sum`` or ``ratio`` of the form: the value
checked against the columns beside it, so its place with them) bore them out; every other number
there is **flagged** (which printed column it is, is not sure).  Blanks stay blank.
"""

from __future__ import annotations

from dataclasses import replace

from extract.config import NUMERIC_TYPES, FormSpec
from extract.model import TableResult, Value, ValueStatus

from .across_row import checked_across_row
from .flagging import add_flag

BESIDE_LOST = (
    "column {lost} of form {form} was not found beside column {key}: these numbers may be that "
    "column's (no rule across the row checked their place)"
)


def _neighbours(table: TableResult, form: FormSpec) -> dict[str, str]:
    """Mapped number column -> the lost number column it stands beside (nearest each side)."""
    keys = [c.key for c in form.columns if c.type in NUMERIC_TYPES]
    have = set(table.columns)
    out: dict[str, str] = {}
    for i, key in enumerate(keys):
        if key in have:
            continue
        left = next((k for k in reversed(keys[:i]) if k in have), None)
        right = next((k for k in keys[i + 1 :] if k in have), None)
        for side in (left, right):
            if side is not None:
                out.setdefault(side, key)
    return out


def flag_beside_lost_columns(table: TableResult, form: FormSpec) -> TableResult:
    """``table`` with the numbers beside a lost number column of ``form`` flagged unless a rule
    across the row bore them out (see the module)."""
    beside = _neighbours(table, form)
    if not beside:
        return table

    def flagged(value: Value) -> Value:
        lost = beside.get(value.column_key)
        if lost is None or value.number is None:
            return value
        if value.status not in (ValueStatus.VERIFIED, ValueStatus.READ, ValueStatus.CORRECTED):
            return value
        if checked_across_row(value, form):
            return value
        return add_flag(value, BESIDE_LOST.format(lost=lost, form=form.code, key=value.column_key))

    values = tuple(flagged(v) for v in table.values)
    if values == table.values:
        return table
    return replace(table, values=values)
