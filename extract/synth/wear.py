"""Damage of worn prints and rough scans, beyond :mod:`extract.synth.scan`'s noise and blur.

Each function takes an array and a seeded ``numpy.random.Generator`` and returns a new array:

- :func:`rule_gaps`: stretches of 5-40 mm where a ruling line did not print (worn toner, a
  folded page) -- the reader must still find the cell boundary;
- :func:`seal` and :func:`signature`: a round red seal (gray in a grayscale scan) or a signature
  stroke laid over table cells;
- :func:`binding_shadow`: the dark band a book-bound report leaves along its spine;
- :func:`curl`: the page lifting off the glass near one edge, bending the lines.

``darkness`` arrays are ink coverage in [0, 1] on the clean page (before the scan's geometry);
``gray`` arrays are the scanned paper levels (float32, 0..255).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..units import mm_to_px, mm_to_whole_px

LINE_MIN_MM = 6.0  # a straight ink run at least this long is a ruling line
SEAL_RADIUS_MM = (14.0, 20.0)
SEAL_DARKNESS = (0.35, 0.55)  # red ink seen by a grayscale scanner
SIGNATURE_DARKNESS = (0.6, 0.9)  # blue or black ink
SIGNATURE_WIDTH_MM = (35.0, 60.0)
BINDING_SHADOW_MM = (8.0, 22.0)
BINDING_SHADOW_DARKEST = (0.45, 0.7)  # paper level kept at the spine


def _px(mm: float, dpi: float) -> int:
    return max(1, mm_to_whole_px(mm, dpi))


def _line_masks(darkness: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    ink = (darkness > 0.5).astype(np.uint8)
    length = _px(LINE_MIN_MM, dpi)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)) > 0
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)) > 0
    return horizontal, vertical


def rule_gaps(
    darkness: np.ndarray, dpi: float, count: int, length_mm: tuple[float, float], rng: np.random.Generator
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Erase ``count`` stretches of ruling lines, each ``length_mm`` long (drawn uniformly), at
    random points of the page's horizontal and vertical rules.  Returns the new darkness and the
    erased boxes ``(x0, y0, x1, y1)`` in clean-page pixels."""
    out = darkness.copy()
    horizontal, vertical = _line_masks(darkness, dpi)
    boxes: list[tuple[int, int, int, int]] = []
    points_h = np.argwhere(horizontal)
    points_v = np.argwhere(vertical)
    pad = _px(0.6, dpi)
    h, w = out.shape
    for _ in range(count):
        use_v = len(points_v) and (not len(points_h) or rng.random() < 0.5)
        pts = points_v if use_v else points_h
        if not len(pts):
            break
        y, x = (int(v) for v in pts[int(rng.integers(0, len(pts)))])
        half = _px(float(rng.uniform(*length_mm)), dpi) // 2
        if use_v:
            box = (max(0, x - pad), max(0, y - half), min(w, x + pad + 1), min(h, y + half))
            band = vertical[box[1] : box[3], box[0] : box[2]]
        else:
            box = (max(0, x - half), max(0, y - pad), min(w, x + half), min(h, y + pad + 1))
            band = horizontal[box[1] : box[3], box[0] : box[2]]
        region = out[box[1] : box[3], box[0] : box[2]]
        region[band] = 0.0  # only the rule's own pixels: text crossing it stays
        boxes.append(box)
    return out, boxes


