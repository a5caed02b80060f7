"""An untitled piece at a continuation's place whose columns do not fit the table's first page
but fit a later page of it is joined there, flagged.  dev 1094 (hard 300): 4B's first page lost
the STT column (its grid from the label column on), pages 2-4 print it; the last page's grid
found two false rules besides (13 columns): fitted to the first page, the STT column stood under
none of its columns, so the piece came out as a table of no form and its 16 printed numbers
counted "table not found" (unflagged).  Fitted to the page before it, each piece column stands
under one of that page's and goes where that page's column goes."""

from __future__ import annotations

from test_continuation_form import TITLE_5B, _communes
from test_district_and_trust import HEADER
from test_piece_with_false_rules import NAMES, _named, _with_false_rules
from test_torn_pieces import EDGES, _page, _table

from extract.document import assemble_document
from extract.model import DocumentResult


def _document(elsewhere: bool = False) -> DocumentResult:
    first = _table([row[1:] for row in [*HEADER, *_communes(1, 3)]], 300, EDGES[1:])  # lost STT
    second = _table(_communes(4, 6), 150, EDGES, page=1)  # the STT column printed again
    rows, edges = _with_false_rules(_named(_communes(7, 9)))
    if elsewhere:  # columns of another width: their rules stand on no page's rules
        edges = [100 + 170 * c for c in range(len(edges))]
    pages = [
        _page(0, [(TITLE_5B, first)]),
        _page(1, [([], second)]),
        _page(2, [([], _table(rows, 150, edges, page=2))]),
    ]
    return assemble_document("l1", "x.pdf", pages)


def test_a_piece_whose_stt_column_the_first_page_lost_joins_by_the_page_before() -> None:
    doc = _document()
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1, 2))]
    table = doc.tables[0]
    assert [r.label for r in table.rows][-3:] == NAMES
    last = {(v.row_label, v.column_key): v for v in table.values if v.page_index == 2}
    assert last[("Xã Mỹ Hòa", "tiep_nhan_tong")].number == 180
    assert all(v.status.value == "flagged" for v in last.values() if v.number is not None)
    assert any("joined by where its columns stand" in issue for issue in table.issues)


def test_a_piece_that_fits_no_page_of_the_table_stays_apart() -> None:
    doc = _document(elsewhere=True)
    assert [t.form for t in doc.tables] == ["5B", "unknown"]
    assert all(v.status.value == "flagged" for v in doc.tables[1].values if v.number is not None)
