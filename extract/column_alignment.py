"""Which column of a table each column of a continued piece of it is, from the column edges.

A table torn across a band of lost rules on a worn scan or a fax comes as several ruled pieces
one above the other, and a continuation page can lose a column at its edge (a faded outer
rule): 7B's continuation read with 16 of its 19 columns, 4B's lower piece with 10 of 11.  The
piece's grid columns are then not the table's by index.  The printed columns stand at the same
x on every page of a report (up to the scanner's shift), so the piece's column edges, shifted
by the offset that lines most of them up with the table's, say which table column each piece
column is.  A piece column that does not fall clearly inside one table column (a rule lost in
one of them: one column over two) gives no alignment at all: the caller then keeps the piece
apart rather than put a value under the wrong column.
"""

from __future__ import annotations

from collections.abc import Sequence

# a piece column is a table column when their overlap is at least this share of each one's width
MIN_COLUMN_OVERLAP = 0.6
# ... and the offset found lines up at least this share of the piece's column edges
MIN_EDGES_MATCHED = 0.75


def align_columns(
    piece: Sequence[float], table: Sequence[float], tolerance: float, max_shift: float
) -> dict[int, int] | None:
    """{piece column: table column} for the column edges ``piece`` and ``table`` (sorted x, page
    pixels), or ``None`` when they do not line up: at most ``max_shift`` apart, at least
    ``MIN_EDGES_MATCHED`` of the piece's edges (three or more) within ``tolerance`` of a table
    edge, and every piece column one table column (``MIN_COLUMN_OVERLAP`` of both widths), no
    two the same one."""
    if len(piece) < 2 or len(table) < 2:
        return None
    shift = _best_shift(piece, table, tolerance, max_shift)
    if shift is None:
        return None
    out: dict[int, int] = {}
    for j in range(len(piece) - 1):
        a, b = piece[j] + shift, piece[j + 1] + shift
        k = _overlapping_column(a, b, table)
        if k is None or k in out.values():
            return None
        out[j] = k
    return out


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


def _overlapping_column(a: float, b: float, table: Sequence[float]) -> int | None:
    """The table column that the span ``a``..``b`` is, or ``None``."""
    for k in range(len(table) - 1):
        lo, hi = table[k], table[k + 1]
        overlap = min(b, hi) - max(a, lo)
        if overlap >= MIN_COLUMN_OVERLAP * max(b - a, hi - lo):
            return k
    return None
