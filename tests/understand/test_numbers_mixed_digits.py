"""A mixed column's text that is digits and no word is a misread number, flagged (issue 9, cells14).

3B's "Số liệu thống kê" holds numbers and text (Có/Không, a plan's number); on a dev hard 200-dpi
page "1 37" (137: a serif "1"'s side bearing read as a space) and "H2" (112) stood `read` as text.
"""

from __future__ import annotations

import pytest

from extract.understand.numbers import parse_value


@pytest.mark.parametrize("text", ["1 37", "H2", "123 ¿", "1L1(", "4g"])
def test_digits_without_a_word_are_a_problem(text: str) -> None:
    parsed = parse_value(text, "mixed")
    assert parsed.number is None and parsed.problem and "no word" in parsed.problem


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("Kế hoạch số 12/KH-UBND", "text", None),
        ("Có", "bool", None),
        ("Không", "bool", None),
        ("x", "text", None),
        ("112", "number", 112.0),
        ("5.697", "number", 5697.0),
        ("2/79", "ratio", None),
        ("-", "null", None),
    ],
)
def test_words_numbers_and_marks_are_as_before(text: str, kind: str, number: float | None) -> None:
    parsed = parse_value(text, "mixed")
    assert (parsed.kind, parsed.number) == (kind, number)
    assert parsed.problem is None


def test_a_remark_keeps_its_text_unflagged() -> None:
    """9B's Ghi chú (type remark) is read as a mixed cell, but its text is the remark as printed."""
    parsed = parse_value("1 37", "remark")
    assert (parsed.kind, parsed.text, parsed.problem) == ("text", "1 37", None)
