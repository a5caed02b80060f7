"""9B's Ghi chú validated: its remarks ("14/14") stand as text with no number, its bare number
(row 2's unit count) as a number; a worn bare number stays unsure."""

from __future__ import annotations

from validate_builders import PARSE, Cell, Spec, build_table, row, value_at

from extract.config import load_config, load_forms
from extract.model import RowKind, ValueStatus
from extract.understand.numbers import value_confidence
from extract.validate import ValidateSettings, validate_table

GUESSED_CONFIDENCE = load_config().ocr.guessed_digit_confidence  # a guessed digit's cap


def test_9b_remarks_are_text_and_its_bare_number_a_number() -> None:
    form = next(f for f in load_forms() if f.code == "9B")
    texts = ["14/14", "70", "1/70", "L18", "2/70"]
    rows = [row(RowKind.ITEM, str(i + 1), str(i + 1), f"Nội dung {i}") for i in range(len(texts))]
    cells = {
        (i, "ghi_chu"): Cell(t, value_confidence(PARSE(t, "remark"), 95.0, GUESSED_CONFIDENCE))
        for i, t in enumerate(texts)
    }
    table = validate_table(build_table(form, Spec(rows=rows, cells=cells)), form, ValidateSettings()).table
    ratio, bare, part, worn, other = (value_at(table, i, "ghi_chu") for i in range(len(texts)))
    for remark in (ratio, part, other):
        assert remark.value_kind == "text" and remark.number is None, remark
        assert remark.status == ValueStatus.READ
    assert (ratio.text, part.text) == ("14/14", "1/70")
    assert bare.value_kind == "number" and bare.number == 70 and bare.status == ValueStatus.READ
    assert worn.number == 118 and worn.status == ValueStatus.FLAGGED
