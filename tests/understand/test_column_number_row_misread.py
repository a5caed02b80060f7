"""The header's printed column-number row "(1) (2) … (14)" with a number or two misread, or one
lost, still ends the header.  It was taken for a body row when its numbers no longer counted up by
one: dev 742 (clean 300) 6B read "(11)" as "1", and its row "(1) 2 3 … 10 1 12 13 14" came out as
a row "I" of data, eleven numbers on no printed cell (caught later only where enough of them equal
their column's place in the output's columns).  The rows are the tesseract readings of the dev
documents' tables."""

from __future__ import annotations

from extract.config import load_forms
from extract.understand.forms import split_header

FORMS = {f.code: f for f in load_forms()}

HEADER_6B = [
    ["STT", "Cơ quan, đơn vị", "Số lượng cơ quan chuyên môn", "Tăng (+)/giảm (-) so với kỳ báo cáo trước"]
    + ["Số lượng lãnh đạo UBND cấp huyện"] * 2
    + ["Số lượng lãnh đạo cấp phòng"] * 3
    + ["Số lượng biên chế hành chính"] * 2
    + ["Thực hiện tinh giản biên chế"] * 2
    + ["Ghi chú"],
    ["STT", "Cơ quan, đơn vị", "Số lượng cơ quan chuyên môn", "Tăng (+)/giảm (-) so với kỳ báo cáo trước"]
    + ["Tổng số", "Bổ nhiệm, bổ nhiệm lại", "Tổng số", "Tăng (+)/giảm (-)", "Bổ nhiệm, bổ nhiệm lại"]
    + ["Tổng SỐ", "Tăng (+)/giảm (-)", "Số lượng theo kế hoạch năm", "Đã tinh giản biên chế", "Ghi chú"],
]
BODY_6B = [
    ["1", "UBND cấp huyện", "25", "-1", "87", "", "29", "", "", "103", "", "", "", "Số 208/QĐ-UBND"],
    ["II", "UBND cấp xã", "12", "", "20", "2", "237", "-6", "14", "216", "-9", "14", "3", ""],
]


def test_a_column_number_row_with_eleven_read_one_ends_the_header() -> None:
    numbers = ["(1)", "2", "3", "4", "5", "6", "7", "8", "9", "10", "1", "12", "13", "14"]  # dev 742
    matrix = [*HEADER_6B, numbers, *BODY_6B]
    assert split_header(matrix, FORMS["6B"]) == 3
    assert split_header(matrix, None) == 3


def test_column_number_rows_with_misreads_or_a_lost_number_end_the_header() -> None:
    # dev 200's 6B: "(1)" read "I", "(7)" read "(2)", "(11)" read "1"
    dev200 = ["I", "2", "3", "4", "(5)", "6", "(2)", "8", "9", "10", "1", "12", "13", "(14)"]
    assert split_header([*HEADER_6B, dev200, *BODY_6B], FORMS["6B"]) == 3
    # dev 254's 1B: "(2)" lost under the label column
    header_1b = [["STT", "Nội dung", "Số cuộc kiểm tra", "", "Số vấn đề", "", "", "Ghi chú"]]
    dev254 = ["(1)", "", "3", "4", "5", "6", "7", "8"]
    body_1b = [["1", "Kiểm tra công tác", "4", "2", "7", "5", "1", ""]]
    assert split_header([*header_1b, dev254, *body_1b], FORMS["1B"]) == 2
    # dev 261's 10B: one cell garbled into letters, a formula cell
    header_10b = [["STT", "Cơ quan", *["Văn bản đi"] * 4, *["Dịch vụ công"] * 5, "Ghi chú"]]
    dev261 = ["1", "2", "(3)=(4)+ (5)+(6)", "‹⁄)yrr€ X ?1]IYY", "5", "6", "7", "8", "9", "10", "11", "12"]
    body_10b = [["I", "Cấp huyện", "120", "40", "60", "20", "5", "30", "2", "3", "14", ""]]
    assert split_header([*header_10b, dev261, *body_10b], FORMS["10B"]) == 2


def test_body_rows_with_small_numbers_stay_body_rows() -> None:
    # a continuation page without header: its first rows are data, whatever numbers they hold
    labelled = ["1", "Xã An", "3", "4", "5", "6", "7", ""]
    assert split_header([labelled, ["2", "Xã Bình", "4", "2", "7", "5", "1", ""]], FORMS["1B"]) == 0
    unlabelled = ["1", "", "3", "4", "9", "12", "40", ""]
    assert split_header([unlabelled, ["2", "Xã Bình", "4", "2", "7", "5", "1", ""]], FORMS["1B"]) == 0


def test_a_column_number_row_over_a_grid_that_lost_a_column_ends_the_header() -> None:
    # dev_380 hard 300's 6B page 8: the grid lost the column printed (7), so the numbers right of
    # it stand one place left of their number ("8" in the 7th grid column); "(1)" read "()",
    # "(11)" read "1".  It was read as a row of data: nine numbers on no printed cell.
    dev380 = ["()", "2", "3", "4", "5", "6,", "8", "9", "10", "1", "12", "13", "14"]
    header = [row[:6] + row[7:] for row in HEADER_6B]
    body = [row[:6] + row[7:] for row in BODY_6B]
    assert split_header([*header, dev380, *body], FORMS["6B"]) == 3
    # one spurious rule (a column read twice): the numbers right of it one place right
    extra = ["(1)", "2", "3", "4", "5", "", "6", "7", "8", "9", "10", "11", "12", "13", "14"]
    assert split_header([*[r[:5] + [r[4]] + r[5:] for r in HEADER_6B], extra, *BODY_6B], FORMS["6B"]) == 3


def test_small_counts_that_rise_by_two_steps_stay_data() -> None:
    # a data row under no header whose small numbers meet their places for a stretch, then
    # another stretch two apart: not one lost column's shift
    unlabelled = ["1", "", "3", "4", "5", "8", "9", "10", ""]
    assert split_header([unlabelled, ["2", "Xã Bình", "4", "2", "7", "5", "1", "3", ""]], FORMS["1B"]) == 0
