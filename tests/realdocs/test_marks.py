"""Marks of page text chosen among tesseract's own alternatives by word frequency
(extract/ocr/marks.py, ``ocr.text_marks_max_zipf``)."""

from __future__ import annotations

import dataclasses
from functools import cache

from extract.config import PageStageSettings, load_config
from extract.model import PageResult
from extract.ocr.marks import (
    before_numbers,
    choose_in_context,
    choose_marks,
    compound_words,
    skeleton,
    zipf,
)
from extract.page import PageTask, process_page
from extract.pagetext import page_text
from tests.repo_data import REALDATA


def _alts(word: str, **others: list[str]) -> list[list[str]]:
    """Per character of ``word``: itself, then the others given for it by position ("i3")."""
    return [[c, *others.get(f"i{i}", [])] for i, c in enumerate(word)]


def test_an_unknown_word_takes_the_most_frequent_alternative_marks() -> None:
    assert zipf("quyét") == 0 < zipf("quyết")
    assert choose_marks("QUYÉT", _alts("QUYÉT", i3=["Ê", "Ế", "È"]), 0.0) == "QUYẾT"
    assert choose_marks("SÓ,", _alts("SÓ,", i1=["Ò", "Ố"]), 0.0) == "SỐ,"  # punctuation as read
    assert choose_marks("đât", _alts("đât", i1=["ấ", "ầ", "ậ"]), 0.0) == "đất"


def test_a_known_word_other_letters_or_case_are_never_changed() -> None:
    assert choose_marks("bổ", _alts("bổ", i1=["ố", "ộ"]), 0.0) == "bổ"  # a word: context would decide
    assert choose_marks("SÓ", _alts("SÓ", i1=["ố", "ồ"]), 0.0) == "SÓ"  # another case only
    assert choose_marks("SÓ", _alts("SÓ", i0=["5"], i1=["8"]), 0.0) == "SÓ"  # other letters
    assert choose_marks("QUYÉT", _alts("QUYÉ"), 0.0) == "QUYÉT"  # symbols not lined up
    assert choose_marks("2026", _alts("2026"), 0.0) == "2026"
    assert skeleton("Quyết Đổi") == "quyet doi"


@cache
def _page(doc_id: str, on: bool) -> PageResult:
    stages = _without_page_dictionary_rules(load_config().page_stages())
    assert stages.ocr.text_marks_max_zipf >= 0  # on by default
    if not on:
        stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"text_marks_max_zipf": -1.0}))
    return process_page(PageTask(str(REALDATA / "pages" / f"{doc_id}_p1.png"), 0, doc_id, settings=stages))


def test_a_real_page_gets_its_capitals_marks_and_nothing_else_changes() -> None:
    # (the marks of unknown words alone: the context of valid words is the next test's)
    off = page_text(_page("real_tt_37_bca_vehicle", False))
    on = page_text(_page_without_context("real_tt_37_bca_vehicle"))
    assert "SÓ" in off.split() and "SỐ" in on.split() and "SÓ" not in on.split()
    assert skeleton(off) == skeleton(on)  # the same letters, lines and words: marks only
    changed = [(a, b) for a, b in zip(off.split(), on.split(), strict=True) if a != b]
    assert changed and all(zipf(a.strip(".,;:")) == 0 < zipf(b.strip(".,;:")) for a, b in changed)


def test_cells_are_read_as_before_the_choices() -> None:
    # the choices are asked for the page layout only: the same API reads the cells after it
    from extract.ocr.tesseract import get_engine

    stages = load_config().page_stages()
    import cv2

    image = cv2.imread(str(REALDATA / "pages" / "real_tt_37_bca_vehicle_p1.png"), cv2.IMREAD_GRAYSCALE)
    crop = image[700:1000, 100:1350]
    engine = get_engine(stages.ocr)
    before = engine.read(crop, 200, mode="text", lang="vie", psm=6)
    engine.read_lines(crop, 200, "vie")
    after = engine.read(crop, 200, mode="text", lang="vie", psm=6)
    assert before == after and before.text


def _line(*words: str, **alts: dict[str, list[str]]) -> tuple[list[str], list[list[list[str]]]]:
    """Words of a line and their alternatives: ``w1={"i2": ["ố"]}`` for word 1, character 2."""
    return list(words), [_alts(w, **alts.get(f"w{k}", {})) for k, w in enumerate(words)]


