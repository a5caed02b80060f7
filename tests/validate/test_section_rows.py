"""Section rows whose label was lost, named by the sections their form prints
(extract.validate.section_rows).

Seen on the dev split's hard scans (dev 2858 hard 300, dev 2888 hard 200): 7B's section "I" read
with its STT and every number but an empty label, and its fixed row "1 Phòng chuyên môn" with an
empty label: 12 + 8 and 14 printed numbers paired with no printed row, their values ``verified``
by the section's sum and standing for no printed row.
"""

from __future__ import annotations

from dataclasses import replace

from validate_builders import Cell, Spec, build_table, one_table_document, row, value_at

from extract.config import load_forms
from extract.model import DocumentMeta, DocumentResult, RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.section_rows import flag_undeclared_sections, name_section_rows
from extract.validate.statuses import validate_document

S = ValidateSettings()
FORMS = {f.code: f for f in load_forms()}
F7B, F10B, F2B = FORMS["7B"], FORMS["10B"], FORMS["2B"]
COLUMN = "bien_che"


def _7b(
    labels: dict[int, str], numbers: tuple[str, ...] = ("42", "12", "30", "88", "46", "46")
) -> TableResult:
    """7B's sections as printed (I with two of its fixed rows, II with one commune), labels
    replaced by ``labels`` (row -> label as read); ``numbers`` in ``bien_che``."""
    rows = [
        row(RowKind.SECTION, "I", "I", "UBND cấp huyện"),
        row(RowKind.ITEM, "1", "I/1", "Phòng chuyên môn"),
        row(RowKind.ITEM, "2", "I/2", "Sự nghiệp huyện"),
        row(RowKind.TOTAL, "", "total", "Tổng cộng = (I) + (II)"),
        row(RowKind.SECTION, "II", "II", "UBND cấp xã"),
        row(RowKind.ITEM, "1", "II/1", "Xã An Lạc"),
    ]
    rows = [replace(r, label=labels.get(i, r.label)) for i, r in enumerate(rows)]
    cells = {(i, COLUMN): Cell(n, 95.0) for i, n in enumerate(numbers)}
    return build_table(F7B, Spec(rows=rows, cells=cells))


def _named(table: TableResult, form=F7B) -> TableResult:  # type: ignore[no-untyped-def]
    return name_section_rows(table, form, S.label_legible_min_share, S.section_label_same_min)


def test_a_section_read_without_its_label_is_named_by_its_form() -> None:
    table = _7b({0: ""})
    out = _named(table)
    assert out.rows[0].label == "UBND cấp huyện"
    assert (out.rows[0].kind, out.rows[0].index, out.rows[0].key) == (RowKind.SECTION, "I", "I")
    value = value_at(out, 0, COLUMN)
    assert value.number == 42 and value.row_label == "UBND cấp huyện"
    assert value.status == ValueStatus.FLAGGED and "by its STT" in (value.flag_reason or "")
    assert any("row 'I' is form 7B's row 'UBND cấp huyện'" in i and "read ''" in i for i in out.issues)
    assert out.rows[1:] == table.rows[1:]  # the other rows untouched


def test_a_value_a_rule_bore_out_keeps_its_status() -> None:
    table = _7b({0: ""})
    verified = value_at(table, 0, COLUMN)
    table = replace(
        table,
        values=tuple(replace(v, status=ValueStatus.VERIFIED) if v is verified else v for v in table.values),
    )
    value = value_at(_named(table), 0, COLUMN)
    assert value.status == ValueStatus.VERIFIED and value.row_label == "UBND cấp huyện"


def test_a_fixed_row_under_section_i_read_as_marks_or_empty_is_named() -> None:
    out = _named(_7b({1: "", 2: "`. ,- ~"}))
    assert (out.rows[1].label, out.rows[2].label) == ("Phòng chuyên môn", "Sự nghiệp huyện")
    assert value_at(out, 2, COLUMN).status == ValueStatus.FLAGGED


def test_a_legible_label_or_a_row_the_form_does_not_fix_is_left_as_read() -> None:
    # a report's own wording of a section, a unit of its own, a commune: never replaced
    for labels in ({0: "Cơ quan cấp huyện"}, {1: "Phòng Nội vụ"}, {5: ""}, {3: ""}):
        table = _7b(labels)
        assert _named(table) == table
    # a section numeral the form does not print, an item under section II
    table = _7b({})
    odd = replace(table, rows=(replace(table.rows[0], index="III", path="III", label=""), *table.rows[1:]))
    assert _named(odd) == odd
    # another row reads as the label already: the empty one is not it
    two = _7b({0: "", 1: "UBND cấp huyện"})
    assert _named(two) == two
    # a form without sections
    table2b = build_table(F2B, Spec(rows=[row(RowKind.SECTION, "I", "I", "")], cells={}))
    assert _named(table2b, F2B) == table2b


