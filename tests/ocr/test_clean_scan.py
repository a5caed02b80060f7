"""A clean scan's text cells take their other choices from a short search (tesseract's
``lstm_choice_iterations``, ``ocr.text_cell_short_search``, extract/ocr/clean_scan.py); a worn
scan's and a fax's keep the full search, which finds the marks a worn label needs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from ocr_synth import render_table

from extract.model import CellKind, PreparedPage
from extract.ocr.clean_scan import (
    FULL_SEARCH,
    ShortSearchSettings,
    choice_iterations,
    clean_scan,
    scan_measures,
)
from extract.ocr.reader import load_ocr_settings, read_table
from extract.ocr.tesseract import TesseractEngine, get_engine
from extract.preprocess import binarize
from extract.synth.scan import degrade

LABELS = ["Xã Bắc Lương", "Phường Cẩm Sơn", "Cấp xã"]
ROWS = [[str(i + 1), label, str(12 + i)] for i, label in enumerate(LABELS)]


def _table(quality: str, dpi: int = 300, rows=ROWS, col_mm=(10, 60, 20), seed: int = 0, **font):
    """``rows`` rendered at ``dpi`` and scanned as the generator's ``quality`` (extract/synth/
    scan.py; no skew, so the grid stays where it was drawn), binarized as a page is."""
    table = render_table(rows, dpi, col_mm=list(col_mm), font_pt=12, **font)
    scan = degrade(table.page.gray, dpi, quality, seed=seed, skew_deg=0.0)
    page = PreparedPage(
        gray=scan.image, binary=binarize(scan.image, dpi), dpi=float(dpi), bilevel=scan.bilevel
    )
    return dataclasses.replace(table, page=page)


def test_the_gate_tells_a_clean_scan_from_a_worn_one_and_a_fax() -> None:
    settings = ShortSearchSettings(iterations=2)
    for dpi in (200, 300):
        mild, hard = _table("mild", dpi).page, _table("hard", dpi).page
        contrast, noise = scan_measures(mild)
        assert contrast >= settings.min_contrast and noise <= settings.max_noise, (contrast, noise)
        assert clean_scan(mild, settings) and choice_iterations(mild, settings) == 2
        contrast, noise = scan_measures(hard)
        assert contrast < settings.min_contrast, contrast
        assert not clean_scan(hard, settings) and choice_iterations(hard, settings) == FULL_SEARCH
        # a fax: black and white, its paper without noise, yet its letters are staircases
        assert not clean_scan(_table("fax", dpi).page, settings)
    # the setting at the full search: nothing measured, the full search everywhere
    assert choice_iterations(_table("mild").page, ShortSearchSettings()) == FULL_SEARCH
    blank = PreparedPage(
        gray=np.full((50, 50), 250, np.uint8), binary=np.zeros((50, 50), np.uint8), dpi=300.0
    )
    assert not clean_scan(blank, settings)


def _read(table, settings, monkeypatch):
    """The table's cells by (row, col), and the choice search of every text-cell reading."""
    searches: list[int] = []
    original = TesseractEngine.read_text

    def spying(self, *args, choice_iterations=FULL_SEARCH, **kwargs):
        searches.append(choice_iterations)
        return original(self, *args, choice_iterations=choice_iterations, **kwargs)

    monkeypatch.setattr(TesseractEngine, "read_text", spying)
    engine = get_engine(settings)
    read = read_table(table.page, table.grid, table.line_mask, engine, settings, page_index=0, table_index=0)
    monkeypatch.undo()
    return {(c.cell.row, c.cell.col): c for c in read.cells}, searches


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_clean_pages_labels_are_read_with_the_short_search(dpi, monkeypatch) -> None:
    """Real tesseract on a mild generated table: every text cell is read with the short search,
    and reads as the full search reads it (text, kind, confidence), the labels their own names."""
    on = load_ocr_settings()
    assert on.text_cell_marks and on.text_cell_short_search.iterations < FULL_SEARCH
    table = _table("mild", dpi)
    short, searches = _read(table, on, monkeypatch)
    assert searches and set(searches) == {on.text_cell_short_search.iterations}
    off = on.model_copy(update={"text_cell_short_search": ShortSearchSettings()})
    full, full_searches = _read(table, off, monkeypatch)
    assert set(full_searches) == {FULL_SEARCH}
    for row, label in enumerate(LABELS):
        assert short[(row, 1)].kind == CellKind.TEXT and short[(row, 1)].text == label
    for key, cell in short.items():
        assert (cell.text, cell.kind, cell.confidence) == (
            full[key].text,
            full[key].kind,
            full[key].confidence,
        ), key


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_worn_pages_labels_keep_the_full_search(dpi, monkeypatch) -> None:
    """Real tesseract on a hard generated table: every text cell is read with the full search
    (the marks a worn label needs are found late), and its labels read their own names."""
    on = load_ocr_settings()
    cells, searches = _read(_table("hard", dpi), on, monkeypatch)
    assert searches and set(searches) == {FULL_SEARCH}
    for row, label in enumerate(LABELS):
        assert cells[(row, 1)].text == label


# the hard dev documents' labels whose marks the short search lost (a branch that read every
# page with it: "Cẩm" -> "Câm", "Cấp" -> "Câp", "Bắc" -> "Băc", "thẩm" -> "thấm")
WORN_LABELS = [
    "Phường Cẩm Thủy", "Phường Cẩm Sơn", "Phường Cẩm Phú", "Phường Cẩm Thịnh", "Xã Ngư Thủy Bắc",
    "Xã Lộc Thủy", "Cấp xã", "Xã Bắc Lương", "Thị trấn Sao Vàng", "TTHC thuộc phạm vi thẩm quyền",
    "Thực hiện công bố lại ISO", "Kiểm tra thực hiện", "Bộ phận một cửa", "Thị trấn Đồng Đăng",
]  # fmt: skip
SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def test_a_worn_labels_wrong_tone_is_put_right_by_the_full_search_the_gate_keeps(monkeypatch) -> None:
    """A hard 200-dpi page (the generator's hard scan, Liberation Serif): "Phường Cẩm Phú" is
    read with its marks only when the choices come from the full search; the gate keeps the full
    search there, so the label reads right; the same page read with the short search (the gate
    opened to every page) loses the mark."""
    rows = [[str(i + 1), label, "12"] for i, label in enumerate(WORN_LABELS)]
    table = _table("hard", 200, rows, (10, 70, 20), seed=2, text_font=SERIF)
    row = WORN_LABELS.index("Phường Cẩm Phú")
    on = load_ocr_settings()
    gated, searches = _read(table, on, monkeypatch)
    assert set(searches) == {FULL_SEARCH}
    assert gated[(row, 1)].text == "Phường Cẩm Phú"
    everywhere = on.text_cell_short_search.model_copy(update={"min_contrast": 0.0, "max_noise": 1e9})
    short, searches = _read(table, on.model_copy(update={"text_cell_short_search": everywhere}), monkeypatch)
    assert set(searches) == {on.text_cell_short_search.iterations}
    assert short[(row, 1)].text == "Phường Câm Phú"
