"""A round seal stamped over rows whose rules broke under it, read with real OpenCV and tesseract.

Before: the seal's rings joined the digits they touch into blobs that crossed every lost rule,
and its lettering's strokes stood on the lines between the rows, so the label and the first
value of four rows were one cell over 2 columns and 4 rows (dev 156's 7B: four communes in one
label cell, three rows "STT with no label"); the cells it covers were read as sure values ("0"
under a ring read "1"). Now the seal is found as a circle, its rings taken out of the text
evidence and its lettering no text: every row keeps its label and values, and the cells its
strokes lie in are named (``TableGrid.under_seal``) so that their values are flagged."""

from __future__ import annotations

import math
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, COL_MM, FONTS, ROW_MM, Wear, draw, mm

from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine
from extract.tables.detect import TableSettings
from extract.tables.seals import erase_rings, find_seals, in_lettering
from extract.tables.text_evidence import TextEvidenceSettings

# the label|value rule and the rules between body rows 1-4 (grid rows 3-6) broke under the seal
UNDER_SEAL = Wear(gone_v=((2, 3, 6),), gone_h=((4, 1, 2), (5, 1, 2), (6, 1, 2)))
SETTINGS = SimpleNamespace(
    seal_radius_min_mm=12.0, seal_radius_max_mm=24.0, seal_ring_share=0.6, seal_search_dpi=60.0
)


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


