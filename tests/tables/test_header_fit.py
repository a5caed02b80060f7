"""A header whose rules lost 5-40 mm keeps the cells it printed: merges that are no printed cell
are cut along the missing rules no text crosses, a leaf that lost its rule is cut where the
body's rule runs, and the header ends on one line above the body.  Pages drawn with Pillow, read
with real OpenCV and tesseract; the columns then map to the form's header tree."""

from __future__ import annotations

import numpy as np
import pytest
from header_tables import BODY, PATHS, WORN_HEADER, Gaps, draw, printed_cells, text_cells
from worn_tables import BODY as WORN_BODY
from worn_tables import FONTS, Wear
from worn_tables import draw as draw_worn

from extract.config import ColumnSpec, FormSpec
from extract.model import ReadTable
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables
from extract.tables.text_evidence import (
    TextBlobs,
    TextEvidenceSettings,
    _without_straight_runs,
    header_row_columns,
    improper_cells,
    restore_broken_rules,
    slot_components,
    split_header_leaves,
)
from extract.understand.forms import FormsSettings, map_header, split_header

CASES = [(dpi, font) for dpi in (300, 200) for font in sorted(FONTS)]
IDS = [f"{dpi}dpi-{font}" for dpi, font in CASES]
KEYS = ["stt", "co_quan", "tong", "giay", "dien_tu", "song_song", "thu_tuc", "ho_so", "ghi_chu"]
FORM = FormSpec(
    code="T1",
    title="Thống kê văn bản đi và dịch vụ công trực tuyến",
    label_column="co_quan",
    columns=[
        ColumnSpec(
            key=k,
            header=p,
            type="index"
            if k == "stt"
            else "label"
            if k == "co_quan"
            else "note"
            if k == "ghi_chu"
            else "count",
        )
        for k, p in zip(KEYS, PATHS, strict=True)
    ],
)


@pytest.fixture(scope="module")
def engine():
    return get_engine(OcrSettings())


def _cells(
    img: np.ndarray, dpi: float, settings: TableSettings | None = None
) -> set[tuple[int, int, int, int]]:
    grids = detect_tables(prepare_page(img, dpi), settings).grids
    assert len(grids) == 1
    return {(c.row, c.col, c.row_span, c.col_span) for c in grids[0].cells}


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_worn_header_keeps_the_cells_it_printed(dpi, font):
    assert _cells(draw(dpi, FONTS[font], WORN_HEADER), dpi) == printed_cells()


def test_without_the_repair_the_worn_header_is_closed_into_one_big_cell():
    off = TableSettings(text=TextEvidenceSettings(restore_cells=False))
    cells = _cells(draw(300, next(iter(FONTS.values())), WORN_HEADER), 300, off)
    assert cells != printed_cells()
    assert any(rs >= 2 and cs >= 3 for _r, _c, rs, cs in cells)  # header rows x several columns


@pytest.mark.parametrize("dpi", [300, 200])
def test_a_clean_header_keeps_its_real_merged_cells(dpi):
    """'Trong đó' over three leaves, with its text inside one of them, stays one cell."""
    cells = _cells(draw(dpi, next(iter(FONTS.values())), Gaps()), dpi)
    assert cells == printed_cells() and (0, 3, 1, 3) in cells and (0, 6, 1, 2) in cells


def _read(img: np.ndarray, dpi: float, engine) -> ReadTable:
    page = prepare_page(img, dpi)
    found = detect_tables(page)
    return read_table(
        page, found.grids[0], found.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )


@pytest.mark.parametrize(("dpi", "font"), [(300, f) for f in sorted(FONTS)] + [(200, "liberation")], ids=str)
def test_the_worn_header_is_read_and_every_column_maps_to_the_form(dpi, font, engine):
    table = _read(draw(dpi, FONTS[font], WORN_HEADER), dpi, engine)
    matrix = table.matrix()
    s = FormsSettings()
    header_rows = split_header(matrix, FORM, s)
    assert header_rows == 3  # parents, leaves, the column-number row
    mapping = map_header(matrix, header_rows, FORM, s)
    assert mapping.columns == dict(enumerate(KEYS)) and mapping.missing == () and mapping.unmapped == ()
    assert mapping.score >= 80
    # the numbers stand under their printed columns
    assert [row[2:8] for row in matrix[3:]] == [row[2:8] for row in BODY]


# -------------------------------------------------------------------------------------------
# the steps, on separator tables and glyph boxes given by hand


