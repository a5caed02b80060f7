"""Two rows' labels read in one label cell, the next row's label cell empty (trust18).

dev-new17: 4B's row 20 read "Lĩnh vực Kinh doanh khí Lĩnh vực Giải: quyết tố cáo" and row 21
(STT "21", every number read) no label (dev_1138_hard_200); dev_1090_fax_150's rows 9 and 10
alike.  Row 21 named no printed row: 8 printed numbers counted "row merged into another".
"""

from __future__ import annotations

from extract.understand.joined_labels import split_joined_labels


def test_a_label_starting_again_moves_its_second_half_to_the_labelless_row_below() -> None:
    indices = ["19", "20", "21", "22"]
    labels = [
        "Lĩnh vực Điện",
        "Lĩnh vực Kinh doanh khí Lĩnh vực Giải: quyết tố cáo",
        "",
        "Lĩnh vực Thanh tra",
    ]
    out, moved = split_joined_labels(indices, labels)
    assert out == [
        "Lĩnh vực Điện",
        "Lĩnh vực Kinh doanh khí",
        "Lĩnh vực Giải: quyết tố cáo",
        "Lĩnh vực Thanh tra",
    ]
    assert list(moved) == [2]
    assert "Lĩnh vực Giải: quyết tố cáo" in moved[2] and "Lĩnh vực Kinh doanh khí" in moved[2]
    # diacritics misread in the repeat still match ("Linh vực")
    out, moved = split_joined_labels(["9", "10"], ["Lĩnh vực đăng ký ' đất đai Linh vực Xuất bản, in", ""])
    assert out == ["Lĩnh vực đăng ký ' đất đai", "Linh vực Xuất bản, in"] and list(moved) == [1]


def test_nothing_moves_without_a_labelless_numbered_row_below_or_a_capitalised_repeat() -> None:
    joined = "Lĩnh vực Kinh doanh khí Lĩnh vực Giải quyết tố cáo"
    for indices, labels in (
        (["20", "21"], [joined, "Lĩnh vực Thanh tra"]),  # the row below has its label
        (["20", ""], [joined, ""]),  # the row below has no STT: a piece, not a row
        (["20", "21"], ["Lĩnh vực Kinh doanh khí và lĩnh vực giải quyết tố cáo", ""]),  # lower case
        (["20", "21"], ["Số đơn vị tự bảo đảm chi thường xuyên", ""]),  # no repeat
    ):
        out, moved = split_joined_labels(indices, labels)
        assert out == labels and not moved


def test_a_label_naming_two_communes_gives_the_second_to_the_labelless_row_below() -> None:
    """Dev 1640's 3B: "2.2.3 Xã Thành Sơn _ Xã Bình Sơn" over "2.2.4" with no label (the rule
    between the two label cells lost); 1090's "Thị trấn Đại Ngãi Xã Hậu Thạnh", 1622's "Phường
    Trần Hưng Đạo Phường Phan Chu Tri": the second commune's row named no printed row."""
    out, moved = split_joined_labels(["2.2.3", "2.2.4"], ["Xã Thành Sơn _ Xã Bình Sơn", ""])
    assert out == ["Xã Thành Sơn", "Xã Bình Sơn"] and list(moved) == [1]
    out, _ = split_joined_labels(["3.2.3", "3.2.4"], ["Thị trấn Đại Ngãi Xã Hậu Thạnh", ""])
    assert out == ["Thị trấn Đại Ngãi", "Xã Hậu Thạnh"]
    out, _ = split_joined_labels(["16", "17"], ["Phường Trần Hưng Đạo Phường Phan Chu Tri", ""])
    assert out == ["Phường Trần Hưng Đạo", "Phường Phan Chu Tri"]


def test_one_commune_or_no_labelless_row_below_moves_nothing() -> None:
    for indices, labels in (
        (["1", "2"], ["Xã Tân Thạnh", ""]),  # one commune
        (["1", "2"], ["Thị trấn Phú Hòa", ""]),  # "Thị trấn": one type word of two words
        (["1", ""], ["Xã Thành Sơn Xã Bình Sơn", ""]),  # no STT below: a piece, not a row
        (["1", "2"], ["Xã Thành Sơn Xã Bình Sơn", "Xã Bình Sơn"]),  # the row below has its label
        (["1", "2"], ["UBND xã Thành Sơn, xã Bình Sơn", ""]),  # no commune's name at its start
    ):
        out, moved = split_joined_labels(indices, labels)
        assert out == labels and not moved
