"""A continuation page whose grid has a column less or more than the table's first page (a rule
lost on a worn page) takes its columns' keys from their positions under the first page's
columns, not from their count: a shift by one put every value right of the lost rule under its
neighbour's key, and the rules then blamed the print (dev document 2, form 4B: "printed totals
inconsistent ... values kept as printed" on three continuation pages)."""

from __future__ import annotations

from collections.abc import Sequence

from document_builders import ROW_H, read_table
from test_continuation_form import _communes, _first_page, _page

from extract.config import load_config
from extract.document import assemble_document
from extract.model import CellRead, GridCell, PixelBox, ReadTable, TableGrid, TableResult, Value


def _merged(matrix: Sequence[Sequence[str]], page: int, top: int, col: int, shift: int = 0) -> ReadTable:
    """``matrix`` read as a grid that lost the rule between columns ``col`` and ``col + 1``
    over the whole page (one column; its cells' texts joined), the page shifted ``shift`` px."""
    full = read_table(matrix, page=page, top=top)
    edges = [e + shift for i, e in enumerate(full.grid.col_edges) if i != col + 1]
    cells = []
    for r, row in enumerate(matrix):
        texts = [*row[:col], " ".join(t for t in row[col : col + 2] if t), *row[col + 2 :]]
        for c, text in enumerate(texts):
            box = PixelBox(edges[c], top + r * ROW_H, edges[c + 1], top + (r + 1) * ROW_H)
            old = full.cell_at(r, c if c <= col else c + 1)
            assert old is not None
            cells.append(CellRead(GridCell(r, c, 1, 1, box), text, old.confidence, old.kind, old.candidates))
    grid = TableGrid(
        box=PixelBox(edges[0], top, edges[-1], top + len(matrix) * ROW_H),
        row_edges=full.grid.row_edges,
        col_edges=tuple(edges),
        cells=tuple(cells),
    )
    return ReadTable(page_index=page, table_index=0, grid=grid, cells=tuple(cells))


def _page_2_values(by_order: bool) -> tuple[list[list[str]], dict[tuple[str, str], Value], TableResult]:
    body = _communes(4, 6)
    # the rule between "Mới tiếp nhận" (grid column 4) and the settled total (5) is gone
    second = _page(1, ["ỉ,. ~ -- ;"], _merged(body, 1, 200, 4, shift=9))
    config = load_config()
    config = config.override(
        "document", column_fit={**config.document.column_fit.model_dump(), "part_by_order": by_order}
    )
    doc = assemble_document("c1", "x.pdf", [_first_page(), second], config)
    assert [t.form for t in doc.tables] == ["5B"]
    table = doc.tables[0]
    on_page_2 = [v for v in table.values if v.page_index == 1 and v.row_key in {"II/4", "II/5", "II/6"}]
    return body, {(v.row_key, v.column_key): v for v in on_page_2}, table


def test_a_continuation_that_lost_a_rule_keeps_every_other_column_under_its_key() -> None:
    body, by_key, table = _page_2_values(by_order=False)
    for k, row in zip(("II/4", "II/5", "II/6"), body, strict=True):
        # the columns right of the lost rule keep their keys: (7) on time, (8) late
        assert by_key[(k, "da_giai_quyet_dung_han")].raw_text == row[6]
        assert by_key[(k, "da_giai_quyet_qua_han")].raw_text == row[7]
        assert by_key[(k, "da_giai_quyet_dung_han")].problem is None
        # the merged cell is two columns' text (5) and (6): flagged, never one column's value
        merged = by_key[(k, "tiep_nhan_moi")]
        assert merged.raw_text == f"{row[4]} {row[5]}"
        assert merged.ambiguous and "2 columns" in (merged.problem or "")
        # ... and the other column it covers holds it too, flagged alike (its printed value may be
        # in it: before, that column had no value at all)
        other = by_key[(k, "da_giai_quyet_tong")]
        assert other.raw_text == merged.raw_text and other.ambiguous and "2 columns" in (other.problem or "")
    assert not any("printed totals inconsistent" in i for i in table.issues)


def test_a_continuation_cell_of_two_numbers_over_a_lost_rule_is_parted_by_their_order() -> None:
    """column_fit.part_by_order (dev 1621's 10B "0 142"): the merged cell's two numbers, one per
    column in order, each at most part_confidence sure (flagged unless a rule bears it out)."""
    body, by_key, table = _page_2_values(by_order=True)
    part = load_config().document.column_fit.part_confidence
    for k, row in zip(("II/4", "II/5", "II/6"), body, strict=True):
        left, right = by_key[(k, "tiep_nhan_moi")], by_key[(k, "da_giai_quyet_tong")]
        assert (left.raw_text, right.raw_text) == (row[4], row[5])
        assert left.confidence <= part and right.confidence <= part
        assert by_key[(k, "da_giai_quyet_dung_han")].raw_text == row[6]
    assert not any("printed totals inconsistent" in i for i in table.issues)
