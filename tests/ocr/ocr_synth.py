"""Synthetic ruled tables for the OCR tests: cells drawn with PIL at a chosen DPI, plus noise.

Numbers are set in Liberation Serif (Times metrics).  The installed Liberation 1.07 has no
precomposed Vietnamese letters with two marks ("ố", "ậ"), so Vietnamese text is set in DejaVu
Serif, which has them all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extract.model import GridCell, PixelBox, PreparedPage, TableGrid

FONT_DIR = "/usr/share/fonts/truetype"
NUMBER_FONT = f"{FONT_DIR}/liberation/LiberationSerif-Regular.ttf"
TEXT_FONT = f"{FONT_DIR}/dejavu/DejaVuSerif.ttf"
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Noise:
    """Scan-like degradation: optics blur (px), Gaussian grain (grey levels), specks per mm²."""

    blur_px: float = 0.0
    sigma: float = 0.0
    specks_per_cm2: float = 0.0
    paper: int = 255
    ink: int = 0


CLEAN = Noise()
MILD = Noise(blur_px=0.6, sigma=10.0, specks_per_cm2=2.0, paper=238, ink=30)
HARSH = Noise(blur_px=0.9, sigma=16.0, specks_per_cm2=3.0, paper=230, ink=50)


@dataclass(frozen=True, eq=False)
class SynthTable:
    page: PreparedPage
    grid: TableGrid
    line_mask: np.ndarray
    truth: list[list[str]]


def mm(value: float, dpi: float) -> int:
    return round(value * dpi / MM_PER_INCH)


def render_table(
    rows: list[list[str]],
    dpi: float,
    *,
    noise: Noise = CLEAN,
    col_mm: list[float] | None = None,
    row_mm: float = 8.0,
    font_pt: float = 12.0,
    text_font: str = TEXT_FONT,
    number_font: str = NUMBER_FONT,
    seed: int = 0,
    mask_shrink_px: int = 0,
    jitter_px: int = 0,
) -> SynthTable:
    """A ruled table of ``rows`` (strings; cells may hold "\\n"), rendered at ``dpi``.

    Cells whose text has a digit are set right-aligned in ``number_font``, others left-aligned in
    ``text_font``.  The grid boxes run along the rules' centre lines; ``jitter_px`` moves each
    grid edge by up to that many pixels (a detector's imprecision); ``mask_shrink_px`` makes the
    line mask thinner than the printed rules (a mask that misses the rules' edges).
    """
    rng = np.random.default_rng(seed)
    n_cols = len(rows[0])
    col_mm = col_mm or [40.0] * n_cols
    margin = mm(10, dpi)
    xs = [margin]
    for w in col_mm:
        xs.append(xs[-1] + mm(w, dpi))
    ys = [margin]
    for row in rows:
        lines = max(cell.count("\n") + 1 for cell in row)
        ys.append(ys[-1] + mm(row_mm * (1 + 0.65 * (lines - 1)), dpi))
    width, height = xs[-1] + margin, ys[-1] + margin
    img = Image.new("L", (width, height), 255)
    mask = Image.new("L", (width, height), 0)
    draw, mdraw = ImageDraw.Draw(img), ImageDraw.Draw(mask)
    rule = max(1, mm(0.25, dpi))
    for x in xs:
        draw.rectangle([x - rule // 2, ys[0] - rule // 2, x - rule // 2 + rule - 1, ys[-1] + rule], fill=0)
        mdraw.rectangle(
            [x - rule // 2 + mask_shrink_px, ys[0], x - rule // 2 + rule - 1 - mask_shrink_px, ys[-1]],
            fill=255,
        )
    for y in ys:
        draw.rectangle([xs[0] - rule // 2, y - rule // 2, xs[-1] + rule, y - rule // 2 + rule - 1], fill=0)
        mdraw.rectangle(
            [xs[0], y - rule // 2 + mask_shrink_px, xs[-1], y - rule // 2 + rule - 1 - mask_shrink_px],
            fill=255,
        )
    size = round(font_pt / 72 * dpi)
    nfont, tfont = ImageFont.truetype(number_font, size), ImageFont.truetype(text_font, size)
    pad = mm(1.5, dpi)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text:
                continue
            is_number = any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text)
            font = nfont if is_number else tfont
            bbox = draw.multiline_textbbox((0, 0), text, font=font, spacing=size // 4)
            tw, th = bbox[2] - bbox[0], bbox[3] - bbox[1]
            x = xs[c + 1] - pad - tw - bbox[0] if is_number else xs[c] + pad - bbox[0]
            y = (ys[r] + ys[r + 1]) // 2 - th // 2 - bbox[1]
            draw.multiline_text((x, y), text, font=font, fill=0, spacing=size // 4)
    arr = np.asarray(img, dtype=np.float64)
    if noise.blur_px > 0:
        arr = np.asarray(
            Image.fromarray(arr.astype(np.uint8)).filter(ImageFilter.GaussianBlur(noise.blur_px)),
            dtype=np.float64,
        )
    arr = noise.ink + (arr / 255.0) * (noise.paper - noise.ink)
    if noise.sigma > 0:
        arr = arr + rng.normal(0, noise.sigma, arr.shape)
    n_specks = int(noise.specks_per_cm2 * (width / dpi * 2.54) * (height / dpi * 2.54))
    for _ in range(n_specks):
        sx, sy = int(rng.integers(0, width - 2)), int(rng.integers(0, height - 2))
        s = int(rng.integers(1, max(2, mm(0.2, dpi)) + 1))
        arr[sy : sy + s, sx : sx + s] = noise.ink + rng.uniform(0, 40)
    gray = np.clip(arr, 0, 255).astype(np.uint8)
    jx = [x + int(rng.integers(-jitter_px, jitter_px + 1)) if jitter_px else x for x in xs]
    jy = [y + int(rng.integers(-jitter_px, jitter_px + 1)) if jitter_px else y for y in ys]
    cells = tuple(
        GridCell(row=r, col=c, row_span=1, col_span=1, box=PixelBox(jx[c], jy[r], jx[c + 1], jy[r + 1]))
        for r in range(len(rows))
        for c in range(n_cols)
    )
    grid = TableGrid(
        box=PixelBox(jx[0], jy[0], jx[-1], jy[-1]), row_edges=tuple(jy), col_edges=tuple(jx), cells=cells
    )
    binary = np.where(gray < 128, 255, 0).astype(np.uint8)
    page = PreparedPage(gray=gray, binary=binary, dpi=float(dpi))
    return SynthTable(
        page=page, grid=grid, line_mask=np.asarray(mask, dtype=np.uint8), truth=[list(r) for r in rows]
    )
