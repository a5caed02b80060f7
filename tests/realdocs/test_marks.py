"""Marks of page text chosen among tesseract's own alternatives by word frequency
(extract/ocr/marks.py, ``ocr.text_marks_max_zipf``)."""

from __future__ import annotations

import dataclasses
from functools import cache

from extract.config import load_config
from extract.model import PageResult
from extract.ocr.marks import choose_marks, skeleton, zipf
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
    stages = load_config().page_stages()
    assert stages.ocr.text_marks_max_zipf >= 0  # on by default
    if not on:
        stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update={"text_marks_max_zipf": -1.0}))
    return process_page(PageTask(str(REALDATA / "pages" / f"{doc_id}_p1.png"), 0, doc_id, settings=stages))


def test_a_real_page_gets_its_capitals_marks_and_nothing_else_changes() -> None:
    off, on = (page_text(_page("real_tt_37_bca_vehicle", flag)) for flag in (False, True))
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
