"""A number the confident text reading reads otherwise is disputed, not sure (issue 9, cells14).

Dev hard 200-dpi 1B page: a printed "23" read "24" by two number models (91, 95) and "23" by the
text model (95) stood `read` -- a confident misread.  The readings are those of that cell.
"""

from __future__ import annotations

import pytest

from extract.model import Candidate, CellKind, CellRead, GridCell, PixelBox
from extract.ocr.reader import load_ocr_settings, text_dissent

CELL = GridCell(0, 0, 1, 1, PixelBox(0, 0, 120, 60))


@pytest.fixture(scope="module")
def settings():
    return load_ocr_settings()


def _read(text: str, confidence: float, text_reading: str, text_confidence: float) -> CellRead:
    return CellRead(
        cell=CELL,
        text=text,
        confidence=confidence,
        kind=CellKind.NUMBER,
        candidates=(
            Candidate(text, confidence - 2, "number"),
            Candidate(text, confidence + 2, "num_viet"),
            Candidate(text_reading, text_confidence, "text"),
        ),
    )


def test_the_dev_cell_is_disputed(settings) -> None:
    read = _read("24", 93.0, "23", 95.0)
    got = text_dissent(read, settings)
    assert got.confidence == settings.guessed_digit_confidence < 80  # under the read bar: flagged
    assert (got.text, got.kind, got.candidates) == (read.text, read.kind, read.candidates)


@pytest.mark.parametrize(
    ("number", "text_reading", "text_confidence"),
    [
        ("-3", "3", 95.0),  # a sign the text model did not read ...
        ("3", "-3", 95.0),  # ... or read alone
        ("2653", "2853", 93.0),
        ("5.697", "5.687", 90.0),
    ],
)
def test_another_number_or_sign_disputes(number, text_reading, text_confidence, settings) -> None:
    assert text_dissent(_read(number, 96.0, text_reading, text_confidence), settings).confidence <= 50


@pytest.mark.parametrize(
    ("number", "text_reading", "text_confidence"),
    [
        ("23", "23", 95.0),  # agreement
        ("1736", "1.736", 95.0),  # the same number, grouped
        ("11676", "1 1676", 92.0),  # a serif "1"'s side bearings read as a space
        ("24", "23", 80.0),  # an unsure text reading says nothing
        ("23", "vá)", 95.0),  # text mode garbling a lone number says nothing
        ("23", "Có", 96.0),
    ],
)
def test_agreement_or_no_plain_number_leaves_the_reading(
    number, text_reading, text_confidence, settings
) -> None:
    read = _read(number, 96.0, text_reading, text_confidence)
    assert text_dissent(read, settings) is read


def test_text_and_empty_cells_are_left_alone(settings) -> None:
    text = CellRead(CELL, "Xã Kế An", 95.0, CellKind.TEXT, (Candidate("23", 95.0, "text"),))
    empty = CellRead(CELL, "", 100.0, CellKind.EMPTY)
    assert text_dissent(text, settings) is text and text_dissent(empty, settings) is empty
