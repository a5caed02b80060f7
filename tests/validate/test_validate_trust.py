"""Blame the print only when the reading is sure; flag what is missing or cannot be trusted."""

from __future__ import annotations

from dataclasses import replace

from test_validate_rules import mini_5b
from validate_builders import Cell, Spec, agreeing, build_table, form_5b, form_77z, row, value_at, vn_count

from extract.config import load_forms
from extract.model import Candidate, RowKind, ValueStatus
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
    table = validate_table(table, form_5b(), S).table
    v = value_at(table, 1, COL)
    assert v.status == ValueStatus.FLAGGED and v.flag_reason.startswith(PRINTED)
    assert v.number == printed  # flagged, never rewritten
    assert any(i.startswith(PRINTED) for i in table.issues)


def test_the_same_sum_over_rows_not_all_read_is_a_reading_problem() -> None:
    spec, printed = _misprinted_ii()
    table = build_table(form_5b(), spec)
    table = replace(table, incomplete={"II": "STT 3 not found"})
    table = validate_table(table, form_5b(), S).table
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
    table = validate_table(table, form, S).table
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
    five = validate_table(five, form_5b(), S).table
    assert value_at(five, 2, "tiep_nhan_ky_truoc").status == ValueStatus.FLAGGED


def test_values_of_a_row_that_is_not_trusted_are_flagged() -> None:
    spec, _truth = mini_5b()
    problem = "labelled like a commune but matches no commune of Huyện Kế Sách"
    spec.rows[3] = replace(spec.rows[3], kind=RowKind.ITEM, problem=problem)
    table = build_table(form_5b(), spec)
    table = validate_table(table, form_5b(), S).table
    row_values = [v for v in table.values if v.row_index == 3]
    assert row_values and all(v.status == ValueStatus.FLAGGED for v in row_values)
    assert all(problem in v.flag_reason for v in row_values)
    # the other rows keep their statuses
    assert value_at(table, 2, "tiep_nhan_tong").status == ValueStatus.VERIFIED


def _section_with_a_lost_part(lost: Cell) -> Spec:
    """Form 77Z, section I (30) over items 10, 12, 8 in "Kế hoạch" (a column no row rule covers):
    item 1 not read (``lost``), item 2 misread "17" with a candidate "22" that makes the sum hold
    if the lost item counts as 0 -- the wrong fix seen on the seed's hard scan."""
    rows = [row(RowKind.SECTION, "I", "I", "Khối huyện")]
    rows += [row(RowKind.ITEM, str(k), f"I/{k}", f"Đơn vị {k}") for k in (1, 2, 3)]
    cells = {
        (0, "ke_hoach"): agreeing("30"),
        (1, "ke_hoach"): lost,
        (2, "ke_hoach"): Cell("17", 55.0, (Candidate("17", 55.0, "vie+eng"), Candidate("22", 50.0, "vie"))),
        (3, "ke_hoach"): agreeing("8"),
    }
    return Spec(rows=rows, cells=cells)


def test_a_sum_with_a_part_not_read_corrects_and_verifies_nothing() -> None:
    form = form_77z()
    # ink seen in item 1's cell, nothing read (low confidence): counting it as 0 "fixes" item 2
    table = build_table(form, _section_with_a_lost_part(Cell("", 30.0)))
    table = validate_table(table, form, S).table
    item2 = value_at(table, 2, "ke_hoach")
    assert item2.raw_text == "17" and item2.number == 17  # never rewritten to the candidate
    assert item2.status == ValueStatus.FLAGGED and item2.correction is None
    assert item2.flag_reason.startswith(f"{INCOMPLETE} (row 'Đơn vị 1', column ke_hoach not read)")
    for r in (0, 1, 3):
        assert value_at(table, r, "ke_hoach").status == ValueStatus.FLAGGED
    assert not any(PRINTED in i for i in table.issues)
    # the same sum over a row that is missing: holding, it verifies nothing
    rows = [row(RowKind.SECTION, "I", "I", "Khối huyện")]
    rows += [row(RowKind.ITEM, str(k), f"I/{k}", f"Đơn vị {k}") for k in (1, 3)]
    spec = Spec(
        rows=rows,
        cells={
            (0, "ke_hoach"): agreeing("18"),
            (1, "ke_hoach"): agreeing("10"),
            (2, "ke_hoach"): agreeing("8"),
        },
    )
    table = build_table(form, spec)
    table = replace(table, incomplete={"I": "STT 2 not found"})
    table = validate_table(table, form, S).table
    assert {value_at(table, r, "ke_hoach").status for r in (0, 1, 2)} == {ValueStatus.READ}


def test_a_blank_among_filled_rows_blocks_corrections_but_a_holding_sum_bears_it_out() -> None:
    form = form_77z()
    rows = [row(RowKind.SECTION, "I", "I", "Khối huyện")]
    rows += [row(RowKind.ITEM, str(k), f"I/{k}", f"Đơn vị {k}") for k in range(1, 6)]

    def spec(total: str, item2: Cell) -> Spec:
        cells = {(0, "ke_hoach"): agreeing(total), (2, "ke_hoach"): item2}
        cells.update({(r, "ke_hoach"): agreeing(n) for r, n in ((1, ""), (3, "8"), (4, "5"), (5, "4"))})
        return Spec(rows=rows, cells=cells)

    # blank item 1 read with full confidence (no ink), every other item filled: maybe a lost value
    table = build_table(
        form, spec("39", Cell("17", 55.0, (Candidate("17", 55.0, "vie+eng"), Candidate("22", 50.0, "vie"))))
    )
    table = validate_table(table, form, S).table
    item2 = value_at(table, 2, "ke_hoach")
    assert (item2.raw_text, item2.status) == ("17", ValueStatus.FLAGGED)
    assert "blank where every other row has a value" in item2.flag_reason
    # when the sum holds with the blank as 0, it is borne out: verified
    table = build_table(form, spec("29", agreeing("12")))
    table = validate_table(table, form, S).table
    assert {value_at(table, r, "ke_hoach").status for r in range(6)} == {ValueStatus.VERIFIED}
