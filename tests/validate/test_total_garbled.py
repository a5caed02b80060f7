"""The total row read with its first word and a garble, or with a number misread (trust18).

dev-new17's hard and fax scans: 6B's total "Tổng cộng" read "Tống,đổhg.`'' 2, 46" as the
table's last row (dev_1096_hard_200) -- its label starting like a total's, the table counted as
having its total, and its 12 numbers stood ``read`` on a row no printed row pairs with; 6B's
total read "T at" (dev_1104_fax_150) whose numbers are the sections' sums in every column but one,
where its number (9 for 0) was read at confidence 38 and flagged: one unsure number decided
that the row was no total.
"""

from __future__ import annotations

from dataclasses import replace

from validate_builders import Cell, Spec, build_table, row, sections_7b, value_at

from extract.config import load_forms
from extract.model import RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.declared_rows import note_missing_total

S = ValidateSettings()
F7B = {f.code: f for f in load_forms()}["7B"]
COLUMNS = ("bien_che", "hop_dong", "dat_chuan", "dao_tao")
SECTIONS = {
    0: ("12", "1", "5", "0"),
    1: ("12", "1", "5", "0"),
    2: ("30", "2", "5", "0"),
    3: ("30", "2", "5", "0"),
}


def _last(label: str, numbers: tuple[str, ...], unsure: frozenset[str] = frozenset()) -> TableResult:
    """7B's sections and a last row with no STT, ``label`` and ``numbers`` in :data:`COLUMNS`;
    the last row's values in ``unsure`` read at confidence 38 (flagged)."""
    rows = [*sections_7b(), row(RowKind.SUBITEM, "", "II/1/x", label, key="II/1/x")]
    cells = {(i, c): Cell(n, 95.0) for i, ns in SECTIONS.items() for c, n in zip(COLUMNS, ns, strict=True)}
    cells.update(
        {(4, c): Cell(n, 38.0 if c in unsure else 95.0) for c, n in zip(COLUMNS, numbers, strict=True)}
    )
    table = build_table(F7B, Spec(rows=rows, cells=cells))
    values = tuple(
        replace(v, status=ValueStatus.FLAGGED, flag_reason="low confidence (38 < 80)")
        if v.row_index == 4 and v.column_key in unsure
        else v
        for v in table.values
    )
    return replace(table, values=values)


def _note(table: TableResult) -> TableResult:
    return note_missing_total(
        table, F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max
    )


def test_a_last_row_whose_label_starts_like_a_total_is_the_total_by_its_place() -> None:
    table = _last("Tống,đổhg.`'' 2, 46", ("2", "3", "10", "7"))  # not the sums: a column read shifted
    out = _note(table)
    assert out.rows[-1].kind == RowKind.TOTAL and out.rows[-1].label == "Tổng cộng = (I) + (II)"
    # flagged where the number is not the sections' sum in its column (2 for 12 + 30, 7 for 0)
    assert value_at(out, 4, "bien_che").status == ValueStatus.FLAGGED
    assert "label starting like a total's" in (value_at(out, 4, "bien_che").flag_reason or "")
    assert value_at(out, 4, "dao_tao").status == ValueStatus.FLAGGED
    # the sections' sum (3 = 1 + 2, 10 = 5 + 5): right as the total's, its status kept
    for column in ("hop_dong", "dat_chuan"):
        assert value_at(out, 4, column).status == value_at(table, 4, column).status != ValueStatus.FLAGGED
    # its numbers the sums: named by them, statuses kept
    sums = _last("Tống,đổhg.`'' 2, 46", ("42", "3", "10", "0"))
    named = _note(sums)
    assert named.rows[-1].kind == RowKind.TOTAL
    assert [v.status for v in named.values if v.row_index == 4] == [
        v.status for v in sums.values if v.row_index == 4
    ]


def test_a_total_s_label_on_a_row_that_is_not_the_last_still_names_no_total() -> None:
    table = _last("Tống,đổhg.`'' 2, 46", ("2", "3", "10", "7"))
    table = replace(table, rows=(*table.rows[:4], replace(table.rows[4], label="Xã Bình An")))
    middle = replace(table.rows[3], label="Tổng số (D) + qI)")
    table = replace(table, rows=(*table.rows[:3], middle, table.rows[4]))
    out = _note(table)
    assert all(r.kind != RowKind.TOTAL for r in out.rows)
    assert not any("was not found" in i for i in out.issues)


def test_an_unsure_number_does_not_unmake_the_total_by_its_sums() -> None:
    table = _last("T at", ("42", "3", "10", "9"), unsure=frozenset({"dao_tao"}))
    out = _note(table)
    assert out.rows[-1].kind == RowKind.TOTAL
    assert value_at(out, 4, "dao_tao").status == ValueStatus.FLAGGED  # still flagged
    assert value_at(out, 4, "bien_che").status == value_at(table, 4, "bien_che").status
    # a sure number that is not the sum still unmakes it
    sure = _last("T at", ("42", "3", "10", "9"))
    assert _note(sure).rows[-1].kind != RowKind.TOTAL


