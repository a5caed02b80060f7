"""Round seals stamped over a table: their rings and lettering are no text.

A district's seal (an outer ring, an inner ring, lettering between them, an emblem in the
middle), stamped over the last rows of a table, lies across the rules that broke under it: its
rings join the digits they touch into blobs that seem to cross every lost rule, and the strokes
of its lettering stand on the lines between the rows.  The cells under it then stay merged
(four communes in one label cell: dev 156's 7B), although every value stands in its own row.

:func:`find_seals` finds the seal as a circle (OpenCV's Hough transform on the ink, at
``seal_search_dpi``), then checks it at full resolution: a radius at which ink runs round at
least ``seal_ring_share`` of the circle (a table's text never does).  :func:`erase_rings` takes
its rings out of the ink, so the digits they crossed stand alone again; :func:`in_lettering`
tells the blobs that lie wholly between the two rings (the lettering), which the row and
column tests of :mod:`.text_evidence` do not count as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from ..units import mm_to_px

ANGLE_BINS = 180  # the circle's coverage is counted in this many sectors
PEAK_SHARE = 0.3  # a ring's stroke: the radii around its peak holding this share of the peak's ink
CENTRE_STEP = 2  # px: the centre found at the search resolution is refined on this grid ...
INNER_RANGE = (0.55, 0.9)  # an inner ring lies at this share of the outer ring's radius
EMBLEM_SHARE = 0.6  # the emblem or star stands within this share of the inner ring's radius


class SealSettings(Protocol):
    """The settings :func:`find_seals` reads (``tables.text`` of ``configs/pipeline.yaml``)."""

    seal_radius_min_mm: float
    seal_radius_max_mm: float
    seal_ring_share: float
    seal_search_dpi: float


@dataclass(frozen=True)
class Ring:
    """A ring of a seal: its stroke lies between radii ``lo`` and ``hi`` (px) of the centre."""

    lo: float
    hi: float


@dataclass(frozen=True)
class Seal:
    """A round seal: its centre (pixels of the searched image) and its rings."""

    cx: float
    cy: float
    outer: Ring
    inner: Ring | None


def _ink_points(ink: np.ndarray, cx: float, cy: float, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """x and y (float) of the ink pixels within ``reach`` of (cx, cy), a square window."""
    h, w = ink.shape
    x0, y0 = max(0, int(cx - reach)), max(0, int(cy - reach))
    x1, y1 = min(w, int(cx + reach) + 1), min(h, int(cy + reach) + 1)
    ys, xs = np.nonzero(ink[y0:y1, x0:x1])
    return xs.astype(np.float64) + x0, ys.astype(np.float64) + y0


def _ring(d: np.ndarray, angle: np.ndarray, lo: float, hi: float, share: float) -> Ring | None:
    """The ring whose stroke holds the most ink between radii ``lo`` and ``hi``, when its ink
    runs round at least ``share`` of the circle."""
    sel = (d >= lo) & (d < hi)
    if not sel.any():
        return None
    counts = np.bincount((d[sel] - lo).astype(np.int64))
    peak = int(counts.argmax())
    a, b = peak, peak
    while a > 0 and counts[a - 1] >= PEAK_SHARE * counts[peak]:
        a -= 1
    while b + 1 < len(counts) and counts[b + 1] >= PEAK_SHARE * counts[peak]:
        b += 1
    ring = Ring(lo + a - 1, lo + b + 2)
    on = (d >= lo + peak) & (d < lo + peak + 1)  # one pixel's radius: the stroke runs round it
    sectors = np.unique((angle[on] * ANGLE_BINS / (2 * np.pi)).astype(np.int64) % ANGLE_BINS)
    return ring if len(sectors) >= share * ANGLE_BINS else None


def _checked(ink: np.ndarray, x: float, y: float, r: float, s: SealSettings) -> Seal | None:
    """The seal whose circle the search found at (x, y), radius r (full-resolution pixels), with
    its centre refined, or ``None`` when no ring of ink runs round it."""
    xs, ys = _ink_points(ink, x, y, 1.25 * r)
    if not len(xs):
        return None
    best: tuple[int, float, float] | None = None
    span = int(np.ceil(0.03 * r / CENTRE_STEP)) * CENTRE_STEP
    for dx in range(-span, span + 1, CENTRE_STEP):
        for dy in range(-span, span + 1, CENTRE_STEP):
            d = np.hypot(xs - (x + dx), ys - (y + dy))
            sel = (d >= 0.85 * r) & (d < 1.15 * r)
            top = int(np.bincount(d[sel].astype(np.int64)).max()) if sel.any() else 0
            if best is None or top > best[0]:
                best = (top, x + dx, y + dy)
    assert best is not None
    cx, cy = best[1], best[2]
    d = np.hypot(xs - cx, ys - cy)
    angle = np.arctan2(ys - cy, xs - cx) + np.pi
    outer = _ring(d, angle, 0.85 * r, 1.15 * r, s.seal_ring_share)
    if outer is None:
        return None
    mid = (outer.lo + outer.hi) / 2
    inner = _ring(d, angle, INNER_RANGE[0] * mid, INNER_RANGE[1] * mid, s.seal_ring_share)
    return Seal(cx, cy, outer, inner)


def find_seals(ink: np.ndarray, dpi: float, s: SealSettings) -> tuple[Seal, ...]:
    """The round seals in ``ink`` (uint8, 255 on ink, the rules taken out), largest first."""
    lo, hi = mm_to_px(s.seal_radius_min_mm, dpi), mm_to_px(s.seal_radius_max_mm, dpi)
    if min(ink.shape) < 2 * lo:
        return ()
    f = min(1.0, s.seal_search_dpi / dpi)
    small = cv2.resize(ink, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else ink
    small = cv2.GaussianBlur(small, (3, 3), 0)
    found = cv2.HoughCircles(
        small,
        cv2.HOUGH_GRADIENT_ALT,
        dp=1,
        minDist=max(1.0, 2 * lo * f),
        param1=100,
        param2=0.5,
        minRadius=max(1, int(lo * f)),
        maxRadius=max(2, int(np.ceil(hi * f))),
    )
    if found is None:
        return ()
    seals: list[Seal] = []
    for x, y, r in sorted(found[0].tolist(), key=lambda c: -c[2]):
        x, y, r = x / f, y / f, r / f
        if any(np.hypot(x - o.cx, y - o.cy) < o.outer.hi for o in seals):
            continue  # its inner ring, found as a circle of its own
        seal = _checked(ink, x, y, r, s)
        if seal is not None:
            seals.append(seal)
    return tuple(seals)


def erase_rings(ink: np.ndarray, seals: tuple[Seal, ...]) -> np.ndarray:
    """A copy of ``ink`` without the seals' ring strokes (the ink between each ring's radii)."""
    if not seals:
        return ink
    out = ink.copy()
    for seal in seals:
        xs, ys = _ink_points(ink, seal.cx, seal.cy, seal.outer.hi + 1)
        d = np.hypot(xs - seal.cx, ys - seal.cy)
        on = (d >= seal.outer.lo) & (d < seal.outer.hi)
        if seal.inner is not None:
            on |= (d >= seal.inner.lo) & (d < seal.inner.hi)
        out[ys[on].astype(np.int64), xs[on].astype(np.int64)] = 0
    return out


def in_lettering(
    seals: tuple[Seal, ...], x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray
) -> np.ndarray:
    """Which boxes (half-open, pixels of the searched image) lie wholly between a seal's inner
    and outer rings: its lettering (a seal with no inner ring has none that can be told)."""
    out = np.zeros(len(x0), bool)
    for seal in seals:
        if seal.inner is None:
            continue
        near_x = np.clip(seal.cx, x0, x1 - 1) - seal.cx
        near_y = np.clip(seal.cy, y0, y1 - 1) - seal.cy
        far_x = np.maximum(np.abs(x0 - seal.cx), np.abs(x1 - 1 - seal.cx))
        far_y = np.maximum(np.abs(y0 - seal.cy), np.abs(y1 - 1 - seal.cy))
        out |= (np.hypot(near_x, near_y) >= seal.inner.lo) & (np.hypot(far_x, far_y) < seal.outer.hi)
    return out


def shifted(seal: Seal, dx: float, dy: float) -> Seal:
    """``seal`` with its centre moved by (dx, dy): from a searched image's pixels to the page's."""
    return Seal(seal.cx + dx, seal.cy + dy, seal.outer, seal.inner)


def on_ring(seal: Seal, x0: float, y0: float, x1: float, y1: float) -> bool:
    """Whether the box [x0, x1) x [y0, y1) reaches one of the seal's rings (its strokes were
    taken out of the ink: what is under them cannot be read)."""
    near = float(np.hypot(np.clip(seal.cx, x0, x1 - 1) - seal.cx, np.clip(seal.cy, y0, y1 - 1) - seal.cy))
    far = float(
        np.hypot(max(abs(x0 - seal.cx), abs(x1 - 1 - seal.cx)), max(abs(y0 - seal.cy), abs(y1 - 1 - seal.cy)))
    )
    rings = [seal.outer] if seal.inner is None else [seal.outer, seal.inner]
    return any(near < ring.hi and far >= ring.lo for ring in rings)


def in_emblem(
    seals: tuple[Seal, ...], x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray
) -> np.ndarray:
    """Which boxes lie wholly within ``EMBLEM_SHARE`` of the inner ring's radius (the outer
    ring's, when it has none) from a seal's centre: its emblem or star, whole or in pieces."""
    out = np.zeros(len(x0), bool)
    for seal in seals:
        limit = EMBLEM_SHARE * (seal.inner or seal.outer).lo
        far_x = np.maximum(np.abs(x0 - seal.cx), np.abs(x1 - 1 - seal.cx))
        far_y = np.maximum(np.abs(y0 - seal.cy), np.abs(y1 - 1 - seal.cy))
        out |= np.hypot(far_x, far_y) < limit
    return out


def in_disc(seal: Seal, x0: float, y0: float, x1: float, y1: float) -> bool:
    """Whether the box [x0, x1) x [y0, y1) reaches inside the seal's outer ring."""
    near_x = float(np.clip(seal.cx, x0, x1 - 1)) - seal.cx
    near_y = float(np.clip(seal.cy, y0, y1 - 1)) - seal.cy
    return x1 > x0 and y1 > y0 and float(np.hypot(near_x, near_y)) < seal.outer.hi
