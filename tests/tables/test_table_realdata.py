"""Real scans (tests/../realdata): the 17 bilevel table pages of Quyết định 707/QĐ-TTg and the first
pages of nine real documents.  No cell-level ground truth ships with them; what is asserted is what
a reader sees on every page: one ruled table of exactly six columns (STT / Nội dung hành động /
Hành động cụ thể / Bộ ngành chủ trì / Bộ ngành phối hợp / Thời hạn hoàn thành), and no table on a
prose page."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from extract.preprocess import prepare_page, rotate_quarter
from extract.tables.detect import detect_tables
from tests.repo_data import REALDATA

REAL = REALDATA
TABLE_PAGES = sorted((REAL / "qd_707_table_pages").glob("*.png"))
PROSE_PAGES = sorted((REAL / "pages").glob("*.png"))
DPI = 200.0


def _read(path: Path) -> np.ndarray:
    img = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert img is not None, f"{path}: unreadable"
    return img


def test_the_real_pages_are_there():
    assert len(TABLE_PAGES) == 17 and len(PROSE_PAGES) == 9


@pytest.mark.parametrize("path", TABLE_PAGES, ids=lambda p: p.stem)
def test_each_table_page_has_one_six_column_table(path):
    page = prepare_page(_read(path), DPI)
    found = detect_tables(page)
    assert page.rotation == 0 and abs(page.skew_deg) < 1.0
    assert len(found.grids) == 1
    grid = found.grids[0]
    assert grid.n_cols == 6
    assert grid.n_rows >= 3
    h, w = page.gray.shape
    assert grid.box.width > 0.8 * w and grid.box.height > 0.5 * h
    cover = np.zeros((grid.n_rows, grid.n_cols), int)
    for c in grid.cells:
        cover[c.row : c.row + c.row_span, c.col : c.col + c.col_span] += 1
    assert (cover == 1).all()
    # STT is the narrowest column; the two text columns ("Nội dung hành động", "Hành động cụ thể")
    # are the widest
    widths = np.diff(grid.col_edges)
    assert widths[0] == widths.min() and set(np.argsort(widths)[-2:]) == {1, 2}


def test_first_table_page_header_and_section_row():
    grid = detect_tables(prepare_page(_read(TABLE_PAGES[0]), DPI)).grids[0]
    cells = {(c.row, c.col): (c.row_span, c.col_span) for c in grid.cells}
    assert all(cells[(0, k)] == (1, 1) for k in range(6))  # the six header cells
    assert cells[(1, 0)] == (1, 1) and cells[(1, 1)] == (1, 5)  # "I." | "Hoàn thiện khuôn khổ pháp lý"
    # item 1's STT and "Nội dung hành động" span the four actions beside them, down to the page end
    assert cells[(2, 0)] == (grid.n_rows - 2, 1) and cells[(2, 1)] == (grid.n_rows - 2, 1)


@pytest.mark.parametrize("turn", [90, 270])
def test_a_table_page_scanned_sideways_is_turned_back(turn):
    img = rotate_quarter(_read(TABLE_PAGES[3]), turn)
    page = prepare_page(img, DPI)
    assert page.rotation == (360 - turn) % 360
    grids = detect_tables(page).grids
    assert len(grids) == 1 and grids[0].n_cols == 6


@pytest.mark.parametrize("path", PROSE_PAGES, ids=lambda p: p.stem)
def test_prose_pages_have_no_table(path):
    page = prepare_page(_read(path), DPI)
    assert page.rotation == 0
    assert detect_tables(page).grids == ()
