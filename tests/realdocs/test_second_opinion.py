"""Page-1 text, issue 12 (realdocs16): an unsure word read again by a second model
(``Vietnamese``, tesseract-ocr-script-viet) takes its letters, digits and punctuation where the
two differ in more than marks, never its marks (``extract.ocr.second_opinion``)."""

from __future__ import annotations

from extract.config import load_config
from extract.model import OcrLine, PixelBox, TextWord
from extract.ocr.engine import PageTextSettings
from extract.ocr.second_opinion import line_box, with_first_marks, with_second_opinion
from extract.pagetext import page_text
from tests.realdocs.test_page_phrases import _line, real_page

ON = PageTextSettings(second_lang="Vietnamese", stray_mark_chars="|_{}~`")


def _second(line: OcrLine, texts: list[tuple[str, float]]) -> list[TextWord]:
    """The second model's words over ``line``'s words, one for one (same boxes)."""
    return [TextWord(t, w.box, c) for w, (t, c) in zip(line.words, texts, strict=True)]


def _read(
    first: list[tuple[str, float]], second: list[tuple[str, float]], settings: PageTextSettings = ON
) -> OcrLine:
    line = _line(first, 0)
    return with_second_opinion([line], lambda i: _second(line, second), settings)[0]


def test_an_unsure_word_takes_the_second_models_letters_digits_and_punctuation() -> None:
    # the tuned five: what vie misread and Vietnamese read right, their first readings' confidences
    assert _read([("(b/e);", 73.5)], [("(b/c);", 91.0)]).text == "(b/c);"
    assert _read([("năm", 97.0), ("2096.", 89.2)], [("năm", 97.0), ("2026.", 97.0)]).text == "năm 2026."
    assert _read([("hành", 96.0), ("này...", 17.8)], [("hành", 96.0), ("này./.", 91.0)]).text == "hành này./."
    assert _read([("112/2025/QH¡5;", 51.3)], [("112/2025/QH15;", 85.0)]).text == "112/2025/QH15;"
    assert _read([("Luật:", 63.0)], [("Luật", 97.0)]).text == "Luật"
    # the first reading's marks kept where the two hold the same letter: Vietnamese loses marks
    line = _read([("Đà", 96.0), ("Nẵng:", 76.3)], [("Đà", 96.0), ("Năng;", 94.0)])
    assert line.text == "Đà Nẵng;"
    # the word's box and confidence as first read: as unsure as it was (a header field stays flagged)
    assert [(w.text, w.confidence) for w in line.words] == [("Đà", 96.0), ("Nẵng;", 76.3)]
    assert with_first_marks("Nẵng:", "Năng;") == "Nẵng;" and with_first_marks("tưởng", "trường") == "trưởng"


def test_what_the_second_model_reads_no_better_stays_as_read() -> None:
    # marks alone: Vietnamese places tones worse than vie ("Bến" → "Bên" at 97 on CV 3722)
    assert _read([("thẩm", 72.7), ("quyền", 21.4)], [("thâm", 97.0), ("quyên", 93.0)]).text == "thẩm quyền"
    assert _read([("Các", 80.0)], [("các", 97.0)]).text == "Các"  # case
    assert _read([('"Tình', 60.0)], [("“Tình", 95.0)]).text == '"Tình'  # quotes
    assert _read([("Bến", 93.3)], [("Bộ", 97.0)]).text == "Bến"  # read confidently the first time
    assert _read([("2096.", 89.2)], [("2026.", 65.0)]).text == "2096."  # the second unsure too
    assert _read([("2096.", 80.0)], [("2026.", 84.0)]).text == "2096."  # under the gain
    assert _read([("lghiệp", 0.0)], [("ngniệp", 71.0)]).text == "lghiệp"  # no known word
    assert _read([("hUN", 40.0)], [("hiềN", 90.0)]).text == "hUN"  # no word's case
    assert _read([("-", 2.2)], [("`", 90.0)]).text == "-"  # a mark is no word
    assert _read([("227/BC-UBND.", 60.0)], [("227/BC-UBND_", 90.0)]).text == "227/BC-UBND."  # a speck
    assert _read([("1.597", 30.6)], [(".1.597", 92.6)]).text == "1.597"  # a speck before it
    assert _read([("'Hải", 40.0)], [("Hải", 96.8)]).text == "Hải"  # one dropped: taken
    assert _read([("Bến", 60.0), (".", 0.7)], [("Bến", 60.0), ("Đ", 82.1)]).text == "Bến ."  # a lone mark
    assert _read([("Luật:", 63.0)], [("Luật", 97.0)], PageTextSettings()).text == "Luật:"  # off


