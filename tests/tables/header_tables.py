"""A table with a two-level header (parents over their leaves, then the printed column-number
row) drawn with Pillow, its rules broken by gaps given in millimetres, the way worn scans lose
them: 5-40 mm of a rule gone, in the header as well as in the body.

The printed cells are known exactly (:data:`HEADER_CELLS`), so a test can compare the grid that
the reader builds with what was printed, and the header texts that OCR reads in each cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

COL_MM = [12.0, 40.0, 24.0, 24.0, 26.0, 24.0, 24.0, 26.0, 18.0]
ROW_MM = [12.0, 17.0, 7.0, 8.0, 8.0, 8.0]
# (row, col, row_span, col_span, text) of the header as printed
HEADER_CELLS = [
    (0, 0, 2, 1, "STT"),
    (0, 1, 2, 1, "Cơ quan, đơn vị"),
    (0, 2, 2, 1, "Tổng số văn bản đi"),
    (0, 3, 1, 3, "Trong đó"),
    (0, 6, 1, 2, "Dịch vụ công trực tuyến mức độ 3"),
    (0, 8, 2, 1, "Ghi chú"),
    (1, 3, 1, 1, "Văn bản giấy"),
    (1, 4, 1, 1, "Văn bản điện tử"),
    (1, 5, 1, 1, "Song song"),
    (1, 6, 1, 1, "Số thủ tục"),
    (1, 7, 1, 1, "Hồ sơ tiếp nhận"),
]
NUMBERS = ["(1)", "(2)", "(3)=(4)+(5)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"]
BODY = [
    ["I", "UBND cấp huyện", "14.738", "4.077", "10.661", "", "", "", ""],
    ["II", "UBND cấp xã", "46.235", "17.852", "27.503", "880", "1.685", "1.390", ""],
    ["1", "Thị trấn Ea Pốk", "1.625", "1.055", "447", "123", "", "181", ""],
]
# the leaves' header paths, top level first, one per printed column
PATHS = [
    ["STT"],
    ["Cơ quan, đơn vị"],
    ["Tổng số văn bản đi"],
    ["Trong đó", "Văn bản giấy"],
    ["Trong đó", "Văn bản điện tử"],
    ["Trong đó", "Song song"],
    ["Dịch vụ công trực tuyến mức độ 3", "Số thủ tục"],
    ["Dịch vụ công trực tuyến mức độ 3", "Hồ sơ tiếp nhận"],
    ["Ghi chú"],
]


@dataclass(frozen=True)
class Gaps:
    """Pieces of rules not printed: ``v`` = (rule, from mm, to mm) down vertical rule ``rule``
    (0 = the left border), measured from the table's top; ``h`` = (rule, from mm, to mm) along
    horizontal rule ``rule`` (0 = the top border), measured from the table's left."""

    v: tuple[tuple[int, float, float], ...] = ()
    h: tuple[tuple[int, float, float], ...] = ()


# the header of dev document 9's 10B, worn: a vertical rule between two leaves gone over 35 mm
# (the whole header and into the column-number row), another over 30 mm from the parents'
# row down, the rule under the parents gone over 36 mm, the rule above the column numbers
# over 38 mm, and the left leaves' rule over 30 mm
WORN_HEADER = Gaps(
    v=((7, 0.0, 35.0), (4, 6.0, 36.0), (1, 0.0, 30.0), (2, 4.0, 34.0)),
    h=((1, 150.0, 186.0), (2, 52.0, 90.0), (2, 12.0, 40.0)),
)


def mm(value: float, dpi: float) -> int:
    return round(value * dpi / 25.4)


def _edges(start: int, sizes: list[float], dpi: float) -> list[int]:
    out = [start]
    total = 0.0
    for s in sizes:
        total += s
        out.append(start + mm(total, dpi))
    return out


def _wrap(pen: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and pen.textlength(f"{lines[-1]} {word}", font=face) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw(
    dpi: float, font: str, gaps: Gaps = Gaps(), *, size_pt: float = 11.0, blur_px: float = 0.5
) -> np.ndarray:
    """The page (uint8 grey, landscape) with the table."""
    margin = mm(15, dpi)
    xs, ys = _edges(margin, COL_MM, dpi), _edges(margin, ROW_MM, dpi)
    img = Image.new("L", (xs[-1] + margin, ys[-1] + margin), 255)
    pen = ImageDraw.Draw(img)
    rule = max(2, mm(0.25, dpi))
    printed = np.ones((len(ys) - 1, len(xs)), bool)  # vertical rule pieces, slot rows x rules
    h_printed = np.ones((len(ys), len(xs) - 1), bool)
    for r, c, rs, cs, _ in HEADER_CELLS:
        printed[r : r + rs, c + 1 : c + cs] = False
        h_printed[r + 1 : r + rs, c : c + cs] = False
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if printed[r, c]:
                pen.rectangle(
                    [x - rule // 2, ys[r] - rule // 2, x - rule // 2 + rule - 1, ys[r + 1] + rule // 2],
                    fill=0,
                )
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if h_printed[r, c]:
                pen.rectangle(
                    [xs[c] - rule // 2, y - rule // 2, xs[c + 1] + rule // 2, y - rule // 2 + rule - 1],
                    fill=0,
                )
    for k, a, b in gaps.v:
        pen.rectangle([xs[k] - rule, ys[0] + mm(a, dpi), xs[k] + rule, ys[0] + mm(b, dpi)], fill=255)
    for k, a, b in gaps.h:
        pen.rectangle([xs[0] + mm(a, dpi), ys[k] - rule, xs[0] + mm(b, dpi), ys[k] + rule], fill=255)
    face = ImageFont.truetype(font, round(size_pt / 72 * dpi))
    pad = mm(1.2, dpi)
    line_h = round(size_pt / 72 * dpi * 1.15)
    cells = [*HEADER_CELLS]
    cells += [(2, c, 1, 1, t) for c, t in enumerate(NUMBERS)]
    cells += [(3 + r, c, 1, 1, t) for r, row in enumerate(BODY) for c, t in enumerate(row)]
    for r, c, rs, cs, text in cells:
        if not text:
            continue
        x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
        lines = _wrap(pen, text, face, x1 - x0 - 2 * pad)
        top = (y0 + y1) // 2 - len(lines) * line_h // 2
        for i, line in enumerate(lines):
            box = pen.textbbox((0, 0), line, font=face)
            tw = box[2] - box[0]
            if r >= 3 and c >= 2:
                x = x1 - pad - tw - box[0]
            elif r >= 3 and c == 1:
                x = x0 + pad - box[0]
            else:
                x = (x0 + x1) // 2 - tw // 2 - box[0]
            pen.text((x, top + i * line_h), line, font=face, fill=0)
    if blur_px:
        img = img.filter(ImageFilter.GaussianBlur(blur_px))
    return np.asarray(img, dtype=np.uint8).copy()


def printed_cells() -> set[tuple[int, int, int, int]]:
    """Every cell of the table as printed: (row, col, row_span, col_span)."""
    out = {(r, c, rs, cs) for r, c, rs, cs, _ in HEADER_CELLS}
    out |= {(r, c, 1, 1) for r in range(2, len(ROW_MM)) for c in range(len(COL_MM))}
    return out


def text_cells() -> set[tuple[int, int, int, int]]:
    """The printed cells that hold text (two blank body cells read as one give no value)."""
    return {cell for cell in printed_cells() if cell[0] < 3 or BODY[cell[0] - 3][cell[1]]}
