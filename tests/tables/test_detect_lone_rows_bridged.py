"""A table's last rows printed alone at the top of the next page, their rules worn into short
dashes with long gaps (3.5 mm of ink, 5.5 mm gaps): no piece is long enough for the line finder,
so the second look for a lone row found no grid and the rows were read as text, their numbers in
no table (dev 65, hard 300 dpi: 9B's last two rows at the top of page 3, a seal over them).  The
long rules that the cheap count finds (gaps bridged) are inked into the band for a third look;
the rows are found and read with tesseract.  A page whose band above its table holds only text
keeps its table."""

from __future__ import annotations

import numpy as np
import pytest
from table_pages import TableSpec, blank, draw_table, draw_text, pt_to_px, text_block

from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables

WIDTHS_MM = [10.5, 81.1, 32.0, 30.0, 40.0]
ROWS = (
    ("-", "Số đơn vị tự bảo đảm một phần", "2", "", "2/65"),
    ("-", "Số đơn vị nhà nước bảo đảm", "58", "", "58/65"),
)


def _px(mm: float, dpi: float) -> int:
    return round(mm * dpi / 25.4)


def _worn(img: np.ndarray, y: int, x0: int, x1: int, dpi: float, thickness: int) -> None:
    """The rule at ``y`` worn into 3.5 mm dashes 9 mm apart (5.5 mm gaps)."""
    x = x0 + _px(3.5, dpi)
    while x < x1:
        img[y - thickness : y + thickness + 1, x : min(x1 + thickness + 1, x + _px(5.5, dpi))] = 255
        x += _px(9, dpi)


def _page(dpi: float, lone_rows: bool, table_below: bool) -> np.ndarray:
    img = blank(_px(210, dpi), _px(297, dpi))
    xs = [_px(20, dpi)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + _px(w, dpi))
    size = pt_to_px(12, dpi)
    thickness = max(2, round(dpi / 150))
    if lone_rows:
        ys = [_px(15, dpi) + i * _px(9, dpi) for i in range(3)]
        img = draw_table(img, TableSpec(xs, ys, thickness=thickness))
        for r, row in enumerate(ROWS):
            for col, text in enumerate(row):
                if text:
                    img = draw_text(img, xs[col] + _px(1.5, dpi), ys[r] + _px(2, dpi), text, size)
        for y in ys:
            _worn(img, y, xs[0], xs[-1], dpi, thickness)
    if table_below:
        img = text_block(img, _px(60, dpi), _px(45, dpi), _px(120, dpi), 2, size, seed=5)  # next title
        ys = [_px(70, dpi) + i * _px(8, dpi) for i in range(5)]
        img = draw_table(img, TableSpec(xs, ys, thickness=thickness))
        for r in range(4):
            img = draw_text(img, xs[1] + _px(1.5, dpi), ys[r] + _px(1.5, dpi), f"Phòng số {r + 1}", size)
            img = draw_text(img, xs[2] + _px(1.5, dpi), ys[r] + _px(1.5, dpi), str(10 + r), size)
    return img


CASES = [(dpi, below) for dpi in (300, 200) for below in (False, True)]


@pytest.mark.parametrize(
    ("dpi", "below"), CASES, ids=[f"{d}dpi-{'table' if b else 'alone'}" for d, b in CASES]
)
def test_lone_rows_with_long_gaps_in_their_rules_are_found_and_read(dpi: float, below: bool) -> None:
    page = prepare_page(_page(dpi, lone_rows=True, table_below=below), dpi)
    found = detect_tables(page)
    assert [g.n_rows for g in found.grids] == ([2, 4] if below else [2])
    lone = found.grids[0]
    assert lone.n_cols == len(WIDTHS_MM)
    table = read_table(
        page, lone, found.line_mask, get_engine(OcrSettings()), OcrSettings(), page_index=0, table_index=0
    )
    matrix = table.matrix()
    assert [row[2] for row in matrix] == ["2", "58"]
    assert [row[4] for row in matrix] == ["2/65", "58/65"]


def test_the_first_looks_alone_find_no_row_there() -> None:
    """What the bridged look is for: with the gaps longer than the bridge nothing is found."""
    dpi = 200
    page = prepare_page(_page(dpi, lone_rows=True, table_below=False), dpi)
    assert detect_tables(page, TableSettings(one_row_bridge_mm=5.0)).grids == ()


def test_without_the_rows_the_page_keeps_its_one_table() -> None:
    found = detect_tables(prepare_page(_page(200, lone_rows=False, table_below=True), 200))
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(4, len(WIDTHS_MM))]
