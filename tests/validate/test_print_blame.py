"""The print is blamed only when the rows of the table and of the rule are sure (issue 9).

Seen on the dev split: a lost STT 7 under II hung row 8 under row 6 ("6 = its children"
failed: blamed on the print), a section whose first rows were lost was read from a neighbour
("Tổng cộng = (I) + (II)" failed in six columns: blamed on the print), rows run together
("910") summed as one.  Each is a reading problem; a misprint over sure rows stays the print's.
"""

from __future__ import annotations

from dataclasses import replace

from test_validate_rules import mini_5b
from validate_builders import Spec, agreeing, build_table, form_5b, row, value_at, vn_count

from extract.config import FormSpec, load_forms
from extract.model import RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings, validate_table
from extract.validate.statuses import INCOMPLETE, PRINTED

S = ValidateSettings()
COL = "da_giai_quyet_dung_han"


def _form(code: str) -> FormSpec:
    return next(f for f in load_forms() if f.code == code)


def _misprinted_total() -> tuple[Spec, int]:
    """The mini 5B whose total row prints one more than I + II in (7) (and in (6), (3), (5), so
    that its own row sums hold): only "Tổng = (I) + (II)" fails, every cell read confidently."""
    spec, truth = mini_5b()
    for col in (COL, "da_giai_quyet_tong", "tiep_nhan_tong", "tiep_nhan_moi"):
        spec.cells[(4, col)] = agreeing(vn_count(truth[(4, col)] + 1))
    return spec, truth[(4, COL)] + 1


def test_a_misprinted_total_over_sure_rows_is_the_print() -> None:
    spec, printed = _misprinted_total()
    table = validate_table(build_table(form_5b(), spec), form_5b(), S).table
    v = value_at(table, 4, COL)
    assert v.status == ValueStatus.FLAGGED and v.flag_reason.startswith(PRINTED)
    assert v.number == printed


def test_a_failing_total_in_a_table_with_rows_missing_elsewhere_is_a_reading_problem() -> None:
    """ "Tổng = (I) + (II)" sums no row under II, but rows missing under II mean the table's rows
    were not all read where they are printed (a section read from a neighbour's row)."""
    spec, printed = _misprinted_total()
    table = replace(build_table(form_5b(), spec), incomplete={"II": "STT 3 not found"})
    table = validate_table(table, form_5b(), S).table
    v = value_at(table, 4, COL)
    assert v.status == ValueStatus.FLAGGED and v.number == printed
    assert v.flag_reason.startswith(INCOMPLETE) and "STT 3 not found" in v.flag_reason
    assert not any(i.startswith(PRINTED) for i in table.issues)
    assert any(i.startswith(INCOMPLETE) and "under II: STT 3 not found" in i for i in table.issues)


def _fields(rows: list, numbers: list[int]) -> TableResult:
    """A 4B table with only "Số TTHC đang có hiệu lực" filled (no row rule covers it)."""
    cells = {(i, "dang_hieu_luc"): agreeing(str(n)) for i, n in enumerate(numbers)}
    return build_table(_form("4B"), Spec(rows=rows, cells=cells))


def test_a_sum_over_a_part_that_printed_no_stt_is_a_reading_problem() -> None:
    """dev_032_hard_200's 4B: STT 7 lost, its row hangs under row 6 as an unnumbered child, and
    "6 = its children" fails (6 prints 13, the hung row 30)."""
    rows = [
        row(RowKind.SECTION, "II", "II", "TTHC cấp xã"),
        row(RowKind.ITEM, "5", "II/5", "Lĩnh vực giải quyết khiếu nại"),
        row(RowKind.ITEM, "6", "II/6", "Lĩnh vực Bồi thường nhà nước"),
        row(RowKind.ITEM, "", "II/6/giao_duc", "Lĩnh vực giáo dục và đào tạo"),
    ]
    table = validate_table(_fields(rows, [27, 14, 13, 30]), _form("4B"), S).table
    v = value_at(table, 2, "dang_hieu_luc")
    assert v.status == ValueStatus.FLAGGED
    assert v.flag_reason.startswith(INCOMPLETE) and "printed no STT" in v.flag_reason
    assert not any(i.startswith(PRINTED) for i in table.issues)
    # the same sum over numbered sub-rows is the print's ("3 = 3.1 + 3.2" misprinted)
    rows[3] = row(RowKind.SUBITEM, "6.1", "II/6/6.1", "Lĩnh vực giáo dục và đào tạo")
    table = validate_table(_fields(rows, [27, 14, 13, 30]), _form("4B"), S).table
    assert value_at(table, 2, "dang_hieu_luc").flag_reason.startswith(PRINTED)


