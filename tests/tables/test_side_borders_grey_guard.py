"""Side borders on grey pages, guarded (``tables.side_borders_grey_guarded``).

fax16's side borders (a table's lost left/right border restored from the rules that end on its
rows' line) are kept to fax pages because on grey hard scans they cost rows: on dev 394's 4B
(page 10, hard 300) a border piece kept beside the table merged three rows into one, and dev
380's 6B grid, one pixel wider, read its "I" as "1" and lost its commune rows' places.  They also
find real side columns on grey worn pages (the test split's hard 300: five rows).  On a grey page
the tables are now found both ways and the side borders' kept only where they add cells and
merge none that the tables found without them hold apart (a tie keeps those without)."""

from __future__ import annotations

import os

from test_fax_side_columns import DPI, LABELS, _page

from extract.model import GridCell, PixelBox, TableGrid
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables
from extract.tables.side_guard import adds_without_merging

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _grid(cols: list[int], rows: list[int], merged: tuple[int, int] | None = None) -> TableGrid:
    """A grid of one-slot cells at ``cols`` x ``rows``; ``merged``: (row, col) whose cell spans
    the row below too."""
    cells = []
    for r in range(len(rows) - 1):
        for c in range(len(cols) - 1):
            if merged is not None and (r - 1, c) == merged:
                continue
            span = 2 if (r, c) == merged else 1
            cells.append(GridCell(r, c, span, 1, PixelBox(cols[c], rows[r], cols[c + 1], rows[r + span])))
    return TableGrid(
        box=PixelBox(cols[0], rows[0], cols[-1], rows[-1]),
        row_edges=tuple(rows),
        col_edges=tuple(cols),
        cells=tuple(cells),
    )


ROWS = [100, 150, 200, 250, 300]


def test_a_side_column_added_and_nothing_merged_is_kept() -> None:
    without = [_grid([300, 400, 500, 600], ROWS)]
    assert adds_without_merging(without, [_grid([100, 200, 300, 400, 500, 600], ROWS)])
    assert adds_without_merging(without, [_grid([300, 400, 500, 600], [*ROWS, 350])])  # a last row


def test_rows_merged_are_never_kept_even_with_a_column_added() -> None:
    without = [_grid([300, 400, 500, 600], ROWS)]
    assert not adds_without_merging(without, [_grid([100, 200, 300, 400, 500, 600], ROWS, merged=(1, 3))])
    # two tables of the page joined into one
    two = [_grid([300, 400, 500], ROWS[:3]), _grid([300, 400, 500], ROWS[2:])]
    assert not adds_without_merging(two, [_grid([100, 300, 400, 500], ROWS, merged=(1, 1))])


def test_a_grid_a_pixel_off_with_the_same_cells_is_not_taken() -> None:
    without = [_grid([300, 400, 500, 600], ROWS)]
    assert not adds_without_merging(without, [_grid([299, 400, 500, 601], ROWS)])


def test_a_grey_page_whose_side_columns_lost_their_row_rules_keeps_them() -> None:
    """The drawn page of test_fax_side_columns read grey: its STT and label columns' row rules
    are gone, their vertical rules whole.  Without side borders the grid starts at the first
    value column (main: grey pages had none); guarded, the side borders' grid adds the two
    columns and merges nothing: it is kept."""
    img, xs, _ys = _page()
    page = prepare_page(img, DPI, bilevel=False)
    grid = detect_tables(page).grids[0]
    assert abs(grid.col_edges[0] - xs[0]) <= 3 and len(grid.col_edges) == len(xs), grid.col_edges
    assert grid.n_rows == len(LABELS)
    unguarded = detect_tables(page, TableSettings(side_borders_grey_guarded=False)).grids[0]
    assert unguarded.col_edges[0] > xs[2] - 4
