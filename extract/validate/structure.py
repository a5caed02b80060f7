"""Table-level trust: values whose place in the table's structure is in doubt are flagged.

A printed column the form does not declare is kept under its own key (``extra_<n>``) and the
table gets an issue.  That is right for a column the config lacks; but when one of the form's
own value columns was *not found* in the same table, the likelier story on a worn scan is that
its header was misread, and the "extra" column holds that column's values — or a neighbour's,
shifted.  Such values are not trusted as read: they are flagged, with the columns that are
missing named (the dev split's hard 200-dpi 6B read "Tinh giản biên chế / Kế hoạch" as an
undeclared column and its values stood ``read`` under no column the form knows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from extract.config import SINGLE_NUMBER_TYPES, FormSpec
from extract.folding import fold
from extract.model import RowKind, TableResult, Value
from extract.understand.forms import EXTRA_PREFIX, placed_with_one_step

from .flagging import add_flag

_VALUE_TYPES = frozenset({"count", "signed", "decimal", "percent", "ratio", "bool", "mixed", "remark"})
"""Declared column types whose absence makes an undeclared column suspect (not notes, labels)."""


def missing_value_columns(table: TableResult, form: FormSpec) -> list[str]:
    """The form's value columns that the table does not have (its header did not map them)."""
    have = set(table.columns)
    return [c.key for c in form.columns if c.type in _VALUE_TYPES and c.key not in have]


def flag_undeclared_columns(table: TableResult, form: FormSpec) -> TableResult:
    """``table`` with the values of its undeclared (``extra_``) columns FLAGGED while some of
    ``form``'s value columns were not found in it, or when the column has no header of its own
    (see :func:`flag_headerless_columns`).  Blanks stay blank."""
    missing = missing_value_columns(table, form)
    if not missing:
        return flag_shared_headings(flag_headerless_columns(table, form))
    shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return replace(table, values=tuple(_flag(v, form, shown) for v in table.values))


HEADERLESS = (
    "column {key} has no header of its own (it is found only on continuation pages, beside a "
    "column of the first page) while every column of form {form} is found: not a column the form "
    "prints -- a ruling line splitting a column, or a column placed wrong; the value may be a "
    "neighbouring column's"
)


NO_HEADING_READ = (
    "column {key} has no heading read (its header cells are blank): which printed column it is "
    "is not known -- the STT column or a heading lost on the scan; the value may be another column's"
)


def flag_headerless_columns(table: TableResult, form: FormSpec) -> TableResult:
    """``table`` with the values of undeclared columns that the table does not list (a column
    only continuation pages have, kept under a key of its own: no header was printed or read
    for it), or that it lists with a blank heading (nothing read names it: dev_1059 hard 300's
    11B, the STT column's header lost, its 27 STTs stood ``read`` under ``extra_col1``), FLAGGED.
    An undeclared column with a heading of its own stays as read (a printed column the config
    lacks)."""
    listed = set(table.columns)
    blank = {
        key
        for key, header in zip(table.columns, table.headers, strict=False)
        if key.startswith(EXTRA_PREFIX) and not header.strip()
    }

    def reason(key: str) -> str | None:
        if not key.startswith(EXTRA_PREFIX):
            return None
        if key not in listed:
            return HEADERLESS.format(key=key, form=form.code)
        return NO_HEADING_READ.format(key=key) if key in blank else None

    values = tuple(
        add_flag(v, why) if v.value_kind != "null" and (why := reason(v.column_key)) is not None else v
        for v in table.values
    )
    return replace(table, values=values) if values != table.values else table


SHARED_HEADING = (
    "column {key} has no heading of its own: its heading ({heading!r}) is also column(s) {others}'s "
    "-- one printed column split by a ruling line, or columns placed wrong; the value may be a "
    "neighbouring column's"
)


def flag_shared_headings(table: TableResult) -> TableResult:
    """``table`` with the values of each undeclared column whose heading, as read, is another
    column's too FLAGGED (dev_264_fax_150's 4B: one heading over grid columns 9 and 12, both kept
    as ``extra_`` columns, 28 numbers standing ``read`` under no printed column).  Two printed
    columns never share a whole heading path: the grid split one (or placed a piece wrong)."""
    by_heading: dict[str, list[str]] = {}
    for key, header in zip(table.columns, table.headers, strict=False):
        if fold(header).strip():
            by_heading.setdefault(" ".join(fold(header).split()), []).append(key)
    reasons: dict[str, str] = {}
    for keys in by_heading.values():
        for key in keys:
            if key.startswith(EXTRA_PREFIX) and len(keys) > 1:
                others = ", ".join(k for k in keys if k != key)
                header = table.headers[table.columns.index(key)]
                reasons[key] = SHARED_HEADING.format(key=key, heading=header[-60:], others=others)
    if not reasons:
        return table
    values = tuple(
        add_flag(v, reasons[v.column_key]) if v.column_key in reasons and v.value_kind != "null" else v
        for v in table.values
    )
    return replace(table, values=values)


