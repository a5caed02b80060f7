"""Cells the grid lost: a printed value never vanishes silently.

Where a horizontal rule is broken on a worn scan, the grid may close one cell of a number column
over two rows (a cell with ``row_span`` 2 in the body): the number printed in the lower row is
read as the upper row's, and the lower row has no cell, hence no value, in that column.  Nothing
in the outputs said a number was printed there (the dev split's hard scans: 374 such slots, most
of them holding a printed number).

:func:`flag_missing_cells` gives every such slot a value of its own -- blank, FLAGGED with
:data:`NO_CELL`, its box where the row and the column cross on the page, so that the review queue
shows the spot -- and flags the number of the cell that covers it (:data:`SPANNED`): it may be
printed in either row.  A placeholder is unusable in a rule (``Value.problem``; see
:func:`extract.validate.cells.read_value`), so a re-validation never counts it as a printed 0.

Only body rows are considered (header and column-number rows never are): rows that were read
(at least one number), and rows that hold no value in any of the form's number columns at all (a
cell over several rows closed all of them: a 9B cell over five rows, 3B and 13B rows whose one
number column the grid lost).  Columns: the form's number columns that the table has, and its
mixed columns ("Số liệu thống kê" of 3B and 13B) that hold a number in another row of the table.
A row with no value at all has no place on the page of its own: its placeholder takes the box of
the nearest cell of the column above it (else below), the cell that most likely covers it.  Clean
and mild scans have no such slot (every body cell of their grids is one row high, and every body
row of the dev split's clean and mild tables holds a value).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from extract.config import SINGLE_NUMBER_TYPES, FormSpec
from extract.model import PixelBox, TableResult, Value, ValueStatus

from .flagging import add_flag, row_fields, unread_value

NON_BODY = frozenset({"header", "column_numbers"})
MIXED_NUMBER_TYPES = frozenset({"mixed"})
"""Column types whose cells hold a number or text ("Số liệu thống kê"): a lost cell there is
looked for when the column holds a number in another row."""

NO_CELL = (
    "no cell of its own was found at this row and column (a ruling line lost on the scan?): "
    "a printed value may be missing here"
)
SPANNED = "its cell also covers row {rows}: the number may be printed in either row"


def flag_missing_cells(table: TableResult, form: FormSpec) -> TableResult:
    """``table`` with a FLAGGED blank value in every slot (read body row, number column) that no
    cell covers, and the values of cells covering such slots flagged (see the module doc)."""
    columns = _number_columns(table, form)
    if not columns:
        return table
    by_row: dict[int, list[Value]] = {}
    for v in table.values:
        by_row.setdefault(v.row_index, []).append(v)
    placeholders: dict[int, list[Value]] = {}
    spanned: dict[int, list[str]] = {}  # id of a covering value -> rows it also covers
    for row_index in range(max(len(table.rows), max(by_row, default=-1) + 1)):
        row_values = by_row.get(row_index, [])
        if not _considered_row(table, row_index, row_values, columns):
            continue
        have = {v.column_key for v in row_values}
        for column in columns:
            if column in have:
                continue
            made = (
                _placeholder(table, row_values, column)
                if row_values
                else _placeholder_of_row(table, row_index, column)
            )
            if made is None:
                continue
            placeholders.setdefault(row_index, []).append(made)
            cover = _covering(table.values, made) if row_values else None
            if cover is not None:
                spanned.setdefault(id(cover), []).append(_row_name(table, row_index))
    if not placeholders:
        return table
    values: list[Value] = []
    last_of_row = {v.row_index: i for i, v in enumerate(table.values)}
    for i, v in enumerate(table.values):
        values.append(_flag_spanned(v, spanned[id(v)]) if id(v) in spanned else v)
        if last_of_row[v.row_index] == i:
            values.extend(placeholders.pop(v.row_index, ()))
    for row_index in sorted(placeholders):  # rows with no value of their own: in row order
        at = next((i for i, v in enumerate(values) if v.row_index > row_index), len(values))
        values[at:at] = placeholders[row_index]
    return replace(table, values=tuple(values))


def _number_columns(table: TableResult, form: FormSpec) -> list[str]:
    """The form's number columns that the table has, and its mixed columns that hold a number."""
    numbered = {v.column_key for v in table.values if v.number is not None}
    return [
        c.key
        for c in form.columns
        if c.key in set(table.columns)
        and (c.type in SINGLE_NUMBER_TYPES or (c.type in MIXED_NUMBER_TYPES and c.key in numbered))
    ]


