"""Born-digital PDF pages read exactly: the table grid from the vector rules, the words from
the text layer, with pdfplumber — no rendering, no OCR.

A page qualifies when its text layer is trustworthy (:func:`extract.ingest.score_text_layer`:
enough words, valid characters, well-formed Vietnamese syllables) and no image covers most of
it (a scan with an OCR layer goes the OCR way).  Its ruled tables are pdfplumber's tables
found from the drawn lines and rectangles (``lines`` strategies), kept only when they look like
tables: two rows and two columns at least, and no word of the page straddling one of their
inner rules (a frame drawn around a paragraph is not a table).  Every cell's text is the text
layer's characters inside it, lines joined with a space; the text outside the tables becomes the
page's lines (confidence 100).  Coordinates are PDF points scaled to pixels at ``dpi`` so that
boxes mean the same as on a rendered page.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from .model import CellKind, CellRead, GridCell, OcrLine, PageResult, PixelBox, ReadTable, TableGrid, TextWord
from .units import PT_PER_INCH

SCAN_IMAGE_COVER = 0.5  # an image covering this share of the page makes it a scan: not born-digital
TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
MIN_CHARS = 20  # fewer characters on a page: no text layer worth parsing
EDGE_SLACK_PT = 1.0  # a word may pass its cell's rule by this much
STRADDLE_SHARE = 0.05  # more words than this share outside every cell: not a table


def _image_cover(page: Any) -> float:
    area = float(page.width * page.height) or 1.0
    cover = 0.0
    for im in page.images:
        w = max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
        h = max(0.0, min(im["bottom"], page.height) - max(im["top"], 0))
        cover += w * h / area
    return min(1.0, cover)


def is_born_digital(page: Any) -> bool:
    """Whether a pdfplumber page has a trustworthy text layer and no page-sized image."""
    from .ingest import score_text_layer

    words = [w["text"] for w in page.extract_words()]
    if not words or _image_cover(page) >= SCAN_IMAGE_COVER:
        return False
    return score_text_layer(words, image_cover=_image_cover(page)).trusted


def _edges(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _slot(edges: Sequence[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _straddled(table: Any, words: Sequence[dict[str, Any]]) -> bool:
    """Whether more than ``STRADDLE_SHARE`` of the words inside ``table`` fit in none of its
    cells (text running across the rules: a frame around a paragraph, not a table)."""
    x0, top, x1, bottom = table.bbox
    cells = [c for c in table.cells if c is not None]
    inside = [
        w
        for w in words
        if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom
    ]
    s = EDGE_SLACK_PT
    loose = [
        w
        for w in inside
        if not any(
            c[0] - s <= w["x0"] and w["x1"] <= c[2] + s and c[1] - s <= w["top"] and w["bottom"] <= c[3] + s
            for c in cells
        )
    ]
    return bool(inside) and len(loose) > STRADDLE_SHARE * len(inside)


def _cell_text(page: Any, bbox: tuple[float, float, float, float]) -> str:
    text = page.crop(bbox, strict=False).extract_text() or ""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def read_tables(page: Any, page_index: int, scale: float) -> list[ReadTable]:
    """The ruled tables of a pdfplumber page, with their cells' exact text (pixels = pt * scale)."""
    words = page.extract_words()
    out: list[ReadTable] = []
    for table in sorted(page.find_tables(TABLE_SETTINGS), key=lambda t: t.bbox[1]):
        cells = [c for c in table.cells if c is not None]
        xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
        ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
        if len(xs) < 3 or len(ys) < 3 or _straddled(table, words):
            continue

        def px(v: float) -> int:
            return round(v * scale)

        grid_cells = []
        reads = []
        for c in sorted(cells, key=lambda c: (c[1], c[0])):
            r0, r1 = _slot(ys, c[1]), _slot(ys, c[3])
            k0, k1 = _slot(xs, c[0]), _slot(xs, c[2])
            if r1 <= r0 or k1 <= k0:
                continue
            box = PixelBox(px(c[0]), px(c[1]), px(c[2]), px(c[3]))
            gc = GridCell(r0, k0, r1 - r0, k1 - k0, box)
            text = _cell_text(page, c)
            grid_cells.append(gc)
            reads.append(CellRead(gc, text, 100.0, CellKind.TEXT if text else CellKind.EMPTY))
        x0, top, x1, bottom = table.bbox
        grid = TableGrid(
            box=PixelBox(px(x0), px(top), px(x1), px(bottom)),
            row_edges=tuple(px(y) for y in ys),
            col_edges=tuple(px(x) for x in xs),
            cells=tuple(grid_cells),
        )
        out.append(ReadTable(page_index, len(out), grid, tuple(reads)))
    return out


