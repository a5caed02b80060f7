"""Numbers that stand for no printed cell are not trusted (issue 9): one printed row read twice,
and a table of no known form among a form's pages (extract.validate.structure).

Seen on the dev split's faxes: 2B's first rows read again under its continuation (34, 31, 23 …
twice, one copy ``read`` at no printed row), a 4B page read apart from the 4B pages around it
as a table of no known form (22 numbers ``read`` under columns c2…c8)."""

from __future__ import annotations

from dataclasses import replace

from test_validate_rules import mini_5b
from validate_builders import Spec, agreeing, build_table, form_5b, row, value_at

from extract.config import FormSpec, load_forms
from extract.model import DocumentMeta, DocumentResult, RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.statuses import validate_document
from extract.validate.structure import REPEATED, repeated_rows

S = ValidateSettings()


def _form(code: str) -> FormSpec:
    return next(f for f in load_forms() if f.code == code)


def _doc(*tables: TableResult) -> DocumentResult:
    return DocumentResult(
        document_id="d", source="s.pdf", page_count=9, meta=DocumentMeta(), pages=[], tables=list(tables)
    )


def _2b(lines: list[tuple[str, str, str]]) -> TableResult:
    rows = [row(RowKind.ITEM, stt, f"{stt or 'x'}/{i}", label) for i, (stt, label, _n) in enumerate(lines)]
    cells = {(i, "tong_so"): agreeing(n) for i, (_s, _l, n) in enumerate(lines)}
    return build_table(_form("2B"), Spec(rows=rows, cells=cells))


READ_AGAIN = [
    ("1", "Kết quả ban hành VBQPPL", ""),
    ("", "Số VBQPPL đã được ban hành trong kỳ báo cáo", "34"),
    ("", "Số VBQPPL được ban hành đúng tiến độ", "31"),
    ("2", "Kiểm tra, xử lý VBQPPL", ""),
    ("", "Số VBQPPL đã được ban hành trong kỳ báo cáo", "34"),  # read again: rows 2 and 5
    ("", "Số VBQPPL được ban hành đúng tiến độ", "30"),  # the same label, another number: its own row
    ("", "Số văn bản đã kiểm tra theo thẩm quyền", "23"),
]


def test_a_row_read_twice_is_flagged_in_both_copies_with_a_table_issue() -> None:
    table = _2b(READ_AGAIN)
    assert repeated_rows(table) == {4: 1}
    doc = validate_document(_doc(table), {"2B": _form("2B")}, S)
    out = doc.tables[0]
    for i in (1, 4):
        v = value_at(out, i, "tong_so")
        assert v.status == ValueStatus.FLAGGED and v.flag_reason.startswith(REPEATED)
        assert v.number == 34  # kept, never dropped
    for i in (2, 6):
        assert value_at(out, i, "tong_so").status == ValueStatus.READ
    # the same label with another number is no repeat; out of 2B's order of rows (a "ban hành"
    # row under "2 Kiểm tra") it is flagged as naming no row there (extract/validate/declared_rows.py)
    other = value_at(out, 5, "tong_so")
    assert other.flag_reason is not None and not other.flag_reason.startswith(REPEATED)
    assert "names no row that form 2B prints" in other.flag_reason
    assert any(i.startswith(REPEATED) and "rows 2 and 5" in i for i in out.issues)


def test_rows_alike_in_all_but_their_stt_or_only_zeros_are_not_repeats() -> None:
    """3B lists the district's communes under several items: the same label with the same number
    under another STT is another printed row; rows of zeros or blanks say nothing."""
    lines = [
        ("3.1.1", "Xã Kế An", "5"),
        ("3.2.1", "Xã Kế An", "5"),
        ("", "Số văn bản chưa xử lý", "0"),
        ("", "Số văn bản chưa xử lý", "0"),
    ]
    assert repeated_rows(_2b(lines)) == {}


def _5b(pages: tuple[int, ...]) -> TableResult:
    spec, _ = mini_5b()
    return replace(build_table(form_5b(), spec), pages=pages)


def test_a_table_of_no_known_form_among_a_forms_pages_is_flagged() -> None:
    piece = replace(_5b((6,)), form="unknown", title="Biểu mẫu")  # a 4B page read apart
    doc = validate_document(_doc(_5b((5,)), piece, _5b((7, 8))), {"5B": form_5b()}, S)
    out = doc.tables[1]
    numbers = [v for v in out.values if v.number is not None]
    assert numbers and all(v.status == ValueStatus.FLAGGED for v in numbers)
    assert all("no known form beside form 5B" in (v.flag_reason or "") for v in numbers)
    assert any(i.startswith("page 7: a table of no known form beside form 5B") for i in out.issues)
    # the form's own tables keep their statuses
    assert value_at(doc.tables[0], 2, "tiep_nhan_tong").status == ValueStatus.VERIFIED


def test_a_table_of_no_known_form_far_from_any_form_is_read_as_printed() -> None:
    far = replace(_5b((9,)), form="unknown")
    doc = validate_document(_doc(_5b((0, 1)), far), {"5B": form_5b()}, S)
    numbers = [v for v in doc.tables[1].values if v.number is not None]
    assert numbers and all(v.status == ValueStatus.READ for v in numbers)
    assert not doc.tables[1].issues


def test_a_number_column_blank_in_every_row_gets_a_table_issue() -> None:
    spec, _ = mini_5b()
    table = build_table(form_5b(), spec)
    lost = "dang_giai_quyet_qua_han"  # blank in every row as read: a faint column on a worn scan
    table = replace(
        table,
        values=tuple(
            replace(v, raw_text="", number=None, value_kind="null") if v.column_key == lost else v
            for v in table.values
        ),
    )
    out = validate_document(_doc(table), {"5B": form_5b()}, S).tables[0]
    (issue,) = [i for i in out.issues if i.startswith(f"column {lost} ")]
    assert "blank in all 5 rows" in issue and "lost in reading" in issue
    # the columns with a value somewhere get none; a short table neither (too few rows to say)
    assert not [i for i in out.issues if "blank in all" in i and lost not in i]
    short = replace(table, rows=table.rows[:2], values=tuple(v for v in table.values if v.row_index < 2))
    strict = ValidateSettings(empty_column_min_rows=3)
    assert not any(
        "blank in all" in i
        for i in validate_document(_doc(short), {"5B": form_5b()}, strict).tables[0].issues
    )


def test_a_piece_validated_again_alone_keeps_its_flags() -> None:
    """The review app validates a table alone after a decision: the piece's issue keeps it flagged."""
    piece = replace(_5b((6,)), form="unknown")
    (flagged,) = validate_document(_doc(_5b((5,)), piece), {"5B": form_5b()}, S).tables[1:]
    again = validate_document(_doc(flagged), {"5B": form_5b()}, S).tables[0]
    numbers = [v for v in again.values if v.number is not None]
    assert numbers and all("no known form beside form 5B" in (v.flag_reason or "") for v in numbers)
    assert again.issues == flagged.issues
