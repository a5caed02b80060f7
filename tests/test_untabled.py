"""Text lines read as table rows (extract.untabled): STT, label, numbers, the rest."""

from __future__ import annotations

import pytest

from extract.model import OcrLine, PixelBox
from extract.untabled import layout_rows, rows_table, text_row


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


def _at(text: str, x0: int, y0: int, x1: int, y1: int) -> OcrLine:
    return OcrLine(text, PixelBox(x0, y0, x1, y1), 85.0)


def test_rows_read_by_columns_are_put_together_by_where_they_stand() -> None:
    """A label over two lines with its number a line beside it, a note right of it; the header and
    the column-number row above the first row are left out."""
    lines = [
        _at("STT", 180, 330, 230, 360),
        _at("Nội dung thống kê", 360, 340, 600, 370),
        _at("(2)", 450, 385, 480, 410),
        _at("(3)", 710, 385, 740, 410),
        _at("1 Số cơ quan hành chính", 200, 425, 640, 455),
        _at("đã hoàn thiện", 270, 458, 500, 488),
        _at("27", 750, 442, 790, 472),
        _at("2 Số đơn vị sự nghiệp", 200, 565, 640, 595),
        _at("tự chủ", 270, 596, 400, 626),
        _at(".40", 748, 581, 792, 611),
        _at("Đạt 80,9%", 800, 585, 950, 612),
        _at("3 Số đơn vị tự chủ", 200, 705, 640, 735),
        _at("12", 752, 721, 790, 751),
    ]
    rows = layout_rows(lines)
    assert [(r.index, r.label, r.numbers, r.rest) for r in rows] == [
        ("1", "Số cơ quan hành chính đã hoàn thiện", ("27",), ""),
        ("2", "Số đơn vị sự nghiệp tự chủ", ("40",), "Đạt 80,9%"),
        ("3", "Số đơn vị tự chủ", ("12",), ""),
    ]
    assert layout_rows(lines[:7]) == []  # one row: no pitch to reach by
