"""A worn digit read as letters is read again at a raised contrast (extract.ocr.reader._digit_shaped).

On the dev hard 200-dpi scans (dev_256's 4B, 5B, 6B and 7B pages) worn toner broke printed "0"s
into two arcs read "u", "U", "Ụ", "ũ" and "6"s into strokes read "B", "lạ", "lại", "h" -- while
every number model read nothing: about 40 printed numbers lost (flagged, unparseable).  Such a
cell -- a short text with no digit from one short line, no confident word, no roman numeral --
is now unsure, as a number read unsure is: cut again at the second look's raised contrast, each of
those cells read as its digit at 90-96.  The second reading stands at most
``second_look_confidence`` sure (flagged unless a rule bears it out).  Drawn here: "0"s and "6"s
whose upper strokes faded on grey paper, read with real tesseract; the policy with a scripted
engine."""

from __future__ import annotations

import numpy as np
import pytest
from test_second_look import PAPER, _again, grey_table

from extract.model import CellKind, PreparedPage
from extract.ocr.engine import OcrEngine
from extract.ocr.reader import load_ocr_settings, read_table

ROWS = [["0", "6", "0"], ["6", "0", "6"]]
TRUTH = ["0", "6", "0", "6", "0", "6"]


def _worn(dpi: int, faded_under: float, share: float) -> tuple[PreparedPage, object]:
    """ROWS on grey paper with grain; the upper ``share`` of every digit's strokes is
    ``faded_under`` grey levels under the paper at most (a "0" keeps two arcs, a "6" its bowl)."""
    t, dark, gray = grey_table(ROWS, dpi)
    for cell in t.grid.cells:
        b = cell.box
        inner = dark[b.y0 + 4 : b.y1 - 4, b.x0 + 4 : b.x1 - 4]
        rows = np.nonzero((inner > 0.3).any(axis=1))[0]
        top, bottom = b.y0 + 4 + int(rows.min()), b.y0 + 4 + int(rows.max()) + 1
        cut = top + int(share * (bottom - top))
        d = dark[top:cut, b.x0 + 4 : b.x1 - 4]
        region = gray[top:cut, b.x0 + 4 : b.x1 - 4]
        gray[top:cut, b.x0 + 4 : b.x1 - 4] = np.where(d > 0.05, PAPER - d * faded_under, region)
    gray += np.random.default_rng(0).normal(0.0, 1.5, gray.shape)
    gray = np.clip(gray, 0, 255).astype(np.uint8)
    page = PreparedPage(gray=gray, binary=np.where(gray < 150, 255, 0).astype(np.uint8), dpi=float(dpi))
    return page, t


def test_worn_zeros_and_sixes_are_read_right_and_unsure(engine: OcrEngine) -> None:
    on = load_ocr_settings()
    assert on.second_look_letters
    off = on.model_copy(update={"second_look_letters": False})
    right_off = right_on = letters_off = 0
    for dpi, faded_under, share in (
        (200, 56, 0.3),
        (200, 60, 0.3),
        (250, 56, 0.3),
        (250, 56, 0.45),
        (300, 56, 0.45),
    ):
        page, t = _worn(dpi, faded_under, share)
        before = read_table(page, t.grid, t.line_mask, engine, off, page_index=0, table_index=0).cells
        after = read_table(page, t.grid, t.line_mask, engine, on, page_index=0, table_index=0).cells
        for a, b, printed in zip(before, after, TRUTH, strict=True):
            right_off += a.text == printed
            right_on += b.text == printed
            letters_off += a.kind is CellKind.TEXT
            if a.kind is not CellKind.TEXT:
                assert (b.text, b.confidence) == (a.text, a.confidence)  # only letters are new
            elif b.text != a.text:
                assert b.text == printed  # never another wrong number
                assert b.kind is CellKind.NUMBER and b.confidence <= on.second_look_confidence
    # the mechanism: without it a third of the cells are letters ("U", "lạ", "LJ")
    assert letters_off >= 10
    assert right_on >= right_off + 10


@pytest.mark.parametrize(
    ("first", "read_again"),
    [
        (("u", 91.0), True),  # a worn 0
        (("lạ", 83.0), True),  # a worn 6
        (("B", 69.0), True),
        (("II", 60.0), False),  # a roman STT: might become "11"
        (("x", 90.0), False),  # a mark
        (("Có", 95.0), False),  # a confident word
        (("Xã An", 60.0), False),  # longer than short_text_max
    ],
)
def test_which_letters_are_read_again(first: tuple[str, float], read_again: bool) -> None:
    out, read, _ = _again([("0", 96.0)], (*first, CellKind.TEXT), second_look_letters=True)
    if read_again:
        assert (out.kind, out.text, out.confidence) == (CellKind.NUMBER, "0", 50.0)
    else:
        assert out == read


def test_the_setting_off_keeps_the_letters() -> None:
    out, read, engine = _again([("0", 96.0)], ("u", 91.0, CellKind.TEXT), second_look_letters=False)
    assert out == read and engine.calls == 0


def test_a_second_reading_of_letters_stays_letters() -> None:
    out, read, _ = _again([("STT", 96.0)], ("STT", 70.0, CellKind.TEXT), second_look_letters=True)
    assert out == read
