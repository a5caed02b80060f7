"""The output schema, shared by every writer (SQLite, PostgreSQL, CSV, Parquet, Excel, JSON).

One SQLAlchemy Core :data:`METADATA` defines seven tables.  The database writers create them as
declared; the file writers use the same column names, order and types; :func:`extract.load_results`
reads any of them back with these types.  Page numbers are **1-based** everywhere in the outputs
(``page`` 1 is the first page); table and row indexes are 0-based.  Boxes are pixels of the
prepared page image (after rotation and deskew, at ``dpi``).  Codes (commune, district, province)
are text everywhere, leading zeros kept ("00001").  No table or column is named after an SQL
keyword, and no column name means two things.

``documents`` — one row per distinct document (content), key ``id``
    id (sha256 of the file's bytes, first 16 hex), source (the first input path that had this
    content; ``archive.zip!member.pdf`` for archive members), pages (page count), status
    (done / flagged / no_tables / failed), error, report_number ("542/BC-UBND"), date (ISO),
    year, district, district_code, province, province_code (the report's, pre-2025 units),
    successor_province_code, successor_province (the post-2025 province(s) of the district's
    communes: districts were abolished in 2025), title, issuer, duplicate_of (the id of the
    document this one is a second scan of: same report number, date and issuing district),
    district_evidence (how the district was decided: the text, the tables' commune names).

``document_fields`` — the report's metadata fields with their trust, like cells, key
    (document_id, name): value, status (read / flagged), confidence (0..100), raw_text, reason.

``pages`` — one row per page of every document, key (document_id, page)
    status: done (tables read, nothing flagged) / flagged (a value on the page needs review) /
    no_tables (prose page) / failed (``error`` says why, ``stage`` where: ingest, preprocess,
    tables, ocr, worker ...); dpi, rotation (clockwise quarter turns applied, degrees), skew
    (deskew angle applied, degrees), seconds (processing time of the page).

``tables`` — one row per recognised table, key (document_id, table_index)
    form (form code such as "5B", or "unknown"), form_score (0..100), title, pages (JSON list of
    1-based pages the table spans), n_rows (body rows), issues (JSON list of table-level findings).

``cell_values`` — the tidy long table, one row per printed table cell, key
    (document_id, table_index, row_key, column_key).  (Named ``values`` before 2026-12; the
    databases keep a view ``values`` over it for one release.)
    Context on every row: form, report_number, report_date, year, province_code, province,
    district_code, district, successor_province_code, successor_province.  Then row_index
    (0-based body row across continuation pages), row_key (stable row key: commune code,
    hierarchical path or label slug), row_kind (section, item, subitem, total, commune ...),
    row_label, commune_code, commune_name (official, when the row is a commune),
    commune_successor_code, commune_successor_name (the post-2025 commune(s) it became part of;
    several, "; "-joined, when it was split; never joined by code across the reform),
    column_key (canonical key from configs/forms), column_header, value_kind (number, percent,
    ratio, bool, text), number, boolean, text, unit, note, raw_text (the OCR text), confidence
    (0..100), page (1-based), x0, y0, x1, y1 (cell box, pixels), status (verified / read /
    corrected / flagged), flag_reason, rule (the invariant that verified or corrected the value),
    parts (a cell of a row continued over a page break, joined with its first half: JSON list of
    its parts ``{"page", "x0", "y0", "x1", "y1", "raw_text", "confidence"}`` in print order; page
    and box above are the first part's; NULL for a cell printed on one page), suggestion (a
    flagged cell not read clearly -- garbled, or ink and nothing read, or below the confidence
    bar -- whose value a sum of the form fixes from cells all read for sure: that number, for a
    person to check; ``number`` stays as read; NULL otherwise).
    Blank cells (printed empty or "-", status ``blank``) are not rows of this table: they would
    be half of it, and hold no value; the wide views show them (empty, status ``blank``).

``flags`` — the review queue: every flagged or corrected value, same key as ``cell_values``
    form, page, row_label, column_header, status, flag_reason, rule, raw_text, number, text,
    confidence, x0..y1, problem (the parser's complaint, e.g. "ambiguous number"), candidates
    (JSON list of ``{"text", "confidence", "variant"}``: every OCR reading of the cell),
    suggestion (as in ``cell_values``).

``lines`` — every page's text outside the tables in reading order, key (document_id, page,
    line_index): text, confidence (0..100; 100 from a PDF text layer), x0..y1 (pixels), origin
    (ocr / text_layer; ``ocr_noise``: after the text, what OCR read that is no text — a stamp's
    rim, specks —, left out of the page text; ``stamp``: after those, the lines of a received
    stamp's frame, "ĐẾN … Ngày …", the receiving office's mark, left out of the page text).

``blank_cells`` (databases only) — the printed-empty cells, the columns of ``cell_values``, status
    ``blank``: with ``cell_values`` they are every cell, from which :func:`extract.load_results`
    builds a database's wide views.  ``wide_columns`` (databases only) — key (form, column_key):
    position, wide_type (number / boolean / string, from the form configs of the run; NULL for
    ``mixed`` columns, typed by what they hold).

``manifest`` — one row per input file, key ``source``
    document_id (NULL when the file could not be hashed), status (done / flagged / no_tables /
    failed / skipped), reason (why it failed or was skipped, naming file and page), stage, pages,
    pages_failed, seconds (sum of page processing times).

Re-writing a document replaces its rows (delete, then insert with ON CONFLICT DO UPDATE on the
keys above, in one transaction per document): re-runs never duplicate rows.
"""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import Boolean, Column, Float, Integer, MetaData, Table, Text
from sqlalchemy.types import TypeEngine

