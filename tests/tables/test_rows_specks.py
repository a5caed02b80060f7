"""A photocopy speck lying on a broken row rule, read with real OpenCV and tesseract: it is no
text crossing the line, so the two rows' cells are cut there (dev 009's 5B "213" over "271",
dev 016's "20" over "22": before, the two numbers were one cell, flagged, lost to both rows).  A
speck on the line beside text that does come close to it keeps the rows together."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from test_rows_junction import _blobs
from test_rows_split import _edges
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, FONTS, Wear, draw, mm

from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


def _specks(img: np.ndarray, dpi: float, *centres: tuple[int, int], size_mm: float = 0.6) -> np.ndarray:
    page = Image.fromarray(img)
    pen = ImageDraw.Draw(page)
    half = mm(size_mm, dpi) / 2
    for x, y in centres:
        pen.ellipse([x - half, y - half, x + half, y + half], fill=20)
    return np.asarray(page, dtype=np.uint8).copy()


def _assert_rows_apart(img: np.ndarray, dpi: int, tesseract) -> None:
    """The table read from ``img``: rows 3 and 4 of the label and first value column each a cell
    of its own, and the body as printed."""
    table = _read(img, dpi, tesseract)
    for col in (1, 2):
        cells = [c for c in table.cells if c.cell.col == col and c.cell.row in (3, 4)]
        assert [c.cell.row_span for c in cells] == [1, 1], col
    assert table.matrix()[2:] == BODY


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_speck_on_a_broken_row_rule_does_not_keep_two_values_together(dpi, font, tesseract):
    """ "137" over "10.635" under "Tổng số", their rule gone under that column and the label,
    a 0.6 mm speck on the line in each: each number and each label in its own row."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((4, 1, 2),)))
    xs, ys = _edges(dpi)
    img = _specks(img, dpi, (xs[2] + mm(6, dpi), ys[4]), (xs[1] + mm(30, dpi), ys[4]))
    _assert_rows_apart(img, dpi, tesseract)


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_a_speck_counts_only_while_the_text_stays_clear_of_the_line(dpi):
    """A speck alone on the line does not cross it; a speck beside a letter that comes within
    ``seal_clear_mm`` of the line does (a mark over a letter of a wrapped line: one text), and
    a letter-sized glyph on the line always does."""
    size = (mm(20, dpi), mm(40, dpi))
    y = mm(10, dpi)
    margin, reach, clear = mm(0.35, dpi), mm(0.6, dpi), mm(0.5, dpi)
    alone = _specks(np.full(size, 255, np.uint8), dpi, (mm(20, dpi), y))
    assert not _blobs(alone, dpi).crosses_row(y, 0, size[1], margin, reach, clear)
    page = Image.fromarray(alone)
    # a letter 2.5 mm tall whose top is 0.3 mm under the line
    ImageDraw.Draw(page).rectangle([mm(25, dpi), y + mm(0.3, dpi), mm(25.5, dpi), y + mm(2.8, dpi)], fill=0)
    assert _blobs(np.asarray(page, dtype=np.uint8), dpi).crosses_row(y, 0, size[1], margin, reach, clear)
    page = Image.fromarray(np.full(size, 255, np.uint8))
    ImageDraw.Draw(page).rectangle([mm(25, dpi), y - mm(1.2, dpi), mm(25.5, dpi), y + mm(1.2, dpi)], fill=0)
    assert _blobs(np.asarray(page, dtype=np.uint8), dpi).crosses_row(y, 0, size[1], margin, reach, clear)


def _ticked_pieces(img: np.ndarray, dpi: float, *centres: tuple[int, int]) -> np.ndarray:
    """A worn rule's piece with a tick on it at each centre: a bar 1.8 mm long and 0.3 mm thick
    with a 0.3 mm wide stroke standing 0.65 mm tall near one end (lower than a letter, no dash:
    under three times as wide as it is tall)."""
    page = Image.fromarray(img)
    pen = ImageDraw.Draw(page)
    for x, y in centres:
        pen.rectangle([x, y - mm(0.15, dpi), x + mm(1.8, dpi), y + mm(0.15, dpi)], fill=20)
        pen.rectangle([x + mm(1.2, dpi), y - mm(0.5, dpi), x + mm(1.5, dpi), y + mm(0.15, dpi)], fill=20)
    return np.asarray(page, dtype=np.uint8).copy()


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_a_rule_piece_with_a_tick_on_a_broken_row_rule_does_not_keep_two_rows_together(dpi, font, tesseract):
    """Dev 263's 9B p2: the rule between two "-" sub-items broke into dashes, one of them with a
    tick standing on it (18 x 7 px at 200 dpi) -- no letter and no dash, so it counted as text
    crossing the line and the two labels stayed one cell.  A blob lower than a letter crosses no
    line by itself (the text beside it must stay clear of the line, as beside a speck): each
    label and number in its own row."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_h=((4, 1, 2),)))
    xs, ys = _edges(dpi)
    img = _ticked_pieces(img, dpi, (xs[2] + mm(2, dpi), ys[4]), (xs[1] + mm(30, dpi), ys[4]))
    _assert_rows_apart(img, dpi, tesseract)


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_a_rule_piece_with_a_tick_counts_only_while_the_text_stays_clear_of_the_line(dpi):
    """Such a piece alone on the line does not cross it; beside a letter within
    ``seal_clear_mm`` of the line it does."""
    size = (mm(20, dpi), mm(40, dpi))
    y = mm(10, dpi)
    margin, reach, clear = mm(0.35, dpi), mm(0.6, dpi), mm(0.5, dpi)
    alone = _ticked_pieces(np.full(size, 255, np.uint8), dpi, (mm(15, dpi), y))
    assert not _blobs(alone, dpi).crosses_row(y, 0, size[1], margin, reach, clear)
    page = Image.fromarray(alone)
    ImageDraw.Draw(page).rectangle([mm(25, dpi), y + mm(0.3, dpi), mm(25.5, dpi), y + mm(2.8, dpi)], fill=0)
    assert _blobs(np.asarray(page, dtype=np.uint8), dpi).crosses_row(y, 0, size[1], margin, reach, clear)
