"""A 3B "Số liệu" cell read as digits and no word ("1 37", "H2") is flagged, not `read` as text
(issue 9, cells14; the parse in tests/understand/test_numbers_mixed_digits.py)."""

from __future__ import annotations

from validate_builders import Spec, agreeing, build_table, row, value_at

from extract.config import load_forms
from extract.model import RowKind, ValueStatus
from extract.validate import ValidateSettings, validate_table


def test_a_misread_number_in_a_mixed_column_is_flagged() -> None:
    form = next(f for f in load_forms() if f.code == "3B")
    rows = [
        row(RowKind.SUBITEM, "2.2.1", "2/2.2/2.2.1", "Xã Kế An"),
        row(RowKind.SUBITEM, "2.2.2", "2/2.2/2.2.2", "Xã Kế Thành"),
        row(RowKind.SUBITEM, "2.2.3", "2/2.2/2.2.3", "Xã An Mỹ"),
    ]
    spec = Spec(rows=rows)
    for i, text in enumerate(["1 37", "137", "Kế hoạch số 12/KH-UBND"]):
        spec.cells[(i, "so_lieu")] = agreeing(text, 95.0)
        spec.cells[(i, "ghi_chu")] = agreeing("")
    out = validate_table(build_table(form, spec), form, ValidateSettings()).table
    misread = value_at(out, 0, "so_lieu")
    assert misread.status == ValueStatus.FLAGGED and "no word" in (misread.flag_reason or "")
    assert value_at(out, 1, "so_lieu").status == ValueStatus.READ
    assert value_at(out, 2, "so_lieu").status == ValueStatus.READ
