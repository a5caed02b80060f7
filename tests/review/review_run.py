"""The real pipeline run on samples, for the review tests (a module with a unique name, so
``from conftest import ...`` can no longer pick up another folder's conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
INPUTS = ("5B_damaged_mild.pdf", "14B_mild.png")
FORMATS = "sqlite,csv,json"


def run_pipeline(inputs: list[Path], out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(ROOT))
    cmd = [
        sys.executable,
        str(ROOT / "pipeline.py"),
        *map(str, inputs),
        "--out",
        str(out),
        "--workers",
        "1",
        "--format",
        FORMATS,
        "--no-progress",
        *extra,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
