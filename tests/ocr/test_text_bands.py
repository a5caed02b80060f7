"""Regression: on a hard scan (dark edge band, most of the page a blanked-out table) tesseract's
whole-page layout analysis returned no text line at all, so the form title was never read."""

from hypothesis import given
from hypothesis import strategies as st

from extract.model import PixelBox
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
