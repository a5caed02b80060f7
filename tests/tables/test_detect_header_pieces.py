"""A table whose header row wore into pieces on a fax: the rules around the sub-header row broke,
so the table fell into three groups of rules: the header's top row, the sub-header row's pieces
(each group's split rule and its verticals: too small to be a table, or a table of one cell) and
the body.  The body came out as a table of no known form under a one-row table that had the
title (dev 54, fax 150 dpi: 7B read as a 1-row 7B of 8 columns and a 23-row table of 19 columns
of no form).  The band between the header's top row and the body, when it holds ruled pieces
whose verticals continue theirs, joins them: one table, read with real OpenCV and tesseract.  Two
tables with a title between them stay apart."""

from __future__ import annotations

import numpy as np
import pytest
from table_pages import blank, draw_text, pt_to_px, text_block

from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables

# STT, label, then three groups of two sub-columns
WIDTHS_MM = [10.0, 48.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0]
BODY = [
    ("1", "Phòng Nội vụ", "12", "3", "40", "7", "5", "18"),
    ("2", "Phòng Tư pháp", "9", "1", "33", "2", "8", "21"),
    ("3", "Xã Tân Minh", "27", "6", "14", "9", "4", "30"),
    ("4", "Xã Đoàn Kết", "15", "2", "26", "5", "7", "11"),
]


def _px(mm: float, dpi: float) -> int:
    return round(mm * dpi / 25.4)


def _hline(img: np.ndarray, y: int, x0: int, x1: int, t: int) -> None:
    img[y - t // 2 : y - t // 2 + t, x0 - t // 2 : x1 + t] = 0


def _vline(img: np.ndarray, x: int, y0: int, y1: int, t: int) -> None:
    img[y0 - t // 2 : y1 + t, x - t // 2 : x - t // 2 + t] = 0


def _page(dpi: float, worn: bool, title_between: bool = False) -> np.ndarray:
    """The table at 20 mm: the header's top row (24 mm; the groups' titles), the sub-header row
    (24 mm) and four body rows (8 mm).  ``worn``: the rules around the sub-header row broke — the
    header's top row ends 2 mm above the groups' split rules, each split rule lost 6 mm at both
    ends and the verticals at its ends, and the sub-header's verticals end 6 mm above the body's
    top rule.  ``title_between``: a title in the band instead of the
    sub-header row's pieces."""
    img = blank(_px(297, dpi), _px(210, dpi))
    t = max(2, round(dpi / 150))
    xs = [_px(15, dpi)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + _px(w, dpi))
    groups = [(2, 4), (4, 6), (6, 8)]
    y0 = _px(20, dpi)
    y1 = y0 + _px(24, dpi)  # the groups' split rules
    gap = _px(6, dpi) if worn else 0
    top_gap = _px(2, dpi) if worn else 0
    y2 = y1 + _px(24, dpi)  # the body's top rule
    size = pt_to_px(11, dpi)
    # the header's top row: top border, the top level's verticals
    _hline(img, y0, xs[0], xs[-1], t)
    for x in (xs[0], xs[1], xs[2], xs[4], xs[6], xs[8]):
        _vline(img, x, y0, y1 - top_gap, t)
    for k, (a, _b) in enumerate(groups):
        img = draw_text(img, xs[a] + _px(3, dpi), y0 + _px(2, dpi), f"Nhóm {k + 1}", size)
    # the sub-header row's pieces: each group's split rule and its verticals
    for a, b in [] if title_between else groups:
        _hline(img, y1, xs[a] + gap, xs[b] - gap, t)
        for x in (xs[a + 1],) if worn else (xs[a], xs[a + 1], xs[b]):
            _vline(img, x, y1, y2 - gap, t)
        img = draw_text(img, xs[a] + _px(2, dpi), y1 + _px(6, dpi), "Tổng", size)
        img = draw_text(img, xs[a + 1] + _px(2, dpi), y1 + _px(6, dpi), "Mới", size)
    if title_between:  # a title in the band, no rule
        img = text_block(img, xs[0], y1 + _px(4, dpi), _px(160, dpi), 2, size, seed=4)
    else:
        for x in xs[:2]:  # STT and the label span both header rows
            _vline(img, x, y1 + gap, y2 - gap, t)
        img = draw_text(img, xs[0] + _px(1, dpi), y1 - _px(2, dpi), "STT", size)
        img = draw_text(img, xs[1] + _px(5, dpi), y1 - _px(2, dpi), "Cơ quan, đơn vị", size)
    # the body: every column
    ys = [y2 + i * _px(8, dpi) for i in range(len(BODY) + 1)]
    for y in ys:
        _hline(img, y, xs[0], xs[-1], t)
    for x in xs:
        _vline(img, x, ys[0], ys[-1], t)
    for r, row in enumerate(BODY):
        for c, text in enumerate(row):
            img = draw_text(img, xs[c] + _px(1.5, dpi), ys[r] + _px(1.5, dpi), text, size)
    return img


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_a_header_row_worn_into_pieces_joins_the_header_and_the_body(dpi: float) -> None:
    page = prepare_page(_page(dpi, worn=True), dpi)
    found = detect_tables(page)
    assert len(found.grids) == 1
    grid = found.grids[0]
    assert grid.n_cols == len(WIDTHS_MM) and grid.n_rows == 2 + len(BODY)
    table = read_table(
        page, grid, found.line_mask, get_engine(OcrSettings()), OcrSettings(), page_index=0, table_index=0
    )
    assert [tuple(row) for row in table.matrix()[2:]] == BODY


def test_without_the_join_the_body_is_a_table_of_its_own() -> None:
    """What the join is for: with ``stack_bridge_mm: 0`` the body comes out apart from its header."""
    page = prepare_page(_page(200, worn=True), 200)
    found = detect_tables(page, TableSettings(stack_bridge_mm=0.0))
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(len(BODY), len(WIDTHS_MM))]


def test_an_unworn_table_is_one_table_as_before() -> None:
    found = detect_tables(prepare_page(_page(200, worn=False), 200))
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(2 + len(BODY), len(WIDTHS_MM))]


def test_a_title_between_two_tables_keeps_them_apart() -> None:
    page = prepare_page(_page(200, worn=True, title_between=True), 200)
    found = detect_tables(page)
    assert [g.n_rows for g in found.grids] == [len(BODY)]  # the header alone is one row: no table
