"""A total row whose STT and label were not read is named by its place (issue 9, round 7).

Seen on the dev split's hard and fax scans (dev_107_hard_300's 10B, dev_114_hard_300's 5B,
dev_145_fax_150's 14B): the total's label cell, merged across the STT and label columns, was
read empty; every number of the row was read, flagged as a row with no STT and no label, and
paired with no printed row -- 23 printed numbers counted missing.
"""

from __future__ import annotations

from dataclasses import replace

from validate_builders import Cell, Spec, build_table, row, sections_7b, value_at

from extract.config import load_forms
from extract.model import DocumentMeta, DocumentResult, RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.declared_rows import note_missing_total
from extract.validate.missing_rows import ROW_NOT_FOUND, add_placeholder_rows, is_placeholder
from extract.validate.statuses import validate_document

S = ValidateSettings()
F7B = {f.code: f for f in load_forms()}["7B"]
COLUMN = "bien_che"


def _7b(last: tuple[str, str] | None, *, first: tuple[str, str] | None = None) -> TableResult:
    """7B's sections, one row each, and a last (or first) row as read; numbers in ``bien_che``."""
    rows = sections_7b()
    numbers = ["12", "12", "30", "30"]
    if first is not None:
        rows.insert(0, row(RowKind.ITEM, first[0], "x", first[1], key="x"))
        numbers.insert(0, "42")
    if last is not None:
        rows.append(row(RowKind.SUBITEM, last[0], "II/1/x", last[1], key="II/1/x"))
        numbers.append("42")
    cells = {(i, COLUMN): Cell(n, 95.0) for i, n in enumerate(numbers)}
    return build_table(F7B, Spec(rows=rows, cells=cells))


def test_a_nameless_last_row_is_the_total_by_its_place() -> None:
    out = note_missing_total(
        _7b(("", "")), F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max
    )
    total = out.rows[-1]
    assert (total.kind, total.path, total.key, total.label) == (
        RowKind.TOTAL,
        "total",
        "total",
        "Tổng cộng = (I) + (II)",
    )
    value = value_at(out, len(out.rows) - 1, COLUMN)
    assert value.number == 42 and value.status == ValueStatus.FLAGGED
    assert "total row" in (value.flag_reason or "") and "by its place" in (value.flag_reason or "")
    assert (value.row_key, value.row_kind, value.row_label) == ("total", "total", "Tổng cộng = (I) + (II)")
    assert any("by its place" in i for i in out.issues)
    assert not any("was not found" in i for i in out.issues)
    # the other rows are untouched
    assert out.rows[:-1] == _7b(("", "")).rows[:-1]


def test_a_last_row_whose_stt_reads_as_a_garble_is_nameless() -> None:
    """Dev 403's 10B p4: a signature over the total row, its STT cell read "vôi" and its label
    "sáng s D+ŒD".  "vôi" is no STT (no number, numeral, bullet or letter): the row is nameless
    and the total by its place, its values flagged (before, the garble counted as a printed STT,
    the total "was not found" and its 11 numbers were paired with no printed row)."""
    out = note_missing_total(
        _7b(("vôi", "sáng s D+ŒD")), F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max
    )
    assert out.rows[-1].kind == RowKind.TOTAL and out.rows[-1].label == "Tổng cộng = (I) + (II)"
    value = value_at(out, len(out.rows) - 1, COLUMN)
    assert value.status == ValueStatus.FLAGGED and "by its place" in (value.flag_reason or "")
    # an STT read as one (a number, a numeral, a bullet) still names a row of its own
    for stt in ("7", "III", "-"):
        out = note_missing_total(
            _7b((stt, "sáng s D+ŒD")),
            F7B,
            S.label_legible_min_share,
            S.total_sums_min,
            S.total_label_words_max,
        )
        assert out.rows[-1].kind != RowKind.TOTAL, stt


