"""A row whose vertical rules all broke: the band between two pieces of one table.

On worn scans and faxes a row's vertical rules can break over the table's whole width while the
rules above and below it stay ("6 Xã Chiềng Ngàm" between rows 5 and 7).  The groups of touching
rules are then two pieces one above the other, a band of one row apart: more than the few
millimetres of a torn rule, so the pieces were two tables and the row between them was read as
text above the second -- its numbers in no output.  Two pieces whose vertical rules line up and
whose band is no higher than ``tables.lost_row_pitches`` (1.5) of their rows' pitch (the median
distance between their row rules) are one table -- a title between two tables, its lines and
spacing, stands further apart; the band becomes a row of the grid, cut into cells by the text
(:mod:`.text_evidence`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import PixelBox


def row_pitch(rule_rows: Sequence[float], tolerance: float) -> float | None:
    """The median distance between consecutive distinct row rules (pieces of one rule within
    ``tolerance`` count once), or None with fewer than three rules."""
    distinct: list[float] = []
    for y in sorted(rule_rows):
        if not distinct or y - distinct[-1] > tolerance:
            distinct.append(y)
    if len(distinct) < 3:
        return None
    return float(np.median(np.diff(distinct)))


def lost_row_between(
    upper: PixelBox, lower: PixelBox, rule_rows: Sequence[float], tolerance: float, pitches: float
) -> bool:
    """Whether the band between two pieces of a table, ``upper`` above ``lower`` (``rule_rows``:
    the y of both pieces' row rules), is one row whose vertical rules broke, and no higher than
    ``pitches`` of their rows:

    - the pieces stand side for side (both borders within ``tolerance``: two whole pieces, not
      fragments of a worn one): the band is the row; or
    - the lower piece lies within the upper one's width with one border in line (it lost its
      edge columns' rules; the upper one, with the header, has the table's columns) and the
      upper piece's last row rule and the lower's first are one pitch apart (within
      ``tolerance``): the rules stand where one row between them puts them -- its vertical
      rules broke across their middle, the band cuts through it ("9 | Xã Bản Giang" read as two
      rows of two tables).  An upper piece narrower than the lower is a fragment itself (dev
      005's fax 11B: joined, its grid lost the header's columns): apart, as before."""
    band = lower.y0 - upper.y1
    pitch = row_pitch(rule_rows, tolerance)
    if pitch is None or not 0 < band <= pitches * pitch:
        return False
    left, right = abs(upper.x0 - lower.x0) <= tolerance, abs(upper.x1 - lower.x1) <= tolerance
    if left and right:
        return True
    inside = upper.x0 - tolerance <= lower.x0 and lower.x1 <= upper.x1 + tolerance
    above = [y for y in rule_rows if y <= upper.y1]
    below = [y for y in rule_rows if y >= lower.y0]
    return (
        (left or right)
        and inside
        and bool(above and below)
        and abs(min(below) - max(above) - pitch) <= tolerance
    )
