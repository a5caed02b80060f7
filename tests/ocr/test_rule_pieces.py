"""A piece of a ruling line inside a cell is no letter (extract.ocr.cells._rule_piece_ids).

On the dev split's hard scans a grid cell placed a few pixels off its printed rule (a rule that
the line mask missed, the grid built from text evidence) held a piece of the vertical rule away
from the crop's edges.  As the tallest "letter" it made the digits beside it marks; they were
painted out and the cell read "|" at 83-94 (or nothing): "40", "28", "48", "7", "12637" lost.
Drawn here in the test and read with real tesseract."""

from __future__ import annotations

import numpy as np
import pytest
from ocr_synth import MILD, mm, render_table

from extract.model import GridCell, PixelBox, TableGrid
from extract.ocr.cells import cut_cell
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import read_table

NUMBERS = [["26", "40"], ["12637", "7"], ["28", "1.736"]]
OFF_MM = 1.5  # the grid's left edge of every cell this far left of the printed rule


def _off_grid(dpi: int):
    """The table, and a grid whose cells reach ``OFF_MM`` left of their printed left rule, with
    no line mask (the detector found no rules to paint out)."""
    table = render_table(NUMBERS, dpi, noise=MILD, col_mm=[30, 30], row_mm=10.0, seed=1)
    shift = mm(OFF_MM, dpi)
    cells = tuple(
        GridCell(c.row, c.col, 1, 1, PixelBox(c.box.x0 - shift, c.box.y0, c.box.x1 - shift, c.box.y1))
        for c in table.grid.cells
    )
    grid = TableGrid(
        box=table.grid.box,
        row_edges=table.grid.row_edges,
        col_edges=tuple(x - shift for x in table.grid.col_edges),
        cells=cells,
    )
    return table, grid, np.zeros_like(table.line_mask)


@pytest.mark.parametrize("dpi", [200, 300])
def test_numbers_beside_a_rule_piece_are_read(dpi: int, engine: OcrEngine) -> None:
    table, grid, no_mask = _off_grid(dpi)
    read = read_table(table.page, grid, no_mask, engine, OcrSettings(), page_index=0, table_index=0)
    got = [[c.text for c in read.cells if c.cell.row == r] for r in range(len(NUMBERS))]
    assert got == NUMBERS


def test_the_piece_is_painted_out_and_the_digits_kept() -> None:
    table, grid, no_mask = _off_grid(300)
    cell = next(c for c in grid.cells if (c.row, c.col) == (1, 0))  # "12637"
    crop, info = cut_cell(table.page.gray, cell.box, no_mask, inset_px=1, dpi=300.0, border_px=10)
    assert info.letters == 5 and info.lines == 1  # five digits; no rule among the letters
    assert info.number_height_px < mm(4.0, 300)  # a digit's height, not the rule's 10 mm
    assert crop.shape[0] < mm(6.0, 300)  # trimmed to the digits


BOLD = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"


@pytest.mark.parametrize("dpi", [200, 300])
def test_joined_bars_of_a_bold_tt_are_no_rule(dpi: int, engine: OcrEngine) -> None:
    """The bars of a bold "TT" join into one horizontal stroke over 6 mm long at 14 pt: a
    horizontal run is a rule's piece only across the cell (the clean 200-dpi "STT" header read
    as nothing, and the table lost its STT column, when any 6 mm run counted)."""
    rows = [["STT", "TỔNG"], ["12", "5.697"]]
    table = render_table(rows, dpi, col_mm=[22, 30], font_pt=14.0, text_font=BOLD)
    read = read_table(
        table.page, table.grid, table.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )
    assert [c.text for c in read.cells] == ["STT", "TỔNG", "12", "5.697"]
