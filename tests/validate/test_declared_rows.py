"""The rows a fixed-row form declares, checked against the rows read (extract.validate.declared_rows).

Seen on the dev split's hard and fax scans: 2B rows with the STT "-" lost without a word
(dev_012_fax_150, dev_032_hard_200), a 2B row read as marks ("=#bic » BH đề nghị xử lý sau rà
ˆ ` {") standing ``read``, 7B and 6B total rows lost (dev_012_fax_150: 17 numbers, dev_026: 10).
"""

from __future__ import annotations

from dataclasses import replace

from validate_builders import Cell, Spec, agreeing, build_table, row, value_at

from extract.config import FormSpec, load_forms
from extract.model import DocumentMeta, DocumentResult, RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.declared_rows import check_declared_rows, note_missing_total
from extract.validate.statuses import validate_document

S = ValidateSettings()
FORMS = {f.code: f for f in load_forms()}
F2B = FORMS["2B"]


def _kind(index: str) -> RowKind:
    return RowKind.SUBITEM if index in ("-", "") else RowKind.ITEM


def _table_2b(labels: dict[int, str | None], form: FormSpec = F2B, column: str = "tong_so") -> TableResult:
    """Form 2B's declared rows as read: ``labels`` replaces a row's label (None: the row lost);
    every row has the number 10 + its place in ``column``."""
    rows, cells = [], {}
    for i, d in enumerate(form.rows):
        label = labels.get(i, d["label"])
        if label is None:
            continue
        cells[(len(rows), column)] = Cell(str(10 + i), 95.0)
        rows.append(row(_kind(d["index"]), d["index"], f"r{i}", label, key=f"r{i}"))
    return build_table(form, Spec(rows=rows, cells=cells))


def test_every_declared_row_read_raises_nothing() -> None:
    # labels read with OCR noise still name their rows
    table = _table_2b(
        {1: "Số VBQPPL đã đươc ban hành trong kỳ báo cáo", 10: "Sô VBQPPL phải rà soát trong kỳ báo cáo"}
    )
    assert check_declared_rows(table, F2B, S.declared_row_min_score) is table


def test_a_declared_row_lost_is_named_where_it_was() -> None:
    table = _table_2b({10: None})  # "- Số VBQPPL phải rà soát trong kỳ báo cáo" lost
    out = check_declared_rows(table, F2B, S.declared_row_min_score)
    issue = next(i for i in out.issues if "not found" in i)
    assert "Số VBQPPL phải rà soát trong kỳ báo cáo" in issue
    assert "after row '3 Rà soát VBQPPL'" in issue
    assert all(v.status == w.status for v, w in zip(out.values, table.values, strict=True))  # nothing flagged


def test_a_row_of_marks_in_a_lost_rows_place_is_that_row_flagged() -> None:
    marks = "=#bic » BH ˆ ` {"
    table = _table_2b({11: marks})  # "- Số văn bản được đề nghị xử lý sau rà soát" read as marks
    before = value_at(table, 11, "tong_so")
    assert before.status != ValueStatus.FLAGGED
    out = check_declared_rows(table, F2B, S.declared_row_min_score)
    assert out.rows[11].label == F2B.rows[11]["label"]  # the declared label, by its place
    v = value_at(out, 11, "tong_so")
    assert v.status == ValueStatus.FLAGGED and v.number == before.number
    assert v.row_label == F2B.rows[11]["label"]
    assert marks in (v.flag_reason or "") and "by its place" in (v.flag_reason or "")
    assert any(marks in i and "between rows" in i for i in out.issues)
    assert not any("not found" in i for i in out.issues)


def test_a_row_naming_no_declared_row_is_flagged_when_its_place_does_not_settle_it() -> None:
    # two declared rows lost, one row of marks between their neighbours: which is it?
    table = _table_2b({11: "=#bic » BH ˆ ` {", 12: None})
    out = check_declared_rows(table, F2B, S.declared_row_min_score)
    v = value_at(out, 11, "tong_so")
    assert v.status == ValueStatus.FLAGGED and "names no row that form 2B prints" in (v.flag_reason or "")
    assert out.rows[11].label == "=#bic » BH ˆ ` {"  # left as read
    assert any("rows naming no row" in i for i in out.issues)
    assert any("not found" in i and "Số văn bản đã được xử lý sau rà soát" in i for i in out.issues)


def test_an_stt_misread_still_pairs_its_row() -> None:
    # 13B's section "I" read as "1": the label names it
    f13 = FORMS["13B"]
    rows = [
        row(RowKind.ITEM if d["index"] != "I" else RowKind.SECTION, d["index"], f"r{i}", d["label"])
        for i, d in enumerate(f13.rows)
    ]
    rows[0] = row(RowKind.ITEM, "1", "r0", f13.rows[0]["label"])
    table = build_table(f13, Spec(rows=rows))
    assert check_declared_rows(table, f13, S.declared_row_min_score) is table


