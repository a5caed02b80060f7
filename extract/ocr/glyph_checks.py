"""A text cell's reading checked against the ink of its crop, where tesseract reads what the ink
does not show.

- **"II" read "H"** (:func:`roman_two`): a bold roman "II" whose serifs touch is one blob, and
  tesseract's line model reads it "H" (QĐ 707 p-009's section index "II." read "H." at every
  letter height from 16 to 40 px, plain and smoothed).  An H has a crossbar between its stems;
  the two strokes of "II" have only paper between them.  A cell read "H" (or "H.", "H)") whose
  one letter has two stems and no ink between them over the middle of its height is "II".
- **A comma after the last letter with no ink** (:func:`without_unprinted_stop`): the line
  model ends a line in a comma that is not printed ("…TTPBVKHDHL," on p-009, at every letter
  height tried).  When no ink stands right of the last letter of the last text line, the
  reading's trailing comma stands on no ink and is dropped.

Both look at the crop the reader already cut (rules and specks painted out, trimmed to the
text): no OCR is added; a blob pass over the crop only for a reading that ends in a mark or is "H".
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from .cells import _letter_boxes, _lines_of, ink_mask

TWO_STEMS_ROWS = (0.3, 0.7)  # the band of the letter's height where an H prints its crossbar
TWO_STEMS_MIN_SHARE = 0.9  # ... this share of its rows hold exactly two runs of ink: two strokes
INK_CHECK_VARIANT = "ink_check"  # the variant of a reading one of these checks changed
# what the line model adds at a line's end with no ink under it: a comma (a cell's text ends a
# sentence or a phrase, hardly ever in a comma; a full stop is often printed touching the last
# letter's serif on a 1-bit scan, one blob with it: "…KHDHL." on p-010 — so it is never dropped)
STOP_MARKS = ","
LINE_SHARE = 0.5  # a letter is on a text line when this share of its height overlaps the line
STOP_REACH_PX = 2  # ink this far right of the last letter is its own (an accent's overhang)

_LONE_H = re.compile(r"^H([.)]?)$")


def _two_stems(crop: np.ndarray) -> bool:
    """Whether the crop's tallest blob has two strokes and no crossbar: exactly two runs of ink
    in ``TWO_STEMS_MIN_SHARE`` of its rows within ``TWO_STEMS_ROWS`` of its height."""
    mask = ink_mask(crop)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count < 2:
        return False
    tallest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_HEIGHT]))
    x, y, w, h = (int(v) for v in stats[tallest, :4])
    letter = labels[y : y + h, x : x + w] == tallest
    top, bottom = (round(share * h) for share in TWO_STEMS_ROWS)
    band = letter[top : max(bottom, top + 1)].astype(np.int8)
    # runs of ink per row: rising edges, with paper assumed left of the first column
    runs = (np.diff(band, axis=1, prepend=0) == 1).sum(axis=1)
    return bool(band.shape[0]) and float(np.mean(runs == 2)) >= TWO_STEMS_MIN_SHARE


def roman_two(text: str, crop: np.ndarray) -> str:
    """``text`` with a lone "H" (and its "." or ")") read as "II" when the crop's letter has two
    stems and no crossbar (see the module docstring); any other text as it is."""
    match = _LONE_H.match(text)
    if match is None or not _two_stems(crop):
        return text
    return "II" + match.group(1)


def without_unprinted_stop(text: str, crop: np.ndarray, dpi: float) -> str:
    """``text`` without its trailing comma (``STOP_MARKS``) when the crop holds no ink right of the
    last letter of its last text line (letters as :func:`~extract.ocr.cells.text_lines` finds
    them; within ``STOP_REACH_PX``): the mark was read on no ink.  A printed mark is ink of its
    own right of the last letter, touching it or not."""
    stripped = text.rstrip()
    if len(stripped) < 2 or stripped[-1] not in STOP_MARKS or stripped[-2] in STOP_MARKS:
        return text
    letters = _letter_boxes(crop, dpi)
    lines = _lines_of(letters)
    if not lines:
        return text
    y0, y1 = lines[-1]
    last = [b for b in letters if min(b[1], y1) - max(b[0], y0) >= LINE_SHARE * (b[1] - b[0])]
    if not last:
        return text
    right = max(b[3] for b in last)
    band = ink_mask(crop)[y0 : y1 + (y1 - y0) // 2, right + STOP_REACH_PX :]
    if band.any():
        return text
    return stripped[:-1].rstrip()
