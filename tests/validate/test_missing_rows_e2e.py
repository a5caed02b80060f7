"""End to end: a commune row erased from a generated scan comes out as a placeholder row.

Real generator, OpenCV and tesseract: dev document 13 (clean, 200 dpi), page 6, form 11B listing
the 14 communes of Huyện Như Thanh.  The row of "5 Xã Mậu Lâm" is erased from the scan -- its text
and the ruling line under it, the column rules kept -- so the grid sees one taller row where
two were printed, as on a worn scan whose rule faded.  Before, Mậu Lâm was in no output (a
table issue named it at best); now its row is there, in its place, with a flagged value and no
number in every value column, and nothing else of the table changes its trust.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from validate_builders import generated_table, read_with_page_image

from extract.model import ValueStatus
from extract.validate.missing_rows import ROW_NOT_FOUND, is_placeholder

ERASED = "16243"  # Xã Mậu Lâm, STT 5 of 14
INSET = 3  # pixels kept clear of the column rules


@pytest.mark.e2e
def test_an_erased_commune_row_is_a_flagged_placeholder_in_its_place(tmp_path: Path) -> None:
    doc, table = generated_table(13, 6, "11B", "clean", 200)
    position = next(k for k, r in enumerate(table["rows"]) if r["commune_code"] == ERASED)
    assert table["rows"][position]["stt"] == "5"
    ys, xs = table["grid"]["row_edges"], table["grid"]["col_edges"]
    top, bottom = ys[table["header_rows"] + position], ys[table["header_rows"] + position + 1]
    image = doc.scans[6].image.copy()
    for x0, x1 in zip(xs, xs[1:], strict=False):  # the row's cells and the rule under it
        image[top + INSET : bottom + INSET, x0 + INSET : x1 - INSET + 1] = 255
    (out,) = [
        t for t in read_with_page_image(doc, 6, image, tmp_path / "erased.pdf").tables if t.form == "11B"
    ]
    codes = [r.commune.commune.code if r.commune else None for r in out.rows]
    at = codes.index(ERASED)
    placed = out.rows[at]
    assert (placed.index, placed.label) == ("5", "Xã Mậu Lâm")
    assert out.rows[at - 1].index == "4" and out.rows[at + 1].index == "6"  # in its place
    mine = [v for v in out.values if v.row_index == at]
    assert {v.column_key for v in mine} == {v.column_key for v in out.values if v.row_index == at + 1}
    for v in mine:
        assert v.status == ValueStatus.FLAGGED and v.number is None and is_placeholder(v)
        assert (v.flag_reason or "").startswith(ROW_NOT_FOUND) and v.commune_code == ERASED
        assert v.page_index == 6 and v.box.y0 <= top + INSET and v.box.y1 >= bottom  # shows where it was
    assert any(ROW_NOT_FOUND in i and ERASED in i for i in out.issues)
    # the other communes are all read and none of them got a placeholder
    printed = {r["commune_code"] for r in table["rows"] if r["commune_code"]}
    assert set(codes) - {None} == printed
    assert [v for v in out.values if is_placeholder(v)] == mine
