"""Tables of no known form, kept as printed.

Every printed column is a column (``c0`` … ``cN``, the STT and label columns included, header
text kept, levels of a multi-level header joined with " / "); a merged cell gives one value, in
its first column, never a copy per column it covers; a full-width row ("I. Hoàn thiện khuôn khổ
pháp lý") is one section row; a first body row whose STT cell is empty continues a row of the
previous page, never a header; values are typed by what they are —
"10/2027" a month-year (text kept, ISO "2027-10" in ``note``), "22/4/2026" a date, "Liên tục"
text — and a cell whose type cannot be decided keeps its text.

A row continued over a page break is joined with its first half (:func:`join_continued`): one
logical row, each cell's text the two halves' text, both parts' pages and boxes kept as its
provenance (``Value.parts``).  A first row that prints a deadline of its own under the item's merged
cells is a new sub-row, kept; one flagged ``continued`` remains only when there is no first half
in the document (a page read alone) or the halves cannot be one row (a deadline on each side
and an STT or label of its own).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from ..model import (
    CellPart,
    CellRead,
    DocumentResult,
    OcrCorrection,
    ParsedValue,
    RowInfo,
    TableResult,
    Value,
    ValueStatus,
)
from .numbers import parse_value

HEADER_MAX_WORDS: Final = 8
"""A header cell is short: a cell of more words makes its row a body row."""
SECTION_MIN_SHARE: Final = 0.6
"""A row whose one text cell spans at least this share of the columns is a section row."""
SHORT_KINDS: Final = frozenset({"month_year", "date", "year", "number", "percent", "ratio", "index"})
"""Kinds of value a cell never splits over a page: two halves both holding one are two rows."""
SHORT_TEXT_WORDS: Final = 3
"""A text of at most this many words is a short value ("Liên tục", "Năm 2027")."""
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
    from ..folding import fold

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


def _part(v: Value) -> tuple[CellPart, ...]:
    return v.parts or (CellPart(v.page_index, v.box, v.raw_text, v.confidence),)


def _join_text(first: str, second: str) -> str:
    sep = "\n" if "\n" in first or "\n" in second else " "
    return first.rstrip() + sep + second.lstrip()


def _is_stray(v: Value) -> bool:
    """A number of a character or two: in a column of another kind, a stamp's or a mark's fragment."""
    return v.value_kind == "number" and len(v.raw_text.strip()) <= STRAY_MAX_CHARS


def _is_short(v: Value) -> bool:
    return v.value_kind in SHORT_KINDS or len(v.raw_text.split()) <= SHORT_TEXT_WORDS


def short_columns(values: Sequence[Value]) -> set[str]:
    """Columns whose filled cells are mostly (more than half) short values (deadlines, dates,
    numbers, "Liên tục"): a cell of such a column is not split over a page break."""
    seen: dict[str, list[bool]] = {}
    for v in values:
        if v.raw_text.strip():
            seen.setdefault(v.column_key, []).append(_is_short(v))
    return {k for k, flags in seen.items() if sum(flags) * 2 > len(flags)}


def _unplaced(row: list[Value], targets: dict[str, Value | None]) -> str | None:
    """A column of the continued ``row`` that holds text but has no cell above the page break."""
    for v in row:
        if v.raw_text.strip() and targets.get(v.column_key) is None:
            return f"column {v.column_key} has no cell on the previous page to continue"
    return None


def _clash(row: list[Value], targets: dict[str, Value], short: set[str]) -> str | None:
    """Why the continued ``row`` is not the rest of the cells ``targets`` (None: it can be): a
    column of short values (:func:`short_columns`) where both halves hold one of their own (a
    deadline on each side: two rows).  A stamp's fragment (:func:`_is_stray`) is no clash."""
    for v in row:
        target = targets.get(v.column_key)
        if target is None or not v.raw_text.strip():
            continue
        if (
            target.raw_text.strip()
            and not _is_stray(v)
            and (v.column_key in short or (v.value_kind in SHORT_KINDS and target.value_kind in SHORT_KINDS))
        ):
            return (
                f"column {v.column_key} prints {target.raw_text.strip()!r} before the page break and "
                f"{v.raw_text.strip()!r} after it"
            )
    return None


