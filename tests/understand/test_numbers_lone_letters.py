"""A lone "l", "I" or "H" in a number column is the guessed 1 or 11 (issue 9, cells15).

Where tesseract's number models read nothing for a worn lone "1" (its flag and foot serif gone),
the text model's "l" or "I" was the cell's reading, and two 1s whose serifs touch read "H": in the
count columns of the dev hard scans such cells held 1 (8 of 9 "l") and 11 (11 of 12 "H") and stood
as unparseable text -- the number lost though it was there to read.  They are now that number
resting on a guessed digit: at most ``ocr.guessed_digit_confidence`` sure, flagged unless a rule
of the form bears it out.  A lone "|" is not guessed: on the same scans it was a rule's remnant in
an empty cell 34 times of 45.
"""

from __future__ import annotations

import pytest

from extract.understand.numbers import is_guess, parse_value, value_confidence


@pytest.mark.parametrize(
    ("text", "number"),
    [("l", 1.0), ("I", 1.0), ("H", 11.0), ("-l", -1.0), (" l ", 1.0), ("-I", -1.0)],
)
@pytest.mark.parametrize("column_type", ["count", "signed", "mixed"])
def test_a_lone_lookalike_is_the_guessed_number(text: str, number: float, column_type: str) -> None:
    parsed = parse_value(text, column_type)
    if column_type == "count":  # a count is never negative: its "minus" is a speck, dropped
        number = abs(number)
    assert parsed.kind == "number" and parsed.number == number
    assert is_guess(parsed)
    assert value_confidence(parsed, 90.0, 50.0) == 50.0  # flagged unless a rule bears it out


@pytest.mark.parametrize("text", ["|", "L", "h", "Hà", "II", "lI", "x", "Có", "HH"])
@pytest.mark.parametrize("column_type", ["count", "signed"])
def test_other_marks_and_words_are_not_guessed(text: str, column_type: str) -> None:
    parsed = parse_value(text, column_type)
    assert not is_guess(parsed)
    assert parsed.number is None


@pytest.mark.parametrize("column_type", ["text", "index", "label", "note"])
def test_text_columns_keep_the_letters(column_type: str) -> None:
    for text in ("l", "I", "H"):
        parsed = parse_value(text, column_type)
        assert parsed.kind == "text" and parsed.text == text and parsed.number is None


def test_a_remark_keeps_a_lone_letter_as_a_guessed_number() -> None:
    parsed = parse_value("H", "remark")
    assert parsed.number == 11.0 and is_guess(parsed)


def test_numbers_and_the_leading_one_guess_are_unchanged() -> None:
    assert parse_value("11", "count").number == 11.0 and not is_guess(parse_value("11", "count"))
    assert parse_value("L5", "count").number == 15.0 and is_guess(parse_value("L5", "count"))
    assert parse_value("1", "count").number == 1.0


@pytest.mark.parametrize(
    ("text", "column_type", "number"),
    [
        ("+]", "signed", 1.0),
        ("+ ]", "signed", 1.0),
        ("+]", "count", 1.0),
        ("t2", "signed", 2.0),
        ("t12", "signed", 12.0),
    ],
)
def test_a_signs_lookalikes_are_guessed(text: str, column_type: str, number: float) -> None:
    """A worn "+1" read "+]" (6B's change columns on the dev hard and fax scans, 5 of 5) and a
    "+2" read "t2" (5 of 5 on a dev hard 200-dpi 6B page): the guessed number, flagged unless a
    rule bears it out."""
    parsed = parse_value(text, column_type)
    assert parsed.kind == "number" and parsed.number == number and is_guess(parsed)
    assert value_confidence(parsed, 96.0, 50.0) == 50.0


@pytest.mark.parametrize(
    ("text", "column_type"), [("]", "signed"), ("t", "signed"), ("t2", "count"), ("tt2", "signed")]
)
def test_what_is_no_sign_lookalike(text: str, column_type: str) -> None:
    """A "]" with no sign may be a rule's remnant; a "t" before digits is a plus only where a sign
    may be printed."""
    assert parse_value(text, column_type).number is None
