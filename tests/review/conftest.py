"""One real run of the pipeline (real tesseract and OpenCV) on two samples, shared by the review
tests; each test gets its own copy of the output folder, so decisions never leak between tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from review_run import INPUTS, SAMPLES, run_pipeline


class Run:
    def __init__(self, inputs: list[Path], out: Path) -> None:
        self.inputs = inputs
        self.out = out

    def damaged(self) -> tuple[int, str, str]:
        """(body row index, column key, true printed text) of the first cell the 5B sample's
        generator damaged (the pipeline cannot read it right and flags it)."""
        truth = json.loads((SAMPLES / "5B_damaged_mild.truth.json").read_text(encoding="utf-8"))
        hit = truth["damaged"][0]
        for page in truth["pages"]:
            for table in page["tables"]:
                for row in table["rows"]:
                    if table["form"] == hit["form"] and row["row_index"] == hit["row_index"]:
                        return hit["row_index"], hit["column"], row["cells"][hit["column"]]
        raise AssertionError("the truth file lists no text for its damaged cell")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    work = tmp_path_factory.mktemp("review-run")
    folder = work / "in"
    folder.mkdir()
    inputs = []
    for name in INPUTS:
        shutil.copy(SAMPLES / name, folder / name)
        inputs.append(folder / name)
    out = work / "out"
    proc = run_pipeline(inputs, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return Run(inputs, out)


@pytest.fixture()
def run_copy(sample_run: Run, tmp_path: Path) -> Run:
    out = tmp_path / "out"
    shutil.copytree(sample_run.out, out)
    return Run(sample_run.inputs, out)
