"""A fax whose every rule is dashed is one table, read cell by cell.

The threshold of a 1-bit fax wears thin rules into dashes: on dev 131 (fax, 150 dpi) every rule
of 8B's table broke every 5-10 mm with gaps of 2-3 mm, no piece was as long as a rule, the line
finder (breaks bridged up to 1.5 mm, pieces rejoined across 5 mm) found no rule and the page no
table: its five rows were read as text and the form was lost.  On a 1-bit scan the line finder
bridges breaks up to ``tables.bilevel_bridge_gap_mm`` and rejoins a rule's pieces across
``bilevel_rejoin_gap_mm`` at fax resolution (150 dpi: 1-px rules) or when its rules are dashed;
gray pages and 200-dpi 1-bit pages with whole rules keep their settings.  Real OpenCV and tesseract on the
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
from extract.tables.detect import TableSettings, dashed_share, detect_tables, for_page
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


def _ruled(dpi: float, dash_mm: float | None) -> np.ndarray:
    """A page of ten 150 mm rules (ink 255), whole or dashed: ``dash_mm`` of ink, 2.5 mm gaps."""
    page = np.zeros((mm(297, dpi), mm(210, dpi)), np.uint8)
    for k in range(10):
        y = mm(30 + 8 * k, dpi)
        page[y : y + 2, mm(30, dpi) : mm(180, dpi)] = 255
        if dash_mm is not None:
            for x in np.arange(30.0, 180.0, dash_mm + 2.5):
                page[y : y + 2, mm(x + dash_mm, dpi) : mm(x + dash_mm + 2.5, dpi)] = 0
    return page


def mm(value: float, dpi: float) -> int:
    return round(value * dpi / 25.4)


def test_a_one_bit_scan_at_fax_resolution_or_with_dashed_rules_gets_the_wider_bridge():
    """QĐ 707's 200-dpi 1-bit pages (whole rules) keep the gray pages' settings: there the wider
    bridge chained the letter stems of justified text into rules (spurious columns)."""
    s = TableSettings()
    dashed, whole = _ruled(200, 6.0), _ruled(200, None)
    assert dashed_share(PreparedPage(gray=255 - dashed, binary=dashed, dpi=200.0), s) > 0.9
    assert dashed_share(PreparedPage(gray=255 - whole, binary=whole, dpi=200.0), s) < 0.1
    fax150 = _ruled(150, None)
    for wide_page in (
        PreparedPage(gray=255 - dashed, binary=dashed, dpi=200.0, bilevel=True),  # dashed rules
        PreparedPage(gray=255 - fax150, binary=fax150, dpi=150.0, bilevel=True),  # fax resolution
    ):
        assert for_page(s, wide_page).lines.bridge_gap_mm == s.bilevel_bridge_gap_mm > s.lines.bridge_gap_mm
        assert for_page(s, wide_page).lines.rejoin_gap_mm == s.bilevel_rejoin_gap_mm > s.lines.rejoin_gap_mm
    for page in (
        PreparedPage(gray=255 - dashed, binary=dashed, dpi=200.0, bilevel=False),  # a gray scan
        PreparedPage(gray=255 - whole, binary=whole, dpi=200.0, bilevel=True),  # 200 dpi, whole rules
    ):
        got = for_page(s, page)  # the line finder's own gaps, and no fax side borders
        assert (got.lines.bridge_gap_mm, got.lines.rejoin_gap_mm) == (
            s.lines.bridge_gap_mm,
            s.lines.rejoin_gap_mm,
        )
        assert got.lines.side_rule_reach_mm == 0.0 and got.grid.side_border_cover == 0.0
        assert not got.lost_row_grids
        unchanged = s.model_copy(update={"fax_mechanisms_fax_only": False})
        assert for_page(unchanged, page) is unchanged
    wide = TableSettings(lines=s.lines.model_copy(update={"bridge_gap_mm": 6.0}))
    assert for_page(wide, wide_page).lines.bridge_gap_mm == 6.0  # a wider setting of its own stays
