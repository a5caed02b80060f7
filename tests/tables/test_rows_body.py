"""Which rows are the body, on worn tables read with real OpenCV and tesseract: a merge left by a
broken rule in the first or last rows is no header, so the text evidence splits it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, FONTS, ROW_MM, Wear, draw, mm

from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine
from extract.tables.text_evidence import body_rows


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


def _without_header(img: np.ndarray, dpi: float) -> np.ndarray:
    """The page with the table's header and column-number rows blanked out: a page that
    continues the table of the page before, its first row a body row."""
    out = img.copy()
    top = mm(15, dpi) + 2 * mm(ROW_MM, dpi) - max(2, mm(0.25, dpi))
    out[:top] = 255
    return out


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_continued_page_whose_first_label_runs_into_the_next_row_splits_it(dpi, font, tesseract):
    """No header: the label rule under the first body row is gone ("Thị trấn Hưng Hóa" over
    "Xã Hiền Quan").  The first row holds numbers, so it is a body row and the label cell is cut
    along the line no glyph crosses (before, the first row was taken for a header row and the
    two labels came out as one cell)."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((3, 1, 1),)))
    table = _read(_without_header(img, dpi), dpi, tesseract)
    assert table.grid.n_rows == len(BODY)
    assert all(c.cell.row_span == 1 and c.cell.col_span == 1 for c in table.cells)
    assert table.matrix() == BODY


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_merges_in_the_last_rows_under_a_header_are_body_rows(dpi, font, tesseract):
    """The last two labels lost their rule, and the last row the rule between two numbers: a row
    span and a column span at the bottom, as an upside-down header has.  Under a header at the
    top they are broken rules of the body, split by the text (before, the last two rows were
    taken for a header at the bottom and stayed merged)."""
    last = 2 + len(BODY) - 1
    img, rows = draw(dpi, FONTS[font], Wear(gone_h=((last, 1, 1),), gone_v=((3, last, last),)))
    table = _read(img, dpi, tesseract)
    assert table.grid.n_rows == len(rows)
    assert all(c.cell.row_span == 1 and c.cell.col_span == 1 for c in table.cells if c.cell.row >= 2)
    assert table.matrix()[2:] == BODY


