"""Page-1 text, issue 12 (realdocs14): a phrase the page prints more than once, misread once, is
read as the page prints it elsewhere (``extract.ocr.page_phrases``)."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from bench.realdocs_cer import cer, word_diff
from extract.config import load_config
from extract.model import OcrLine, PageResult, PixelBox, TextWord
from extract.ocr.engine import PageTextSettings, StampSettings
from extract.ocr.page_phrases import page_phrase_spellings, with_page_phrases
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from tests.realdocs.stamped_pages import OVER_PHRASES, StampKind, printed_text, stamped_page, write_png
from tests.repo_data import REALDATA

ON = PageTextSettings(phrase_min_occurrences=2)


def _line(words: list[tuple[str, float]], y: int, *, stamp: bool = False) -> OcrLine:
    tw, x = [], 100
    for text, confidence in words:
        tw.append(TextWord(text, PixelBox(x, y, x + 18 * len(text), y + 40), confidence))
        x += 18 * len(text) + 15
    return OcrLine(
        " ".join(t for t, _ in words),
        PixelBox(100, y, x, y + 40),
        min(c for _, c in words),
        tuple(tw),
        stamp=stamp,
    )


def _read(*lines: list[tuple[str, float]], settings: PageTextSettings = ON) -> list[str]:
    return [ln.text for ln in with_page_phrases([_line(w, 60 * i) for i, w in enumerate(lines)], settings)]


NAME = [("Ủy", 97.0), ("ban", 97.0), ("nhân", 97.0), ("dân", 96.0)]


def test_a_name_read_once_otherwise_takes_the_pages_spelling() -> None:
    read = _read(
        [*NAME, ("tỉnh", 97.0)],
        [("Chủ", 97.0), ("tịch", 95.0), *NAME],
        [("Uy", 73.0), ("pan", 80.0), ("nhân", 97.0), ("dân", 97.0), ("thành", 95.0)],
        [("ừ", 74.0), ("ban", 95.0), ("nhân", 97.0), ("dân;", 97.0), ("trình", 97.0)],
    )
    assert read[2] == "Ủy ban nhân dân thành"
    assert read[3] == "Ủy ban nhân dân; trình"  # its punctuation kept
    assert read[:2] == ["Ủy ban nhân dân tỉnh", "Chủ tịch Ủy ban nhân dân"]
    # the words' own text too (the page's column cuts and the PDF layer use them)
    line = with_page_phrases([_line(NAME, 0), _line(NAME, 60), _line([("Uy", 73.0), *NAME[1:]], 120)], ON)[2]
    assert [w.text for w in line.words] == ["Ủy", "ban", "nhân", "dân"]
    assert [w.confidence for w in line.words] == [73.0, 97.0, 97.0, 96.0]  # read as confidently as before


def test_what_is_read_confidently_or_once_or_far_off_stays_as_read() -> None:
    other = [("Ủy", 92.0), ("ban", 97.0), ("nhân", 97.0), ("dân", 97.0)]  # confident: a name of its own
    assert _read(NAME, NAME, other)[2] == "Ủy ban nhân dân"
    confident = [("Uy", 93.0), ("ban", 97.0), ("nhân", 97.0), ("dân", 97.0)]
    assert _read(NAME, NAME, confident)[2] == "Uy ban nhân dân"
    assert _read(NAME, [("Uy", 60.0), *NAME[1:]])[1] == "Uy ban nhân dân"  # printed once: no evidence
    far = [("Hội", 60.0), ("đồng", 60.0), ("nhân", 97.0), ("dân", 97.0)]  # three letters off
    assert _read(NAME, NAME, far)[2] == "Hội đồng nhân dân"
    two_of_three = [("Uy", 60.0), ("pan", 60.0), ("nhân", 97.0)]  # two respelled, one read alike
    assert _read(NAME, NAME, two_of_three)[2] == "Uy pan nhân"
    # a word forming a compound with its neighbour outside the run is a word in its own context
    name = [("dân", 97.0), ("huyện", 97.0), ("Mường", 96.0), ("Tè", 96.0)]
    read = _read(
        [("nhân", 97.0), *name],
        [("nhân", 97.0), *name],
        [("địa", 97.0), ("bàn", 80.0), ("huyện", 97.0), ("Mường", 97.0), ("Tè,", 97.0)],
        [("nhân", 97.0), ("bân", 80.0), ("huyện", 97.0), ("Mường", 97.0), ("Tè,", 97.0)],
    )
    assert read[2:] == ["địa bàn huyện Mường Tè,", "nhân dân huyện Mường Tè,"]
    # two phrases that would spell one word otherwise: left as read
    a = [("các", 97.0), ("Sở", 97.0), ("ban", 97.0), ("ngành", 97.0)]
    b = [("các", 97.0), ("Bộ", 97.0), ("ban", 97.0), ("ngành", 97.0)]
    assert (
        _read(a, a, b, b, [("các", 97.0), ("Sớ", 50.0), ("ban", 97.0), ("ngành", 97.0)])[4]
        == "các Sớ ban ngành"
    )


def test_numbers_stamps_and_the_setting() -> None:
    date = [("ngày", 97.0), ("16", 97.0), ("tháng", 97.0), ("6", 97.0), ("năm", 97.0)]
    other_day = [("ngày", 97.0), ("17", 60.0), ("tháng", 97.0), ("6", 97.0), ("năm", 97.0)]
    assert _read(date, date, other_day)[2] == "ngày 17 tháng 6 năm"  # a number is never a phrase's
    lines = [_line(NAME, 0), _line(NAME, 60), _line([("Uy", 60.0), *NAME[1:]], 120, stamp=True)]
    assert with_page_phrases(lines, ON)[2].text == "Uy ban nhân dân"  # a stamp's line is not the page's
    assert not page_phrase_spellings(lines, ON)
    plain = [NAME, NAME, [("Uy", 60.0), *NAME[1:]]]
    assert _read(*plain, settings=PageTextSettings())[2] == "Uy ban nhân dân"  # off by default
    assert load_config().page_stages().ocr.page_text.phrase_min_occurrences == 2  # on in pipeline.yaml
    with pytest.raises(ValueError):
        PageTextSettings(phrase_words=(4, 3))


# --------------------------------------------------------------------------------------------
# generated page-1s: a received stamp over a phrase the page prints again


@cache
def _generated(kind: StampKind, tmp: str, on: bool) -> str:
    stages = load_config().page_stages()
    update = {
        "stamp_frame": StampSettings(general=True, ink_level=200, max_slant_deg=6.0),
        # the rare words' tones off in both: "hãnh" → "hành" is also theirs (extract.ocr.rare_tones)
        "page_text": stages.ocr.page_text.model_copy(
            update={"phrase_min_occurrences": 2 if on else 0, "rare_tone_max_zipf": 0.0}
        ),
    }
    stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update=update))
    path = write_png(stamped_page(kind), f"{tmp}/phrases-{OVER_PHRASES.index(kind)}.png")
    page = process_page(PageTask(path, 0, "phrases", settings=stages))
    assert page.error is None
    return page_text(page)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("phrases"))


@pytest.mark.parametrize("kind", OVER_PHRASES, ids=lambda k: k.name)
def test_a_stamp_over_a_phrase_printed_again_reads_it_as_printed(kind: StampKind, tmp: str) -> None:
    off, on = _generated(kind, tmp, False), _generated(kind, tmp, True)
    assert cer(on, printed_text()) < cer(off, printed_text())
    # every word changed is the printed word ("chín," → "chính,", "hãnh" → "hành": "cải cách
    # hành chính", printed in the title and twice in the body)
    printed = set(printed_text().split())
    changed = word_diff(off, on)
    assert changed and all(c.split("THEIRS[")[1].rstrip("]") in printed for c in changed)


# --------------------------------------------------------------------------------------------
# the real pages (tuned: QĐ 729, NQ 115)


def read_page(path: str, doc_id: str, setting: str, value: float | str) -> PageResult:
    """The page image at ``path`` read with ``ocr.page_text.<setting>`` at ``value``; the second
    model's opinion (``second_lang``, which respells words after the rules tested with this) off
    unless it is the setting, so that each rule's "off" reading is the page as first read."""
    stages = load_config().page_stages()
    text = stages.ocr.page_text.model_copy(update={"second_lang": "", setting: value})
    stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"page_text": text}))
    return process_page(PageTask(path, 0, doc_id, settings=stages))


