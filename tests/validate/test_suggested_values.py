"""A cell not read clearly gets the number the form's sums fix from cells read for sure, as a
suggestion: flagged, its reading kept, the rule named (``extract/validate/suggest.py``)."""

from __future__ import annotations

import dataclasses

from validate_builders import Cell, Spec, build_table, row, value_at

from extract.config import load_forms
from extract.model import Candidate, RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings, validate_table
from extract.validate.flagging import unread_value

S = ValidateSettings()
FORM = next(f for f in load_forms() if f.code == "4B")
TOTAL, ON_TIME, LATE = "cong_bo_tong", "cong_bo_dung_han", "cong_bo_muon"
RULE = "công bố = đúng hạn + muộn"
GARBLED = Cell("@ ^ Gà", 31.0)


def _one_row(total: Cell, on_time: Cell, late: Cell) -> TableResult:
    rows = [row(RowKind.ITEM, "1", "1", "Lĩnh vực Dân số kế hoạch hóa gia đình")]
    return build_table(
        FORM, Spec(rows=rows, cells={(0, TOTAL): total, (0, ON_TIME): on_time, (0, LATE): late})
    )


def _section(parent_on_time: str) -> TableResult:
    """Section I over two fields, printed 12 = 9 + 3 over 7 = 4 + 3 and 5 = 5 + 0; I's total and
    "muộn" and the first field's "đúng hạn" garbled: that cell's row and the section's column
    both determine it."""
    rows = [
        row(RowKind.SECTION, "I", "I", "Cấp huyện"),
        row(RowKind.ITEM, "1", "I/1", "Lĩnh vực Đất đai"),
        row(RowKind.ITEM, "2", "I/2", "Lĩnh vực Xây dựng"),
    ]
    cells = {
        (0, TOTAL): GARBLED,
        (0, ON_TIME): Cell(parent_on_time),
        (0, LATE): GARBLED,
        (1, TOTAL): Cell("7"),
        (1, ON_TIME): GARBLED,
        (1, LATE): Cell("3"),
        (2, TOTAL): Cell("5"),
        (2, ON_TIME): Cell("5"),
    }
    return build_table(FORM, Spec(rows=rows, cells=cells))


def _validated(table: TableResult) -> TableResult:
    return validate_table(table, FORM, S).table


def test_a_row_sum_with_one_garbled_part_suggests_it_flagged() -> None:
    table = _validated(_one_row(Cell("7", 95.0), GARBLED, Cell("3", 95.0)))
    v = value_at(table, 0, ON_TIME)
    assert v.suggestion == 4.0
    assert v.status == ValueStatus.FLAGGED
    assert v.number is None and v.raw_text == "@ ^ Gà"  # the reading is kept as read
    assert v.rule == RULE
    assert v.flag_reason is not None
    assert f"; not read clearly: '@ ^ Gà'; the form's rule {RULE!r} gives 4" in v.flag_reason
    assert "a suggestion, not a reading" in v.flag_reason


def test_a_suggestion_verifies_and_corrects_nothing() -> None:
    table = _validated(_one_row(Cell("7", 95.0), GARBLED, Cell("3", 95.0)))
    assert value_at(table, 0, TOTAL).status == ValueStatus.READ
    assert value_at(table, 0, LATE).status == ValueStatus.READ
    assert all(v.correction is None for v in table.values)
    # validated again (after a review): the suggestion is no reading, the sum is still not judged
    again = _validated(table)
    assert value_at(again, 0, TOTAL).status == ValueStatus.READ
    assert value_at(again, 0, ON_TIME).suggestion == 4.0
    assert value_at(again, 0, ON_TIME).flag_reason == value_at(table, 0, ON_TIME).flag_reason


def test_the_total_not_read_gets_the_sum_of_its_parts() -> None:
    table = _validated(_one_row(Cell("", 12.0), Cell("4", 95.0), Cell("3", 95.0)))  # ink, nothing read
    v = value_at(table, 0, TOTAL)
    assert v.suggestion == 7.0 and v.status == ValueStatus.FLAGGED


def test_a_low_confidence_number_gets_what_the_sum_gives() -> None:
    table = _validated(_one_row(Cell("7", 95.0), Cell("9", 40.0), Cell("3", 95.0)))
    v = value_at(table, 0, ON_TIME)
    assert v.number == 9.0 and v.suggestion == 4.0 and v.status == ValueStatus.FLAGGED


def test_a_part_itself_unsure_gives_no_suggestion() -> None:
    table = _validated(_one_row(Cell("7", 95.0), GARBLED, Cell("3", 40.0)))
    assert all(v.suggestion is None for v in table.values)


