"""The report's own pages: the issuer and national header, number and date, title, justified
prose paragraphs (page numbers on the pages after the first) and the signature block."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PIL import ImageFont

from ..units import mm_to_whole_px, pt_to_px
from .content import DocumentInfo
from .fonts import TITLE_PT, font, line_height
from .page_layout import Canvas, Flow, rule_px
from .records import TextLine, run_box
from .text_fit import balanced_wrap, wrap_text

PROSE_PT = 14.0  # body text of the report
HEADER_BLOCK_PT = 13.0  # issuer and national header
SMALL_PT = 11.0  # recipients list, page numbers
PARAGRAPH_INDENT_MM = 12.7
PARAGRAPH_GAP_PT = 6.0
SIGNATURE_BLOCK_MM = 45.0


def _vn_date(place: str, iso: str) -> str:
    """ "Kế Sách, ngày 21 tháng 11 năm 2019" from an ISO date."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if not m:
        raise ValueError(f"document date must be ISO YYYY-MM-DD, got {iso!r}")
    y, mo, d = m.groups()
    return f"{place}, ngày {int(d)} tháng {int(mo)} năm {y}"


def _split_issuer(issuer: str) -> list[str]:
    """Issuer on two lines, breaking before the unit level ("HUYỆN KẾ SÁCH")."""
    m = re.search(r"\s(HUYỆN|TỈNH|XÃ|THỊ XÃ|THÀNH PHỐ|QUẬN|PHƯỜNG|THỊ TRẤN)\s", issuer)
    if m:
        return [issuer[: m.start()].strip(), issuer[m.start() :].strip()]
    return [issuer]


def draw_cover(flow: Flow, doc: DocumentInfo) -> None:
    dpi = flow.dpi
    c = flow.new_page("portrait", "cover")
    hb = pt_to_px(HEADER_BLOCK_PT, dpi)
    thick = rule_px(dpi)
    width = c.right - c.left
    split = c.left + int(width * 0.40)
    # left block: issuer, rule, number
    y0 = c.y
    issuer_lines = _split_issuer(doc.issuer)
    for i, line in enumerate(issuer_lines):
        c.text_line(
            line,
            "bold" if i == len(issuer_lines) - 1 or len(issuer_lines) == 1 else "regular",
            hb,
            "center",
            "issuer",
            c.left - mm_to_whole_px(8, dpi),
            split,
        )
    last = c.lines[-1].box
    mid = (last.x0 + last.x1) // 2
    rule_half = mm_to_whole_px(10, dpi)
    c.hrule(mid - rule_half, mid + rule_half, c.y + mm_to_whole_px(1, dpi), thick)
    y_left = c.y + mm_to_whole_px(3.5, dpi)
    # right block: national header, motto, rule, place/date
    c.y = y0
    c.text_line(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "bold",
        pt_to_px(12.5, dpi),
        "center",
        "national_header",
        split,
        c.right + mm_to_whole_px(5, dpi),
    )
    motto = c.text_line(
        "Độc lập - Tự do - Hạnh phúc", "bold", hb, "center", "motto", split, c.right + mm_to_whole_px(5, dpi)
    )
    mb = run_box(motto)
    c.hrule(mb.x0, mb.x1, c.y + mm_to_whole_px(1, dpi), thick)
    y_right = c.y + mm_to_whole_px(3.5, dpi)
    base = max(y_left, y_right) + font("regular", hb).getmetrics()[0]
    c.text_line(
        f"Số: {doc.number}",
        "regular",
        hb,
        "center",
        "number",
        c.left - mm_to_whole_px(8, dpi),
        split,
        baseline=base,
    )
    c.text_line(
        _vn_date(doc.place, doc.date),
        "italic",
        hb,
        "center",
        "place_date",
        split,
        c.right + mm_to_whole_px(5, dpi),
        baseline=base,
    )
    c.y = base + mm_to_whole_px(12, dpi)
    # title
    tp = pt_to_px(TITLE_PT, dpi)
    c.text_line(doc.title, "bold", tp, "center", "title")
    for line in balanced_wrap(doc.subtitle, font("bold", tp), int(width * 0.9)) if doc.subtitle else []:
        c.text_line(line, "bold", tp, "center", "subtitle")
    rule_y = c.y + mm_to_whole_px(2.5, dpi)
    cx = (c.left + c.right) // 2
    c.hrule(cx - mm_to_whole_px(15, dpi), cx + mm_to_whole_px(15, dpi), rule_y, thick)
    c.y = rule_y + mm_to_whole_px(6, dpi)
    _draw_paragraphs(flow, doc.paragraphs)
    _draw_signature(flow, doc)


