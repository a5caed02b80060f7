"""The header's column-number row read as a body row is no data (issue 9, round 7: dev_200_hard_200's
6B and 7B read "(1) (2) (3) …" as a section "I" labelled "2"; the total rule then verified its
"6", a sure number on no printed cell)."""

from __future__ import annotations

from validate_builders import Spec, agreeing, build_table, row, sections_7b

from extract.config import load_forms
from extract.model import DocumentMeta, DocumentResult, RowKind, TableResult, ValueStatus
from extract.validate import ValidateSettings
from extract.validate.statuses import validate_document
from extract.validate.structure import column_number_rows

F7B = {f.code: f for f in load_forms()}["7B"]
S = ValidateSettings()


def _7b(first: list[str]) -> TableResult:
    """7B as read: a first row whose cells read ``first`` (columns in order from the first value
    column, the table's third), then the sections."""
    keys = [c.key for c in F7B.columns][2:]
    rows = [row(RowKind.SECTION, "I", "I", "2"), *sections_7b()]
    cells = {(0, k): agreeing(text) for k, text in zip(keys, first, strict=False) if text}
    cells.update({(i, k): agreeing(n) for i, n in ((1, "6"), (2, "6"), (3, "9"), (4, "9")) for k in keys[:3]})
    return build_table(F7B, Spec(rows=rows, cells=cells))


def test_a_row_reading_the_column_numbers_is_found() -> None:
    assert set(
        column_number_rows(
            _7b(["3", "4", "(5)", "6", "(2)", "8", "9"]), S.column_numbers_min, S.column_numbers_share
        )
    ) == {0}
    assert (
        column_number_rows(_7b(["3", "4", "5"]), S.column_numbers_min, S.column_numbers_share) == {}
    )  # three cells: too few to tell
    assert (
        column_number_rows(
            _7b(["12", "7", "5", "6", "40", "8", "1"]), S.column_numbers_min, S.column_numbers_share
        )
        == {}
    )  # data that meets a few


def test_its_values_are_flagged_and_no_rule_reads_it() -> None:
    doc = DocumentResult(
        document_id="d",
        source="s.pdf",
        page_count=1,
        meta=DocumentMeta(),
        pages=[],
        tables=[_7b(["3", "4", "5", "6", "7", "8", "9", "10"])],
    )
    out = validate_document(doc, {"7B": F7B}, S).tables[0]
    assert out.rows[0].kind == RowKind.COLUMN_NUMBERS
    first = [v for v in out.values if v.row_index == 0 and v.number is not None]
    assert first and all(v.status == ValueStatus.FLAGGED for v in first)
    assert all("columns' numbers" in (v.flag_reason or "") for v in first)
    assert any("columns' numbers" in i for i in out.issues)
    # re-validated, it stays so
    again = validate_document(DocumentResult(**{**doc.__dict__, "tables": [out]}), {"7B": F7B}, S).tables[0]
    assert all(
        v.status == ValueStatus.FLAGGED for v in again.values if v.row_index == 0 and v.number is not None
    )


def test_the_cells_needed_are_settings() -> None:
    table = _7b(["3", "4", "5", "6", "7"])
    assert set(column_number_rows(table, 5, 0.6)) == {0}
    assert column_number_rows(table, 6, 0.6) == {}
    assert (S.column_numbers_min, S.column_numbers_share) == (4, 0.6)


def test_a_row_of_column_numbers_over_a_lost_column_is_found() -> None:
    # dev_380 hard 300, 6B: the grid lost a column, the numbers right of it one more than their
    # column's place ("8" in the 7th); read as data, nine numbers on no printed cell
    lost = _7b(["3", "4", "5", "6", "8", "9", "10"])
    assert set(column_number_rows(lost, S.column_numbers_min, S.column_numbers_share)) == {0}
    # every number one more than its place from the first: small counts, not a shift after a loss
    assert (
        column_number_rows(_7b(["4", "5", "6", "7", "8"]), S.column_numbers_min, S.column_numbers_share) == {}
    )
