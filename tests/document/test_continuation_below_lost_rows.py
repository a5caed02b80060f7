"""A continuation page whose first rows lost their rules (a fax: dev 26's 4B page 6) has its grid
start lower than a continuation starts (a third of the way down), under the lost rows read as
text lines: the grid still continues the table when that text holds numbers and its columns line
up with the table's, and the table says which text above it may be rows not read as a table.
Without numbers above it, or with columns that do not line up, it is not joined."""

from __future__ import annotations

from test_continuation_form import TITLE_5B, _communes
from test_torn_pieces import EDGES, _first, _page, _table, _values

from extract.document import assemble_document

TOP = 800  # of a 2480-pixel page: 32% down, below continuation_top_fraction (25%)


def _lost_rows_as_text() -> list[str]:
    return [" ".join(row) for row in _communes(4, 5)]  # "4 Xã số 4 140 ...", "5 Xã số 5 150 ..."


def test_a_continuation_below_rows_read_as_text_continues_the_table_and_names_them() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    second = _page(1, [(_lost_rows_as_text(), _table(_communes(6, 8), TOP, EDGES, page=1))])
    doc = assemble_document("b1", "x.pdf", [first, second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
    # STT 4 and 5, read as text, are placeholder rows of flagged values (extract/validate/missing_rows.py)
    assert [r.index for r in doc.tables[0].rows] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    placed = {v.row_index for v in doc.tables[0].values if (v.flag_reason or "").startswith("row_not_found")}
    assert placed == {3, 4}
    assert _values(doc)[("Xã số 7", "tiep_nhan_tong")] == 170
    notes = [i for i in doc.tables[0].issues if "may be rows not read as a table" in i]
    assert len(notes) == 1 and notes[0].startswith("page 2:") and "Xã số 4" in notes[0]


def test_a_lower_table_under_text_without_numbers_is_not_a_continuation() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    prose = ["Ủy ban nhân dân huyện báo cáo kết quả thực hiện", "công tác cải cách hành chính như sau"]
    second = _page(1, [(prose, _table(_communes(6, 8), TOP, EDGES, page=1))])
    doc = assemble_document("b2", "x.pdf", [first, second])
    assert [t.pages for t in doc.tables if t.form == "5B"] == [(0,)]
    assert not any("may be rows not read" in i for t in doc.tables for i in t.issues)


def test_a_lower_table_whose_columns_do_not_line_up_is_not_a_continuation() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    other = [100 + 130 * c for c in range(13)]  # as many columns, at other places
    second = _page(1, [(_lost_rows_as_text(), _table(_communes(6, 8), TOP, other, page=1))])
    doc = assemble_document("b3", "x.pdf", [first, second])
    assert [t.pages for t in doc.tables if t.form == "5B"] == [(0,)]


TITLE_9B = [
    "Biểu mẫu 9B",
    "Thống kê số liệu về cải cách tài chính công",
    "(Kèm theo Báo cáo số 35/BC-UBND ngày 15 tháng 7 năm 2017 của Ủy ban nhân dân huyện)",
]
HEADER_9B = [
    ["STT", "Nội dung thống kê", "Số lượng đơn vị", "Số lượng đơn vị", "Ghi chú"],
    ["STT", "Nội dung thống kê", "Tổng số", "Tăng (+)/giảm (-) so với năm trước", "Ghi chú"],
]


def _next_form_page(lone_row_text: list[str]) -> object:
    body = [["1", "Số cơ quan hành chính thực hiện cơ chế tự chủ", "12", "0", ""]]
    return _page(1, [([*lone_row_text, *TITLE_9B], _table([*HEADER_9B, *body], 500, EDGES[:6], page=1))])


def test_a_last_row_read_as_text_above_the_next_forms_title_is_named_on_its_table() -> None:
    """A lone row too worn to be found as a ruled table (dev 26's fax 1B row 5 above 2B)."""
    first = _page(0, [(TITLE_5B, _first())])
    doc = assemble_document("b4", "x.pdf", [first, _next_form_page(_lost_rows_as_text())])  # type: ignore[list-item]
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("9B", (1,))]
    notes = [i for i in doc.tables[0].issues if "may be this table's last rows" in i]
    assert len(notes) == 1 and notes[0].startswith("page 2 starts") and "Xã số 5" in notes[0]
    assert "Kèm theo" not in notes[0]


def test_the_next_forms_title_alone_is_not_taken_for_lost_rows() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    doc = assemble_document("b5", "x.pdf", [first, _next_form_page([])])  # type: ignore[list-item]
    assert not any("last rows" in i for t in doc.tables for i in t.issues)
