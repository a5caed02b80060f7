"""A header's cells read with fewer tesseract calls: the column-number row "(1) (2) (3)" kept as
the text model reads it (``ocr.column_number_confidence``), and a confident letter reading that
neither number model saw a digit in read by no other variant (``ocr.unescalated_text_confidence``;
a word of look-alike letters that is no roman numeral, "STT": ``ocr.unescalated_lookalike_letters``)."""

from __future__ import annotations

import pytest
from ocr_synth import MILD, render_table

from extract.model import Candidate, CellKind, CellRead
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import _column_number_cell, _cut, _escalate, load_ocr_settings, read_table
from extract.understand.forms import _column_number, _is_column_number_row

OFF = {
    "column_number_confidence": None,
    "unescalated_text_confidence": None,
    "unescalated_lookalike_letters": None,
}
HEADER = [
    ["STT", "Tên", "Số", "Ghi chú", "H"],
    ["(1)", "(2)", "(3)", "(4)", "(5)"],
    ["1", "Xã An", "23", "", "Hà"],
]


class _Counting:
    """Counts the tesseract calls of a real engine."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine, self.calls = engine, 0

    def __getattr__(self, name: str):
        attr = getattr(self.engine, name)
        if name not in ("read", "read_text"):
            return attr

        def counted(*args, **kwargs):
            self.calls += 1
            return attr(*args, **kwargs)

        return counted


def _read(dpi: int, settings: OcrSettings, engine: OcrEngine) -> tuple[list[CellRead], int]:
    table = render_table(HEADER, dpi, noise=MILD, col_mm=[15, 30, 20, 20, 15], font_pt=11)
    counting = _Counting(engine)
    cells = read_table(
        table.page, table.grid, table.line_mask, counting, settings, page_index=0, table_index=0
    ).cells
    return list(cells), counting.calls


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_column_number_row_read_once_gives_the_same_header_and_the_same_body(dpi, engine) -> None:
    """Real tesseract on a mild generated header: with the settings of the pipeline the printed
    "(2)" "(3)" "(4)" are read as text "(n)" with no number variant; without them the number
    models read "n" at 0 and every variant is spent.  The column-number row is one either way and
    its cells name the same printed columns; every other cell reads the same."""
    on = load_ocr_settings()
    assert on.column_number_confidence is not None and on.unescalated_text_confidence is not None
    new, new_calls = _read(dpi, on, engine)
    old, old_calls = _read(dpi, on.model_copy(update=OFF), engine)
    width = len(HEADER[0])
    row = [c.text for c in new[width : 2 * width]]
    assert row[1:4] == ["(2)", "(3)", "(4)"]
    assert all(c.kind is CellKind.TEXT for c in new[width + 1 : width + 4])
    before = [c.text for c in old[width : 2 * width]]
    assert _is_column_number_row(row) and _is_column_number_row(before)
    assert [_column_number(t) for t in row[1:4]] == [_column_number(t) for t in before[1:4]] == [2, 3, 4]
    for a, b in zip(old, new, strict=True):
        if a.cell.row != 1 or not 1 <= a.cell.col <= 3:
            assert (a.text, a.kind, a.confidence) == (b.text, b.kind, b.confidence)
    assert new_calls <= old_calls - 3 * 3 - 3  # three variants fewer for each of "(2)" "(3)" "(4)" and "STT"


def _job(text: str, engine: OcrEngine, settings: OcrSettings, col: int):
    table = render_table([["x"] * col + [text]], 200)
    cell = table.grid.cells[col]
    return _cut(table.page.gray, 200.0, cell, table.line_mask, engine, settings)


def test_only_a_sure_bracketed_number_of_its_own_column_is_a_column_number(engine) -> None:
    settings = load_ocr_settings()
    job = _job("(2)", engine, settings, col=1)
    got = _column_number_cell(job, Candidate("(2)", 96.0, "text"), [Candidate("2", 0.0, "number")])
    assert got is not None and (got.text, got.kind, got.confidence) == ("(2)", CellKind.TEXT, 96.0)
    assert [c.variant for c in got.candidates] == ["number", "text"]
    # a negative "(5)" of a body row, or another column's number: read as before
    assert _column_number_cell(job, Candidate("(5)", 96.0, "text"), []) is None
    assert _column_number_cell(job, Candidate("(2)", 60.0, "text"), []) is None  # unsure
    assert _column_number_cell(job, Candidate("(2)=(3)", 96.0, "text"), []) is None
    off = _job("(2)", engine, settings.model_copy(update=OFF), col=1)
    assert _column_number_cell(off, Candidate("(2)", 96.0, "text"), []) is None


def test_letters_no_number_model_saw_a_digit_in_read_no_other_variant(engine) -> None:
    settings = load_ocr_settings()
    job = _job("H", engine, settings, col=0)
    nothing = [Candidate("", 0.0, "number"), Candidate("", 0.0, "num_viet")]
    assert _escalate(job, nothing, numeric=True, text_read=Candidate("H", 91.0, "text")) == nothing
    every = len(settings.number_variants) + 1
    # a roman "I" (a digit look-alike), an unsure reading, a digit seen: every variant as before
    for text_read, readings in [
        (Candidate("I", 92.0, "text"), nothing),
        (Candidate("H", 80.0, "text"), nothing),
        (Candidate("H", 91.0, "text"), [Candidate("1", 0.0, "number"), nothing[1]]),
        (Candidate("H4", 91.0, "text"), nothing),
    ]:
        assert len(_escalate(job, readings, numeric=True, text_read=text_read)) == every
    off = _job("H", engine, settings.model_copy(update=OFF), col=0)
    assert len(_escalate(off, nothing, numeric=True, text_read=Candidate("H", 91.0, "text"))) == every


def test_a_word_of_lookalike_letters_that_is_no_roman_numeral_reads_no_other_variant(engine) -> None:
    """The header's "STT" (every letter a digit look-alike, S for 5, T for 7): two number readings
    with no digit and a sure text reading of three letters read no other variant; a roman "II"
    or "III", a word of two letters, an unsure reading or the setting off read every variant."""
    settings = load_ocr_settings()
    assert settings.unescalated_lookalike_letters == 3
    job = _job("STT", engine, settings, col=0)
    nothing = [Candidate("", 0.0, "number"), Candidate("", 0.0, "num_viet")]
    assert _escalate(job, nothing, numeric=True, text_read=Candidate("STT", 91.0, "text")) == nothing
    every = len(settings.number_variants) + 1
    for text_read, readings in [
        (Candidate("III", 92.0, "text"), nothing),
        (Candidate("II", 92.0, "text"), nothing),
        (Candidate("ST", 92.0, "text"), nothing),
        (Candidate("STT", 80.0, "text"), nothing),
        (Candidate("STT", 91.0, "text"), [Candidate("577", 0.0, "number"), nothing[1]]),
        (Candidate("S.T", 91.0, "text"), nothing),
    ]:
        assert len(_escalate(job, readings, numeric=True, text_read=text_read)) == every, text_read
    off = _job("STT", engine, settings.model_copy(update=OFF), col=0)
    assert len(_escalate(off, nothing, numeric=True, text_read=Candidate("STT", 91.0, "text"))) == every
