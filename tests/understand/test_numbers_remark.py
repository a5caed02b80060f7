"""A remark column (9B's "Ghi chú", type ``remark``): a bare number is a number, anything else the
text as printed.  9B prints "14/14", "2/79" (so many of the units) as remarks and, in row 2, the
bare number of units; typed ``mixed`` the remarks came out as ratios (numbers where the printed
report keeps a remark: the only triple loss on clean and mild dev scans), typed ``note`` the bare
number was lost as text (a printed number with no value and no flag)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.config import load_config, load_forms
from extract.understand.numbers import is_guess, parse_value, value_confidence

GUESSED_CONFIDENCE = load_config().ocr.guessed_digit_confidence  # a guessed digit's cap


def test_9b_ghi_chu_is_a_remark_column() -> None:
    form = next(f for f in load_forms() if f.code == "9B")
    assert form.column("ghi_chu").type == "remark"


@pytest.mark.parametrize("text", ["14/14", "2/79", "67 / 70", "Có", "Không", "Kế hoạch số 5/KH-UBND"])
def test_a_remark_is_kept_as_printed_text(text: str) -> None:
    v = parse_value(text, "remark")
    assert (v.kind, v.text, v.number, v.ratio, v.boolean, v.problem) == ("text", text, None, None, None, None)


def test_a_number_with_words_after_it_is_one_remark() -> None:
    v = parse_value("19 (13 phòng chuyên môn)", "remark")
    assert (v.kind, v.number, v.text) == ("text", None, "19 (13 phòng chuyên môn)")


@pytest.mark.parametrize(
    ("text", "number"), [("70", 70), ("118", 118), ("5.697", 5697), ("-3", -3), ("0", 0)]
)
def test_a_bare_number_is_a_number(text: str, number: int) -> None:
    v = parse_value(text, "remark")
    assert (v.kind, v.number, v.problem) == ("number", number, None)


def test_a_percent_is_a_number_with_its_unit() -> None:
    v = parse_value("99,7%", "remark")
    assert (v.kind, v.number, v.unit) == ("percent", 99.7, "%")


def test_doubtful_numbers_stay_doubtful() -> None:
    """A worn bare number is the guessed number at the guessed confidence; "1.5" is ambiguous: both
    flagged downstream, as in a mixed column (never a sure text)."""
    worn = parse_value("L18", "remark")
    assert worn.number == 118 and is_guess(worn)
    assert value_confidence(worn, 93.0, GUESSED_CONFIDENCE) == GUESSED_CONFIDENCE
    odd = parse_value("1.5", "remark")
    assert odd.ambiguous and odd.number is None


@pytest.mark.parametrize("text", ["", "-", "—", "...", "|"])
def test_blanks_and_dashes_are_null(text: str) -> None:
    assert parse_value(text, "remark").kind == "null"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789./,-%() LlCóKhng", max_size=12))
def test_a_remark_is_the_mixed_number_or_the_text(text: str) -> None:
    v = parse_value(text, "remark")
    mixed = parse_value(text, "mixed")
    assert v.kind in {"number", "percent", "text", "null"}
    assert v.ratio is None and v.boolean is None and v.note is None
    if v.kind in ("number", "percent"):
        assert (v.number, v.unit, v.problem) == (mixed.number, mixed.unit, mixed.problem)
    if v.kind == "text":
        assert v.text and v.number is None
