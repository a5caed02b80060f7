"""Generated page-1 scans with received stamps of several kinds over them, the printed text known.

A received stamp ("dấu đến", Nghị định 30/2020, Phụ lục IV: the receiving office's name, "ĐẾN",
then "Số:", "Ngày:", "Giờ:", "Chuyển:" filled in by hand) is a box stamped on the copy after it was
printed: ruled on every side or not, slanted, lighter or darker than the print, over the top left
of the page and often over printed lines.  :func:`stamped_page` draws a page-1 (issuer, motto,
number, title, prose from the seed report) at 200 dpi and a stamp of a :class:`StampKind` on it;
:func:`printed_text` is what was printed, in reading order, for the CER of the page's printed lines
with and without the stamp.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageDraw

from extract.synth.fonts import font
from tests.repo_data import SEED

DPI = 200
PAGE = (1654, 2339)  # A4 at 200 dpi
LEFT, RIGHT = 200, 1480
BODY_TOP = 700
LINE_STEP = 58
BODY_SIZE = 38  # 14 pt at 200 dpi


@dataclass(frozen=True)
class StampKind:
    """What a stamp looks like: which sides are ruled (top, right, bottom, left), its slant
    (degrees, counter-clockwise), its ink's grey level, where it stands (``over_text``: over the
    first two lines of the body; else beside the title, on paper), its first line, whether its
    word "ĐẾN" is printed, and whether its fields hold handwriting."""

    name: str
    sides: tuple[bool, bool, bool, bool] = (True, True, True, True)
    angle: float = 0.0
    grey: int = 0
    over_text: bool = False
    over_number: bool = False  # over the number line, which it covers whole (no line crosses its sides)
    # (body line, x): over the body from that line's top, from x — where a phrase printed again
    # elsewhere on the page lies under it ("cải cách hành chính": the title and the body)
    over_line: tuple[int, int] | None = None
    office: str = "VĂN PHÒNG CHÍNH PHỦ"
    den: bool = True
    handwriting: bool = True


KINDS = (
    StampKind("ruled, on paper"),
    StampKind("ruled, over text", over_text=True),
    StampKind("open on the right, over text", sides=(True, False, True, True), over_text=True),
    StampKind("top and bottom only, on paper", sides=(True, False, True, False)),
    StampKind("slanted 4°, on paper", angle=4.0),
    StampKind("slanted -3°, over text", angle=-3.0, over_text=True),
    StampKind("faint (grey 150), on paper", grey=150),
    StampKind("no ĐẾN printed, on paper", den=False),
    StampKind("over the number line", over_number=True),
)
# stamps over a line whose words the page prints again elsewhere (extract.ocr.page_phrases)
OVER_PHRASES = (
    StampKind("over the body's 3rd line, at its start", over_line=(2, 120)),
    StampKind("over the body's 2nd line, in its middle", over_line=(1, 500)),
)


@cache
def _body() -> tuple[str, ...]:
    text = SEED.read_text(encoding="utf-8")
    para = next(p for p in text.split("\n\n") if p.startswith("Thực hiện Công văn số 1699"))
    return tuple(textwrap.wrap(para, 70))[:8]


def _header() -> list[tuple[str, int, int, str]]:
    """(text, x, y, style) of the printed head: issuer and motto, number and place-date, title."""
    return [
        ("ỦY BAN NHÂN DÂN", 250, 200, "bold"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 760, 200, "bold"),
        ("HUYỆN KẾ SÁCH", 290, 250, "bold"),
        ("Độc lập - Tự do - Hạnh phúc", 900, 250, "bold"),
        ("Số: 542/BC-UBND", 250, 340, "regular"),
        ("Kế Sách, ngày 21 tháng 11 năm 2019", 830, 340, "italic"),
        ("BÁO CÁO", 900, 470, "bold"),
        ("Tình hình thực hiện cải cách hành chính năm 2019", 600, 530, "bold"),
    ]


def printed_text() -> str:
    """The page's printed text in reading order, one line a line."""
    h = [t for t, *_ in _header()]
    head = [h[0], h[2], h[1], h[3], *h[4:]]  # the issuer's column, then the motto's
    return "\n".join([*head, *_body()])


