"""A number read with a space after its serif "1" is the joined number, as a guess
(extract.understand.numbers.parse_value).

On the dev hard and fax 5B pages a serif "1" whose right side bearing was read as a space gave
"1 1.704", "1 1.665", "1 1.573", "1 1.522" -- each the joined number printed, all of them lost
(unparseable, flagged).  In a count or signed column such a reading is now the joined number as a
guess: at most ``guessed_digit_confidence`` sure, flagged unless a rule of the form bears it out.
A mixed or remark column keeps its text (3B's "1 37": flagged as digits without a word)."""

from __future__ import annotations

import pytest

from extract.understand.numbers import is_guess, parse_value, value_confidence


@pytest.mark.parametrize(
    ("text", "column_type", "number"),
    [
        ("1 1.704", "count", 11704.0),
        ("1 1.522", "count", 11522.0),
        ("1 14", "signed", 114.0),
        ("1 1.573", "count", 11573.0),
    ],
)
def test_pieces_of_a_number_are_the_guessed_number(text: str, column_type: str, number: float) -> None:
    parsed = parse_value(text, column_type)
    assert (parsed.kind, parsed.number) == ("number", number) and is_guess(parsed)
    assert value_confidence(parsed, 95.0, 50.0) == 50.0


@pytest.mark.parametrize(
    ("text", "column_type"),
    [
        ("1 1.52", "count"),  # the joined text is no well-formed number
        ("2 14", "count"),  # only a serif "1" leaves such a gap
        ("1 14 5", "count"),
        ("1 37", "mixed"),  # text columns keep their text
        ("1 37", "remark"),
    ],
)
def test_what_is_not_joined(text: str, column_type: str) -> None:
    parsed = parse_value(text, column_type)
    assert parsed.number is None and not is_guess(parsed)
