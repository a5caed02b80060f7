"""The report's first table, its title lost (dev 1913, hard 300: 8B's title read as one word,
"gen công vụ"; its header "STT / Nội dung thống kê / Số lượng / Ghi chú" fits several forms) is
named by the declared rows its body prints, flagged.  Before, naming by rows needed a form named
before it: the first table came out as a table of no form, its 5 printed numbers "table not found"."""

from __future__ import annotations

from document_builders import read_table
from test_continuation_form import _page
from test_title_lost_columns_in_line import ROWS_8B, WIDTHS_8B

from extract.document import assemble_document

HEADER = [["STT", "Nội dung thống kê", "Số lượng", "Ghi chú"]]


def test_the_first_table_under_a_lost_title_is_named_by_its_rows_flagged() -> None:
    table = read_table([*HEADER, *ROWS_8B], page=0, top=500, widths=WIDTHS_8B)
    doc = assemble_document("f8", "x.pdf", [_page(0, ["gen công vụ"], table)])
    assert [t.form for t in doc.tables] == ["8B"]
    numbers = [v for v in doc.tables[0].values if v.number is not None]
    assert len(numbers) == len(ROWS_8B)
    assert all(v.status.value == "flagged" for v in numbers)
    assert any("named by its place in the annex" in i for i in doc.tables[0].issues)


def test_a_first_table_printing_no_forms_rows_stays_of_no_form() -> None:
    rows = [["1", "Phòng Nội vụ", "12", ""], ["2", "Phòng Tư pháp", "8", ""]]
    table = read_table([*HEADER, *rows], page=0, top=500, widths=WIDTHS_8B)
    doc = assemble_document("f9", "x.pdf", [_page(0, ["gen công vụ"], table)])
    assert [t.form for t in doc.tables] == ["unknown"]