def _blobs(*boxes: tuple[int, int, int, int]) -> TextBlobs:
    a = np.array(boxes, np.int64).reshape(-1, 4)
    n = len(a)
    return TextBlobs(
        a[:, 0], a[:, 1], a[:, 2], a[:, 3], np.zeros(n, bool), np.zeros(n, bool), np.ones(n, bool)
    )


ROWS3 = [0, 100, 200, 300]
COLS3 = [0, 100, 200, 300]
T = TextEvidenceSettings()


def test_slot_components_join_slots_across_missing_separators():
    v = np.array([[False, True], [True, True], [True, True]])
    h = np.array([[True, True, True], [False, True, True]])
    labels = slot_components(v, h)
    assert labels[0, 0] == labels[0, 1] and labels[1, 0] == labels[2, 0]
    assert len(np.unique(labels)) == 7


def test_improper_cells_are_l_shapes_and_rectangles_with_a_rule_inside():
    v = np.ones((3, 2), bool)
    h = np.ones((2, 3), bool)
    v[0, 0] = False  # (0,0)-(0,1)
    h[0, 0] = False  # (0,0)-(1,0): an L of three slots
    assert improper_cells(v, h).sum() == 3
    h[0, 1] = False  # (0,1)-(1,1): a 2x2 square whose rule (1,0)|(1,1) is printed
    assert improper_cells(v, h)[:2, :2].all()
    v[1, 0] = False  # the rule inside gone too: a real merged cell
    assert not improper_cells(v, h).any()


def test_restore_broken_rules_cuts_an_l_where_no_text_crosses():
    v = np.ones((3, 2), bool)
    h = np.ones((2, 3), bool)
    v[0, 0], h[0, 0] = False, False  # an L over (0,0), (0,1), (1,0)
    text = _blobs((30, 30, 70, 70), (130, 30, 170, 70), (30, 130, 70, 170))  # a word in each slot
    v2, h2 = restore_broken_rules(v, h, ROWS3, COLS3, text, 300, T)
    assert v2.all() and h2.all()
    crossing = _blobs((60, 30, 160, 70), (30, 130, 70, 170))  # one word over the vertical line
    v3, h3 = restore_broken_rules(v, h, ROWS3, COLS3, crossing, 300, T)
    assert not v3[0, 0] and h3[0, 0]  # the word keeps its two slots; the L is cut below it


def test_split_header_leaves_cuts_a_leaf_over_two_ruled_columns_and_ends_the_header():
    rows, cols = [0, 100, 200, 300, 400], COLS3
    v = np.ones((4, 2), bool)
    h = np.ones((3, 3), bool)
    v[1, 0] = False  # leaves (1,0) and (1,1) as one cell
    h[1, 2] = False  # the header cell (1,2) runs on into the body's first row (2,2)
    cells = [
        (0, 0, 1, 1),
        (0, 1, 1, 1),
        (0, 2, 1, 1),
        (1, 0, 1, 2),
        (1, 2, 2, 1),
        (2, 0, 1, 1),
        (2, 1, 1, 1),
        (3, 0, 1, 1),
        (3, 1, 1, 1),
        (3, 2, 1, 1),
    ]
    text = _blobs((20, 130, 80, 170), (120, 130, 180, 170), (220, 130, 280, 170))
    v2, h2 = split_header_leaves(v, h, cells, rows, cols, 2, 4, text, 300, T)
    assert v2[1, 0] and h2[1, 2]
    one_side = _blobs((20, 130, 80, 170))  # text on one side only: no evidence of two leaves
    v3, _ = split_header_leaves(v, h, cells, rows, cols, 2, 4, one_side, 300, T)
    assert not v3[1, 0]
    v_unruled = v.copy()
    v_unruled[2:, 0] = False  # no rule below in the body: a parent, not two leaves
    v4, _ = split_header_leaves(v_unruled, h, cells, rows, cols, 2, 4, text, 300, T)
    assert not v4[1, 0]


def test_straight_rule_pieces_are_not_glyphs():
    crop = np.zeros((200, 200), np.uint8)
    crop[10:190, 100:103] = 255  # a rule piece 180 px (15 mm at 300 dpi) long
    crop[50:80, 40:60] = 255  # a letter
    out = _without_straight_runs(crop, 60)
    assert not out[:, 100:103].any() and out[50:80, 40:60].all()


