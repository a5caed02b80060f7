"""A cell read unsure is read again at a raised contrast (extract.ocr.reader._second_look).

On the fresh dev hard scans (dev indexes 200-219) worn toner left parts of digits under the ink
threshold: a "4" whose bar and diagonal faded read "1" (at 19-50), "353" read "153", "31" read
"3", "12" read "2", "L7" for 17.  The same cell cut again with its depth under the paper raised
1.5 times was read as the printed number, sure, in 31 of the cells read unsure where the second
reading was one plain number at least 80 sure and another text -- and wrong in none.  Such a
reading stands at most ``second_look_confidence`` sure (flagged unless a rule of the form bears it
out), the first reading kept among its candidates.  Drawn here: "4"s whose strokes left of the stem
faded on grey paper, read with real tesseract; the policy itself with a scripted engine.
"""

from __future__ import annotations

import numpy as np
import pytest
from ocr_synth import render_table
from test_reader import ScriptedEngine

from extract.model import CellKind, CellRead, PreparedPage
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import _cut, _second_look, load_ocr_settings, read_table

MIN_CONFIDENCE = 80.0  # validate.min_confidence: a value no rule covers is READ at or above it
LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
PAPER, INK = 208.0, 125.0  # the dev hard scans' paper and ink (grey levels)
ROWS = [["4", "40", "14"], ["43", "24", "4"]]
TRUTH = ["4", "40", "14", "43", "24", "4"]


def grey_table(rows: list[list[str]], dpi: int):  # type: ignore[no-untyped-def]
    """``rows`` drawn in Liberation Serif 11 pt, as the dev hard scans print them: the table, each
    pixel's darkness (0 paper .. 1 ink) and the page's grey levels (ink ``INK`` on ``PAPER``, the
    rules darker)."""
    t = render_table(rows, dpi, number_font=LIBERATION, text_font=LIBERATION, font_pt=11)
    dark = (255.0 - t.page.gray.astype(np.float64)) / 255.0
    gray = PAPER - dark * (PAPER - INK)
    rules = t.line_mask > 0
    gray[rules] = PAPER - dark[rules] * (PAPER - 60.0)
    return t, dark, gray


def _worn_fours(dpi: int, faded_under: float) -> tuple[PreparedPage, object]:
    """``ROWS`` on grey paper with grain; in every "4" the strokes left of its stem (the left 55% of
    the digit's width: bar and diagonal) are ``faded_under`` grey levels under the paper at most."""
    t, dark, gray = grey_table(ROWS, dpi)
    for cell in t.grid.cells:
        b, text = cell.box, ROWS[cell.row][cell.col]
        inner = dark[b.y0 + 4 : b.y1 - 4, b.x0 + 4 : b.x1 - 4]
        cols = np.nonzero((inner > 0.3).any(axis=0))[0]
        x0, width = int(cols.min()), (int(cols.max()) + 1 - int(cols.min())) / len(text)
        for k, ch in enumerate(text):
            if ch != "4":
                continue
            a, z = b.x0 + 4 + int(x0 + k * width), b.x0 + 4 + int(x0 + (k + 0.55) * width)
            d = dark[b.y0 + 4 : b.y1 - 4, a:z]
            region = gray[b.y0 + 4 : b.y1 - 4, a:z]
            gray[b.y0 + 4 : b.y1 - 4, a:z] = np.where(d > 0.05, PAPER - d * faded_under, region)
    gray += np.random.default_rng(0).normal(0.0, 1.5, gray.shape)
    gray = np.clip(gray, 0, 255).astype(np.uint8)
    page = PreparedPage(gray=gray, binary=np.where(gray < 150, 255, 0).astype(np.uint8), dpi=float(dpi))
    return page, t


@pytest.fixture(scope="module")
def configured() -> OcrSettings:
    return load_ocr_settings()


def test_the_settings_are_in_pipeline_yaml(configured: OcrSettings) -> None:
    assert configured.second_look_gain == 1.5
    assert configured.second_look_below == configured.second_look_min_confidence == MIN_CONFIDENCE
    assert configured.second_look_confidence == 50.0
    assert configured.second_look_min_ink_growth == 1.25


def test_worn_fours_are_read_right_and_unsure(engine: OcrEngine, configured: OcrSettings) -> None:
    off = configured.model_copy(update={"second_look_gain": None})
    right_off = right_on = 0
    for dpi, faded_under in ((200, 36.0), (250, 36.0), (250, 42.0)):
        page, t = _worn_fours(dpi, faded_under)
        before = read_table(page, t.grid, t.line_mask, engine, off, page_index=0, table_index=0).cells
        after = read_table(page, t.grid, t.line_mask, engine, configured, page_index=0, table_index=0).cells
        for a, b, printed in zip(before, after, TRUTH, strict=True):
            right_off += a.text == printed
            right_on += b.text == printed
            if a.kind is CellKind.NUMBER and a.confidence >= MIN_CONFIDENCE:
                assert (b.text, b.confidence) == (a.text, a.confidence)  # a sure reading is never read again
            elif b.text != a.text:  # the second reading: unsure, the first one kept as a candidate
                assert b.kind is CellKind.NUMBER and b.confidence <= configured.second_look_confidence
                assert {c.text for c in a.candidates} <= {c.text for c in b.candidates}
    # without the second look at most 2 of the 18 printed numbers are read right; with it 5 more
    assert right_off <= 2 and right_on >= right_off + 5


