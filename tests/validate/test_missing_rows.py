"""Printed rows not read get a placeholder row of flagged values without numbers
(extract.validate.missing_rows; issue 9, "Trust": "a printed value never disappears silently").

Before, a commune row, a declared row or a numbered row lost on a worn scan was at best named in a
table issue; its values were in no output ("row missing": the largest class of unflagged errors
on the hard and fax dev scans).  Now the row is in its place, with its key and label, and every
value column holds a FLAGGED value with no number (``row_not_found``): in the review queue and
in every output, where a reviewer can type the printed values.
"""

from __future__ import annotations

import dataclasses

import pytest
from validate_builders import Cell, Spec, agreeing, build_table, form_5b, row, value_at

from extract.config import load_forms
from extract.model import (
    CommuneMatch,
    DocumentMeta,
    DocumentResult,
    RowInfo,
    RowKind,
    TableResult,
    ValueStatus,
)
from extract.understand.communes import DistrictCommunes
from extract.understand.gazetteer import Gazetteer
from extract.validate import ValidateSettings
from extract.validate.missing_rows import ROW_NOT_FOUND, add_placeholder_rows, is_placeholder
from extract.validate.statuses import PRINTED, validate_document

S = ValidateSettings()
FORMS = {f.code: f for f in load_forms()}
F5B = form_5b()
CO_DO = "925"  # Huyện Cờ Đỏ (Cần Thơ): 10 communes, codes 31222 ... 31277
NUMERIC = [c.key for c in F5B.columns if c.type == "count"]


@pytest.fixture(scope="module")
def communes() -> DistrictCommunes:
    return Gazetteer.load().communes(CO_DO)


