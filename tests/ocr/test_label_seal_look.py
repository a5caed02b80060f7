"""A label cell under a round seal read again with the seal's lighter ink painted out (issue 9:
rows named from garbled labels).  Real OpenCV and tesseract on a drawn table: a grey seal over
the label column garbles "Xã Dị Nậu" ("Xã ÔïNậWy =]", "XãDfW@ayy E|"); read again without the
seal's ink it reads as printed.  The reading is a candidate only: the cell's text stays."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tables"))

from test_rows_seals import _seal  # noqa: E402
from worn_tables import BODY, COL_MM, FONTS, ROW_MM, Wear, draw, mm  # noqa: E402

from extract.ocr.engine import LabelLookSettings  # noqa: E402
from extract.ocr.reader import LABEL_LOOK_VARIANT, OcrSettings, _label_seal_looks, read_table  # noqa: E402
from extract.ocr.tesseract import get_engine  # noqa: E402
from extract.preprocess import prepare_page  # noqa: E402
from extract.tables.detect import detect_tables  # noqa: E402

CASES = [(dpi, font) for dpi in (300, 200) for font in sorted(FONTS)]
LOOK = OcrSettings(label_look=LabelLookSettings(gains=[0.6]))


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return get_engine(OcrSettings())


def _sealed(dpi: float, font: str):  # type: ignore[no-untyped-def]
    """The drawn table with a light grey seal (a red seal scanned) over the label of body row 3
    (grid row 4), and the table read without the look."""
    img, _ = draw(dpi, FONTS[font], Wear())
    x, y = mm(15 + COL_MM[0] + COL_MM[1] * 0.45, dpi), mm(15 + 4.5 * ROW_MM, dpi)
    page = prepare_page(_seal(img, dpi, x, y, 13.0, level=170), dpi)
    found = detect_tables(page)
    table = read_table(
        page, found.grids[0], found.line_mask, engine_of(), OcrSettings(), page_index=0, table_index=0
    )
    return page, found, table


def engine_of():  # type: ignore[no-untyped-def]
    return get_engine(OcrSettings())


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=[f"{d}dpi-{f}" for d, f in CASES])
def test_a_garbled_label_under_a_seal_gets_its_printed_reading_as_a_candidate(dpi, font, engine) -> None:  # type: ignore[no-untyped-def]
    page, found, table = _sealed(dpi, font)
    reads = {c.cell: c for c in table.cells}
    label = next(c for c in table.cells if (c.cell.row, c.cell.col) == (4, 1))
    assert label.text != BODY[2][1]  # the seal garbles it
    sealed = {(r, 1) for r in range(2, 8)}
    looked = _label_seal_looks(page, reads, found.line_mask, engine, LOOK, sealed, {2, 3, 4, 5})
    again = looked[label.cell]
    assert again.text == label.text  # the text stays as read: the look gives candidates only
    assert BODY[2][1] in [c.text for c in again.candidates if c.variant == LABEL_LOOK_VARIANT]
    # a label read as words is not read again, nor a cell no seal covers
    clear = next(c for c in table.cells if (c.cell.row, c.cell.col) == (7, 1))
    assert clear.text == BODY[5][1] and looked[clear.cell] == clear
    unsealed = _label_seal_looks(page, reads, found.line_mask, engine, LOOK, set(), {2, 3, 4, 5})
    assert unsealed == reads
    # one syllable read under a seal ("TƯ" for "UBND cấp xã") is no label either: read again
    one = {**reads, label.cell: replace(label, text="TƯ", candidates=())}
    looked = _label_seal_looks(page, one, found.line_mask, engine, LOOK, sealed, {2, 3, 4, 5})
    assert BODY[2][1] in [c.text for c in looked[label.cell].candidates]


def test_the_look_is_off_without_gains(engine) -> None:  # type: ignore[no-untyped-def]
    """``ocr.label_look.gains`` empty: ``read_table`` adds no such candidate."""
    assert OcrSettings().label_look.gains == []
    _page, _found, table = _sealed(300, sorted(FONTS)[0])
    assert not any(c.variant == LABEL_LOOK_VARIANT for cell in table.cells for c in cell.candidates)
