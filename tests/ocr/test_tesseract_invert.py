"""tesseract reads a line it is unsure of a second time inverted (white on black) unless
``ocr.tesseract_invert`` is off: these reports print no white-on-black text, so the project
switches the second reading off (extract/ocr/tesseract.py, ``TesseractEngine._new_api``)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extract.ocr.reader import PSM_LINE, load_ocr_settings
from extract.ocr.tesseract import get_engine

TEXT = "Tổng số 1.234"


def _white_on_black() -> np.ndarray:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 40)
    image = Image.new("L", (600, 80), 0)
    ImageDraw.Draw(image).text((20, 15), TEXT, font=font, fill=255)
    return np.asarray(image)


def test_dark_text_reads_the_same_and_white_on_black_only_with_the_inverted_reading() -> None:
    settings = load_ocr_settings()
    assert not settings.tesseract_invert
    negative = _white_on_black()
    off = get_engine(settings)
    on = get_engine(settings.model_copy(update={"tesseract_invert": True}))

    def read(engine, image):
        return engine.read(image, 300, mode="text", lang="vie", psm=PSM_LINE)

    assert read(off, 255 - negative) == read(on, 255 - negative)
    assert read(off, 255 - negative).text == TEXT
    assert read(on, negative).text == TEXT
    assert read(off, negative).text != TEXT
