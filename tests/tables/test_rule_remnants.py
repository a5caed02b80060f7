"""A piece of a lost vertical rule read as "1" is no value (extract.tables.column_fit.rule_remnant).

Where a column rule is broken in one row of a worn scan, the grid closes one cell over the two
printed columns; the rule's remaining 2-px piece, standing on the lost rule's place, was read "1"
at 6-19 and could not be parted (a word across the rule's place), so "1" stood in both columns,
flagged "one cell over 2 columns" -- in cells printed empty (dev-new16: about 20 such numbers,
hard 200 and 300).  The cells below are the dev readings' shapes (dev_382 hard 200 2B page 3:
"1" at x 1072-1074 over the rule at 1073)."""

from __future__ import annotations

from extract.config import load_config
from extract.model import CellKind, CellRead, GridCell, PixelBox, TableGrid, TextWord
from extract.tables.cell_parts import placed_cell
from extract.tables.column_fit import ColumnFitSettings, part_cell, rule_remnant

SETTINGS = ColumnFitSettings()
EDGES = (951.0, 1073.0, 1536.0)
GRID = TableGrid(box=PixelBox(951, 0, 1536, 60), row_edges=(0, 60), col_edges=(951, 1073, 1536), cells=())


def _merged(*words: tuple[str, int, int], text: str | None = None) -> CellRead:
    placed = tuple(TextWord(w, PixelBox(a, 0, b, 60), 19.0) for w, a, b in words)
    return CellRead(
        GridCell(0, 0, 1, 2, PixelBox(951, 0, 1536, 60)),
        text if text is not None else " ".join(w for w, _a, _b in words),
        19.0,
        CellKind.NUMBER,
        (),
        placed,
    )


def test_a_rule_piece_read_as_one_leaves_both_columns_unread() -> None:
    parts = part_cell(_merged(("1", 1072, 1074)), EDGES, SETTINGS, 200)
    assert parts is not None
    assert [(p.text, p.kind, p.confidence) for p in parts] == [("", CellKind.EMPTY, 0.0)] * 2
    # through the page's own grid (placed_cell parts a cell the page merged at its rules)
    got = {c: placed_cell(_merged(("1", 1072, 1074)), c, GRID, None, None, {}, SETTINGS, 200) for c in (0, 1)}
    assert [got[c][c].text for c in (0, 1)] == ["", ""]


def test_a_value_beside_the_rule_piece_keeps_its_column() -> None:
    parts = part_cell(_merged(("1", 1072, 1074), ("35", 1480, 1520)), EDGES, SETTINGS, 200)
    assert parts is not None and [p.text for p in parts] == ["", "35"]


def test_printed_ones_are_not_rule_pieces() -> None:
    # a "1" inside its column, or one as wide as a printed digit across the rule: not a rule's
    # piece (the second is not parted at all, as before: which column it is, is not known)
    assert [p.text for p in part_cell(_merged(("1", 1500, 1502)), EDGES, SETTINGS, 200) or []] == ["", "1"]
    assert part_cell(_merged(("1", 1066, 1078)), EDGES, SETTINGS, 200) is None
    # two strokes, or a digit that is no stroke, at the rule: not a rule's piece either
    for word in (TextWord("11", PixelBox(1071, 0, 1075, 60)), TextWord("7", PixelBox(1072, 0, 1074, 60))):
        assert not rule_remnant(word, EDGES[1:-1], SETTINGS, 200)
    # the setting off: as before
    off = ColumnFitSettings(rule_mark_mm=0.0)
    assert part_cell(_merged(("1", 1072, 1074)), EDGES, off, 200) is None


def test_the_width_is_a_setting() -> None:
    assert SETTINGS.rule_mark_mm == load_config().document.column_fit.rule_mark_mm == 0.35
    word = TextWord("1", PixelBox(1071, 0, 1075, 60))  # 4 px: 0.51 mm at 200 dpi, 0.34 at 300
    assert not rule_remnant(word, EDGES[1:-1], SETTINGS, 200)
    assert rule_remnant(word, EDGES[1:-1], SETTINGS, 300)