def _seal(img: np.ndarray, dpi: float, cx: int, cy: int, radius_mm: float, level: int = 140) -> np.ndarray:
    """A round seal (outer and inner ring, 40 radial strokes of lettering, a star) in grey
    ``level`` over ``img``: how a red seal comes out of a greyscale scanner."""
    out = img.copy()
    layer = np.zeros(img.shape, np.uint8)
    r = mm(radius_mm, dpi)
    thick = max(2, mm(0.7, dpi))
    cv2.circle(layer, (cx, cy), r, 255, thick, cv2.LINE_AA)
    cv2.circle(layer, (cx, cy), int(r * 0.72), 255, max(1, thick // 2), cv2.LINE_AA)
    for k in range(40):
        a = 2 * math.pi * k / 40
        p0 = (int(cx + 0.76 * r * math.cos(a)), int(cy + 0.76 * r * math.sin(a)))
        p1 = (int(cx + 0.94 * r * math.cos(a)), int(cy + 0.94 * r * math.sin(a)))
        cv2.line(layer, p0, p1, 255, max(1, thick // 2), cv2.LINE_AA)
    star = [
        (
            int(cx + 0.3 * r * math.cos(math.pi / 2 + k * 4 * math.pi / 5)),
            int(cy - 0.3 * r * math.sin(math.pi / 2 + k * 4 * math.pi / 5)),
        )
        for k in range(5)
    ]
    cv2.fillPoly(layer, [np.array(star, np.int32)], 255, cv2.LINE_AA)
    ink = layer.astype(np.float32) / 255.0
    return np.minimum(out, (255 - ink * (255 - level)).astype(np.uint8))


def _sealed_page(dpi: float, font: str) -> np.ndarray:
    """The worn table with a 13 mm seal centred in the first value column of body row 2 (grid
    row 4): its rings run through the labels and first values of body rows 1-4, across the
    label|value rule and the row rules that broke under it."""
    img, _ = draw(dpi, FONTS[font], UNDER_SEAL)
    x = mm(15 + COL_MM[0] + COL_MM[1] + COL_MM[2] / 2, dpi)
    y = mm(15 + 4.5 * ROW_MM, dpi)
    return _seal(img, dpi, x, y, 13.0)


# every rule gone: the text of the table alone, as the seal finder sees it (rules taken out)
NO_RULES = Wear(gone_v=tuple((c, 0, 7) for c in range(7)), gone_h=tuple((r, 0, 5) for r in range(9)))


def _ink(img: np.ndarray) -> np.ndarray:
    return np.where(img < 200, 255, 0).astype(np.uint8)


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_rows_under_a_seal_keep_their_labels_and_values(dpi, font, tesseract):
    table = _read(_sealed_page(dpi, font), dpi, tesseract)
    spans = {
        (c.cell.row, c.cell.col): (c.cell.row_span, c.cell.col_span)
        for c in table.cells
        if c.cell.col in (1, 2) and 3 <= c.cell.row <= 6
    }
    assert spans == {(r, c): (1, 1) for r in range(3, 7) for c in (1, 2)}
    matrix = table.matrix()
    for r in range(3, 7):
        assert matrix[r][0] == BODY[r - 2][0]
    # the row clear of the seal reads exactly; under it, no label holds another row's commune
    assert matrix[7][1] == BODY[5][1]
    for r in range(3, 7):
        others = {BODY[k - 2][1].split()[-1] for k in range(2, 8) if k != r}
        assert not others & set(matrix[r][1].split()), (r, matrix[r][1])
    # the cells it covers are named, the rows and columns clear of it are not
    under = set(table.grid.under_seal)
    assert {(4, 1), (3, 2), (4, 2), (5, 2)} <= under
    assert not any(r in (0, 1, 7) or c in (0, 5) for r, c in under)


@pytest.mark.parametrize("dpi", [300, 200])
def test_without_the_seal_finder_the_rows_stay_merged(dpi, tesseract):
    """The same page with ``tables.text.seals`` off: the label and first value of the rows
    under the seal are one cell (what main did before)."""
    settings = TableSettings(text=TextEvidenceSettings(seals=False))
    table = _read(_sealed_page(dpi, next(iter(FONTS))), dpi, tesseract, settings)
    merged = [c for c in table.cells if c.cell.col in (1, 2) and 3 <= c.cell.row <= 6]
    assert any(c.cell.row_span > 1 or c.cell.col_span > 1 for c in merged)
    assert table.grid.under_seal == ()


@pytest.mark.parametrize("dpi", [300, 200, 150])
@pytest.mark.parametrize("radius_mm", [13.0, 16.0, 20.0])
def test_a_seal_is_found_with_its_rings(dpi, radius_mm):
    img, _ = draw(dpi, next(iter(FONTS.values())), NO_RULES)
    cx, cy = mm(80, dpi), mm(40, dpi)
    found = find_seals(_ink(_seal(img, dpi, cx, cy, radius_mm)), dpi, SETTINGS)
    assert len(found) == 1
    seal = found[0]
    assert math.hypot(seal.cx - cx, seal.cy - cy) <= mm(0.5, dpi)
    assert seal.outer.lo <= mm(radius_mm, dpi) <= seal.outer.hi
    assert seal.inner is not None and seal.inner.lo <= 0.72 * mm(radius_mm, dpi) <= seal.inner.hi


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_no_seal_in_a_table_arcs_or_a_circle_out_of_range(dpi):
    img, _ = draw(dpi, next(iter(FONTS.values())), NO_RULES)
    assert find_seals(_ink(img), dpi, SETTINGS) == ()  # text and rules make no ring
    arc = img.copy()
    cv2.ellipse(arc, (mm(80, dpi), mm(40, dpi)), (mm(16, dpi),) * 2, 0, 0, 180, 120, mm(0.7, dpi))
    assert find_seals(_ink(arc), dpi, SETTINGS) == ()  # half a ring: no seal
    small = img.copy()
    cv2.circle(small, (mm(80, dpi), mm(40, dpi)), mm(5, dpi), 120, mm(0.7, dpi))
    assert find_seals(_ink(small), dpi, SETTINGS) == ()  # a 5 mm circle: a letter "O", a hole


def test_the_rings_are_erased_and_the_lettering_told():
    dpi = 300
    img, _ = draw(dpi, next(iter(FONTS.values())), NO_RULES)
    cx, cy = mm(80, dpi), mm(40, dpi)
    ink = _ink(_seal(img, dpi, cx, cy, 16.0))
    (seal,) = find_seals(ink, dpi, SETTINGS)
    out = erase_rings(ink, (seal,))
    r = mm(16, dpi)
    assert not out[cy, cx + r - 2 : cx + r + 3].any() and ink[cy, cx + r - 2 : cx + r + 3].any()
    # a stroke of the lettering lies between the rings; a digit inside the inner ring does not
    x0 = np.array([cx + int(0.78 * r), cx + int(0.5 * r)])
    y0 = np.array([cy - 2, cy - 2])
    assert in_lettering((seal,), x0, y0, x0 + int(0.12 * r), y0 + 4).tolist() == [True, False]
