"""Render a BC-UBND report as clean printed pages: a cover page with prose, then annex forms.

Everything here is deterministic: no randomness, no clock.  Lengths are declared in millimetres
or typographic points and turned into pixels at the requested DPI, so a page rendered at 150 dpi
has the same layout as one at 300 dpi, only coarser.

Pages are A4 (210 x 297 mm); a form whose table is too wide for a portrait page (or has more than
:data:`PORTRAIT_MAX_COLUMNS` columns) is printed on landscape pages, like real annexes.  Tables are
ruled (every cell boxed), their multi-level header cells are merged from the column header paths
of the form declaration (``configs/forms/*.yaml``), and long tables continue on the next page.

Every table cell's box is recorded in page pixels (``x0 <= x < x1``; the coordinates of a box's
edges are the centres of the ruling lines around it), together with the text runs drawn in it, so
ground truth and damage can be computed later.

The work is split by what it does: :mod:`.fonts` (the serif families), :mod:`.content` (what is
printed), :mod:`.records` (what a page records), :mod:`.text_fit` (wrapping), :mod:`.page_layout`
(the page and the flow of pages), :mod:`.table_layout` (column widths, header spans),
:mod:`.prose` (cover, prose, signature) and :mod:`.table_draw` (the forms).  This module is the
entry point, :func:`render_document`, and names the generator's public types.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..units import mm_to_whole_px, pt_to_px
from .content import (
    Align,
    ColumnLike,
    DocumentInfo,
    FormContent,
    FormLike,
    FormRow,
    LayoutOptions,
    Orientation,
    ReportData,
    with_options,
)
from .fonts import (
    FONT_FAMILIES,
    VIETNAMESE_LETTERS,
    VIETNAMESE_SERIF_FAMILIES,
    Style,
    family_paths,
    font,
    font_family,
    line_height,
    using_family,
)
from .page_layout import A4_MM, LANDSCAPE_MARGINS_MM, PORTRAIT_MARGINS_MM, Flow, content_width, rule_px
from .prose import draw_cover
from .records import RenderedCell, RenderedPage, RenderedRow, RenderedTable, TextLine, TextRun
from .table_draw import draw_form
from .table_layout import (
    PORTRAIT_MAX_COLUMNS,
    HeaderSpan,
    TablePlan,
    distribute_span_heights,
    header_spans,
    plan_table,
)
from .text_fit import balanced_wrap, wrap_text

__all__ = [
    "A4_MM",
    "FONT_FAMILIES",
    "LANDSCAPE_MARGINS_MM",
    "PORTRAIT_MARGINS_MM",
    "PORTRAIT_MAX_COLUMNS",
    "VIETNAMESE_LETTERS",
    "VIETNAMESE_SERIF_FAMILIES",
    "Align",
    "ColumnLike",
    "DocumentInfo",
    "FormContent",
    "FormLike",
    "FormRow",
    "HeaderSpan",
    "LayoutOptions",
    "Orientation",
    "RenderedCell",
    "RenderedPage",
    "RenderedRow",
    "RenderedTable",
    "ReportData",
    "Style",
    "TablePlan",
    "TextLine",
    "TextRun",
    "balanced_wrap",
    "content_width",
    "distribute_span_heights",
    "family_paths",
    "font",
    "font_family",
    "header_spans",
    "line_height",
    "mm_to_whole_px",
    "plan_table",
    "pt_to_px",
    "render_document",
    "rule_px",
    "using_family",
    "with_options",
    "wrap_text",
]


def render_document(
    report: ReportData,
    forms: Sequence[FormLike],
    dpi: float,
    options: LayoutOptions | None = None,
    *,
    include_cover: bool = True,
    form_codes: Sequence[str] | None = None,
) -> list[RenderedPage]:
    """Render the report's pages at ``dpi``: the cover (and prose) pages, then each form in order.

    ``forms`` are the form declarations; ``form_codes`` picks and orders the forms to print
    (default: every form of ``report`` in its order).  Table indexes count the printed forms from 0.
    """
    options = options or LayoutOptions()
    specs = {f.code: f for f in forms}
    codes = list(form_codes) if form_codes is not None else [f.code for f in report.forms]
    missing = [code for code in codes if code not in specs]
    if missing:
        raise KeyError(f"no form declaration for {missing} (configs/forms/*.yaml)")
    flow = Flow(dpi, options)
    with using_family(options.font_family):
        if include_cover:
            draw_cover(flow, report.document)
        for table_index, code in enumerate(codes):
            draw_form(flow, specs[code], report.form(code), table_index)
        flow.close()
    return flow.pages
