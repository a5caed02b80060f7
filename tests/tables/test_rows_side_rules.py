"""A table's total row printed alone at the top of a page whose STT and label columns lost the
rule pieces that tie them to the values: the label column's own vertical rules stand, but the
top rule breaks just left of the first value and the bottom rule under the STT and the label is
gone.  Dev 107's 10B (p6) and dev 114's 5B (p13), both hard 300 dpi: the row's grid started at
the first value, "Tổng số = (I) + (II)" was outside it, the row had no label and could not be
paired with the printed total (9 numbers "row missing" on each).  Drawn with Pillow (Liberation
Serif 2 and DejaVu Serif, 300 and 200 dpi), read with real OpenCV and tesseract: the label
column is a column of the row again, its label read; a vertical rule beside a table with no text
between, one too short, or one running beyond the table stays out."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from table_pages import TableSpec, blank, draw_table, pt_to_px, text_block
from worn_tables import FONTS

from extract.model import PixelBox
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables
from extract.tables.grid import GridSettings, widen_to_side_rules
from extract.tables.lines import Segment

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

CASES = [(dpi, font) for dpi in (300, 200) for font in sorted(FONTS)]
IDS = [f"{dpi}dpi-{font}" for dpi, font in CASES]
WIDTHS_MM = [12.0, 40.0, 22.0, 22.0, 24.0, 22.0, 24.0, 60.0]
TOTAL = ("", "Tổng số", "38.401", "15.411", "22.591", "399", "920", "1.380")


def _px(mm: float, dpi: float) -> int:
    return round(mm * dpi / 25.4)


def _write(img: np.ndarray, x: int, y: int, text: str, font: str, px: int) -> np.ndarray:
    pil = Image.fromarray(img)
    ImageDraw.Draw(pil).text((x, y), text, font=ImageFont.truetype(font, px), fill=0)
    return np.asarray(pil).copy()


def _page(dpi: float, font: str, border: bool = False) -> tuple[np.ndarray, list[int]]:
    """A landscape page: the total row at 15 mm, 12 mm high, worn as on dev 107 (the left
    border and the bottom rule under the STT and the label gone, the top rule broken by a 3 mm
    gap 5-8 mm left of the first value's rule) or, with ``border``, as on dev 114 (the left
    border and the bottom rule under the STT kept, the top rule over the STT and the bottom
    rule under the label gone); then a title and a ruled table of four rows."""
    img = blank(_px(297, dpi), _px(210, dpi))
    xs = [_px(20, dpi)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + _px(w, dpi))
    size = pt_to_px(12, dpi)
    t = max(2, round(dpi / 150))
    y0, y1 = _px(15, dpi), _px(27, dpi)
    img = draw_table(img, TableSpec(xs, [y0, y1], thickness=t, missing_sides=() if border else ("left",)))
    if border:  # the top rule over the STT and 2 mm of the label gone, the bottom under the label
        img[y0 - t : y0 + t + 1, : xs[1] + _px(2, dpi)] = 255
        img[y1 - t : y1 + t + 1, xs[1] + t + 1 : xs[2] - _px(5, dpi)] = 255
    else:
        img[y0 - t : y0 + t + 1, xs[2] - _px(8, dpi) : xs[2] - _px(5, dpi)] = 255
        img[y1 - t : y1 + t + 1, : xs[2] - _px(5, dpi)] = 255
    for col, text in enumerate(TOTAL):
        if text:
            img = _write(img, xs[col] + _px(1.5, dpi), (y0 + y1) // 2 - size // 2, text, font, size)
    img = text_block(img, _px(60, dpi), _px(45, dpi), _px(170, dpi), 2, size, seed=5)  # next title
    ys = [_px(65, dpi) + i * _px(8, dpi) for i in range(5)]
    img = draw_table(img, TableSpec(xs, ys, thickness=t))
    for r in range(4):
        img = _write(img, xs[1] + _px(1.5, dpi), ys[r] + _px(1.5, dpi), f"Phòng số {r + 1}", font, size)
        img = _write(img, xs[2] + _px(1.5, dpi), ys[r] + _px(1.5, dpi), str(10 + r), font, size)
    return img, xs


@pytest.fixture(scope="module")
def engine():
    return get_engine(OcrSettings())


@pytest.mark.parametrize("border", [False, True], ids=["dev107", "dev114"])
@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_lone_total_rows_label_column_is_a_column_of_its_row(dpi, font, border, engine):
    img, xs = _page(dpi, FONTS[font], border)
    page = prepare_page(img, dpi)
    found = detect_tables(page)
    assert [g.n_rows for g in found.grids] == [1, 4]
    lone = found.grids[0]
    # the label column starts the row; with its left border, the blank STT column does
    assert abs(lone.col_edges[0] - xs[0 if border else 1]) <= _px(1.0, dpi)
    table = read_table(page, lone, found.line_mask, engine, OcrSettings(), page_index=0, table_index=0)
    assert table.matrix()[0][:8] == list(TOTAL if border else TOTAL[1:])[:8]


def test_without_the_side_rules_the_row_loses_its_label():
    """The guard: with ``side_rule_cover`` 0 the row's grid starts where its top rule's piece
    does, right of the label."""
    dpi = 300
    img, xs = _page(dpi, FONTS[sorted(FONTS)[0]])
    off = TableSettings(grid=GridSettings(side_rule_cover=0.0))
    lone = detect_tables(prepare_page(img, dpi), off).grids[0]
    assert lone.col_edges[0] > xs[1] + _px(30.0, dpi)


def _v(x: float, y0: int, y1: int) -> Segment:
    return Segment(False, x, y0, y1, 2.0)


REGION = PixelBox(300, 100, 900, 200)
INNER = [_v(300, 100, 200), _v(400, 100, 200), _v(900, 100, 200)]


def test_side_rules_widen_one_rule_at_a_time_with_text_between():
    rules = [*INNER, _v(200, 104, 196), _v(120, 100, 170), _v(150, 100, 140)]
    assert widen_to_side_rules(REGION, rules, [], 3, 300, 0.6) == PixelBox(120, 100, 900, 200)
    right = [*INNER, _v(1000, 100, 200)]
    assert widen_to_side_rules(REGION, right, [], 3, 300, 0.6) == PixelBox(300, 100, 1000, 200)
    # the text is tested from the table's first rule, not from the region's side
    seen: list[tuple[int, int]] = []
    wide = PixelBox(330, 100, 900, 200)
    widen_to_side_rules(
        wide, [*INNER[1:], _v(200, 100, 200)], [], 3, 300, 0.6, lambda a, b: bool(seen.append((a, b)))
    )
    assert seen == [(200, 400)]


def test_side_rules_need_height_reach_text_and_no_more_than_the_table():
    short = [*INNER, _v(200, 100, 150)]  # half the row
    assert widen_to_side_rules(REGION, short, [], 3, 300, 0.6) == REGION
    box = [*INNER, _v(200, 40, 260)]  # a box beside the table runs beyond it
    assert widen_to_side_rules(REGION, box, [], 3, 300, 0.6) == REGION
    far = [*INNER, _v(100, 100, 200)]  # beyond the reach
    assert widen_to_side_rules(REGION, far, [], 3, 150, 0.6) == REGION
    blank_side = [*INNER, _v(200, 100, 200)]
    assert widen_to_side_rules(REGION, blank_side, [], 3, 300, 0.6, lambda _a, _b: False) == REGION
    assert widen_to_side_rules(REGION, blank_side, [], 3, 300, 0.0) == REGION  # off


def _h(y: float, x0: int, x1: int) -> Segment:
    return Segment(True, y, x0, x1, 2.0)


def test_a_blank_side_column_needs_the_tables_rule_along_it():
    """A total's STT is blank: the column is taken in where the table's top or bottom rule runs
    along half of it (dev 114's 5B p13: the bottom rule under the STT), not for a rule beside."""
    border = [*INNER, _v(200, 100, 200)]

    def no_text(_a: int, _b: int) -> bool:
        return False

    bottom = [_h(199, 200, 260)]
    assert widen_to_side_rules(REGION, border, bottom, 3, 300, 0.6, no_text) == PixelBox(200, 100, 900, 200)
    stub = [_h(199, 200, 230)]  # under a third of the column
    assert widen_to_side_rules(REGION, border, stub, 3, 300, 0.6, no_text) == REGION
    elsewhere = [_h(150, 200, 300)]  # a rule through the middle is no top or bottom
    assert widen_to_side_rules(REGION, border, elsewhere, 3, 300, 0.6, no_text) == REGION
