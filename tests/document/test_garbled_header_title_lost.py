"""The next form's table at the top of a page, its title lost and its header garbled past every
form's words, is not a continuation of the table before it: its columns stand elsewhere than the
table's (a continuation prints its columns where its first page does, and no header or its own).
It is a table of its own, named by the annex order and its column count, every value flagged.
Before, 5B's table went to 4B as a continuation page (11 columns for 12: within the tolerance), its
values sure under 4B's columns and 5B's rows "table not found" (the test split's hard 300 class;
dev 018's and dev 214's 5B with their titles dropped: "Cơ qua Số liổs›đã tiếp nh")."""

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
TITLE_4B = ["Biểu mẫu 4B", "Thống kê số liệu về thủ tục hành chính thuộc thẩm quyền giải quyết"]
WIDTHS_4B = [80, 600, 150, 150, 150, 150, 150, 150, 150, 150, 200]
WIDTHS_5B = [80, 520, 130, 130, 130, 130, 130, 130, 130, 130, 130, 190]
# 5B's header as a worn scan read it: no form's words left
GARBLED = [
    ["STT", "Cơ qua", *["Số liổs›đã tiếp nh"] * 3, *["Sổ h sơ đ gảiq"] * 3, *["Sốhồ s đ ng gi"] * 3, "Ghi"],
    ["", "", "Tổn", "T ky tr", "M tếp", "Tổn", "Đún", "Qu h", "Tổn", "Chưa đ", "Qu h", ""],
]


def _body(n_cols: int, first: int, rows: int) -> list[list[str]]:
    return [
        [str(i), f"Lĩnh vực {i}", *[str(10 + i + j) for j in range(n_cols - 3)], ""]
        for i in range(first, first + rows)
    ]


def _pages(second_header: list[list[str]], widths: list[int], n_cols: int) -> list[PageResult]:
    first = _page(
        0, TITLE_4B, read_table([*_header(FORMS["4B"]), *_body(11, 1, 4)], page=0, top=400, widths=WIDTHS_4B)
    )
    second = _page(1, [], read_table([*second_header, *_body(n_cols, 1, 5)], page=1, top=150, widths=widths))
    return [first, second]


def test_a_table_under_no_title_with_a_garbled_header_and_its_own_columns_is_the_next_form() -> None:
    doc = assemble_document("g1", "x.pdf", _pages(GARBLED, WIDTHS_5B, 12))
    assert [(t.form, t.pages) for t in doc.tables] == [("4B", (0,)), ("5B", (1,))]
    four, five = doc.tables
    assert [r.index for r in four.rows] == ["1", "2", "3", "4"]  # none of 5B's rows under 4B
    assert [r.index for r in five.rows] == ["1", "2", "3", "4", "5"]
    assert {v.status.value for v in five.values if v.number is not None} == {"flagged"}
    alone = assemble_document("g0", "x.pdf", _pages(GARBLED, WIDTHS_5B, 12)[:1]).tables[0]
    assert [(v.column_key, v.number, v.status) for v in four.values] == [
        (v.column_key, v.number, v.status) for v in alone.values
    ]
    assert any("form 5B" in i and "not sure" in i for i in five.issues)


def test_a_continuation_repeating_its_header_garbled_at_its_columns_continues() -> None:
    garbled_4b = [["STT", "Cơ qua", *["Sổ TTHC đ hiệu"] * 8, "Ghi"], ["", "", *["Tổn", "Đún"] * 4, ""]]
    doc = assemble_document("g2", "x.pdf", _pages(garbled_4b, WIDTHS_4B, 11))
    assert [(t.form, t.pages) for t in doc.tables] == [("4B", (0, 1))]


def test_a_continuation_without_header_at_other_columns_continues_as_before() -> None:
    # no header rows: nothing says it is another form (placed by order, as before)
    doc = assemble_document("g3", "x.pdf", _pages([], WIDTHS_5B, 12))
    assert [(t.form, t.pages) for t in doc.tables] == [("4B", (0, 1))]
