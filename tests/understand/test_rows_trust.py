"""Rows that may not be one printed row each are never trusted as read (issue 9: merged commune
rows, STTs run together, non-commune rows standing where communes were lost, unnamed rows)."""

from __future__ import annotations

import pytest

from extract.model import RowKind
from extract.understand.gazetteer import Gazetteer
from extract.understand.rows import classify_rows, mark_doubtful_rows, merged_communes, missing_rows


@pytest.fixture(scope="module")
def ke_sach():  # type: ignore[no-untyped-def]
    return Gazetteer.load().communes("943", 2019)


@pytest.fixture(scope="module")
def names(ke_sach) -> list[str]:  # type: ignore[no-untyped-def]
    """The 13 communes of Kế Sách (2019) as printed."""
    return [c.name for c in ke_sach.communes]


def table(rows: list[tuple[str, str]], communes):  # type: ignore[no-untyped-def]
    classified = classify_rows([i for i, _ in rows], [lbl for _, lbl in rows], communes, commune_rows=True)
    return mark_doubtful_rows(classified, communes)


def five_b(communes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("I", "Cấp huyện"), ("II", "Cấp xã"), *communes, ("", "Tổng số = (I) + (II)")]


def test_a_whole_commune_list_raises_no_doubt(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    rows = table(five_b([(str(i + 1), name) for i, name in enumerate(names)]), ke_sach)
    assert [r.problem for r in rows] == [None] * len(rows)
    assert all(r.kind == RowKind.COMMUNE for r in rows[2:-1])


def test_two_communes_in_one_row_are_flagged_whichever_one_matched(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    communes = [(str(i + 1), name) for i, name in enumerate(names)]
    communes[3:5] = [("4", f"{names[3]} {names[4]}")]  # the rule between rows 4 and 5 was lost
    rows = table(five_b(communes), ke_sach)
    merged = rows[5]
    assert merged.label == "Xã Phong Nẫm Xã An Lạc Tây"
    assert merged.problem is not None and "two communes" in merged.problem
    assert [r.problem for r in rows[2:5]] == [None, None, None]
    assert merged_communes("Thị trấn Kế Sách Xã Kế Thành")
    assert merged_communes("Xã Thới Hưng Xã Đông Hiệp~z?")
    assert not merged_communes("Xã Kế An")
    assert not merged_communes("Phòng Văn hóa xã hội")


def test_stts_run_together_are_two_rows_read_as_one(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    communes = [(str(i + 1), name) for i, name in enumerate(names[:8])]
    communes.append(("910", names[8]))  # "9" and "10" with their labels, one row
    communes += [(str(i + 11), name) for i, name in enumerate(names[10:])]
    rows = table(five_b(communes), ke_sach)
    run = next(r for r in rows if r.index == "910")
    assert run.problem is not None and "'910' after 8" in run.problem
    # a gap alone ("12" after "10") is a lost row, not a merge: the rows around it stay trusted
    assert all(r.problem is None for r in rows if r.index in ("8", "11", "12", "13"))


def test_a_row_naming_no_commune_where_communes_are_lost_is_doubted(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    communes = [(str(i + 1), name) for i, name in enumerate(names[:9])]
    communes += [("10", "ảng ."), ("11", "đông”")]  # the last communes' rows read as noise
    rows = table(five_b(communes), ke_sach)
    assert {r.label: r.problem is not None for r in rows[2:-1]} == {
        **dict.fromkeys(names[:9], False),
        "ảng .": True,
        "đông”": True,
    }
    assert "communes of" in missing_rows(rows, ke_sach)["II"]
    # the same item rows among a complete list of communes (an extra unit printed) are not doubted
    whole = [(str(i + 1), name) for i, name in enumerate(names)] + [("14", "Ban quản lý chợ")]
    assert table(five_b(whole), ke_sach)[-2].problem is None
    # nor in a form whose rows are not communes
    plain = classify_rows(["1", "2"], ["Phòng A", "Phòng B"], ke_sach, commune_rows=False)
    assert mark_doubtful_rows(plain, None) == plain


def test_a_table_whose_stt_and_label_columns_were_not_read_is_doubted_whole(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    rows = table([("", ""), ("", ""), ("", ""), ("", "Tổng số")], ke_sach)
    assert all(r.problem and "cannot be told apart" in r.problem for r in rows[:3])
    assert rows[3].problem is None  # the total row is named
    one = table([("", "")], ke_sach)
    assert one[0].problem is not None and "no STT and no label" in one[0].problem  # a lone one


def test_an_stt_glued_to_two_communes_is_a_merged_pair(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    communes = [(str(i + 1), name) for i, name in enumerate(names)]
    communes[1:3] = [("2XãTrung2|Thạnh3XãThạnhPhú", f"2 {names[1]} 3 {names[2]}")]
    rows = table(five_b(communes), ke_sach)
    merged = next(r for r in rows if r.label.startswith("2 "))
    assert merged.problem is not None and "two communes" in merged.problem
    assert not merged_communes("Phòng Văn hóa - Xã hội")
    assert not merged_communes("Xã hội hóa, Xã cấp giấy")


def test_rows_whose_label_or_stt_was_lost_are_doubted(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    items = [("1", "Lĩnh vực Hộ tịch"), ("2", ""), ("", "3"), ("", "I H"), ("4", "Lĩnh vực Đất đai")]
    items += [("", "hường xuyên"), ("", "Trong đó: nữ"), ("-", "số văn bản"), ("", "")]
    rows = classify_rows([i for i, _ in items], [lbl for _, lbl in items], None, commune_rows=False)
    doubted = mark_doubtful_rows(rows, None)
    assert [r.problem is not None for r in doubted] == [
        False,
        True,
        True,
        False,
        False,
        True,
        False,
        False,
        True,
    ]
    assert "mid-sentence" in (doubted[5].problem or "")
    assert "STT '2' with no label" in (doubted[1].problem or "")
    assert "label reads as an STT" in (doubted[2].problem or "")


def test_unnumbered_rows_under_a_list_that_lacks_communes_are_doubted(ke_sach, names) -> None:  # type: ignore[no-untyped-def]
    communes = [(str(i + 1), name) for i, name in enumerate(names[:8])]
    communes += [("", "ấn/ ¡")]  # hangs under commune 8 as an unnumbered row
    rows = table(five_b(communes), ke_sach)
    noise = next(r for r in rows if r.label == "ấn/ ¡")
    assert noise.path.startswith("II/8/") and noise.problem is not None
    # the same row under a whole list is an ordinary sub-row
    whole = table(five_b([(str(i + 1), n) for i, n in enumerate(names)] + [("", "Trong đó: nữ")]), ke_sach)
    assert next(r for r in whole if r.label == "Trong đó: nữ").problem is None
