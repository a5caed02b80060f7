"""A serif "1" read as a letter at the start of a number ("L5", "L50"): the number is kept as a
guess, flagged unless a rule of the form bears it out (seen on the population's worn 200-dpi
scans: twelve cells of one 7B page read "L5", "L6", "L50"... at OCR confidence 90-96)."""

from __future__ import annotations

from test_validate_rules import mini_5b
from validate_builders import PARSE, Cell, Spec, build_table, form_5b, row, value_at

from extract.config import load_config, load_forms
from extract.model import RowKind, ValueStatus
from extract.understand.numbers import is_guess, value_confidence
from extract.validate import ValidateSettings, validate_table

S = ValidateSettings()

GUESSED_CONFIDENCE = load_config().ocr.guessed_digit_confidence  # a guessed digit's cap


def guessed(text: str, ocr_confidence: float = 95.0) -> Cell:
    """A cell as the assembler makes it: the confidence of a guessed number is capped."""
    return Cell(text, value_confidence(PARSE(text, "count"), ocr_confidence, GUESSED_CONFIDENCE))


def test_a_leading_letter_is_a_guessed_one_and_stays_unsure() -> None:
    form = next(f for f in load_forms() if f.code == "7B")
    rows = [row(RowKind.ITEM, str(i + 1), str(i + 1), f"Đơn vị {i}") for i in range(3)]
    cells = {(0, "chuyen_doi_ke_hoach"): guessed("L5"), (1, "chuyen_doi_ke_hoach"): guessed("L50")}
    cells[(2, "chuyen_doi_ke_hoach")] = Cell("7", 95.0)
    table = build_table(form, Spec(rows=rows, cells=cells))
    table = validate_table(table, form, S).table
    a, b, c = (value_at(table, i, "chuyen_doi_ke_hoach") for i in range(3))
    assert (a.number, b.number) == (15, 150)  # before: no number at all ("unparseable 'L5'")
    assert a.status == b.status == ValueStatus.FLAGGED
    assert a.confidence == b.confidence == GUESSED_CONFIDENCE
    assert a.raw_text == "L5"
    assert c.status == ValueStatus.READ and c.confidence == 95.0


def test_a_guessed_one_that_a_sum_bears_out_is_verified() -> None:
    spec, truth = mini_5b()
    key = next(k for k, n in truth.items() if 10 <= n <= 19)
    spec.cells[key] = guessed("L" + str(truth[key])[1:])
    table = build_table(form_5b(), spec)
    table = validate_table(table, form_5b(), S).table
    v = value_at(table, *key)
    assert v.number == truth[key]
    assert v.status == ValueStatus.VERIFIED


def test_what_is_guessed_and_what_is_not() -> None:
    assert [PARSE(t, "count").number for t in ("L5", "l6", "I2", "L50", "l2.500")] == [15, 16, 12, 150, 12500]
    assert all(is_guess(PARSE(t, "count")) for t in ("L5", "l6"))
    # not a letter then digits, or a column that is not a count: no guess
    assert [PARSE(t, "count").number for t in ("L", "Lá", "L.250", "lO", "2O", "O")] == [None] * 6
    assert PARSE("L5", "mixed").number == 15 and is_guess(PARSE("L5", "mixed"))  # test_worn_marks.py
    assert PARSE("L5", "text").text == "L5"
    # a repair between digits is not a guess: its confidence is the OCR's
    assert not is_guess(PARSE("1O2", "count"))
    assert value_confidence(PARSE("1O2", "count"), 93.0, GUESSED_CONFIDENCE) == 93.0
    assert value_confidence(PARSE("L5", "count"), 93.0, GUESSED_CONFIDENCE) == GUESSED_CONFIDENCE
    assert value_confidence(PARSE("L5", "count"), 30.0, GUESSED_CONFIDENCE) == 30.0
