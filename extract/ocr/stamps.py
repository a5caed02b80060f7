"""Received stamps on a page of text: found by their frames, read on their own.

A received stamp ("dấu đến": "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ / ĐẾN Giờ: … Ngày: …", "VĂN
PHÒNG CHÍNH PHỦ / CÔNG VĂN ĐẾN / … Kính chuyển") is a small box ruled on every side that the
receiving office puts on its copy: no text of the document.  tesseract's layout analysis runs
its lines into the text beside it (QĐ 729: the title line "Phê chuẩn kết quả bầu chức vụ Chủ
tịch" lost, its place read '"Tyb' with the stamp's "Ngày" line) and reads its rules and the
handwriting in it as letters.

:func:`frames` finds boxes ruled like a stamp with OpenCV: two horizontal rules of one span
(``ocr.stamp_frame`` in ``configs/pipeline.yaml``) joined by a vertical rule at an end, the box as
tall as a stamp.  :func:`read_stamps` reads each box on its own and paints it white for the reading
of the page when its reading holds the word "ĐẾN" in capitals: its lines are the stamp's
(``OcrLine.stamp``: kept in the ``lines`` output with origin ``stamp``, left out of the page's
text).  Any other box (a framed label, a stamp whose "ĐẾN" is misread) stays on the page and is
read with it, as before.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from ..folding import fold
from ..model import OcrLine, PixelBox
from ..units import mm_to_px
from .engine import OcrEngine, StampSettings


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the connected components of ``mask``."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    return [(int(s[0]), int(s[1]), int(s[0] + s[2]), int(s[1] + s[3])) for s in stats[1:n]]


def _open(ink: np.ndarray, width: int, height: int) -> np.ndarray:
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width, height)))


def frames(gray: np.ndarray, dpi: float, settings: StampSettings | None = None) -> list[PixelBox]:
    """Boxes of ``gray`` (grey page pixels at ``dpi``) ruled like a stamp's frame, top to bottom."""
    return [box for box, ruled in candidate_frames(gray, dpi, settings) if ruled]


def candidate_frames(
    gray: np.ndarray, dpi: float, settings: StampSettings | None = None
) -> list[tuple[PixelBox, bool]]:
    """(box, ruled) of every pair of horizontal rules of ``gray`` (grey page pixels at ``dpi``)
    spaced and spanned like a stamp's frame, top to bottom; ``ruled``: joined by a vertical rule
    at an end (:func:`frames`), else open at both ends (a stamp whose sides did not print)."""
    s = settings or StampSettings()
    mm = mm_to_px(1.0, dpi)  # pixels a millimetre
    ink = np.where(gray < s.ink_level, 255, 0).astype(np.uint8)
    run = max(3, round(s.rule_mm * mm))
    horizontal = cv2.morphologyEx(
        _open(ink, run, 1),
        cv2.MORPH_CLOSE,
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(s.rule_gap_mm * mm)), 1)),
    )  # a rule broken by the scan is one rule
    vertical = _open(ink, 1, run)
    sides = _components(vertical)
    slant = math.tan(math.radians(s.max_slant_deg))
    rules = sorted(
        (
            r
            for r in _components(horizontal)
            if s.min_width_mm * mm <= r[2] - r[0] <= s.max_width_mm * mm
            and r[3] - r[1] <= s.rule_thick_mm * mm + slant * (r[2] - r[0])  # a slanted stamp
        ),
        key=lambda r: r[1],
    )
    tol = s.end_tolerance_mm * mm
    found: list[tuple[PixelBox, bool]] = []
    for i, top in enumerate(rules):
        for bottom in rules[i + 1 :]:
            gap = bottom[1] - top[3]
            if gap > s.max_height_mm * mm:
                break
            if (
                gap < s.min_height_mm * mm / 2
                or abs(top[0] - bottom[0]) > tol
                or abs(top[2] - bottom[2]) > tol
            ):
                continue
            box = PixelBox(min(top[0], bottom[0]), top[1], max(top[2], bottom[2]), bottom[3])
            cover = max(_side_cover(vertical, box, x, tol) for x in (box.x0, box.x1))
            found.append((box, cover >= s.side_cover))
    out = []
    for box, ruled in _merged(found):
        # the sides may reach past the rules (a row of the stamp above its first rule)
        reach = [
            s
            for s in sides
            if (abs(s[0] - box.x0) <= tol or abs(s[2] - box.x1) <= tol) and s[1] < box.y1 and s[3] > box.y0
        ]
        y0 = min([box.y0, *(s[1] for s in reach)])
        y1 = max([box.y1, *(s[3] for s in reach)])
        if s.min_height_mm * mm <= y1 - y0 <= s.max_height_mm * mm:
            out.append((PixelBox(box.x0, y0, box.x1, y1), ruled))
    return sorted(out, key=lambda f: (f[0].y0, f[0].x0))


