"""A continuation page with the table's column count whose rules stand elsewhere (a fax's page
that lost one rule and found a false one: dev 1111's 10B last page) is placed by position, not by
index: before, every column between the two took its left neighbour's key, sure (the total row's
1.722, 2.092 and 960 one printed column right, "wrong column" unflagged)."""

from __future__ import annotations

from test_continuation_form import TITLE_5B
from test_district_and_trust import HEADER
from test_torn_pieces import EDGES, _page, _table

from extract.document import assemble_document
from extract.model import DocumentResult

ROWS = [
    [str(i), f"Xã số {i}", *(str(10 * i + c) for c in range(9)), ""] for i in range(1, 4)
]  # tiep_nhan_tong 10i, ky_truoc 10i+1, moi 10i+2, da_giai_quyet_tong 10i+3, ...
MOVED = "do not line up with the table's"
LATER = [[str(i), f"Xã số {i}", *(str(10 * i + c) for c in range(9)), ""] for i in range(4, 7)]


def _cut(rows: list[list[str]], edges: list[int]) -> list[list[str]]:
    """``rows`` (the table's 12 columns at EDGES) as a grid with column ``edges`` reads them: each
    printed value in the piece column over its middle (none: lost)."""
    out = []
    for row in rows:
        cells = [""] * (len(edges) - 1)
        for j, text in enumerate(row):
            mid = (EDGES[j] + EDGES[j + 1]) / 2
            c = next(c for c in range(len(edges) - 1) if edges[c] <= mid < edges[c + 1])
            cells[c] = cells[c] or text
        out.append(cells)
    return out


def _document(edges: list[int]) -> DocumentResult:
    first = _table([*HEADER, *ROWS], 300, EDGES)
    second = _table(_cut(LATER, edges), 150, edges, page=1)
    return assemble_document("r1", "x.pdf", [_page(0, [(TITLE_5B, first)]), _page(1, [([], second)])])


def test_a_page_that_lost_a_rule_and_found_a_false_one_is_placed_by_position() -> None:
    # the rule between columns 6 and 7 lost, a false one 25 px into column 3
    edges = [*EDGES[:3], EDGES[2] + 25, *EDGES[3:6], *EDGES[7:]]
    assert len(edges) == len(EDGES)
    doc = _document(edges)
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
    later = {(v.row_label, v.column_key): v for v in doc.tables[0].values if v.page_index == 1}
    assert later[("Xã số 5", "tiep_nhan_tong")].number == 50  # by index: ky_truoc's place
    assert later[("Xã số 5", "tiep_nhan_ky_truoc")].number == 51
    assert later[("Xã số 5", "da_giai_quyet_tong")].number == 53
    assert later[("Xã số 5", "tiep_nhan_tong")].status.value == "flagged"
    assert MOVED in (later[("Xã số 5", "tiep_nhan_tong")].flag_reason or "")
    # the columns left of the false rule and right of the lost one stand where they did: not
    # in doubt for their place
    assert later[("Xã số 5", "dang_giai_quyet_tong")].number == 56
    assert MOVED not in (later[("Xã số 5", "dang_giai_quyet_tong")].flag_reason or "")


def test_a_page_whose_rules_stand_where_the_first_pages_do_is_placed_by_index() -> None:
    doc = _document(list(EDGES))
    later = {(v.row_label, v.column_key): v for v in doc.tables[0].values if v.page_index == 1}
    assert later[("Xã số 5", "tiep_nhan_ky_truoc")].number == 51
    assert not any(MOVED in (v.flag_reason or "") for v in later.values())
