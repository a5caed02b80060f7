"""Issue 9's OCR failures, each on cells drawn in the test and read with real tesseract: a
wrapped e-mail address, a phone number's spaces, a minus sign, speckle in a printed-empty cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ocr_synth import CLEAN, MILD, render_table

from extract.model import Candidate
from extract.ocr.cells import CropInfo
from extract.ocr.reader import _spaced, join_lines, read_table

FONTS = {
    "liberation": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
}
FONTS = {name: path for name, path in FONTS.items() if Path(path).is_file()}
CASES = [(font, noise) for font in sorted(FONTS) for noise in ("clean", "mild")]
NOISE = {"clean": CLEAN, "mild": MILD}


def _read(rows, engine, settings, font, noise, dpi=300, **kw):
    t = render_table(rows, dpi, noise=NOISE[noise], text_font=FONTS[font], number_font=FONTS[font], **kw)
    table = read_table(t.page, t.grid, t.line_mask, engine, settings, page_index=0, table_index=0)
    return [c.text for c in table.cells]


@pytest.mark.parametrize(("font", "noise"), CASES)
def test_a_wrapped_address_is_joined_without_a_space_and_a_phone_keeps_its_spaces(
    font, noise, engine, settings
):
    rows = [["thachvandung@exampl\ne.com", "0966 169 718"]]
    assert _read(rows, engine, settings, font, noise, col_mm=[60, 45]) == [
        "thachvandung@example.com",
        "0966 169 718",
    ]


@pytest.mark.parametrize(("font", "noise"), CASES)
def test_a_minus_sign_stays(font, noise, engine, settings):
    rows = [["-3", "-15", "3", "-1.205"]]
    assert _read(rows, engine, settings, font, noise, col_mm=[20, 20, 20, 25]) == ["-3", "-15", "3", "-1.205"]


@pytest.mark.parametrize("dpi", [300, 200])
def test_speckle_in_a_printed_empty_cell_reads_as_empty(dpi, engine, settings):
    t = render_table([["", "12", ""]], dpi, noise=MILD, col_mm=[20, 20, 20])
    gray = t.page.gray.copy()
    rng = np.random.default_rng(3)
    for box in (t.grid.cells[0].box, t.grid.cells[2].box):  # photocopy speckle, dots up to 0.3 mm
        for _ in range(12):
            x = int(rng.integers(box.x0 + 8, box.x1 - 8))
            y = int(rng.integers(box.y0 + 8, box.y1 - 8))
            s = int(rng.integers(1, max(2, round(0.3 * dpi / 25.4)) + 1))
            gray[y : y + s, x : x + s] = 40
    page = type(t.page)(gray=gray, binary=np.where(gray < 128, 255, 0).astype(np.uint8), dpi=t.page.dpi)
    table = read_table(page, t.grid, t.line_mask, engine, settings, page_index=0, table_index=0)
    assert [c.text for c in table.cells] == ["", "12", ""]


def test_join_lines_rules():
    assert join_lines("thachvandung(@exampl\ne.com") == "thachvandung@example.com"
    assert join_lines("Xã Hiền\nQuan") == "Xã Hiền Quan"  # words wrap at a space
    assert join_lines("mail: ab@c.vn\nGhi chú") == "mail: ab@c.vn Ghi chú"  # a new capitalised word
    assert join_lines("nguyenvana@gmail.c\nom") == "nguyenvana@gmail.com"
    assert join_lines("dohoangyen@example.com\n0968 221 769") == "dohoangyen@example.com 0968 221 769"
    assert join_lines("so.tttt@binhdinh.gov.vn\n0256 382") == "so.tttt@binhdinh.gov.vn 0256 382"


def test_spaces_go_back_only_where_digits_match_blobs():
    info = CropInfo(True, 1, 20.0, 24.0, letters=10, spaces=(4, 7))
    assert _spaced("0966169718", info) == "0966 169 718"
    assert _spaced("096616971", info) == "096616971"  # a digit short: blob k is not digit k
    assert _spaced("13.10010.635", CropInfo(True, 1, 20.0, 24.0, letters=10, spaces=(5,))) == "13.100 10.635"


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_a_minus_sign_is_seen_in_the_crop_and_given_back_to_a_reading_that_dropped_it(dpi):
    from extract.ocr.cells import cut_cell
    from extract.ocr.reader import _signed

    t = render_table([["-3", "3", "-1.205", "1-2"]], dpi, noise=MILD, col_mm=[20] * 4)
    dashes = [
        cut_cell(t.page.gray, c.box, t.line_mask, inset_px=1, dpi=dpi)[1].leading_dash for c in t.grid.cells
    ]
    assert dashes == [True, False, True, False]
    info = CropInfo(True, 1, 20.0, 24.0, letters=1, leading_dash=True)
    given = _signed(Candidate("3", 96.0, "number"), info)
    assert (given.text, given.confidence) == ("-3", 50.0)  # seen, not read: unsure
    assert _signed(Candidate("-3", 96.0, "number"), info) == Candidate("-3", 96.0, "number")
    assert _signed(Candidate("x", 96.0, "number"), info).text == "x"
    assert _signed(Candidate("3", 96.0, "number"), CropInfo(True, 1, 20.0, 24.0, letters=1)).text == "3"
