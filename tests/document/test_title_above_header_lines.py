"""A grid that lost its top rules leaves its header read as text lines above it, and those lines
can match another form's subtitle on their own: dev 54's fax 4B page read its header as six lines
whose words ("Số TTHC", "giải quyết", "thủ tục") matched 3B's subtitle at 68, under "Biểu mẫu 4B"
and 4B's whole subtitle higher up, and its 28 rows over six pages went to form 3B (4 columns, for
an 11-column table).  A code read in the lines above beats a subtitle-only match of the six
nearest ones."""

from __future__ import annotations

from test_torn_pieces import _page, _table

from extract.document import assemble_document

TITLE_4B = [
    "Biểu mẫu 4B",
    "Thống kê số liệu về số lượng thủ tục hành chính thuộc",
    ": phạm ví thẩm quyền giải quyết của UBND cấp huyện, cấp xã",
    "(Kèm theo Báo cáo số 408/BC-UBND ngày 7 tháng 7 năm 2021 của Ủy ban nhân dân huyện Đà Bác)",
]
# the header of 4B as the fax's OCR read it above the grid (dev 54, page 6), the last six lines
HEADER_LINES = [
    "I T | : - An H —",
    "Số TTHC đã được công bố (trong kỳ Số TTHC được giải",
    "Cơ quan | báo cáo) quyết. theo có chế một",
    "¬ Số - Số TTHC _ cửa lien t ông",
    "| | TC | ¬ Trong đó - giải quyết | Trong đó .",
    "STT ả . có Số TTIHC Số TTHC theo cơ | Số Số Ghi chú",
    "_. hiệu Tổng | tham mưu tham mưu ( chế một |Tổng| TTHC | TTHC",
    "thực Ệ số ˆ —~. công bố cửa số vã vã",
    "hiện lực công bố đúng muôn so với liên liên",
    "k thời han quv x thông ' thông",
]
EDGES = [100 + 140 * c for c in range(12)]  # 11 columns
BODY = [
    [
        "I",
        "TTHC thuộc thẩm quyền tiếp nhận, giải quyết của UBND cấp huyện",
        "527",
        "80",
        "40",
        "40",
        "515",
        "106",
        "62",
        "44",
        "",
    ],
    ["1", "Lĩnh vực tiếp công dân", "19", "0", "1", "", "19", "7", "6", "1", ""],
]


def test_a_code_above_header_lines_read_as_text_names_the_form() -> None:
    doc = assemble_document(
        "t1", "x.pdf", [_page(0, [([*TITLE_4B, *HEADER_LINES], _table(BODY, 900, EDGES))])]
    )
    assert [t.form for t in doc.tables] == ["4B"]


def test_a_form_named_by_its_subtitle_alone_with_far_other_columns_is_flagged() -> None:
    """The same header lines with no code above them: whatever form their words name on the
    subtitle alone, an 11-column table is not sure to be a 4-column form: the table says so and
    every value is flagged, also on the next page."""
    first = _page(0, [(HEADER_LINES, _table(BODY, 900, EDGES))])
    second = _page(
        1,
        [
            (
                [],
                _table(
                    [["2", "Lĩnh vực Hộ tịch", "7", "1", "1", "", "7", "2", "1", "1", ""]], 150, EDGES, page=1
                ),
            )
        ],
    )
    doc = assemble_document("t2", "x.pdf", [first, second])
    table = doc.tables[0]
    assert table.form not in ("unknown", "4B") and table.pages == (0, 1)
    assert any("named by its subtitle alone" in i for i in table.issues)
    numbers = [v for v in table.values if v.number is not None]
    assert numbers and all(v.status == "flagged" for v in numbers)
    assert {v.page_index for v in numbers} == {0, 1}


def test_a_form_named_by_its_subtitle_alone_with_its_own_column_count_is_not_flagged_for_it() -> None:
    title_9b = ["Thống kê số liệu về cải cách tài chính công"]  # 9B's subtitle, no code: 5 columns
    rows = [["1", "Số cơ quan hành chính thực hiện cơ chế tự chủ", "12", "0", ""]]
    doc = assemble_document("t3", "x.pdf", [_page(0, [(title_9b, _table(rows, 900, EDGES[:6]))])])
    assert doc.tables[0].form == "9B"
    assert not any("named by its subtitle alone" in i for i in doc.tables[0].issues)


def test_a_table_under_a_forms_title_pushed_up_by_its_header_is_no_lower_piece() -> None:
    """dev 33 (fax): 14B's lone last row, found at the top of the page, then "DANH SÁCH" and the
    staff list's header read as text above a grid that lost its header rows: the six nearest
    lines name no form, and the list's table was joined to 14B as a piece below its row."""
    from test_torn_pieces import EDGES as EDGES_5B
    from test_torn_pieces import _below, _first

    title = [
        "DANH SÁCH",
        "Cán bộ, công chức phụ trách công tác cải",
        "cách hành chính trên địa bàn huyện Sốp Cộp",
        "(Kèm theo Báo cáo SỐ. 462/BC-UBND ngày 16 tháng",
        "12 năm 2017 của Ủy ban nhân dân huyện Sốp Cộp)",
        "sTr. [ Họ tên ` Email/điện thoại",
        "Ï Chức",
        "Nội",
        "dung ụ",
    ]
    first = _first()
    rows = [
        ["1", "Lãnh đạo phụ trách CCHC", "Lý Hữu Dũng", "Chuyên viên", "lyhuudung@example.com", *[""] * 7]
    ]
    lower = _table(rows, _below(first, 500), EDGES_5B)
    doc = assemble_document(
        "t4", "x.pdf", [_page(0, [(["Biểu mẫu 5B", "Thống kê kết quả tiếp nhận"], first), (title, lower)])]
    )
    assert [t.form for t in doc.tables] == ["5B", "danh_sach"]
