"""Rows whose label cannot be read (extract.validate.labels): their values are not trusted as a
known row's (dev_044_hard_300's 4B row II/1 "sácK€W LÍ", dev_072_hard_300's 1B row 3: numbers
standing ``read``/``verified`` beside a label nobody can tell a row by)."""

from __future__ import annotations

from validate_builders import Spec, agreeing, build_table, row, value_at

from extract.config import FormSpec, load_forms
from extract.model import DocumentMeta, DocumentResult, RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.labels import flag_illegible_labels, legible_share
from extract.validate.statuses import validate_document

S = ValidateSettings()
COL = "dang_hieu_luc"  # 4B's "Số TTHC đang có hiệu lực": no rule within a row covers it


def _4b() -> FormSpec:
    return next(f for f in load_forms() if f.code == "4B")


def _table(labels: list[tuple[RowKind, str, str]], numbers: list[int | None]) -> TableResult:
    rows = [row(kind, stt, f"r{i}", label) for i, (kind, stt, label) in enumerate(labels)]
    cells = {(i, COL): agreeing("" if n is None else str(n)) for i, n in enumerate(numbers)}
    return build_table(_4b(), Spec(rows=rows, cells=cells))


def _validated(table: TableResult) -> TableResult:
    doc = DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[table]
    )
    return validate_document(doc, {"4B": _4b()}, S).tables[0]


def test_the_values_of_a_row_with_an_illegible_label_are_flagged() -> None:
    table = _validated(
        _table(
            [
                (RowKind.ITEM, "1", "sácK€W LÍ"),
                (RowKind.ITEM, "2", "Lĩnh vực Chính sách"),
                (RowKind.ITEM, "3", ". X€MIÍ? L Đ\\ > o4 'S ba ÀÌ É"),
            ],
            [50, 32, None],
        )
    )
    v = value_at(table, 0, COL)
    assert v.status == ValueStatus.FLAGGED and v.number == 50
    assert "label not legible ('sácK€W LÍ')" in v.flag_reason
    assert value_at(table, 1, COL).status == ValueStatus.READ  # a label of words
    assert value_at(table, 2, COL).status == ValueStatus.BLANK  # a blank stays blank
    issue = next(i for i in table.issues if i.startswith("rows whose label is not legible"))
    assert "1 'sácK€W LÍ'" in issue and '3 ". X€MIÍ?' in issue and "Chính sách" not in issue


def test_a_label_of_marks_and_no_word_is_not_legible() -> None:
    """dev_093_hard_300's 9B row 2 ". . , 7 ." and dev_044_hard_300's 4B row II/3 "-4": their
    numbers stood ``read``; an empty label or an STT alone ("3", "2.1") is left to the rows."""
    labels = [(RowKind.ITEM, "2", ". . , 7 ."), (RowKind.ITEM, "3", "-4"), (RowKind.ITEM, "4", "2.1")]
    labels += [(RowKind.ITEM, "5", ""), (RowKind.ITEM, "6", "b")]  # an enumerator: "a", "b"
    table = flag_illegible_labels(_table(labels, [75, 6, 3, 8, 9]), S.label_legible_min_share)
    assert [value_at(table, i, COL).status for i in range(5)] == [
        ValueStatus.FLAGGED,
        ValueStatus.FLAGGED,
        ValueStatus.READ,
        ValueStatus.READ,
        ValueStatus.READ,
    ]


def test_rows_named_otherwise_are_not_judged_by_their_label() -> None:
    """A total whose "(I) + (II)" was read as marks, a section (its STT names it), a label of
    well-formed words with OCR noise, and a label of numbers only stay as read."""
    labels = [
        (RowKind.SECTION, "II", "UBNDcấpxã ___"),
        (RowKind.ITEM, "1", "Lĩnh vực thế dục thểthao -"),
        (RowKind.ITEM, "2", "Kiếm tra công tác CCHC"),
        (RowKind.ITEM, "", "Tổng số @) + qĐ"),
        (RowKind.ITEM, "3", "12"),
    ]
    table = _table(labels, [1, 2, 3, 4, 5])
    assert flag_illegible_labels(table, S.label_legible_min_share) is table


def test_legible_share_counts_well_formed_words() -> None:
    assert legible_share("Lĩnh vực Chính sách") == 1.0
    assert legible_share("sácK€W LÍ") == 0.5  # "sácK€W" is no word, "LÍ" is
    assert legible_share("12 - 3") is None
    # marks standing alone that a label does not print count as words not read (dev_4568's 4B
    # row II/10 "Lĩnh vực đường thủy nội địa" read "Hự / : ẳ", its values verified)
    assert legible_share("Hự / : ẳ") <= 0.5
    assert legible_share("Đất ở") == 1.0
    assert legible_share("Khác .") == 1.0
    assert legible_share("- Số đơn vị tự bảo đảm chi thường xuyên") == 1.0
    assert legible_share("Tổng (I) + (II)") == 1.0
    assert legible_share("Số VBQPPL được ban hành đúng quy trình, thủ tục theo quy định") == 1.0


def test_the_share_is_a_setting() -> None:
    table = _table([(RowKind.ITEM, "1", "lá duŠ áp")], [7])  # two words of three
    assert flag_illegible_labels(table, 0.5) is table
    flagged = flag_illegible_labels(table, 0.7)
    assert value_at(flagged, 0, COL).status == ValueStatus.FLAGGED
