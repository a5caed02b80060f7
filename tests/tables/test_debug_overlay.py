"""The review app's page overlay draws grids and flagged cells over a copy of the page."""

from __future__ import annotations

import numpy as np

from extract.debug_overlay import CELL_BGR, FLAG_BGR, TABLE_BGR, draw_overlay
from extract.model import GridCell, PixelBox, TableGrid


def _grid() -> TableGrid:
    rows, cols = (20, 60, 100), (20, 120, 220)
    cells = (
        GridCell(0, 0, 1, 2, PixelBox(20, 20, 220, 60)),
        GridCell(1, 0, 1, 1, PixelBox(20, 60, 120, 100)),
        GridCell(1, 1, 1, 1, PixelBox(120, 60, 220, 100)),
    )
    return TableGrid(PixelBox(20, 20, 220, 100), rows, cols, cells)


def test_overlay_is_a_bgr_copy_with_the_grid_drawn():
    gray = np.full((140, 260), 200, np.uint8)
    before = gray.copy()
    out = draw_overlay(gray, [_grid()])
    assert np.array_equal(gray, before)
    assert out.shape == (140, 260, 3) and out.dtype == np.uint8
    assert tuple(out[80, 120]) == CELL_BGR  # the inner vertical rule of the body row
    assert tuple(out[20, 70]) == TABLE_BGR  # the table's top border
    assert tuple(out[130, 130]) == (200, 200, 200)  # outside: untouched
    # the merged header cell is tinted, a plain cell is not
    assert tuple(out[40, 70]) != (200, 200, 200)
    assert tuple(out[80, 70]) == (200, 200, 200)


def test_flagged_cells_turn_red():
    gray = np.full((140, 260), 200, np.uint8)
    flagged = PixelBox(120, 60, 220, 100)
    out = draw_overlay(gray, [_grid()], flagged_boxes=[flagged])
    b, g, r = (int(v) for v in out[80, 170])
    assert r > g + 30 and r > b + 30
    assert tuple(out[60, 170]) == FLAG_BGR  # its outline
    plain = draw_overlay(gray, [_grid()])
    assert tuple(plain[80, 170]) == (200, 200, 200)  # not flagged: untouched
    assert np.array_equal(out[:55], plain[:55])  # nothing drawn elsewhere


def test_overlay_takes_a_colour_page_too():
    bgr = np.zeros((140, 260, 3), np.uint8)
    bgr[..., 2] = 90
    out = draw_overlay(bgr, [])
    assert np.array_equal(out, bgr) and out is not bgr
