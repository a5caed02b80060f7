"""Page-1 text, issue 12 (realdocs23): a rare lower-case word whose tone was misread, in no
compound, takes the far more frequent spelling of another tone ("thiết bị sô" → "số": TT 37;
``extract.ocr.rare_tones``)."""

from __future__ import annotations

import dataclasses

from extract.config import load_config
from extract.ocr.engine import PageTextSettings
from extract.ocr.rare_tones import respelled, with_rare_tones_respelled
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from tests.realdocs.test_page_phrases import _line
from tests.repo_data import REALDATA

ON = load_config().page_stages().ocr.page_text


def _read(*lines: list[tuple[str, float]], settings: PageTextSettings = ON) -> list[str]:
    return [
        ln.text for ln in with_rare_tones_respelled([_line(w, 60 * i) for i, w in enumerate(lines)], settings)
    ]


def _words(text: str) -> list[tuple[str, float]]:
    return [(w, 93.0) for w in text.split()]


def test_a_rare_word_takes_the_frequent_tone() -> None:
    assert respelled("sô", 4.5, 1.5) == "số"  # Zipf 4.1 → 6.5
    assert respelled("quyên", 4.5, 1.5) == "quyền"  # 4.4 → 5.9
    assert respelled("đê", 4.5, 1.5) == "để"  # 4.4 → 6.7
    # a frequent word read right, a rise too small, a hat or "đ" changed, no word, not Vietnamese
    assert respelled("số", 4.5, 1.5) is None and respelled("thị", 4.5, 1.5) is None
    assert respelled("giây", 4.5, 1.5) is None  # 5.0: no rare word
    assert respelled("khăng", 4.5, 1.5) is None  # → "khẳng" rises by 0.95 only
    assert respelled("đe", 4.5, 1.5) is None  # "đề" puts a hat on the "e": a letter
    assert respelled("ngùy", 4.5, 1.5) is None and respelled("ñáo", 4.5, 1.5) is None
    assert respelled("sô", 4.0, 1.5) is None and respelled("sô", 4.5, 2.5) is None  # the settings


def test_lines_of_the_page() -> None:
    assert _read(_words("Ứng dụng trên thiết bị sô dành cho công dân")) == [
        "Ứng dụng trên thiết bị số dành cho công dân"
    ]
    assert _read(_words("- Thường trực Thành ủy; (đê b/c)"), _words("và giao quyên Chủ tịch;")) == [
        "- Thường trực Thành ủy; (để b/c)",
        "và giao quyền Chủ tịch;",
    ]
    assert _read(_words("thiết bị sô dành"), settings=PageTextSettings()) == ["thiết bị sô dành"]  # off


def test_compounds_names_and_stamps_stay() -> None:
    # a word of a compound as read: "quyên góp", "đê điều"
    assert _read(_words("vận động quyên góp"), _words("tuyến đê điều")) == [
        "vận động quyên góp",
        "tuyến đê điều",
    ]
    # the neighbour's letters next to the word, marks after them ("rà soát,.TTHC": a title's garble)
    assert _read(_words("về Kế hoạch rà soát,.TTHC năm")) == ["về Kế hoạch rà soát,.TTHC năm"]
    # a compound broken over two lines, the word at either end
    assert _read(_words("công tác rà"), _words("soát thủ tục")) == ["công tác rà", "soát thủ tục"]
    assert _read(_words("các bên cùng quyên"), _words("góp vào quỹ")) == ["các bên cùng quyên", "góp vào quỹ"]
    # ... but not over a mark: "quyên," ends its clause, the next line's "góp" is no neighbour of it
    assert _read(_words("tuyến đường, sô"), _words("hai")) == ["tuyến đường, số", "hai"]
    assert _read(_words("các bên cùng quyên,"), _words("góp vào quỹ")) == [
        "các bên cùng quyền,",
        "góp vào quỹ",
    ]
    # title case and capitals are names and headings
    assert _read(_words("chị Quyên và SÔ")) == ["chị Quyên và SÔ"]
    stamp = _line(_words("sô đến"), 0, stamp=True)
    assert with_rare_tones_respelled([stamp], ON)[0] == stamp


def test_tt37_on_the_real_page() -> None:
    page = REALDATA / "pages" / "real_tt_37_bca_vehicle_p1.png"
    stages = load_config().page_stages()
    off_pt = stages.ocr.page_text.model_copy(update={"rare_tone_max_zipf": 0.0})
    off = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"page_text": off_pt}))
    on_text = page_text(process_page(PageTask(str(page), 0, "tt37", settings=stages)))
    off_text = page_text(process_page(PageTask(str(page), 0, "tt37", settings=off)))
    assert "thiết bị sô dành" in off_text and "thiết bị số dành" in on_text
    assert on_text.replace("thiết bị số dành", "thiết bị sô dành") == off_text
