"""A page where no table was found under a form's title, its rows read as text (rules too worn
for the line finder: dev 131's fax 8B before the fax line bridge), is a table of that form read
from those lines, every value flagged and the table named in an issue; a title naming no form
is named on the table before it (or, in a document with no table at all, is a table of no form):
before, the values were in no table of the outputs and a document with no table had no note."""

from __future__ import annotations

from test_continuation_form import TITLE_5B
from test_torn_pieces import _first, _page

from extract.document import assemble_document
from extract.model import OcrLine, PageResult, PixelBox

TITLE_8B = [
    "Biểu mẫu 8B",
    "Thống kê số liệu về triển khai chính sách cải cách công chức, công vụ",
    "(Kèm theo Báo cáo số 323/BC-UBND ngày 1 tháng 8",
    "năm 2019 của Ủy ban nhân dân huyện Nhơn Trạch)",
]
ROWS_8B = [
    "STT Nội dung thống kê Số lượng Ghi chú",
    "1 Số cơ quan hành chính đã hoàn thiện bản mô tả công việc 27",
    "2 Số đơn vị sự nghiệp công lập tự chủ (chưa tự chủ) 10",
    "3 Số đơn vị sự nghiệp công lập tự chủ hoàn toàn 40 Số 1002/QĐ-UBND",
]


def _text_page(index: int, texts: list[str]) -> PageResult:
    lines = tuple(
        OcrLine(t, PixelBox(300, 200 + 60 * i, 2000, 240 + 60 * i), 90.0) for i, t in enumerate(texts)
    )
    return PageResult(
        source="x.pdf", page_index=index, page_count=3, lines=lines, dpi=300, width=3508, height=2480
    )


def test_a_forms_title_over_rows_read_as_text_is_a_table_of_that_form_every_value_flagged() -> None:
    doc = assemble_document(
        "n1", "x.pdf", [_page(0, [(TITLE_5B, _first())]), _text_page(1, TITLE_8B + ROWS_8B)]
    )
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("8B", (1,))]
    text_table = doc.tables[1]
    notes = [i for i in text_table.issues if "no table was found" in i]
    assert len(notes) == 1
    assert notes[0].startswith("page 2: no table was found under the title 'Biểu mẫu 8B'")
    assert "3 lines with numbers" in notes[0] and "27" in notes[0] and "Kèm theo" not in notes[0]
    assert "read from those lines, flagged" in notes[0]
    assert not any("page 2" in i for i in doc.tables[0].issues)  # named once, on its own table
    assert [(r.index, r.label) for r in text_table.rows] == [
        ("1", "Số cơ quan hành chính đã hoàn thiện bản mô tả công việc"),
        ("2", "Số đơn vị sự nghiệp công lập tự chủ (chưa tự chủ)"),
        ("3", "Số đơn vị sự nghiệp công lập tự chủ hoàn toàn"),
    ]
    numbers = [v for v in text_table.values if v.number is not None]
    assert [(v.column_key, v.number) for v in numbers] == [
        ("so_luong", 27),
        ("so_luong", 10),
        ("so_luong", 40),
    ]
    assert all(v.status.value == "flagged" for v in numbers)
    assert all("read from the page's text lines" in (v.flag_reason or "") for v in numbers)
    notes_column = [v for v in text_table.values if v.column_key == "ghi_chu" and v.text]
    assert [v.text for v in notes_column] == ["Số 1002/QĐ-UBND"]


def test_a_document_with_no_table_at_all_keeps_the_rows_under_a_title_naming_no_form() -> None:
    """No table anywhere (a one-page fax whose rules all wore away): before, the note had no table
    to go on and the numbers vanished; now they are a table of no form, every value flagged."""
    title = ["PHỤ LỤC", "Số liệu tổng hợp năm 2019"]
    rows = ["1 Xã Tân An 12 7", "2 Xã Tân Bình 9 4", "3 Xã Tân Hòa 15 11"]
    doc = assemble_document("n4", "x.pdf", [_text_page(0, title + rows)])
    assert [(t.form, t.pages) for t in doc.tables] == [("unknown", (0,))]
    [table] = doc.tables
    assert any(i.startswith("page 1: no table was found under the title 'PHỤ LỤC'") for i in table.issues)
    numbers = [v.number for v in table.values if v.number is not None]
    assert numbers == [12, 7, 9, 4, 15, 11]
    assert all(v.status.value == "flagged" for v in table.values if v.number is not None)
    # with a table of a known form in the document, such a page stays a note on it (as before)
    doc = assemble_document("n5", "x.pdf", [_page(0, [(TITLE_5B, _first())]), _text_page(1, title + rows)])
    assert [t.form for t in doc.tables] == ["5B"]
    assert any(
        i.startswith("page 2: no table was found under the title 'PHỤ LỤC'") for i in doc.tables[0].issues
    )


def test_a_title_alone_or_prose_with_numbers_is_not_a_table_not_found() -> None:
    prose = [
        "Năm 2019, Ủy ban nhân dân huyện đã ban hành 12 kế hoạch",
        "và 35 văn bản chỉ đạo, 4 cuộc kiểm tra",
        "tại 9 xã, thị trấn.",
    ]
    for texts in (
        TITLE_8B,
        prose,
        TITLE_8B[:1] + ["(Kèm theo Báo cáo số 323/BC-UBND ngày 1 tháng 8 năm 2019)"],
    ):
        doc = assemble_document("n2", "x.pdf", [_page(0, [(TITLE_5B, _first())]), _text_page(1, texts)])
        assert not any("no table was found" in i for t in doc.tables for i in t.issues), texts


def test_how_many_lines_with_numbers_name_a_table_not_found_is_a_setting() -> None:
    """``document.untabled_min_number_lines`` (pipeline.yaml): 3 by default; at 4, the three
    lines with numbers of 8B's rows are no table not found."""
    from extract.config import load_config

    pages = [_page(0, [(TITLE_5B, _first())]), _text_page(1, TITLE_8B + ROWS_8B)]
    config = load_config()
    assert config.document.untabled_min_number_lines == 3
    stricter = config.override("document", untabled_min_number_lines=4)
    doc = assemble_document("n3", "x.pdf", pages, stricter)
    assert not any("no table was found" in i for t in doc.tables for i in t.issues)
    assert [t.form for t in doc.tables] == ["5B"]
    doc = assemble_document("n3", "x.pdf", pages, config.override("document", untabled_min_number_lines=2))
    assert any("whose 3 lines with numbers" in i for t in doc.tables for i in t.issues)
    assert [t.form for t in doc.tables] == ["5B", "8B"]
