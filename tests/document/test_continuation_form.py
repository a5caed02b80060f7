"""A table continued on the next page keeps its form when text above the continuation reads like
another form's title (worn scans: 4B's continuation pages were identified as 9B), as long as the
continuation prints no header of its own and its columns fit the continued form; a real table of
the other form on the next page is still a table of its own."""

from __future__ import annotations

from collections.abc import Sequence

from document_builders import read_table
from test_district_and_trust import HEADER, _numbers

from extract.document import assemble_document
from extract.model import (
    OcrLine,
    PageResult,
    PixelBox,
    ReadTable,
)

TITLE_5B = [
    "Biểu mẫu 5B",
    "Thống kê kết quả tiếp nhận, giải quyết thủ tục hành chính cho người dân, doanh nghiệp",
]
TITLE_9B = ["Biểu mẫu 9B", "Thống kê số liệu về cải cách tài chính công"]


def _table(matrix: Sequence[Sequence[str]], page: int, top: int) -> ReadTable:
    return read_table(matrix, page=page, top=top)


def _page(index: int, texts: Sequence[str], table: ReadTable) -> PageResult:
    lines = tuple(
        OcrLine(t, PixelBox(300, 60 + 50 * i, 2000, 100 + 50 * i), 90.0) for i, t in enumerate(texts)
    )
    return PageResult(
        source="x.pdf",
        page_index=index,
        page_count=2,
        dpi=300,
        width=3508,
        height=2480,
        lines=lines,
        tables=(table,),
    )


def _communes(first: int, last: int) -> list[list[str]]:
    return [[str(i), f"Xã số {i}", *_numbers(100 + 10 * i, 1)] for i in range(first, last + 1)]


def _first_page() -> PageResult:
    body = [
        ["I", "TTHC thuộc thẩm quyền của UBND cấp huyện", *_numbers(500, 3)],
        ["II", "TTHC thuộc thẩm quyền của UBND cấp xã", *_numbers(sum(100 + 10 * i for i in range(1, 7)), 6)],
        *_communes(1, 3),
    ]
    return _page(0, TITLE_5B, _table([*HEADER, *body], 0, 400))


def test_a_continuation_under_text_read_as_another_forms_title_keeps_its_form() -> None:
    # page 2: communes 4-6 and the total, no header; speckle and a running head above it were read
    # as 9B's subtitle
    body = [*_communes(4, 6), ["", "Tổng số = (I) + (II)", *_numbers(500 + 810, 9)]]
    second = _page(1, ["Thống kê số liệu về cải cách tài chính công"], _table(body, 1, 200))
    doc = assemble_document("c1", "x.pdf", [_first_page(), second])
    assert [t.form for t in doc.tables] == ["5B"]
    table = doc.tables[0]
    assert table.pages == (0, 1)
    assert [r.index for r in table.rows if r.index] == ["I", "II", "1", "2", "3", "4", "5", "6"]
    assert any("reads like form 9B" in i and "continue form 5B" in i for i in table.issues)
    # the rows of both pages are summed by II's rule: verified across the pages
    ii = next(v for v in table.values if v.row_key == "II" and v.column_key == "tiep_nhan_tong")
    assert ii.number == 810 and ii.status.value == "verified"


def test_text_that_names_no_form_above_a_continuation_keeps_the_form_too() -> None:
    body = _communes(4, 6)
    second = _page(1, ["ỉ,. ~ -- ;"], _table(body, 1, 200))
    doc = assemble_document("c1", "x.pdf", [_first_page(), second])
    assert [t.form for t in doc.tables] == ["5B"] and doc.tables[0].pages == (0, 1)
    assert any("names no form" in i for i in doc.tables[0].issues)


def test_a_real_table_of_another_form_on_the_next_page_is_its_own() -> None:
    header = [
        ["STT", "Nội dung thống kê", "Số lượng đơn vị", "Số lượng đơn vị", "Ghi chú"],
        ["STT", "Nội dung thống kê", "Tổng số", "Tăng (+)/giảm (-) so với năm trước", "Ghi chú"],
    ]
    body = [["1", "Số cơ quan hành chính thực hiện cơ chế tự chủ", "12", "0", ""]]
    second = _page(1, TITLE_9B, _table([*header, *body], 1, 200))
    doc = assemble_document("c1", "x.pdf", [_first_page(), second])
    assert [t.form for t in doc.tables] == ["5B", "9B"]
    # ... and so is a 12-column table of another form under its title, printing its own header
    first = _first_page()
    again = _page(1, TITLE_9B, _table([*HEADER, *_communes(4, 5)], 1, 200))
    assert len(assemble_document("c1", "x.pdf", [first, again]).tables) == 2


def test_a_table_with_fewer_or_more_columns_than_its_form_gets_an_issue() -> None:
    def issues(matrix: list[list[str]]) -> list[str]:
        doc = assemble_document("c2", "x.pdf", [_page(0, TITLE_5B, _table(matrix, 0, 400))])
        return [i for i in doc.tables[0].issues if i.startswith("the table prints")]

    full = [*HEADER, *_communes(1, 3)]
    assert issues(full) == []
    fewer = [row[:7] + row[8:] for row in full]  # (8) "Trả quá hạn" lost (merged into its neighbour)
    assert issues(fewer) == [
        "the table prints 11 columns where form 5B has 12: a column lost or merged in reading?"
    ]
    more = [[*row[:11], row[10], row[11]] for row in full]  # a column read twice
    assert len(issues(more)) == 1 and "prints 13 columns" in issues(more)[0]


def test_a_worn_first_page_that_lost_columns_still_takes_its_full_continuation() -> None:
    # page 1's grid lost two columns ((10) and (11) merged away: 10 of 5B's 12); page 2 prints all
    # 12 under text read as 9B's subtitle: the form's own column count decides
    first = _page(0, TITLE_5B, _table([row[:9] + row[11:] for row in [*HEADER, *_communes(1, 3)]], 0, 400))
    second = _page(1, ["Thống kê số liệu về cải cách tài chính công"], _table(_communes(4, 6), 1, 200))
    doc = assemble_document("c3", "x.pdf", [first, second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
    assert any("its 12 columns continue form 5B" in i for i in doc.tables[0].issues)


def test_an_annex_reference_line_above_a_table_begins_a_table_of_its_own() -> None:
    """Only a form's first page prints "(Kèm theo Báo cáo …)": a table under it is no continuation
    even when the rest of its title block names no form (dev_4601_hard_300's staff list, its
    title under a seal read "Cán bộ, công tác (Kèm theo Báo cáo", went to the 14B above it)."""
    body = _communes(4, 6)
    title = ["Cán bộ, công tác (Kèm theo Báo cáo số 108/BC-UBND ngày 16 tháng 10 năm 2021)"]
    doc = assemble_document("c1", "x.pdf", [_first_page(), _page(1, title, _table(body, 1, 200))])
    assert len(doc.tables) == 2
    assert doc.tables[0].form == "5B" and doc.tables[0].pages == (0,)
    assert doc.tables[1].pages == (1,)
    assert not any("names no form" in i for i in doc.tables[0].issues)
