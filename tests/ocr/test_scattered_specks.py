"""A cell of several lines each holding one small mark is scattered specks, not text: empty, not
OCR'd (QĐ 707 p-021: a 1-bit scan's dust in the empty label cell of a continued row read "+ š",
and joined over the page break into the label above it).  A lone mark of that size on one line
is still read: a small "x" or "1" is printed alone."""

from __future__ import annotations

import numpy as np

from extract.model import CellKind, GridCell, PixelBox
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import _blank, _cut, read_cell

DPI = 200.0  # 1 mm = 7.9 px


def _cell(marks: list[tuple[int, int]], height_px: int) -> tuple[np.ndarray, GridCell]:
    """A 60 x 300 cell (no rules) with a 5 px wide mark ``height_px`` tall at each (y, x)."""
    gray = np.full((60, 300), 255, np.uint8)
    for y, x in marks:
        gray[y : y + height_px, x : x + 5] = 0
    return gray, GridCell(0, 0, 1, 1, PixelBox(0, 0, 300, 60))


def _cell_args(marks: list[tuple[int, int]], height_px: int) -> tuple[np.ndarray, float, GridCell, None]:
    gray, cell = _cell(marks, height_px)
    return gray, DPI, cell, None


def test_scattered_specks_on_two_lines_are_an_empty_cell(engine: OcrEngine, settings: OcrSettings) -> None:
    assert settings.scattered_speck_mm == 1.3
    gray, cell = _cell([(8, 30), (40, 250)], 9)  # 1.14 mm: above min_glyph_height_mm, below 1.3
    read = read_cell(gray, DPI, cell, None, engine, settings, bilevel=True)
    assert (read.kind, read.text) == (CellKind.EMPTY, "")


def test_a_lone_mark_or_taller_marks_are_still_read(engine: OcrEngine, settings: OcrSettings) -> None:
    one_line = _cut(*_cell_args([(20, 30)], 9), engine, settings)
    assert one_line.info.lines == 1 and not _blank(one_line)
    taller = _cut(*_cell_args([(8, 30), (40, 250)], 12), engine, settings)  # 1.5 mm each
    assert taller.info.lines == 2 and not _blank(taller)
    below_floor = _cut(*_cell_args([(8, 30), (40, 250)], 6), engine, settings)  # 0.76 mm: as before
    assert _blank(below_floor)
