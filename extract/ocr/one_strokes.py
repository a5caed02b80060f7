"""A number cell's "1"s read as letters: every letter of its crop one upright stroke.

On the hard 200-dpi scans a clean printed "11" (two serif "1"s, each 4-5 px wide and 22 px tall)
is read "II", "li", "lãi" or "LÍ" by the text model and "" at 0 by every number model, at every
gap put between the two (dev hard 200-dpi 4B, 8B, 14B: 15 of the 50 clean crops read as letters
in final28-dev22's hard 200 wrong cells were such a "11", on 4 of its 20 documents).  A "1" is
one stroke: in the middle of its height each row of its blob holds one short run of ink, the blob
is narrow, as tall as the line's tallest letter, and nothing but specks lies beside it.  No other
digit is (a "7" is wide, a "4" and a "0" two runs).  :func:`ones` answers "1" for each letter of
such a crop; used by :func:`extract.ocr.reader.read_table` for a cell of a number column that
was read as a short text (``ocr.one_strokes``).  No OCR is added: one blob pass over the crop."""

from __future__ import annotations

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..units import mm_to_px
from .cells import ink_mask

MIDDLE_ROWS = (0.3, 0.7)  # the band of a "1"'s height below its flag and above its foot
ONE_STROKES_VARIANT = "one_strokes"  # the variant of a reading :func:`ones` made


class OneStrokeSettings(BaseModel):
    """Settings of the one-stroke look (``ocr.one_strokes`` in ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    max_width: float = Field(
        default=0.6, gt=0
    )  # a "1"'s blob (its foot) at most this share of its height wide
    max_stem: float = Field(default=0.25, gt=0)  # ... its stem, the middle rows' ink, at most this share
    max_offset: float = Field(
        default=0.15, ge=0
    )  # ... the blob's middle this share of its height off the stem's
    min_height_mm: float = Field(default=1.8, gt=0)  # ... and as tall as a printed digit
    max_height_mm: float = Field(default=4.5, gt=0)
    max_letters: int = Field(default=4, ge=1)  # at most this many "1"s (a text reading this short)
    max_stray: float = Field(default=0.1, ge=0)  # ink outside the letters at most this share of it
    number_share: float = Field(default=0.5, ge=0, le=1)  # only in columns this share read numbers
    min_tallest_share: float = Field(default=0.85, gt=0, le=1)  # a "1" this share of the tallest letter
    letter_share: float = Field(default=0.5, gt=0, le=1)  # a blob this share of the tallest is a letter
    max_top_spread: float = Field(default=0.3, ge=0)  # letters' tops this share of the tallest apart


def _one_stroke(blob: np.ndarray, settings: OneStrokeSettings, tallest: int) -> bool:
    """Whether ``blob`` (bool, its box) is a "1": as tall as the tallest letter, in the middle of
    its height one run of ink per row, all within one narrow upright stem (a "7"'s or a "2"'s
    diagonal moves across; a "4", "0" or "H" holds two runs or a bar), and its flag and foot about
    the stem's middle (an "L"'s foot runs off to one side)."""
    height, width = blob.shape
    if height < settings.min_tallest_share * tallest or width > settings.max_width * height:
        return False
    top, bottom = (round(share * height) for share in MIDDLE_ROWS)
    band = blob[top : max(bottom, top + 1)].astype(np.int8)
    runs = (np.diff(band, axis=1, prepend=0) == 1).sum(axis=1)
    if not (runs == 1).all():
        return False
    stem = np.flatnonzero(band.any(axis=0))
    if int(stem[-1]) + 1 - int(stem[0]) > settings.max_stem * height:
        return False
    return abs((int(stem[0]) + int(stem[-1]) + 1) / 2 - width / 2) <= settings.max_offset * height


def ones(crop: np.ndarray, dpi: float, settings: OneStrokeSettings) -> str | None:
    """ "1" for each letter of ``crop`` when every letter is one upright stroke of a digit's
    height (:func:`_one_stroke`), side by side on one line, at most ``settings.max_letters`` of
    them, and the ink outside them specks (``settings.max_stray`` of the whole); else None."""
    mask = ink_mask(crop)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count < 2:
        return None
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    tallest = int(heights.max())
    if not mm_to_px(settings.min_height_mm, dpi) <= tallest <= mm_to_px(settings.max_height_mm, dpi):
        return None
    letters = [i + 1 for i in np.flatnonzero(heights >= settings.letter_share * tallest)]
    if len(letters) > settings.max_letters:
        return None
    inside = 0
    for i in letters:
        x, y, w, h = (int(v) for v in stats[i, :4])
        if not _one_stroke(labels[y : y + h, x : x + w] == i, settings, tallest):
            return None
        inside += int(stats[i, cv2.CC_STAT_AREA])
    tops = stats[letters, cv2.CC_STAT_TOP]
    if int(tops.max() - tops.min()) > settings.max_top_spread * tallest:  # two lines
        return None
    if int(mask.sum()) - inside > settings.max_stray * int(mask.sum()):
        return None
    return "1" * len(letters)
