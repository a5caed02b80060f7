"""STTs restored from the sequence of their siblings, and communes of unreadable labels from their
place in a list printed in code order (issue 9: rows missing on worn scans -- a misread STT or a
label under a seal left the row unplaced, its commune "not found" and its numbers nobody's)."""

from __future__ import annotations

import pytest

from extract.document import _row_issues
from extract.model import RowKind
from extract.understand.gazetteer import Gazetteer
from extract.understand.row_sequence import follows, restore_sequence
from extract.understand.rows import classify_rows, mark_doubtful_rows, missing_rows, read_index


@pytest.fixture(scope="module")
def ke_sach():  # type: ignore[no-untyped-def]
    return Gazetteer.load().communes("943", 2019)


@pytest.fixture(scope="module")
def names(ke_sach) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.name for c in ke_sach.communes]  # in the order of their codes


def table(rows: list[tuple[str, str]], communes=None, *, commune_rows: bool = True):  # type: ignore[no-untyped-def]
    classified = classify_rows(
        [i for i, _ in rows], [lbl for _, lbl in rows], communes, commune_rows=commune_rows
    )
    return mark_doubtful_rows(classified, communes)


def test_follows_reads_the_numbering_of_printed_tables() -> None:
    assert follows("2.2.1", "2.2.4", 3)
    assert not follows("2.2.1", "2.2.4", 2)  # three numbers on in two rows: no
    assert follows("2.2", "2.2.1", 1) and not follows("2.2", "2.2.2", 1)
    assert follows("2.2.16", "3", 1) and follows("7", "8", 1)
    assert not follows("2.2.1", "2.2.2.2.2.3", 1)
    assert not follows("7", "10", 1) and not follows("3", "45", 1)


