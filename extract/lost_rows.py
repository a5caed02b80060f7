"""A printed value never disappears silently: a form's rows that were read as text lines.

On worn scans and faxes a table's rules can be too worn for the line finder: a form's whole page
(its title over rows read as lines), or a table's last rows alone at the top of the next page
(a total row, read as one line of numbers under its label's first words).  Those lines are made
rows of the form's table, every value flagged (which printed column a number stands in is read
from its place, not from rules), or, where they cannot be placed, named in the table's issues.
Moved out of :mod:`extract.document` (its assembly calls :func:`add_rows_read_as_text`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .config import NUMERIC_TYPES, FormSpec
from .folding import fold
from .merged_columns import LONE_NUMBER
from .model import OcrLine, PageResult
from .pagetext import with_marks_put_back

if TYPE_CHECKING:
    from .document import DocumentSettings, _Building
    from .understand.forms import FormsSettings


def add_rows_read_as_text(
    pages: Sequence[PageResult],
    out: list[_Building],
    forms: Sequence[FormSpec],
    fs: FormsSettings,
    settings: DocumentSettings,
) -> None:
    """The document's tables ``out`` (in reading order) completed with what was read as text: a
    form's page whose table was not found becomes a table of that form read from its lines
    (:func:`text_tables`); a table's last rows at the top of the next page are added to it
    (:func:`rows_read_as_text`) or named in its issues (:func:`unread_rows`); a form's page read
    as text that gave no table is named on the table before it (:func:`name_tables_not_found`)."""
    as_text = text_tables(pages, out, forms, fs, settings)
    by_page = {p.page_index: p for p in pages}
    for current in out:
        last = current.segments[-1][0].page.page_index
        following = by_page.get(last + 1)
        if following is not None and following.page_index not in as_text:
            note = unread_rows(following, settings)
            if note is not None:
                read = rows_read_as_text(current, following, settings)
                current.notes.append(
                    note.replace(
                        "its values are not in the outputs", "its values are read from that text, flagged"
                    )
                    if read
                    else note
                )
    name_tables_not_found([p for p in pages if p.page_index not in as_text], out, settings)
    name_forms_not_found(pages, out, forms, fs, settings)


def text_tables(
    pages: Sequence[PageResult],
    out: list[_Building],
    forms: Sequence[FormSpec],
    fs: FormsSettings,
    settings: DocumentSettings,
) -> set[int]:
    """A page without a table whose text holds a form's title over rows of numbers read as text
    (:func:`form_without_table`: rules too worn to be found) becomes a table of the form its
    title names, read from those lines (:mod:`extract.untabled`), every value flagged: which
    printed column each number stands in is not known.  A title that names no form gives such a
    table of no form only in a document where no table was found at all (else the note on the
    table before it says it, as before).  The tables go into ``out`` in page order; returns the
    pages made tables."""
    from .document import _Building, _Segment
    from .understand.forms import generic_columns, identify_form
    from .untabled import layout_rows, rows_table, text_row

    done: set[int] = set()
    for page in pages:
        note = form_without_table(page, settings)
        if note is None:
            continue
        lines = sorted(
            (ln for ln in with_marks_put_back(page.lines) if ln.text.strip()),
            key=lambda ln: (ln.box.y0, ln.box.x0),
        )
        start = next(i for i, ln in enumerate(lines) if TITLE_START.match(fold(ln.text)))
        found = [
            (i, row)
            for i, ln in enumerate(lines[start + 1 :], start + 1)
            if not ANNEX_LINE.search(fold(ln.text)) and (row := text_row(ln)) is not None
        ]
        if len(found) < settings.untabled_min_number_lines:
            # a table read by columns (a label over four lines, its number a line beside them)
            below = [ln for ln in lines[start + 1 :] if not ANNEX_LINE.search(fold(ln.text))]
            by_layout = layout_rows(below)
            if len(by_layout) < settings.untabled_min_number_lines:
                continue
            first_y = min(r.box.y0 for r in by_layout)
            found = [(next(i for i, ln in enumerate(lines) if ln.box.y1 > first_y), r) for r in by_layout]
        block = lines[start : found[0][0]]
        match = identify_form([ln.text for ln in block], forms, fs)
        form = next((f for f in forms if match is not None and f.code == match.code), None)
        if form is None and out:
            continue
        rows = [row for _i, row in found]
        if form is not None and form.index_column is not None:
            values = [c.key for c in form.columns if c.type in NUMERIC_TYPES]
            notes = [c.key for c in form.columns if c.type in ("note", "remark") and c.key not in values]
            keys = [form.index_column, form.label_column, *values, notes[0] if notes else "extra_note"]
        elif form is None:
            values = [f"v{i}" for i in range(max(len(r.numbers) for r in rows))]
            keys = generic_columns(3 + len(values))
        else:
            continue
        table = rows_table(rows, len(values), page.page_index)
        seg = _Segment(page, table, block[-settings.title_lines :], block)
        seg.unsure = frozenset(range(table.grid.n_cols))
        seg.unsure_why = (
            "read from the page's text lines (no table was found there): which printed column "
            "this number stands in is not known (the line's numbers in their order)"
        )
        columns = dict(enumerate(keys))
        declared = {c.key for c in form.columns} if form is not None else set(keys)
        headers = {
            j: " / ".join(form.column(k).header) if form is not None and k in declared else k
            for j, k in columns.items()
        }
        building = _Building(
            form=form,
            form_score=match.score if match is not None and form is not None else 0.0,
            title=" ".join(ln.text for ln in seg.title_lines).strip(),
            columns=columns,
            headers=headers,
            header_rows=0,
            n_cols=table.grid.n_cols,
            segments=[(seg, 0)],
            extras={j: k for j, k in columns.items() if k not in declared},
            notes=[
                note.replace(
                    "its values are not in the outputs", "its values are read from those lines, flagged"
                )
            ],
            method=match.method if match is not None and form is not None else "",
        )
        at = sum(1 for b in out if b.segments[0][0].page.page_index < page.page_index)
        out.insert(at, building)
        done.add(page.page_index)
    return done


def name_tables_not_found(
    pages: Sequence[PageResult], tables: Sequence[_Building], settings: DocumentSettings
) -> None:
    """A page where no table was found under a form's title with rows of numbers read as text
    (rules too worn for the line finder: dev 131's fax 8B, every rule dashed) gets a note on the
    table before it (else the first table): that form's values are in no table of the outputs."""
    if not tables:
        return
    for page in pages:
        note = form_without_table(page, settings)
        if note is None:
            continue
        before = [t for t in tables if t.segments[0][0].page.page_index < page.page_index]
        (before[-1] if before else tables[0]).notes.append(note)


def name_forms_not_found(
    pages: Sequence[PageResult],
    tables: Sequence[_Building],
    forms: Sequence[FormSpec],
    fs: FormsSettings,
    settings: DocumentSettings,
) -> None:
    """A form whose title was read on a page ("Biểu mẫu 4B …": its code read) but of which the
    document has no table is named in a note on the table before that page (else the first
    table): its table was not found, or was taken for another table's rows, and its values are in
    no table of the outputs.  Before, such a page was silent unless its lines held numbers
    (:func:`name_tables_not_found`); the user was not told which form's table was not read."""
    from .understand.forms import identify_form

    if not tables:
        return
    found = {t.form.code for t in tables if t.form is not None}
    named: set[str] = set()
    for page in pages:
        if page.error or form_without_table(page, settings) is not None:
            continue  # no page, or one already named with its lines (name_tables_not_found)
        lines = sorted((ln for ln in page.lines if ln.text.strip()), key=lambda ln: (ln.box.y0, ln.box.x0))
        for i, ln in enumerate(lines):
            if not TITLE_START.match(fold(ln.text)):
                continue
            block = lines[i : i + settings.title_lines]
            match = identify_form([b.text for b in block], forms, fs)
            if match is None or match.method not in ("code", "code+title") or match.code in found | named:
                continue
            named.add(match.code)
            before = [t for t in tables if t.segments[0][0].page.page_index <= page.page_index]
            (before[-1] if before else tables[0]).notes.append(
                f"page {page.page_index + 1}: the title of form {match.code} was read "
                f"({ln.text.strip()[:80]!r}), but no table of form {match.code} was found in the "
                f"document: if the page prints its table, its values are not in the outputs"
            )


def form_without_table(page: PageResult, settings: DocumentSettings) -> str | None:
    """The note for ``page`` when it has no table but a form's title line ("Biểu mẫu 8B",
    "Danh sách", "Phụ lục") over at least ``settings.untabled_min_number_lines`` lines with numbers (the
    annex lines "(Kèm theo Báo cáo số … ngày … năm 2019 …)" not counted)."""
    if page.tables or page.error:
        return None
    lines = sorted((ln for ln in page.lines if ln.text.strip()), key=lambda ln: (ln.box.y0, ln.box.x0))
    start = next((i for i, ln in enumerate(lines) if TITLE_START.match(fold(ln.text))), None)
    if start is None:
        return None
    rows = [
        ln.text.strip()
        for ln in lines[start + 1 :]
        if any(ch.isdigit() for ch in ln.text) and not ANNEX_LINE.search(fold(ln.text))
    ]
    if len(rows) < settings.untabled_min_number_lines:
        return None
    return (
        f"page {page.page_index + 1}: no table was found under the title "
        f"{lines[start].text.strip()!r}, whose {len(rows)} lines with numbers were read as text "
        f"(it may be a table whose rules were too worn to be found: its values are not in the "
        f"outputs): "
        f"{' '.join(rows)[:200]!r}"
    )


def rows_read_as_text(current: _Building, page: PageResult, settings: DocumentSettings) -> bool:
    """Whether the text at the top of ``page`` that :func:`unread_rows` names (a table's last rows
    whose rules were too worn to be found: dev 177's 10B total row alone on the next page) was
    added to ``current`` as rows: its words under the table's first-page columns by where they
    stand (:func:`.untabled.rows_under_columns`), every value flagged."""
    from .document import _Segment
    from .untabled import rows_under_columns

    head = current.segments[0][0]
    if not page.dpi or page.dpi != head.page.dpi:
        return False
    table = rows_under_columns(unread_lines(page, settings), head.table.grid.col_edges, page.page_index)
    if table is None:
        return False
    seg = _Segment(page, table, [], [])
    seg.unsure = frozenset(range(table.grid.n_cols))
    seg.unsure_why = (
        "read from the text at the page's top (no table was found there), placed under the "
        "table's columns by where its words stand: not sure"
    )
    current.segments.append((seg, 0))
    return True


def unread_rows(page: PageResult, settings: DocumentSettings) -> str | None:
    """A table's last rows that the next page seems to carry at its top, not read as a table (a
    lone row too short, or too worn, to be found as a ruled table): the text read there, above
    its first table's title, when it holds numbers."""
    lines = unread_lines(page, settings)
    texts = [ln.text.strip() for ln in lines if ln.text.strip()]
    if not reads_like_rows(texts, settings):
        return None
    return (
        f"page {page.page_index + 1} starts with text that may be this table's last rows, not read "
        f"as a table (its values are not in the outputs): {' '.join(texts)[:200]!r}"
    )


def unread_lines(page: PageResult, settings: DocumentSettings) -> list[OcrLine]:
    """The text lines at the top of ``page`` that may be a table's last rows (:func:`unread_rows`),
    top to bottom."""
    top = settings.continuation_top_fraction * max(page.height, 1)
    if page.tables:
        first = min(page.tables, key=lambda t: t.grid.box.y0)
        above = sorted(
            (ln for ln in page.lines if ln.box.y1 <= first.grid.box.y0 and ln.text.strip()),
            key=lambda ln: ln.box.y0,
        )
        heading = next((ln.box.y0 for ln in above if TITLE_START.match(fold(ln.text))), None)
        # no heading read: the title block (the last ``title_lines`` lines) is not the rows
        end = (
            heading
            if heading is not None
            else min((ln.box.y0 for ln in above[-settings.title_lines :]), default=0)
        )
        top = min(top, end)
    # the page's stray marks back in their lines: a mark there may be a rule or a label's piece
    lines = with_marks_put_back(page.lines)
    return sorted((ln for ln in lines if ln.box.y1 <= top), key=lambda ln: (ln.box.y0, ln.box.x0))


# the first line of a form's title block ("Biểu mẫu 2B", "DANH SÁCH", "Phụ lục"), folded
TITLE_START = re.compile(r"^(?:bieu mau|bieu so|danh sach|phu luc)\b")


def reads_like_rows(texts: Sequence[str], settings: DocumentSettings) -> bool:
    """Whether text lines read above a table, or at the top of the page after one, may be a
    table's rows not read as a table: ``settings.unread_row_digit_lines`` of them hold digits, or one
    holds ``settings.unread_row_line_numbers`` numbers standing apart (a lone row read as one line
    across the table's columns)."""

    if sum(any(ch.isdigit() for ch in t) for t in texts) >= settings.unread_row_digit_lines:
        return True
    return any(
        sum(bool(LONE_NUMBER.match(w)) for w in t.split()) >= settings.unread_row_line_numbers for t in texts
    )


# the annex line under a form's title: "(Kèm theo Báo cáo số 323/BC-UBND ngày …)", folded
ANNEX_LINE = re.compile(r"kem theo|bao cao so|\bngay \d|\bnam \d{4}\b")
