"""Page-1 text, issue 12 (realdocs22): a word in capitals that lost its circumflex and kept its
tone is spelled with it ("VÈ CÁP" → "VỀ CẤP": TT 37's title; ``extract.ocr.capital_marks``)."""

from __future__ import annotations

import dataclasses

from extract.config import load_config
from extract.ocr.capital_marks import hat_dropped, with_capitals_from_page
from extract.ocr.engine import PageTextSettings
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from tests.realdocs.test_page_phrases import _line
from tests.repo_data import REALDATA

ON = load_config().page_stages().ocr.page_text


def _read(*lines: list[tuple[str, float]], settings: PageTextSettings = ON) -> list[str]:
    return [
        ln.text for ln in with_capitals_from_page([_line(w, 60 * i) for i, w in enumerate(lines)], settings)
    ]


def test_a_dropped_circumflex_is_put_back_where_the_tone_stayed() -> None:
    assert hat_dropped("vè", "về") and hat_dropped("cáp", "cấp") and hat_dropped("quyét", "quyết")
    assert not hat_dropped("pho", "phố")  # a tone added too
    assert not hat_dropped("biến", "biển")  # another tone
    assert not hat_dropped("so", "số") and not hat_dropped("sơ", "số") and not hat_dropped("về", "về")


def test_a_title_in_capitals_takes_the_frequent_spelling() -> None:
    title = [("QUY", 93.0), ("ĐỊNH", 93.0), ("VÈ", 91.0), ("CÁP,", 92.0), ("THU", 94.0), ("HỒI", 93.0)]
    assert _read(title) == ["QUY ĐỊNH VỀ CẤP, THU HỒI"]
    assert _read(title, settings=PageTextSettings()) == ["QUY ĐỊNH VÈ CÁP, THU HỒI"]  # off
    # a higher bar: "cáp" 4.7 → "cấp" 6.0 rises by 1.3 only
    assert _read(title, settings=ON.model_copy(update={"capital_marks_min_rise": 2.0})) == [
        "QUY ĐỊNH VỀ CÁP, THU HỒI"
    ]


def test_words_of_the_page_names_and_other_cases_stay() -> None:
    # "Cáp" in title case elsewhere on the page: a word (a name) of the page, kept in capitals too
    assert _read([("VÈ", 91.0), ("CÁP", 92.0)], [("Cáp", 95.0), ("treo", 95.0)]) == ["VỀ CÁP", "Cáp treo"]
    # lower and title case, one letter, a stamp's line: as read
    assert _read([("vè", 91.0), ("Cáp", 92.0), ("È", 90.0)]) == ["vè Cáp È"]
    stamp = _line([("VÈ", 91.0)], 0, stamp=True)
    assert with_capitals_from_page([stamp], ON)[0] == stamp


def test_tt37_title_on_the_real_page() -> None:
    page = REALDATA / "pages" / "real_tt_37_bca_vehicle_p1.png"
    stages = load_config().page_stages()
    off_pt = stages.ocr.page_text.model_copy(update={"capital_marks_min_rise": -1.0})
    off = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"page_text": off_pt}))
    on_text = page_text(process_page(PageTask(str(page), 0, "tt37", settings=stages)))
    off_text = page_text(process_page(PageTask(str(page), 0, "tt37", settings=off)))
    assert "VÈ CÁP," in off_text and "VỀ CẤP," in on_text
    assert on_text.replace("VỀ CẤP,", "VÈ CÁP,") == off_text