def _side_cover(vertical: np.ndarray, box: PixelBox, x: int, tol: float) -> float:
    """The share of ``box``'s rows with a vertical rule within ``tol`` of column ``x``."""
    lo, hi = max(0, round(x - tol)), min(vertical.shape[1], round(x + tol))
    if hi <= lo or box.y1 <= box.y0:
        return 0.0
    return float((vertical[box.y0 : box.y1, lo:hi].max(axis=1) > 0).mean())


def _merged(boxes: list[tuple[PixelBox, bool]]) -> list[tuple[PixelBox, bool]]:
    """``boxes`` (box, ruled) with the overlapping ones of a kind joined (a stamp's three rules
    make three pairs); an open pair overlapping a ruled box is part of it (two of its rules
    whose ends the sides did not join): it never widens it."""
    ruled = _joined([b for b, r in boxes if r])
    open_ = [b for b in _joined([b for b, r in boxes if not r]) if not any(_overlaps(b, o) for o in ruled)]
    return [(b, True) for b in ruled] + [(b, False) for b in open_]


def _overlaps(a: PixelBox, b: PixelBox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 <= b.y1 and b.y0 <= a.y1


def _joined(boxes: list[PixelBox]) -> list[PixelBox]:
    """``boxes`` with the overlapping ones joined."""
    out: list[PixelBox] = []
    for box in sorted(boxes, key=lambda b: (b.y0, b.x0)):
        for i, other in enumerate(out):
            if _overlaps(box, other):
                out[i] = PixelBox(
                    min(box.x0, other.x0), min(box.y0, other.y0), max(box.x1, other.x1), max(box.y1, other.y1)
                )
                break
        else:
            out.append(box)
    return out


FIELD_LABELS = frozenset({"so", "ngay", "gio", "chuyen"})
"""The fields of a received stamp, folded ("Số:", "Ngày:", "Giờ:", "Chuyển:"; Nghị định 30/2020,
Phụ lục IV)."""


def is_received_stamp(text: str, *, general: bool = True) -> bool:
    """``text`` (a framed box's reading) is a received stamp's: it holds the word "ĐẾN" in
    capitals ("ĐẾN", "CÔNG VĂN ĐẾN"), or two of its fields' labels (:data:`FIELD_LABELS`, with
    their colon: "Số: … Chuyển:", where "ĐẾN" itself is misread), or one label and a word of
    three letters one letter from "ĐẾN" ("[mến … Chuyển:": "ĐẾN" stamped over a printed line);
    the fields are filled in by hand and misread as often as not.  ``general`` False: by "ĐẾN"
    alone (``ocr.stamp_frame.general``)."""
    words = text.split()
    if any(w.isupper() and fold(w) == "den" for w in words):
        return True
    if not general:
        return False
    labels = len({_label(w) for w in words if w.endswith(":") and w[:1].isupper()} - {None})
    near = any(Levenshtein.distance(_letters(w), "den") <= 1 for w in words if len(_letters(w)) == 3)
    return labels >= 2 or (labels >= 1 and near)


def _label(word: str) -> str | None:
    """The field label ``word`` reads (:data:`FIELD_LABELS`; one letter off in labels of four
    letters or more: "Chuvển:"), or None."""
    read = _letters(word)
    for label in FIELD_LABELS:
        if read == label or (len(label) >= 4 and Levenshtein.distance(read, label) <= 1):
            return label
    return None


def _letters(word: str) -> str:
    return "".join(ch for ch in fold(word) if ch.isalpha())


def read_stamps(
    engine: OcrEngine, region: np.ndarray, dpi: float, lang: str, settings: StampSettings | None = None
) -> tuple[np.ndarray, list[OcrLine]]:
    """(``region`` with every received stamp painted white, the lines read inside them, marked
    ``stamp``).

    Each frame is read on its own with page layout (as the page is); a frame whose reading is
    no received stamp's (a framed label, or a stamp whose "ĐẾN" was misread) is left on the
    page, read with it as before, and its own reading dropped."""
    s = settings or StampSettings()
    height, width = region.shape[:2]
    out = region
    lines: list[OcrLine] = []
    general = s.general
    for box, ruled in candidate_frames(region, dpi, s):
        if not ruled and not general:
            continue
        x0, y0 = max(0, box.x0 - s.pad_px), max(0, box.y0 - s.pad_px)
        x1, y1 = min(width, box.x1 + s.pad_px), min(height, box.y1 + s.pad_px)
        # on white: a frame cut by the text area's edge reads its rule as letters
        m = s.read_margin_px if general else 0
        crop = np.pad(region[y0:y1, x0:x1], m, constant_values=255)
        read = engine.read_lines(crop, dpi, lang)
        if not is_received_stamp(" ".join(ln.text for ln in read), general=general):
            if not general:
                continue  # a framed label, or a stamp whose "ĐẾN" was misread: left on the page
            # the layout analysis often reads a stamp's first line only (the big "ĐẾN" beside
            # its small fields is taken for a picture): the sparse search reads the rest
            read = engine.read_sparse_lines(crop, dpi, lang)
        if not is_received_stamp(" ".join(ln.text for ln in read), general=general):
            # a frame that printed lines cross was put on the page after it was printed (no
            # printed frame runs over the print): a stamp whatever its reading, which its
            # letters mixed with the print's spoil ("đĐIẾNcăng"); its own reading is of the
            # rows no printed line crosses
            rows = crossing_rows(region < s.ink_level, PixelBox(x0, y0, x1, y1), dpi, s)
            if not ruled or not rows.any():
                continue  # a framed box on its own (a label), two rules: print, left on the page
            bare = region[y0:y1, x0:x1].copy()
            bare[rows] = 255
            read = engine.read_sparse_lines(np.pad(bare, m, constant_values=255), dpi, lang)
        # the document's number line under the stamp ("Số: 542/BC-UBND": a stamp's own "Số:"
        # field holds a handwritten number, never a symbol) is print: its rows stay on the page
        printed = np.zeros(y1 - y0, dtype=bool)
        grow = round(s.cross_grow_mm * mm_to_px(1.0, dpi))
        for ln in read:
            if general and is_printed_number(ln.text):
                printed[max(0, ln.box.y0 - m - grow) : max(0, ln.box.y1 - m + grow)] = True
        lines += [
            replace(ln.shifted(x0 - m, y0 - m), stamp=True)
            for ln in read
            if not (general and is_printed_number(ln.text))
        ]
        out = out.copy() if out is region else out
        _paint_out(out, PixelBox(x0, y0, x1, y1), dpi, s, printed)
    return out, lines


_PRINTED_NUMBER = re.compile(r"^\W*S[ốôoó6ÓỐÔO]\s*[:.;]?[^/]{0,12}/\s*(?:\d{4}/)?[A-ZĐ]{2,}")


def is_printed_number(text: str) -> bool:
    """``text`` is a document's number line ("Số: 542/BC-UBND", "Số: #0 /QĐ-TTg": "Số" then a
    slash and a type code in capitals), not a stamp's "Số:" field (a handwritten number)."""
    return bool(_PRINTED_NUMBER.match(text))


def crossing_rows(ink: np.ndarray, box: PixelBox, dpi: float, settings: StampSettings) -> np.ndarray:
    """Which rows of ``box`` (a stamp's box in the boolean ink mask ``ink``) a printed line
    crosses: rows with ink just outside its left or right edge (within
    ``settings.cross_reach_mm``; a line beside the stamp, its first letter further off, does not
    cross it), grown by ``settings.cross_grow_mm`` for the line's accents and descenders."""
    mm = mm_to_px(1.0, dpi)
    reach = max(1, round(settings.cross_reach_mm * mm))
    gap = settings.pad_px  # the rule's own ragged edge is no print
    left = ink[box.y0 : box.y1, max(0, box.x0 - gap - reach) : max(0, box.x0 - gap)]
    right = ink[box.y0 : box.y1, box.x1 + gap : box.x1 + gap + reach]
    rows = np.zeros(box.y1 - box.y0, dtype=bool)
    for side in (left, right):
        if side.size:
            rows |= side.any(axis=1)
    rows = _runs_at_least(rows, round(settings.cross_min_mm * mm))  # specks are no line
    grow = round(settings.cross_grow_mm * mm)
    if grow and rows.any():
        rows = cv2.dilate(rows.astype(np.uint8)[:, None], np.ones((2 * grow + 1, 1), np.uint8))[:, 0] > 0
    return rows


def _runs_at_least(rows: np.ndarray, length: int) -> np.ndarray:
    """``rows`` (booleans) with the runs of True shorter than ``length`` made False."""
    out = rows.copy()
    start = None
    for i, on in enumerate([*rows.tolist(), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            if i - start < length:
                out[start:i] = False
            start = None
    return out


def _paint_out(page: np.ndarray, box: PixelBox, dpi: float, s: StampSettings, printed: np.ndarray) -> None:
    """Paint a received stamp's ``box`` of ``page`` white, in place, but for the rows a printed
    line crosses (:func:`crossing_rows`: the stamp was put over the print, whose line goes on
    under it) and the rows ``printed`` (booleans, one a row of ``box``: print read inside it),
    where only its rules are painted out."""
    ink = page < s.ink_level
    rows = (crossing_rows(ink, box, dpi, s) if s.general else np.zeros_like(printed)) | printed
    inside = page[box.y0 : box.y1, box.x0 : box.x1]
    if rows.any():
        run = max(3, round(s.rule_mm * mm_to_px(1.0, dpi)))
        mask = (inside < s.ink_level).astype(np.uint8) * 255
        rules = _open(mask, run, 1) | _open(mask, 1, run)
        inside[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    inside[~rows] = 255
