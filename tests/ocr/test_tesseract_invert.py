"""tesseract reads a line it is unsure of a second time inverted (white on black) unless told not
to: ``ocr.tesseract_invert_cells`` off, a table cell is read once (extract/ocr/tesseract.py,
``TesseractEngine._cell_call``); page text keeps the second reading either way."""

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


def test_a_cells_dark_text_reads_the_same_and_white_on_black_only_with_the_inverted_reading() -> None:
    settings = load_ocr_settings()
    negative = _white_on_black()
    off = get_engine(settings.model_copy(update={"tesseract_invert_cells": False}))
    on = get_engine(settings.model_copy(update={"tesseract_invert_cells": True}))

    def read(engine, image):
        return engine.read(image, 300, mode="text", lang="vie", psm=PSM_LINE)

    assert read(off, 255 - negative) == read(on, 255 - negative)
    assert read(off, 255 - negative).text == TEXT
    assert read(on, negative).text == TEXT
    assert read(off, negative).text != TEXT


def test_page_text_keeps_the_inverted_reading_after_a_cells_reading() -> None:
    engine = get_engine(load_ocr_settings().model_copy(update={"tesseract_invert_cells": False}))
    negative = _white_on_black()
    engine.read(negative, 300, mode="text", lang="vie", psm=PSM_LINE)  # a cell: no second reading
    assert [line.text for line in engine.read_lines(negative, 300, "vie", marks=False)] == [TEXT]