def _justify_line(
    c: Canvas, words: list[str], fnt: ImageFont.FreeTypeFont, x0: int, width: int, last: bool, size_px: int
) -> None:
    text = " ".join(words)
    gaps = len(words) - 1
    gap = 0.0 if last or gaps == 0 else (width - fnt.getlength(text)) / gaps
    baseline = c.y + fnt.getmetrics()[0]
    r = c.run(text, x0, baseline, "regular", size_px, gap)
    c.lines.append(TextLine(text, run_box(r), "paragraph"))
    c.y += int(line_height(fnt) * 1.15)


def _page_number(c: Canvas, number: int) -> None:
    size = pt_to_px(SMALL_PT + 2, c.dpi)
    fnt = font("regular", size)
    baseline = c.top // 2 + fnt.getmetrics()[0] // 2
    c.text_line(str(number), "regular", size, "center", "page_number", baseline=baseline)


def _draw_paragraphs(flow: Flow, paragraphs: Sequence[str]) -> None:
    dpi = flow.dpi
    size = pt_to_px(PROSE_PT, dpi)
    fnt = font("regular", size)
    indent = mm_to_whole_px(PARAGRAPH_INDENT_MM, dpi)
    step = int(line_height(fnt) * 1.15)
    for para in paragraphs:
        c = flow.canvas
        assert c is not None
        width = c.right - c.left
        first = wrap_text(para, fnt, width - indent)
        lines: list[list[str]] = []
        if first:
            lines.append(first[0].split())
            rest = " ".join(para.split()[len(first[0].split()) :])
            lines += [ln.split() for ln in wrap_text(rest, fnt, width)] if rest else []
        for i, words in enumerate(lines):
            c = flow.canvas
            assert c is not None
            if c.space_left < step:
                c = flow.new_page("portrait", "text")
                if flow.options.page_numbers:
                    _page_number(c, flow.page_index + 1)
            x0 = c.left + (indent if i == 0 else 0)
            _justify_line(c, words, fnt, x0, c.right - x0, i == len(lines) - 1, size)
        c = flow.canvas
        assert c is not None
        c.y += pt_to_px(PARAGRAPH_GAP_PT, dpi)


def _draw_signature(flow: Flow, doc: DocumentInfo) -> None:
    dpi = flow.dpi
    c = flow.canvas
    assert c is not None
    if c.space_left < mm_to_whole_px(SIGNATURE_BLOCK_MM, dpi):
        c = flow.new_page("portrait", "text")
        if flow.options.page_numbers:
            _page_number(c, flow.page_index + 1)
    top = c.y + mm_to_whole_px(4, dpi)
    small = pt_to_px(SMALL_PT, dpi)
    mid = c.left + (c.right - c.left) // 2
    c.y = top
    c.text_line("Nơi nhận:", "bold_italic", pt_to_px(12, dpi), "left", "recipients", c.left, mid)
    for r in doc.recipients:
        c.text_line(r if r.startswith("-") else f"- {r}", "regular", small, "left", "recipients", c.left, mid)
    y_left = c.y
    c.y = top
    for t in doc.signer_title:
        c.text_line(t, "bold", pt_to_px(HEADER_BLOCK_PT, dpi), "center", "signature", mid, c.right)
    if doc.signer:
        c.y += mm_to_whole_px(22, dpi)
        c.text_line(doc.signer, "bold", pt_to_px(HEADER_BLOCK_PT, dpi), "center", "signature", mid, c.right)
    c.y = max(c.y, y_left)
