"""A minus sign before a worn digit is kept (extract.ocr.cells._line_band; issue 9, cells15).

On a dev hard 300-dpi 6B page (prepared at 250 dpi) "-2" was read "2" at 96-97 and stood `read`,
twice: the worn "2" broke under the ink threshold into its upper arc (the letter) and its foot (a
mark), and the minus sign, at the digits' middle height, sat low on the arc's band alone -- where a
copier's speck sits, so it was painted out as one.  The band is now that of the letters with the
glyph-sized pieces reaching right of the first letter's edge.  Drawn here: minus numbers whose
digits are worn through their lower middle, read with real tesseract.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ocr_synth import render_table

from extract.model import PreparedPage
from extract.ocr.cells import cut_cell
from extract.ocr.reader import load_ocr_settings, read_table

FONTS = {
    "liberation": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
}
FONTS = {name: path for name, path in FONTS.items() if Path(path).is_file()}
PAPER, INK = 208.0, 125.0
ROWS = [["-2", "-3"], ["-5", "-27"]]
WORN_BAND = (0.68, 0.82)  # from the digits' top down, in shares of their height: the band left pale
WORN = 0.3  # what is left of the ink's darkness there


def _worn(dpi: int, font: str) -> tuple[PreparedPage, object]:
    t = render_table(ROWS, dpi, number_font=FONTS[font], text_font=FONTS[font], font_pt=11)
    dark = (255.0 - t.page.gray.astype(np.float64)) / 255.0
    factor = np.ones_like(dark)
    for cell in t.grid.cells:
        b = cell.box
        rows = np.nonzero((dark[b.y0 + 4 : b.y1 - 4, b.x0 + 4 : b.x1 - 4] > 0.3).any(axis=1))[0]
        top, height = b.y0 + 4 + int(rows.min()), int(rows.max() - rows.min()) + 1
        factor[top + int(WORN_BAND[0] * height) : top + int(WORN_BAND[1] * height), b.x0 : b.x1] = WORN
    gray = PAPER - dark * factor * (PAPER - INK)
    rules = t.line_mask > 0
    gray[rules] = PAPER - dark[rules] * (PAPER - 60.0)
    gray += np.random.default_rng(0).normal(0.0, 1.5, gray.shape)
    gray = np.clip(gray, 0, 255).astype(np.uint8)
    return PreparedPage(gray=gray, binary=np.where(gray < 150, 255, 0).astype(np.uint8), dpi=float(dpi)), t


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize("dpi", [250, 300])
def test_the_minus_of_a_worn_number_is_kept(font: str, dpi: int, engine) -> None:  # type: ignore[no-untyped-def]
    page, t = _worn(dpi, font)
    dashes = [
        cut_cell(page.gray, c.box, t.line_mask, inset_px=1, dpi=dpi)[1].leading_dash for c in t.grid.cells
    ]
    cells = read_table(
        page, t.grid, t.line_mask, engine, load_ocr_settings(), page_index=0, table_index=0
    ).cells
    read = [c.text for c in cells if c.text]
    # before: every minus painted out as a speck ("2" at 96, "27" at 86: signs lost, sure)
    assert sum(dashes) >= 3 and len(read) >= 3
    assert all(text.startswith("-") for text in read), read
