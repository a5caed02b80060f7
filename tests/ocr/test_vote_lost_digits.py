"""A number reading at confidence 0 that is the majority's number with leading or trailing digits
lost abstains from the vote (extract.ocr.reader.vote_number).

On the dev split's hard scans tesseract's Vietnamese model read the faded serif "1" of "115",
"14", "1.630" as nothing and gave back "15", "4", ".630" at confidence 0: the four other models
read the number right at 53-96 and the vote came out at 59-75, flagged, for a printed value read
right (40 of the hard 200-dpi flagged values' 194 "low confidence" ones were such cells)."""

from __future__ import annotations

import pytest
from ocr_synth import MILD, render_table
from test_reader import ScriptedEngine

from extract.model import Candidate, CellKind
from extract.ocr.engine import OcrSettings
from extract.ocr.reader import read_table, vote_number

MIN_CONFIDENCE = 80.0  # validate.min_confidence: a value no rule covers is READ at or above it


def _readings(*read: tuple[str, float]) -> list[Candidate]:
    return [Candidate(t, c, f"v{i}") for i, (t, c) in enumerate(read)]


def test_a_piece_of_the_number_read_at_zero_abstains() -> None:
    # the dev page's cell: printed 115
    vote = vote_number(_readings(("115", 53.0), ("15", 0.0), ("115", 91.0), ("", 0.0), ("115", 92.0)))
    assert vote.text == "115"
    # the three agreeing readings are a majority of the four that remain: their mean (before:
    # "15" counted among the numeric readings, 3 of 4, at 59)
    assert vote.confidence == pytest.approx((53 + 91 + 92) / 3)
    sure = vote_number(_readings(("14", 87.0), ("4", 0.0), ("14", 96.0), ("14", 95.0)))
    assert sure.text == "14" and sure.confidence == pytest.approx((87 + 96 + 95) / 3)
    assert sure.confidence >= MIN_CONFIDENCE
    # a thousands group's leading "1"
    assert vote_number(_readings(("1.630", 92.0), (".630", 0.0), ("1.630", 88.0))).confidence == 90.0


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (("17.660", 0.0), "a sign is no digit: the sign may be the misread"),
        (("105", 0.0), "a different digit inside the number"),
        (("15", 30.0), "the model was not at a loss: it read what it read"),
        (("1155", 0.0), "longer than the majority: not a piece of it"),
        (("11", 0.0), "a trailing digit lost marks the digit the others may have misread"),
    ],
)
def test_what_still_dissents(other: tuple[str, float], why: str) -> None:
    majority = "-17.660" if other[0] == "17.660" else "115"
    read = _readings((majority, 90.0), other, (majority, 90.0))
    vote = vote_number(read)
    assert vote.text == majority
    assert vote.confidence == pytest.approx(90.0 * 2 / 3), why


def test_a_lost_last_digit_keeps_the_vote_unsure() -> None:
    """The review sample's damaged cell: printed "21.902", read "21.907" by two models at 49,
    "21.90" by two at 0, "21.901" by one: the last digit is the doubt, the vote stays at 2 of 5."""
    read = _readings(("21.907", 49.0), ("21.90", 0.0), ("21.90", 0.0), ("21.907", 49.0), ("21.901", 43.0))
    vote = vote_number(read)
    assert vote.text == "21.907" and vote.confidence == pytest.approx(49.0 * 2 / 5)


def test_a_lone_one_among_empty_readings_stays_unsure() -> None:
    """Empty readings (the model read nothing) are no piece of a number: still dissent."""
    lone = vote_number(_readings(("", 0.0), ("", 0.0), ("", 0.0), ("1", 95.0), ("", 0.0)))
    assert lone.confidence == pytest.approx(95.0 / 5)


def test_the_whole_cell_path_takes_the_agreeing_models_confidence() -> None:
    """Number first, text reading, escalation and the vote, with the dev cell's readings."""
    table = render_table([["115"]], 200, noise=MILD)
    script = [("115", 53.0), ("15", 0.0), ("I15", 83.0), ("115", 91.0), ("", 0.0), ("115", 92.0)]
    engine = ScriptedEngine(script)
    (cell,) = read_table(
        table.page, table.grid, table.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    ).cells
    assert engine.modes == ["number", "num_viet", "text", "num_noblur", "num_psm8", "num_x2"]
    assert cell.kind is CellKind.NUMBER and cell.text == "115"
    assert cell.confidence == pytest.approx((53 + 91 + 92) / 3)  # before: 59