def _stamp(kind: StampKind) -> Image.Image:
    """The stamp alone, black on a transparent ground (ink in the alpha channel), unslanted."""
    w, h = 380, 190  # 48 × 24 mm
    img = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(img)
    t, r, b, left = kind.sides
    rule = 4
    if t:
        draw.line((0, 2, w - 1, 2), fill=255, width=rule)
    if b:
        draw.line((0, h - 3, w - 1, h - 3), fill=255, width=rule)
    if left:
        draw.line((2, 0, 2, h - 1), fill=255, width=rule)
    if r:
        draw.line((w - 3, 0, w - 3, h - 1), fill=255, width=rule)
    draw.line((0, 52, w - 1, 52), fill=255, width=2)  # the rule under the office's name
    draw.text((18, 14), kind.office, font=font("bold", 26), fill=255)
    if kind.den:
        draw.text((14, 84), "ĐẾN", font=font("bold", 44), fill=255)
    small = font("regular", 22)
    for i, label in enumerate(("Số:", "Ngày:", "Chuyển:")):
        y = 66 + 38 * i
        draw.text((130, y), label, font=small, fill=255)
        draw.text((130 + 14 * len(label), y + 8), "." * 34, font=small, fill=255)
    if kind.handwriting:  # a clerk's pen: the number, the date, a scrawl
        draw.line((210, 84, 240, 70, 262, 92, 290, 74), fill=255, width=3)
        draw.line((220, 124, 250, 108, 272, 128, 330, 112), fill=255, width=3)
        draw.line((240, 160, 300, 150, 350, 162), fill=255, width=3)
    return img.rotate(kind.angle, expand=True, resample=Image.BICUBIC) if kind.angle else img


def stamped_page(kind: StampKind | None) -> np.ndarray:
    """The generated page (grey, 200 dpi) with a stamp of ``kind`` (None: none)."""
    img = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(img)
    for text, x, y, style in _header():
        draw.text((x, y), text, font=font(style, BODY_SIZE), fill=0)
    draw.line((330, 305, 500, 305), fill=0, width=3)
    draw.line((900, 305, 1390, 305), fill=0, width=3)
    for i, line in enumerate(_body()):
        draw.text((LEFT, BODY_TOP + LINE_STEP * i), line, font=font("regular", BODY_SIZE), fill=0)
    if kind is not None:
        stamp = _stamp(kind)
        at = (LEFT + 40, BODY_TOP - 40) if kind.over_text else (LEFT - 20, 400)
        if kind.over_number:
            at = (LEFT + 10, 300)
        if kind.over_line is not None:
            line, x = kind.over_line
            at = (x, BODY_TOP + LINE_STEP * line - 40)
        ink = Image.new("L", stamp.size, kind.grey)
        img.paste(ink, at, stamp)
    return np.asarray(img)


# the signature block: the signer's titles, in capitals, at the bottom right; a round seal is
# pressed over their left part, its ring across their first letters (extract.ocr.layout_phrases)
SIGNATURE = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
SIGNATURE_AT = (1000, 1300)  # the first title's left and top; the next one LINE_STEP below
RECIPIENTS = ("Nơi nhận:", "- Như trên;", "- Lưu: VT.")


def signed_page(seal: tuple[int, int] | None, grey: int = 90) -> np.ndarray:
    """:func:`stamped_page` without a stamp, with a closing block (recipients at the left, the
    signature's titles at the right) and a round seal (two rings, a star) centred at ``seal``
    (None: none), of grey level ``grey``."""
    img = Image.fromarray(stamped_page(None))
    draw = ImageDraw.Draw(img)
    x, y = SIGNATURE_AT
    for i, title in enumerate(SIGNATURE):
        draw.text((x + 25 * i, y + LINE_STEP * i), title, font=font("bold", BODY_SIZE), fill=0)
    for i, line in enumerate(RECIPIENTS):
        draw.text((LEFT, y + LINE_STEP * i), line, font=font("italic" if i == 0 else "regular", 30), fill=0)
    if seal is not None:
        ink = Image.new("L", PAGE, 0)
        pen = ImageDraw.Draw(ink)
        cx, cy = seal
        for radius, width in ((160, 7), (110, 4)):
            pen.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=255, width=width)
        pen.regular_polygon((cx, cy, 40), 5, fill=255)
        img.paste(Image.new("L", PAGE, grey), (0, 0), ink)
    return np.asarray(img)


def write_png(image: np.ndarray, path: str) -> str:
    Image.fromarray(image).save(path, dpi=(DPI, DPI))
    return path
