"""A printed value never vanishes silently: cells the grid lost (extract.validate.missing_cells)
and blank cells where ink was seen but nothing read (extract.validate.statuses)."""

from __future__ import annotations

from dataclasses import replace

from test_validate_rules import mini_5b
from validate_builders import Cell, agreeing, build_table, form_5b, value_at

from extract.model import DocumentMeta, DocumentResult, PixelBox, TableResult, ValueStatus
from extract.validate import ValidateSettings, read_value, validate_table
from extract.validate.missing_cells import NO_CELL, flag_missing_cells
from extract.validate.statuses import validate_document

S = ValidateSettings()
COLUMN = "da_giai_quyet_dung_han"  # 100 printed in commune row 2, 200 in row 3


def _document(table: TableResult) -> DocumentResult:
    return DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[table]
    )


def _span_rows(table: TableResult, upper: int, column: str) -> TableResult:
    """``table`` as the grid reads it when the rule under row ``upper`` is lost in ``column``: one
    cell covers both rows (its value in the upper row), the lower row has no cell there."""
    lower = value_at(table, upper + 1, column)
    values = []
    for v in table.values:
        if v is lower:
            continue
        if v.row_index == upper and v.column_key == column:
            v = replace(v, box=PixelBox(v.box.x0, v.box.y0, v.box.x1, lower.box.y1))
        values.append(v)
    return replace(table, values=tuple(values))


def test_a_cell_the_grid_lost_gets_a_flagged_value_where_row_and_column_cross() -> None:
    spec, truth = mini_5b()
    assert truth[(3, COLUMN)]  # a number is printed in the lower row
    table = _span_rows(build_table(form_5b(), spec), 2, COLUMN)
    before = validate_document(_document(table), {"5B": form_5b()}, S)
    # without the check nothing in the outputs stood for the lower row's printed number
    values = [v for v in before.tables[0].values if (v.row_index, v.column_key) == (3, COLUMN)]
    assert len(values) == 1
    lost = values[0]
    assert lost.status == ValueStatus.FLAGGED and lost.flag_reason == NO_CELL
    assert lost.number is None and lost.raw_text == "" and lost.confidence == 0.0
    same_column = value_at(table, 0, COLUMN).box
    same_row = value_at(table, 3, "tiep_nhan_tong").box
    assert lost.box == PixelBox(same_column.x0, same_row.y0, same_column.x1, same_row.y1)
    assert (lost.row_key, lost.row_label, lost.page_index) == ("II/2", "Xã Kế Thành", 0)
    # the covering cell's number may be either row's: never trusted as read
    cover = value_at(before.tables[0], 2, COLUMN)
    assert cover.status != ValueStatus.READ


def test_the_covering_cells_number_is_flagged_when_no_rule_bears_it_out() -> None:
    spec, _ = mini_5b()
    table = _span_rows(build_table(form_5b(), spec), 2, COLUMN)
    table = replace(table, values=tuple(replace(v, status=ValueStatus.READ) for v in table.values))
    out = flag_missing_cells(table, form_5b())
    cover = value_at(out, 2, COLUMN)
    assert cover.status == ValueStatus.FLAGGED and "Xã Kế Thành" in (cover.flag_reason or "")
    verified = replace(table, values=tuple(replace(v, status=ValueStatus.VERIFIED) for v in table.values))
    assert value_at(flag_missing_cells(verified, form_5b()), 2, COLUMN).status == ValueStatus.VERIFIED


def test_a_placeholder_is_never_a_printed_zero_on_revalidation() -> None:
    spec, _ = mini_5b()
    spec.cells[(1, COLUMN)] = agreeing("100")  # section II as if the lost cell were a printed 0
    table = flag_missing_cells(_span_rows(build_table(form_5b(), spec), 2, COLUMN), form_5b())
    lost = value_at(table, 3, COLUMN)
    reading = read_value(lost, "count", None)
    assert not reading.blank and reading.number is None and reading.problem == NO_CELL
    again = validate_table(table, form_5b(), S).table
    assert value_at(again, 3, COLUMN).status == ValueStatus.FLAGGED
    # "II = sum of communes" over that column is not judged: counting the lost cell as 0 made it
    # hold and verify the section's and the commune's numbers
    for row_index in (1, 2):
        assert "II = sum of communes" not in (value_at(again, row_index, COLUMN).rule or "")


def test_a_whole_grid_adds_nothing() -> None:
    spec, _ = mini_5b()
    table = build_table(form_5b(), spec)
    assert flag_missing_cells(table, form_5b()) is table
    # a row with no number read (a lost row, a label-only line) gets no placeholders
    blank_row = replace(
        table,
        values=tuple(
            v for v in table.values if v.row_index != 3 or v.column_key in ("tiep_nhan_tong", "ghi_chu")
        ),
    )
    blank_row = replace(
        blank_row,
        values=tuple(
            replace(v, value_kind="null", number=None, raw_text="") if v.row_index == 3 else v
            for v in blank_row.values
        ),
    )
    assert flag_missing_cells(blank_row, form_5b()) is blank_row


def test_a_blank_where_ink_was_seen_and_nothing_read_is_flagged() -> None:
    spec, _ = mini_5b()
    spec.cells[(3, "ghi_chu")] = Cell("", 0.0)  # a note column: no rule covers it
    spec.cells[(2, "ghi_chu")] = Cell("", 100.0)  # an empty cell
    doc = validate_document(_document(build_table(form_5b(), spec)), {"5B": form_5b()}, S)
    unread = value_at(doc.tables[0], 3, "ghi_chu")
    assert unread.status == ValueStatus.FLAGGED and "nothing could be read" in (unread.flag_reason or "")
    assert value_at(doc.tables[0], 2, "ghi_chu").status == ValueStatus.BLANK
