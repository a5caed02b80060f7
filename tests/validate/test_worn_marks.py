"""Worn number cells that stood as sure blanks or sure text (dev hard scans, issue 9):

- a count cell whose ink was read as a lone mark ("*" at confidence 72, printed "1") was a
  `blank`, no flag: a printed value lost without a word.  A printed dash stays the report's blank.
- 3B's mixed "Số liệu" cell read "L12" (printed 112: a serif "1" worn to an "L") stood `read` as
  text with no number.  It is now the guessed number, unsure like the same guess in a count column.
"""

from __future__ import annotations

import pytest
from validate_builders import PARSE, Cell, Spec, build_table, row, value_at

from extract.config import load_config, load_forms
from extract.model import RowKind, ValueStatus
from extract.understand.numbers import is_guess, value_confidence
from extract.validate import ValidateSettings, validate_table

S = ValidateSettings()

GUESSED_CONFIDENCE = load_config().ocr.guessed_digit_confidence  # a guessed digit's cap


def _form(code: str):
    return next(f for f in load_forms() if f.code == code)


def _validated(code: str, column: str, texts: list[tuple[str, float]]):
    form = _form(code)
    rows = [row(RowKind.ITEM, str(i + 1), str(i + 1), f"Đơn vị {i}") for i in range(len(texts))]
    col_type = next(c.type for c in form.columns if c.key == column)
    cells = {
        (i, column): Cell(text, value_confidence(PARSE(text, col_type), conf, GUESSED_CONFIDENCE))
        for i, (text, conf) in enumerate(texts)
    }
    table = validate_table(build_table(form, Spec(rows=rows, cells=cells)), form, S).table
    return [value_at(table, i, column) for i in range(len(texts))]


@pytest.mark.parametrize("mark", ["*", "`", "“", "| *"])
def test_a_lone_mark_where_ink_was_is_flagged_not_a_blank(mark: str) -> None:
    lost, dash, empty = _validated("4B", "cong_bo_dung_han", [(mark, 72.0), ("-", 96.0), ("", 100.0)])
    assert lost.status == ValueStatus.FLAGGED, lost
    assert lost.number is None and mark in (lost.flag_reason or "")
    assert dash.status != ValueStatus.FLAGGED and dash.number is None  # the report's own "none"
    assert empty.status != ValueStatus.FLAGGED


def test_a_worn_leading_one_in_a_mixed_column_is_a_guess_kept_unsure() -> None:
    parsed = PARSE("L12", "mixed")
    assert parsed.number == 112 and is_guess(parsed)
    # what a mixed column really holds is unchanged
    assert PARSE("Không", "mixed").boolean is False
    assert PARSE("Kế hoạch số 215/KH-UBND", "mixed").text == "Kế hoạch số 215/KH-UBND"
    assert PARSE("L", "mixed").number is None and PARSE("Lá", "mixed").number is None
    worn, plain = _validated("3B", "so_lieu", [("L12", 86.0), ("112", 95.0)])
    assert worn.number == 112 and worn.confidence == GUESSED_CONFIDENCE
    assert worn.status == ValueStatus.FLAGGED
    assert plain.status == ValueStatus.READ and plain.number == 112
