"""Rows read but not named (issue 9, round 7): a row whose garbled label pairs with no printed
row is named from the evidence of its place, and says so."""

from __future__ import annotations

from extract.model import RowKind
from extract.understand.gazetteer import Gazetteer
from extract.understand.rows import classify_rows, mark_doubtful_rows

KE_SACH = Gazetteer.load().communes("943", 2019)
NAMES = [c.name for c in KE_SACH.communes]  # in the order of their codes


def _three_b(labels: list[str]) -> tuple[list[str], list[str]]:
    """3B's two lists of every commune (under "2.2" and "3.2"), labels as read."""
    indices = ["2", "2.2"] + [f"2.2.{i + 1}" for i in range(len(NAMES))]
    indices += ["3", "3.2"] + [f"3.2.{i + 1}" for i in range(len(NAMES))]
    printed = ["Số TTHC công khai", "Cấp xã", *NAMES, "Số TTHC đăng tải", "Cấp xã", *labels]
    return indices, printed


def test_a_commune_named_by_its_place_takes_the_communes_name_as_its_label() -> None:
    garbled = list(NAMES)
    garbled[3], garbled[4] = "87", "4118"  # a seal over two labels of the second list (dev_156)
    indices, labels = _three_b(garbled)
    rows = mark_doubtful_rows(classify_rows(indices, labels, KE_SACH, commune_rows=True), KE_SACH)
    second = rows[len(NAMES) + 4 :]
    for row, name, read in ((second[3], NAMES[3], "87"), (second[4], NAMES[4], "4118")):
        assert row.kind == RowKind.COMMUNE and row.commune is not None
        assert row.commune.commune.name == name
        assert row.label == name  # named by its place, not "87"
        assert row.problem is not None and "place in the list" in row.problem and repr(read) in row.problem
    # the rows read right keep their label and stay trusted
    assert [r.label for r in second[:3]] == NAMES[:3] and all(r.problem is None for r in second[:3])


def test_a_garbled_label_the_place_does_not_settle_keeps_its_reading() -> None:
    garbled = list(NAMES)
    garbled[3:5] = ["87"]  # one row where two communes are missing: no place names it
    indices, labels = _three_b(garbled)
    indices = indices[: len(indices) - 1]
    rows = mark_doubtful_rows(classify_rows(indices, labels, KE_SACH, commune_rows=True), KE_SACH)
    row = next(r for r in rows if r.label == "87")
    assert row.commune is None and row.problem is not None


def test_a_label_read_into_the_stt_cell_becomes_the_label_and_is_doubted() -> None:
    # dev_242_hard_200's 4B: the last rows' labels read, spaces lost, in their STT cells
    indices = ["I", "1", "2", "Lĩnhvực'thểdục'thểthao¡:", "Lĩnhvựcpháttriểncông.nghiệpvàthươngmại"]
    labels = ["TTHC cấp huyện", "Lĩnh vực Hộ tịch", "Lĩnh vực Đất đai", "", ""]
    rows = mark_doubtful_rows(classify_rows(indices, labels, None, commune_rows=False), None)
    for row, text in zip(rows[3:], indices[3:], strict=True):
        assert row.label == text and row.index in ("", "3", "4")
        assert row.problem is not None and "read in the STT cell" in row.problem
    assert [r.problem for r in rows[:3]] == [None, None, None]
    # an STT cell with a word and a label of its own, or a total's words, are left as they are
    kept = classify_rows(
        ["1", "Tổng", "I"], ["Lĩnh vực Hộ tịch", "số = (I) + (II)", "Cấp huyện"], None, commune_rows=False
    )
    assert kept[1].label == "số = (I) + (II)"
