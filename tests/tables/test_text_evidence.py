"""Worn rules on drawn commune tables, read with real OpenCV and tesseract: where a rule is faint
or broken, the text finds the cells, and a value is never emitted as part of its neighbour's."""

from __future__ import annotations

import os

import numpy as np
import pytest
from worn_tables import BODY, FONTS, Wear, draw

from extract.model import PixelBox, ReadTable
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables
from extract.tables.text_evidence import TextBlobs, TextEvidenceSettings, body_rows, split_separators

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

CASES = [(dpi, font) for dpi in (300, 200) for font in sorted(FONTS)]
IDS = [f"{dpi}dpi-{font}" for dpi, font in CASES]


@pytest.fixture(scope="module")
def engine():
    return get_engine(OcrSettings())


def _read(img: np.ndarray, dpi: float, engine, settings: TableSettings | None = None) -> ReadTable:
    page = prepare_page(img, dpi)
    found = detect_tables(page, settings)
    assert len(found.grids) == 1
    return read_table(
        page, found.grids[0], found.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )


def _body(table: ReadTable) -> list[list[str]]:
    return table.matrix()[2:]


# a faint or missing rule between the label and the first number, over the body rows
LABEL_RULE = Wear(gone_v=((2, 2, 4),), faint_v=((2, 5, 7),))
# two communes in one row: the rule between body rows 2 and 3 (grid rows 3 and 4) is gone over the
# whole width, and between rows 4 and 5 over the STT, the label and the first number
TWO_COMMUNES = Wear(gone_h=((5, 0, 5), (7, 0, 2)))
# the vertical rules between all the numbers of body row 4 are gone: "20.800 13.100 7.700 -15"
NUMBERS_RUN = Wear(gone_v=((3, 5, 5), (4, 5, 5), (5, 5, 5)))


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_faint_or_missing_label_rule_keeps_the_label_and_its_number_apart(dpi, font, engine):
    img, _ = draw(dpi, FONTS[font], LABEL_RULE)
    table = _read(img, dpi, engine)
    assert table.grid.n_rows == 2 + len(BODY) and table.grid.n_cols == 6
    assert _body(table) == BODY
    assert all(c.cell.col_span == 1 and c.cell.row_span == 1 for c in table.cells if c.cell.row >= 2)


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_two_communes_without_a_rule_between_them_are_two_rows(dpi, font, engine):
    img, _ = draw(dpi, FONTS[font], TWO_COMMUNES)
    table = _read(img, dpi, engine)
    assert table.grid.n_rows == 2 + len(BODY)
    assert _body(table) == BODY


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_run_of_numbers_without_rules_is_one_number_a_cell(dpi, font, engine):
    img, _ = draw(dpi, FONTS[font], NUMBERS_RUN)
    table = _read(img, dpi, engine)
    assert _body(table) == BODY
    assert not any(" " in c.text for c in table.cells if c.cell.row >= 2 and c.cell.col >= 2)


def test_without_text_evidence_the_same_pages_merge_cells(engine):
    """The worn pages above are hard: the rules alone merge the cells the tests split."""
    off = TableSettings(text=TextEvidenceSettings(enabled=False))
    for wear in (LABEL_RULE, TWO_COMMUNES, NUMBERS_RUN):
        img, _ = draw(300, next(iter(FONTS.values())), wear)
        page = prepare_page(img, 300)
        assert any(c.row_span > 1 or c.col_span > 1 for c in detect_tables(page, off).grids[0].cells[12:])


def test_a_label_crossing_a_missing_rule_keeps_its_cell_merged(engine):
    """A label printed across the line of a missing rule (the text does cross it) is not cut in
    two: the cell stays merged (and the reader says so)."""
    body = [list(r) for r in BODY]
    body[1][1] = "Xã Hiền Quan Thượng Hạ Đông"  # runs past the label column
    wear = Wear(gone_v=((2, 3, 3),))
    img, _ = draw(300, next(iter(FONTS.values())), wear, body=body)
    page = prepare_page(img, 300)
    grid = detect_tables(page).grids[0]
    cell = next(c for c in grid.cells if c.row == 3 and c.col == 1)
    assert cell.col_span == 2


