"""A part of a sum over rows whose STT cell holds words printed no STT (issue 9, rows12).

Dev 088's 7B (hard, 200 dpi): the total row's label ran into its STT cell ("Tổngsố=la+"), the
total was not told from a row, and the row hung under the last commune (17) as its child.  While
a lost STT kept the table "not whole" the failing "17 = its children" was a reading problem;
once the STT was restored from the sequence, the words in the STT cell counted as a printed STT
and the print was blamed ("printed totals inconsistent … values kept as printed").
"""

from __future__ import annotations

from validate_builders import Spec, agreeing, build_table, row, value_at

from extract.config import FormSpec, load_forms
from extract.model import RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings, validate_table
from extract.validate.statuses import INCOMPLETE, PRINTED

S = ValidateSettings()


def _form(code: str) -> FormSpec:
    return next(f for f in load_forms() if f.code == code)


def _table(hung_index: str) -> TableResult:
    rows = [
        row(RowKind.SECTION, "II", "II", "TTHC cấp xã"),
        row(RowKind.ITEM, "5", "II/5", "Lĩnh vực giải quyết khiếu nại"),
        row(RowKind.ITEM, "6", "II/6", "Lĩnh vực Bồi thường nhà nước"),
        row(RowKind.ITEM, hung_index, "II/6/tong_so_la", "Tổng số = la +)"),
    ]
    cells = {(i, "dang_hieu_luc"): agreeing(str(n)) for i, n in enumerate([27, 14, 13, 30])}
    return build_table(_form("4B"), Spec(rows=rows, cells=cells))


def test_a_part_whose_stt_cell_holds_words_printed_no_stt() -> None:
    table = validate_table(_table("Tổngsố=la+"), _form("4B"), S).table
    v = value_at(table, 2, "dang_hieu_luc")
    assert v.status == ValueStatus.FLAGGED
    assert v.flag_reason.startswith(INCOMPLETE) and "printed no STT" in v.flag_reason
    assert not any(i.startswith(PRINTED) for i in table.issues)


def test_a_part_with_a_bullet_or_a_number_printed_its_stt() -> None:
    for index in ("-", "6.1"):
        table = validate_table(_table(index), _form("4B"), S).table
        assert value_at(table, 2, "dang_hieu_luc").flag_reason.startswith(PRINTED)