def test_unsure_numbers_that_are_the_sections_sums_still_name_the_total() -> None:
    # dev_1649_hard_200's 10B total read "diều sớ) ạ kh 63.663 qĐ tế”", its numbers read unsure
    # but the sections' sums in every column: a misread rarely makes a sum hold
    every = frozenset(COLUMNS)
    table = _last("T at", ("42", "3", "10", "0"), unsure=every)
    out = _note(table)
    assert out.rows[-1].kind == RowKind.TOTAL
    assert all(value_at(out, 4, c).status == ValueStatus.FLAGGED for c in COLUMNS)  # still flagged
    # unsure numbers that are not the sums name nothing
    assert _note(_last("T at", ("41", "4", "11", "9"), unsure=every)).rows[-1].kind != RowKind.TOTAL


def test_a_last_row_starting_with_tong_that_names_a_row_of_its_own_is_no_total() -> None:
    table = _last("Tổng số hồ sơ tiếp nhận trong kỳ", ("2", "3", "10", "7"))
    assert _note(table) is table  # as before: a row read with a total's first word, no issue


def test_a_value_a_rule_checked_keeps_its_status_on_a_total_named_by_its_first_word() -> None:
    """dev_1969_hard_300's 10B: "Tổng @)+qI)" as the last row, its numbers verified by the
    row's own rule: named the total, they stay verified (only the unchecked ones are flagged)."""
    table = _last("Tổng @)+qI)", ("2", "3", "10", "7"))
    checked = replace(
        table,
        values=tuple(
            replace(v, status=ValueStatus.VERIFIED) if v.row_index == 4 and v.column_key == "bien_che" else v
            for v in table.values
        ),
    )
    out = _note(checked)
    assert out.rows[-1].kind == RowKind.TOTAL
    assert value_at(out, 4, "bien_che").status == ValueStatus.VERIFIED  # 2 is not 12 + 30: checked
    assert value_at(out, 4, "dao_tao").status == ValueStatus.FLAGGED  # 7, not 0: unchecked


def test_a_section_printed_blank_counts_0_in_the_total_s_sum() -> None:
    """dev_1969_hard_300's 10B: section I printed no number in the service columns; the total's
    numbers there are section II's."""
    table = _last("Tổng @)+qI)", ("2", "3", "10", "7"))
    blank_i = replace(
        table,
        values=tuple(
            replace(v, number=None, value_kind="null", raw_text="")
            if v.row_index == 0 and v.column_key == "dao_tao"
            else v
            for v in table.values
        ),
    )
    seven = {(2, "dao_tao"): "7"}
    values = tuple(
        replace(v, number=float(seven[(v.row_index, v.column_key)]), value_kind="number")
        if (v.row_index, v.column_key) in seven
        else v
        for v in blank_i.values
    )
    out = _note(replace(blank_i, values=values))
    assert value_at(out, 4, "dao_tao").status != ValueStatus.FLAGGED  # 7 = blank + 7


def test_the_words_a_garbled_total_label_may_hold_are_a_setting() -> None:
    table = _last("Tống,đổhg.`'' 2, 46", ("2", "3", "10", "7"))  # two words of letters
    assert S.total_label_words_max >= 2 and _note(table).rows[-1].kind == RowKind.TOTAL
    strict = note_missing_total(table, F7B, S.label_legible_min_share, S.total_sums_min, 1)
    assert strict.rows[-1].kind != RowKind.TOTAL


def test_a_sum_over_rows_judged_before_the_total_was_named_keeps_nothing_sure() -> None:
    """dev_3648_mild_300's 7B: the total read "Tổng số = (I) +qI" as the last row was judged by
    "I, II = sum of their units" while it stood as a unit among the communes: its printed 45
    "corrected" to 4 (a candidate equal to the commune above).  Named the total by its label, a
    status that only a sum over rows gave is no longer sure; one its own row's rule gave is."""
    table = _last("Tổng số = (I) +qI", ("2", "3", "10", "7"))
    rules = {
        "bien_che": (ValueStatus.CORRECTED, "I, II = sum of their units"),
        "hop_dong": (ValueStatus.VERIFIED, "I, II = sum of their units"),
        "dao_tao": (ValueStatus.VERIFIED, "a row's own rule; I, II = sum of their units"),
    }
    judged = replace(
        table,
        values=tuple(
            replace(v, status=rules[v.column_key][0], rule=rules[v.column_key][1])
            if v.row_index == 4 and v.column_key in rules
            else v
            for v in table.values
        ),
    )
    out = _note(judged)
    assert out.rows[-1].kind == RowKind.TOTAL
    assert value_at(out, 4, "bien_che").status == ValueStatus.FLAGGED  # 2 is not 12 + 30
    assert "label starting like a total's" in (value_at(out, 4, "bien_che").flag_reason or "")
    assert value_at(out, 4, "hop_dong").status == ValueStatus.VERIFIED  # 3 = 1 + 2: the sections' sum
    assert value_at(out, 4, "dao_tao").status == ValueStatus.VERIFIED  # its own row's rule held
