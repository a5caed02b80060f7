"""A column whose key the header mapping could not be sure of reaches the outputs flagged, with a
table issue saying why: a tie between two keys ("TX" read "T" while "TH" is not printed), or a
column with no heading read that took the one key not found by its place alone (dev_009 hard
300, form 13B: "Số liệu thống kê" read as nothing)."""

from __future__ import annotations

from pathlib import Path

from document_builders import read_table
from test_continuation_form import _page

from extract.config import load_forms
from extract.document import assemble_document

REPO = Path(__file__).resolve().parents[2]
FORMS = {f.code: f for f in load_forms(REPO / "configs")}


def _flagged(table, key):  # type: ignore[no-untyped-def]
    return [v for v in table.values if v.column_key == key and v.raw_text.strip()]


def test_a_headless_column_in_the_missing_keys_slot_is_flagged() -> None:
    matrix = [
        ["STT", "Nội dung thống kê", "", "Ghi chú"],
        ["I", "Xây dựng, áp dụng và công bố hệ thống", "", ""],
        ["1", "Số đơn vị hành chính cấp xã đã công bố áp dụng hệ thống", "12/12", ""],
        ["2", "Số đơn vị hành chính cấp xã thực hiện đúng quy định trong ISO", "11", ""],
    ]
    title = ["Biểu mẫu 13B", FORMS["13B"].title]
    doc = assemble_document("d13", "x.pdf", [_page(0, title, read_table(matrix, page=0, top=400))])
    [table] = doc.tables
    assert table.form == "13B" and "so_lieu" in table.columns
    assert not [k for k in table.columns if k.startswith("extra")]
    values = _flagged(table, "so_lieu")
    assert [v.raw_text for v in values] == ["12/12", "11"]
    assert all(v.ambiguous and "no heading" in (v.problem or "") for v in values)
    assert any("so_lieu" in i and "no heading" in i for i in table.issues)


def test_a_tie_in_the_header_mapping_is_flagged() -> None:
    form = FORMS["7B"]
    kept = form.columns[:-1]  # "TH" not printed (a rule lost), "TX" read "T"
    parents = [c.header[0] for c in kept]
    leaves = [c.header[-1] for c in kept]
    leaves[-1] = "T"
    body = [
        ["1", "Phòng Nội vụ", *[str(3 + j) for j in range(len(kept) - 2)]],
        ["2", "Phòng Tư pháp", *[str(5 + j) for j in range(len(kept) - 2)]],
    ]
    title = ["Biểu mẫu 7B", form.title]
    doc = assemble_document(
        "d7", "x.pdf", [_page(0, title, read_table([parents, leaves, *body], page=0, top=400))]
    )
    [table] = doc.tables
    assert table.form == "7B"
    key = table.columns[len(kept) - 1]
    assert key in ("nang_luong_tx", "nang_luong_th")
    values = _flagged(table, key)
    assert len(values) == 2
    assert all(v.ambiguous and "tie" in (v.problem or "") for v in values)
    assert any("tie" in i and key in i for i in table.issues)
    others = [v for v in table.values if v.column_key == "bien_che" and v.raw_text.strip()]
    assert others and not any("tie" in (v.problem or "") for v in others)
