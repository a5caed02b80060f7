"""A 1-bit scan keeps its thin rules through rendering and deskew.

A 150-dpi fax in a PDF is a 1-bit image; PDFium renders it smoothed, and the deskew turns it
with interpolation: a 1-px rule's ink is then shared between two pixels of about half of it
each.  Cut where a gray page is cut (midway between ink and paper), those pixels fell to paper
wherever the rule stepped, and every rule of the page wore into dashes: on dev 5 (fax, 150
dpi) form 9B's STT and label columns lost their rules, the table was found from its third
column on, and its six rows were never paired with their labels.  A pixel of a 1-bit scan is
ink when a quarter of it is (``preprocess.bilevel_ink_coverage``) at fax resolution
(``bilevel_coverage_dpi``: 160 dpi or less).  Real OpenCV and tesseract
on the page as the pipeline renders it (`tests/data/generated/`)."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from extract.config import load_config
from extract.ocr.reader import read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import PreprocessSettings, prepare_page
from extract.tables.detect import detect_tables
from tests.repo_data import DATA

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

PAGE = DATA / "generated" / "dev005_fax150_9B_page.png"
DPI = 150.0
# 9B's body as printed (STT, words of the label, "Tổng số"); the dashes of the STT column
# ("-") are the cell reader's matter, not looked at here
BODY = [
    ("1", "cơ quan hành chính", "13"),
    ("2", "số lượng đơn vị sự nghiệp", "91"),
    ("-", "thường xuyên và", "2"),
    ("-", "Số đơn vị tự bảo đảm", "1"),
    ("-", "bảo đảm một phần", "3"),
    ("-", "nhà nước bảo đảm", "85"),
]


@pytest.fixture(scope="module")
def stages():
    return load_config().page_stages()


@pytest.fixture(scope="module")
def scan() -> np.ndarray:
    return cv2.imread(str(PAGE), cv2.IMREAD_GRAYSCALE)


def test_the_fax_page_keeps_its_rules_and_its_table_is_read_from_the_stt_column(stages, scan) -> None:
    page = prepare_page(scan, DPI, settings=stages.preprocess, bilevel=True)
    assert abs(page.skew_deg) > 0.3  # the page is turned by the deskew
    found = detect_tables(page, stages.tables)
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(2 + len(BODY), 5)]
    grid = found.grids[0]
    assert grid.box.x0 < 0.1 * scan.shape[1]  # from the STT column on (not from the third column)
    table = read_table(
        page, grid, found.line_mask, get_engine(stages.ocr), stages.ocr, page_index=2, table_index=0
    )
    body = table.matrix()[2:]
    assert [r[2].strip() for r in body] == [total for _stt, _label, total in BODY]
    for row, (stt, label, _total) in zip(body, BODY, strict=True):
        assert label in row[1], row[1]
        assert stt == "-" or row[0].strip() == stt


def test_cut_at_half_the_rules_wear_into_dashes_and_the_table_loses_its_first_columns(stages, scan):
    """The same page cut midway between ink and paper (the gray page's cut): the failure; the
    line finder's fax bridge (tables.bilevel_*) off, so that the cut alone is measured."""
    no_bridge = stages.tables.model_copy(update={"bilevel_bridge_gap_mm": 0.0, "bilevel_rejoin_gap_mm": 0.0})
    half = stages.preprocess.model_copy(update={"bilevel_ink_coverage": 0.5})
    found = detect_tables(prepare_page(scan, DPI, settings=half, bilevel=True), no_bridge)
    assert all(g.box.x0 > 0.3 * scan.shape[1] for g in found.grids)
    quarter = detect_tables(prepare_page(scan, DPI, settings=stages.preprocess, bilevel=True), no_bridge)
    assert [(g.n_rows, g.n_cols) for g in quarter.grids] == [(2 + len(BODY), 5)]


def test_a_gray_page_is_cut_as_before_and_a_bilevel_one_keeps_every_quarter_inked_pixel() -> None:
    """Only a 1-bit scan at fax resolution is cut at the coverage: on a gray page a rule that
    light is faded ink (the gray page's own threshold decides); a 200-dpi 1-bit page's rules are
    two pixels thick and it is cut as before (QĐ 707's pages: a stamp's digit under the rule mask
    widened by the quarter cut was lost)."""
    page = np.full((400, 600), 255, np.uint8)
    page[200:203, 150:450] = 0  # a rule
    page[300, 150:450] = 180  # a rule shared between two pixel rows, 30% of its ink in this one
    page[301, 150:450] = 170
    s = PreprocessSettings(deskew=False, detect_quarter_turn=False)
    gray = prepare_page(page, 150, settings=s, bilevel=False).binary
    bilevel = prepare_page(page, 150, settings=s, bilevel=True).binary
    finer = prepare_page(page, 200, settings=s, bilevel=True).binary  # rules of two pixels
    assert gray[201, 300] and bilevel[201, 300] and finer[201, 300]
    assert not gray[150, 300] and not bilevel[150, 300]
    assert bilevel[300, 300] and bilevel[301, 300]
    assert not gray[300, 300] and not gray[301, 300]
    assert not finer[300, 300] and not finer[301, 300]