def join_continued(
    values: list[Value],
    rows: list[RowInfo],
    continued: set[int],
    index_key: str | None,
    label_key: str | None,
) -> tuple[list[Value], list[RowInfo]]:
    """Join each continued body row (the first row of a page, its STT cell empty) with its first
    half on the previous page: every cell of it that holds text is appended to the cell above the
    page break in its column (the cell covering the previous page's last row: the last row's own
    cell, or a merged cell that began higher), re-typed, its confidence the lower of the two, and
    both parts (page, box, text, confidence) kept in ``parts``; the continued row is
    then no row of its own.

    Not joined:

    - a row whose STT and label cells are empty (the item's merged cells run on from the previous
      page) while a column of short values holds one on both sides of the break (a deadline):
      a new sub-row of the item begun on the previous page, kept as a row of its own, unflagged;
    - any other row that clashes with the row above the break (see :func:`_clash`): two rows, or
      one whose index was not read; its values are flagged ``continued`` with the reason, as
      are those of a row with no previous page in the document (a page read alone).

    A lone number of a character or two after the break in a column whose cell above holds a
    value of its own (a stamp's fragment, "7" under "12/2027") is not appended: the cell above is
    flagged with it, and the fragment kept among its parts.

    ``values`` are the table's values in row order, ``rows`` the body rows they index; returns
    both with the joined rows removed and the row indexes renumbered.
    """
    values = list(values)  # joined cells are replaced at their positions (values are frozen)
    by_row: dict[int, list[int]] = {}
    for n, v in enumerate(values):
        by_row.setdefault(v.row_index, []).append(n)
    dropped: set[int] = set()
    labels: dict[int, str] = {}
    short = short_columns([v for v in values if v.row_index not in continued])
    for i in sorted(continued):
        row = [values[n] for n in by_row.get(i, [])]
        page = min((v.page_index for v in row), default=None)
        earlier = [n for n, v in enumerate(values) if v.row_index < i and v.row_index not in dropped]
        before = max(
            (values[n].page_index for n in earlier if page is not None and values[n].page_index < page),
            default=None,
        )
        if page is None or before is None:
            _flag_row(
                values, by_row.get(i, []), "continued: the row began on a page before the document's first"
            )
            continue
        above: dict[str, int | None] = {}  # column -> position of the cell above the break
        for v in row:
            above[v.column_key] = next(
                (
                    n
                    for n in reversed(earlier)
                    if values[n].column_key == v.column_key and values[n].page_index == before
                ),
                None,
            )
        cells_above = {k: values[n] if n is not None else None for k, n in above.items()}
        targets = {k: t for k, t in cells_above.items() if t is not None}
        why = _unplaced(row, cells_above)
        if why is None:
            why = _clash(row, targets, short)
            keyed = {v.column_key: v.raw_text.strip() for v in row}
            if why is not None and not keyed.get(index_key or "") and not keyed.get(label_key or ""):
                continue  # a new sub-row of the item continued from the previous page
        if why is not None:
            _flag_row(
                values,
                by_row.get(i, []),
                f"continued: the row began on the previous page; not joined: {why}"
                " (two rows, or a row whose index was not read?)",
            )
            continue
        for v in row:
            at = above.get(v.column_key)
            if at is None or not v.raw_text.strip():
                continue
            values[at], label = _joined(values[at], v)
            if label is not None and values[at].column_key == label_key:
                labels[values[at].row_index] = label
        dropped.add(i)
    if not dropped:
        return values, rows
    return _renumbered(values, rows, dropped, labels)


def _flag_row(values: list[Value], positions: Sequence[int], reason: str) -> None:
    for n in positions:
        values[n] = replace(values[n], continued=reason)


def _joined(target: Value, v: Value) -> tuple[Value, str | None]:
    """The cell above the page break with ``v``, its part after the break, appended; and the
    joined text as a label (None when ``v`` is a stamp's fragment, kept among the parts only)."""
    if target.raw_text.strip() and target.value_kind in SHORT_KINDS and _is_stray(v):
        why = (
            f"after the page break this column also reads {v.raw_text.strip()!r}, not joined to it"
            " (a stamp's or a mark's fragment?)"
        )
        return replace(target, parts=(*_part(target), *_part(v)), after_break=why), None
    if target.raw_text.strip():
        raw = _join_text(target.raw_text, v.raw_text)
        target = replace(target, parts=(*_part(target), *_part(v)))
    else:  # the cell above the break was printed empty: the text is all on this page
        raw = v.raw_text
        target = replace(target, page_index=v.page_index, box=v.box)
    parsed = parse_cell(raw)
    target = replace(
        target,
        raw_text=raw,
        value_kind=parsed.kind,
        number=parsed.number,
        boolean=parsed.boolean,
        text=parsed.text,
        note=parsed.note,
        confidence=min(target.confidence, v.confidence),
        candidates=(),  # the readings were of one part each
        ambiguous=True if v.ambiguous else target.ambiguous,
        problem=v.problem if v.problem is not None else target.problem,
    )
    return target, " ".join(raw.split())