def test_a_valid_word_takes_the_marks_that_make_a_compound_with_its_neighbour() -> None:
    assert compound_words() >= {"thành phố", "sửa đổi", "bổ sung", "nhu cầu"}
    assert choose_in_context(*_line("Thành", "phô", w1={"i2": ["ố", "ồ"]})) == ["Thành", "phố"]
    words = _line("Sửa", "đối,", "bố", "sung", w1={"i1": ["ổ"]}, w2={"i1": ["ổ", "ồ"]})
    assert choose_in_context(*words) == ["Sửa", "đổi,", "bổ", "sung"]
    # both words of "nhu câu" have alternatives ("như": "theo như"); the evidence "nhu" stays
    words = _line("theo", "nhu", "câu", "của", w1={"i2": ["ư"]}, w2={"i1": ["ầ"]})
    assert choose_in_context(*words) == ["theo", "nhu", "cầu", "của"]


def test_a_word_in_a_compound_or_a_neighbour_bound_elsewhere_is_kept() -> None:
    # "Bồ Nông" (a pelican) is a compound, but "Nông" belongs to "Nông nghiệp" ...
    assert choose_in_context(*_line("Bộ", "Nông", "nghiệp", w0={"i1": ["ồ"]})) == ["Bộ", "Nông", "nghiệp"]
    # ... and where "nghiệp" was misread, "Bồ" is far rarer than "Bộ" (Zipf 5.0, 6.4)
    assert choose_in_context(*_line("Bộ", "Nông", "lghiệp", w0={"i1": ["ồ"]})) == ["Bộ", "Nông", "lghiệp"]
    assert choose_in_context(*_line("Bộ", "Nông", "lghiệp", w0={"i1": ["ồ"]}), 2.0) == [
        "Bồ",
        "Nông",
        "lghiệp",
    ]
    # already a compound as read: "quyền hạn"
    assert choose_in_context(*_line("quyền", "hạn", w0={"i3": ["ê"]})) == ["quyền", "hạn"]
    # no compound across punctuation, none from another letter or case
    assert choose_in_context(*_line("phô,", "thành", w0={"i2": ["ố"]})) == ["phô,", "thành"]
    assert choose_in_context(*_line("Thành", "phô", w1={"i2": ["Ố", "ớ"]})) == ["Thành", "phô"]
    # two spellings that both make a compound ("kinh độ", "kinh đô"): undecided, as read
    assert {"kinh độ", "kinh đô"} <= compound_words() and "kinh đo" not in compound_words()
    assert choose_in_context(*_line("kinh", "đo", w1={"i1": ["ộ", "ô"]})) == ["kinh", "đo"]
    assert choose_in_context(*_line("kinh", "đo", w1={"i1": ["ộ"]})) == ["kinh", "độ"]


def test_a_real_page_gets_the_marks_its_compounds_ask_for() -> None:
    stages = load_config().page_stages()
    assert stages.ocr.text_marks_context_max_drop >= 0  # on by default
    on = page_text(_page("real_tt_37_bca_vehicle", True))
    off = page_text(_page_without_context("real_tt_37_bca_vehicle"))  # the unknown words' marks only
    assert "Sửa đối, bố sung" in off and "Sửa đổi, bổ sung" in on
    assert skeleton(off) == skeleton(on)  # marks only
    changed = [(a, b) for a, b in zip(off.split(), on.split(), strict=True) if a != b]
    assert len(changed) >= 8
    assert ("Bộ", "Bồ") not in changed


def _without_page_dictionary_rules(stages: PageStageSettings) -> PageStageSettings:
    """``stages`` without the page's own dictionary rules — capitals' dropped circumflexes
    (``extract.ocr.capital_marks``) and rare words' tones (``extract.ocr.rare_tones``: "phô" →
    "phố" alone): the marks chosen among tesseract's alternatives alone."""
    page_text = stages.ocr.page_text.model_copy(
        update={"capital_marks_min_rise": -1.0, "rare_tone_max_zipf": 0.0}
    )
    return dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"page_text": page_text}))


@cache
def _page_without_context(doc_id: str) -> PageResult:
    stages = _without_page_dictionary_rules(load_config().page_stages())
    stages = dataclasses.replace(
        stages,
        ocr=stages.ocr.model_copy(
            update={"text_marks_context_max_drop": -1.0, "text_marks_number_words": []}
        ),
    )
    return process_page(PageTask(str(REALDATA / "pages" / f"{doc_id}_p1.png"), 0, doc_id, settings=stages))


