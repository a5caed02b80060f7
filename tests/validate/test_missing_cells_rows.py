"""Rows the grid gave no cell at all, and mixed columns: a printed value never vanishes silently
(extract.validate.missing_cells, issue 9 cells14).

On the dev hard scans one cell closed over five rows of 9B (rows 2-5 came from the text and had
no value at all), and 3B / 13B rows lost the cell of their one number column ("Số liệu thống kê",
typed mixed): their printed numbers stood for nothing in the outputs, unflagged ("left blank").
"""

from __future__ import annotations

from dataclasses import replace

from test_validate_rules import mini_5b
from validate_builders import Spec, agreeing, build_table, form_5b, row, value_at

from extract.config import load_forms
from extract.model import Commune, CommuneMatch, RowKind, TableResult, ValueStatus
from extract.validate.missing_cells import NO_CELL, flag_missing_cells

NUMBER_COLUMNS_5B = [c.key for c in form_5b().columns if c.type == "count"]


def _form(code: str):
    return next(f for f in load_forms() if f.code == code)


def _without_row(table: TableResult, row_index: int) -> TableResult:
    return replace(table, values=tuple(v for v in table.values if v.row_index != row_index))


def test_a_row_with_no_value_at_all_gets_a_flagged_value_in_every_number_column() -> None:
    spec, truth = mini_5b()
    table = build_table(form_5b(), spec)
    commune = Commune(
        "31234", "Xã Kế Thành", "Kế Thành", "Xã", "941", "Huyện Kế Sách", "94", "Tỉnh Sóc Trăng"
    )
    rows = list(table.rows)
    rows[3] = replace(rows[3], commune=CommuneMatch(commune, 100.0, 60.0))
    lost = replace(_without_row(table, 3), rows=tuple(rows))
    out = flag_missing_cells(lost, form_5b())
    made = [v for v in out.values if v.row_index == 3]
    number_columns = [k for k in NUMBER_COLUMNS_5B if k in set(table.columns)]
    assert sorted(v.column_key for v in made) == sorted(number_columns)
    assert any(truth[(3, k)] for k in number_columns)  # numbers are printed in that row
    for v in made:
        assert v.status == ValueStatus.FLAGGED and v.flag_reason == NO_CELL
        assert v.number is None and v.raw_text == "" and v.confidence == 0.0
        assert (v.row_key, v.row_label, v.row_kind) == ("II/2", "Xã Kế Thành", "commune")
        assert (v.commune_code, v.commune_name) == ("31234", "Xã Kế Thành")
        above = value_at(table, 2, v.column_key)  # the nearest cell of its column above
        assert (v.box, v.page_index) == (above.box, above.page_index)
    # the placeholders stand in row order, between rows 2 and 4
    rows_in_order = [v.row_index for v in out.values]
    assert rows_in_order == sorted(rows_in_order)
    # nothing else changed
    assert [v for v in out.values if v.row_index != 3] == list(lost.values)


def test_a_first_row_with_no_value_takes_the_cell_below() -> None:
    spec, _ = mini_5b()
    table = build_table(form_5b(), spec)
    out = flag_missing_cells(_without_row(table, 0), form_5b())
    made = [v for v in out.values if v.row_index == 0]
    assert made and all(v.box == value_at(table, 1, v.column_key).box for v in made)


def _three_b(numbers: list[str]) -> TableResult:
    rows = [
        row(RowKind.ITEM, "2", "2", "Số lượng TTHC đã công khai"),
        row(RowKind.SUBITEM, "2.1", "2/2.1", "Cấp huyện"),
        row(RowKind.SUBITEM, "2.2", "2/2.2", "Cấp xã"),
        row(RowKind.SUBITEM, "2.2.1", "2/2.2/2.2.1", "Xã Kế An"),
    ]
    spec = Spec(rows=rows)
    for i, text in enumerate(numbers):
        spec.cells[(i, "so_lieu")] = agreeing(text)
        spec.cells[(i, "ghi_chu")] = agreeing("")
    return build_table(_form("3B"), spec)


def test_a_mixed_column_that_holds_numbers_gets_its_lost_cell_flagged() -> None:
    table = _three_b(["250", "138", "112", "112"])
    lost = replace(
        table, values=tuple(v for v in table.values if (v.row_index, v.column_key) != (3, "so_lieu"))
    )
    out = flag_missing_cells(lost, _form("3B"))
    made = value_at(out, 3, "so_lieu")
    assert made.status == ValueStatus.FLAGGED and made.flag_reason == NO_CELL and made.number is None
    # the row had a value (its note, blank) but none in a number column: it is considered


def test_a_mixed_column_of_text_alone_gets_no_placeholder() -> None:
    table = _three_b(["Có", "Không", "Có", "Có"])
    lost = replace(
        table, values=tuple(v for v in table.values if (v.row_index, v.column_key) != (3, "so_lieu"))
    )
    assert flag_missing_cells(lost, _form("3B")) is lost


def test_a_row_with_a_blank_number_cell_is_still_not_considered() -> None:
    """A row whose number cells were read blank (a label-only line) gets no placeholders: only a
    row with a number, or with no value in any number column, is considered."""
    spec, _ = mini_5b()
    table = build_table(form_5b(), spec)
    keep = NUMBER_COLUMNS_5B[0]
    partial = replace(
        table,
        values=tuple(
            replace(v, value_kind="null", number=None, raw_text="") if v.row_index == 3 else v
            for v in table.values
            if v.row_index != 3 or v.column_key in (keep, "ghi_chu")
        ),
    )
    assert flag_missing_cells(partial, form_5b()) is partial


def test_a_column_the_page_lost_in_every_row_takes_its_width_from_another_page() -> None:
    """A continuation page whose grid lost a column in all its rows (7B's two "nâng lương"
    columns on a fax page): every read row there gets the flagged place-holder, its width that of
    the column's nearest cell on the table's other page."""
    spec, truth = mini_5b()
    column = NUMBER_COLUMNS_5B[-1]
    table = build_table(form_5b(), spec, pages={0: 0, 1: 0, 2: 0, 3: 1, 4: 1})
    lost = replace(
        table, values=tuple(v for v in table.values if not (v.page_index == 1 and v.column_key == column))
    )
    out = flag_missing_cells(lost, form_5b())
    for row_index in (3, 4):
        made = value_at(out, row_index, column)
        assert made.status == ValueStatus.FLAGGED and made.flag_reason == NO_CELL and made.page_index == 1
        width_from = value_at(table, 2, column).box  # page 0's cell of the column
        own_row = value_at(table, row_index, NUMBER_COLUMNS_5B[0]).box
        assert (made.box.x0, made.box.x1) == (width_from.x0, width_from.x1)
        assert (made.box.y0, made.box.y1) == (own_row.y0, own_row.y1)
    assert any(truth[(r, column)] for r in (3, 4))
