"""A blank band inside one item's sub-row is no row break.

Tables of actions (a plan annexed to a decision: STT, action, task, lead agency, partner
agencies, deadline) print an item's index and label once, in cells that span its sub-rows, and
each sub-row's text cell may hold a list whose items stand apart by a blank band
("Thiết lập … cơ chế phối hợp ở cấp hoạt động giữa: / - Bộ Công an và Viện kiểm sát … / (blank)
/ - Bộ Công an và Bộ Tài chính …", QĐ 707 p-018).  :func:`~.text_evidence.text_rows` cuts a body
row much taller than the others at such a band when most columns have text on both sides of it;
there the print has no rule and the cut splits one printed row (its cells) in two.

A band is no row break when both of these hold in the tall row:

- the index and label columns (the first ``index_columns``) hold no text anywhere in it: the row
  is among the sub-rows of an item printed once above (a table of numbers prints an STT and a
  label on every row: its lost rules are cut as before);
- a column holding text holds it on one side of the band only (the sub-row's deadline "Liên tục"
  printed once at its top): a new printed row would print its own.

Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .text_evidence import TextBlobs


def within_one_item(
    blobs: TextBlobs,
    cols: Sequence[int],
    top: int,
    bottom: int,
    both: int,
    filled: int,
    index_columns: int,
) -> bool:
    """Whether a blank band across the body row ``top``..``bottom`` (``filled`` columns holding
    text on either side of it, ``both`` on both sides) lies inside one printed cell of an item's
    sub-row (see the module docstring)."""
    if both >= filled or len(cols) <= index_columns + 1:
        return False
    return not any(blobs.any_in(cols[c], top, cols[c + 1], bottom) for c in range(index_columns))
