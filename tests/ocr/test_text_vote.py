"""The vote of readings at several scales for short one-line text cells (extract/ocr/text_vote.py):
the rule on its own, and on the real 1-bit QĐ 707 scan read by the real page task."""

from __future__ import annotations

import dataclasses

from extract.config import load_config
from extract.model import Candidate, CellKind
from extract.ocr.text_vote import VOTE_VARIANT, scale_readings, vote_text
from extract.page import PageTask, process_page
from tests.repo_data import REALDATA


def _c(text: str, confidence: float) -> Candidate:
    return Candidate(text=text, confidence=confidence, variant="text")


def test_a_majority_overrules_the_first_reading_never_more_confident() -> None:
    voted = vote_text(_c("Quý I/2026", 67), [_c("Quý II/2026", 82), _c("Quý II/2026", 90)])
    assert (voted.text, voted.confidence, voted.variant) == ("Quý II/2026", 67, VOTE_VARIANT)
    low = vote_text(_c("Quý I/2026", 90), [_c("Quý II/2026", 60), _c("Quý II/2026", 70)])
    assert (low.text, low.confidence) == ("Quý II/2026", 65)


def test_no_majority_or_agreement_keeps_the_first_reading_as_it_is() -> None:
    first = _c("Quý I/2026", 67)
    assert vote_text(first, [_c("Quý II/2026", 90), _c("Quý II/⁄2026", 90)]) is first  # 1 of 3 each
    assert vote_text(first, [_c("Quý II/2026", 90)]) is first  # 1 of 2 is no majority
    assert vote_text(first, [_c("Quý I/2026", 99), _c("Quý II/2026", 99)]) is first  # confidence unchanged
    assert vote_text(first, []) is first


def test_never_a_number() -> None:
    number = _c("2026", 60)  # a number cell has its own vote
    assert vote_text(number, [_c("Quý", 90), _c("Quý", 90)]) is number
    text = _c("Quý", 60)  # nor does a vote turn a text cell into a number
    assert vote_text(text, [_c("2026", 90), _c("2026", 90)]) is text


def test_readings_are_taken_at_multiples_of_the_letter_height() -> None:
    heights: list[float] = []

    def read_at(height: float) -> Candidate:
        heights.append(height)
        return _c("x", 90)

    assert len(scale_readings(read_at, 23.0, [1.0, 2.0])) == 2
    assert heights == [23.0, 46.0]
    assert scale_readings(read_at, 0.0, [1.0, 2.0]) == []  # no letter measured: no vote


def _deadline_cell(scales: list[float]):
    base = load_config().page_stages()
    settings = dataclasses.replace(base, ocr=base.ocr.model_copy(update={"text_vote_scales": scales}))
    image = str(next((REALDATA / "qd_707_table_pages").glob("p-009-*.png")))
    result = process_page(PageTask(image, 0, "p-009", settings=settings))
    assert result.error is None, result.error
    (cell,) = [c for c in result.tables[0].cells if (c.cell.row, c.cell.col) == (1, 5)]
    return cell


def test_the_1bit_qd707_deadline_is_read_right_by_the_vote_and_not_more_confident() -> None:
    plain = _deadline_cell([])
    voted = _deadline_cell(load_config().ocr.text_vote_scales)
    assert plain.text == "Quý I/2026"  # at 26 px alone tesseract drops a stroke of "II"
    assert (voted.text, voted.kind) == ("Quý II/2026", CellKind.TEXT)
    assert voted.confidence <= plain.confidence


def _vote_calls(tmp_path, monkeypatch, bilevel_only: bool) -> int:
    """How often a grey copy of p-009 (the 1-bit page blurred to grey levels) votes on a cell."""
    import cv2

    from extract.ocr import reader

    calls: list[int] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return scale_readings(*args, **kwargs)

    monkeypatch.setattr(reader, "scale_readings", counted)
    page = cv2.imread(str(next((REALDATA / "qd_707_table_pages").glob("p-009-*.png"))), cv2.IMREAD_GRAYSCALE)
    grey = tmp_path / "p-009-grey.png"
    cv2.imwrite(str(grey), cv2.GaussianBlur(page, (5, 5), 1.2))
    base = load_config().page_stages()
    ocr = base.ocr.model_copy(update={"text_vote_bilevel_only": bilevel_only})
    result = process_page(PageTask(str(grey), 0, "p-009", settings=dataclasses.replace(base, ocr=ocr)))
    assert result.error is None, result.error
    return len(calls)


def test_only_1bit_scans_vote_by_default(tmp_path, monkeypatch) -> None:
    # the re-readings cost ~8% of a grey page's CPU for no change seen there: grey scans do not vote
    assert _vote_calls(tmp_path, monkeypatch, bilevel_only=True) == 0
    assert _vote_calls(tmp_path, monkeypatch, bilevel_only=False) > 0
