"""Lengths on paper and on the page image: millimetres and typographic points to pixels.

Every size the pipeline and the generator use is declared in millimetres (or points) and turned
into pixels at the page's DPI here, so that the same settings work at 150, 200 and 300 dpi.
"""

from __future__ import annotations

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0


def mm_to_px(mm: float, dpi: float) -> float:
    """Millimetres to pixels at ``dpi`` (not rounded)."""
    return mm * dpi / MM_PER_INCH


def mm_to_whole_px(mm: float, dpi: float) -> int:
    """Millimetres to whole pixels at ``dpi`` (rounded to the nearest, halves to even)."""
    return round(mm_to_px(mm, dpi))


def pt_to_px(pt: float, dpi: float) -> int:
    """Typographic points (1/72 inch) to whole pixels at ``dpi``."""
    return round(pt * dpi / PT_PER_INCH)
