"""Row kinds, paths and keys of table bodies (extract.understand.rows)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.model import RowKind
from extract.understand.gazetteer import Gazetteer
from extract.understand.rows import (
    classify_rows,
    is_total_label,
    looks_like_commune,
    missing_rows,
    read_index,
    slug,
)


@pytest.fixture(scope="module")
def ke_sach():  # type: ignore[no-untyped-def]
    return Gazetteer.load().communes("943", 2019)


# Biểu mẫu 5B of the sample report, STT and label columns as OCR read them
FORM_5B = [
    ("(1)", "(2)"),
    ("I", "TT HC thuộc phạm vi thẩm quyền giải quyết của UBND cấp huyện"),
    ("II", "TT HC thuộc phạm vi thẩm quyền giải quyết của UBND cấp xã"),
    ("1", "Thị trấn Kế Sách"),
    ("2", "Thị trấn An Lạc Thôn"),
    ("3", "Xã Kế Thành"),
    ("4", "Xã Kế An"),
    ("5", "Xã Đại Hải"),
    ("6", "Xã Ba Trinh"),
    ("7", "Xã Trinh Phú"),
    ("8", "Xã Xuân Hòa"),
    ("9", "Xã Phong Năm"),
    ("10", "Xã Thời An Hội"),
    ("11", "Xã An Lạc Tây"),
    ("12", "Xã Nhon Mỹ"),
    ("13", "Xã An Mỹ"),
    ("", "Tổng số = (I) + (II)"),
]


def classify(rows, communes=None, commune_rows=True):  # type: ignore[no-untyped-def]
    return classify_rows([i for i, _ in rows], [lbl for _, lbl in rows], communes, commune_rows=commune_rows)


def test_form_5b(ke_sach) -> None:  # type: ignore[no-untyped-def]
    rows = classify(FORM_5B, ke_sach)
    assert [r.kind for r in rows[:3]] == [RowKind.COLUMN_NUMBERS, RowKind.SECTION, RowKind.SECTION]
    assert [r.path for r in rows[1:5]] == ["I", "II", "II/1", "II/2"]
    communes = rows[3:16]
    assert all(r.kind == RowKind.COMMUNE and r.commune is not None for r in communes)
    assert [r.key for r in communes][:3] == ["commune:31528", "commune:31531", "commune:31555"]
    assert rows[14].key == "commune:31552"  # "Xã Nhon Mỹ"
    assert rows[12].key == "commune:31549"  # "Xã Thời An Hội"
    assert (rows[-1].kind, rows[-1].path, rows[-1].key) == (RowKind.TOTAL, "total", "total")
    assert [r.label for r in rows] == [lbl for _, lbl in FORM_5B]
    assert len({r.key for r in rows}) == len(rows)


def test_without_commune_rows_no_row_is_a_commune(ke_sach) -> None:  # type: ignore[no-untyped-def]
    rows = classify(FORM_5B, ke_sach, commune_rows=False)
    assert not any(r.kind == RowKind.COMMUNE or r.commune for r in rows)
    assert [r.key for r in rows[3:6]] == ["II/1", "II/2", "II/3"]
    assert [r.kind for r in rows[3:6]] == [RowKind.ITEM] * 3


def test_form_3b_dotted_indices_and_a_commune_list_printed_twice(ke_sach) -> None:  # type: ignore[no-untyped-def]
    rows = classify(
        [
            ("1", "Kế hoạch rà soát TTHC"),
            ("2", "Số lượng TTHC đã công khai"),
            ("2.1", "Cấp huyện"),
            ("2.2", "Cấp xã"),
            ("2.2.1", "Thị trấn Kế Sách"),
            ("2.2.2", "Thị trấn An Lạc Thôn"),
            ("3", "Số lượng TTHC đã đăng tải"),
            ("3.2", "Cấp xã"),
            ("3.2.1", "Thị trấn Kế Sách"),
            ("3.2.2", "Thị trấn An Lạc Thôn"),
        ],
        ke_sach,
    )
    assert [r.path for r in rows[:5]] == ["1", "2", "2/2.1", "2/2.2", "2/2.2/2.2.1"]
    assert [r.kind for r in rows[2:4]] == [RowKind.SUBITEM, RowKind.SUBITEM]
    # each list matches on its own; the repeat gets a suffix
    assert [r.key for r in rows[4:6]] == ["commune:31528", "commune:31531"]
    assert [r.key for r in rows[8:10]] == ["commune:31528#2", "commune:31531#2"]
    assert rows[8].path == "3/3.2/3.2.1"
    assert rows[3].commune is None  # "Cấp xã" is not a commune


@pytest.mark.parametrize(
    ("raw", "kind", "text"),
    [
        ("I", "section", "I"),
        ("II.", "section", "II"),
        ("Il", "section", "II"),
        ("ll", "section", "II"),
        ("1I", "section", "II"),
        ("l", "section", "I"),
        ("III", "section", "III"),
        ("IV", "section", "IV"),
        ("1", "item", "1"),
        ("1.", "item", "1"),
        (" 12 ", "item", "12"),
        ("11", "item", "11"),
        ("2.1", "subitem", "2.1"),
        ("2.2.3", "subitem", "2.2.3"),
        ("2.2.l", "subitem", "2.2.1"),
        ("2,1", "subitem", "2.1"),
        ("2.2.3.", "subitem", "2.2.3"),
        ("-", "bullet", "-"),
        ("–", "bullet", "-"),
        ("+", "bullet", "+"),
        ("a", "letter", "a"),
        ("b)", "letter", "b"),
        ("", "none", ""),
        ("(1)", "item", "1"),
    ],
)
def test_read_index(raw: str, kind: str, text: str) -> None:
    info = read_index(raw)
    assert (info.kind, info.text) == (kind, text)


def test_ocr_noise_in_indices_keeps_the_hierarchy() -> None:
    rows = classify(
        [
            ("l", "Cấp huyện"),
            ("1.", "Phòng A"),
            ("2", "Phòng B"),
            ("Il.", "Cấp xã"),
            ("1", "Xã A"),
            ("1.l", "Ấp 1"),
        ]
    )
    assert [r.kind for r in rows] == [
        RowKind.SECTION,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.SECTION,
        RowKind.ITEM,
        RowKind.SUBITEM,
    ]
    assert [r.path for r in rows] == ["I", "I/1", "I/2", "II", "II/1", "II/1/1.1"]


def test_a_section_i_read_as_1_is_restored_when_section_ii_follows() -> None:
    # Biểu mẫu 10B of the sample report: "I" was read "1"
    rows = classify([("1", "UBND cấp huyện"), ("II", "UBND cấp xã"), ("1", "Thị trấn Kế Sách")])
    assert [(r.kind, r.index, r.path) for r in rows] == [
        (RowKind.SECTION, "I", "I"),
        (RowKind.SECTION, "II", "II"),
        (RowKind.ITEM, "1", "II/1"),
    ]
    # without a section II the row stays an item
    assert classify([("1", "A"), ("2", "B")])[0].kind == RowKind.ITEM


def test_bullets_are_keyed_by_label_under_their_parent() -> None:
    rows = classify(
        [
            ("1", "Kết quả ban hành"),
            ("-", "Số VBQPPL đã được ban hành"),
            ("-", "Số VBQPPL ban hành đúng tiến độ"),
            ("2", "Kiểm tra, xử lý VBQPPL"),
            ("-", "Số VBQPPL đã được ban hành"),
            ("-", "Số VBQPPL đã được ban hành"),
        ]
    )
    assert [r.kind for r in rows[1:3]] == [RowKind.SUBITEM, RowKind.SUBITEM]
    assert rows[1].path == "1/-"
    assert rows[1].key == "1/so_vbqppl_da_duoc_ban_hanh"
    assert rows[4].key == "2/so_vbqppl_da_duoc_ban_hanh"
    assert rows[5].key == "2/so_vbqppl_da_duoc_ban_hanh#2"


def test_rows_without_index_get_a_slug(ke_sach) -> None:  # type: ignore[no-untyped-def]
    rows = classify([("II", "UBND cấp xã"), ("", "Xã Kế An"), ("", "Ghi chú khác")], ke_sach)
    assert rows[1].kind == RowKind.COMMUNE and rows[1].key == "commune:31558"
    assert (rows[2].kind, rows[2].path, rows[2].key) == (RowKind.ITEM, "II/ghi_chu_khac", "II/ghi_chu_khac")


@pytest.mark.parametrize(
    "label",
    [
        "Tổng số",
        "Tổng cộng",
        "Tổng số = (I) + (II)",
        "Tổng (I) + (II)",
        "Tổng (I)+(II)",
        "TỔNG CỘNG",
        "Tông sô",
        "Tổng cộng:",
        "Cộng",
        "Tổng số=(I)+(II)+(III)",
        # OCR look-alikes of the bold numerals
        "Tổng số = (I) + (H)",
        "Tổng (I) + (H)",
        "Tổng (I)+(H)",
        "Tổng số = (I) + (I1)",
        "Tổng số = (I) + (ID)",
        "Tổng (l) + (Il)",
    ],
)
def test_total_labels(label: str) -> None:
    assert is_total_label(label)
    rows = classify([("I", "A"), ("II", "B"), ("", label)])
    assert (rows[-1].kind, rows[-1].path, rows[-1].key) == (RowKind.TOTAL, "total", "total")


@pytest.mark.parametrize(
    "label",
    [
        "Tổng số hồ sơ đã tiếp nhận",
        "Tổng số TTHC đã cung cấp",
        "Công an",
        "Thông tin",
        "",
        "Tổ chức",
        "Tổng hợp (ISO)",
    ],
)
def test_not_total_labels(label: str) -> None:
    assert not is_total_label(label)


def test_two_total_rows_have_distinct_keys() -> None:
    rows = classify([("", "Tổng số"), ("1", "A"), ("", "Tổng cộng")])
    assert [r.key for r in rows] == ["total", "1", "total#2"]


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError):
        classify_rows(["1"], [], None, commune_rows=False)


def test_slug() -> None:
    assert slug("Lĩnh vực Hộ tịch") == "linh_vuc_ho_tich"
    assert slug("  ") == "row"


@given(st.integers(min_value=1, max_value=30))
def test_roman_numerals_are_sections(n: int) -> None:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    rest, text = n, ""
    for value, sym in numerals:
        while rest >= value:
            text += sym
            rest -= value
    assert read_index(text).kind == "section" and read_index(text).text == text
    assert read_index(text + ".").text == text


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=4), st.booleans())
def test_dotted_indices_round_trip_with_ocr_l(parts: list[int], ocr: bool) -> None:
    text = ".".join(map(str, parts))
    raw = text.replace("1", "l") if ocr and len(parts) > 1 else text
    info = read_index(raw)
    assert info.text == text
    assert info.kind == ("subitem" if len(parts) > 1 else "item")


_INDEX = st.sampled_from(
    ["", "I", "II", "III", "1", "2", "3", "2.1", "2.2.3", "-", "+", "a", "Il", "1.", "x?", "(1)"]
)
_LABEL = st.sampled_from(
    [
        "",
        "Tổng số",
        "Xã Kế An",
        "Xã Nhon Mỹ",
        "Cấp xã",
        "Lĩnh vực Hộ tịch",
        "Phòng ban",
        "Thị trấn Kế Sách",
        "(2)",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_INDEX, _LABEL), max_size=25))
def test_keys_are_unique_and_rows_are_kept(rows: list[tuple[str, str]]) -> None:
    communes = Gazetteer.load().communes("943")
    out = classify(rows, communes)
    assert len(out) == len(rows)
    assert len({r.key for r in out}) == len(out)
    assert [r.label for r in out] == [lbl for _, lbl in rows]
    for r in out:
        assert (r.kind == RowKind.COMMUNE) == (r.commune is not None)
        if r.commune is not None:
            assert r.key.startswith(f"commune:{r.commune.commune.code}")
    # one row per commune within a group of rows under the same parent
    by_parent: dict[str, list[str]] = {}
    for r in out:
        if r.commune is not None:
            parent = r.path.rsplit("/", 1)[0] if "/" in r.path else ""
            by_parent.setdefault(parent, []).append(r.commune.commune.code)
    for codes in by_parent.values():
        assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("label", "like"),
    [
        ("Xã Kế Thành", True),
        ("Thị trấn Kế Sách", True),
        ("TT. Kế Sách", True),
        ("Phường 5", True),
        ("P. 3", True),
        ("UBND xã Kế An", True),
        ("Xa Ke An", True),  # diacritics lost
        ("Xã hội hóa công tác", False),
        ("UBND cấp xã", False),
        ("Lĩnh vực Hộ tịch", False),
        ("Phòng chuyên môn", False),
        ("TTHC thuộc thẩm quyền của UBND cấp xã", False),
        ("Xanh hóa", False),
    ],
)
def test_labels_printed_like_communes(label: str, like: bool) -> None:
    assert looks_like_commune(label) is like


def test_a_commune_like_row_that_matches_no_commune_is_flagged_not_an_item(ke_sach) -> None:  # type: ignore[no-untyped-def]
    rows = classify_rows(
        ["II", "1", "2", "3"],
        ["UBND cấp xã", "Xã Kế Thành", "Xã Hiền Quan", "Phòng chuyên môn"],  # Hiền Quan: Phú Thọ
        ke_sach,
        commune_rows=True,
    )
    assert rows[1].kind == RowKind.COMMUNE and rows[1].problem is None
    assert rows[2].kind == RowKind.ITEM and rows[2].commune is None
    assert rows[2].problem is not None and "Huyện Kế Sách" in rows[2].problem
    assert rows[3].problem is None  # not printed like a commune: a plain item
    # without a district every commune-like row says why it was not resolved
    unknown = classify_rows(["1"], ["Xã Kế Thành"], None, commune_rows=True)
    assert unknown[0].problem == "labelled like a commune but the report's district is unknown"


def test_missing_rows_name_stt_gaps_absent_communes_and_unresolved_rows(ke_sach) -> None:  # type: ignore[no-untyped-def]
    names = [c.name for c in ke_sach.communes]
    full = [("I", "UBND cấp huyện"), ("II", "UBND cấp xã")] + [(str(i + 1), n) for i, n in enumerate(names)]
    rows = classify([*full, ("", "Tổng số")], ke_sach)
    assert missing_rows(rows, ke_sach) == {}
    # commune 3 and 4 lost (a merged row on a worn scan): STT gap and absent communes named
    lost = [r for r in full if r[0] not in ("3", "4")]
    rows = classify(lost, ke_sach)
    found = missing_rows(rows, ke_sach)
    assert list(found) == ["II"]
    assert "STT 3, 4 not found" in found["II"]
    assert names[2] in found["II"] and names[3] in found["II"]
    assert f"{len(names) - 2} of the {len(names)} communes" in found["II"]
    # a commune-like label that matches nothing is named too
    odd = [*full[:4], ("3", "Xã Qwerty"), *full[6:]]  # one row where two communes are printed
    found = missing_rows(classify(odd, ke_sach), ke_sach)
    assert "'Xã Qwerty'" in found["II"]
    # where its place in the list names it, the row is its commune, and says what it read
    odd = [*full[:4], ("3", "Xã Qwerty"), *full[5:]]
    odd_rows = classify(odd, ke_sach)
    assert odd_rows[4].label == names[2] and "'Xã Qwerty'" in (odd_rows[4].problem or "")
    assert f"named only by their place in the list: {names[2]!r}" in missing_rows(odd_rows, ke_sach)["II"]
    # a missing section
    found = missing_rows(classify([("I", "A"), ("III", "C")]), None)
    assert found == {"": "STT II not found"}


def test_numerals_and_digits_read_for_each_other_keep_the_hierarchy(ke_sach) -> None:  # type: ignore[no-untyped-def]
    """A bold "I" read as a bar, "II" read as "H", a commune's "1" read as "I" after section II,
    "12" read as "L2" (a hard 150-dpi scan)."""
    rows = classify(
        [
            ("|", "Cấp huyện"),
            ("H", "Cấp xã"),
            ("I", "Thị trấn Kế Sách"),
            ("2", "Thị trấn An Lạc Thôn"),
            ("L2", "Xã Nhơn Mỹ"),
        ],
        ke_sach,
    )
    assert [(r.kind, r.path) for r in rows] == [
        (RowKind.SECTION, "I"),
        (RowKind.SECTION, "II"),
        (RowKind.COMMUNE, "II/1"),
        (RowKind.COMMUNE, "II/2"),
        (RowKind.COMMUNE, "II/12"),
    ]
    assert read_index("|").text == "I" and read_index("L2").text == "12"
