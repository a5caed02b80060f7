"""A declared column that the grid lost, its numbers read into its neighbour's cells.

When the rule between two printed columns is not found on a page (worn or faxed), the grid has
one column for two: the header mapping gives it one of the two keys and reports the other "not
found" — and that column's printed numbers were in no output, status-less (dev 208's fax 1B: "37
15" under ``kiem_tra_truc_thuoc``, ``kiem_tra_phong_ban`` missing; dev 152's fax 2B: "6. Số
1683/QĐ-UBND …" under ``ghi_chu``, ``tong_so`` missing).  Where such a cell holds one number more
than its own column takes — two numbers standing apart in a number column, or a number before
the text of a note column — the numbers are parted by their order: the missing column's number is
the one on its side.  Both parts are flagged (the rule was lost: which number is whose is read
from their order, not from the print's rules); a cell with one number is left as it was.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Sequence
from typing import Final

from .config import NUMERIC_TYPES, FormSpec
from .model import ParsedValue, Value
from .validate.flagging import unread_value

# a word that is a number standing apart ("37", "1.748", "6.", "2]", "¡2738"), not a date or a
# reference ("20/5/2020", "1683/QĐ-UBND")
LONE_NUMBER: Final = re.compile(r"^\W*\d+(?:[.,]\d+)*\W*$")


def _split(text: str, numeric: bool) -> tuple[str, str] | None:
    """``text`` parted into its first word and the rest, when that first word is a number standing
    apart and the rest is one more number (``numeric``: the neighbour is a number column) or the
    text of a note (it holds a letter)."""
    words = text.split()
    if len(words) < 2 or not LONE_NUMBER.match(words[0]):
        return None
    rest = " ".join(words[1:])
    if numeric:
        return (words[0], rest) if len(words) == 2 and LONE_NUMBER.match(words[1]) else None
    return (words[0], rest) if any(ch.isalpha() for ch in rest) else None


def _neighbour(form: FormSpec, key: str, present: set[str]) -> tuple[str, bool] | None:
    """The column beside ``key`` in the form's order that the table has, and whether ``key`` is
    left of it (its right neighbour is tried first)."""
    keys = [c.key for c in form.columns]
    at = keys.index(key)
    if at + 1 < len(keys) and keys[at + 1] in present:
        return keys[at + 1], True
    if at > 0 and keys[at - 1] in present and form.column(keys[at - 1]).type in NUMERIC_TYPES:
        return keys[at - 1], False  # a number after a note is the next row's, not a column's
    return None


def part_merged_cells(
    values: list[Value],
    form: FormSpec,
    missing: Sequence[str],
    parse: Callable[[str, str], ParsedValue],
    merged: Collection[str] = (),
) -> tuple[list[Value], list[str]]:
    """``values`` with each cell of a lost column's neighbour that holds the lost column's number
    too (:func:`_split`) parted in two flagged values, and the table's notes saying so (the keys
    parted are named in them: ``column KEY was not found, …``).  ``parse(key, text)`` types a
    part by its column.  Where the neighbour is one of the ``merged`` columns (its column-number
    cell reads both printed columns' numbers, "(3) (4)"), each of its cells not parted gives the
    lost column a FLAGGED value with no number (:data:`LOST_BESIDE`): its printed number, if
    any, is the one read under the neighbour (dev_1003 9B: the six totals stood under
    ``tang_giam``, and ``tong_so`` was absent, its printed numbers silently missing)."""
    present = {v.column_key for v in values}
    out, notes = list(values), []
    for key in missing:
        column = form.column(key)
        if column.type not in NUMERIC_TYPES or key in (form.index_column, form.label_column):
            continue
        side = _neighbour(form, key, present)
        if side is None:
            continue
        other, left = side
        numeric = form.column(other).type in NUMERIC_TYPES
        if not left and not numeric:
            continue
        parted, held, done = 0, 0, []
        for v in out:
            halves = _split(v.raw_text, numeric) if v.column_key == other else None
            if halves is None:
                done.append(v)
                if v.column_key == other and other in merged:
                    lost = LOST_BESIDE.format(key=key, other=other)
                    header = " / ".join(column.header)
                    done.append(unread_value(v, lost, column_key=key, column_header=header))
                    held += 1
                continue
            mine, theirs = halves if left else (halves[1], halves[0])
            why = (
                f"one cell over two printed columns ({key}, {other}): the rule between them was not "
                f"found; its numbers parted by their order ('{v.raw_text}'): not sure"
            )
            header = " / ".join(column.header)
            pair = [_with(v, other, v.column_header, theirs, parse(other, theirs), why)]
            pair.insert(0 if left else 1, _with(v, key, header, mine, parse(key, mine), why, column.unit))
            done.extend(pair)
            parted += 1
        out = done
        if held:
            notes.append(
                f"column {key} was not found: {held} cells of column {other}, over both printed "
                f"columns, give it a flagged value with no number"
            )
        if parted:
            notes.append(
                f"column {key} was not found, but {parted} cells of column {other} beside it hold its "
                f"number too: parted by their order, flagged"
            )
    return out, notes


LOST_BESIDE = (
    "one grid column over two printed columns ({key}, {other}): the rule between them was lost; "
    "a number printed here stands under {other}, which of the two it is printed in is not known"
)


def _with(
    v: Value, key: str, header: str, text: str, parsed: ParsedValue, why: str, unit: str | None = None
) -> Value:
    return dataclasses.replace(
        v,
        column_key=key,
        column_header=header,
        value_kind=parsed.kind,
        number=parsed.number,
        boolean=parsed.boolean,
        text=parsed.text,
        unit=parsed.unit or unit or v.unit,
        note=parsed.note,
        raw_text=text,
        ambiguous=True,
        problem=why,
    )


__all__ = ["LONE_NUMBER", "part_merged_cells"]
