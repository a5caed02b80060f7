"""Synthetic ruled tables and text drawn with OpenCV and Pillow, with their exact expected grids.

Used by the table tests: every page is drawn from a :class:`TableSpec`, so the expected row/column
edges and cell spans are known exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Fonts with the Vietnamese precomposed letters (fonts-liberation2, else DejaVu).
SERIF = next(
    p
    for p in (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    )
    if Path(p).is_file()
)
SERIF_BOLD = next(
    p
    for p in (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    )
    if Path(p).is_file()
)
WORDS = [
    "Xã",
    "Nhơn",
    "Mỹ",
    "Phong",
    "Nẫm",
    "Đại",
    "Hải",
    "Ba",
    "Trinh",
    "Thới",
    "An",
    "Hội",
    "Trinh",
    "Phú",
    "Tâm",
    "Kế",
    "Sách",
    "An",
    "Lạc",
    "Tây",
    "Thị",
    "trấn",
    "Số",
    "hồ",
    "sơ",
    "đã",
    "tiếp",
    "nhận",
    "Trong",
    "đó",
    "Từ",
    "kỳ",
    "trước",
    "Tổng",
    "số",
    "Đơn",
    "vị",
    "tính",
    "Ghi",
    "chú",
    "thực",
    "hiện",
    "kế",
    "hoạch",
    "năm",
    "2019",
    "cải",
    "cách",
    "hành",
    "chính",
    "được",
    "giải",
    "quyết",
    "đúng",
    "hạn",
    "5.697",
    "12,5%",
    "32/32",
]


@lru_cache(maxsize=16)
def font(px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(SERIF_BOLD if bold else SERIF, px)


def pt_to_px(pt: float, dpi: float) -> int:
    return round(pt * dpi / 72.0)


def blank(width: int, height: int, paper: int = 255) -> np.ndarray:
    return np.full((height, width), paper, np.uint8)


def draw_text(
    img: np.ndarray, x: int, y: int, text: str, px: int, bold: bool = False, ink: int = 0
) -> np.ndarray:
    """``img`` with ``text`` drawn at (x, y) (top-left), glyphs ``px`` pixels high (em size)."""
    pil = Image.fromarray(img)
    ImageDraw.Draw(pil).text((x, y), text, font=font(px, bold), fill=ink)
    return np.asarray(pil).copy()


def text_block(
    img: np.ndarray,
    x: int,
    y: int,
    width: int,
    n_lines: int,
    px: int,
    seed: int = 0,
    bold: bool = False,
    leading: float = 1.5,
    ink: int = 0,
) -> np.ndarray:
    """``img`` with ``n_lines`` lines of Vietnamese words, wrapped at ``width`` pixels."""
    rng = random.Random(seed)
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    f = font(px, bold)
    for i in range(n_lines):
        line = ""
        while True:
            w = rng.choice(WORDS)
            cand = (line + " " + w).strip()
            if d.textlength(cand, font=f) > width:
                break
            line = cand
        d.text((x, y + int(i * px * leading)), line, font=f, fill=ink)
    return np.asarray(pil).copy()


@dataclass
class TableSpec:
    """A ruled table: edge positions in pixels, merged cells as (row, col, row_span, col_span)."""

    x_edges: list[int]
    y_edges: list[int]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    thickness: int = 2
    missing_sides: tuple[str, ...] = ()  # any of "top", "bottom", "left", "right"
    ink: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.y_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.x_edges) - 1

    def owner(self) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        """Slot -> the (row, col, row_span, col_span) cell that covers it."""
        own = {}
        for r in range(self.n_rows):
            for c in range(self.n_cols):
                own[(r, c)] = (r, c, 1, 1)
        for m in self.merges:
            r0, c0, rs, cs = m
            for r in range(r0, r0 + rs):
                for c in range(c0, c0 + cs):
                    own[(r, c)] = m
        return own

    def expected_cells(self) -> set[tuple[int, int, int, int]]:
        return set(self.owner().values())

    def segments(self) -> list[tuple[int, int, int, int]]:
        """Every rule to draw, as (x0, y0, x1, y1) line end points (horizontal or vertical)."""
        own = self.owner()
        segs = []
        nr, nc = self.n_rows, self.n_cols
        for i, y in enumerate(self.y_edges):  # horizontal rules, slot by slot
            if (i == 0 and "top" in self.missing_sides) or (i == nr and "bottom" in self.missing_sides):
                continue
            for c in range(nc):
                if 0 < i < nr and own[(i - 1, c)] == own[(i, c)]:
                    continue
                segs.append((self.x_edges[c], y, self.x_edges[c + 1], y))
        for j, x in enumerate(self.x_edges):  # vertical rules
            if (j == 0 and "left" in self.missing_sides) or (j == nc and "right" in self.missing_sides):
                continue
            for r in range(nr):
                if 0 < j < nc and own[(r, j - 1)] == own[(r, j)]:
                    continue
                segs.append((x, self.y_edges[r], x, self.y_edges[r + 1]))
        return segs


def draw_table(
    img: np.ndarray,
    spec: TableSpec,
    *,
    broken: bool = False,
    broken_dpi: float = 200,
    seed: int = 0,
    text_px: int = 0,
) -> np.ndarray:
    """``img`` with the table of ``spec`` drawn.

    ``broken`` wears every rule like a faded photocopy (page at ``broken_dpi``): pinholes of up to
    0.25 mm every 0.5-1.5 mm and dropouts of up to 1 mm every 5-15 mm (none within 1 mm of a rule's ends,
    where the strokes of a joint overlap).  ``text_px`` > 0 writes words into
    the cells.
    """
    out = img.copy()
    rng = random.Random(seed)
    t = spec.thickness
    h = t // 2
    for x0, y0, x1, y1 in spec.segments():
        # rules overlap at the joints the way a real grid does
        cv2.rectangle(out, (x0 - h, y0 - h), (x1 - h + t - 1, y1 - h + t - 1), spec.ink, -1)
    if broken:
        mm = max(1, round(broken_dpi / 25.4))
        for x0, y0, x1, y1 in spec.segments():
            length = max(x1 - x0, y1 - y0)
            holes = []
            pin = max(1, round(broken_dpi * 0.25 / 25.4))
            p = rng.randint(0, 6)
            while p < length:  # pinholes up to 0.25 mm, every 0.5-1.5 mm
                holes.append((p, rng.randint(1, pin)))
                p += rng.randint(max(2, mm // 2), max(3, 3 * mm // 2))
            p = rng.randint(mm, 5 * mm)
            while p < length - 2 * mm:  # dropouts up to 1 mm, every 5-15 mm, not at the joints
                holes.append((p, rng.randint(3, mm)))
                p += rng.randint(5 * mm, 15 * mm)
            for p, g in holes:
                if x1 > x0:
                    out[y0 - h : y0 - h + t, x0 + p : x0 + p + g] = 255
                else:
                    out[y0 + p : y0 + p + g, x0 - h : x0 - h + t] = 255
    if text_px:
        for r0, c0, rs, cs in spec.expected_cells():
            x = spec.x_edges[c0] + t + 4
            y = spec.y_edges[r0] + t + 3
            width = spec.x_edges[c0 + cs] - x - t - 4
            height = spec.y_edges[r0 + rs] - y - t - 3
            lines = max(0, min(3, int(height // (text_px * 1.35))))
            if lines and width > 2 * text_px:
                out = text_block(out, x, y, width, lines, text_px, seed=seed + 31 * r0 + c0, leading=1.3)
    return out


def add_noise(img: np.ndarray, amount: float, seed: int = 0) -> np.ndarray:
    """Salt-and-pepper specks over ``amount`` of the pixels plus mild Gaussian grain."""
    rng = np.random.default_rng(seed)
    out = img.astype(np.int16) + rng.normal(0, 6, img.shape).astype(np.int16)
    mask = rng.random(img.shape) < amount
    out[mask] = rng.choice(np.array([0, 255], np.int16), size=int(mask.sum()))
    return np.clip(out, 0, 255).astype(np.uint8)


def uneven_light(img: np.ndarray, low: float = 0.6) -> np.ndarray:
    """Paper darkening from 100% at the top-left to ``low`` at the bottom-right (a bad scan)."""
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gain = 1.0 - (1.0 - low) * (xx / w + yy / h) / 2.0
    return np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def report_page(dpi: float, seed: int = 0) -> tuple[np.ndarray, list[TableSpec]]:
    """An A4 portrait page at ``dpi`` with a title, prose and three ruled tables, top to bottom:

    1. a form with a two-level merged header (row spans, column spans), text in every cell;
    2. faded, broken rules, no left or right border, a 2x2 merged body cell;
    3. grey ink with a merged title row.

    Plus a round stamp, a lone boxed note (one cell) and, over it all, uneven lighting and noise.
    Returns the page and the three tables' specs.
    """

    def mm(v: float) -> int:
        return round(v * dpi / 25.4)

    img = blank(mm(210), mm(297))
    img = draw_text(img, mm(70), mm(15), "BÁO CÁO TÌNH HÌNH", pt_to_px(14, dpi), bold=True)
    img = text_block(img, mm(20), mm(25), mm(170), 3, pt_to_px(13, dpi), seed=seed + 1)
    t1 = TableSpec(
        [mm(20)] + [mm(20) + mm(v) for v in (10, 60, 85, 110, 135, 170)],
        [mm(45)] + [mm(45) + mm(v) for v in (10, 18, 26, 34, 42, 50, 58)],
        merges=[(0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 1, 2), (0, 4, 1, 2)],
        thickness=3,
    )
    img = draw_table(img, t1, text_px=pt_to_px(10, dpi), seed=seed)
    t2 = TableSpec(
        [mm(30), mm(80), mm(130), mm(180)],
        [mm(130), mm(140), mm(150), mm(160)],
        merges=[(1, 1, 2, 2)],
        thickness=2,
        missing_sides=("left", "right"),
    )
    img = draw_table(img, t2, broken=True, broken_dpi=dpi, text_px=pt_to_px(11, dpi), seed=seed + 2)
    t3 = TableSpec(
        [mm(20), mm(60), mm(100), mm(140), mm(190)],
        [mm(190), mm(200), mm(207), mm(214), mm(221), mm(228)],
        merges=[(0, 0, 1, 4)],
        thickness=2,
        ink=120,
    )
    img = draw_table(img, t3, text_px=pt_to_px(11, dpi), seed=seed + 3)
    cv2.circle(img, (mm(150), mm(260)), mm(18), 60, mm(0.8))
    cv2.rectangle(img, (mm(20), mm(250)), (mm(70), mm(265)), 0, 2)
    img = add_noise(uneven_light(img, 0.7), 0.002, seed=seed + 3)
    return img, [t1, t2, t3]