def _flag(value: Value, form: FormSpec, shown: str) -> Value:
    if not value.column_key.startswith(EXTRA_PREFIX) or value.value_kind == "null":
        return value
    reason = (
        f"column {value.column_key} is not one form {form.code} declares, while its column(s) "
        f"{shown} were not found: a header misread, the value may belong to one of them"
    )
    return add_flag(value, reason)


# --------------------------------------------------------------------------------------------
# the column-number row read as a body row

_COLUMN_NUMBER_TEXT = re.compile(r"\(?\s*(\d{1,2})\s*\)?\.?")
COLUMN_NUMBERS_READ = (
    "the row reads the columns' numbers ({shown}): the header's column-number row read as a body row, no data"
)


def column_number_rows(table: TableResult, min_cells: int, min_share: float) -> dict[int, str]:
    """Body rows whose cells read their own column's number ("(1) (2) (3) …" printed under the
    header: dev_200_hard_200's 6B and 7B read it as a section "I" with the label "2", and the
    total rule then verified its "6"), with the numbers read: at least ``min_cells`` cells, and
    ``min_share`` of the row's (``validate.column_numbers_min`` / ``_share``), each equal to its
    column's place in the table (1 for the STT column) -- or, right of a column the page's grid
    lost or split, all one more or one less (dev_380 hard 300, 6B: "8 9 10" under the 7th, 8th
    and 9th columns, the lost column's key placed last)."""
    place = {key: i + 1 for i, key in enumerate(table.columns)}
    cells: dict[int, list[tuple[int, str, int | None]]] = {}
    for v in table.values:
        text = (v.raw_text or "").strip()
        if not text or v.column_key not in place:
            continue
        m = _COLUMN_NUMBER_TEXT.fullmatch(text)
        shift = int(m.group(1)) - place[v.column_key] if m is not None else None
        cells.setdefault(v.row_index, []).append((place[v.column_key], text, shift))
    out = {}
    for r, read in cells.items():
        read.sort()
        hits = [text for _p, text, shift in read if shift is not None]
        placed = placed_with_one_step([shift for _p, _t, shift in read if shift is not None], first=0)
        if (
            placed >= min_cells
            and placed >= min_share * len(read)
            and 0 <= r < len(table.rows)
            and table.rows[r].kind not in _NON_BODY
        ):
            out[r] = ", ".join(hits[:6]) + (", …" if len(hits) > 6 else "")
    return out


def mark_column_number_rows(table: TableResult, min_cells: int, min_share: float) -> TableResult:
    """``table`` with its body rows that read the columns' numbers (:func:`column_number_rows`)
    made column-number rows (no rule reads them) whose ``problem`` says why (the statuses flag
    their values with it), their values FLAGGED, and an issue."""
    found = column_number_rows(table, min_cells, min_share)
    if not found:
        return table
    rows = tuple(
        replace(r, kind=RowKind.COLUMN_NUMBERS, problem=COLUMN_NUMBERS_READ.format(shown=found[i]))
        if i in found
        else r
        for i, r in enumerate(table.rows)
    )
    values = tuple(
        add_flag(
            replace(v, row_kind=RowKind.COLUMN_NUMBERS.value),
            COLUMN_NUMBERS_READ.format(shown=found[v.row_index]),
        )
        if v.row_index in found and v.value_kind != "null"
        else v
        for v in table.values
    )
    named = "; ".join(f"row {i + 1} ({found[i]})" for i in sorted(found))
    issue = f"rows reading the columns' numbers, not data, their values flagged: {named}"
    issues = table.issues if issue in table.issues else (*table.issues, issue)
    return replace(table, rows=rows, values=values, issues=issues)


# --------------------------------------------------------------------------------------------
# a row read twice


def _row_numbers(table: TableResult) -> dict[int, tuple[tuple[str, float], ...]]:
    out: dict[int, list[tuple[str, float]]] = {}
    for v in table.values:
        if v.number is not None:
            out.setdefault(v.row_index, []).append((v.column_key, v.number))
    return {i: tuple(sorted(n)) for i, n in out.items()}


def repeated_rows(table: TableResult) -> dict[int, int]:
    """Row index -> the earlier row it repeats: the same STT, the same label (read alike) and the
    same numbers in the same columns, some of them not 0 -- one printed row read twice (a piece of
    the table found again under a continuation, on a fax).  Total rows are left out (a one-row
    table's total can equal its only row)."""
    numbers = _row_numbers(table)
    seen: dict[tuple[str, str, tuple[tuple[str, float], ...]], int] = {}
    out: dict[int, int] = {}
    for i, row in enumerate(table.rows):
        nums = numbers.get(i, ())
        label = " ".join(fold(row.label).split())
        if row.kind == RowKind.TOTAL or not label or not any(n for _k, n in nums):
            continue
        key = (row.index.strip(), label, nums)
        if key in seen:
            out[i] = seen[key]
        else:
            seen[key] = i
    return out


