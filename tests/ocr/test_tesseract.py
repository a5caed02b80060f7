"""The tesseract wrapper: probing, reading, time limits, orientation (real tesseract)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ocr_synth import NUMBER_FONT, TEXT_FONT
from PIL import Image, ImageDraw, ImageFont

from extract.errors import MissingDependencyError, OcrTimeout
from extract.ocr.engine import NUMBER_WHITELIST, OcrEngine, OcrSettings
from extract.ocr.tesseract import (
    PytesseractEngine,
    TesseractEngine,
    get_engine,
    probe,
)
from tests.repo_data import REALDATA

PAGE_LINES = [
    "Biểu mẫu 5B",
    "Thống kê kết quả tiếp nhận, giải quyết thủ tục hành chính",
    "Kế Sách, ngày 21 tháng 11 năm 2019",
]


def _line(text: str, dpi: float = 300, font: str = TEXT_FONT, pt: float = 12) -> np.ndarray:
    size = round(pt / 72 * dpi)
    f = ImageFont.truetype(font, size)
    width = int(f.getlength(text)) + 2 * size
    img = Image.new("L", (width, size * 2), 255)
    ImageDraw.Draw(img).text((size, size // 3), text, font=f, fill=0)
    return np.asarray(img)


def _page(dpi: float = 200) -> np.ndarray:
    size = round(13 / 72 * dpi)
    f = ImageFont.truetype(TEXT_FONT, size)
    img = Image.new("L", (round(8.27 * dpi), round(6 * dpi)), 255)
    draw = ImageDraw.Draw(img)
    for i, text in enumerate(PAGE_LINES * 3):
        draw.text((size * 3, size * 3 + i * size * 2), text, font=f, fill=0)
    return np.asarray(img)


def test_probe_finds_vietnamese() -> None:
    info = probe()
    assert info.backend == "tesserocr"
    assert int(info.version.split(".")[0]) >= 4
    assert "vie" in info.languages and info.supports("vie+eng") and Path(info.tessdata).is_dir()
    assert not info.supports("vie+klingon")


def test_probe_without_vietnamese_model_gives_install_advice(tmp_path: Path) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"")
    with pytest.raises(MissingDependencyError) as info:
        probe(OcrSettings(tessdata=str(tmp_path)))
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in str(info.value) and "vie" in str(info.value)


def test_get_engine_is_cached_and_reuses_loaded_models(engine: OcrEngine, settings: OcrSettings) -> None:
    assert get_engine(settings) is engine
    assert isinstance(engine, TesseractEngine)
    assert engine._api("vie", 7) is engine._api("vie", 7)
    assert engine._api("vie", 7) is not engine._api("eng", 7)
    # one loaded model per language, switched between page segmentation modes
    assert engine._api("vie", 6) is engine._api("vie", 7)
    assert engine._api("vie", 6).GetPageSegMode() == 6 and engine._api("vie", 7).GetPageSegMode() == 7


def test_one_api_reads_in_every_mode_after_switching(engine: OcrEngine) -> None:
    line, second = _line("Xã Nhơn Mỹ"), _line("Thị trấn Kế Sách")
    width = max(line.shape[1], second.shape[1])
    block = np.vstack(
        [np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=255) for a in (line, second)]
    )
    assert engine.read(block, 300, mode="text", lang="vie", psm=6).text.splitlines() == [
        "Xã Nhơn Mỹ",
        "Thị trấn Kế Sách",
    ]
    assert engine.read(line, 300, mode="text", lang="vie", psm=7).text == "Xã Nhơn Mỹ"


def test_read_number_and_text(engine: OcrEngine) -> None:
    number = engine.read(
        _line("91.627", font=NUMBER_FONT), 300, mode="probe", lang="eng", psm=7, whitelist=NUMBER_WHITELIST
    )
    assert number.text == "91.627" and number.variant == "probe" and 50 < number.confidence <= 100
    text = engine.read(_line("Xã Nhơn Mỹ"), 300, mode="text", lang="vie", psm=7)
    assert text.text == "Xã Nhơn Mỹ"


def test_whitelist_restricts_and_is_reset(engine: OcrEngine) -> None:
    image = _line("Xã Nhơn Mỹ 23")
    restricted = engine.read(image, 300, mode="n", lang="vie", psm=7, whitelist=NUMBER_WHITELIST)
    assert set(restricted.text) <= set(NUMBER_WHITELIST + " \n")
    assert "Nhơn" in engine.read(image, 300, mode="t", lang="vie", psm=7).text  # whitelist not left behind


def test_blank_image_reads_empty(engine: OcrEngine) -> None:
    cand = engine.read(np.full((60, 200), 255, np.uint8), 300, mode="t", lang="vie", psm=7)
    assert cand.text == "" and cand.confidence == 0


def test_read_lines_returns_lines_with_boxes(engine: OcrEngine) -> None:
    page = _page()
    lines = engine.read_lines(page, 200, "vie")
    texts = [ln.text for ln in lines]
    assert texts[:3] == PAGE_LINES
    for ln in lines:
        crop = page[ln.box.y0 : ln.box.y1, ln.box.x0 : ln.box.x1]
        assert crop.size and crop.min() < 100
    assert [ln.box.y0 for ln in lines] == sorted(ln.box.y0 for ln in lines)


@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_orientation_undoes_a_clockwise_turn(engine: OcrEngine, turned: int) -> None:
    page = np.ascontiguousarray(np.rot90(_page(150), k=-turned // 90))  # np.rot90 with k<0 turns clockwise
    correction = engine.orientation(page, 150)
    assert (turned + correction) % 360 == 0


def test_orientation_without_the_quick_pass_agrees(engine: OcrEngine) -> None:
    full = TesseractEngine(engine.info, osd_quick_characters=0)  # type: ignore[attr-defined]
    page = np.ascontiguousarray(np.rot90(_page(150), k=2))
    assert full.orientation(page, 150) == engine.orientation(page, 150) == 180


def test_orientation_of_blank_page_is_zero(engine: OcrEngine) -> None:
    assert engine.orientation(np.full((800, 600), 255, np.uint8), 150) == 0


def test_call_timeout_raises_ocr_timeout(engine: OcrEngine) -> None:
    quick = TesseractEngine(engine.info, call_timeout_s=0.001)  # type: ignore[attr-defined]
    with pytest.raises(OcrTimeout):
        quick.read_lines(_page(300), 300, "vie")


def test_page_deadline_raises_ocr_timeout(engine: OcrEngine) -> None:
    image = _line("23", font=NUMBER_FONT)
    with engine.deadline(0.0), pytest.raises(OcrTimeout):
        engine.read(image, 300, mode="t", lang="eng", psm=7)
    assert engine.read(image, 300, mode="t", lang="eng", psm=7).text == "23"  # deadline gone


def test_pytesseract_fallback_reads_and_times_out() -> None:
    info = probe(OcrSettings(engine="pytesseract"))
    assert info.backend == "pytesseract"
    fallback = get_engine(OcrSettings(engine="pytesseract"))
    assert isinstance(fallback, PytesseractEngine)
    cand = fallback.read(
        _line("5.697", font=NUMBER_FONT), 300, mode="n", lang="eng", psm=7, whitelist=NUMBER_WHITELIST
    )
    assert cand.text == "5.697" and cand.confidence > 50
    assert [ln.text for ln in fallback.read_lines(_page(), 200, "vie")][:3] == PAGE_LINES
    assert fallback.orientation(np.ascontiguousarray(np.rot90(_page(150), k=-1)), 150) == 270
    slow = PytesseractEngine(info, call_timeout_s=0.01)
    with pytest.raises(OcrTimeout):
        slow.read_lines(_page(300), 300, "vie")


def test_read_lines_on_a_page_with_almost_nothing_left(engine: OcrEngine) -> None:
    """Regression: a real page whose table is blanked out left tesseract with text elements
    without text, and tesserocr raised "No text returned"."""
    from extract.ingest import load_page

    page = load_page(REALDATA / "sources" / "qd_707_ttg.pdf", 5)
    gray = page.image.copy()
    gray[100:] = 255
    lines = engine.read_lines(gray, page.dpi, "vie")
    assert all(ln.text for ln in lines)
    assert engine.read_lines(np.full((500, 400), 255, np.uint8), 200, "vie") == []
