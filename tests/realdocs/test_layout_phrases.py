"""Page-1 text, issue 12 (realdocs15): a fixed phrase of the national layout (the motto, a
signature title under a seal's ring) read a letter or two off is read as the layout prints it
(``extract.ocr.layout_phrases``)."""

from __future__ import annotations

import pytest

from extract.config import load_config
from extract.ocr.engine import PageTextSettings
from extract.ocr.layout_phrases import with_layout_phrases
from extract.pagetext import page_text
from tests.realdocs.stamped_pages import signed_page, write_png
from tests.realdocs.test_page_phrases import _line, read_page, real_page

PHRASES = tuple(load_config().page_stages().ocr.page_text.layout_phrases)
ON = PageTextSettings(layout_max_edits=2, layout_phrases=PHRASES)


def _words(text: str, read_at: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """The words of ``text``, each read at 96 but those of ``read_at``."""
    return [(w, (read_at or {}).get(w, 96.0)) for w in text.split()]


def _read(words: list[tuple[str, float]], settings: PageTextSettings = ON, *, stamp: bool = False) -> str:
    return with_layout_phrases([_line(words, 0, stamp=stamp)], settings)[0].text


def test_a_title_under_a_seals_ring_reads_as_the_layout_prints_it() -> None:
    assert _read([('"HỦ', 26.0), ("TƯỚNG", 90.0)]) == "THỦ TƯỚNG"  # the mark stood for the T
    assert _read([("HỦ", 77.0), ("NHIÊM", 90.0)]) == "CHỦ NHIỆM"  # "nhiêm" is no word
    assert _read([("T.", 92.0), ("CHỦ", 97.0), ("TỊCH", 96.0)]) == "KT. CHỦ TỊCH"  # its first letter lost
    assert _read([("KT", 96.0), ("CHỦ", 96.0), ("TỊCH", 88.0)]) == "KT. CHỦ TỊCH"  # the end mark put back
    # generated dev pages (hard 200, hard 300): the motto's ends
    assert _read(_words("Độc lập - Tự do - Hạnh phầ", {"phầ": 40})) == "Độc lập - Tự do - Hạnh phúc"
    assert _read(_words("ộc lập - Tự do - Hạnh phúc", {"ộc": 60})) == "Độc lập - Tự do - Hạnh phúc"
    # within a line of two columns, the other column's words kept
    assert _read(_words("Nơi nhận: TM. ỦY BAN NHÂN DẦN", {"DẦN": 60})) == "Nơi nhận: TM. ỦY BAN NHÂN DÂN"
    # the words' own text too, their confidence as read
    line = with_layout_phrases([_line([("HỦ", 77.0), ("NHIÊM", 90.0)], 0)], ON)[0]
    assert [(w.text, w.confidence) for w in line.words] == [("CHỦ", 77.0), ("NHIỆM", 90.0)]


def test_what_is_read_confidently_far_off_or_not_told_stays_as_read() -> None:
    # a known word read confidently, as near to two titles ("PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH")
    assert _read([("HỒ", 93.0), ("CHỦ", 96.0), ("TỊCH", 96.0)]) == "HỒ CHỦ TỊCH"
    assert _read([("CHỦ", 96.0), ("TÍCH", 95.0)]) == "CHỦ TÍCH"  # "tích", read at 95
    assert _read([("Chủ", 97.0), ("tịch", 60.0), ("Ủy", 97.0)]) == "Chủ tịch Ủy"  # prose: case counts
    assert _read([("THỦ", 97.0), ("TRƯỞNG", 96.0)]) == "THỦ TRƯỞNG"  # a phrase of its own
    motto = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # the old tone placement is the same word
    assert _read(_words(motto, {"HOÀ": 60})) == motto
    assert _read([("KT.", 96.0), ("BỘ", 97.0), ("TRƯỞNG,", 29.0), ("CHỦ", 93.0), ("NHIỆM", 91.0)]) == (
        "KT. BỘ TRƯỞNG, CHỦ NHIỆM"  # its comma kept
    )
    assert _read([("CHÚ", 50.0), ("TÍCH", 50.0)]) == "CHÚ TÍCH"  # 2 of "CHỦ TỊCH"'s 7 letters: over a quarter
    # a stray mark before a title is no lost "KT." (dev 376, 383, 389: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH")
    assert _read([("l", 40.0), ("CHỦ", 96.0), ("TỊCH", 96.0)]) == "l CHỦ TỊCH"
    assert _read([("An", 60.0), ("CHỦ", 96.0), ("TỊCH:", 96.0)]) == "An CHỦ TỊCH:"
    # an end mark is put back on a title in capitals, or where the phrase ends its line: never in prose
    assert _read(_words("Nơi nhận hồ sơ: Bộ phận một cửa")) == "Nơi nhận hồ sơ: Bộ phận một cửa"
    assert _read(_words("Nơi nhận")) == "Nơi nhận:"
    assert _read([("HỦ", 77.0), ("NHIÊM", 90.0)], stamp=True) == "HỦ NHIÊM"  # a stamp's line
    assert (
        _read([("HỦ", 77.0), ("NHIÊM", 90.0)], PageTextSettings(layout_phrases=PHRASES)) == "HỦ NHIÊM"
    )  # off
    assert load_config().page_stages().ocr.page_text.layout_max_edits == 2  # on in pipeline.yaml


def _signed(seal: tuple[int, int] | None, tmp: str, on: bool) -> str:
    path = write_png(signed_page(seal), f"{tmp}/signed-{seal}.png")
    page = read_page(path, "signed", "layout_max_edits", 2 if on else 0)
    assert page.error is None
    return page_text(page)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("layout"))


def test_a_generated_seal_over_a_signature_title(tmp: str) -> None:
    off, on = _signed((870, 1360), tmp, False), _signed((870, 1360), tmp, True)
    assert "KT. CHỦ TỊCH" not in off and "T. CHỦ TỊCH" in off  # the ring over its "K"
    assert "KT. CHỦ TỊCH" in on
    changed = [(a, b) for a, b in zip(off.splitlines(), on.splitlines(), strict=True) if a != b]
    assert changed == [("T. CHỦ TỊCH", "KT. CHỦ TỊCH")]  # that line alone
    # no seal: the layout's phrases read right, nothing to change
    assert _signed(None, tmp, True) == _signed(None, tmp, False)


def test_the_real_titles_under_seals_read_as_the_layout_prints_them() -> None:
    def read(doc_id: str, on: bool) -> str:
        return page_text(real_page(doc_id, "layout_max_edits", 2 if on else 0))

    on, off = read("real_qd_729_ttg", True), read("real_qd_729_ttg", False)
    assert '"HỦ TƯỚNG' in off.splitlines() and "THỦ TƯỚNG" in on.splitlines()
    on, off = read("real_cv_3722_metro", True), read("real_cv_3722_metro", False)
    assert "HỦ NHIÊM" in off.splitlines() and "CHỦ NHIỆM" in on.splitlines()
    assert len(on.splitlines()) == len(off.splitlines())
