"""A row continued over a page break joined with its first half (extract.understand.unknown)
and written with both parts as its provenance (``cell_values.parts``)."""

from __future__ import annotations

import dataclasses
import json
import uuid
from pathlib import Path

import pytest

from extract.model import PixelBox, RowInfo, RowKind, Value
from extract.understand.unknown import join_continued, parse_cell
from extract.writers.schema import CELL_VALUES
from extract.writers.sql import SqlWriter
from extract.writers.tables import document_rows

COLS = ("c0", "c1", "c2", "c3", "c4", "c5")


def _value(row: int, page: int, col: str, text: str, confidence: float = 95.0) -> Value:
    parsed = parse_cell(text, index=col == "c0")
    y = 100 * row
    return Value(
        document_id="d",
        source="s.pages",
        form="unknown",
        table_index=0,
        page_index=page,
        row_index=row,
        row_key=f"r{row}",
        row_kind="item",
        row_label="",
        commune_code=None,
        commune_name=None,
        column_key=col,
        column_header=col,
        value_kind=parsed.kind,
        number=parsed.number,
        boolean=parsed.boolean,
        text=parsed.text,
        unit=None,
        note=parsed.note,
        raw_text=text,
        confidence=confidence,
        box=PixelBox(10 * COLS.index(col), y, 10 * COLS.index(col) + 9, y + 90),
    )


def _table(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[Value], list[RowInfo]]:
    """Values of body rows given as (page, {column: text}); a column left out has no cell
    starting in the row (a merged cell from above)."""
    values = [
        _value(i, page, col, text) for i, (page, cells) in enumerate(rows) for col, text in cells.items()
    ]
    infos = [
        RowInfo(RowKind.ITEM, cells.get("c0", ""), str(i), cells.get("c1", ""), f"r{i}")
        for i, (_p, cells) in enumerate(rows)
    ]
    values = [dataclasses.replace(v, row_label=infos[v.row_index].label) for v in values]
    return values, infos


def _at(values: list[Value], row: int, col: str) -> Value:
    (v,) = [v for v in values if v.row_index == row and v.column_key == col]
    return v


def test_a_cell_split_by_the_page_break_is_one_cell_with_both_parts() -> None:
    values, rows = _table(
        [
            (
                0,
                {
                    "c0": "1.",
                    "c1": "Hoàn thiện khung pháp lý",
                    "c2": "Nghiên cứu, sửa đổi quy định về",
                    "c3": "Bộ Tư pháp",
                    "c4": "",
                    "c5": "12/2027",
                },
            ),
            (1, {"c0": "", "c1": "", "c2": "tương trợ tư pháp.", "c3": "", "c4": "", "c5": ""}),
            (
                1,
                {
                    "c0": "2.",
                    "c1": "Tăng cường hợp tác",
                    "c2": "Ký kết thỏa thuận",
                    "c3": "Bộ Công an",
                    "c4": "",
                    "c5": "Liên tục",
                },
            ),
        ]
    )
    values, rows = join_continued(values, rows, {1}, "c0", "c1")
    assert len(rows) == 2 and [r.index for r in rows] == ["1.", "2."]
    assert sorted({v.row_index for v in values}) == [0, 1]
    cell = _at(values, 0, "c2")
    assert cell.raw_text == "Nghiên cứu, sửa đổi quy định về tương trợ tư pháp."
    assert cell.value_kind == "text" and "quy định về tương trợ" in cell.text and cell.page_index == 0
    assert [(p.page_index, p.raw_text) for p in cell.parts] == [
        (0, "Nghiên cứu, sửa đổi quy định về"),
        (1, "tương trợ tư pháp."),
    ]
    assert _at(values, 0, "c5").note == "2027-12"
    assert not _at(values, 0, "c5").parts  # nothing of it after the break
    assert _at(values, 1, "c5").raw_text == "Liên tục"  # the next row renumbered, untouched
    assert not any(v.continued for v in values)


