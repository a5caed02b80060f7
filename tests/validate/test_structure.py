"""Table-level trust (extract.validate.structure): an undeclared printed column is not trusted
while one of the form's own value columns is missing from the same table."""

from __future__ import annotations

from dataclasses import replace

from test_validate_rules import mini_5b
from validate_builders import build_table, form_5b, value_at

from extract.model import TableResult, ValueStatus
from extract.validate import ValidateSettings, validate_table
from extract.validate.statuses import validate_document
from extract.validate.structure import flag_undeclared_columns, missing_value_columns

S = ValidateSettings()
LOST = "dang_giai_quyet_qua_han"  # a column no rule of 5B needs on its own rows


def _misread_header(table: TableResult, key: str, extra: str) -> TableResult:
    """The same table with column ``key``'s header unmatched: its values under ``extra``."""
    values = tuple(replace(v, column_key=extra) if v.column_key == key else v for v in table.values)
    return replace(table, values=values, columns=tuple(extra if c == key else c for c in table.columns))


def test_an_extra_column_beside_a_missing_declared_one_is_flagged() -> None:
    spec, _ = mini_5b()
    table = _misread_header(build_table(form_5b(), spec), LOST, "extra_col11")
    assert missing_value_columns(table, form_5b()) == [LOST]
    table = validate_table(table, form_5b(), S).table
    filled = [v for v in table.values if v.column_key == "extra_col11" and v.value_kind != "null"]
    assert filled and all(v.status == ValueStatus.READ for v in filled)  # before this check
    table = flag_undeclared_columns(table, form_5b())
    filled = [v for v in table.values if v.column_key == "extra_col11" and v.value_kind != "null"]
    assert filled and all(v.status == ValueStatus.FLAGGED and LOST in (v.flag_reason or "") for v in filled)
    # the declared columns keep their statuses
    assert value_at(table, 2, "tiep_nhan_tong").status == ValueStatus.VERIFIED


def test_an_extra_column_of_a_complete_table_is_kept_as_read() -> None:
    spec, _ = mini_5b()
    table = build_table(form_5b(), spec)
    extra = [replace(v, column_key="extra_13") for v in table.values if v.column_key == LOST]
    table = replace(table, values=(*table.values, *extra), columns=(*table.columns, "extra_13"))
    table = validate_table(table, form_5b(), S).table
    assert flag_undeclared_columns(table, form_5b()) is table  # a printed column the form lacks
    assert any(v.column_key == "extra_13" and v.status == ValueStatus.READ for v in table.values)


def test_validate_document_applies_it() -> None:
    from extract.model import DocumentMeta, DocumentResult

    spec, _ = mini_5b()
    table = _misread_header(build_table(form_5b(), spec), LOST, "extra_col11")
    doc = DocumentResult(
        document_id="d", source="s.pdf", page_count=1, meta=DocumentMeta(), pages=[], tables=[table]
    )
    doc = validate_document(doc, {"5B": form_5b()}, S)
    filled = [v for v in doc.tables[0].values if v.column_key == "extra_col11" and v.value_kind != "null"]
    assert filled and all(v.status == ValueStatus.FLAGGED for v in filled)


def test_an_extra_column_only_continuation_pages_have_is_flagged() -> None:
    """dev_012_fax_150's 4B: a continuation page's grid had a column more than page 6's (a rule
    splitting a column): kept as extra_col14, no header of its own, every 4B column found -- its
    values (1, 44, 39) stood ``read`` at no printed cell."""
    spec, _ = mini_5b()
    table = build_table(form_5b(), spec)
    extra = [replace(v, column_key="extra_col14") for v in table.values if v.column_key == LOST]
    table = replace(table, values=(*table.values, *extra))  # not among table.columns: no header
    table = flag_undeclared_columns(validate_table(table, form_5b(), S).table, form_5b())
    filled = [v for v in table.values if v.column_key == "extra_col14" and v.value_kind != "null"]
    assert filled and all(v.status == ValueStatus.FLAGGED for v in filled)
    assert all("has no header of its own" in (v.flag_reason or "") for v in filled)
    assert value_at(table, 2, "tiep_nhan_tong").status == ValueStatus.VERIFIED
