"""A table's junction arms are measured only for the blobs a crossing test asks about
(:class:`extract.tables.text_evidence.JunctionArms`): on a mild page no glyph that reaches a
tested line is a rule's remnant candidate, and measuring every L- or T-shaped letter of every
grid was ~0.5% of a mild page's CPU.  Asked blob by blob, the arms and every crossing test's
answer are those of measuring all blobs first; a junction on a tested line is still measured."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw
from test_rows_junction import _junction
from worn_tables import mm

from extract.model import PixelBox
from extract.tables.text_evidence import TextBlobs, TextEvidenceSettings, _junction_arms

SETTINGS = TextEvidenceSettings()


def _page(dpi: float) -> tuple[np.ndarray, int, int]:
    """A white page with letters shaped like an L (thin strokes, letter height), a word
    of plain glyphs and, at (x, y), the L-shaped pieces of two faint rules that cross."""
    img = np.full((mm(40, dpi), mm(60, dpi)), 255, np.uint8)
    page = Image.fromarray(img)
    pen = ImageDraw.Draw(page)
    stroke = max(1, mm(0.2, dpi))
    for left in (5, 12, 40):  # "L" letters of thin strokes, 3 mm tall: shaped as a junction
        x0, y0 = mm(left, dpi), mm(25, dpi)
        pen.rectangle([x0, y0, x0 + stroke, y0 + mm(3, dpi)], fill=0)
        pen.rectangle([x0, y0 + mm(3, dpi) - stroke, x0 + mm(2.5, dpi), y0 + mm(3, dpi)], fill=0)
    for k in range(5):  # a word of blocky glyphs
        x0 = mm(20 + 2 * k, dpi)
        pen.rectangle([x0, mm(5, dpi), x0 + mm(1.2, dpi), mm(8, dpi)], fill=0)
    img = np.asarray(page, dtype=np.uint8).copy()
    x, y = mm(30, dpi), mm(15, dpi)
    return _junction(img, dpi, x, y, ((-2, 0), (0, 2))), x, y


def _blobs(img: np.ndarray, dpi: float) -> TextBlobs:
    ink = np.where(img < 160, 255, 0).astype(np.uint8)
    return TextBlobs.find(ink, PixelBox(0, 0, img.shape[1], img.shape[0]), dpi, SETTINGS)


def _eager_arms(img: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The arms as measured before: every blob at once (:func:`_junction_arms`)."""
    ink = np.where(img < 160, 255, 0).astype(np.uint8)
    crop = ink.copy()
    from extract.tables.text_evidence import _without_straight_runs

    crop = _without_straight_runs(crop, max(3, round(SETTINGS.remnant_length_mm * dpi / 25.4)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    ids = np.arange(1, count)
    stats = stats[1:count]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    speck = SETTINGS.speck_mm * dpi / 25.4
    keep = (w >= speck) | (h >= speck)
    thin, letter = SETTINGS.remnant_width_mm * dpi / 25.4, SETTINGS.letter_mm * dpi / 25.4
    return _junction_arms(labels, stats[keep], ids[keep], thin, letter, SETTINGS.junction_arm_share)


def _answers(blobs: TextBlobs, dpi: float, x: int, y: int) -> list[bool]:
    """Crossing tests on many lines: through the junction, the letters, the word, empty paper."""
    reach, margin, clear = mm(0.6, dpi), mm(0.35, dpi), mm(0.5, dpi)
    out = []
    for line in range(0, mm(40, dpi), max(1, mm(0.5, dpi))):
        out.append(blobs.crosses_row(line, mm(2, dpi), x - reach, margin, reach, clear))
        out.append(blobs.crosses_row(line, mm(2, dpi), mm(58, dpi), margin, reach, clear))
        out.append(blobs.crosses_h(line, mm(2, dpi), x - reach, margin, reach))
    for line in range(0, mm(60, dpi), max(1, mm(0.5, dpi))):
        out.append(blobs.crosses_v(line, y + reach, mm(38, dpi), margin, reach))
        out.append(blobs.crosses_v(line, mm(2, dpi), mm(38, dpi), margin, reach))
    return out


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_arms_asked_blob_by_blob_are_the_arms_of_all_blobs(dpi):
    img, _x, _y = _page(dpi)
    blobs = _blobs(img, dpi)
    assert blobs.junctions is not None
    eager_x, eager_y = _eager_arms(img, dpi)
    assert len(eager_x) == len(blobs.x0)
    assert np.isfinite(eager_x).sum() >= 2  # the junction and at least one L-shaped letter
    assert np.array_equal(blobs.arm_x - 0, eager_x, equal_nan=True)
    assert np.array_equal(blobs.arm_y - 0, eager_y, equal_nan=True)


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_crossing_tests_answer_as_with_every_arm_measured(dpi):
    """The skipped path (arms measured as the tests ask) and the full path (every arm measured
    before the first test) give the same answer to every crossing test."""
    img, x, y = _page(dpi)
    lazy, full = _blobs(img, dpi), _blobs(img, dpi)
    assert full.arm_x is not None  # measures every blob
    assert _answers(lazy, dpi, x, y) == _answers(full, dpi, x, y)


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_only_the_blobs_on_a_tested_line_are_measured_and_a_junction_still_is(dpi):
    img, x, y = _page(dpi)
    blobs = _blobs(img, dpi)
    junctions = blobs.junctions
    assert junctions is not None
    reach = mm(0.6, dpi)
    # a column line through empty paper between the word and the letters: nothing measured
    assert not blobs.crosses_v(mm(55, dpi), mm(2, dpi), mm(20, dpi), mm(0.25, dpi), reach)
    assert not junctions._known.any()
    # the lost rules' lines through the junction: the junction is measured, and it is no text
    assert not blobs.crosses_row(y, mm(2, dpi), x - reach, mm(0.35, dpi), reach, mm(0.5, dpi))
    assert not blobs.crosses_v(x, y + reach, mm(38, dpi), mm(0.25, dpi), reach)
    measured = np.flatnonzero(junctions._known)
    assert 0 < len(measured) < len(blobs.x0)
    assert np.isfinite(junctions.x[measured]).any()
