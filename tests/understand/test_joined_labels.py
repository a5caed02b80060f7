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
