"""The named steps of extract.understand.rows.classify_rows, one test each."""

from __future__ import annotations

import pytest

from extract.model import RowKind
from extract.understand.gazetteer import Gazetteer
from extract.understand.rows import (
    IndexInfo,
    _commune_problem,
    _Cursor,
    _fixed_row,
    _numbered_row,
    _numerals_as_digits,
    _place_rows,
    _Placed,
    _row_communes,
    _row_key,
    read_index,
)


@pytest.fixture(scope="module")
def ke_sach():  # type: ignore[no-untyped-def]
    return Gazetteer.load().communes("943", 2019)


def test_fixed_row_column_numbers_and_totals() -> None:
    assert _fixed_row("(1)", read_index("(1)"), "(2)") == _Placed(
        RowKind.COLUMN_NUMBERS, "column_numbers", ""
    )
    assert _fixed_row("", read_index(""), "Tổng số = (I) + (II)") == _Placed(RowKind.TOTAL, "total", "")
    assert _fixed_row("-", read_index("-"), "Tổng cộng") == _Placed(RowKind.TOTAL, "total", "")
    # a numbered row labelled "Tổng số" is an item of the table, not its total
    assert _fixed_row("1", read_index("1"), "Tổng số") is None
    assert _fixed_row("(1)", read_index("(1)"), "Xã An Mỹ") is None


def test_numbered_row_moves_the_cursor() -> None:
    cursor = _Cursor()
    assert _numbered_row(IndexInfo("section", "II"), "Cấp xã", cursor) == _Placed(RowKind.SECTION, "II", "")
    assert (cursor.section, cursor.last_numbered) == ("II", "II")
    assert _numbered_row(IndexInfo("item", "3"), "Xã A", cursor) == _Placed(RowKind.ITEM, "II/3", "II")
    assert cursor.last_numbered == "II/3"
    assert _numbered_row(IndexInfo("bullet", "-"), "Ấp 1", cursor) == _Placed(
        RowKind.SUBITEM, "II/3/-", "II/3"
    )
    assert cursor.last_numbered == "II/3"  # a bullet is no parent
    assert _numbered_row(IndexInfo("subitem", "3.2"), "x", cursor) == _Placed(
        RowKind.SUBITEM, "II/3/3.2", "II/3"
    )
    assert _numbered_row(IndexInfo("none", ""), "Lĩnh vực Hộ tịch", cursor) == _Placed(
        RowKind.ITEM, "II/3/3.2/linh_vuc_ho_tich", "II/3/3.2"
    )
    assert _numbered_row(IndexInfo("other", "?"), "", _Cursor()) == _Placed(RowKind.ITEM, "row", "")


def test_numerals_out_of_order_are_read_as_digits_before_anything_else() -> None:
    indices = ["(1)", "I", "II", "I", "2", "|", "l"]
    labels = ["(2)", "Cấp huyện", "Cấp xã", "Xã A", "Xã B", "Tổng số = (I) + (II)", "Xã C"]
    reads = _numerals_as_digits([read_index(i) for i in indices], labels)
    assert reads[1:3] == [IndexInfo("section", "I"), IndexInfo("section", "II")]
    assert reads[3] == IndexInfo("item", "1")  # "I" after II was the item "1"
    assert reads[5] == IndexInfo("none", "")  # a bar beside the total's label: no STT
    assert reads[6] == IndexInfo("item", "1")  # "l" read as the numeral I
    assert _numerals_as_digits([IndexInfo("section", "I"), IndexInfo("section", "III")], ["a", "b"]) == [
        IndexInfo("section", "I"),
        IndexInfo("section", "III"),
    ]


def test_place_rows_rewrites_the_column_number_index() -> None:
    indices = ["(1)", "I", "II", "I", "2"]
    labels = ["(2)", "Cấp huyện", "Cấp xã", "Xã A", "Xã B"]
    reads = _numerals_as_digits([read_index(i) for i in indices], labels)
    placed = _place_rows(indices, reads, labels)
    assert [p.kind for p in placed] == [
        RowKind.COLUMN_NUMBERS,
        RowKind.SECTION,
        RowKind.SECTION,
        RowKind.ITEM,
        RowKind.ITEM,
    ]
    assert [p.path for p in placed] == ["column_numbers", "I", "II", "II/1", "II/2"]
    assert reads[0] == IndexInfo("other", "(1)")  # no index for the column-number row


def test_row_communes_only_for_commune_forms(ke_sach) -> None:  # type: ignore[no-untyped-def]
    placed = [
        _Placed(RowKind.SECTION, "II", ""),
        _Placed(RowKind.ITEM, "II/1", "II"),
        _Placed(RowKind.ITEM, "II/2", "II"),
    ]
    labels = ["Xã Kế An", "Xã Kế An", "Xã Đại Hải"]
    matches = _row_communes(placed, labels, ke_sach, commune_rows=True)
    assert matches[0] is None  # a section row is never a commune
    assert [m.commune.name if m else None for m in matches[1:]] == ["Xã Kế An", "Xã Đại Hải"]
    assert _row_communes(placed, labels, ke_sach, commune_rows=False) == [None, None, None]
    assert _row_communes(placed, labels, None, commune_rows=True) == [None, None, None]


def test_row_key(ke_sach) -> None:  # type: ignore[no-untyped-def]
    m = ke_sach.assign(["Xã Kế An"])[0]
    item = _Placed(RowKind.ITEM, "II/4", "II")
    assert _row_key(item, "Xã Kế An", IndexInfo("item", "4"), m) == f"commune:{m.commune.code}"
    assert _row_key(item, "Phòng A", IndexInfo("item", "4"), None) == "II/4"
    assert _row_key(_Placed(RowKind.TOTAL, "total", ""), "Tổng", IndexInfo("none", ""), None) == "total"
    bullet = _Placed(RowKind.SUBITEM, "2/-", "2")
    assert _row_key(bullet, "Hộ tịch", IndexInfo("bullet", "-"), None) == "2/ho_tich"
    assert _row_key(bullet, "", IndexInfo("bullet", "-"), None) == "2/-"


def test_commune_problem(ke_sach) -> None:  # type: ignore[no-untyped-def]
    item = RowKind.ITEM
    assert _commune_problem(item, "Xã Không Có", None, ke_sach, commune_rows=True) == (
        f"labelled like a commune but matches no commune of {ke_sach.district.name}"
    )
    assert _commune_problem(item, "Xã Không Có", None, None, commune_rows=True) == (
        "labelled like a commune but the report's district is unknown"
    )
    assert _commune_problem(item, "Phòng Tư pháp", None, ke_sach, commune_rows=True) is None
    assert _commune_problem(item, "Xã Không Có", None, ke_sach, commune_rows=False) is None
    assert _commune_problem(RowKind.TOTAL, "Xã Không Có", None, ke_sach, commune_rows=True) is None
    m = ke_sach.assign(["Xã Kế An"])[0]
    assert _commune_problem(item, "Xã Kế An", m, ke_sach, commune_rows=True) is None
