"""A cell whose digit faded under the ink threshold is never a sure blank (issue 9, cells14).

On the dev split's hard 200-dpi scans faded toner left printed "7", "5", "2" some 20-50 grey
levels under the paper (paper ~208, the digit's strokes 160-190): no pixel reached the ink
threshold (60 levels under the paper), the cell was "empty" without OCR and stood `blank` at
confidence 100 -- the printed number gone without a flag.  Drawn here with real tesseract: the
digits on grey paper with grain, in a pale grey.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ocr_synth import render_table

from extract.model import CellKind, PreparedPage
from extract.ocr.cells import raise_contrast
from extract.ocr.reader import load_ocr_settings, read_table

FONTS = {
    "liberation": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
}
FONTS = {name: path for name, path in FONTS.items() if Path(path).is_file()}
PAPER = 208.0
GRAIN = 1.5  # the paper's grain (standard deviation), as measured on the dev scans' faded cells
ROWS = [["7", "5", ""], ["2", "", "38"]]
TRUTH = ["7", "5", "", "2", "", "38"]


def _page(dpi: int, font: str, ink: float, seed: int = 0) -> tuple[PreparedPage, object]:
    """``ROWS`` on grey paper with grain, the digits ``ink`` grey, the rules dark."""
    t = render_table(ROWS, dpi, number_font=FONTS[font], text_font=FONTS[font], font_pt=11)
    darkness = (255.0 - t.page.gray.astype(np.float64)) / 255.0
    rules = t.line_mask > 0
    gray = PAPER - darkness * (PAPER - ink)
    gray[rules] = PAPER - darkness[rules] * (PAPER - 60.0)
    gray += np.random.default_rng(seed).normal(0.0, GRAIN, gray.shape)
    gray = np.clip(gray, 0, 255).astype(np.uint8)
    page = PreparedPage(gray=gray, binary=np.where(gray < 150, 255, 0).astype(np.uint8), dpi=float(dpi))
    return page, t


def _cells(page, t, engine, settings, bilevel: bool = False):
    table = read_table(page, t.grid, t.line_mask, engine, settings, page_index=0, table_index=0)
    if bilevel:  # the reader is told the page is a 1-bit scan
        from extract.ocr.reader import read_cell

        return [
            read_cell(page.gray, page.dpi, c.cell, t.line_mask, engine, settings, bilevel=True)
            for c in table.cells
        ]
    return list(table.cells)


@pytest.fixture(scope="module")
def configured():
    return load_ocr_settings()


def test_the_setting_is_on_in_pipeline_yaml(configured) -> None:
    assert configured.faint_ink_gain == 2.0
    assert configured.faint_ink_confidence == 50.0


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize("dpi", [200, 300])
def test_a_faded_digit_is_read_unsure_never_a_sure_blank(font, dpi, engine, configured) -> None:
    page, t = _page(dpi, font, ink=PAPER - 55)
    off = _cells(page, t, engine, configured.model_copy(update={"faint_ink_gain": None}))
    # without the second look every faded digit is a sure blank: the printed number gone
    assert [(c.text, c.confidence, c.kind) for c in off] == [("", 100.0, CellKind.EMPTY)] * len(TRUTH)
    cells = _cells(page, t, engine, configured)
    read = 0
    for cell, printed in zip(cells, TRUTH, strict=True):
        if not printed:  # paper and its grain alone stay a sure blank
            assert (cell.text, cell.confidence, cell.kind) == ("", 100.0, CellKind.EMPTY)
        elif cell.text:  # the digit, unsure: flagged unless a rule of the form bears it out
            assert cell.kind is CellKind.NUMBER and cell.text == printed
            assert 0 < cell.confidence <= configured.faint_ink_confidence
            read += 1
        else:  # read below faint_ink_min_confidence: unread ink (flagged), its readings kept
            assert (cell.confidence, cell.kind) == (0.0, CellKind.EMPTY) and cell.candidates
    assert read >= 3  # of the four printed numbers


@pytest.mark.parametrize("dpi", [200, 300])
def test_dark_digits_are_read_as_before(dpi, engine, configured) -> None:
    font = sorted(FONTS)[0]
    page, t = _page(dpi, font, ink=90.0)
    on = _cells(page, t, engine, configured)
    off = _cells(page, t, engine, configured.model_copy(update={"faint_ink_gain": None}))
    assert [(c.text, c.confidence) for c in on] == [(c.text, c.confidence) for c in off]
    assert [c.text for c in on] == TRUTH
    assert all(c.confidence >= 80 for c in on if c.text)


def test_a_one_bit_scan_is_not_looked_at_again(engine, configured) -> None:
    page, t = _page(200, sorted(FONTS)[0], ink=PAPER - 55)
    cells = _cells(page, t, engine, configured, bilevel=True)
    assert all((c.text, c.confidence) == ("", 100.0) for c in cells)


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_faded_rule_remnant_is_unread_ink_never_text(dpi, engine, configured) -> None:
    """A faint vertical stroke in an empty cell (a rule's remnant a few pixels inside the cell) is
    no reading: the cell's text stays empty (an STT cell's remnant read "1" at 3 had become a
    total row's STT)."""
    from extract.ocr.reader import read_cell

    page, t = _page(dpi, sorted(FONTS)[0], ink=PAPER - 55)
    gray = page.gray.copy()
    cell = t.grid.cells[2]  # printed empty
    b = cell.box
    x, middle, half = b.x0 + (b.x1 - b.x0) // 3, (b.y0 + b.y1) // 2, round(1.75 * dpi / 25.4)
    # a faint stroke 3.5 mm tall, 3 px wide: at the raised contrast it reads "1" at 12-14 or "|"
    gray[middle - half : middle + half, x : x + 3] = int(PAPER - 45)
    off = configured.model_copy(update={"faint_ink_gain": None})
    assert read_cell(gray, page.dpi, cell, t.line_mask, engine, off).text == ""
    got = read_cell(gray, page.dpi, cell, t.line_mask, engine, configured)
    assert (got.text, got.kind) == ("", CellKind.EMPTY)


def test_raise_contrast_deepens_what_lies_under_the_paper() -> None:
    crop = np.full((20, 20), 200, np.uint8)
    crop[5:15, 8:12] = 170  # 30 levels under the paper
    crop[0, 0] = 230  # lighter than the paper: stays lighter, clipped
    raised = raise_contrast(crop, 2.0)
    assert raised[10, 10] == 140 and raised[2, 2] == 200 and raised[0, 0] == 255
    assert raised.dtype == np.uint8 and crop[10, 10] == 170  # the input is not changed