# -------------------------------------------------------------------------------------------
# columns whose vertical rule broke: 5-40 mm gaps, or the whole height of a short table


@pytest.mark.parametrize(
    "gaps",
    [
        Gaps(v=((3, 20.0, 25.0), (5, 28.0, 40.0), (7, 10.0, 35.0))),  # 5, 12 and 25 mm
        Gaps(v=((4, 0.0, 40.0), (6, 30.0, 60.0))),  # 40 mm from the top, 30 mm through the body
        Gaps(v=((2, 25.0, 60.0), (8, 0.0, 40.0)), h=((3, 60.0, 100.0),)),
    ],
    ids=["5-25mm", "40mm", "35-40mm+row"],
)
@pytest.mark.parametrize("dpi", [300, 200])
def test_vertical_rules_with_5_to_40_mm_gaps_keep_every_printed_cell(gaps, dpi):
    """Every cell that prints text comes out as printed; two blank body cells whose rule broke
    over the whole body may stay one (no value, nothing to misplace)."""
    font = FONTS["liberation"] if "liberation" in FONTS else next(iter(FONTS.values()))
    cells = _cells(draw(dpi, font, gaps), dpi)
    assert text_cells() <= cells
    for r, c, rs, cs in cells - printed_cells():
        assert r >= 3 and not any(BODY[rr - 3][cc] for rr in range(r, r + rs) for cc in range(c, c + cs))


SHORT = WORN_BODY[:3]


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
@pytest.mark.parametrize("rule", [3, 4])
def test_a_column_rule_lost_over_a_short_table_comes_back_from_the_header_row(rule, dpi, font, engine):
    """Three body rows are too few for the body's whitespace alone (``min_col_rows``): the
    column numbers "(4) (5)" (and the headings above them) printed in one slot say where the
    column is."""
    img, rows = draw_worn(dpi, FONTS[font], Wear(gone_v=((rule, 0, 8),)), body=SHORT)
    page = prepare_page(img, dpi)
    found = detect_tables(page)
    grid = found.grids[0]
    assert grid.n_cols == 6 and all(c.row_span == 1 and c.col_span == 1 for c in grid.cells)
    table = read_table(page, grid, found.line_mask, engine, OcrSettings(), page_index=0, table_index=0)
    assert table.matrix()[2:] == SHORT
    assert table.matrix()[0][2:5] == rows[0][2:5]  # the headings beside the lost rule, apart


def test_without_the_header_row_the_short_table_loses_its_column():
    img, _ = draw_worn(300, next(iter(FONTS.values())), Wear(gone_v=((4, 0, 8),)), body=SHORT)
    assert detect_tables(prepare_page(img, 300)).grids[0].n_cols == 6
    header_row_columns_off = TableSettings(text=TextEvidenceSettings(min_header_gap_mm=1000.0))
    assert detect_tables(prepare_page(img, 300), header_row_columns_off).grids[0].n_cols == 5


def test_header_row_columns_needs_text_on_both_sides_and_a_blank_band_down_the_body():
    rows, cols = [0, 100, 200, 300], [0, 400]
    two = _blobs((40, 30, 90, 70), (300, 30, 350, 70), (100, 130, 180, 170), (320, 230, 380, 270))
    assert header_row_columns(rows, cols, 1, 3, two, 300, T)[1:-1] != []
    one = _blobs((40, 30, 90, 70), (100, 130, 180, 170), (320, 230, 380, 270))
    assert header_row_columns(rows, cols, 1, 3, one, 300, T) == cols
    crossed = _blobs((40, 30, 90, 70), (300, 30, 350, 70), (60, 130, 340, 170))  # a body text across
    assert header_row_columns(rows, cols, 1, 3, crossed, 300, T) == cols


def test_a_first_row_item_beside_its_sub_rows_is_no_header_running_into_the_body():
    """A continuation page's first row: an item's STT and label printed once beside its three
    sub-rows (one row above the body start) stays one cell each."""
    rows, cols = [0, 100, 200, 300], COLS3
    v = np.ones((3, 2), bool)
    h = np.ones((2, 3), bool)
    h[:, 0] = False  # the STT cell over all three rows
    cells = [(0, 0, 3, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)]
    text = _blobs((30, 130, 70, 170), (130, 30, 170, 70), (130, 130, 170, 170), (230, 230, 270, 270))
    _v2, h2 = split_header_leaves(v, h, cells, rows, cols, 1, 3, text, 300, T)
    assert not h2[:, 0].any()