def test_misread_stts_of_a_commune_list_are_restored_and_the_printed_text_kept(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    printed = [
        ("1", "Kế hoạch"),
        ("2", "Số lượng TTHC đã công khai"),
        ("2.1", "Cấp huyện"),
        ("2.2", "Cấp xã"),
    ]
    printed += [(f"2.2.{i + 1}", name) for i, name in enumerate(names)]
    printed[5] = ("2.2.2.2.2.2", names[1])  # a worn "2.2.2" read with its dots doubled
    printed[10] = ("22.7", names[6])
    printed[12] = ("lo", names[8])  # "2.2.9" lost but for a blot
    printed.append(("3", "Số lượng TTHC đã đăng tải"))
    rows = table(printed, ke_sach)
    got = {r.label: (r.index, r.printed_index, r.problem) for r in rows}
    assert got[names[1]] == ("2.2.2", "2.2.2.2.2.2", None)
    assert got[names[6]] == ("2.2.7", "22.7", None)
    # the commune is named: the STT given by the sequence is not doubted
    assert got[names[8]] == ("2.2.9", "lo", None)
    assert rows[4].printed_index is None  # as read
    assert missing_rows(rows, ke_sach) == {}
    # the table records what was restored (no value is flagged for it)
    issues = _row_issues(rows, {})
    assert issues == [
        "STT restored from the rows around it: row 6 '2.2.2.2.2.2' -> '2.2.2', "
        "row 11 '22.7' -> '2.2.7', row 13 'lo' -> '2.2.9'"
    ]


def test_stts_run_together_above_an_empty_stt_are_two_rows() -> None:
    printed = [("I", "Cấp huyện"), ("1", "Lĩnh vực Người có công"), ("2", "Lĩnh vực giá")]
    printed += [("3", "Lĩnh vực công sản"), ("45", "Lĩnh vực tài nguyên nước")]
    printed += [("", "Lĩnh vực Giáo dục và Đào tạo"), ("6", "Lĩnh vực Xuất bản")]
    rows = table(printed, commune_rows=False)
    assert [(r.index, r.printed_index, r.problem) for r in rows[4:6]] == [("4", "45", None), ("5", "", None)]
    assert [r.path for r in rows[4:7]] == ["I/4", "I/5", "I/6"]
    # one row for two STTs ("45" between 3 and 6 with no row after it): merged, as before
    merged = table([*printed[:5], printed[6]], commune_rows=False)
    assert merged[4].index == "45" and "run together" in (merged[4].problem or "")


def test_an_stt_given_by_the_sequence_alone_is_flagged_on_an_item_row() -> None:
    printed = [("1", "Lĩnh vực A"), ("2", "Lĩnh vực B"), ("Ï#", "Lĩnh vực C"), ("4", "Lĩnh vực D")]
    rows = table(printed, commune_rows=False)
    assert rows[2].index == "3" and rows[2].printed_index == "Ï#"
    assert rows[2].problem is not None and "'3' given by the rows around it" in rows[2].problem


def test_rows_that_do_not_fit_the_sequence_are_left_as_read() -> None:
    # an unnumbered row between two consecutive STTs is a row of its own ("Trong đó")
    printed = [("1", "A"), ("2", "B"), ("", "Trong đó"), ("3", "C"), ("-", "D"), ("", "E"), ("5", "F")]
    reads = [read_index(i) for i, _ in printed]
    assert restore_sequence([i for i, _ in printed], reads, [False] * len(printed)) == []


def test_a_total_row_read_with_a_number_after_the_list_is_the_total(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    printed = [("I", "Cấp huyện"), ("II", "Cấp xã"), *[(str(i + 1), n) for i, n in enumerate(names)]]
    printed[-2] = ("9/ãBÌhùAn", names[-2])  # "12" under a seal: the digits of the next STT
    printed.append(("1", "Tống số = (ID +0)"))
    rows = table(printed, ke_sach)
    assert rows[-3].index == "12" and rows[-3].problem is None
    assert rows[-1].kind == RowKind.TOTAL and rows[-1].index == "" and rows[-1].printed_index == "1"


def test_unreadable_labels_get_the_communes_of_their_place_flagged(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    printed = [("I", "Cấp huyện"), ("II", "Cấp xã"), *[(str(i + 1), n) for i, n in enumerate(names)]]
    printed[2 + 5] = ("6", "Là")  # Xã Trinh Phú and Xã Ba Trinh under a seal
    printed[2 + 6] = ("7", "")
    printed.append(("", "Tổng cộng"))
    rows = table(printed, ke_sach)
    for row, name in zip(rows[7:9], names[5:7], strict=True):
        assert row.commune is not None and row.commune.commune.name == name
        assert row.kind == RowKind.COMMUNE and row.key == f"commune:{row.commune.commune.code}"
        assert row.problem is not None and "place in the list" in row.problem  # its values: flagged
    assert f"between {names[4]} and {names[7]}" in (rows[7].problem or "")
    # named as its place says (a garble names no row anyone can find); the text read is in the reason
    assert rows[7].label == names[5] and "its label read 'Là'" in (rows[7].problem or "")
    # the table still names the rows as not read: a sum over them blames no printed report
    assert "rows named only by their place in the list" in missing_rows(rows, ke_sach)["II"]


def test_no_commune_by_place_where_the_list_does_not_settle_it(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    base = [("I", "Cấp huyện"), ("II", "Cấp xã"), *[(str(i + 1), n) for i, n in enumerate(names)]]
    one_for_two = [*base[:7], ("6", "Là"), *base[9:]]  # one row where two communes are missing
    assert table(one_for_two, ke_sach)[7].commune is None
    shuffled = list(base)
    shuffled[3], shuffled[4] = shuffled[4], shuffled[3]  # a list not in code order
    shuffled[2 + 6] = ("7", "ảng .")
    assert table(shuffled, ke_sach)[8].commune is None
    two_names = list(base)
    two_names[2 + 6] = ("7", "Xã Ba Xã Thới")  # names two communes: a merge, not a place
    assert table(two_names, ke_sach)[8].commune is None


def test_rows_whose_stt_was_lost_stay_in_the_list_for_their_place(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    """A fax's last commune rows: "10" read "1", "11" read "L", "12" lost, "13" read "3" --
    the rows without a readable STT hang under the row above, and still count in the list."""
    printed = [("I", "Cấp huyện"), ("II", "Cấp xã"), *[(str(i + 1), n) for i, n in enumerate(names[:9])]]
    printed += [("1", "Hon"), ("L", names[10]), ("", "Xã Nà"), ("3", names[12]), ("", "Tổng số")]
    rows = table(printed, ke_sach)
    assert rows[11].commune is not None and rows[11].commune.commune.name == names[9]
    assert rows[13].commune is not None and rows[13].commune.commune.name == names[11]
    assert all("place in the list" in (rows[i].problem or "") for i in (11, 13))


def test_the_last_communes_of_a_list_under_a_seal_get_their_place_before_a_garbled_total(
    ke_sach, names
) -> None:  # type: ignore[no-untyped-def]
    """Dev 394's 6B p14: a seal over the last two communes and the total: their labels read
    "Pham" and "th CÓ Chấu", the total's "9" (no STT).  The total hung under row 9 and counted as
    a third row after the last matched commune, where two communes are left: nothing was given
    (18 numbers paired with no printed row).  The numbered rows alone are as many: they get the
    communes of their place, flagged; the row after them does not."""
    n = len(names)
    printed = [("I", "Cấp huyện"), ("II", "Cấp xã"), *[(str(i + 1), m) for i, m in enumerate(names[:-2])]]
    printed += [(str(n - 1), "Pham"), (str(n), "th CÓ Chấu"), ("", "9")]
    rows = table(printed, ke_sach)
    for row, name in zip(rows[-3:-1], names[-2:], strict=True):
        assert row.commune is not None and row.commune.commune.name == name
        assert row.problem is not None and "place in the list" in row.problem
    assert f"after {names[-3]}" in (rows[-3].problem or "")
    assert rows[-1].commune is None
    # a row without an STT between the numbered ones is no trailing row: the counts decide as before
    printed = [*printed[:-3], (str(n - 1), "Pham"), ("", "Xã"), (str(n), "th CÓ Chấu")]
    assert all(r.commune is None for r in table(printed, ke_sach)[-3:])


def test_the_first_communes_of_a_list_under_garble_get_their_place_from_the_first_commune_stt(
    ke_sach, names
) -> None:  # type: ignore[no-untyped-def]
    """Dev 4568's 7B p12: section I's last item, section II and the list's first two communes read
    as garble ("“ñT", "HÀ | TƯ", "Lạ | ẦƑ", "1 | "), then "3 Xã Trực Chính".  Six rows of the list
    stood above the first matched commune where two communes are missing: nothing was given (34
    numbers on rows that paired with no printed row).  The first matched commune reads STT 3: the
    two rows right above it are the list's first two communes, flagged; the rows above them are not."""
    head = [("I", "Cấp huyện"), ("1", "Phòng chuyên môn"), ("2", "Sự nghiệp huyện")]
    garble = [("“ñT", ""), ("HÀ", "TƯ"), ("Lạ", "ẦƑ"), ("1", "")]
    printed = [*head, *garble, *[(str(i + 3), n) for i, n in enumerate(names[2:])], ("", "Tổng số")]
    rows = table(printed, ke_sach)
    for row, name in zip(rows[5:7], names[:2], strict=True):
        assert row.commune is not None and row.commune.commune.name == name
        assert row.problem is not None and "place in the list" in row.problem
    assert f"before {names[2]}" in (rows[5].problem or "")
    assert rows[3].commune is None and rows[4].commune is None
    # the first matched commune's STT does not say two rows of the list stand above it: nothing
    for stt in ("1", "4", "C"):
        other = [*head, *garble, (stt, names[2]), *[(str(i + 4), n) for i, n in enumerate(names[3:])]]
        assert all(r.commune is None for r in table(other, ke_sach)[3:7])


def test_the_last_rows_of_a_section_read_run_together() -> None:
    printed = [("I", "Cấp huyện"), *[(str(i), f"Lĩnh vực {i}") for i in range(1, 20)]]
    printed += [("2021", "Lĩnh vực Phòng chống tham nhũng"), ("", "Lĩnh vực đăng ký giao dịch")]
    printed += [("II", "Cấp xã"), ("1", "Lĩnh vực Chính sách")]
    rows = table(printed, commune_rows=False)
    assert [(r.index, r.printed_index, r.problem) for r in rows[20:22]] == [
        ("20", "2021", None),
        ("21", "", None),
    ]


def test_a_bar_read_beside_the_total_label_is_no_section(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    """ "|" read in the total row's STT cell is a numeral "I" after section II: the row is the
    total, not a commune row "1" (which took a place in the list and kept two communes unplaced)."""
    printed = [("I", "Cấp huyện"), ("II", "Cấp xã"), *[(str(i + 1), n) for i, n in enumerate(names)]]
    printed[-1] = (str(len(names)), "^")  # the last commune's label lost
    printed.append(("|", "Tống số = (ID +0)"))
    rows = table(printed, ke_sach)
    assert rows[-1].kind == RowKind.TOTAL and rows[-1].index == ""
    assert rows[-2].commune is not None and rows[-2].commune.commune.name == names[-1]


def test_an_stt_read_as_the_numeral_i_inside_a_section_is_no_section_bound() -> None:
    """Dev 030 4B p10: a signature over row 4 of section II ("6." read), row 5's "5" read "` l"
    (the numeral I): the "I" is the item it stands for, and both STTs are restored between 3
    and 6 -- flagged, the sequence alone gives them."""
    printed = [("I", "TTHC cấp huyện"), ("1", "Lĩnh vực A"), ("H", "TTHC cấp xã")]
    printed += [("1", "Lĩnh vực Chính sách"), ("2", "Lĩnh vực Dân số"), ("3", "Lĩnh vực tôn giáo")]
    printed += [
        ("6.", ""),
        ("` l", "Ýĩnh vực Chứng thực"),
        ("6", "Lĩnh vực khiếu nại"),
        ("7", "Lĩnh vực tố cáo"),
    ]
    rows = table(printed, commune_rows=False)
    assert [r.index for r in rows] == ["I", "1", "II", "1", "2", "3", "4", "5", "6", "7"]
    assert [r.path for r in rows[6:8]] == ["II/4", "II/5"]
    assert (rows[6].printed_index, rows[7].printed_index) == ("6.", "` l")
    assert all("given by the rows around it" in (r.problem or "") for r in rows[6:8])
    assert "not found" not in missing_rows(rows, None).get("II", "")  # no "STT 4, 5 not found"


@pytest.fixture(scope="module")
def tan_phu_dong():  # type: ignore[no-untyped-def]
    return Gazetteer.load().communes("825", 2021)  # six communes


def test_a_seal_over_a_lists_last_rows_and_its_total_stt_column_too(tan_phu_dong) -> None:  # type: ignore[no-untyped-def]
    """Dev 1138's 7B p15: a table's last three communes and its total alone at the top of a page
    under a seal, no STT read, labels "", "ă Phẩ”) ng |— 6 a Phú", "" and "Lồn§ cống" -- after
    the three matched communes four unnumbered rows where three communes are left (the fourth is
    the total), and three anchors in a list of six: no commune was given (51 numbers paired with
    no printed row).  The list has a row for every commune of the district: three anchors
    settle its order; the last row of the table is left to the total."""
    names = [c.name for c in tan_phu_dong.communes]
    printed = [("I", "UBND cấp huyện"), ("1", "Phòng chuyên môn"), ("II", "UBND cấp xã")]
    printed += [(str(i + 1), n) for i, n in enumerate(names[:3])]
    printed += [("", ""), ("", "ă Phẩ”) ng |— 6 a Phú"), ("", ""), ("", "Lồn§ cống")]
    rows = table(printed, tan_phu_dong)
    for row, name in zip(rows[6:9], names[3:], strict=True):
        assert row.commune is not None and row.commune.commune.name == name
        assert row.problem is not None and "place in the list" in row.problem
    assert rows[9].commune is None


def test_three_anchors_settle_only_a_list_of_the_whole_district(tan_phu_dong, ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    """Dev 1005's 11B p5: a list of all eight communes whose last five labels lost their names
    to a split cell ("Xã" | "Phú Văn"): three anchors are enough where the list has a row for
    every commune; in a longer district's list (13 communes) whose rows stop short, they are not."""
    six = [c.name for c in tan_phu_dong.communes]
    printed = [("II", "UBND cấp xã"), *[(str(i + 1), n) for i, n in enumerate(six[:3])]]
    printed += [(str(i + 4), "Xã") for i in range(3)]
    rows = table(printed, tan_phu_dong)
    assert [r.commune.commune.name if r.commune else None for r in rows[4:]] == six[3:]
    # not the whole district: 3 anchors and 3 rows of 13 communes -- no place settles anything
    printed = [("II", "UBND cấp xã"), *[(str(i + 1), n) for i, n in enumerate(names[:3])]]
    printed += [(str(i + 4), "Xã") for i in range(3)]
    assert all(r.commune is None for r in table(printed, ke_sach)[4:])
    # the whole district but the anchors out of code order: nothing
    printed = [("II", "UBND cấp xã"), ("1", six[1]), ("2", six[0]), ("3", six[2])]
    printed += [(str(i + 4), "Xã") for i in range(3)]
    assert all(r.commune is None for r in table(printed, tan_phu_dong)[4:])
    # a fourth row after the numbered ones: more rows than the district has communes, no place
    printed = [("II", "UBND cấp xã"), *[(str(i + 1), n) for i, n in enumerate(six[:3])]]
    printed += [("4", ""), ("5", ""), ("6", ""), ("", "")]
    assert all(r.commune is None for r in table(printed, tan_phu_dong)[4:])


def _sections_4b(eleven: str, second: str) -> list[tuple[str, str]]:
    """A 4B-like table: section I with 16 fields, section II with 5; the STTs of its item 11 and
    of its section II as given."""
    rows = [("I", "TTHC thuộc thẩm quyền tiếp nhận")]
    rows += [(str(i), f"Lĩnh vực số {i}") for i in range(1, 17)]
    rows[11] = (eleven, "Lĩnh vực số 11")
    rows.append((second, "TTHC thuộc thẩm quyền giải quyết"))
    rows += [(str(i), f"Lĩnh vực thứ {i}") for i in range(1, 6)]
    return rows


def test_eleven_and_the_numeral_ii_read_as_each_other_are_told_apart_by_their_place() -> None:
    rows = table(_sections_4b("II", "11"), commune_rows=False)
    got = [(r.kind, r.index, r.path, r.printed_index) for r in rows]
    assert got[11] == (RowKind.ITEM, "11", "I/11", "II")
    assert got[17] == (RowKind.SECTION, "II", "II", "11")
    assert [r.path for r in rows[18:]] == [f"II/{i}" for i in range(1, 6)]
    assert all(r.problem is None for r in rows)
    # as printed: nothing to tell apart
    printed = table(_sections_4b("11", "II"), commune_rows=False)
    assert [(r.index, r.printed_index) for r in printed][11] == ("11", None)
    assert [(r.kind, r.index) for r in printed][17] == (RowKind.SECTION, "II")


def test_section_numerals_read_as_eleven_after_a_first_section_read_one_or_ii() -> None:
    # dev 1031's 14B: "I" read "1", "II" read "11", over a list from 1
    got = table(
        [("1", "Cấp huyện"), ("11", "Cấp xã"), ("1", "Hàng một"), ("2", "Hàng hai")], commune_rows=False
    )
    assert [(r.kind, r.path) for r in got] == [
        (RowKind.SECTION, "I"),
        (RowKind.SECTION, "II"),
        (RowKind.ITEM, "II/1"),
        (RowKind.ITEM, "II/2"),
    ]
    # dev 1677's 13B, 1682's 7B: "I" read "II", "II" read "11"
    rows = [("II", "UBND cấp huyện"), ("1", "Phòng"), ("2", "Sự nghiệp"), ("11", "UBND cấp xã"), ("1", "Một")]
    got = table(rows, commune_rows=False)
    assert [r.path for r in got] == ["I", "I/1", "I/2", "II", "II/1"]
    assert (got[0].printed_index, got[3].printed_index) == ("II", "11")


def test_ii_between_the_communes_10_and_12_is_the_commune_11(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    printed = [("I", "UBND cấp huyện"), ("1", "Phòng chuyên môn"), ("II", "UBND cấp xã")]
    printed += [(str(i + 1), name) for i, name in enumerate(names[:14])]
    printed[13] = ("II", names[10])
    rows = table(printed, ke_sach)
    eleven = rows[13]
    assert (eleven.kind, eleven.index, eleven.path, eleven.printed_index) == (
        RowKind.COMMUNE,
        "11",
        "II/11",
        "II",
    )
    assert eleven.commune is not None and eleven.commune.commune.name == names[10]
    assert len(rows) > 15 and [r.path for r in rows[14:]] == [f"II/{i}" for i in range(12, len(rows) - 2)]


def test_a_lone_eleven_or_ii_that_its_place_does_not_settle_is_left_as_read() -> None:
    # "11" after "10": the list's own 11, and the "11" after "16" does not start a new list
    rows = _sections_4b("11", "11")
    rows[18] = ("6", "Lĩnh vực thứ 6")
    got = table(rows, commune_rows=False)
    assert [r.index for r in got][11] == "11" and got[17].kind != RowKind.SECTION
    # "II" after "10" not followed by "12": a section
    short = [("I", "A"), *[(str(i), f"Lĩnh vực {i}") for i in range(1, 11)], ("II", "B"), ("1", "Lĩnh vực c")]
    assert table(short, commune_rows=False)[11].kind == RowKind.SECTION


def test_an_stt_with_a_blot_after_its_digits_at_a_lists_end_is_its_number_flagged() -> None:
    printed = [
        ("I", "UBND cấp huyện"),
        ("1", "Phòng chuyên môn"),
        ("2", "Sự nghiệp huyện"),
        ("3 P.«øI", "Sự nghiệp 6Ð..."),
        ("II", "UBND cấp xã"),
        ("1", "Ủy ban xã một"),
    ]
    rows = table(printed, commune_rows=False)
    assert (rows[3].index, rows[3].path, rows[3].printed_index) == ("3", "I/3", "3 P.«øI")
    assert rows[3].problem is not None and "given by the rows around it" in rows[3].problem
    # another number's digits, or a second number, are no blot
    for stt in ("4P", "3P 5", "31"):
        other = table([*printed[:3], (stt, "Sự nghiệp 6Ð..."), *printed[4:]], commune_rows=False)
        assert other[3].index != "3"


def test_a_section_numeral_read_with_a_tone_mark_is_the_section_and_the_item_below_it_item_1() -> None:
    rows = table(
        [
            ("Ì", "TTHC thuộc thẩm quyền tiếp nhận"),
            ("I", "Lĩnh vực tiếp công dân"),  # the item 1 read as the numeral
            ("2", "Lĩnh vực tổ chức phi chính phủ"),
            ("II", "TTHC thuộc thẩm quyền giải quyết"),
            ("1", "Lĩnh vực hòa giải cơ sở"),
        ],
        commune_rows=False,
    )
    assert [(r.kind, r.path) for r in rows] == [
        (RowKind.SECTION, "I"),
        (RowKind.ITEM, "I/1"),
        (RowKind.ITEM, "I/2"),
        (RowKind.SECTION, "II"),
        (RowKind.ITEM, "II/1"),
    ]
    # dev 6B: "Ì" above the section II
    six = table([("Ì", "UBND cấp huyện"), ("II", "UBND cấp xã"), ("1", "Xã một")], commune_rows=False)
    assert [r.path for r in six] == ["I", "II", "II/1"]
    # a mark on a digit inside a list (a fax's "Ị" between the rows 8 and 10) is no numeral,
    # nor are words or lower case
    listed = [("I", "UBND cấp huyện"), *[(str(i), f"Hàng {i}") for i in range(1, 9)], ("Ị", "Hàng 9")]
    got = table([*listed, ("10", "Hàng 10")], commune_rows=False)
    assert got[9].kind != RowKind.SECTION and got[10].path == "I/10"
    assert table([("Ông", "A"), ("1", "B")], commune_rows=False)[0].kind != RowKind.SECTION
