"""Is an OCR'd page upright?  Judged from what was read, so that most pages skip tesseract's OSD.

Quarter turns are found geometrically (:func:`extract.preprocess.prepare_page`); telling an
upright page from one upside down takes tesseract's orientation detection (OSD), which cost a
third of a second a page — more than any other step but the OCR itself.  Read upside down,
tesseract's Vietnamese model returns garbage at low confidence; read upright, most of the text is
confident.  Measured on 56 pages (generated scans at 150-300 dpi, clean to hard, and the real
government scans) read both ways: the share of characters read at confidence >= 80 was 0.77-1.00
upright and 0.00-0.02 upside down.  So a page is read first; only when that share is below
``min_share`` (or too little text was read to judge) does OSD decide, and a page OSD turns is read
again (rare: a scanned page upside down).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .config import settings_section
from .model import CellKind, OcrLine, ReadTable


class OrientationSettings(BaseModel):
    """Section ``orientation`` of pipeline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # evidence: OSD only when the page's reading is not confidently text; always: OSD before
    # reading every page (the slow, old way); never: trust the scanner (quarter turns still found)
    check: Literal["evidence", "always", "never"] = "evidence"
    min_letters: int = Field(default=3, ge=1)  # a reading with fewer letters is not evidence
    min_characters: int = Field(default=40, ge=1)  # characters of evidence needed to judge
    confident: float = Field(default=80.0, ge=0.0, le=100.0)  # a confident reading ...
    min_share: float = Field(default=0.5, gt=0.0, le=1.0)  # ... of this share of the characters

    @classmethod
    def from_config(cls, folder: str | os.PathLike[str] | None = None) -> OrientationSettings:
        return settings_section(cls, "orientation", folder)


def _readings(tables: Iterable[ReadTable], lines: Iterable[OcrLine]) -> Iterable[tuple[str, float]]:
    for table in tables:
        for cell in table.cells:
            if cell.kind is CellKind.TEXT:
                yield cell.text, cell.confidence
    for line in lines:
        yield line.text, line.confidence


def confident_share(
    tables: Iterable[ReadTable], lines: Iterable[OcrLine], settings: OrientationSettings
) -> tuple[float, int]:
    """(share of characters read at ``settings.confident`` or more, characters counted), over
    the text cells and free-text lines holding at least ``settings.min_letters`` letters."""
    total = confident = 0
    for text, conf in _readings(tables, lines):
        if sum(ch.isalpha() for ch in text) < settings.min_letters:
            continue
        total += len(text)
        if conf >= settings.confident:
            confident += len(text)
    return (confident / total if total else 0.0), total


def reads_upright(
    tables: Iterable[ReadTable], lines: Iterable[OcrLine], settings: OrientationSettings
) -> bool:
    """Whether what was read shows the page upright (enough text, mostly read confidently)."""
    share, total = confident_share(tables, lines, settings)
    return total >= settings.min_characters and share >= settings.min_share
