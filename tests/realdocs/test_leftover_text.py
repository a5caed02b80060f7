"""Page-1 text, issue 12 (realdocs12): handwritten file marks above the motto, lines of ink no
search read, names in page text."""

from __future__ import annotations

import dataclasses
from functools import cache

from extract.config import load_config
from extract.model import OcrLine, PageResult, PixelBox, TextWord
from extract.ocr.marks import keep_title_names, zipf
from extract.page import PageTask, process_page
from extract.pagetext import (
    is_margin_mark,
    motto_top,
    noise_segments,
    page_text,
    reading_order,
    with_margin_marks,
)
from tests.repo_data import REALDATA


def _line(words: list[tuple[str, int]], y: int, h: int = 40, confidence: float = 95.0) -> OcrLine:
    tw = tuple(TextWord(text, PixelBox(x, y, x + 18 * len(text), y + h), confidence) for text, x in words)
    return OcrLine(
        " ".join(t for t, _ in words), PixelBox(tw[0].box.x0, y, tw[-1].box.x1, y + h), confidence, tw
    )


# --------------------------------------------------------------------------------------------
# file marks above the motto


def test_a_vowelless_mark_above_the_motto_is_noise_and_printed_words_there_are_not() -> None:
    motto = _line([("CỘNG", 741), ("HOÀ", 850), ("XÃ", 940), ("HỘI", 1000)], 184)
    issuer = _line([("VĂN", 217), ("PHÒNG", 300), ("CHÍNH", 420), ("PHỦ", 540)], 185)
    mark = _line([("TT?!", 1354)], 117, confidence=76.0)  # CV 3722's handwritten file mark
    draft = _line([("DỰ", 1300), ("THẢO", 1360)], 110, confidence=80.0)  # printed: vowels
    sure = _line([("TTg", 1354)], 60, confidence=95.0)  # read sure: print
    below = _line([("TT#Trtz)", 1354)], 400, confidence=48.0)  # under the motto: not the margin
    layer = _line([("TT", 1354)], 30, confidence=100.0)  # a text layer's line
    lines = [motto, issuer, mark, draft, sure, below, layer]
    top = motto_top(lines)
    assert top == 184
    marks = load_config().page_stages().ocr.page_text.mark_max_confidence
    assert marks == 90  # ocr.page_text.mark_max_confidence
    assert [is_margin_mark(s, top, marks) for s in (mark, draft, sure, below, layer, motto)] == [
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert not is_margin_mark(mark, None, marks)  # a page that prints no motto: nothing is a margin mark
    assert not is_margin_mark(mark, top, 70)  # read at 76: over a bar of 70 it is kept
    judged = with_margin_marks(lines, marks)  # the page task marks them where its settings are
    assert [ln.margin_mark for ln in judged] == [False, False, True, False, False, False, False]
    text = [ln.text for ln in reading_order(judged)]
    assert "TT?!" not in text and {"DỰ THẢO", "TTg", "TT#Trtz)", "TT"} <= set(text)
    assert "TT?!" in [s.text for s in noise_segments(judged)]  # kept in the lines table as noise
    assert "TT?!" in [ln.text for ln in reading_order(with_margin_marks(lines, 0))]  # 0: off
    assert with_margin_marks([mark, issuer], marks) == (mark, issuer)  # no motto: nothing judged


# a line holding a mark and a printed segment far from it: only the mark's segment is noise
def test_only_the_marks_segment_of_a_line_is_noise() -> None:
    motto = _line([("CỘNG", 741), ("HOÀ", 850), ("XÃ", 940), ("HỘI", 1000)], 184)
    both = _line([("MẬT", 300), ("TT?!", 1354)], 117, confidence=80.0)
    judged = with_margin_marks([motto, both], 90)
    assert [(ln.text, ln.margin_mark) for ln in judged] == [
        (motto.text, False),
        ("MẬT", False),
        ("TT?!", True),
    ]
    assert [ln.text for ln in reading_order(judged)] == ["MẬT", motto.text]


# --------------------------------------------------------------------------------------------
# names in title case


def test_a_name_in_title_case_keeps_its_marks_in_page_text() -> None:
    read = ["Xã", "Nghĩa", "Bình", "và", "thành", "phô"]
    chosen = ["Xã", "Nghĩa", "Binh", "và", "thành", "phố"]
    assert keep_title_names(read, chosen) == ["Xã", "Nghĩa", "Bình", "và", "thành", "phố"]
    # capitals are a title, not a name; a read word that is no word takes its spelling
    assert keep_title_names(["THÀNH", "PHÓ"], ["THÀNH", "PHỐ"]) == ["THÀNH", "PHỐ"]
    assert zipf("nghĩà") == 0
    assert keep_title_names(["Xã", "Nghĩà", "Lạc"], ["Xã", "Nghĩa", "Lạc"]) == ["Xã", "Nghĩa", "Lạc"]
    # a title-case word alone (a sentence's first word) is no name
    assert keep_title_names(["Thành", "phô"], ["Thành", "phố"]) == ["Thành", "phố"]
    assert keep_title_names(["Bồ", "sung"], ["Bổ", "sung"]) == ["Bổ", "sung"]


# --------------------------------------------------------------------------------------------
# the real pages


@cache
def _page(doc_id: str, **update: object) -> PageResult:
    stages = load_config().page_stages()
    stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update=update))
    return process_page(PageTask(str(REALDATA / "pages" / f"{doc_id}_p1.png"), 0, doc_id, settings=stages))


def test_real_file_marks_are_left_out_of_the_page_text() -> None:
    for doc_id, mark in (("real_cv_3722_metro", "TT?!"), ("real_nq_115_ba_vi", "TT#Trtz)")):
        page = _page(doc_id)
        assert mark not in page_text(page) and mark in [s.text for s in noise_segments(page.lines)]
        assert page_text(page).splitlines()[0].startswith(("VĂN PHÒNG", "CHÍNH PHỦ"))  # the issuer first


def test_lines_no_search_read_are_read_from_their_ink() -> None:
    stages = load_config().page_stages()
    assert stages.ocr.missed_text_leftover_min_confidence <= 100  # on by default
    # QĐ 2280's last recipient: tesseract reads nothing from the line whole (its subscript "DG"),
    # its words one by one
    on = page_text(_page("real_hanoi_qd_2280_water"))
    off = page_text(_page("real_hanoi_qd_2280_water", missed_text_leftover_min_confidence=101.0))
    assert "Lưu: VT, ĐT" not in off and "- Lưu: VT, ĐT" in on
    assert on.index("Trung tâm TT") < on.index("- Lưu: VT, ĐT")  # the list's last line
    assert set(off.splitlines()) <= set(on.splitlines())  # only lines added
    # NQ 115's "Điều 1." inside the seal's dotted rim
    on = page_text(_page("real_nq_115_ba_vi"))
    off = page_text(_page("real_nq_115_ba_vi", missed_text_leftover_min_confidence=101.0))
    assert "Điều" not in off and "Điều" in on
    assert on.index("QUYẾT NGHỊ") < on.index("Điều") < on.index("1. Đồng ý")
    assert set(off.splitlines()) <= set(on.splitlines())
