"""What a rendered page records besides its pixels: every text run, text line and table cell
with its box in page pixels, from which the ground truth and the damage are computed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from PIL import ImageFont

from ..model import PixelBox
from .content import Orientation
from .fonts import Style, current_family, font


@dataclass(frozen=True)
class TextRun:
    """A line of text as drawn: ``x`` is the left end, ``baseline`` the baseline y, in page pixels."""

    text: str
    x: int
    baseline: int
    style: Style
    size_px: int
    word_gap: float = 0.0  # extra pixels after each space (justified prose)
    family: str = field(default_factory=current_family)  # "" for the default family

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return font(self.style, self.size_px, self.family)

    def char_box(self, index: int) -> PixelBox:
        """Ink box of character ``index`` of this run, in page pixels."""
        fnt = self.font
        prefix = self.text[:index]
        x = self.x + fnt.getlength(prefix) + self.word_gap * prefix.count(" ")
        x0, y0, x1, y1 = fnt.getbbox(self.text[index], anchor="ls")
        return PixelBox(
            math.floor(x + x0),
            self.baseline + math.floor(y0),
            math.ceil(x + x1),
            self.baseline + math.ceil(y1),
        )


@dataclass(frozen=True)
class TextLine:
    """A line of text outside tables, with its role ("title", "form_code", "paragraph", ...)."""

    text: str
    box: PixelBox
    role: str


@dataclass(frozen=True)
class RenderedCell:
    """A ruled table cell: grid slot, spans, box (line centre to line centre) and what was printed."""

    row: int  # grid row within the table piece (header rows first)
    col: int
    row_span: int
    col_span: int
    box: PixelBox
    text: str
    runs: tuple[TextRun, ...] = ()
    key: str | None = None  # column key (body cells and leaf header cells)

    @property
    def text_box(self) -> PixelBox | None:
        """Union of the ink boxes of the drawn runs, or None for an empty cell."""
        boxes = [run_box(r) for r in self.runs if r.text.strip()]
        if not boxes:
            return None
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out


@dataclass(frozen=True)
class RenderedRow:
    row_index: int  # index of the body row within the form's rows (across continuation pages)
    bold: bool
    cells: tuple[RenderedCell, ...]  # one per column, in column order

    def cell(self, key: str) -> RenderedCell:
        for c in self.cells:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass(frozen=True)
class RenderedTable:
    """The part of one form's table printed on one page."""

    form_code: str
    table_index: int  # index of the form's table within the document
    part: int  # 0 for the first page of the table, 1 for its first continuation page, ...
    page_index: int
    index_on_page: int  # order on the page, top to bottom
    column_keys: tuple[str, ...]
    header_paths: tuple[tuple[str, ...], ...]
    header_cells: tuple[RenderedCell, ...]  # empty on continuation pages unless the header repeats
    header_rows: int  # grid rows taken by the header (column-number row included)
    rows: tuple[RenderedRow, ...]
    row_edges: tuple[int, ...]
    col_edges: tuple[int, ...]
    continued_from_previous_page: bool
    continues_on_next_page: bool
    orientation: Orientation

    @property
    def box(self) -> PixelBox:
        return PixelBox(self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1])


@dataclass(eq=False)
class RenderedPage:
    """A clean page: grayscale uint8 image (255 paper, 0 ink), its DPI, and what is printed on it."""

    image: np.ndarray
    dpi: float
    kind: Literal["cover", "text", "form"]
    orientation: Orientation
    lines: list[TextLine]
    tables: list[RenderedTable]


def run_box(run: TextRun) -> PixelBox:
    fnt = run.font
    if run.word_gap:
        width = fnt.getlength(run.text) + run.word_gap * run.text.count(" ")
        x0, y0, _, y1 = fnt.getbbox(run.text, anchor="ls")
        return PixelBox(
            run.x + math.floor(x0),
            run.baseline + math.floor(y0),
            math.ceil(run.x + width),
            run.baseline + math.ceil(y1),
        )
    x0, y0, x1, y1 = fnt.getbbox(run.text, anchor="ls")
    return PixelBox(
        run.x + math.floor(x0),
        run.baseline + math.floor(y0),
        run.x + math.ceil(x1),
        run.baseline + math.ceil(y1),
    )
