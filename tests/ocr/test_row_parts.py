"""A number cell the grid closed over two rows is parted by its lines (extract.ocr.reader.part_rows).

On the dev hard 200-dpi scans a horizontal rule lost between two 4B rows left one grid cell over
both in each number column: read "10 19" and "7 5", one unusable value under the upper row
(flagged) and a flagged place-holder under the lower one -- both printed numbers lost.  Each line
now becomes the cell of the grid row it is printed in, at most ``ocr.row_part_confidence`` sure
(flagged unless a rule bears it out).  A cell of one line becomes the cell of the row it is printed
in: "6" printed in the lower row stood under the upper one (dev-new16: 55 numbers given to printed-
empty cells, flagged "its cell also covers row ...", the lower row's number counted missing)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from ocr_synth import MILD, mm, render_table

from extract.config import load_config
from extract.model import Candidate, CellKind, CellRead, GridCell, PixelBox, ReadTable, TableGrid, TextWord
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import part_rows, read_table

ROWS = [
    ["Lĩnh vực tư pháp", "12", "9", "3", "5"],
    ["Lĩnh vực xây dựng", "10", "7", "2", ""],
    ["Lĩnh vực khiếu nại", "19", "5", "", "6"],
    ["Lĩnh vực giao dịch", "16", "3", "4", "8"],
]
CAP = 75.0


def _lost_rule(dpi: int, engine: OcrEngine, settings: OcrSettings) -> ReadTable:
    """ROWS read with the rule between rows 1 and 2 erased under the number columns, whose grid
    cells there span both rows (the label column keeps its rule and its two cells)."""
    table = render_table(ROWS, dpi, noise=MILD, col_mm=[45, 22, 22, 22, 22], row_mm=9.0, seed=5)
    xs, ys = table.grid.col_edges, table.grid.row_edges
    gray, mask = table.page.gray.copy(), table.line_mask.copy()
    rule = mm(0.6, dpi)
    paper = int(np.median(gray))
    gray[ys[2] - rule : ys[2] + rule + 1, xs[1] + rule : xs[-1] - rule] = paper
    mask[ys[2] - rule : ys[2] + rule + 1, xs[1] : xs[-1]] = 0
    cells = [GridCell(r, 0, 1, 1, PixelBox(xs[0], ys[r], xs[1], ys[r + 1])) for r in range(4)]
    for c in range(1, 5):
        cells.append(GridCell(0, c, 1, 1, PixelBox(xs[c], ys[0], xs[c + 1], ys[1])))
        cells.append(GridCell(1, c, 2, 1, PixelBox(xs[c], ys[1], xs[c + 1], ys[3])))
        cells.append(GridCell(3, c, 1, 1, PixelBox(xs[c], ys[3], xs[c + 1], ys[4])))
    grid = TableGrid(box=table.grid.box, row_edges=ys, col_edges=xs, cells=tuple(cells))
    page = type(table.page)(gray=gray, binary=table.page.binary, dpi=table.page.dpi)
    return read_table(page, grid, mask, engine, settings, page_index=0, table_index=0)


@pytest.mark.parametrize("dpi", [200, 300])
def test_two_lines_over_a_lost_rule_become_the_cells_of_their_rows(dpi: int, engine: OcrEngine) -> None:
    read = _lost_rule(dpi, engine, OcrSettings(row_part_confidence=CAP))
    for c in (1, 2):  # "10 / 19", "7 / 5": one number per line
        top, bottom = read.cell_at(1, c), read.cell_at(2, c)
        assert top is not None and bottom is not None and top is not bottom
        assert (top.text, bottom.text) == (ROWS[1][c], ROWS[2][c])
        for part, row in ((top, 1), (bottom, 2)):
            assert part.kind is CellKind.NUMBER and part.confidence <= CAP
            assert (part.cell.row, part.cell.row_span, part.cell.col_span) == (row, 1, 1)
            assert (
                read.grid.row_edges[row]
                <= part.cell.box.y0
                < part.cell.box.y1
                <= read.grid.row_edges[row + 1]
            )
            assert any(" " in cand.text for cand in part.candidates)  # the whole cell's readings
    # one line over two rows, printed in the lower: the cell of that row ("6"), the upper has no
    # cell (its place-holder is the validation's); printed in the upper ("2"): the cell stays
    # whole (it stands there already; an STT printed once beside its sub-rows looks the same)
    part = read.cell_at(2, 4)
    assert part is not None and read.cell_at(1, 4) is None
    assert (part.text, part.cell.row, part.cell.row_span) == (ROWS[2][4], 2, 1)
    assert part.confidence <= CAP
    whole = read.cell_at(1, 3)
    assert whole is not None and whole is read.cell_at(2, 3) and whole.text == "2"
    # cells of one row are read as before
    for r in (0, 3):
        assert [read.cell_at(r, c).text for c in (1, 2, 3, 4)] == ROWS[r][1:]  # type: ignore[union-attr]


def test_the_setting_off_leaves_the_cell_whole(engine: OcrEngine) -> None:
    read = _lost_rule(200, engine, OcrSettings(row_part_confidence=None))
    cell = read.cell_at(1, 1)
    assert cell is not None and cell is read.cell_at(2, 1) and cell.cell.row_span == 2
    assert cell.text.split() == ["10", "19"]


def _spanning(words: list[tuple[str, int]], text: str = "10 19") -> CellRead:
    box = PixelBox(100, 100, 200, 300)
    return CellRead(
        cell=GridCell(2, 2, 2, 1, box),
        text=text,
        confidence=96.0,
        kind=CellKind.NUMBER,
        candidates=(Candidate(text, 96.0, "number"),),
        words=tuple(TextWord(t, PixelBox(150, y, 190, y + 20), 96.0) for t, y in words),
    )


def test_part_rows_policy() -> None:
    edges = (0, 50, 100, 200, 300, 400)  # rows 2 and 3 span [100, 200) and [200, 300)
    settings = OcrSettings(row_part_confidence=CAP)
    top, bottom = part_rows(_spanning([("10", 140), ("19", 240)]), edges, settings)
    assert (top.cell.row, top.text, top.confidence) == (2, "10", CAP)
    assert (bottom.cell.row, bottom.text, bottom.cell.box) == (3, "19", PixelBox(100, 200, 200, 300))
    # two lines in one row, a line outside the span, no words: the cell as it was
    for words in ([("10", 110), ("19", 150)], [("10", 140), ("19", 320)], []):
        cell = _spanning(words)
        assert part_rows(cell, edges, settings) == (cell,)
    # one line: the cell of the lower row it lies wholly in; over a row's edge, in the span's
    # first row, or placed over the whole cell (its line not found): as it was
    (low,) = part_rows(_spanning([("19", 240)], "19"), edges, settings)
    assert (low.cell.row, low.cell.row_span, low.text, low.confidence) == (3, 1, "19", CAP)
    assert low.cell.box == PixelBox(100, 200, 200, 300)
    for cell in (
        _spanning([("19", 190)], "19"),
        _spanning([("19", 290)], "19"),
        _spanning([("10", 140)], "10"),
    ):
        assert part_rows(cell, edges, settings) == (cell,)
    # a cell over two columns too (dev_380 hard 300, 4B: "4" printed in the lower row of a cell
    # over two rows and two columns): its row's cell over both columns (parted by its words later)
    wide = _spanning([("4", 240)], "4")
    wide = replace(wide, cell=replace(wide.cell, col_span=2))
    (low,) = part_rows(wide, edges, settings)
    assert (low.cell.row, low.cell.row_span, low.cell.col_span, low.text) == (3, 1, 2, "4")
    whole = replace(_spanning([], "19"), words=(TextWord("19", PixelBox(150, 100, 190, 300), 96.0),))
    assert part_rows(whole, edges, settings) == (whole,)
    # a cell from the grid's first row (a header cell: dev_1292 hard 200, 7B's "STT" over two
    # header rows read "1" at 0 made the lower header row a body row "1"), or read at 0: as it was
    top = _spanning([("1", 10)], "1")
    top = replace(top, cell=replace(top.cell, row=0, box=PixelBox(100, 0, 200, 100)))
    unread = replace(_spanning([("19", 240)], "19"), confidence=0.0)
    for cell in (top, unread):
        assert part_rows(cell, edges, settings) == (cell,)
    # a cell of one row, or the setting off
    one = _spanning([("10", 140), ("19", 240)])
    assert part_rows(one, edges, OcrSettings(row_part_confidence=None)) == (one,)
    assert load_config().ocr.row_part_confidence == CAP
