"""Assemble a document from its page results: metadata, forms, continued tables, tidy values.

This runs in the parent process (or any process): it needs no images, only the small
:class:`~extract.model.PageResult` of every page.  Steps:

1. metadata (number, date, district, province) from the text lines of the first pages;
2. for every table, in reading order: the title lines above it identify the form; a table with
   no title at the top of a page that has the previous table's column count continues it;
3. the multi-level header maps grid columns to the form's canonical column keys;
4. body rows are classified (sections, items, totals, communes with official codes);
5. every mapped cell becomes a :class:`~extract.model.Value` (number normalised, provenance kept);
6. the declared invariants validate the values (statuses, corrections, review flags).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from .config import FormSpec, Settings, settings_or_default
from .model import (
    CellRead,
    DocumentMeta,
    DocumentResult,
    OcrLine,
    PageResult,
    ReadTable,
    RowInfo,
    RowKind,
    TableResult,
    Value,
)
from .understand.communes import DistrictCommunes, Gazetteer

if TYPE_CHECKING:
    from .understand.forms import FormsSettings

UNKNOWN_FORM = "unknown"


class DocumentSettings(BaseModel):
    """Section ``document`` of pipeline.yaml."""

    model_config = ConfigDict(extra="forbid")

    metadata_pages: int = 2  # pages whose text lines are searched for the report's metadata
    title_lines: int = 6  # at most this many text lines above a table are its title block
    continuation_top_fraction: float = 0.25  # an untitled table starting this high may continue
    continuation_col_tolerance: int = 1  # ... the previous table when its column counts differ by at most this
    default_year: int | None = None  # when the document shows no year


@dataclass
class _Segment:
    """A table on one page, with the lines that stand above it (its title block)."""

    page: PageResult
    table: ReadTable
    title_lines: list[OcrLine]


@dataclass
class _Building:
    """A table being assembled across pages."""

    form: FormSpec | None
    form_score: float
    title: str
    columns: dict[int, str]
    headers: dict[int, str]
    header_rows: int
    n_cols: int
    segments: list[tuple[_Segment, int]] = field(default_factory=list)  # (segment, first body row)


def _gazetteer(settings: Settings) -> Gazetteer:
    return Gazetteer.load(settings.gazetteer_path)  # cached per file


def _segments(pages: Sequence[PageResult], settings: DocumentSettings) -> list[_Segment]:
    out: list[_Segment] = []
    for page in pages:
        if page.failed:
            continue
        previous_bottom = 0
        for table in sorted(page.tables, key=lambda t: t.grid.box.y0):
            top = table.grid.box.y0
            above = [
                ln
                for ln in page.lines
                if previous_bottom <= (ln.box.y0 + ln.box.y1) / 2 < top and ln.text.strip()
            ]
            above.sort(key=lambda ln: ln.box.y0)
            out.append(_Segment(page, table, above[-settings.title_lines :]))
            previous_bottom = table.grid.box.y1
    return out


def _column_type(form: FormSpec | None, key: str) -> str:
    if form is None:
        return "mixed"
    return form.column(key).type


def _is_continuation(seg: _Segment, current: _Building | None, settings: DocumentSettings) -> bool:
    if current is None:
        return False
    last_seg = current.segments[-1][0]
    if seg.page.page_index != last_seg.page.page_index + 1:
        return False
    page_tables = sorted(seg.page.tables, key=lambda t: t.grid.box.y0)
    if page_tables[0] is not seg.table:
        return False
    if seg.table.grid.box.y0 > settings.continuation_top_fraction * max(seg.page.height, 1):
        return False
    return abs(seg.table.grid.n_cols - current.n_cols) <= settings.continuation_col_tolerance


def _start_table(seg: _Segment, forms: Sequence[FormSpec], fs: FormsSettings) -> _Building:
    from .understand.forms import generic_columns, identify_form, map_header, split_header

    texts = [ln.text for ln in seg.title_lines]
    match = identify_form(texts, forms, fs)
    form = next((f for f in forms if match is not None and f.code == match.code), None)
    matrix = seg.table.matrix()
    header_rows = split_header(matrix, form, fs)
    if form is None:  # a continued row or a long first row is never the header of an unknown table
        from .understand.unknown import header_rows as unknown_header_rows

        header_rows = unknown_header_rows(matrix, header_rows)
    n_cols = seg.table.grid.n_cols
    if form is not None:
        mapping = map_header(matrix, header_rows, form, fs)
        columns = dict(mapping.columns)
        headers = {i: " / ".join(form.column(k).header) for i, k in columns.items()}
    else:
        keys = generic_columns(n_cols)
        columns = dict(enumerate(keys))
        headers = {
            i: " / ".join(dict.fromkeys(t for t in (row[i] for row in matrix[:header_rows]) if t))
            for i in range(n_cols)
        }
    title = " ".join(texts).strip()
    return _Building(
        form=form,
        form_score=match.score if match is not None else 0.0,
        title=title,
        columns=columns,
        headers=headers,
        header_rows=header_rows,
        n_cols=n_cols,
        segments=[(seg, header_rows)],
    )


def _body_cells(current: _Building) -> list[tuple[_Segment, int, dict[int, CellRead]]]:
    """Every body row of the table: (segment, grid row, {grid column: cell starting in that row})."""
    rows = []
    for seg, first in current.segments:
        grid = seg.table.grid
        for r in range(first, grid.n_rows):
            cells: dict[int, CellRead] = {}
            for c in range(grid.n_cols):
                cell = seg.table.cell_at(r, c)
                if cell is not None and cell.cell.row == r:
                    cells[c] = cell
            if any(cell.text.strip() for cell in cells.values()):
                rows.append((seg, r, cells))
    return rows


def _finish_table(
    current: _Building, table_index: int, document_id: str, source: str, communes: DistrictCommunes | None
) -> TableResult:
    from .understand.numbers import parse_value
    from .understand.rows import classify_rows

    form = current.form
    by_key = {k: i for i, k in current.columns.items()}
    index_col = by_key.get(form.index_column) if form is not None and form.index_column else None
    label_col = by_key.get(form.label_column) if form is not None else None
    if form is None:  # unknown table: the first two columns are usually STT and the label
        index_col, label_col = (0, 1) if current.n_cols > 2 else (None, 0)

    body = _body_cells(current)
    indices, labels = [], []
    for _seg, _r, cells in body:
        idx_cell = cells.get(index_col) if index_col is not None else None
        lab_cell = cells.get(label_col) if label_col is not None else None
        if idx_cell is not None and lab_cell is None and idx_cell.cell.col_span > 1:
            lab_cell, idx_cell = idx_cell, None  # "Tổng số" spanning the STT and label columns
        indices.append(idx_cell.text.strip() if idx_cell is not None else "")
        labels.append(lab_cell.text.strip() if lab_cell is not None else "")
    rows: list[RowInfo] = classify_rows(
        indices, labels, communes, commune_rows=bool(form is not None and form.commune_rows)
    )

    values: list[Value] = []
    skip = {index_col, label_col}
    if form is None:  # every printed column is a column, STT and label included, a merged cell once
        from .understand import unknown

        skip = set()
        body = [(seg, r, unknown.row_cells(cells)) for seg, r, cells in body]
        first_rows = {id(seg): min(r for s2, r, _ in body if s2 is seg) for seg, _f in current.segments if any(s2 is seg for s2, _, _ in body)}
        continued: set[int] = set()
        for i, (seg, r, cells) in enumerate(body):
            if unknown.is_section_row(cells, current.n_cols):
                rows[i] = dataclasses.replace(rows[i], kind=RowKind.SECTION)
            elif r == first_rows.get(id(seg)) and unknown.is_continued_row(cells, index_col):
                continued.add(i)
    for row_index, ((seg, _r, cells), info) in enumerate(zip(body, rows, strict=True)):
        for col, cell in cells.items():
            if col in skip or col not in current.columns:
                continue
            key = current.columns[col]
            if form is None:
                parsed = unknown.parse_cell(cell.text, index=col == index_col)
            else:
                parsed = parse_value(cell.text, _column_type(form, key))
            commune = info.commune.commune if info.commune is not None else None
            values.append(
                Value(
                    document_id=document_id,
                    source=source,
                    form=form.code if form is not None else UNKNOWN_FORM,
                    table_index=table_index,
                    page_index=seg.page.page_index,
                    row_index=row_index,
                    row_key=info.key,
                    row_kind=info.kind.value,
                    row_label=info.label,
                    commune_code=commune.code if commune is not None else None,
                    commune_name=commune.name if commune is not None else None,
                    column_key=key,
                    column_header=current.headers.get(col, key),
                    value_kind=parsed.kind,
                    number=parsed.number,
                    boolean=parsed.boolean,
                    text=parsed.text,
                    unit=parsed.unit or (form.column(key).unit if form is not None else None),
                    note=parsed.note,
                    raw_text=cell.text,
                    confidence=cell.confidence,
                    box=cell.cell.box.as_tuple(),
                    candidates=cell.candidates,
                    extra={"ambiguous": True} if parsed.ambiguous else {},
                )
            )
            if parsed.problem or parsed.ambiguous:
                values[-1].extra["problem"] = parsed.problem or "ambiguous number"
            if form is None and row_index in continued:
                values[-1].extra[unknown.CONTINUED] = True

    raw: list[list[str]] = []
    for seg, _first in current.segments:
        raw.extend(seg.table.matrix())
    n_cols = current.n_cols
    return TableResult(
        table_index=table_index,
        form=form.code if form is not None else UNKNOWN_FORM,
        form_score=current.form_score,
        title=current.title,
        pages=tuple(dict.fromkeys(seg.page.page_index for seg, _ in current.segments)),
        columns=tuple(current.columns.get(i, f"c{i}") for i in range(n_cols)),
        headers=tuple(current.headers.get(i, "") for i in range(n_cols)),
        rows=rows,
        values=values,
        raw=raw,
    )


def _metadata(pages: Sequence[PageResult], config: Settings, gazetteer: Gazetteer) -> DocumentMeta:
    from .understand.metadata import DocumentConventions, read_metadata, signature_lines

    def ordered(page: PageResult) -> list[OcrLine]:
        return sorted(page.lines, key=lambda ln: (ln.box.y0, ln.box.x0))

    n = config.document.metadata_pages
    return read_metadata(
        [ln for page in pages[:n] for ln in ordered(page)],
        gazetteer,
        last_lines=signature_lines([ordered(p) for p in pages], search=n),
        conventions=DocumentConventions.load(config.folder),
        settings=config.metadata,
    )


def assemble_document(
    document_id: str, source: str, pages: list[PageResult], config: Settings | str | None = None
) -> DocumentResult:
    """Turn the page results of one document into recognised, validated tables.

    ``config``: the run's :class:`~extract.config.Settings` (a configs folder, or ``None`` for the
    default one, is loaded)."""
    from .validate import validate_document

    config = settings_or_default(config)
    settings = config.document
    forms = config.form_specs
    pages = sorted(pages, key=lambda p: p.page_index)
    page_count = max((p.page_count for p in pages), default=0)
    ok_pages = [p for p in pages if not p.failed]
    gazetteer = _gazetteer(config)
    meta = _metadata(ok_pages, config, gazetteer)
    communes = None
    if meta.district_code:
        communes = gazetteer.communes(meta.district_code, meta.year or settings.default_year, config.communes)

    tables: list[TableResult] = []
    current: _Building | None = None
    for seg in _segments(ok_pages, settings):
        from .pagetext import is_page_number

        has_title = any(not is_page_number(ln.text) for ln in seg.title_lines)
        if not has_title and _is_continuation(seg, current, settings):
            assert current is not None
            from .understand.forms import split_header

            # a continued table does not usually repeat the header; drop it when it does
            if current.form is not None:
                first = split_header(seg.table.matrix(), current.form, config.forms)
            else:
                from .understand.unknown import repeated_header_rows

                first = repeated_header_rows(seg.table.matrix(), current.header_rows, current.headers)
            current.segments.append((seg, first if first and first == current.header_rows else 0))
            continue
        if current is not None:
            tables.append(_finish_table(current, len(tables), document_id, source, communes))
        current = _start_table(seg, forms, config.forms)
    if current is not None:
        tables.append(_finish_table(current, len(tables), document_id, source, communes))

    doc = DocumentResult(
        document_id=document_id,
        source=source,
        page_count=page_count,
        meta=meta,
        pages=pages,
        tables=tables,
    )
    validate_document(doc, {f.code: f for f in forms}, config.validate)
    from .understand.unknown import flag_unknown

    flag_unknown(doc)
    return doc


__all__ = ["UNKNOWN_FORM", "DocumentSettings", "assemble_document"]
