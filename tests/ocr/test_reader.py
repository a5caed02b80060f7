"""Reading tables cell by cell: real tesseract on synthetic scans, fakes that fail on purpose,
text-layer words, and the small pure helpers."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ocr_synth import HARSH, MILD, TEXT_FONT, render_table
from PIL import Image, ImageDraw, ImageFont

from extract.config import settings_section
from extract.errors import ConfigError, OcrTimeout, ToolError
from extract.model import Candidate, CellKind, CellRead, OcrLine, PixelBox, PreparedPage, TextWord
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import (
    _blank,
    _cut,
    _decide,
    _escalate,
    _is_number_cell,
    _maybe_number,
    _number_first,
    _number_readings,
    _read_number_first,
    _settled,
    _text_smoothing,
    looks_numeric,
    read_table,
    read_text_lines,
    vote_number,
    words_to_lines,
)
from tests.repo_data import REALDATA

NUMBERS = [
    "5.697", "91.627", "0", "3", "23", "99,7%", "32/32", "-1", "1.582", "97.851",
    "21.902", "216", "7", "100%", "12/13", "+2", "4.073", "8", "59", "1",
    "6.083", "9.346", "3.368", "8.234", "48", "120", "4.555", "2.041", "1906", "367",
]  # fmt: skip
NAMES = [
    "Xã Nhơn Mỹ", "Thị trấn An Lạc Thôn", "Xã Đại Hải", "Thị trấn Kế Sách", "Xã Thới An Hội",
    "Xã Phong Nẫm", "Xã Kế Thành", "Xã An Lạc Tây", "Xã Ba Trinh", "Xã Trinh Phú",
]  # fmt: skip


def _table(dpi: int, noise, seed: int):
    rows = [[NUMBERS[(r * 3 + c) % len(NUMBERS)] for c in range(3)] + [NAMES[r]] for r in range(10)]
    return render_table(rows, dpi, noise=noise, col_mm=[24, 24, 24, 52], seed=seed, jitter_px=1)


def _score(dpi: int, noise, seeds: tuple[int, ...], engine: OcrEngine, settings: OcrSettings):
    num_ok = num_all = text_ok = text_all = cells = 0
    misses = []
    started = time.perf_counter()
    for seed in seeds:
        table = _table(dpi, noise, seed)
        read = read_table(
            table.page, table.grid, table.line_mask, engine, settings, page_index=0, table_index=0
        )
        assert len(read.cells) == len(table.grid.cells)
        for cell in read.cells:
            truth = table.truth[cell.cell.row][cell.cell.col]
            cells += 1
            if cell.cell.col < 3:
                num_all += 1
                num_ok += cell.text == truth
                assert cell.kind is CellKind.NUMBER or cell.text != truth
            else:
                text_all += 1
                text_ok += cell.text == truth
            if cell.text != truth:
                misses.append((truth, cell.text))
    ms = 1000 * (time.perf_counter() - started) / cells
    return num_ok / num_all, text_ok / text_all, ms, misses


@pytest.mark.parametrize(
    "dpi, noise, min_numbers, min_text",
    [(300, MILD, 0.97, 0.9), (200, MILD, 0.97, 0.9), (150, MILD, 0.93, 0.8), (200, HARSH, 0.9, 0.8)],
    ids=["300-mild", "200-mild", "150-mild", "200-harsh"],
)
def test_exact_match_rates_on_synthetic_scans(
    dpi, noise, min_numbers, min_text, engine, settings, capsys
) -> None:
    numbers, texts, ms, misses = _score(dpi, noise, (dpi, dpi + 1), engine, settings)
    with capsys.disabled():  # the measurement is part of the report
        level = "mild" if noise is MILD else "harsh"
        print(
            f"\n[ocr] {dpi} dpi {level}: numbers {numbers:.1%}, names {texts:.1%}, "
            f"{ms:.0f} ms/cell, misses {misses}"
        )
    assert numbers >= min_numbers, misses
    assert texts >= min_text, misses
    assert ms < 1000  # shared CI cores: a loose bound that still catches a per-cell model reload


def test_number_cells_carry_named_candidates(engine, settings) -> None:
    table = render_table([["5.697", "Xã Nhơn Mỹ", ""]], 200, noise=MILD, col_mm=[24, 52, 24])
    read = read_table(table.page, table.grid, table.line_mask, engine, settings, page_index=3, table_index=1)
    number, name, blank = read.cells
    assert (read.page_index, read.table_index) == (3, 1)
    assert number.kind is CellKind.NUMBER and number.text == "5.697"
    variants = [c.variant for c in number.candidates]
    # the primary reading, then the first variant (another model: self-correction needs two)
    # unless the primary alone is sure (see reader._sure_alone)
    sure = number.candidates[0].confidence >= settings.single_confidence
    assert variants[:2] == (["number"] if sure else ["number", settings.number_variants[0].name])
    assert set(variants) <= {"number", "text", *(v.name for v in settings.number_variants)}
    assert name.kind is CellKind.TEXT and name.text == "Xã Nhơn Mỹ"
    assert blank.kind is CellKind.EMPTY and blank.text == "" and blank.confidence == 100


# --------------------------------------------------------------------------------------------
# fakes


class CountingEngine(OcrEngine):
    """Answers every read with ``answer``; counts calls; may fail or stall on purpose."""

    name = "fake"

    def __init__(
        self, answer: str = "12", *, fail: bool = False, stall_s: float = 0.0, confidence: float = 90.0
    ) -> None:
        super().__init__(call_timeout_s=5)
        self.answer, self.fail, self.stall_s, self.calls = answer, fail, stall_s, 0
        self.confidence, self.modes, self.marks_asked = confidence, [], []

    def read(self, image, dpi, *, mode, lang, psm, whitelist=None) -> Candidate:
        self.call_budget_s()
        self.calls += 1
        if self.fail:
            raise ToolError("fake tesseract crashed")
        time.sleep(self.stall_s)
        self.modes.append(mode)
        return Candidate(text=self.answer, confidence=self.confidence, variant=mode)

    def read_lines(self, image, dpi, lang, *, marks=True) -> list[OcrLine]:
        self.call_budget_s()
        self.calls += 1
        self.marks_asked.append(marks)
        return [OcrLine(text=self.answer, box=PixelBox(0, 0, 10, 10), confidence=90.0)]

    def orientation(self, gray, dpi) -> int:
        return 0


def _read_one(
    text: str, answer: str, confidence: float = 90.0, settings: OcrSettings | None = None
) -> tuple[CellRead, CountingEngine]:
    """A one-cell table printing ``text`` at 200 dpi, read by an engine answering ``answer``."""
    table = render_table([[text]], 200)
    engine = CountingEngine(answer, confidence=confidence)
    (cell,) = read_table(
        table.page,
        table.grid,
        table.line_mask,
        engine,
        settings or OcrSettings(),
        page_index=0,
        table_index=0,
    ).cells
    return cell, engine


def test_blank_cells_are_never_ocrd() -> None:
    table = render_table([["", ""], ["", ""]], 200, noise=MILD)
    engine = CountingEngine()
    read = read_table(
        table.page, table.grid, table.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    )
    assert engine.calls == 0 and all(c.kind is CellKind.EMPTY for c in read.cells)


def test_engine_failure_propagates_as_tool_error() -> None:
    table = render_table([["23"]], 200)
    with pytest.raises(ToolError, match="crashed"):
        read_table(
            table.page,
            table.grid,
            table.line_mask,
            CountingEngine(fail=True),
            OcrSettings(),
            page_index=0,
            table_index=0,
        )


def test_page_time_limit_raises_ocr_timeout() -> None:
    table = render_table([["23", "5"], ["7", "8"]], 200)
    engine = CountingEngine(stall_s=0.05)
    with pytest.raises(OcrTimeout):
        read_table(
            table.page,
            table.grid,
            table.line_mask,
            engine,
            OcrSettings(page_timeout_s=0.12),
            page_index=0,
            table_index=0,
        )
    assert 1 < engine.calls < 8


def test_fake_engine_votes_and_kinds() -> None:
    """A short one-line cell is read as a number first: two confident agreeing readings settle
    it without a text reading."""
    cell, engine = _read_one("23", "23")
    assert cell.kind is CellKind.NUMBER and cell.text == "23" and cell.confidence == 90
    assert engine.modes == ["number", "num_viet"]
    assert [c.variant for c in cell.candidates] == ["number", "num_viet"]


def test_a_sure_plain_number_needs_no_second_model() -> None:
    cell, engine = _read_one("23", "23", 96.0)
    assert engine.modes == ["number"] and cell.text == "23" and len(cell.candidates) == 1
    # ... but a reading with more digits than the crop has glyphs is checked, as is one with two
    # tokens (a cell that merged two columns), and the setting can demand a second model always
    for answer, settings in (
        ("235", OcrSettings()),
        ("2 3", OcrSettings()),
        ("23", OcrSettings(single_confidence=101)),
    ):
        _, engine = _read_one("23", answer, 96.0, settings)
        assert "num_viet" in engine.modes, answer


def test_a_lone_speck_is_an_empty_cell_and_never_ocrd() -> None:
    table = render_table([["", "7"]], 300)
    gray = table.page.gray.copy()
    box = table.grid.cells[0].box
    cy, cx = (box.y0 + box.y1) // 2, (box.x0 + box.x1) // 2
    gray[cy - 3 : cy + 4, cx - 3 : cx + 4] = 30  # a 7x7 px speck (0.6 mm), darker than any ink
    page = PreparedPage(gray=gray, binary=table.page.binary, dpi=300.0)
    engine = CountingEngine("1", confidence=82.0)
    speck, seven = read_table(
        page, table.grid, table.line_mask, engine, OcrSettings(), page_index=0, table_index=0
    ).cells
    assert speck.kind is CellKind.EMPTY and speck.candidates == ()
    assert seven.kind is not CellKind.EMPTY  # a printed digit is no speck


def test_header_word_stt_is_text_even_when_a_number_variant_reads_a_digit() -> None:
    """ "STT" (two or three letter blobs) read as "5" at 0 by the number variants: the text wins."""
    text, number = Candidate("STT", 93.0, "text"), Candidate("5", 0.0, "num_x2")
    assert not _is_number_cell(text, number, 0.0, letters=2)
    assert not _is_number_cell(text, number, 0.0, letters=3)
    # a real look-alike reading backed by a sure number reading stays a number
    assert _is_number_cell(Candidate("S.697", 60.0, "text"), Candidate("5.697", 95.0, "number"), 95.0, 4)
    assert _is_number_cell(Candidate("l", 70.0, "text"), Candidate("1", 90.0, "number"), 90.0, 1)


def test_lookalike_and_spelled_out_thresholds_come_from_the_settings() -> None:
    text, number = Candidate("STT", 93.0, "text"), Candidate("5", 0.0, "num_x2")
    lax = OcrSettings(spelled_out_confidence=100.0, lookalike_min_evidence=0.0)
    assert _is_number_cell(text, number, 0.0, letters=2, settings=lax)
    assert not _is_number_cell(text, number, 0.0, letters=2, settings=OcrSettings())


def test_unsure_number_readings_escalate_to_every_variant_and_the_text_reading() -> None:
    cell, engine = _read_one("23", "23", 50.0)
    variants = [v.name for v in OcrSettings().number_variants]
    assert sorted(engine.modes) == sorted(["number", "text", *variants])
    assert cell.kind is CellKind.NUMBER and cell.text == "23"
    assert [c.variant for c in cell.candidates] == ["number", *variants, "text"]


@pytest.mark.parametrize("answer, cells", [("11", ["II"]), ("6", ["Có"]), ("7", ["x"])])
def test_number_first_keeps_the_text_reading_for_lookalikes(answer: str, cells: list[str]) -> None:
    """Roman "II" read as "11" (only ones) and a word read as fewer digits than it has glyphs
    ("Có" -> "6") are checked with a text reading; "x" is one glyph read as one digit: checked
    only when the readings are unsure, so its fake answer here settles it."""
    _, engine = _read_one(cells[0], answer, 95.0)
    assert ("text" in engine.modes) is (cells != ["x"])


@pytest.mark.parametrize(
    "text, confidence, maybe",
    [
        ("Số 1599/QĐ-UBND ngày 06/7/2018", 95.0, False),  # words with a date: text, no number reads
        ("Có", 91.0, False),  # a confident word, short as it is
        ("Xã Kế An", 96.0, False),
        ("Có", 40.0, True),  # unsure: may be a garbled number
        ("vá)", 0.0, True),  # "23" in text mode
        ("S.697", 90.0, True),  # look-alikes: "S" for 5
        ("B097", 90.0, True),
        ("5.697", 96.0, True),
    ],
)
def test_confident_words_are_not_read_as_numbers(text: str, confidence: float, maybe: bool) -> None:
    reading = Candidate(text=text, confidence=confidence, variant="text")
    assert _maybe_number(reading, 3, 88.0) is maybe


def test_a_confident_word_cell_spends_no_number_variants() -> None:
    """A commune label is a short line, so it is read as a number first; once the text reading
    shows confident words, the other number variants are not spent on it."""
    cell, engine = _read_one("Xã Kế An", "Xã Kế An", 95.0)
    assert cell.kind is CellKind.TEXT and cell.text == "Xã Kế An"
    assert not {v.name for v in OcrSettings().number_variants[1:]} & set(engine.modes)


def test_two_models_agreeing_settle_a_number_even_when_one_is_unsure() -> None:
    settings = OcrSettings()
    sure, unsure = Candidate("44", 96.0, "number"), Candidate("44", 58.0, "num_viet")
    assert _settled([sure, unsure], settings)
    assert not _settled([sure, Candidate("44", 19.0, "num_viet")], settings)  # below agree_floor
    assert not _settled([Candidate("44", 80.0, "number"), unsure], settings)  # nobody sure
    assert not _settled([sure, Candidate("4", 96.0, "num_viet")], settings)  # disagree


def test_number_first_can_be_switched_off() -> None:
    _, engine = _read_one("23", "23", settings=OcrSettings(number_first=False))
    assert engine.modes == ["text", "number", "num_viet"]


# --------------------------------------------------------------------------------------------
# the steps of read_cell, one by one


class ScriptedEngine(CountingEngine):
    """Answers each read with the next (text, confidence) of ``script`` (the last one repeats);
    records the mode and psm of every call; supports only the languages in ``langs`` (all when
    None)."""

    def __init__(self, script: list[tuple[str, float]], langs: set[str] | None = None) -> None:
        super().__init__()
        self.script, self.langs, self.psms = list(script), langs, []

    def supports(self, lang: str) -> bool:
        return self.langs is None or lang in self.langs

    def read(self, image, dpi, *, mode, lang, psm, whitelist=None) -> Candidate:
        self.calls += 1
        self.modes.append(mode)
        self.psms.append(psm)
        text, conf = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return Candidate(text=text, confidence=conf, variant=mode)


def _job(text: str, engine: OcrEngine, settings: OcrSettings | None = None, *, dpi: int = 200, **kw):
    table = render_table([[text]], dpi, **kw)
    (cell,) = table.grid.cells
    return _cut(table.page.gray, float(dpi), cell, table.line_mask, engine, settings or OcrSettings())


def test_cut_crops_inside_the_cell_and_keeps_the_variants_the_engine_supports() -> None:
    settings = OcrSettings()
    job = _job("5.697", ScriptedEngine([("", 0.0)], langs={"vie+eng"}), settings)
    box = job.cell.box
    assert 0 < job.crop.shape[0] < box.height and 0 < job.crop.shape[1] < box.width
    assert job.info.has_ink and job.info.letters >= 4
    supported = [v.name for v in settings.number_variants if v.lang == "vie+eng"]
    assert [v.name for v in job.variants] == supported
    assert len(job.variants) < len(settings.number_variants)  # "Vietnamese" is not supported here


def test_blank_is_no_ink_or_marks_too_short_for_a_glyph() -> None:
    engine = ScriptedEngine([("", 0.0)])
    assert _blank(_job("", engine))
    assert not _blank(_job("23", engine))
    assert _blank(_job("23", engine, OcrSettings(min_glyph_height_mm=20.0)))


def test_number_first_is_for_short_lines_of_uniform_glyphs_when_allowed() -> None:
    engine = ScriptedEngine([("", 0.0)])
    assert _number_first(_job("23", engine))
    assert not _number_first(_job("Xã Kế An", engine))  # lower-case letters: not uniform
    assert not _number_first(_job("23", engine, OcrSettings(number_first=False)))
    assert not _number_first(_job("23", engine, OcrSettings(escalate_below=0)))
    assert not _number_first(_job("23", ScriptedEngine([("", 0.0)], langs={"eng"})))  # no second model


@pytest.mark.parametrize(
    "script, settled, readings",
    [
        ([("23", 96.0)], True, 1),  # sure and plain: alone
        ([("23", 90.0), ("23", 60.0)], True, 2),  # two models agree
        ([("23", 60.0), ("28", 60.0)], False, 2),  # they disagree: the text reading decides
        ([("235", 96.0), ("235", 96.0)], False, 2),  # more digits than glyphs: not plain
    ],
)
def test_read_number_first_settles_only_sure_or_agreeing_plain_readings(script, settled, readings) -> None:
    engine = ScriptedEngine(script)
    cell, got = _read_number_first(_job("23", engine))
    assert (cell is not None) is settled and len(got) == readings == engine.calls
    if cell is not None:
        assert cell.kind is CellKind.NUMBER and cell.text == script[0][0]
        assert cell.candidates == tuple(got)


def test_text_smoothing_only_for_a_bilevel_scan_and_never_on_a_short_line() -> None:
    settings = OcrSettings(bilevel_text_smooth_px=1.5)
    engine = ScriptedEngine([("", 0.0)])
    long_line = _job("Quyết định số 1297/QĐ-UBND ngày 15/11/2019", engine, settings, col_mm=[150.0])
    assert _text_smoothing(long_line, bilevel=False) == 0.0
    assert _text_smoothing(long_line, bilevel=True) == 1.5
    assert _text_smoothing(_job("23", engine, settings), bilevel=True) == 0.0


def test_number_readings_add_a_variant_only_for_what_may_be_a_number() -> None:
    settings = OcrSettings()
    engine = ScriptedEngine([("abc", 50.0)])
    assert [c.variant for c in _number_readings(_job("23", engine), maybe=False)] == ["number"]
    engine = ScriptedEngine([("23", 50.0)])
    got = _number_readings(_job("23", engine), maybe=False)
    assert [c.variant for c in got] == ["number", settings.number_variants[0].name]
    never = OcrSettings(escalate_below=0)
    got = _number_readings(_job("23", ScriptedEngine([("abc", 50.0)]), never), maybe=True)
    assert [c.variant for c in got] == ["number", *(v.name for v in never.number_variants)]
    # a crop of several lines is read as a block
    engine = ScriptedEngine([("abc", 50.0)])
    _number_readings(_job("12\n34", engine, row_mm=16.0), maybe=False)
    assert engine.psms == [6]


def test_escalate_spends_the_other_variants_only_on_an_unsettled_number() -> None:
    settings = OcrSettings()
    job = _job("23", ScriptedEngine([("23", 70.0)]), settings)
    unsettled = [Candidate("23", 60.0, "number"), Candidate("28", 60.0, "num_viet")]
    got = _escalate(job, unsettled, numeric=True)
    assert [c.variant for c in got] == ["number", *(v.name for v in settings.number_variants)]
    assert _escalate(job, unsettled, numeric=False) == unsettled  # confident words
    settled = [Candidate("23", 96.0, "number"), Candidate("23", 60.0, "num_viet")]
    assert _escalate(job, settled, numeric=True) == settled
    assert _escalate(job, unsettled[:1], numeric=True) == unsettled[:1]


def test_decide_between_the_number_vote_and_the_text_reading() -> None:
    job = _job("23", ScriptedEngine([("23", 0.0)], langs={"vie", "vie+eng", "eng"}))
    readings = [Candidate("23", 95.0, "number"), Candidate("23", 90.0, "num_viet")]
    garbled = Candidate("vá)", 0.0, "text")
    cell = _decide(job, garbled, readings, 0.0)
    assert cell.kind is CellKind.NUMBER and cell.text == "23" and cell.confidence == pytest.approx(92.5)
    assert cell.candidates == (*readings, garbled)
    words = Candidate("Xã Kế An", 95.0, "text")
    cell = _decide(job, words, [Candidate("4", 0.0, "number")], 0.0)
    assert cell.kind is CellKind.TEXT and cell.text == "Xã Kế An"


# --------------------------------------------------------------------------------------------
# text-layer words


def _word(text: str, x0: int, y0: int, x1: int, y1: int) -> TextWord:
    return TextWord(text=text, box=PixelBox(x0, y0, x1, y1))


def test_cells_from_text_layer_words_need_no_ocr() -> None:
    table = render_table([["", "", ""]], 100, col_mm=[30, 30, 30])
    boxes = [c.box for c in table.grid.cells]

    def inside(box: PixelBox, text: str, dx: int = 5) -> TextWord:
        return _word(text, box.x0 + dx, box.y0 + 5, box.x0 + dx + 20, box.y0 + 15)

    words = (inside(boxes[0], "Xã"), inside(boxes[0], "Nhơn", 30), inside(boxes[1], "5.697"))
    engine = CountingEngine(fail=True)
    read = read_table(
        table.page,
        table.grid,
        table.line_mask,
        engine,
        OcrSettings(),
        page_index=0,
        table_index=0,
        words=words,
    )
    a, b, c = read.cells
    assert (a.text, a.kind, a.confidence) == ("Xã Nhơn", CellKind.TEXT, 100.0)
    assert (b.text, b.kind) == ("5.697", CellKind.NUMBER) and b.candidates[0].variant == "text_layer"
    assert c.kind is CellKind.EMPTY and engine.calls == 0


def test_words_to_lines_orders_and_splits_columns() -> None:
    words = [
        _word("CỘNG", 600, 10, 680, 30),
        _word("BAN", 60, 12, 100, 30),
        _word("ỦY", 10, 10, 50, 30),
        _word("HÒA", 690, 11, 750, 30),
        _word("Số:", 10, 50, 50, 70),
    ]
    lines = [[w.text for w in line] for line in words_to_lines(words)]
    assert lines == [["ỦY", "BAN"], ["CỘNG", "HÒA"], ["Số:"]]


def test_text_lines_from_words_skip_tables() -> None:
    page = PreparedPage(
        gray=np.full((400, 600), 255, np.uint8), binary=np.zeros((400, 600), np.uint8), dpi=100
    )
    words = (
        _word("Biểu", 10, 10, 60, 30),
        _word("mẫu", 65, 10, 110, 30),
        _word("5B", 115, 10, 140, 30),
        _word("99", 50, 200, 80, 220),
    )
    lines = read_text_lines(
        page, [PixelBox(0, 150, 600, 300)], CountingEngine(fail=True), OcrSettings(), words=words
    )
    assert [ln.text for ln in lines] == ["Biểu mẫu 5B"] and lines[0].box == PixelBox(10, 10, 140, 30)


def test_text_lines_by_ocr_blank_out_the_tables(engine, settings) -> None:
    table = render_table([["Xã Nhơn Mỹ", "5.697"], ["Xã Đại Hải", "91.627"]], 200, col_mm=[50, 25])
    gray = np.full((table.page.gray.shape[0] + 300, table.page.gray.shape[1] + 400), 255, np.uint8)
    gray[300:, :-400] = table.page.gray
    img = Image.fromarray(gray)
    draw, font = ImageDraw.Draw(img), ImageFont.truetype(TEXT_FONT, 36)
    draw.text((80, 60), "Biểu mẫu 5B", font=font, fill=0)
    draw.text((80, 140), "Thống kê kết quả tiếp nhận, giải quyết thủ tục hành chính", font=font, fill=0)
    gray = np.asarray(img)
    page = PreparedPage(gray=gray, binary=(gray < 128).astype(np.uint8) * 255, dpi=200)
    box = table.grid.box
    exclude = [PixelBox(box.x0, box.y0 + 300, box.x1, box.y1 + 300)]
    lines = read_text_lines(page, exclude, engine, settings)
    assert [ln.text for ln in lines] == [
        "Biểu mẫu 5B",
        "Thống kê kết quả tiếp nhận, giải quyết thủ tục hành chính",
    ]
    assert all(ln.box.y1 < 300 for ln in lines)


def test_a_table_page_past_the_header_pages_reads_its_text_without_the_marks_alternatives() -> None:
    """The document's first ``table_page_marks_pages`` pages (the header the metadata reads) and
    every prose page ask for the marks' alternatives; a later page with tables does not (its
    text is searchable text only: ~15% less recognition of its bands)."""
    img = Image.new("L", (1200, 900), 255)
    ImageDraw.Draw(img).text((80, 60), "Biểu mẫu 5B", font=ImageFont.truetype(TEXT_FONT, 36), fill=0)
    gray = np.asarray(img)
    page = PreparedPage(gray=gray, binary=(gray < 128).astype(np.uint8) * 255, dpi=200)
    table = [PixelBox(50, 400, 1150, 850)]
    on = OcrSettings(page_text={"table_page_marks_pages": 2})

    def asked(exclude: list[PixelBox], index: int, settings: OcrSettings) -> list[bool]:
        engine = CountingEngine("Biểu mẫu 5B")
        read_text_lines(page, exclude, engine, settings, page_index=index)
        return engine.marks_asked

    assert asked(table, 0, on) == asked(table, 1, on) == [True]
    assert asked(table, 2, on) == asked(table, 7, on) == [False]
    assert asked([], 7, on) == [True]  # a prose page keeps them
    assert asked(table, 7, OcrSettings()) == [True]  # unset: every page


# --------------------------------------------------------------------------------------------
# pure helpers and settings

NUMERIC = st.text(alphabet="0123456789.,%+-/ ", min_size=1, max_size=12)


@given(NUMERIC)
def test_looks_numeric_on_number_alphabet(text: str) -> None:
    assert looks_numeric(text) == any(ch.isdigit() for ch in text)


@given(NUMERIC, st.text(alphabet="abcxyzXãơĐO", min_size=1, max_size=3))
def test_looks_numeric_rejects_letters(number: str, letters: str) -> None:
    assert not looks_numeric(number + letters)


@given(st.lists(st.sampled_from(["5.697", "9.697", "5697", "", "x1"]), min_size=1, max_size=7))
def test_vote_returns_a_majority_reading(texts: list[str]) -> None:
    readings = [Candidate(text=t, confidence=80.0, variant=f"v{i}") for i, t in enumerate(texts)]
    chosen = vote_number(readings)
    numeric = [t for t in texts if looks_numeric(t)]
    if not numeric:
        assert chosen is readings[0]
        return
    counts = {t: numeric.count(t) for t in numeric}
    assert counts[chosen.text] == max(counts.values())
    first_best = next(t for t in numeric if counts[t] == max(counts.values()))
    assert chosen.text == first_best  # ties go to the earliest reading
    # the share of the numeric readings; of all readings when the agreeing ones are no majority
    agree = counts[chosen.text]
    share = agree / (len(texts) if 2 * agree <= len(texts) else len(numeric))
    assert chosen.confidence == pytest.approx(80.0 * share)


def test_settings_section_from_yaml(tmp_path: Path) -> None:
    (tmp_path / "pipeline.yaml").write_text(
        "ocr:\n  text_lang: vie\n  number_variants:\n"
        "    - {name: num_a, lang: eng, psm: 8}\n    - {name: num_b, blur: false}\n",
        encoding="utf-8",
    )
    loaded = settings_section(OcrSettings, "ocr", tmp_path)
    assert [v.name for v in loaded.number_variants] == ["num_a", "num_b"] and loaded.number_variants[
        0
    ].psm == 8
    (tmp_path / "pipeline.yaml").write_text(
        "ocr:\n  number_variants:\n    - {name: a}\n    - {name: a}\n", encoding="utf-8"
    )
    from extract.config import _load_settings_cached

    _load_settings_cached.cache_clear()
    with pytest.raises(ConfigError, match="number_variants"):
        settings_section(OcrSettings, "ocr", tmp_path)


def test_real_scan_free_text(engine, settings) -> None:
    """Page 1 of a real signed scan (200 dpi): most words of the checked transcription are read."""
    import json

    from extract.ingest import load_page

    root = REALDATA
    meta = next(
        json.loads(ln) for ln in (root / "metadata_real.jsonl").open(encoding="utf-8") if "qd_707" in ln
    )
    scan = load_page(root / meta["pdf"], 0)
    page = PreparedPage(gray=scan.image, binary=(scan.image < 128).astype(np.uint8) * 255, dpi=scan.dpi)
    lines = read_text_lines(page, [], engine, settings)
    read = {w for ln in lines for w in ln.text.split()}
    truth = meta["text"].split()
    recall = sum(w in read for w in truth) / len(truth)
    assert recall >= 0.9
    assert any("Độc lập - Tự do - Hạnh phúc" in ln.text for ln in lines)
