"""The next form's table at the top of a page, its title lost and its header garbled past every
form's words, whose first columns stand where the table before it prints its own (13B's four under
11B's first, 9B's under 8B's, 2B's under 1B's, 3B's under 2B's), is not a continuation of that
table: it is a table of its own when its body prints rows that another form declares (``rows:`` of
``configs/forms``), named by them when no header is read. Before, it went to the
table before it as a continuation page, its values sure under the other form's columns and its own
form's rows "table not found" (the test split's hard 300 class; detect16's lost-title experiment on
20 clean-300 dev documents left 9 such tables: 13B after 11B, 9B after 8B, 2B after 1B, 3B after 2B).
"""

from __future__ import annotations

from pathlib import Path

from document_builders import read_table
from test_continuation_form import _page
from test_continuation_other_header import _header

from extract.config import load_forms
from extract.document import assemble_document
from extract.model import PageResult

REPO = Path(__file__).resolve().parents[2]
FORMS = {f.code: f for f in load_forms(REPO / "configs")}
TITLE_11B = [
    "Biểu mẫu 11B",
    "Thống kê số liệu về kết quả triển khai dịch vụ bưu chính công ích tại các đơn vị, địa phương",
]
TITLE_8B = ["Biểu mẫu 8B", "Thống kê số liệu về triển khai chính sách cải cách công chức, công vụ"]
WIDTHS_11B = [80, 600, 300, 300, 300, 200]
WIDTHS_13B = [80, 600, 900, 500]  # its STT, label and value columns' edges where 11B's stand
WIDTHS_8B = [80, 900, 300, 300]
WIDTHS_9B = [80, 900, 300, 300, 300]  # 8B's four columns and one more
GARBLED_13B = [["STs", "Nộ› dugổ", "Số liu", "Gh"]]
GARBLED_9B = [
    ["STs", "Nộ› dugổ", "Số lưng", "Số lưng", "Gh"],
    ["STs", "Nộ› dugổ", "Tổgs", "Tăg (+/gảm› (-", "Gh"],
    ["(1)", "(2)", "(3)", "(4)", "(5)"],
]
ROWS_9B = [
    [
        "1",
        "Số cơ quan hành chính thuộc và trực thuộc thực hiện cơ chế tự chủ, tự chịu trách nhiệm "
        "về quản lý kinh phí hành chính",
        "20",
        "",
        "20/20",
    ],
    ["2", "Về số lượng đơn vị sự nghiệp công lập trực thuộc thực hiện cơ chế tự chủ", "14", "-1", ""],
    ["-", "Số đơn vị tự bảo đảm chi thường xuyên", "3", "", ""],
    ["-", "Số đơn vị tự bảo đảm một phần chi thường xuyên", "5", "+1", ""],
]
ROWS_8B = [[d["index"], d["label"], str(10 + i), ""] for i, d in enumerate(FORMS["8B"].rows)]


def _first_11b() -> PageResult:
    body = [[str(i), f"Xã số {i}", str(40 + i), str(30 + i), str(20 + i), ""] for i in range(1, 5)]
    return _page(
        0, TITLE_11B, read_table([*_header(FORMS["11B"]), *body], page=0, top=400, widths=WIDTHS_11B)
    )


def _first_8b(rows: int = 3) -> PageResult:
    table = read_table([*_header(FORMS["8B"]), *ROWS_8B[:rows]], page=0, top=400, widths=WIDTHS_8B)
    return _page(0, TITLE_8B, table)


def _first_9b() -> PageResult:
    title = ["Biểu mẫu 9B", "Thống kê số liệu về cải cách tài chính công"]
    table = read_table([*_header(FORMS["9B"]), *ROWS_9B[:2]], page=0, top=400, widths=WIDTHS_9B)
    return _page(0, title, table)


def _top_of_page_2(matrix: list[list[str]], widths: list[int]) -> PageResult:
    return _page(1, [], read_table(matrix, page=1, top=150, widths=widths))


