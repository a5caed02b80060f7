"""A fax whose every rule is dashed is one table, read cell by cell.

The threshold of a 1-bit fax wears thin rules into dashes: on dev 131 (fax, 150 dpi) every rule
of 8B's table broke every 5-10 mm with gaps of 2-3 mm, no piece was as long as a rule, the line
finder (breaks bridged up to 1.5 mm, pieces rejoined across 5 mm) found no rule and the page no
table: its five rows were read as text and the form was lost.  On a 1-bit scan the line finder
bridges breaks up to ``tables.bilevel_bridge_gap_mm`` and rejoins a rule's pieces across
``bilevel_rejoin_gap_mm``; gray pages keep their settings.  Real OpenCV and tesseract on the
page as the pipeline renders it (`tests/data/generated/`)."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from extract.config import load_config
from extract.model import PreparedPage
from extract.ocr.reader import read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables, for_page
from tests.repo_data import DATA

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

PAGE = DATA / "generated" / "dev131_fax150_8B_page.png"
DPI = 150.0
# 8B's body as printed: STT, words of the label, "Số lượng"
BODY = [
    ("1", "Số cơ quan hành chính", "27"),
    ("2", "tự chủ (chưa tự chủ)", "10"),
    ("3", "mục vị trí việc làm", "40"),
    ("4", "bản mô tả công việc", "41"),
    ("5", "đã hoàn thiện bản mô tả", "16"),
]


@pytest.fixture(scope="module")
def stages():
    return load_config().page_stages()


@pytest.fixture(scope="module")
def page(stages) -> PreparedPage:
    scan = cv2.imread(str(PAGE), cv2.IMREAD_GRAYSCALE)
    return prepare_page(scan, DPI, settings=stages.preprocess, bilevel=True)


def test_a_fax_table_whose_every_rule_is_dashed_is_found_and_read_cell_by_cell(stages, page):
    found = detect_tables(page, stages.tables)
    # the header, the column-number row and the five body rows; STT, label, number, note
    assert [(g.n_rows, g.n_cols) for g in found.grids] == [(2 + len(BODY), 4)]
    table = read_table(
        page, found.grids[0], found.line_mask, get_engine(stages.ocr), stages.ocr, page_index=1, table_index=0
    )
    body = table.matrix()[2:]
    assert [(r[0], r[2]) for r in body] == [(stt, number) for stt, _label, number in BODY]
    for row, (_stt, label, _number) in zip(body, BODY, strict=True):
        assert label in row[1], row[1]


def test_without_the_bilevel_bridge_the_dashed_table_is_not_found(stages, page):
    """The gray pages' line settings on the same page: no table (the failure)."""
    gray_settings = stages.tables.model_copy(
        update={"bilevel_bridge_gap_mm": 0.0, "bilevel_rejoin_gap_mm": 0.0}
    )
    assert detect_tables(page, gray_settings).grids == ()


def test_only_a_one_bit_scan_gets_the_wider_bridge():
    s = TableSettings()
    blank = np.zeros((10, 10), np.uint8)
    gray = PreparedPage(gray=blank, binary=blank, dpi=200.0, bilevel=False)
    fax = PreparedPage(gray=blank, binary=blank, dpi=150.0, bilevel=True)
    assert for_page(s, gray) is s
    assert for_page(s, fax).lines.bridge_gap_mm == s.bilevel_bridge_gap_mm > s.lines.bridge_gap_mm
    assert for_page(s, fax).lines.rejoin_gap_mm == s.bilevel_rejoin_gap_mm > s.lines.rejoin_gap_mm
    wide = TableSettings(lines=s.lines.model_copy(update={"bridge_gap_mm": 6.0}))
    assert for_page(wide, fax).lines.bridge_gap_mm == 6.0  # a wider setting of its own stays
