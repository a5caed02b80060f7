"""Read the outputs back as typed pandas DataFrames: ``from extract import load_results``.

::

    from extract import load_results
    r = load_results("out", exclude_duplicates=True)          # or "sqlite:///…", "postgresql://…"
    r["cell_values"].query("column_key == 'tiep_nhan_tong'").groupby(["commune_code", "year"])["number"].sum()

Every table of :mod:`extract.writers.schema` comes back with its declared types, whatever output
it is read from (the SQLite database of an output folder, else its Parquet files, else its CSV
files; or any database URL): codes as strings with their leading zeros, numbers as nullable
``Float64``/``Int64``, booleans as nullable ``boolean``, dates (``date``, ``report_date``) as
``datetime64``.  Wide views (``r.wide["5B"]``) are read from the CSV or Parquet files, typed
by the column types the writer recorded.  Nobody has to write ``dtype=`` by hand.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from sqlalchemy import Boolean, Float, Integer, Table

from .errors import ExtractError
from .writers.schema import ALL_TABLES, DOCUMENTS, TABLES_BY_NAME, columns, document_key

DATE_COLUMNS = frozenset({"date", "report_date"})
_DTYPES = {"number": "Float64", "integer": "Int64", "boolean": "boolean", "string": "string"}


class ResultsError(ExtractError):
    """An output folder or database cannot be read back."""

    exit_code = 7


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
            out[name] = col.astype("string")
    return pd.DataFrame(out, index=frame.index)


def table_kinds(name: str) -> dict[str, str]:
    """Column -> kind (string, number, integer, boolean, date) of schema table ``name``."""
    table = TABLES_BY_NAME[name]
    return {c: _kind(table, c) for c in columns(table)}


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def _from_sql(url: str, names: Sequence[str]) -> dict[str, pd.DataFrame]:
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
        return out
    except SQLAlchemyError as exc:
        raise ResultsError(f"{url}: cannot read the results: {str(exc).splitlines()[0]}") from exc
    finally:
        engine.dispose()


def _from_files(
    folder: Path, names: Sequence[str]
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    tables: dict[str, pd.DataFrame] = {}
    wide: dict[str, pd.DataFrame] = {}
    parquet, csv = folder / "parquet", folder / "csv"
    if (parquet / f"{DOCUMENTS.name}.parquet").exists():
        for name in names:
            path = parquet / f"{name}.parquet"
            if path.exists():
                tables[name] = pd.read_parquet(path)
        for path in sorted((parquet / "wide").glob("*.parquet")):
            wide[path.stem] = pd.read_parquet(path, dtype_backend="numpy_nullable")
    elif (csv / f"{DOCUMENTS.name}.csv").exists():
        for name in names:
            path = csv / f"{name}.csv"
            if path.exists():
                tables[name] = _read_csv(path)
    if not wide and (csv / "wide").is_dir():
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
) -> Results:
    """Every table of an output folder (``--out``) or database URL, typed.

    ``where``: an output folder (read from its ``results.sqlite``, else ``parquet/``, else
    ``csv/``) or a ``sqlite:///`` / ``postgresql://`` URL.  ``exclude_duplicates``: leave out
    documents marked as a second scan of another report (``documents.duplicate_of``) and their
    rows in every table.  ``tables``: only these tables (default: all).
    """
    names = list(tables) if tables is not None else [t.name for t in ALL_TABLES]
    unknown = [n for n in names if n not in TABLES_BY_NAME]
    if unknown:
        raise ResultsError(f"unknown table(s) {', '.join(unknown)} (tables: {', '.join(TABLES_BY_NAME)})")
    wanted = list(dict.fromkeys([*names, DOCUMENTS.name] if exclude_duplicates else names))
    text = os.fspath(where)
    wide: dict[str, pd.DataFrame] = {}
    if "://" in text:
        raw = _from_sql(text, wanted)
    else:
        folder = Path(text)
        if not folder.is_dir():
            raise ResultsError(f"{folder}: no such output folder")
        database = folder / "results.sqlite"
        raw, wide = _from_files(folder, [] if database.exists() else wanted)
        if database.exists():
            raw = _from_sql(f"sqlite:///{database.resolve()}", wanted)
        if not raw:
            raise ResultsError(f"{folder}: no results.sqlite, parquet/ or csv/ output found")
    typed = {name: _typed(frame, table_kinds(name)) for name, frame in raw.items()}
    for frame in wide.values():
        for name in DATE_COLUMNS & set(frame.columns):
            frame[name] = pd.to_datetime(frame[name].astype("string"), format="ISO8601", errors="coerce")
    if exclude_duplicates and DOCUMENTS.name in typed:
        docs = typed[DOCUMENTS.name]
        dupes = set(docs.loc[docs["duplicate_of"].notna(), "id"])
        for name, frame in typed.items():
            key = document_key(TABLES_BY_NAME[name]) if name != "manifest" else "document_id"
            typed[name] = frame[~frame[key].isin(dupes)].reset_index(drop=True)
        wide = {form: f[~f["document_id"].isin(dupes)].reset_index(drop=True) for form, f in wide.items()}
    return Results({n: typed[n] for n in names if n in typed}, wide)


__all__ = ["DATE_COLUMNS", "Results", "ResultsError", "load_results", "table_kinds"]
