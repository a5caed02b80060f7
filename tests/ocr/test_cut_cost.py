"""The cheaper measures of a cell's cut give what the plain ones gave (extract.ocr.cells).

A crop's rule-piece openings run only over the columns (rows) whose ink could hold a piece, the
tallest letter's 90th percentile and the median height skip numpy where they cannot matter, and a
number crop's two ink thresholds share one paper estimate and one Otsu threshold.  Each is checked
here against the plain computation it stands for, on random masks, heights and crops (long runs
touching the crop's edges included: OpenCV erodes as if ink lay beyond them)."""

from __future__ import annotations

import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from extract.ocr.cells import (
    INK_MIN_CONTRAST,
    INK_NOISE_SIGMAS,
    LETTER_REF_SPREAD,
    RULE_PIECE_ACROSS,
    RULE_PIECE_MIN_MM,
    _ink_thresholds,
    _median_height,
    _rule_pieces,
    _tallest,
    paper_stats,
)
from extract.units import mm_to_px


def _plain_rule_pieces(ink: np.ndarray, dpi: float) -> np.ndarray:
    """Both openings over the whole crop, as the cut made them before."""
    long_px = round(mm_to_px(RULE_PIECE_MIN_MM, dpi))
    height, width = ink.shape
    across_px = max(long_px, round(RULE_PIECE_ACROSS * width))
    pieces = np.zeros(ink.shape, dtype=bool)
    mask = ink.astype(np.uint8)
    if height >= long_px:
        pieces |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((long_px, 1), np.uint8)) > 0
    if width >= across_px:
        pieces |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, across_px), np.uint8)) > 0
    return pieces


@st.composite
def _masks_with_runs(draw: st.DrawFn) -> np.ndarray:
    """A sparse random mask with a few straight runs of random length, some from an edge."""
    height, width = draw(st.integers(5, 60)), draw(st.integers(5, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ink = rng.random((height, width)) < draw(st.sampled_from([0.0, 0.05, 0.3]))
    for _ in range(draw(st.integers(0, 4))):
        if rng.random() < 0.5:
            x, length = int(rng.integers(width)), int(rng.integers(1, height + 1))
            y0 = (
                0
                if rng.random() < 0.3
                else height - length
                if rng.random() < 0.4
                else int(rng.integers(height - length + 1))
            )
            ink[y0 : y0 + length, x] = True
        else:
            y, length = int(rng.integers(height)), int(rng.integers(1, width + 1))
            x0 = (
                0
                if rng.random() < 0.3
                else width - length
                if rng.random() < 0.4
                else int(rng.integers(width - length + 1))
            )
            ink[y, x0 : x0 + length] = True
    return ink


@given(_masks_with_runs(), st.sampled_from([100.0, 150.0, 200.0, 300.0]))
@settings(max_examples=300, deadline=None)
def test_rule_pieces_over_the_columns_that_may_hold_one_equal_the_whole_openings(
    ink: np.ndarray, dpi: float
) -> None:
    assert np.array_equal(_rule_pieces(ink, dpi), _plain_rule_pieces(ink, dpi))


def test_a_piece_from_the_crops_edge_half_the_kernel_long_is_kept_as_before() -> None:
    dpi = 100.0  # a piece is 24 px long, anchored at 12: a run of 12 from the top, 13 to the bottom
    ink = np.zeros((40, 30), dtype=bool)
    ink[:12, 5] = True  # from the top edge
    ink[27:, 20] = True  # to the bottom edge
    ink[28:, 25] = True  # to the bottom edge, one short
    ink[15:26, 10] = True  # inside, too short
    plain = _plain_rule_pieces(ink, dpi)
    assert plain[:, 5].any() and plain[:, 20].any()
    assert not plain[:, 10].any() and not plain[:, 25].any()
    assert np.array_equal(_rule_pieces(ink, dpi), plain)


@given(arrays(np.int32, st.integers(1, 40), elements=st.integers(1, 120)))
@settings(max_examples=300, deadline=None)
def test_tallest_and_median_height_equal_numpys(heights: np.ndarray) -> None:
    plain = min(float(heights.max()), LETTER_REF_SPREAD * float(np.percentile(heights, 90)))
    assert _tallest(heights) == plain
    boxes = [(0, int(h), 0, 1) for h in heights]
    assert _median_height(boxes) == float(np.median(heights))


def _plain_threshold(gray: np.ndarray, min_contrast: float) -> float | None:
    paper, sigma = paper_stats(gray)
    limit = paper - max(min_contrast, INK_NOISE_SIGMAS * sigma)
    if limit <= 0 or float(gray.min()) > limit:
        return None
    otsu, _ = cv2.threshold(np.ascontiguousarray(gray), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return min(float(otsu), float(limit))


@given(arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30))), st.floats(0, 120))
@settings(max_examples=300, deadline=None)
def test_shared_ink_thresholds_equal_each_computed_alone(gray: np.ndarray, faded: float) -> None:
    assert _ink_thresholds(gray, (INK_MIN_CONTRAST, faded)) == [
        _plain_threshold(gray, INK_MIN_CONTRAST),
        _plain_threshold(gray, faded),
    ]