def _considered_row(
    table: TableResult, row_index: int, row_values: Sequence[Value], columns: Sequence[str]
) -> bool:
    """A body row with at least one number read, or with no value in any number column at all."""
    if 0 <= row_index < len(table.rows) and table.rows[row_index].kind.value in NON_BODY:
        return False
    if not 0 <= row_index < len(table.rows) and not row_values:
        return False
    if any(v.number is not None for v in row_values):
        return True
    return not {v.column_key for v in row_values} & set(columns)


def _row_name(table: TableResult, row_index: int) -> str:
    row = table.rows[row_index] if 0 <= row_index < len(table.rows) else None
    return repr((row.label.strip() or row.index) if row is not None else str(row_index))


def _placeholder(table: TableResult, row_values: Sequence[Value], column: str) -> Value | None:
    """The blank FLAGGED value of ``column`` in the row of ``row_values``; its box spans the row's
    height (its lowest single cell) and the column's width on the same page -- or, where the
    page's grid lost the column in every row (a continuation page whose right-edge columns were
    not found: 7B's two "nâng lương" columns, 11 commune rows of a fax page), the width of its
    nearest cell on another page of the table (a continuation prints its columns where the first
    page does).  None when the column has no value at all."""
    anchor = min(row_values, key=lambda v: (v.box.height, v.box.x0))
    same_column = [v for v in table.values if v.column_key == column and v.page_index == anchor.page_index]
    if not same_column:
        same_column = [v for v in table.values if v.column_key == column]
    if not same_column:
        return None
    like = min(same_column, key=lambda v: abs(v.row_index - anchor.row_index))
    box = PixelBox(like.box.x0, anchor.box.y0, like.box.x1, anchor.box.y1)
    return unread_value(anchor, NO_CELL, column_key=column, column_header=like.column_header, box=box)


def _placeholder_of_row(table: TableResult, row_index: int, column: str) -> Value | None:
    """The blank FLAGGED value of ``column`` in a row that has no value at all: its row fields
    from the table's row, its page and box those of the nearest value of the column above it
    (else below): the cell that most likely covers it.  None when the column has no value."""
    same_column = [v for v in table.values if v.column_key == column]
    if not same_column:
        return None
    above = [v for v in same_column if v.row_index < row_index]
    like = max(above, key=lambda v: v.row_index) if above else min(same_column, key=lambda v: v.row_index)
    made = _placeholder(table, [like], column)
    if made is None:
        return None
    return replace(made, row_index=row_index, **row_fields(table.rows[row_index]))


def _covering(values: Sequence[Value], slot: Value) -> Value | None:
    """The value of the slot's column on its page whose cell reaches over the slot's middle."""
    middle = (slot.box.y0 + slot.box.y1) / 2
    for v in values:
        if (
            v.column_key == slot.column_key
            and v.page_index == slot.page_index
            and v.row_index != slot.row_index
            and v.box.y0 < middle < v.box.y1
        ):
            return v
    return None


def _flag_spanned(value: Value, rows: Sequence[str]) -> Value:
    """A covering cell's value flagged: its number may be printed in another row it covers
    (unless a rule verified or corrected it in its own row)."""
    if value.value_kind == "null" and not value.raw_text.strip():
        return value
    reason = SPANNED.format(rows=", ".join(rows))
    if value.status in (ValueStatus.VERIFIED, ValueStatus.CORRECTED):
        return value  # a rule of the form bears the number out in this row
    return add_flag(value, reason)
