"""Blame the print only when the reading is sure; flag what is missing or cannot be trusted."""

from __future__ import annotations

from dataclasses import replace

from test_validate_rules import mini_5b
from validate_builders import Spec, agreeing, build_table, form_5b, row, value_at, vn_count

from extract.config import load_forms
from extract.model import RowKind, ValueStatus
from extract.validate import ValidateSettings, validate_table
from extract.validate.statuses import INCOMPLETE, MISSING_VALUE, PRINTED

S = ValidateSettings()
COL = "da_giai_quyet_dung_han"


def _misprinted_ii() -> tuple:
    """The mini 5B with row II printing one more than its communes give in (7) (and so in (6),
    (3) and (5), and in the total row, so that only "II = sum of communes" fails), every cell
    read confidently by two agreeing variants: a printed error, as the seed's 5B total row."""
    spec, truth = mini_5b()
    for r in (1, 4):  # II and the total row
        for col in (COL, "da_giai_quyet_tong", "tiep_nhan_tong", "tiep_nhan_moi"):
            spec.cells[(r, col)] = agreeing(vn_count(truth[(r, col)] + 1))
    return spec, truth[(1, COL)] + 1


def test_a_confident_failing_sum_over_complete_rows_blames_the_print() -> None:
    spec, printed = _misprinted_ii()
    table = build_table(form_5b(), spec)
    validate_table(table, form_5b(), S)
    v = value_at(table, 1, COL)
    assert v.status == ValueStatus.FLAGGED and v.flag_reason.startswith(PRINTED)
    assert v.number == printed  # flagged, never rewritten
    assert any(i.startswith(PRINTED) for i in table.issues)


def test_the_same_sum_over_rows_not_all_read_is_a_reading_problem() -> None:
    spec, printed = _misprinted_ii()
    table = build_table(form_5b(), spec)
    table.incomplete = {"II": "STT 3 not found"}
    validate_table(table, form_5b(), S)
    v = value_at(table, 1, COL)
    assert v.status == ValueStatus.FLAGGED
    assert v.flag_reason.startswith(f"{INCOMPLETE} (STT 3 not found)")
    assert v.number == printed
    assert not any(PRINTED in i for i in table.issues)
    assert any(i.startswith(INCOMPLETE) and "STT 3 not found" in i for i in table.issues)
    # the columns whose sums hold are verified as before
    assert value_at(table, 2, "dang_giai_quyet_tong").status == ValueStatus.VERIFIED


def test_a_lost_reading_in_a_column_every_other_row_fills_is_flagged() -> None:
    form = next(f for f in load_forms() if f.code == "7B")
    rows, cells = [], {}
    for i in range(6):  # six rows, "Có KH chuyển đổi" printed in each: no rule covers that column
        rows.append(row(RowKind.ITEM, str(i + 1), str(i + 1), f"Đơn vị {i}"))
        cells[(i, "chuyen_doi_ke_hoach")] = agreeing(str(1 + i))
        cells[(i, "tuyen_dung_ke_hoach")] = agreeing("1" if i == 0 else "")
    cells[(3, "chuyen_doi_ke_hoach")] = agreeing("")
    table = build_table(form, Spec(rows=rows, cells=cells))
    validate_table(table, form, S)
    lost = value_at(table, 3, "chuyen_doi_ke_hoach")
    assert (lost.status, lost.flag_reason) == (ValueStatus.FLAGGED, MISSING_VALUE)
    assert value_at(table, 2, "chuyen_doi_ke_hoach").status == ValueStatus.READ
    # a column blank in most rows keeps its blanks unflagged
    assert value_at(table, 3, "tuyen_dung_ke_hoach").status == ValueStatus.READ
    # a blank that a rule needs is flagged by that rule (the rule's own reason)
    spec, _ = mini_5b()
    spec.cells[(2, "tiep_nhan_ky_truoc")] = agreeing("")
    spec.cells[(2, "tiep_nhan_tong")] = agreeing("999")
    five = build_table(form_5b(), spec)
    validate_table(five, form_5b(), S)
    assert value_at(five, 2, "tiep_nhan_ky_truoc").status == ValueStatus.FLAGGED


def test_values_of_a_row_that_is_not_trusted_are_flagged() -> None:
    spec, _truth = mini_5b()
    problem = "labelled like a commune but matches no commune of Huyện Kế Sách"
    spec.rows[3] = replace(spec.rows[3], kind=RowKind.ITEM, problem=problem)
    table = build_table(form_5b(), spec)
    validate_table(table, form_5b(), S)
    row_values = [v for v in table.values if v.row_index == 3]
    assert row_values and all(v.status == ValueStatus.FLAGGED for v in row_values)
    assert all(problem in v.flag_reason for v in row_values)
    # the other rows keep their statuses
    assert value_at(table, 2, "tiep_nhan_tong").status == ValueStatus.VERIFIED
