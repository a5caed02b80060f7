"""Several runs creating the result tables of one database at the same moment all succeed
(issue 10, item 6: "table documents already exists" ended runs with exit 7)."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from extract.writers.postgres import postgres_url
from extract.writers.schema import METADATA
from extract.writers.sql import SqlWriter
from tests.postgres_server import postgres_test_url

WRITERS_AT_ONCE = 6


def _open_together(url: str) -> list[BaseException]:
    """Open ``WRITERS_AT_ONCE`` writers on ``url`` released by one barrier; their errors."""
    barrier = threading.Barrier(WRITERS_AT_ONCE)
    errors: list[BaseException] = []

    def open_one() -> None:
        barrier.wait()
        try:
            SqlWriter("db", url).close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(WRITERS_AT_ONCE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_sqlite_tables_created_by_several_writers_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert _open_together(url) == []
    assert _tables(url) == set(METADATA.tables)


@pytest.mark.postgres
def test_postgres_tables_created_by_several_writers_at_once() -> None:
    server = postgres_url(postgres_test_url())
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
        scoped_url = scoped.render_as_string(hide_password=False)
        assert _open_together(scoped_url) == []
        assert _tables(scoped_url) >= set(METADATA.tables)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
