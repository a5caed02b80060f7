"""The page: A4 in either orientation with its margins, ruling line thickness, a page being drawn
(:class:`Canvas`) and the flow of pages filled top to bottom (:class:`Flow`)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from PIL import Image, ImageDraw

from ..units import mm_to_whole_px, pt_to_px
from .content import Align, LayoutOptions, Orientation
from .fonts import Style, font, line_height
from .records import RenderedPage, RenderedTable, TextLine, TextRun, run_box

A4_MM = (210.0, 297.0)  # width, height of a portrait page

#: page margins (top, right, bottom, left) in mm, after Nghị định 30/2020 for the prose pages
PORTRAIT_MARGINS_MM = (20.0, 15.0, 20.0, 30.0)
LANDSCAPE_MARGINS_MM = (15.0, 15.0, 15.0, 20.0)

RULE_PT = 0.6  # ruling line thickness


def rule_px(dpi: float) -> int:
    """Ruling line thickness in pixels (at least 1)."""
    return max(1, pt_to_px(RULE_PT, dpi))


def page_size(orientation: Orientation, dpi: float) -> tuple[int, int]:
    w, h = (mm_to_whole_px(A4_MM[0], dpi), mm_to_whole_px(A4_MM[1], dpi))
    return (w, h) if orientation == "portrait" else (h, w)


def page_margins(orientation: Orientation, dpi: float) -> tuple[int, int, int, int]:
    mm = PORTRAIT_MARGINS_MM if orientation == "portrait" else LANDSCAPE_MARGINS_MM
    top, right, bottom, left = (mm_to_whole_px(v, dpi) for v in mm)
    return top, right, bottom, left


def content_width(orientation: Orientation, dpi: float) -> int:
    _, right, _, left = page_margins(orientation, dpi)
    return page_size(orientation, dpi)[0] - left - right


class Canvas:
    """One page being drawn."""

    def __init__(self, orientation: Orientation, kind: Literal["cover", "text", "form"], dpi: float) -> None:
        self.orientation = orientation
        self.kind = kind
        self.dpi = dpi
        self.width, self.height = page_size(orientation, dpi)
        self.image = Image.new("L", (self.width, self.height), 255)
        self.draw = ImageDraw.Draw(self.image)
        top, right, bottom, left = page_margins(orientation, dpi)
        self.left, self.right = left, self.width - right
        self.top, self.bottom = top, self.height - bottom
        self.y = top
        self.lines: list[TextLine] = []
        self.tables: list[RenderedTable] = []

    @property
    def space_left(self) -> int:
        return self.bottom - self.y

    def run(
        self, text: str, x: int, baseline: int, style: Style, size_px: int, word_gap: float = 0.0
    ) -> TextRun:
        r = TextRun(text, int(x), int(baseline), style, size_px, word_gap)
        if word_gap:
            fnt = r.font
            cursor = float(x)
            for word in text.split(" "):
                if word:
                    self.draw.text((round(cursor), baseline), word, font=fnt, fill=0, anchor="ls")
                cursor += fnt.getlength(word) + fnt.getlength(" ") + word_gap
        elif text:
            self.draw.text((int(x), int(baseline)), text, font=r.font, fill=0, anchor="ls")
        return r

    def text_line(
        self,
        text: str,
        style: Style,
        size_px: int,
        align: Align,
        role: str,
        x0: int | None = None,
        x1: int | None = None,
        baseline: int | None = None,
    ) -> TextRun:
        """Draw one line aligned between ``x0`` and ``x1`` (the margins by default); record it."""
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        fnt = font(style, size_px)
        width = fnt.getlength(text)
        x = {"left": x0, "center": x0 + (x1 - x0 - width) / 2, "right": x1 - width}[align]
        if baseline is None:
            baseline = self.y + fnt.getmetrics()[0]
            self.y += line_height(fnt)
        r = self.run(text, round(x), baseline, style, size_px)
        if text.strip():
            self.lines.append(TextLine(text, run_box(r), role))
        return r

    def hrule(self, x0: int, x1: int, y: int, thickness: int) -> None:
        self.draw.rectangle([x0, y - thickness // 2, x1 - 1, y - thickness // 2 + thickness - 1], fill=0)

    def vrule(self, x: int, y0: int, y1: int, thickness: int) -> None:
        self.draw.rectangle([x - thickness // 2, y0, x - thickness // 2 + thickness - 1, y1 - 1], fill=0)

    def finish(self) -> RenderedPage:
        return RenderedPage(
            np.asarray(self.image, dtype=np.uint8).copy(),
            self.dpi,
            self.kind,
            self.orientation,
            self.lines,
            self.tables,
        )


class Flow:
    """Pages being filled top to bottom."""

    def __init__(self, dpi: float, options: LayoutOptions) -> None:
        self.dpi = dpi
        self.options = options
        self.pages: list[RenderedPage] = []
        self.canvas: Canvas | None = None

    def new_page(self, orientation: Orientation, kind: Literal["cover", "text", "form"]) -> Canvas:
        self.close()
        self.canvas = Canvas(orientation, kind, self.dpi)
        return self.canvas

    def close(self) -> None:
        if self.canvas is not None:
            self.pages.append(self.canvas.finish())
            self.canvas = None

    @property
    def page_index(self) -> int:
        return len(self.pages)
