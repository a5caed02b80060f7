"""Cell text -> ParsedValue under Vietnamese number conventions (extract.understand.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.understand.numbers import is_guess, parse_value, value_confidence

COLUMN_TYPES = [
    "index",
    "label",
    "count",
    "signed",
    "decimal",
    "percent",
    "ratio",
    "bool",
    "text",
    "note",
    "mixed",
]


def vn_group(n: int) -> str:
    """Format a non-negative integer with "." between groups of three digits: 97851 -> "97.851"."""
    s = str(n)
    groups = []
    while s:
        groups.insert(0, s[-3:])
        s = s[:-3]
    return ".".join(groups)


# -------------------------------------------------------------------------------------------
# the conventions, one example each (values from the sample report)


@pytest.mark.parametrize(
    ("text", "number"),
    [("5.697", 5697), ("1.582", 1582), ("97.851", 97851), ("323", 323), ("0", 0), ("1.234.567", 1234567)],
)
def test_dot_groups_thousands(text: str, number: int) -> None:
    v = parse_value(text, "count")
    assert (v.kind, v.number, v.ambiguous, v.problem) == ("number", number, False, None)
    assert v.raw == text


def test_comma_is_the_decimal_mark() -> None:
    v = parse_value("99,7%", "percent")
    assert (v.kind, v.number, v.unit) == ("percent", 99.7, "%")
    assert parse_value("2,5", "decimal").number == 2.5
    assert parse_value("1.234,5", "decimal").number == 1234.5
    # a percent column also takes the number without its sign
    assert (parse_value("99,4", "percent").number, parse_value("99,4", "percent").unit) == (99.4, "%")


@pytest.mark.parametrize(("text", "number"), [("-1", -1), ("+1", 1), ("-21", -21), ("−5", -5), ("+2", 2)])
def test_signed(text: str, number: int) -> None:
    v = parse_value(text, "signed")
    assert (v.kind, v.number, v.problem) == ("number", number, None)


def test_sign_in_a_count_column_is_dropped_as_a_guess() -> None:
    """A count is never negative: the dev hard and fax scans' "-63", "-4.364", "-17.423" in count
    columns were specks before printed 63, 4364, 17423.  The number is kept without the sign, as a
    guess (capped at the guessed digit's confidence: flagged unless a rule bears it out)."""
    for text, number in (("-1", 1), ("-63", 63), ("-4.364", 4364), ("+2", 2)):
        v = parse_value(text, "count")
        assert (v.kind, v.number) == ("number", number) and is_guess(v), text
        assert value_confidence(v, 96.0, 50.0) == 50.0
    assert parse_value("-63", "signed").number == -63 and not is_guess(parse_value("-63", "signed"))


@pytest.mark.parametrize("text", ["/", "-", "–", "—", "", "   ", "|"])
@pytest.mark.parametrize("column_type", ["count", "signed", "decimal", "percent", "ratio", "bool", "mixed"])
def test_blanks_and_dashes_are_null(text: str, column_type: str) -> None:
    v = parse_value(text, column_type)
    assert (v.kind, v.number, v.boolean, v.text) == ("null", None, None, None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Có", True),
        ("Không", False),
        ("Co", True),
        ("Khong", False),
        ("C6", True),
        ("CÓ", True),
        ("có.", True),
    ],
)
def test_bool_and_its_ocr_forms(text: str, value: bool) -> None:
    for column_type in ("bool", "mixed"):
        v = parse_value(text, column_type)
        assert (v.kind, v.boolean, v.problem) == ("bool", value, None)


def test_bool_with_a_note() -> None:
    v = parse_value("Có (Quyết định số 1297/QĐ-UBND)", "mixed")
    assert (v.kind, v.boolean, v.note) == ("bool", True, "Quyết định số 1297/QĐ-UBND")


