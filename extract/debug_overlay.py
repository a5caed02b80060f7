"""A debug overlay: what the table stage found, drawn over the page.

Table boxes in blue, cell borders in green, merged cells (a span > 1) tinted yellow, flagged
boxes filled and outlined in red, optional short labels (Vietnamese text is drawn with a TrueType
font when one is installed).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .model import PixelBox, TableGrid

TABLE_BGR = (200, 80, 0)
CELL_BGR = (0, 160, 0)
MERGED_BGR = (0, 220, 255)
FLAG_BGR = (0, 0, 255)
LABEL_BGR = (160, 0, 160)
FILL_ALPHA = 0.25
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


@functools.lru_cache(maxsize=8)
def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        if Path(path).is_file():
            return ImageFont.truetype(path, px)
    return ImageFont.load_default()


def _tint(img: np.ndarray, box: PixelBox, bgr: tuple[int, int, int], alpha: float) -> None:
    roi = img[box.y0 : box.y1, box.x0 : box.x1]
    if roi.size:
        roi[:] = (roi * (1 - alpha) + np.array(bgr, np.float32) * alpha).astype(np.uint8)


def draw_overlay(
    gray: np.ndarray,
    grids: Iterable[TableGrid],
    flagged_boxes: Iterable[PixelBox] = (),
    labels: Sequence[tuple[PixelBox, str]] | None = None,
) -> np.ndarray:
    """A new BGR image: ``gray`` (uint8 gray or BGR) with ``grids`` drawn over it.

    ``flagged_boxes`` (page pixels) are tinted and outlined in red; ``labels`` are (box, text)
    pairs written at the top-left corner of each box.  Line widths and text size scale with the
    image height.  ``gray`` is not modified.
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
    if labels:
        pil = Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
        draw = ImageDraw.Draw(pil)
        font = _font(max(10, round(max(h, w) / 110)))
        rgb = LABEL_BGR[::-1]
        for b, text in labels:
            draw.text((b.x0 + 2 * lw, b.y0 + lw), text, font=font, fill=rgb)
        img = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)
    return img
