"""A form's rows read as text lines where no table was found, as a table whose every value is flagged.

When the rules of a form's table are too worn for the line finder (a fax whose rules broke into
dashes, a page under a seal), the page holds no table: its rows are read as text lines, "1 Số cơ
quan hành chính đã hoàn thiện … 27".  Their printed values must not vanish: each line that starts
like a row (an STT, or words) and holds numbers becomes one row of a table: STT, label, the line's
numbers in its order, and what follows them (a note).  Which printed column each number stands
in is not known (a blank printed cell leaves no trace in a text line), so
:mod:`extract.document` flags every value of such a table.

Pure functions on :class:`~extract.model.OcrLine`; the grid they build is a stand-in (equal
columns across the lines' width), not the printed one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import CellKind, CellRead, GridCell, OcrLine, PixelBox, ReadTable, TableGrid

# a row's printed index: "I", "IV", "2", "2.1", "2.2.15" (a trailing dot allowed)
_INDEX = re.compile(r"^(?:[IVX]{1,4}|\d{1,3}(?:\.\d{1,3}){0,3})\.?$")
# a printed number: "27", "5.697", "99,7%", "-3", "(12)"
_NUMBER = re.compile(r"^[-+]?\(?\d[\d.,]*%?\)?$")
# what parts a line's tokens: spaces, and the bars a lost vertical rule leaves in the text
_TOKENS = re.compile(r"[\s|]+")


@dataclass(frozen=True)
class TextRow:
    """One text line read as a table row: its printed ``index`` (may be empty), ``label``, the
    ``numbers`` in the line's order, the ``rest`` after them (a note), the line's box and
    confidence."""

    index: str
    label: str
    numbers: tuple[str, ...]
    rest: str
    box: PixelBox
    confidence: float


def text_row(line: OcrLine) -> TextRow | None:
    """``line`` as a row: an optional STT, words, then numbers (at least one), then anything;
    ``None`` for a line that holds no number after its label (a title, a header, prose whose
    numbers stand among its words are rows too: the caller decides where rows are looked for)."""
    tokens = [t for t in _TOKENS.split(line.text.strip()) if t]
    if not tokens:
        return None
    index = tokens.pop(0) if len(tokens) > 1 and _INDEX.match(tokens[0]) else ""
    label: list[str] = []
    while tokens and not _NUMBER.match(tokens[0]):
        label.append(tokens.pop(0))
    numbers: list[str] = []
    while tokens and _NUMBER.match(tokens[0]):
        numbers.append(tokens.pop(0))
    if not numbers or not (label or index):
        return None
    return TextRow(index, " ".join(label), tuple(numbers), " ".join(tokens), line.box, line.confidence)


# a number read alone in its cell, specks around it: "2?", ".40", "41", "1.234"
_LONE_NUMBER = re.compile(r"^[^\w(]*([-+]?\d[\d.,]*%?)[^\w]*$")
# the printed column-number row: "(1)", "(2)", "(3)=(4)+(5)"
_COLUMN_NUMBER = re.compile(r"^\(\d{1,2}\)")


def layout_rows(lines: Sequence[OcrLine], overlap: float = 0.5) -> list[TextRow]:
    """Rows of a table whose rules were lost, from where its text stands when the reader split it
    by columns (a label wrapped over four lines, its number a line of its own beside them: dev
    131's fax 8B read without its rules).  Each line that is a number alone is a value; values
    whose lines overlap by ``overlap`` of their height are one row's, in columns by their x (values
    whose x ranges overlap are one column); a row reaches halfway to the rows above and below
    (the first and last as far as the row pitch's half); the lines left of the first value column
    in a row's reach are its label (an STT first when it reads as one), those right of the last
    its note.  Lines above the first row's reach (the header, the column-number row) are left out.
    Empty when fewer than two rows are found (no pitch to reach by)."""
    ordered = sorted((ln for ln in lines if ln.text.strip()), key=lambda ln: (ln.box.y0, ln.box.x0))
    values = [ln for ln in ordered if _LONE_NUMBER.match(ln.text.strip())]
    others = [ln for ln in ordered if ln not in values and not _COLUMN_NUMBER.match(ln.text.strip())]
    groups: list[list[OcrLine]] = []
    for ln in values:
        for group in groups:
            g = group[0].box
            if min(g.y1, ln.box.y1) - max(g.y0, ln.box.y0) >= overlap * min(g.height, ln.box.height):
                group.append(ln)
                break
        else:
            groups.append([ln])
    if len(groups) < 2:
        return []
    spans: list[list[int]] = []  # value columns: [x0, x1], left to right
    for ln in sorted(values, key=lambda ln: ln.box.x0):
        if spans and ln.box.x0 < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], ln.box.x1)
        else:
            spans.append([ln.box.x0, ln.box.x1])
    centres = [(g[0].box.y0 + g[0].box.y1) / 2 for g in groups]
    pitch = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    bounds = [centres[0] - pitch / 2, *((a + b) / 2 for a, b in zip(centres, centres[1:], strict=False))]
    bounds.append(centres[-1] + pitch / 2)
    left, right = spans[0][0], spans[-1][1]
    rows = []
    for i, group in enumerate(groups):
        numbers = [""] * len(spans)
        for ln in group:
            at = next(k for k, (a, b) in enumerate(spans) if a <= ln.box.x0 < b)
            found = _LONE_NUMBER.match(ln.text.strip())
            assert found is not None
            numbers[at] = " ".join(t for t in (numbers[at], found.group(1)) if t)
        mine = [ln for ln in others if bounds[i] <= (ln.box.y0 + ln.box.y1) / 2 < bounds[i + 1]]
        label = [ln.text.strip() for ln in mine if (ln.box.x0 + ln.box.x1) / 2 < left]
        rest = [ln.text.strip() for ln in mine if (ln.box.x0 + ln.box.x1) / 2 >= right]
        words = " ".join(label).split()
        index = words.pop(0) if len(words) > 1 and _INDEX.match(words[0]) else ""
        box = group[0].box
        for ln in [*group[1:], *mine]:
            box = box.union(ln.box)
        confidence = min(ln.confidence for ln in [*group, *mine])
        rows.append(TextRow(index, " ".join(words), tuple(numbers), " ".join(rest), box, confidence))
    return rows


def rows_table(rows: Sequence[TextRow], n_values: int, page_index: int, table_index: int = 0) -> ReadTable:
    """``rows`` as a table of ``3 + n_values`` columns: STT, label, ``n_values`` numbers (a row's
    numbers in order from the first; those past ``n_values`` joined into the last), the rest.  Its
    grid spans the lines' box in equal columns (a stand-in: nothing was ruled)."""
    if not rows or n_values < 1:
        raise ValueError("rows_table: expected rows and at least one value column")
    n_cols = 3 + n_values
    x0 = min(r.box.x0 for r in rows)
    x1 = max(max(r.box.x1 for r in rows), x0 + n_cols)
    col_edges = tuple(x0 + (x1 - x0) * c // n_cols for c in range(n_cols + 1))
    row_edges = [rows[0].box.y0]
    for r in rows:
        row_edges.append(max(r.box.y1, row_edges[-1] + 1))
    cells: list[CellRead] = []
    for i, r in enumerate(rows):
        numbers = list(r.numbers[: n_values - 1]) + [" ".join(t for t in r.numbers[n_values - 1 :] if t)]
        texts = [r.index, r.label, *numbers, *[""] * (n_values - len(numbers)), r.rest]
        for c, text in enumerate(texts):
            box = PixelBox(col_edges[c], row_edges[i], col_edges[c + 1], row_edges[i + 1])
            kind = CellKind.EMPTY if not text else CellKind.NUMBER if 2 <= c < 2 + n_values else CellKind.TEXT
            confidence = r.confidence if text else 100.0
            cells.append(CellRead(GridCell(i, c, 1, 1, box), text, confidence, kind))
    grid = TableGrid(
        box=PixelBox(col_edges[0], row_edges[0], col_edges[-1], row_edges[-1]),
        row_edges=tuple(row_edges),
        col_edges=col_edges,
        cells=tuple(c.cell for c in cells),
    )
    return ReadTable(page_index=page_index, table_index=table_index, grid=grid, cells=tuple(cells))


def _holds_numbers(group: Sequence[OcrLine], col_edges: Sequence[int]) -> bool:
    """Whether a word with a digit of ``group``'s lines stands right of the table's first two
    columns (its STT and label): in a value column."""
    return any(
        any(ch.isdigit() for ch in w.text)
        and (w.box.x0 + w.box.x1) / 2 >= col_edges[min(2, len(col_edges) - 1)]
        for ln in group
        for w in ln.words
    )


# three letters in a row: a word read ("Tổng"), not specks or a sign ("(@D+", "(I)+(II)")
_WORD = re.compile(r"[^\W\d_]{3,}")


# an STT standing in the first column ("1", "2.1", "II", "IV."): a printed row of its own
_STT_WORD = re.compile(r"^\W*(?:\d+(?:\.\d+)*|[IVX]+)\.?\W*$")


def _label_words(group: Sequence[OcrLine], col_edges: Sequence[int]) -> list[str]:
    """The words of ``group``'s lines left of the table's value columns (its STT and label)."""
    edge = col_edges[min(2, len(col_edges) - 1)]
    return [w.text for ln in group for w in ln.words if (w.box.x0 + w.box.x1) / 2 < edge]


def _labels_to_numbers(
    groups: list[list[OcrLine]], col_edges: Sequence[int]
) -> list[tuple[list[OcrLine], list[OcrLine]]]:
    """``groups`` (text lines of one printed row each, top to bottom) as (lines, label lines): a
    group that holds no number but whose STT/label columns read a word (three letters in a row) is
    the label of the nearest group that does hold one, above or below, when the gap between them
    is at most its own height: a label wrapped over lines that tesseract read apart from the
    row's numbers ("Tổng số" over "l (@D+ 78788 35795 41245 …": dev 229's fax 10B total row;
    "Lĩnh vực" over "Đăng ký … 14 …": dev 208's fax 4B).  Only its words left of the value columns
    count (the rest is the row's rules and specks); a group of specks reads no word and joins
    nothing (dev 177's "¡+ đD | TỶ" under its total row "'Tổng ()"), nor does a group with its own
    STT (a section row printed without numbers, "II UBND cấp xã")."""
    numbered = [_holds_numbers(g, col_edges) for g in groups]
    boxes = [_union(g) for g in groups]
    named = [any(_WORD.search(w) for w in _label_words(g, col_edges)) for g in groups]
    own_stt = [
        any(_STT_WORD.match(w.text) for ln in g for w in ln.words if (w.box.x0 + w.box.x1) / 2 < col_edges[1])
        for g in groups
    ]
    into: dict[int, int] = {}
    for i in range(len(groups)):
        if numbered[i] or not named[i] or own_stt[i]:
            continue  # a row of its own (its STT read: a section row "II UBND cấp xã"), or specks
        near = [
            (gap, j)
            for j in (i - 1, i + 1)
            if 0 <= j < len(groups)
            and numbered[j]
            and (gap := max(boxes[j].y0 - boxes[i].y1, boxes[i].y0 - boxes[j].y1, 0)) <= boxes[i].height
        ]
        if near:
            into[i] = min(near)[1]
    out: dict[int, tuple[list[OcrLine], list[OcrLine]]] = {}
    for i, group in enumerate(groups):
        if i not in into:
            out[i] = (list(group), [])
    for i, j in into.items():
        out[j][1].extend(groups[i])
    return [out[i] for i in sorted(out)]


def _union(lines: Sequence[OcrLine]) -> PixelBox:
    box = lines[0].box
    for ln in lines[1:]:
        box = box.union(ln.box)
    return box


def rows_under_columns(
    lines: Sequence[OcrLine], col_edges: Sequence[int], page_index: int, overlap: float = 0.5
) -> ReadTable | None:
    """Text lines that carry a table's rows (its last rows alone at the top of the next page, their
    rules too worn to be found) as a table with the table's columns ``col_edges`` (its first
    page's, page pixels): lines whose boxes overlap by ``overlap`` of the lower one's height are
    one printed row (a wrapped label, a number set lower), each word goes to the column its centre
    stands in (words outside the columns are left out).  ``None`` when no line has words with
    boxes, or no row holds a digit outside its first two columns (its STT and label)."""
    words_of = [ln for ln in sorted(lines, key=lambda ln: ln.box.y0) if ln.words]
    groups: list[list[OcrLine]] = []
    for ln in words_of:
        last = groups[-1][-1] if groups else None
        if last is not None:
            shared = min(last.box.y1, ln.box.y1) - max(last.box.y0, ln.box.y0)
            if shared >= overlap * min(last.box.height, ln.box.height):
                groups[-1].append(ln)
                continue
        groups.append([ln])
    n_cols = len(col_edges) - 1
    rows: list[tuple[PixelBox, float, list[str]]] = []
    for own, label in _labels_to_numbers(groups, col_edges):
        seen: set[tuple[str, PixelBox]] = set()
        parts: list[list[str]] = [[] for _ in range(n_cols)]
        # a column's words line by line (a label wrapped over two lines), left to right; a label
        # line's words only in the STT and label columns
        group = sorted([*own, *label], key=lambda ln: ln.box.y0)
        words = [(w, ln in label) for ln in group for w in sorted(ln.words, key=lambda w: w.box.x0)]
        for w, label_only in words:
            if (w.text, w.box) in seen or not w.text.strip():
                continue
            seen.add((w.text, w.box))
            x = (w.box.x0 + w.box.x1) / 2
            c = next((c for c in range(n_cols) if col_edges[c] <= x < col_edges[c + 1]), None)
            if c is not None and (c < 2 or not label_only):
                parts[c].append(w.text)
        if any(ch.isdigit() for part in parts[2:] for word in part for ch in word):
            box = group[0].box
            for ln in group[1:]:
                box = box.union(ln.box)
            rows.append((box, min(ln.confidence for ln in group), [" ".join(part) for part in parts]))
    if not rows:
        return None
    row_edges = [rows[0][0].y0]
    for box, _conf, _texts in rows:
        row_edges.append(max(box.y1, row_edges[-1] + 1))
    cells: list[CellRead] = []
    for i, (_box, confidence, texts) in enumerate(rows):
        for c, text in enumerate(texts):
            box = PixelBox(col_edges[c], row_edges[i], col_edges[c + 1], row_edges[i + 1])
            number = c >= 2 and any(ch.isdigit() for ch in text)
            kind = CellKind.EMPTY if not text else CellKind.NUMBER if number else CellKind.TEXT
            cells.append(CellRead(GridCell(i, c, 1, 1, box), text, confidence if text else 100.0, kind))
    grid = TableGrid(
        box=PixelBox(col_edges[0], row_edges[0], col_edges[-1], row_edges[-1]),
        row_edges=tuple(row_edges),
        col_edges=tuple(col_edges),
        cells=tuple(c.cell for c in cells),
    )
    return ReadTable(page_index=page_index, table_index=0, grid=grid, cells=tuple(cells))


__all__ = ["TextRow", "layout_rows", "rows_table", "rows_under_columns", "text_row"]
