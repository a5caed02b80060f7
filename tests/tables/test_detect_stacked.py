"""A table torn across a band of lost rules (a fax's line dropout, a worn scan's band: every rule
broken over 2 mm across the table's width) is one table, read cell by cell; regions that
the joins make overlap are one table, never a table and a copy of its corner; two tables one
above the other whose columns differ, or with a title between them, stay apart."""

from __future__ import annotations

import numpy as np
import pytest
from worn_tables import BODY, FONTS, ROW_MM, draw, mm

from extract.model import PixelBox
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import (
    TableSettings,
    detect_tables,
    join_side_by_side,
    join_stacked,
    joined_regions,
)
from extract.tables.lines import LineMasks, Segment

CASES = [(dpi, font) for dpi in (300, 200, 150) for font in sorted(FONTS)]
IDS = [f"{dpi}dpi-{font}" for dpi, font in CASES]


@pytest.fixture(scope="module")
def engine():
    return get_engine(OcrSettings())


def _banded(dpi: float, font: str, band_mm: float, rule: int = 5) -> np.ndarray:
    """The worn table with a white band ``band_mm`` high across the whole page over horizontal
    rule ``rule`` (between body rows 3 and 4): every vertical rule broken there, the rule gone."""
    img, _rows = draw(dpi, FONTS[font])
    y = mm(15, dpi) + rule * mm(ROW_MM, dpi)
    half = mm(band_mm / 2, dpi)
    img[y - half : y + half + 1, :] = 255
    return img


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_table_torn_across_a_band_of_lost_rules_is_one_table_read_cell_by_cell(dpi, font, engine):
    img = _banded(dpi, font, 2.0)
    page = prepare_page(img, dpi)
    found = detect_tables(page)
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(2 + len(BODY), 6)]
    table = read_table(
        page, found.grids[0], found.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )
    assert table.matrix()[2:] == BODY


def test_without_the_stacked_join_the_band_tears_the_table_in_two():
    """The same page with ``stack_gap_mm`` 0 (and the lost-row join off): two tables (the case
    the join is for)."""
    img = _banded(200, sorted(FONTS)[0], 2.0)
    found = detect_tables(prepare_page(img, 200), TableSettings(stack_gap_mm=0.0, lost_row_pitches=0.0))
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(5, 6), (3, 6)]


def _lines(*columns: tuple[int, int, list[int]]) -> LineMasks:
    empty = np.zeros((10, 10), np.uint8)
    v = tuple(Segment(False, x, y0, y1, 2.0) for y0, y1, xs in columns for x in xs)
    return LineMasks(empty, empty, (), v)


def test_stacked_regions_join_only_when_their_vertical_rules_line_up_and_they_are_close():
    s = TableSettings()
    upper, lower = PixelBox(0, 0, 500, 200), PixelBox(0, 215, 500, 400)  # 15 px = 1.3 mm at 300 dpi
    xs = [0, 60, 200, 300, 400, 500]
    same = _lines((0, 200, xs), (215, 400, xs))
    other = _lines((0, 200, xs), (215, 400, [0, 130, 250, 350, 450, 500]))
    assert join_stacked([upper, lower], same, 300.0, s) == [PixelBox(0, 0, 500, 400)]
    assert join_stacked([upper, lower], other, 300.0, s) == [upper, lower]
    far = PixelBox(0, 300, 500, 480)  # 100 px = 8.5 mm: a title fits between them
    assert join_stacked([upper, far], _lines((0, 200, xs), (300, 480, xs)), 300.0, s) == [upper, far]


def test_regions_that_the_side_join_makes_overlap_are_merged_into_one():
    """A region joined with its torn right half covers a small region inside it (a few rules of
    the right half that did not touch the rest): one table, not a table and a copy of a corner."""
    empty = np.zeros((10, 10), np.uint8)
    rows = [0, 50, 100, 150, 200]
    h = tuple(Segment(True, y, 0, 200, 2.0) for y in rows) + tuple(
        Segment(True, y, 260, 500, 2.0) for y in rows
    )
    v = tuple(Segment(False, x, 0, 200, 2.0) for x in (0, 100, 200, 260, 380, 500))
    lines = LineMasks(empty, empty, h, v)
    regions = [PixelBox(0, 0, 200, 200), PixelBox(260, 0, 500, 200), PixelBox(300, 110, 340, 160)]
    assert join_side_by_side(regions, lines, 300.0, TableSettings())[-1] == PixelBox(300, 110, 340, 160)
    assert joined_regions(regions, lines, 300.0, TableSettings()) == [PixelBox(0, 0, 500, 200)]
