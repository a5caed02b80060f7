"""Labels that share their first word ("Phường 4", "Phường 12") leave a blank band down the label
column at the word space: the body's text finds a column there.  Its line is under one heading
("Cơ quan, đơn vị" crosses it), so it is no printed column whose rule was lost: the label cells
stay one cell each and the labels stay whole.  (A regression of struct3 on a clean 200-dpi
document: the found column cut every label into "Phường" and "12", and the communes were lost.)

A clean page drawn with Pillow, read with real OpenCV; the labels with tesseract."""

from __future__ import annotations

import numpy as np
import pytest
from header_tables import _wrap, mm
from PIL import Image, ImageDraw, ImageFont
from worn_tables import FONTS

from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import detect_tables

DPI = 200
COL_MM = [14.0, 22.4, 27.0, 24.0, 24.0]
ROW_MM = [20.0, 40.0, 16.0, 11.0, 6.2, 6.2, 6.2, 11.0, 6.2, 6.2, 11.0]
# (row, col, row_span, col_span, text) of the header
HEADER = [
    (0, 0, 2, 1, "STT"),
    (0, 1, 2, 1, "Cơ quan, đơn vị"),
    (0, 2, 2, 1, "Tổng số văn bản đi"),
    (0, 3, 1, 2, "Trong đó"),
    (1, 3, 1, 1, "Văn bản giấy"),
    (1, 4, 1, 1, "Văn bản điện tử"),
]
BODY = [
    ["I", "UBND cấp huyện", "7.410", "2.100", "5.310"],
    ["II", "UBND cấp xã", "33.725", "12.400", "21.325"],
    ["1", "Phường 4", "2.945", "1.045", "1.900"],
    ["2", "Phường 9", "3.375", "1.375", "2.000"],
    ["3", "Phường 2", "5.162", "2.162", "3.000"],
    ["4", "Phường 12", "2.515", "515", "2.000"],
    ["5", "Phường 7", "3.092", "1.092", "2.000"],
    ["6", "Phường 1", "2.959", "959", "2.000"],
    ["7", "Phường 11", "3.796", "1.796", "2.000"],
]


def _mm(value: float) -> int:
    return mm(value, DPI)


def _edges(sizes: list[float]) -> list[int]:
    out, total = [_mm(15)], 15.0
    for s in sizes:
        total += s
        out.append(_mm(total))
    return out


def draw(font: str) -> np.ndarray:
    """A clean page (uint8 grey) with the table: every rule printed."""
    xs, ys = _edges(COL_MM), _edges(ROW_MM)
    img = Image.new("L", (xs[-1] + _mm(15), ys[-1] + _mm(15)), 255)
    pen = ImageDraw.Draw(img)
    rule = max(2, _mm(0.25))
    inner_v = np.ones((len(ys) - 1, len(xs)), bool)
    inner_h = np.ones((len(ys), len(xs) - 1), bool)
    for r, c, rs, cs, _ in HEADER:
        inner_v[r : r + rs, c + 1 : c + cs] = False
        inner_h[r + 1 : r + rs, c : c + cs] = False
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if inner_v[r, c]:
                pen.rectangle(
                    [x - rule // 2, ys[r] - rule // 2, x + rule // 2, ys[r + 1] + rule // 2], fill=0
                )
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if inner_h[r, c]:
                pen.rectangle(
                    [xs[c] - rule // 2, y - rule // 2, xs[c + 1] + rule // 2, y + rule // 2], fill=0
                )
    face = ImageFont.truetype(font, round(11 / 72 * DPI))
    line_h = round(11 / 72 * DPI * 1.15)
    pad = _mm(1.2)
    cells = [*HEADER, *((2 + r, c, 1, 1, t) for r, row in enumerate(BODY) for c, t in enumerate(row))]
    for r, c, rs, cs, text in cells:
        x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
        lines = _wrap(pen, text, face, x1 - x0 - 2 * pad)
        top = (y0 + y1) // 2 - len(lines) * line_h // 2
        for i, line in enumerate(lines):
            box = pen.textbbox((0, 0), line, font=face)
            if r >= 2 and c == 1:
                x = x0 + pad - box[0]
            elif r >= 2 and c >= 2:
                x = x1 - pad - box[2]
            else:
                x = (x0 + x1) // 2 - (box[2] - box[0]) // 2 - box[0]
            pen.text((x, top + i * line_h), line, font=face, fill=0)
    return np.asarray(img, dtype=np.uint8).copy()


@pytest.fixture(scope="module", params=sorted(FONTS))
def page(request):
    return prepare_page(draw(FONTS[request.param]), DPI)


def _label_cells(grid):
    """The cells that hold the body's labels (x between the label column's rules)."""
    xs = _edges(COL_MM)
    tol = _mm(1.0)
    return [
        cell
        for cell in grid.cells
        if cell.row >= 2 and abs(cell.box.x0 - xs[1]) <= tol and cell.box.x1 > xs[1] + _mm(5)
    ]


def test_labels_sharing_a_first_word_stay_one_cell(page):
    (grid,) = detect_tables(page).grids
    xs = _edges(COL_MM)
    tol = _mm(1.0)
    labels = _label_cells(grid)
    assert len(labels) == len(BODY)
    for cell in labels:
        assert abs(cell.box.x1 - xs[2]) <= tol, cell  # the whole label column, not cut at the word space


def test_the_labels_are_read_whole(page):
    found = detect_tables(page)
    (grid,) = found.grids
    engine = get_engine(OcrSettings())
    read = read_table(page, grid, found.line_mask, engine, OcrSettings(), page_index=0, table_index=0)
    texts = {(c.cell.row, c.cell.col): " ".join(c.text.split()) for c in read.cells}
    labels = sorted(_label_cells(grid), key=lambda cell: cell.row)
    got = [texts.get((cell.row, cell.col), "") for cell in labels]
    assert got[2:] == [row[1] for row in BODY[2:]]
