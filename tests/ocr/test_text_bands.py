"""Free text outside the tables, read band by band.

Regression: on a hard scan (dark edge band, most of the page a blanked-out table) tesseract's
whole-page layout analysis returned no text line at all, so the form title was never read."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from ocr_synth import TEXT_FONT, mm
from PIL import Image, ImageDraw, ImageFont

from extract.model import PixelBox
from extract.ocr.cells import text_area
from extract.ocr.reader import _bands


def test_bands_between_tables_skip_the_tables_and_their_margins() -> None:
    boxes = [PixelBox(0, 10, 5, 20), PixelBox(0, 15, 5, 30), PixelBox(0, 50, 5, 60)]
    assert _bands(100, boxes, 2) == [(0, 8), (32, 48), (62, 100)]
    assert _bands(100, [], 2) == [(0, 100)]
    assert _bands(100, [PixelBox(0, 0, 5, 100)], 2) == []


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 100)), max_size=6), st.integers(0, 10))
def test_bands_cover_exactly_the_rows_outside_every_table(spans, margin) -> None:
    height = 500
    boxes = [PixelBox(0, y, 10, min(height, y + h)) for y, h in spans]
    inside = {r for b in boxes for r in range(max(0, b.y0 - margin), min(height, b.y1 + margin))}
    covered = [r for top, bottom in _bands(height, boxes, margin) for r in range(top, bottom)]
    assert len(covered) == len(set(covered))
    assert set(covered) == set(range(height)) - inside


# --------------------------------------------------------------------------------------------
# text_area: a band of dust is not read; a band of text is cut to its letters

DPI = 300


def _band(text: str | None, specks: int, seed: int = 0) -> np.ndarray:
    image = Image.new("L", (2400, 600), 240)
    draw = ImageDraw.Draw(image)
    if text:
        draw.text((700, 250), text, fill=20, font=ImageFont.truetype(TEXT_FONT, 50))
    rng = np.random.default_rng(seed)
    for x, y in zip(rng.integers(50, 2350, specks), rng.integers(50, 550, specks), strict=True):
        r = mm(0.3, DPI)  # a 0.6 mm speck: larger than the glyph floor, smaller than any letter
        draw.ellipse((int(x) - r, int(y) - r, int(x) + r, int(y) + r), fill=40)
    return np.asarray(image)


@given(st.integers(0, 12), st.integers(0, 1000))
def test_a_band_of_dust_has_no_text_area(specks: int, seed: int) -> None:
    assert text_area(_band(None, specks, seed), DPI) is None


def test_a_text_band_is_cut_to_its_letters_with_a_margin() -> None:
    band = _band("Biểu mẫu 5B", specks=6)
    area = text_area(band, DPI)
    assert area is not None
    letters = _band("Biểu mẫu 5B", specks=0) < 128
    rows, cols = np.nonzero(letters.any(axis=1))[0], np.nonzero(letters.any(axis=0))[0]
    assert area.y0 <= rows.min() - mm(1.5, DPI) and area.y1 >= rows.max() + mm(1.5, DPI)
    assert area.x0 <= cols.min() - mm(1.5, DPI) and area.x1 >= cols.max() + mm(1.5, DPI)
    assert area.x1 - area.x0 < cols.max() - cols.min() + mm(5, DPI)  # the specks stay out
    assert area.height < band.shape[0] / 2
