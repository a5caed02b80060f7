"""A table's last row printed alone at the top of a page whose next form's table starts below its
title (dev split: 11B's last row above 13B, 1B's above 2B, 4B's above 5B, on clean scans) is
found as a one-row table above the other, read with tesseract; a page without such a row keeps
its one table."""

from __future__ import annotations

import pytest
from table_pages import TableSpec, blank, draw_table, draw_text, pt_to_px, text_block

from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import detect_tables

WIDTHS_MM = [10.5, 61.1, 22.0, 22.0, 24.7, 22.7, 24.5, 48.1]
ROW = ("5", "Xã Hiền Quan", "137", "100", "37", "12", "8", "")


def _page(dpi: float, lone_row: bool) -> tuple:
    """A landscape page: (optionally) one ruled row at 15 mm, then a title and a ruled table of
    four rows at 60 mm."""

    def px(mm: float) -> int:
        return round(mm * dpi / 25.4)

    img = blank(px(297), px(210))
    xs = [px(20)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + px(w))
    size = pt_to_px(12, dpi)
    thickness = max(2, round(dpi / 150))
    if lone_row:
        y0 = px(15)
        row = TableSpec(xs, [y0, y0 + px(7)], thickness=thickness)
        img = draw_table(img, row)
        for col, text in enumerate(ROW):
            if text:
                img = draw_text(img, xs[col] + px(1.5), y0 + px(1.2), text, size)
    img = text_block(img, px(60), px(35), px(170), 2, size, seed=5)  # the next form's title
    ys = [px(60) + i * px(8) for i in range(5)]
    img = draw_table(img, TableSpec(xs, ys, thickness=thickness))
    for r in range(4):
        img = draw_text(img, xs[1] + px(1.5), ys[r] + px(1.5), f"Phòng số {r + 1}", size)
        img = draw_text(img, xs[2] + px(1.5), ys[r] + px(1.5), str(10 + r), size)
    return img


@pytest.mark.parametrize("dpi", [300, 200])
def test_a_lone_row_above_the_next_forms_table_is_found_and_read(dpi: float) -> None:
    page = prepare_page(_page(dpi, lone_row=True), dpi)
    found = detect_tables(page)
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(1, 8), (4, 8)]
    engine = get_engine(OcrSettings())
    table = read_table(
        page, found.grids[0], found.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )
    assert table.matrix() == [list(ROW)]


def test_without_the_row_the_page_keeps_its_one_table() -> None:
    found = detect_tables(prepare_page(_page(300, lone_row=False), 300))
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(4, 8)]
