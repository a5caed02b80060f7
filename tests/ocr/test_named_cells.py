"""Text cells whose plain reading already names a row (a commune of the gazetteer, a form's item
label) or holds no letter a mark sits on keep their marks as read: no walk over tesseract's other
choices (``ocr.text_cell_marks_named_min_confidence``, extract/ocr/named_cells.py).  A reading
that is no declared name ("Kê hoạch", a lost mark) or an unsure one is still walked."""

from __future__ import annotations

import pytest
from ocr_synth import MILD, render_table

from extract.model import CellKind
from extract.ocr.named_cells import (
    _build_commune_names,
    _commune_names,
    declared_names,
    markable,
    marks_unneeded,
)
from extract.ocr.reader import load_ocr_settings, read_table
from extract.ocr.tesseract import TesseractEngine, get_engine

ROWS = [["1", "Xã Nặm Ét", "3/125", "Đề nghị bổ sung kinh phí"]]


def test_a_reading_with_no_letter_a_mark_sits_on_needs_no_marks() -> None:
    assert not markable("3/125") and not markable("0918 079 366") and not markable("H")
    assert markable("Có") and markable("Đ") and markable("ha")
    for text in ("3/125", "7506", "H", ""):
        assert marks_unneeded(text, 0.0, 101.0)


def test_only_a_declared_name_read_sure_keeps_its_marks_as_read() -> None:
    names = declared_names()
    assert {"Xã Nặm Ét", "Nặm Ét", "Cấp xã", "Kế hoạch rà soát TTHC", "UBND cấp huyện"} <= names
    assert marks_unneeded("Xã Nặm Ét", 91.0, 80.0)
    assert marks_unneeded("Kế hoạch rà soát TTHC", 95.0, 80.0)
    # a mark lost or wrong: no declared name, so the choices may put it right
    assert not marks_unneeded("Xã Nặm Et", 95.0, 80.0)
    assert not marks_unneeded("Kê hoạch rà soát TTHC", 95.0, 80.0)
    assert not marks_unneeded("Đê nghị bổ sung", 95.0, 80.0)
    # a name read unsure, or the setting off (101): walked
    assert not marks_unneeded("Cấp xã", 70.0, 80.0)
    assert not marks_unneeded("Xã Nặm Ét", 91.0, 101.0)


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_named_label_and_digits_skip_the_walk_and_prose_does_not(dpi, monkeypatch) -> None:
    """Real tesseract on a mild generated row: the commune's label and "3/125" are read without
    walking the choices, the prose cell with; with the name gate off (101) the label is walked
    too.  Every cell reads the same kind and confidence both ways, the label its own name."""
    walked: list[str] = []
    original = TesseractEngine._words_with_marks

    def counting(self, iterator, max_zipf, *, cell=False):
        words = original(self, iterator, max_zipf, cell=cell)
        walked.append(" ".join(w.text for w in words))
        return words

    monkeypatch.setattr(TesseractEngine, "_words_with_marks", counting)
    table = render_table(ROWS, dpi, noise=MILD, col_mm=[10, 40, 20, 60], font_pt=11)
    on = load_ocr_settings()
    assert on.text_cell_marks and on.text_cell_marks_named_min_confidence <= 100
    engine = get_engine(on)

    def read(settings):
        walked.clear()
        cells = read_table(
            table.page, table.grid, table.line_mask, engine, settings, page_index=0, table_index=0
        )
        return {(c.cell.row, c.cell.col): c for c in cells.cells}, list(walked)

    gated, gated_walks = read(on)
    full, full_walks = read(on.model_copy(update={"text_cell_marks_named_min_confidence": 101.0}))
    label, code, prose = gated[(0, 1)], gated[(0, 2)], gated[(0, 3)]
    assert label.kind == CellKind.TEXT and label.text == "Xã Nặm Ét"
    assert not any("Nặm" in w or "Năm" in w for w in gated_walks)
    assert any("Nặm" in w or "Năm" in w for w in full_walks)
    assert not any("3/125" in w for w in gated_walks + full_walks)
    assert any("kinh" in w for w in gated_walks) and "kinh" in prose.text
    for key, cell in gated.items():
        assert cell.kind == full[key].kind and cell.confidence == full[key].confidence, key
    assert code.text == full[(0, 2)].text and prose.text == full[(0, 3)].text


def test_the_communes_names_are_cached_on_disk_and_give_the_snapshots_names(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BCUBND_CACHE_DIR", str(tmp_path))
    built = _build_commune_names()
    assert {"Xã Nặm Ét", "Nặm Ét"} <= built
    assert _commune_names() == built  # built and stored
    (stored,) = tmp_path.glob("cell-names-*.pickle")
    assert _commune_names() == built and stored.is_file()  # read back
    monkeypatch.setenv("BCUBND_CACHE_DIR", "off")
    assert _commune_names() == built