def read_lines(page: Any, tables: Sequence[ReadTable], scale: float) -> tuple[OcrLine, ...]:
    """The text layer's lines outside ``tables``, top to bottom (confidence 100), with their
    words: lines as pdfplumber clusters them by position, words as it splits them, each word
    in the line that holds its centre."""
    boxes = [t.grid.box for t in tables]

    def px(obj: dict[str, Any]) -> PixelBox:
        return PixelBox(
            round(obj["x0"] * scale),
            round(obj["top"] * scale),
            round(obj["x1"] * scale),
            round(obj["bottom"] * scale),
        )

    def outside(obj: dict[str, Any]) -> bool:
        b = px(obj)
        cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
        return not any(t.x0 <= cx <= t.x1 and t.y0 <= cy <= t.y1 for t in boxes)

    free = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    line_boxes = [px(ln) for ln in free.extract_text_lines(return_chars=False)]
    owned: list[list[TextWord]] = [[] for _ in line_boxes]
    for w in free.extract_words():
        box = px(w)
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        holders = [
            i for i, b in enumerate(line_boxes) if b.x0 - 1 <= cx <= b.x1 + 1 and b.y0 - 1 <= cy <= b.y1 + 1
        ]
        if holders:
            best = min(holders, key=lambda i: abs((line_boxes[i].y0 + line_boxes[i].y1) / 2 - cy))
            owned[best].append(TextWord(unicodedata.normalize("NFC", w["text"]), box))
    lines = []
    for words in owned:
        if words:
            words.sort(key=lambda w: w.box.x0)
            box = PixelBox(
                min(w.box.x0 for w in words),
                min(w.box.y0 for w in words),
                max(w.box.x1 for w in words),
                max(w.box.y1 for w in words),
            )
            lines.append(OcrLine(" ".join(w.text for w in words), box, 100.0, tuple(words)))
    return tuple(sorted(lines, key=lambda ln: (ln.box.y0, ln.box.x0)))


def worth_trying(path: str, page_index: int) -> bool:
    """Whether page ``page_index`` of ``path`` is a PDF page with some text (PDFium counts its
    characters in a few milliseconds), so that a born-digital reading is tried: a scanned page
    without a text layer costs no pdfplumber parse."""
    from .ingest import sniff

    try:
        if sniff(path) != "pdf":
            return False
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        try:
            if not 0 <= page_index < len(doc):
                return False
            page = doc[page_index]
            textpage = page.get_textpage()
            try:
                return textpage.count_chars() >= MIN_CHARS
            finally:
                textpage.close()
                page.close()
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - the usual ingest reports an unreadable file
        return False


def read_digital_page(path: str, page_index: int, dpi: float) -> PageResult | None:
    """Page ``page_index`` of the PDF ``path`` read from its vectors and text layer, or None
    when the page is not born-digital (then it is rendered and OCR'd as usual)."""
    import pdfplumber

    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        if not 0 <= page_index < len(pdf.pages):
            return None
        page = pdf.pages[page_index]
        if not is_born_digital(page):
            return None
        scale = dpi / PT_PER_INCH
        tables = read_tables(page, page_index, scale)
        lines = read_lines(page, tables, scale)
        return PageResult(
            source=path,
            page_index=page_index,
            page_count=len(pdf.pages),
            dpi=dpi,
            width=round(float(page.width) * scale),
            height=round(float(page.height) * scale),
            lines=lines,
            tables=tuple(tables),
            used_text_layer=True,
            seconds=time.perf_counter() - started,
        )


__all__ = ["worth_trying", "is_born_digital", "read_digital_page", "read_lines", "read_tables"]