def test_a_nameless_first_row_above_section_one_is_the_total_when_its_numbers_are_the_sums() -> None:
    table = _7b(None, first=("", "|"))
    extra = {(0, "hop_dong"): "5", (1, "hop_dong"): "2", (3, "hop_dong"): "3"}
    extra |= {(0, "dat_chuan"): "9", (1, "dat_chuan"): "4", (3, "dat_chuan"): "5"}
    summed = _with_cells(table, extra)
    out = note_missing_total(
        summed, F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max
    )
    assert out.rows[0].kind == RowKind.TOTAL and out.rows[0].label == "Tổng cộng = (I) + (II)"
    # nameless, but the sums shown in one column only: a piece of the header, maybe
    assert (
        note_missing_total(table, F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max)
        .rows[0]
        .kind
        != RowKind.TOTAL
    )


def _with_cells(table: TableResult, cells: dict[tuple[int, str], str]) -> TableResult:
    """``table`` with the numbers ``cells`` (row, column -> text) read in those cells."""
    values = tuple(
        replace(v, number=float(cells[(v.row_index, v.column_key)]), value_kind="number")
        if (v.row_index, v.column_key) in cells
        else v
        for v in table.values
    )
    return replace(table, values=values)


def test_no_total_by_place_where_the_row_is_named_or_stands_elsewhere() -> None:
    for last in (("", "Trong đó: nữ"), ("2", "")):  # a legible label; an STT
        out = note_missing_total(
            _7b(last), F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max
        )
        assert out.rows[-1].kind != RowKind.TOTAL
        assert any("was not found" in i for i in out.issues)
    # a nameless row in the middle of the list is no total
    table = _7b(None)
    middle = replace(table.rows[1], index="", label="")
    table = replace(table, rows=(table.rows[0], middle, *table.rows[2:]))
    out = note_missing_total(table, F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max)
    assert all(r.kind != RowKind.TOTAL for r in out.rows)
    # nameless rows at both ends, the first showing no sums (a piece of the header): the last one
    both = note_missing_total(
        _7b(("", ""), first=("", "")),
        F7B,
        S.label_legible_min_share,
        S.total_sums_min,
        S.total_label_words_max,
    )
    assert [r.kind == RowKind.TOTAL for r in both.rows] == [False] * (len(both.rows) - 1) + [True]
    # both the sections' sums: which is the total cannot be told
    sums = {(0, "hop_dong"): "5", (1, "hop_dong"): "2", (3, "hop_dong"): "3", (5, "hop_dong"): "5"}
    sums |= {(0, "dat_chuan"): "9", (1, "dat_chuan"): "4", (3, "dat_chuan"): "5", (5, "dat_chuan"): "9"}
    two = _with_cells(_7b(("", ""), first=("", "")), sums)
    assert all(
        r.kind != RowKind.TOTAL
        for r in note_missing_total(
            two, F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max
        ).rows
    )


def test_validate_document_names_the_total_and_never_verifies_it() -> None:
    doc = DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[_7b(("", ""))]
    )
    out = validate_document(doc, {"7B": F7B}, S).tables[0]
    assert out.rows[-1].kind == RowKind.TOTAL
    value = value_at(out, len(out.rows) - 1, COLUMN)
    assert value.status == ValueStatus.FLAGGED and "by its place" in (value.flag_reason or "")


def test_a_total_row_lost_whole_gets_a_placeholder_below_the_sections() -> None:
    # dev_229_fax_150's 10B: the total printed alone on the next page, that page's table not
    # found; 9 printed numbers were in no output
    table = _7b(None)
    out = add_placeholder_rows(table, F7B, None, S)
    total = out.rows[-1]
    assert (total.kind, total.key, total.label) == (RowKind.TOTAL, "total", "Tổng cộng = (I) + (II)")
    cells = [v for v in out.values if v.row_index == len(out.rows) - 1]
    assert cells and all(is_placeholder(v) and v.status == ValueStatus.FLAGGED for v in cells)
    assert all(v.number is None and ROW_NOT_FOUND in (v.flag_reason or "") for v in cells)
    last = value_at(table, len(table.rows) - 1, COLUMN)
    box = value_at(out, len(out.rows) - 1, COLUMN).box
    assert box.y0 >= last.box.y1  # under the last row read, where the total is printed
    # the other rows keep everything
    assert out.rows[:-1] == table.rows and out.values[: len(table.values)] == table.values
    # validated, the rule over it judges nothing and the issue of a lost total is not raised again
    doc = DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[table]
    )
    done = validate_document(doc, {"7B": F7B}, S, place_missing_rows=True).tables[0]
    assert done.rows[-1].kind == RowKind.TOTAL and not any(
        "was not found: its values" in i for i in done.issues
    )
    assert all(v.status == ValueStatus.FLAGGED for v in done.values if v.row_index == len(done.rows) - 1)