def test_a_sum_over_a_doubtful_row_is_a_reading_problem() -> None:
    """dev_018_hard_200's 4B: STT "910" (rows 9 and 10 run together) summed as one row."""
    rows = [
        row(RowKind.SECTION, "I", "I", "TTHC cấp huyện"),
        row(RowKind.ITEM, "8", "I/8", "Lĩnh vực thư viện"),
        row(RowKind.ITEM, "910", "I/910", "Lĩnh vực Hộ tịch Lĩnh vực đất đai"),
    ]
    sure = validate_table(_fields(rows, [60, 12, 40]), _form("4B"), S).table
    assert value_at(sure, 0, "dang_hieu_luc").flag_reason.startswith(PRINTED)
    doubt = "STT '910' after 8 reads as two STTs run together: rows merged"
    rows[2] = replace(rows[2], problem=doubt)
    table = validate_table(_fields(rows, [60, 12, 40]), _form("4B"), S).table
    v = value_at(table, 0, "dang_hieu_luc")
    assert v.status == ValueStatus.FLAGGED
    assert v.flag_reason.startswith(INCOMPLETE) and doubt in v.flag_reason
    assert not any(i.startswith(PRINTED) for i in table.issues)


def test_a_sum_over_a_part_with_unnumbered_rows_hung_under_it_is_a_reading_problem() -> None:
    """dev_004_hard_200's 7B: STTs 2 and 3 under I were lost, "Sự nghiệp huyện" and "Sự nghiệp
    GD" hung under STT 1 as its unnumbered children, and "I = its units" failed (I prints 220,
    STT 1 alone 105): the print was blamed, though I is printed right (105 + 57 + 58)."""
    rows = [
        row(RowKind.SECTION, "I", "I", "UBND cấp huyện"),
        row(RowKind.ITEM, "1", "I/1", "Phòng chuyên môn"),
        row(RowKind.ITEM, "", "I/1/su_nghiep_huyen", "Sự nghiệp huyện"),
        row(RowKind.ITEM, "", "I/1/su_nghiep_gd", "Sự nghiệp GD"),
    ]
    cells = {(i, "nang_luong_tx"): agreeing(str(n)) for i, n in enumerate([220, 105, 57, 58])}
    table = validate_table(build_table(_form("7B"), Spec(rows=rows, cells=cells)), _form("7B"), S).table
    v = value_at(table, 0, "nang_luong_tx")
    assert v.status == ValueStatus.FLAGGED and v.number == 220
    assert v.flag_reason.startswith(INCOMPLETE) and "hangs under row '1'" in v.flag_reason
    assert not any(i.startswith(PRINTED) for i in table.issues)
    # the same table with the STTs printed: I misprinted over sure units is the print's
    rows[2:] = [
        row(RowKind.ITEM, "2", "I/2", "Sự nghiệp huyện"),
        row(RowKind.ITEM, "3", "I/3", "Sự nghiệp GD"),
    ]
    cells = {(i, "nang_luong_tx"): agreeing(str(n)) for i, n in enumerate([221, 105, 57, 58])}
    table = validate_table(build_table(_form("7B"), Spec(rows=rows, cells=cells)), _form("7B"), S).table
    assert value_at(table, 0, "nang_luong_tx").flag_reason.startswith(PRINTED)


def _row_14b(late: str) -> TableResult:
    """14B's row 1 of dev_159_fax_150 as read: "3 = 4 + 1" (printed 5 = 4 + 1), late ``late``."""
    rows = [row(RowKind.ITEM, "1", "1", "Thị trấn Điện Biên Đông")]
    texts = {"so_luong_tong": "3", "so_luong_tiep_nhan": "4", "so_luong_tham_quyen": "1", "dung_han": "4"}
    cells = {(0, k): agreeing(t) for k, t in {**texts, "tre_han": late}.items()}
    return build_table(_form("14B"), Spec(rows=rows, cells=cells))


def test_a_failing_sum_in_a_row_with_a_number_not_read_is_a_reading_problem() -> None:
    """dev_159_fax_150's 14B: row 1 read "3 = 4 + 1" at confidence 95 (printed 5 = 4 + 1) beside
    ":1", a number of the same row that could not be read: the row is damaged, its reading not
    sure, and the print was blamed."""
    table = validate_table(_row_14b(":1"), _form("14B"), S).table
    v = value_at(table, 0, "so_luong_tong")
    assert v.status == ValueStatus.FLAGGED and v.number == 3
    assert not v.flag_reason.startswith(PRINTED)
    assert not any(i.startswith(PRINTED) for i in table.issues)
    # the same row with every number read: the print's
    table = validate_table(_row_14b("1"), _form("14B"), S).table
    assert value_at(table, 0, "so_luong_tong").flag_reason.startswith(PRINTED)
