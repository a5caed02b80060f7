"""Page clean-up: grayscale, binarization, skew (re-measured after a known rotation), quarter turns."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.errors import ConfigError
from extract.model import PreparedPage
from extract.preprocess import (
    PreprocessSettings,
    binarize,
    halve,
    prepare_page,
    rotate,
    rotate_quarter,
    to_gray,
    upright_score,
)

DPI = 200
# prepare_page measuring the skew only: no quarter turn, every angle applied
MEASURE_SKEW = PreprocessSettings(detect_quarter_turn=False, min_skew_deg=0.0)
FONT = next(
    p
    for p in (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    )
    if Path(p).is_file()
)
BOLD = next(
    p
    for p in (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    )
    if Path(p).is_file()
)
WORDS = [
    "Ủy",
    "ban",
    "nhân",
    "dân",
    "huyện",
    "Kế",
    "Sách",
    "báo",
    "cáo",
    "kết",
    "quả",
    "thực",
    "hiện",
    "nhiệm",
    "vụ",
    "năm",
    "2019",
    "xã",
    "Nhơn",
    "Mỹ",
    "Phong",
    "Nẫm",
    "Đại",
    "Hải",
    "Ba",
    "Trinh",
    "thị",
    "trấn",
    "An",
    "Lạc",
    "Tây",
    "tổng",
    "số",
    "hồ",
    "sơ",
    "đã",
    "tiếp",
    "nhận",
    "giải",
    "quyết",
    "đúng",
    "hạn",
    "cải",
    "cách",
    "hành",
    "chính",
    "được",
    "phê",
    "duyệt",
    "theo",
    "Quyết",
    "định",
    "số",
    "707/QĐ-TTg",
]


@lru_cache(maxsize=4)
def text_page(dpi: int = DPI, lines: int = 34, seed: int = 1, ruled: bool = False) -> np.ndarray:
    """An A4 portrait page (uint8, ink 0 on paper 255) of Vietnamese prose; ``ruled`` adds a ruled
    box around part of it.  Cached: tests must not modify it."""
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    rng = random.Random(seed)
    px = int(13 * dpi / 72)
    d.text(
        (int(w * 0.3), int(0.6 * dpi)), "BÁO CÁO KẾT QUẢ THỰC HIỆN", font=ImageFont.truetype(BOLD, px), fill=0
    )
    font = ImageFont.truetype(FONT, px)
    y = int(1.0 * dpi)
    for _ in range(lines):
        line = ""
        while d.textlength(line + " x", font=font) < w - 2.0 * dpi:
            line = (line + " " + rng.choice(WORDS)).strip()
        d.text((int(1.0 * dpi), y), line, font=font, fill=0)
        y += int(px * 1.45)
    out = np.asarray(img).copy()
    if ruled:
        for k in range(5):
            yy = int((3.0 + 0.35 * k) * dpi)
            cv2.line(out, (int(0.9 * dpi), yy), (w - int(0.9 * dpi), yy), 0, 2)
        for x in (int(0.9 * dpi), int(3 * dpi), w - int(0.9 * dpi)):
            cv2.line(out, (x, int(3.0 * dpi)), (x, int(4.4 * dpi)), 0, 2)
    out.setflags(write=False)
    return out


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a > 0, b > 0
    return float((a & b).sum() / max(1, (a | b).sum()))


# --------------------------------------------------------------------------------------------
# grayscale and binarization


def test_to_gray_accepts_every_page_layout():
    g = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert np.array_equal(to_gray(g), g) and to_gray(g) is not g
    bgr = np.dstack([g, g, g])
    assert np.array_equal(to_gray(bgr), g)
    assert np.array_equal(to_gray(np.dstack([g, g, g, np.full_like(g, 255)])), g)
    assert np.array_equal(to_gray(g[:, :, None]), g)
    assert np.array_equal(to_gray(g.astype(np.uint16) << 8), g)
    assert np.array_equal(to_gray(np.array([[True, False]])), np.array([[0, 255]], np.uint8))
    for bad in (np.zeros((0, 3), np.uint8), np.zeros((2, 2, 5), np.uint8)):
        with pytest.raises(ValueError):
            to_gray(bad)


def test_binarize_survives_uneven_paper_and_faded_ink():
    page = text_page()
    truth = np.where(page < 128, 255, 0).astype(np.uint8)
    h, w = page.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gain = 1.0 - 0.5 * (xx / w + yy / h) / 2  # the paper darkens from 255 to ~128 across the page
    faded = 235.0 - (235.0 - 165.0) * (255.0 - page) / 255.0  # ink at 165 on 235 paper
    rng = np.random.default_rng(0)
    scan = np.clip(faded * gain + rng.normal(0, 4, page.shape), 0, 255).astype(np.uint8)
    ours = binarize(scan, DPI)
    assert ours.dtype == np.uint8 and set(np.unique(ours)) <= {0, 255}
    naive = np.where(scan <= cv2.threshold(scan, 0, 255, cv2.THRESH_OTSU)[0], 255, 0).astype(np.uint8)
    assert _iou(ours, truth) > 0.75
    assert _iou(ours, truth) > _iou(naive, truth) + 0.3


def test_binarize_of_a_blank_page_is_blank_and_a_bilevel_scan_is_kept():
    rng = np.random.default_rng(1)
    blank = np.clip(rng.normal(225, 5, (400, 300)), 0, 255).astype(np.uint8)
    assert (binarize(blank, DPI) > 0).mean() < 0.001
    page = text_page()  # anti-aliased: the threshold may move the glyph edges a little
    assert _iou(binarize(page, DPI), page < 128) > 0.85
    bilevel = np.where(page < 128, 0, 255).astype(np.uint8)
    assert np.array_equal(binarize(bilevel, DPI) > 0, bilevel == 0)
    with pytest.raises(ValueError):
        binarize(np.dstack([page, page]), DPI)


# --------------------------------------------------------------------------------------------
# rotation and skew


def test_rotate_keeps_the_shape_and_paints_the_corners():
    img = np.zeros((50, 80), np.uint8)
    out = rotate(img, 10, fill=255)
    assert out.shape == img.shape and out[0, 0] == 255 and out[25, 40] == 0
    same = rotate(img, 0)
    assert np.array_equal(same, img) and same is not img
    assert np.array_equal(rotate_quarter(rotate_quarter(img, 90), 270), img)
    assert rotate_quarter(img, 90).shape == (80, 50)
    with pytest.raises(ValueError):
        rotate_quarter(img, 45)


@pytest.mark.parametrize("angle", [-4.6, -2.2, -0.7, 0.35, 1.8, 3.9, 4.8])
@pytest.mark.parametrize("ruled", [False, True])
def test_skew_is_remeasured_after_a_known_rotation(angle, ruled):
    page = text_page(ruled=ruled)
    turned = rotate(page, angle)
    assert abs(prepare_page(turned, DPI, settings=MEASURE_SKEW).skew_deg + angle) <= 0.15


def test_skew_of_an_empty_page_is_zero():
    assert prepare_page(np.full((300, 200), 255, np.uint8), DPI, settings=MEASURE_SKEW).skew_deg == 0.0


# --------------------------------------------------------------------------------------------
# orientation


def _quarter_turn_of(gray: np.ndarray) -> int:
    return prepare_page(gray, DPI, settings=PreprocessSettings(deskew=False)).rotation


def test_a_page_turned_a_quarter_is_recognised_both_ways():
    page = text_page()
    assert _quarter_turn_of(page) == 0
    assert _quarter_turn_of(rotate_quarter(page, 90)) == 270
    assert _quarter_turn_of(rotate_quarter(page, 270)) == 90
    # ... also when it is skewed as well
    assert _quarter_turn_of(rotate(rotate_quarter(page, 90), 3.0)) == 270


def test_upright_text_scores_positive_and_upside_down_negative():
    binary = np.where(text_page() < 128, 255, 0).astype(np.uint8)
    assert upright_score(binary, DPI) > 0.02
    assert upright_score(rotate_quarter(binary, 180), DPI) < -0.02


def test_too_little_text_is_left_as_it_is():
    img = np.full((800, 600), 255, np.uint8)
    img[100:110, 100:500] = 0
    assert _quarter_turn_of(rotate_quarter(img, 90)) == 0


# --------------------------------------------------------------------------------------------
# prepare_page


def test_prepare_page_turns_a_sideways_page_upright():
    page = text_page()
    prepared = prepare_page(rotate_quarter(page, 90), DPI)
    assert isinstance(prepared, PreparedPage)
    assert prepared.rotation == 270 and prepared.skew_deg == 0.0
    assert np.array_equal(prepared.gray, page)
    assert np.array_equal(prepared.binary, binarize(page, DPI))
    assert prepared.dpi == DPI


def test_prepare_page_asks_the_orientation_callable_for_upside_down_pages():
    page = text_page()
    seen = []

    def osd(gray: np.ndarray, dpi: float) -> int:
        seen.append((gray.shape, dpi))
        return 180

    prepared = prepare_page(rotate_quarter(page, 180), DPI, orientation=osd)
    assert seen == [(page.shape, DPI)]
    assert prepared.rotation == 180 and np.array_equal(prepared.gray, page)
    # the callable sees the page after the quarter turn, and both turns add up
    seen.clear()
    prepared = prepare_page(rotate_quarter(page, 270), DPI, orientation=osd)
    assert seen == [(page.shape, DPI)]
    assert prepared.rotation == (90 + 180) % 360
    assert np.array_equal(prepared.gray, rotate_quarter(page, 180))
    with pytest.raises(ValueError):
        prepare_page(page, DPI, orientation=lambda g, d: 45)


def test_prepare_page_deskews_and_leaves_straight_pages_alone():
    page = text_page(ruled=True)
    prepared = prepare_page(rotate(page, 3.0), DPI)
    assert abs(prepared.skew_deg + 3.0) <= 0.15
    assert abs(prepare_page(prepared.gray, DPI, settings=MEASURE_SKEW).skew_deg) <= 0.15
    straight = prepare_page(rotate(page, 0.04), DPI)
    assert straight.skew_deg == 0.0


def test_prepare_page_does_not_modify_its_input_and_checks_the_dpi():
    page = np.array(text_page())
    before = page.copy()
    prepare_page(page, DPI)
    assert np.array_equal(page, before)
    for bad in (0, -200):
        with pytest.raises(ValueError):
            prepare_page(page, bad)


def test_prepare_page_settings_switch_steps_off_and_load_from_config(tmp_path):
    page = text_page()
    kept = prepare_page(rotate_quarter(page, 90), DPI, settings=PreprocessSettings(detect_quarter_turn=False))
    assert kept.rotation == 0 and kept.gray.shape == (page.shape[1], page.shape[0])
    (tmp_path / "pipeline.yaml").write_text("preprocess:\n  min_skew_deg: 0.3\n", encoding="utf-8")
    assert PreprocessSettings.from_config(tmp_path).min_skew_deg == 0.3
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pipeline.yaml").write_text("preprocess:\n  deskew: maybe\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        PreprocessSettings.from_config(bad)


def test_halve_averages_2x2_blocks_and_drops_an_odd_edge() -> None:
    img = np.arange(5 * 7, dtype=np.uint8).reshape(5, 7) * 3
    out = halve(img)
    assert out.shape == (2, 3)
    blocks = img[:4, :6].reshape(2, 2, 3, 2).astype(float).mean(axis=(1, 3))
    assert np.abs(out.astype(float) - blocks).max() <= 0.5  # rounding of the mean