def test_header_merged_cells_are_never_split():
    """Separators of a header (rows above the body start) and inner edges whose rule is printed
    nowhere above stay as they are, even with no text on them."""
    v_sep = np.array([[True, False, True], [True, True, True], [True, False, True]])
    h_sep = np.array([[True, True, True, True], [True, True, True, True]])
    blobs = TextBlobs(*(np.zeros(0, int) for _ in range(4)), *(np.zeros(0, bool) for _ in range(3)))
    rows, cols = [0, 10, 20, 30], [0, 10, 20, 30, 40]
    v, h = split_separators(v_sep, h_sep, rows, cols, 1, 3, blobs, 254.0, TextEvidenceSettings())
    assert not v[0, 1]  # header row: left alone
    assert not v[2, 1]  # body row, no text on either side: nothing to split
    header = [(0, 0, 2, 1), (0, 1, 1, 2), (1, 1, 1, 1), (1, 2, 1, 1)]
    body = [(r, c, 1, 1) for r in (2, 3, 4) for c in range(3)]
    assert body_rows(header + body, 5) == (2, 5)
    # a column whose rules are all broken runs from the first row down: it is no header cell
    torn = [(0, 0, 2, 1), (0, 1, 5, 1), (0, 2, 1, 1), (1, 2, 1, 1)] + [
        (r, c, 1, 1) for r in (2, 3, 4) for c in (0, 2)
    ]
    assert body_rows(torn, 5) == (2, 5)
    # upside down: the header's cells are the last rows' cells ("STT" and "Tên đơn vị" over
    # all its rows)
    upside_down = [(r, c, 1, 1) for r in (0, 1) for c in range(4)]
    upside_down += [(2, 0, 2, 1), (2, 1, 2, 1), (2, 2, 1, 1), (2, 3, 1, 1), (3, 2, 1, 2)]
    assert body_rows(upside_down, 4, first_holds_numbers=True) == (1, 2)
    # the last two rows merged by a broken rule (row spans only) are still body
    merged = [
        (0, 0, 1, 1),
        (0, 1, 1, 1),
        (1, 0, 1, 1),
        (1, 1, 1, 1),
        (2, 0, 2, 1),
        (2, 1, 1, 1),
        (3, 1, 1, 1),
    ]
    assert body_rows(merged, 4) == (1, 4)


def test_a_value_whose_cell_stays_merged_is_flagged_never_kept(tmp_path):
    """End to end (page task, then the document): the number beside a label that runs across a
    missing rule shares its cell; that value is flagged with the reason, not read or verified."""
    import cv2

    from extract.document import assemble_document
    from extract.model import ValueStatus
    from extract.page import PageTask, process_page

    body = [list(r) for r in BODY]
    body[1][1] = "Xã Hiền Quan Thượng Hạ Đông"
    img, _ = draw(300, next(iter(FONTS.values())), Wear(gone_v=((2, 3, 3),)), body=body)
    path = tmp_path / "worn.png"
    cv2.imwrite(str(path), img)
    result = process_page(PageTask(str(path), 0, "doc"))
    assert result.error is None
    doc = assemble_document("doc", str(path), [result])
    merged = [
        v for t in doc.tables for v in t.values if (v.problem or "").startswith("one cell over 2 columns")
    ]
    assert merged and all(v.status == ValueStatus.FLAGGED for v in merged)


@pytest.mark.parametrize(("dpi", "font"), CASES[:2], ids=IDS[:2])
def test_a_table_torn_in_two_by_rules_broken_down_a_whole_column_is_one_table(dpi, font, engine):
    """Every horizontal rule is broken over the third column (a 24 mm gap down the whole table):
    the two halves line up row for row and are read as one table, the column's cells found from
    the text."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=tuple((r, 2, 2) for r in range(1, 2 + len(BODY) + 1))))
    table = _read(img, dpi, engine)
    assert (table.grid.n_rows, table.grid.n_cols) == (2 + len(BODY), 6)
    assert _body(table) == BODY


def test_side_by_side_tables_that_do_not_line_up_stay_apart():
    from extract.tables.detect import join_side_by_side
    from extract.tables.lines import LineMasks, Segment

    empty = np.zeros((10, 10), np.uint8)
    left, right = PixelBox(0, 0, 100, 200), PixelBox(150, 0, 300, 200)
    rows_left = [Segment(True, y, 0, 100, 2.0) for y in (0, 50, 100, 150, 200)]
    aligned = LineMasks(
        empty, empty, (*rows_left, *(Segment(True, y, 150, 300, 2.0) for y in (0, 50, 100, 150, 200))), ()
    )
    shifted = LineMasks(
        empty, empty, (*rows_left, *(Segment(True, y, 150, 300, 2.0) for y in (25, 75, 125, 175))), ()
    )
    settings = TableSettings()
    assert join_side_by_side([left, right], aligned, 300.0, settings) == [PixelBox(0, 0, 300, 200)]
    assert join_side_by_side([left, right], shifted, 300.0, settings) == [left, right]
