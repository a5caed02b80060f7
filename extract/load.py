"""Read the outputs back as typed pandas DataFrames: ``from extract import load_results``.

::

    from extract import load_results
    r = load_results("out", exclude_duplicates=True)          # or "sqlite:///…", "postgresql://…"
    r["cell_values"].query("column_key == 'tiep_nhan_tong'").groupby(["commune_code", "year"])["number"].sum()

Every table of :mod:`extract.writers.schema` comes back with its declared types, whatever output
it is read from (the SQLite database of an output folder, else its Parquet files, else its CSV
files; or any database URL): codes as strings with their leading zeros, numbers as nullable
``Float64``/``Int64``, booleans as nullable ``boolean``, dates (``date``, ``report_date``) as
``datetime64``.  Wide views (``r.wide["5B"]``: one row per table row, one column per canonical
column, a ``<column>__status`` beside each) are read from the Parquet or CSV files, typed by the
column types the writer recorded, or built from a database's cells (``cell_values`` and
``blank_cells``) with the column types the writing run recorded (``wide_columns``): the same
rows, columns and dtypes from every output.  Nobody has to write ``dtype=`` by hand.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Connection, Float, Integer, Table, select

from .errors import ResultsError
from .writers.schema import (
    ALL_TABLES,
    BLANK_CELLS,
    CELL_VALUES,
    DOCUMENTS,
    TABLES_BY_NAME,
    WIDE_COLUMNS,
    columns,
    document_key,
)
from .writers.tables import WideCollector, wide_frame

DATE_COLUMNS = frozenset({"date", "report_date"})
_DTYPES = {"number": "Float64", "integer": "Int64", "boolean": "boolean", "string": "string"}


class Results(dict[str, pd.DataFrame]):
    """Table name -> typed DataFrame; :attr:`wide` maps form code -> its typed wide view."""

    def __init__(self, tables: dict[str, pd.DataFrame], wide: dict[str, pd.DataFrame]) -> None:
        super().__init__(tables)
        self.wide = wide


def _kind(table: Table, name: str) -> str:
    sql_type = table.c[name].type
    if name in DATE_COLUMNS:
        return "date"
    if isinstance(sql_type, Boolean):
        return "boolean"
    if isinstance(sql_type, Integer):
        return "integer"
    if isinstance(sql_type, Float):
        return "number"
    return "string"


def _text(col: pd.Series) -> pd.Series:
    """``col`` as nullable text, an empty text missing (as a CSV file must read it back)."""
    return col.astype("string").replace("", pd.NA)


def _typed(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """``frame`` with every column converted to its kind (text read as text, never re-guessed)."""
    out = {}
    for name in frame.columns:
        col = frame[name]
        kind = kinds.get(name, "string")
        if kind == "date":
            out[name] = pd.to_datetime(col.astype("string"), format="ISO8601", errors="coerce")
        elif kind == "boolean":
            text = col.astype("string").str.lower()
            out[name] = text.map({"true": True, "false": False, "1": True, "0": False}).astype("boolean")
        elif kind in ("number", "integer"):
            out[name] = pd.to_numeric(col.astype("string").replace("", pd.NA)).astype(_DTYPES[kind])
        else:
            out[name] = _text(col)
    return pd.DataFrame(out, index=frame.index)


def table_kinds(name: str) -> dict[str, str]:
    """Column -> kind (string, number, integer, boolean, date) of schema table ``name``."""
    table = TABLES_BY_NAME[name]
    return {c: _kind(table, c) for c in columns(table)}


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def _wide_columns(conn: Connection) -> dict[str, list[tuple[str, str | None]]]:
    """form -> [(column key, wide type)] as the run that wrote the database recorded them."""
    t = WIDE_COLUMNS
    out: dict[str, list[tuple[str, str | None]]] = {}
    for row in conn.execute(select(t).order_by(t.c.form, t.c.position)):
        out.setdefault(row.form, []).append((row.column_key, row.wide_type))
    return out


def _wide_from_sql(conn: Connection, found: set[str]) -> dict[str, pd.DataFrame]:
    """The wide views of a database, built from every cell (``cell_values`` and ``blank_cells``)
    the way the file writers build theirs: documents in order of source, rows and columns as
    printed, the column types the writing run recorded (``wide_columns``)."""
    if not {CELL_VALUES.name, BLANK_CELLS.name, WIDE_COLUMNS.name, DOCUMENTS.name} <= found:
        return {}  # a database written before the wide views could be rebuilt from it
    sources = {row.id: row.source for row in conn.execute(select(DOCUMENTS.c.id, DOCUMENTS.c.source))}
    cells: dict[str, list[dict[str, Any]]] = {}
    for table in (CELL_VALUES, BLANK_CELLS):
        for row in conn.execute(select(table)).mappings():
            cells.setdefault(row["document_id"], []).append(dict(row))
    collector = WideCollector(_wide_columns(conn))
    for document_id in sorted(cells, key=lambda d: (str(sources.get(d, "")), d)):
        rows = sorted(cells[document_id], key=lambda r: (r["table_index"], r["row_index"], r["x0"] or 0))
        collector.add(rows, sources.get(document_id, ""))
    return {form: wide_frame(view) for form, view in collector.forms().items()}


def _from_sql(
    url: str, names: Sequence[str], wide: bool
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    from .writers.postgres import is_postgres_url, postgres_url

    engine = create_engine(postgres_url(url) if is_postgres_url(url) else url)
    try:
        found = set(inspect(engine).get_table_names())
        out = {}
        with engine.connect() as conn:
            for name in names:
                if name in found:
                    raw = pd.read_sql_table(name, conn, coerce_float=False)
                    out[name] = raw.astype(object).where(raw.notna(), None)
            views = _wide_from_sql(conn, found) if wide else {}
        return out, views
    except SQLAlchemyError as exc:
        raise ResultsError(f"{url}: cannot read the results: {str(exc).splitlines()[0]}") from exc
    finally:
        engine.dispose()


def _from_files(
    folder: Path, names: Sequence[str], with_wide: bool
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    tables: dict[str, pd.DataFrame] = {}
    wide: dict[str, pd.DataFrame] = {}
    parquet, csv = folder / "parquet", folder / "csv"
    if (parquet / f"{DOCUMENTS.name}.parquet").exists():
        for name in names:
            path = parquet / f"{name}.parquet"
            if path.exists():
                tables[name] = pd.read_parquet(path)
        for path in sorted((parquet / "wide").glob("*.parquet")) if with_wide else ():
            wide[path.stem] = pd.read_parquet(path, dtype_backend="numpy_nullable")
    elif (csv / f"{DOCUMENTS.name}.csv").exists():
        for name in names:
            path = csv / f"{name}.csv"
            if path.exists():
                tables[name] = _read_csv(path)
    if with_wide and not wide and (csv / "wide").is_dir():
        types_file = csv / "wide" / "columns.json"
        recorded = json.loads(types_file.read_text(encoding="utf-8")) if types_file.exists() else {}
        for path in sorted((csv / "wide").glob("*.csv")):
            info = recorded.get(path.name, {})
            kinds = {c: k for c, k in info.get("columns", {}).items()}
            frame = _read_csv(path)
            wide[info.get("form", path.stem)] = _typed(
                frame, {c: kinds.get(c, "string") for c in frame.columns}
            )
    return tables, wide


def load_results(
    where: str | os.PathLike[str],
    *,
    exclude_duplicates: bool = False,
    tables: Sequence[str] | None = None,
    wide: bool = True,
) -> Results:
    """Every table of an output folder (``--out``) or database URL, typed.

    ``where``: an output folder (read from its ``results.sqlite``, else ``parquet/``, else
    ``csv/``) or a ``sqlite:///`` / ``postgresql://`` URL.  ``exclude_duplicates``: leave out
    documents marked as a second scan of another report (``documents.duplicate_of``) and their
    rows in every table.  ``tables``: only these tables (default: all).  ``wide``: also the
    wide views (:attr:`Results.wide`; ``False`` spares reading every cell of a large database).
    """
    names = list(tables) if tables is not None else [t.name for t in ALL_TABLES]
    unknown = [n for n in names if n not in TABLES_BY_NAME]
    if unknown:
        raise ResultsError(f"unknown table(s) {', '.join(unknown)} (tables: {', '.join(TABLES_BY_NAME)})")
    wanted = list(dict.fromkeys([*names, DOCUMENTS.name] if exclude_duplicates else names))
    text = os.fspath(where)
    views: dict[str, pd.DataFrame] = {}
    if "://" in text:
        raw, views = _from_sql(text, wanted, wide)
    else:
        folder = Path(text)
        if not folder.is_dir():
            raise ResultsError(f"{folder}: no such output folder")
        database = folder / "results.sqlite"
        raw, views = _from_files(folder, [] if database.exists() else wanted, wide)
        if database.exists():
            raw, from_database = _from_sql(f"sqlite:///{database.resolve()}", wanted, wide and not views)
            views = views or from_database
        if not raw:
            raise ResultsError(f"{folder}: no results.sqlite, parquet/ or csv/ output found")
    typed = {name: _typed(frame, table_kinds(name)) for name, frame in raw.items()}
    for frame in views.values():
        for name in frame.columns:
            if name in DATE_COLUMNS:
                frame[name] = pd.to_datetime(frame[name].astype("string"), format="ISO8601", errors="coerce")
            elif isinstance(frame[name].dtype, pd.StringDtype):
                frame[name] = _text(frame[name])
    if exclude_duplicates and DOCUMENTS.name in typed:
        docs = typed[DOCUMENTS.name]
        dupes = set(docs.loc[docs["duplicate_of"].notna(), "id"])
        for name, frame in typed.items():
            key = document_key(TABLES_BY_NAME[name]) if name != "manifest" else "document_id"
            typed[name] = frame[~frame[key].isin(dupes)].reset_index(drop=True)
        views = {form: f[~f["document_id"].isin(dupes)].reset_index(drop=True) for form, f in views.items()}
    return Results({n: typed[n] for n in names if n in typed}, views)


__all__ = ["DATE_COLUMNS", "Results", "ResultsError", "load_results", "table_kinds"]
