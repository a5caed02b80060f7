"""A page where no table was found under a form's title, its rows read as text (rules too worn
for the line finder: dev 131's fax 8B before the fax line bridge), is named on the table before
it: the form's values are in no table of the outputs, and nobody would know otherwise."""

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


def test_a_forms_title_over_rows_read_as_text_is_named_on_the_table_before() -> None:
    doc = assemble_document(
        "n1", "x.pdf", [_page(0, [(TITLE_5B, _first())]), _text_page(1, TITLE_8B + ROWS_8B)]
    )
    notes = [i for i in doc.tables[0].issues if "no table was found" in i]
    assert len(notes) == 1
    assert notes[0].startswith("page 2: no table was found under the title 'Biểu mẫu 8B'")
    assert "3 lines with numbers" in notes[0] and "27" in notes[0] and "Kèm theo" not in notes[0]


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
    doc = assemble_document("n3", "x.pdf", pages, config.override("document", untabled_min_number_lines=2))
    assert any("whose 3 lines with numbers" in i for t in doc.tables for i in t.issues)
