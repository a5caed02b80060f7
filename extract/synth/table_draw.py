"""Drawing a form: its title block, the ruled table with its merged multi-level header and the
column-number row, body rows wrapped and aligned by column type, continued on the next pages."""

from __future__ import annotations

import numpy as np

from ..model import PixelBox
from ..units import mm_to_whole_px, pt_to_px
from .content import Align, FormContent, FormLike, FormRow, LayoutOptions
from .fonts import TITLE_PT, Style, font, line_height
from .page_layout import Canvas, Flow, content_width, rule_px
from .records import RenderedCell, RenderedRow, RenderedTable
from .table_layout import (
    CELL_PAD_X_MM,
    CELL_PAD_Y_MM,
    WRAPPING_TYPES,
    TablePlan,
    distribute_span_heights,
    plan_table,
)
from .text_fit import balanced_wrap, wrap_text

FORM_TITLE_PT = 13.0
NUMERIC_ALIGN_TYPES = frozenset({"count", "signed", "decimal", "percent", "ratio"})
MIN_ROWS_AFTER_HEADER = 3  # a table starts on the current page only if this many rows fit there


def _cell_align(col_type: str, options: LayoutOptions) -> Align:
    if col_type in WRAPPING_TYPES:
        return "left"
    if col_type in NUMERIC_ALIGN_TYPES:
        return options.number_align
    return "center"


def _cell_runs(
    text: str, box: PixelBox, style: Style, size_px: int, align: Align, dpi: float
) -> tuple[list[str], list[tuple[int, int]]]:
    """Lines of ``text`` wrapped into ``box`` and each line's (x, baseline), centred vertically."""
    fnt = font(style, size_px)
    pad_x = mm_to_whole_px(CELL_PAD_X_MM, dpi)
    inner = box.width - 2 * pad_x
    lines = wrap_text(text, fnt, inner) if text else []
    lh = line_height(fnt)
    ascent = fnt.getmetrics()[0]
    top = box.y0 + (box.height - lh * len(lines)) // 2
    pos = []
    for i, line in enumerate(lines):
        w = fnt.getlength(line)
        x = {"left": box.x0 + pad_x, "center": box.x0 + (box.width - w) / 2, "right": box.x1 - pad_x - w}[
            align
        ]
        pos.append((round(x), top + i * lh + ascent))
    return lines, pos


def _text_height(text: str, style: Style, size_px: int, width: int, dpi: float) -> int:
    fnt = font(style, size_px)
    n = len(wrap_text(text, fnt, width - 2 * mm_to_whole_px(CELL_PAD_X_MM, dpi))) if text else 1
    return max(n, 1) * line_height(fnt) + 2 * mm_to_whole_px(CELL_PAD_Y_MM, dpi)


def _header_heights(plan: TablePlan, dpi: float) -> list[int]:
    """Heights of the header grid rows (levels, then the column-number row if any)."""
    base_h = line_height(font("bold", plan.font_px)) + 2 * mm_to_whole_px(CELL_PAD_Y_MM, dpi)
    needs = []
    for s in plan.header:
        w = sum(plan.col_widths[s.col : s.col + s.col_span])
        needs.append((s.row, s.row_span, _text_height(s.text, "bold", plan.font_px, w, dpi)))
    heights = distribute_span_heights([base_h] * plan.depth, needs)
    if plan.numbers is not None:
        heights.append(
            max(
                _text_height(n, "italic", plan.font_px, w, dpi)
                for n, w in zip(plan.numbers, plan.col_widths, strict=False)
            )
        )
    return heights


def _row_height(spec: FormLike, row: FormRow, plan: TablePlan, dpi: float) -> int:
    style: Style = "bold" if row.bold else "regular"
    return max(
        _text_height(row.text(c.key), style, plan.font_px, w, dpi)
        for c, w in zip(spec.columns, plan.col_widths, strict=False)
    )


def _title_block(
    spec: FormLike, content: FormContent, plan: TablePlan, dpi: float, options: LayoutOptions
) -> list[tuple[str, Style, int, Align, str]]:
    """Lines above the table: (text, style, size px, align, role)."""
    size = pt_to_px(FORM_TITLE_PT, dpi)
    width = content_width(plan.orientation, dpi)
    out: list[tuple[str, Style, int, Align, str]] = []
    if spec.heading:
        out.append((spec.heading, "bold", pt_to_px(TITLE_PT, dpi), "center", "form_code"))
    else:
        align = options.form_code_align.get(spec.code, options.default_form_code_align)
        out.append((f"Biểu mẫu {spec.code}", "bold", size, align, "form_code"))
    title = content.title or spec.title
    for line in balanced_wrap(title, font("bold", size), int(width * 0.8)):
        out.append((line, "bold", size, "center", "form_title"))
    for line in balanced_wrap(content.reference, font("italic", size), int(width * 0.85)):
        out.append((line, "italic", size, "center", "form_reference"))
    return out


