"""The text model reading the vote's number confirms it (extract.ocr.reader._confirmed_piece).

On the fresh dev hard 200-dpi scans a printed "24" was read "24" at 96 by four number models and
"4" at 63 by the Vietnamese number model, and "24" at 96 by the text model: the vote came out at
77 and the value was flagged "low confidence".  A number reading that only lost the majority's
leading digits or grouping abstains when the text model -- another recogniser, on the grey crop
-- reads the majority's number; on six fresh dev hard documents the cells whose confidence this
raised held the printed number 30 times of 30 (18 of them now at 80 or more)."""

from __future__ import annotations

import pytest
from ocr_synth import MILD, render_table
from test_reader import ScriptedEngine

from extract.config import load_config
from extract.model import Candidate, CellKind
from extract.ocr.engine import OcrSettings
from extract.ocr.reader import read_table, vote_number

MIN_CONFIDENCE = 80.0  # validate.min_confidence
CONFIRMS_MIN = 50.0  # ocr.text_confirms_min


def _readings(*read: tuple[str, float]) -> list[Candidate]:
    return [Candidate(t, c, f"v{i}") for i, (t, c) in enumerate(read)]


def _text(text: str, confidence: float = 96.0) -> Candidate:
    return Candidate(text, confidence, "text")


@pytest.mark.parametrize(
    ("readings", "text", "agreeing"),
    [
        ([("24", 96.0), ("4", 63.0), ("24", 96.0), ("24", 96.0), ("24", 96.0)], "24", 4),
        ([("34", 96.0), ("4", 97.0), ("34", 95.0), ("34", 96.0), ("34", 95.0)], "34", 4),
        ([("16", 95.0), ("6", 31.0), ("16", 88.0), ("16", 95.0), ("16", 81.0)], "16", 4),
        ([("3.745", 94.0), ("3745", 64.0), ("3.745", 96.0), ("3.745", 94.0)], "3.745", 3),
        ([("17.423", 74.0), ("17.423", 95.0), ("17.423", 92.0), ("7.423", 74.0)], "17.423", 3),
    ],
)
def test_a_piece_of_the_number_abstains_when_the_text_model_reads_it(readings, text, agreeing) -> None:  # type: ignore[no-untyped-def]
    cands = _readings(*readings)
    before = vote_number(cands)
    after = vote_number(cands, _text(text), CONFIRMS_MIN)
    assert after.text == before.text == text
    majority = [c.confidence for c in cands if c.text == text]
    assert len(majority) == agreeing
    assert after.confidence == pytest.approx(sum(majority) / agreeing)
    assert before.confidence < MIN_CONFIDENCE <= after.confidence


@pytest.mark.parametrize(
    ("other", "text", "why"),
    [
        (("38", 78.0), "39", "another digit"),
        (("2", 54.0), "27", "the last digit lost: the digit the others may have misread"),
        (("-27", 80.0), "27", "a sign is no digit"),
        (("4", 63.0), "23", "the text model reads another number"),
        (("4", 63.0), "24", "unsure text reading (40)"),
        (("4", 63.0), "2 4", "a text reading with a space is no plain number"),
        (("4", 63.0), "vá)", "no number"),
    ],
)
def test_what_still_dissents(other: tuple[str, float], text: str, why: str) -> None:
    majority = "27" if text in ("27",) else "39" if text == "39" else "24"
    cands = _readings((majority, 90.0), other, (majority, 90.0))
    confidence = 40.0 if "unsure" in why else 96.0
    vote = vote_number(cands, _text(text, confidence), CONFIRMS_MIN)
    assert vote.text == majority
    assert vote.confidence == pytest.approx(90.0 * 2 / 3), why


def test_a_majority_with_a_space_is_left_as_it_was() -> None:
    """Printed 21677, read "21 67" by four models: a digit is lost, the text "21.67" no help."""
    cands = _readings(("21 67", 82.0), ("21 67", 82.0), ("21. 67", 96.0), ("21 67", 82.0))
    assert vote_number(cands, _text("21 67"), CONFIRMS_MIN) == vote_number(cands)


def scripted_cell(script: list[tuple[str, float]], settings: OcrSettings, row: tuple[str, ...] = ("24",)):  # type: ignore[no-untyped-def]
    """The last cell of a drawn one-row table printed ``row`` (cells before it printed empty: never
    read), read by an engine that answers ``script`` (primary, first variant, text model, the
    other variants)."""
    t = render_table([list(row)], 200, noise=MILD)
    cells = read_table(
        t.page, t.grid, t.line_mask, ScriptedEngine(script), settings, page_index=0, table_index=0
    ).cells
    return cells[-1]


def test_the_whole_cell_path_and_the_setting() -> None:
    # primary and first variant disagree (no settling), the text model and three more agree
    script = [("24", 90.0), ("4", 63.0), ("24", 96.0), ("24", 96.0), ("24", 96.0), ("24", 96.0)]
    on = scripted_cell(list(script), OcrSettings(text_confirms_vote=True))
    off = scripted_cell(list(script), OcrSettings(text_confirms_vote=False))
    assert on.kind is off.kind is CellKind.NUMBER and on.text == off.text == "24"
    assert off.confidence < MIN_CONFIDENCE <= on.confidence


def test_the_confirming_reading_must_be_as_sure_as_the_setting() -> None:
    """``ocr.text_confirms_min``: a text reading at 60 confirms the vote at 50 and 60, not at 61;
    a confirming reading without the threshold is refused; the repository's setting is 50."""
    cands = _readings(("24", 96.0), ("4", 63.0), ("24", 96.0), ("24", 96.0), ("24", 96.0))
    text = _text("24", 60.0)
    assert vote_number(cands, text, 50.0).confidence == pytest.approx(96.0)
    assert vote_number(cands, text, 60.0).confidence == pytest.approx(96.0)
    assert vote_number(cands, text, 61.0) == vote_number(cands)
    with pytest.raises(ValueError, match="confirms_min"):
        vote_number(cands, text)
    assert load_config().ocr.text_confirms_min == CONFIRMS_MIN


def test_the_cell_path_obeys_the_setting() -> None:
    # the text model (third reading) reads "24" at 70: confirms at 50 and 70, not at 71
    script = [("24", 90.0), ("4", 63.0), ("24", 70.0), ("24", 96.0), ("24", 96.0), ("24", 96.0)]
    low = scripted_cell(list(script), OcrSettings(text_confirms_vote=True, text_confirms_min=70.0))
    high = scripted_cell(list(script), OcrSettings(text_confirms_vote=True, text_confirms_min=71.0))
    assert low.text == high.text == "24"
    assert high.confidence < MIN_CONFIDENCE <= low.confidence
