"""The page overlay of the review app (:mod:`extract.review.images`): what the table stage found,
drawn over the page.

Table boxes in blue, cell borders in green, merged cells (a span > 1) tinted yellow, flagged
boxes filled and outlined in red.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from .model import PixelBox, TableGrid

TABLE_BGR = (200, 80, 0)
CELL_BGR = (0, 160, 0)
MERGED_BGR = (0, 220, 255)
FLAG_BGR = (0, 0, 255)
FILL_ALPHA = 0.25


def _tint(img: np.ndarray, box: PixelBox, bgr: tuple[int, int, int], alpha: float) -> None:
    roi = img[box.y0 : box.y1, box.x0 : box.x1]
    if roi.size:
        roi[:] = (roi * (1 - alpha) + np.array(bgr, np.float32) * alpha).astype(np.uint8)


def draw_overlay(
    gray: np.ndarray,
    grids: Iterable[TableGrid],
    flagged_boxes: Iterable[PixelBox] = (),
) -> np.ndarray:
    """A new BGR image: ``gray`` (uint8 gray or BGR) with ``grids`` drawn over it.

    ``flagged_boxes`` (page pixels) are tinted and outlined in red.  Line widths scale with the
    image size.  ``gray`` is not modified.
    """
    img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR) if gray.ndim == 2 else gray.copy()
    h, w = img.shape[:2]
    lw = max(1, round(max(h, w) / 1200))
    for grid in grids:
        for cell in grid.cells:
            if cell.row_span > 1 or cell.col_span > 1:
                _tint(img, cell.box, MERGED_BGR, FILL_ALPHA)
        for cell in grid.cells:
            b = cell.box
            cv2.rectangle(img, (b.x0, b.y0), (b.x1, b.y1), CELL_BGR, lw)
        b = grid.box
        cv2.rectangle(img, (b.x0, b.y0), (b.x1, b.y1), TABLE_BGR, 2 * lw)
    for b in flagged_boxes:
        _tint(img, b, FLAG_BGR, FILL_ALPHA)
        cv2.rectangle(img, (b.x0, b.y0), (b.x1, b.y1), FLAG_BGR, 2 * lw)
    return img