def test_a_line_read_as_noise_stays_noise() -> None:
    # dev 1073: a scribble after "CHỦ TỊCH" read "X" (noise) and by the second model "vụ" (text)
    assert _read([("X", 42.3)], [("vụ", 86.7)]).text == "X"
    far = _line([("CHỦ", 96.0), ("TỊCH", 96.0)], 0)  # the scribble a column gap to its right
    x = TextWord("X", PixelBox(far.box.x1 + 200, 0, far.box.x1 + 230, 40), 42.3)
    line = OcrLine("CHỦ TỊCH X", PixelBox(100, 0, x.box.x1, 40), 42.3, (*far.words, x))
    second = [*far.words, TextWord("vụ", x.box, 86.7)]
    assert with_second_opinion([line], lambda i: second, ON)[0].text == "CHỦ TỊCH X"


def test_only_a_word_one_word_of_the_second_reading_covers() -> None:
    line = _line([("lị", 29.8), ("0/4/2026", 48.9)], 0)
    a, b = line.words
    merged = [TextWord("10/4/2026", PixelBox(a.box.x0, 0, b.box.x1, 40), 96.0)]
    assert with_second_opinion([line], lambda i: merged, ON)[0].text == "lị 0/4/2026"  # one covers two
    split = [TextWord("ng", PixelBox(a.box.x0, 0, a.box.x0 + 10, 40), 96.0)]
    split.append(TextWord("ày", PixelBox(a.box.x0 + 12, 0, a.box.x1, 40), 96.0))
    assert with_second_opinion([line], lambda i: split, ON)[0].text == "lị 0/4/2026"  # two cover one
    # dev 1066: "2024," read over the end of "năm/2Ø24," is no reading of the whole word
    line = _line([("năm/2Ø24,", 33.9)], 0)
    w = line.words[0]
    part = [TextWord("2024,", PixelBox(w.box.x1 - 90, 0, w.box.x1, 40), 75.3)]
    assert with_second_opinion([line], lambda i: part, ON)[0].text == "năm/2Ø24,"
    whole = [TextWord("2024,", w.box, 75.3)]  # over the whole word: still less than it holds
    assert with_second_opinion([line], lambda i: whole, ON)[0].text == "năm/2Ø24,"
    # a stamp's line, or one read confidently throughout, is not read again
    asked: list[int] = []

    def reader(i: int) -> list[TextWord]:
        asked.append(i)
        return []

    stamp = _line([("ĐẾN", 50.0)], 0, stamp=True)
    sure = _line([("Bến", 96.0), ("Suối", 95.0)], 60)
    assert with_second_opinion([stamp, sure], reader, ON) == (stamp, sure) and asked == []


def test_the_box_read_again_is_the_lines_padded_within_the_image() -> None:
    line = OcrLine(
        "Luật:", PixelBox(5, 10, 200, 50), 63.0, (TextWord("Luật:", PixelBox(5, 10, 200, 50), 63.0),)
    )
    assert line_box(line, 205, 55) == PixelBox(0, 0, 205, 55)
    assert line_box(line, 1000, 1000) == PixelBox(0, 0, 210, 60)


def test_the_real_pages_unsure_words_read_by_the_second_model() -> None:
    def read(doc_id: str, on: bool) -> list[str]:
        return page_text(real_page(doc_id, "second_lang", "Vietnamese" if on else "")).split()

    off, on = read("real_tt_37_bca_vehicle", False), read("real_tt_37_bca_vehicle", True)
    assert "112/2025/QH¡5;" in off and "112/2025/QH15;" in on and "112/2025/QH¡5;" not in on
    assert len(on) == len(off)  # words respelled, none added or lost
    off, on = read("real_hanoi_qd_2280_water", False), read("real_hanoi_qd_2280_water", True)
    assert "2096." in off and "2026." in on and "này./." in on
    assert [(a, b) for a, b in zip(off, on, strict=True) if a != b] == [
        ("2096.", "2026."),
        ("này...", "này./."),
    ]
    assert load_config().page_stages().ocr.page_text.second_lang == "Vietnamese"  # on in pipeline.yaml
