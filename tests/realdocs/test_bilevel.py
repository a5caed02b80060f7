"""1-bit scans (the QĐ 707 pages: 200-dpi black and white): recognised from the source, and their
text cells smoothed after scaling before tesseract reads them (``ocr.bilevel_text_smooth_px``)."""

from __future__ import annotations

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from extract.ingest import load_page
from extract.ocr.cells import _blobs, _info, prepare_text
from extract.ocr.reader import _marks_only, load_ocr_settings, read_cell
from extract.ocr.tesseract import get_engine
from extract.preprocess import is_bilevel, prepare_page
from extract.tables.detect import detect_tables
from tests.repo_data import REALDATA

PAGE = next((REALDATA / "qd_707_table_pages").glob("p-011-*.png"))
PAGE_010 = next((REALDATA / "qd_707_table_pages").glob("p-010-*.png"))


def test_a_one_bit_scan_is_recognised_from_its_source() -> None:
    png = load_page(PAGE, 0)
    assert png.bilevel is True  # a mode "1" PNG
    pdf = load_page(REALDATA / "sources" / "qd_707_ttg.pdf", 5)
    assert pdf.bilevel is True and not is_bilevel(pdf.image)  # CCITT images, rendered with grey edges
    gray = load_page(REALDATA / "pages" / "real_qd_729_ttg_p1.png", 0)
    assert gray.bilevel is None and not is_bilevel(gray.image)
    assert prepare_page(pdf.image, pdf.dpi, bilevel=pdf.bilevel).bilevel
    assert prepare_page(png.image, png.dpi).bilevel  # judged from the pixels: only 0 and 255
    assert not prepare_page(gray.image, gray.dpi).bilevel


def test_smoothing_softens_the_scaled_crop_and_only_when_asked() -> None:
    crop = np.full((40, 120), 255, np.uint8)
    cv2.putText(crop, "II", (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2, lineType=cv2.LINE_8)
    info = _info(_blobs(crop, 200.0))  # as cut_cell measures a crop
    plain = prepare_text(crop, 200.0, info=info).image
    soft = prepare_text(crop, 200.0, info=info, smooth_px=0.7).image
    assert plain.shape == soft.shape

    def mid(a):
        return int(np.count_nonzero((a > 40) & (a < 215)))

    assert mid(soft) > 1.5 * mid(plain)


def test_a_line_of_loose_accents_is_told_from_text() -> None:
    assert _marks_only("ˆ ˆ Ấ °") and _marks_only("À * *Ã^")
    assert not _marks_only("II.") and not _marks_only("Đề nghị Tòa án") and not _marks_only("")


def test_a_long_cell_of_a_one_bit_scan_reads_better_smoothed() -> None:
    """p-010's long cell (tuning page): the smoothed reading is closer to the print than the
    plain one (real tesseract); a grey page's cells are never smoothed.  (p-011's long cell, used
    here before, read better smoothed only while cut_cell painted out its x-height letters; on
    the 13 worked pages smoothing still wins: 43/53 rows, 4.45% CER against 42/53, 4.54%.)"""
    page = load_page(PAGE_010, 0)
    prepared = prepare_page(page.image, page.dpi, bilevel=page.bilevel)
    settings = load_ocr_settings()
    assert settings.bilevel_text_smooth_px > 0
    engine = get_engine(settings)
    truth = (
        "Xây dựng, ban hành và triển khai thực hiện có hiệu quả các chính sách/kế hoạch hành động cấp bộ, "
        "ngành nhằm giảm thiểu rủi ro về RT/TTKB/TTPBVKHDHL trên cơ sở Kế hoạch hành động quốc gia giải "
        "quyết rủi ro về RT/TTKB/TTPBVKHDHL."
    )
    detected = detect_tables(prepared)
    (grid,) = detected.grids
    (cell,) = (c for c in grid.cells if (c.row, c.col) == (2, 2))
    errors = {}
    for bilevel in (False, True):
        read = read_cell(
            prepared.gray, prepared.dpi, cell, detected.line_mask, engine, settings, bilevel=bilevel
        )
        errors[bilevel] = Levenshtein.distance(read.text, truth)
    assert errors[True] < errors[False], errors
