"""The confidence of a number that rests on a guessed digit ("L50" read for 150: a worn serif
"1") is the setting ``ocr.guessed_digit_confidence`` of pipeline.yaml (it was a module constant
of extract/understand/numbers.py): document assembly caps such a value at it."""

from __future__ import annotations

from test_district_and_trust import _numbers, _page

from extract.config import load_config
from extract.document import assemble_document


def _worn_value(config):  # type: ignore[no-untyped-def]
    worn = _numbers(150, 3)
    worn[0] = "L50"
    body = [
        ["I", "TTHC thuộc thẩm quyền của UBND cấp huyện", *worn],
        ["II", "TTHC thuộc thẩm quyền của UBND cấp xã", *_numbers(120, 0)],
        ["", "Tổng số = (I) + (II)", *_numbers(270, 3)],
    ]
    reference = "(Kèm theo Báo cáo số 12/BC-UBND ngày 2 tháng 3 năm 2019 của Ủy ban nhân dân huyện Kế Sách)"
    doc = assemble_document("d", "x.pdf", [_page(body, reference)], config)
    values = [v for t in doc.tables for v in t.values if v.raw_text == "L50"]
    assert len(values) == 1
    return values[0]


def test_the_guessed_digit_confidence_is_a_setting() -> None:
    config = load_config()
    assert config.ocr.guessed_digit_confidence == 50.0  # pipeline.yaml: the value it always had
    default = _worn_value(config)
    assert default.number == 150 and default.confidence == 50.0  # read at 96, capped
    lower = _worn_value(config.override("ocr", guessed_digit_confidence=30.0))
    assert lower.number == 150 and lower.confidence == 30.0
