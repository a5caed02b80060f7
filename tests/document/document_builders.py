"""Page results built by hand for the document-assembly tests: a grid of read cells."""

from __future__ import annotations

from collections.abc import Sequence

from extract.model import Candidate, CellKind, CellRead, GridCell, PixelBox, ReadTable, TableGrid

ROW_H, COL_W = 40, 120


def read_table(
    matrix: Sequence[Sequence[str]],
    *,
    page: int,
    top: int,
    widths: Sequence[int] | None = None,
    left: int = 100,
) -> ReadTable:
    """A table of one-slot cells (``ROW_H`` x ``COL_W`` px, or the columns' ``widths``) at ``top``
    (its left edge at ``left``) on page ``page``, every printed cell read by two agreeing variants
    at 96, blanks empty."""
    n_rows, n_cols = len(matrix), len(matrix[0])
    edges = [left]
    for c in range(n_cols):
        edges.append(edges[-1] + (widths[c] if widths is not None else COL_W))
    cells = []
    for r, row in enumerate(matrix):
        for c, text in enumerate(row):
            box = PixelBox(edges[c], top + r * ROW_H, edges[c + 1], top + (r + 1) * ROW_H)
            kind = CellKind.EMPTY if not text else (CellKind.NUMBER if text[0].isdigit() else CellKind.TEXT)
            candidates = (Candidate(text, 96.0, "vie+eng"), Candidate(text, 94.0, "vie")) if text else ()
            cells.append(CellRead(GridCell(r, c, 1, 1, box), text, 96.0 if text else 100.0, kind, candidates))
    grid = TableGrid(
        box=PixelBox(left, top, edges[-1], top + n_rows * ROW_H),
        row_edges=tuple(top + r * ROW_H for r in range(n_rows + 1)),
        col_edges=tuple(edges),
        cells=tuple(cells),
    )
    return ReadTable(page_index=page, table_index=0, grid=grid, cells=tuple(cells))