def test_ratio() -> None:
    v = parse_value("32/32", "ratio")
    assert (v.kind, v.ratio, v.number) == ("ratio", (32, 32), None)
    assert parse_value("21/61", "mixed").ratio == (21, 61)
    assert parse_value("1.582/5.697", "mixed").ratio == (1582, 5697)
    # a date is not a ratio
    assert parse_value("12/4/2017", "mixed").kind == "text"


def test_number_followed_by_text_keeps_the_text_as_a_note() -> None:
    v = parse_value("19 (13 phòng chuyên môn, 06 đơn vị sự nghiệp)", "count")
    assert (v.kind, v.number, v.note, v.problem) == (
        "number",
        19,
        "13 phòng chuyên môn, 06 đơn vị sự nghiệp",
        None,
    )
    v = parse_value("5.374 hồ sơ", "count")
    assert (v.number, v.note) == (5374, "hồ sơ")


@pytest.mark.parametrize("text", ["5.69?", "5.6a7", "12 34", "abc", "(3)=(4)+(5)", "Số 785/QĐ-UBND"])
def test_garbage_has_a_problem_and_no_number(text: str) -> None:
    v = parse_value(text, "count")
    assert v.number is None and v.problem
    assert v.raw == text


@pytest.mark.parametrize("text", ["1.5", "1,5", "1.50", "1,50", "1.5000", "12.34.5", "2,5000"])
def test_ambiguous_counts_are_flagged_never_guessed(text: str) -> None:
    v = parse_value(text, "count")
    assert v.ambiguous is True
    assert v.number is None


@pytest.mark.parametrize(
    ("text", "column_type", "number"),
    [
        # dev fax and hard scans: the thousands dot read as a comma (printed 1.182, 17.350, 6.521)
        ("1,182", "count", 1182),
        ("17,350", "count", 17350),
        ("6,521", "signed", 6521),
        ("1,234,567", "count", 1234567),
        # a speck after the digits read as a separator (printed 104, 130, 12)
        ("104,", "mixed", 104),
        ("130,", "count", 130),
        ("12,", "count", 12),
        ("-3,", "signed", -3),
        ("30-", "count", 30),  # a dash after the digits (dev fax 150-dpi "30-", "53-", "0-")
        ("1.524 -", "count", 1524),
    ],
)
def test_misread_separators_give_a_guess_never_a_sure_number(
    text: str, column_type: str, number: int
) -> None:
    v = parse_value(text, column_type)
    assert (v.kind, v.number, v.ambiguous) == ("number", number, False)
    assert is_guess(v), v.problem  # unsure: flagged unless a rule of the form bears it out
    assert value_confidence(v, 96.0, 50.0) == 50.0


@pytest.mark.parametrize(
    ("text", "column_type"),
    # a decimal, percent or mixed column may print "2,500" as 2.5; "1,5" groups no thousands;
    # "1.23," is no number with a speck after it
    [("2,500", "mixed"), ("1,5", "count"), ("1,50", "signed"), ("1.23,", "count"), ("12,", "decimal")],
)
def test_separators_that_may_be_decimals_are_not_guessed(text: str, column_type: str) -> None:
    v = parse_value(text, column_type)
    assert v.number is None and not is_guess(v)
    assert parse_value("2,500", "decimal").number == 2.5


def test_dot_with_one_reading_in_a_decimal_column() -> None:
    # "1.5" cannot group thousands; in a decimal column the only reading is 1.5 (noted)
    v = parse_value("1.5", "decimal")
    assert v.number == 1.5 and not v.ambiguous and v.problem
    # three digits after the dot always group thousands
    assert parse_value("1.500", "decimal").number == 1500


@pytest.mark.parametrize(("text", "number"), [("1O2", 102), ("1l2", 112), ("2.O97", 2097), ("5I3", 513)])
def test_ocr_letters_between_digits_are_repaired_and_recorded(text: str, number: int) -> None:
    v = parse_value(text, "count")
    assert v.number == number
    assert v.problem is not None and "OCR repair" in v.problem
    assert v.raw == text


