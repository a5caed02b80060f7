"""A commune table of a BC-UBND form drawn with Pillow, with its rules worn the way hard scans wear
them: a rule faded to a ghost or broken by a gap of 5-40 mm, over chosen rows and columns.

The rows' text is known exactly, so a test reads the page with real OpenCV and tesseract and
compares cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = {
    "liberation": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
}
FONTS = {name: path for name, path in FONTS.items() if Path(path).is_file()}

HEADER = ["STT", "Tên đơn vị", "Tổng số", "Kỳ trước", "Mới", "Tăng/giảm"]
NUMBERS_ROW = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
BODY = [
    ["1", "Thị trấn Hưng Hóa", "21.840", "13.100", "8.740", "-3"],
    ["2", "Xã Hiền Quan", "137", "100", "37", "12"],
    ["3", "Xã Dị Nậu", "10.635", "10.635", "", "0"],
    ["4", "Xã Thanh Uyên", "20.800", "13.100", "7.700", "-15"],
    ["5", "Xã Hương Nộn", "468", "400", "68", "5"],
    ["6", "Xã Cổ Tiết", "2.905", "1.905", "1.000", "-1"],
]
COL_MM = [12.0, 52.0, 24.0, 24.0, 22.0, 22.0]
ROW_MM = 8.0


@dataclass(frozen=True)
class Wear:
    """How the rules are worn.  Rows and columns count grid edges: vertical rule ``c`` is the
    left edge of column ``c`` (0 = the left border); horizontal rule ``r`` the top of row ``r``.

    ``gone_v``: (rule, first row, last row) spans of a vertical rule not printed at all;
    ``faint_v``: the same, printed as a ghost at ``faint_level``; ``gone_h``: (rule, first
    column, last column) spans of a horizontal rule not printed."""

    gone_v: tuple[tuple[int, int, int], ...] = ()
    faint_v: tuple[tuple[int, int, int], ...] = ()
    gone_h: tuple[tuple[int, int, int], ...] = ()
    faint_level: int = 225
    blur_px: float = 0.5
    specks: int = 0  # photocopy specks over the page
    empty_speckle: tuple[tuple[int, int], ...] = field(
        default=()
    )  # (row, col) of cells given a speck cluster


def mm(value: float, dpi: float) -> int:
    return round(value * dpi / 25.4)


def draw(
    dpi: float, font: str, wear: Wear = Wear(), *, body: list[list[str]] | None = None, size_pt: float = 12.0
) -> tuple[np.ndarray, list[list[str]]]:
    """The page (uint8 grey) and its table's text row by row (header, column numbers, body)."""
    rows = [HEADER, NUMBERS_ROW, *(body or BODY)]
    margin = mm(15, dpi)
    xs = [margin]
    for w in COL_MM:
        xs.append(xs[-1] + mm(w, dpi))
    ys = [margin + i * mm(ROW_MM, dpi) for i in range(len(rows) + 1)]
    width, height = xs[-1] + margin, ys[-1] + margin
    img = Image.new("L", (width, height), 255)
    pen = ImageDraw.Draw(img)
    rule = max(2, mm(0.25, dpi))

    def level(vertical: bool, index: int, span: int) -> int | None:
        for k, lo, hi in wear.gone_v if vertical else wear.gone_h:
            if k == index and lo <= span <= hi:
                return None
        for k, lo, hi in wear.faint_v if vertical else ():
            if k == index and lo <= span <= hi:
                return wear.faint_level
        return 0

    for c, x in enumerate(xs):
        for r in range(len(rows)):
            fill = level(True, c, r)
            if fill is not None:
                pen.rectangle(
                    [x - rule // 2, ys[r] - rule // 2, x - rule // 2 + rule - 1, ys[r + 1] + rule // 2],
                    fill=fill,
                )
    for r, y in enumerate(ys):
        for c in range(len(COL_MM)):
            fill = level(False, r, c)
            if fill is not None:
                pen.rectangle(
                    [xs[c] - rule // 2, y - rule // 2, xs[c + 1] + rule // 2, y - rule // 2 + rule - 1],
                    fill=fill,
                )
    face = ImageFont.truetype(font, round(size_pt / 72 * dpi))
    pad = mm(1.5, dpi)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text:
                continue
            box = pen.textbbox((0, 0), text, font=face)
            tw = box[2] - box[0]
            if r < 2 or c == 0:
                x = (xs[c] + xs[c + 1]) // 2 - tw // 2 - box[0]
            elif c == 1:
                x = xs[c] + pad - box[0]
            else:
                x = xs[c + 1] - pad - tw - box[0]
            cap = pen.textbbox((0, 0), "H", font=face)
            y = (ys[r] + ys[r + 1]) // 2 - (cap[3] + cap[1]) // 2
            pen.text((x, y), text, font=face, fill=0)
    rng = np.random.default_rng(7)
    for r, c in wear.empty_speckle:
        cx, cy = (xs[c] + xs[c + 1]) // 2, (ys[r] + ys[r + 1]) // 2
        for _ in range(6):
            dx, dy = rng.integers(-mm(3, dpi), mm(3, dpi)), rng.integers(-mm(1.5, dpi), mm(1.5, dpi))
            s = int(rng.integers(1, max(2, mm(0.25, dpi))))
            pen.rectangle([cx + dx, cy + dy, cx + dx + s, cy + dy + s], fill=int(rng.integers(0, 60)))
    for _ in range(wear.specks):
        sx, sy = int(rng.integers(0, width)), int(rng.integers(0, height))
        pen.point((sx, sy), fill=int(rng.integers(0, 80)))
    if wear.blur_px:
        img = img.filter(ImageFilter.GaussianBlur(wear.blur_px))
    return np.asarray(img, dtype=np.uint8).copy(), [list(r) for r in rows]