def _renumbered(
    values: list[Value], rows: list[RowInfo], dropped: set[int], labels: dict[int, str]
) -> tuple[list[Value], list[RowInfo]]:
    """The values and rows without the ``dropped`` rows, row indexes renumbered, joined labels set."""
    renumber: dict[int, int] = {}
    kept_rows: list[RowInfo] = []
    for i, info in enumerate(rows):
        if i in dropped:
            continue
        renumber[i] = len(kept_rows)
        kept_rows.append(dataclasses.replace(info, label=labels[i]) if i in labels else info)
    kept = [
        replace(v, row_label=labels.get(v.row_index, v.row_label), row_index=renumber[v.row_index])
        for v in values
        if v.row_index not in dropped
    ]
    return kept, kept_rows


def flag_unknown(doc: DocumentResult) -> DocumentResult:
    """``doc`` with the flags of unknown tables, set after validation:

    - a cell joined over a page break with a fragment after the break (``after_break``);
    - every value of a row continued from the previous page that was not joined (``continued``):
      a person checks where its other half is;
    - a short number alone in a column whose other values are of another kind (month-years,
      text): a stamp's or a mark's fragment read as a value, or a misread deadline.
    """
    tables = tuple(_flag_unknown_table(t) if t.form == "unknown" else t for t in doc.tables)
    return replace(doc, tables=tables)


_ROMAN_LOOKALIKE = str.maketrans({"1": "I", "l": "I", "|": "I", "!": "I", "i": "I", "H": "II", "U": "II"})
"""What a bold roman numeral's strokes are read as: "1." for "I.", "H." for "II." (the serifs of
the two strokes merged), "Il." or "11." for "II."."""
SECTION_SEQUENCE_RULE: Final = "section index sequence"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V")):
        while n >= value:
            out, n = out + letters, n - value
    return out + ("IV" if n == 4 else "I" * n)


def _section_index_fixes(table: TableResult) -> dict[int, Value]:
    """Section indexes corrected by their sequence: {position in ``table.values``: the value}.

    Sections are numbered I, II, III … in print order.  A section index that is no roman
    numeral is corrected to the numeral its place in the sequence gives when its reading is a
    look-alike of it (:data:`_ROMAN_LOOKALIKE`: "H." for "II.", "1." for "I.") and the sequence is
    anchored: by the sections read as roman numerals (all at their places), or, when none is, by
    the table beginning with its first section (the first body row is a section).  The value is
    ``corrected`` (rule :data:`SECTION_SEQUENCE_RULE`), its reading kept in ``correction``.  A
    section index read as the numeral its place gives, flagged for its low confidence alone, is
    ``verified`` by the sequence when the sequence is anchored without it (the table opens with
    section I, or another numeral is read at its place): :func:`_confirmed`.
    Anything else (no anchor, a reading that is no look-alike, read numerals out of sequence)
    is left as read, and flagged by :func:`_flag_unknown_table`."""
    sections = [i for i, r in enumerate(table.rows) if r.kind.value == "section"]
    if not sections or not table.columns:
        return {}
    index_key = table.columns[0]
    at = {v.row_index: n for n, v in enumerate(table.values) if v.column_key == index_key}
    read = {k: table.values[at[row]].raw_text.strip() for k, row in enumerate(sections) if row in at}
    offsets = {_roman_value(t) - k for k, t in read.items() if _ROMAN.match(t) and _roman_value(t)}
    if len(offsets) > 1:
        return {}  # the numerals read disagree with one sequence: nothing to go by
    offset = offsets.pop() if offsets else (1 if sections[0] == 0 else None)
    if offset is None:
        return {}
    # the numerals read are confirmed by an anchor of their own: the table opening with section I
    # (a numeral's place is then known without it), or another numeral read at its place
    numerals = [k for k, t in read.items() if _ROMAN.match(t) and _roman_value(t)]
    opening = sections[0] == 0 and offset == 1
    fixes: dict[int, Value] = {}
    for k, text in read.items():
        expected = _roman(k + offset)
        bare = text.rstrip(".")
        if _ROMAN.match(text):
            if bare == expected and (opening or len(numerals) > 1):
                fixes.update(_confirmed(table.values, at[sections[k]], k))
            continue
        if bare.translate(_ROMAN_LOOKALIKE) != expected:
            continue
        n = at[sections[k]]
        v = table.values[n]
        fixes[n] = _index_corrected(v, expected + ".", SECTION_SEQUENCE_RULE, f"section {k + 1} of the table")
    return fixes


