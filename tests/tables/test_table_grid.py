"""Grid building: tiny exact arrays and properties of the slot merging."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.model import PixelBox
from extract.tables.grid import build_grid, cluster_positions, merge_slots, outer_edges, separators
from extract.tables.lines import LineMasks, Segment, find_lines

DPI = 100.0  # 1 mm = 3.94 px: tiny arrays still hold rules longer than the 15 mm "long" length


def _h(pos: float, start: int, end: int, t: float = 1.0) -> Segment:
    return Segment(True, pos, start, end, t)


def _v(pos: float, start: int, end: int, t: float = 1.0) -> Segment:
    return Segment(False, pos, start, end, t)


def _cells(grid) -> set[tuple[int, int, int, int]]:
    return {(c.row, c.col, c.row_span, c.col_span) for c in grid.cells}


def _draw(shape: tuple[int, int], hs, vs) -> np.ndarray:
    """A binary page (ink 255) with 1-px rules: hs = (y, x0, x1), vs = (x, y0, y1), inclusive."""
    img = np.zeros(shape, np.uint8)
    for y, x0, x1 in hs:
        img[y, x0 : x1 + 1] = 255
    for x, y0, y1 in vs:
        img[y0 : y1 + 1, x] = 255
    return img


# --------------------------------------------------------------------------------------------
# cluster_positions / outer_edges


def test_cluster_positions_groups_within_tolerance_and_weights_by_length():
    segs = [_h(10, 0, 100), _h(12, 0, 300), _h(40, 0, 50), _h(41.4, 0, 50), _h(80, 5, 9)]
    # (10*100 + 12*300) / 400 = 11.5 -> 12 ; (40 + 41.4) / 2 = 40.7 -> 41
    assert cluster_positions(segs, tolerance=3) == [12, 41, 80]


def test_cluster_positions_splits_beyond_tolerance():
    assert cluster_positions([_h(10, 0, 9), _h(14, 0, 9)], tolerance=3) == [10, 14]
    assert cluster_positions([], tolerance=3) == []


def test_outer_edges_restores_a_missing_bottom_border():
    rows = [10, 40, 70]
    verticals = [_v(10, 10, 121), _v(60, 10, 121), _v(110, 10, 121)]  # run on to y = 120
    assert outer_edges(rows, verticals, min_cell=10, fraction=0.34) == [10, 40, 70, 120]


def test_outer_edges_ignores_a_single_overhang_and_short_ones():
    rows = [10, 40, 70]
    one_long = [_v(10, 10, 121), _v(60, 10, 71), _v(110, 10, 71)]
    assert outer_edges(rows, one_long, min_cell=10, fraction=0.34) == rows
    slight = [_v(x, 5, 76) for x in (10, 60, 110)]  # 5 px past each border: within min_cell
    assert outer_edges(rows, slight, min_cell=10, fraction=0.34) == rows


def test_outer_edges_restores_both_sides_when_there_is_no_edge_at_all():
    horizontals = [_h(10, 20, 201), _h(40, 20, 201)]
    assert outer_edges([], horizontals, min_cell=10, fraction=0.34) == [20, 200]


# --------------------------------------------------------------------------------------------
# merge_slots


def test_merge_slots_one_merged_cell_in_a_3x3_grid():
    v_sep = np.ones((3, 2), bool)
    h_sep = np.ones((2, 3), bool)
    v_sep[0, 0] = False  # (0,0) and (0,1) are one cell
    assert merge_slots(v_sep, h_sep) == [
        (0, 0, 1, 2),
        (0, 2, 1, 1),
        (1, 0, 1, 1),
        (1, 1, 1, 1),
        (1, 2, 1, 1),
        (2, 0, 1, 1),
        (2, 1, 1, 1),
        (2, 2, 1, 1),
    ]


def test_merge_slots_makes_an_l_shape_a_rectangle():
    v_sep = np.ones((2, 1), bool)
    h_sep = np.ones((1, 2), bool)
    v_sep[0, 0] = False  # (0,0)-(0,1)
    h_sep[0, 0] = False  # (0,0)-(1,0): an L of three slots -> the whole 2x2 block
    assert merge_slots(v_sep, h_sep) == [(0, 0, 2, 2)]


def test_merge_slots_rejects_tables_that_do_not_fit():
    with pytest.raises(ValueError):
        merge_slots(np.ones((3, 2), bool), np.ones((1, 3), bool))


@st.composite
def _separator_tables(draw):
    nr = draw(st.integers(1, 6))
    nc = draw(st.integers(1, 6))
    v = draw(st.lists(st.booleans(), min_size=nr * (nc - 1), max_size=nr * (nc - 1)))
    h = draw(st.lists(st.booleans(), min_size=(nr - 1) * nc, max_size=(nr - 1) * nc))
    return np.array(v, bool).reshape(nr, nc - 1), np.array(h, bool).reshape(nr - 1, nc)


@settings(max_examples=300, deadline=None)
@given(_separator_tables())
def test_merge_slots_tiles_the_grid_exactly_and_respects_missing_rules(tables):
    v_sep, h_sep = tables
    nr, nc = v_sep.shape[0], h_sep.shape[1]
    cells = merge_slots(v_sep, h_sep)
    owner = -np.ones((nr, nc), int)
    for k, (r, c, rs, cs) in enumerate(cells):
        assert rs >= 1 and cs >= 1 and r + rs <= nr and c + cs <= nc
        assert (owner[r : r + rs, c : c + cs] == -1).all(), "two cells cover one slot"
        owner[r : r + rs, c : c + cs] = k
    assert (owner >= 0).all(), "a slot is not covered"
    # slots with no rule between them are never split apart
    for r in range(nr):
        for c in range(nc - 1):
            if not v_sep[r, c]:
                assert owner[r, c] == owner[r, c + 1]
    for r in range(nr - 1):
        for c in range(nc):
            if not h_sep[r, c]:
                assert owner[r, c] == owner[r + 1, c]
    # with every rule printed, every slot is its own cell
    if v_sep.all() and h_sep.all():
        assert len(cells) == nr * nc


# --------------------------------------------------------------------------------------------
# separators and build_grid on tiny pages


ROWS = (10, 40, 70, 95)
COLS = (10, 60, 110, 150)


def _three_by_three(merge_top_left: bool = True, missing_bottom: bool = False) -> np.ndarray:
    hs = [(y, COLS[0], COLS[-1]) for y in ROWS if not (missing_bottom and y == ROWS[-1])]
    vs = []
    for x in COLS:
        if merge_top_left and x == COLS[1]:
            vs.append((x, ROWS[1], ROWS[-1]))  # no rule between (0,0) and (0,1)
        else:
            vs.append((x, ROWS[0], ROWS[-1]))
    return _draw((110, 170), hs, vs)


def test_separators_see_the_missing_rule():
    binary = _three_by_three()
    lines = find_lines(binary, DPI)
    v_sep, h_sep = separators(lines, ROWS, COLS, tol=2, coverage=0.5)
    expected_v = np.ones((3, 2), bool)
    expected_v[0, 0] = False
    assert (v_sep == expected_v).all()
    assert h_sep.all()


def test_build_grid_3x3_with_one_merged_cell_is_exact():
    lines = find_lines(_three_by_three(), DPI)
    grid = build_grid(lines, PixelBox(0, 0, 170, 110), DPI)
    assert grid is not None
    assert grid.row_edges == ROWS
    assert grid.col_edges == COLS
    assert grid.box == PixelBox(10, 10, 150, 95)
    assert _cells(grid) == {(0, 0, 1, 2), (0, 2, 1, 1)} | {(r, c, 1, 1) for r in (1, 2) for c in (0, 1, 2)}
    merged = next(c for c in grid.cells if c.col_span == 2)
    assert merged.box == PixelBox(10, 10, 110, 40)


def test_build_grid_restores_a_missing_bottom_border():
    # the short rule under the merged cell stops where the other verticals stop: no bottom rule
    lines = find_lines(_three_by_three(missing_bottom=True), DPI)
    grid = build_grid(lines, PixelBox(0, 0, 170, 110), DPI)
    assert grid is not None
    assert grid.row_edges == ROWS  # the bottom edge comes from where the verticals stop
    assert grid.n_rows == 3 and grid.n_cols == 3
    assert len(grid.cells) == 8


def test_build_grid_needs_two_edges_each_way():
    lines = find_lines(_draw((60, 170), [(20, 10, 150)], []), DPI)
    assert build_grid(lines, PixelBox(0, 0, 170, 60), DPI) is None


def test_build_grid_only_uses_rules_inside_the_region():
    binary = _three_by_three(merge_top_left=False)
    lines = find_lines(binary, DPI)
    extra = LineMasks(
        lines.horizontal, lines.vertical, lines.h_segments + (_h(300, 0, 170),), lines.v_segments
    )
    grid = build_grid(extra, PixelBox(0, 0, 170, 110), DPI)
    assert grid is not None and grid.row_edges == ROWS and len(grid.cells) == 9
