"""Scan degradation: determinism, geometry (skew, quarter turns, transform), bounded damage."""

from __future__ import annotations

import math

import numpy as np
import pytest
from synth_helpers import TEST_DPI, fixture_report

from extract.config import load_forms
from extract.synth import render
from extract.synth.scan import (
    QUALITIES,
    ScanParams,
    degrade,
    map_box,
    quality_params,
    quarter_turn,
    quarter_turn_matrix,
    ruling_mask,
)


@pytest.fixture(scope="module")
def form_page():
    pages = render.render_document(fixture_report(), load_forms(), TEST_DPI, include_cover=False)
    return pages[0]


def measure_skew(image: np.ndarray, limit: float = 4.0, step: float = 0.05) -> float:
    """Skew (degrees, counter-clockwise as displayed) by projection: the shear that makes the
    row profile of ink sharpest.  The outer tenth on each side is left out (scanner edge shadows)."""
    h, w = image.shape
    ys, xs = np.nonzero(image[h // 10 : h - h // 10, w // 10 : w - w // 10] < 128)
    best, best_score = 0.0, -1.0
    for a in np.arange(-limit, limit + step / 2, step):
        proj = np.rint(ys + xs * math.tan(math.radians(a))).astype(np.int64)
        hist = np.bincount(proj - proj.min())
        score = float((hist.astype(np.float64) ** 2).sum())
        if score > best_score:
            best, best_score = float(a), score
    return best


def test_same_seed_same_scan_other_seed_other_scan(form_page):
    a = degrade(form_page.image, TEST_DPI, "hard", 5)
    b = degrade(form_page.image, TEST_DPI, "hard", 5)
    c = degrade(form_page.image, TEST_DPI, "hard", 6)
    assert np.array_equal(a.image, b.image) and a.skew_deg == b.skew_deg
    assert not np.array_equal(a.image, c.image)


def test_clean_quality_leaves_the_page_as_printed(form_page):
    s = degrade(form_page.image, TEST_DPI, "clean", 1)
    assert np.array_equal(s.image, form_page.image)
    assert s.skew_deg == 0.0 and s.rotation == 0
    assert np.allclose(s.transform, np.eye(3))


@pytest.mark.parametrize("quality", ["mild", "hard"])
def test_measured_skew_matches_the_recorded_skew_and_the_quality_range(form_page, quality):
    params = QUALITIES[quality]
    for seed in (1, 2):
        s = degrade(form_page.image, TEST_DPI, quality, seed)
        assert params.skew_min_deg <= abs(s.skew_deg) <= params.skew_max_deg
        measured = measure_skew(s.image)
        assert abs(measured - s.skew_deg) <= 0.15, (measured, s.skew_deg)


def test_measured_skew_of_the_clean_page_is_zero(form_page):
    assert abs(measure_skew(form_page.image)) <= 0.05


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_quarter_turn_matrix_maps_pixels_like_the_turn(rotation):
    img = np.zeros((3, 5), np.uint8)
    img[1, 4] = 9  # (x=4, y=1)
    turned = quarter_turn(img, rotation)
    y, x = (int(v[0]) for v in np.nonzero(turned == 9))
    mx, my, _ = quarter_turn_matrix(img.shape, rotation) @ np.array([4.0, 1.0, 1.0])
    assert (round(mx), round(my)) == (x, y)


def test_transform_maps_clean_pixels_onto_the_scan():
    img = np.full((300, 400), 255, np.uint8)
    img[200:206, 100:106] = 0  # a dot centred at (102.5, 202.5)
    params = ScanParams()  # geometry only
    s = degrade(img, 100, params, 0, rotation=90, skew_deg=2.0)
    ys, xs = np.nonzero(s.image < 128)
    mx, my, _ = s.transform @ np.array([102.5, 202.5, 1.0])
    assert abs(xs.mean() - mx) < 1.0 and abs(ys.mean() - my) < 1.0
    x0, y0, x1, y1 = map_box((100, 200, 106, 206), s.transform)
    assert x0 <= xs.min() and xs.max() <= x1 and y0 <= ys.min() and ys.max() <= y1
    assert s.image.shape == (400, 300)


def test_bilevel_scan_is_black_and_white(form_page):
    s = degrade(form_page.image, TEST_DPI, QUALITIES["mild"].model_copy(update={"bilevel": True}), 3)
    assert set(np.unique(s.image).tolist()) <= {0, 255}
    assert s.bilevel


def test_hard_scan_darkens_paper_adds_noise_and_fades_rules(form_page):
    clean = form_page.image
    s = degrade(
        clean,
        TEST_DPI,
        QUALITIES["hard"].model_copy(update={"skew_min_deg": 0, "skew_max_deg": 0, "edge_shadow": False}),
        4,
    )
    paper = clean == 255
    lo, hi = QUALITIES["hard"].paper
    mean_paper = float(s.image[paper].mean())
    assert lo * (1 - QUALITIES["hard"].illumination) - 10 <= mean_paper <= hi + 5
    assert 2.0 <= float(s.image[paper].std()) <= 25.0
    rules = ruling_mask(clean, TEST_DPI)
    faded = (s.image[rules] > 128).mean()  # share of rule pixels that no longer read as ink
    assert 0.02 <= faded <= 0.5


def test_mild_scan_keeps_rules_and_text_dark(form_page):
    clean = form_page.image
    s = degrade(clean, TEST_DPI, QUALITIES["mild"].model_copy(update={"skew_max_deg": 0}), 4)
    rules = ruling_mask(clean, TEST_DPI)
    assert (s.image[rules] < 128).mean() > 0.9
    assert abs(float(s.image.astype(float).mean()) - float(clean.astype(float).mean())) < 25


def test_unknown_quality_is_refused():
    with pytest.raises(ValueError, match="quality"):
        quality_params("blurry")
