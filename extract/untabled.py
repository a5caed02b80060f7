"""A form's rows read as text lines where no table was found, as a table whose every value is flagged.

When the rules of a form's table are too worn for the line finder (a fax whose rules broke into
dashes, a page under a seal), the page holds no table: its rows are read as text lines, "1 Số cơ
quan hành chính đã hoàn thiện … 27".  Their printed values must not vanish: each line that starts
like a row (an STT, or words) and holds numbers becomes one row of a table: STT, label, the line's
numbers in its order, and what follows them (a note).  Which printed column each number stands
in is not known (a blank printed cell leaves no trace in a text line), so
:mod:`extract.document` flags every value of such a table.

Pure functions on :class:`~extract.model.OcrLine`; the grid they build is a stand-in (equal
columns across the lines' width), not the printed one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import CellKind, CellRead, GridCell, OcrLine, PixelBox, ReadTable, TableGrid

# a row's printed index: "I", "IV", "2", "2.1", "2.2.15" (a trailing dot allowed)
_INDEX = re.compile(r"^(?:[IVX]{1,4}|\d{1,3}(?:\.\d{1,3}){0,3})\.?$")
# a printed number: "27", "5.697", "99,7%", "-3", "(12)"
_NUMBER = re.compile(r"^[-+]?\(?\d[\d.,]*%?\)?$")
# what parts a line's tokens: spaces, and the bars a lost vertical rule leaves in the text
_TOKENS = re.compile(r"[\s|]+")


@dataclass(frozen=True)
class TextRow:
    """One text line read as a table row: its printed ``index`` (may be empty), ``label``, the
    ``numbers`` in the line's order, the ``rest`` after them (a note), the line's box and
    confidence."""

    index: str
    label: str
    numbers: tuple[str, ...]
    rest: str
    box: PixelBox
    confidence: float


def text_row(line: OcrLine) -> TextRow | None:
    """``line`` as a row: an optional STT, words, then numbers (at least one), then anything;
    ``None`` for a line that holds no number after its label (a title, a header, prose whose
    numbers stand among its words are rows too: the caller decides where rows are looked for)."""
    tokens = [t for t in _TOKENS.split(line.text.strip()) if t]
    if not tokens:
        return None
    index = tokens.pop(0) if len(tokens) > 1 and _INDEX.match(tokens[0]) else ""
    label: list[str] = []
    while tokens and not _NUMBER.match(tokens[0]):
        label.append(tokens.pop(0))
    numbers: list[str] = []
    while tokens and _NUMBER.match(tokens[0]):
        numbers.append(tokens.pop(0))
    if not numbers or not (label or index):
        return None
    return TextRow(index, " ".join(label), tuple(numbers), " ".join(tokens), line.box, line.confidence)


def rows_table(rows: Sequence[TextRow], n_values: int, page_index: int, table_index: int = 0) -> ReadTable:
    """``rows`` as a table of ``3 + n_values`` columns: STT, label, ``n_values`` numbers (a row's
    numbers in order from the first; those past ``n_values`` joined into the last), the rest.  Its
    grid spans the lines' box in equal columns (a stand-in: nothing was ruled)."""
    if not rows or n_values < 1:
        raise ValueError("rows_table: expected rows and at least one value column")
    n_cols = 3 + n_values
    x0 = min(r.box.x0 for r in rows)
    x1 = max(max(r.box.x1 for r in rows), x0 + n_cols)
    col_edges = tuple(x0 + (x1 - x0) * c // n_cols for c in range(n_cols + 1))
    row_edges = [rows[0].box.y0]
    for r in rows:
        row_edges.append(max(r.box.y1, row_edges[-1] + 1))
    cells: list[CellRead] = []
    for i, r in enumerate(rows):
        numbers = list(r.numbers[: n_values - 1]) + [" ".join(r.numbers[n_values - 1 :])]
        texts = [r.index, r.label, *numbers, *[""] * (n_values - len(numbers)), r.rest]
        for c, text in enumerate(texts):
            box = PixelBox(col_edges[c], row_edges[i], col_edges[c + 1], row_edges[i + 1])
            kind = CellKind.EMPTY if not text else CellKind.NUMBER if 2 <= c < 2 + n_values else CellKind.TEXT
            confidence = r.confidence if text else 100.0
            cells.append(CellRead(GridCell(i, c, 1, 1, box), text, confidence, kind))
    grid = TableGrid(
        box=PixelBox(col_edges[0], row_edges[0], col_edges[-1], row_edges[-1]),
        row_edges=tuple(row_edges),
        col_edges=col_edges,
        cells=tuple(c.cell for c in cells),
    )
    return ReadTable(page_index=page_index, table_index=table_index, grid=grid, cells=tuple(cells))


__all__ = ["TextRow", "rows_table", "text_row"]
