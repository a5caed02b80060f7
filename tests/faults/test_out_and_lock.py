"""Output folders that cannot be written, and two runs started together on one folder or database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from faults_cli import (
    RUN_TIMEOUT_S,
    assert_clean_stderr,
    command,
    environment,
    manifest_files,
    run_cli,
)

from tests.batch.pdfbytes import pdf_bytes

EXIT_OUTPUT = 7
EXIT_BUSY = 9
PAIRS = 3  # two runs started together, this many times (before the fix 6 pairs of 12 ended in exit 7)


@pytest.fixture
def blank_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "blank.pdf"
    path.parent.mkdir()
    path.write_bytes(pdf_bytes(2, 300))
    return path


def _one_error_line(stderr: str, out: Path) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, stderr
    assert f"--out {out}" in errors[0]
    return errors[0]


def test_out_that_is_a_regular_file_exits_7_with_one_line(blank_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    out.write_text("I am a file\n")
    run = run_cli(blank_pdf, "--out", out)
    assert run.code == EXIT_OUTPUT
    assert_clean_stderr(run)
    assert "exists and is not a folder" in _one_error_line(run.stderr, out)
    assert out.read_text() == "I am a file\n"


def test_out_below_a_file_exits_7(blank_pdf: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "results"
    run = run_cli(blank_pdf, "--out", out)
    assert run.code == EXIT_OUTPUT
    assert_clean_stderr(run)
    assert "cannot create the output folder: a path component is not a folder" in _one_error_line(
        run.stderr, out
    )


def test_out_in_a_read_only_parent_exits_7(blank_pdf: Path, tmp_path: Path) -> None:
    parent = tmp_path / "readonly"
    parent.mkdir()
    os.chmod(parent, 0o555)
    try:
        out = parent / "results"
        run = run_cli(blank_pdf, "--out", out)
    finally:
        os.chmod(parent, 0o755)
    assert run.code == EXIT_OUTPUT
    assert_clean_stderr(run)
    assert "cannot create the output folder: permission denied" in _one_error_line(run.stderr, out)
    assert not out.exists()


@pytest.mark.parametrize("formats", ["csv", "sqlite,csv,json"])
def test_read_only_out_folder_exits_7(blank_pdf: Path, tmp_path: Path, formats: str) -> None:
    out = tmp_path / "results"
    out.mkdir()
    os.chmod(out, 0o555)
    try:
        run = run_cli(blank_pdf, "--out", out, "--format", formats)
    finally:
        os.chmod(out, 0o755)
    assert run.code == EXIT_OUTPUT
    assert_clean_stderr(run)
    assert "cannot write in the output folder: permission denied" in _one_error_line(run.stderr, out)
    assert list(out.iterdir()) == []


def _start(*args: str | os.PathLike[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(*args),
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    stderrs = [p.communicate(timeout=RUN_TIMEOUT_S)[1] for p in procs]
    return [(p.returncode, stderr) for p, stderr in zip(procs, stderrs, strict=True)]


def test_two_runs_started_together_on_one_out_folder_end_in_0_or_9(blank_pdf: Path, tmp_path: Path) -> None:
    for n in range(PAIRS):
        out = tmp_path / f"out{n}"
        results = _finish([_start(blank_pdf, "--out", out, "--format", "sqlite,csv,json") for _ in range(2)])
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, EXIT_BUSY]), results
        for code, stderr in results:
            assert "Traceback" not in stderr, stderr
            if code == EXIT_BUSY:
                assert "another run is using this output folder" in stderr
        assert manifest_files(out)[str(blank_pdf)][0] == "no_tables"
        db = sqlite3.connect(out / "results.sqlite")
        try:
            assert db.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        finally:
            db.close()


def test_two_runs_started_together_on_one_database_both_finish(blank_pdf: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    other = blank_pdf.parent / "other.pdf"
    other.write_bytes(pdf_bytes(1, 310))
    for n in range(PAIRS):
        results = _finish(
            [
                _start(blank_pdf, "--out", tmp_path / f"a{n}", "--db", url),
                _start(other, "--out", tmp_path / f"b{n}", "--db", url),
            ]
        )
        assert [code for code, _ in results] == [0, 0], results
        assert all("Traceback" not in stderr for _, stderr in results)
    db = sqlite3.connect(tmp_path / "shared.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    finally:
        db.close()