def test_a_word_in_capitals_takes_any_spelling_the_dictionary_knows_for_a_compound() -> None:
    # tesseract offers Ó Ồ Ô Ỏ Ố Ộ for "BÓ SUNG", never the Ổ of "BỔ SUNG"
    bo = _line("SỬA", "ĐÓI,", "BÓ", "SUNG", w1={"i1": ["Ò"]}, w2={"i1": ["Ồ", "Ô", "Ỏ", "Ố", "Ộ"]})
    assert choose_in_context(*bo) == ["SỬA", "ĐÓI,", "BÓ", "SUNG"]  # tesseract's choices only
    assert choose_in_context(*bo, capitals_any_marks=True) == ["SỬA", "ĐỔI,", "BỔ", "SUNG"]
    assert choose_in_context(*_line("THÀNH", "PHÓ", "HÀ"), capitals_any_marks=True) == ["THÀNH", "PHỐ", "HÀ"]
    # a word fixed by tesseract's own choice is the fixed neighbour of the second pass: "THU HỎI"
    # made "THU HỒI" is never "THỬ HỎI" (a compound too)
    line = _line("CẤP,", "THU", "HỎI", "CHỨNG", w2={"i1": ["Ồ"]})
    assert choose_in_context(*line, capitals_any_marks=True) == ["CẤP,", "THU", "HỒI", "CHỨNG"]
    # lower and title case keep tesseract's choices only (names: "Phạm Gia Túc", "Long Thành")
    for words in (["Phạm", "Gia", "Túc"], ["Long", "Thành"], ["bó", "sung"], ["Bó", "sung"]):
        assert choose_in_context(*_line(*words), capitals_any_marks=True) == words
    # a word of three syllables: "PHÓ CHỦ TỊCH" ("CHỦ" is bound to "TỊCH" inside that one word)
    assert "phó chủ tịch" in compound_words() and "phó chủ" not in compound_words()
    line = _line("KT.", "PHO", "CHỦ", "TỊCH")
    assert choose_in_context(*line, capitals_any_marks=True) == ["KT.", "PHÓ", "CHỦ", "TỊCH"]
    assert choose_in_context(*_line("pho", "chủ", "tịch", w0={"i2": ["ó"]})) == ["phó", "chủ", "tịch"]
    assert choose_in_context(*_line("phó", "chủ", "tịch", w0={"i2": ["ố"]})) == ["phó", "chủ", "tịch"]
    # already a compound, and two spellings that both make one, stay as read
    assert choose_in_context(*_line("BIẾN", "SỐ", "XE"), capitals_any_marks=True) == ["BIẾN", "SỐ", "XE"]
    assert choose_in_context(*_line("KINH", "ĐO"), capitals_any_marks=True) == ["KINH", "ĐO"]


def test_a_word_in_lower_case_takes_a_more_frequent_spelling_that_makes_a_compound() -> None:
    # TT 37 "kiêm định", QĐ 2280 "Thành phô,": tesseract read both at 90 or more and offered no
    # right mark; the spellings the dictionary knows that bind a neighbour are more frequent
    for words, fixed in (
        (["đăng", "ký,", "kiêm", "định", "phương"], "kiểm"),
        (["ngành", "Thành", "phô,", "Chủ"], "phố,"),
    ):
        assert choose_in_context(*_line(*words)) == words  # tesseract's choices only
        assert fixed in choose_in_context(*_line(*words), lower_min_rise=0.0)
        assert choose_in_context(*_line(*words), lower_min_rise=2.0) == words  # not that much more frequent
    # a word read right is the more frequent: "tại khoản 2" is never "tài khoản", "mang tầm quốc
    # tế" never "tấm"; "đ" is a letter: "do" never "đổ"
    assert zipf("tài") < zipf("tại") and zipf("tấm") < zipf("tầm")
    for words in (["định", "tại", "khoản", "2"], ["mang", "tầm", "quốc", "tế"], ["hàng", "do", "xe"]):
        assert choose_in_context(*_line(*words), lower_min_rise=0.0) == words
    # title case and capitals as before (names: "Long Thành"; capitals by their own setting)
    for words in (["Long", "Thành"], ["Bó", "sung"], ["BÓ", "SUNG"]):
        assert choose_in_context(*_line(*words), lower_min_rise=0.0) == words
    # the tone alone changes, never a vowel's own mark: a line's cut-off "ân" of "nhân" is never
    # "an" ("an dân"), nor "bó" "bổ" (tesseract's own choices may still do that)
    assert choose_in_context(*_line("ân", "dân", "huyện"), lower_min_rise=0.0) == ["ân", "dân", "huyện"]
    assert choose_in_context(*_line("bó", "sung"), lower_min_rise=0.0) == ["bó", "sung"]
    assert choose_in_context(*_line("bó", "sung", w0={"i1": ["ổ"]}), lower_min_rise=0.0) == ["bổ", "sung"]