METADATA = MetaData()


def _box() -> list[Column]:
    """Fresh x0, y0, x1, y1 columns (a Column object belongs to one table)."""
    return [Column(name, Integer) for name in ("x0", "y0", "x1", "y1")]


DOCUMENTS = Table(
    "documents",
    METADATA,
    Column("id", Text, primary_key=True),
    Column("source", Text, nullable=False),
    Column("pages", Integer),
    Column("status", Text, nullable=False),
    Column("error", Text),
    Column("report_number", Text),
    Column("date", Text),
    Column("year", Integer),
    Column("district", Text),
    Column("district_code", Text),
    Column("province", Text),
    Column("province_code", Text),
    Column("successor_province_code", Text),
    Column("successor_province", Text),
    Column("title", Text),
    Column("issuer", Text),
    Column("duplicate_of", Text),
    Column("district_evidence", Text),
)

DOCUMENT_FIELDS = Table(
    "document_fields",
    METADATA,
    Column("document_id", Text, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("value", Text),
    Column("status", Text, nullable=False),
    Column("confidence", Float),
    Column("raw_text", Text),
    Column("reason", Text),
)

PAGES = Table(
    "pages",
    METADATA,
    Column("document_id", Text, primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("status", Text, nullable=False),
    Column("error", Text),
    Column("stage", Text),
    Column("dpi", Float),
    Column("rotation", Integer),
    Column("skew", Float),
    Column("seconds", Float),
)

TABLES = Table(
    "tables",
    METADATA,
    Column("document_id", Text, primary_key=True),
    Column("table_index", Integer, primary_key=True),
    Column("form", Text, nullable=False),
    Column("form_score", Float),
    Column("title", Text),
    Column("pages", Text),
    Column("n_rows", Integer),
    Column("issues", Text),
)


def _cell_columns() -> list[Column]:
    """Fresh columns of a table of cells (``cell_values``, ``blank_cells``)."""
    return [
        Column("document_id", Text, primary_key=True),
        Column("table_index", Integer, primary_key=True),
        Column("form", Text, nullable=False),
        Column("report_number", Text),
        Column("report_date", Text),
        Column("year", Integer),
        Column("province_code", Text),
        Column("province", Text),
        Column("district_code", Text),
        Column("district", Text),
        Column("successor_province_code", Text),
        Column("successor_province", Text),
        Column("row_index", Integer, nullable=False),
        Column("row_key", Text, primary_key=True),
        Column("row_kind", Text),
        Column("row_label", Text),
        Column("commune_code", Text),
        Column("commune_name", Text),
        Column("commune_successor_code", Text),
        Column("commune_successor_name", Text),
        Column("column_key", Text, primary_key=True),
        Column("column_header", Text),
        Column("value_kind", Text),
        Column("number", Float),
        Column("boolean", Boolean),
        Column("text", Text),
        Column("unit", Text),
        Column("note", Text),
        Column("raw_text", Text),
        Column("confidence", Float),
        Column("page", Integer),
        *_box(),
        Column("status", Text, nullable=False),
        Column("flag_reason", Text),
        Column("rule", Text),
        Column("parts", Text),
        Column("suggestion", Float),
    ]


CELL_VALUES = Table("cell_values", METADATA, *_cell_columns())
#: Database only: the printed-empty cells (status ``blank``), so that the wide views can be
#: rebuilt from a database with every cell (the file outputs have them in their wide files).
BLANK_CELLS = Table("blank_cells", METADATA, *_cell_columns())

FLAGS = Table(
    "flags",
    METADATA,
    Column("document_id", Text, primary_key=True),
    Column("table_index", Integer, primary_key=True),
    Column("row_key", Text, primary_key=True),
    Column("column_key", Text, primary_key=True),
    Column("form", Text),
    Column("page", Integer),
    Column("row_label", Text),
    Column("column_header", Text),
    Column("status", Text, nullable=False),
    Column("flag_reason", Text),
    Column("rule", Text),
    Column("raw_text", Text),
    Column("number", Float),
    Column("text", Text),
    Column("confidence", Float),
    *_box(),
    Column("problem", Text),
    Column("candidates", Text),
    Column("suggestion", Float),
)

LINES = Table(
    "lines",
    METADATA,
    Column("document_id", Text, primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("line_index", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("confidence", Float),
    *_box(),
    Column("origin", Text),
)

MANIFEST = Table(
    "manifest",
    METADATA,
    Column("source", Text, primary_key=True),
    Column("document_id", Text),
    Column("status", Text, nullable=False),
    Column("reason", Text),
    Column("stage", Text),
    Column("pages", Integer),
    Column("pages_failed", Integer),
    Column("seconds", Float),
)

#: Database only: every form's wide columns in order with their wide type (number / boolean /
#: string), from the configs of the run, so that a database's wide views have the files' columns.
WIDE_COLUMNS = Table(
    "wide_columns",
    METADATA,
    Column("form", Text, primary_key=True),
    Column("column_key", Text, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("wide_type", Text),
)

VALUES = CELL_VALUES  # the old name of the object (the table was renamed, see the docstring)
LEGACY_VIEWS: dict[str, str] = {"values": CELL_VALUES.name}  # view -> table, kept for one release

#: Tables written per document, in write order (documents first).
DOCUMENT_TABLES: tuple[Table, ...] = (DOCUMENTS, DOCUMENT_FIELDS, PAGES, TABLES, CELL_VALUES, FLAGS, LINES)
ALL_TABLES: tuple[Table, ...] = (*DOCUMENT_TABLES, MANIFEST)
#: Tables the database writers write per document: :data:`DOCUMENT_TABLES` and the blank cells.
DATABASE_DOCUMENT_TABLES: tuple[Table, ...] = (*DOCUMENT_TABLES, BLANK_CELLS)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in ALL_TABLES}


def columns(table: Table) -> list[str]:
    """Column names of ``table`` in declared order."""
    return [c.name for c in table.columns]


def key_columns(table: Table) -> list[str]:
    """The unique key of ``table`` (its primary key columns, in declared order)."""
    return [c.name for c in table.primary_key.columns]


def document_key(table: Table) -> str:
    """The column holding the document id in a per-document table."""
    return "id" if table is DOCUMENTS else "document_id"


def _arrow_type(sql_type: TypeEngine) -> pa.DataType:
    if isinstance(sql_type, Boolean):
        return pa.bool_()
    if isinstance(sql_type, Integer):
        return pa.int64()
    if isinstance(sql_type, Float):
        return pa.float64()
    return pa.string()


def arrow_schema(table: Table) -> pa.Schema:
    """The Parquet/Arrow schema of ``table`` (nullable columns, stable across batches)."""
    return pa.schema([pa.field(c.name, _arrow_type(c.type)) for c in table.columns])
