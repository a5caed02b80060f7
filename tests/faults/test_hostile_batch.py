"""One batch of every hostile and broken input next to a good scan, through the real command.

Each input is built at test time (see ``hostile.py``).  For each one the manifest must say what
happened and why; the good scan must come out exactly as it does alone; the run must stay under
a memory limit set on every one of its processes (RLIMIT_AS), write nothing outside ``--out``,
leave no temporary file and print no traceback.  The table in docs/notes/issue-10.md is this
test's ``CASES``.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults_cli import (
    PROCESS_MEMORY_LIMIT,
    REPO,
    Run,
    assert_clean_stderr,
    leftovers,
    manifest_files,
    run_cli,
    snapshot,
    values_of,
)
from hostile import BIG_PAGE_PDF, fifo, png_bomb, symlink, tiff_with_huge_second_frame, zip_of_zeros
from PIL import Image

from tests.batch.pdfbytes import pdf_bytes

GOOD_SCAN = REPO / "samples" / "8B_9B_13B_clean_200-p2.png"
EXIT_SOME_FAILED = 1

# (source relative to the input folder, manifest status, words the reason must contain)
CASES: list[tuple[str, str, str]] = [
    ("bigpage.pdf", "failed", "page too large: 14,400×14,400 pt"),
    ("bomb.zip!y.pdf", "failed", "over the limit of 2,048 MiB a member"),
    ("ratio.zip!r.pdf", "failed", "over the limit of 250 (a zip bomb?)"),
    ("fifo.pdf", "failed", "not a regular file: a named pipe (FIFO)"),
    ("zero.pdf", "failed", "not a regular file: a character device"),
    ("loop.pdf", "failed", "symbolic link loop"),
    ("locked", "failed", "cannot list the folder: permission denied"),
    ("linked_folder", "skipped", "symbolic link to a folder (not followed)"),
    ("dups.zip!x.pdf", "no_tables", ""),
    ("dups.zip!x.pdf#2", "no_tables", ""),
    ("bomb.png", "failed", "(possible decompression bomb)"),
    ("two_pages.tiff", "flagged", "page 2: page too large: 20000×20000 pixels"),  # page 1 is read
    ("corrupt.pdf", "failed", "corrupt or damaged PDF"),
    ("encrypted.pdf", "failed", "encrypted PDF (password-protected)"),
    ("empty.pdf", "failed", "empty file (0 bytes)"),
    ("text_named.pdf", "failed", "not a valid PDF: no %PDF header"),
    ("png_named.pdf", "no_tables", ""),
    ("truncated.png", "failed", "corrupt or truncated PNG image"),
    ("slip.zip!../../escaped.pdf", "no_tables", ""),
    ("broken.zip!bad.pdf", "failed", "corrupt or damaged PDF"),  # its cache copy is removed
    ("notes.txt", "skipped", "unsupported file type .txt"),
]
# named on the command line: a usage error (exit 2, nothing written) that says why
EXPLICIT: list[tuple[str, str]] = [
    ("locked/inside.pdf", "permission denied (check the path)"),
    ("missing.pdf", "no such file or folder (check the path)"),
    ("loop.pdf", "symbolic link loop (too many levels of symbolic links) (check the path)"),
]
EXIT_USAGE = 2


LOCKED = ("in/locked", "globbed/deep/locked")  # folders made unreadable (relative to the test's root)
GLOB = "globbed/**/*.pdf"  # a recursive pattern over a folder holding an unreadable one
GLOBBED: list[tuple[str, str, str]] = [
    ("globbed/deep/ok.pdf", "no_tables", ""),
    ("globbed/deep/locked", "failed", "cannot list the folder: permission denied"),
]


def _build(folder: Path, absolute_member: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "bigpage.pdf").write_bytes(BIG_PAGE_PDF)
    zip_of_zeros(folder / "bomb.zip", [("y.pdf", b"%PDF-1.4\n", 3072)])  # the zip: 3 GiB in 3 MB
    zip_of_zeros(folder / "ratio.zip", [("r.pdf", b"%PDF-1.4\n", 300)])  # 300 MiB in 0.3 MB
    fifo(folder / "fifo.pdf")
    symlink(folder / "zero.pdf", "/dev/zero")
    symlink(folder / "loop.pdf", "loop.pdf")
    (folder / "locked").mkdir()
    (folder / "locked" / "inside.pdf").write_bytes(pdf_bytes(1, 310))
    (folder / "real_folder").mkdir()
    symlink(folder / "linked_folder", folder / "real_folder")
    with zipfile.ZipFile(folder / "dups.zip", "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate name
        zf.writestr("x.pdf", pdf_bytes(1, 320))
        zf.writestr("x.pdf", pdf_bytes(1, 330))
    png_bomb(folder / "bomb.png")
    tiff_with_huge_second_frame(folder / "two_pages.tiff")
    (folder / "corrupt.pdf").write_bytes(pdf_bytes(3, 340)[:150])
    (folder / "encrypted.pdf").write_bytes(pdf_bytes(2, 350, encrypted=True))
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "text_named.pdf").write_text("a text file with a .pdf name\n")
    Image.new("L", (850, 1100), 255).save(folder / "png_named.pdf", format="PNG")
    Image.new("L", (850, 1100), 200).save(folder / "whole.png")
    (folder / "truncated.png").write_bytes((folder / "whole.png").read_bytes()[:300])
    (folder / "whole.png").unlink()
    with zipfile.ZipFile(folder / "slip.zip", "w") as zf:
        zf.writestr("../../escaped.pdf", pdf_bytes(1, 360))
        zf.writestr(str(absolute_member), pdf_bytes(1, 370))
    with zipfile.ZipFile(folder / "broken.zip", "w") as zf:
        zf.writestr("bad.pdf", pdf_bytes(3, 380)[:200])
    (folder / "notes.txt").write_text("not an input\n")
    globbed = folder.parent / "globbed" / "deep"
    (globbed / "locked").mkdir(parents=True)
    (globbed / "ok.pdf").write_bytes(pdf_bytes(1, 390))
    (globbed / "locked" / "hidden.pdf").write_bytes(pdf_bytes(1, 400))
    for locked in LOCKED:
        os.chmod(folder.parent / locked, 0)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The good scan alone, then with every hostile input; both runs' results."""
    root = tmp_path_factory.mktemp("hostile")
    good = root / "good" / GOOD_SCAN.name
    good.parent.mkdir()
    shutil.copyfile(GOOD_SCAN, good)
    alone = run_cli(good, "--out", root / "alone")
    folder = root / "in"
    absolute_member = Path("/tmp") / f"faults-{uuid.uuid4().hex}" / "absolute.pdf"
    _build(folder, absolute_member)
    out = root / "out"
    before = snapshot(root, skip=out)
    try:
        run = run_cli(good, folder, root / GLOB, "--out", out)
        again = run_cli(good, folder, root / GLOB, "--out", out)
    finally:
        for locked in LOCKED:
            os.chmod(root / locked, 0o755)
    yield {
        "root": root,
        "good": good,
        "folder": folder,
        "out": out,
        "alone": alone,
        "run": run,
        "again": again,
        "before": before,
        "after": snapshot(root, skip=out),
        "absolute_member": absolute_member,
    }


