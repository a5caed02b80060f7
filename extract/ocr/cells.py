"""Cutting table cells out of a page and preparing them for tesseract.

Pure functions on uint8 grayscale arrays (ink dark, paper light); inputs are never mutated.
Sizes that depend on the scan are given in millimetres and turned into pixels with the DPI.

- :func:`cut_cell`: the inside of a cell, ruling lines painted over with paper, trimmed to its
  ink, with a paper-coloured border, and its :class:`CropInfo` (ink, text lines, letter heights,
  spaces, a leading minus sign), measured on the same connected-component pass; the reader hands
  the info on to :func:`prepare_number` / :func:`prepare_text` so a cell's blobs are found only
  once.
- :func:`text_area`: the box around the letters of a region (``None`` for dust).
- :func:`prepare_number` / :func:`prepare_text`: the images handed to tesseract.
- :func:`has_ink`, :func:`text_lines`: single measurements of a crop (what :class:`CropInfo`
  holds, found on their own blob pass).

Speed: a page holds a few hundred cells, each prepared several times, so the statistics here are
histogram-based (one ``bincount`` per crop, no sorting) and blob selections use lookup tables.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..model import PixelBox
from ..units import mm_to_px

INK_MIN_CONTRAST = 60  # grey levels below the paper for a pixel to count as ink ...
INK_NOISE_SIGMAS = 4.0  # ... and this many standard deviations of the paper's grain
PAPER_SIGMA_SPAN = 0.6071  # z(0.90) - z(0.75): the p75..p90 spread of paper grain in sigmas
PAPER_P75_SIGMAS = 0.6745  # z(0.75): the 75th percentile sits this many sigmas above the paper mean
MASK_BLUR_KSIZE = 3  # Gaussian smoothing before deciding ink, in pixels
RULE_HALO_MM = 0.15  # the rule mask is grown this far to catch anti-aliased rule edges
MIN_GLYPH_EXTENT_MM = 0.38  # a blob smaller than this in both directions is a speck (a 10 pt '.' is ~0.42 mm)
MIN_GLYPH_AREA_MM2 = 0.03  # ... or with less ink than this
EDGE_RULE_MIN_SPAN = 0.6  # a blob touching the crop edge and spanning this share of it ...
EDGE_RULE_MAX_THICK_MM = 0.5  # ... with its ink in a band this wide along the edges ...
EDGE_RULE_BAND_SHARE = 0.9  # ... (this share of it) is a left-over ruling line
MARK_REACH_MM = 2.0  # glyph-sized marks (minus signs, accents) this close to a letter belong to it
PUNCT_REACH_MM = 0.8  # marks smaller than a glyph within this distance of one are kept (punctuation) ...
PUNCT_MIN_AREA_MM2 = 0.08  # ... when they hold this much ink (a 10 pt '.' holds ~0.14 mm²)
DEFAULT_BORDER_PX = 12
LETTER_MIN_SHARE = 0.4  # glyph blobs shorter than this share of the tallest are marks, not letters
# ... the tallest counted at most this many times the 90th percentile of the glyph heights: on a
# 1-bit scan the lines of a wrapped cell touch (an accent on the "c" above it), and one blob two
# lines tall made every x-height letter a mark, painted out unless near a tall one (QĐ 707)
LETTER_REF_SPREAD = 1.6
LINE_OVERLAP_SHARE = 0.5  # a letter joins a line overlapping this share of its height
NUMBER_BLUR_KSIZE = 3  # the "light" Gaussian blur of number crops, in output pixels
TEXT_SCALE_LIMITS = (0.5, 4.0)
NUMBER_SCALE_LIMITS = (0.5, 4.0)


@dataclass(frozen=True, eq=False)
class PreparedCrop:
    """An image ready for tesseract and its resolution (the crop's DPI times the scale applied)."""

    image: np.ndarray
    dpi: float


# --------------------------------------------------------------------------------------------
# ink


HIST_EXACT_PIXELS = 1 << 24  # cv2.calcHist counts in float32: exact below 2**24 pixels


def _percentiles(gray: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """``np.percentile(gray, qs)`` (linear interpolation), from a 256-bin histogram for uint8
    crops: the same values, without sorting the pixels (the grey levels of every ``qs`` found by
    one search of the cumulative histogram)."""
    if gray.dtype != np.uint8:
        return [float(v) for v in np.percentile(gray, qs)]
    if gray.size < HIST_EXACT_PIXELS:  # OpenCV's histogram: np.bincount's counts, 2.5-5x faster
        counts = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel().astype(np.int64)
    else:
        counts = np.bincount(gray.ravel(), minlength=256)
    cum = np.cumsum(counts)
    last = int(cum[-1]) - 1
    spots = []
    for q in qs:
        pos = q / 100.0 * last
        lo = int(np.floor(pos))
        spots.append((pos, lo, min(lo + 1, last)))
    levels = np.searchsorted(cum, [i for _, lo, hi in spots for i in (lo, hi)], side="right").tolist()
    return [
        float(v_lo) + (pos - lo) * float(v_hi - v_lo)
        for (pos, lo, _), v_lo, v_hi in zip(spots, levels[0::2], levels[1::2], strict=True)
    ]


def paper_stats(gray: np.ndarray) -> tuple[float, float]:
    """The paper's mean grey level and grain (standard deviation) of a crop.

    Read off the bright half of the histogram (the 50th, 75th and 90th percentiles), which is
    paper as long as ink covers less than a quarter of the crop.
    """
    if gray.size == 0:
        return 255.0, 0.0
    p50, p75, p90 = _percentiles(gray, (50, 75, 90))
    sigma = max(0.0, (p90 - p75) / PAPER_SIGMA_SPAN)
    return max(p50, p75 - PAPER_P75_SIGMAS * sigma), sigma


def paper_level(gray: np.ndarray) -> int:
    """The paper's grey level (0..255) of a crop."""
    return round(paper_stats(gray)[0])


def ink_threshold(gray: np.ndarray, min_contrast: float = INK_MIN_CONTRAST) -> float | None:
    """Grey level at or below which a pixel of ``gray`` is ink; ``None`` when nothing is ink.

    Otsu's threshold, clipped so ink is at least ``min_contrast`` grey levels and
    ``INK_NOISE_SIGMAS`` grain deviations below the paper.  Paper level and grain are estimated
    from the bright half of the histogram (most of a cell is paper), so a crop with a few ink
    pixels on grainy paper is not split down the middle of its paper as plain Otsu would.
    """
    return _ink_thresholds(gray, (min_contrast,))[0]


def _ink_thresholds(gray: np.ndarray, min_contrasts: tuple[float, ...]) -> list[float | None]:
    """:func:`ink_threshold` of ``gray`` at each of ``min_contrasts``, the paper and Otsu's
    threshold found once."""
    if gray.size == 0:
        return [None] * len(min_contrasts)
    paper, sigma = paper_stats(gray)
    darkest = float(gray.min())
    otsu: float | None = None
    out: list[float | None] = []
    for min_contrast in min_contrasts:
        limit = paper - max(min_contrast, INK_NOISE_SIGMAS * sigma)
        if limit <= 0 or darkest > limit:
            out.append(None)
            continue
        if otsu is None:
            otsu = float(
                cv2.threshold(np.ascontiguousarray(gray), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
            )
        out.append(min(otsu, float(limit)))
    return out


def raise_contrast(gray: np.ndarray, gain: float) -> np.ndarray:
    """``gray`` with every pixel's depth under the paper (:func:`paper_level`) multiplied by
    ``gain``: faded toner (a digit 20-50 grey levels under the paper) becomes as dark as the ink
    that :func:`ink_threshold` takes, and the paper's grain grows alike, so the grain guard of
    :func:`ink_threshold` still holds specks of paper apart."""
    if gray.size == 0:
        return gray.copy()
    paper = float(paper_level(gray))
    raised = paper - (paper - gray.astype(np.float32)) * float(gain)
    return np.clip(raised, 0, 255).astype(np.uint8)


def without_light_ink(gray: np.ndarray, gain: float) -> np.ndarray:
    """``gray`` with all but the ink that stays ink at its contrast to the paper multiplied by
    ``gain`` (< 1, :func:`raise_contrast`) painted the paper's grey, the strokes that stay grown by
    a pixel (their grey edges).  A seal stamped in red or blue is a lighter grey on the scan than the printed
    digits under it (on the dev hard scans 60-90 grey levels under the paper against 110-150): its
    rings and lettering go, the digits stay as they were printed."""
    if gray.size == 0:
        return gray.copy()
    ink = ink_mask(raise_contrast(gray, gain)).astype(np.uint8)
    stays = cv2.dilate(ink, np.ones((3, 3), np.uint8)) > 0
    out = gray.copy()
    out[~stays] = paper_level(gray)
    return out


def raised_ink_growth(gray: np.ndarray, rules: np.ndarray | None, gain: float) -> float:
    """How many times more ink (:func:`ink_mask`, ``rules`` pixels left out) ``gray`` holds at its
    contrast to the paper raised ``gain`` times (:func:`raise_contrast`) than as it is; 1.0 with no
    ink.  A cell's own strokes grow by their grey edges (on a mild 300-dpi document 1.02-1.17
    times); a worn digit's faded strokes become ink (on the dev hard scans the digits a second look
    read right grew 1.36-3.2 times)."""
    keep = ~rules if rules is not None else np.ones(gray.shape, dtype=bool)
    before = int((ink_mask(gray) & keep).sum())
    if before == 0:
        return 1.0
    return int((ink_mask(raise_contrast(gray, gain)) & keep).sum()) / before


def may_hold_faint_ink(crop: np.ndarray, gain: float) -> bool:
    """Whether a cleaned crop may hold ink at ``gain`` times its contrast (:func:`raise_contrast`):
    a pixel of its lightly smoothed copy lies ``INK_MIN_CONTRAST / gain`` grey levels and
    ``INK_NOISE_SIGMAS`` grain deviations under the paper -- the test :func:`ink_threshold` makes
    of the raised crop, without raising it (a blank cell of a clean page is answered from one
    histogram)."""
    if crop.size == 0:
        return False
    smooth = cv2.GaussianBlur(np.ascontiguousarray(crop), (MASK_BLUR_KSIZE, MASK_BLUR_KSIZE), 0)
    return ink_threshold(smooth, INK_MIN_CONTRAST / float(gain)) is not None


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Boolean mask of ink pixels, decided on a lightly smoothed copy (grain averages out)."""
    if gray.size == 0:
        return np.zeros(gray.shape, dtype=bool)
    smooth = cv2.GaussianBlur(np.ascontiguousarray(gray), (MASK_BLUR_KSIZE, MASK_BLUR_KSIZE), 0)
    threshold = ink_threshold(smooth)
    if threshold is None:
        return np.zeros(gray.shape, dtype=bool)
    return smooth <= threshold


def _components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and stats (x, y, w, h, area per row; row 0 is the background) of 8-connected blobs."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    return labels, stats


def _glyph_ids(stats: np.ndarray, dpi: float) -> np.ndarray:
    """Indices of blobs big enough to be (part of) a glyph rather than noise specks."""
    extent = max(2.0, mm_to_px(MIN_GLYPH_EXTENT_MM, dpi))
    area = max(2.0, mm_to_px(1.0, dpi) ** 2 * MIN_GLYPH_AREA_MM2)
    w, h, a = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    keep = (np.maximum(w, h) >= extent) & (a >= area)
    return np.nonzero(keep)[0] + 1


def _edge_rule_ids(labels: np.ndarray, stats: np.ndarray, dpi: float, sliver_px: float = 0.0) -> np.ndarray:
    """Blobs that are remains of ruling lines: nearly all their ink lies in a thin band along
    the crop's edges and they run along at least ``EDGE_RULE_MIN_SPAN`` of a side (a line, an
    L or a whole frame left by a rule the line mask missed) -- or, with ``sliver_px``, they are
    slivers of a broken rule: wholly in the band of a side and at most ``sliver_px`` thick across
    it, however short (:func:`_slivers`)."""
    height, width = labels.shape
    thick = max(2, round(mm_to_px(EDGE_RULE_MAX_THICK_MM, dpi)))
    band = np.zeros(labels.shape, dtype=bool)
    band[:thick], band[-thick:], band[:, :thick], band[:, -thick:] = True, True, True, True
    in_band = np.bincount(labels[band], minlength=stats.shape[0])
    area = stats[:, cv2.CC_STAT_AREA]
    long = (stats[:, cv2.CC_STAT_WIDTH] >= EDGE_RULE_MIN_SPAN * width) | (
        stats[:, cv2.CC_STAT_HEIGHT] >= EDGE_RULE_MIN_SPAN * height
    )
    rule = long & (in_band >= EDGE_RULE_BAND_SHARE * np.maximum(area, 1))
    if sliver_px > 0:
        rule |= _slivers(stats, width, height, thick, sliver_px)
    rule[0] = False
    return np.nonzero(rule)[0]


def _slivers(stats: np.ndarray, width: int, height: int, thick: int, sliver_px: float) -> np.ndarray:
    """Which blobs are slivers of a broken ruling line along a side of the crop: a vertical one
    wholly within ``thick`` pixels of the left or right edge and at most ``sliver_px`` wide, or a
    horizontal one likewise along the top or bottom.  A worn scan's rule breaks into dashes; where
    the line mask missed them, a 1-px sliver 12-16 px tall at a 300-dpi cell's left edge was a
    letter of its own line, and a printed "2" or "7" beside it became a cell of three lines read
    as text ("bệng", "lội dể": the number lost, dev hard 300 7B).  No digit is so thin: a
    printed "1" with its serifs is most of a millimetre wide; a minus sign near the left edge is
    flat, not a vertical sliver."""
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    side = ((x + w <= thick) | (x >= width - thick)) & (w <= sliver_px) & (h > w)
    top_bottom = ((y + h <= thick) | (y >= height - thick)) & (h <= sliver_px) & (w > h)
    return np.asarray(side | top_bottom)


RULE_PIECE_MIN_MM = 6.0  # a straight vertical run of ink this long is a ruling line's piece ...
RULE_PIECE_ACROSS = 0.9  # ... and a horizontal one across this share of the crop (and as long)


def _rule_pieces(ink: np.ndarray, dpi: float) -> np.ndarray:
    """Mask of the ink in straight vertical runs at least ``RULE_PIECE_MIN_MM`` long, or
    horizontal runs across ``RULE_PIECE_ACROSS`` of the crop: pieces of ruling lines inside the
    crop.  No glyph of a table's text has a vertical stroke that long (a digit is 2-4 mm tall);
    horizontal strokes can be (the joined bars of a bold "TT" run 6 mm), so a horizontal piece
    must cross the cell.  A grid cell placed a few pixels off its printed rule (a rule the line
    mask missed) holds such a piece away from its edges, where the edge test
    (:func:`_edge_rule_ids`) misses it, often joined to the cell's top and bottom rules; as the
    tallest "letter" it made the digits beside it marks, painted out ("26", "40", "12637" read
    "|" or nothing on the dev split's hard scans)."""
    long_px = round(mm_to_px(RULE_PIECE_MIN_MM, dpi))
    height, width = ink.shape
    across_px = max(long_px, round(RULE_PIECE_ACROSS * width))
    pieces = np.zeros(ink.shape, dtype=bool)
    if height >= long_px:
        cols = _may_hold_run(ink.sum(axis=0), long_px)
        if cols.size:
            pieces[:, cols] = _opened(ink[:, cols], (long_px, 1))
    if width >= across_px:
        rows = _may_hold_run(ink.sum(axis=1), across_px)
        if rows.size:
            pieces[rows, :] |= _opened(ink[rows, :], (1, across_px))
    return pieces


def _may_hold_run(counts: np.ndarray, run_px: int) -> np.ndarray:
    """The columns (or rows) of a mask whose ``counts`` of ink could hold what an opening by a
    straight ``run_px`` line keeps: a run of ``run_px`` -- or, touching the mask's edge (OpenCV
    erodes as if ink lay beyond it), of the kernel's part from its anchor on, half as long.  The
    opening of a line kernel works on each column (row) alone, so the others are left out of it
    unchanged: most of a cell's columns hold a few millimetres of letters."""
    anchor = run_px // 2
    return np.flatnonzero(counts >= min(run_px - anchor, anchor + 1))


def _opened(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``ink`` opened by a line kernel of ``size`` (rows, columns), as a boolean mask."""
    kernel = np.ones(size, np.uint8)
    return np.asarray(cv2.morphologyEx(np.ascontiguousarray(ink, dtype=np.uint8), cv2.MORPH_OPEN, kernel) > 0)


def _without(ids: np.ndarray, drop: np.ndarray, count: int) -> np.ndarray:
    """``np.setdiff1d(ids, drop)`` for blob ids below ``count``, through a lookup table (sorted,
    unique; a crop's handful of blobs made numpy's sorting the larger part of the cost)."""
    table = np.zeros(count, dtype=bool)
    table[ids] = True
    table[drop] = False
    return np.flatnonzero(table)


def _select(labels: np.ndarray, ids: np.ndarray, count: int) -> np.ndarray:
    """Mask of the pixels whose blob label is one of ``ids`` (``count`` labels in all):
    ``np.isin(labels, ids)`` through a lookup table."""
    table = np.zeros(count, dtype=bool)
    table[ids] = True
    return table[labels]


def _tallest(heights: np.ndarray) -> float:
    """The height of the tallest glyph that is one line's (see ``LETTER_REF_SPREAD``).  The 90th
    percentile is at least the height ranked a little lower; when that already bounds the
    tallest, the tallest it is, and the percentile is not computed (its cost was numpy's)."""
    ranked = sorted(heights.tolist())
    tallest = float(ranked[-1])
    if tallest <= LETTER_REF_SPREAD * float(ranked[int(0.89 * (len(ranked) - 1))]):
        return tallest
    return min(tallest, LETTER_REF_SPREAD * float(np.percentile(heights, 90)))


@dataclass(frozen=True, eq=False)
class _Blobs:
    """The ink of a crop sorted out: ``letters`` (blob ids of letters and digits) and ``keep``
    (mask of the letters plus the marks next to them: diacritics, '.', ',', '-')."""

    labels: np.ndarray
    stats: np.ndarray
    ink: np.ndarray
    glyphs: np.ndarray  # ids of blobs big enough to be a glyph (absolute size)
    letters: np.ndarray
    keep: np.ndarray


def _blobs(gray: np.ndarray, dpi: float, *, with_marks: bool = True, sliver_px: float = 0.0) -> _Blobs:
    """Find a crop's letters and the marks that belong to them.

    Blobs smaller than a glyph (``MIN_GLYPH_EXTENT_MM``) are specks; of the rest, those at least
    ``LETTER_MIN_SHARE`` of the tallest are letters and the others (minus signs, accents) are
    kept within ``MARK_REACH_MM`` of a letter; specks are kept as punctuation when they hold
    ``PUNCT_MIN_AREA_MM2`` of ink within ``PUNCT_REACH_MM`` of what is kept, unless they lie
    wholly left of the first letter (a speck, not a text's punctuation).  Left-over rule
    lines along the crop's edges are dropped (with ``sliver_px``, a broken rule's short slivers
    too: :func:`_slivers`).  Without ``with_marks`` only the glyphs are sorted out (``letters``
    and ``keep`` come back empty).
    """
    ink = ink_mask(gray)
    empty = np.zeros(0, dtype=int)
    if not ink.any():  # most cells of a form are blank
        return _Blobs(
            np.zeros(ink.shape, dtype=np.int32), np.zeros((1, 5), dtype=np.int32), ink, empty, empty, ink
        )
    labels, stats = _components(ink)
    if stats.shape[0] <= 1:
        return _Blobs(labels, stats, ink, empty, empty, np.zeros(ink.shape, dtype=bool))
    count = stats.shape[0]
    rules = _edge_rule_ids(labels, stats, dpi, sliver_px)
    # (a cell's crop: page-wide text bands keep their blobs as they are, and their cost)
    pieces = _rule_pieces(ink & ~_select(labels, rules, count), dpi) if with_marks else None
    if pieces is not None and pieces.any():
        # the pieces (and the edge rules) stay in ``ink``, so that cut_cell paints them out, but
        # make no blob; the blobs are found again without them
        labels, stats = _components(ink & ~_select(labels, rules, count) & ~pieces)
        if stats.shape[0] <= 1:
            return _Blobs(labels, stats, ink, empty, empty, np.zeros(ink.shape, dtype=bool))
        count, rules = stats.shape[0], empty
    glyphs = _without(_glyph_ids(stats, dpi), rules, count)
    if glyphs.size == 0 or not with_marks:
        return _Blobs(labels, stats, ink, glyphs, empty, np.zeros(ink.shape, dtype=bool))
    heights = stats[glyphs, cv2.CC_STAT_HEIGHT]
    letters = glyphs[heights >= LETTER_MIN_SHARE * _tallest(heights)]
    keep = _select(labels, letters, count)
    # glyph-sized marks (a minus sign, accents stacked over a circumflex) within MARK_REACH_MM of
    # a letter, then small marks ('.', ',', a dot below) within PUNCT_REACH_MM of either
    marks = _without(glyphs, letters, count)
    near = _not_leading_dots(
        stats, letters, _near_ids(labels, ink, keep, marks, mm_to_px(MARK_REACH_MM, dpi)), glyphs
    )
    if near.size:
        keep |= _select(labels, near, count)
    punct_area = mm_to_px(1.0, dpi) ** 2 * PUNCT_MIN_AREA_MM2
    small = np.nonzero(stats[:, cv2.CC_STAT_AREA] >= punct_area)[0]
    small = _without(small[small > 0], np.concatenate([glyphs, rules]), count)
    near = _not_leading_dots(
        stats, letters, _near_ids(labels, ink, keep, small, mm_to_px(PUNCT_REACH_MM, dpi)), glyphs
    )
    if near.size:
        keep |= _select(labels, near, count)
    return _Blobs(labels, stats, ink, glyphs, letters, keep)


LEADING_DOT_LOW = 0.7  # a mark left of the first letter, centred this far down the letters, is a speck


def _line_band(stats: np.ndarray, letters: np.ndarray, glyphs: np.ndarray) -> tuple[int, int, int]:
    """The left edge of a crop's first letter, and the top and height of the band its letters
    span together with the glyph-sized pieces reaching right of that edge.  A worn digit broken by
    the ink threshold is a letter and pieces ("2": its upper arc the letter, its foot a mark); its
    letter alone spans the upper part of the line, and a minus sign at the digits' middle height
    then looked low on it, where a speck sits (a dev hard 300-dpi "-2" read "2" at 97)."""
    lx = stats[letters, cv2.CC_STAT_LEFT]
    first = int(lx.min())
    reach = glyphs[stats[glyphs, cv2.CC_STAT_LEFT] + stats[glyphs, cv2.CC_STAT_WIDTH] > first]
    ids = np.concatenate([letters, reach])  # for their extent only: repeats do not matter
    top = int(stats[ids, cv2.CC_STAT_TOP].min())
    bottom = int((stats[ids, cv2.CC_STAT_TOP] + stats[ids, cv2.CC_STAT_HEIGHT]).max())
    return first, top, max(1, bottom - top)


def _not_leading_dots(
    stats: np.ndarray, letters: np.ndarray, ids: np.ndarray, glyphs: np.ndarray
) -> np.ndarray:
    """``ids`` without the marks that lie wholly left of the first letter and low on its line
    (:func:`_line_band`), where a dot or a comma would sit: no text begins with one, but a copier's
    speck beside a number did, and the bolder strokes of faded toner (see :func:`prepare_number`)
    made tesseract read it (".28", ".411").  A minus sign sits at mid-height and an opening quote
    high: kept."""
    if ids.size == 0 or letters.size == 0:
        return ids
    first, top, band = _line_band(stats, letters, glyphs)
    x, y, w, h = (stats[ids, k] for k in range(4))
    low = (y + h / 2 - top) >= LEADING_DOT_LOW * band
    return ids[~((x + w <= first) & low)]


def _near_ids(
    labels: np.ndarray, ink: np.ndarray, anchor: np.ndarray, ids: np.ndarray, reach_px: float
) -> np.ndarray:
    """Those of blob ``ids`` with a pixel within ``reach_px`` of the ``anchor`` mask."""
    if ids.size == 0 or not anchor.any():
        return np.zeros(0, dtype=int)
    reach = max(1, round(reach_px))
    near = cv2.dilate(anchor.astype(np.uint8), np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    touched = np.bincount(labels[near & ink], minlength=int(ids.max()) + 1)
    return ids[touched[ids] > 0]


RUN_BAND_REACH = 0.1  # a number's own mark lies at most this share of its digits' height out of their band
RUN_SPECK_MAX = 0.35  # a mark no wider and no taller than this share of the digits' height is a speck


def _run_keep(blobs: _Blobs) -> np.ndarray:
    """The letters of a one-line crop and only the marks a written number holds: a point or comma
    between its first and last letter, within the letters' band (``RUN_BAND_REACH``), and a
    minus sign before it (:func:`_leading_dash`'s shape); any larger piece stays
    (``RUN_SPECK_MAX``).  A copier's speck beside the digits,
    above or below them, or after the last one is kept by :func:`_blobs` as punctuation or a
    diacritic, and then read: "5-" and "0," for 5 and 0 (a speck right of the digit), "É" for a
    "1" with a speck above it, "V94)" for 7.525 (dev hard and fax scans)."""
    count = blobs.stats.shape[0]
    keep = _select(blobs.labels, blobs.letters, count)
    marks = np.setdiff1d(np.unique(blobs.labels[blobs.keep]), np.append(blobs.letters, 0))
    if marks.size == 0:
        return keep
    st = blobs.stats[blobs.letters]
    first, top = int(st[:, cv2.CC_STAT_LEFT].min()), int(st[:, cv2.CC_STAT_TOP].min())
    last = int((st[:, cv2.CC_STAT_LEFT] + st[:, cv2.CC_STAT_WIDTH]).max())
    band = max(1, int((st[:, cv2.CC_STAT_TOP] + st[:, cv2.CC_STAT_HEIGHT]).max()) - top)
    x, y, w, h = (blobs.stats[marks, k].astype(float) for k in range(4))
    cx, cy = x + w / 2, (y + h / 2 - top) / band
    # a worn digit's piece (the foot of a "2" apart from its arc) may reach a little out of the
    # letters' band: RUN_BAND_REACH of it
    inside = (cx > first) & (cx < last) & (cy >= -RUN_BAND_REACH) & (cy <= 1 + RUN_BAND_REACH)
    # only a speck goes: a piece of a worn digit broken by the ink threshold (a "2" read "3"
    # without it: dev hard 300-dpi 6B) is as wide or as tall as a good share of a digit
    piece = np.maximum(w, h) > RUN_SPECK_MAX * band
    dash = (
        (x + w <= first)
        & (first <= x + w + DASH_MAX_GAP * band)
        & (w >= DASH_MIN_ASPECT * h)
        & (h <= DASH_MAX_HEIGHT * band)
        & (cy >= DASH_MIDDLE[0])
        & (cy <= DASH_MIDDLE[1])
    )
    return keep | _select(blobs.labels, marks[inside | dash | piece], count)


def has_ink(crop: np.ndarray, dpi: float) -> bool:
    """Whether ``crop`` holds a mark at least the size of a small glyph (a '-', a '.' at 300 dpi).

    Noise specks smaller than ``MIN_GLYPH_EXTENT_MM`` and rule remains along the edges are ignored.
    """
    return bool(_blobs(crop, dpi).glyphs.size)


TEXT_LETTER_MM = (1.0, 12.0)  # blob heights of a printed letter, from a small x-height to a big title
TEXT_MIN_LETTERS = 3  # fewer letter-sized blobs than this is dust or a stray mark, not text
TEXT_AREA_MARGIN_MM = 2.0  # kept around the letters (diacritics, punctuation, tesseract's context)


def text_area(gray: np.ndarray, dpi: float) -> PixelBox | None:
    """The box around the letter-sized blobs of a region (``TEXT_LETTER_MM``), grown by
    ``TEXT_AREA_MARGIN_MM`` and clipped to the region; ``None`` when it holds fewer than
    ``TEXT_MIN_LETTERS`` (dust, specks, a lone mark: tesseract spent half a second laying out a
    blank band of a page before finding nothing)."""
    blobs = _blobs(gray, dpi, with_marks=False)
    if blobs.glyphs.size == 0:
        return None
    stats = blobs.stats[blobs.glyphs]
    lo, hi = (mm_to_px(mm, dpi) for mm in TEXT_LETTER_MM)
    heights = stats[:, cv2.CC_STAT_HEIGHT]
    letters = stats[(heights >= lo) & (heights <= hi)]
    if len(letters) < TEXT_MIN_LETTERS:
        return None
    margin = round(mm_to_px(TEXT_AREA_MARGIN_MM, dpi))
    height, width = gray.shape[:2]
    x0 = int(letters[:, cv2.CC_STAT_LEFT].min()) - margin
    y0 = int(letters[:, cv2.CC_STAT_TOP].min()) - margin
    x1 = int((letters[:, cv2.CC_STAT_LEFT] + letters[:, cv2.CC_STAT_WIDTH]).max()) + margin
    y1 = int((letters[:, cv2.CC_STAT_TOP] + letters[:, cv2.CC_STAT_HEIGHT]).max()) + margin
    return PixelBox(max(0, x0), max(0, y0), min(width, x1), min(height, y1))


# --------------------------------------------------------------------------------------------
# cropping


def cut_cell(
    gray: np.ndarray,
    box: PixelBox,
    line_mask: np.ndarray | None,
    *,
    inset_px: int,
    dpi: float = 300.0,
    border_px: int = DEFAULT_BORDER_PX,
    sliver_mm: float = 0.0,
    number_run: bool = False,
) -> tuple[np.ndarray, CropInfo]:
    """The inside of cell ``box`` of page ``gray``, ready to read, and its :class:`CropInfo`.

    ``inset_px`` pixels are cut off each side; pixels where ``line_mask`` (same shape as
    ``gray``, non-zero on ruling lines) is set, grown by ``RULE_HALO_MM``, are painted with the
    paper's grey; ink that is not text (specks, rule remains: see :func:`_blobs`) is painted out
    too (``sliver_mm``: a broken rule's slivers along the edges at most this thick, see
    :func:`_slivers`; 0: not looked for; ``number_run``: of a one-line crop, every mark a written
    number does not hold too, see :func:`_run_keep`); the crop is trimmed to its text and given a
    ``border_px`` border of paper.  A cell with no text comes back cleaned but untrimmed.  The
    info is measured on the same blobs (finding a cell's blobs is the costliest step of reading it
    after OCR itself).
    """
    height, width = gray.shape[:2]
    inset = max(0, int(inset_px))
    x0, y0 = max(0, box.x0 + inset), max(0, box.y0 + inset)
    x1, y1 = min(width, box.x1 - inset), min(height, box.y1 - inset)
    if x1 <= x0 or y1 <= y0:  # inset larger than the cell: keep the cell's centre line
        x0, x1 = max(0, (box.x0 + box.x1) // 2), min(width, (box.x0 + box.x1) // 2 + 1)
        y0, y1 = max(0, (box.y0 + box.y1) // 2), min(height, (box.y0 + box.y1) // 2 + 1)
    crop = gray[y0:y1, x0:x1].copy()
    paper = paper_level(crop)
    if line_mask is not None:
        rules = line_mask[y0:y1, x0:x1] > 0
        halo = round(mm_to_px(RULE_HALO_MM, dpi))
        if halo > 0 and rules.any():
            kernel = np.ones((2 * halo + 1, 2 * halo + 1), np.uint8)
            rules = cv2.dilate(rules.astype(np.uint8), kernel) > 0
        crop[rules] = paper
    blobs = _blobs(crop, dpi, sliver_px=mm_to_px(sliver_mm, dpi))
    info = _info(blobs, crop, paper)
    info = replace(
        info,
        groups=tuple((a + x0, b + x0) for a, b in info.groups),
        line_boxes=tuple((a + x0, b + y0, c + x0, d + y0) for a, b, c, d in info.line_boxes),
    )
    keep = _run_keep(blobs) if number_run and info.lines == 1 and blobs.letters.size else blobs.keep
    crop[blobs.ink & ~keep] = paper
    if not keep.any():
        return crop, info
    rows = np.nonzero(keep.any(axis=1))[0]
    cols = np.nonzero(keep.any(axis=0))[0]
    trimmed = crop[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    pad = max(0, int(border_px))
    return cv2.copyMakeBorder(trimmed, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=paper), info


# --------------------------------------------------------------------------------------------
# text lines


LetterBox = tuple[int, int, int, int]  # (y0, y1, x0, x1) of one letter, pixels


def _boxes_of(blobs: _Blobs) -> list[LetterBox]:
    return [
        (int(y), int(y + h), int(x), int(x + w)) for x, y, w, h in (blobs.stats[i, :4] for i in blobs.letters)
    ]


def _letter_boxes(crop: np.ndarray, dpi: float) -> list[LetterBox]:
    """(y0, y1, x0, x1) of a crop's letters and digits (not marks: diacritics, dots, commas)."""
    return _boxes_of(_blobs(crop, dpi))


def _lines_of(boxes: list[LetterBox]) -> list[tuple[int, int]]:
    """Text lines of letter boxes; a letter taller than one line's tallest (two lines that touch,
    see ``LETTER_REF_SPREAD``) makes or joins none: it would run its two lines into one."""
    if boxes:
        tallest = _tallest(np.array([y1 - y0 for y0, y1, _, _ in boxes]))
        boxes = [b for b in boxes if b[1] - b[0] <= tallest]
    lines: list[list[int]] = []
    for y0, y1, _, _ in sorted(boxes):
        for line in lines:
            if min(line[1], y1) - max(line[0], y0) >= LINE_OVERLAP_SHARE * (y1 - y0):
                line[0], line[1] = min(line[0], y0), max(line[1], y1)
                break
        else:
            lines.append([y0, y1])
    return [(a, b) for a, b in sorted(lines)]


def text_lines(crop: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """Row spans [y0, y1) of the text lines in ``crop``, top to bottom.

    Letters are grouped into a line when their vertical extents overlap by ``LINE_OVERLAP_SHARE``
    of the letter's height; marks (Vietnamese diacritics, dots) are not letters, so stacked marks
    never make a line of their own and lines whose marks touch are still told apart.
    """
    return _lines_of(_letter_boxes(crop, dpi))


def _median_height(boxes: list[LetterBox]) -> float:
    """``np.median`` of the boxes' heights (the middle one, or the mean of the two middle ones)."""
    if not boxes:
        return 0.0
    heights = sorted(b[1] - b[0] for b in boxes)
    half = len(heights) // 2
    return float(heights[half]) if len(heights) % 2 else (heights[half - 1] + heights[half]) / 2


def _max_height(boxes: list[LetterBox]) -> float:
    return float(max(b[1] - b[0] for b in boxes)) if boxes else 0.0


@dataclass(frozen=True)
class CropInfo:
    """What reading a cleaned crop needs to know about it, measured once by :func:`cut_cell`.

    ``has_ink`` as :func:`has_ink`; ``lines``: how many :func:`text_lines`; ``glyph_height_px``:
    the median letter's height (between x-height and cap height), ``number_height_px``: the
    tallest letter's (a digit's height), in pixels of the crop, 0 when blank; ``letters``: how
    many letter-sized blobs (a printed digit is one blob, "%" two or three, touching glyphs one);
    ``shortest_letter_px``: the height of the shortest of them; ``faint_left_share``: in a crop of
    one letter, the share of the band left of it (``FAINT_SIDE_HEIGHTS`` of its height wide, its
    rows) that is grey ink too faint to be a letter (``FAINT_LEVELS`` under the paper): the faded
    bar and diagonal of a worn "4" whose stem alone was binarized.
    """

    has_ink: bool
    lines: int
    glyph_height_px: float
    number_height_px: float
    letters: int
    shortest_letter_px: float = 0.0  # digits are all as tall; words have shorter lower-case letters
    # one-line crops: before which letters (0-based, left to right) a blank run at least
    # SPACE_MIN_SHARE of the tallest letter and SPACE_VS_NARROWEST times the narrowest run wide
    # stands, with no mark in it ('.', ','): a space
    # ("0966 169 718"; a merged cell's "13.100 10.635")
    spaces: tuple[int, ...] = ()
    # a dash (wide, flat, about the letters' middle height) stands left of the first letter: a
    # minus sign ("-3"), which the number models sometimes drop
    leading_dash: bool = False
    faint_left_share: float = 0.0
    # one-line crops: the x-extents [x0, x1) of its letter groups that ``spaces`` part, left to
    # right, in page pixels (:func:`cut_cell` places them): where each word of the reading is
    # printed, so that a cell over two printed columns can be parted at the lost rule
    groups: tuple[tuple[int, int], ...] = ()
    # each line's (x0, y0, x1, y1) around its letters, top to bottom, in page pixels
    # (:func:`cut_cell` places them): where each line of the reading is printed, so that a cell
    # over two printed rows whose rule was lost can be parted by its lines, and a one-line cell
    # placed in the row it is printed in
    line_boxes: tuple[tuple[int, int, int, int], ...] = ()


def _line_boxes(
    boxes: list[LetterBox], lines: list[tuple[int, int]]
) -> tuple[tuple[int, int, int, int], ...]:
    """(x0, y0, x1, y1) of each of ``lines`` (:func:`_lines_of` of ``boxes``), around the letters
    whose middle lies in the line, in the crop's pixels; () when there is none."""
    if not lines:
        return ()
    out = []
    for top, bottom in lines:
        inside = [b for b in boxes if top <= (b[0] + b[1]) / 2 < bottom]
        if not inside:
            return ()
        out.append((min(b[2] for b in inside), top, max(b[3] for b in inside), bottom))
    return tuple(out)


SPACE_MIN_SHARE = 0.42  # a blank run between two letters this share of the tallest letter wide is a space ...
SPACE_VS_NARROWEST = 2.5  # ... and this many times the narrowest such run of the crop


def _spaces(blobs: _Blobs, boxes: list[LetterBox], lines: int) -> tuple[int, ...]:
    """Before which letters of a one-line crop a space stands (see :class:`CropInfo`)."""
    if lines != 1 or len(boxes) < 2:
        return ()
    inked: np.ndarray = np.asarray(blobs.keep.any(axis=0))
    spans = sorted((b[2], b[3]) for b in boxes)
    gaps, right = [], spans[0][1]
    for x0, x1 in spans[1:]:
        gaps.append((right, x0))
        right = max(right, x1)
    # a space is also SPACE_VS_NARROWEST times the narrowest gap: in a worn "123" the gap before
    # the "3" may grow to half a digit, but so do the others
    need = max(SPACE_MIN_SHARE * _max_height(boxes), SPACE_VS_NARROWEST * max(1, min(b - a for a, b in gaps)))
    return tuple(i for i, (a, b) in enumerate(gaps, start=1) if b - a >= need and not inked[a:b].any())


DASH_MIN_ASPECT = 1.5  # a minus sign is at least this many times as wide as it is high ...
DASH_MAX_HEIGHT = 0.3  # ... at most this share of the letters' height ...
DASH_MIDDLE = (0.3, 0.8)  # ... with its centre this far down the letters' band ...
DASH_MAX_GAP = 0.6  # ... and at most this share of the letters' height before the first one


def _groups(boxes: list[LetterBox], lines: int, spaces: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The x-extents of a one-line crop's letter groups between its spaces (see :class:`CropInfo`),
    in the crop's pixels."""
    if lines != 1 or not boxes:
        return ()
    spans = sorted((b[2], b[3]) for b in boxes)
    cuts = [0, *spaces, len(spans)]
    return tuple(
        (spans[a][0], max(x1 for _x0, x1 in spans[a:b])) for a, b in zip(cuts, cuts[1:], strict=False)
    )


def _leading_dash(blobs: _Blobs, boxes: list[LetterBox], lines: int) -> bool:
    """Whether a one-line crop has a minus sign left of its first letter (see :class:`CropInfo`)."""
    if lines != 1 or not boxes:
        return False
    first, top, band = _line_band(blobs.stats, blobs.letters, blobs.glyphs)
    for i in _without(blobs.glyphs, blobs.letters, blobs.stats.shape[0]):
        x, y, w, h = (int(v) for v in blobs.stats[i, :4])
        centre = (y + h / 2 - top) / band
        if (
            x + w <= first <= x + w + DASH_MAX_GAP * band
            and w >= DASH_MIN_ASPECT * h
            and h <= DASH_MAX_HEIGHT * band
            and DASH_MIDDLE[0] <= centre <= DASH_MIDDLE[1]
        ):
            return True
    return False


FAINT_LEVELS = 20  # grey this far under the paper, and not ink, is faint ink (faded toner) ...
FAINT_SIDE_HEIGHTS = 0.6  # ... looked for this many of a lone letter's heights left of it


def _faint_left(gray: np.ndarray, blobs: _Blobs, boxes: list[LetterBox], paper: float) -> float:
    """The share of faint grey beside a lone letter (see :class:`CropInfo`); 0 for other crops."""
    if len(boxes) != 1:
        return 0.0
    y0, y1, x0, _x1 = boxes[0]
    band = gray[y0:y1, max(0, x0 - round(FAINT_SIDE_HEIGHTS * (y1 - y0))) : x0]
    if band.size == 0:
        return 0.0
    ink = blobs.ink[y0:y1, max(0, x0 - band.shape[1]) : x0]
    return float(((band < paper - FAINT_LEVELS) & ~ink).mean())


def _info(blobs: _Blobs, gray: np.ndarray | None = None, paper: float = 255.0) -> CropInfo:
    boxes = _boxes_of(blobs)
    bands = _lines_of(boxes)
    lines = len(bands)
    spaces = _spaces(blobs, boxes, lines)
    return CropInfo(
        has_ink=bool(blobs.glyphs.size),
        lines=lines,
        glyph_height_px=_median_height(boxes),
        number_height_px=_max_height(boxes),
        letters=len(boxes),
        shortest_letter_px=float(min(b[1] - b[0] for b in boxes)) if boxes else 0.0,
        spaces=spaces,
        groups=_groups(boxes, lines, spaces),
        leading_dash=_leading_dash(blobs, boxes, lines),
        faint_left_share=_faint_left(gray, blobs, boxes, paper) if gray is not None else 0.0,
        line_boxes=_line_boxes(boxes, bands),
    )


# --------------------------------------------------------------------------------------------
# preparing for tesseract


def _pad(image: np.ndarray, pad_px: int, value: int = 255) -> np.ndarray:
    pad = max(0, int(pad_px))
    return cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=value)


def prepare_number(
    crop: np.ndarray,
    dpi: float,
    *,
    height_px: float | None = 24.0,
    scale: float = 2.0,
    blur: bool = True,
    binarize: bool = True,
    pad_px: int = 20,
    info: CropInfo,
    faded_contrast: float | None = None,
) -> PreparedCrop:
    """A number cell for tesseract: upscaled (cubic), lightly blurred, binarized black on white
    and padded with ``pad_px`` white pixels.  The returned DPI scales with the image.

    The scale makes the tallest glyph ``height_px`` tall (within ``NUMBER_SCALE_LIMITS``): the
    LSTM model misreads digits drawn much larger than it was trained on ("5" as "9" from ~45 px);
    with ``height_px=None`` the fixed ``scale`` is used.  Binarization is Otsu clipped to stay
    clear of the paper's grain (:func:`ink_threshold`); ``faded_contrast`` adds the faint strokes
    connected to that ink (see :func:`_binarize`).  ``info``: the crop's :class:`CropInfo` (from
    :func:`cut_cell`: the glyphs are measured once).
    """
    image: np.ndarray = np.ascontiguousarray(crop, dtype=np.uint8)
    if height_px is not None:
        height = info.number_height_px
        lo, hi = NUMBER_SCALE_LIMITS
        scale = float(np.clip(height_px / height, lo, hi)) if height > 0 else scale
    if abs(scale - 1.0) > 0.01:
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation)
    else:
        scale = 1.0
    if blur:
        image = cv2.GaussianBlur(image, (NUMBER_BLUR_KSIZE, NUMBER_BLUR_KSIZE), 0)
    if binarize:
        image = _binarize(image, faded_contrast)
    return PreparedCrop(image=_pad(image, pad_px), dpi=dpi * scale)


def _binarize(image: np.ndarray, faded_contrast: float | None) -> np.ndarray:
    """Black ink on white paper: :func:`ink_threshold`, and with ``faded_contrast`` a hysteresis
    on top of it: grey that :func:`ink_threshold` with ``faded_contrast`` as the least contrast
    takes for ink is ink too where it is connected to ink
    (the faded arms of a worn "3", the flag of a "1" that alone reads "L").  Grey specks that
    touch no ink stay paper: a lower threshold alone turned them into a leading "." (".28")."""
    contrasts = (INK_MIN_CONTRAST,) if faded_contrast is None else (INK_MIN_CONTRAST, faded_contrast)
    strong, *weaker = _ink_thresholds(image, contrasts)
    if strong is None:
        return np.full_like(image, 255)
    ink = image <= strong
    weak = weaker[0] if weaker else None
    if weak is not None and weak > strong:
        count, labels = cv2.connectedComponents((image <= weak).astype(np.uint8), connectivity=8)
        seeded = np.zeros(count, dtype=bool)
        seeded[labels[ink]] = True
        seeded[0] = False
        ink = seeded[labels]
    return np.where(ink, 0, 255).astype(np.uint8)


def prepare_text(
    crop: np.ndarray,
    dpi: float,
    *,
    target_height_px: float = 26.0,
    pad_px: int = 16,
    info: CropInfo,
    smooth_px: float = 0.0,
) -> PreparedCrop:
    """A text cell for tesseract: kept grayscale, scaled so its median letter
    (``info.glyph_height_px``) is ``target_height_px`` tall (within ``TEXT_SCALE_LIMITS``), padded
    with paper.  ``info``: the crop's :class:`CropInfo` (from :func:`cut_cell`).
    ``smooth_px`` > 0 blurs the scaled crop (Gaussian, that sigma in pixels): a 1-bit scan's
    letters have staircase edges, which scaling enlarges and tesseract's models, trained on smooth
    renderings, misread (merged serifs of "II" read "H", lost accents); the blur gives them back
    soft edges."""
    image: np.ndarray = np.ascontiguousarray(crop, dtype=np.uint8)
    height = info.glyph_height_px
    scale = 1.0
    if height > 0:
        lo, hi = TEXT_SCALE_LIMITS
        scale = float(np.clip(target_height_px / height, lo, hi))
    if abs(scale - 1.0) > 0.05:
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation)
    else:
        scale = 1.0
    if smooth_px > 0:
        image = cv2.GaussianBlur(image, (0, 0), smooth_px)
    return PreparedCrop(image=_pad(image, pad_px, paper_level(image)), dpi=dpi * scale)
