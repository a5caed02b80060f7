"""A body row whose vertical rules all broke, read with real OpenCV and tesseract: the two pieces
of the table above and below it are one table and the row is a row of it, each value in its
cell (before: two tables, the row between them read as text above the second -- its numbers in
no output, "STT 6 not found")."""

from __future__ import annotations

import pytest
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, COL_MM, FONTS, Wear, draw

from extract.model import PixelBox
from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine
from extract.tables.row_bands import lost_row_between, row_pitch


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_row_whose_vertical_rules_all_broke_stays_in_its_table(dpi, font, tesseract):
    lost = 4  # "3 | Xã Dị Nậu | 10.635 | 10.635 | | 0"
    img, rows = draw(dpi, FONTS[font], Wear(gone_v=tuple((c, lost, lost) for c in range(len(COL_MM) + 1))))
    table = _read(img, dpi, tesseract)  # one table
    assert table.grid.n_rows == len(rows)
    assert table.matrix()[2:] == BODY


def test_only_a_band_of_one_row_between_two_whole_pieces_joins_them():
    rules = [0.0, 40.0, 80.0, 120.0, 200.0, 240.0]  # rows of 40 px; 80 px between the pieces
    upper, lower = PixelBox(100, 0, 900, 120), PixelBox(100, 160, 900, 240)
    assert row_pitch(rules, 3.0) == 40.0
    assert lost_row_between(upper, lower, rules, 3.0, 1.5)  # a band of 40 px: one row
    assert not lost_row_between(upper, PixelBox(100, 200, 900, 280), rules, 3.0, 1.5)  # 80 px: a title
    assert not lost_row_between(upper, PixelBox(300, 160, 900, 240), rules, 3.0, 1.5)  # a fragment
    assert not lost_row_between(upper, lower, [0.0, 120.0], 3.0, 1.5)  # no rows to measure