def test_a_part_whose_readings_disagree_gives_no_suggestion() -> None:
    late = Cell("3", 95.0, (Candidate("3", 95.0, "vie+eng"), Candidate("8", 60.0, "vie")))
    table = _validated(_one_row(Cell("7", 95.0), GARBLED, late))
    assert value_at(table, 0, ON_TIME).suggestion is None


def test_two_rules_that_agree_are_both_named() -> None:
    # the field's row 7 = đúng hạn + 3 and I's "đúng hạn" 9 = đúng hạn + 5 both give 4
    table = _validated(_section("9"))
    v = value_at(table, 1, ON_TIME)
    assert v.suggestion == 4.0 and v.status == ValueStatus.FLAGGED
    assert v.rule is not None and RULE in v.rule and "I, II = sum of fields" in v.rule
    # I's total: the sum of its fields' totals (its own row has two cells not read: no rule there)
    assert value_at(table, 0, TOTAL).suggestion == 12.0
    assert value_at(table, 0, LATE).suggestion == 3.0


def test_two_rules_that_disagree_give_no_suggestion() -> None:
    # the row's sum gives 4, the section's 6: one of them is printed wrong, or read wrong
    v = value_at(_validated(_section("11")), 1, ON_TIME)
    assert v.suggestion is None and v.status == ValueStatus.FLAGGED


def test_rows_not_all_read_give_no_suggestion_from_a_sum_over_them() -> None:
    lost = dataclasses.replace(_section("9"), incomplete={"I": "STT 3 missing"})
    table = _validated(lost)
    assert value_at(table, 0, TOTAL).suggestion is None and value_at(table, 0, LATE).suggestion is None
    # a row's own sum does not depend on the rows read: it alone still gives 4
    v = value_at(table, 1, ON_TIME)
    assert v.suggestion == 4.0 and v.rule == RULE


def test_rows_missing_under_another_section_leave_a_sum_over_children_alone() -> None:
    lost = dataclasses.replace(_section("9"), incomplete={"II/4": "STT 2 missing"})
    assert value_at(_validated(lost), 0, TOTAL).suggestion == 12.0
    beside = dataclasses.replace(_section("9"), incomplete={"II": "STT 2 missing"})  # a sibling section
    assert value_at(_validated(beside), 0, TOTAL).suggestion is None


def test_zero_is_no_suggestion() -> None:
    # the sums give 0: a cell printed empty whose dash was read as debris
    table = _validated(_one_row(Cell("3", 95.0), Cell("|", 60.0), Cell("3", 95.0)))
    assert value_at(table, 0, ON_TIME).suggestion is None


def test_a_value_made_for_a_cell_not_read_takes_no_suggestion_of_its_template() -> None:
    # flag_missing_cells builds a lost cell's value from a neighbour of its row (dev_2280 fax 5B:
    # a lost cell took its neighbour's suggestion 10.102 where the print is empty)
    table = _validated(_one_row(Cell("7", 95.0), GARBLED, Cell("3", 95.0)))
    made = unread_value(value_at(table, 0, ON_TIME), "no cell of its own", column_key=LATE)
    assert made.suggestion is None and made.number is None


def test_a_negative_count_is_no_suggestion() -> None:
    table = _validated(_one_row(Cell("3", 95.0), GARBLED, Cell("5", 95.0)))
    assert value_at(table, 0, ON_TIME).suggestion is None


def test_the_printed_misprint_stays_flagged_without_suggestion() -> None:
    table = _validated(_one_row(Cell("8", 95.0), Cell("4", 95.0), Cell("3", 95.0)))
    for key in (TOTAL, ON_TIME, LATE):
        v = value_at(table, 0, key)
        assert v.status == ValueStatus.FLAGGED and v.suggestion is None
        assert v.flag_reason is not None and v.flag_reason.startswith("printed totals inconsistent")


def test_an_ocr_reading_of_the_suggested_number_is_named() -> None:
    garbled = Cell("@ ^ Gà", 31.0, (Candidate("@ ^ Gà", 31.0, "vie+eng"), Candidate("4", 18.0, "vie")))
    v = value_at(_validated(_one_row(Cell("7", 95.0), garbled, Cell("3", 95.0))), 0, ON_TIME)
    assert v.suggestion == 4.0 and v.status == ValueStatus.FLAGGED
    assert v.flag_reason is not None and "one of its OCR readings, '4', reads 4 too" in v.flag_reason


def test_no_suggestion_when_switched_off() -> None:
    off = S.model_copy(update={"suggest_column_types": ()})
    table = validate_table(_one_row(Cell("7", 95.0), GARBLED, Cell("3", 95.0)), FORM, off).table
    assert all(v.suggestion is None for v in table.values)