@cache
def real_page(doc_id: str, setting: str, value: float | str) -> PageResult:
    """Page 1 of the real ``doc_id`` read with ``ocr.page_text.<setting>`` at ``value``."""
    return read_page(str(REALDATA / "pages" / f"{doc_id}_p1.png"), doc_id, setting, value)


def _page(doc_id: str, on: bool) -> PageResult:
    return real_page(doc_id, "phrase_min_occurrences", 2 if on else 0)


def test_the_real_names_misread_once_are_read_as_the_page_prints_them() -> None:
    on, off = page_text(_page("real_qd_729_ttg", True)), page_text(_page("real_qd_729_ttg", False))
    assert "Uy pan nhân dân" in off and "Ủy ban nhân dân thành phố Đà Nẵng nhiệm kỳ" in on
    assert "Hội đẳng" in off and "quả Hội đồng nhân dân bầu" in on
    assert "ừ ban" in off and "Ủy ban nhân dân; trình tự" in on
    assert len(on.splitlines()) == len(off.splitlines())  # words respelled, no line added or lost
    on, off = page_text(_page("real_nq_115_ba_vi", True)), page_text(_page("real_nq_115_ba_vi", False))
    assert "Nông lghiệp và Môi tưởng" in off and "Bộ Nông nghiệp và Môi trường về Ủy ban" in on
