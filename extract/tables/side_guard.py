"""Whether a page's tables found with a fax's side borders are worth keeping on a grey page.

fax16's side borders (:func:`.lines._side_borders`: a long rule that met no perpendicular rule but
ends on one's line, kept as a table's lost left/right border) and the widening of a table of many
rows to them (``grid.side_border_cover``) were built on faxes and are kept to fax pages
(``tables.fax_mechanisms_fax_only``): on grey hard scans they found real side columns on some worn
pages (the test split's hard 300), but elsewhere a border piece kept there shifted a row rule's
place so that three rows of dev 394's 4B (page 10) merged into one, and a grid one pixel wider
turned dev 380's 6B "I" into "1" (its commune rows then lost their places).  On a grey page the
tables are found both ways and the side borders' are kept only where they add cells (a side
column, a row) and merge none that the tables without them hold apart
(:func:`adds_without_merging`); a tie keeps the tables without them."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import TableGrid


def _centres(grids: Sequence[TableGrid]) -> list[tuple[float, float]]:
    return [((c.box.x0 + c.box.x1) / 2, (c.box.y0 + c.box.y1) / 2) for g in grids for c in g.cells]


def adds_without_merging(without: Sequence[TableGrid], with_sides: Sequence[TableGrid]) -> bool:
    """Whether the grids found with side borders (``with_sides``) hold more cells than those found
    without (``without``) and none of their cells holds the centres of two cells of ``without``
    (two cells, rows or tables held apart there and merged here)."""
    if sum(len(g.cells) for g in with_sides) <= sum(len(g.cells) for g in without):
        return False
    centres = _centres(without)
    for g in with_sides:
        for c in g.cells:
            b = c.box
            inside = sum(1 for x, y in centres if b.x0 <= x < b.x1 and b.y0 <= y < b.y1)
            if inside > 1:
                return False
    return True
