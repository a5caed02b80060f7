"""A table's last row printed alone at the top of the next page (10B's total row when its header
grew) is a one-row ruled table: found, with its columns; a ruled box elsewhere still is not."""

from __future__ import annotations

import pytest
from table_pages import TableSpec, blank, draw_table, draw_text, pt_to_px, text_block

from extract.preprocess import prepare_page
from extract.tables.detect import detect_tables


def _lone_row_page(dpi: float, top_mm: float) -> tuple:
    """A landscape page: one ruled row of 12 cells, 6.3 mm high, 262 mm wide, ``top_mm`` from the
    top, holding "Tổng (I) + (II)" and five numbers (a 10B total row), then the signatures."""

    def px(mm: float) -> int:
        return round(mm * dpi / 25.4)

    img = blank(px(297), px(210))
    widths_mm = [10.5, 61.1, 12.0, 12.0, 24.7, 22.7, 14.5, 11.7, 18.5, 14.5, 11.7, 48.1]
    xs = [px(20)]
    for w in widths_mm:
        xs.append(xs[-1] + px(w))
    y0 = px(top_mm)
    spec = TableSpec(xs, [y0, y0 + px(6.3)], thickness=max(2, round(dpi / 150)))
    img = draw_table(img, spec)
    size = pt_to_px(12, dpi)
    for col, text in ((1, "Tổng (I) + (II)"), (2, "8.350"), (3, "7.221"), (4, "753"), (5, "376"), (6, "58")):
        img = draw_text(img, xs[col] + px(1), y0 + px(1.2), text, size, bold=True)
    img = text_block(img, px(180), y0 + px(25), px(90), 3, size, seed=3)  # the signatures' block
    return img, spec


@pytest.mark.parametrize("dpi", [300, 200])
def test_a_lone_row_at_the_top_of_a_page_is_a_one_row_table(dpi: float) -> None:
    img, spec = _lone_row_page(dpi, top_mm=15)
    grids = detect_tables(prepare_page(img, dpi)).grids
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.n_rows, grid.n_cols) == (1, 12)
    tol = 3
    assert all(abs(a - b) <= tol for a, b in zip(grid.col_edges, spec.x_edges, strict=True))
    assert abs(grid.box.y0 - spec.y_edges[0]) <= tol and abs(grid.box.y1 - spec.y_edges[1]) <= tol


def test_the_same_row_in_the_middle_of_a_page_is_not_a_table() -> None:
    img, _spec = _lone_row_page(300, top_mm=110)
    assert detect_tables(prepare_page(img, 300)).grids == ()
