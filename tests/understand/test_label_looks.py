"""Labels that name nothing replaced by their cell's second reading under a seal when that one
names a commune, a section or an item of the form (dev_4568's 7B p12: "TƯ", "ẦƑ", "" under a
seal; read again "UBND cấp xả", "In trần € o lẻ", "Ma Phương Đình")."""

from __future__ import annotations

import pytest

from extract.config import load_forms
from extract.model import RowKind
from extract.understand.gazetteer import Gazetteer
from extract.understand.label_looks import labels_read_again
from extract.understand.rows import classify_rows

LIMITS = {"match_min": 80.0, "legible_min": 0.5, "words_min": 2}


@pytest.fixture(scope="module")
def truc_ninh():  # type: ignore[no-untyped-def]
    return Gazetteer.load().communes("363", 2017)


def _names_7b(communes) -> list[str]:  # type: ignore[no-untyped-def]
    form = next(f for f in load_forms() if f.code == "7B")
    names = [s.label for s in form.sections] + [r for s in form.sections for r in s.rows]
    return names + [c.name for c in communes.communes]


def test_a_label_naming_nothing_takes_the_reading_that_names_a_section_or_commune(truc_ninh) -> None:  # type: ignore[no-untyped-def]
    labels = ["Sự nghiệp huyện", "", "TƯ", "ẦƑ", "", "Xã Trực Chính", "Lạ"]
    looks = [
        ("Sự nghiệp huyên",),
        ("Sự nghiệp œI",),
        ("UBND cấp xả",),
        ("In trần € o lẻ",),
        ("Ma Phương Đình",),
        (),
        ("ư . ;", "NỤ ¢ (,})"),
    ]
    again = labels_read_again(labels, looks, _names_7b(truc_ninh), **LIMITS)
    assert {p: text for p, (text, _why) in again.items()} == {
        1: "Sự nghiệp œI",  # like "Sự nghiệp GD", a fixed item of 7B's section I
        2: "UBND cấp xả",
        3: "In trần € o lẻ",  # like "Thị trấn Cổ Lễ"
        4: "Ma Phương Đình",
    }
    assert "first read 'TƯ'" in again[2][1] and "seal" in again[2][1]
    # a label that names something already is never replaced; a reading like nothing is not taken
    assert 0 not in again and 6 not in again
    assert labels_read_again(labels, [()] * len(labels), _names_7b(truc_ninh), **LIMITS) == {}


def test_a_free_items_label_read_as_marks_takes_a_reading_of_words() -> None:
    """4B's fields are a free list (no names): dev_4554's "13 Lĩnh vực thư viện" under a seal
    read "kh".  A reading of words replaces a label that is none; never one of words."""
    labels = ["kh", "Lĩnh vực Văn hóa", "Hự / : ẳ", "`", "Tổng @) + q1)"]
    looks = [
        ("Lĩnh vực thư viện",),
        ("Lĩnh vực Văn hóa thể",),
        ("Hự /",),
        ("Lĩnh vực thư viện", "Lĩnh ¢ viện"),
        ("Tổng (ID + (ID",),  # a total is named by its place and numbers (dev_4505's 10B), never here
    ]
    again = labels_read_again(labels, looks, ["TTHC thuộc thẩm quyền giải quyết của UBND cấp xã"], **LIMITS)
    assert {p: text for p, (text, _why) in again.items()} == {0: "Lĩnh vực thư viện", 3: "Lĩnh vực thư viện"}
    assert "names no row the form prints" in again[0][1] and "first read 'kh'" in again[0][1]


def test_the_readings_name_the_rows_as_any_reading_would(truc_ninh) -> None:  # type: ignore[no-untyped-def]
    """With the labels read again, "HÀ | UBND cấp xả" is section II and "1 | Ma Phương Đình" the
    commune Xã Phương Định: the list under II is whole but for Thị trấn Cổ Lễ, which its place gives."""
    names = [c.name for c in truc_ninh.communes]
    form = next(f for f in load_forms() if f.code == "7B")
    indices = ["I", "1", "2", "“ñT", "HÀ", "Lạ", "1", *[str(i + 3) for i in range(len(names) - 2)]]
    labels = ["UBND cấp huyện", "Phòng chuyên môn", "Sự nghiệp huyện", "", "TƯ", "ẦƑ", "", *names[2:]]
    looks = [()] * len(labels)
    looks[4], looks[6] = ("UBND cấp xả",), ("Ma Phương Đình",)
    again = labels_read_again(labels, looks, _names_7b(truc_ninh), **LIMITS)
    labels = [again[p][0] if p in again else lbl for p, lbl in enumerate(labels)]
    rows = classify_rows(
        indices, labels, truc_ninh, commune_rows=True, sections=[(s.index, s.label) for s in form.sections]
    )
    assert rows[4].kind == RowKind.SECTION and rows[4].index == "II"
    assert rows[6].commune is not None and rows[6].commune.commune.name == names[1]
    assert rows[5].commune is not None and rows[5].commune.commune.name == names[0]
