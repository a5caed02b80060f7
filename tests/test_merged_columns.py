"""A declared column the grid lost (the rule between it and its neighbour not found), its number
read into the neighbour's cell: parted by order, both parts flagged (dev 208's fax 1B "37 15",
dev 152's fax 2B "6 Số 1683/QĐ-UBND …").  Before, the lost column's numbers were in no output."""

from __future__ import annotations

from pathlib import Path

from extract.config import load_forms
from extract.merged_columns import part_beside_lost_cells, part_merged_cells
from extract.model import Candidate, PixelBox, Value
from extract.understand.numbers import parse_value

REPO = Path(__file__).resolve().parents[1]
FORMS = {f.code: f for f in load_forms(REPO / "configs")}


def _value(key: str, text: str, row: int = 0) -> Value:
    parsed = parse_value(text, "count")
    return Value(
        document_id="d", source="x.pdf", form="1B", table_index=0, page_index=0, row_index=row,
        row_key=str(row), row_kind="item", row_label="Kiểm tra công tác CCHC", commune_code=None,
        commune_name=None, column_key=key, column_header=key, value_kind=parsed.kind,
        number=parsed.number, boolean=None, text=parsed.text, unit=None, note=None, raw_text=text,
        confidence=90.0, box=PixelBox(0, 0, 10, 10),
    )  # fmt: skip


def _parse(form_code: str):  # type: ignore[no-untyped-def]
    form = FORMS[form_code]
    return lambda key, text: parse_value(text, form.column(key).type)


def test_two_numbers_in_the_neighbours_cell_are_parted_by_order_flagged() -> None:
    values = [_value("kiem_tra_truc_thuoc", "37 15"), _value("kiem_tra_truc_thuoc", "44", row=1)]
    out, notes = part_merged_cells(values, FORMS["1B"], ["kiem_tra_phong_ban"], _parse("1B"))
    got = {(v.row_index, v.column_key): (v.number, v.ambiguous) for v in out}
    assert got == {
        (0, "kiem_tra_phong_ban"): (37, True),  # the lost column is left of its neighbour: the first
        (0, "kiem_tra_truc_thuoc"): (15, True),
        (1, "kiem_tra_truc_thuoc"): (44, False),  # one number: left as it was
    }
    assert notes and "kiem_tra_phong_ban was not found" in notes[0] and "1 cells" in notes[0]
    assert all("parted by their order" in (v.problem or "") for v in out if v.ambiguous)


def test_a_number_before_a_notes_text_goes_to_the_lost_number_column() -> None:
    values = [_value("ghi_chu", "6 Số 1683/QĐ-UBND ngày 20/5/2020"), _value("ghi_chu", "Đạt 80%", row=1)]
    out, _notes = part_merged_cells(values, FORMS["2B"], ["tong_so"], _parse("2B"))
    got = {(v.row_index, v.column_key): v.raw_text for v in out}
    assert got == {
        (0, "tong_so"): "6",
        (0, "ghi_chu"): "Số 1683/QĐ-UBND ngày 20/5/2020",
        (1, "ghi_chu"): "Đạt 80%",
    }


def test_dates_references_and_three_numbers_are_not_parted() -> None:
    values = [_value("kiem_tra_truc_thuoc", t) for t in ("20/5/2020 3", "3 4 5", "12")]
    out, notes = part_merged_cells(values, FORMS["1B"], ["kiem_tra_phong_ban"], _parse("1B"))
    assert out == values and notes == []


def test_a_merged_neighbours_lone_numbers_give_the_lost_column_a_flagged_blank() -> None:
    # dev_1003 hard 300, 9B: the column-number cell "(3) (4)" says grid column "tang_giam" is over
    # "tong_so" too; its lone numbers ("23") are tong_so's or its own: tong_so was absent, its six
    # printed totals silently missing.  Now each row has a flagged tong_so without a number.
    values = [_value("tang_giam", "23"), _value("tang_giam", "5 2", row=1)]
    out, notes = part_merged_cells(values, FORMS["9B"], ["tong_so"], _parse("9B"), merged={"tang_giam"})
    got = {(v.row_index, v.column_key): (v.raw_text, v.status.value, v.number) for v in out}
    assert got[(0, "tang_giam")] == ("23", "read", 23)  # flagged by the header mapping's doubt
    assert got[(0, "tong_so")] == ("", "flagged", None)
    assert (got[(1, "tong_so")][0], got[(1, "tang_giam")][0]) == ("5", "2")  # two numbers: parted
    lost = next(v for v in out if v.row_index == 0 and v.column_key == "tong_so")
    assert "over two printed columns (tong_so, tang_giam)" in (lost.flag_reason or "")
    assert any("1 cells of column tang_giam, over both printed columns" in n for n in notes)
    # without the column-number evidence: as before (one number left as it was, nothing added)
    out, _notes = part_merged_cells(values[:1], FORMS["9B"], ["tong_so"], _parse("9B"))
    assert [v.column_key for v in out] == ["tang_giam"]


# -- a cell holding two numbers beside a column that has no cell in that row ------------------

_6B = [
    "lanh_dao_phong_bo_nhiem",
    "bien_che",
    "bien_che_tang_giam",
    "tinh_gian_ke_hoach",
    "tinh_gian_da_thuc_hien",
]


