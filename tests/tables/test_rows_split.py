"""Two rows whose rule broke, read with real OpenCV and tesseract: a seal or a thick piece of the
rule lying on the line does not keep them together, and a value beside a blank cell is cut from
it when it stands in its own row -- a value printed once over two rows is not."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, COL_MM, FONTS, ROW_MM, Wear, draw, mm

from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import detect_tables


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


def _edges(dpi: float) -> tuple[list[int], list[int]]:
    """The drawn table's column and row edges (as :func:`worn_tables.draw` places them)."""
    xs = [mm(15, dpi)]
    for w in COL_MM:
        xs.append(xs[-1] + mm(w, dpi))
    ys = [mm(15, dpi) + i * mm(ROW_MM, dpi) for i in range(2 + len(BODY) + 1)]
    return xs, ys


def _over(img: np.ndarray, paint) -> np.ndarray:
    page = Image.fromarray(img)
    paint(ImageDraw.Draw(page))
    return np.asarray(page, dtype=np.uint8).copy()


def _cell(table, row: int, col: int):
    return next(
        c for c in table.cells if c.cell.row <= row < c.cell.row + c.cell.row_span and c.cell.col == col
    )


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_seal_over_a_broken_rule_does_not_keep_two_communes_together(dpi, font, tesseract):
    """Row "2 Xã Hiền Quan … 12" over row "3 Xã Dị Nậu … 0", their rule gone under the label
    and the last column, a seal's ring (8 mm) printed across the line beside the last numbers:
    two rows, each label and number in its own cell (before, the ring crossed the line and the
    two numbers were one cell)."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((4, 1, 1), (4, 5, 5))))
    xs, ys = _edges(dpi)
    cx, cy, r = xs[5] + mm(5, dpi), ys[4], mm(4, dpi)
    img = _over(
        img, lambda pen: pen.ellipse([cx - r, cy - r, cx + r, cy + r], outline=110, width=mm(0.4, dpi))
    )
    table = _read(img, dpi, tesseract)
    assert table.grid.n_rows == 2 + len(BODY)
    for col in (1, 5):
        assert _cell(table, 3, col).cell.row_span == 1 and _cell(table, 4, col).cell.row_span == 1
    # each row's label and numbers in its own row (the cells under the ring: their reading is
    # the OCR's matter, their place is asserted above)
    assert [got[:5] for got in table.matrix()[3:5]] == [printed[:5] for printed in BODY[1:3]]


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_thick_piece_of_the_broken_rule_does_not_keep_two_rows_together(dpi, font, tesseract):
    """The label rule is gone but for a 4 mm piece, 0.8 mm thick (thicker than a faint rule's
    remnant, lower than a letter), lying on the line: the rows are cut there."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((4, 1, 1),)))
    xs, ys = _edges(dpi)
    x0, y, half = xs[1] + mm(40, dpi), ys[4], mm(0.4, dpi)
    img = _over(img, lambda pen: pen.rectangle([x0, y - half, x0 + mm(4, dpi), y + half], fill=40))
    table = _read(img, dpi, tesseract)
    assert _cell(table, 3, 1).cell.row_span == 1 and _cell(table, 4, 1).cell.row_span == 1
    assert table.matrix()[3][1] == BODY[1][1] and table.matrix()[4][1] == BODY[2][1]


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_value_beside_a_blank_cell_whose_rule_broke_is_read_in_its_own_row(dpi, font, tesseract):
    """ "Xã Dị Nậu" prints nothing under "Mới"; "Xã Thanh Uyên" prints 7.700 under it; the rule
    between the two cells is gone.  The value stands in its own row's slot: the cells are cut
    (before, one cell over two rows, its value flagged and lost to both rows)."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((5, 4, 4),)))
    table = _read(img, dpi, tesseract)
    assert _cell(table, 4, 4).cell.row_span == 1 and _cell(table, 5, 4).cell.row_span == 1
    assert table.matrix()[2:] == BODY


@pytest.mark.parametrize("dpi", [300, 200])
def test_a_value_printed_once_over_two_rows_stays_one_cell(dpi):
    """The same two cells with one value centred on the line between them (printed once for
    both rows): nothing says which row it is, so the cell stays merged (and its value flagged)."""
    body = [list(r) for r in BODY]
    body[3][4] = ""
    img, _ = draw(dpi, next(iter(FONTS.values())), Wear(gone_h=((5, 4, 4),)), body=body)
    xs, ys = _edges(dpi)
    face = ImageFont.truetype(next(iter(FONTS.values())), round(12 / 72 * dpi))

    def value(pen: ImageDraw.ImageDraw) -> None:
        box = pen.textbbox((0, 0), "7.700", font=face)
        x = xs[5] - mm(1.5, dpi) - (box[2] - box[0]) - box[0]
        pen.text((x, ys[5] - (box[3] + box[1]) // 2), "7.700", font=face, fill=0)

    grid = detect_tables(prepare_page(_over(img, value), dpi)).grids[0]
    cell = next(c for c in grid.cells if c.row <= 4 < c.row + c.row_span and c.col == 4)
    assert (cell.row, cell.row_span) == (4, 2)
