"""Text cells' marks chosen as page text's are (``ocr.text_cell_marks``): among tesseract's own
alternatives, an unknown word takes the most frequent spelling and a word that forms no compound
with its neighbours the one that does (``extract/ocr/marks.py``).  Real tesseract on the 1-bit
QĐ 707 pages (worked pages)."""

from __future__ import annotations

from functools import cache

from extract.ingest import load_page
from extract.model import CellKind, GridCell
from extract.ocr.marks import skeleton
from extract.ocr.reader import load_ocr_settings, read_cell
from extract.ocr.tesseract import get_engine
from extract.preprocess import PreparedPage, prepare_page
from extract.tables.detect import DetectedTables, detect_tables
from tests.realdocs.score import ROW_CELL_CER, cer, load_truth
from tests.repo_data import REALDATA


@cache
def _page(name: str) -> tuple[PreparedPage, DetectedTables]:
    page = load_page(next((REALDATA / "qd_707_table_pages").glob(f"{name}-*.png")), 0)
    prepared = prepare_page(page.image, page.dpi, bilevel=page.bilevel)
    return prepared, detect_tables(prepared)


def _read(name: str, cell: GridCell, marks: bool):
    prepared, detected = _page(name)
    settings = load_ocr_settings().model_copy(update={"text_cell_marks": marks})
    engine = get_engine(settings)
    return read_cell(prepared.gray, prepared.dpi, cell, detected.line_mask, engine, settings, bilevel=True)


def _cell(name: str, row: int, col: int) -> tuple[GridCell, str]:
    (grid,) = _page(name)[1].grids
    (cell,) = (c for c in grid.cells if (c.row, c.col) == (row, col))
    (truth,) = (c["text"] for c in load_truth(name)["cells"] if (c["row"], c["col"]) == (row, col))
    return cell, truth


def test_marks_are_on_for_text_cells() -> None:
    settings = load_ocr_settings()
    assert settings.text_cell_marks and settings.text_marks_max_zipf >= 0


def test_a_short_cell_and_a_long_cell_read_right_with_their_marks_chosen() -> None:
    # p-019: "Đê nghị Tòa án nhân dân tôi cao" (6.5%: "Đê nghị", "tôi cao" form no compound);
    # p-021: "cơ ché … điêu tra … đên" in a text of 111 letters (3.6%)
    for name, row, col in (("p-019", 2, 4), ("p-021", 3, 2)):
        cell, truth = _cell(name, row, col)
        plain, chosen = _read(name, cell, False), _read(name, cell, True)
        assert cer(chosen.text, truth) <= ROW_CELL_CER < cer(plain.text, truth), (plain.text, chosen.text)
        assert chosen.confidence == plain.confidence  # the same reading: only marks chosen


def test_only_marks_change_and_numbers_are_never_touched() -> None:
    (grid,) = _page("p-019")[1].grids
    changed = 0
    for cell in grid.cells:
        plain, chosen = _read("p-019", cell, False), _read("p-019", cell, True)
        assert skeleton(chosen.text) == skeleton(plain.text), (plain.text, chosen.text)
        assert chosen.kind == plain.kind
        if plain.kind == CellKind.NUMBER:
            assert chosen.text == plain.text
        changed += chosen.text != plain.text
    assert changed >= 3  # "hôi" → "hồi", "đân" → "dân", "Đê … tôi" → "Đề … tối"
