"""Page-1 text, issue 12 (realdocs20): a word of the language read glued to a number is two
words ("ngày23" → "ngày 23": QĐ 729's date line; ``extract.ocr.glued_words``)."""

from __future__ import annotations

from extract.config import load_config
from extract.model import OcrLine
from extract.ocr.engine import PageTextSettings
from extract.ocr.glued_words import glued_parts, with_glued_words_split
from tests.realdocs.test_page_phrases import _line

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
