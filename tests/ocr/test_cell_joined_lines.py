"""A wrapped text cell whose two lines touch (on a 1-bit scan an accent meets the letter above
it): the one blob two lines tall must not make every x-height letter a mark that cut_cell paints
out (QĐ 707 p-019 read "thực hiệ có hiệu qua … liên qu n" before).  Rendered glyphs, no tesseract."""

from __future__ import annotations

import cv2
import numpy as np
from ocr_synth import TEXT_FONT
from PIL import Image, ImageDraw, ImageFont

from extract.model import PixelBox
from extract.ocr.cells import cut_cell, ink_mask

DPI = 200.0
LINE_1, LINE_2 = "h    ocean or swan", "l    nervous cows"


def _cell(joined: bool) -> np.ndarray:
    """A 1-bit two-line cell at 200 dpi (10 pt): only "h" and "l" rise above the x-height, far left
    of the x-height words; ``joined``: a stroke runs from the "h" down into the "l"."""
    font = ImageFont.truetype(TEXT_FONT, round(10 * DPI / 72))
    image = Image.new("L", (520, 120), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), LINE_1, font=font, fill=0)
    draw.text((20, 62), LINE_2, font=font, fill=0)
    gray = np.where(np.asarray(image) < 128, 0, 255).astype(np.uint8)
    if joined:  # a slanted stroke from the foot of "h" to the top of "l": one blob two lines tall
        # (slanted: a straight vertical run that long would be taken for a piece of a rule)
        h_ink = np.nonzero(gray[:60, 15:60] == 0)
        l_ink = np.nonzero(gray[60:, 15:60] == 0)
        foot = (15 + int(h_ink[1].max()), int(h_ink[0].max()))
        top = (15 + int(l_ink[1].min()), 60 + int(l_ink[0].min()))
        cv2.line(gray, foot, top, 0, 2)
    return gray


def _kept_ink(gray: np.ndarray) -> int:
    crop, _ = cut_cell(
        gray, PixelBox(0, 0, gray.shape[1], gray.shape[0]), None, inset_px=0, dpi=DPI, border_px=0
    )
    return int(ink_mask(crop).sum())


def test_x_height_words_survive_a_blob_two_lines_tall() -> None:
    plain, joined = _cell(joined=False), _cell(joined=True)
    words = (slice(None), slice(80, None))  # the x-height words, right of "h" and "l"
    printed = int((plain[words] == 0).sum())
    assert printed > 0 and _kept_ink(plain) >= printed  # no blob two lines tall: all kept (control)
    crop, info = cut_cell(joined, PixelBox(0, 0, 520, 120), None, inset_px=0, dpi=DPI, border_px=0)
    assert info.lines == 2
    assert _kept_ink(joined) >= printed  # the words are not painted out as marks
    assert info.glyph_height_px < 0.5 * info.number_height_px  # x-height letters count as letters
