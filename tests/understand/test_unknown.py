"""Unknown tables as printed (extract.understand.unknown)."""

from __future__ import annotations

from extract.model import CellKind, CellRead, GridCell, PixelBox
from extract.understand.unknown import (
    header_rows,
    is_continued_row,
    is_header_row,
    is_section_row,
    parse_cell,
    row_cells,
)


def _cell(col: int, text: str, span: int = 1) -> CellRead:
    return CellRead(
        GridCell(0, col, 1, span, PixelBox(col * 10, 0, col * 10 + 10 * span, 10)), text, 95.0, CellKind.TEXT
    )


HEADER = [
    "STT",
    "Nội dung hành động",
    "Hành động cụ thể",
    "Bộ ngành chủ trì",
    "Bộ ngành phối hợp",
    "Thời hạn hoàn thành",
]
CONTINUED = [
    "",
    "",
    "Thực hiện tuyên truyền, phổ biến pháp luật về phòng, chống rửa tiền cho các đối tượng",
    "Ngân hàng Nhà nước Việt Nam; Bộ Công an",
    "",
    "Liên tục",
]


def test_a_continued_row_is_not_a_header() -> None:
    assert is_header_row(HEADER)
    assert not is_header_row(CONTINUED)
    assert not is_header_row(["1.", "Nội dung", "Việc", "Bộ", "Bộ", "10/2027"])
    assert header_rows([HEADER, CONTINUED], 3) == 1
    assert header_rows([CONTINUED, HEADER], 3) == 0


def test_values_are_typed_by_what_they_are_and_never_lose_their_text() -> None:
    v = parse_cell("10/2027")
    assert (v.kind, v.text, v.note) == ("month_year", "10/2027", "2027-10")
    v = parse_cell("22/4/2026")
    assert (v.kind, v.note) == ("date", "2026-04-22")
    assert (parse_cell("Liên tục").kind, parse_cell("Liên tục").text) == ("text", "Liên tục")
    assert parse_cell("Năm 2027").kind == "year"
    assert parse_cell("5.697").number == 5697
    odd = parse_cell("13/2027")  # not a month: kept as text, never an empty value
    assert odd.text == "13/2027"
    assert (parse_cell("I.", index=True).kind, parse_cell("I.", index=True).text) == ("index", "I.")
    assert parse_cell("").kind == "null"


def test_a_full_width_row_is_one_section_cell() -> None:
    merged = _cell(1, "Hoàn thiện khuôn khổ pháp lý", span=5)
    grid_walk = {0: _cell(0, "I."), 1: merged, 2: merged, 3: merged, 4: merged, 5: merged}
    cells = row_cells(grid_walk)
    assert sorted(cells) == [0, 1]
    assert is_section_row(cells, 6)
    assert not is_section_row(row_cells({c: _cell(c, "x") for c in range(6)}), 6)


def test_a_row_with_an_empty_stt_continues_the_previous_page() -> None:
    cells = {c: _cell(c, t) for c, t in enumerate(CONTINUED)}
    assert is_continued_row(cells, 0)
    assert not is_continued_row(
        {c: _cell(c, t) for c, t in enumerate(["1.", "Việc", "x", "y", "z", "Liên tục"])}, 0
    )


def test_a_stamp_fragment_among_deadlines_is_flagged() -> None:
    from extract.model import DocumentMeta, DocumentResult, TableResult, Value, ValueStatus
    from extract.understand.unknown import flag_unknown

    def value(row: int, raw: str, kind: str, number: float | None = None) -> Value:
        return Value(
            "0" * 16,
            "x.png",
            "unknown",
            0,
            0,
            row,
            f"r{row}",
            "item",
            "",
            None,
            None,
            "c5",
            "Thời hạn",
            kind,
            number,
            None,
            raw,
            None,
            None,
            raw,
            90.0,
            PixelBox(0, 0, 1, 1),
        )

    values = [
        value(0, "10/2027", "month_year"),
        value(1, "12/2027", "month_year"),
        value(2, "7", "number", 7.0),
        value(3, "Liên tục", "text"),
    ]
    table = TableResult(0, "unknown", 0.0, "", (0,), ("c5",), ("Thời hạn",), [], values, [])
    doc = flag_unknown(DocumentResult("0" * 16, "x.png", 1, DocumentMeta(), [], [table]))
    values = list(doc.tables[0].values)
    assert [v.status for v in values] == [
        ValueStatus.READ,
        ValueStatus.READ,
        ValueStatus.FLAGGED,
        ValueStatus.READ,
    ]
    assert "stamp" in (values[2].flag_reason or "")


def test_a_section_index_read_as_a_digit_is_flagged() -> None:
    from extract.model import DocumentMeta, DocumentResult, RowInfo, RowKind, TableResult, Value, ValueStatus
    from extract.understand.unknown import flag_unknown

    def value(row: int, raw: str) -> Value:
        return Value(
            "0" * 16,
            "x.png",
            "unknown",
            0,
            0,
            row,
            f"r{row}",
            "section",
            "",
            None,
            None,
            "c0",
            "STT",
            "index",
            None,
            None,
            raw,
            None,
            None,
            raw,
            90.0,
            PixelBox(0, 0, 1, 1),
        )

    rows = [RowInfo(RowKind.SECTION, "I", "I", "A", "I"), RowInfo(RowKind.SECTION, "II", "II", "B", "II")]
    values = [value(0, "7."), value(1, "II.")]  # "7." is no look-alike of "I." (see below)
    table = TableResult(0, "unknown", 0.0, "", (0,), ("c0",), ("STT",), rows, values, [])
    doc = flag_unknown(DocumentResult("0" * 16, "x.png", 1, DocumentMeta(), [], [table]))
    assert [v.status for v in doc.tables[0].values] == [ValueStatus.FLAGGED, ValueStatus.READ]
    # "1." in the first section's place is its look-alike: corrected by the sequence, kept as read
    table = TableResult(0, "unknown", 0.0, "", (0,), ("c0",), ("STT",), rows, [value(0, "1."), values[1]], [])
    doc = flag_unknown(DocumentResult("0" * 16, "x.png", 1, DocumentMeta(), [], [table]))
    first = doc.tables[0].values[0]
    assert (first.text, first.status, first.correction.original_text) == ("I.", ValueStatus.CORRECTED, "1.")
