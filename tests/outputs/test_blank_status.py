"""A printed-empty cell is ``blank``, not ``verified`` by a sum it adds 0 to."""

from __future__ import annotations

import sys

from extract.model import DocumentMeta, DocumentResult, RowKind, ValueStatus
from extract.validate import ValidateSettings, validate_document
from tests.repo_data import ROOT

sys.path.insert(0, str(ROOT / "tests" / "validate"))
from validate_builders import PARSE, Cell, Spec, build_table, form_5b, row


def test_blank_cells_get_their_own_status_and_numbers_keep_theirs() -> None:
    spec = Spec(
        rows=[row(RowKind.ITEM, "1", "1", "Xã A")],
        cells={
            (0, key): Cell("7")
            for key in (
                "tiep_nhan_tong",
                "tiep_nhan_ky_truoc",
                "da_giai_quyet_tong",
                "da_giai_quyet_dung_han",
            )
        },
    )
    table = build_table(form_5b(), spec)
    doc = DocumentResult("d" * 16, "a.pdf", 1, DocumentMeta(), [], [table])
    doc = validate_document(doc, {"5B": form_5b()}, ValidateSettings(), parse=PARSE)
    (table,) = doc.tables
    by_key = {v.column_key: v for v in table.values}
    assert by_key["tiep_nhan_moi"].raw_text == "" and by_key["tiep_nhan_moi"].status == ValueStatus.BLANK
    assert by_key["tiep_nhan_tong"].status == ValueStatus.VERIFIED  # 7 = 7 + blank (counted as 0)
    assert by_key["tiep_nhan_ky_truoc"].status == ValueStatus.VERIFIED
    assert {v.status for v in table.values if v.raw_text == ""} == {ValueStatus.BLANK}
