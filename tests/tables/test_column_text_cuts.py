"""A column found from the text where its rule was lost is cut once, where the printed rule was
(dev_072 hard 300, form 3B: the rule between "Nội dung thống kê" and "Số liệu thống kê" broken
down the body; the body's blank bands gave three cuts -- the word space of "... tại  Bảng" and
two halves of the band that a speck split in two -- so the table had six columns for four, and
the continuation pages' values went under a headless extra column).

The ink of a table's text (rules taken out, as :class:`TextBlobs` gets it) drawn with Pillow in
a real serif font; :func:`text_columns` runs on it as the grid calls it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from worn_tables import FONTS

from extract.model import PixelBox
from extract.tables.text_evidence import TextBlobs, TextEvidenceSettings, text_columns

DPI = 250
S = TextEvidenceSettings()


def mm(v: float) -> int:
    return round(v * DPI / 25.4)


COLS_MM = [15.0, 27.0, 97.0, 114.0, 175.0]  # STT | label | value (rule lost) | note
LABELS = ["Kế hoạch rà soát TTHC", "LONG", "Cấp huyện", "Cấp xã", "Phường Linh Xuân", "Phường Bình Thọ"]
VALUES = ["Có", "349", "244", "105", "105", "58"]


def draw(font: str, *, speck: bool) -> tuple[np.ndarray, list[int], list[int]]:
    """The ink (uint8, 255 on ink) of the text, the grid's row edges and its column edges
    without the lost rule."""
    cols = [mm(x) for x in COLS_MM]
    rows = [mm(20)] + [mm(20 + 14 + 9 * i) for i in range(len(LABELS) + 1)]
    img = Image.new("L", (cols[-1] + mm(10), rows[-1] + mm(10)), 0)
    pen = ImageDraw.Draw(img)
    face = ImageFont.truetype(font, round(12 / 72 * DPI))

    def put(text: str, x: int, r: int, centre: bool = False) -> tuple[int, int]:
        box = pen.textbbox((0, 0), text, font=face)
        w = box[2] - box[0]
        x = x - w // 2 if centre else x
        y = (rows[r] + rows[r + 1]) // 2 - (box[3] + box[1]) // 2
        pen.text((x - box[0], y), text, font=face, fill=255)
        return x, x + w

    for c, head in enumerate(["STT", "Nội dung thống kê", "Số liệu", "Ghi chú"]):
        put(head, (cols[c] + cols[c + 1]) // 2, 0, centre=True)
    for i, (label, value) in enumerate(zip(LABELS, VALUES, strict=True)):
        r = i + 1
        put(str(i + 1), (cols[0] + cols[1]) // 2, r, centre=True)
        if label == "LONG":  # a long label whose last word stands apart, close to the lost rule
            box = pen.textbbox((0, 0), "Bảng", font=face)
            x0, _x1 = put("Bảng", cols[2] - mm(2) - (box[2] - box[0]), r)
            put("Số TTHC công khai tại", cols[1] + mm(1.5), r)
            assert pen.textbbox((cols[1] + mm(1.5), 0), "Số TTHC công khai tại", font=face)[2] < x0 - mm(2)
        else:
            put(label, cols[1] + mm(1.5), r)
        box = pen.textbbox((0, 0), value, font=face)
        put(value, cols[3] - mm(1.5) - (box[2] - box[0]), r)
    if speck:  # a photocopy speck on the lost rule's line, in one row: it splits the blank band
        x, y = mm(COLS_MM[2]), (rows[3] + rows[4]) // 2
        pen.rectangle([x - mm(0.3), y - mm(0.3), x + mm(0.3), y + mm(0.3)], fill=255)
    return np.asarray(img, dtype=np.uint8).copy(), rows, [cols[0], cols[1], cols[3], cols[4]]


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize("speck", [False, True])
def test_a_lost_rule_beside_a_long_label_is_cut_once_where_it_was(font: str, speck: bool) -> None:
    ink, rows, cols = draw(FONTS[font], speck=speck)

    blobs = TextBlobs.find(ink, PixelBox(cols[0], rows[0], cols[-1], rows[-1]), DPI, S)
    got = text_columns(rows, cols, 1, len(rows) - 1, blobs, DPI, S)
    new = sorted(set(got) - set(cols))
    # the value column's rule, within 4 mm of where it was printed ("Bảng" ends 2 mm before it
    # and the values start farther right): one cut, not one at the word space or two at the speck
    assert len(new) == 1, (new, mm(COLS_MM[2]))
    assert abs(new[0] - mm(COLS_MM[2])) <= mm(4)


@pytest.mark.parametrize("font", sorted(FONTS))
def test_two_lost_rules_between_columns_with_text_are_both_cut(font: str) -> None:
    """The note column's rule lost too, its notes in every row: both cuts stay."""
    ink, rows, cols = draw(FONTS[font], speck=False)
    img = Image.fromarray(ink)
    pen = ImageDraw.Draw(img)
    face = ImageFont.truetype(FONTS[font], round(12 / 72 * DPI))
    for r in range(1, len(rows) - 1):
        pen.text((mm(COLS_MM[3] + 3), (rows[r] + rows[r + 1]) // 2 - mm(2)), "Đạt", font=face, fill=255)
    ink = np.asarray(img, dtype=np.uint8).copy()
    blobs = TextBlobs.find(ink, PixelBox(cols[0], rows[0], cols[-1], rows[-1]), DPI, S)
    got = text_columns(rows, [cols[0], cols[1], cols[3]], 1, len(rows) - 1, blobs, DPI, S)
    new = sorted(set(got) - {cols[0], cols[1], cols[3]})
    assert len(new) == 2, new
    assert abs(new[0] - mm(COLS_MM[2])) <= mm(4) and abs(new[1] - mm(COLS_MM[3])) <= mm(4)