def test_10b_section_ii_read_as_marks_is_named() -> None:
    rows = [
        row(RowKind.SECTION, "I", "I", "UBND cấp huyện"),
        row(RowKind.SECTION, "II", "II", "ˆ`*. ;"),
        row(RowKind.ITEM, "1", "II/1", "Xã An Lạc"),
    ]
    table = build_table(F10B, Spec(rows=rows, cells={(1, "van_ban_di_tong"): Cell("9", 95.0)}))
    out = _named(table, F10B)
    assert out.rows[1].label == "UBND cấp xã"
    assert any("'ˆ`*. ;'" in i for i in out.issues)


def test_validate_document_names_the_section() -> None:
    doc = DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[_7b({0: ""})]
    )
    out = validate_document(doc, {"7B": F7B}, S).tables[0]
    assert out.rows[0].label == "UBND cấp huyện"
    assert value_at(out, 0, COLUMN).row_label == "UBND cấp huyện"


# Sections the form does not print (flag_undeclared_sections).  Seen on the dev split: 7B's total
# "Tổng cộng" read "Xổng Êổng" with STT "E" (dev 3714 hard 200, 16 numbers read, standing for no
# printed row), 5B's row "A" (dev 3644 hard 200, 9 numbers verified by its own sums, no printed
# row), 11B's "IV" (dev 3735), 4B's "B" (dev 2930) and 10B's II read "III" (dev 2805).


def _undeclared(index: str, status: ValueStatus = ValueStatus.READ) -> TableResult:
    """7B as printed with one more section ``index`` holding an item (numbers of ``status``)."""
    rows = [
        row(RowKind.SECTION, "I", "I", "UBND cấp huyện"),
        row(RowKind.ITEM, "1", "I/1", "Phòng chuyên môn"),
        row(RowKind.SECTION, "II", "II", "UBND cấp xã"),
        row(RowKind.ITEM, "1", "II/1", "Xã An Lạc"),
        row(RowKind.SECTION, index, index, "Xổng Êổng"),
        row(RowKind.ITEM, "1", f"{index}/1", "Xã Bình Minh"),
    ]
    cells = {(i, COLUMN): Cell(n, 95.0) for i, n in enumerate(("42", "42", "46", "46", "88", "7"))}
    table = build_table(F7B, Spec(rows=rows, cells=cells))
    return replace(
        table, values=tuple(replace(v, status=status) if v.row_index >= 4 else v for v in table.values)
    )


def test_numbers_under_a_section_the_form_does_not_print_are_flagged() -> None:
    for index in ("E", "III", "B"):
        for status in (ValueStatus.READ, ValueStatus.VERIFIED):
            table = _undeclared(index, status)
            out = flag_undeclared_sections(table, F7B)
            for i in (4, 5):
                value = value_at(out, i, COLUMN)
                assert value.status == ValueStatus.FLAGGED, (index, status, i)
                assert f"under section {index!r}" in (value.flag_reason or "")
                assert value.number == value_at(table, i, COLUMN).number  # the number kept
            for i in range(4):  # the declared sections' rows untouched
                assert value_at(out, i, COLUMN) == value_at(table, i, COLUMN)
            assert any(f"section {index!r}" in i and "does not print" in i for i in out.issues)
            assert out.rows == table.rows


def test_declared_sections_and_forms_without_sections_are_left_as_they_are() -> None:
    table = _7b({})
    assert flag_undeclared_sections(table, F7B) == table
    table2b = build_table(
        F2B, Spec(rows=[row(RowKind.SECTION, "B", "B", "x")], cells={(0, "tong_so"): Cell("5", 95.0)})
    )
    assert flag_undeclared_sections(table2b, F2B) == table2b


def test_validate_document_flags_an_undeclared_section() -> None:
    out = validate_document(one_table_document(_undeclared("E")), {"7B": F7B}, S).tables[0]
    assert value_at(out, 4, COLUMN).status == ValueStatus.FLAGGED
    assert value_at(out, 5, COLUMN).status == ValueStatus.FLAGGED


def test_rows_under_it_checked_across_their_own_row_keep_their_status() -> None:
    # 5B (dev_4608, hard 300): the commune "1 Xã Xuân Hồng" read "F": the communes below hang under
    # "F"; their row sums ((3)=(4)+(5)) place their numbers, the "F" row's own numbers are flagged
    f5b = FORMS["5B"]
    rows = [
        row(RowKind.SECTION, "II", "II", "TTHC thuộc phạm vi thẩm quyền giải quyết của UBND cấp xã"),
        row(RowKind.SECTION, "F", "F", "Xã Xuân Hồng"),
        row(RowKind.ITEM, "2", "F/2", "Xã Xuân Minh"),
    ]
    cells = {(i, "tiep_nhan_tong"): Cell("30", 95.0) for i in range(3)}
    table = build_table(f5b, Spec(rows=rows, cells=cells))
    table = replace(
        table,
        values=tuple(
            replace(v, status=ValueStatus.VERIFIED, rule="(3)=(4)+(5)") if v.number is not None else v
            for v in table.values
        ),
    )
    out = flag_undeclared_sections(table, f5b)
    assert value_at(out, 1, "tiep_nhan_tong").status == ValueStatus.FLAGGED
    assert value_at(out, 2, "tiep_nhan_tong") == value_at(table, 2, "tiep_nhan_tong")
    assert value_at(out, 0, "tiep_nhan_tong") == value_at(table, 0, "tiep_nhan_tong")
