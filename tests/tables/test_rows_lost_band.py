"""A body row whose vertical rules all broke, read with real OpenCV and tesseract: the two pieces
of the table above and below it are one table and the row is a row of it, each value in its
cell (before: two tables, the row between them read as text above the second -- its numbers in
no output, "STT 6 not found")."""

from __future__ import annotations

import pytest
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, COL_MM, FONTS, ROW_MM, Wear, draw, mm

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


def _cut_through(img, dpi: float, row: int, band_mm: float):  # type: ignore[no-untyped-def]
    """``img`` with every vertical rule erased over a band of ``band_mm`` across the middle of
    grid row ``row`` (the text stays): the rules above and below are two groups."""
    xs = [mm(15, dpi)]
    for w in COL_MM:
        xs.append(xs[-1] + mm(w, dpi))
    mid = mm(15, dpi) + mm(ROW_MM, dpi) * row + mm(ROW_MM, dpi) // 2
    half, reach = mm(band_mm, dpi) // 2, mm(0.6, dpi)
    out = img.copy()
    for x in xs:
        out[mid - half : mid + half, x - reach : x + reach] = 255
    return out


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_row_whose_vertical_rules_broke_across_its_middle_stays_one_row(dpi, font, tesseract):
    """Dev 026 6B p13 (a fax): every vertical rule of "9 | Xã Bản Giang" broke across the
    middle of the row and the STT column's rules below it are gone, so the piece below is
    narrower; the band was over ``stack_gap_mm`` and the borders not in line: two tables, the
    row cut in two ("`"x r?^" and "tiang", neither paired with the printed row)."""
    lost = 4  # grid row of "3 | Xã Dị Nậu"
    below = len(BODY) + 2
    wear = Wear(
        gone_v=((0, lost + 1, below), (1, lost + 1, below)),
        gone_h=tuple((r, 0, 0) for r in range(lost + 1, below + 1)),
    )
    img, rows = draw(dpi, FONTS[font], wear)
    img = _cut_through(img, dpi, lost, 3.5)
    table = _read(img, dpi, tesseract)  # one table
    assert table.grid.n_rows == len(rows)
    assert table.matrix()[2:] == BODY


def test_a_band_through_a_row_joins_pieces_whose_rules_are_one_pitch_apart():
    rules = [0.0, 40.0, 80.0, 120.0, 160.0, 200.0]  # rows of 40 px; the row 120..160 cut through
    upper, narrower = PixelBox(100, 0, 900, 138), PixelBox(160, 148, 900, 200)
    assert lost_row_between(upper, narrower, rules, 3.0, 1.5)
    # an upper piece narrower than the lower one is a fragment (dev 005 11B): apart
    assert not lost_row_between(PixelBox(160, 0, 900, 138), PixelBox(100, 148, 900, 200), rules, 3.0, 1.5)
    # rules two pitches apart: a row lost and more, or another table below
    assert not lost_row_between(upper, PixelBox(160, 178, 900, 240), [*rules[:4], 200.0, 240.0], 3.0, 1.5)
    # no border in line, or the narrower piece out of the other's width: fragments
    assert not lost_row_between(upper, PixelBox(160, 148, 860, 200), rules, 3.0, 1.5)
    assert not lost_row_between(upper, PixelBox(160, 148, 960, 200), rules, 3.0, 1.5)
