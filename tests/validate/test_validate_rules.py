"""Deterministic cases: structure from paths, blanks, ambiguity, ties, two-cell fixes, ratios."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from validate_builders import (
    PARSE,
    Cell,
    Spec,
    agreeing,
    build_table,
    form_5b,
    form_77z,
    row,
    set_value,
    snapshot,
    value_at,
    vn_count,
)

from extract.config import settings_section
from extract.errors import ConfigError
from extract.model import Candidate, DocumentMeta, DocumentResult, RowKind, ValueStatus
from extract.validate import (
    ValidateSettings,
    check_table,
    format_number,
    validate_document,
    validate_table,
)
from extract.validate.invariants import children_of, normalize_index

S = ValidateSettings()

# leaf rows of a small 5B: (7) đúng hạn, (8) quá hạn, (10) chưa đến hạn, (11) quá hạn, (4) kỳ trước
LEAVES = {"I": (4101, 14, 1582, 0, 323), "1": (100, 5, 10, 0, 0), "2": (200, 0, 20, 3, 3)}


def _full(dung: int, qua: int, chua: int, dqh: int, truoc: int) -> dict[str, int]:
    settled, pending = dung + qua, chua + dqh
    return {
        "tiep_nhan_tong": settled + pending,
        "tiep_nhan_ky_truoc": truoc,
        "tiep_nhan_moi": settled + pending - truoc,
        "da_giai_quyet_tong": settled,
        "da_giai_quyet_dung_han": dung,
        "da_giai_quyet_qua_han": qua,
        "dang_giai_quyet_tong": pending,
        "dang_giai_quyet_chua_den_han": chua,
        "dang_giai_quyet_qua_han": dqh,
    }


def mini_5b() -> tuple[Spec, dict[tuple[int, str], int]]:
    """Rows I, II, communes 1-2 and the total; zeros printed blank; every cell read confidently."""
    i_row, c1, c2 = (_full(*LEAVES[k]) for k in ("I", "1", "2"))
    ii = {k: c1[k] + c2[k] for k in c1}
    total = {k: i_row[k] + ii[k] for k in c1}
    rows = [
        (row(RowKind.SECTION, "I", "I", "Cấp huyện"), i_row),
        (row(RowKind.SECTION, "II", "II", "Cấp xã"), ii),
        (row(RowKind.COMMUNE, "1", "II/1", "Xã Kế An"), c1),
        (row(RowKind.COMMUNE, "2", "II/2", "Xã Kế Thành"), c2),
        (row(RowKind.TOTAL, "", "total", "Tổng số = (I) + (II)"), total),
    ]
    spec, truth = Spec(rows=[r for r, _ in rows]), {}
    for i, (_, nums) in enumerate(rows):
        for key, n in nums.items():
            truth[(i, key)] = n
            spec.cells[(i, key)] = agreeing(vn_count(n) if n else "", 95.0)
    return spec, truth


def misread(spec: Spec, key: tuple[int, str], wrong: str, *others: tuple[str, float]) -> str:
    """Put an OCR misread in ``key`` (confidence 55) with extra candidate readings; return the right text."""
    right = spec.cells[key].text
    spec.cells[key] = Cell(
        wrong, 55.0, (Candidate(wrong, 55.0, "vie+eng"), *(Candidate(t, c, "vie") for t, c in others))
    )
    return right


def test_children_come_from_paths() -> None:
    rows = [
        row(RowKind.ITEM, "1", "1", "a"),
        row(RowKind.SUBITEM, "1.1", "1/1.1", "b"),
        row(RowKind.SUBITEM, "1.2", "1/1.2", "c"),
        row(RowKind.SUBITEM, "1.2.1", "1/1.2/1.2.1", "d"),
        row(RowKind.ITEM, "2", "2", "e"),
        row(RowKind.SUBITEM, "-", "2/-", "f"),
        row(RowKind.SUBITEM, "-", "2/-", "g"),
        row(RowKind.TOTAL, "", "total", "Tổng"),
    ]
    assert children_of(rows) == {0: [1, 2], 2: [3], 4: [5, 6]}
    assert [normalize_index(s) for s in ("II.", " 2.1 ", "ii", "")] == ["II", "2.1", "II", ""]


def test_format_number_prints_like_the_reports() -> None:
    assert [format_number(x) for x in (95728, 0, -3, 99.7, 1234.5, 1582.0)] == [
        "95.728",
        "0",
        "-3",
        "99,7",
        "1.234,5",
        "1.582",
    ]


def test_blank_parts_count_as_zero_unless_configured_otherwise() -> None:
    spec, _ = mini_5b()
    table = build_table(form_5b(), spec)
    pending = next(
        c for c in check_table(table, form_5b()) if c.rule == "(9)=(10)+(11)" and c.total.row_index == 0
    )
    assert pending.holds and (pending.expected, pending.actual) == (1582, 1582)
    strict = check_table(table, form_5b(), blank_is_zero=False)
    assert not [c for c in strict if c.rule == "(9)=(10)+(11)" and c.total.row_index == 0]
    assert all(c.holds for c in strict) and len(strict) < len(check_table(table, form_5b()))


def test_ambiguous_number_is_flagged_and_never_guessed() -> None:
    spec, _ = mini_5b()
    spec.cells[(2, "da_giai_quyet_qua_han")] = Cell("5", 95.0)  # stays right
    spec.cells[(2, "dang_giai_quyet_tong")] = Cell("1.0", 90.0)  # "10" read with a stray dot
    table = build_table(form_5b(), spec)

    table = validate_table(table, form_5b(), S, parse=PARSE).table

    v = value_at(table, 2, "dang_giai_quyet_tong")
    assert v.status == ValueStatus.FLAGGED and v.flag_reason and "ambiguous" in v.flag_reason
    assert v.raw_text == "1.0" and v.number is None
    assert table.issues == ()  # the rules that need it are not judged, so none fails


def test_ambiguous_number_is_corrected_by_a_candidate_the_rules_confirm() -> None:
    spec, truth = mini_5b()
    spec.cells[(2, "dang_giai_quyet_tong")] = Cell(
        "1.0",
        90.0,
        (Candidate("1.0", 90.0, "vie+eng"), Candidate("16", 70.0, "vie"), Candidate("10", 60.0, "eng")),
    )
    table = build_table(form_5b(), spec)

    table, checks = validate_table(table, form_5b(), S, parse=PARSE)

    v = value_at(table, 2, "dang_giai_quyet_tong")
    assert v.status == ValueStatus.CORRECTED and v.number == truth[(2, "dang_giai_quyet_tong")] == 10
    assert v.raw_text == "10" and v.correction.original_text == "1.0" and not v.ambiguous
    assert v.rule and "(9)=(10)+(11)" in v.rule
    assert all(c.holds for c in checks) and table.issues == ()


def test_unparseable_and_low_confidence_cells_are_flagged() -> None:
    spec, _ = mini_5b()
    spec.cells[(4, "ghi_chu")] = Cell("ghi chú", 40.0)  # low confidence, no rule covers notes
    spec.cells[(3, "ghi_chu")] = Cell("đúng hạn", 93.0)
    spec.cells[(2, "tiep_nhan_ky_truoc")] = Cell("x?", 80.0)  # not a number
    table = build_table(form_5b(), spec)

    table = validate_table(table, form_5b(), S, parse=PARSE).table

    assert value_at(table, 4, "ghi_chu").status == ValueStatus.FLAGGED
    assert "low confidence" in (value_at(table, 4, "ghi_chu").flag_reason or "")
    assert value_at(table, 3, "ghi_chu").status == ValueStatus.READ
    bad = value_at(table, 2, "tiep_nhan_ky_truoc")
    assert bad.status == ValueStatus.FLAGGED and "unparseable" in (bad.flag_reason or "")


def test_ink_read_as_rule_debris_is_flagged_not_taken_for_a_blank() -> None:
    # a hard scan's "1" read as "|" at 94: the parser drops it as a rule's remnant (blank), but
    # ink was there, so the cell goes to a person; a printed dash stays a blank
    spec, _ = mini_5b()
    spec.cells[(2, "tiep_nhan_ky_truoc")] = Cell("|", 94.0)
    spec.cells[(3, "tiep_nhan_ky_truoc")] = Cell("-", 94.0)
    table = build_table(form_5b(), spec)

    table = validate_table(table, form_5b(), S, parse=PARSE).table

    debris = value_at(table, 2, "tiep_nhan_ky_truoc")
    assert debris.status == ValueStatus.FLAGGED and "remnant" in (debris.flag_reason or "")
    assert "remnant" not in (value_at(table, 3, "tiep_nhan_ky_truoc").flag_reason or "")


def test_a_tie_between_two_candidate_fixes_is_flagged_not_picked() -> None:
    form = form_77z()
    spec = Spec(rows=[row(RowKind.ITEM, "1", "1", "a")])
    spec.cells[(0, "da_kiem_tra")] = Cell(
        "10", 50.0, (Candidate("10", 50.0, "a"), Candidate("12", 50.0, "b"))
    )
    spec.cells[(0, "dat")] = Cell("5", 50.0, (Candidate("5", 50.0, "a"), Candidate("3", 50.0, "b")))
    spec.cells[(0, "khong_dat")] = agreeing("7")
    table = build_table(form, spec)
    before = snapshot(table.values)

    table = validate_table(table, form, S, parse=PARSE).table

    assert snapshot(table.values) == before
    for key in ("da_kiem_tra", "dat"):
        v = value_at(table, 0, key)
        assert v.status == ValueStatus.FLAGGED and "several OCR candidates" in (v.flag_reason or "")


def test_two_misreads_in_one_rule_need_and_get_a_two_cell_fix() -> None:
    spec, truth = mini_5b()
    right1 = misread(spec, (2, "tiep_nhan_moi"), "145", ("115", 50.0))
    right2 = misread(spec, (3, "tiep_nhan_moi"), "270", ("220", 50.0), ("226", 40.0))
    table = build_table(form_5b(), spec)

    table, checks = validate_table(table, form_5b(), S, parse=PARSE)

    for key, right in (((2, "tiep_nhan_moi"), right1), ((3, "tiep_nhan_moi"), right2)):
        v = value_at(table, *key)
        assert v.status == ValueStatus.CORRECTED and v.raw_text == right and v.number == truth[key]
    assert all(c.holds for c in checks) and table.issues == ()

    one_at_a_time = ValidateSettings(max_changes=1)
    table = build_table(form_5b(), spec)
    table = validate_table(table, form_5b(), one_at_a_time, parse=PARSE).table
    assert {value_at(table, *k).status for k in ((2, "tiep_nhan_moi"), (3, "tiep_nhan_moi"))} == {
        ValueStatus.FLAGGED
    }
    assert value_at(table, 2, "tiep_nhan_moi").raw_text == "145"


def test_a_candidate_that_breaks_another_rule_is_refused() -> None:
    spec, _ = mini_5b()
    # II (3) misread; its candidate "333" would not satisfy (3)=(4)+(5) of row II, nor the total
    misread(spec, (1, "tiep_nhan_tong"), "388", ("333", 90.0))
    table = build_table(form_5b(), spec)

    table = validate_table(table, form_5b(), S, parse=PARSE).table

    v = value_at(table, 1, "tiep_nhan_tong")
    assert v.status == ValueStatus.FLAGGED and v.raw_text == "388"
    assert v.flag_reason and v.flag_reason.startswith("rule fails and no OCR candidate fixes it")
    assert table.issues and all("printed totals" not in i for i in table.issues)


def test_ratio_rule_allows_the_printed_rounding_only() -> None:
    form = form_77z()
    spec = Spec(
        rows=[
            row(RowKind.ITEM, "1", "1", "a"),
            row(RowKind.ITEM, "2", "2", "b"),
            row(RowKind.ITEM, "3", "3", "c"),
        ]
    )
    for i, rate in enumerate(("66,7", "66,6", "")):
        spec.cells[(i, "da_kiem_tra")] = agreeing("3")
        spec.cells[(i, "dat")] = agreeing("2")
        spec.cells[(i, "khong_dat")] = agreeing("1")
        spec.cells[(i, "ty_le_dat")] = agreeing(rate)
    table = build_table(form, spec)

    ratios = {c.total.row_index: c.holds for c in check_table(table, form) if c.kind == "ratio"}

    assert ratios == {0: True, 1: False}  # 2/3 = 66,67 %: "66,7" holds, "66,6" fails, blank skipped


def test_total_rows_with_a_missing_part_row_are_not_judged() -> None:
    spec, _ = mini_5b()
    spec.rows[0] = row(RowKind.SECTION, "", "x", "Cấp huyện")  # row "I" lost its index
    table = build_table(form_5b(), spec)
    assert not [c for c in check_table(table, form_5b()) if c.kind == "total_rows"]


def test_unknown_form_tables_get_statuses_by_confidence_alone() -> None:
    spec, _ = mini_5b()
    known = build_table(form_5b(), spec)
    unknown = build_table(form_5b(), spec, table_index=1)
    unknown = dataclasses.replace(  # pages away from the 5B (beside it: a piece of it, flagged)
        unknown,
        form="unknown",
        pages=(4,),
        values=tuple(dataclasses.replace(v, form="unknown") for v in unknown.values),
    )
    unknown = set_value(unknown, 0, "tiep_nhan_tong", confidence=30.0)
    unknown = set_value(unknown, 0, "tiep_nhan_moi", ambiguous=True)
    doc = DocumentResult("d" * 16, "a.pdf", 1, DocumentMeta(), [], [known, unknown])

    doc = validate_document(doc, {"5B": form_5b()}, S, parse=PARSE)
    known, unknown = doc.tables

    assert value_at(unknown, 0, "tiep_nhan_tong").status == ValueStatus.FLAGGED
    assert value_at(unknown, 0, "tiep_nhan_moi").status == ValueStatus.FLAGGED
    others = [
        v
        for v in unknown.values
        if (v.row_index, v.column_key) not in {(0, "tiep_nhan_tong"), (0, "tiep_nhan_moi")}
    ]
    assert {v.status for v in others if v.value_kind != "null"} == {ValueStatus.READ}
    assert {v.status for v in others if v.value_kind == "null"} <= {ValueStatus.BLANK}  # printed empty
    assert value_at(known, 0, "tiep_nhan_tong").status == ValueStatus.VERIFIED


def test_settings_load_from_the_validate_section(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder, text in ((good, "min_confidence: 70\n  blank_is_zero: false"), (bad, "min_confidense: 70")):
        folder.mkdir()
        (folder / "pipeline.yaml").write_text(f"validate:\n  {text}\n", encoding="utf-8")
    loaded = settings_section(ValidateSettings, "validate", good)
    assert loaded.min_confidence == 70 and loaded.blank_is_zero is False and loaded.max_changes == 2
    with pytest.raises(ConfigError):
        settings_section(ValidateSettings, "validate", bad)


def test_validating_twice_gives_the_same_result() -> None:
    spec, _ = mini_5b()
    misread(spec, (2, "tiep_nhan_moi"), "145", ("115", 50.0))
    misread(spec, (1, "tiep_nhan_tong"), "388", ("333", 90.0))
    table = build_table(form_5b(), spec)

    table = validate_table(table, form_5b(), S, parse=PARSE).table
    first = table.values
    issues = table.issues
    table = validate_table(table, form_5b(), S, parse=PARSE).table

    assert table.values == first
    assert table.issues == issues
    assert value_at(table, 2, "tiep_nhan_moi").status == ValueStatus.CORRECTED


def test_a_confidently_agreed_reading_is_never_replaced_by_a_weak_text_candidate() -> None:
    """Regression (throughput benchmark): a "2" read at 96 by two number variants was 'corrected'
    to a text-mode "1" at 54 because that made a printed total add up. Such a rule failure is
    the report's own arithmetic: the cell must stay as read, and be flagged."""
    form = form_77z()
    spec = Spec(rows=[row(RowKind.ITEM, "1", "1", "a")])
    spec.cells[(0, "da_kiem_tra")] = agreeing("10")
    spec.cells[(0, "dat")] = agreeing("7")
    spec.cells[(0, "khong_dat")] = Cell(
        "4",
        96.0,
        (Candidate("4", 96.0, "number"), Candidate("4", 95.0, "num_viet"), Candidate("3", 54.0, "text")),
    )
    table = build_table(form, spec)
    before = snapshot(table.values)

    table = validate_table(table, form, S, parse=PARSE).table

    assert snapshot(table.values) == before
    v = value_at(table, 0, "khong_dat")
    assert v.status == ValueStatus.FLAGGED and v.number == 4
