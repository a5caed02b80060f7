"""Page-1 text, issue 12 (realdocs16): an unsure word read again by a second model
(``Vietnamese``, tesseract-ocr-script-viet) takes its letters, digits and punctuation where the
two differ in more than marks, never its marks (``extract.ocr.second_opinion``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from extract.config import load_config
from extract.model import OcrLine, PixelBox, TextWord
from extract.ocr.engine import PageTextSettings
from extract.ocr.second_opinion import (
    Span,
    left_out,
    line_box,
    spans_read_again,
    with_first_marks,
    with_second_opinion,
)
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from tests.realdocs.test_page_phrases import _line, real_page
from tests.repo_data import REALDATA

ON = PageTextSettings(second_lang="Vietnamese", stray_mark_chars="|_{}~`")


def _second(line: OcrLine, texts: list[tuple[str, float]]) -> list[TextWord]:
    """The second model's words over ``line``'s words, one for one (same boxes)."""
    return [TextWord(t, w.box, c) for w, (t, c) in zip(line.words, texts, strict=True)]


def _read(
    first: list[tuple[str, float]], second: list[tuple[str, float]], settings: PageTextSettings = ON
) -> OcrLine:
    line = _line(first, 0)
    return with_second_opinion([line], lambda i, span: _second(line, second), settings)[0]


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


LEAD = [("tỷ", 96.0), ("lệ", 96.0), ("hoàn", 96.0), ("thành", 96.0), ("đạt", 96.0)]
LEAD_TEXT = " ".join(t for t, _ in LEAD)


def test_a_mark_the_second_reading_adds_that_no_printed_word_gains_is_a_speck() -> None:
    # dev-new19 (realdocs19's confirmation set): the second reading's wrong changes, all marks added
    guard = ON.model_copy(update={"second_added_marks": ".,;:()/-%"})
    wrong = [
        ("99,3%.", "99,3%.."),  # a mark doubled at the end
        ("96,9%,", "96,9%.."),
        ("nhận:", "nhận::"),
        ("(VP).", "(VP).'"),  # a quote after the word
        ("vụ", "vụ'"),
        ("số", "$ố"),  # no mark a word holds
        ("hành", "hành..."),
    ]
    for first, second in wrong:
        ours = [*LEAD, (first, 60.0)]
        assert _read(ours, [*LEAD, (second, 95.0)], guard).text == f"{LEAD_TEXT} {first}", second
        assert _read(ours, [*LEAD, (second, 95.0)]).text == f"{LEAD_TEXT} {second}", second  # unguarded
    # the right ones add marks undoubled, or change marks without adding: still taken (dev-new20
    # 2902's "TH" → "7B)." adds two)
    right = [("Lưu", "Lưu:"), ("(VP)", "(VP)."), ("TH", "7B)."), ("này...", "này./."), ("(b/e);", "(b/c);")]
    for first, second in right:
        ours = [*LEAD, (first, 60.0)]
        assert _read(ours, [*LEAD, (second, 95.0)], guard).text == f"{LEAD_TEXT} {second}", second


def test_a_line_read_as_noise_stays_noise() -> None:
    # dev 1073: a scribble after "CHỦ TỊCH" read "X" (noise) and by the second model "vụ" (text)
    assert _read([("X", 42.3)], [("vụ", 86.7)]).text == "X"
    far = _line([("CHỦ", 96.0), ("TỊCH", 96.0)], 0)  # the scribble a column gap to its right
    x = TextWord("X", PixelBox(far.box.x1 + 200, 0, far.box.x1 + 230, 40), 42.3)
    line = OcrLine("CHỦ TỊCH X", PixelBox(100, 0, x.box.x1, 40), 42.3, (*far.words, x))
    second = [*far.words, TextWord("vụ", x.box, 86.7)]
    assert with_second_opinion([line], lambda i, span: second, ON)[0].text == "CHỦ TỊCH X"


def test_only_a_word_one_word_of_the_second_reading_covers() -> None:
    line = _line([("lị", 29.8), ("0/4/2026", 48.9)], 0)
    a, b = line.words
    merged = [TextWord("10/4/2026", PixelBox(a.box.x0, 0, b.box.x1, 40), 96.0)]
    assert with_second_opinion([line], lambda i, span: merged, ON)[0].text == "lị 0/4/2026"  # one covers two
    split = [TextWord("ng", PixelBox(a.box.x0, 0, a.box.x0 + 10, 40), 96.0)]
    split.append(TextWord("ày", PixelBox(a.box.x0 + 12, 0, a.box.x1, 40), 96.0))
    assert with_second_opinion([line], lambda i, span: split, ON)[0].text == "lị 0/4/2026"  # two cover one
    # dev 1066: "2024," read over the end of "năm/2Ø24," is no reading of the whole word
    line = _line([("năm/2Ø24,", 33.9)], 0)
    w = line.words[0]
    part = [TextWord("2024,", PixelBox(w.box.x1 - 90, 0, w.box.x1, 40), 75.3)]
    assert with_second_opinion([line], lambda i, span: part, ON)[0].text == "năm/2Ø24,"
    whole = [TextWord("2024,", w.box, 75.3)]  # over the whole word: still less than it holds
    assert with_second_opinion([line], lambda i, span: whole, ON)[0].text == "năm/2Ø24,"
    # a stamp's line, or one read confidently throughout, is not read again
    asked: list[int] = []

    def reader(i: int, span: Span) -> list[TextWord]:
        asked.append(i)
        return []

    stamp = _line([("ĐẾN", 50.0)], 0, stamp=True)
    sure = _line([("Bến", 96.0), ("Suối", 95.0)], 60)
    assert with_second_opinion([stamp, sure], reader, ON) == (stamp, sure) and asked == []


def test_a_known_word_of_letters_read_fairly_sure_is_not_read_again() -> None:
    # the second model differs from vie there in its tones (which it places worse), not its letters
    known = ON.model_copy(update={"second_known_confidence": 70.0})
    asked: list[int] = []

    def reader(line: OcrLine, texts: list[tuple[str, float]]) -> Callable[[int, Span], list[TextWord]]:
        def read(i: int, span: Span) -> list[TextWord]:
            asked.append(i)
            return _second(line, texts)

        return read

    plain = _line([("Bến", 75.0), ("Suối", 82.0)], 0)  # known words of letters: its line not read
    assert with_second_opinion([plain], reader(plain, [("Bên", 97.0), ("Suôi", 97.0)]), known) == (plain,)
    assert asked == []
    # read below the bar, or holding a mark or a digit, or no known word: read again as before
    for first, second in (
        (("Vĩ", 64.0), ("VT", 92.9)),  # dev 1090: under the bar
        (("Luật:", 75.0), ("Luật", 97.0)),  # a mark
        (("2096", 80.0), ("2026", 97.0)),  # digits
        (("lghiệp", 80.0), ("nghiệp", 97.0)),  # no known word
    ):
        line = _line([first], 0)
        assert with_second_opinion([line], reader(line, [second]), known)[0].text == second[0]
    assert asked == [0, 0, 0, 0]
    # 101: every unsure word read again (the setting off)
    line = _line([("nướng", 80.0)], 0)
    off = ON.model_copy(update={"second_known_confidence": 101.0})
    assert with_second_opinion([line], reader(line, [("nương", 97.0)]), off)[0].text == "nướng"  # marks
    assert asked == [0, 0, 0, 0, 0]
    assert load_config().page_stages().ocr.page_text.second_known_confidence == 70.0


def test_a_line_is_read_again_over_its_unsure_words_and_their_neighbours() -> None:
    # the unsure words' neighbours within 2 line heights read with them, spans that meet as one,
    # the rest of the line not (a reading's cost is its width)
    near = ON.model_copy(update={"second_context_heights": 2.0})
    words = [("một", 96.0), ("hai", 96.0), ("b/e);", 73.5), ("bốn", 96.0), ("năm", 96.0)]
    words += [("sáu", 96.0), ("bảy", 96.0), ("tám", 96.0), ("2096.", 89.2), ("mười", 96.0)]
    line = _line(words, 0)  # words 54-90 px wide, 15 px apart, 40 high: 80 px reach one word
    assert spans_read_again(line, [2, 8], near) == [(1, 3), (7, 9)]
    assert spans_read_again(line, [2, 4], near) == [(1, 5)]  # spans that meet: one
    assert spans_read_again(line, [2, 8], ON) == [(0, 9)]  # 0: the whole line
    # a span's box from its first word to its last (the line's ends where it holds them), padded
    assert line_box(line, 2000, 100, (7, 9)) == PixelBox(line.words[7].box.x0 - 10, 0, line.box.x1 + 10, 50)
    assert line_box(line, 2000, 100, (1, 3)) == PixelBox(
        line.words[1].box.x0 - 10, 0, line.words[3].box.x1 + 10, 50
    )
    assert line_box(line, 2000, 100, (0, 4)) == PixelBox(90, 0, line.words[4].box.x1 + 10, 50)
    assert line_box(line, 2000, 100, (0, 9)) == line_box(line, 2000, 100)
    asked: list[Span] = []

    def reader(i: int, span: Span) -> list[TextWord]:
        asked.append(span)
        fixed = {"b/e);": "b/c);", "2096.": "2026."}
        return [TextWord(fixed.get(w.text, w.text), w.box, 95.0) for w in line.words[span[0] : span[1] + 1]]

    assert with_second_opinion([line], reader, near)[0].text.split()[2::6] == ["b/c);", "2026."]
    assert asked == [(1, 3), (7, 9)]
    # the line's words outside the span are painted out when it is read
    rest = left_out(line, (0, 4))
    assert rest is not None and [w.text for w in rest.words] == [t for t, _ in words[5:]]
    assert left_out(line, (0, 9)) is None


def test_the_real_pages_read_again_over_their_unsure_words_alone() -> None:
    # TT 37's "35⁄2018/QH14," (a fraction slash) read in a span of its line: "35/2018/QH14,"
    def read(context: float) -> list[str]:
        stages = load_config().page_stages()
        text = stages.ocr.page_text.model_copy(update={"second_context_heights": context})
        stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"page_text": text}))
        path = str(REALDATA / "pages" / "real_tt_37_bca_vehicle_p1.png")
        return page_text(process_page(PageTask(path, 0, "real_tt_37_bca_vehicle", settings=stages))).split()

    whole, spans = read(0.0), read(4.0)
    assert "35⁄2018/QH14," in whole and "35/2018/QH14," in spans and "112/2025/QH15;" in spans
    assert [(a, b) for a, b in zip(whole, spans, strict=True) if a != b] == [
        ("35⁄2018/QH14,", "35/2018/QH14,")
    ]
    assert load_config().page_stages().ocr.page_text.second_context_heights == 4.0


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
