"""A sum that holds over unsure readings of its total and a part bears none of them out.

dev_074_hard_200's 4B, row "1 Lĩnh vực Dân số …": printed "0 = 0 + 0" in "công bố = đúng hạn +
muộn", read "1 = 1 + 0" with the two "1"s at confidence 14 and 15.  The rule held, and both wrong
ones stood ``verified``: the same misread in a total and one of its parts cancels.
"""

from __future__ import annotations

from validate_builders import Cell, Spec, build_table, row, value_at

from extract.config import load_forms
from extract.model import RowKind, ValueStatus
from extract.validate import ValidateSettings, validate_table

S = ValidateSettings()
FORM = next(f for f in load_forms() if f.code == "4B")


def _one_row(total: Cell, on_time: Cell, late: Cell) -> Spec:
    rows = [row(RowKind.ITEM, "1", "1", "Lĩnh vực Dân số kế hoạch hóa gia đình")]
    cells = {(0, "cong_bo_tong"): total, (0, "cong_bo_dung_han"): on_time, (0, "cong_bo_muon"): late}
    return Spec(rows=rows, cells=cells)


def _statuses(spec: Spec) -> list[ValueStatus]:
    table = validate_table(build_table(FORM, spec), FORM, S).table
    return [value_at(table, 0, k).status for k in ("cong_bo_tong", "cong_bo_dung_han", "cong_bo_muon")]


def test_a_total_and_a_part_both_unsure_are_not_borne_out_by_their_sum() -> None:
    spec = _one_row(Cell("1", 14.0), Cell("1", 15.0), Cell("0", 62.0))
    table = validate_table(build_table(FORM, spec), FORM, S).table
    total, on_time, late = (
        value_at(table, 0, k) for k in ("cong_bo_tong", "cong_bo_dung_han", "cong_bo_muon")
    )
    assert total.status == on_time.status == late.status == ValueStatus.FLAGGED  # verified before
    assert total.flag_reason is not None
    assert "công bố = đúng hạn + muộn" in total.flag_reason
    assert "unsure readings of its total and a part" in total.flag_reason
    assert "'1' (14)" in total.flag_reason and "'1' (15)" in total.flag_reason


def test_one_unsure_cell_is_what_the_sure_ones_give() -> None:
    # the total unsure, the parts sure: the sum settles it (as it settles a guessed "L5")
    assert (
        _statuses(_one_row(Cell("7", 40.0), Cell("4", 95.0), Cell("3", 95.0))) == [ValueStatus.VERIFIED] * 3
    )
    # a part unsure, the total and the other part sure
    assert (
        _statuses(_one_row(Cell("7", 95.0), Cell("4", 30.0), Cell("3", 95.0))) == [ValueStatus.VERIFIED] * 3
    )


def test_two_unsure_parts_under_a_sure_total_are_still_borne_out() -> None:
    # two parts misread would have to err by opposite amounts to cancel
    assert (
        _statuses(_one_row(Cell("7", 95.0), Cell("4", 40.0), Cell("3", 45.0))) == [ValueStatus.VERIFIED] * 3
    )


def test_sure_cells_of_such_a_sum_stay_read() -> None:
    spec = _one_row(Cell("1", 14.0), Cell("1", 15.0), Cell("0", 96.0))
    assert _statuses(spec) == [ValueStatus.FLAGGED, ValueStatus.FLAGGED, ValueStatus.READ]
