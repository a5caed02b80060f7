"""The command line: exit codes and examples in --help, one line per error (a traceback only with
--verbose), inputs checked before any output is created."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extract import cli
from tests.repo_data import ROOT

sys.path.insert(0, str(ROOT / "tests" / "batch"))
from batch_fakes import functions
from pdfbytes import pdf_bytes


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = cli.main([*args, "--serial", "--no-progress"], functions=functions())
    return rc, capsys.readouterr().err


def test_help_lists_every_exit_code_and_ends_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    text = capsys.readouterr().out
    for code, meaning in cli.EXIT_CODES.items():
        assert f"  {code:<4} {meaning}" in text
    assert text.rstrip().splitlines()[-1].lstrip().startswith("python -c")
    assert "examples:" in text and text.index("examples:") > text.index("exit codes:")


@pytest.mark.parametrize(
    ("make", "expect"),
    [
        (lambda d: [str(d / "missing.pdf")], "missing.pdf: no such file or folder"),
        (lambda d: [str(d / "*.tif")], "no file matches this pattern"),
        (lambda d: [f"@{d / 'nolist.txt'}"], "cannot read the list file"),
        (lambda d: [str(d / "empty")], "no input file found"),
    ],
)
def test_inputs_are_checked_before_any_output_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, expect: str
) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.txt").write_text("no scan here\n")
    out = tmp_path / "out"
    rc, err = run([*make(tmp_path), "--out", str(out)], capsys)
    assert rc == 2 and expect in err and "Traceback" not in err
    assert not out.exists()


def test_a_missing_line_of_a_list_file_is_a_manifest_row_not_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.pdf").write_bytes(pdf_bytes(1, 301))
    (tmp_path / "list.txt").write_text("a.pdf\ngone.pdf\n")
    rc, err = run([f"@{tmp_path / 'list.txt'}", "--out", str(tmp_path / "out")], capsys)
    assert rc == 1 and "gone.pdf" in err


def test_an_unexpected_error_is_one_line_and_verbose_shows_the_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import extract.batch

    def boom(*args, **kwargs):
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr(extract.batch, "run_batch", boom)
    (tmp_path / "a.pdf").write_bytes(pdf_bytes(1, 301))
    rc, err = run([str(tmp_path / "a.pdf"), "--out", str(tmp_path / "out")], capsys)
    assert rc == cli.EXIT_INTERNAL and "Traceback" not in err and "second line" not in err
    assert (
        len(err.strip().splitlines()) == 1 and "RuntimeError: something broke" in err and "--verbose" in err
    )
    rc, err = run([str(tmp_path / "a.pdf"), "--out", str(tmp_path / "out"), "--verbose"], capsys)
    assert rc == cli.EXIT_INTERNAL and "Traceback" in err


def test_an_output_error_is_one_line_without_the_sqlalchemy_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.sqlite"
    import sqlite3

    with sqlite3.connect(old) as db:  # a database of the schema before the rename
        db.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, number TEXT)")
    (tmp_path / "a.pdf").write_bytes(pdf_bytes(1, 301))
    rc, err = run(
        [str(tmp_path / "a.pdf"), "--out", str(tmp_path / "out"), "--db", f"sqlite:///{old}"], capsys
    )
    assert rc == 7 and "older version" in err and "sqlalche.me" not in err and "Traceback" not in err
