"""The last two rows of a page continued without its header, their rule broken under the STT,
the label and the first two values, and the rule between those two values broken beside both
rows: the STT and label cells and a block of values each span both rows, as the headings of a
header read upside down do ("STT", "Tên đơn vị" over all its rows).  Dev 226's 4B p6 (hard, 300
dpi): "7 8", "Lĩnh vực hạ tầng kỹ thuật đô thị Lĩnh vực văn hóa", "49 4 35 4" — taken for a
header at the bottom, never cut, row 8 lost.  A cell over all the bottom rows and several
columns is no heading (a heading over several columns has their sub-headings beside it): the
rows are body rows, cut by the text.  Read with real OpenCV and tesseract."""

from __future__ import annotations

import pytest
from test_rows_body import _without_header
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, FONTS, Wear, draw

from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine
from extract.tables.text_evidence import body_rows


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_last_rows_whose_rules_broke_over_values_are_body_rows(dpi, font, tesseract):
    last = 2 + len(BODY) - 1  # the rule above the last body row, the vertical between values 1|2
    wear = Wear(gone_h=((last, 0, 3),), gone_v=((3, last - 1, last),))
    img, _ = draw(dpi, FONTS[font], wear)
    table = _read(_without_header(img, dpi), dpi, tesseract)
    assert table.grid.n_rows == len(BODY)
    assert all(c.cell.row_span == 1 and c.cell.col_span == 1 for c in table.cells)
    assert table.matrix() == BODY


def test_a_block_of_values_over_the_bottom_rows_is_no_heading():
    """The rule of :func:`body_rows` behind it: the same bottom spans with every bottom cell a
    heading's shape (a span of rows, or of columns under its sub-headings: upside down) stay a
    header at the bottom."""
    cells = [(0, c, 1, 1) for c in range(5)] + [(r, c, 1, 1) for r in (1, 2) for c in range(5)]
    block = [(3, 0, 2, 1), (3, 1, 2, 1), (3, 2, 2, 2), (3, 4, 1, 1), (4, 4, 1, 1)]
    assert body_rows(cells + block, 5, first_holds_numbers=True) == (1, 5)
    header = [(3, 0, 2, 1), (3, 1, 2, 1), (3, 2, 1, 1), (3, 3, 1, 1), (4, 2, 1, 2), (3, 4, 2, 1)]
    assert body_rows(cells + header, 5, first_holds_numbers=True) == (1, 3)