def test_a_word_before_a_number_is_spelled_as_the_numbers_name() -> None:
    names = ["số", "năm", "ngày", "tháng"]
    assert before_numbers(["Tờ", "trình", "sô", "10/TTr-HĐND"], names) == ["Tờ", "trình", "số", "10/TTr-HĐND"]
    assert before_numbers(["tháng", "4", "nắm", "2026"], names) == ["tháng", "4", "năm", "2026"]
    assert before_numbers(["THÔNG", "TƯ", "SÓ", "79/2024"], names)[2] == "SỐ"  # case kept
    assert before_numbers(["(sô", "5"], names) == ["(số", "5"]  # opening punctuation kept
    # not before a number, punctuation between, a compound as read, another length: as read
    assert before_numbers(["thiết", "bị", "sô", "dành"], names) == ["thiết", "bị", "sô", "dành"]
    assert before_numbers(["sô,", "10"], names) == ["sô,", "10"]
    assert before_numbers(["Việt", "Nam", "2030"], names) == ["Việt", "Nam", "2030"]  # a name
    assert before_numbers(["Sô", "10"], names) == ["Sô", "10"]  # title case: maybe a name
    assert before_numbers(["cửa", "sổ", "2"], names) == ["cửa", "sổ", "2"]  # "cửa sổ": a compound
    assert before_numbers(["sổ", "10"], []) == ["sổ", "10"]


@cache
def _page_with(doc_id: str, **update: object) -> PageResult:
    stages = _without_page_dictionary_rules(load_config().page_stages())
    stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update=update))
    return process_page(PageTask(str(REALDATA / "pages" / f"{doc_id}_p1.png"), 0, doc_id, settings=stages))


def test_a_real_page_gets_its_capitals_its_line_breaks_and_its_numbers_names() -> None:
    ocr = load_config().page_stages().ocr
    assert ocr.text_marks_capitals_any and ocr.text_marks_across_lines and "số" in ocr.text_marks_number_words
    # TT 37: "SỬA ĐỔI, BỔ SUNG" in capitals (tesseract offers no Ổ)
    on = page_text(_page("real_tt_37_bca_vehicle", True))
    off = page_text(_page_with("real_tt_37_bca_vehicle", text_marks_capitals_any=False))
    assert "BÓ SUNG" in off and "BÓ" not in on.split() and on.count("ĐỔI, BỔ SUNG") == 2
    assert skeleton(off) == skeleton(on) and "THU HỒI" in on  # marks only; the first pass's fix kept
    # QĐ 2280: "Thành / phô về" across the line break, "THÀNH PHÓ" in capitals
    on = page_text(_page("real_hanoi_qd_2280_water", True))
    one_line = page_text(_page_with("real_hanoi_qd_2280_water", text_marks_across_lines=False))
    assert "Thành\nphô về" in one_line and "Thành\nphố về" in on and "THÀNH PHỐ HÀ NỘI" in on
    # QĐ 729: "Tờ trình sô 10/TTr-HĐND"
    on = page_text(_page("real_qd_729_ttg", True))
    no_names = page_text(_page_with("real_qd_729_ttg", text_marks_number_words=()))
    assert "trình sô 10/" in no_names and "trình số 10/" in on
    assert skeleton(on) == skeleton(no_names)


def test_a_real_page_gets_the_lower_case_marks_tesseract_did_not_offer() -> None:
    assert load_config().page_stages().ocr.text_marks_lower_min_rise >= 0  # on
    # TT 37 "kiêm định phương tiện", QĐ 2280 "ngành Thành phô,": read at 90 or more, no right mark offered
    for doc_id, before, after in (
        ("real_tt_37_bca_vehicle", "kiêm định phương", "kiểm định phương"),
        ("real_hanoi_qd_2280_water", "ngành Thành phô,", "ngành Thành phố,"),
    ):
        on = page_text(_page(doc_id, True))
        off = page_text(_page_with(doc_id, text_marks_lower_min_rise=-1.0))
        assert before in off and before not in on and on.count(after) == off.count(after) + 1
        assert skeleton(on) == skeleton(off)  # marks only
        assert len(on.split()) == len(off.split())
