"""A grid column over two printed columns, told by its column-number cell ("(3) (4)"), is doubtful.

dev_1003 hard 300, 9B: the rule between "Tổng số" (3) and "Tăng (+)/giảm (-)" (4) was lost over
the table's whole height; the column-number row "(1) … (3) (4) 5" was taken for data (a cell of
two numbers read as no column number), the merged column was keyed ``tang_giam`` by its heading
and the six printed totals stood under it unflagged (verified by the sum rule), while
``tang_giam`` is printed empty.  The rows are that page's tesseract readings."""

from __future__ import annotations

from extract.config import load_forms
from extract.understand.forms import map_header, merged_column_numbers, split_header

F9B = {f.code: f for f in load_forms()}["9B"]
LABEL = "Nội dung thống kê X©MII K SN E Í ~y (2))E"
MATRIX = [
    ["STT", LABEL, 'Số lượng đơn vị Tăng Tổng ("3/015 ø (-) so với số Q năm trước', "Ghi chú"],
    ["(1)", LABEL, "(3) (4)", "5"],
    ["1", "Số cơ quan hành chính thuộc và.trực thuộc thực hiện cơ chế tự chủ", "23", "23/23"],
    ["2", "Về số lượng đơn vị sự nghiệp công lập", "121", "121"],
]


def test_the_column_number_row_with_a_merged_cell_ends_the_header() -> None:
    assert split_header(MATRIX, F9B) == 2


def test_the_merged_column_is_doubtful() -> None:
    mapping = map_header(MATRIX, 2, F9B)
    assert set(mapping.doubtful) == {2} and mapping.merged == {2: (3, 4)}
    assert "(3) (4)" in mapping.doubtful[2] and "2 printed columns" in mapping.doubtful[2]
    # a column-number row of single cells: nothing doubtful
    single = [MATRIX[0], ["(1)", LABEL, "(3)", "5"], *MATRIX[2:]]
    assert 2 not in map_header(single, 2, F9B).doubtful


def test_merged_column_numbers() -> None:
    assert merged_column_numbers("(3) (4)") == (3, 4)
    assert merged_column_numbers("(7)(8) (9)") == (7, 8, 9)
    for text in ("(3)", "(3) (5)", "(3)=(4)+(5)", "3 4", "23"):
        assert merged_column_numbers(text) == ()
