"""A semicolon read as a comma, told from its ink.

A decision's preamble ends each "Căn cứ …" with a semicolon, a recipients' list each line; at
200 dpi in italics tesseract reads the small dot over the comma as nothing ("năm 2025," for "năm
2025;", "Ủy ban nhân dân," for "dân;"). The glyph says which: a **comma** is a tail taller than
wide that reaches below the line's baseline, a **semicolon** a dot over such a tail.

:func:`with_semicolons` looks at the last glyph of each word read ending in "," (the components of
the page's ink in the word's box; the rightmost one reaching into its lower half is the mark's
tail, a comma's when at least ``comma_min_elongation`` times as tall as wide and reaching below
the baseline of the word's other letters). A word whose comma has a dot right above it ends in
";": the dot's bottom within ``semicolon_dot_reach`` tail heights over the tail's top, the dot
starting over the tail or right of it (an italic dot leans right), as wide and as tall as half the
tail's width to the tail's width and a pixel (a speck of toner is smaller). An accent of the
last letter stands over that letter, left of the tail.
A colon is never changed: its lower dot, blurred on a fax or a worn scan, looks like a comma's
tail ("Số:" and "Nơi nhận:" on generated dev pages), and "Số:" opens the number line. No OCR: a
connected-components pass over each such word's box.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import cv2
import numpy as np

from ..model import OcrLine, PixelBox, TextWord
from .engine import PageTextSettings


def _blobs(gray: np.ndarray, box: PixelBox, ink_level: int) -> list[PixelBox]:
    """The ink components in ``box`` (widened by a pixel or two: a comma's tip), page pixels."""
    height, width = gray.shape[:2]
    x0, y0 = max(0, box.x0), max(0, box.y0 - 2)
    x1, y1 = min(width, box.x1 + 3), min(height, box.y1 + 2)
    if x1 <= x0 or y1 <= y0:
        return []
    ink = (gray[y0:y1, x0:x1] < ink_level).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return [
        PixelBox(x0 + int(s[0]), y0 + int(s[1]), x0 + int(s[0] + s[2]), y0 + int(s[1] + s[3]))
        for s in stats[1:n]
        if s[4] >= 4  # specks of one to three pixels are no mark
    ]


def final_mark(gray: np.ndarray, word: TextWord, settings: PageTextSettings) -> str | None:
    """ ";" where the ink of ``word`` (read ending in ",") ends in a semicolon, else None."""
    blobs = _blobs(gray, word.box, settings.ink_level)
    middle = (word.box.y0 + word.box.y1) / 2
    low = [b for b in blobs if b.y1 > middle]
    if not low:
        return None
    tail = max(low, key=lambda b: b.x1)
    letters = [b.y1 for b in low if b.x1 <= tail.x0]  # the word's other letters: their baseline
    if not letters or tail.width == 0:
        return None
    comma = (
        tail.height >= settings.comma_min_elongation * tail.width and tail.y1 > float(np.median(letters)) + 1
    )
    if not comma:
        return None
    reach = settings.semicolon_dot_reach * tail.height
    dots = [
        b
        for b in blobs
        if b is not tail
        and b.y1 <= tail.y0 + 1
        and b.y1 >= tail.y0 - reach
        and tail.x0 - 1 <= b.x0 <= tail.x1 + 2  # over the tail, or right of it in italics
        and tail.width / 2 <= b.width <= tail.width + 1  # a dot of the comma's pen, not a speck
        and tail.width / 2 <= b.height <= tail.width + 1
    ]
    return ";" if dots else None


def with_semicolons(
    lines: Sequence[OcrLine], gray: np.ndarray, settings: PageTextSettings
) -> tuple[OcrLine, ...]:
    """``lines`` (OCR lines outside tables, in ``gray``'s pixels) with each word read ending in
    "," whose ink ends in a semicolon (:func:`final_mark`) ending in ";"; off when
    ``settings.semicolon_dot_reach`` is 0."""
    if settings.semicolon_dot_reach <= 0:
        return tuple(lines)
    out: list[OcrLine] = []
    for ln in lines:
        usable = (
            ln.words
            and not ln.stamp
            and ln.confidence < 100
            and " ".join(w.text for w in ln.words) == ln.text
        )
        if not usable:
            out.append(ln)
            continue
        words = [
            dataclasses.replace(w, text=w.text[:-1] + ";")
            if len(w.text) > 1 and w.text.endswith(",") and final_mark(gray, w, settings) == ";"
            else w
            for w in ln.words
        ]
        if any(a is not b for a, b in zip(words, ln.words, strict=True)):
            ln = dataclasses.replace(ln, text=" ".join(w.text for w in words), words=tuple(words))
        out.append(ln)
    return tuple(out)
