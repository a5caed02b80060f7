"""A cell not read as a plain number is read again from its own digits (reader._number_run_look).

On the dev hard and fax scans a copier's speck beside, above or after a number is kept by the
cut as punctuation or a diacritic and read with it: "5-" for 5, "0," for 0, ".19" for 19,
": 2,591" for 2.591, "'L.829" for 1.829 -- flagged, the number lost.  Cut again with only its
letters and the marks a written number holds (a point between digits, a leading minus), and
read by every number model, two readings agreeing at 80 give the number, at most 50 sure (flagged
unless a rule of the form bears it out).  A cell under a round seal is also cut with the seal's
lighter ink painted out (:func:`extract.ocr.cells.without_light_ink`): "bốn" for 3.049, "4-620"
for 4.620, "" for 7 on the dev hard 300-dpi scans.  Drawn here: digits with specks, digits under
a ring of lighter ink (real tesseract); the cut itself; the policy with a scripted engine.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from ocr_synth import render_table
from test_reader import ScriptedEngine

from extract.model import Candidate, CellKind, CellRead, TableGrid
from extract.ocr.cells import cut_cell, without_light_ink
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import _cut, _number_run_look, load_ocr_settings, read_table
from extract.units import mm_to_px

PAPER, INK, SEAL = 210.0, 95.0, 150.0  # grey levels of the dev hard scans' paper, print and seal
LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def _grey(gray: np.ndarray) -> np.ndarray:
    """A rendered page (black on white) as the hard scans print it: ``INK`` on ``PAPER``."""
    dark = (255.0 - gray.astype(np.float64)) / 255.0
    return PAPER - dark * (PAPER - INK)


def _digit_box(gray: np.ndarray, box) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """(x0, y0, x1, y1) of the ink inside cell ``box`` (its rules left out), page pixels."""
    inner = gray[box.y0 + 4 : box.y1 - 4, box.x0 + 4 : box.x1 - 4] < 128
    ys, xs = np.nonzero(inner)
    return (
        box.x0 + 4 + int(xs.min()),
        box.y0 + 4 + int(ys.min()),
        box.x0 + 5 + int(xs.max()),
        box.y0 + 5 + int(ys.max()),
    )


def _specked(rows: list[list[str]], where: list[list[str]], dpi: int):  # type: ignore[no-untyped-def]
    """``rows`` drawn with a speck (0.45 mm across) in each cell: "right" of the digits at their
    middle height or "high" there, "above" the first digit, "low" right after the last digit on
    its foot."""
    t = render_table(rows, dpi, number_font=LIBERATION, text_font=LIBERATION, font_pt=11)
    gray = t.page.gray.copy()
    r = max(2, round(mm_to_px(0.22, dpi)))
    gap = round(mm_to_px(0.3, dpi))
    for cell in t.grid.cells:
        x0, y0, x1, y1 = _digit_box(t.page.gray, cell.box)
        kind = where[cell.row][cell.col]
        centre = {
            "right": (x1 + gap + r, (y0 + y1) // 2),
            "high": (x1 + gap + r, y0 + r),
            "above": (x0 + 2, y0 - gap - r),
            "low": (x1 + gap + r, y1 - r),
        }[kind]
        cv2.circle(gray, centre, r, 0, -1)
    return t, gray


def test_the_settings_are_in_pipeline_yaml() -> None:
    configured = load_ocr_settings()
    assert configured.number_run_look is True
    assert configured.seal_look_gains == [0.75, 0.85]  # on again, never the grid's first column (digits23)
    assert configured.second_look_confidence == 50.0 and configured.second_look_min_confidence == 80.0


@pytest.mark.parametrize("dpi", [200, 300])
def test_the_number_run_cut_paints_out_specks_beside_the_digits(dpi: int) -> None:
    t, gray = _specked([["5", "17", "283"]], [["right", "above", "low"]], dpi)
    for cell in t.grid.cells:
        kw = {"inset_px": 1, "dpi": float(dpi), "border_px": 4}
        plain, info = cut_cell(gray, cell.box, t.line_mask, **kw)
        run, _ = cut_cell(gray, cell.box, t.line_mask, number_run=True, **kw)
        assert info.lines == 1
        # the speck was kept by the first cut (as punctuation or an accent), not by the second
        assert run.shape[0] * run.shape[1] < plain.shape[0] * plain.shape[1]
        assert (run < 128).sum() < (plain < 128).sum()


@pytest.mark.parametrize("text", ["7.525", "-3", "12.655", "-27"])
def test_the_number_run_cut_keeps_a_numbers_own_marks(text: str) -> None:
    t = render_table([[text]], 300, number_font=LIBERATION, text_font=LIBERATION, font_pt=11)
    (cell,) = t.grid.cells
    kw = {"inset_px": 1, "dpi": 300.0, "border_px": 4}
    plain, _ = cut_cell(t.page.gray, cell.box, t.line_mask, **kw)
    run, _ = cut_cell(t.page.gray, cell.box, t.line_mask, number_run=True, **kw)
    assert np.array_equal(plain, run)  # the point between digits, the minus before them


def test_specked_numbers_are_read_right_and_unsure(engine: OcrEngine) -> None:
    """A speck right of the digits at their middle height is read as a dash ("19-", "0-", "6-")
    or takes the digit with it ("1" for 5); cut away, the number is read."""
    configured = load_ocr_settings()
    off = configured.model_copy(update={"number_run_look": False})
    rows = [["5", "19", "0", "27"], ["3", "18", "6", "41"]]
    right_off = right_on = 0
    for dpi in (200, 250, 300):
        t, gray = _specked(rows, [["right"] * 4] * 2, dpi)
        page = t.page.__class__(
            gray=np.clip(_grey(gray), 0, 255).astype(np.uint8), binary=t.page.binary, dpi=float(dpi)
        )
        before = read_table(page, t.grid, t.line_mask, engine, off, page_index=0, table_index=0).cells
        after = read_table(page, t.grid, t.line_mask, engine, configured, page_index=0, table_index=0).cells
        for a, b in zip(before, after, strict=True):
            printed = rows[a.cell.row][a.cell.col]
            right_off += a.text == printed
            right_on += b.text == printed
            if b.text != a.text:  # a changed cell: the printed number, unsure, the first readings kept
                assert b.text == printed and b.kind is CellKind.NUMBER
                assert b.confidence <= configured.second_look_confidence
                assert {c.text for c in a.candidates} <= {c.text for c in b.candidates}
    # without the look 13 of the 24 cells were read right, with it 9 more (real tesseract 5.3)
    assert right_on >= right_off + 6


def _sealed(rows: list[list[str]], dpi: int, *, clear: int = 0):  # type: ignore[no-untyped-def]
    """``rows`` in print-grey under a seal's ring (``SEAL`` grey, 0.6 mm strokes, and its hatching)
    that crosses the cells; the grid marks every cell under the seal but those of the first
    ``clear`` rows (whose readings tell the number columns: reader.number_columns)."""
    t = render_table(
        rows, dpi, number_font=LIBERATION, text_font=LIBERATION, font_pt=11, col_mm=[25.0] * len(rows[0])
    )
    gray = _grey(t.page.gray)
    seal = np.zeros(gray.shape, np.uint8)
    b = t.grid.box
    centre = (b.x0 + (b.x1 - b.x0) // 2, b.y1 + round(mm_to_px(4, dpi)))
    radius = round(mm_to_px(20, dpi))
    cv2.circle(seal, centre, radius, 255, round(mm_to_px(0.6, dpi)))
    cv2.circle(seal, centre, round(radius * 0.8), 255, round(mm_to_px(0.4, dpi)))
    for k in range(0, 360, 9):
        a = np.deg2rad(k)
        p0 = (int(centre[0] + 0.82 * radius * np.cos(a)), int(centre[1] + 0.82 * radius * np.sin(a)))
        p1 = (int(centre[0] + 0.97 * radius * np.cos(a)), int(centre[1] + 0.97 * radius * np.sin(a)))
        cv2.line(seal, p0, p1, 255, round(mm_to_px(0.3, dpi)))
    gray = np.where(seal > 0, np.minimum(gray, SEAL), gray)
    gray = np.clip(gray + np.random.default_rng(1).normal(0.0, 1.5, gray.shape), 0, 255).astype(np.uint8)
    page = t.page.__class__(gray=gray, binary=t.page.binary, dpi=float(dpi))
    grid = TableGrid(
        box=t.grid.box,
        row_edges=t.grid.row_edges,
        col_edges=t.grid.col_edges,
        cells=t.grid.cells,
        under_seal=tuple((c.row, c.col) for c in t.grid.cells if c.row >= clear),
    )
    return page, grid, t.line_mask


def test_the_seals_lighter_ink_is_painted_out() -> None:
    gray = np.full((60, 80), PAPER, np.float64)
    gray[20:40, 30:34] = INK  # a digit's stem
    cv2.circle(gray, (40, 30), 25, SEAL, 3)  # a seal's ring across it
    out = without_light_ink(gray.astype(np.uint8), 0.75)
    assert (out[20:40, 30:34] < 128).all()  # the stem stays as it was
    ring = np.zeros(gray.shape, np.uint8)
    cv2.circle(ring, (40, 30), 25, 255, 3)
    ring[18:42, 28:36] = 0
    assert (out[ring > 0] >= PAPER - 2).all()  # the ring is paper


def test_numbers_under_a_seal_are_read_right_and_unsure(engine: OcrEngine) -> None:
    configured = load_ocr_settings()
    off = configured.model_copy(update={"number_run_look": False})
    rows = [["12", "35", "204", "61"], ["23", "7", "681", "48"], ["3", "47", "0", "16"]]
    right_off = right_on = changed = 0
    for dpi in (200, 300):
        page, grid, mask = _sealed(rows, dpi, clear=1)  # the first row: no seal over it
        before = read_table(page, grid, mask, engine, off, page_index=0, table_index=0).cells
        after = read_table(page, grid, mask, engine, configured, page_index=0, table_index=0).cells
        for a, b in zip(before, after, strict=True):
            printed = rows[a.cell.row][a.cell.col]
            right_off += a.text == printed
            right_on += b.text == printed
            if b.text != a.text:
                changed += 1
                assert b.text == printed and b.confidence <= configured.second_look_confidence
    assert changed >= 2 and right_on == right_off + changed


# --------------------------------------------------------------------------------------------
# the policy, with a scripted engine


def _look(script: list[tuple[str, float]], first: tuple[str, float, CellKind], *, speck: bool = True, **kw):  # type: ignore[no-untyped-def]
    settings = OcrSettings(**{"number_run_look": True, **kw})
    engine = ScriptedEngine(script)
    t, gray = _specked([["5"]], [["right"]], 300)
    if not speck:
        gray = t.page.gray
    (cell,) = t.grid.cells
    job = _cut(gray, 300.0, cell, t.line_mask, engine, settings)
    read = CellRead(
        cell=cell,
        text=first[0],
        confidence=first[1],
        kind=first[2],
        candidates=(Candidate(first[0], first[1], "number"),),
    )
    calls = engine.calls
    out = _number_run_look(gray, job, t.line_mask, read)
    return out, read, engine.calls - calls


def test_two_agreeing_sure_readings_give_the_number_unsure() -> None:
    out, read, calls = _look([("5", 96.0)], ("5-", 33.0, CellKind.NUMBER))
    assert (out.kind, out.text, out.confidence) == (CellKind.NUMBER, "5", 50.0)
    assert calls >= 2 and all(c in out.candidates for c in read.candidates)
    out, _, _ = _look([("45", 96.0)], ("4", 26.0, CellKind.NUMBER))  # a digit lost to the speck
    assert (out.text, out.confidence) == ("45", 50.0)
    out, _, _ = _look([("5", 96.0)], ("5,", 94.0, CellKind.NUMBER))  # sure, but not a number's shape
    assert (out.text, out.confidence) == ("5", 50.0)
    out, _, _ = _look([("5", 96.0)], ("É", 80.0, CellKind.TEXT))
    assert (out.text, out.confidence) == ("5", 50.0)
    out, _, _ = _look([("5", 96.0)], ("", 0.0, CellKind.EMPTY))
    assert (out.text, out.confidence) == ("5", 50.0)


@pytest.mark.parametrize(
    ("script", "first", "kw"),
    [
        ([("5", 96.0)], ("5", 96.0, CellKind.NUMBER), {}),  # a sure plain reading is never read again
        ([("5", 96.0)], ("25", 76.0, CellKind.NUMBER), {}),  # fewer digits than the first reading
        ([("5", 96.0)], ("4", 6.0, CellKind.NUMBER), {}),  # a number read unsure: only more digits
        ([("15", 96.0)], ("45", 60.0, CellKind.NUMBER), {}),  # ... holding all of the first's
        ([("1", 96.0)], ("\\ẨÄ4 Y", 21.0, CellKind.TEXT), {}),  # a digit the first read is lost
        ([("5", 96.0)], ("5.", 96.0, CellKind.NUMBER), {}),  # a trailing point reads as the number
        ([("5", 96.0), ("", 0.0)], ("5-", 33.0, CellKind.NUMBER), {}),  # one sure reading alone
        ([("5", 96.0), ("6", 90.0), ("5", 96.0)], ("5-", 33.0, CellKind.NUMBER), {}),  # a sure dissent
        ([("5 5", 96.0)], ("5-", 33.0, CellKind.NUMBER), {}),  # two numbers: no plain reading
        ([("5", 70.0)], ("5-", 33.0, CellKind.NUMBER), {}),  # unsure readings
        ([("11", 96.0)], ("II", 60.0, CellKind.TEXT), {}),  # a roman STT
        ([("5", 96.0)], ("Phường", 95.0, CellKind.TEXT), {}),  # words
        ([("5", 96.0)], ("(5)", 60.0, CellKind.TEXT), {}),  # a column-number heading
        ([("5", 96.0)], ("5-", 33.0, CellKind.NUMBER), {"number_run_look": False}),  # off
    ],
)
def test_what_keeps_the_first_reading(script, first, kw) -> None:  # type: ignore[no-untyped-def]
    out, read, _ = _look(script, first, **kw)
    assert out == read


def test_a_crop_the_number_run_cut_does_not_change_is_not_read_again() -> None:
    out, read, calls = _look([("5", 96.0)], ("5-", 33.0, CellKind.NUMBER), speck=False)
    assert out == read and calls == 0
