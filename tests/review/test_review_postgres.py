"""The review app on PostgreSQL (the same ``--db`` URL as the run): decisions, re-validation,
concurrent reviewers and the export, against a real server.

The server's URL comes from ``EXTRACT_TEST_PG_URL``; when unset, scripts/postgres.sh starts a
throwaway server (as the writer tests do), so the test always runs.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from review_helpers import VALUES, confirm_concurrently
from review_run import run_pipeline
from sqlalchemy.engine import make_url

from extract.review.service import QueueFilter, ReviewService
from extract.understand.numbers import parse_value
from extract.writers.postgres import postgres_url
from tests.postgres_server import postgres_test_url

pytestmark = pytest.mark.postgres


@pytest.fixture()
def pg_url():
    server = postgres_url(postgres_test_url())
    schema = f"review_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(server)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _value(engine, cell):
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                f'SELECT number, status, raw_text FROM "{VALUES}" WHERE document_id = :d AND table_index = :t'
                " AND row_key = :r AND column_key = :c"
            ),
            dict(zip("dtrc", cell, strict=True)),
        ).one()


def test_review_on_postgres(run_copy, pg_url) -> None:
    # the same inputs into the same state with --db: every finished document is written to PostgreSQL
    proc = run_pipeline(run_copy.inputs, run_copy.out, "--db", pg_url, "--format", "postgres,csv,json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    service = ReviewService(run_copy.out, pg_url)
    engine = sa.create_engine(postgres_url(pg_url))
    try:
        row_index, column, truth = run_copy.damaged()
        with engine.connect() as conn:
            cell = tuple(
                conn.execute(
                    sa.text(
                        f'SELECT document_id, table_index, row_key, column_key FROM "{VALUES}"'
                        " WHERE form = '5B' AND row_index = :i AND column_key = :c"
                    ),
                    {"i": row_index, "c": column},
                ).one()
            )
        before = _value(engine, cell)
        service.decide(cell, "type", "anna", truth)
        after = _value(engine, cell)
        assert after.status == "reviewed" and after.number == parse_value(truth, "count").number
        assert after.raw_text == before.raw_text
        walked = [service.first(QueueFilter())]
        walked.append(service.neighbour(walked[0], QueueFilter(), 1))
        assert walked[1] is not None and walked[1] != walked[0]
        # concurrent reviewers through four services (four app processes' worth of connections)
        with engine.connect() as conn:
            cells = [
                tuple(r)
                for r in conn.execute(
                    sa.text(
                        "SELECT document_id, table_index, row_key, column_key FROM flags WHERE status = "
                        "'flagged' AND number IS NOT NULL ORDER BY row_key, column_key LIMIT 8"
                    )
                )
            ]
        confirm_concurrently(run_copy.out, pg_url, cells)
        assert all(_value(engine, c).status == "reviewed" for c in cells)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM corrections")).scalar() == 1 + len(cells)
        outputs = service.export(["csv"])
        assert any(o.endswith(f"{VALUES}.csv") for o in outputs)
    finally:
        service.close()
        engine.dispose()
