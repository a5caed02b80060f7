"""The columns of a table's continuation page placed under its first page's columns by their
positions: the same printed table keeps its column rules at the same places on every page (up to
the scan's shift), so where a worn page's grid found a column less or more than the first page's,
its columns are matched by position instead of by count (a shift by one would put every value
right of the lost rule under its neighbour's key).

Pure functions on :class:`~extract.model.TableGrid`; lengths in page pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# edges of two pages' grids this close (after the scan's shift) are one printed column rule
EDGE_TOLERANCE_MM = 1.5
# a column of the continuation page stands under a first-page column when it covers this share
# of it (or the first-page column this share of the continuation's column)
COVER_SHARE = 0.5


@dataclass(frozen=True)
class ColumnPlace:
    """Where one column of a continuation page stands on the first page: ``first`` is the
    first-page column it takes its key from (``None``: under no first-page column alone);
    ``spans`` how many first-page columns it covers (> 1: a rule the continuation lost, its
    values are not one column's); ``shared``: another continuation column stands under the
    same first-page column (a rule the first page lost: which of the two is the key's column
    cannot be told)."""

    first: int | None
    spans: int
    shared: bool = False


def _best_shift(first: Sequence[int], other: Sequence[int], tolerance: float) -> tuple[int, int]:
    """The shift (added to ``first``'s edges) that lines up most of ``other``'s edges within
    ``tolerance``, and how many it lines up; the smallest shift among equals."""
    best = (0, 0)
    for shift in sorted({b - a for a in first for b in other}, key=abs):
        hits = sum(any(abs(a + shift - b) <= tolerance for a in first) for b in other)
        if hits > best[1]:
            best = (shift, hits)
    return best


def place_columns(
    first: Sequence[int], other: Sequence[int], tolerance: float, min_edges: int = 3
) -> list[ColumnPlace] | None:
    """Each column of a continuation page (column edges ``other``) placed under the columns of
    the table's first page (edges ``first``), after the shift that lines up most edges; ``None``
    when fewer than ``min_edges`` edges (and half of the shorter list) line up: nothing says the
    two grids are the same printed columns."""
    if len(first) < 2 or len(other) < 2:
        return None
    shift, hits = _best_shift(first, other, tolerance)
    if hits < max(min_edges, (min(len(first), len(other)) + 1) // 2):
        return None
    spans = [(a + shift, b + shift) for a, b in zip(first, first[1:], strict=False)]
    places: list[ColumnPlace] = []
    for x0, x1 in zip(other, other[1:], strict=False):
        under = []
        for j, (a, b) in enumerate(spans):
            overlap = min(x1, b) - max(x0, a)
            if overlap > 0 and (overlap >= COVER_SHARE * (b - a) or overlap >= COVER_SHARE * (x1 - x0)):
                under.append(j)
        places.append(ColumnPlace(under[0] if under else None, max(1, len(under))))
    taken: dict[int, int] = {}
    for p in places:
        if p.first is not None:
            taken[p.first] = taken.get(p.first, 0) + 1
    return [ColumnPlace(p.first, p.spans, p.first is not None and taken[p.first] > 1) for p in places]
