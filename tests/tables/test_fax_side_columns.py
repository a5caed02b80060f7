"""A fax's side columns whose row rules were dotted away: the STT and label columns stay.

On a 150-dpi fax a toner patch over the left of a table is thresholded into dots: the row
rules of the STT and label columns (and the top and bottom rules over them) are gone, while
their vertical rules, the left border and the STT | label rule, stand whole from the table's
top rule to its bottom one (dev 579's 10B p4, dev 628's 7B p8 of the dev split).  Those rules
met no long horizontal rule and were dropped, the table's region started at the first value
column and the grid lost both columns: no row had a label, none was paired with the printed
rows (dev 628: 323 printed numbers "row missing").  Drawn 1-bit pages at 150 dpi, real OpenCV
and tesseract.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from table_pages import TableSpec, blank, draw_table, draw_text, pt_to_px

from extract.folding import fold
from extract.model import PixelBox
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables
from extract.tables.grid import GridSettings, widen_to_side_rules
from extract.tables.lines import LineSettings, Segment, find_lines

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

DPI = 150.0
WIDTHS_MM = [12.0, 40.0, 24.0, 24.0, 24.0, 30.0]
LABELS = ["Xã Na Son", "Xã Phì Nhừ", "Xã Chiềng Sơ", "Xã Pu Nhi", "Xã Nong U", "Xã Xa Dung"]
VALUES = [("2208", "1956", "252"), ("4101", "1916", "2185"), ("2905", "1101", "1605")] * 2


def _px(mm: float) -> int:
    return round(mm * DPI / 25.4)


def _page(keep_top: bool = False) -> tuple[np.ndarray, list[int], list[int]]:
    """A 1-bit page (ink 0) with a continued table of six rows, 14 mm high, no header: STT,
    label, three values, a blank notes column; the STT and label columns' horizontal rules
    erased (the top one kept with ``keep_top``), their vertical rules whole.  Returns the
    page, the column and the row edges."""
    img = blank(_px(297), _px(210))
    xs = [_px(20)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + _px(w))
    ys = [_px(15) + i * _px(14) for i in range(len(LABELS) + 1)]
    img = draw_table(img, TableSpec(xs, ys, thickness=2))
    for y in ys[1 if keep_top else 0 :]:
        img[y - 2 : y + 3, : xs[2] - 2] = 255  # dotted away by the fax threshold
    size = pt_to_px(12, DPI)
    for r, (label, values) in enumerate(zip(LABELS, VALUES, strict=True)):
        y = ys[r] + _px(4)
        img = draw_text(img, xs[0] + _px(4), y, str(r + 2), size)
        img = draw_text(img, xs[1] + _px(1.5), y, label, size)
        for c, v in enumerate(values):
            img = draw_text(img, xs[c + 3] - _px(3) - len(v) * size // 2, y, v, size)
    return np.where(img < 128, 0, 255).astype(np.uint8), xs, ys  # a fax is black and white


@pytest.mark.parametrize("keep_top", [False, True], ids=["no-rule-over-the-side", "top-rule-kept"])
def test_the_stt_and_label_columns_of_a_fax_whose_row_rules_were_dotted_away_stay(keep_top):
    img, xs, ys = _page(keep_top)
    page = prepare_page(img, DPI, bilevel=True)
    found = detect_tables(page)
    assert len(found.grids) == 1
    grid = found.grids[0]
    assert len(grid.col_edges) == len(xs)  # four before: STT and label lost
    assert all(abs(a - b) <= 3 for a, b in zip(grid.col_edges, xs, strict=True)), grid.col_edges
    assert grid.n_rows == len(LABELS)
    table = read_table(
        page, grid, found.line_mask, get_engine(OcrSettings()), OcrSettings(), page_index=0, table_index=0
    )
    rows = table.matrix()
    assert [r[0] for r in rows] == [str(k + 2) for k in range(len(LABELS))]
    for row, label in zip(rows, LABELS, strict=True):  # a tone mark may go on a 1-bit page
        assert fold(label.split(" ", 1)[1]) in fold(row[1]), (row[1], label)
    assert [tuple(r[2:5]) for r in rows] == VALUES


def test_without_the_side_border_settings_the_columns_are_lost():
    """The guard: with ``side_rule_reach_mm`` 0 the side rules are dropped as before; with
    ``side_border_cover`` 0 they are found but the grid starts at the first value."""
    img, xs, _ys = _page()
    page = prepare_page(img, DPI, bilevel=True)
    off = TableSettings(lines=LineSettings(side_rule_reach_mm=0.0))
    assert detect_tables(page, off).grids[0].col_edges[0] > xs[2] - 4
    apart = TableSettings(grid=GridSettings(side_border_cover=0.0))
    assert detect_tables(page, apart).grids[0].col_edges[0] > xs[2] - 4


def test_a_long_rule_ending_on_a_rules_line_beside_it_is_kept_one_ending_elsewhere_is_not():
    """Drawn lines alone: a ruled box (two rows), a vertical rule 25 mm left of it from the
    box's top line down (kept), one 15 mm further left from 5 mm below it (dropped: it ends on
    no rule's line), and one 50 mm left of the kept one (beyond ``side_rule_reach_mm``)."""
    img = np.zeros((_px(120), _px(200)), np.uint8)
    x0, x1, ys = _px(90), _px(180), [_px(20), _px(40), _px(60)]
    for y in ys:
        img[y : y + 2, x0 : x1 + 2] = 255
    for x in (x0, x1):
        img[ys[0] : ys[-1] + 2, x : x + 2] = 255
    side, loose, far = x0 - _px(25), x0 - _px(40), x0 - _px(75)
    img[ys[0] : _px(50), side : side + 2] = 255
    img[ys[0] + _px(5) : _px(55), loose : loose + 2] = 255
    img[ys[0] : _px(55), far : far + 2] = 255
    xs = [round(s.pos) for s in find_lines(img, DPI).v_segments]
    assert any(abs(x - side) <= 2 for x in xs), xs
    assert not any(abs(x - loose) <= 2 or abs(x - far) <= 2 for x in xs), xs
    xs = [round(s.pos) for s in find_lines(img, DPI, LineSettings(side_rule_reach_mm=0.0)).v_segments]
    assert not any(abs(x - side) <= 2 for x in xs), xs


def _v(x: float, y0: int, y1: int) -> Segment:
    return Segment(False, x, y0, y1, 2.0)


REGION = PixelBox(300, 100, 900, 400)
INNER = [_v(300, 100, 400), _v(400, 100, 400), _v(900, 100, 400)]


def test_a_table_of_many_rows_widens_to_side_rules_from_its_top_or_bottom_only():
    anchored = [*INNER, _v(200, 100, 350), _v(120, 160, 400)]  # from the top; up from the bottom
    assert widen_to_side_rules(REGION, anchored, [], 3, 300, 0.75, anchored=True) == PixelBox(
        120, 100, 900, 400
    )
    floating = [*INNER, _v(200, 120, 380)]  # 87% of the height, touching neither
    assert widen_to_side_rules(REGION, floating, [], 3, 300, 0.75, anchored=True) == REGION
    short = [*INNER, _v(200, 100, 300)]  # from the top, two thirds of the height
    assert widen_to_side_rules(REGION, short, [], 3, 300, 0.75, anchored=True) == REGION
