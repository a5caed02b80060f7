"""Columns whose headings a seal or wear made unreadable still map to the form's keys when the
printed column-number row gives each of them a cell of its own and they fill, in number, the slot
between two columns that did map (dev document 30, form 7B: "Chỉ tiêu chuyển đổi", "Kết quả thực
hiện", "Có KH tuyển dụng", "Kết quả tuyển dụng" under a seal were kept as extra columns)."""

from __future__ import annotations

from pathlib import Path

from extract.config import load_forms
from extract.understand.forms import FormsSettings, map_header

REPO = Path(__file__).resolve().parents[2]
FORM = {f.code: f for f in load_forms(REPO / "configs")}["7B"]
SETTINGS = FormsSettings()
LOST = ("chuyen_doi_chi_tieu", "chuyen_doi_ket_qua", "tuyen_dung_ke_hoach", "tuyen_dung_ket_qua")


def _matrix(numbers: dict[int, str]) -> list[list[str]]:
    """7B's two header rows as the reader gives them (a merged cell's text in each of its
    columns), the four columns of ``LOST`` without heading, the column-number row (``numbers``
    overriding cells), one body row."""
    keys = [c.key for c in FORM.columns]
    lost = {keys.index(k) for k in LOST}
    parents = [c.header[0] if j not in lost else "" for j, c in enumerate(FORM.columns)]
    leaves = [c.header[-1] if j not in lost else "" for j, c in enumerate(FORM.columns)]
    number_row = [numbers.get(j, f"({j + 1})") for j in range(len(keys))]
    body = ["1", "Xã Nam Hưng", *[str(3 + j) for j in range(len(keys) - 2)]]
    return [parents, leaves, number_row, body]


def test_headless_columns_with_their_own_number_cells_take_the_slots_keys():
    keys = [c.key for c in FORM.columns]
    j = keys.index(LOST[0])
    garbled = {j: "0", j + 1: "(1U1"}  # "(9)", "(10)" as OCR read them beside a seal
    mapping = map_header(_matrix(garbled), 3, FORM, SETTINGS)
    assert mapping.columns == dict(enumerate(keys))
    assert mapping.missing == () and mapping.unmapped == ()


def test_headless_columns_without_number_cells_take_the_slots_keys_flagged():
    """Nothing printed names them (no heading, no number cell), but they stand in the slot of
    as many keys: they take them by position, every one flagged, never sure."""
    keys = [c.key for c in FORM.columns]
    j = keys.index(LOST[0])
    blank = {j + k: "" for k in range(len(LOST))}
    mapping = map_header(_matrix(blank), 3, FORM, SETTINGS)
    assert [mapping.columns.get(j + k) for k in range(len(LOST))] == list(LOST)
    assert set(mapping.doubtful) == {j + k for k in range(len(LOST))}
    assert all("no heading" in why for why in mapping.doubtful.values())
    assert mapping.missing == ()


def test_a_number_cell_merged_over_two_columns_gives_only_one_of_them():
    keys = [c.key for c in FORM.columns]
    j = keys.index(LOST[0])
    merged = {j: "(9)", j + 1: "(9)", j + 2: "", j + 3: "(12)"}  # (9) repeated: one cell
    mapping = map_header(_matrix(merged), 3, FORM, SETTINGS)
    assert not any(mapping.columns.get(j + k) in LOST for k in range(len(LOST)))


# --------------------------------------------------------------------------------------------
# a column with no heading and no number cell, alone in the slot of the one key not found
# (dev_009 hard 300, 13B: "Số liệu thống kê" read as nothing; its values were kept as extra_col3)

FORMS = {f.code: f for f in load_forms(REPO / "configs")}
BODY_13B = [
    ["I", "Xây dựng, áp dụng và công bố hệ thống", "", ""],
    ["1", "Số đơn vị hành chính cấp xã đã công bố áp dụng", "12/12", ""],
    ["2", "Số đơn vị hành chính cấp xã thực hiện đúng quy định", "12", "Đạt"],
]


def test_a_headless_column_in_the_one_missing_keys_slot_takes_it_flagged():
    matrix = [["STT", "Nội dung thống kê", "", "Ghi chú"], *BODY_13B]
    mapping = map_header(matrix, 1, FORMS["13B"], SETTINGS)
    assert mapping.columns == {0: "stt", 1: "noi_dung", 2: "so_lieu", 3: "ghi_chu"}
    assert mapping.missing == () and mapping.unmapped == ()
    assert set(mapping.doubtful) == {2} and "no heading" in mapping.doubtful[2]


def test_a_headless_column_without_body_text_stays_unmapped():
    matrix = [["STT", "Nội dung thống kê", "", "Ghi chú"], *[[*r[:2], "", r[3]] for r in BODY_13B]]
    mapping = map_header(matrix, 1, FORMS["13B"], SETTINGS)
    assert mapping.unmapped == (2,) and mapping.missing == ("so_lieu",)
    assert mapping.doubtful == {}


