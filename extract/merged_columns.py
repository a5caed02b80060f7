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

A column the table has (another page, or the page's other rows, found it) with no cell in one row
is the same loss within a page: :func:`part_beside_lost_cells` parts a neighbour's two numbers
there, each part flagged unless a rule of the form bears it out.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Sequence
from typing import Final

from .config import NUMERIC_TYPES, FormSpec
from .model import ParsedValue, PixelBox, Value
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


def part_beside_lost_cells(
    values: list[Value],
    form: FormSpec,
    columns: Collection[str],
    parse: Callable[[str, str], ParsedValue],
    confidence: float,
) -> list[Value]:
    """``values`` with each number cell that holds two numbers standing apart ("30 8", "3 82")
    beside a column of the table that has no value in that row parted by their order: the first
    number to the left column of the two in the form's order, the second to the right one.

    A page whose grid lost the rule between two printed columns over its whole height (a
    continuation page, or a first page whose other pages found the column) reads both numbers
    into one cell: before, the whole text stood under one key, flagged and no number, and the
    other column got the flagged place-holder of a lost cell (:mod:`.validate.missing_cells`),
    its printed number gone from the output (dev_2846 6B "0 0", "30 8" under
    ``tinh_gian_ke_hoach``, ``tinh_gian_da_thuc_hien`` without a cell).  Each part is at most
    ``confidence`` sure and keeps no OCR candidate (a candidate of the whole text, "308", is
    nobody's): flagged unless a rule of the form bears it out.  ``columns``: the table's keys.
    Not parted: a cell over more than one row (taller than the row's other cells: its numbers may
    be two rows'), a cell whose both neighbours lack a value (which one it is over is not known),
    the STT and label columns."""
    declared = [c.key for c in form.columns]
    lost_ok = {
        c.key
        for c in form.columns
        if c.type in NUMERIC_TYPES
        and c.key in columns
        and c.key not in (form.index_column, form.label_column)
    }
    by_row: dict[int, dict[str, Value]] = {}
    for v in values:
        by_row.setdefault(v.row_index, {})[v.column_key] = v
    parted: dict[int, tuple[Value, Value]] = {}  # id of a cell parted -> its two parts
    for row in by_row.values():
        lowest = min(v.box.height for v in row.values())
        for at, key in enumerate(declared):
            if key not in lost_ok or key in row:
                continue
            sides = [  # (the neighbour, whether the lost column is right of it)
                (declared[j], j < at)
                for j in (at - 1, at + 1)
                if 0 <= j < len(declared) and declared[j] in lost_ok and declared[j] in row
            ]
            holding = [
                (other, right, halves)
                for other, right in sides
                if (halves := _split(row[other].raw_text, numeric=True)) is not None
                and row[other].box.height < 2 * max(lowest, 1)
            ]
            if len(holding) != 1 or id(row[holding[0][0]]) in parted:
                continue
            other, right, (first, second) = holding[0]
            v = row[other]
            mine, theirs = (second, first) if right else (first, second)  # the order is the print's
            box_mine, box_theirs = _part_boxes(v, key, right, values)
            header = " / ".join(form.column(key).header)
            parted[id(v)] = (
                _part(v, key, header, mine, parse(key, mine), confidence, box_mine, form.column(key).unit),
                _part(v, other, v.column_header, theirs, parse(other, theirs), confidence, box_theirs),
            )
    if not parted:
        return values
    out: list[Value] = []
    for v in values:
        if id(v) not in parted:
            out.append(v)
            continue
        a, b = parted[id(v)]
        out.extend(sorted((a, b), key=lambda p: declared.index(p.column_key)))
    return out


def _part_boxes(v: Value, key: str, right: bool, values: Sequence[Value]) -> tuple[PixelBox, PixelBox]:
    """The boxes of the lost column's part (``right``: the lost column is right of ``v``'s) and of
    ``v``'s own part: the lost column's place from its nearest cell on the same page, else ``v``'s
    box halved."""
    same = [w for w in values if w.column_key == key and w.page_index == v.page_index]
    b = v.box
    if same:
        like = min(same, key=lambda w: abs(w.row_index - v.row_index)).box
        mine = PixelBox(like.x0, b.y0, like.x1, b.y1)
        cut = like.x0 if right else like.x1
    else:
        cut = (b.x0 + b.x1) // 2
        mine = PixelBox(cut, b.y0, b.x1, b.y1) if right else PixelBox(b.x0, b.y0, cut, b.y1)
    cut = min(max(cut, b.x0 + 1), b.x1 - 1)
    theirs = PixelBox(b.x0, b.y0, cut, b.y1) if right else PixelBox(cut, b.y0, b.x1, b.y1)
    return mine, theirs


def _part(
    v: Value,
    key: str,
    header: str,
    text: str,
    parsed: ParsedValue,
    confidence: float,
    box: PixelBox,
    unit: str | None = None,
) -> Value:
    """``v``'s part in column ``key``: its own reading of ``text``, at most ``confidence`` sure,
    no candidate of the whole cell's text."""
    whole = _with(v, key, header, text, parsed, "", unit)
    return dataclasses.replace(
        whole,
        confidence=min(v.confidence, confidence),
        candidates=(),
        ambiguous=parsed.ambiguous,
        problem=parsed.problem,
        box=box,
    )


__all__ = ["LONE_NUMBER", "part_beside_lost_cells", "part_merged_cells"]
