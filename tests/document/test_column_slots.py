"""A table whose FIRST page lost a column rule (its header and body read as one grid column over
two printed columns), continued on pages that print both columns: the continuation pages'
two columns take the form's two keys of that slot (the first page's column key and the key
its header mapping missed), never an ``extra_`` column, and the first page's cells there are
flagged as one cell over two columns, since their text is two columns' values (dev document 2,
form 4B: "một cửa" and "liên thông" read as one column on page 5; 20 printed numbers of pages
6-8 were kept under ``extra_col17`` and scored "printed column not mapped")."""

from __future__ import annotations

from document_builders import read_table
from test_columns_continued import _merged
from test_continuation_form import TITLE_5B, _communes, _page
from test_district_and_trust import HEADER, _numbers

from extract.document import assemble_document

LOST = 6  # the rule between "Trả đúng thời hạn" (grid column 6) and "Trả quá hạn" (7)


def _document():
    body = [
        ["I", "TTHC thuộc thẩm quyền của UBND cấp huyện", *_numbers(500, 3)],
        ["II", "TTHC thuộc thẩm quyền của UBND cấp xã", *_numbers(sum(100 + 10 * i for i in range(1, 7)), 6)],
        *_communes(1, 3),
    ]
    body[2][LOST + 1] = ""  # a blank beside one number: the merged cell reads as one number
    first = _page(0, TITLE_5B, _merged([*HEADER, *body], 0, 400, LOST))
    later = _communes(4, 6)
    second = _page(1, ["ỉ,. ~ -- ;"], read_table(later, page=1, top=200))
    return body, later, assemble_document("s1", "x.pdf", [first, second])


def test_the_continuations_columns_take_the_slots_keys() -> None:
    _body, later, doc = _document()
    [table] = doc.tables
    assert table.form == "5B"
    assert not [k for k in table.columns if k.startswith("extra")]
    assert {"da_giai_quyet_dung_han", "da_giai_quyet_qua_han"} <= set(table.columns)
    by_key = {(v.row_key, v.column_key): v for v in table.values if v.page_index == 1}
    for k, row in zip(("II/4", "II/5", "II/6"), later, strict=True):
        assert by_key[(k, "da_giai_quyet_dung_han")].raw_text == row[LOST]
        assert by_key[(k, "da_giai_quyet_qua_han")].raw_text == row[LOST + 1]
        assert not by_key[(k, "da_giai_quyet_qua_han")].problem
    assert not any("da_giai_quyet_qua_han" in i and "not found" in i for i in table.issues)


def test_the_first_pages_merged_cells_are_flagged() -> None:
    body, _later, doc = _document()
    [table] = doc.tables
    on_first = [v for v in table.values if v.page_index == 0 and v.raw_text.strip()]
    merged = [
        v for v in on_first if v.raw_text.strip() in {body[2][LOST], f"{body[0][LOST]} {body[0][LOST + 1]}"}
    ]
    assert merged
    for v in merged:
        assert v.ambiguous and "2 columns" in (v.problem or ""), (v.column_key, v.raw_text, v.problem)
