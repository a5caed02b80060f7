"""Which column of a table each column of a continued piece of it is, from the column edges.

A table torn across a band of lost rules on a worn scan or a fax comes as several ruled pieces
one above the other, and a continuation page can lose a column at its edge (a faded outer
rule): 7B's continuation read with 16 of its 19 columns, 4B's lower piece with 10 of 11.  The
piece's grid columns are then not the table's by index.  The printed columns stand at the same
x on every page of a report (up to the scanner's shift), so the piece's column edges, shifted
by the offset that lines most of them up with the table's, say which table column each piece
column is.  A piece column over two table columns (a rule lost in the piece) goes under the one
it overlaps most and its values are unsure (flagged by the caller); two piece columns under one
table column (a column split in the piece) give no alignment: the caller keeps the piece apart
rather than put two values in one cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# a piece column is a table column when their overlap is at least this share of each one's width
MIN_COLUMN_OVERLAP = 0.6
# ... and the offset found lines up at least this share of the piece's column edges
MIN_EDGES_MATCHED = 0.75


@dataclass(frozen=True)
class Alignment:
    """Where a piece's columns go: ``columns`` {piece column: table column}; ``unsure`` the table
    columns that a piece column covers only in part (a rule lost in the piece: its column over
    two of the table's, placed under the one it overlaps most): their values are not sure."""

    columns: dict[int, int]
    unsure: frozenset[int] = frozenset()

    @property
    def identity(self) -> bool:
        return not self.unsure and all(j == k for j, k in self.columns.items())


def align_columns(
    piece: Sequence[float], table: Sequence[float], tolerance: float, max_shift: float
) -> Alignment | None:
    """Where the columns of a piece with column edges ``piece`` go in a table with edges
    ``table`` (sorted x, page pixels), or ``None`` when they do not line up: at most
    ``max_shift`` apart, at least ``MIN_EDGES_MATCHED`` of the piece's edges (three or more)
    within ``tolerance`` of a table edge, every piece column overlapping a table column, no two
    piece columns under the same one.  A piece column that is one table column
    (``MIN_COLUMN_OVERLAP`` of both widths) is sure; one that is not goes under the table
    column it overlaps most, unsure."""
    if len(piece) < 2 or len(table) < 2:
        return None
    shift = _best_shift(piece, table, tolerance, max_shift)
    if shift is None:
        return None
    columns: dict[int, int] = {}
    unsure: set[int] = set()
    for j in range(len(piece) - 1):
        placed = _overlapping_column(piece[j] + shift, piece[j + 1] + shift, table)
        if placed is None or placed[0] in columns.values():
            return None
        columns[j] = placed[0]
        if not placed[1]:
            unsure.add(placed[0])
    return Alignment(columns, frozenset(unsure))


def _best_shift(
    piece: Sequence[float], table: Sequence[float], tolerance: float, max_shift: float
) -> float | None:
    """The offset (table x - piece x) that lines up most piece edges with table edges, the
    smallest such one; ``None`` when the best lines up too few."""

    def matched(shift: float) -> int:
        return sum(any(abs(p + shift - t) <= tolerance for t in table) for p in piece)

    shifts = sorted({0.0, *(t - p for p in piece for t in table if abs(t - p) <= max_shift)}, key=abs)
    best = max(shifts, key=matched)  # max keeps the first (smallest) of equal counts
    n = matched(best)
    return best if n >= max(3, MIN_EDGES_MATCHED * len(piece)) else None


def _overlapping_column(a: float, b: float, table: Sequence[float]) -> tuple[int, bool] | None:
    """(the table column that the span ``a``..``b`` overlaps most, whether it is that column), or
    ``None`` when it overlaps none."""
    overlaps = [min(b, table[k + 1]) - max(a, table[k]) for k in range(len(table) - 1)]
    k = max(range(len(overlaps)), key=overlaps.__getitem__)
    if overlaps[k] <= 0:
        return None
    return k, overlaps[k] >= MIN_COLUMN_OVERLAP * max(b - a, table[k + 1] - table[k])
