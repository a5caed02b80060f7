"""Table geometry (pure): merged header cells from the columns' header paths, row heights that fit
multi-row cells, and a form's table plan: orientation, font size and column widths."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..units import mm_to_whole_px, pt_to_px
from .content import FormLike, FormRow, LayoutOptions, Orientation
from .fonts import font
from .page_layout import content_width
from .text_fit import longest_word

TABLE_PT_CHOICES = (12.0, 11.0, 10.0, 9.0, 8.0)  # largest table font that fits is used
CELL_PAD_X_MM = 1.2
CELL_PAD_Y_MM = 0.8

PORTRAIT_MAX_COLUMNS = 8  # more columns than this always go landscape
MIN_FIXED_COL_MM = 9.0  # narrowest number/index column
MIN_FLEX_COL_MM = 22.0  # narrowest label/note column
HEADER_MAX_LINES = 5  # a leaf header may wrap into at most this many lines before its column widens
FLEX_WEIGHTS = {"label": 3.0, "note": 2.0, "text": 2.0}  # share of spare width of wrapping columns
WRAPPING_TYPES = frozenset({"label", "note", "text"})
WIDE_CELL_MM = 30.0  # a cell wider than this unwrapped makes its column a wrapping column


@dataclass(frozen=True)
class HeaderSpan:
    """A header cell in header-grid slots: ``row`` is the header level, spans are >= 1."""

    text: str
    row: int
    col: int
    row_span: int
    col_span: int
    key: str | None = None  # the column key when the cell is a leaf (its column's last level)


def header_spans(
    paths: Sequence[Sequence[str]], keys: Sequence[str] | None = None
) -> tuple[list[HeaderSpan], int]:
    """Merged header cells of columns with header ``paths`` (top level first), and the header depth.

    Consecutive columns whose paths share a prefix share the cells of that prefix.  A column whose
    path ends above the deepest level gets a leaf cell spanning down to the last header row.
    """
    if not paths:
        return [], 0
    depth = max(len(p) for p in paths)
    out: list[HeaderSpan] = []

    def build(level: int, start: int, stop: int) -> None:
        i = start
        while i < stop:
            label, leaf = paths[i][level], len(paths[i]) == level + 1
            j = i + 1
            if not leaf:
                while j < stop and len(paths[j]) > level + 1 and paths[j][level] == label:
                    j += 1
            if leaf:
                out.append(HeaderSpan(label, level, i, depth - level, 1, keys[i] if keys else None))
            else:
                out.append(HeaderSpan(label, level, i, 1, j - i))
                build(level + 1, i, j)
            i = j

    build(0, 0, len(paths))
    out.sort(key=lambda s: (s.row, s.col))
    return out, depth


def distribute_span_heights(base: Sequence[int], spans: Sequence[tuple[int, int, int]]) -> list[int]:
    """Row heights such that every ``(row, row_span, needed_height)`` fits its rows.

    ``base`` are minimum heights per row.  Single-row needs are applied first; a multi-row cell
    taller than its rows spreads the shortfall evenly over them.
    """
    heights = list(base)
    for row, span, need in sorted(spans, key=lambda s: s[1]):
        have = sum(heights[row : row + span])
        if need > have:
            extra = need - have
            for k in range(span):
                heights[row + k] += extra // span + (1 if k < extra % span else 0)
    return heights


@dataclass(frozen=True)
class TablePlan:
    """How a form's table is laid out: orientation, font size and column widths (px)."""

    orientation: Orientation
    font_px: int
    col_widths: tuple[int, ...]
    header: tuple[HeaderSpan, ...]
    depth: int
    numbers: tuple[str, ...] | None  # the column-number row, or None


def _column_needs(
    spec: FormLike, rows: Sequence[FormRow], font_px: int, dpi: float
) -> tuple[list[int], list[int], list[bool]]:
    """Per column: minimum width, preferred width, and whether the column wraps its body text."""
    body, bold = font("regular", font_px), font("bold", font_px)
    pad = 2 * mm_to_whole_px(CELL_PAD_X_MM, dpi)
    mins, prefs, wraps = [], [], []
    for col in spec.columns:
        texts = [r.text(col.key) for r in rows]
        natural = max((bold.getlength(t) for t in texts), default=0.0)
        word = max((longest_word(t, bold) for t in texts), default=0.0)
        leaf = col.header[-1]
        hword = longest_word(leaf, bold)
        number = longest_word(col.number or "", body)
        wrap = col.type in WRAPPING_TYPES or natural > mm_to_whole_px(WIDE_CELL_MM, dpi)
        floor = max(word, hword, number * 0.6) + pad + 1
        if wrap:
            mins.append(math.ceil(max(floor, mm_to_whole_px(MIN_FLEX_COL_MM, dpi))))
            prefs.append(math.ceil(max(floor, mm_to_whole_px(MIN_FLEX_COL_MM, dpi))))
        else:
            want = max(natural + pad + 1, floor, bold.getlength(leaf) / HEADER_MAX_LINES + pad)
            mins.append(math.ceil(max(floor, natural + pad + 1, mm_to_whole_px(MIN_FIXED_COL_MM, dpi))))
            prefs.append(math.ceil(max(want, mm_to_whole_px(MIN_FIXED_COL_MM, dpi))))
        wraps.append(wrap)
    return mins, prefs, wraps


