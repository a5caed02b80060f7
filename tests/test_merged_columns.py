"""A declared column the grid lost (the rule between it and its neighbour not found), its number
read into the neighbour's cell: parted by order, both parts flagged (dev 208's fax 1B "37 15",
dev 152's fax 2B "6 Số 1683/QĐ-UBND …").  Before, the lost column's numbers were in no output."""

from __future__ import annotations

from pathlib import Path

from extract.config import load_forms
from extract.merged_columns import part_merged_cells
from extract.model import PixelBox, Value
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