def _source(hostile: dict, name: str) -> str:
    folder: Path = hostile["folder"]
    archive, sep, member = name.partition("!")
    return f"{folder / archive}{sep}{member}"


def test_the_batch_finishes_with_exit_1_no_traceback_and_within_its_memory_limit(hostile: dict) -> None:
    run: Run = hostile["run"]
    assert hostile["alone"].code == 0, hostile["alone"].stderr[-2000:]
    assert run.code == EXIT_SOME_FAILED, run.stderr[-3000:]
    assert_clean_stderr(run)
    assert run.max_rss_kib * 1024 < PROCESS_MEMORY_LIMIT
    # every failure is one line naming its file
    failures = [line for line in run.stderr.splitlines() if line.startswith("WARNING failed: ")]
    assert failures and all(str(hostile["root"]) in line for line in failures)
    assert sum("bigpage.pdf" in line for line in failures) == 1  # once, not as a file and again as its page


@pytest.mark.parametrize(("name", "status", "reason"), CASES, ids=[c[0] for c in CASES])
def test_each_hostile_input_has_its_manifest_row_and_reason(
    hostile: dict, name: str, status: str, reason: str
) -> None:
    rows = manifest_files(hostile["out"])
    got = rows.get(_source(hostile, name))
    assert got is not None, sorted(rows)
    assert got[0] == status, got
    assert reason in (got[1] or ""), got


@pytest.mark.parametrize(("name", "status", "reason"), GLOBBED, ids=[c[0] for c in GLOBBED])
def test_a_recursive_pattern_accounts_for_folders_it_cannot_list(
    hostile: dict, name: str, status: str, reason: str
) -> None:
    got = manifest_files(hostile["out"]).get(str(hostile["root"] / name))
    assert got is not None and got[0] == status and reason in (got[1] or ""), got


@pytest.mark.parametrize(("name", "reason"), EXPLICIT, ids=[c[0] for c in EXPLICIT])
def test_a_named_path_that_cannot_be_read_is_a_usage_error_with_its_real_reason(
    tmp_path: Path, name: str, reason: str
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inside.pdf").write_bytes(pdf_bytes(1, 310))
    symlink(tmp_path / "loop.pdf", "loop.pdf")
    (tmp_path / "good.pdf").write_bytes(pdf_bytes(1, 300))
    os.chmod(tmp_path / "locked", 0)
    try:
        run = run_cli(tmp_path / "good.pdf", tmp_path / name, "--out", tmp_path / "out")
    finally:
        os.chmod(tmp_path / "locked", 0o755)
    assert run.code == EXIT_USAGE
    assert_clean_stderr(run)
    assert f"ERROR {tmp_path / name}: {reason}" in run.stderr
    assert not (tmp_path / "out").exists()


def test_the_good_scan_comes_out_identical_to_a_run_of_it_alone(hostile: dict) -> None:
    source = str(hostile["good"])
    alone = values_of(hostile["root"] / "alone", source)
    assert len(alone) >= 10  # a real table was read (10 values; its blank cells are not values)
    assert values_of(hostile["out"], source) == alone
    assert manifest_files(hostile["out"])[source][0] in ("done", "flagged")


def test_nothing_written_outside_out_and_no_temporary_files_left(hostile: dict) -> None:
    assert hostile["after"] == hostile["before"]
    assert not hostile["absolute_member"].exists()
    assert not hostile["absolute_member"].parent.exists()
    assert leftovers(hostile["out"]) == []
    # the members that could not be read are not kept in the cache; the readable ones are
    cache = sorted(p.name for p in (hostile["out"] / "cache").iterdir())
    assert len(cache) == 4  # dups.zip's two members and slip.zip's two; broken.zip's is gone
    total = sum(p.stat().st_size for p in (hostile["out"] / "cache").iterdir())
    assert total < 1 << 20


def test_a_rerun_changes_nothing_and_computes_nothing(hostile: dict) -> None:
    again: Run = hostile["again"]
    assert again.code == EXIT_SOME_FAILED
    assert_clean_stderr(again)
    assert "computed 0 page(s)" in again.stderr
    assert leftovers(hostile["out"]) == []
