"""One real run of the pipeline (real tesseract, real OpenCV, process pool) shared by the e2e tests.

The batch mixes generated scans of several qualities and formats, real government scans from
``tests/data/realdata`` (a ruled table page, a prose page, a born-digital PDF with a text layer)
and a broken file, exactly as a user would hand them over.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from e2e_paths import REALDATA, ROOT, SAMPLES

GENERATED = [
    "5B_clean_300.pdf",
    "5B_damaged_mild.pdf",
    "14B_mild.png",
    "10B_mild.tiff",
    "7B_rotated_180.pdf",
    "5B_hard_200.pdf",
]
REAL = [
    "qd_707_table_pages/p-005-000.png",  # a real ruled table, bilevel, 200 dpi
    "pages/real_nq_115_ba_vi_p1.png",  # a real prose page with stamp and signature
    "sources/hanoi_tb_453_flag.pdf",  # born-digital: a text layer
]


class RunResult:
    def __init__(self, out: Path, inputs: dict[str, Path], proc: subprocess.CompletedProcess[str]) -> None:
        self.out = out
        self.inputs = inputs
        self.proc = proc

    def frame(self, table: str) -> pd.DataFrame:
        with sqlite3.connect(self.out / "results.sqlite") as conn:
            return pd.read_sql_query(f'SELECT * FROM "{table}"', conn)

    def document_id(self, name: str) -> str:
        from extract.ingest import document_id

        return document_id(self.inputs[name])


def _run(inputs: list[Path], out: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = [
        sys.executable,
        str(ROOT / "pipeline.py"),
        *map(str, inputs),
        "--out",
        str(out),
        "--workers",
        "2",
        "--format",
        "sqlite,csv,parquet,excel,json",
        "--no-progress",
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1200, check=False)


@pytest.fixture(scope="session")
def e2e_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    work = tmp_path_factory.mktemp("e2e")
    folder = work / "in"
    folder.mkdir()
    inputs: dict[str, Path] = {}
    for name in GENERATED:
        for src in sorted(SAMPLES.glob(Path(name).stem + "*")):
            if src.suffix != ".json":
                shutil.copy(src, folder / src.name)
        inputs[name] = folder / name
    for rel in REAL:
        src = REALDATA / rel
        assert src.exists(), f"real scans missing: {src}"
        dst = folder / src.name
        shutil.copy(src, dst)
        inputs[rel] = dst
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage, no xref, no trailer")
    inputs["broken.pdf"] = broken
    out = work / "out"
    proc = _run([folder], out)
    return RunResult(out, inputs, proc)
