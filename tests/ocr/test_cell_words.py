"""A number cell read with real tesseract keeps where each of its words is printed
(:attr:`extract.model.CellRead.words`), so that a cell over two printed columns whose rule was
lost ("5.036 2.141" on a dev hard 300-dpi 10B continuation page) is parted at the rule's place
(:func:`extract.tables.column_fit.part_cell`) instead of standing as one column's value."""

from __future__ import annotations

import numpy as np
import pytest
from ocr_synth import MILD, NUMBER_FONT, mm, render_table

from extract.model import GridCell, PixelBox, ReadTable, TableGrid
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import read_table
from extract.tables.column_fit import ColumnFitSettings, part_cell

NOTO = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
ROWS = [["5.036", "2.141"], ["2910", "375"], ["20.726", "1.347"], ["12", "7"]]


def _lost_rule(dpi: int, font: str, engine: OcrEngine) -> tuple[ReadTable, tuple[int, int, int]]:
    """The two-column table read with the rule between its columns erased from the scan, as one
    column (each row one grid cell over both), and the three printed rules' places."""
    table = render_table(ROWS, dpi, noise=MILD, col_mm=[28, 28], row_mm=9.0, number_font=font, seed=3)
    xs = table.grid.col_edges
    gray = table.page.gray.copy()
    rule = mm(0.6, dpi)
    paper = int(np.median(gray))
    y0, y1 = table.grid.row_edges[0] + rule, table.grid.row_edges[-1] - rule
    gray[y0:y1, xs[1] - rule : xs[1] + rule + 1] = paper
    mask = table.line_mask.copy()
    mask[:, xs[1] - rule : xs[1] + rule + 1] = 0
    cells = tuple(
        GridCell(r, 0, 1, 1, PixelBox(xs[0], table.grid.row_edges[r], xs[2], table.grid.row_edges[r + 1]))
        for r in range(len(ROWS))
    )
    grid = TableGrid(
        box=table.grid.box, row_edges=table.grid.row_edges, col_edges=(xs[0], xs[2]), cells=cells
    )
    page = type(table.page)(gray=gray, binary=table.page.binary, dpi=table.page.dpi)
    read = read_table(page, grid, mask, engine, OcrSettings(), page_index=0, table_index=0)
    return read, (xs[0], xs[1], xs[2])


@pytest.mark.parametrize("font", [NUMBER_FONT, NOTO])
@pytest.mark.parametrize("dpi", [200, 300])
def test_two_numbers_of_a_lost_rule_keep_their_places_and_part(
    dpi: int, font: str, engine: OcrEngine
) -> None:
    read, (left, rule, right) = _lost_rule(dpi, font, engine)
    parted = 0
    for cell, (a, b) in zip(read.cells, ROWS, strict=True):
        if cell.text.split() != [a, b]:
            continue  # a misreading is not this test's subject (and leaves the cell whole)
        assert [w.text for w in cell.words] == [a, b]
        first, second = cell.words
        # each word is where it is printed: right-aligned in its own column
        assert left < first.box.x0 < first.box.x1 < rule < second.box.x0 < second.box.x1 < right
        assert rule - first.box.x1 < mm(3, dpi) and right - second.box.x1 < mm(3, dpi)
        parts = part_cell(cell, (left, rule, right), ColumnFitSettings(), dpi)
        assert parts is not None and [p.text for p in parts] == [a, b]
        parted += 1
    assert parted >= 3


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_lone_number_has_one_word_over_its_ink(dpi: int, engine: OcrEngine) -> None:
    table = render_table([["12637", "7"]], dpi, noise=MILD, col_mm=[30, 30], row_mm=10.0, seed=1)
    read = read_table(
        table.page, table.grid, table.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )
    for cell in read.cells:
        assert [w.text for w in cell.words] == [cell.text]
        (word,) = cell.words
        box = cell.cell.box
        assert box.x0 < word.box.x0 < word.box.x1 < box.x1
        # a one-digit word is about a digit wide, the five-digit one five
        assert (word.box.x1 - word.box.x0) < mm(2.5 * len(cell.text) + 0.5, dpi)


def test_a_word_over_the_rules_place_or_a_cell_without_words_is_not_parted() -> None:
    from extract.model import CellKind, CellRead, TextWord

    cell = GridCell(0, 0, 1, 1, PixelBox(0, 0, 600, 80))
    words = (TextWord("5.036", PixelBox(100, 10, 220, 70)), TextWord("2.141", PixelBox(320, 10, 440, 70)))
    read = CellRead(cell, "5.036 2.141", 95.0, CellKind.NUMBER, (), words)
    settings = ColumnFitSettings()
    parts = part_cell(read, (0, 300, 600), settings, 300)
    assert parts is not None
    assert [(p.text, p.kind, p.confidence) for p in parts] == [
        ("5.036", CellKind.NUMBER, settings.part_confidence),
        ("2.141", CellKind.NUMBER, settings.part_confidence),
    ]
    assert [(p.cell.box.x0, p.cell.box.x1) for p in parts] == [(0, 300), (300, 600)]
    # a column with no word read over the lost rule is unread, not a sure blank
    one = CellRead(cell, "5.036", 95.0, CellKind.NUMBER, (), words[:1])
    parts = part_cell(one, (0, 300, 600), settings, 300)
    assert parts is not None
    assert [(p.text, p.kind, p.confidence) for p in parts] == [
        ("5.036", CellKind.NUMBER, settings.part_confidence),
        ("", CellKind.EMPTY, 0.0),
    ]
    # the rule's place inside a word: not parted
    assert part_cell(read, (0, 350, 600), settings, 300) is None
    # text with no placed words: not parted
    assert (
        part_cell(CellRead(cell, "5.036 2.141", 95.0, CellKind.NUMBER), (0, 300, 600), settings, 300) is None
    )
