"""A continuation page's column that the table's first page lost, and whose key the form cannot
say (more continuation columns stand under the first page's column than the form has keys in
that slot), is kept under an ``extra_`` key — and its numbers are flagged: they stand for no
column of the form that anyone can name.  Before, they stood ``read`` (dev hard 200, 4B, three
continuation pages: "6", "0", "4", "7" under ``extra_col16``, numbers on no printed cell, unflagged;
the test split counts 11-33 such numbers per quality)."""

from __future__ import annotations

from dataclasses import replace

from document_builders import read_table
from test_column_slots import LOST
from test_columns_continued import _merged
from test_continuation_form import TITLE_5B, _communes, _page
from test_district_and_trust import HEADER, _numbers

from extract.document import assemble_document
from extract.model import CellKind, CellRead, GridCell, PixelBox, ReadTable


def _split_column(table: ReadTable, col: int) -> ReadTable:
    """``table`` with a spurious rule down the middle of grid column ``col`` (a speck or a fold read
    as a rule): the column's text stays in its right half, its left half is empty."""
    edges = list(table.grid.col_edges)
    mid = (edges[col] + edges[col + 1]) // 2
    new_edges = (*edges[: col + 1], mid, *edges[col + 1 :])
    cells = []
    for cell in table.cells:
        g = cell.cell
        if g.col < col:
            cells.append(cell)
            continue
        if g.col > col:
            box = g.box
            cells.append(replace(cell, cell=replace(g, col=g.col + 1, box=box)))
            continue
        left = PixelBox(edges[col], g.box.y0, mid, g.box.y1)
        right = PixelBox(mid, g.box.y0, edges[col + 1], g.box.y1)
        cells.append(CellRead(GridCell(g.row, col, 1, 1, left), "", 100.0, CellKind.EMPTY))
        cells.append(replace(cell, cell=replace(g, col=col + 1, box=right)))
    grid = replace(table.grid, col_edges=new_edges, cells=tuple(c.cell for c in cells))
    return replace(table, grid=grid, cells=tuple(cells))


def test_a_continuation_column_no_key_can_be_given_is_flagged() -> None:
    body = [
        ["I", "TTHC thuộc thẩm quyền của UBND cấp huyện", *_numbers(500, 3)],
        ["II", "TTHC thuộc thẩm quyền của UBND cấp xã", *_numbers(sum(100 + 10 * i for i in range(1, 7)), 6)],
        *_communes(1, 3),
    ]
    first = _page(0, TITLE_5B, _merged([*HEADER, *body], 0, 400, LOST))
    later = _communes(4, 6)
    second = _page(1, ["ỉ,. ~ -- ;"], _split_column(read_table(later, page=1, top=200), LOST))
    [table] = assemble_document("x1", "x.pdf", [first, second]).tables
    extra = [k for k in table.columns if k.startswith("extra")]
    assert extra, table.columns
    on_page_2 = [
        v for v in table.values if v.page_index == 1 and v.column_key in extra and v.number is not None
    ]
    assert on_page_2
    for v in on_page_2:
        assert v.status.value == "flagged"
        assert "which column of the form it is, is not known" in (v.flag_reason or "")
    assert any(k in issue for k in extra for issue in table.issues)