def draw_form(flow: Flow, spec: FormLike, content: FormContent, table_index: int) -> None:
    dpi, options = flow.dpi, flow.options
    plan = plan_table(spec, content.rows, dpi, options)
    title = _title_block(spec, content, plan, dpi, options)
    title_h = sum(line_height(font(st, sz)) for _, st, sz, _, _ in title) + mm_to_whole_px(5, dpi)
    header_h = _header_heights(plan, dpi)
    row_h = [_row_height(spec, r, plan, dpi) for r in content.rows]
    gap = mm_to_whole_px(8, dpi)
    c = flow.canvas
    need = title_h + sum(header_h) + sum(row_h[:MIN_ROWS_AFTER_HEADER])
    fits_here = (
        options.pack_forms
        and c is not None
        and c.kind == "form"
        and c.orientation == plan.orientation
        and c.tables
        and c.space_left >= need + gap
    )
    if fits_here:
        assert c is not None
        c.y += gap
    else:
        c = flow.new_page(plan.orientation, "form")
    for text, style, size, align, role in title:
        c.text_line(text, style, size, align, role)
    c.y += mm_to_whole_px(5, dpi)
    keys = tuple(col.key for col in spec.columns)
    paths = tuple(tuple(col.header) for col in spec.columns)
    table_w = sum(plan.col_widths)
    x_left = c.left + (c.right - c.left - table_w) // 2
    col_edges = tuple(int(v) for v in np.concatenate([[x_left], x_left + np.cumsum(plan.col_widths)]))

    part = 0
    i = 0
    while True:
        draw_header = part == 0 or options.repeat_header
        y0 = c.y
        row_edges = [y0]
        header_cells: list[RenderedCell] = []
        if draw_header:
            for h in header_h:
                row_edges.append(row_edges[-1] + h)
            header_cells = _draw_header(c, plan, col_edges, row_edges, dpi)
        n_header = len(row_edges) - 1
        body: list[RenderedRow] = []
        while i < len(content.rows) and (row_edges[-1] + row_h[i] <= c.bottom or not body):
            top = row_edges[-1]
            row_edges.append(top + row_h[i])
            body.append(
                _draw_row(
                    c,
                    spec,
                    content.rows[i],
                    i,
                    len(row_edges) - 2,
                    top,
                    row_h[i],
                    col_edges,
                    plan,
                    options,
                    dpi,
                )
            )
            i += 1
        more = i < len(content.rows)
        table = RenderedTable(
            form_code=spec.code,
            table_index=table_index,
            part=part,
            page_index=flow.page_index,
            index_on_page=len(c.tables),
            column_keys=keys,
            header_paths=paths,
            header_cells=tuple(header_cells),
            header_rows=n_header,
            rows=tuple(body),
            row_edges=tuple(row_edges),
            col_edges=col_edges,
            continued_from_previous_page=part > 0,
            continues_on_next_page=more,
            orientation=plan.orientation,
        )
        _draw_rules(c, table, dpi)
        c.tables.append(table)
        c.y = row_edges[-1]
        if not more:
            break
        c = flow.new_page(plan.orientation, "form")
        part += 1


def _draw_header(
    c: Canvas, plan: TablePlan, col_edges: tuple[int, ...], row_edges: list[int], dpi: float
) -> list[RenderedCell]:
    out = []
    for s in plan.header:
        box = PixelBox(
            col_edges[s.col], row_edges[s.row], col_edges[s.col + s.col_span], row_edges[s.row + s.row_span]
        )
        out.append(
            _draw_cell(
                c,
                s.text,
                box,
                "bold",
                plan.font_px,
                "center",
                dpi,
                s.row,
                s.col,
                s.row_span,
                s.col_span,
                s.key,
            )
        )
    if plan.numbers is not None:
        r = plan.depth
        for k, text in enumerate(plan.numbers):
            box = PixelBox(col_edges[k], row_edges[r], col_edges[k + 1], row_edges[r + 1])
            out.append(_draw_cell(c, text, box, "italic", plan.font_px, "center", dpi, r, k, 1, 1, None))
    return out


def _draw_cell(
    c: Canvas,
    text: str,
    box: PixelBox,
    style: Style,
    size_px: int,
    align: Align,
    dpi: float,
    row: int,
    col: int,
    row_span: int,
    col_span: int,
    key: str | None,
) -> RenderedCell:
    lines, pos = _cell_runs(text, box, style, size_px, align, dpi)
    runs = tuple(c.run(line, x, b, style, size_px) for line, (x, b) in zip(lines, pos, strict=False))
    return RenderedCell(row, col, row_span, col_span, box, text, runs, key)


def _draw_row(
    c: Canvas,
    spec: FormLike,
    row: FormRow,
    row_index: int,
    grid_row: int,
    top: int,
    height: int,
    col_edges: tuple[int, ...],
    plan: TablePlan,
    options: LayoutOptions,
    dpi: float,
) -> RenderedRow:
    style: Style = "bold" if row.bold else "regular"
    cells = []
    for k, col in enumerate(spec.columns):
        box = PixelBox(col_edges[k], top, col_edges[k + 1], top + height)
        cells.append(
            _draw_cell(
                c,
                row.text(col.key),
                box,
                style,
                plan.font_px,
                _cell_align(col.type, options),
                dpi,
                grid_row,
                k,
                1,
                1,
                col.key,
            )
        )
    return RenderedRow(row_index, row.bold, tuple(cells))


def _draw_rules(c: Canvas, table: RenderedTable, dpi: float) -> None:
    t = rule_px(dpi)
    cells = list(table.header_cells) + [cell for r in table.rows for cell in r.cells]
    for cell in cells:
        b = cell.box
        c.hrule(b.x0 - t // 2, b.x1 + t - t // 2, b.y0, t)
        c.hrule(b.x0 - t // 2, b.x1 + t - t // 2, b.y1, t)
        c.vrule(b.x0, b.y0 - t // 2, b.y1 + t - t // 2, t)
        c.vrule(b.x1, b.y0 - t // 2, b.y1 + t - t // 2, t)