def test_a_label_split_by_the_break_joins_in_a_merged_cell_begun_higher() -> None:
    # the item's STT and label cells span both sub-rows of page 0 (no cell starts in row 1)
    values, rows = _table(
        [
            (
                0,
                {
                    "c0": "3.",
                    "c1": "Thực hiện các hành động để giải quyết",
                    "c2": "Rà soát các quy định về thanh tra",
                    "c5": "6/2027",
                },
            ),
            (0, {"c2": "Ban hành hướng dẫn về", "c3": "Bộ Công an", "c5": "12/2027"}),
            (1, {"c0": "", "c1": "các thiếu hụt.", "c2": "thanh tra, kiểm tra.", "c5": ""}),
        ]
    )
    values, rows = join_continued(values, rows, {2}, "c0", "c1")
    assert len(rows) == 2
    assert _at(values, 0, "c1").raw_text == "Thực hiện các hành động để giải quyết các thiếu hụt."
    assert rows[0].label == "Thực hiện các hành động để giải quyết các thiếu hụt."
    assert {v.row_label for v in values if v.row_index == 0} == {rows[0].label}
    assert _at(values, 1, "c2").raw_text == "Ban hành hướng dẫn về thanh tra, kiểm tra."
    assert _at(values, 1, "c5").raw_text == "12/2027"


def test_a_new_sub_row_of_an_item_begun_on_the_previous_page_stays_a_row() -> None:
    # a deadline on each side of the break, STT and label empty (the item's merged cells run on)
    values, rows = _table(
        [
            (
                0,
                {
                    "c0": "4.",
                    "c1": "Đánh giá rủi ro",
                    "c2": "Thực hiện đánh giá",
                    "c3": "Ngân hàng Nhà nước",
                    "c5": "Liên tục",
                },
            ),
            (
                1,
                {"c0": "", "c1": "", "c2": "Các bộ cập nhật rủi ro", "c3": "Các bộ, ngành", "c5": "Liên tục"},
            ),
        ]
    )
    joined, kept = join_continued(list(values), list(rows), {1}, "c0", "c1")
    assert len(kept) == 2 and len(joined) == len(values)
    assert not any(v.parts or v.continued for v in joined)


def test_a_clash_that_is_no_sub_row_is_flagged_not_joined() -> None:
    # a label after the break but no STT: a new item whose index was not read, or one row?
    values, rows = _table(
        [
            (
                0,
                {
                    "c0": "5.",
                    "c1": "Giám sát tổ chức phi lợi nhuận",
                    "c2": "Kiểm tra các tổ chức",
                    "c5": "6/2027",
                },
            ),
            (1, {"c0": "", "c1": "Đào tạo cán bộ các cấp", "c2": "Tập huấn cho các bộ", "c5": "12/2027"}),
        ]
    )
    joined, kept = join_continued(values, rows, {1}, "c0", "c1")
    assert len(kept) == 2
    reasons = {v.continued for v in joined if v.row_index == 1}
    (reason,) = reasons
    assert "not joined" in reason and "'6/2027'" in reason and "'12/2027'" in reason


def test_a_stamp_fragment_after_the_break_is_kept_and_flagged_not_appended() -> None:
    values, rows = _table(
        [
            (0, {"c0": "1.", "c1": "Tương trợ tư pháp", "c2": "Nghiên cứu, đề xuất", "c5": "12/2027"}),
            (1, {"c0": "", "c1": "", "c2": "các yêu cầu tương trợ.", "c5": "7"}),
        ]
    )
    values, rows = join_continued(values, rows, {1}, "c0", "c1")
    assert len(rows) == 1
    deadline = _at(values, 0, "c5")
    assert deadline.raw_text == "12/2027" and deadline.value_kind == "month_year"
    assert [p.raw_text for p in deadline.parts] == ["12/2027", "7"]  # the fragment is not lost
    assert "'7'" in (deadline.after_break or "")


def test_a_first_row_with_nothing_before_it_stays_flagged_continued() -> None:
    values, rows = _table([(3, {"c0": "", "c1": "", "c2": "phần còn lại của ô.", "c5": ""})])
    values, rows = join_continued(values, rows, {0}, "c0", "c1")
    assert len(rows) == 1 and all("before the document's first" in (v.continued or "") for v in values)