def test_headless_columns_take_the_keys_of_their_slot_only_when_they_fit_it():
    # two keys missing in one slot, two headless columns with text there: both, flagged
    two_missing = [["STT", "Nội dung thống kê", "", ""], *BODY_13B]
    mapping = map_header(two_missing, 1, FORMS["13B"], SETTINGS)
    assert mapping.columns[2] == "so_lieu" and mapping.columns[3] == "ghi_chu"
    assert set(mapping.doubtful) == {2, 3}
    # a slot wider than its keys: an extra grid column there, nothing says which is which
    wider = [["STT", "Nội dung thống kê", "", "", "Ghi chú"], *[[*r[:3], "7", r[3]] for r in BODY_13B]]
    mapping = map_header(wider, 1, FORMS["13B"], SETTINGS)
    assert 2 not in mapping.columns and 3 not in mapping.columns and mapping.doubtful == {}
    # the neighbours' printed numbers leave no number between them: not the missing column's slot
    keys = [c.key for c in FORM.columns]
    j = keys.index(LOST[0])
    matrix = _matrix({j: ""})
    for k, key in enumerate(keys):
        if key in LOST[1:]:
            matrix[0][k], matrix[1][k] = FORM.columns[k].header[0], FORM.columns[k].header[-1]
    mapping = map_header(matrix, 3, FORM, SETTINGS)
    assert mapping.columns[j] == LOST[0] and "no heading" in mapping.doubtful[j]
    matrix[2][j - 1], matrix[2][j + 1] = "(8)", "(9)"
    mapping = map_header(matrix, 3, FORM, SETTINGS)
    assert j not in mapping.columns and LOST[0] in mapping.missing


# --------------------------------------------------------------------------------------------
# the STT and label columns' headings lost (dev_3644_hard_200's 6B: "STT" read as nothing,
# "Cơ quan, đơn vị" as "4m"): kept as two undeclared columns, no row of the table was named


def _six_b(stt: str, label: str, body: list[list[str]]) -> list[list[str]]:
    form = FORMS["6B"]
    heads = [stt, label, *[" / ".join(c.header) for c in form.columns[2:]]]
    return [heads, *body]


SIX_B_BODY = [
    ["I", "UBND cấp huyện", "61", "1", "3", "", "64", "-3", "1", "42", "", "", "", ""],
    ["H", "UBND cấp xã", "11", "", "28", "4", "172", "-12", "10", "175", "-10", "3", "2", ""],
    ["1", "Thị trấn Gò Quao", "1", "", "2", "", "14", "-1", "1", "16", "", "", "", ""],
    ["2", "Xã Vĩnh Hòa Hưng Bắc", "1", "", "2", "", "12", "", "", "13", "", "", "", ""],
]


def test_the_stt_and_label_columns_with_headings_lost_are_the_forms_by_their_bodies():
    keys = [c.key for c in FORMS["6B"].columns]
    mapping = map_header(_six_b("", "4m", SIX_B_BODY), 1, FORMS["6B"], SETTINGS)
    assert mapping.columns.get(0) == "stt" and mapping.columns.get(1) == "co_quan"
    assert mapping.columns == dict(enumerate(keys)) and mapping.unmapped == ()
    assert not {0, 1} & set(mapping.doubtful)


def test_leading_columns_whose_bodies_are_no_index_and_label_stay_undeclared():
    numbers = [["12", "7", *row[2:]] for row in SIX_B_BODY]  # two columns of numbers, no labels
    mapping = map_header(_six_b("", "4m", numbers), 1, FORMS["6B"], SETTINGS)
    assert 0 in mapping.unmapped and 1 in mapping.unmapped
    long_index = [["Xã Vĩnh Hòa Hưng", *row[1:]] for row in SIX_B_BODY]  # a label in the STT's place
    mapping = map_header(_six_b("", "4m", long_index), 1, FORMS["6B"], SETTINGS)
    assert mapping.columns.get(0) != "stt"
    empty = [["", "", *row[2:]] for row in SIX_B_BODY]
    assert 0 in map_header(_six_b("", "4m", empty), 1, FORMS["6B"], SETTINGS).unmapped


# --------------------------------------------------------------------------------------------
# the STT column taking the label's key, the label column left undeclared (dev_4533_hard_200,
# 11B: "STT" lost, "Cơ quan, đơn vị" read over the STT column, the label column's heading ";")

BODY_11B = [
    ["I", "Cơ quan cấp huyện", "73", "0", "0", ""],
    ["II", "UBND cấp xã", "369", "28", "5", ""],
    ["1", "Thị trấn Đồng Tâm", "36", "0", "0", ""],
    ["2", "Xã Tân Sơn", "40", "0", "0", ""],
]
HEADINGS_11B = [
    "Cơ quan, đơn vị",
    ";",
    "Số lượng TTHC đã công bố triển khai dịch vụ BCCI",
    "Số TTHC tiếp nhận",
    "Số TTHC trả kết quả",
    "Ghi chú",
]


