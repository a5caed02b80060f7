"""Numbers beside a number column the table lost (extract.validate.beside_lost_columns).

Seen on the dev split's hard scans: dev_3698 hard 300's 5B lost "Số hồ sơ đã tiếp nhận / Tổng số"
(its heading misread, "Từ kỳ trước" and "Mới tiếp nhận" read as one grid column); the mapping
gave the totals' grid column the key ``tiep_nhan_ky_truoc`` and "II = sum of communes", which
holds down any column, verified 15 of them there: 15 wrong values standing ``verified``.
"""

from __future__ import annotations

from dataclasses import replace

from validate_builders import Cell, Spec, build_table, form_5b, one_table_document, row, value_at

from extract.model import RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.beside_lost_columns import flag_beside_lost_columns
from extract.validate.statuses import validate_document

F5B = form_5b()
S = ValidateSettings()
LOST = "tiep_nhan_tong"

# I, II and two communes (II = 1 + 2); in each row (6)=(7)+(8) holds: the totals of received
# files (column 3) read under "Từ kỳ trước" (column 4), beside the lost column 3
ROWS = [
    row(RowKind.SECTION, "I", "I", "TTHC thuộc phạm vi thẩm quyền giải quyết của UBND cấp huyện"),
    row(RowKind.SECTION, "II", "II", "TTHC thuộc phạm vi thẩm quyền giải quyết của UBND cấp xã"),
    row(RowKind.ITEM, "1", "II/1", "Xã An Lạc"),
    row(RowKind.ITEM, "2", "II/2", "Xã Bình Minh"),
]
SHIFTED = ("96", "162", "70", "92")  # the totals, under tiep_nhan_ky_truoc
DONE = (("80", "70", "10"), ("150", "140", "10"), ("65", "60", "5"), ("85", "80", "5"))


def _table(lost: bool = True) -> TableResult:
    cells = {}
    for i in range(len(ROWS)):
        cells[(i, "tiep_nhan_ky_truoc")] = Cell(SHIFTED[i], 95.0)
        for key, text in zip(
            ("da_giai_quyet_tong", "da_giai_quyet_dung_han", "da_giai_quyet_qua_han"), DONE[i], strict=True
        ):
            cells[(i, key)] = Cell(text, 95.0)
    table = build_table(F5B, Spec(rows=ROWS, cells=cells))
    if not lost:
        return table
    return replace(
        table,
        columns=tuple(c for c in table.columns if c != LOST),
        headers=tuple(h for c, h in zip(table.columns, table.headers, strict=True) if c != LOST),
        values=tuple(v for v in table.values if v.column_key != LOST),
    )


def _validated(table: TableResult) -> TableResult:
    return validate_document(one_table_document(table), {"5B": F5B}, S).tables[0]


def test_numbers_beside_a_lost_column_checked_only_down_the_column_are_flagged() -> None:
    out = _validated(_table())
    for i in range(len(ROWS)):
        value = value_at(out, i, "tiep_nhan_ky_truoc")
        assert value.number == float(SHIFTED[i])  # kept as read
        assert value.status == ValueStatus.FLAGGED, i
        assert "column tiep_nhan_tong of form 5B was not found" in (value.flag_reason or "")
    # a column checked across its row keeps its status: (6)=(7)+(8) holds in every row
    for i in range(len(ROWS)):
        assert value_at(out, i, "da_giai_quyet_tong").status == ValueStatus.VERIFIED


def test_the_same_table_with_every_column_found_keeps_its_statuses() -> None:
    table = _table(lost=False)
    out = _validated(table)
    assert not any("was not found beside" in (v.flag_reason or "") for v in out.values)
    assert flag_beside_lost_columns(out, F5B) == out


def test_a_value_verified_across_its_row_beside_the_lost_column_is_kept() -> None:
    table = _table()
    v = value_at(table, 2, "tiep_nhan_ky_truoc")
    by_row = replace(v, status=ValueStatus.VERIFIED, rule="(3)=(4)+(5); II = sum of communes")
    by_column = replace(v, row_index=3, status=ValueStatus.VERIFIED, rule="II = sum of communes")
    table = replace(table, values=(by_row, by_column))
    out = flag_beside_lost_columns(table, F5B)
    assert out.values[0] == by_row
    assert out.values[1].status == ValueStatus.FLAGGED
