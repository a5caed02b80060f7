"""Section rows told by their label where their STT was misread (extract.understand.section_labels).

Seen on the dev split's scans: 10B's "II" read "1" and section I's label cut to "UBND cấp" with no
STT (dev 2833, fax), 5B's "I" read "T" (dev 2910, fax), 14B's numerals run into their labels
("IICấpxã", dev 2935, hard 300): the rows were items, the communes below them at the top level,
and the sections' printed rows paired with nothing.
"""

from __future__ import annotations

from extract.config import load_forms
from extract.model import RowKind
from extract.understand.rows import classify_rows

FORMS = {f.code: f for f in load_forms()}


def _rows(code: str, rows: list[tuple[str, str]]) -> list[tuple[str, str, str, str | None]]:
    sections = [(s.index, s.label) for s in FORMS[code].sections]
    out = classify_rows(
        [i for i, _ in rows], [lbl for _, lbl in rows], None, commune_rows=True, sections=sections
    )
    return [(r.kind.value, r.index, r.path, r.printed_index) for r in out]


def test_sections_whose_numeral_was_misread_are_told_by_their_label() -> None:
    # 10B: "II" read "1", section I's label cut and no STT read
    got = _rows(
        "10B",
        [
            ("", "UBND cấp"),
            ("1", "UBND cấp xã"),
            ("1", "Phường Vũ Ninh"),
            ("2", "Phường Đáp Cầu"),
            ("", "Tổng số"),
        ],
    )
    assert got[:4] == [
        ("section", "I", "I", ""),
        ("section", "II", "II", "1"),
        ("item", "1", "II/1", None),
        ("item", "2", "II/2", None),
    ]
    assert got[4][0] == RowKind.TOTAL.value


def test_a_numeral_run_into_its_label_and_a_cut_label_above_section_ii() -> None:
    got = _rows("14B", [(".Cấphuyện", ". Cấp huyện"), ("IICấpxã", "II Cấpxã"), ("1", "Thị trấn Nhơn Hòa")])
    assert got == [
        ("section", "I", "I", ".Cấphuyện"),
        ("section", "II", "II", "IICấpxã"),
        ("item", "1", "II/1", None),
    ]
    got = _rows(
        "5B",
        [
            ("T", "TTHC thuộc phạm vi thẩm quyền"),
            ("II", "TTHC thuộc phạm vi thẩm quyền giải quyết của UBND "),
            ("1", "Thị trấn Phú Mỹ"),
        ],
    )
    assert got[0] == ("section", "I", "I", "T")


def test_rows_that_are_no_section_stay_as_read() -> None:
    # 7B as printed: nothing changes
    printed = [
        ("I", "UBND cấp huyện"),
        ("1", "Phòng chuyên môn"),
        ("2", "Sự nghiệp huyện"),
        ("II", "UBND cấp xã"),
        ("1", "Xã An Lạc"),
    ]
    plain = classify_rows([i for i, _ in printed], [lbl for _, lbl in printed], None, commune_rows=True)
    assert _rows("7B", printed) == [(r.kind.value, r.index, r.path, r.printed_index) for r in plain]
    # a numeral read by another row already, two rows alike, a commune, a form without sections
    assert (
        _rows("10B", [("I", "UBND cấp huyện"), ("1", "UBND cấp huyện"), ("II", "UBND cấp xã")])[1][0]
        == "item"
    )
    two = _rows("10B", [("", "UBND cấp xã"), ("1", "UBND cấp xã"), ("2", "Xã An Lạc")])
    assert [k for k, *_ in two[:2]] == ["item", "item"]
    assert _rows("10B", [("1", "Xã Cấp Xã"), ("2", "Xã An Lạc")])[0][0] == "item"
    # a cut label not right above section II, or section I read: no section by the prefix
    assert _rows("10B", [("", "UBND cấp"), ("1", "Phòng Nội vụ"), ("II", "UBND cấp xã")])[0][0] != "section"
    assert _rows("2B", [("1", "Cấp xã"), ("2", "Cấp huyện")])[0][0] == "item"


def test_a_numeral_the_form_does_not_print_is_told_by_its_label() -> None:
    # 10B's "II" read "III" (dev 2805, fax): the form prints I and II only; the label is II's
    got = _rows(
        "10B",
        [("I", "UBND cấp huyện"), ("III", "UBND cấp xã"), ("1", "Phường Vũ Ninh"), ("2", "Phường Đáp Cầu")],
    )
    assert got == [
        ("section", "I", "I", None),
        ("section", "II", "II", "III"),
        ("item", "1", "II/1", None),
        ("item", "2", "II/2", None),
    ]
    # a declared numeral read by another row: "III" is not given it
    got = _rows("10B", [("I", "UBND cấp huyện"), ("II", "UBND cấp xã"), ("III", "UBND cấp xã")])
    assert [g[1] for g in got] == ["I", "II", "III"]


def test_a_part_of_section_i_label_alone_above_section_ii_is_section_i() -> None:
    # 10B (dev 3631, fax): "I UBND cấp huyện" read "1" "cấp huyện", "II" read "u"
    got = _rows(
        "10B",
        [("1", "cấp huyện"), ("u", "UBND cấp xã"), ("1", "Xã Hòa Thành"), ("2", "Phường Hòa Hiệp Bắc")],
    )
    assert got == [
        ("section", "I", "I", "1"),
        ("section", "II", "II", "u"),
        ("item", "1", "II/1", None),
        ("item", "2", "II/2", None),
    ]
    # a part of section II's label there is no section I
    got = _rows("10B", [("1", "cấp xã"), ("u", "UBND cấp xã"), ("1", "Xã Hòa Thành")])
    assert got[0][1] != "I"