@pytest.mark.parametrize("text", ["O", "l2", "2O", "lO"])
def test_letters_at_the_edges_are_not_repaired(text: str) -> None:
    v = parse_value(text, "count")
    # "l2" may be 12 or a rule remnant beside a 2: a guess, never a repair (test_guessed_digits.py)
    assert v.number is None or (text == "l2" and (v.problem or "").startswith("OCR guess"))


@pytest.mark.parametrize("column_type", ["index", "label", "text", "note"])
def test_text_columns_keep_text(column_type: str) -> None:
    v = parse_value("  Lê  Vũ Đức ", column_type)
    assert (v.kind, v.text, v.number) == ("text", "Lê Vũ Đức", None)
    assert parse_value("-", column_type).text == "-"  # a bullet in an index column
    assert parse_value("32/32", column_type).kind == "text"
    assert parse_value("", column_type).kind == "null"


def test_mixed_column_takes_whatever_the_cell_holds() -> None:
    assert parse_value("380", "mixed").number == 380
    assert parse_value("Có", "mixed").boolean is True
    assert parse_value("100%", "mixed").kind == "percent"
    v = parse_value("Kế hoạch số 19/KH-UBND", "mixed")
    assert (v.kind, v.text, v.problem) == ("text", "Kế hoạch số 19/KH-UBND", None)


# -------------------------------------------------------------------------------------------
# properties


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_round_trip(n: int) -> None:
    for column_type in ("count", "signed", "mixed", "decimal"):
        v = parse_value(vn_group(n), column_type)
        assert v.number == n and not v.ambiguous and v.kind == "number"


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_signed_integers_round_trip(n: int) -> None:
    text = ("-" if n < 0 else "+") + vn_group(abs(n))
    v = parse_value(text, "signed")
    assert v.number == n


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=99), st.booleans())
def test_percent_round_trip(whole: int, hundredths: int, with_sign: bool) -> None:
    text = f"{whole},{hundredths:02d}" + ("%" if with_sign else "")
    v = parse_value(text, "percent")
    assert v.kind == "percent" and v.unit == "%"
    assert v.number == pytest.approx(whole + hundredths / 100)


@given(st.integers(min_value=1, max_value=999), st.text(alphabet="0123456789", min_size=1, max_size=5))
def test_dots_not_grouping_three_digits_are_ambiguous_in_counts(head: int, tail: str) -> None:
    text = f"{head}.{tail}"
    v = parse_value(text, "count")
    if len(tail) == 3:
        assert v.number == int(f"{head}{tail}")
    else:
        assert v.ambiguous and v.number is None


@given(st.integers(min_value=0, max_value=10**9), st.data())
def test_a_zero_read_as_letter_o_inside_a_number_is_repaired(n: int, data: st.DataObject) -> None:
    text = vn_group(n)
    inner = [i for i in range(1, len(text) - 1) if text[i] == "0"]
    if not inner:
        return
    i = data.draw(st.sampled_from(inner))
    v = parse_value(text[:i] + "O" + text[i + 1 :], "count")
    assert v.number == n and v.problem is not None


@settings(max_examples=300)
@given(st.text(max_size=40), st.sampled_from(COLUMN_TYPES))
def test_never_raises_on_arbitrary_text(text: str, column_type: str) -> None:
    v = parse_value(text, column_type)
    assert v.raw == text
    assert v.kind in {"number", "percent", "ratio", "bool", "text", "null"}
    # exactly one value field at most
    assert sum(x is not None for x in (v.number, v.boolean, v.text, v.ratio)) <= 1
    if v.ambiguous:
        assert v.number is None


@settings(max_examples=300)
@given(st.text(alphabet="0123456789.,%/-+ OlIoCóKhông()", max_size=16), st.sampled_from(COLUMN_TYPES))
def test_never_raises_on_number_like_text(text: str, column_type: str) -> None:
    v = parse_value(text, column_type)
    assert v.raw == text
    if v.number is not None:
        assert v.kind in ("number", "percent")
