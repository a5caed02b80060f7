"""A digit the vote's unread readings dropped, kept by a sure reading (extract.ocr.dropped_digits).

A printed "101" on a worn hard 200-dpi scan was read "10" at 0, 14 and 0 by three number models,
"101" at 44 by a fourth and at 86 by the text model: the vote's majority at no confidence made the
cell "10".  The read readings' "101" is given instead, flagged; a different digit never is."""

from __future__ import annotations

import pytest
from test_vote_text_confirms import scripted_cell

from extract.config import load_config
from extract.model import Candidate, CellKind
from extract.ocr.dropped_digits import DroppedDigitSettings, dropped_digit_reading, keeps_digits
from extract.ocr.engine import OcrSettings
from extract.ocr.reader import vote_number

MIN_CONFIDENCE = 80.0  # validate.min_confidence: below it a value no rule covers is flagged
ON = DroppedDigitSettings(enabled=True)


def _readings(*read: tuple[str, float]) -> list[Candidate]:
    return [Candidate(t, c, f"v{i}") for i, (t, c) in enumerate(read)]


def _text(text: str, confidence: float) -> Candidate:
    return Candidate(text, confidence, "text")


@pytest.mark.parametrize(
    ("readings", "text", "expected"),
    [
        # dev_1068 7B: "101" printed
        ([("10", 0.0), ("101", 44.0), ("10", 14.0), ("10", 0.0)], _text("101", 86.0), "101"),
        # dev_1132 7B: "21" printed, the text model unsure, a number model sure
        ([("2", 0.0), ("21", 87.0), ("2", 0.0), ("1", 16.0), ("2", 8.0)], _text("2I", 84.0), "21"),
        # dev_1076 5B: a grouped number's last digit
        (
            [("16.73", 29.0), ("16.731", 95.0), ("16.731", 93.0), ("16.73", 29.0), ("16.73", 0.0)],
            None,
            "16.731",
        ),
    ],
)
def test_the_read_readings_number_replaces_a_vote_carried_by_unread_readings(
    readings, text, expected
) -> None:  # type: ignore[no-untyped-def]
    cands = _readings(*readings)
    voted = vote_number(cands)
    chosen = dropped_digit_reading(cands, voted, text, ON)
    assert chosen is not None and chosen.text == expected
    assert chosen.confidence <= ON.confidence < MIN_CONFIDENCE  # flagged unless a rule bears it out
    assert dropped_digit_reading(cands, voted, text, DroppedDigitSettings()) is None  # off by default


@pytest.mark.parametrize(
    ("readings", "text"),
    [
        # a different digit, however sure (dev_1621: "6" at 0 against "0" at 90 -- printed 6)
        ([("6", 0.0), ("0", 90.0), ("", 0.0), ("6", 0.0)], _text("Đ", 79.0)),
        # the longer number read, but never sure: 80 not reached by any reading of it
        ([("10", 0.0), ("101", 44.0), ("10", 14.0), ("10", 0.0)], _text("101", 79.0)),
        # the vote's own readings all read at some confidence: no unread majority
        ([("10", 12.0), ("101", 90.0), ("10", 14.0), ("10", 30.0)], _text("101", 96.0)),
        # the read readings' majority is a piece, not a digit more: "1" of "10"
        ([("10", 0.0), ("1", 90.0), ("1", 85.0), ("10", 0.0)], _text("1", 96.0)),
        # marks or spaces round the digits are no plain number
        ([("18 486", 0.0), ("18. 486", 93.0), ("18 486", 0.0)], _text("18.486", 92.0)),
        # digits out of order: "12" is not "2" with a digit kept
        ([("21", 0.0), ("12", 95.0), ("21", 0.0)], None),
    ],
)
def test_what_the_rule_leaves_to_the_vote(readings, text) -> None:  # type: ignore[no-untyped-def]
    cands = _readings(*readings)
    assert dropped_digit_reading(cands, vote_number(cands), text, ON) is None


def test_digits_kept_in_order() -> None:
    assert keeps_digits("10", "101") and keeps_digits("16.73", "16.731") and keeps_digits("5", "15")
    assert not keeps_digits("6", "0") and not keeps_digits("21", "12") and not keeps_digits("101", "101")
    assert not keeps_digits("1.630", "1630")


def test_the_whole_cell_path_and_the_setting() -> None:
    """primary "10" at 0 and the first variant "101" at 44 disagree (no settling); the text model
    reads "101" at 86; the three other variants "10" at 14, "" and "10" at 0."""
    script = [("10", 0.0), ("101", 44.0), ("101", 86.0), ("10", 14.0), ("", 0.0), ("10", 0.0)]
    on = scripted_cell(list(script), OcrSettings(dropped_digit_vote=ON), ("", "101"))
    off = scripted_cell(list(script), OcrSettings(), ("", "101"))
    assert on.kind is off.kind is CellKind.NUMBER
    assert off.text == "10" and on.text == "101"
    assert on.confidence <= ON.confidence
    assert any(c.text == "10" for c in on.candidates)  # the vote's readings kept for the arithmetic
    index = scripted_cell(list(script), OcrSettings(dropped_digit_vote=ON), ("101",))
    assert index.cell.col == 0 and index.text == "10"  # never the grid's first column (an STT re-keys rows)
    config = load_config().ocr.dropped_digit_vote
    assert config.enabled and config.sure == 80.0 and config.confidence == 50.0
