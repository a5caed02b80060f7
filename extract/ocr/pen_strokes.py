"""A pen stroke across printed digits: found by its shape and painted out of a cell's crop.

A signature drawn over a table's last rows crosses number cells and the white space between
them with one long, thin, smooth curve, as dark as the print ("71" read "Le.", "2.549" read
"` nbg").  Ink thresholds do not part it from the digits (its grey overlaps their edges); its
shape does.  In a region around an unsure cell (rules painted out) a stroke is the ink where a
column of pixels holds one short run only (the stroke's own width, or a little more where it
slants) -- a chain of such runs, each continuing the one before at a pen's slope, longer than a
glyph.  Its path through the columns where it crosses a digit (two or more runs there, or one
long one) is interpolated from the chain on both sides; only the ink within the stroke's width
of that path is painted out, down each column (:func:`_bridged`: a digit's stem crossed by the
stroke is joined from above and below, the paper elsewhere; never from the sides, which closed a
"0" into an "8").  Used by :func:`extract.ocr.reader.read_table` to read
an unsure number cell once more (``ocr.pen_look``)."""

from __future__ import annotations

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..units import mm_to_px
from .cells import ink_mask, paper_level


class PenLookSettings(BaseModel):
    """Settings of the pen-stroke look (``ocr.pen_look`` in ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    width_mm: float = Field(default=0.45, gt=0)  # a pen's line
    max_run: float = Field(
        default=2.5, gt=1
    )  # a column's run of the stroke is at most this many widths (a slant)
    max_slope: float = Field(default=2.5, gt=0)  # rows per column between two runs of one stroke
    max_gap_mm: float = Field(default=2.5, gt=0)  # a digit crossed: no stroke run this far at most
    min_span_mm: float = Field(default=6.0, gt=0)  # a chain this long is a stroke, not a glyph
    margin_mm: float = Field(default=4.0, ge=0)  # the region looked at around the cell
    number_share: float = Field(default=0.5, ge=0, le=1)  # only in columns this share read numbers
    max_text: int = Field(
        default=8, ge=0
    )  # a text reading this short (no confident words) may be crossed digits
    across_rules: bool = False  # a stroke's pieces parted by a ruling line taken as one blob
    stray_pieces: int = Field(
        default=0, ge=0
    )  # letter-sized pieces the read-again number may leave unaccounted for (the stroke's remains)


def _runs(column: np.ndarray) -> list[tuple[int, int]]:
    """The (start, end) of each run of True in ``column`` (end exclusive)."""
    padded = np.concatenate(([False], column, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _samples(blob: np.ndarray, max_run_px: float) -> tuple[np.ndarray, np.ndarray]:
    """The columns of ``blob`` that hold one short run only, and that run's middle row."""
    xs, ys = [], []
    for x in range(blob.shape[1]):
        runs = _runs(blob[:, x])
        if len(runs) == 1 and runs[0][1] - runs[0][0] <= max_run_px:
            xs.append(x)
            ys.append((runs[0][0] + runs[0][1] - 1) / 2.0)
    return np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.float64)


def _chain(xs: np.ndarray, ys: np.ndarray, max_gap: int, max_slope: float, width: float) -> np.ndarray:
    """Indexes of the longest (in columns spanned) chain of samples, each within ``max_gap``
    columns of the one before and at most ``max_slope`` rows a column (and a width) off it."""
    n = len(xs)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.arange(n)  # the chain's first sample, per last sample
    prev = np.full(n, -1)
    for i in range(1, n):
        lo = int(np.searchsorted(xs, xs[i] - max_gap))
        best = -1
        for j in range(i - 1, lo - 1, -1):
            dx = xs[i] - xs[j]
            if abs(ys[i] - ys[j]) <= max_slope * dx + width and (best < 0 or xs[start[j]] < xs[start[best]]):
                best = j
        if best >= 0:
            prev[i], start[i] = best, start[best]
    last = int(np.argmax(xs - xs[start]))
    out = [last]
    while prev[out[-1]] >= 0:
        out.append(int(prev[out[-1]]))
    return np.asarray(out[::-1], dtype=np.int64)


