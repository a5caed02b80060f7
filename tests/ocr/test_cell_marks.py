"""A name's syllables in a text cell keep the marks they were read with when only their
neighbours argued for others (extract/ocr/cell_marks.py)."""

from __future__ import annotations

from extract.ocr.cell_marks import keep_names


def test_a_names_syllable_changed_by_its_neighbours_is_put_back() -> None:
    # "nghĩa binh", "xa hoàng", "phong tư" are compounds of the dictionary; the names are not
    assert keep_names("Xã Nghĩa Bình", "Xã Nghĩa Binh") == "Xã Nghĩa Bình"
    assert keep_names("Xã Hoàng Nam", "Xa Hoàng Nam") == "Xã Hoàng Nam"
    assert keep_names("Chuyên viên Phòng Tư pháp", "Chuyên viên Phong Tư pháp") == "Chuyên viên Phòng Tư pháp"


def test_words_that_are_no_name_keep_their_new_marks() -> None:
    # a capital beside lower-case words (a cell's first word, "Thể thao"), and lower-case words
    assert keep_names("Đê nghị Tòa án nhân dân tôi cao", "Đề nghị Tòa án nhân dân tối cao") == (
        "Đề nghị Tòa án nhân dân tối cao"
    )
    assert keep_names("Văn hóa, Thê thao và Du lịch", "Văn hóa, Thể thao và Du lịch") == (
        "Văn hóa, Thể thao và Du lịch"
    )
    # an unknown word ("Nghĩà" is no word) takes the frequent spelling even in a name
    assert keep_names("Xã Nghĩà Lạc", "Xã Nghĩa Lạc") == "Xã Nghĩa Lạc"
    # word counts that differ (a word split or joined): the choice stands as made
    assert keep_names("Xã Nghĩa Bình", "Xã Nghĩa  Binh") == "Xã Nghĩa  Binh"
