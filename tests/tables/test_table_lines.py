"""Ruling-line detection: exact masks on tiny arrays, broken rules, text and stamps that are not rules."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from table_pages import TableSpec, blank, draw_table, draw_text, pt_to_px, text_block

from extract.tables.lines import LineSettings, find_lines

DPI = 100.0
ROWS = (10, 40, 70, 95)
COLS = (10, 60, 110, 150)


def _grid_page() -> np.ndarray:
    img = np.zeros((110, 170), np.uint8)
    for y in ROWS:
        img[y, COLS[0] : COLS[-1] + 1] = 255
    for x in COLS:
        img[ROWS[0] : ROWS[-1] + 1, x] = 255
    return img


def test_masks_are_exactly_the_drawn_rules():
    binary = _grid_page()
    lines = find_lines(binary, DPI, LineSettings(wiggle_mm=0))
    rows = np.zeros_like(binary)
    rows[list(ROWS), COLS[0] : COLS[-1] + 1] = 255
    cols = np.zeros_like(binary)
    cols[ROWS[0] : ROWS[-1] + 1, list(COLS)] = 255
    assert np.array_equal(lines.horizontal, rows)
    assert np.array_equal(lines.vertical, cols)
    assert np.array_equal(lines.combined, binary)


def test_segments_sit_on_the_drawn_rules():
    lines = find_lines(_grid_page(), DPI)
    assert [s.pos for s in lines.h_segments] == list(ROWS)
    assert [s.pos for s in lines.v_segments] == list(COLS)
    assert all((s.start, s.end) == (COLS[0], COLS[-1] + 1) for s in lines.h_segments)
    assert all((s.start, s.end) == (ROWS[0], ROWS[-1] + 1) for s in lines.v_segments)
    assert all(s.horizontal for s in lines.h_segments) and not any(s.horizontal for s in lines.v_segments)


def test_input_is_not_modified_and_bool_input_works():
    binary = _grid_page()
    before = binary.copy()
    a = find_lines(binary, DPI)
    b = find_lines(binary > 0, DPI)
    assert np.array_equal(binary, before)
    assert a.h_segments == b.h_segments and a.v_segments == b.v_segments


@pytest.mark.parametrize("shape", [(5, 5, 3), (0, 0)])
def test_rejects_bad_input(shape):
    with pytest.raises(ValueError):
        find_lines(np.zeros(shape, np.uint8), DPI)
    with pytest.raises(ValueError):
        find_lines(np.zeros((10, 10), np.uint8), 0)


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_broken_faded_rules_come_back_whole(dpi):
    mm = dpi / 25.4
    xs = [int(20 * mm), int(70 * mm), int(150 * mm)]
    ys = [int(20 * mm), int(35 * mm), int(50 * mm)]
    page = draw_table(
        blank(int(170 * mm), int(70 * mm)),
        TableSpec(xs, ys, thickness=2),
        broken=True,
        broken_dpi=dpi,
        seed=dpi,
    )
    binary = np.where(page < 128, 255, 0).astype(np.uint8)
    assert binary[ys[1], xs[0] : xs[-1]].mean() < 0.9 * 255  # the rule really is broken
    lines = find_lines(binary, dpi)
    tol = 1.5 * 2
    assert len(lines.h_segments) == 3 and len(lines.v_segments) == 3
    for seg, y in zip(lines.h_segments, ys, strict=True):
        assert abs(seg.pos - (y - 0.5)) <= tol
        assert seg.start <= xs[0] + tol and seg.end >= xs[-1] - tol
    for seg, x in zip(lines.v_segments, xs, strict=True):
        assert abs(seg.pos - (x - 0.5)) <= tol
        assert seg.start <= ys[0] + tol and seg.end >= ys[-1] - tol


@pytest.mark.parametrize("dpi", [200, 300])
def test_text_is_never_a_rule(dpi):
    mm = dpi / 25.4
    page = blank(int(190 * mm), int(140 * mm))
    page = draw_text(
        page, int(30 * mm), int(5 * mm), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", pt_to_px(14, dpi), bold=True
    )
    page = draw_text(
        page, int(50 * mm), int(14 * mm), "Độc lập - Tự do - Hạnh phúc", pt_to_px(14, dpi), bold=True
    )
    page = text_block(
        page, int(10 * mm), int(25 * mm), int(170 * mm), 8, pt_to_px(13, dpi), seed=7, leading=1.15
    )
    page = text_block(
        page, int(10 * mm), int(75 * mm), int(170 * mm), 6, pt_to_px(13, dpi), seed=8, bold=True, leading=1.1
    )
    page = draw_text(
        page,
        int(10 * mm),
        int(115 * mm),
        "TTKB/TTPBVKHDHL — TỔNG SỐ = (I) + (II) ……… 5.697",
        pt_to_px(16, dpi),
        bold=True,
    )
    binary = np.where(page < 128, 255, 0).astype(np.uint8)
    lines = find_lines(binary, dpi)
    assert lines.h_segments == () and lines.v_segments == ()
    assert not lines.combined.any()


def test_stamps_signatures_and_lone_underlines_are_not_rules():
    dpi = 200
    mm = dpi / 25.4
    page = blank(int(190 * mm), int(120 * mm))
    cv2.circle(page, (int(50 * mm), int(50 * mm)), int(19 * mm), 0, int(0.8 * mm))  # a round stamp
    cv2.circle(page, (int(50 * mm), int(50 * mm)), int(14 * mm), 0, int(0.3 * mm))
    cv2.line(page, (int(120 * mm), int(30 * mm)), (int(180 * mm), int(30 * mm)), 0, 2)  # a lone underline
    rng = np.random.default_rng(3)  # a signature: a wobbly stroke
    t = np.linspace(0, 6 * np.pi, 400)
    pts = np.stack(
        [120 * mm + 50 * mm * t / t[-1], 80 * mm + 8 * mm * np.sin(t) + rng.normal(0, 2, t.size)], 1
    )
    cv2.polylines(page, [pts.astype(np.int32)], False, 0, 3)
    binary = np.where(page < 128, 255, 0).astype(np.uint8)
    lines = find_lines(binary, dpi)
    assert lines.h_segments == () and lines.v_segments == ()


def test_a_letter_touching_a_short_rule_row_is_not_a_column():
    """Bold text in a 4.7 mm section row touches the rule under it: no short vertical appears."""
    dpi = 200
    mm = dpi / 25.4
    xs = [int(10 * mm), int(25 * mm), int(120 * mm), int(180 * mm)]
    ys = [int(10 * mm), int(20 * mm), int(24.7 * mm), int(40 * mm)]
    spec = TableSpec(xs, ys, merges=[(1, 1, 1, 2)], thickness=2)
    page = draw_table(blank(int(190 * mm), int(50 * mm)), spec)
    # bold capitals whose stems run from just under the upper rule down onto the lower one
    px = pt_to_px(14, dpi)
    page = draw_text(page, xs[1] + 10, ys[1] + 2, "I. HOÀN THIỆN KHUÔN KHỔ PHÁP LÝ", px, bold=True)
    binary = np.where(page < 128, 255, 0).astype(np.uint8)
    lines = find_lines(binary, dpi)
    # every vertical sits on a drawn column rule (the one at xs[2] is cut by the merged row)
    assert all(min(abs(s.pos - (x - 0.5)) for x in xs) <= 1 for s in lines.v_segments)
    assert {min(xs, key=lambda x: abs(s.pos - x)) for s in lines.v_segments} == set(xs)
    assert len(lines.h_segments) == len(ys)