def _index_corrected(v: Value, index: str, rule: str, place: str) -> Value:
    """``v`` (a row's index) corrected to ``index`` by ``rule``, its reading kept in
    ``correction``; a problem of the reading (a merged cell's "ambiguous number") goes with it."""
    return replace(
        v,
        raw_text=index,
        text=index,
        value_kind="index",
        status=ValueStatus.CORRECTED,
        flag_reason=None,
        rule=rule,
        problem=None,
        ambiguous=False,
        correction=OcrCorrection(
            original_text=v.raw_text,
            original_number=v.number,
            original_confidence=v.confidence,
            variant=f"{place}: {index}",
            original_problem=v.problem,
        ),
    )


LOW_CONFIDENCE = "low confidence"  # how a value flagged for its reading's confidence alone is flagged


def _confirmed(values: Sequence[Value], n: int, k: int) -> dict[int, Value]:
    """Section ``k``'s index, read as the numeral its place gives but flagged for its confidence
    alone ("II." read at 62, from a letter whose serifs touch), made ``verified`` by the sequence:
    {``n``: the value}; nothing for a value that is not flagged so, or flagged for anything else."""
    v = values[n]
    if v.status is not ValueStatus.FLAGGED or not (v.flag_reason or "").startswith(LOW_CONFIDENCE):
        return {}
    return {n: replace(v, status=ValueStatus.VERIFIED, flag_reason=None, rule=SECTION_SEQUENCE_RULE)}


def _roman_value(text: str) -> int:
    """The value of a roman numeral ("IV." is 4); 0 for a malformed one ("IIII", "VX")."""
    bare = text.strip().rstrip(".")
    for n in range(1, 400):
        if _roman(n) == bare:
            return n
    return 0


ITEM_SEQUENCE_RULE: Final = "item index sequence"


def _item_index_fixes(table: TableResult) -> dict[int, Value]:
    """Item indexes corrected by their sequence: {position in ``table.values``: the value}.

    Items are numbered 1, 2, 3 … in print order, from 1 again after a section row or on.  An
    item's index read as another number is corrected to the one after the item before it when
    one of the cell's own readings read that number (QĐ 707 p-021's "11", after p-020's "10":
    "1" at 87 by one number model, "11" at 68 by another): the place in the sequence and a
    reading are two pieces of evidence.  Status ``corrected`` (rule :data:`ITEM_SEQUENCE_RULE`),
    the reading kept in ``correction``.  Nothing else is guessed: an index not read, or no
    reading of the expected number, leaves the sequence unknown until the next index read."""
    if not table.columns:
        return {}
    index_key = table.columns[0]
    at = {v.row_index: n for n, v in enumerate(table.values) if v.column_key == index_key}
    fixes: dict[int, Value] = {}
    before: int | None = None  # the index of the item before, 0 after a section row
    for row_index, row in enumerate(table.rows):
        if row.kind.value == "section":
            before = 0
            continue
        n = at.get(row_index)
        if n is None or not table.values[n].raw_text.strip():
            continue  # a sub-row of the item above (its index cell spans it), or a blank
        v = table.values[n]
        read = v.raw_text.strip().rstrip(".")
        if before is not None and read.isdigit() and int(read) != before + 1:
            expected = str(before + 1)
            if any(c.text.strip().rstrip(".") == expected for c in v.candidates):
                fixes[n] = _index_corrected(v, expected, ITEM_SEQUENCE_RULE, f"the item after {before}")
                read = expected
        before = int(read) if read.isdigit() else None
    return fixes


def _flag_unknown_table(table: TableResult) -> TableResult:
    fixes = _section_index_fixes(table)
    table = replace(table, values=tuple(fixes.get(n, v) for n, v in enumerate(table.values)))
    fixes = _item_index_fixes(table)
    table = replace(table, values=tuple(fixes.get(n, v) for n, v in enumerate(table.values)))
    kinds: dict[str, Counter[str]] = {}
    for v in table.values:
        if v.value_kind != "null":
            kinds.setdefault(v.column_key, Counter())[v.value_kind] += 1
    sections = {i for i, r in enumerate(table.rows) if r.kind.value == "section"}
    values = []
    for v in table.values:
        reason = None
        if v.rule in (SECTION_SEQUENCE_RULE, ITEM_SEQUENCE_RULE):
            pass  # corrected by the sections' or the items' sequence
        elif v.row_index in sections and v.value_kind == "index" and not _ROMAN.match(v.raw_text.strip()):
            reason = f"a section's index read as {v.raw_text.strip()!r}: a roman numeral misread?"
        elif v.after_break:
            reason = v.after_break
        elif v.continued:
            reason = v.continued
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
    "join_continued",
    "parse_cell",
    "row_cells",
]
