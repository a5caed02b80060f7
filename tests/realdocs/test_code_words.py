"""Page-1 text, issue 12 (realdocs22): a document code read with a space inside it is one word
("558/SNV- CCHC", "80- NQ/TW", "Số: 729 /QĐ-TTg"; ``extract.ocr.code_words``)."""

from __future__ import annotations

import dataclasses

from extract.config import load_config
from extract.model import OcrLine
from extract.ocr.code_words import split_code, with_codes_joined
from extract.ocr.engine import PageTextSettings
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from tests.realdocs.test_page_phrases import _line
from tests.repo_data import REALDATA

ON = load_config().page_stages().ocr.page_text


def test_a_code_split_after_its_hyphen_or_before_its_symbol() -> None:
    for first, second in (
        ("558/SNV-", "CCHC"),
        ("36/BC-", "UBND"),
        ("80-", "NQ/TW"),
        ("18/2025/TT-", "BCT."),
        ("729", "/QĐ-TTg"),
        ("2", "/2026/TT-BCT"),
    ):
        assert split_code(first, second), (first, second)
    for first, second in (
        ("2026", "-"),
        ("2026-", "2031"),  # a range
        ("Số:", "/QĐ-UBND"),  # a number left blank
        ("ĐT-", "KH"),  # no digit or slash: two words
        ("Hà-", "Nội"),
        ("50", "/100"),  # a ratio: no hyphen or second slash
        ("12345", "/QĐ-TTg"),
    ):
        assert not split_code(first, second), (first, second)


def test_the_line_reads_one_word_with_both_boxes() -> None:
    line = _line([("Công", 95.0), ("văn", 96.0), ("558/SNV-", 90.0), ("CCHC", 85.0), ("của", 96.0)], 0)
    out: OcrLine = with_codes_joined([line], ON)[0]
    assert out.text == "Công văn 558/SNV-CCHC của"
    code = out.words[2]
    assert (code.box.x0, code.box.x1) == (line.words[2].box.x0, line.words[3].box.x1)
    assert code.confidence == 85.0  # as unsure as its least sure part
    assert with_codes_joined([line], PageTextSettings())[0] == line  # off
    stamp = _line([("36/BC-", 90.0), ("UBND", 90.0)], 0, stamp=True)
    assert with_codes_joined([stamp], ON)[0] == stamp


def test_qd729_number_line_on_the_real_page() -> None:
    page = REALDATA / "pages" / "real_qd_729_ttg_p1.png"
    stages = load_config().page_stages()
    off_pt = stages.ocr.page_text.model_copy(update={"codes_joined": False})
    off = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"page_text": off_pt}))
    on_text = page_text(process_page(PageTask(str(page), 0, "qd729", settings=stages)))
    off_text = page_text(process_page(PageTask(str(page), 0, "qd729", settings=off)))
    assert "729 /QĐ-TTg" in off_text and "Số: 729/QĐ-TTg" in on_text
    assert on_text.replace("729/QĐ-TTg", "729 /QĐ-TTg") == off_text