def test_stt_column_holding_the_label_key_gives_it_to_the_next_column():
    mapping = map_header([HEADINGS_11B, *BODY_11B], 1, FORMS["11B"], SETTINGS)
    assert mapping.columns[0] == "stt" and mapping.columns[1] == "co_quan"
    assert mapping.unmapped == ()


def test_label_key_stays_where_its_column_holds_labels():
    """The label column read right, the next column holds numbers: nothing moves."""
    body = [[label, *rest] for _stt, label, *rest in BODY_11B]
    headings = [HEADINGS_11B[0], *HEADINGS_11B[2:]]
    mapping = map_header([headings, *body], 1, FORMS["11B"], SETTINGS)
    assert mapping.columns[0] == "co_quan" and mapping.columns.get(1) == "tthc_cong_bo"


# --------------------------------------------------------------------------------------------
# the printed column numbers against a heading read over two columns (dev_4513_fax_150, 11B, as
# the reader gave it: "TT”; quả" over "(4)" and "(5)" took "STT" and "Cơ quan, đơn vị")

MATRIX_4513 = [
    ['-g) Ù "1', "2", "", "TT”; quả", "TT”; quả", ""],
    ['-g) Ù "1', "2", "(3)", "(4)", "(5)", "(6)"],
    ['-g) Ù "1', "Cơ quan cấp huyện", "59", "14", "6", ""],
    ['-g) Ù "1', "UBND cấp xã", "151", "18", "2", ""],
    ["1", "Phường Lễ Bình", "30", "0", "0", "Số 1048/QĐ-UBND ngày 03/6/2020"],
    ["2", "Phường Hưng Phú", "32", "4", "1", ""],
    ["3", "Phường Hưng Thạnh", "2", "1", "1", ""],
    ["4", "Phường Ba Láng", "20", "4", "0", ""],
]


def test_printed_column_numbers_in_place_give_every_column_its_position():
    mapping = map_header(MATRIX_4513, 2, FORMS["11B"], SETTINGS)
    assert mapping.columns == dict(enumerate(c.key for c in FORMS["11B"].columns))
    assert mapping.unmapped == () and mapping.missing == () and mapping.doubtful == {}


def test_printed_column_numbers_out_of_place_change_nothing():
    """ "(4)" printed in the third column: the numbers do not say the columns are in place."""
    matrix = [list(row) for row in MATRIX_4513]
    matrix[1][2:5] = ["(4)", "(3)", "(5)"]
    mapping = map_header(matrix, 2, FORMS["11B"], SETTINGS)
    assert mapping.columns.get(0) != "stt"


def test_printed_column_numbers_need_an_index_and_a_label_first():
    """The first two columns' bodies are numbers, not an STT and a label: nothing is moved."""
    matrix = [list(row) for row in MATRIX_4513[:2]] + [["5", "6", *row[2:]] for row in MATRIX_4513[2:]]
    mapping = map_header(matrix, 2, FORMS["11B"], SETTINGS)
    assert mapping.columns.get(1) != "co_quan"


# --------------------------------------------------------------------------------------------
# "STT" read as nothing on a clean page, the label column mapped by its heading
# (dev_5244_mild_300's 3B: the STT column kept as an undeclared one, its "2.2.1"s flagged as
# values, the communes under "2.2 Cấp xã" never named)

MATRIX_3B = [
    ["", "Nội dung thống kê", "Số liệu thống kê", "Ghi chú"],
    ["1", "Kế hoạch rà soát TTHC", "Có", "Kế hoạch số 53/KH-UBND"],
    ["2", "Số lượng TTHC đã công khai tại Bảng niêm yết TTHC", "401", ""],
    ["2.1", "Cấp huyện", "305", ""],
    ["2.2", "Cấp xã", "96", ""],
    ["2.2.1", "Xã Phước Hà", "96", ""],
    ["2.2.2", "Xã Phước Nam", "96", ""],
]


def test_blank_stt_heading_left_of_the_label_takes_the_stt_key():
    mapping = map_header(MATRIX_3B, 1, FORMS["3B"], SETTINGS)
    assert mapping.columns == {0: "stt", 1: "noi_dung", 2: "so_lieu", 3: "ghi_chu"}
    assert mapping.unmapped == ()


def test_column_left_of_the_label_without_stts_stays_undeclared():
    numbers = [[f"{40 + i}%", *row[1:]] if i else row for i, row in enumerate(MATRIX_3B)]
    assert 0 in map_header(numbers, 1, FORMS["3B"], SETTINGS).unmapped
    words = [["Ghi chú thêm", *row[1:]] if i else row for i, row in enumerate(MATRIX_3B)]
    assert 0 in map_header(words, 1, FORMS["3B"], SETTINGS).unmapped
