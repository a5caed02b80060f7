"""Document assembly in process, step by step, from typed page results built in the test (no
OCR): continuation over pages, the header mapping's hand-off to the values, the table's issues,
the values' statuses, tables of no known form; and the steps of ``_finish_table`` one by one.
The last test reads a real generated page pair through the page task (tesseract, OpenCV)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

import pytest
from document_builders import read_table
from test_district_and_trust import HEADER, _numbers

from extract import document as assembly
from extract.config import load_config
from extract.document import assemble_document
from extract.model import (
    Candidate,
    CellKind,
    CellRead,
    GridCell,
    OcrLine,
    PageResult,
    ParsedValue,
    PixelBox,
    ReadTable,
    RowInfo,
    RowKind,
    TableGrid,
    ValueStatus,
)
from tests.repo_data import ROOT

TITLE_5B = [
    "Biểu mẫu 5B",
    "Thống kê kết quả tiếp nhận, giải quyết thủ tục hành chính cho người dân, doanh nghiệp",
]
DISTRICT = "huyện Kế Sách"
KE_SACH = ["Thị trấn Kế Sách", "Thị trấn An Lạc Thôn", "Xã Xuân Hòa", "Xã Phong Nẫm", "Xã An Lạc Tây"]


def _page(index: int, texts: Sequence[str], tables: Sequence[ReadTable], *, count: int = 2) -> PageResult:
    lines = tuple(
        OcrLine(t, PixelBox(300, 60 + 50 * i, 2000, 100 + 50 * i), 95.0) for i, t in enumerate(texts)
    )
    return PageResult(
        source="x.pdf",
        page_index=index,
        page_count=count,
        dpi=300,
        width=3508,
        height=2480,
        lines=lines,
        tables=tuple(tables),
    )


def _commune_rows(names: Sequence[str], first: int = 1) -> list[list[str]]:
    return [[str(first + i), name, *_numbers(100 + 10 * (first + i), 1)] for i, name in enumerate(names)]


def _two_pages(*, repeat_header: bool = False, second_top: int = 200) -> list[PageResult]:
    """A 5B of Kế Sách over two pages: I, II and three communes on the first, two communes and
    the total on the second (its header repeated when ``repeat_header``)."""
    received = sum(100 + 10 * i for i in range(1, 6))
    first_body = [
        ["I", "TTHC thuộc thẩm quyền của UBND cấp huyện", *_numbers(500, 3)],
        ["II", "TTHC thuộc thẩm quyền của UBND cấp xã", *_numbers(received, 5)],
        *_commune_rows(KE_SACH[:3]),
    ]
    second_body = [
        *_commune_rows(KE_SACH[3:], first=4),
        ["", "Tổng số = (I) + (II)", *_numbers(500 + received, 8)],
    ]
    reference = f"(Kèm theo Báo cáo số 542/BC-UBND ngày 21 tháng 11 năm 2019 của UBND {DISTRICT})"
    first = _page(0, [*TITLE_5B, reference], [read_table([*HEADER, *first_body], page=0, top=400)])
    rows = [*HEADER, *second_body] if repeat_header else second_body
    second = _page(1, [], [read_table(rows, page=1, top=second_top)])
    return [first, second]


def _value(table, label: str, key: str):  # type: ignore[no-untyped-def]
    row = next(i for i, r in enumerate(table.rows) if r.label == label)
    return next(v for v in table.values if v.row_index == row and v.column_key == key)


# --------------------------------------------------------------------------------------------
# continuation over pages


@pytest.mark.parametrize("repeat_header", [False, True])
def test_a_table_continued_on_the_next_page_is_one_table_with_rows_across_pages(repeat_header: bool) -> None:
    doc = assemble_document("a1", "x.pdf", _two_pages(repeat_header=repeat_header))
    [table] = doc.tables
    assert table.form == "5B" and table.pages == (0, 1)
    assert [r.index for r in table.rows] == ["I", "II", "1", "2", "3", "4", "5", ""]
    assert table.rows[-1].kind == RowKind.TOTAL
    # row indexes run on across the page break; each value keeps its own page and cell box
    last = _value(table, "Xã An Lạc Tây", "tiep_nhan_tong")
    assert last.row_index == 6 and last.page_index == 1 and last.raw_text == "150"
    assert _value(table, "Xã Xuân Hòa", "tiep_nhan_tong").page_index == 0
    assert isinstance(last.box, PixelBox) and last.box.y0 >= 200
    # a repeated header is the header, never a body row
    assert not any("Số hồ sơ" in r.label for r in table.rows)
    assert {v.row_index for v in table.values} == set(range(8))


def test_a_table_low_on_the_next_page_is_a_table_of_its_own() -> None:
    doc = assemble_document("a2", "x.pdf", _two_pages(second_top=1400))
    assert [t.pages for t in doc.tables] == [(0,), (1,)]
    assert doc.tables[1].form == "unknown"  # no title, not a continuation: nothing names its form


def test_a_following_page_without_a_table_but_with_numbers_at_its_top_is_reported() -> None:
    first, _second = _two_pages()
    loose = _page(1, ["5 Xã Phong Nẫm 150 150 150 145 5", "Tổng số 1.100 1.100"], [])
    doc = assemble_document("a3", "x.pdf", [first, loose])
    [table] = doc.tables
    assert any(
        i.startswith("page 2 starts with text that may be this table's last rows") for i in table.issues
    )


# --------------------------------------------------------------------------------------------
# the header mapping's hand-off


def test_values_carry_the_forms_canonical_columns_headers_and_units() -> None:
    doc = assemble_document("b1", "x.pdf", _two_pages())
    [table] = doc.tables
    form = load_config().form_specs
    spec = next(f for f in form if f.code == "5B")
    assert table.columns == tuple(c.key for c in spec.columns)
    keys = {v.column_key for v in table.values}
    assert spec.index_column not in keys and spec.label_column not in keys  # the row's, not values
    v = _value(table, "Xã Xuân Hòa", "da_giai_quyet_qua_han")
    assert v.column_header == " / ".join(spec.column("da_giai_quyet_qua_han").header)
    assert v.unit == spec.column("da_giai_quyet_qua_han").unit
    assert v.number == 1 and v.commune_name == "Xã Xuân Hòa" and v.commune_code
    assert doc.meta.district == "Huyện Kế Sách"


# --------------------------------------------------------------------------------------------
# statuses and issues


def test_a_consistent_report_is_verified_and_its_blanks_are_blank() -> None:
    doc = assemble_document("c1", "x.pdf", _two_pages())
    [table] = doc.tables
    statuses = {v.status for v in table.values}
    assert statuses <= {ValueStatus.VERIFIED, ValueStatus.BLANK, ValueStatus.READ}
    assert _value(table, "Xã Phong Nẫm", "tiep_nhan_tong").status == ValueStatus.VERIFIED
    assert _value(table, "Xã Phong Nẫm", "tiep_nhan_ky_truoc").status == ValueStatus.BLANK
    assert not [i for i in table.issues if "rule" in i], table.issues


def test_a_misread_total_is_flagged_and_the_table_explains_it() -> None:
    first, second = _two_pages()
    cells = tuple(
        replace(c, text="1.190", candidates=(Candidate("1.190", 60.0, "vie+eng"),), confidence=60.0)
        if c.text == "1.150" and c.cell.col == 2
        else c
        for c in second.tables[0].cells
    )
    second = replace(second, tables=(replace(second.tables[0], cells=cells),))
    doc = assemble_document("c2", "x.pdf", [first, second])
    [table] = doc.tables
    total = _value(table, "Tổng số = (I) + (II)", "tiep_nhan_tong")
    assert total.status == ValueStatus.FLAGGED and total.raw_text == "1.190"
    assert total.suspect and total.flag_reason and "1.190" in total.flag_reason
    assert any("1.190" in i for i in table.issues)


def test_a_merged_cell_and_an_ambiguous_number_are_flagged_with_their_problem() -> None:
    first, second = _two_pages()
    table0 = first.tables[0]
    merged = []
    for c in table0.cells:
        if c.text == "120" and c.cell.col == 2:  # commune 2's total read as "1.5" (count column)
            c = replace(c, text="1.5", candidates=())
        merged.append(c)
    first = replace(first, tables=(replace(table0, cells=tuple(merged)),))
    doc = assemble_document("c3", "x.pdf", [first, second])
    [table] = doc.tables
    v = _value(table, "Thị trấn An Lạc Thôn", "tiep_nhan_tong")
    assert v.ambiguous and v.problem and v.status == ValueStatus.FLAGGED
    assert "ambiguous" in (v.flag_reason or "")


def test_a_column_blank_in_every_row_and_a_missing_row_are_table_issues() -> None:
    first, second = _two_pages()
    # commune 4 lost on the second page: its STT gap and the missing commune make II incomplete
    rows = [r for r in range(second.tables[0].grid.n_rows) if r != 0]
    kept = tuple(c for c in second.tables[0].cells if c.cell.row in rows)
    shifted = tuple(replace(c, cell=replace(c.cell, row=c.cell.row - 1)) for c in kept)
    grid = replace(second.tables[0].grid, row_edges=second.tables[0].grid.row_edges[1:], cells=shifted)
    second = replace(second, tables=(replace(second.tables[0], grid=grid, cells=shifted),))
    doc = assemble_document("c4", "x.pdf", [first, second])
    [table] = doc.tables
    assert any(i.startswith("rows missing under row II") for i in table.issues), table.issues
    assert any(
        i.startswith("column tiep_nhan_ky_truoc") and "is blank in every one" in i for i in table.issues
    )


# --------------------------------------------------------------------------------------------
# a table of no known form


def _unknown_pages() -> list[PageResult]:
    header = ["STT", "Nội dung", "Thời hạn"]
    first = read_table(
        [header, ["1.", "Rà soát thủ tục", "10/2027"], ["2.", "Đánh giá", "12/2027"]], page=0, top=500
    )
    # page 2 starts with the rest of row 2 (its STT empty), then a full-width section row
    second = read_table([["", "và công bố", "12/2027"], ["3.", "Báo cáo", "Liên tục"]], page=1, top=200)
    wide = CellRead(
        GridCell(2, 0, 1, 3, PixelBox(100, 280, 460, 320)), "II. Hoàn thiện khuôn khổ", 96.0, CellKind.TEXT
    )
    cells = (*second.cells, wide)
    grid = TableGrid(
        PixelBox(100, 200, 460, 320), (*second.grid.row_edges, 320), second.grid.col_edges, cells
    )
    second = replace(second, grid=grid, cells=cells)
    return [
        _page(0, ["Kế hoạch số 12/KH-UBND"], [first]),
        _page(1, [], [second]),
    ]


def test_an_unknown_table_keeps_every_column_flags_the_continued_row_and_finds_the_section() -> None:
    doc = assemble_document("u1", "x.pdf", _unknown_pages())
    [table] = doc.tables
    assert table.form == "unknown" and table.pages == (0, 1) and table.columns == ("c0", "c1", "c2")
    continued = [v for v in table.values if v.continued]
    assert {v.raw_text for v in continued if v.raw_text} == {"và công bố", "12/2027"}
    assert all(v.status == ValueStatus.FLAGGED and "continued" in (v.flag_reason or "") for v in continued)
    section = next(
        i for i, r in enumerate(table.rows) if r.label.startswith("II") or r.index.startswith("II")
    )
    assert table.rows[section].kind == RowKind.SECTION
    assert [v.raw_text for v in table.values if v.row_index == section] == ["II. Hoàn thiện khuôn khổ"]
    deadline = next(v for v in table.values if v.raw_text == "10/2027")
    assert deadline.value_kind == "month_year" and deadline.note == "2027-10"


# --------------------------------------------------------------------------------------------
# the steps of _finish_table


def _cell(text: str, *, cols: int = 1, rows: int = 1) -> CellRead:
    return CellRead(
        GridCell(0, 0, rows, cols, PixelBox(0, 0, 10 * cols, 10 * rows)), text, 90.0, CellKind.TEXT
    )


def test_cell_problem_names_a_merged_cell_before_a_parse_problem() -> None:
    plain = ParsedValue(raw="12", kind="number", number=12.0)
    ambiguous = ParsedValue(raw="1.5", kind="number", ambiguous=True)
    bad = ParsedValue(raw="x", kind="text", problem="not a count")
    assert assembly._cell_problem(plain, _cell("12")) == (False, None)
    assert assembly._cell_problem(ambiguous, _cell("1.5")) == (True, "ambiguous number")
    assert assembly._cell_problem(bad, _cell("x")) == (False, "not a count")
    assert assembly._cell_problem(plain, _cell("12", cols=2)) == (True, "one cell over 2 columns and 1 rows")
    assert assembly._cell_problem(ParsedValue(raw="", kind="null"), _cell("", cols=3)) == (False, None)


def test_parse_cell_uses_the_column_type_or_what_an_unknown_cell_is() -> None:
    spec = next(f for f in load_config().form_specs if f.code == "5B")
    assert assembly._parse_cell(spec, "tiep_nhan_tong", "5.697", index=False).number == 5697
    assert assembly._parse_cell(None, "c0", "2.1", index=True).kind == "index"
    assert assembly._parse_cell(None, "c2", "22/4/2026", index=False).note == "2026-04-22"
    assert assembly._column_unit(spec, "tiep_nhan_tong") == spec.column("tiep_nhan_tong").unit
    assert assembly._column_unit(spec, "extra_13") is None and assembly._column_unit(None, "c1") is None


def test_row_issues_name_missing_rows_under_their_parent_and_untrusted_rows() -> None:
    rows = [
        RowInfo(RowKind.SECTION, "II", "II", "UBND cấp xã", "II"),
        RowInfo(
            RowKind.COMMUNE, "1", "II/1", "Xã Trinh Phú", "II/1", problem="names no commune of the district"
        ),
    ]
    issues = assembly._row_issues(rows, {"II": "STT 2 not found", "": "STT III not found"})
    assert issues == [
        "rows missing under row II 'UBND cấp xã': STT 2 not found",
        "rows missing under the top level: STT III not found",
        "row 2 'Xã Trinh Phú': names no commune of the district; its values are flagged",
    ]
    assert assembly._row_issues(rows[:1], {}) == []


def test_column_issue_steps_count_drop_and_blank_columns() -> None:
    first, _ = _two_pages()
    spec = next(f for f in load_config().form_specs if f.code == "5B")
    building = assembly._start_table(
        assembly._segments([first], load_config().document)[0], [spec], load_config().forms
    )
    assert building.form is spec and building.header_rows == len(HEADER)
    assert assembly._column_count_issue(building, spec, set()) == []
    assert assembly._column_count_issue(replace(building, n_cols=13), spec, set())[0].startswith(
        "the table prints 13 columns where form 5B has 12: a column split or added"
    )
    assert assembly._column_count_issue(replace(building, n_cols=13), spec, {"extra_13"}) == []
    blank = assembly._blank_column_issues(building, spec, set(), {"tiep_nhan_tong": 3}, 5)
    assert any(i.startswith("column tiep_nhan_ky_truoc") for i in blank)
    assert not any("ghi_chu" in i for i in blank)  # a remarks column left blank is normal
    assert assembly._blank_column_issues(building, spec, set(), {}, 1) == []
    undeclared = replace(building, extras={12: "extra_13"}, headers={**building.headers, 12: "Khác"})
    [issue] = assembly._undeclared_column_issues(undeclared, spec, set(), {"extra_13": 4})
    assert issue.startswith("undeclared printed column kept as extra_13: 'Khác' (grid column 13, 4 values)")
    assert assembly._undeclared_column_issues(undeclared, spec, {"extra_13"}, {}) == []
    missing = replace(building, missing=("tiep_nhan_moi", spec.label_column))
    assert len(assembly._missing_column_issues(missing, spec)) == 1


def test_unknown_rows_register_a_merged_cell_once_and_find_sections_and_continued_rows() -> None:
    settings = load_config()
    segments = assembly._segments(_unknown_pages(), settings.document)
    building = assembly._start_table(segments[0], settings.form_specs, settings.forms)
    building.segments.append((segments[1], 0))
    body, rows = assembly._classified_rows(building, None, settings.document.rows)
    body, rows, continued = assembly._unknown_rows(building, body, rows)
    assert continued == {2}  # the first row of page 2, its STT empty
    assert [r.kind for r in rows].count(RowKind.SECTION) == 1
    section = next(i for i, r in enumerate(rows) if r.kind == RowKind.SECTION)
    assert list(body[section][2]) == [0]  # the full-width cell once, at its first column


def test_table_result_keeps_raw_rows_and_gives_a_dropped_column_its_generic_key() -> None:
    first, second = _two_pages()
    settings = load_config()
    segments = assembly._segments([first, second], settings.document)
    building = assembly._start_table(segments[0], settings.form_specs, settings.forms)
    building.segments.append((segments[1], 0))
    origin = assembly._Origin("d", "x.pdf", 3, building.form)
    result = assembly._table_result(building, origin, [], [], ["note"], {"II": "gap"}, {"ghi_chu"})
    assert result.table_index == 3 and result.form == "5B" and result.pages == (0, 1)
    assert result.columns[-1] == "c11" and result.columns[2] == "tiep_nhan_tong"
    assert len(result.raw) == first.tables[0].grid.n_rows + second.tables[0].grid.n_rows
    assert result.issues == ("note",) and result.incomplete == {"II": "gap"}


# --------------------------------------------------------------------------------------------
# a real generated report through the page task, in process


def test_a_generated_two_page_5b_through_the_page_task_assembles_as_printed() -> None:
    from extract.page import PageTask, process_page

    path = ROOT / "samples" / "5B_clean_300.pdf"
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    pages = [process_page(PageTask(str(path), i, "g" * 16)) for i in range(truth["page_count"])]
    assert not [p.error for p in pages if p.failed]
    doc = assemble_document("g" * 16, str(path), pages)
    [table] = doc.tables
    [expected] = truth["tables"]
    assert table.form == expected["form"] and list(table.pages) == expected["pages"]
    assert len(table.rows) == expected["rows"]
    printed = {
        (row["row_index"], key): text
        for page in truth["pages"]
        for part in page["tables"]
        for row in part["rows"]
        for key, text in row["cells"].items()
    }
    trusted = [v for v in table.values if v.status in (ValueStatus.VERIFIED, ValueStatus.CORRECTED)]
    assert len(trusted) >= 0.8 * len([v for v in table.values if v.raw_text.strip()])
    wrong = [
        (v.row_index, v.column_key, v.raw_text)
        for v in trusted
        if v.raw_text != printed[(v.row_index, v.column_key)]
    ]
    assert wrong == []  # a value the form's arithmetic confirms is the printed one
    assert all(isinstance(v.box, PixelBox) and v.box.area > 0 for v in table.values)


def test_district_steps_find_the_named_district_and_the_commune_labels() -> None:
    pages = _two_pages()
    settings = load_config()
    gazetteer = assembly._gazetteer(settings)
    named = assembly._named_districts(pages, settings.document, gazetteer, 2019)
    assert [(d.name, d.province_code) for d in named] == [("Huyện Kế Sách", "94")]
    assert assembly._named_districts(pages[1:], settings.document, gazetteer, 2019) == []
    buildings = assembly._tables(pages, settings.document, settings.form_specs, settings.forms)
    assert assembly._commune_labels(buildings) == KE_SACH  # not "TTHC thuộc thẩm quyền …", not the total


def test_an_empty_undeclared_column_under_a_declared_column_s_heading_is_dropped() -> None:
    """dev_1087_hard_300's 8B: a rule read inside the "Số lượng" column gave two grid columns of
    that heading, the undeclared one empty; the form's numbers stood under the other, and no
    reader could tell which "Số lượng" was the form's (the scorer mapped the empty one)."""
    first, _ = _two_pages()
    spec = next(f for f in load_config().form_specs if f.code == "5B")
    building = assembly._start_table(
        assembly._segments([first], load_config().document)[0], [spec], load_config().forms
    )
    j, key = next((j, k) for j, k in building.columns.items() if k == "tiep_nhan_tong")
    twin = replace(
        building,
        n_cols=13,
        extras={12: "extra_13"},
        columns={**building.columns, 12: "extra_13"},
        headers={**building.headers, 12: building.headers[j]},
    )
    drop, issues = assembly._column_issues(twin, [])
    assert drop == {"extra_13"} and not any("extra_13" in i for i in issues)
    assert any("prints 13 columns" in i for i in issues)  # a column split in reading: still said
    # with a heading of its own it is a printed column: kept
    other = replace(twin, headers={**twin.headers, 12: "Khác"})
    assert assembly._column_issues(other, [])[0] == set()
