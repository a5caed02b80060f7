"""The seal look only in number columns (reader.number_columns, read_table).

A cell under a round seal is read again with the seal's lighter ink painted out, and a plain
number two number models agree on replaces what was read (reader._number_run_look).  In a label
or text column that turns a name the seal garbled ("Xã", "II", a single letter) into digits and
the row loses its label: a test-split hard 200-dpi document with a seal in a table lost 32 rows'
numbers with the look on.  The cells no seal covers are read first; only the columns where at
least ``ocr.seal_look_number_share`` of them were read as numbers get the look."""

from __future__ import annotations

import numpy as np
import pytest
from test_reader import ScriptedEngine

from extract.model import CellKind, CellRead, GridCell, PixelBox, PreparedPage, TableGrid
from extract.ocr import reader
from extract.ocr.engine import OcrSettings
from extract.ocr.reader import load_ocr_settings, number_columns, read_table


def _cell(row: int, col: int, span: int = 1) -> GridCell:
    box = PixelBox(col * 100, row * 40, (col + span) * 100, (row + 1) * 40)
    return GridCell(row=row, col=col, row_span=1, col_span=span, box=box)


def _read(cell: GridCell, kind: CellKind) -> CellRead:
    text = {CellKind.NUMBER: "12", CellKind.TEXT: "Xã An", CellKind.EMPTY: ""}[kind]
    return CellRead(cell=cell, text=text, confidence=90.0 if text else 0.0, kind=kind)


def test_number_columns_are_those_read_mostly_as_numbers() -> None:
    kinds = {
        0: [CellKind.NUMBER, CellKind.NUMBER, CellKind.TEXT],  # an STT column with "II"
        1: [CellKind.TEXT, CellKind.TEXT, CellKind.NUMBER],  # labels, one read as a number
        2: [CellKind.NUMBER, CellKind.EMPTY, CellKind.EMPTY],  # blanks do not count
        3: [CellKind.TEXT, CellKind.NUMBER, CellKind.EMPTY],  # one of two: at 0.5, a number column
    }
    reads = [_read(_cell(r, c), k) for c, ks in kinds.items() for r, k in enumerate(ks)]
    reads.append(_read(_cell(3, 1, span=2), CellKind.NUMBER))  # a cell over two columns: no vote
    assert number_columns(reads, 0.5) == {0, 2, 3}
    assert number_columns(reads, 0.7) == {2}
    assert number_columns([], 0.5) == frozenset()


def test_the_setting_is_in_pipeline_yaml() -> None:
    assert load_ocr_settings().seal_look_number_share == 0.5
    with pytest.raises(ValueError):
        OcrSettings(seal_look_number_share=1.5)


def test_only_a_number_columns_sealed_cells_get_the_seal_look(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 4-row table: STT, label, two number columns; a seal over rows 2-3 of every column and
    over the whole of column 3 (no cell of it read clear of the seal: no evidence, no look).  The
    STT column is a number column but the grid's first: never looked at (an STT or a roman "II"
    read anew under the seal re-keys the rows)."""
    cells = tuple(_cell(r, c) for r in range(4) for c in range(4))
    sealed = tuple((c.row, c.col) for c in cells if c.row >= 2 or c.col == 3)
    grid = TableGrid(
        box=PixelBox(0, 0, 400, 160),
        row_edges=(0, 40, 80, 120, 160),
        col_edges=(0, 100, 200, 300, 400),
        cells=cells,
        under_seal=sealed,
    )
    kind_of = {0: CellKind.NUMBER, 1: CellKind.TEXT, 2: CellKind.NUMBER, 3: CellKind.NUMBER}
    calls: list[tuple[int, int, bool]] = []

    def fake_read_cell(gray, dpi, cell, line_mask, engine, settings, *, bilevel=False, under_seal=False):  # type: ignore[no-untyped-def]
        calls.append((cell.row, cell.col, under_seal))
        return _read(cell, kind_of[cell.col])

    monkeypatch.setattr(reader, "read_cell", fake_read_cell)
    blank = np.full((160, 400), 255, np.uint8)
    page = PreparedPage(gray=blank, binary=blank, dpi=200.0)
    settings = OcrSettings(number_run_look=True, seal_look_gains=[0.75, 0.85])
    out = read_table(
        page,
        grid,
        np.zeros((160, 400), np.uint8),
        ScriptedEngine([("", 0.0)]),
        settings,
        page_index=0,
        table_index=0,
    )

    assert [(r.cell.row, r.cell.col) for r in out.cells] == [(c.row, c.col) for c in cells]  # grid order
    first_sealed = next(i for i, (r, c, _) in enumerate(calls) if (r, c) in sealed)
    assert all((r, c) in sealed for r, c, _ in calls[first_sealed:])  # the clear cells first
    looked = {(r, c) for r, c, seal in calls if seal}
    # the number column's; not the STT (the index: read anew it re-keys the rows, digits23), not
    # the labels, not column 3
    assert looked == {(2, 2), (3, 2)}