def test_communes_under_a_declared_row_are_not_judged() -> None:
    f3b = FORMS["3B"]
    rows = [row(_kind(d["index"]), d["index"], f"r{i}", d["label"]) for i, d in enumerate(f3b.rows)]
    communes = [row(RowKind.SUBITEM, f"2.2.{k}", f"c{k}", f"Xã Tân {k}") for k in (1, 2)]
    garbled = row(RowKind.SUBITEM, "2.2.3", "c3", "ẤV@ ~~")  # deeper than any declared STT
    rows = rows[:4] + communes + [garbled] + rows[4:]
    table = build_table(f3b, Spec(rows=rows))
    assert check_declared_rows(table, f3b, S.declared_row_min_score) is table


def _sections_7b(total: str | None) -> TableResult:
    f7b = FORMS["7B"]
    rows = [
        row(RowKind.SECTION, "I", "I", "UBND cấp huyện"),
        row(RowKind.ITEM, "1", "I/1", "Phòng chuyên môn"),
        row(RowKind.SECTION, "II", "II", "UBND cấp xã"),
        row(RowKind.ITEM, "1", "II/1", "Xã An Lạc"),
    ]
    if total is not None:
        rows.append(row(RowKind.ITEM, "25", "25", total))  # a total read with an STT
    return build_table(f7b, Spec(rows=rows))


def test_a_total_row_lost_is_named() -> None:
    f7b = FORMS["7B"]
    out = note_missing_total(
        _sections_7b(None), f7b, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max
    )
    assert any("total row" in i and "Tổng cộng = (I) + (II)" in i for i in out.issues)
    # a total read as another kind of row, its label garbled ("Tống số (D) + qI)"), was read
    table = _sections_7b("Tống số (D) + qI)")
    assert (
        note_missing_total(table, f7b, S.label_legible_min_share, S.total_sums_min, S.total_label_words_max)
        is table
    )


def test_validate_document_checks_declared_rows_and_totals() -> None:
    table = _table_2b({10: None})
    doc = DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[table]
    )
    doc = validate_document(doc, FORMS, S)
    assert any("not found" in i for i in doc.tables[0].issues)


def test_a_label_read_into_the_stt_cell_names_its_row() -> None:
    # dev_208_fax_150's 1B: the last two rows' labels read, spaces lost, in their STT cells and a
    # number in their label cells (the columns read one off); the rows named no row of 1B and
    # their numbers paired with no printed row
    f1b = FORMS["1B"]
    rows, cells = [], {}
    for i, d in enumerate(f1b.rows):
        if i < len(f1b.rows) - 2:
            rows.append(row(RowKind.ITEM, d["index"], f"r{i}", d["label"], key=f"r{i}"))
        else:
            rows.append(row(RowKind.ITEM, d["label"].replace(" ", ""), f"r{i}", "42", key=f"r{i}"))
        cells[(i, "van_de_phat_hien")] = agreeing(str(10 + i))
    table = build_table(f1b, Spec(rows=rows, cells=cells))
    out = check_declared_rows(table, f1b, S.declared_row_min_score)
    for i in (len(rows) - 2, len(rows) - 1):
        declared = f1b.rows[i]
        assert (out.rows[i].index, out.rows[i].label) == (declared["index"], declared["label"])
        assert out.rows[i].printed_index == declared["label"].replace(" ", "")
        v = value_at(out, i, "van_de_phat_hien")
        assert v.status == ValueStatus.FLAGGED and "read shifted" in (v.flag_reason or "")
        assert v.row_label == declared["label"]
    assert not any("naming no row" in i for i in out.issues)
    # the rows read right are untouched
    assert out.rows[: len(rows) - 2] == table.rows[: len(rows) - 2]
    assert value_at(out, 0, "van_de_phat_hien").status == value_at(table, 0, "van_de_phat_hien").status


def test_a_label_read_without_its_spaces_still_names_its_row() -> None:
    table = _table_2b({10: F2B.rows[10]["label"].replace(" ", "")})
    assert check_declared_rows(table, F2B, S.declared_row_min_score) is table


def test_rows_at_the_tables_edges_are_the_declared_rows_lost_there_by_their_place() -> None:
    """Dev 1122's 1B: its last row, STT "%" and label "Kiể a một}sổ|nội du ác" (a seal over
    "5 Kiểm tra một số nội dung khác"), named no declared row and the declared row was "not
    found": the gap at the table's end has as many rows as declared rows lost, no STT printed
    against the declared one -- the row is that declared row by its place, flagged.  Dev 1013's
    8B: the same at the table's start, its first two rows with STTs "1" and "2"."""
    f1b = FORMS["1B"]
    last = len(f1b.rows) - 1
    table = _table_2b({last: "Kiể a một}sổ|nội du ác"}, f1b, "kiem_tra_phong_ban")
    table = replace(table, rows=(*table.rows[:last], replace(table.rows[last], index="%")))
    out = check_declared_rows(table, f1b, S.declared_row_min_score)
    assert out.rows[last].label == f1b.rows[last]["label"]
    v = value_at(out, last, "kiem_tra_phong_ban")
    assert v.status == ValueStatus.FLAGGED and "by its place" in (v.flag_reason or "")
    assert any("the table's last rows" in i for i in out.issues) and not any(
        "not found" in i for i in out.issues
    )
    # the first rows of 2B, their STTs as declared
    table = _table_2b({0: "Kêt qu# b@n h ` {", 1: "S$ VB đã b@n ` `"})
    out = check_declared_rows(table, F2B, S.declared_row_min_score)
    assert [r.label for r in out.rows[:2]] == [F2B.rows[0]["label"], F2B.rows[1]["label"]]
    assert any("the table's first rows" in i for i in out.issues)


