"""Regressions found running the whole pipeline on generated scans."""

from extract.config import load_forms
from extract.understand.forms import map_header, split_header
from extract.understand.rows import read_index

FORMS = {f.code: f for f in load_forms()}

# The 5B header of samples/5B_clean_300.pdf as tesseract read it: the column-number row's
# parentheses came out garbled ("(5)" -> "@®)"), which once made it a body row and shifted
# every row of the table by one.
HEADER_5B = [
    ["STT", "Cơ quan tiếp nhận, giải quyết hồ sơ 'TLỤHC"]
    + ["Số hồ sơ đã tiếp nhận"] * 3
    + ["Kết quả giải quyết"] * 6
    + ["Ghi chú"],
    ["STT", "Cơ quan tiếp nhận, giải quyết hồ sơ 'TLỤHC", "Tổng số", "Trong đó", "Trong đó"]
    + ["Số hồ sơ đã giải quyết"] * 3
    + ["Số hồ sơ đang giải ( uyết"] * 3
    + ["Ghi chú"],
    [
        "STT",
        "Cơ quan tiếp nhận, giải quyết hồ sơ 'TLỤHC",
        "Tổng số",
        "Từ kỳ trước",
        "Mới tiếp nhận",
        "Tổng số",
        "Trả đúng thời hạn",
        "Trả quá hạn",
        "Tổng số",
        "Chưa đến hạn",
        "Quá hạn",
        "Ghi chú",
    ],
    ["qœ)", "2", "(3)= (4+ @®)", "4", "@®)", "(6)= Œ)+* (8)", "Œ)", "8", "(9)= (10)+ (11)", "(0)", "1", "12"],
    [
        "1",
        "'TTHC thuộc phạm vi thẩm quyền giải quyết của UBND cấp huyện",
        "5.697",
        "323",
        "5.374",
        "4.115",
        "4.101",
        "14",
        "1582",
        "1582",
        "",
        "14 hồ sơ trả quá hạn",
    ],
]


def test_garbled_column_number_row_ends_the_header() -> None:
    assert split_header(HEADER_5B, FORMS["5B"]) == 4
    assert split_header(HEADER_5B, None) == 4


def test_column_number_row_garbled_into_digits_ends_the_header() -> None:
    # samples/5B_damaged_mild.pdf: "(1)" read as "0" (an index-like first cell) and "(5)", "(7)",
    # "(11)" beyond recognition; the formulas and clean numbers still vouch for the row
    garbled = [
        "0", "2", "(3)= (4+ @®)", "4", "G", "(6)= (Œ7)* (8)",
        "Ø", "8", "(9)= (10)+ (1)", "(10)", "1", "(12)",
    ]  # fmt: skip
    header = [*HEADER_5B[:3], garbled, HEADER_5B[4]]
    assert split_header(header, FORMS["5B"]) == 4


def test_body_row_of_small_numbers_without_formulas_is_not_a_column_number_row() -> None:
    matrix = [HEADER_5B[2][:6], ["", "", "3", "1", "7", "2"]]
    assert split_header(matrix, None) == 1


def test_body_row_with_small_counts_is_not_a_column_number_row() -> None:
    matrix = [HEADER_5B[2][:6], ["1", "Xã Kế An", "3", "4", "5", "6"]]
    assert split_header(matrix, None) == 1


def test_bold_roman_two_read_as_h_is_section_two() -> None:
    info = read_index("H")
    assert (info.kind, info.text) == ("section", "II")


def test_a_header_cell_ocr_destroyed_keeps_its_column_by_its_slot() -> None:
    # Hypothesis found it: 10B's "STT" read as "$"; the column still sits in the index's slot
    form = FORMS["10B"]
    keys = [c.key for c in form.columns]
    header = [[c.header[min(level, len(c.header) - 1)] for c in form.columns] for level in range(2)]
    for row in header:
        row[0] = "$"
    body = [["1", "UBND cấp huyện", *["5"] * (len(keys) - 3), ""]]
    mapping = map_header(header + body, 2, form)
    assert mapping.columns == dict(enumerate(keys)) and mapping.missing == ()
    # ... but a column with no header text at all is not given a key by its slot alone
    blank = [["", *row[1:]] for row in header]
    no_index = [["45%", *body[0][1:]]]
    assert 0 not in map_header(blank + no_index, 2, form).columns
    # its body's STTs beside the label column make it the STT column (dev_5244_mild_300's 3B)
    assert map_header(blank + body, 2, form).columns.get(0) == "stt"
