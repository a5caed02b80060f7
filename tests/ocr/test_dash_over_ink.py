"""A reading of dashes alone over a mark taller than a dash is unread ink, never the report's own
blank (extract.ocr.reader._dash_over_ink).

On a dev hard 300-dpi 7B page a printed "1" crossed by a pen stroke was read "—" at 85: a dash
is the report's "none", so the cell stood as a sure blank and the printed 1 vanished without a
flag.  Drawn here (a "1" or a "7" under a stroke, read with real tesseract: dashes alone at 26-92 before),
and with a scripted engine for what stays a blank."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest
from ocr_synth import MILD, mm, render_table
from test_reader import ScriptedEngine

from extract.model import CellKind
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import NO_CONFIDENCE, read_table

DASHES = set("-–—−_.…")


def _read(table, engine: OcrEngine, settings: OcrSettings | None = None, gray=None):  # type: ignore[no-untyped-def]
    page = (
        table.page
        if gray is None
        else replace(table.page, gray=gray, binary=np.where(gray < 128, 255, 0).astype(np.uint8))
    )
    (cell,) = read_table(
        page, table.grid, table.line_mask, engine, settings or OcrSettings(), page_index=0, table_index=0
    ).cells
    return cell


def _stroked(digit: str, dpi: int, amplitude_mm: float):  # type: ignore[no-untyped-def]
    """A one-cell table holding ``digit``, and its page with a pen stroke drawn across the digit."""
    table = render_table([[digit]], dpi, noise=MILD, col_mm=[10], row_mm=11, font_pt=13)
    gray = table.page.gray.copy()
    box = table.grid.cells[0].box
    xs = np.arange(box.x0 + mm(0.8, dpi), box.x1 - mm(0.8, dpi))
    phase = (xs - xs[0]) / (xs[-1] - xs[0]) * np.pi * 1.3 - 0.3
    ys = (box.y0 + box.y1) / 2 + mm(amplitude_mm, dpi) * np.sin(phase)
    cv2.polylines(gray, [np.stack([xs, ys], 1).astype(np.int32)], False, 70, thickness=max(2, mm(0.45, dpi)))
    return table, gray


def _dashes_only(text: str) -> bool:
    compact = text.replace(" ", "")
    return bool(compact) and all(ch in DASHES for ch in compact)


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_digit_under_a_stroke_read_as_a_dash_is_unread_ink(dpi: int, engine: OcrEngine) -> None:
    dash_read = 0
    for digit in ("1", "7"):
        for amplitude in (0.6, 1.0):
            table, gray = _stroked(digit, dpi, amplitude)
            cell = _read(table, engine, gray=gray)
            assert not _dashes_only(cell.text), (digit, amplitude, cell)  # never the report's "none"
            if any(_dashes_only(c.text) for c in cell.candidates):
                dash_read += 1
                # what was read stays for the reviewer; the cell is ink nothing could read
                assert (cell.kind, cell.text, cell.confidence) == (CellKind.EMPTY, "", NO_CONFIDENCE)
    assert dash_read >= 2  # the models did read a dash there: the case this guards


def test_a_printed_dash_is_still_the_reports_blank() -> None:
    """A thick printed dash (1.2 mm: tall enough to be read, under ``dash_max_height_mm``) read
    "—" stays "—" (a blank downstream); the same reading over a taller mark does not."""
    dpi = 300
    table = render_table([[""]], dpi, noise=MILD, col_mm=[12], row_mm=9)
    gray = table.page.gray.copy()
    box = table.grid.cells[0].box
    cx, cy = (box.x0 + box.x1) // 2, (box.y0 + box.y1) // 2
    gray[cy - mm(0.6, dpi) : cy + mm(0.6, dpi), cx - mm(2.0, dpi) : cx + mm(2.0, dpi)] = 40
    cell = _read(table, ScriptedEngine([("—", 90.0)]), gray=gray)
    assert (cell.text, cell.confidence) == ("—", 90.0)
    lower = OcrSettings(dash_max_height_mm=0.8)
    cell = _read(table, ScriptedEngine([("—", 90.0)]), lower, gray=gray)
    assert (cell.kind, cell.text, cell.confidence) == (CellKind.EMPTY, "", NO_CONFIDENCE)
    assert [c.text for c in cell.candidates if c.text] and all(
        _dashes_only(c.text) for c in cell.candidates if c.text
    )


def test_numbers_and_words_are_untouched(engine: OcrEngine) -> None:
    table = render_table([["-3"], ["1.736"], ["Có"]], 300, noise=MILD, col_mm=[20])
    cells = read_table(
        table.page, table.grid, table.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    ).cells
    assert [c.text for c in cells] == ["-3", "1.736", "Có"]