def _along(
    blob: np.ndarray, width: float, min_span: float, max_gap: int, settings: PenLookSettings
) -> np.ndarray:
    """The pixels of ``blob`` within the stroke's width of its path, followed column by column
    (a stroke more across than up; the transpose for one more up than across): all False when no
    chain of its one-run columns spans ``min_span``."""
    out = np.zeros(blob.shape, dtype=bool)
    xs, ys = _samples(blob, settings.max_run * width)
    keep = _chain(xs, ys, max_gap, settings.max_slope, width)
    if len(keep) < 2 or xs[keep[-1]] - xs[keep[0]] < min_span:
        return out
    cols = np.arange(xs[keep[0]], xs[keep[-1]] + 1)
    path = np.interp(cols, xs[keep], ys[keep])
    rows = np.arange(blob.shape[0])[:, None]
    band = np.abs(rows - path[None, :]) <= width / 2.0 + 3.0
    near = cv2.dilate(blob.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    out[:, cols[0] : cols[-1] + 1] = band & near[:, cols[0] : cols[-1] + 1]
    return out


def _across_rules(ink: np.ndarray, removed: np.ndarray, reach: int) -> np.ndarray:
    """What joins ``ink``'s pieces into blobs: ``ink`` and the pixels of ``removed`` (the ruling
    lines taken out of it) within ``reach`` pixels of it -- a stroke crossing a rule is one blob
    again, not two each shorter than a stroke.  Only for labelling: the rule's pixels are never
    part of a blob's shape."""
    side = 2 * reach + 1
    near = cv2.dilate(ink.astype(np.uint8), np.ones((side, side), np.uint8)) > 0
    return ink | (removed & near)


def stroke_mask(
    gray: np.ndarray, rules: np.ndarray | None, dpi: float, settings: PenLookSettings
) -> np.ndarray:
    """Boolean mask (``gray``'s shape) of the pixels of every pen stroke found in ``gray`` (a
    region of the page; ``rules``: its ruling lines, left out): all False when none is."""
    out = np.zeros(gray.shape, dtype=bool)
    ink = ink_mask(gray)
    width = mm_to_px(settings.width_mm, dpi)
    joined = ink  # what makes the blobs
    if rules is not None:
        removed = cv2.dilate(rules.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        ink = ink & ~removed
        joined = _across_rules(ink, removed, int(np.ceil(width))) if settings.across_rules else ink
    min_span = mm_to_px(settings.min_span_mm, dpi)
    max_gap = max(1, round(mm_to_px(settings.max_gap_mm, dpi)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined.astype(np.uint8), connectivity=8)
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label, :4])
        if max(w, h) < min_span:
            continue
        blob = (labels[y : y + h, x : x + w] == label) & ink[y : y + h, x : x + w]
        found = _along(blob, width, min_span, max_gap, settings) if w >= min_span else np.zeros_like(blob)
        if h >= min_span / 2:  # the steep parts, row by row
            found |= _along(blob.T, width, min_span / 2, max_gap, settings).T
        out[y : y + h, x : x + w] |= found
    return out


def _bridged(gray: np.ndarray, mask: np.ndarray, ink: np.ndarray, paper: int, longest: int) -> np.ndarray:
    """``gray`` with each run of ``mask`` down a column (at most ``longest`` long) painted: ink
    where the pixels just above and below it are both ``ink`` (a digit's stem the stroke crossed),
    the paper elsewhere -- never from the sides (across a "0"'s hollow that drew an "8")."""
    out = gray.copy()
    height = gray.shape[0]
    for x in np.flatnonzero(mask.any(axis=0)):
        for top, end in _runs(mask[:, x]):
            if end - top > longest:
                continue
            joined = top > 0 and end < height and ink[top - 1, x] and ink[end, x]
            out[top:end, x] = (int(gray[top - 1, x]) + int(gray[end, x])) // 2 if joined else paper
    return out


def without_pen_stroke(
    gray: np.ndarray, rules: np.ndarray | None, dpi: float, settings: PenLookSettings
) -> np.ndarray | None:
    """``gray`` with every pen stroke found (:func:`stroke_mask`) painted out, or None when none
    is: down the columns where the stroke runs across (:func:`_bridged`), along the rows where it
    runs up and down (the transpose)."""
    mask = stroke_mask(gray, rules, dpi, settings)
    if not mask.any():
        return None
    ink = ink_mask(gray) & ~mask
    paper = paper_level(gray)
    longest = max(1, round(settings.max_run * mm_to_px(settings.width_mm, dpi)) + 4)
    across = _bridged(gray, mask, ink, paper, longest)
    left = mask & (across == gray) & (gray < paper)  # the steep parts' pixels no column run painted
    return _bridged(across.T, left.T, ink.T, paper, longest).T
