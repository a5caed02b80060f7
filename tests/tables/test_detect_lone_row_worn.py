"""A table's last row printed alone at the top of a page, above the next form's title, on a worn
scan or a fax: its rules are dashed (no piece 60 mm long) and its end columns' rules broke, so
the grid of the row loses them.  Dev split: 14B's total row on dev 37 (hard, 300 dpi) and dev 33
(fax), 4B's last row on dev 4 (hard, 200 dpi) were lost with their numbers.  The row is found
and read with tesseract; a page whose band above the table holds only text keeps its one table.
"""

from __future__ import annotations

import numpy as np
import pytest
from table_pages import TableSpec, blank, draw_table, draw_text, pt_to_px, text_block

from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables, long_rules

WIDTHS_MM = [10.5, 61.1, 22.0, 22.0, 24.7, 22.7, 24.5, 48.1]
ROW = ("5", "Xã Hiền Quan", "137", "100", "37", "12", "8", "")


def _px(mm: float, dpi: float) -> int:
    return round(mm * dpi / 25.4)


def _dash(img: np.ndarray, y: int, x0: int, x1: int, dpi: float, thickness: int) -> None:
    """White gaps of 2.5 mm every 18 mm across the rule at ``y`` (a worn or faxed rule)."""
    x = x0 + _px(9, dpi)
    while x < x1:
        img[y - thickness : y + thickness + 1, x : x + _px(2.5, dpi)] = 255
        x += _px(18, dpi)


def _page(dpi: float, lone_row: bool, lose_end: bool) -> np.ndarray:
    """A landscape page: (optionally) one worn ruled row at 15 mm — dashed rules, and with
    ``lose_end`` its bottom rule and lower verticals gone under the last two columns — then a
    title and a clean ruled table of four rows at 60 mm."""
    img = blank(_px(297, dpi), _px(210, dpi))
    xs = [_px(20, dpi)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + _px(w, dpi))
    size = pt_to_px(12, dpi)
    thickness = max(2, round(dpi / 150))
    if lone_row:
        y0, y1 = _px(15, dpi), _px(15, dpi) + _px(9, dpi)
        img = draw_table(img, TableSpec(xs, [y0, y1], thickness=thickness))
        for col, text in enumerate(ROW):
            if text:
                img = draw_text(img, xs[col] + _px(1.5, dpi), y0 + _px(2, dpi), text, size)
        for y in (y0, y1):
            _dash(img, y, xs[0], xs[-1], dpi, thickness)
        if lose_end:
            img[y1 - thickness : y1 + thickness + 1, xs[-3] - thickness :] = 255
            img[(y0 + y1) // 2 : y1 + thickness + 1, xs[-3] + thickness + 1 :] = 255
            img[(y0 + y1) // 2 : y1 + thickness + 1, xs[-2] - thickness : xs[-2] + thickness + 1] = 255
    img = text_block(img, _px(60, dpi), _px(35, dpi), _px(170, dpi), 2, size, seed=5)  # next title
    ys = [_px(60, dpi) + i * _px(8, dpi) for i in range(5)]
    img = draw_table(img, TableSpec(xs, ys, thickness=thickness))
    for r in range(4):
        img = draw_text(img, xs[1] + _px(1.5, dpi), ys[r] + _px(1.5, dpi), f"Phòng số {r + 1}", size)
        img = draw_text(img, xs[2] + _px(1.5, dpi), ys[r] + _px(1.5, dpi), str(10 + r), size)
    return img


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_a_worn_lone_row_with_dashed_rules_is_found_and_read(dpi: float) -> None:
    page = prepare_page(_page(dpi, lone_row=True, lose_end=False), dpi)
    found = detect_tables(page)
    # the blank last cell's dashed rules may not close it: the printed values are all there
    assert [g.n_rows for g in found.grids] == [1, 4] and found.grids[0].n_cols >= 7
    table = read_table(
        page,
        found.grids[0],
        found.line_mask,
        get_engine(OcrSettings()),
        OcrSettings(),
        page_index=0,
        table_index=0,
    )
    assert table.matrix()[0][:7] == list(ROW[:7])


@pytest.mark.parametrize("dpi", [300, 200])
def test_a_lone_row_whose_end_columns_broke_is_kept_with_its_numbers(dpi: float) -> None:
    """The row's grid stops before its last two columns (their bottom rule is gone), so it is
    narrower than 70% of the page; the long rule along its top says how wide its table is."""
    page = prepare_page(_page(dpi, lone_row=True, lose_end=True), dpi)
    found = detect_tables(page)
    assert len(found.grids) == 2 and found.grids[0].n_rows == 1
    lone = found.grids[0]
    assert lone.box.width < TableSettings().one_row_min_width * page.binary.shape[1]
    table = read_table(
        page, lone, found.line_mask, get_engine(OcrSettings()), OcrSettings(), page_index=0, table_index=0
    )
    assert table.matrix()[0][:6] == list(ROW[:6])


def test_dashed_rules_count_as_long_rules_and_text_does_not() -> None:
    dpi = 200
    worn = prepare_page(_page(dpi, lone_row=True, lose_end=False), dpi)
    band = worn.binary[: _px(30, dpi)]
    rules = long_rules(_band(worn, band.shape[0]), TableSettings())
    assert len(rules) == 2
    assert all(r.width >= 0.9 * _px(sum(WIDTHS_MM), dpi) for r in rules)
    text_only = prepare_page(_page(dpi, lone_row=False, lose_end=False), dpi)
    assert long_rules(_band(text_only, _px(55, dpi)), TableSettings()) == []


def test_without_the_row_the_page_keeps_its_one_table() -> None:
    found = detect_tables(prepare_page(_page(200, lone_row=False, lose_end=False), 200))
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(4, 8)]


def _band(page, end: int):  # type: ignore[no-untyped-def]
    from extract.tables.detect import _rows_above

    return _rows_above(page, end)