def test_a_cell_over_two_breaks_keeps_three_parts() -> None:
    values, rows = _table(
        [
            (0, {"c0": "1.", "c1": "Nội dung", "c2": "phần một của một ô dài", "c5": ""}),
            (1, {"c0": "", "c1": "", "c2": "phần hai của ô ấy", "c5": ""}),  # the whole of page 1
            (2, {"c0": "", "c1": "", "c2": "phần ba và hết.", "c5": "Năm 2027"}),
        ]
    )
    values, rows = join_continued(values, rows, {1, 2}, "c0", "c1")
    assert len(rows) == 1
    assert _at(values, 0, "c2").raw_text == "phần một của một ô dài phần hai của ô ấy phần ba và hết."
    assert [p.page_index for p in _at(values, 0, "c2").parts] == [0, 1, 2]
    deadline = _at(values, 0, "c5")  # printed only after the breaks: its page and box are there
    assert (deadline.raw_text, deadline.page_index, deadline.value_kind) == ("Năm 2027", 2, "year")


def test_the_parts_are_written_as_provenance(tmp_path: Path) -> None:
    from extract.model import DocumentMeta, DocumentResult, TableResult

    values, rows = _table(
        [
            (0, {"c0": "1.", "c1": "Nội dung", "c2": "phần một của một ô dài", "c5": "6/2027"}),
            (1, {"c0": "", "c1": "", "c2": "và phần hai của nó", "c5": ""}),
        ]
    )
    values, rows = join_continued(values, rows, {1}, "c0", "c1")
    table = TableResult(0, "unknown", 0.0, "", (0, 1), COLS, COLS, rows, values, raw=[])
    doc = DocumentResult("d", "s.pages", 2, DocumentMeta(), [], [table])
    cells = document_rows(doc)[CELL_VALUES.name]
    assert len(cells) == 4  # one row: the continued row is no row of its own
    (joined,) = [r for r in cells if r["column_key"] == "c2"]
    parts = json.loads(joined["parts"])
    assert [(p["page"], p["raw_text"]) for p in parts] == [
        (1, "phần một của một ô dài"),
        (2, "và phần hai của nó"),
    ]
    assert parts[1]["y0"] == 100 and joined["page"] == 1
    assert all(r["parts"] is None for r in cells if r["column_key"] != "c2")
    from extract.writers.json import document_json

    (table_json,) = document_json(doc)["tables"]
    (joined_json,) = [v for v in table_json["values"] if v["column_key"] == "c2"]
    assert joined_json["parts"] == parts  # a list in the JSON file, like a table's pages


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_database_written_before_the_parts_column_gets_it(backend: str, tmp_path: Path) -> None:
    import sqlalchemy as sa

    if backend == "sqlite":
        url, cleanup = f"sqlite:///{tmp_path / 'old.sqlite'}", None
    else:
        from extract.writers.postgres import postgres_url
        from tests.postgres_server import postgres_test_url

        server = postgres_url(postgres_test_url())
        schema = f"test_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(server)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = (
            sa.engine.make_url(server)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
        cleanup = (admin, schema)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:  # the schema of the release before: no cell_values.parts
            conn.execute(
                sa.text("CREATE TABLE documents (id TEXT PRIMARY KEY, source TEXT, report_number TEXT)")
            )
            conn.execute(
                sa.text("CREATE TABLE cell_values (document_id TEXT, table_index INTEGER, rule TEXT)")
            )
            conn.execute(sa.text("INSERT INTO cell_values VALUES ('d', 0, 'r')"))
        SqlWriter(backend, url).close()
        SqlWriter(backend, url).close()  # a second run finds it there
        names = {c["name"] for c in sa.inspect(engine).get_columns("cell_values")}
        assert "parts" in names
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT rule, parts FROM cell_values")).all() == [("r", None)]
    finally:
        engine.dispose()
        if cleanup is not None:
            admin, schema = cleanup
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def test_a_row_with_text_where_the_previous_page_has_no_cell_is_flagged_not_joined() -> None:
    values, rows = _table(
        [
            (0, {"c0": "1.", "c1": "Nội dung hành động", "c2": "phần một của một ô dài"}),
            (1, {"c0": "", "c1": "", "c2": "phần hai của ô ấy", "c5": "Liên tục"}),  # no c5 above
        ]
    )
    joined, kept = join_continued(values, rows, {1}, "c0", "c1")
    assert len(kept) == 2
    assert all(
        "column c5 has no cell on the previous page" in (v.continued or "")
        for v in joined
        if v.row_index == 1
    )