def _content_box(darkness: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(darkness > 0.5)
    if not len(xs):
        h, w = darkness.shape
        return 0, 0, w, h
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def seal(
    darkness: np.ndarray, dpi: float, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A round seal (two rings, a star, lettering ticks) over a random point of the printed
    content.  Returns the new darkness and the seal's box."""
    out = darkness.copy()
    x0, y0, x1, y1 = _content_box(darkness)
    cx, cy = int(rng.integers(x0, max(x0 + 1, x1))), int(rng.integers(y0, max(y0 + 1, y1)))
    r = _px(float(rng.uniform(*SEAL_RADIUS_MM)), dpi)
    level = float(rng.uniform(*SEAL_DARKNESS))
    layer = np.zeros_like(out, dtype=np.float32)
    thick = _px(0.7, dpi)
    cv2.circle(layer, (cx, cy), r, 1.0, thick, cv2.LINE_AA)
    cv2.circle(layer, (cx, cy), int(r * 0.72), 1.0, max(1, thick // 2), cv2.LINE_AA)
    for k in range(40):  # the lettering between the rings, as short radial strokes
        a = 2 * math.pi * k / 40 + float(rng.uniform(-0.03, 0.03))
        r0, r1 = r * 0.76, r * 0.94
        p0 = (int(cx + r0 * math.cos(a)), int(cy + r0 * math.sin(a)))
        p1 = (int(cx + r1 * math.cos(a)), int(cy + r1 * math.sin(a)))
        cv2.line(layer, p0, p1, 1.0, max(1, thick // 2), cv2.LINE_AA)
    star = [
        (
            int(cx + r * 0.3 * math.cos(math.pi / 2 + k * 4 * math.pi / 5)),
            int(cy - r * 0.3 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)),
        )
        for k in range(5)
    ]
    cv2.fillPoly(layer, [np.array(star, np.int32)], 1.0, cv2.LINE_AA)
    out = np.maximum(out, layer * level)
    h, w = out.shape
    return out.astype(np.float32), (max(0, cx - r), max(0, cy - r), min(w, cx + r), min(h, cy + r))


def signature(
    darkness: np.ndarray, dpi: float, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A hand-written flourish (a smoothed random walk) over a random point of the content."""
    out = darkness.copy()
    x0, y0, x1, y1 = _content_box(darkness)
    width = _px(float(rng.uniform(*SIGNATURE_WIDTH_MM)), dpi)
    sx, sy = int(rng.integers(x0, max(x0 + 1, x1 - width))), int(rng.integers(y0, max(y0 + 1, y1)))
    n = 60
    xs = np.linspace(0, width, n)
    ys = np.cumsum(rng.normal(0, width / 40, n))
    ys = (
        np.convolve(ys, np.ones(5) / 5, mode="same")
        + np.sin(np.linspace(0, rng.uniform(6, 14), n)) * width / 12
    )
    pts = np.stack([sx + xs, sy + ys], axis=1).astype(np.int32)
    layer = np.zeros_like(out, dtype=np.float32)
    cv2.polylines(layer, [pts], False, 1.0, _px(0.45, dpi), cv2.LINE_AA)
    out = np.maximum(out, layer * float(rng.uniform(*SIGNATURE_DARKNESS)))
    h, w = out.shape
    bx0, by0 = int(pts[:, 0].min()), int(pts[:, 1].min())
    bx1, by1 = int(pts[:, 0].max()) + 1, int(pts[:, 1].max()) + 1
    return out.astype(np.float32), (max(0, bx0), max(0, by0), min(w, bx1), min(h, by1))


def binding_shadow(gray: np.ndarray, dpi: float, rng: np.random.Generator) -> np.ndarray:
    """Darken a band along the left or top edge (the spine), darkest at the edge."""
    out = gray.copy()
    band = _px(float(rng.uniform(*BINDING_SHADOW_MM)), dpi)
    darkest = float(rng.uniform(*BINDING_SHADOW_DARKEST))
    ramp = (darkest + (1.0 - darkest) * np.linspace(0.0, 1.0, band) ** 1.5).astype(np.float32)
    if rng.random() < 0.7:
        band = min(band, out.shape[1])
        out[:, :band] *= ramp[None, :band]
    else:
        band = min(band, out.shape[0])
        out[:band, :] *= ramp[:band, None]
    return out


def curl(
    gray: np.ndarray, dpi: float, amplitude_mm: float, paper: float, rng: np.random.Generator
) -> np.ndarray:
    """Bend the page near one side edge: rows shift down by up to ``amplitude_mm`` at that edge,
    falling off quadratically over half the page width."""
    h, w = gray.shape
    amp = mm_to_px(amplitude_mm, dpi)
    xs = np.arange(w, dtype=np.float32)
    t = (
        np.clip((xs / w - 0.5) * 2.0, 0.0, 1.0)
        if rng.random() < 0.5
        else np.clip((0.5 - xs / w) * 2.0, 0.0, 1.0)
    )
    shift = (amp * t**2).astype(np.float32)
    map_x = np.broadcast_to(xs[None, :], (h, w)).astype(np.float32)
    map_y = (np.arange(h, dtype=np.float32)[:, None] - shift[None, :]).astype(np.float32)
    return cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=paper)
