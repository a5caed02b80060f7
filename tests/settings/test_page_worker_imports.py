"""A page worker loads the settings and the page stage without the database and table libraries
(pandas, pyarrow, sqlalchemy): they cost ~0.55 s CPU of start-up in every worker process and the
page stage never uses them (only the writers, the review queue and the review app do)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

HEAVY = ("pandas", "pyarrow", "sqlalchemy", "dask")


def test_settings_and_page_stage_import_no_table_or_database_library() -> None:
    code = (
        "import sys\n"
        "from extract.config import load_config\n"
        "load_config().page_stages()\n"
        "import extract.page, extract.document, extract.validate, extract.batch\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_the_review_queue_still_builds_its_frame() -> None:
    from extract.validate import REVIEW_COLUMNS, review_queue

    frame = review_queue([])
    assert list(frame.columns) == list(REVIEW_COLUMNS)
    assert frame.empty
