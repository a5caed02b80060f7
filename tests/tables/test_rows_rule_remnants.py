"""A worn rule's own pieces, left on the lines of the rules that were lost, are no text crossing
those lines (dev 1024's 7B p9 of the dev split: "7 Xã Lương Ngoại" over "8 Xã Ái Thượng", both
labels on two lines, the STT | label rule lost down the page and the rule between the two rows
lost under the label but for thin pieces at its ends).

- Across a lost *row* line: the pieces (0.2 mm thick, centred on the line) made the text beside
  them stand ``seal_clear_mm`` clear of the line, as beside a seal's stroke; the descender of
  "Ngoại" 4 px above the line (outside ``row_edge_margin_mm``) kept the two labels one cell.
- Across a lost *column* line: the end of the rule over row 8 (a 9 x 1 px piece, where it met
  the lost STT | label rule) counted as a glyph crossing that line, so "8" and its label stayed
  one cell, joined to row 7's label above.

The pieces now count as what they are, the rules' remnants: the two rows are cut into their
STT and label cells.  Unit tests on drawn blobs (300, 200 and 150 dpi) and a drawn worn table
read with real OpenCV and tesseract.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from test_rows_junction import _blobs, _cell
from test_rows_split import _edges
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, FONTS, Wear, draw, mm

from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


def _marks(size: tuple[int, int], *boxes: tuple[int, int, int, int]) -> np.ndarray:
    page = Image.new("L", (size[1], size[0]), 255)
    pen = ImageDraw.Draw(page)
    for box in boxes:
        pen.rectangle(box, fill=0)
    return np.asarray(page, dtype=np.uint8).copy()


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_a_rules_own_pieces_on_a_lost_row_line_ask_no_clearance_of_the_text(dpi):
    """A thin piece of the lost rule on its line beside a letter whose foot stands 0.42 mm above
    the line (inside ``seal_clear_mm``, outside ``row_edge_margin_mm``): no crossing.  A thicker
    bar on the line (0.8 mm: a dash, no remnant) still asks the clearance, and a letter on the
    line still crosses."""
    size = (mm(20, dpi), mm(60, dpi))
    y = mm(10, dpi)
    margin, reach, clear = mm(0.35, dpi), mm(0.6, dpi), mm(0.5, dpi)
    piece = (mm(5, dpi), y - 1, mm(7, dpi), y)  # 2 mm long, 2 px thick, on the line
    foot = y - mm(0.42, dpi)
    letter = (mm(30, dpi), foot - mm(2.5, dpi), mm(30.5, dpi), foot - 1)
    assert not _blobs(_marks(size, piece, letter), dpi).crosses_row(y, 0, size[1], margin, reach, clear)
    dash = (mm(5, dpi), y - mm(0.4, dpi), mm(9, dpi), y + mm(0.4, dpi))
    assert _blobs(_marks(size, dash, letter), dpi).crosses_row(y, 0, size[1], margin, reach, clear)
    across = (mm(30, dpi), y - mm(1.2, dpi), mm(30.5, dpi), y + mm(1.2, dpi))
    assert _blobs(_marks(size, piece, across), dpi).crosses_row(y, 0, size[1], margin, reach, clear)


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_the_end_of_a_row_rule_crosses_no_lost_column_line(dpi):
    """The rule over a row, ending 1 mm past the lost column rule's line x, left a thin piece at
    the row's top across x: no crossing.  The same piece in the middle of the row, away from
    its rules, is something printed across the line: it still crosses."""
    size = (mm(20, dpi), mm(30, dpi))
    x, top, bottom = mm(15, dpi), mm(5, dpi), mm(13, dpi)
    margin, reach = mm(0.25, dpi), mm(0.6, dpi)
    y0, y1 = top + reach, bottom - reach
    end = (x - mm(0.2, dpi), y0 - 1, x + mm(1.0, dpi), y0)  # 1 px under the span's top
    assert not _blobs(_marks(size, end), dpi).crosses_v(x, y0, y1, margin, reach)
    low = (x - mm(0.2, dpi), y1 - 1, x + mm(1.0, dpi), y1)  # the rule under the row
    assert not _blobs(_marks(size, low), dpi).crosses_v(x, y0, y1, margin, reach)
    middle = (x - mm(0.5, dpi), (y0 + y1) // 2, x + mm(1.0, dpi), (y0 + y1) // 2 + 1)
    assert _blobs(_marks(size, middle), dpi).crosses_v(x, y0, y1, margin, reach)


def _pieces(img: np.ndarray, dpi: float, x: int, y: int) -> np.ndarray:
    """The lost rule at row line ``y`` left as the worn pieces of dev 1024's 7B: a 0.2 mm thin
    piece from the lost STT | label line ``x`` 1 mm into the label column, 0.5 mm under the
    line (the end of the rule over the STT, which met the lost rule there: 5 px under the row
    edge the value columns' rule gives), and another 2 mm long 20 mm further on."""
    page = Image.fromarray(img)
    pen = ImageDraw.Draw(page)
    t = max(1, mm(0.2, dpi))
    low = y + mm(0.5, dpi)
    pen.rectangle([x - mm(0.2, dpi), low - t // 2, x + mm(1.0, dpi), low - t // 2 + t - 1], fill=20)
    pen.rectangle([x + mm(20, dpi), y - t // 2, x + mm(22, dpi), y - t // 2 + t - 1], fill=20)
    return np.asarray(page, dtype=np.uint8).copy()


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_two_rows_whose_label_rule_wore_to_pieces_beside_a_lost_stt_rule_are_cut(dpi, font, tesseract):
    """Rows "3 Xã Dị Nậu" and "4 Xã Thanh Uyên": the STT | label rule gone down the body, the
    rule between them gone under the label but for its pieces (one reaching across the lost
    STT | label line).  Each row keeps its STT and its label; the body reads as printed."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_v=((1, 2, 7),), gone_h=((5, 1, 1),)))
    xs, ys = _edges(dpi)
    img = _pieces(img, dpi, xs[1], ys[5])
    # a descender's foot 0.42 mm above the line, as "Ngoại"'s over "Xã Ái Thượng" (a stroke at
    # the label cell's right: the label itself is centred in its row)
    page = Image.fromarray(img)
    foot = ys[5] - mm(0.42, dpi)
    x = xs[2] - mm(6, dpi)
    ImageDraw.Draw(page).rectangle([x, foot - mm(2.0, dpi), x + mm(0.35, dpi), foot - 1], fill=0)
    table = _read(np.asarray(page, dtype=np.uint8).copy(), dpi, tesseract)
    for row in (4, 5):
        for col in (0, 1):
            cell = _cell(table, row, col).cell
            assert (cell.row_span, cell.col_span) == (1, 1), (row, col, cell)
    got = table.matrix()[2:]
    assert [r[0] for r in got] == [r[0] for r in BODY]
    assert [r[2:] for r in got] == [r[2:] for r in BODY]
    labels = [r[1] for r in got]
    # the stroke may be read after row 3's label, the rule's piece ("_") before row 4's
    assert BODY[2][1] in labels[2] and BODY[3][1] in labels[3]
    assert labels[:2] + labels[4:] == [r[1] for r in BODY[:2] + BODY[4:]]
