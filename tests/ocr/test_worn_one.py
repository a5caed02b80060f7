"""A "1" with faint grey beside its stem may be a worn "4" (extract.ocr.reader._worn_one).

On the dev hard 200-dpi 7B pages printed 4s whose bar and diagonal had faded below the ink threshold
were read "1" at 90-92 by three number models and the text model: wrong values standing `read`. The
faded strokes are still grey on the page beside the stem: in the band left of a lone letter,
0.15-0.27 of the pixels were faint grey for the worn 3s, 4s and 5s read "1" on three such documents,
at most 0.08 for their 127 printed 1s (but one at 0.13, read at 19). Such a "1" is kept at the
guessed digit's confidence (flagged unless a rule bears it out); a printed "1" of every serif family
stays sure. Drawn here: a "4" faded but for its stem."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from ocr_synth import MILD, render_table
from test_reader import ScriptedEngine

from extract.model import CellKind
from extract.ocr.cells import cut_cell
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import read_table

MIN_CONFIDENCE = 80.0  # validate.min_confidence: a value no rule covers is READ at or above it
SERIFS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
]
FADED = 45  # grey levels under the paper of the worn 4's bar and diagonal: under the ink bar


def _worn_four(dpi: int):  # type: ignore[no-untyped-def]
    """A one-cell table holding a "4" whose strokes but the stem faded to a light grey."""
    table = render_table([["4"]], dpi, noise=MILD, col_mm=[10], row_mm=9, font_pt=13)
    gray = table.page.gray.copy()
    box = table.grid.cells[0].box
    inset = 4
    cell = gray[box.y0 + inset : box.y1 - inset, box.x0 + inset : box.x1 - inset]
    rules = table.line_mask[box.y0 + inset : box.y1 - inset, box.x0 + inset : box.x1 - inset] > 0
    ink = (cell < 128) & ~rules
    counts = ink.sum(axis=0)
    stem = counts >= 0.6 * counts.max()  # the columns of the 4's upright
    paper = int(np.median(cell[~ink]))
    faded = ink & ~stem[None, :]
    cell[faded] = paper - FADED
    page = replace(table.page, gray=gray, binary=np.where(gray < 128, 255, 0).astype(np.uint8))
    return page, table


def _one(page, table, engine: OcrEngine, settings: OcrSettings | None = None):  # type: ignore[no-untyped-def]
    (cell,) = read_table(
        page, table.grid, table.line_mask, engine, settings or OcrSettings(), page_index=0, table_index=0
    ).cells
    return cell


def _info(page, table):  # type: ignore[no-untyped-def]
    return cut_cell(page.gray, table.grid.cells[0].box, table.line_mask, inset_px=1, dpi=page.dpi)[1]


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_worn_four_read_one_is_unsure(dpi: int) -> None:
    page, table = _worn_four(dpi)
    settings = OcrSettings()
    info = _info(page, table)
    assert info.letters == 1 and info.faint_left_share >= settings.worn_one_faint_share
    cell = _one(page, table, ScriptedEngine([("1", 96.0)]), settings)
    assert (cell.kind, cell.text) == (CellKind.NUMBER, "1")
    assert cell.confidence == settings.guessed_digit_confidence < MIN_CONFIDENCE
    assert cell.candidates and {c.text for c in cell.candidates} == {"1"}  # the readings are kept
    # another reading of the same ink is left alone
    assert _one(page, table, ScriptedEngine([("4", 96.0)]), settings).confidence == 96.0


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("font", SERIFS)
def test_a_printed_one_stays_sure(font: str, dpi: int, engine: OcrEngine) -> None:
    table = render_table([["1"]], dpi, noise=MILD, col_mm=[10], row_mm=9, font_pt=13, number_font=font)
    assert _info(table.page, table).faint_left_share < OcrSettings().worn_one_faint_share
    assert _one(table.page, table, ScriptedEngine([("1", 96.0)])).confidence == 96.0
    real = _one(table.page, table, engine)
    assert real.text == "1" and real.confidence >= MIN_CONFIDENCE, real
