"""End to end: a total row whose label cell was read empty is the total by its place.

Real generator, OpenCV and tesseract: dev document 35 (clean, 300 dpi), page 7, form 14B, its
total row "Tổng số = (I) + (II)" printed last under sections I and II.  The row's STT and label
cells are erased from the scan (their text only, every ruling line kept), as on the hard scans
where the total's label cell -- merged across the STT and label columns -- is the one read empty
(dev_107_hard_300's 10B, dev_114_hard_300's 5B, dev_145_fax_150's 14B).  Before, the row stood
nameless, its numbers flagged as "no STT and no label" and paired with no printed row; now it is
the total row, named by its place, its values flagged saying so, and no other row changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from validate_builders import generated_table, read_with_page_image

from extract.model import RowKind, ValueStatus

INSET = 4  # pixels kept clear of the rules


@pytest.mark.e2e
def test_a_total_row_with_its_label_erased_is_named_by_its_place(tmp_path: Path) -> None:
    doc, table = generated_table(35, 7, "14B", "clean", 300)
    total = table["rows"][-1]
    assert total["kind"] == "total" and total["label"] == "Tổng số = (I) + (II)"
    ys, xs = table["grid"]["row_edges"], table["grid"]["col_edges"]
    top, bottom = ys[total["grid_row"]], ys[total["grid_row"] + 1]
    image = doc.scans[7].image.copy()
    image[top + INSET : bottom - INSET, xs[0] + INSET : xs[2] - INSET] = 255  # STT and label cells
    (out,) = [
        t for t in read_with_page_image(doc, 7, image, tmp_path / "erased.pdf").tables if t.form == "14B"
    ]
    named = out.rows[-1]
    assert (named.kind, named.key, named.label) == (RowKind.TOTAL, "total", "Tổng số = (I) + (II)")
    assert [r.kind for r in out.rows].count(RowKind.TOTAL) == 1
    mine = [v for v in out.values if v.row_index == len(out.rows) - 1 and v.number is not None]
    printed = {k: v for k, v in total["values"].items() if isinstance(v, int)}
    assert len(mine) >= len(printed) - 1  # the row's numbers were read
    for v in mine:
        assert v.status == ValueStatus.FLAGGED and "is the total row" in (v.flag_reason or "")
        assert v.row_label == "Tổng số = (I) + (II)" and v.row_kind == "total"
    assert any("is the total row" in i for i in out.issues)
    assert not any("the total row" in i and "was not found" in i for i in out.issues)
    # every other row is read as printed, and none of them is flagged for the naming
    assert len(out.rows) == len(table["rows"])
    assert all(
        "is the total row" not in (v.flag_reason or "") for v in out.values if v.row_index < len(out.rows) - 1
    )
