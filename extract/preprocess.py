"""Page clean-up: grayscale, orientation, deskew and binarization.

Array in, array out; inputs are never mutated.  Every size is derived from the page's DPI (see the
``*_MM`` constants and :class:`PreprocessSettings`), so the same settings work at 150, 200 and
300 dpi.

Conventions
-----------
* Grayscale images are ``uint8`` with dark ink on light paper.  Binary images are ``uint8`` with
  ink = 255 and paper = 0.
* Angles are in degrees.  :func:`rotate` turns the content **counter-clockwise** for a positive
  angle (OpenCV's ``getRotationMatrix2D`` convention, as seen on screen with y pointing down).
* The skew measured (:func:`_skew`) is the angle the content is currently rotated by, in the
  same convention: text lines that climb to the right have a positive skew, and ``rotate(image,
  -skew)`` straightens them.  :attr:`PreparedPage.skew_deg` records the angle actually passed to
  :func:`rotate` (so ``-skew``, or 0 when the page was straight enough).
* Quarter turns are **clockwise** (``PreparedPage.rotation``): 90 means the page was turned a
  quarter turn clockwise to make it upright.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .config import settings_section
from .model import PreparedPage
from .units import mm_to_px

# Background estimation: the grey-level closing window must be wider than any ink stroke (bold
# headings included) and narrower than the scale of uneven lighting.
BACKGROUND_WINDOW_MM = 2.5
# The background surface is smoothed at 1/BACKGROUND_REDUCTION of the resolution by a median
# filter of BACKGROUND_MEDIAN pixels (about 3.4 mm at any DPI for 8 and 5).
BACKGROUND_REDUCTION = 8
BACKGROUND_MEDIAN = 5
# The closing runs at half resolution when that is still at least this many dots per inch.
BACKGROUND_MIN_DPI = 100.0
# Analysis resolution of the orientation / skew search (dots per inch).  Skew precision comes from
# the parabolic refinement, not from the resolution.
ANALYSIS_DPI = 100.0
# Connected components taller or wider than this are not characters (rules, stamps, photos).
MAX_CHAR_MM = 8.0
# ... and smaller than this in both directions are specks.
MIN_CHAR_MM = 0.5
# Width of the strips in which :func:`upright_score` follows text lines (mm).
UPRIGHT_STRIP_MM = 25.0
# Fewer character-like components than this: too little text to judge orientation.
MIN_CHARS_FOR_ORIENTATION = 20
# Coarse and fine steps of the skew search (degrees).
# letters of a word are at most this far apart (mm): closing such gaps joins a line's letters
LETTER_GAP_MM = 1.2
COARSE_STEP_DEG = 0.25
FINE_STEP_DEG = 0.025
# Coarse search projects onto bins of this height (mm) so a peak cannot fall between angles.
COARSE_BIN_MM = 0.75
# At most this many ink points enter one projection (they are subsampled evenly beyond it).
MAX_PROFILE_POINTS = 400_000

Orientation = Callable[[np.ndarray, float], int]


class PreprocessSettings(BaseModel):
    """Settings of :func:`prepare_page` (section ``preprocess`` of ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    detect_quarter_turn: bool = True
    # A page is turned when the vertical text score beats the horizontal one by this factor.
    quarter_turn_ratio: float = Field(default=2.0, gt=1.0)
    deskew: bool = True
    max_skew_deg: float = Field(default=5.0, gt=0.0, le=20.0)
    # Below this |skew| the page is left alone (a rotation blurs a bilevel scan for no gain).
    min_skew_deg: float = Field(default=0.1, ge=0.0)
    # Ink must be at least this much darker than the local paper (fraction of the paper level).
    min_ink_contrast: float = Field(default=0.12, gt=0.0, lt=1.0)
    background_window_mm: float = Field(default=BACKGROUND_WINDOW_MM, gt=0.0)
    # A 1-bit scan: a pixel is ink when at least this share of it is inked.  Rendered (PDFium
    # smooths a 1-bit image) or turned by the deskew, a 1-px rule at 150 dpi spreads over two
    # pixels of about half its ink each, and a cut at half (a gray page's threshold) wore it
    # into dashes.
    bilevel_ink_coverage: float = Field(default=0.25, gt=0.0, lt=1.0)
    # ... at fax resolution: this many dots per inch or less (a 0.2 mm rule is one pixel; at 200
    # dpi a rule of two pixels survives the cut at half, and QĐ 707's 1-bit pages cut at a
    # quarter lost a stamp's digit under the widened rule mask)
    bilevel_coverage_dpi: float = Field(default=160.0, ge=0.0)

    @classmethod
    def from_config(cls, folder: str | os.PathLike[str] | None = None) -> PreprocessSettings:
        """Section ``preprocess`` of ``<configs>/pipeline.yaml``, defaults filling what is absent."""
        return settings_section(cls, "preprocess", folder)


def _odd(n: float) -> int:
    k = max(1, round(n))
    return k if k % 2 == 1 else k + 1


# --------------------------------------------------------------------------------------------
# grayscale and binarization


def to_gray(image: np.ndarray) -> np.ndarray:
    """Any page image (gray, BGR, BGRA, bool, uint16) as a new uint8 grayscale array.

    Raises ``ValueError`` for an empty array or an unsupported shape.
    """
    if image.size == 0:
        raise ValueError("image: empty array")
    img = image
    if img.dtype == bool:
        # a boolean page is taken as "True = ink"
        return np.where(img, 0, 255).astype(np.uint8)
    if img.dtype == np.uint16:
        img = (img >> 8).astype(np.uint8)
    elif img.dtype != np.uint8:
        img = np.clip(img, 0, 255).astype(np.uint8)
    if img.ndim == 2:
        return img.copy()
    if img.ndim == 3 and img.shape[2] == 1:
        return img[:, :, 0].copy()
    if img.ndim == 3 and img.shape[2] == 3:
        return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    if img.ndim == 3 and img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
    raise ValueError(f"image: unsupported shape {image.shape}")


def halve(image: np.ndarray) -> np.ndarray:
    """``image`` at half its size, each pixel the mean of a 2x2 block.  An odd last row or column
    is left out: OpenCV averages exact halves on a fast path (0.6 ms for an A4 page at 250 dpi)
    and takes 22 ms when the sides are odd and the scale is not exactly a half."""
    h, w = image.shape[:2]
    return cv2.resize(image[: h - h % 2, : w - w % 2], (w // 2, h // 2), interpolation=cv2.INTER_AREA)


def estimate_background(gray: np.ndarray, dpi: float, window_mm: float = BACKGROUND_WINDOW_MM) -> np.ndarray:
    """The paper's brightness under every pixel (uint8, same shape), ink wiped out.

    A grey-level closing (max then min filter) with a window of ``window_mm`` removes strokes
    narrower than the window; a median filter at an eighth of the resolution then smooths what
    is left (large stamps, dark blotches) into a slowly varying surface.
    """
    h, w = gray.shape
    half = gray
    f = 1.0
    if min(h, w) >= 4 * BACKGROUND_REDUCTION and dpi >= 2 * BACKGROUND_MIN_DPI:
        half = halve(gray)
        f = 0.5
    k = _odd(mm_to_px(window_mm, dpi * f))
    closed = cv2.morphologyEx(half, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    small = cv2.resize(
        closed,
        (max(1, w // BACKGROUND_REDUCTION), max(1, h // BACKGROUND_REDUCTION)),
        interpolation=cv2.INTER_AREA,
    )
    if min(small.shape) >= BACKGROUND_MEDIAN:
        small = cv2.medianBlur(small, BACKGROUND_MEDIAN)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def normalize_background(gray: np.ndarray, dpi: float, window_mm: float = BACKGROUND_WINDOW_MM) -> np.ndarray:
    """``gray`` divided by its paper brightness, scaled so that paper is 255 (uint8).

    Uneven lighting, yellowed paper and dark scan borders become flat white; ink keeps its
    contrast relative to the paper around it.
    """
    bg = cv2.max(estimate_background(gray, dpi, window_mm), 1)
    return cv2.divide(gray, bg, scale=255.0)


def ink_threshold(norm: np.ndarray, min_ink_contrast: float = 0.12) -> float:
    """Grey level at or below which a background-normalized pixel is ink.

    Otsu's split of the histogram, placed midway between the two classes' means (on a bilevel
    scan Otsu alone would cut right at the ink level and thin every stroke after a rotation), and
    never above ``255 * (1 - min_ink_contrast)``: on a blank or faded page Otsu would split paper
    noise, while ink fainter than ``min_ink_contrast`` of the paper level is dropped.
    """
    otsu, _ = cv2.threshold(norm, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    hist = cv2.calcHist([norm], [0], None, [256], [0, 256]).ravel().astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    k = int(otsu) + 1
    lo, hi = hist[:k].sum(), hist[k:].sum()
    t = float(otsu)
    if lo > 0 and hi > 0:
        t = 0.5 * (float(np.dot(hist[:k], levels[:k])) / lo + float(np.dot(hist[k:], levels[k:])) / hi)
    return min(t, 255.0 * (1.0 - min_ink_contrast))


def _threshold(norm: np.ndarray, t: float) -> np.ndarray:
    return cv2.threshold(norm, int(np.floor(t)), 255, cv2.THRESH_BINARY_INV)[1]


def binarize(
    gray: np.ndarray, dpi: float, *, min_ink_contrast: float = 0.12, window_mm: float = BACKGROUND_WINDOW_MM
) -> np.ndarray:
    """Binary page (uint8, ink = 255, paper = 0) from a grayscale page.

    Background normalization (:func:`normalize_background`) then :func:`ink_threshold` (Otsu,
    capped by ``min_ink_contrast``), so uneven paper and faded ink survive.
    """
    if gray.ndim != 2:
        raise ValueError(f"gray: expected a 2-D array, got shape {gray.shape}")
    norm = normalize_background(gray, dpi, window_mm)
    return _threshold(norm, ink_threshold(norm, min_ink_contrast))


def rotate(image: np.ndarray, deg: float, *, fill: int = 255) -> np.ndarray:
    """``image`` turned ``deg`` degrees counter-clockwise about its centre, same shape.

    Corners that come from outside the image are painted ``fill`` (255 = white paper for a gray
    page; pass 0 for a binary image).  Bilinear interpolation; a copy is returned for 0 degrees.
    """
    if deg == 0:
        return image.copy()
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), deg, 1.0)
    border = (fill,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpAffine(
        image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )


def rotate_quarter(image: np.ndarray, clockwise_deg: int) -> np.ndarray:
    """``image`` turned by a multiple of 90 degrees clockwise (exact, shape swaps for 90/270)."""
    turns = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    q = clockwise_deg % 360
    if q not in turns:
        raise ValueError(f"clockwise_deg: expected a multiple of 90, got {clockwise_deg}")
    code = turns[q]
    return image.copy() if code is None else cv2.rotate(image, code)


# --------------------------------------------------------------------------------------------
# projection profiles: skew and orientation


@dataclass(frozen=True)
class _InkPoints:
    """Ink pixel coordinates (float32, analysis resolution) centred on the image centre."""

    x: np.ndarray
    y: np.ndarray
    scale: float  # analysis pixels per original pixel
    dpi: float  # the analysis resolution


def _downscaled_binary(binary: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    scale = min(1.0, ANALYSIS_DPI / dpi)
    if scale >= 0.999:
        return binary, 1.0
    h, w = binary.shape
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if scale < 0.5 and min(h, w) >= 4:
        # halved first, then the rest of the way: the same averaging of the ink in a third of the
        # time of one odd-factor reduction
        binary = halve(binary)
    small = cv2.resize(binary, size, interpolation=cv2.INTER_AREA)
    return np.where(small >= 96, 255, 0).astype(np.uint8), scale


def _char_components(binary: np.ndarray, dpi: float) -> tuple[np.ndarray, int]:
    """Only the character-sized connected components of ``binary`` (rules, stamps, specks gone),
    and how many there are."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n <= 1:
        return np.zeros_like(binary), 0
    w = stats[:, cv2.CC_STAT_WIDTH]
    h = stats[:, cv2.CC_STAT_HEIGHT]
    big = mm_to_px(MAX_CHAR_MM, dpi)
    small = mm_to_px(MIN_CHAR_MM, dpi)
    keep = (w <= big) & (h <= big) & ((w >= small) | (h >= small))
    keep[0] = False
    lut = np.where(keep, 255, 0).astype(np.uint8)
    return lut[labels], int(keep.sum())


def without_border_ink(binary: np.ndarray) -> np.ndarray:
    """``binary`` without the ink connected to the image's edge: a scanner's edge shadow or a
    binding shadow is a band of ink along one side, at the pixel grid's own angle, whose one
    projection bin outweighs every text line and rule and pulled the skew to 0 on worn scans
    (dev pages whose tables were then lost)."""
    out = binary.copy()
    h, w = out.shape
    if h < 3 or w < 3:
        return out
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(out, connectivity=8)
    x0, y0 = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    x1, y1 = x0 + stats[:, cv2.CC_STAT_WIDTH], y0 + stats[:, cv2.CC_STAT_HEIGHT]
    edge = (x0 == 0) | (y0 == 0) | (x1 == w) | (y1 == h)
    edge[0] = False
    if edge.any():
        out[edge[labels]] = 0
    return out


def _points(binary: np.ndarray, scale: float, dpi: float) -> _InkPoints:
    nz = cv2.findNonZero(binary)
    nz = np.zeros((0, 2), np.int32) if nz is None else nz.reshape(-1, 2)
    xs, ys = nz[:, 0], nz[:, 1]
    if len(xs) > MAX_PROFILE_POINTS:
        step = math.ceil(len(xs) / MAX_PROFILE_POINTS)
        ys, xs = ys[::step], xs[::step]
    h, w = binary.shape
    return _InkPoints(
        x=(xs.astype(np.float32) - (w - 1) / 2.0),
        y=(ys.astype(np.float32) - (h - 1) / 2.0),
        scale=scale,
        dpi=dpi * scale,
    )


def _profile_score(pts: _InkPoints, deg: float, bin_px: float, vertical: bool = False) -> float:
    """Sharpness of the projection of the ink at angle ``deg``: sum of squared bin differences.

    ``vertical`` projects onto the x axis (text lines running top to bottom).  Text lines, rules
    and inter-line gaps aligned with the projection make the profile spiky, which this rewards.
    """
    if len(pts.x) == 0:
        return 0.0
    t = math.radians(deg)
    if vertical:
        coord = pts.x * math.cos(t) + pts.y * math.sin(t)
    else:
        coord = pts.y * math.cos(t) - pts.x * math.sin(t)
    idx = np.floor((coord - coord.min()) / bin_px).astype(np.int64)
    hist = np.bincount(idx).astype(np.float64)
    d = np.diff(hist)
    return float(np.dot(d, d))


def _search_angle(
    pts: _InkPoints,
    max_deg: float,
    vertical: bool = False,
    refine: bool = True,
    coarse_pts: _InkPoints | None = None,
) -> tuple[float, float]:
    """Best projection angle within ±max_deg: coarse grid (on ``coarse_pts`` when given), then
    (``refine``) a fine grid and a parabolic refinement on ``pts``.

    Returns (angle in degrees, content rotated counter-clockwise positive; its score).
    """
    coarse_bin = max(1.0, mm_to_px(COARSE_BIN_MM, pts.dpi))
    coarse = np.arange(-max_deg, max_deg + 1e-9, COARSE_STEP_DEG)
    scores = [
        _profile_score(pts if coarse_pts is None else coarse_pts, a, coarse_bin, vertical) for a in coarse
    ]
    best = float(coarse[int(np.argmax(scores))])
    if not refine:
        return -best, float(max(scores))
    fine = np.arange(best - COARSE_STEP_DEG, best + COARSE_STEP_DEG + 1e-9, FINE_STEP_DEG)
    fscores = np.array([_profile_score(pts, a, 1.0, vertical) for a in fine])
    # light smoothing: single-bin noise of the fine profile must not pick the angle
    sm = np.convolve(fscores, np.array([1.0, 2.0, 1.0]) / 4.0, mode="same")
    sm[0], sm[-1] = fscores[0], fscores[-1]
    i = int(np.argmax(sm))
    angle = float(fine[i])
    if 0 < i < len(fine) - 1:
        y0, y1, y2 = sm[i - 1], sm[i], sm[i + 1]
        denom = y0 - 2 * y1 + y2
        if denom < 0:
            angle += FINE_STEP_DEG * 0.5 * (y0 - y2) / denom
    # The projection that flattens content turned counter-clockwise by a (on screen, y down) is
    # the one at -a, for horizontal and vertical projections alike.
    return -angle, float(sm[i])


def _skew(small: np.ndarray, scale: float, dpi: float, max_deg: float) -> float:
    """The skew (degrees, counter-clockwise positive, within ±``max_deg``) of the downscaled
    binary page ``small``: the angle that maximizes the sharpness of the horizontal projection
    profile of the ink (text lines and long ruling lines both sharpen it), searched coarse to fine
    and refined by parabolic interpolation to ~0.05°.  The coarse search leaves out the ink
    touching the page's edge (:func:`without_border_ink`), the fine one uses all of it; 0.0
    without ink."""
    pts = _points(small, scale, dpi)
    if len(pts.x) == 0:
        return 0.0
    inner = _points(without_border_ink(small), scale, dpi)
    return _search_angle(pts, max_deg, coarse_pts=inner if len(inner.x) else None)[0]


def _runs_top_to_bottom(chars: np.ndarray, dpi: float) -> bool:
    """Whether the letters of ``chars`` join into words top to bottom rather than left to right:
    closing the gaps between letters (``LETTER_GAP_MM``) joins more of them along the text.  A
    table of one- and two-digit numbers has a column profile spikier than its faded rows (dev hard
    scans were turned a quarter), but its labels' letters still join left to right."""
    k = max(2, round(mm_to_px(LETTER_GAP_MM, dpi)))
    across = cv2.connectedComponents(cv2.morphologyEx(chars, cv2.MORPH_CLOSE, np.ones((1, k), np.uint8)))[0]
    down = cv2.connectedComponents(cv2.morphologyEx(chars, cv2.MORPH_CLOSE, np.ones((k, 1), np.uint8)))[0]
    return down < across  # fewer components left: more letters joined


def _quarter_turn(small: np.ndarray, scale: float, dpi: float, ratio: float, max_skew_deg: float) -> int:
    """Clockwise quarter turn (0, 90 or 270) that makes the text lines of the downscaled binary
    page ``small`` horizontal.

    Geometric heuristic on character-sized components (rules and stamps are left out): the
    projection profile across horizontal text lines is far spikier than the one along them.  When
    the best vertical projection beats the best horizontal one by ``ratio`` (and the letters join
    into words top to bottom), the text runs top to bottom; 90 or 270 is then chosen by
    :func:`upright_score` (ascenders and Vietnamese diacritics sit above the x-height band, few
    marks hang below it).  Returns 0 when there is too little text.
    """
    chars, n_chars = _char_components(small, dpi * scale)
    if n_chars < MIN_CHARS_FOR_ORIENTATION:
        return 0
    pts = _points(chars, scale, dpi)
    _, horiz = _search_angle(pts, max_skew_deg, vertical=False, refine=False)
    vskew, vert = _search_angle(pts, max_skew_deg, vertical=True, refine=False)
    if vert <= ratio * horiz or not _runs_top_to_bottom(chars, dpi * scale):
        return 0
    straight = chars
    if abs(vskew) >= FINE_STEP_DEG:
        straight = cv2.threshold(rotate(chars, -vskew, fill=0), 127, 255, cv2.THRESH_BINARY)[1]
    cw = rotate_quarter(straight, 90)
    return 90 if upright_score(cw, dpi * scale) >= 0 else 270


def upright_score(binary: np.ndarray, dpi: float, strip_mm: float = UPRIGHT_STRIP_MM) -> float:
    """Positive when the horizontal text lines of ``binary`` stand upright, negative when upside down.

    The page is cut into vertical strips ``strip_mm`` wide (so that the columns of a table do not
    blur each other's lines).  In every strip, every text line (a run of non-empty rows of the
    strip's projection profile) has an x-height band: the rows holding at least half the line's
    peak ink.  Returns (ink above the bands - ink below them) / ink of all lines, in [-1, 1]:
    Latin ascenders, capitals and Vietnamese tone marks put more ink above the band than
    descenders and the dot below put under it (about +0.04 on real upright pages).
    """
    _h, w = binary.shape
    sw = max(8, int(mm_to_px(strip_mm, dpi)))
    min_line = max(3, int(mm_to_px(MIN_CHAR_MM * 2, dpi)))
    above = below = total = 0.0
    for x in range(0, w, sw):
        prof = np.count_nonzero(binary[:, x : x + sw], axis=1).astype(np.float64)
        on = np.concatenate(([False], prof > 0, [False]))
        starts = np.nonzero(on[1:] & ~on[:-1])[0]
        ends = np.nonzero(~on[1:] & on[:-1])[0]
        for y0, y1 in zip(starts, ends, strict=True):
            if y1 - y0 < min_line:
                continue
            seg = prof[y0:y1]
            core = np.nonzero(seg >= 0.5 * seg.max())[0]
            above += seg[: core[0]].sum()
            below += seg[core[-1] + 1 :].sum()
            total += seg.sum()
    return 0.0 if total == 0 else (above - below) / total


# --------------------------------------------------------------------------------------------
# the page


def is_bilevel(gray: np.ndarray) -> bool:
    """Whether a grayscale page holds only black and white (a 1-bit scan, fax-like): no pixel of
    a sample of every other row and column is a shade in between."""
    sample = gray[::2, ::2]
    return bool(sample.size) and not np.any((sample > 0) & (sample < 255))


def _page_threshold(norm: np.ndarray, dpi: float, bilevel: bool, s: PreprocessSettings) -> float:
    """The ink threshold of a background-normalized page: :func:`ink_threshold`, or on a 1-bit
    scan at fax resolution (``bilevel_coverage_dpi`` or less) at least the level of a pixel
    ``bilevel_ink_coverage`` inked (the gray levels of a 1-bit scan come from smoothing:
    rendered or turned, a thin rule's ink is shared between two pixels, and cut at half they
    both fell to paper wherever the rule stepped)."""
    t = ink_threshold(norm, s.min_ink_contrast)
    if not bilevel or dpi > s.bilevel_coverage_dpi:
        return t
    return max(t, 255.0 * (1.0 - s.bilevel_ink_coverage))


def prepare_page(
    image: np.ndarray,
    dpi: float,
    *,
    orientation: Orientation | None = None,
    settings: PreprocessSettings | None = None,
    bilevel: bool | None = None,
) -> PreparedPage:
    """Grayscale, upright, straight and binarized page.

    Steps: :func:`to_gray`; the background-normalized page thresholded as :func:`binarize` does;
    on a copy of that at ``ANALYSIS_DPI``, a quarter turn when the text runs vertically
    (:func:`_quarter_turn`); then ``orientation(gray, dpi)`` if given, the clockwise rotation in
    degrees (a multiple of 90, typically 0 or 180 from tesseract's OSD) that makes the page
    upright; deskew by the angle of :func:`_skew` within ``max_skew_deg`` unless below
    ``min_skew_deg`` (the background-normalized page is turned with the gray one and thresholded
    once more, at the threshold found before turning; a 1-bit scan's keeps every pixel a
    quarter inked, :func:`_page_threshold`).  ``PreparedPage.rotation`` is the
    clockwise quarter turn applied, ``skew_deg`` the counter-clockwise angle passed to
    :func:`rotate` (about the image centre, same size).  ``bilevel``: the source is a 1-bit scan
    (``None``: judged from the pixels, :func:`is_bilevel`), kept on the result.  ``image`` is not
    modified.  Raises ``ValueError`` for an empty image, a non-positive DPI or an orientation that
    is not a multiple of 90.
    """
    if dpi <= 0:
        raise ValueError(f"dpi: expected a positive resolution, got {dpi}")
    s = settings or PreprocessSettings()
    gray = to_gray(image)
    bilevel = is_bilevel(gray) if bilevel is None else bilevel
    norm = normalize_background(gray, dpi, s.background_window_mm)
    t = _page_threshold(norm, dpi, bilevel, s)
    binary = _threshold(norm, t)

    small, scale = _downscaled_binary(binary, dpi)
    rotation = 0
    if s.detect_quarter_turn:
        rotation = _quarter_turn(small, scale, dpi, s.quarter_turn_ratio, s.max_skew_deg)
    if orientation is not None:
        upright = gray if not rotation else rotate_quarter(gray, rotation)
        extra = int(orientation(upright, dpi)) % 360
        if extra % 90 != 0:
            raise ValueError(f"orientation callable returned {extra}, not a multiple of 90")
        rotation = (rotation + extra) % 360
    if rotation:
        gray, norm, binary, small = (rotate_quarter(a, rotation) for a in (gray, norm, binary, small))

    applied = 0.0
    if s.deskew:
        skew = _skew(small, scale, dpi, s.max_skew_deg)
        if abs(skew) >= s.min_skew_deg:
            applied = -skew
            gray = rotate(gray, applied, fill=int(np.median(gray[::16, ::16])))
            binary = _threshold(rotate(norm, applied, fill=255), t)
    return PreparedPage(
        gray=gray,
        binary=binary,
        dpi=float(dpi),
        rotation=rotation,
        skew_deg=round(applied, 3),
        bilevel=bilevel,
    )