def test_body_rows_of_a_first_row_of_numbers_and_of_spans_at_the_bottom():
    """The rules of :func:`body_rows` behind the tests above."""
    # a first row whose label cell runs into the second row: a header, unless it holds numbers
    cells = [(0, 0, 1, 1), (0, 1, 2, 1), (0, 2, 1, 1), (1, 0, 1, 1), (1, 2, 1, 1)]
    cells += [(r, c, 1, 1) for r in (2, 3, 4, 5) for c in range(3)]
    assert body_rows(cells, 6) == (2, 6)
    assert body_rows(cells, 6, first_holds_numbers=True) == (0, 6)
    # a header at the top: spans in the last rows are broken rules, not a header at the bottom
    top = [(0, 0, 2, 1), (0, 1, 1, 2), (1, 1, 1, 1), (1, 2, 1, 1)]
    body = [(r, c, 1, 1) for r in (2, 3) for c in range(3)] + [(4, 0, 2, 1), (4, 1, 1, 1), (4, 2, 1, 1)]
    assert body_rows(top + body + [(5, 1, 1, 2)], 6) == (2, 6)


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_continued_page_whose_first_rows_lost_the_stt_rule_keeps_stt_and_label_apart(dpi, font, tesseract):
    """No header, the rule between the STT and the label gone in the first two rows ("1 Thị
    trấn Hưng Hóa" in one cell) and the rule under the first row's "Mới" too: the first row is
    a body row (its numbers say so), the rule printed in the rows below stands for the STT's
    rule, and text on both sides with nothing crossing cuts the cells (with no rule above them
    they were taken for a header's merged cells and kept)."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_v=((1, 2, 3),), gone_h=((3, 4, 4),)))
    table = _read(_without_header(img, dpi), dpi, tesseract)
    assert all(c.cell.row_span == 1 and c.cell.col_span == 1 for c in table.cells)
    assert table.matrix() == BODY


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_heading_running_on_into_the_first_body_row_is_cut_there(dpi, font, tesseract):
    """A two-row header ("STT", "Tên đơn vị" and "Tăng/giảm" over both rows) whose rule under
    "Tên đơn vị" broke: the heading's cell runs on into the first body row.  The body starts on
    the line where the other full-height headings end, so the first row keeps its label (before,
    the heading's cell set the header's depth: the first body row's label was part of the
    header, the row lost its label and its numbers were paired with nobody)."""
    img, rows = draw(dpi, FONTS[font], Wear(gone_h=((1, 0, 1), (1, 5, 5), (2, 1, 1))))
    table = _read(img, dpi, tesseract)
    assert table.grid.n_rows == len(rows)
    label = next(c for c in table.cells if c.cell.col == 1 and c.cell.row <= 2 < c.cell.row + c.cell.row_span)
    assert (label.cell.row, label.cell.row_span) == (2, 1)
    assert table.matrix()[2:] == BODY


def test_body_rows_of_a_heading_alone_below_the_others():
    """The rule behind the test above, and the headers it leaves alone."""
    # "STT" and "Ghi chú" over two rows, the label heading over three: the body starts at row 2
    cells = [(0, 0, 2, 1), (0, 1, 3, 1), (0, 2, 1, 2), (0, 4, 2, 1), (1, 2, 1, 1), (1, 3, 1, 1)]
    assert body_rows(cells, 8) == (2, 8)
    # STT and label both over three rows: a three-row header
    cells = [(0, 0, 3, 1), (0, 1, 3, 1), (0, 2, 1, 2), (0, 4, 2, 1), (1, 2, 2, 1), (1, 3, 2, 1)]
    assert body_rows(cells, 8) == (3, 8)
    # one heading over two rows, the others over one: no second heading ends with the header
    cells = [(0, 0, 1, 1), (0, 1, 2, 1), (0, 2, 1, 1), (1, 0, 1, 1), (1, 2, 1, 1)]
    assert body_rows(cells, 8) == (2, 8)
    # STT and label headings both over three rows, two one-column headings over two: the rule
    # under STT and label broke, the body starts at row 2 (dev 235's 11B p5: "STT I")
    cells = [(0, 0, 3, 1), (0, 1, 3, 1), (0, 2, 2, 1), (0, 3, 1, 2), (0, 5, 2, 1), (1, 3, 1, 1), (1, 4, 1, 1)]
    assert body_rows(cells, 8) == (2, 8)
    # ... but two parents ending there (over their leaves, several columns each) do not say so
    cells = [(0, 0, 3, 1), (0, 1, 3, 1), (0, 2, 2, 2), (0, 4, 2, 2), (2, 2, 1, 1), (2, 3, 1, 1)]
    cells += [(2, 4, 1, 1), (2, 5, 1, 1)]
    assert body_rows(cells, 8) == (3, 8)


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_stt_and_label_headings_running_on_into_the_first_body_row_are_cut_there(dpi, font, tesseract):
    """The rules under both "STT" and "Tên đơn vị" broke (dev 235's 11B p5: "STT I" and "Cơ
    quan, đơn vị Cơ quan cấp huyện" were two cells over the header and the first body row):
    both headings run on below "Mới" and "Tăng/giảm", full-height headings of one column that
    end together on the header's last line.  The body starts there, so the first row keeps its
    STT and label (before, the header took the first row's STT and label; its numbers were paired
    with no printed row)."""
    img, rows = draw(dpi, FONTS[font], Wear(gone_h=((1, 0, 1), (1, 4, 5), (2, 0, 1))))
    table = _read(img, dpi, tesseract)
    assert table.grid.n_rows == len(rows)
    for col in (0, 1):
        cell = next(
            c for c in table.cells if c.cell.col == col and c.cell.row <= 2 < c.cell.row + c.cell.row_span
        )
        assert (cell.cell.row, cell.cell.row_span) == (2, 1)
    assert table.matrix()[2:] == BODY


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_seal_over_the_first_row_of_a_continued_page_does_not_make_it_a_header(dpi, font, tesseract):
    """Dev 072 5B p9: a page continued without its header, the label rule under its second row
    broken ("Phường Phước Bình" over "Phường Phú Hữu") and a seal's ring over two of the first
    row's numbers.  The ring's arcs read as letters, so the first row held digits in 4 of its 6
    cells, under ``numbers_row_share``: it was taken for a header row with the next one, and
    the two labels stayed one cell.  Cells under a seal now say nothing either way."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((3, 1, 1),)))
    img = _without_header(img, dpi)
    xs = [mm(15, dpi)]
    for w in (12.0, 52.0, 24.0, 24.0):
        xs.append(xs[-1] + mm(w, dpi))
    cx, cy, r = xs[-1], mm(15, dpi) + 2 * mm(ROW_MM, dpi) + mm(ROW_MM, dpi) // 2, mm(6.0, dpi)
    page = Image.fromarray(img)
    ImageDraw.Draw(page).ellipse([cx - r, cy - r, cx + r, cy + r], outline=110, width=mm(0.5, dpi))
    table = _read(np.asarray(page, dtype=np.uint8).copy(), dpi, tesseract)
    assert table.grid.n_rows == len(BODY)
    labels = [row[:2] for row in table.matrix()]
    assert labels == [row[:2] for row in BODY]


def test_one_label_over_the_last_two_rows_is_no_header_at_the_bottom():
    """A page continued without its header (first row: numbers, no spans), the label rule above
    the total broken (one label cell over the last two rows) and two of the total's numbers in
    one cell: body rows to the end (dev 095's 10B p6, once the seal over its first row no longer
    merged its cells; before, the last two rows were taken for a header read upside down and
    the label was never cut).  A header at the bottom has two or more headings over all its
    rows ("STT", "Tên đơn vị")."""
    cells = [(0, c, 1, 1) for c in range(4)]
    cells += [(1, 0, 1, 1), (1, 1, 2, 1), (1, 2, 1, 1), (1, 3, 1, 1), (2, 0, 1, 1), (2, 2, 1, 2)]
    assert body_rows(cells, 3, first_holds_numbers=True) == (1, 3)
    header = [c for c in cells if c[:2] != (1, 0) and c[:2] != (2, 0)] + [(1, 0, 2, 1)]
    assert body_rows(header, 3, first_holds_numbers=True) == (1, 1)
