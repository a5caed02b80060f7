"""Boxes: PDF user-space boxes stay inside ingest; what leaves it is a PixelBox."""

from __future__ import annotations

import pytest

from extract.model import PdfBox, PixelBox


def test_a_pdf_box_unions_and_measures_in_points() -> None:
    a, b = PdfBox(10.0, 700.0, 20.0, 712.0), PdfBox(22.0, 698.5, 30.0, 711.0)
    assert a.union(b) == PdfBox(10.0, 698.5, 30.0, 712.0)
    assert a.height == pytest.approx(12.0)


def test_a_pixel_box_refuses_a_negative_size() -> None:
    with pytest.raises(ValueError, match="negative size"):
        PixelBox(5, 5, 4, 9)
    assert PixelBox(0, 0, 3, 4).union(PixelBox(2, 1, 6, 2)) == PixelBox(0, 0, 6, 4)