def test_no_total_placeholder_where_a_row_may_be_the_total_or_another_table_has_it() -> None:
    assert add_placeholder_rows(_7b(("", "")), F7B, None, S).rows[-1].kind != RowKind.TOTAL  # named later
    read = _7b(("", "Tổng cộng"))
    assert add_placeholder_rows(read, F7B, None, S) == read
    other = build_table(F7B, Spec(rows=[row(RowKind.TOTAL, "", "total", "Tổng cộng = (I) + (II)")]))
    assert add_placeholder_rows(_7b(None), F7B, None, S, [other]) == _7b(None)
    # a table without the sections (a piece of the form) expects no total
    piece = build_table(
        F7B, Spec(rows=[row(RowKind.ITEM, "1", "1", "Xã An Lạc")], cells={(0, COLUMN): Cell("3", 95.0)})
    )
    assert add_placeholder_rows(piece, F7B, None, S) == piece


def _garbled_last(numbers: list[str]) -> TableResult:
    """7B's sections and a last row, no STT, its label garbled but legible ("TS UV. - 7"), with
    ``numbers`` in three columns; sections I and II hold 12 / 30, 1 / 2, 5 / 5 there."""
    rows = [*sections_7b(), row(RowKind.SUBITEM, "", "II/1/x", "TS UV. - 7", key="II/1/x")]
    columns = ("bien_che", "hop_dong", "dat_chuan")
    sections = {0: ("12", "1", "5"), 1: ("12", "1", "5"), 2: ("30", "2", "5"), 3: ("30", "2", "5")}
    cells = {(i, c): Cell(n, 95.0) for i, ns in sections.items() for c, n in zip(columns, ns, strict=True)}
    cells.update({(4, c): Cell(n, 95.0) for c, n in zip(columns, numbers, strict=True)})
    return build_table(F7B, Spec(rows=rows, cells=cells))


def test_a_last_row_whose_numbers_are_the_sections_sums_is_the_total_and_keeps_its_status() -> None:
    # dev_228_hard_200's 5B: the total read "TS UV. - 7", its numbers right and standing verified,
    # paired with no printed row (9 numbers counted lost, 9 sure numbers on no printed cell)
    table = _garbled_last(["42", "3", "10"])
    out = note_missing_total(table, F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max)
    assert out.rows[-1].kind == RowKind.TOTAL and out.rows[-1].label == "Tổng cộng = (I) + (II)"
    before = [v for v in table.values if v.row_index == 4]
    after = [v for v in out.values if v.row_index == 4]
    assert [(v.number, v.status, v.flag_reason) for v in after] == [
        (v.number, v.status, v.flag_reason) for v in before
    ]
    assert all(v.row_kind == "total" for v in after)
    assert any("by its place and its numbers" in i and "TS UV. - 7" in i for i in out.issues)
    # one column that is not the sum: not named, and no placeholder over it either
    wrong = _garbled_last(["42", "3", "11"])
    assert (
        note_missing_total(wrong, F7B, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max)
        .rows[-1]
        .kind
        != RowKind.TOTAL
    )
    assert add_placeholder_rows(wrong, F7B, None, S) == wrong


def test_the_sums_needed_are_a_setting() -> None:
    table = _garbled_last(["42", "3", "10"])  # the sums hold in 3 columns
    assert (
        note_missing_total(table, F7B, S.label_legible_min_share, 3, S.total_label_words_max).rows[-1].kind
        == RowKind.TOTAL
    )
    assert (
        note_missing_total(table, F7B, S.label_legible_min_share, 4, S.total_label_words_max).rows[-1].kind
        != RowKind.TOTAL
    )
    assert S.total_sums_min == 3
