"""Cell cropping and preparation: tiny exact arrays and rendered glyphs, no tesseract."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from ocr_synth import NUMBER_FONT, TEXT_FONT
from PIL import Image, ImageDraw, ImageFont

from extract.model import PixelBox
from extract.ocr.cells import (
    CropInfo,
    _blobs,
    _info,
    _percentiles,
    cut_cell,
    has_ink,
    ink_mask,
    prepare_number,
    prepare_text,
    text_lines,
)

DPI = 100.0  # at 100 dpi a glyph must span >= 2 px: small exact arrays are enough


def _measure(crop: np.ndarray, dpi: float) -> CropInfo:
    """The :class:`CropInfo` of a crop as :func:`cut_cell` measures it (one pass over its blobs)."""
    return _info(_blobs(crop, dpi))


def _page() -> tuple[np.ndarray, np.ndarray]:
    """A 24 x 40 page: a ruled cell (rules 1 px, on the mask) holding a 6 x 4 'letter', a 1 px
    'period' next to it (2 x 2) and a lone speck far away."""
    gray = np.full((24, 40), 250, np.uint8)
    mask = np.zeros_like(gray)
    for arr, value in ((gray, 0), (mask, 255)):
        arr[2, 2:38] = value
        arr[21, 2:38] = value
        arr[2:22, 2] = value
        arr[2:22, 37] = value
    gray[8:14, 20:24] = 10  # letter: 6 rows x 4 cols
    gray[12:14, 25:27] = 20  # period: 2 x 2, right next to the letter, on its baseline
    gray[5, 6] = 0  # speck
    return gray, mask


def test_cut_cell_erases_rules_trims_and_pads_without_mutating() -> None:
    gray, mask = _page()
    before = gray.copy()
    crop = cut_cell(gray, PixelBox(2, 2, 38, 22), mask, inset_px=0, dpi=DPI, border_px=3)[0]
    np.testing.assert_array_equal(gray, before)
    # trimmed to letter + period (rows 8..13, cols 20..26) plus a 3 px border
    assert crop.shape == (6 + 6, 7 + 6)
    inner = crop[3:-3, 3:-3]
    np.testing.assert_array_equal(inner[:, :4], np.full((6, 4), 10, np.uint8))
    assert inner[4:6, 5:7].max() == 20  # the period survives
    assert (crop[:3] == 250).all() and (crop[:, -3:] == 250).all()  # paper-coloured border


def test_cut_cell_without_mask_drops_rule_remains_at_the_edges() -> None:
    gray, _ = _page()
    crop = cut_cell(gray, PixelBox(2, 2, 38, 22), None, inset_px=0, dpi=DPI, border_px=0)[0]
    assert crop.shape == (6, 7)  # the unmasked rules along the edges are not text


def test_cut_cell_blank_returns_clean_untrimmed_crop() -> None:
    gray, mask = _page()
    gray[8:14, 20:27] = 250
    crop = cut_cell(gray, PixelBox(2, 2, 38, 22), mask, inset_px=1, dpi=DPI)[0]
    assert crop.shape == (18, 34) and crop.min() >= 200
    assert not has_ink(crop, DPI)


def test_has_ink_ignores_noise_and_specks() -> None:
    rng = np.random.default_rng(1)
    paper = np.clip(rng.normal(235, 12, (120, 300)), 0, 255).astype(np.uint8)
    assert not has_ink(paper, 300)
    specks = paper.copy()
    for y, x in rng.integers(5, 115, (12, 2)):
        specks[y : y + 2, x : x + 2] = 30  # 2 px specks: 0.17 mm at 300 dpi
    assert not has_ink(specks, 300)
    dash = paper.copy()
    dash[58:61, 140:156] = 20  # a '-' at 300 dpi: 1.4 mm x 0.25 mm
    assert has_ink(dash, 300)
    dot = paper.copy()
    dot[58:63, 140:145] = 20  # a lone '.' 0.42 mm
    assert has_ink(dot, 300)


def test_ink_mask_is_not_fooled_by_grainy_paper() -> None:
    rng = np.random.default_rng(2)
    img = np.clip(rng.normal(225, 16, (60, 200)), 0, 255).astype(np.uint8)
    img[20:40, 50:54] = 40
    mask = ink_mask(img)
    assert mask[22:38, 51:53].all()
    assert mask.sum() < 20 * 4 * 2  # plain Otsu would mark half the paper


def _render(text: str, dpi: float, font: str = TEXT_FONT, pt: float = 12) -> np.ndarray:
    size = round(pt / 72 * dpi)
    f = ImageFont.truetype(font, size)
    img = Image.new("L", (size * 16, size * 5), 255)
    ImageDraw.Draw(img).multiline_text((size, size), text, font=f, fill=0, spacing=size // 4)
    return np.asarray(img)


@pytest.mark.parametrize("dpi", [150, 200, 300])
@pytest.mark.parametrize(
    "text, lines",
    [
        ("Xã Nhơn Mỹ", 1),
        ("Thị trấn An Lạc Thôn", 1),
        ("Ễ ỗ ặ Ứ ậ ỹ", 1),
        ("Thị trấn\nAn Lạc Thôn", 2),
        ("Số hồ sơ\nđã tiếp\nnhận", 3),
        ("5.697", 1),
    ],
)
def test_text_lines_are_not_fooled_by_diacritics(text: str, lines: int, dpi: float) -> None:
    crop = _render(text, dpi)
    assert len(text_lines(crop, dpi)) == lines == _measure(crop, dpi).lines


def test_prepare_number_scales_to_target_height_binarizes_and_pads() -> None:
    crop = _render("91.627", 150, NUMBER_FONT)
    before = crop.copy()
    prepared = prepare_number(crop, 150, height_px=24, pad_px=20, info=_measure(crop, 150))
    np.testing.assert_array_equal(crop, before)
    assert set(np.unique(prepared.image)) <= {0, 255}
    img = prepared.image
    assert (img[:20] == 255).all() and (img[-20:] == 255).all() and (img[:, :20] == 255).all()
    scale = prepared.dpi / 150
    assert img.shape[1] == round(crop.shape[1] * scale) + 40
    assert abs(_measure(img, prepared.dpi).number_height_px - 24) <= 2


def test_prepare_number_fixed_scale() -> None:
    crop = _render("23", 200, NUMBER_FONT)
    prepared = prepare_number(
        crop, 200, height_px=None, scale=2.0, pad_px=0, blur=False, info=_measure(crop, 200)
    )
    assert prepared.dpi == 400 and prepared.image.shape == (crop.shape[0] * 2, crop.shape[1] * 2)


def test_prepare_text_keeps_gray_and_scales_letters() -> None:
    crop = np.clip(_render("Xã Nhơn Mỹ", 150).astype(int) * 0.8 + 30, 0, 255).astype(np.uint8)
    prepared = prepare_text(crop, 150, target_height_px=26, info=_measure(crop, 150))
    assert len(np.unique(prepared.image)) > 2  # grayscale, not binarized
    assert abs(_measure(prepared.image, prepared.dpi).glyph_height_px - 26) <= 2
    assert prepared.dpi > 150


def test_blank_crop_preparations_do_not_fail() -> None:
    blank = np.full((30, 60), 240, np.uint8)
    info = _measure(blank, 200)
    assert prepare_number(blank, 200, info=info).image.min() == 255
    assert prepare_text(blank, 200, info=info).dpi == 200
    assert text_lines(blank, 200) == [] and info.lines == 0 and info.glyph_height_px == 0


@given(arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30))))
@settings(max_examples=200, deadline=None)
def test_histogram_percentiles_equal_numpy(gray: np.ndarray) -> None:
    qs = (0, 50, 75, 90, 100)
    assert _percentiles(gray, qs) == pytest.approx([float(v) for v in np.percentile(gray, qs)], abs=1e-9)


@pytest.mark.parametrize("text, dpi", [("5.697", 200), ("Xã Nhơn\nMỹ", 300), ("", 150)])
def test_cut_cells_info_agrees_with_the_single_measurements(text: str, dpi: float) -> None:
    size = round(12 * dpi / 72)
    image = Image.new("L", (size * 8, size * 3), 240)
    ImageDraw.Draw(image).multiline_text(
        (size // 2, size // 4), text, fill=20, font=ImageFont.truetype(TEXT_FONT, size)
    )
    crop = np.asarray(image)
    height, width = crop.shape
    info = cut_cell(crop, PixelBox(0, 0, width, height), None, inset_px=0, dpi=dpi)[1]
    assert info == _measure(crop, dpi)
    assert info.has_ink == has_ink(crop, dpi) == bool(text)
    assert info.lines == len(text_lines(crop, dpi)) == text.count("\n") + bool(text)


@given(
    arrays(np.uint8, st.tuples(st.integers(3, 40), st.integers(3, 40))),
    st.integers(0, 2),
    st.integers(1, 2),
)
@settings(max_examples=100, deadline=None)
def test_histogram_percentiles_of_a_crop_view_equal_numpy(page: np.ndarray, at: int, step: int) -> None:
    # cells are views into the page (strided, not contiguous); both histogram paths count alike
    gray = page[at::step, at::step]
    qs = (50, 75, 90)
    want = pytest.approx([float(v) for v in np.percentile(gray, qs)], abs=1e-9)
    assert _percentiles(gray, qs) == want
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("extract.ocr.cells.HIST_EXACT_PIXELS", 0)  # the np.bincount path of large pages
        assert _percentiles(gray, qs) == want
