"""A fax's torn header: the grid under a form's title lost rules over its header, so the header
came out as a table of fewer columns than the form prints (dev 390's 1B: 5 of 8; dev 222's 2B: 2
of 4) and the body below it as an untitled piece of the form's whole column count, which matched
no form and stayed a table of no form: the form's rows "table not found", unflagged.  The piece is
now a table of the form above it, its columns the form's in their order, every value flagged."""

from __future__ import annotations

from pathlib import Path

from document_builders import ROW_H, read_table

from extract.config import load_forms
from extract.document import assemble_document
from extract.model import OcrLine, PageResult, PixelBox

REPO = Path(__file__).resolve().parents[2]
FORMS = {f.code: f for f in load_forms(REPO / "configs")}
TITLE_1B = ["Biểu mẫu 1B", "Thống kê số liệu về công tác chỉ đạo, điều hành cải cách hành chính"]
HEADER_5 = [
    ["STT", "Nội dung", "Số cuộc kiểm tra", "Số cuộc kiểm tra", "Số vấn đề phát hiện qua kiểm tra"],
    ["", "", "Phòng, ban", "Đơn vị trực thuộc", "Tổng số"],
]
BODY = [
    ["1", "Kiểm tra công tác CCHC", "4", "7", "12", "9", "2", ""],
    ["2", "Kiểm tra về thực hiện nhiệm vụ phân cấp", "3", "5", "8", "6", "1", ""],
    ["3", "Kiểm tra việc theo dõi thi hành pháp luật", "2", "4", "6", "5", "0", ""],
]


def _page(header: list[list[str]], body: list[list[str]], between: str = "") -> PageResult:
    upper = read_table(header, page=0, top=400, widths=[80, 600, 180, 180, 360][: len(header[0])])
    top = 400 + len(header) * ROW_H + 60
    lower = read_table(body, page=0, top=top)
    lines = tuple(
        OcrLine(t, PixelBox(300, 60 + 50 * i, 2000, 100 + 50 * i), 90.0) for i, t in enumerate(TITLE_1B)
    )
    if between:  # specks read as a line between the grids (dev 691's 10B: "Ø111IVYSAa (* 23 @* f'ểýv")
        lines += (OcrLine(between, PixelBox(300, top - 45, 1200, top - 10), 40.0),)
    return PageResult(
        source="x.pdf", page_index=0, page_count=1, dpi=150, width=1240, height=1754,
        lines=lines, tables=(upper, lower),
    )  # fmt: skip


def test_the_body_below_a_torn_header_is_the_forms_table_flagged() -> None:
    doc = assemble_document("b1", "x.pdf", [_page(HEADER_5, BODY)])
    assert [t.form for t in doc.tables] == ["1B", "1B"]
    body = doc.tables[1]
    assert [r.index for r in body.rows] == ["1", "2", "3"]
    got = {(v.row_index, v.column_key): v.number for v in body.values if v.number is not None}
    assert got[(0, "kiem_tra_phong_ban")] == 4 and got[(2, "van_de_ky_truoc_da_xu_ly")] == 0
    assert {v.status.value for v in body.values if v.number is not None} == {"flagged"}
    assert any("below form 1B's table" in i for i in body.issues)


def test_the_body_below_a_torn_header_under_a_line_of_specks_is_the_forms_table() -> None:
    doc = assemble_document("b3", "x.pdf", [_page(HEADER_5, BODY, "Ø111IVYSAa (* 23 @* f'ểýv")])
    assert [t.form for t in doc.tables] == ["1B", "1B"]
    assert {v.status.value for v in doc.tables[1].values if v.number is not None} == {"flagged"}


def test_a_piece_of_another_column_count_stays_a_piece_of_no_form() -> None:
    doc = assemble_document("b2", "x.pdf", [_page(HEADER_5, [row[:7] for row in BODY])])
    assert [t.form for t in doc.tables] == ["1B", "unknown"]
