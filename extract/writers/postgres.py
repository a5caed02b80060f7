"""PostgreSQL output: the SQLAlchemy URL given with ``--db`` (driver: psycopg 3).

``postgresql://user@host:5432/db`` (or ``postgres://``) is read as ``postgresql+psycopg://``.
The schema is :mod:`extract.writers.schema`; writing is :class:`extract.writers.sql.SqlWriter`.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..errors import MissingDependencyError
from . import OutputError, WriterContext
from .sql import SqlWriter, public_url

DRIVER = "psycopg"


def postgres_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named (``postgresql+psycopg://``)."""
    try:
        parsed = make_url(
            url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
        )
    except ArgumentError as exc:
        raise OutputError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() != "postgresql":
        raise OutputError(f"{public_url(url)} is not a PostgreSQL URL (postgresql://user@host:port/db)")
    return parsed.set(drivername=f"postgresql+{DRIVER}").render_as_string(hide_password=False)


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")  # type: ignore[union-attr]


def open_writer(ctx: WriterContext) -> SqlWriter:
    if not ctx.db_url:
        raise OutputError("the postgres output needs --db postgresql://user@host:port/database")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(
            "the postgres output needs psycopg 3: pip install 'psycopg[binary]'"
        ) from exc
    return SqlWriter(
        "postgres", postgres_url(ctx.db_url), ctx.config_dir
    )  # connects: fails early when unreachable


__all__ = ["is_postgres_url", "open_writer", "postgres_url"]
