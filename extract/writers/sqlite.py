"""SQLite output (the default): ``<out>/results.sqlite``, or the SQLite URL given with ``--db``.

The schema is :mod:`extract.writers.schema`; writing is :class:`extract.writers.sql.SqlWriter`.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from . import OutputError, WriterContext
from .sql import SqlWriter

DEFAULT_FILE = "results.sqlite"


def sqlite_url(ctx: WriterContext) -> str:
    """The SQLite URL to write: ``ctx.db_url`` when it is a SQLite URL, else ``<out>/results.sqlite``."""
    if ctx.db_url:
        try:
            url = make_url(ctx.db_url)
        except ArgumentError as exc:
            raise OutputError(f"invalid database URL {ctx.db_url!r}: {exc}") from exc
        if url.get_backend_name() == "sqlite":
            return ctx.db_url
    return f"sqlite:///{(ctx.out_dir / DEFAULT_FILE).resolve()}"


def open_writer(ctx: WriterContext) -> SqlWriter:
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    return SqlWriter("sqlite", sqlite_url(ctx), ctx.config_dir)


__all__ = ["DEFAULT_FILE", "open_writer", "sqlite_url"]
