"""An untitled piece that continues a form's table with rules the table has not (a fax's letter
stems bridged into a rule down the label column, a seal's strokes) is joined to the table, its
cells under the table's columns by their places and every value of it flagged.  Before, two piece
columns under one table column refused the join: the piece came out as a table of no form (dev
124's fax 3B page 4, its 29 commune rows with a false rule through "Xã |M|ỹ Long"; dev 179's 11B
last two rows under a seal), and the score counted its 31 printed numbers as "table not found",
unflagged."""

from __future__ import annotations

from test_continuation_form import TITLE_5B, _communes
from test_district_and_trust import HEADER
from test_torn_pieces import EDGES, _page, _table

from extract.document import assemble_document
from extract.model import DocumentResult, PageResult


def _with_false_rules(rows: list[list[str]]) -> tuple[list[list[str]], list[int]]:
    """``rows`` with the label column cut by two rules (the stems of the capitals that start the
    communes' names, bridged on a fax): "Xã" left of them, "M" between, "ỹ An" right; the edges
    with those rules (two columns more than the table: more than a continuation's tolerance)."""
    edges = [*EDGES[:2], EDGES[1] + 30, EDGES[1] + 42, *EDGES[2:]]
    cut = [[row[0], "Xã", row[1][3], row[1][4:], *row[2:]] for row in rows]
    return cut, edges


NAMES = ["Xã Mỹ An", "Xã Mỹ Hòa", "Xã Mỹ Lợi"]


def _named(rows: list[list[str]]) -> list[list[str]]:
    return [[row[0], name, *row[2:]] for row, name in zip(rows, NAMES, strict=True)]


def _pages(second_rows: list[list[str]], edges: list[int]) -> list[PageResult]:
    first = _page(0, [(TITLE_5B, _table([*HEADER, *_communes(1, 3)], 300, EDGES))])
    return [first, _page(1, [([], _table(second_rows, 150, edges, page=1))])]


def _document(second_rows: list[list[str]], edges: list[int]) -> DocumentResult:
    return assemble_document("p1", "x.pdf", _pages(second_rows, edges))


def test_a_continuation_with_a_false_rule_in_its_label_column_joins_the_table_flagged() -> None:
    rows, edges = _with_false_rules(_named(_communes(4, 6)))
    doc = _document(rows, edges)
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
    table = doc.tables[0]
    assert [r.label for r in table.rows][-3:] == NAMES
    later = [v for v in table.values if v.page_index == 1 and v.number is not None]
    assert {(v.row_label, v.column_key): v.number for v in later}[("Xã Mỹ Hòa", "tiep_nhan_tong")] == 150
    assert later and all(v.status.value == "flagged" for v in later)
    assert all("rules where form 5B's table has none" in (v.flag_reason or "") for v in later)
    assert any("joined by where its columns stand" in issue for issue in table.issues)
    # only the piece is in doubt for its rules
    assert not any("rules where" in (v.flag_reason or "") for v in table.values if v.page_index == 0)


def test_a_piece_far_down_the_next_page_is_not_joined_so() -> None:
    rows, edges = _with_false_rules(_named(_communes(4, 6)))
    first = _page(0, [(TITLE_5B, _table([*HEADER, *_communes(1, 3)], 300, EDGES))])
    second = _page(1, [([], _table(rows, 1400, edges, page=1))])  # 56% down: no continuation
    doc = assemble_document("p2", "x.pdf", [first, second])
    assert [t.form for t in doc.tables] == ["5B", "unknown"]
    assert all(v.status.value == "flagged" for v in doc.tables[1].values if v.number is not None)


def test_a_piece_whose_columns_stand_elsewhere_stays_apart() -> None:
    other = [100 + 200 * c for c in range(6)]  # five wide columns: not 5B's
    rows = [["1", "Phòng Nội vụ", "12", "3", ""], ["2", "Phòng Tư pháp", "8", "1", ""]]
    doc = _document(rows, other)
    assert [t.form for t in doc.tables] == ["5B", "unknown"]


def test_a_piece_whose_worn_rules_line_up_less_joins_by_the_pieces_share_only() -> None:
    """A piece whose grid lost two of the table's rules and found six of its own (a broken rule
    in pieces, dev 170's 4B last two rows): 9 of the 13 edges line up (69%), under the column
    fit's 75% but over ``document.piece_edge_share`` (60%): joined, flagged; at 75% it stays apart."""
    from extract.config import load_config

    edges = [100, 220, 340, 460, 580, 640, 760, 820, 880, 1000, 1090, 1210, 1300, 1420, 1540]
    rows = []
    for row in _named(_communes(4, 6)):
        by_column: dict[int, str] = {}
        cut = []
        for x0, x1 in zip(edges, edges[1:], strict=False):
            j = max(range(12), key=lambda j: min(x1, EDGES[j + 1]) - max(x0, EDGES[j]))
            cut.append("" if j in by_column else row[j])
            by_column[j] = row[j]
        rows.append(cut)
    config = load_config()
    doc = assemble_document("p4", "x.pdf", _pages(rows, edges), config)
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
    later = [v for v in doc.tables[0].values if v.page_index == 1 and v.number is not None]
    assert later and all(v.status.value == "flagged" for v in later)
    strict = config.override("document", piece_edge_share=0.75)
    doc = assemble_document("p4", "x.pdf", _pages(rows, edges), strict)
    assert [t.form for t in doc.tables] == ["5B", "unknown"]