def flag_repeated_rows(table: TableResult) -> TableResult:
    """``table`` with every value of a row read twice FLAGGED (both copies: which one stands where
    it is printed is not known) and a table issue naming them."""
    twice = repeated_rows(table)
    if not twice:
        return table
    pair_of = {**twice, **{first: again for again, first in twice.items()}}

    def name(i: int) -> str:
        row = table.rows[i]
        return f"{(row.index.strip() + ' ') if row.index.strip() else ''}{row.label.strip()[:40]!r}"

    values = tuple(
        add_flag(
            v, f"{REPEATED} (rows {min(i, pair_of[i]) + 1} and {max(i, pair_of[i]) + 1}): {REPEATED_WHY}"
        )
        if (i := v.row_index) in pair_of and v.value_kind != "null"
        else v
        for v in table.values
    )
    shown = "; ".join(f"{name(first)} as rows {first + 1} and {again + 1}" for again, first in twice.items())
    issue = f"{REPEATED}: {shown}; {REPEATED_WHY}"
    return replace(table, values=values, issues=(*table.issues, issue))


REPEATED = "the same row read twice"
REPEATED_WHY = "the same STT, label and numbers: one printed row read again, its values are flagged"


# --------------------------------------------------------------------------------------------
# a table of no known form among a form's pages


def flag_pieces_of_forms(tables: Sequence[TableResult], forms: Mapping[str, FormSpec]) -> list[TableResult]:
    """``tables`` with every value of a table of no known form FLAGGED when a table of a known
    form lies on the same page or the page before or after: on a worn scan that is a piece of the
    form's table whose header or title was misread (a 4B page read apart from the 4B pages around
    it), and its values stand under no column the form knows.  (A piece without any title is
    flagged when the document is assembled.)  A table validated again alone (after a review)
    keeps the flags its issue records."""
    known = [t for t in tables if t.form in forms]
    out = []
    for table in tables:
        if table.form in forms:
            out.append(table)
            continue
        near = [k for k in known if any(abs(p - q) <= 1 for p in table.pages for q in k.pages)]
        issues = table.issues
        if near:
            k = near[0]
            beside = f"beside form {k.form}'s table (pages {', '.join(str(p + 1) for p in k.pages)})"
            where = ", ".join(str(p + 1) for p in table.pages)
            issue = f"page {where}: {PIECE} {beside}: {PIECE_WHY}; its values are flagged"
            issues = issues if issue in issues else (*issues, issue)
        recorded = next((i for i in issues if PIECE in i), None)
        if recorded is None:
            out.append(table)
            continue
        beside = recorded.split(PIECE, 1)[1].split(": ", 1)[0].strip()
        reason = f"{PIECE} {beside}: {PIECE_WHY}; which column and row this value is, is not sure"
        values = tuple(add_flag(v, reason) if v.value_kind != "null" else v for v in table.values)
        out.append(replace(table, values=values, issues=issues))
    return out


PIECE = "a table of no known form"
PIECE_WHY = "likely a piece of it whose header or title was misread"


# --------------------------------------------------------------------------------------------
# a whole column empty

_NON_BODY = frozenset({RowKind.HEADER, RowKind.COLUMN_NUMBERS})


def empty_columns(table: TableResult, form: FormSpec, min_rows: int) -> list[str]:
    """The form's number columns that the table has and that are blank in every body row (a cell
    with no value at all counts as blank), when the table has at least ``min_rows`` body rows."""
    body = {i for i, r in enumerate(table.rows) if r.kind not in _NON_BODY}
    if len(body) < min_rows:
        return []
    filled = {
        v.column_key
        for v in table.values
        if v.row_index in body and (v.value_kind != "null" or v.number is not None or v.raw_text.strip())
    }
    return [
        c.key
        for c in form.columns
        if c.type in SINGLE_NUMBER_TYPES and c.key in table.columns and c.key not in filled
    ]


EMPTY_COLUMN = (
    "column {key} ({header}) is blank in all {rows} rows: printed empty, or its values lost in reading?"
)


def note_empty_columns(table: TableResult, form: FormSpec, min_rows: int) -> TableResult:
    """``table`` with a table issue per number column of ``form`` that is blank in every body row."""
    rows = sum(1 for r in table.rows if r.kind not in _NON_BODY)
    issues = [
        EMPTY_COLUMN.format(key=key, header=" / ".join(form.column(key).header), rows=rows)
        for key in empty_columns(table, form, min_rows)
    ]
    new = [i for i in issues if i not in table.issues]
    return replace(table, issues=(*table.issues, *new)) if new else table
