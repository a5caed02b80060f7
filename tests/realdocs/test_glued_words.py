"""Page-1 text, issue 12 (realdocs20): a word of the language read glued to a number is two
words ("ngày23" → "ngày 23": QĐ 729's date line; ``extract.ocr.glued_words``)."""

from __future__ import annotations

import dataclasses

from extract.config import load_config
from extract.model import OcrLine
from extract.ocr.engine import PageTextSettings
from extract.ocr.glued_words import glued_parts, spaced_parts, with_glued_words_split
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from tests.realdocs.test_page_phrases import _line
from tests.repo_data import REALDATA

ON = load_config().page_stages().ocr.page_text


def test_a_syllable_glued_to_a_number_is_two_words() -> None:
    assert glued_parts("ngày23", ON.glued_min_zipf) == ("ngày", "23")
    assert glued_parts("năm2024;", ON.glued_min_zipf) == ("năm", "2024;")
    assert glued_parts("Điều1.", ON.glued_min_zipf) == ("Điều", "1.")
    assert glued_parts("tháng4/2026", ON.glued_min_zipf) == ("tháng", "4/2026")
    assert glued_parts("(ngày23)", ON.glued_min_zipf) == ("(ngày", "23)")


def test_units_codes_and_words_that_are_no_syllable_stay_as_read() -> None:
    for text in (
        "km2",
        "m3",
        "QH15",
        "T11",
        "F0",
        "Covid19",
        "8B,",
        "ngày",
        "2024",
        "1.597",
        "hiệnu1",
        "NGÀY23",
    ):
        assert glued_parts(text, ON.glued_min_zipf) is None, text
    assert glued_parts("ngàyy23", ON.glued_min_zipf) is None  # no known word


def test_the_line_reads_two_words_each_with_its_part_of_the_box() -> None:
    line = _line([("Đà", 96.0), ("Nẵng,", 95.0), ("ngày23", 88.0), ("tháng", 96.0), ("4", 93.0)], 0)
    out: OcrLine = with_glued_words_split([line], ON)[0]
    assert out.text == "Đà Nẵng, ngày 23 tháng 4"
    day, number = out.words[2], out.words[3]
    glued = line.words[2]
    assert (day.box.x0, number.box.x1, day.box.x1) == (glued.box.x0, glued.box.x1, number.box.x0)
    assert day.box.x1 == glued.box.x0 + round(glued.box.width * 4 / 6)  # "ngày" is 4 of 6 characters
    assert day.confidence == number.confidence == 88.0  # as unsure as read
    assert with_glued_words_split([line], PageTextSettings())[0] == line  # off
    stamp = _line([("ngày23", 88.0)], 0, stamp=True)
    assert with_glued_words_split([stamp], ON)[0] == stamp  # a stamp's line: never


def test_a_mark_read_in_the_space_between_two_words_is_a_space() -> None:
    # NQ 115 "đe:nghị cua:Bộ", QĐ 707 "tài trợ:khủng bố", generated pages' "Sở:Nội vụ"
    assert ON.glued_space_marks == ":"
    assert spaced_parts("đe:nghị", ":") == ("đe", "nghị")
    assert spaced_parts("cua:Bộ", ":") == ("cua", "Bộ")
    assert spaced_parts("(Sở:Nội)", ":") == ("(Sở", "Nội)")
    assert spaced_parts("một:cửa,", ":") == ("một", "cửa,")
    # a code in capitals (a hyphen read ":"), a number, a word's own colon, two colons: as read
    for text in ("BC:UBND", "451/BC:UBND", "10:30", "nhận:", "Số:", "a:b:c", "đe:2"):
        assert spaced_parts(text, ":") is None, text
    assert spaced_parts("đe:nghị", "") is None  # off
    line = _line([("như", 96.0), ("đe:nghị", 71.0), ("cua:Bộ", 80.0), ("Nông", 95.0)], 0)
    out: OcrLine = with_glued_words_split([line], ON)[0]
    assert out.text == "như đe nghị cua Bộ Nông"
    assert [w.confidence for w in out.words] == [96.0, 71.0, 71.0, 80.0, 80.0, 95.0]
    cut = line.words[1]
    assert (out.words[1].box.x0, out.words[2].box.x1) == (cut.box.x0, cut.box.x1)
    assert with_glued_words_split([line], PageTextSettings(glued_min_zipf=1.0))[0] == line  # marks off


def test_a_real_page_reads_its_spaces_not_the_specks_in_them() -> None:
    # NQ 115's "theo đề nghị của Bộ": a colon read in each gap
    page = REALDATA / "pages" / "real_nq_115_ba_vi_p1.png"
    stages = load_config().page_stages()
    off_pt = stages.ocr.page_text.model_copy(update={"glued_space_marks": ""})
    off = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"page_text": off_pt}))
    on_text = page_text(process_page(PageTask(str(page), 0, "nq115", settings=stages)))
    off_text = page_text(process_page(PageTask(str(page), 0, "nq115", settings=off)))
    assert "đe:nghị cua:Bộ" in off_text and ":" not in on_text.split("đe nghị cua Bộ")[0][-3:]
    assert "đe nghị cua Bộ" in on_text
    assert on_text.replace("đe nghị cua Bộ", "đe:nghị cua:Bộ") == off_text
