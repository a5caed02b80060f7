"""A side column whose vertical rules broke on a worn scan ("STT" left of the labels): its row
rules are pieces apart from the table's region, so the grid built from the region alone lost the
column and every label moved one column to the left (dev document 2, form 4B; dev 23, form 10B).
Read with real OpenCV and tesseract, the column comes back from the rule pieces at the table's
row heights with text between them; rule pieces without text beside a table stay out."""

from __future__ import annotations

import os

import numpy as np
import pytest
from worn_tables import BODY, COL_MM, FONTS, ROW_MM, Wear, draw, mm

from extract.model import PixelBox
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables
from extract.tables.grid import GridSettings, outer_edges, widen_sides
from extract.tables.lines import Segment

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

CASES = [(dpi, font) for dpi in (300, 200) for font in sorted(FONTS)]
IDS = [f"{dpi}dpi-{font}" for dpi, font in CASES]
# the left border is gone over the whole height
SIDE_RULES_GONE = Wear(gone_v=((0, 0, 7),))


@pytest.fixture(scope="module")
def engine():
    return get_engine(OcrSettings())


def _worn_page(dpi: float, font: str, gap_mm: float) -> np.ndarray:
    """The commune table with its STT column cut off: the left border gone and every row rule
    broken by a ``gap_mm`` gap starting 3 mm right of the rule between STT and the labels (the
    STT column's rules are then a piece of the page too small to be a table)."""
    img, _ = draw(dpi, FONTS[font], SIDE_RULES_GONE)
    img = img.copy()
    margin = mm(15, dpi)
    x_label = margin + mm(COL_MM[0], dpi)
    rows = 2 + len(BODY)
    half = max(2, mm(0.4, dpi))
    for r in range(rows + 1):
        y = margin + r * mm(ROW_MM, dpi)
        img[y - half : y + half + 1, x_label + mm(3.0, dpi) : x_label + mm(3.0 + gap_mm, dpi)] = 255
    return img


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_side_column_cut_off_by_broken_rules_is_read_with_its_labels(dpi, font, engine):
    page = prepare_page(_worn_page(dpi, font, 8.0), dpi)
    found = detect_tables(page)
    assert len(found.grids) == 1
    grid = found.grids[0]
    assert grid.n_cols == 6 and grid.n_rows == 2 + len(BODY)
    table = read_table(page, grid, found.line_mask, engine, OcrSettings(), page_index=0, table_index=0)
    body = table.matrix()[2:]
    assert [row[0] for row in body] == [row[0] for row in BODY]  # the STT in its own column
    assert [row[1] for row in body] == [row[1] for row in BODY]  # the labels in theirs
    assert body == BODY


def test_without_widening_the_same_page_loses_the_column():
    """The page above is hard: the table's region alone gives five columns, labels first."""
    dpi = 300
    page = prepare_page(_worn_page(dpi, sorted(FONTS)[0], 8.0), dpi)
    narrow = TableSettings(grid=GridSettings(side_reach_mm=0.0))
    assert detect_tables(page, narrow).grids[0].n_cols == 5


def _h(pos: float, start: int, end: int) -> Segment:
    return Segment(horizontal=True, pos=pos, start=start, end=end, thickness=3.0)


REGION = PixelBox(100, 10, 500, 130)
ROWS = [_h(y, 100, 500) for y in (10, 40, 70, 100, 130)]


def test_widen_sides_takes_in_rule_pieces_at_the_row_heights():
    pieces = [_h(y, 20, 90) for y in (10, 40, 70, 100)]
    assert widen_sides(REGION, ROWS + pieces, 3, 60, 0.34) == PixelBox(20, 10, 500, 130)
    right = [_h(y, 510, 580) for y in (40, 70)]
    assert widen_sides(REGION, ROWS + right, 3, 60, 0.34) == PixelBox(100, 10, 580, 130)


def test_widen_sides_needs_row_heights_reach_and_text():
    one = [_h(40, 20, 90)]  # a single piece: an underline, not a column
    assert widen_sides(REGION, ROWS + one, 3, 60, 0.34) == REGION
    off_rows = [_h(y, 20, 90) for y in (25, 55, 85)]  # pieces between the table's row lines
    assert widen_sides(REGION, ROWS + off_rows, 3, 60, 0.34) == REGION
    far = [_h(y, 0, 20) for y in (10, 40, 70, 100)]  # 80 px away, beyond the reach
    assert widen_sides(REGION, ROWS + far, 3, 60, 0.34) == REGION
    pieces = [_h(y, 20, 90) for y in (10, 40, 70, 100)]
    assert widen_sides(REGION, ROWS + pieces, 3, 60, 0.34, lambda _a, _b: False) == REGION


def test_outer_edges_counts_a_broken_rule_once():
    """Three row lines, one broken into four pieces: one line of three reaches past the first
    column edge, not four segments of seven."""
    cols = [100, 200, 300]
    broken = [_h(10, 100, 150), _h(10, 160, 210), _h(10, 220, 260), _h(10, 270, 300)]
    lines = [*broken, _h(40, 20, 300), _h(70, 20, 300)]
    assert outer_edges(cols, lines, 10, 0.34, 3) == [20, 100, 200, 300]
    assert outer_edges(cols, lines, 10, 0.7, 3) == cols  # two lines of three: below 0.7


# "STT" merged down over the column-number row: a header of two rows above the body
STT_OVER_TWO_ROWS = Wear(gone_h=((1, 0, 0),))
# column "Kỳ trước" holds one- and two-digit counts, right-aligned: a wide blank band down its left
SHORT_COUNTS = [[*row[:3], str(k + 2), *row[4:]] for k, row in enumerate(BODY)]


def _sealed_page(dpi: float, font: str) -> np.ndarray:
    """The commune table with a piece of a seal (a small ring of its border, 2.4 mm) in the
    column-number row at the right of "(4)" (column "Kỳ trước"), over the blank band left of the
    column's counts."""
    from PIL import Image, ImageDraw

    img, _ = draw(dpi, FONTS[font], STT_OVER_TWO_ROWS, body=SHORT_COUNTS, size_pt=10.0)
    page = Image.fromarray(img)
    pen = ImageDraw.Draw(page)
    margin = mm(15, dpi)
    x_col = margin + mm(sum(COL_MM[:3]), dpi)
    y_numbers = margin + mm(1.5 * ROW_MM, dpi)
    r = mm(1.2, dpi)
    cx = x_col + mm(18.5, dpi) + r
    box = [cx - r, y_numbers - r, cx + r, y_numbers + r]
    pen.ellipse(box, outline=90, width=max(2, mm(0.3, dpi)))
    return np.asarray(page, dtype=np.uint8).copy()


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_seal_over_the_column_numbers_cuts_no_column(dpi, font, engine):
    page = prepare_page(_sealed_page(dpi, font), dpi)
    found = detect_tables(page)
    assert len(found.grids) == 1
    grid = found.grids[0]
    assert grid.n_cols == 6
    table = read_table(page, grid, found.line_mask, engine, OcrSettings(), page_index=0, table_index=0)
    assert [row[3] for row in table.matrix()[2:]] == [row[3] for row in SHORT_COUNTS]
