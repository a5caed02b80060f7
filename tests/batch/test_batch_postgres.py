"""A real PostgreSQL server: the batch loads twice (and from a second state) without duplicates,
and holds the same rows as SQLite.

The server's URL comes from ``EXTRACT_TEST_PG_URL``; when that is unset the test starts a
throwaway server with scripts/postgres.sh, so the test always runs.  When the variable is set but
the server cannot be reached, the test fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from batch_fakes import functions
from batch_helpers import RESULT_TABLES, dump_sqlite, write_good
from sqlalchemy.engine import make_url

from extract import load_results
from extract.cli import main
from extract.writers import OutputError, WriterContext
from extract.writers.postgres import open_writer, postgres_url
from tests.postgres_server import postgres_test_url

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def server_url() -> str:
    return postgres_url(postgres_test_url())


@pytest.fixture
def schema_url(server_url: str) -> Iterator[str]:
    """A URL whose connections use a fresh schema of their own (dropped afterwards)."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server_url)
    with engine.begin() as conn:  # fails the test when the server is unreachable
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(server_url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _normal(value):
    return int(value) if isinstance(value, bool) else value


def _dump(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(
                    (tuple(_normal(v) for v in row) for row in conn.execute(sa.text(f'SELECT * FROM "{t}"'))),
                    key=repr,
                )
                for t in RESULT_TABLES
            }
    finally:
        engine.dispose()


def _normalised(dump: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {t: sorted((tuple(_normal(v) for v in row) for row in rows), key=repr) for t, rows in dump.items()}


def test_postgres_and_sqlite_load_twice_without_duplicates(schema_url: str, tmp_path: Path) -> None:
    write_good(tmp_path / "in", {"a.pdf": 3, "b_failpage.pdf": 2, "c.pdf": 1})
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")

    def run(out, *extra):
        return main(
            [str(tmp_path / "in"), "--out", str(out), "--serial", "--no-progress", *extra],
            functions=functions(),
        )

    assert run(tmp_path / "pg1", "--db", schema_url) == 1  # postgres replaces the default sqlite output
    assert not (tmp_path / "pg1" / "results.sqlite").exists()
    first = _dump(schema_url)
    assert run(tmp_path / "pg1", "--db", schema_url) == 1  # resumed: nothing to write again
    assert _dump(schema_url) == first
    assert (
        run(tmp_path / "pg2", "--db", schema_url, "--format", "postgres,sqlite,csv") == 1
    )  # a new state: rewrites all
    assert _dump(schema_url) == first
    assert len(first["cell_values"]) == 4 * 6  # 6 values a table page: a pages 1-2, b page 1, c page 1
    assert len(first["manifest"]) == 4
    with sa.create_engine(schema_url).connect() as conn:  # the old name still answers, as a view
        assert conn.execute(sa.text('SELECT COUNT(*) FROM "values"')).scalar() == 4 * 6
    loaded = load_results(schema_url)
    assert len(loaded["cell_values"]) == 4 * 6 and str(loaded["cell_values"]["number"].dtype) == "Float64"
    assert loaded["cell_values"]["commune_code"].dropna().str.fullmatch(r"\d{5}").all()
    from_files = load_results(tmp_path / "pg2").wide  # the CSV wide views of the same documents
    assert loaded.wide.keys() == from_files.keys() and loaded.wide
    for form, view in from_files.items():  # built from the database's cells: same rows, columns, dtypes
        pd.testing.assert_frame_equal(loaded.wide[form], view)

    sqlite_db = tmp_path / "shared.sqlite"
    for out in ("s1", "s2"):  # two states loading into one SQLite database
        assert run(tmp_path / out, "--db", f"sqlite:///{sqlite_db}") == 1
    assert _normalised(dump_sqlite(sqlite_db)) == first
    assert _normalised(dump_sqlite(tmp_path / "pg2" / "results.sqlite")) == first


def test_unreachable_postgres_is_a_clear_output_error(tmp_path: Path) -> None:
    url = "postgresql://extract@127.0.0.1:9/nowhere"  # the discard port: nothing listens
    with pytest.raises(OutputError, match="127.0.0.1:9/nowhere"):
        open_writer(WriterContext(out_dir=tmp_path, db_url=url))
    write_good(tmp_path / "in", {"a.pdf": 1})
    assert (
        main(
            [str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--db", url, "--serial"],
            functions=functions(),
        )
        == 7
    )
