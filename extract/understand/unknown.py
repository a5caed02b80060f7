"""Tables of no known form, kept as printed.

Every printed column is a column (``c0`` … ``cN``, the STT and label columns included, header
text kept, levels of a multi-level header joined with " / "); a merged cell gives one value, in
its first column, never a copy per column it covers; a full-width row ("I. Hoàn thiện khuôn khổ
pháp lý") is one section row; a first body row whose STT cell is empty continues a row of the
previous page (flagged ``continued``), never a header; values are typed by what they are —
"10/2027" a month-year (text kept, ISO "2027-10" in ``note``), "22/4/2026" a date, "Liên tục"
text — and a cell whose type cannot be decided keeps its text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from ..model import CellRead, DocumentResult, ParsedValue, TableResult, ValueStatus
from .numbers import parse_value

HEADER_MAX_WORDS: Final = 8
"""A header cell is short: a cell of more words makes its row a body row."""
SECTION_MIN_SHARE: Final = 0.6
"""A row whose one text cell spans at least this share of the columns is a section row."""
STRAY_MAX_CHARS: Final = 2
"""A number this short, alone among values of another kind, may be a stamp's fragment."""

_MONTH_YEAR = re.compile(
    r"^(?:th[áa]ng\s*)?(?P<m>0?[1-9]|1[0-2])\s*[/.-]\s*(?P<y>(?:19|20)\d{2})$", re.IGNORECASE
)
_DATE = re.compile(
    r"^(?P<d>0?[1-9]|[12]\d|3[01])\s*[/.-]\s*(?P<m>0?[1-9]|1[0-2])\s*[/.-]\s*(?P<y>(?:19|20)\d{2})$"
)
_YEAR = re.compile(r"^(?:năm\s*)?(?P<y>(?:19|20)\d{2})$", re.IGNORECASE)
_INDEX = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*)\.?$|^[-–+•]$")
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_DATEISH = re.compile(r"\d+\s*/\s*\d+")


def is_header_row(row: Sequence[str]) -> bool:
    """Every cell filled and short, none a date or a number: a header row of an unknown table.
    A row continued from the previous page (its STT cell empty, its text long) is not."""
    cells = [" ".join(c.split()) for c in row]
    if not cells or any(not c for c in cells):
        return False
    return all(not (len(c.split()) > HEADER_MAX_WORDS or _DATEISH.search(c)) for c in cells)


def header_rows(matrix: Sequence[Sequence[str]], limit: int) -> int:
    """How many top rows of ``matrix`` are header rows (at most ``limit``)."""
    n = 0
    for row in matrix[:limit]:
        if not is_header_row(row):
            break
        n += 1
    return n


def repeated_header_rows(matrix: Sequence[Sequence[str]], header_rows_: int, headers: dict[int, str]) -> int:
    """How many top rows of a continuation page repeat the table's header (0 when none)."""
    if header_rows_ <= 0 or len(matrix) < header_rows_:
        return 0
    from .communes import fold

    for r in range(header_rows_):
        row = matrix[r]
        if not is_header_row(row):
            return 0
        if not all(fold(cell) and fold(cell) in fold(headers.get(c, "")) for c, cell in enumerate(row)):
            return 0
    return header_rows_


def parse_cell(text: str, *, index: bool = False) -> ParsedValue:
    """A cell of an unknown table typed by what it is; never an empty value for printed text.
    In the STT column (``index``) "I.", "1.", "2.1" are row indexes, kept as text."""
    s = " ".join(text.split())
    if not s:
        return ParsedValue(raw=text, kind="null")
    if index and _INDEX.match(s):
        return ParsedValue(raw=text, kind="index", text=s)
    m = _MONTH_YEAR.match(s)
    if m:
        return ParsedValue(
            raw=text, kind="month_year", text=s, note=f"{m.group('y')}-{int(m.group('m')):02d}"
        )
    m = _DATE.match(s)
    if m:
        try:
            iso = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
            return ParsedValue(raw=text, kind="date", text=s, note=iso)
        except ValueError:
            pass
    m = _YEAR.match(s)
    if m:
        return ParsedValue(raw=text, kind="year", number=float(m.group("y")), text=s)
    parsed = parse_value(text, "mixed")
    empty = parsed.number is None and parsed.boolean is None and not parsed.text
    if parsed.kind == "null" or empty or parsed.problem or parsed.ambiguous:
        return ParsedValue(raw=text, kind="text", text=s)  # undecided: the text is kept
    return parsed


def row_cells(cells: dict[int, CellRead]) -> dict[int, CellRead]:
    """The cells that start in a row, each once, at its first column (a merged cell covering
    several columns is registered under each of them by the caller's grid walk)."""
    return {c: cell for c, cell in cells.items() if cell.cell.col == c}


def is_section_row(cells: dict[int, CellRead], n_cols: int) -> bool:
    """One text cell spanning most of the row ("I. | Hoàn thiện khuôn khổ pháp lý")."""
    filled = [cell for cell in cells.values() if cell.text.strip()]
    return (
        any(cell.cell.col_span >= max(2, SECTION_MIN_SHARE * n_cols) for cell in filled) and len(filled) <= 2
    )


def is_continued_row(cells: dict[int, CellRead], index_col: int | None) -> bool:
    """The first body row of a page whose STT cell is empty while other cells hold text: the
    rest of a row that began on the previous page."""
    if index_col is None:
        return False
    idx = cells.get(index_col)
    others = [cell for c, cell in cells.items() if c != index_col and cell.text.strip()]
    return (idx is None or not idx.text.strip()) and bool(others)


def flag_unknown(doc: DocumentResult) -> DocumentResult:
    """``doc`` with the flags of unknown tables, set after validation:

    - every value of a row continued from the previous page ("continued"): a person checks
      where its other half is;
    - a short number alone in a column whose other values are of another kind (month-years,
      text): a stamp's or a mark's fragment read as a value, or a misread deadline.
    """
    return replace(
        doc, tables=tuple(_flag_unknown_table(t) if t.form == "unknown" else t for t in doc.tables)
    )


def _flag_unknown_table(table: TableResult) -> TableResult:
    kinds: dict[str, Counter[str]] = {}
    for v in table.values:
        if v.value_kind != "null":
            kinds.setdefault(v.column_key, Counter())[v.value_kind] += 1
    sections = {i for i, r in enumerate(table.rows) if r.kind.value == "section"}
    values = []
    for v in table.values:
        reason = None
        if v.row_index in sections and v.value_kind == "index" and not _ROMAN.match(v.raw_text.strip()):
            reason = f"a section's index read as {v.raw_text.strip()!r}: a roman numeral misread?"
        elif v.continued:
            reason = "continued: the row began on the previous page"
        elif v.value_kind == "number" and len(v.raw_text.strip()) <= STRAY_MAX_CHARS:
            column = kinds.get(v.column_key, Counter())
            if column["number"] * 2 < sum(column.values()):
                reason = "a lone short number in a column of another kind (a stamp or a mark?)"
        values.append(v if reason is None else replace(v, status=ValueStatus.FLAGGED, flag_reason=reason))
    return replace(table, values=tuple(values))


__all__ = [
    "repeated_header_rows",
    "flag_unknown",
    "header_rows",
    "is_continued_row",
    "is_header_row",
    "is_section_row",
    "parse_cell",
    "row_cells",
]
