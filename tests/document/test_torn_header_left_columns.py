"""A torn header that kept only some of the form's columns (dev 4559's 9B, hard 300: the header's
left rules lost, so the grid under the title held "Tổng số", "Tăng/giảm", "Ghi chú" alone, and the
body below it, its right side under a seal, came out as an untitled piece of 4 of the form's 5
columns).  The piece matched no form and stayed a table of no form: the form's rows "not found".
Its columns that line up with the header's by their rules are the header's columns, the two left
of them the form's two before those (STT, label): the piece is a table of the form, flagged."""

from __future__ import annotations

from pathlib import Path

from document_builders import ROW_H, read_table

from extract.config import load_forms
from extract.document import assemble_document
from extract.model import OcrLine, PageResult, PixelBox

REPO = Path(__file__).resolve().parents[2]
FORMS = {f.code: f for f in load_forms(REPO / "configs")}
TITLE_9B = ["Biểu mẫu 9B", "Thống kê số liệu về cải cách tài chính công"]
HEADER = [
    ["Số lượng đơn vị", "Số lượng đơn vị", "Ghi chú"],
    ["Tổng số", "Tăng (+)/giảm (-) so với năm trước", "Ghi chú"],
]
BODY = [
    ["1", "Số cơ quan hành chính thuộc và trực thuộc thực hiện cơ chế tự chủ", "29", "3"],
    ["2", "Về số lượng đơn vị sự nghiệp công lập trực thuộc thực hiện cơ chế tự chủ", "105", "7"],
]
LEFT, STT_W, LABEL_W, WIDTHS = 100, 80, 600, [150, 260, 260]


LOWER = [
    ["-", "Số đơn vị tự bảo đảm một phần chi thường xuyên", "1", "", "1/105"],
    ["-", "Số đơn vị được nhà nước bảo đảm chi thường xuyên", "104", "", "104/105"],
]


def _page(body: list[list[str]], widths: list[int], lower_piece: bool = False) -> PageResult:
    # the header's grid starts where "Tổng số" does: STT and label columns lost with their rules
    upper = read_table(HEADER, page=0, top=400, widths=WIDTHS, left=LEFT + STT_W + LABEL_W)
    top = 400 + len(HEADER) * ROW_H + 60
    lower = read_table(body, page=0, top=top, widths=widths, left=LEFT)
    below = (
        (read_table(LOWER, page=0, top=top + len(body) * ROW_H + 40, widths=[STT_W, LABEL_W, *WIDTHS]),)
        if lower_piece
        else ()
    )
    lines = tuple(
        OcrLine(t, PixelBox(300, 60 + 50 * i, 2000, 100 + 50 * i), 90.0) for i, t in enumerate(TITLE_9B)
    )
    return PageResult(
        source="x.pdf", page_index=0, page_count=1, dpi=150, width=1240, height=1754,
        lines=lines, tables=(upper, lower, *below),
    )  # fmt: skip


def test_a_body_left_of_a_torn_header_takes_the_forms_columns_by_rules_and_count() -> None:
    doc = assemble_document("t1", "x.pdf", [_page(BODY, [STT_W, LABEL_W, *WIDTHS[:2]])])
    assert [t.form for t in doc.tables] == ["9B", "9B"]
    body = doc.tables[1]
    assert [r.index for r in body.rows][:2] == ["1", "2"]  # the form's rows not read follow
    got = {(v.row_index, v.column_key): v.number for v in body.values if v.number is not None}
    assert got == {(0, "tong_so"): 29, (0, "tang_giam"): 3, (1, "tong_so"): 105, (1, "tang_giam"): 7}
    assert {v.status.value for v in body.values if v.number is not None} == {"flagged"}
    assert any("stand under the header's columns" in i for i in body.issues)


def test_a_body_with_another_count_left_of_the_header_stays_a_piece_of_no_form() -> None:
    # one column left of the header's where the form prints two before "Tổng số": not placed
    one_left = [[row[0], *row[2:]] for row in BODY]
    doc = assemble_document("t2", "x.pdf", [_page(one_left, [STT_W + LABEL_W, *WIDTHS[:2]])])
    assert [t.form for t in doc.tables] == ["9B", "unknown"]


def test_a_body_whose_rules_do_not_line_up_with_the_header_stays_a_piece_of_no_form() -> None:
    doc = assemble_document("t3", "x.pdf", [_page(BODY, [STT_W, LABEL_W, 200, 180])])
    assert [t.form for t in doc.tables] == ["9B", "unknown"]


def test_a_piece_with_a_column_beyond_the_bodys_right_rule_is_not_merged_into_its_last_column() -> None:
    # the body above lost the "Ghi chú" column (its rule under a seal); the piece below prints it:
    # that column stands beyond the body's right rule, so the piece is not the body's continuation
    # with "Ghi chú" merged into "Tăng/giảm", but the form's table by its count (all five)
    # (the body's right rule a few pixels right of the piece's: the two overlap by a sliver)
    doc = assemble_document("t4", "x.pdf", [_page(BODY, [STT_W, LABEL_W, WIDTHS[0], WIDTHS[1] + 3], True)])
    got = {
        (v.column_key, v.raw_text)
        for t in doc.tables
        for v in t.values
        if v.raw_text in ("1/105", "104/105", "104")
    }
    assert got == {("ghi_chu", "1/105"), ("ghi_chu", "104/105"), ("tong_so", "104")}
    assert {v.status.value for t in doc.tables[1:] for v in t.values if v.number is not None} == {"flagged"}