def _cell(key: str, text: str, row: int, x0: int, x1: int, height: int = 90) -> Value:
    parsed = parse_value(text, FORMS["6B"].column(key).type)
    y0 = 800 + 100 * row
    return Value(
        document_id="d", source="x.pdf", form="6B", table_index=0, page_index=14, row_index=row,
        row_key=str(row), row_kind="commune", row_label="Phường Vĩnh Hòa", commune_code=None,
        commune_name=None, column_key=key, column_header=key, value_kind=parsed.kind,
        number=parsed.number, boolean=None, text=parsed.text, unit=None, note=None, raw_text=text,
        confidence=96.0, box=PixelBox(x0, y0, x1, y0 + height), ambiguous=parsed.ambiguous,
        problem=parsed.problem, candidates=(Candidate(text.replace(" ", ""), 60.0, "psm7"),),
    )  # fmt: skip


def _part_beside(values: list[Value]) -> list[Value]:
    """Parted among the table's columns: those the values stand in (every other column of the
    row holds a value, blank or not, as the grid's cells give them)."""
    columns = {v.column_key for v in values}
    return part_beside_lost_cells(values, FORMS["6B"], columns, _parse("6B"), 75.0)


def test_two_numbers_beside_a_column_without_a_cell_are_parted_by_their_order() -> None:
    # dev_2846 hard 200, 6B page 14: the rule between "Số lượng theo kế hoạch" and "Đã tinh giản"
    # lost over the page's height; "30 8" stood under tinh_gian_ke_hoach (flagged, no number) and
    # tinh_gian_da_thuc_hien got a place-holder of a lost cell: the printed 8 was in no output.
    values = [
        _cell("tinh_gian_ke_hoach", "30 8", 0, 1799, 2045),
        _cell("tinh_gian_ke_hoach", "20", 1, 1799, 1920),
        _cell("tinh_gian_da_thuc_hien", "5", 1, 1920, 2045),
    ]
    out = _part_beside(values)
    got = {(v.row_index, v.column_key): (v.raw_text, v.number, v.ambiguous) for v in out}
    assert got == {
        (0, "tinh_gian_ke_hoach"): ("30", 30, False),
        (0, "tinh_gian_da_thuc_hien"): ("8", 8, False),
        (1, "tinh_gian_ke_hoach"): ("20", 20, False),
        (1, "tinh_gian_da_thuc_hien"): ("5", 5, False),
    }
    parts = [v for v in out if v.row_index == 0]
    assert [v.column_key for v in parts] == ["tinh_gian_ke_hoach", "tinh_gian_da_thuc_hien"]
    # at most part_confidence sure (flagged unless a rule bears it out); no candidate of the
    # whole text ("308") stays to "correct" a part with
    assert all(v.confidence == 75.0 and v.candidates == () for v in parts)
    # each part on its column's place: the lost column's from its cell in the row below
    assert [(v.box.x0, v.box.x1) for v in parts] == [(1799, 1920), (1920, 2045)]


def test_the_lost_column_left_of_the_cell_takes_the_first_number() -> None:
    # dev_2858 hard 300, 6B: "3 82" under lanh_dao_phong_bo_nhiem, bien_che without a cell
    values = [_cell("lanh_dao_phong_bo_nhiem", "3 82", 0, 1300, 1600), _cell("bien_che", "5", 1, 1450, 1600)]
    out = {v.column_key: v.raw_text for v in _part_beside(values) if v.row_index == 0}
    assert out == {"lanh_dao_phong_bo_nhiem": "3", "bien_che": "82"}


def test_cells_that_do_not_say_whose_numbers_they_are_stay_whole() -> None:
    lone = _cell("tinh_gian_da_thuc_hien", "5", 3, 1920, 2045)  # the column is the table's
    cases = [
        [_cell("tinh_gian_ke_hoach", "30", 0, 1799, 2045)],  # one number: which column is not known
        [  # over two rows (twice the height of the row's label): two rows' numbers, maybe
            _cell("co_quan", "Phường Vĩnh Hòa", 0, 247, 422),
            _cell("tinh_gian_ke_hoach", "30 8", 0, 1799, 2045, height=190),
        ],
        [_cell("tinh_gian_ke_hoach", "3 4 5", 0, 1799, 2045)],  # three numbers for two columns
        [_cell("tinh_gian_ke_hoach", "20/5/2020 3", 0, 1799, 2045)],  # a date
        [
            _cell("tinh_gian_ke_hoach", "30 8", 0, 1799, 2045),
            _cell("tinh_gian_da_thuc_hien", "1", 0, 1920, 2045),
        ],
    ]
    for values in cases:
        assert _part_beside([*values, lone]) == [*values, lone]
    # both neighbours of the lost bien_che hold two numbers: whose is it? not parted
    both = [
        _cell("lanh_dao_phong_bo_nhiem", "3 82", 0, 1300, 1450),
        _cell("bien_che_tang_giam", "1 2", 0, 1600, 1700),
        _cell("bien_che", "5", 1, 1450, 1600),
    ]
    assert _part_beside(both) == both
    # a column the table has not (no grid column of any page found it) is not made here
    values = [_cell("tinh_gian_ke_hoach", "30 8", 0, 1799, 2045)]
    assert part_beside_lost_cells(values, FORMS["6B"], _6B[3:4], _parse("6B"), 75.0) == values
    # the STT and label columns are never a lost column's (a number there makes a row)
    values = [_cell("so_co_quan", "4 7", 0, 400, 600), _cell("co_quan", "UBND", 1, 200, 400)]
    assert _part_beside(values) == values
