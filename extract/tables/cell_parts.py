"""Where a body cell of a table's page goes among the table's columns, and a cell over several
printed columns parted at their rules' places.

A ruling line lost on a worn scan leaves one grid cell over two printed columns: on its own page
(the page's grid merged the two slots) or against the table's first page (a continuation or a
lower piece whose grid lost the rule, :mod:`.column_fit`).  Its text was read as one ("5.036
2.141"), and before, it was one value under the first column (flagged) while the other column had
no value at all: a printed number gone without a flag.  Now each printed column the cell covers
gets a value: the words printed within it where every word lies within one column
(:func:`.column_fit.part_cell`, the words' places from the reader,
:attr:`~extract.model.CellRead.words`), each part at most ``column_fit.part_confidence`` sure;
otherwise the whole cell, in every column it covers, flagged "one cell over N columns".  Nothing
read over a lost rule is no sure blank (a faint value may be there): a column of a parted cell
where no word stands is unread (confidence 0, flagged), and a cell where nothing was read is
left where it was, the other columns keeping the flagged place-holder of a cell the grid lost
(:mod:`extract.validate.missing_cells`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..model import CellKind, CellRead, TableGrid
from .column_fit import ColumnFitSettings, ColumnPlace, part_by_order, part_cell


def _spread(
    cell: CellRead,
    first: int,
    edges: Sequence[float],
    taken: set[int],
    settings: ColumnFitSettings,
    dpi: float,
    *,
    own: int | None = None,
    whole: bool = False,
) -> dict[int, CellRead]:
    """``cell`` over the table columns ``first`` .. (as many as ``edges`` part): its parts, or
    the whole cell (spanning all of them, so flagged) in each — in
    column ``own`` as it is (a lower piece's column placed under the one it overlaps most,
    flagged as placed by position); columns in ``taken`` (another of the page's columns stands
    there) are left to it; ``whole``: never parted."""
    spans = len(edges) - 1
    parts = part_cell(cell, edges, settings, dpi) if cell.cell.col_span == 1 and not whole else None
    if parts is None and not whole:
        parts = part_by_order(cell, edges, settings)
    if parts is None:
        spanning = replace(cell, cell=replace(cell.cell, col_span=max(spans, cell.cell.col_span)))
        parts = [cell if first + k == own else spanning for k in range(spans)]
    out = {first + k: part for k, part in enumerate(parts) if first + k not in taken}
    if own is not None and own not in out:
        out[own] = cell
    return out or {first: parts[0]}


def _page_part(cell: CellRead, c: int, grid: TableGrid, settings: ColumnFitSettings, dpi: float) -> CellRead:
    """The part at grid column ``c`` of a cell that the page's own grid merged over several
    columns (parted at the page's own rules), or the cell as it is."""
    col, span = cell.cell.col, cell.cell.col_span
    if span == 1 or len(grid.col_edges) < col + span + 1 or not cell.text.strip():
        return cell
    edges = grid.col_edges[col : col + span + 1]
    parts = part_cell(cell, edges, settings, dpi) or part_by_order(cell, edges, settings)
    return parts[c - col] if parts is not None else cell


def placed_cell(
    cell: CellRead,
    c: int,
    grid: TableGrid,
    columns: Mapping[int, int] | None,
    places: Sequence[ColumnPlace] | None,
    place: Mapping[int, tuple[int, int]],
    settings: ColumnFitSettings,
    dpi: float,
    fixed: frozenset[int] = frozenset(),
    label: int | None = None,
) -> dict[int, CellRead]:
    """The table columns (the first page's grid columns) that the cell at grid column ``c`` of a
    page's ``grid`` fills, with what each holds.  ``columns``: a lower piece's columns placed when
    it was joined (grid column -> table column), with ``places`` (:func:`.column_fit.fit_columns`);
    else ``place``: a continuation page's grid column -> (table column, how many it covers), with
    ``places`` the fit behind it; neither: the table's own columns, by index.  A cell over one of
    the ``fixed`` table columns (the STT and the label: they make the row) is never parted: the
    whole cell stands in each column it covers but the STT column (and, for a cell that is not
    words, the ``label`` column), where it stands only when it was placed there; a cell placed in
    one of them stays there alone, as before (the row's STT and label are read from it)."""

    def table_column(k: int) -> int:
        return columns.get(k, k) if columns is not None else place.get(k, (k, 1))[0]

    over = range(cell.cell.col, cell.cell.col + cell.cell.col_span)
    piece = cell if any(table_column(k) in fixed for k in over) else _page_part(cell, c, grid, settings, dpi)
    fit = places[c] if places is not None and c < len(places) else None
    # an STT or a label is never parted by a rule's place from another page (a narrow STT column
    # placed a few mm off took the "8" of a staff list's row): the whole cell goes to each column
    whole = (
        fit is not None
        and fit.first is not None
        and bool(fixed & set(range(fit.first, fit.first + fit.spans)))
    )
    if not piece.text.strip():
        # nothing read over a lost rule is no sure blank for the columns beside: they keep the
        # flagged place-holder of a cell the grid lost (validate.missing_cells)
        fit = None
    # only words go to the label column from a cell over it (a label over a lost rule), nothing to
    # the STT column: a number would make a label of what may be a value ("8" as a row's label),
    # a label an STT of words (a 14B row's "Xã Đăk Môn" as its STT: the row lost its pairing)
    barred = set(fixed) - ({label} if piece.kind is CellKind.TEXT and label is not None else set())
    if columns is not None:
        to = columns[c]
        if (
            to not in fixed
            and fit is not None
            and fit.first is not None
            and fit.spans > 1
            and len(fit.edges) == fit.spans + 1
        ):
            taken = {j for k, j in columns.items() if k != c} | (barred - {to})
            return _spread(piece, fit.first, fit.edges, taken, settings, dpi, own=to, whole=whole)
        return {to: piece}
    to, spans = place.get(c, (c, 1))
    if spans == 1:
        return {to: piece}
    if (
        to not in fixed
        and fit is not None
        and not fit.shared
        and fit.first == to
        and len(fit.edges) == spans + 1
    ):
        taken = {j for k, (j, _n) in place.items() if k != c} | (barred - {to})
        return _spread(piece, to, fit.edges, taken, settings, dpi, whole=whole)
    if spans > piece.cell.col_span:  # over a rule of the first page: not one value
        piece = replace(piece, cell=replace(piece.cell, col_span=spans))
    return {to: piece}
