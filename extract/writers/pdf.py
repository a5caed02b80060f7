"""Searchable PDF output: each document's pages as images with an invisible text layer,
``<out>/pdf/<source stem>-<document_id>.pdf`` (``--format pdf``), written atomically.

The way OCRmyPDF makes a searchable PDF, but from the same single OCR pass: nothing is read
again.  Each page is re-rendered from its source at the resolution it was read at, turned and
deskewed as it was (:attr:`PageResult.rotation`, :attr:`PageResult.skew_deg`), so the boxes of
what was read fall on the picture; every text line (word by word when the reader gave words)
and every table cell is drawn there in text render mode 3 (invisible), stretched to its box, in
a TrueType font with the Vietnamese letters (the serif family the generator uses).  Selecting
or searching the PDF finds the words where they are printed.  A page that failed is drawn as
its picture alone.  A member of a zip archive is read again from its copy in the output's cache
(extracted again from the archive when the cache was emptied); a document whose source is gone
(moved or deleted since it was read) gets no PDF, and a warning names it.  Drawn with reportlab.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..model import DocumentResult, PageResult, PixelBox
from ..units import PT_PER_INCH
from . import ResultStore, Row, WriterContext
from .files import atomic_path, document_files, remove_document_files
from .json import file_name

log = logging.getLogger(__name__)

FOLDER = "pdf"
FONT = "BcubndText"
MIN_FONT_PT = 1.0


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        from ..synth.render import font_family

        pdfmetrics.registerFont(TTFont(FONT, str(font_family()[1]["regular"])))
    return FONT


def page_picture(source: str, page: PageResult) -> np.ndarray:
    """The page as it was read: rendered at its DPI, turned and deskewed (grayscale uint8)."""
    from ..ingest import load_page
    from ..preprocess import rotate, rotate_quarter, to_gray

    gray = to_gray(load_page(source, page.page_index, dpi=page.dpi).image)
    if page.rotation:
        gray = rotate_quarter(gray, page.rotation)
    if page.skew_deg:
        gray = rotate(gray, page.skew_deg, fill=int(np.median(gray[::16, ::16])))
    return gray


def text_runs(doc: DocumentResult, page: PageResult) -> list[list[tuple[str, PixelBox]]]:
    """Every piece of text read on ``page``, as runs of (text, box) read left to right: a line's
    words (or the whole line), and table cells (from the page's cells, else from the document's
    values on that page)."""
    runs: list[list[tuple[str, PixelBox]]] = []
    for ln in page.lines:
        words = sorted(getattr(ln, "words", ()) or (), key=lambda w: w.box.x0)
        runs.append([(w.text, w.box) for w in words] if words else [(ln.text, ln.box)])
    cells = [[(c.text, c.cell.box)] for t in page.tables for c in t.cells if c.text.strip()]
    if not cells:
        cells = [
            [(v.raw_text, v.box)]
            for v in doc.values()
            if v.page_index == page.page_index and v.raw_text.strip()
        ]
    runs.extend(cells)
    return [[(t, b) for t, b in run if t.strip() and b.width > 0 and b.height > 0] for run in runs]


def _draw_run(c: object, run: list[tuple[str, PixelBox]], scale: float, h_pt: float, font: str) -> None:
    """Draw ``run`` invisibly: each word stretched to its box, a space stretched to each gap (so
    text extraction and search see separate words, as in OCRmyPDF's text layer)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    height = float(np.median([b.height for _, b in run])) * scale  # one tall word must not move the line
    size = max(MIN_FONT_PT, height * 0.8)
    t = c.beginText()  # type: ignore[attr-defined]
    t.setTextRenderMode(3)  # invisible: searchable and selectable, not drawn
    t.setFont(font, size)
    base = h_pt - float(np.median([b.y1 for _, b in run])) * scale + height * 0.2
    for i, (text, box) in enumerate(run):
        t.setTextOrigin(box.x0 * scale, base)
        t.setHorizScale(100.0 * box.width * scale / (stringWidth(text, font, size) or 1.0))
        t.textOut(text)
        if i + 1 < len(run):
            gap = max(0.1, (run[i + 1][1].x0 - box.x1) * scale)
            t.setHorizScale(100.0 * gap / (stringWidth(" ", font, size) or 1.0))
            t.textOut(" ")
    c.drawText(t)  # type: ignore[attr-defined]


def write_pdf(doc: DocumentResult, path: Path, source: str | None = None) -> int:
    """Write ``doc`` as a searchable PDF to ``path``, its pages rendered from ``source`` (the
    file to read: default ``doc.source``); returns the number of pages drawn."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = _font()
    c = canvas.Canvas(str(path))
    c.setTitle(doc.meta.title or Path(doc.source).name)
    drawn = 0
    for page in sorted(doc.pages, key=lambda p: p.page_index):
        if page.failed or page.dpi <= 0:
            continue
        picture = page_picture(source or doc.source, page)
        height_px, width_px = picture.shape[:2]
        scale = PT_PER_INCH / page.dpi
        w_pt, h_pt = width_px * scale, height_px * scale
        c.setPageSize((w_pt, h_pt))
        c.drawImage(ImageReader(Image.fromarray(picture)), 0, 0, w_pt, h_pt)
        for run in text_runs(doc, page):
            if run:
                _draw_run(c, run, scale, h_pt, font)
        c.showPage()
        drawn += 1
    c.save()
    return drawn


class PdfWriter:
    """``<out>/pdf/<source stem>-<document_id>.pdf``, named like the JSON output."""

    name = "pdf"
    per_document = True

    def __init__(self, ctx: WriterContext) -> None:
        from ..batch import CACHE_DIR

        self.folder = ctx.out_dir / FOLDER
        self.cache_dir = ctx.out_dir / CACHE_DIR
        self.target = str(self.folder.resolve())

    def existing(self, document_id: str) -> list[Path]:
        return document_files(self.folder, document_id, ".pdf")

    def write_document(self, doc: DocumentResult, manifest: Sequence[Row]) -> None:
        from ..errors import ArchiveLimitError
        from ..inputs import source_file

        try:
            source = source_file(doc.source, self.cache_dir)
        except (OSError, zipfile.BadZipFile, ArchiveLimitError) as exc:
            log.warning("%s: no searchable PDF, its source cannot be read again (%s)", doc.source, exc)
            return
        path = self.folder / (file_name(doc.source, doc.document_id)[: -len(".json")] + ".pdf")
        with atomic_path(path) as tmp:
            write_pdf(doc, tmp, str(source))
        remove_document_files(self.folder, doc.document_id, ".pdf", keep=path)

    def delete_document(self, document_id: str) -> None:
        remove_document_files(self.folder, document_id, ".pdf")

    def finish(self, store: ResultStore) -> list[str]:
        missing: Iterable[str] = [d for d in store.document_ids() if not self.existing(d)]
        for document_id in missing:
            self.write_document(store.load_document(document_id), [])
        return [str(self.folder)]

    def close(self) -> None:
        pass


def open_writer(ctx: WriterContext) -> PdfWriter:
    return PdfWriter(ctx)
