"""Rows of a fixed-row form named by the declared row they pair with (issue 9, trust18).

Seen on dev-new17's hard scans (dev_1047_hard_200, dev_1087_hard_300, dev_1019_hard_200): 9B's
"- Số đơn vị tự bảo đảm chi thường xuyên" read "Số đơn vị tự b&ô Vắh(/@hj thường xuyên" with no
STT.  The declared rows' order paired it with its row (its "3" verified by the sum), yet it kept
the garbled label: no user, join or review could find it (the benchmark paired it with no printed
row).  And dev_1031_hard_300's row with the STT cell "Số.đơn.viđựo" (words, with dots) was taken
for a row deeper than any declared row and never judged: its "119" stood ``read`` under a label
naming no row.
"""

from __future__ import annotations

from validate_builders import Cell, Spec, build_table, row, value_at

from extract.config import FormSpec, load_forms
from extract.model import RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.declared_rows import check_declared_rows, declared_pairs

S = ValidateSettings()
F2B = {f.code: f for f in load_forms()}["2B"]
GARBLED = "Sô VBQPPL phải r&ô Vắh(/@hj trong kỳ báo cáo"  # row 10, "- Số VBQPPL phải rà soát …"


def _table(changed: dict[int, tuple[str, str] | None], form: FormSpec = F2B) -> TableResult:
    """Form 2B's declared rows as read: ``changed`` replaces a row's (STT, label) (None: the row
    lost); every row has the number 10 + its place in ``tong_so``."""
    rows, cells = [], {}
    for i, d in enumerate(form.rows):
        stt, label = changed.get(i, (d["index"], d["label"])) or ("", "")
        if i in changed and changed[i] is None:
            continue
        cells[(len(rows), "tong_so")] = Cell(str(10 + i), 95.0)
        kind = RowKind.SUBITEM if d["index"] in ("-", "") else RowKind.ITEM
        rows.append(row(kind, stt, f"r{i}", label, key=f"r{i}"))
    return build_table(form, Spec(rows=rows, cells=cells))


def _check(table: TableResult) -> TableResult:
    return check_declared_rows(
        table, F2B, S.declared_row_min_score, S.declared_row_rename_below, S.declared_row_rename_margin
    )


def test_a_garbled_label_paired_with_its_declared_row_takes_the_declared_label() -> None:
    table = _table({10: ("", GARBLED)})
    before = value_at(table, 10, "tong_so")
    out = _check(table)
    assert out.rows[10].label == F2B.rows[10]["label"]
    assert out.rows[10].index == "-"  # no STT read: the declared one (the bullet is easily lost)
    assert out.rows[10].key == table.rows[10].key  # the key is kept
    v = value_at(out, 10, "tong_so")
    assert v.status == before.status and v.number == before.number  # the pairing trusts the row
    assert v.row_label == F2B.rows[10]["label"]
    assert any(GARBLED in i and "named so" in i for i in out.issues)
    # the other rows are untouched
    assert [r for i, r in enumerate(out.rows) if i != 10] == [r for i, r in enumerate(table.rows) if i != 10]


def test_labels_read_well_enough_keep_their_reading_and_the_setting_turns_it_off() -> None:
    near = "Số VBQPPL phải rà soát tr0ng kỳ bá0 cá0"  # 93.5: read, not garbled
    table = _table({10: ("-", near)})
    assert _check(table) is table
    garbled = _table({10: ("", GARBLED)})
    assert check_declared_rows(garbled, F2B, S.declared_row_min_score, 0.0) is garbled


def test_an_stt_cell_of_words_with_dots_is_no_deep_stt() -> None:
    """dev_1031_hard_300's 9B: "Số.đơn.viđựo" in the STT cell and a garbled label, in the place of
    a declared row lost with another: judged, it names no declared row and is flagged."""
    table = _table({12: None, 13: ("Số.đơn.viđựo", "' nhã niớc bảo đảm chỉ thường xuyên")})
    out = _check(table)
    v = value_at(out, 12, "tong_so")
    assert v.status == ValueStatus.FLAGGED and v.number == 23
    assert "names no row that form 2B prints" in (v.flag_reason or "")
    # a real deeper STT ("3.1") is still not judged
    deeper = _table({12: None, 13: ("3.1.2", "' nhã niớc bảo đảm chỉ thường xuyên")})
    assert value_at(_check(deeper), 12, "tong_so").status != ValueStatus.FLAGGED


def test_a_label_read_in_part_is_renamed_whole() -> None:
    """dev_1031_hard_300: "' nhã niớc bảo đảm chỉ thường xuyên" -- the end of 9B's "Số đơn vị
    được nhà nước bảo đảm chi thường xuyên" read well, its start lost with the STT cell's words
    "Số.đơn.viđựo": paired by its part, named by the whole declared label and STT."""
    part = ("Số.vbq.pplph", "' phải rà s0át trong kỳ báo cáo")
    out = _check(_table({10: part}))
    assert (out.rows[10].index, out.rows[10].label) == ("-", F2B.rows[10]["label"])
    assert out.rows[10].printed_index == "Số.vbq.pplph"


def test_a_label_reading_more_like_another_declared_row_keeps_its_reading() -> None:
    """dev_1005_hard_200's 9B: "Số đơn vị tự bảo đảm chỉ thường xuyên : : _=——" paired, by the
    order, with "- Số đơn vị tự bảo đảm chi thường xuyên và chi đầu tư" (the row above lost its
    label) reads more like the next declared row: the pairing rests on the order alone, the
    label is not replaced."""
    like_next = "Số văn bản đã được xử lý sau rà soát : : _=——"  # declared row 12, in row 11's place
    table = _table({11: ("", like_next)})
    judged, pairs = declared_pairs(table, F2B, S.declared_row_min_score)
    assert judged[pairs[11]] == 11  # paired with row 11's declared row by the order
    out = _check(table)
    assert out.rows[11].label == like_next
