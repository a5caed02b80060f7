"""A table torn into pieces keeps every piece: a piece right below the last one on the same page
(a band of rules lost across the table), and a continuation page that lost columns at its edge,
are the table's rows, each column under the table's column by its position on the page; a
piece whose columns do not line up, or that stands under another form's title, is a table of
its own (its values still come out); a title pushed up by a header read above a grid that
lost its top rules still names the form."""

from __future__ import annotations

from collections.abc import Sequence

from test_continuation_form import TITLE_5B, _communes
from test_district_and_trust import HEADER

from extract.document import assemble_document
from extract.model import (
    Candidate,
    CellKind,
    CellRead,
    GridCell,
    OcrLine,
    PageResult,
    PixelBox,
    ReadTable,
    TableGrid,
)

ROW_H = 40
EDGES = [100 + 120 * c for c in range(13)]  # 5B's 12 columns as printed


def _table(matrix: Sequence[Sequence[str]], top: int, edges: Sequence[int], page: int = 0) -> ReadTable:
    """One-slot cells read by two agreeing variants, columns at ``edges`` (page pixels)."""
    cells = []
    for r, row in enumerate(matrix):
        for c, text in enumerate(row):
            box = PixelBox(edges[c], top + r * ROW_H, edges[c + 1], top + (r + 1) * ROW_H)
            kind = CellKind.EMPTY if not text else (CellKind.NUMBER if text[0].isdigit() else CellKind.TEXT)
            candidates = (Candidate(text, 96.0, "vie+eng"), Candidate(text, 94.0, "vie")) if text else ()
            cells.append(CellRead(GridCell(r, c, 1, 1, box), text, 96.0 if text else 100.0, kind, candidates))
    grid = TableGrid(
        box=PixelBox(edges[0], top, edges[-1], top + len(matrix) * ROW_H),
        row_edges=tuple(top + r * ROW_H for r in range(len(matrix) + 1)),
        col_edges=tuple(edges),
        cells=tuple(cells),
    )
    return ReadTable(page_index=page, table_index=0, grid=grid, cells=tuple(cells))


def _page(index: int, blocks: Sequence[tuple[Sequence[str], ReadTable]]) -> PageResult:
    """A page of tables, each under its text lines (placed just above it)."""
    lines = []
    for texts, table in blocks:
        top = table.grid.box.y0
        for i, t in enumerate(texts):
            y = top - 45 * (len(texts) - i)
            lines.append(OcrLine(t, PixelBox(300, y, 2000, y + 40), 90.0))
    size = {"dpi": 300, "width": 3508, "height": 2480}
    tables = tuple(t for _texts, t in blocks)
    return PageResult(
        source="x.pdf", page_index=index, page_count=3, lines=tuple(lines), tables=tables, **size
    )


def _first(top: int = 300) -> ReadTable:
    return _table([*HEADER, *_communes(1, 3)], top, EDGES)


def _below(first: ReadTable, gap: int = 12) -> int:
    return first.grid.box.y1 + gap


def _values(doc, table: int = 0) -> dict[tuple[str, str], float | None]:
    return {(v.row_label, v.column_key): v.number for v in doc.tables[table].values}


def test_a_piece_right_below_on_the_same_page_is_the_tables_rows() -> None:
    first = _first()
    lower = _table(_communes(4, 6), _below(first), EDGES)
    doc = assemble_document("t1", "x.pdf", [_page(0, [(TITLE_5B, first), ([], lower)])])
    assert [t.form for t in doc.tables] == ["5B"]
    assert [r.index for r in doc.tables[0].rows] == ["1", "2", "3", "4", "5", "6"]
    assert _values(doc)[("Xã số 5", "tiep_nhan_tong")] == 150


def test_a_lower_piece_that_lost_its_stt_column_puts_each_value_under_its_printed_column() -> None:
    first = _first()
    rows = [row[1:] for row in _communes(4, 6)]  # the STT column's rules lost: 11 columns from x=220
    lower = _table(rows, _below(first), EDGES[1:])
    doc = assemble_document("t2", "x.pdf", [_page(0, [(TITLE_5B, first), ([], lower)])])
    assert [t.form for t in doc.tables] == ["5B"]
    values = _values(doc)
    assert values[("Xã số 6", "tiep_nhan_tong")] == 160
    assert values[("Xã số 6", "da_giai_quyet_qua_han")] == 1  # (8): not shifted one column left
    assert values[("Xã số 6", "da_giai_quyet_dung_han")] == 159
    assert ("Xã số 6", "ghi_chu") not in values or values[("Xã số 6", "ghi_chu")] is None


