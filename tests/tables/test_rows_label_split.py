"""A label cell over two numbered rows, its rule broken and a signature's stroke across the line,
read with real OpenCV and tesseract: the label is cut at the rule that the STT and value
columns print, each row keeps its commune (before: one cell "Xã Hiền Quan Xã Dị Nậu" over two
rows, the second row's label lost and its numbers paired with nobody)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, COL_MM, FONTS, ROW_MM, Wear, draw, mm

from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


def _stroke(img: np.ndarray, dpi: float, rule: int, wave_mm: float = 5.0) -> np.ndarray:
    """A pen stroke (0.5 mm, as dark as the text) across horizontal rule ``rule`` in the label
    column, ``wave_mm`` high: a signature's loop lower than a seal."""
    xs = [mm(15, dpi)]
    for w in COL_MM:
        xs.append(xs[-1] + mm(w, dpi))
    y = mm(15, dpi) + rule * mm(ROW_MM, dpi)
    x0 = xs[1] + mm(36, dpi)
    half = mm(wave_mm / 2, dpi)
    points = [(x0 + mm(k * 2.5, dpi), y + (half if k % 2 else -half)) for k in range(5)]
    page = Image.fromarray(img)
    ImageDraw.Draw(page).line(points, fill=30, width=mm(0.5, dpi), joint="curve")
    return np.asarray(page, dtype=np.uint8).copy()


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_label_over_two_numbered_rows_is_cut_at_their_rule(dpi, font, tesseract):
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((4, 1, 1),)))
    table = _read(_stroke(img, dpi, 4), dpi, tesseract)
    label = [c for c in table.cells if c.cell.col == 1 and c.cell.row in (3, 4)]
    assert [(c.cell.row, c.cell.row_span) for c in sorted(label, key=lambda c: c.cell.row)] == [
        (3, 1),
        (4, 1),
    ]
    matrix = table.matrix()
    assert [matrix[3][0], matrix[4][0]] == ["2", "3"]
    # each commune in its own row (the stroke's pieces right of the names, read or not, are the
    # OCR's matter)
    for got, printed in ((matrix[3][1], BODY[1][1]), (matrix[4][1], BODY[2][1])):
        assert "".join(got.split()).startswith("".join(printed.split())), (got, printed)


@pytest.mark.parametrize("dpi", [300, 200])
def test_a_label_beside_an_stt_printed_once_stays_one_cell(dpi):
    """An item's STT printed once beside two label lines (no rule in the STT column): nothing
    says that the label cell is two rows -- it is left as the text settles it."""
    body = [list(r) for r in BODY]
    body[2][0] = ""
    img, _ = draw(dpi, next(iter(FONTS.values())), Wear(gone_h=((4, 0, 1),)), body=body)
    engine = get_engine(OcrSettings())
    table = _read(_stroke(img, dpi, 4), dpi, engine)
    cell = next(c for c in table.cells if c.cell.col == 1 and c.cell.row <= 3 < c.cell.row + c.cell.row_span)
    assert (cell.cell.row, cell.cell.row_span) == (3, 2)
