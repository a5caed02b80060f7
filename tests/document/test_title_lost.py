"""A form's table whose title was lost (a seal or wear over it: no line read above the grid) is not
a piece or a continuation of the table before it when its own header rows are another form's:
it starts a table of its own.  When that header fits several forms alike (3B's and 13B's "Số
liệu thống kê"), the first of them after the last form named, in the annex's order, is taken,
and every value of the table is flagged (the form is likely, not sure).  Before, 3B's rows went
under 2B's columns and 5B's pages under 4B's, their values `read` or `verified` there: the
measured "table not found on the page", its numbers sure under another form."""

from __future__ import annotations

from pathlib import Path

from document_builders import ROW_H, read_table
from test_continuation_form import _first_page, _page
from test_continuation_other_header import _header

from extract.config import load_forms
from extract.document import assemble_document
from extract.model import OcrLine, PageResult, PixelBox

REPO = Path(__file__).resolve().parents[2]
FORMS = {f.code: f for f in load_forms(REPO / "configs")}
TITLE_2B = [
    "Biểu mẫu 2B",
    "Thống kê số liệu về công tác xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
]
BODY_2B = [
    ["1", "Kết quả ban hành văn bản quy phạm pháp luật (VBQPPL) của HĐND, UBND", "", ""],
    ["-", "Số VBQPPL đã được ban hành trong kỳ báo cáo", "6", ""],
    ["-", "Số VBQPPL được ban hành đúng tiến độ đã đề ra", "5", ""],
]
BODY_3B = [
    ["1", "Kế hoạch rà soát TTHC", "Có", ""],
    ["2", "Số lượng TTHC đã công khai tại Bảng niêm yết TTHC", "405", ""],
    ["2.1", "Cấp huyện", "266", ""],
    ["2.2", "Cấp xã", "139", ""],
]


def _two_tables_page(
    lower_title: list[str],
    upper_code: str = "2B",
    upper_title: list[str] = TITLE_2B,
    upper_body: list[list[str]] = BODY_2B,
    lower_code: str = "3B",
    lower_body: list[list[str]] = BODY_3B,
) -> PageResult:
    """``upper_code``'s table under its title, then ``lower_code``'s table lower on the page (its
    columns at the same x) under ``lower_title`` (nothing: the title lost)."""
    upper = read_table([*_header(FORMS[upper_code]), *upper_body], page=0, top=400)
    top = 400 + (len(upper_body) + 3) * ROW_H + 300
    lower = read_table([*_header(FORMS[lower_code]), *lower_body], page=0, top=top)
    texts = [(t, 60 + 50 * i) for i, t in enumerate(upper_title)]
    texts += [(t, top - 150 + 50 * i) for i, t in enumerate(lower_title)]
    lines = tuple(OcrLine(t, PixelBox(300, y, 2000, y + 40), 90.0) for t, y in texts)
    return PageResult(
        source="x.pdf", page_index=0, page_count=1, dpi=300, width=2480, height=3508,
        lines=lines, tables=(upper, lower),
    )  # fmt: skip


def _statuses(doc, code: str) -> set[str]:  # type: ignore[no-untyped-def]
    table = next(t for t in doc.tables if t.form == code)
    return {v.status for v in table.values if v.number is not None}


def test_a_lower_table_under_a_lost_title_is_the_next_form_flagged() -> None:
    doc = assemble_document("t1", "x.pdf", [_two_tables_page([])])
    assert [(t.form, t.pages) for t in doc.tables] == [("2B", (0,)), ("3B", (0,))]
    third = doc.tables[1]
    assert {r.index for r in third.rows} >= {"1", "2", "2.1", "2.2"}
    assert _statuses(doc, "3B") == {"flagged"}  # named by its place in the annex: not sure
    assert any("no form title was read" in i and "form 3B" in i for i in third.issues)
    # 2B keeps only its own rows, its values as sure as before
    assert not {r.label for r in doc.tables[0].rows} & {row[1] for row in BODY_3B}
    assert "flagged" not in _statuses(doc, "2B")


def test_the_same_page_with_its_title_read_is_unchanged() -> None:
    doc = assemble_document(
        "t2",
        "x.pdf",
        [_two_tables_page(["Biểu mẫu 3B", "Thống kê số liệu về công tác kiểm soát thủ tục hành chính"])],
    )
    assert [(t.form, t.pages) for t in doc.tables] == [("2B", (0,)), ("3B", (0,))]
    assert "flagged" not in _statuses(doc, "3B")


def _body_4b() -> list[list[str]]:
    return [["I", "TTHC thuộc thẩm quyền của UBND cấp huyện", *["12"] * (len(FORMS["4B"].columns) - 2)]]


def test_the_next_page_under_no_title_with_another_forms_header_starts_that_form() -> None:
    # 4B, then 5B at the top of the next page with no line read above it: 5B's header fits 5B and
    # 10B alike (no form leads), but fits 4B far worse: no continuation of 4B; 5B comes first
    first = _page(
        0,
        ["Biểu mẫu 4B", "Thống kê số liệu về số lượng thủ tục hành chính"],
        read_table([*_header(FORMS["4B"]), *_body_4b()], page=0, top=400),
    )
    body_5b = [["I", "TTHC thuộc phạm vi thẩm quyền", *["76"] * (len(FORMS["5B"].columns) - 2)]]
    second = _page(1, [], read_table([*_header(FORMS["5B"]), *body_5b], page=1, top=100))
    doc = assemble_document("t3", "x.pdf", [first, second])
    assert [(t.form, t.pages) for t in doc.tables] == [("4B", (0,)), ("5B", (1,))]
    assert _statuses(doc, "5B") == {"flagged"}


def test_a_continuation_under_no_title_still_continues() -> None:
    # the 5B table of the continuation tests, continued on the next page with no line above it
    from test_continuation_form import _communes
    from test_continuation_other_header import HEADER

    for rows in (_communes(4, 6), [*HEADER, *_communes(4, 6)]):  # no header, or its own repeated
        second = _page(1, [], read_table(rows, page=1, top=100))
        doc = assemble_document("t4", "x.pdf", [_first_page(), second])
        assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]


def test_2bs_table_under_a_lost_title_below_1b_is_2b_not_a_piece_of_1b() -> None:
    # 2B's only value header ("Tổng số") is too short to be evidence: told by where it stands
    title_1b = ["Biểu mẫu 1B", "Thống kê số liệu về công tác kiểm tra thực hiện nhiệm vụ cải cách hành chính"]
    body_1b = [["I", "Kiểm tra công tác CCHC", *["3"] * (len(FORMS["1B"].columns) - 2)]]
    page = _two_tables_page([], "1B", title_1b, body_1b, "2B", BODY_2B)
    doc = assemble_document("t5", "x.pdf", [page])
    assert [(t.form, t.pages) for t in doc.tables] == [("1B", (0,)), ("2B", (0,))]
    assert _statuses(doc, "2B") == {"flagged"}
