"""A number that only one model of five read is never sure (extract.ocr.reader.vote_number).

On the dev split's hard scans a faded "4" or "0", or a stroke across a cell, was read "1" at
88-95 by the psm-8 variant alone while the four other number readings came back empty; the vote
took the lone reading at its own confidence and the wrong "1" stood ``read``."""

from __future__ import annotations

import pytest
from ocr_synth import MILD, render_table
from test_reader import ScriptedEngine

from extract.model import Candidate, CellKind
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import read_table, vote_number

MIN_CONFIDENCE = 80.0  # validate.min_confidence: a value no rule covers is READ at or above it


def _readings(*texts: str, confidence: float = 95.0) -> list[Candidate]:
    return [Candidate(t, confidence if t else 0.0, f"v{i}") for i, t in enumerate(texts)]


def test_a_lone_reading_among_empty_ones_is_unsure() -> None:
    lone = vote_number(_readings("", "", "", "1", ""))
    assert lone.text == "1" and lone.confidence == pytest.approx(95.0 / 5)
    two = vote_number(_readings("1", "", "", "1", ""))
    assert two.text == "1" and two.confidence == pytest.approx(95.0 * 2 / 5)
    # a majority keeps its confidence: the empty readings are then outvoted, not dissent
    assert vote_number(_readings("23", "23", "23", "", "")).confidence == pytest.approx(95.0)
    # disagreeing numbers still count among the numeric readings only (unchanged)
    split = vote_number(_readings("23", "23", "28", "", "23"))
    assert split.text == "23" and split.confidence == pytest.approx(95.0 * 3 / 4)


def test_a_cell_read_by_one_variant_alone_comes_out_below_the_read_bar() -> None:
    """The whole cell path (number first, text reading, escalation, decision) on a printed "4"
    that the number models read as nothing and the psm-8 variant as "1" (the dev page's case)."""
    table = render_table([["4"]], 200, noise=MILD)
    script = [("", 0.0), ("", 0.0), ("|", 66.0), ("", 0.0), ("1", 95.0), ("", 0.0)]
    engine = ScriptedEngine(script)
    settings = OcrSettings()
    (cell,) = read_table(
        table.page, table.grid, table.line_mask, engine, settings, page_index=0, table_index=0
    ).cells
    assert engine.modes == ["number", "num_viet", "text", "num_noblur", "num_psm8", "num_x2"]
    assert cell.kind is CellKind.NUMBER and cell.text == "1"
    assert cell.confidence < MIN_CONFIDENCE  # flagged downstream, unless a rule bears it out


def test_real_tesseract_still_reads_plain_numbers_surely(engine: OcrEngine) -> None:
    """The rule costs nothing where the models agree: mild 200-dpi numbers, real tesseract."""
    numbers = [["5.697", "23", "4"], ["1", "0", "91.627"], ["367", "7", "12"]]
    table = render_table(numbers, 200, noise=MILD, col_mm=[24, 24, 24], seed=3)
    read = read_table(
        table.page, table.grid, table.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )
    for cell in read.cells:
        assert cell.text == numbers[cell.cell.row][cell.cell.col]
        assert cell.confidence >= MIN_CONFIDENCE, (cell.text, cell.candidates)
