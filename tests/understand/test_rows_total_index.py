"""A total row printed over the STT and label columns in one cell ("Tổng số = (I) + (II)": the
rule between them lost, or never printed) has no STT.  Before, the cell's text stood as its STT
too ("¡Tốngsố=(I)+0", dev 151's 10B): the row could not be paired with the printed total (no
STT there), so its numbers counted as missing."""

from __future__ import annotations

import pytest

from extract.model import RowKind
from extract.understand.rows import classify_rows, stt_before_label


@pytest.mark.parametrize(
    "text",
    ["Tổng số = (I) + (II)", "¡Tống số = (I) +0)", "Tổng cộng", "Tông sô = (I) + (H)"],
)
def test_a_total_over_the_stt_and_label_columns_has_no_stt(text: str) -> None:
    indices = ["I", "1", "2", text]
    labels = ["UBND cấp huyện", "Phòng Nội vụ", "Phòng Tư pháp", text]
    rows = classify_rows(indices, labels, None, commune_rows=False)
    assert rows[-1].kind == RowKind.TOTAL
    assert rows[-1].index == ""
    assert rows[-1].label == text
    assert [r.index for r in rows[:3]] == ["I", "1", "2"]


def test_an_stt_beside_a_total_label_is_kept() -> None:
    """Only words that read as a total label are no STT: a bullet or a printed "-" stays."""
    rows = classify_rows(
        ["I", "1", "-"], ["UBND cấp huyện", "Phòng Nội vụ", "Tổng số"], None, commune_rows=False
    )
    assert rows[-1].kind == RowKind.TOTAL
    assert rows[-1].index == "-"


def test_an_stt_read_with_its_label_across_both_columns_is_parted() -> None:
    """Dev 380's 3B p3: the first row of a continued page lost its STT|label rule, so "3.2 Cấp xã"
    was one cell across both columns, read as the label (and the STT) of a row that named no
    printed row.  A number or dotted STT before words is the STT; a total's words, a numeral alone
    or words alone are no STT."""
    assert stt_before_label("3.2 Cấp xã") == ("3.2", "Cấp xã")
    assert stt_before_label("12 Xã Bình Hàng Tây") == ("12", "Xã Bình Hàng Tây")
    assert stt_before_label("Tổng số = (I) + (II)") == ("", "Tổng số = (I) + (II)")
    assert stt_before_label("II UBND cấp xã") == ("", "II UBND cấp xã")
    assert stt_before_label("2021 45") == ("", "2021 45")
