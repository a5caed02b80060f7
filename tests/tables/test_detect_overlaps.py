"""Grids of one page never overlap: a region's grid reaches out to side columns whose rules broke,
so pieces of one table torn across a band (dev 26, fax, 2B: its left columns in two pieces, its
right column whole) each grew into the whole table or half of it, and the rows of the overlap
came out two or three times (2B read 26 rows where 14 are printed).  Overlapping grids are
replaced by the grid of their union."""

from __future__ import annotations

import numpy as np
from table_pages import TableSpec, blank, draw_table

from extract.model import GridCell, PixelBox, TableGrid
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, faint_ink, without_overlaps
from extract.tables.grid import build_grid
from extract.tables.lines import find_lines

DPI = 200


def _px(mm: float) -> int:
    return round(mm * DPI / 25.4)


def _table() -> tuple[np.ndarray, TableSpec]:
    xs = [_px(20), _px(32), _px(90), _px(115), _px(170)]
    ys = [_px(30) + i * _px(9) for i in range(13)]
    spec = TableSpec(xs, ys, thickness=2)
    return draw_table(blank(_px(210), _px(297)), spec), spec


def _grid_of(page_img: np.ndarray):  # type: ignore[no-untyped-def]
    page = prepare_page(page_img, DPI)
    s = TableSettings()
    lines = find_lines(page.binary, page.dpi, s.lines, faint=faint_ink(page, s.rule_contrast))

    def grid_of(region: PixelBox) -> TableGrid | None:
        return build_grid(lines, region, page.dpi, s.grid)

    return grid_of


def _uniform(xs: list[int], ys: list[int]) -> TableGrid:
    """The grid of one cell per slot between ``xs`` and ``ys`` (a region's grid as built)."""
    cells = tuple(
        GridCell(r, c, 1, 1, PixelBox(xs[c], ys[r], xs[c + 1], ys[r + 1]))
        for r in range(len(ys) - 1)
        for c in range(len(xs) - 1)
    )
    return TableGrid(PixelBox(xs[0], ys[0], xs[-1], ys[-1]), tuple(ys), tuple(xs), cells)


def test_two_overlapping_grids_become_the_grid_of_their_union() -> None:
    img, spec = _table()
    top = _uniform(spec.x_edges, spec.y_edges[:9])
    bottom = _uniform(spec.x_edges, spec.y_edges[4:])
    out = without_overlaps([top, bottom], _grid_of(img))
    assert len(out) == 1
    assert (out[0].n_rows, out[0].n_cols) == (12, 4)
    assert abs(out[0].box.y0 - spec.y_edges[0]) <= 2 and abs(out[0].box.y1 - spec.y_edges[12]) <= 2


def test_when_the_union_gives_no_grid_the_larger_one_is_kept() -> None:
    _img, spec = _table()
    big = _uniform(spec.x_edges, spec.y_edges)
    half = _uniform(spec.x_edges, spec.y_edges[6:])
    assert without_overlaps([half, big], lambda _box: None) == [big]


def test_grids_that_only_touch_or_stand_apart_stay_apart() -> None:
    _img, spec = _table()
    upper = _uniform(spec.x_edges, spec.y_edges[:6])
    touching = _uniform(spec.x_edges, spec.y_edges[5:8])
    lower = _uniform(spec.x_edges, spec.y_edges[9:])

    def never(_box: PixelBox) -> TableGrid | None:
        raise AssertionError("no overlap: nothing to rebuild")

    assert without_overlaps([upper, touching, lower], never) == [upper, touching, lower]
