"""Text lines read as table rows (extract.untabled): STT, label, numbers, the rest."""

from __future__ import annotations

import pytest

from extract.model import OcrLine, PixelBox
from extract.untabled import rows_table, text_row


def _line(text: str, y: int = 100) -> OcrLine:
    return OcrLine(text, PixelBox(200, y, 2200, y + 40), 88.0)


@pytest.mark.parametrize(
    ("text", "index", "label", "numbers", "rest"),
    [
        ("1 Số cơ quan hành chính 27", "1", "Số cơ quan hành chính", ("27",), ""),
        ("2.2.3 Xã Mỹ Long Bắc 137 | 5.697", "2.2.3", "Xã Mỹ Long Bắc", ("137", "5.697"), ""),
        ("II UBND cấp xã 99,7% -3 Số 12/QĐ", "II", "UBND cấp xã", ("99,7%", "-3"), "Số 12/QĐ"),
        ("Tổng (I) + (II) 62.953 3.261", "", "Tổng (I) + (II)", ("62.953", "3.261"), ""),
    ],
)
def test_a_line_is_split_into_index_label_numbers_and_rest(text, index, label, numbers, rest) -> None:
    row = text_row(_line(text))
    assert row is not None
    assert (row.index, row.label, row.numbers, row.rest) == (index, label, numbers, rest)


@pytest.mark.parametrize("text", ["Biểu mẫu 8B", "STT Nội dung thống kê Số lượng Ghi chú", "12.345", ""])
def test_a_line_without_numbers_after_a_label_is_no_row(text) -> None:
    assert text_row(_line(text)) is None


def test_rows_make_a_table_with_the_numbers_in_order_and_the_overflow_kept() -> None:
    rows = [text_row(_line("1 Xã An 12 7", 100)), text_row(_line("2 Xã Bình 9 4 3 Ghi chú", 150))]
    table = rows_table([r for r in rows if r is not None], 2, page_index=3)
    assert (table.grid.n_rows, table.grid.n_cols, table.page_index) == (2, 5, 3)
    assert table.matrix() == [["1", "Xã An", "12", "7", ""], ["2", "Xã Bình", "9", "4 3", "Ghi chú"]]
    with pytest.raises(ValueError):
        rows_table([], 2, page_index=0)