def _commune_rows(
    communes: DistrictCommunes, skip: set[int], *, read_as: dict[int, str] | None = None
) -> Spec:
    """5B: section II over the district's communes (STT 1..10, in code order), commune k read
    with (3) = 10 * (k + 1) = (4) + (5); the section's (3) as printed (all communes); ``skip``:
    the communes lost; ``read_as``: communes whose label was read as that text (matching none)."""
    rows = [row(RowKind.SECTION, "II", "II", "UBND cấp xã", key="II")]
    cells: dict[tuple[int, str], Cell] = {}
    for k, c in enumerate(communes.communes):
        if k in skip:
            continue
        n = 10 * (k + 1)
        label = (read_as or {}).get(k, c.name)
        match = None if label != c.name else CommuneMatch(c, 100.0, 50.0)
        info = RowInfo(
            kind=RowKind.COMMUNE if match else RowKind.ITEM,
            index=str(k + 1),
            path=f"II/{k + 1}",
            label=label,
            key=f"commune:{c.code}" if match else f"II/{k + 1}",
            commune=match,
        )
        r = len(rows)
        rows.append(info)
        for key, number in (("tiep_nhan_tong", n), ("tiep_nhan_ky_truoc", n // 2), ("tiep_nhan_moi", n // 2)):
            cells[(r, key)] = agreeing(str(number))
    # the section's total as printed: every commune's (3), lost ones included
    printed = sum(10 * (k + 1) for k in range(len(communes.communes)))
    cells[(0, "tiep_nhan_tong")] = agreeing(str(printed))
    return Spec(rows=rows, cells=cells)


def _table(communes: DistrictCommunes, skip: set[int], **kw: object) -> TableResult:
    """The table as assembled: the rows' own check names the communes not listed."""
    table = build_table(F5B, _commune_rows(communes, skip, **kw))  # type: ignore[arg-type]
    lost = ", ".join(communes.communes[k].name for k in sorted(skip))
    return dataclasses.replace(table, incomplete={"II": f"not found: {lost}"} if skip else {})


def _placeholders(table: TableResult) -> list[RowInfo]:
    rows = {v.row_index for v in table.values if is_placeholder(v)}
    return [table.rows[i] for i in sorted(rows)]


def test_a_commune_lost_from_a_list_gets_a_flagged_row_in_its_place(communes: DistrictCommunes) -> None:
    table = _table(communes, {3})  # Xã Trung Hưng (STT 4) lost
    out = add_placeholder_rows(table, F5B, communes, S)
    (placed,) = _placeholders(out)
    lost = communes.communes[3]
    assert (placed.index, placed.label, placed.key) == ("4", lost.name, f"commune:{lost.code}")
    assert placed.commune is not None and placed.commune.commune.code == lost.code
    assert placed.path == "II/4" and placed.kind == RowKind.COMMUNE
    # between STT 3 and STT 5, as printed
    position = out.rows.index(placed)
    assert out.rows[position - 1].index == "3" and out.rows[position + 1].index == "5"
    mine = [v for v in out.values if v.row_index == position]
    assert {v.column_key for v in mine} == {v.column_key for v in table.values}  # every value column
    for v in mine:
        assert v.status == ValueStatus.FLAGGED and v.number is None and v.raw_text == ""
        assert (v.flag_reason or "").startswith(ROW_NOT_FOUND) and lost.name in (v.flag_reason or "")
        assert v.commune_code == lost.code and v.row_key == f"commune:{lost.code}"
    assert any(ROW_NOT_FOUND in i and lost.code in i for i in out.issues)
    # the rows read keep their values, renumbered past the new row
    before = {(v.row_key, v.column_key): (v.number, v.status) for v in table.values}
    after = {(v.row_key, v.column_key): (v.number, v.status) for v in out.values if not is_placeholder(v)}
    assert before == after
    assert all(out.rows[v.row_index].key == v.row_key for v in out.values)


def test_a_whole_list_gets_no_placeholder(communes: DistrictCommunes) -> None:
    table = _table(communes, set())
    assert add_placeholder_rows(table, F5B, communes, S) is table


def test_communes_lost_at_the_end_take_the_next_stts(communes: DistrictCommunes) -> None:
    out = add_placeholder_rows(_table(communes, {8, 9}), F5B, communes, S)
    assert [(r.index, r.commune.commune.code) for r in _placeholders(out) if r.commune] == [
        ("9", communes.communes[8].code),
        ("10", communes.communes[9].code),
    ]
    assert out.rows[-1].label == communes.communes[9].name


def test_no_placeholder_where_the_row_may_have_been_read_garbled(communes: DistrictCommunes) -> None:
    # STT 4's label read as marks: the row is there, which commune it is nobody can say for sure
    table = _table(communes, set(), read_as={3: "Xã Tr#ng H~g ;"})
    table = dataclasses.replace(table, rows=tuple(table.rows))
    out = add_placeholder_rows(table, F5B, communes, S)
    assert not _placeholders(out)
    assert any("not placed" in i and communes.communes[3].code in i for i in out.issues)


def test_no_placeholder_for_a_commune_read_into_another_row(communes: DistrictCommunes) -> None:
    # Trung Hưng's row merged into Thạnh Phú's (a ruling line lost): its values are in that row
    merged = f"{communes.communes[2].name} {communes.communes[3].name}"
    spec = _commune_rows(communes, {3})
    i = next(k for k, r in enumerate(spec.rows) if r.label == communes.communes[2].name)
    spec.rows[i] = dataclasses.replace(spec.rows[i], label=merged, problem="names two communes")
    out = add_placeholder_rows(build_table(F5B, spec), F5B, communes, S)
    assert not _placeholders(out)
    assert any("read into row" in i for i in out.issues)


def test_a_commune_read_under_another_parent_is_still_listed(communes: DistrictCommunes) -> None:
    # "3.21" read for "3.2.1" (dev_030_hard_300's 3B): the row stands under parent "3", not "3/3.2"
    spec = _commune_rows(communes, set())
    spec.rows[1] = dataclasses.replace(spec.rows[1], index="21", path="I/21")
    assert not _placeholders(add_placeholder_rows(build_table(F5B, spec), F5B, communes, S))


def test_a_piece_of_a_list_under_a_misread_stt_places_nothing(communes: DistrictCommunes) -> None:
    # dev_158_hard_200's 6B: "7 Phường ]" (a ward read garbled, matching none), then "b Phường 3"
    # hung under it; the piece made a list of its own and placed the lost ward before "b"
    spec = _commune_rows(communes, set(), read_as={3: "Xã ] ;"})
    spec.rows[5] = dataclasses.replace(spec.rows[5], index="b", path="II/4/b")
    assert not _placeholders(add_placeholder_rows(build_table(F5B, spec), F5B, communes, S))


def test_no_placeholder_before_a_list_whose_head_was_read_garbled(communes: DistrictCommunes) -> None:
    # dev_072_hard_300's 3B: "3.2 Cấp xã" and the first communes read as marks ("bái lg Linh Xuã
    # Phườág"), standing under the row above: the lost first communes may be those rows
    spec = _commune_rows(communes, {0})
    spec.rows[0] = row(RowKind.ITEM, "", "I/x", "bái lg Trug Axn : iPlỜ%")
    assert not _placeholders(add_placeholder_rows(build_table(F5B, spec), F5B, communes, S))
    spec.rows[0] = row(RowKind.SECTION, "II", "II", "UBND cấp xã", key="II")  # the head read: placed
    assert [
        r.label for r in _placeholders(add_placeholder_rows(build_table(F5B, spec), F5B, communes, S))
    ] == [communes.communes[0].name]


def test_a_list_of_few_communes_expects_no_others(communes: DistrictCommunes) -> None:
    few = set(range(4, 10))  # 4 of the 10 listed: a table that mentions some communes
    out = add_placeholder_rows(_table(communes, few), F5B, communes, S)
    assert not _placeholders(out)


def test_a_commune_another_table_of_the_form_lists_gets_no_placeholder(communes: DistrictCommunes) -> None:
    table = _table(communes, {9})
    other = build_table(
        F5B,
        Spec(
            rows=[
                RowInfo(
                    RowKind.COMMUNE,
                    "10",
                    "II/10",
                    communes.communes[9].name,
                    "c",
                    commune=CommuneMatch(communes.communes[9], 100.0, 0.0),
                )
            ]
        ),
        table_index=1,
    )
    assert not _placeholders(add_placeholder_rows(table, F5B, communes, S, [other]))


def test_a_sum_over_a_placeholder_is_a_reading_problem_and_other_cells_keep_their_status(
    communes: DistrictCommunes,
) -> None:
    """The section's printed total counts the lost commune: the sum fails.  With the row absent
    (before) and with its placeholder (now), every value other than the placeholder's has the
    same status and reason, and the print is never blamed."""
    table = _table(communes, {3})
    doc = DocumentResult("d", "r.pdf", 1, DocumentMeta(), (), (table,))
    before = validate_document(doc, {"5B": F5B}, S).tables[0]
    after = validate_document(doc, {"5B": F5B}, S, place_missing_rows=True, communes=communes).tables[0]
    assert len(_placeholders(after)) == 1
    old = {(v.row_key, v.column_key): (v.status, v.flag_reason) for v in before.values}
    new = {
        (v.row_key, v.column_key): (v.status, v.flag_reason) for v in after.values if not is_placeholder(v)
    }
    assert old == new
    total = value_at(after, 0, "tiep_nhan_tong")
    assert total.status == ValueStatus.FLAGGED and PRINTED not in (total.flag_reason or "")
    assert not any(i.startswith(PRINTED) for i in after.issues)
    for v in after.values:
        if is_placeholder(v):
            assert v.status == ValueStatus.FLAGGED and (v.flag_reason or "").startswith(ROW_NOT_FOUND)


def test_a_sum_that_holds_with_a_placeholder_part_verifies_nothing(communes: DistrictCommunes) -> None:
    spec = _commune_rows(communes, {3})
    printed = sum(10 * (k + 1) for k in range(10) if k != 3)  # a total that holds without the lost row
    spec.cells[(0, "tiep_nhan_tong")] = agreeing(str(printed))
    doc = DocumentResult("d", "r.pdf", 1, DocumentMeta(), (), (build_table(F5B, spec),))
    out = validate_document(doc, {"5B": F5B}, S, place_missing_rows=True, communes=communes).tables[0]
    assert _placeholders(out)
    column = [v for v in out.values if v.column_key == "tiep_nhan_tong"]
    assert not any(
        v.rule and "II = sum of communes" in v.rule and v.status == ValueStatus.VERIFIED for v in column
    )


def test_revalidation_keeps_the_placeholders_and_adds_none(communes: DistrictCommunes) -> None:
    doc = DocumentResult("d", "r.pdf", 1, DocumentMeta(), (), (_table(communes, {3}),))
    once = validate_document(doc, {"5B": F5B}, S, place_missing_rows=True, communes=communes)
    again = validate_document(once, {"5B": F5B}, S, place_missing_rows=True, communes=communes)
    review = validate_document(once, {"5B": F5B}, S)  # the review app's re-validation
    for out in (again, review):
        assert out.tables[0].rows == once.tables[0].rows
        assert [(v.row_index, v.column_key, v.status) for v in out.tables[0].values] == [
            (v.row_index, v.column_key, v.status) for v in once.tables[0].values
        ]


# --------------------------------------------------------------------------------------------
# declared rows and STT gaps

F2B = FORMS["2B"]


def _table_2b(lost: set[int], marks: dict[int, str] | None = None) -> TableResult:
    rows, cells = [], {}
    for i, d in enumerate(F2B.rows):
        if i in lost:
            continue
        cells[(len(rows), "tong_so")] = Cell(str(10 + i), 95.0)
        kind = RowKind.SUBITEM if d["index"] in ("-", "") else RowKind.ITEM
        rows.append(row(kind, d["index"], f"r{i}", (marks or {}).get(i, d["label"]), key=f"r{i}"))
    return build_table(F2B, Spec(rows=rows, cells=cells))


def test_a_declared_row_lost_gets_a_placeholder_between_its_neighbours() -> None:
    table = _table_2b({10})  # "- Số VBQPPL phải rà soát trong kỳ báo cáo"
    out = add_placeholder_rows(table, F2B, None, S)
    (placed,) = _placeholders(out)
    assert placed.label == F2B.rows[10]["label"] and placed.index == F2B.rows[10]["index"]
    position = out.rows.index(placed)
    assert out.rows[position - 1].label == F2B.rows[9]["label"]
    assert out.rows[position + 1].label == F2B.rows[11]["label"]
    mine = [v for v in out.values if v.row_index == position]
    assert {v.column_key for v in mine} == {v.column_key for v in table.values}
    for v in mine:
        assert v.status == ValueStatus.FLAGGED and v.number is None and "prints row" in (v.flag_reason or "")
    # the declared-row check now finds every row: no "not found" issue of its own
    validated = validate_document(DocumentResult("d", "r", 1, DocumentMeta(), (), (out,)), {"2B": F2B}, S)
    assert not any("rows of form 2B not found" in i for i in validated.tables[0].issues)


def test_no_declared_placeholder_where_a_row_was_read_in_the_gap() -> None:
    # the lost row is likelier the row of marks standing between its neighbours
    table = _table_2b({10, 11}, marks={12: "=#bic » BH ˆ ` {"})
    assert not _placeholders(add_placeholder_rows(table, F2B, None, S))


F4B = FORMS["4B"]


def _numbered(stts: list[str], extra: dict[int, RowInfo] | None = None) -> TableResult:
    rows = [row(RowKind.ITEM, s, s, f"Lĩnh vực số {s}") for s in stts]
    for at, r in sorted((extra or {}).items(), reverse=True):
        rows.insert(at, r)
    key = next(c.key for c in F4B.columns if c.type == "count")
    return build_table(F4B, Spec(rows=rows, cells={(i, key): Cell("7") for i in range(len(rows))}))


def test_an_stt_gap_gets_a_placeholder_with_that_stt() -> None:
    out = add_placeholder_rows(_numbered(["1", "2", "4", "5"]), F4B, None, S)
    (placed,) = _placeholders(out)
    assert (placed.index, placed.label, placed.path) == ("3", "", "3")
    assert [r.index for r in out.rows] == ["1", "2", "3", "4", "5"]
    assert all("STT 3 is missing" in (v.flag_reason or "") for v in out.values if v.row_index == 2)


@pytest.mark.parametrize(
    "stts",
    [
        ["1", "1", "1", "4"],  # STTs that do not increase: misread, not lost
        ["1", "2", "9", "10"],  # a gap wider than the setting
        ["1", "2", "3"],  # whole
    ],
)
def test_no_stt_placeholder_where_the_stts_do_not_say_a_row_was_lost(stts: list[str]) -> None:
    assert not _placeholders(add_placeholder_rows(_numbered(stts), F4B, None, S))


def test_no_stt_placeholder_over_a_row_read_without_its_stt() -> None:
    unnumbered = row(RowKind.ITEM, "", "2/x", "Lĩnh vực đất đai")
    assert not _placeholders(add_placeholder_rows(_numbered(["1", "2", "4"], {2: unnumbered}), F4B, None, S))


def test_the_stt_gap_is_a_setting() -> None:
    none = ValidateSettings(placeholder_max_stt_gap=0)
    assert not _placeholders(add_placeholder_rows(_numbered(["1", "2", "4"]), F4B, None, none))


# --------------------------------------------------------------------------------------------
# the outputs and the review


def _placed_document(communes: DistrictCommunes) -> DocumentResult:
    doc = DocumentResult("doc0", "report.pdf", 1, DocumentMeta(), (), (_table(communes, {3}),))
    return validate_document(doc, {"5B": F5B}, S, place_missing_rows=True, communes=communes)


def test_placeholder_cells_are_in_the_long_table_and_the_review_queue(communes: DistrictCommunes) -> None:
    from extract.writers.schema import CELL_VALUES
    from extract.writers.tables import document_rows

    rows = document_rows(_placed_document(communes))
    code = communes.communes[3].code
    cells = [c for c in rows[CELL_VALUES.name] if c["row_key"] == f"commune:{code}"]
    assert {c["column_key"] for c in cells} == {c.key for c in F5B.columns if c.type in ("count", "note")}
    assert all(c["status"] == "flagged" and c["number"] is None and c["commune_code"] == code for c in cells)
    flags = [f for f in rows["flags"] if f["row_key"] == f"commune:{code}"]
    assert len(flags) == len(cells) and all(f["flag_reason"].startswith(ROW_NOT_FOUND) for f in flags)


def test_a_reviewer_types_a_value_into_a_placeholder_row(communes: DistrictCommunes) -> None:
    from extract.review.apply import apply_corrections, cell_index
    from extract.review.corrections import Action, Correction

    doc = _placed_document(communes)
    code = communes.communes[3].code
    cell = (doc.document_id, 0, f"commune:{code}", "tiep_nhan_tong")
    assert cell in cell_index(doc)
    typed = Correction(1, *cell, action=Action.TYPE, new_value="40", reviewer="lan", created_at="2026-12-06")
    applied = apply_corrections(doc, [typed], {"5B": F5B}, S)
    assert not applied.orphans
    table = applied.document.tables[0]
    assert table.rows == doc.tables[0].rows  # no row added or lost by the re-validation
    mine = {v.column_key: v for v in table.values if v.row_key == f"commune:{code}"}
    assert mine["tiep_nhan_tong"].status == ValueStatus.REVIEWED and mine["tiep_nhan_tong"].number == 40
    assert all(
        v.status == ValueStatus.FLAGGED and (v.flag_reason or "").startswith(ROW_NOT_FOUND)
        for k, v in mine.items()
        if k != "tiep_nhan_tong"
    )


def test_communes_read_right_after_a_list_under_misread_stts_are_listed(communes: DistrictCommunes) -> None:
    # dev_228_hard_200's 3B: "2.2.8 … 2.2.11" read "22.8", "2.29", "2.210", "2211" hang under other
    # parents right after the list; the second list's rows ("323", "324", …) are read at the top
    # level too, and that group's stretch took them: "Xã Cái Chiên" was placed though read
    spec = _commune_rows(communes, set())
    n = len(communes.communes)
    rows = list(spec.rows)
    for k in range(6, n):  # the list's last communes under misread STTs, at the top level
        rows[k + 1] = dataclasses.replace(rows[k + 1], index=f"2{k + 1}", path=f"2{k + 1}")
    rows.append(row(RowKind.ITEM, "3", "3", "Số lượng TTHC đã đăng tải"))
    for k, c in enumerate(communes.communes):  # the second list, every STT misread at the top level
        match = CommuneMatch(c, 100.0, 50.0)
        rows.append(
            RowInfo(RowKind.COMMUNE, f"32{k + 1}", f"32{k + 1}", c.name, f"commune:{c.code}:2", match)
        )
    table = build_table(F5B, dataclasses.replace(spec, rows=rows))
    assert not _placeholders(add_placeholder_rows(table, F5B, communes, S))
