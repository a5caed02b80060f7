"""A born-digital annex form for tests: the sample report's form drawn as vector rules and real
text with reportlab (the way an office suite exports a PDF), its printed rows as the truth."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extract.config import FormSpec, load_forms
from extract.synth.build import load_report
from extract.synth.render import font_family

FONT, FONT_BOLD = "FormSerif", "FormSerif-Bold"
SIZE = 7.0
LEADING = 8.5
PAD = 3.0


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        paths = font_family()[1]
        pdfmetrics.registerFont(TTFont(FONT, str(paths["regular"])))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(paths["bold"])))


def _widths(form: FormSpec, total: float) -> list[float]:
    weights = {"index": 0.5, "label": 3.6, "note": 2.6}
    w = [weights.get(c.type, 1.0) for c in form.columns]
    return [total * x / sum(w) for x in w]


def _cell(
    c: canvas.Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    bold: bool = False,
    center: bool = True,
) -> None:
    """A ruled cell at (x, y) top-left (y grows down from the page top), its text wrapped."""
    page_h = c._pagesize[1]
    c.rect(x, page_h - y - h, w, h, stroke=1, fill=0)
    font = FONT_BOLD if bold else FONT
    lines = simpleSplit(text, font, SIZE, w - 2 * PAD) if text else []
    c.setFont(font, SIZE)
    for i, line in enumerate(lines):
        baseline = page_h - y - PAD - SIZE - i * LEADING
        if center:
            c.drawCentredString(x + w / 2, baseline, line)
        else:
            c.drawString(x + PAD, baseline, line)


def _height(text: str, w: float, bold: bool = False) -> float:
    n = len(simpleSplit(text, FONT_BOLD if bold else FONT, SIZE, w - 2 * PAD)) if text else 1
    return max(1, n) * LEADING + 2 * PAD


def write_form_pdf(code: str, path: Path) -> dict[str, list[tuple[str, str]]]:
    """Write form ``code`` of the sample report as a one-page born-digital PDF; returns the
    printed rows ({row label: [(column key, printed text)]})."""
    _fonts()
    form = next(f for f in load_forms() if f.code == code)
    content = next(f for f in load_report().forms if f.code == code)
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setLineWidth(0.6)
    page_w = landscape(A4)[0]
    left, top = 40.0, 40.0
    c.setFont(FONT_BOLD, 10)
    page_h = landscape(A4)[1]
    c.drawCentredString(page_w / 2, page_h - top, f"Biểu mẫu {code}")
    c.drawCentredString(page_w / 2, page_h - top - 14, content.title or form.title)
    c.setFont(FONT, 9)
    c.drawCentredString(page_w / 2, page_h - top - 28, content.reference)
    widths = _widths(form, page_w - 2 * left)
    xs = [left + sum(widths[:i]) for i in range(len(widths) + 1)]
    depth = max(len(col.header) for col in form.columns)
    y = top + 40
    level_h = [
        max(
            _height(col.header[lv], widths[i], True)
            for i, col in enumerate(form.columns)
            if len(col.header) > lv
        )
        for lv in range(depth)
    ]
    for lv in range(depth):
        i = 0
        while i < len(form.columns):
            col = form.columns[i]
            if len(col.header) <= lv:
                i += 1
                continue
            j = i
            while (
                j + 1 < len(form.columns)
                and form.columns[j + 1].header[: lv + 1] == col.header[: lv + 1]
                and len(form.columns[j + 1].header) > lv
            ):
                j += 1
            last = len(col.header) == lv + 1 and all(
                len(form.columns[k].header) == lv + 1 for k in range(i, j + 1)
            )
            h = sum(level_h[lv:]) if last else level_h[lv]
            _cell(c, xs[i], y + sum(level_h[:lv]), xs[j + 1] - xs[i], h, col.header[lv], bold=True)
            i = j + 1
    y += sum(level_h)
    printed: dict[str, list[tuple[str, str]]] = {}
    for row in content.rows:
        cells = dict(row.cells)
        h = max(_height(cells.get(col.key, ""), widths[i], row.bold) for i, col in enumerate(form.columns))
        for i, col in enumerate(form.columns):
            _cell(
                c,
                xs[i],
                y,
                widths[i],
                h,
                cells.get(col.key, ""),
                bold=row.bold,
                center=col.type not in ("label", "note"),
            )
        printed[cells.get(form.label_column, "")] = [
            (col.key, cells.get(col.key, "")) for col in form.columns
        ]
        y += h
    c.showPage()
    c.save()
    return printed
