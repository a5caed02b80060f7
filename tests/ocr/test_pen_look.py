"""A pen stroke through printed digits, found by its shape and painted out (extract.ocr.pen_strokes,
reader._pen_looks).

On the dev hard 200-dpi scans a signature drawn over a table's last rows crosses the digits with a
long smooth grey line as dark as the print: "11.950" read "b_" at 8, "11.722" read "Sun", a
column's "6" read "bạ, ni" -- flagged, the number lost.  The stroke is found in the cell and round
it as the chain of pixel columns holding one short run only, followed through the digits it
crosses, painted out; the cell read again by the number models gives the number, at most
``ocr.second_look_confidence`` sure (flagged unless a rule of the form bears it out).  Drawn here:
numbers crossed by a stroke (real tesseract), numbers with no stroke (nothing found), the policy.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from ocr_synth import render_table

from extract.model import Candidate, CellKind, CellRead, GridCell, PixelBox, PreparedPage
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.pen_strokes import PenLookSettings, stroke_mask
from extract.ocr.reader import _accounts_for, _most_agreed, _pen_unsure, load_ocr_settings, read_table
from extract.units import mm_to_px

PAPER, INK, PEN = 210.0, 95.0, 110.0  # grey levels of the dev hard scans' paper, print and pen
LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
ROWS = [
    ["Xã An Bình", "12", "35", "204"],
    ["Xã Tân Lập", "1.945", "71", "2.549"],
    ["Xã Hòa", "3", "47", "16"],
]


def _stroke(shape: tuple[int, int], dpi: float, x0: int, x1: int, y_mid: float, amp: float) -> np.ndarray:
    """A signature's line (as the generator draws it: a smooth curve, 0.45 mm, anti-aliased) from
    ``x0`` to ``x1`` round row ``y_mid``, ``amp`` pixels up and down."""
    xs = np.linspace(x0, x1, 60)
    ys = y_mid + amp * np.sin(np.linspace(0, 9, 60))
    layer = np.zeros(shape, np.float32)
    pts = np.stack([xs, ys], axis=1).astype(np.int32)
    cv2.polylines(layer, [pts], False, 1.0, max(1, round(mm_to_px(0.45, dpi))), cv2.LINE_AA)
    return layer


def _signed(dpi: int, *, pen: bool = True):  # type: ignore[no-untyped-def]
    t = render_table(
        ROWS, dpi, number_font=LIBERATION, text_font=LIBERATION, font_pt=11, col_mm=[35, 22, 22, 22]
    )
    dark = (255.0 - t.page.gray.astype(np.float64)) / 255.0
    row = t.grid.row_edges
    cols = t.grid.col_edges
    layer = _stroke(dark.shape, dpi, cols[1] + 5, cols[-1] - 5, (row[1] + row[2]) / 2, (row[2] - row[1]) / 3)
    gray = PAPER - dark * (PAPER - INK)
    if pen:
        gray = np.minimum(gray, PAPER - layer * (PAPER - PEN))
    gray = gray.astype(np.uint8)
    page = PreparedPage(gray=gray, binary=np.where(gray < 160, 0, 255).astype(np.uint8), dpi=float(dpi))
    return page, t.grid, t.line_mask, layer


def test_the_settings_are_in_pipeline_yaml() -> None:
    look = load_ocr_settings().pen_look
    assert look.enabled and look.width_mm == 0.45 and look.min_span_mm == 6.0
    assert not OcrSettings().pen_look.enabled  # off unless configured
    with pytest.raises(ValueError):
        PenLookSettings(number_share=2.0)


@pytest.mark.parametrize("dpi", [200, 300])
def test_the_stroke_is_found_and_the_digits_are_not(dpi: int) -> None:
    page, grid, mask, layer = _signed(dpi)
    found = stroke_mask(page.gray, mask > 0, float(dpi), PenLookSettings(enabled=True))
    stroke = layer > 0.5
    assert (found & stroke).sum() >= 0.8 * stroke.sum()  # most of the line
    digits = (page.gray < 150) & ~stroke & (mask == 0)
    assert (found & digits).sum() <= 0.15 * digits.sum()  # the digits' ink only where it crosses them
    clean, _, clean_mask, _ = _signed(dpi, pen=False)
    assert not stroke_mask(clean.gray, clean_mask > 0, float(dpi), PenLookSettings(enabled=True)).any()


def test_numbers_crossed_by_a_stroke_are_read_right_and_unsure(engine: OcrEngine) -> None:
    configured = load_ocr_settings()
    off = configured.model_copy(
        update={"pen_look": configured.pen_look.model_copy(update={"enabled": False})}
    )
    changed = 0
    for dpi in (200, 300):
        page, grid, mask, _ = _signed(dpi)
        before = read_table(page, grid, mask, engine, off, page_index=0, table_index=0).cells
        after = read_table(page, grid, mask, engine, configured, page_index=0, table_index=0).cells
        for a, b in zip(before, after, strict=True):
            if b.text != a.text:
                changed += 1
                assert b.text == ROWS[a.cell.row][a.cell.col]
                assert b.confidence <= configured.second_look_confidence
                assert a.cell.col > 0  # never the label column
    assert changed >= 2


def test_the_look_stands_on_a_majority_of_sure_readings() -> None:
    def c(text: str, conf: float) -> Candidate:
        return Candidate(text, conf, "number")

    assert _most_agreed([c("11.722", 85), c("1.722", 83), c("11.722", 93)], 80) == "11.722"
    assert _most_agreed([c("11.722", 85), c("1.722", 83)], 80) is None  # a tie
    assert _most_agreed([c("71", 85), c("71", 60)], 80) is None  # one sure reading
    assert _most_agreed([c("7 1", 85), c("7 1", 90)], 80) is None  # two numbers
    assert _most_agreed([c("Le", 85), c("Le", 90)], 80) is None  # no number


@pytest.mark.parametrize(
    ("text", "confidence", "kind", "unsure"),
    [
        ("Le.", 40.0, CellKind.TEXT, True),  # "71" under the stroke
        ("` nbg", 30.0, CellKind.TEXT, True),  # "2.549"
        ("12", 60.0, CellKind.NUMBER, True),  # a number read unsure
        ("", 0.0, CellKind.EMPTY, True),  # ink nothing was read from
        ("12", 95.0, CellKind.NUMBER, False),  # a sure number
        ("II", 40.0, CellKind.TEXT, False),  # a roman STT: "11" would re-key the rows
        ("(3)", 40.0, CellKind.TEXT, False),  # a column-number heading
        ("Có", 96.0, CellKind.TEXT, False),  # a confident word
        ("", 100.0, CellKind.EMPTY, False),  # a blank
    ],
)
def test_which_cells_are_looked_at(text: str, confidence: float, kind: CellKind, unsure: bool) -> None:
    cell = GridCell(row=0, col=1, row_span=1, col_span=1, box=PixelBox(0, 0, 100, 40))
    read = CellRead(cell=cell, text=text, confidence=confidence, kind=kind)
    assert _pen_unsure(read, load_ocr_settings()) is unsure


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_stroke_crossing_a_rule_is_found_as_one(dpi: int) -> None:
    """A signature's line crossing a ruling line is two blobs once the rule is taken out, each
    shorter than a stroke (``min_span_mm``): on the dev hard 200-dpi pages its piece in a cell
    ("19" read "NI xz", "6" read "Tử") was left in the crop.  Taken as one blob across the rule
    (``across_rules``), both pieces are found; the rule only where the stroke crosses it."""
    px = mm_to_px(1.0, dpi)
    shape = (round(14 * px), round(12 * px))
    paper = np.full(shape, PAPER, np.float64)
    rules = np.zeros(shape, bool)
    rule_y = shape[0] // 2
    rules[rule_y - 1 : rule_y + 2, :] = True  # a horizontal rule, 3 px
    x0, x1 = round(1 * px), round(9 * px)  # an 8 mm stroke, 4 mm on each side of the rule
    pts = np.array([[x0, rule_y - round(2.5 * px)], [x1, rule_y + round(2.5 * px)]], np.int32)
    layer = np.zeros(shape, np.float32)
    cv2.polylines(layer, [pts], False, 1.0, max(1, round(mm_to_px(0.45, dpi))), cv2.LINE_AA)
    gray = np.minimum(paper, PAPER - layer * (PAPER - PEN))
    gray[rules] = INK
    gray = gray.astype(np.uint8)
    stroke = (layer > 0.5) & ~rules
    apart = PenLookSettings(enabled=True, min_span_mm=6.0)
    joined = apart.model_copy(update={"across_rules": True})
    assert not stroke_mask(gray, rules, float(dpi), apart).any()  # each piece alone is too short
    found = stroke_mask(gray, rules, float(dpi), joined)
    assert (found & stroke).sum() >= 0.7 * stroke.sum()
    on_rule = np.flatnonzero((found & rules).any(axis=0))  # the rule only where the stroke crosses it
    assert on_rule.size == 0 or np.abs(on_rule - (x0 + x1) / 2).max() <= 2 * px


def test_the_number_read_again_accounts_for_its_pieces_but_the_strokes_remains() -> None:
    stray = load_ocr_settings().pen_look.stray_pieces
    assert stray == 1
    assert _accounts_for("91", 3, stray)  # "91" and a piece of the stroke beside it
    assert _accounts_for("6", 2, stray)
    assert not _accounts_for("9", 3, stray)  # two pieces more: a digit cut by the paint
    assert not _accounts_for("9", 2, 0)  # none allowed: the "7" of "79" cut in two
