"""End to end: a number blotted out gets what the form's sums give, as a flagged suggestion in
every output.

Real generator, OpenCV and tesseract: dev document 35 (clean, 300 dpi), page 7, form 14B.  The
"Tiếp nhận" cell of commune 3 (Xã Phú Thạnh, printed 6) is covered by a blot of ink (the cell's
inside painted over, every ruling line kept), as a stain or a stamp covers a number on the hard
scans; the reader reads the blot as an empty cell, blank where every other commune has a
value.  Its row prints "Tổng = Tiếp nhận + Thuộc thẩm quyền" (8 = 6 + 2) and section II the
sum of its communes: both give 6.  The cell stays flagged, its OCR text as read, with the suggestion
6 in the JSON and in SQLite (``cell_values`` and ``flags``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from validate_builders import generated_table, read_with_page_image

from extract.model import ValueStatus

INSET = 6  # pixels kept clear of the rules


@pytest.mark.e2e
def test_a_blotted_number_gets_the_suggestion_of_its_sums_flagged(tmp_path: Path) -> None:
    from extract.writers import WriterContext, make_writers
    from extract.writers.json import document_json

    doc, table = generated_table(35, 7, "14B", "clean", 300)
    commune = next(r for r in table["rows"] if r["label"] == "Xã Phú Thạnh")
    assert (commune["values"]["tong"], commune["values"]["tiep_nhan"], commune["values"]["tham_quyen"]) == (
        8,
        6,
        2,
    )
    column = next(c["position"] for c in table["column_info"] if c["key"] == "tiep_nhan") - 1
    ys, xs = table["grid"]["row_edges"], table["grid"]["col_edges"]
    top, bottom = ys[commune["grid_row"]], ys[commune["grid_row"] + 1]
    image = doc.scans[7].image.copy()
    image[top + INSET : bottom - INSET, xs[column] + INSET : xs[column + 1] - INSET] = 0  # the blot
    out = read_with_page_image(doc, 7, image, tmp_path / "blotted.pdf")
    (t14,) = [t for t in out.tables if t.form == "14B"]
    row = next(i for i, r in enumerate(t14.rows) if "Phú Thạnh" in r.label)
    cells = {v.column_key: v for v in t14.values if v.row_index == row}
    blotted = cells["so_luong_tiep_nhan"]
    assert blotted.status == ValueStatus.FLAGGED and blotted.number != 6.0  # not read
    assert blotted.suggestion == 6.0
    assert blotted.flag_reason is not None and "give 6: a suggestion" in blotted.flag_reason
    assert "Tổng = Tiếp nhận + Thuộc thẩm quyền" in (blotted.rule or "")
    # the sure cells of its row are no more verified by it than before: the rule was not judged
    assert cells["so_luong_tong"].number == 8.0 and cells["so_luong_tong"].status != ValueStatus.VERIFIED
    assert sum(v.suggestion is not None for v in t14.values) == 1

    as_json = document_json(out)
    (mine,) = [
        v
        for t in as_json["tables"]
        for v in t["values"]
        if v["row_index"] == row and v["column_key"] == "so_luong_tiep_nhan" and t["form"] == "14B"
    ]
    assert (mine["status"], mine["suggestion"], mine["raw_text"]) == ("flagged", 6.0, blotted.raw_text)
    json.dumps(as_json)  # plain data

    [writer] = make_writers(["sqlite"], WriterContext(out_dir=tmp_path / "out"))
    writer.write_document(out, [])
    writer.close()
    db = sqlite3.connect(tmp_path / "out" / "results.sqlite")
    for name in ("cell_values", "flags"):
        got = db.execute(
            f"SELECT status, suggestion FROM {name} "
            "WHERE column_key = 'so_luong_tiep_nhan' AND suggestion IS NOT NULL"
        ).fetchall()
        assert got == [("flagged", 6.0)]
