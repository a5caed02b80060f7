"""An undeclared column whose heading is another column's is no printed column of its own: its
values are flagged (issue 9, round 7: dev_264_fax_150's 4B read one heading over grid columns 9
and 12, kept both as ``extra_`` columns, and 28 numbers stood ``read`` under no printed column)."""

from __future__ import annotations

from dataclasses import replace

from validate_builders import Spec, agreeing, build_table, form_5b, row

from extract.model import RowKind, TableResult, ValueStatus
from extract.validate.structure import flag_undeclared_columns

FORM = form_5b()
HEADING = "Số TTHC được giải quyết / Trong đó / Số SðTTHC TỪHC liên thông"


def _with_extras(headers: list[str]) -> TableResult:
    """Form 5B's table, every column found, and undeclared columns with ``headers`` (a number
    in each, every row)."""
    rows = [row(RowKind.ITEM, str(i + 1), str(i + 1), f"Xã {i}") for i in range(3)]
    table = build_table(FORM, Spec(rows=rows, cells={(i, "tiep_nhan_moi"): agreeing("7") for i in range(3)}))
    template = next(v for v in table.values if v.column_key == "tiep_nhan_moi")
    values = list(table.values)
    for k, header in enumerate(headers):
        key = f"extra_col{20 + k}"
        values += [
            replace(
                template, row_index=i, row_key=r.key, column_key=key, column_header=header, number=5.0 + k
            )
            for i, r in enumerate(rows)
        ]
    columns = (*table.columns, *(f"extra_col{20 + k}" for k in range(len(headers))))
    return replace(table, columns=columns, headers=(*table.headers, *headers), values=tuple(values))


def test_two_undeclared_columns_under_one_heading_are_flagged() -> None:
    table = _with_extras([HEADING, HEADING])
    out = flag_undeclared_columns(table, FORM)
    extras = [v for v in out.values if v.column_key.startswith("extra_")]
    assert extras and all(v.status == ValueStatus.FLAGGED for v in extras)
    assert all("has no heading of its own" in (v.flag_reason or "") for v in extras)
    # the form's own columns are untouched
    assert [v for v in out.values if not v.column_key.startswith("extra_")] == [
        v for v in table.values if not v.column_key.startswith("extra_")
    ]


def test_an_undeclared_column_with_a_heading_of_its_own_stays_as_read() -> None:
    table = _with_extras(["Số hồ sơ trực tuyến", HEADING])
    out = flag_undeclared_columns(table, FORM)
    assert all(v.status != ValueStatus.FLAGGED for v in out.values if v.column_key.startswith("extra_"))
    # an undeclared column whose heading is a declared column's (a printed column split) is flagged
    same = _with_extras([table.headers[table.columns.index("tiep_nhan_moi")]])
    out = flag_undeclared_columns(same, FORM)
    assert all(v.status == ValueStatus.FLAGGED for v in out.values if v.column_key.startswith("extra_"))
    assert all(v.status != ValueStatus.FLAGGED for v in out.values if v.column_key == "tiep_nhan_moi")


def test_an_undeclared_column_with_no_heading_read_is_flagged() -> None:
    # dev_1059 hard 300, 11B: the STT column's header lost, the column kept as extra_col1 with a
    # blank heading; its 27 STTs ("1" … "29") stood read under no printed column
    table = _with_extras(["", "Số hồ sơ trực tuyến"])
    out = flag_undeclared_columns(table, FORM)
    blank = [v for v in out.values if v.column_key == "extra_col20"]
    assert blank and all(v.status == ValueStatus.FLAGGED for v in blank)
    assert all("no heading read" in (v.flag_reason or "") for v in blank)
    named = [v for v in out.values if v.column_key == "extra_col21"]
    assert named and all(v.status != ValueStatus.FLAGGED for v in named)
