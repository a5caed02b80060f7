"""Page-1 text, issue 12 (realdocs14): a semicolon read as a comma, told from its ink
(``extract.ocr.semicolons``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract.config import load_config
from extract.model import OcrLine, PageResult, PixelBox, TextWord
from extract.ocr.engine import PageTextSettings
from extract.ocr.semicolons import final_mark, with_semicolons
from extract.pagetext import page_text
from extract.synth.fonts import font
from tests.realdocs.test_page_phrases import real_page

ON = load_config().page_stages().ocr.page_text


def _word(printed: str, style: str, size: int = 34) -> tuple[np.ndarray, PixelBox]:
    """A line "… năm <printed>" drawn at 200 dpi (14 pt ≈ 38 px), and the box of its last word's ink."""
    img = Image.new("L", (900, 120), 255)
    draw = ImageDraw.Draw(img)
    draw.text((20, 30), "Căn cứ Luật Tổ chức", font=font(style, size), fill=0)
    x = 20 + draw.textlength("Căn cứ Luật Tổ chức ", font=font(style, size))
    draw.text((x, 30), printed, font=font(style, size), fill=0)
    gray = np.asarray(img)
    ys, xs = np.nonzero(gray[:, int(x) - 2 :] < 128)
    return gray, PixelBox(
        int(x) - 2 + int(xs.min()), int(ys.min()), int(x) - 2 + int(xs.max()) + 1, int(ys.max()) + 1
    )


@pytest.mark.parametrize("style", ["regular", "italic"])
@pytest.mark.parametrize("printed", ["2025;", "mới;", "phủ;", "dân;"])
def test_a_printed_semicolon_read_as_a_comma_ends_in_a_semicolon(printed: str, style: str) -> None:
    gray, box = _word(printed, style)
    assert final_mark(gray, TextWord(printed[:-1] + ",", box, 96.0), ON) == ";", (printed, style)


@pytest.mark.parametrize("style", ["regular", "italic"])
@pytest.mark.parametrize("printed", ["2025,", "mới,", "phủ,", "Nội,", "đai,", "nhận:", "VPCP:", "Số:"])
def test_a_printed_comma_or_colon_stays(printed: str, style: str) -> None:
    gray, box = _word(printed, style)
    assert final_mark(gray, TextWord(printed, box, 96.0), ON) is None, (printed, style)


def test_a_speck_over_a_comma_is_no_dot() -> None:
    # dev-old 249 (hard, 200 dpi): a 2 × 2 speck of toner 16 px over the comma of "năm 2022,"
    gray, box = _word("2022,", "regular")
    ink = np.argwhere(gray[:, box.x1 - 8 : box.x1] < 128)
    top, left = int(ink[:, 0].min()), box.x1 - 8 + int(ink[:, 1].min())
    specked = gray.copy()
    specked[top - 12 : top - 10, left : left + 2] = 0
    assert final_mark(specked, TextWord("2022,", box, 96.0), ON) is None
    dotted = gray.copy()  # the same place, a dot of the comma's pen: a semicolon
    dotted[top - 13 : top - 9, left : left + 4] = 0
    assert final_mark(dotted, TextWord("2022,", box, 96.0), ON) == ";"


def test_the_lines_words_and_the_setting() -> None:
    gray, box = _word("2025;", "italic")
    line = OcrLine(
        "năm 2025,",
        PixelBox(20, box.y0, box.x1, box.y1),
        95.0,
        (
            TextWord("năm", PixelBox(20, box.y0, box.x0 - 10, box.y1), 97.0),
            TextWord("2025,", box, 96.0),
        ),
    )
    (read,) = with_semicolons([line], gray, ON)
    assert read.text == "năm 2025;" and read.words[1].text == "2025;" and read.words[1].confidence == 96.0
    assert with_semicolons([line], gray, PageTextSettings())[0].text == "năm 2025,"  # off by default
    assert with_semicolons([dataclasses.replace(line, stamp=True)], gray, ON)[0].text == "năm 2025,"
    # a colon is never changed, whatever its lower dot looks like (blurred on a fax: "Số:")
    colon = dataclasses.replace(line, text="năm 2025:", words=(line.words[0], TextWord("2025:", box, 96.0)))
    assert with_semicolons([colon], gray, ON)[0].text == "năm 2025:"


def _page(doc_id: str, on: bool) -> PageResult:
    return real_page(doc_id, "semicolon_dot_reach", 1.7 if on else 0.0)


def test_the_real_preambles_and_recipients_end_their_items_in_semicolons() -> None:
    on, off = page_text(_page("real_nq_115_ba_vi", True)), page_text(_page("real_nq_115_ba_vi", False))
    assert "năm 2025,\nCăn cứ Nghị quyết" in off and "năm 2025;\nCăn cứ Nghị quyết" in on
    assert "kỷ nguyên mới;" in on and "của Chính phủ;" in on
    assert on.count(",") == off.count(",") - 3  # no other comma changed
    on, off = page_text(_page("real_qd_729_ttg", True)), page_text(_page("real_qd_729_ttg", False))
    assert "Ủy viên Ủy ban nhân dân; trình tự, thủ tục" in on  # the comma after "trình tự" stays
    assert "giao quyền Chủ tịch Ủy ban nhân dân;" in on  # "quyên": extract.ocr.rare_tones
    assert "Thành ủy Đà Nẵng:" in on  # a colon stays (printed ";": no colon is changed)
    assert on.count(";") == off.count(";") + 2