def test_an_edge_row_printing_another_stt_is_not_given_the_lost_row() -> None:
    f1b = FORMS["1B"]
    last = len(f1b.rows) - 1
    table = _table_2b({last: "Kiể a một}sổ|nội du ác"}, f1b, "kiem_tra_phong_ban")
    table = replace(table, rows=(*table.rows[:last], replace(table.rows[last], index="7")))
    out = check_declared_rows(table, f1b, S.declared_row_min_score)
    assert out.rows[last].label == "Kiể a một}sổ|nội du ác"
    assert any("not found" in i for i in out.issues)


def test_first_rows_whose_labels_were_read_empty_are_the_declared_rows_lost_there() -> None:
    """Dev 1031 / 1059's 8B, 1717's 9B, 1125 / 1727's 13B: the table's first rows printed their
    STTs and their labels were read empty; the understanding doubts such a row ("STT '1' with no
    label"), so it was judged no row, the declared row was "not found" and its number paired with
    no printed row.  Now a doubted row whose label was lost, standing where as many declared rows
    were lost, is that row by its place, flagged; a row of numbers with neither STT nor label too."""
    f9b = FORMS["9B"]
    table = _table_2b({0: "", 1: ""}, f9b)
    doubted = "STT '1' with no label: the label was lost or read into another row"
    rows = list(table.rows)
    rows[0] = replace(rows[0], problem=doubted)
    rows[1] = replace(rows[1], index="", problem="no STT and no label: a piece of another row")
    table = replace(table, rows=tuple(rows))
    out = check_declared_rows(table, f9b, S.declared_row_min_score)
    assert [r.label for r in out.rows[:2]] == [f9b.rows[0]["label"], f9b.rows[1]["label"]]
    for i in (0, 1):
        v = value_at(out, i, "tong_so")
        assert v.status == ValueStatus.FLAGGED and "label read empty" in (v.flag_reason or "")
    assert not any("not found" in i for i in out.issues)


def test_a_row_whose_label_was_lost_is_not_given_a_declared_row_of_another_stt() -> None:
    f8b = FORMS["8B"]
    table = _table_2b({0: ""}, f8b, "so_luong")
    table = replace(
        table, rows=(replace(table.rows[0], index="3", problem="STT '3' with no label"), *table.rows[1:])
    )
    out = check_declared_rows(table, f8b, S.declared_row_min_score)
    assert out.rows[0].label == "" and any("not found" in i for i in out.issues)


def test_a_nameless_row_without_numbers_is_not_a_lost_declared_row() -> None:
    f8b = FORMS["8B"]
    table = _table_2b({0: ""}, f8b, "so_luong")
    rows = (replace(table.rows[0], index="", problem="no STT and no label"), *table.rows[1:])
    values = tuple(v for v in table.values if v.row_index != 0)
    out = check_declared_rows(replace(table, rows=rows, values=values), f8b, S.declared_row_min_score)
    assert out.rows[0].label == "" and any("not found" in i for i in out.issues)


def test_a_doubted_row_printing_the_stt_of_a_lost_declared_row_is_that_row_flagged() -> None:
    """Dev 2210's 1B: "3 | Kiểm tra thìy^ hi^" between the declared rows 2 and 4, its label
    garbled into something the understanding doubts (its STT given by the rows around it), was
    judged no row: the declared row 3 "not found", its values paired with no printed row.  A
    doubted row standing where one declared row was lost and printing that row's STT is it by
    its place, flagged; one printing another STT is not."""
    f1b = FORMS["1B"]
    table = _table_2b({2: "Kiểm tra thìy^ hi^"}, f1b, "kiem_tra_phong_ban")
    doubted = "STT read '': '3' given by the rows around it"
    rows = list(table.rows)
    rows[2] = replace(rows[2], problem=doubted)
    out = check_declared_rows(replace(table, rows=tuple(rows)), f1b, S.declared_row_min_score)
    assert out.rows[2].label == f1b.rows[2]["label"]
    v = value_at(out, 2, "kiem_tra_phong_ban")
    assert v.status == ValueStatus.FLAGGED and "label not legible" in (v.flag_reason or "")
    assert not any("not found" in i for i in out.issues)
    rows[2] = replace(rows[2], index="6")  # another STT: not the lost row
    other = check_declared_rows(replace(table, rows=tuple(rows)), f1b, S.declared_row_min_score)
    assert other.rows[2].label == "Kiểm tra thìy^ hi^" and any("not found" in i for i in other.issues)
