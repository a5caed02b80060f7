"""Clean "1"s read as letters in a number column (extract.ocr.one_strokes, reader._one_stroke_looks).

On the dev hard 200-dpi scans a clean printed "11" (Liberation Serif) is read "II", "li", "lãi"
or "LÍ" by the text model and "" at 0 by every number model: the value is lost (flagged, no
number).  A cell of a number column (not the first: the index, where a roman "II" is printed)
read as a short text whose crop's letters are each one upright stroke of a digit's height is
that many "1"s, at most ``ocr.second_look_confidence`` sure (flagged unless a rule of the form
bears it out).  Drawn here: digits and letters in two serif fonts at 200 and 300 dpi (which are
taken as "1"s and which are not), and the look's place in ``read_table``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from ocr_synth import render_table
from test_reader import ScriptedEngine

from extract.model import Candidate, CellKind, CellRead, GridCell, PreparedPage
from extract.ocr import reader
from extract.ocr.one_strokes import OneStrokeSettings, ones
from extract.ocr.reader import _cut, load_ocr_settings, read_table

LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
ONES = ["11", "1", "111"]
NOT_ONES = ["17", "0", "4", "10", "7", "71", "2", "3", "5", "6", "8", "9", "H", "L"]


def _crops(texts: list[str], dpi: int, font: str) -> list[np.ndarray]:
    table = render_table(
        [["Xã", *texts]], dpi, number_font=font, text_font=font, font_pt=11, col_mm=[25] + [12] * len(texts)
    )
    settings = load_ocr_settings()
    engine = ScriptedEngine([("", 0.0)])
    cells = [c for c in table.grid.cells if c.col > 0]
    return [_cut(table.page.gray, float(dpi), c, table.line_mask, engine, settings).crop for c in cells]


@pytest.mark.parametrize("font", [LIBERATION, DEJAVU])
@pytest.mark.parametrize("dpi", [200, 300])
def test_ones_are_the_crops_of_upright_strokes_only(font: str, dpi: int) -> None:
    settings = load_ocr_settings().one_strokes
    assert [ones(c, dpi, settings) for c in _crops(ONES, dpi, font)] == ONES
    assert [ones(c, dpi, settings) for c in _crops(NOT_ONES, dpi, font)] == [None] * len(NOT_ONES)


def test_no_ones_on_two_lines_a_blank_or_glyphs_of_no_digits_height() -> None:
    settings = load_ocr_settings().one_strokes
    (two_lines,) = _crops(["1\n1"], 200, LIBERATION)
    assert ones(two_lines, 200, settings) is None
    assert ones(np.full((30, 40), 210, np.uint8), 200, settings) is None
    (one,) = _crops(["11"], 200, LIBERATION)
    assert ones(one, 200, settings.model_copy(update={"min_height_mm": 4.0})) is None  # too short for a digit
    assert ones(one, 200, settings.model_copy(update={"max_letters": 1})) is None


def test_the_settings_are_in_pipeline_yaml() -> None:
    configured = load_ocr_settings().one_strokes
    assert configured.enabled
    assert OneStrokeSettings().enabled is False  # off in the model's default
    with pytest.raises(ValueError):
        OneStrokeSettings(max_width=0.0)


ROWS = [
    ["11", "Xã An", "11", "12"],
    ["2", "Xã Bình", "25", "11"],
    ["3", "Xã Hòa", "111", "16"],
    ["4", "Xã Phú", "25", "1"],
]
# what the cell path reads (dev hard 200-dpi: every "11" read as letters by the text model)
READ = {
    "11": ("II", 76.0, CellKind.TEXT),
    "12": ("12", 95.0, CellKind.NUMBER),
    "25": ("25", 95.0, CellKind.NUMBER),
    "16": ("16", 95.0, CellKind.NUMBER),
    "111": ("L4", 60.0, CellKind.TEXT),  # a worn "14" read so: its "4" a stem alone
    "1": ("q", 40.0, CellKind.TEXT),  # a worn "0" whose two sides are left read so: no "1" letter
}


def _read_table(
    monkeypatch: pytest.MonkeyPatch, enabled: bool, sealed: tuple[tuple[int, int], ...] = ()
) -> dict[tuple[int, int], CellRead]:
    table = render_table(
        ROWS, 200, number_font=LIBERATION, text_font=LIBERATION, font_pt=11, col_mm=[12, 30, 15, 15]
    )
    grid = replace(table.grid, under_seal=sealed)

    def fake_read_cell(
        gray, dpi, cell: GridCell, line_mask, engine, settings, *, bilevel=False, under_seal=False
    ):  # type: ignore[no-untyped-def]
        printed = ROWS[cell.row][cell.col]
        text, conf, kind = READ.get(printed, (printed, 90.0, CellKind.TEXT))
        return CellRead(
            cell=cell, text=text, confidence=conf, kind=kind, candidates=(Candidate(text, conf, "text"),)
        )

    monkeypatch.setattr(reader, "read_cell", fake_read_cell)
    settings = load_ocr_settings()
    settings = settings.model_copy(
        update={"one_strokes": settings.one_strokes.model_copy(update={"enabled": enabled})}
    )
    page = PreparedPage(gray=table.page.gray, binary=table.page.binary, dpi=200.0)
    out = read_table(
        page, grid, table.line_mask, ScriptedEngine([("", 0.0)]), settings, page_index=0, table_index=0
    )
    return {(r.cell.row, r.cell.col): r for r in out.cells}


def test_a_number_columns_11_read_as_letters_is_11_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    cells = _read_table(monkeypatch, enabled=True)
    for where in [(0, 2), (1, 3)]:
        read = cells[where]
        assert (read.text, read.kind) == ("11", CellKind.NUMBER)
        assert read.confidence <= load_ocr_settings().second_look_confidence  # flagged unless a rule holds
        assert "II" in {c.text for c in read.candidates}  # the first reading kept
    assert cells[(0, 0)].text == "II"  # the index column: never (a roman "II" is printed there)
    assert cells[(0, 1)].text == "Xã An"  # a label column: never
    assert cells[(0, 3)].text == "12" and cells[(1, 2)].text == "25"  # numbers read: as they were
    assert cells[(2, 2)].text == "L4"  # its "4" would be lost: never "111"
    assert cells[(3, 3)].text == "q"  # no letter a "1" is read as


def test_off_the_letters_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    cells = _read_table(monkeypatch, enabled=False)
    assert cells[(0, 2)].text == "II" and cells[(1, 3)].text == "II"


def test_never_a_cell_under_a_seal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A seal ring's hatching is upright strokes too: a "0" under one read "ụ" became "11"."""
    cells = _read_table(monkeypatch, enabled=True, sealed=((1, 3),))
    assert cells[(1, 3)].text == "II"
    assert cells[(0, 2)].text == "11"