def test_a_continuation_page_that_lost_three_columns_at_its_edge_continues_the_table() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    rows = [row[:9] for row in _communes(4, 6)]  # (10)-(12) lost: 9 of the 12 columns
    shifted = [x + 25 for x in EDGES[:10]]  # and the page scanned 2 mm further right
    second = _page(1, [([], _table(rows, 150, shifted, page=1))])
    doc = assemble_document("t3", "x.pdf", [first, second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
    values = _values(doc)
    assert values[("Xã số 4", "tiep_nhan_tong")] == 140 and values[("Xã số 4", "da_giai_quyet_qua_han")] == 1


def test_a_lower_piece_whose_columns_do_not_line_up_is_a_table_of_its_own() -> None:
    first = _first()
    other = [100 + 200 * c for c in range(6)]  # five wide columns: not 5B's
    lower = _table(
        [["1", "Phòng Nội vụ", "12", "3", ""], ["2", "Phòng Tư pháp", "8", "1", ""]], _below(first), other
    )
    doc = assemble_document("t4", "x.pdf", [_page(0, [(TITLE_5B, first), ([], lower)])])
    assert [t.form for t in doc.tables] == ["5B", "unknown"]
    assert {v.number for v in doc.tables[1].values} >= {12, 3, 8, 1}  # its values still come out


def test_a_lower_piece_under_another_forms_title_is_its_own_table() -> None:
    first = _first()
    title_9b = ["Biểu mẫu 9B", "Thống kê số liệu về cải cách tài chính công"]
    header_9b = [
        ["STT", "Nội dung thống kê", "Số lượng đơn vị", "Số lượng đơn vị", "Ghi chú"],
        ["STT", "Nội dung thống kê", "Tổng số", "Tăng (+)/giảm (-) so với năm trước", "Ghi chú"],
    ]
    body = [["1", "Số cơ quan hành chính thực hiện cơ chế tự chủ", "12", "0", ""]]
    lower = _table([*header_9b, *body], _below(first, 200), EDGES[:6])
    doc = assemble_document("t5", "x.pdf", [_page(0, [(TITLE_5B, first), (title_9b, lower)])])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("9B", (0,))]


def test_a_title_pushed_up_by_a_header_read_above_the_grid_still_names_the_form() -> None:
    # the grid lost its top rules: 5B's header rows were read as text lines above it (six of
    # them, as many as the title block holds) and the grid starts at the body
    header_lines = ["Số hồ sơ đã tiếp nhận", "Kết quả giải quyết", "Tổng số", "STT", "Trong đó", "Ghi chú"]
    table = _table(_communes(1, 3), 700, EDGES)
    doc = assemble_document("t6", "x.pdf", [_page(0, [([*TITLE_5B, *header_lines], table)])])
    assert doc.tables[0].form == "5B"


def test_a_lower_piece_with_a_column_over_two_flags_that_columns_values() -> None:
    first = _first()
    rows = [[*r[:3], *r[4:]] for r in _communes(4, 6)]  # (3) and (4) read as one cell: 11 columns
    edges = [*EDGES[:3], *EDGES[4:]]
    lower = _table(rows, _below(first), edges)
    doc = assemble_document("t8", "x.pdf", [_page(0, [(TITLE_5B, first), ([], lower)])])
    assert [t.form for t in doc.tables] == ["5B"]
    by_key = {(v.row_label, v.column_key): v for v in doc.tables[0].values}
    unsure = by_key[("Xã số 4", "tiep_nhan_tong")]  # the merged cell, placed under (3)
    assert unsure.status.value == "flagged" and "do not line up" in (unsure.problem or "")
    sure = by_key[("Xã số 4", "tiep_nhan_moi")]  # (5): in its own column, placed for sure
    assert sure.number == 140 and not sure.ambiguous  # (its rule (3)=(4)+(5) may still flag it)


def test_a_continuation_placed_by_column_order_only_has_its_values_flagged() -> None:
    # page 2's columns do not line up with page 1's by their edges (other widths) and it has one
    # column more: joined by the count's tolerance, every value flagged
    first = _page(0, [(TITLE_5B, _first())])
    rows = [[*r, ""] for r in _communes(4, 5)]
    edges = [100 + 97 * c + (c * c) % 23 for c in range(14)]
    doc = assemble_document("t9", "x.pdf", [first, _page(1, [([], _table(rows, 150, edges, page=1))])])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
    second = [v for v in doc.tables[0].values if v.page_index == 1 and v.number is not None]
    assert second and all(v.status.value == "flagged" for v in second)


def test_a_continuation_after_a_broken_piece_of_no_known_form_still_joins_its_table() -> None:
    # page 2's grid broke: only a narrow piece of it was found (no form, its columns not 5B's);
    # page 3's untitled table at the top lines up with 5B's columns: it continues 5B
    first = _page(0, [(TITLE_5B, _first())])
    piece = _page(
        1, [([], _table([["7", "Xã số 7 … 150"], ["8", "Xã số 8 … 160"]], 150, [100, 220, 900], 1))]
    )
    third = _page(2, [([], _table(_communes(9, 10), 150, EDGES, page=2))])
    doc = assemble_document("t7", "x.pdf", [first, piece, third])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 2)), ("unknown", (1,))]
    assert _values(doc)[("Xã số 10", "tiep_nhan_tong")] == 200


def test_an_untitled_piece_that_cannot_be_joined_comes_out_with_every_value_flagged() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    piece = _page(
        1, [([], _table([["7", "Xã số 7", "150"], ["8", "Xã số 8", "160"]], 150, [100, 220, 900, 1000], 1))]
    )
    doc = assemble_document("t10", "x.pdf", [first, piece])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("unknown", (1,))]
    orphan = doc.tables[1]
    assert any("without a title" in i and "form 5B" in i for i in orphan.issues)
    numbers = [v for v in orphan.values if v.number is not None]
    assert {v.number for v in numbers} == {150, 160}  # nothing vanishes ...
    assert all(v.status.value == "flagged" for v in numbers)  # ... and nothing looks sure