def _job(engine: OcrEngine, settings: OcrSettings, text: str = "4"):  # type: ignore[no-untyped-def]
    t = render_table([[text]], 300, number_font=LIBERATION, text_font=LIBERATION, font_pt=11)
    (cell,) = t.grid.cells
    return t, _cut(t.page.gray, 300.0, cell, t.line_mask, engine, settings)


def _first(job, text: str, confidence: float, kind: CellKind = CellKind.NUMBER) -> CellRead:  # type: ignore[no-untyped-def]
    return CellRead(cell=job.cell, text=text, confidence=confidence, kind=kind)


def _again(
    script: list[tuple[str, float]], first: tuple[str, float, CellKind], *, bilevel: bool = False, **kw
):  # type: ignore[no-untyped-def]
    settings = OcrSettings(second_look_gain=1.5, **kw)
    engine = ScriptedEngine(script)
    t, job = _job(engine, settings)
    read = _first(job, *first)
    return _second_look(t.page.gray, job, t.line_mask, bilevel, read), read, engine


def test_an_unsure_number_takes_a_sure_plain_second_reading_unsure() -> None:
    out, _, engine = _again([("4", 96.0)], ("1", 19.0, CellKind.NUMBER))
    assert (out.kind, out.text, out.confidence) == (CellKind.NUMBER, "4", 50.0)
    assert engine.calls >= 1 and out.candidates


def test_the_first_readings_candidates_are_kept() -> None:
    from extract.model import Candidate

    settings = OcrSettings(second_look_gain=1.5)
    engine = ScriptedEngine([("353", 95.0)])
    t, job = _job(engine, settings, "353")
    first = CellRead(
        cell=job.cell,
        text="153",
        confidence=37.0,
        kind=CellKind.NUMBER,
        candidates=(Candidate("153", 40.0, "number"), Candidate("353", 30.0, "num_viet")),
    )
    out = _second_look(t.page.gray, job, t.line_mask, False, first)
    assert (out.text, out.confidence) == ("353", 50.0)
    assert [c.text for c in out.candidates][-2:] == ["153", "353"]
    assert all(c in out.candidates for c in first.candidates)


@pytest.mark.parametrize(
    ("script", "first"),
    [
        ([("4", 96.0)], ("1", 90.0, CellKind.NUMBER)),  # a sure first reading is never read again
        ([("4", 70.0)], ("1", 19.0, CellKind.NUMBER)),  # the second reading is unsure too
        ([("4 4", 96.0)], ("1", 19.0, CellKind.NUMBER)),  # two numbers: no plain reading
        ([("1", 96.0)], ("1", 19.0, CellKind.NUMBER)),  # the same text: the first reading stands
        ([("3", 96.0)], ("(3)", 60.0, CellKind.TEXT)),  # a column-number heading keeps its brackets
        ([("11", 96.0)], ("II", 60.0, CellKind.TEXT)),  # a roman STT, no digit: never read again
        ([("4", 96.0)], ("Phường 4", 95.0, CellKind.TEXT)),  # words
        ([("", 0.0)], ("1", 19.0, CellKind.NUMBER)),  # nothing read the second time
    ],
)
def test_what_keeps_the_first_reading(script, first) -> None:  # type: ignore[no-untyped-def]
    out, read, _ = _again(script, first)
    assert out == read


def test_a_text_with_a_digit_and_unread_ink_are_read_again() -> None:
    out, _, _ = _again([("17", 96.0)], ("L7", 95.0, CellKind.TEXT))
    assert (out.kind, out.text, out.confidence) == (CellKind.NUMBER, "17", 50.0)
    out, _, _ = _again([("4", 96.0)], ("", 0.0, CellKind.EMPTY))
    assert (out.kind, out.text, out.confidence) == (CellKind.NUMBER, "4", 50.0)


def test_off_and_one_bit_scans_are_never_read_again() -> None:
    out, read, engine = _again([("4", 96.0)], ("1", 19.0, CellKind.NUMBER), bilevel=True)
    assert out == read and engine.calls == 0
    settings = OcrSettings(second_look_gain=None)
    engine = ScriptedEngine([("4", 96.0)])
    t, job = _job(engine, settings)
    read = _first(job, "1", 19.0)
    assert _second_look(t.page.gray, job, t.line_mask, False, read) == read and engine.calls == 0


def test_a_cell_whose_ink_does_not_grow_is_not_read_again() -> None:
    """A printed digit with nothing faded grows by its strokes' grey edges only (a mild 300-dpi
    document's cells: 1.02-1.17 times): read again, it would be read the same, for nothing."""
    settings = OcrSettings(second_look_gain=1.5, second_look_min_ink_growth=1.25)
    engine = ScriptedEngine([("4", 96.0)])
    t, job = _job(engine, settings)
    read = _first(job, "1", 19.0)
    assert _second_look(t.page.gray, job, t.line_mask, False, read) == read and engine.calls == 0
    # the same cell with the gate open is read again
    job = job.__class__(**{**job.__dict__, "settings": OcrSettings(second_look_gain=1.5)})
    assert _second_look(t.page.gray, job, t.line_mask, False, read).text == "4"
