"""A title block under a seal on a page with a table is read.

On dev 67 (hard, 200 dpi) a seal printed over form 8B's title made tesseract's layout analysis
take the whole band above the table for a picture: it read no line of it, the table had no
title, its form was unknown and its five rows were in no 8B table.  A band of a table page in
which the layout analysis finds no line at all is now searched again for sparse text (the
search that a page without tables always gets).  Real tesseract on the band's own pixels (a
crop of the generated page: a look-alike seal drawn over a clean title does not fool the layout
analysis)."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from extract.config import load_config, load_forms
from extract.model import PixelBox
from extract.ocr.reader import read_text_lines
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.understand.forms import identify_form
from tests.repo_data import DATA, ROOT

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

BAND = DATA / "generated" / "dev067_hard200_8B_title_under_seal.png"
DPI = 200.0


@pytest.fixture(scope="module")
def stages():
    return load_config().page_stages()


def _page_with_table_below(stages):
    """The title band over a blank stretch of paper where the table stood (excluded as a table)."""
    band = cv2.imread(str(BAND), cv2.IMREAD_GRAYSCALE)
    paper = np.full((200, band.shape[1]), int(np.median(band)), np.uint8)
    page = prepare_page(np.vstack([band, paper]), DPI, settings=stages.preprocess)
    table = PixelBox(100, band.shape[0] + 20, band.shape[1] - 100, band.shape[0] + 180)
    return page, table


def test_a_title_under_a_seal_is_read_and_names_its_form(stages) -> None:
    page, table = _page_with_table_below(stages)
    lines = read_text_lines(page, [table], get_engine(stages.ocr), stages.ocr)
    texts = [ln.text for ln in lines]
    assert texts, "no line of the title block was read"
    assert all(ln.box.y1 <= table.y0 for ln in lines)  # nothing read where the table is
    match = identify_form(texts, load_forms(ROOT / "configs"))
    assert match is not None and match.code == "8B", (texts, match)


def test_the_layout_analysis_alone_reads_nothing_there(stages) -> None:
    """What the search is for: with it off the band gives no line (the failure itself)."""
    page, table = _page_with_table_below(stages)
    off = stages.ocr.model_copy(update={"missed_text_min_confidence": 101.0})
    assert read_text_lines(page, [table], get_engine(off), off) == ()


def test_a_blank_band_of_a_table_page_gives_no_line(stages) -> None:
    """Paper with a few specks: no sparse search result is made up."""
    rng = np.random.default_rng(3)
    gray = np.full((700, 2339), 225, np.uint8)
    for y, x in rng.integers(0, [680, 2320], size=(40, 2)):
        gray[y : y + 3, x : x + 3] = 60
    page = prepare_page(gray, DPI, settings=stages.preprocess)
    table = PixelBox(100, 500, 2200, 680)
    assert read_text_lines(page, [table], get_engine(stages.ocr), stages.ocr) == ()
