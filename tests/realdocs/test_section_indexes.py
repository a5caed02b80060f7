"""Section indexes of unknown tables corrected by their sequence (extract.understand.unknown)."""

from __future__ import annotations

import dataclasses

from extract.model import (
    Candidate,
    DocumentMeta,
    DocumentResult,
    PixelBox,
    RowInfo,
    RowKind,
    TableResult,
    Value,
    ValueStatus,
)
from extract.understand.unknown import flag_unknown


def _value(row: int, raw: str, column: str = "c0") -> Value:
    kind = "index" if column == "c0" else "text"
    return Value(
        "0" * 16, "x.png", "unknown", 0, 0, row, f"r{row}", "section", "", None, None, column, "STT", kind,
        None, None, raw, None, None, raw, 60.0, PixelBox(0, 0, 1, 1),
    )  # fmt: skip


def _indexes(kinds: list[RowKind], readings: list[str]) -> list[tuple[str | None, ValueStatus]]:
    rows = [RowInfo(k, "", "", "x", f"r{i}") for i, k in enumerate(kinds)]
    values = [_value(i, text) for i, text in enumerate(readings)]
    table = TableResult(0, "unknown", 0.0, "", (0,), ("c0",), ("STT",), rows, values, [])
    doc = flag_unknown(DocumentResult("0" * 16, "x.png", 1, DocumentMeta(), [], [table]))
    return [(v.text, v.status) for v in doc.tables[0].values]


S, B = RowKind.SECTION, RowKind.ITEM
C, F = ValueStatus.CORRECTED, ValueStatus.FLAGGED


def test_look_alikes_are_corrected_where_the_sequence_is_anchored() -> None:
    # anchored by the table opening with section I: "1." is I, "H." is II, "IH." is III
    got = _indexes([S, B, S, B, S], ["1.", "1.", "H.", "2.", "IH."])
    assert [got[i] for i in (0, 2, 4)] == [("I.", C), ("II.", C), ("III.", C)]
    assert got[1][0] == "1." and got[3][0] == "2."  # body rows' indexes untouched
    # anchored by a numeral read at its place (the table opens with a continued row)
    got = _indexes([B, S, B, S], ["", "III.", "5.", "IV"])
    assert got[3] == ("IV", ValueStatus.READ)  # a numeral read is kept as read
    got = _indexes([B, S, B, S, B, S], ["", "III.", "5.", "H.", "6.", "V."])
    assert got[3] == ("H.", F)  # III, then "H." where IV stands: no look-alike, left as read


def test_nothing_is_guessed_without_an_anchor_or_against_the_numerals() -> None:
    # no numeral read and the table does not open with a section (a page read alone)
    assert _indexes([B, S], ["", "H."])[1][0] == "H."
    # numerals read out of one sequence: nothing to go by
    assert [t for t, _ in _indexes([S, S, S], ["II.", "H.", "II."])] == ["II.", "H.", "II."]
    # a reading that is no look-alike of the numeral its place gives is left as read, flagged
    assert _indexes([S, S], ["I.", "7."])[1] == ("7.", F)


def _flagged(kinds: list[RowKind], readings: list[str], reason: str) -> list[tuple[str | None, ValueStatus]]:
    """As :func:`_indexes`, every value first flagged with ``reason`` (as the statuses stage does)."""
    rows = [RowInfo(k, "", "", "x", f"r{i}") for i, k in enumerate(kinds)]
    values = [
        dataclasses.replace(_value(i, text), status=F, flag_reason=reason) for i, text in enumerate(readings)
    ]
    table = TableResult(0, "unknown", 0.0, "", (0,), ("c0",), ("STT",), rows, values, [])
    doc = flag_unknown(DocumentResult("0" * 16, "x.png", 1, DocumentMeta(), [], [table]))
    return [(v.text, v.status) for v in doc.tables[0].values]


def test_a_numeral_read_unsure_at_its_place_is_verified_by_an_anchor_of_its_own() -> None:
    low = "low confidence (62 < 80) and no rule covers it"
    V = ValueStatus.VERIFIED
    # the table opens with section I: "II." at the second section's place is confirmed
    assert _flagged([S, B, S], ["1.", "1.", "II."], low)[2] == ("II.", V)
    # ... and by another numeral read at its place
    assert _flagged([B, S, B, S], ["", "II.", "1.", "III."], low)[1::2] == [("II.", V), ("III.", V)]
    # no anchor but itself (a page read alone that opens with a continued row): stays flagged
    assert _flagged([B, S], ["", "II."], low)[1] == ("II.", F)
    # at a place where another numeral stands: stays flagged
    assert _flagged([S, B, S], ["I.", "1.", "III."], low)[2] == ("III.", F)
    # flagged for anything but its confidence: stays flagged
    assert _flagged([S, B, S], ["I.", "1.", "II."], "ambiguous")[2] == ("II.", F)


def _items(
    kinds: list[RowKind], readings: list[tuple[str, tuple[str, ...]]]
) -> list[tuple[str | None, ValueStatus]]:
    """Indexes of a table's rows, each read as its first text with the other readings as candidates."""
    rows = [RowInfo(k, "", "", "x", f"r{i}") for i, k in enumerate(kinds)]
    values = [
        dataclasses.replace(
            _value(i, text), status=F, candidates=tuple(Candidate(c, 60.0, "v") for c in (text, *others))
        )
        for i, (text, others) in enumerate(readings)
    ]
    table = TableResult(0, "unknown", 0.0, "", (0,), ("c0",), ("STT",), rows, values, [])
    doc = flag_unknown(DocumentResult("0" * 16, "x.png", 1, DocumentMeta(), [], [table]))
    return [(v.text, v.status) for v in doc.tables[0].values]


def test_an_item_index_is_corrected_by_the_sequence_where_a_reading_gives_it() -> None:
    # QĐ 707 p-021: "11" after "10" read "1" by one number model and "11" by another
    got = _items([B, B, B], [("9", ()), ("10", ()), ("1", ("11", "li"))])
    assert got[2] == ("11", C)
    # after a section the items are numbered from 1 again: a "1" there is right as read
    got = _items([B, S, B, B], [("5.", ()), ("II.", ()), ("1", ("11",)), ("2", ())])
    assert got[2][0] == "1" and got[3][0] == "2"
    # no reading of the expected number: left as read; nor is anything guessed after it
    got = _items([B, B, B], [("9", ()), ("1", ("7",)), ("11", ("1",))])
    assert [t for t, _ in got] == ["9", "1", "11"]
    # a blank index (a sub-row of the item above) does not break the sequence
    got = _items([B, B, B], [("3", ()), ("", ()), ("5", ("4",))])
    assert got[2] == ("4", C)
