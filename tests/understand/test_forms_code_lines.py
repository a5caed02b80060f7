"""A form code that is printed is read, also on worn scans and in other title layouts: specks or
a seal's rim read as tokens before "Biểu mẫu" ("| â Biểu mẫu 8B", dev 37's hard 300-dpi 8B), and
a code printed before its subtitle on one line behind a dash ("Biểu mẫu 4B - Thống kê số liệu
về …", dev 2).  Such a line was no code line (its first word was no "Biểu", or it had more than
five words): the form then rested on the subtitle alone, which a garbled subtitle does not
carry.  The subtitle printed after the dash still counts as subtitle."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.config import FormSpec, load_forms
from extract.understand.forms import FormsSettings, identify_form, title_scores

REPO = Path(__file__).resolve().parents[2]
FORMS: tuple[FormSpec, ...] = load_forms(REPO / "configs")
SETTINGS = FormsSettings()


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("| â Biểu mẫu 8B", "8B"),
        ("' Biểu mẫu 10B", "10B"),
        (". , Biểu mẫu số: 1 B", "1B"),
        ("~ Mẫu 5B", "5B"),
    ],
)
def test_a_code_line_after_speck_tokens_is_read(line: str, code: str) -> None:
    match = identify_form([line], FORMS, SETTINGS)
    assert match is not None and (match.code, match.method) == (code, "code")


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Biểu mẫu 4B - Thống kê số liệu về", "4B"),
        ("| â Biểu mẫu 8B - Thống kê số liệu về triển khai", "8B"),
        ("Mẫu 13B – Thống kê số liệu về xây dựng", "13B"),
        ("Biểu mẫu số: 3B: Thống kê số liệu về công tác", "3B"),
    ],
)
def test_a_code_printed_before_its_subtitle_behind_a_dash_is_read(line: str, code: str) -> None:
    match = identify_form([line], FORMS, SETTINGS)
    assert match is not None and match.code == code and match.method in ("code", "code+title"), match


def test_the_subtitle_after_the_dash_confirms_the_code() -> None:
    line = "Biểu mẫu 4B - Thống kê số liệu về số lượng thủ tục hành chính thuộc phạm vi thẩm quyền giải quyết"
    match = identify_form([line, "của UBND cấp huyện, cấp xã trên địa bàn huyện"], FORMS, SETTINGS)
    assert match is not None and (match.code, match.method) == ("4B", "code+title")
    assert title_scores([line], FORMS, SETTINGS)["4B"] >= SETTINGS.title_confirm


def test_a_garbled_subtitle_no_longer_hides_a_clean_code_behind_specks() -> None:
    """3B's and 4B's subtitles share most words: garbled, they give no lead, and the form was lost."""
    for subtitle in ("Thống kê sô l1ệu vê thủ tục hành chính", "Thống kê số liệu về thủ tục"):
        match = identify_form(["| â Biểu mẫu 3B", subtitle], FORMS, SETTINGS)
        assert match is not None and match.code == "3B" and match.method.startswith("code"), match


@pytest.mark.parametrize(
    "line",
    [
        "Thống kê số liệu - về cán bộ, công chức, viên chức trên địa bàn",
        "| Máy, biên chế hành chính trên địa bàn huyện",
        "a b c Xã Kế An 12 15",
    ],
)
def test_lines_that_are_no_code_line_stay_so(line: str) -> None:
    match = identify_form([line], FORMS, SETTINGS)
    assert match is None or match.method == "title", match