def _fit_widths(
    spec: FormLike, mins: list[int], prefs: list[int], wraps: list[bool], avail: int
) -> list[int] | None:
    """Column widths summing to ``avail`` px, or None when even the minimum widths do not fit."""
    if sum(mins) > avail:
        return None
    fixed = [p if not w else 0 for p, w in zip(prefs, wraps, strict=False)]
    flex_min = [m if w else 0 for m, w in zip(mins, wraps, strict=False)]
    if sum(fixed) + sum(flex_min) > avail:  # shrink fixed columns towards their minimum
        over = sum(fixed) + sum(flex_min) - avail
        slack = [p - m if not w else 0 for p, m, w in zip(prefs, mins, wraps, strict=False)]
        total_slack = sum(slack) or 1
        fixed = [
            f - (over * s) // total_slack - (1 if s else 0) if not w else 0
            for f, s, w in zip(fixed, slack, wraps, strict=False)
        ]
        fixed = [max(f, m) if not w else 0 for f, m, w in zip(fixed, mins, wraps, strict=False)]
    spare = avail - sum(fixed) - sum(flex_min)
    weights = [FLEX_WEIGHTS.get(c.type, 1.0) if w else 0.0 for c, w in zip(spec.columns, wraps, strict=False)]
    if sum(weights) == 0:  # no wrapping column: widen every column evenly
        weights = [1.0] * len(wraps)
    total_w = sum(weights)
    widths = [f + fm + int(spare * wt / total_w) for f, fm, wt in zip(fixed, flex_min, weights, strict=False)]
    widths[-1] += avail - sum(widths)
    if min(widths) <= 0:
        return None
    return widths


def plan_table(spec: FormLike, rows: Sequence[FormRow], dpi: float, options: LayoutOptions) -> TablePlan:
    """Choose orientation, font size and column widths for a form's table."""
    paths = [tuple(c.header) for c in spec.columns]
    keys = [c.key for c in spec.columns]
    header, depth = header_spans(paths, keys)
    numbers = None
    if options.column_numbers and any(c.number for c in spec.columns):
        numbers = tuple(c.number or "" for c in spec.columns)
    orientations: tuple[Orientation, ...] = (
        ("landscape",) if len(spec.columns) > PORTRAIT_MAX_COLUMNS else ("portrait", "landscape")
    )
    if options.orientation is not None and options.orientation in orientations:
        orientations = (options.orientation,) + tuple(o for o in orientations if o != options.orientation)
    for orientation in orientations:
        choices: tuple[float, ...] = (
            TABLE_PT_CHOICES[:2] if orientation == "portrait" and len(orientations) == 2 else TABLE_PT_CHOICES
        )
        if options.table_pt is not None:  # the typist's size first, then smaller ones if it does not fit
            choices = (options.table_pt,) + tuple(c for c in TABLE_PT_CHOICES if c < options.table_pt)
        for size_pt in choices:
            font_px = pt_to_px(size_pt, dpi)
            mins, prefs, wraps = _column_needs(spec, rows, font_px, dpi)
            if options.width_jitter:
                prefs = [
                    max(m, round(p * (options.width_jitter[k] if k < len(options.width_jitter) else 1.0)))
                    for k, (p, m) in enumerate(zip(prefs, mins, strict=False))
                ]
            widths = _fit_widths(spec, mins, prefs, wraps, content_width(orientation, dpi))
            if widths is not None:
                return TablePlan(orientation, font_px, tuple(widths), tuple(header), depth, numbers)
    font_px = pt_to_px(TABLE_PT_CHOICES[-1], dpi)  # squeeze: equal widths at the smallest size
    n = len(spec.columns)
    avail = content_width("landscape", dpi)
    widths = [avail // n] * n
    widths[-1] += avail - sum(widths)
    return TablePlan("landscape", font_px, tuple(widths), tuple(header), depth, numbers)
