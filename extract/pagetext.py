"""The text of every page, kept: lines in reading order with boxes and confidence.

A page task already reads the text outside its tables (:attr:`PageResult.lines`, for the title
of a table and the document's metadata); this module turns those lines into the rows of the
``lines`` output table, and the document's header fields into ``document_fields`` rows, so
that an archive of prose pages (the report's own text, where the narrative numbers are) can
be searched.  Reading order: top to bottom, then left to right (tesseract's line order inside a
band; lines of two columns that share a baseline come out as one line).
"""

from __future__ import annotations

import re
from typing import Any

from .model import DocumentResult, OcrLine, PageResult

Row = dict[str, Any]


_PAGE_NUMBER = re.compile(r"^[-–—(\s]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—)\s.]*$", re.IGNORECASE)


def is_page_number(text: str) -> bool:
    """A line that is only a page number ("2", "- 3 -", "Trang 4/17"): never a table's title."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def reading_order(lines: tuple[OcrLine, ...] | list[OcrLine]) -> list[OcrLine]:
    """``lines`` top to bottom, then left to right, blank ones dropped."""
    return sorted((ln for ln in lines if ln.text.strip()), key=lambda ln: (ln.box.y0, ln.box.x0))


def page_text(page: PageResult) -> str:
    """The page's text outside its tables, one line per line, in reading order."""
    return "\n".join(ln.text for ln in reading_order(page.lines))


def line_rows(doc: DocumentResult) -> list[Row]:
    """Rows of the ``lines`` table for ``doc`` (pages 1-based)."""
    out: list[Row] = []
    for page in doc.pages:
        if page.failed:
            continue
        origin = "text_layer" if page.used_text_layer else "ocr"
        for i, ln in enumerate(reading_order(page.lines)):
            out.append(
                {
                    "document_id": doc.document_id,
                    "page": page.page_index + 1,
                    "line_index": i,
                    "text": ln.text,
                    "confidence": float(ln.confidence),
                    "x0": ln.box.x0,
                    "y0": ln.box.y0,
                    "x1": ln.box.x1,
                    "y1": ln.box.y1,
                    "origin": origin,
                }
            )
    return out


def field_rows(doc: DocumentResult) -> list[Row]:
    """Rows of the ``document_fields`` table: the header fields with status and confidence."""
    return [
        {
            "document_id": doc.document_id,
            "field": f.name,
            "value": f.value,
            "status": f.status,
            "confidence": float(f.confidence),
            "raw_text": f.raw,
            "reason": f.reason,
        }
        for f in doc.meta.fields
    ]


__all__ = ["is_page_number", "field_rows", "line_rows", "page_text", "reading_order"]
