"""Received stamps found by their frames and kept out of the page text (extract/ocr/stamps.py,
``ocr.stamp_frames``), and weak lines read again over their row (``ocr.weak_line_*``)."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract.config import load_config
from extract.model import DocumentMeta, DocumentResult, PageResult
from extract.ocr.stamps import frames, is_received_stamp
from extract.page import PageTask, process_page
from extract.pagetext import STAMP_ORIGIN, line_rows, page_text
from extract.synth.fonts import font
from tests.repo_data import REALDATA

STAMPED = {"real_cv_3722_metro", "real_qd_707_ttg", "real_qd_729_ttg", "real_tt_21_bct_fuel"}


def _scan(doc_id: str) -> np.ndarray:
    with Image.open(REALDATA / "pages" / f"{doc_id}_p1.png") as img:
        return np.asarray(img.convert("L"))


@pytest.mark.parametrize("path", sorted((REALDATA / "pages").glob("*_p1.png")), ids=lambda p: p.stem)
def test_the_received_stamps_of_the_real_scans_are_found_and_nothing_else(path) -> None:
    doc_id = path.stem.removesuffix("_p1")
    found = frames(_scan(doc_id), 200.0)
    if doc_id not in STAMPED:
        assert found == []  # underlines, the motto's rule, a page's dark edge are no frame
        return
    assert len(found) == 1
    box = found[0]
    assert 340 <= box.width <= 420 and 140 <= box.height <= 240  # 47-49 mm × 19-29 mm at 200 dpi


def _drawn(box: bool, sides: bool, text: str) -> np.ndarray:
    img = Image.new("L", (1400, 600), 255)
    draw = ImageDraw.Draw(img)
    draw.text((420, 230), text, font=font("bold", 34), fill=0)
    x0, y0, x1, y1 = 400, 200, 780, 360
    if box:
        draw.line((x0, y0, x1, y0), fill=0, width=4)
        draw.line((x0, y1, x1, y1), fill=0, width=4)
        if sides:
            draw.line((x0, y0, x0, y1), fill=0, width=4)
            draw.line((x1, y0, x1, y1), fill=0, width=4)
    draw.line((100, 500, 1300, 500), fill=0, width=4)  # a long rule: no frame
    return np.asarray(img)


def test_a_ruled_box_is_a_frame_two_rules_without_sides_are_not() -> None:
    assert len(frames(_drawn(True, True, "ĐẾN"), 200.0)) == 1
    assert frames(_drawn(True, False, "ĐẾN"), 200.0) == []
    assert frames(_drawn(False, False, "ĐẾN"), 200.0) == []


def test_a_received_stamp_is_told_by_its_word_in_capitals() -> None:
    assert is_received_stamp("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ ĐẾN Giờ: C Ngày: 23/4/2026")
    assert is_received_stamp("VĂN PHÒNG CHÍNH PHỦ CÔNG VĂN ĐẾN Giờ .. Ngày")
    assert not is_received_stamp("Thành phố treo cờ từ ngày 10/5/2026 đến hết ngày 14/5/2026")
    assert not is_received_stamp("Biểu số 5B")


@cache
def _page(doc_id: str, **off: object) -> PageResult:
    stages = load_config().page_stages()
    if off:
        stages = dataclasses.replace(stages, ocr=stages.ocr.model_copy(update=off))
    return process_page(PageTask(str(REALDATA / "pages" / f"{doc_id}_p1.png"), 0, doc_id, settings=stages))


def test_the_title_under_a_stamp_is_read_and_the_stamp_kept_apart() -> None:
    stages = load_config().page_stages()
    assert stages.ocr.stamp_frames  # on by default
    on, off = _page("real_qd_729_ttg"), _page("real_qd_729_ttg", stamp_frames=False)

    def title(page: PageResult) -> bool:  # the title's line (Điều 1 repeats its words)
        return any(ln.startswith("Phê chuẩn kết quả bầu chức vụ") for ln in page_text(page).splitlines())

    assert title(on) and not title(off)  # it read '"Tyb' beside the stamp
    assert "ĐẾN" in page_text(off) and "ĐẾN" not in page_text(on)
    # the stamp's lines are kept in the lines table, after the page's text, as origin "stamp"
    rows = line_rows(DocumentResult("d", "p.png", 1, DocumentMeta(), [on], []))
    stamp = [r for r in rows if r["origin"] == STAMP_ORIGIN]
    assert stamp and any("ĐẾN" in r["text"] for r in stamp)
    assert min(r["line_index"] for r in stamp) > max(r["line_index"] for r in rows if r["origin"] == "ocr")
    box = frames(_scan("real_qd_729_ttg"), 200.0)[0]
    assert all(box.x0 - 10 <= r["x0"] and r["x1"] <= box.x1 + 10 for r in stamp)  # inside the frame
    # and the number row, whose handwritten number reads as symbols, is page text
    assert any(ln.startswith("Số:") and "/QĐ-TTg" in ln for ln in page_text(on).splitlines())


def test_a_signature_title_touched_by_the_seal_is_read_again_over_its_row() -> None:
    stages = load_config().page_stages()
    assert stages.ocr.weak_line_max_confidence > 0  # on by default
    on = page_text(_page("real_cv_3722_metro"))
    off = page_text(_page("real_cv_3722_metro", weak_line_max_confidence=0.0))
    assert "KT. BỘ TRƯỞNG, CHỦ NHIỆM" in on.splitlines()  # read "KT.BO”" at 56, the rest lost
    assert "BỘ TRƯỞNG, CHỦ NHIỆM" not in off
