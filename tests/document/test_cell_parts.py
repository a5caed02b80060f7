"""A cell over two printed columns (a rule lost on a worn continuation page, or on the cell's own
page) gives a value in each column it covers: the words printed within each column when every
word lies within one (parted at the rule's place), else the whole cell in every column, flagged.
Before, the cell was one flagged value under its first column and the other column had no value
at all: its printed number gone without a flag (dev hard 300, 10B continuation page: "5.036
2.141" under van_ban_di_tong, van_ban_giay empty; 8 printed numbers "left blank")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from document_builders import ROW_H, read_table
from test_columns_continued import _merged
from test_continuation_form import _communes, _first_page, _page

from extract.config import load_config
from extract.document import assemble_document
from extract.model import CellRead, GridCell, PixelBox, ReadTable, TableGrid, TextWord, Value


def _with_words(table: ReadTable, col: int, places: Sequence[tuple[float, float]]) -> ReadTable:
    """``table`` whose cells in grid column ``col`` carry their words at ``places`` (each a
    share of the cell's width: where the word is printed), as the reader gives them."""
    cells = []
    for cell in table.cells:
        words = cell.text.split()
        if cell.cell.col == col and len(words) == len(places):
            box = cell.cell.box
            width = box.x1 - box.x0
            placed = tuple(
                TextWord(
                    w, PixelBox(box.x0 + round(a * width), box.y0, box.x0 + round(b * width), box.y1), 96.0
                )
                for w, (a, b) in zip(words, places, strict=True)
            )
            cell = replace(cell, words=placed)
        cells.append(cell)
    grid = replace(table.grid, cells=tuple(c.cell for c in cells))
    return replace(table, grid=grid, cells=tuple(cells))


def _body() -> list[list[str]]:
    """Communes 4-6 with ten files of the previous period, so that "Mới tiếp nhận" (5) and the
    settled total (6), the two columns the lost rule joins, print different numbers."""
    rows = _communes(4, 6)
    return [[*r[:3], "10", str(int(r[4]) - 10), *r[5:]] for r in rows]


def _page_2(
    places: Sequence[tuple[float, float]], by_order: bool = True
) -> tuple[list[list[str]], dict[tuple[str, str], Value]]:
    body = _body()
    # the rule between "Mới tiếp nhận" (grid column 4) and the settled total (5) is gone on page 2
    table = _with_words(_merged(body, 1, 200, 4, shift=9), 4, places)
    config = load_config()
    fit = {**config.document.column_fit.model_dump(), "part_by_order": by_order}
    config = config.override("document", column_fit=fit)
    doc = assemble_document("c1", "x.pdf", [_first_page(), _page(1, ["ỉ,. ~ -- ;"], table)], config)
    assert [t.form for t in doc.tables] == ["5B"]
    values = [v for v in doc.tables[0].values if v.page_index == 1]
    return body, {(v.row_key, v.column_key): v for v in values}


def test_a_continuation_cell_over_two_columns_is_parted_at_the_lost_rule() -> None:
    # each number printed well inside its own column (the merged cell is two columns wide)
    body, by_key = _page_2([(0.1, 0.35), (0.6, 0.85)])
    part = load_config().document.column_fit.part_confidence
    for k, row in zip(("II/4", "II/5", "II/6"), body, strict=True):
        left, right = by_key[(k, "tiep_nhan_moi")], by_key[(k, "da_giai_quyet_tong")]
        assert (left.raw_text, right.raw_text) == (row[4], row[5])
        assert (left.number, right.number) == (float(row[4]), float(row[5]))
        assert left.problem is None and right.problem is None
        # parted by the rule's place on the first page, not read apart: at most part_confidence
        assert left.confidence <= part and right.confidence <= part
        # each part's box is its own column's on page 2, not the merged cell's
        assert left.box is not None and right.box is not None and left.box.x1 <= right.box.x0
        # the columns beside them are untouched
        assert by_key[(k, "da_giai_quyet_dung_han")].raw_text == row[6]


def test_a_word_over_the_lost_rule_parts_two_numbers_by_their_order_flagged() -> None:
    """The second number printed across the rule's place: its place does not say which column it
    is, but two numbers over two printed columns are one each, in order (column_fit.
    part_by_order; dev 1621's 10B "0 142"): each part flagged unless a rule bears it out."""
    body, by_key = _page_2([(0.1, 0.35), (0.45, 0.7)])
    part = load_config().document.column_fit.part_confidence
    for k, row in zip(("II/4", "II/5", "II/6"), body, strict=True):
        left, right = by_key[(k, "tiep_nhan_moi")], by_key[(k, "da_giai_quyet_tong")]
        assert (left.raw_text, right.raw_text) == (row[4], row[5])
        assert left.confidence <= part and right.confidence <= part
        assert all(v.status.value in ("flagged", "verified") for v in (left, right))


def test_a_word_over_the_lost_rule_leaves_the_whole_cell_in_both_columns_flagged() -> None:
    # parting by order switched off: which column the second number is, is not known
    body, by_key = _page_2([(0.1, 0.35), (0.45, 0.7)], by_order=False)
    for k, row in zip(("II/4", "II/5", "II/6"), body, strict=True):
        for key in ("tiep_nhan_moi", "da_giai_quyet_tong"):
            v = by_key[(k, key)]
            assert v.raw_text == f"{row[4]} {row[5]}"
            assert v.ambiguous and "2 columns" in (v.problem or "")
            assert v.status.value == "flagged"


def test_a_cell_the_page_merged_over_two_of_its_own_columns_is_parted_at_its_rules() -> None:
    # page 2 has all its columns, but one row's rule between (5) and (6) is gone: its grid merged
    # the two slots of that row into one cell
    body = _body()
    full = read_table(body, page=1, top=200)
    edges = full.grid.col_edges
    cells: list[CellRead] = []
    for cell in full.cells:
        r, c = cell.cell.row, cell.cell.col
        if r == 1 and c == 5:
            continue
        if r == 1 and c == 4:
            box = PixelBox(edges[4], 200 + ROW_H, edges[6], 200 + 2 * ROW_H)
            a, b = body[1][4], body[1][5]
            words = (
                TextWord(a, PixelBox(edges[4] + 20, box.y0, edges[4] + 60, box.y1), 95.0),
                TextWord(b, PixelBox(edges[5] + 20, box.y0, edges[5] + 60, box.y1), 95.0),
            )
            cell = CellRead(GridCell(1, 4, 1, 2, box), f"{a} {b}", 95.0, cell.kind, (), words)
        cells.append(cell)
    grid = TableGrid(
        box=full.grid.box, row_edges=full.grid.row_edges, col_edges=edges, cells=tuple(c.cell for c in cells)
    )
    table = ReadTable(page_index=1, table_index=0, grid=grid, cells=tuple(cells))
    doc = assemble_document("c1", "x.pdf", [_first_page(), _page(1, ["ỉ,. ~ -- ;"], table)])
    by_key = {(v.row_key, v.column_key): v for v in doc.tables[0].values if v.page_index == 1}
    left, right = by_key[("II/5", "tiep_nhan_moi")], by_key[("II/5", "da_giai_quyet_tong")]
    assert (left.raw_text, right.raw_text) == (body[1][4], body[1][5])
    assert left.problem is None and right.problem is None
    # the other rows are as read
    assert by_key[("II/4", "tiep_nhan_moi")].raw_text == body[0][4]


def test_a_column_of_the_cell_where_no_word_stands_is_no_sure_blank() -> None:
    # only the left number was read over the lost rule: the right column's value may be faint
    # there, so it is unread (flagged), never a sure blank
    rows = [[*r[:5], "", *r[6:]] for r in _body()]
    table = _with_words(_merged(rows, 1, 200, 4, shift=9), 4, [(0.1, 0.35)])
    doc = assemble_document("c1", "x.pdf", [_first_page(), _page(1, ["ỉ,. ~ -- ;"], table)])
    by_key = {(v.row_key, v.column_key): v for v in doc.tables[0].values if v.page_index == 1}
    for k, row in zip(("II/4", "II/5", "II/6"), rows, strict=True):
        left = by_key[(k, "tiep_nhan_moi")]
        assert left.raw_text == row[4] and left.problem is None
        right = by_key.get((k, "da_giai_quyet_tong"))
        assert right is not None and right.number is None
        assert right.status.value == "flagged" and right.confidence == 0
