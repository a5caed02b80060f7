"""Where a piece's cell goes among the table's columns (:func:`extract.tables.cell_parts.placed_cell`):
a cell over two printed value columns is parted by its words' places; one over the STT or the
label (they make the row) never is — a narrow STT column placed a few mm off from another page
took the "8" of a staff list's row into the name column (dev hard 200), and the row was lost."""

from __future__ import annotations

from extract.model import CellKind, CellRead, GridCell, PixelBox, TableGrid, TextWord
from extract.tables.cell_parts import placed_cell
from extract.tables.column_fit import ColumnFitSettings, ColumnPlace

SETTINGS = ColumnFitSettings()
# a continuation page of three grid columns whose first covers the table's columns 0 and 1
GRID = TableGrid(
    box=PixelBox(0, 0, 900, 100),
    row_edges=(0, 100),
    col_edges=(0, 600, 750, 900),
    cells=(),
)
PLACES = [
    ColumnPlace(0, 2, edges=(0.0, 300.0, 600.0)),
    ColumnPlace(2, 1, sure=True, most=2, edges=(600.0, 750.0)),
    ColumnPlace(3, 1, sure=True, most=3, edges=(750.0, 900.0)),
]
PLACE = {0: (0, 2), 1: (2, 1), 2: (3, 1)}


def _cell(text: str, *words: tuple[str, int, int]) -> CellRead:
    placed = tuple(TextWord(w, PixelBox(a, 10, b, 90), 95.0) for w, a, b in words)
    return CellRead(GridCell(0, 0, 1, 1, PixelBox(0, 0, 600, 100)), text, 95.0, CellKind.NUMBER, (), placed)


def test_two_value_columns_are_parted() -> None:
    got = placed_cell(
        _cell("12 7", ("12", 200, 260), ("7", 500, 530)), 0, GRID, None, PLACES, PLACE, SETTINGS, 300
    )
    assert {j: c.text for j, c in got.items()} == {0: "12", 1: "7"}
    assert all(c.confidence <= SETTINGS.part_confidence for c in got.values())


def test_a_cell_over_the_stt_is_never_parted() -> None:
    # the "8" lies right of where the first page's STT rule would be: still the row's STT
    got = placed_cell(
        _cell("8", ("8", 320, 340)), 0, GRID, None, PLACES, PLACE, SETTINGS, 300, frozenset({0})
    )
    assert {j: c.text for j, c in got.items()} == {0: "8"}
    assert got[0].cell.col_span == 2  # placed in the STT column, over two: as before


def test_a_cell_the_page_merged_over_the_label_is_never_parted() -> None:
    grid = TableGrid(box=PixelBox(0, 0, 900, 100), row_edges=(0, 100), col_edges=(0, 300, 600, 900), cells=())
    merged = CellRead(
        GridCell(0, 1, 1, 2, PixelBox(300, 0, 900, 100)),
        "12 7",
        95.0,
        CellKind.NUMBER,
        (),
        (TextWord("12", PixelBox(400, 10, 460, 90)), TextWord("7", PixelBox(700, 10, 730, 90))),
    )
    free = placed_cell(merged, 1, grid, None, None, {}, SETTINGS, 300)
    assert free[1].text == "12"
    kept = placed_cell(merged, 1, grid, None, None, {}, SETTINGS, 300, frozenset({1}))
    assert kept[1].text == "12 7" and kept[1].cell.col_span == 2


def test_only_words_go_to_the_label_column_from_a_lower_pieces_cell_over_it() -> None:
    # a lower piece's column over the label (0) and a value column (1), placed under the value
    # column it overlaps most: a label read there is the row's label too; a number is not
    places = [ColumnPlace(0, 2, most=1, edges=(0.0, 300.0, 600.0))]
    columns = {0: 1}
    label = CellRead(GridCell(0, 0, 1, 1, PixelBox(0, 0, 600, 100)), "Phường 1", 94.0, CellKind.TEXT)
    got = placed_cell(label, 0, GRID, columns, places, {}, SETTINGS, 300, frozenset({0}), 0)
    assert {j: c.text for j, c in got.items()} == {0: "Phường 1", 1: "Phường 1"}
    number = _cell("8", ("8", 320, 340))
    got = placed_cell(number, 0, GRID, columns, places, {}, SETTINGS, 300, frozenset({0}), 0)
    assert {j: c.text for j, c in got.items()} == {1: "8"}
    # the STT column (fixed, not the label's) takes neither: a label there would be an STT of words
    got = placed_cell(label, 0, GRID, columns, places, {}, SETTINGS, 300, frozenset({0}), None)
    assert {j: c.text for j, c in got.items()} == {1: "Phường 1"}


def _merged_over_two(text: str, *words: tuple[str, int, int]) -> tuple[TableGrid, CellRead]:
    grid = TableGrid(box=PixelBox(0, 0, 900, 100), row_edges=(0, 100), col_edges=(0, 300, 600, 900), cells=())
    placed = tuple(TextWord(w, PixelBox(a, 10, b, 90), 95.0) for w, a, b in words)
    cell = CellRead(GridCell(0, 1, 1, 2, PixelBox(300, 0, 900, 100)), text, 95.0, CellKind.NUMBER, (), placed)
    return grid, cell


def test_a_merged_cell_of_two_numbers_its_words_over_the_lost_rule_is_parted_by_their_order() -> None:
    """Dev 1621's 10B p3 row 9: "0 142" over ``dvc3_qua_mang`` and ``dvc4_tthc`` (printed 0 and
    142), "0" reaching over the lost rule's place: its words' places could not part it, and the
    whole text stood in both columns, flagged, neither number counted.  Two numbers over two
    columns are parted by their order, each part no surer than ``part_confidence``."""
    grid, cell = _merged_over_two("0 142", ("0", 560, 640), ("142", 700, 780))
    got = [placed_cell(cell, c, grid, None, None, {}, SETTINGS, 300)[c] for c in (1, 2)]
    assert [c.text for c in got] == ["0", "142"]
    assert all(c.cell.col_span == 1 and c.confidence <= SETTINGS.part_confidence for c in got)
    # no words kept for the cell: its text alone parts it
    grid, cell = _merged_over_two("36 33")
    assert [placed_cell(cell, c, grid, None, None, {}, SETTINGS, 300)[c].text for c in (1, 2)] == ["36", "33"]


def test_a_merged_cell_not_holding_one_number_per_column_stays_whole() -> None:
    for text in ("1.748", "5 3 2", "Số 12 7", "12/QĐ 7"):
        grid, cell = _merged_over_two(text)
        got = placed_cell(cell, 1, grid, None, None, {}, SETTINGS, 300)[1]
        assert got.text == text and got.cell.col_span == 2
    # over two rows as well: which number is whose is not told by their order
    grid = TableGrid(
        box=PixelBox(0, 0, 900, 200), row_edges=(0, 100, 200), col_edges=(0, 300, 600, 900), cells=()
    )
    tall = CellRead(GridCell(0, 1, 2, 2, PixelBox(300, 0, 900, 200)), "36 33", 95.0, CellKind.NUMBER)
    assert placed_cell(tall, 1, grid, None, None, {}, SETTINGS, 300)[1].text == "36 33"
    off = SETTINGS.model_copy(update={"part_by_order": False})
    grid, cell = _merged_over_two("36 33")
    assert placed_cell(cell, 1, grid, None, None, {}, off, 300)[1].text == "36 33"