def _numbers(table: object) -> list[tuple[str, str, float | None, str]]:
    return [
        (v.row_label, v.column_key, v.number, v.status.value)  # type: ignore[attr-defined]
        for v in table.values  # type: ignore[attr-defined]
        if v.number is not None
    ]


def test_a_narrower_table_printing_another_forms_rows_in_line_with_the_first_columns_is_that_form() -> None:
    body = [[d["index"], d["label"], str(7 + i), ""] for i, d in enumerate(FORMS["13B"].rows)]
    pages = [_first_11b(), _top_of_page_2([*GARBLED_13B, *body], WIDTHS_13B)]
    doc = assemble_document("c1", "x.pdf", pages)
    assert [(t.form, t.pages) for t in doc.tables] == [("11B", (0,)), ("13B", (1,))]
    eleven, thirteen = doc.tables
    assert [r.index for r in eleven.rows] == ["1", "2", "3", "4"]  # none of 13B's rows under 11B
    assert [v.number for v in thirteen.values if v.number is not None] == [
        float(7 + i) for i in range(len(body))
    ]
    assert {v.status.value for v in thirteen.values if v.number is not None} == {"flagged"}
    assert any("form 13B" in i and "not sure" in i for i in thirteen.issues)
    alone = assemble_document("c0", "x.pdf", pages[:1]).tables[0]
    assert _numbers(eleven) == _numbers(alone)


def test_a_broken_continuation_whose_rows_read_as_a_header_continues() -> None:
    """dev 1423's 9B page 2 (hard 300): a grid broken into three columns whose two "-" rows read
    alike in every cell (taken for header rows): its rows are 9B's own, it continues 9B."""
    rows = [[r[1]] * 3 for r in ROWS_9B[2:]]
    doc = assemble_document("c5", "x.pdf", [_first_9b(), _top_of_page_2(rows, [80, 900, 600])])
    assert [(t.form, t.pages) for t in doc.tables] == [("9B", (0, 1))]


def test_a_table_printing_another_forms_rows_under_a_garbled_header_is_that_form() -> None:
    pages = [_first_8b(), _top_of_page_2([*GARBLED_9B, *ROWS_9B], WIDTHS_9B)]
    doc = assemble_document("c2", "x.pdf", pages)
    assert [(t.form, t.pages) for t in doc.tables] == [("8B", (0,)), ("9B", (1,))]
    eight, nine = doc.tables
    alone = assemble_document("c0", "x.pdf", pages[:1]).tables[0]
    assert [r.index for r in eight.rows] == [r.index for r in alone.rows]  # none of 9B's under 8B
    assert list(dict.fromkeys(label for label, *_ in _numbers(nine))) == [r[1] for r in ROWS_9B]
    assert (
        "Về số lượng đơn vị sự nghiệp công lập trực thuộc thực hiện cơ chế tự chủ",
        "tang_giam",
        -1.0,
        "flagged",
    ) in _numbers(nine)
    assert {v.status.value for v in nine.values if v.number is not None} == {"flagged"}
    assert _numbers(eight) == _numbers(alone)


def test_a_table_printing_another_forms_rows_without_any_header_is_that_form() -> None:
    doc = assemble_document("c3", "x.pdf", [_first_8b(), _top_of_page_2(ROWS_9B, WIDTHS_9B)])
    assert [(t.form, t.pages) for t in doc.tables] == [("8B", (0,)), ("9B", (1,))]
    nine = doc.tables[1]
    assert len(_numbers(nine)) == 6  # "20/20" is a remark
    assert any("form 9B" in i and "rows it prints" in i for i in nine.issues)
    assert {v.status.value for v in nine.values if v.number is not None} == {"flagged"}


def test_a_continuation_printing_its_own_forms_rows_continues() -> None:
    second = _top_of_page_2(ROWS_8B[3:], WIDTHS_8B)
    doc = assemble_document("c4", "x.pdf", [_first_8b(), second])
    assert [(t.form, t.pages) for t in doc.tables] == [("8B", (0, 1))]
    assert [r.index for r in doc.tables[0].rows] == ["1", "2", "3", "4", "5"]
