"""The limits on their own: archive expansion, page pixels, worker memory, chunked PDF scanning."""

from __future__ import annotations

import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from faults_cli import environment, run_cli
from hostile import zip_of_zeros

from extract.batch import BatchSettings, machine_memory, memory_per_worker, parse_size
from extract.errors import ArchiveLimitError, InputFileError
from extract.executors import run_task
from extract.ingest import MAX_PAGE_PIXELS, READ_CHUNK, _scan_pdf, load_page, render_size
from extract.inputs import MIB, ArchiveLimits, _Budget, expand_inputs, extract_member
from extract.model import PageResult
from tests.batch.pdfbytes import assemble, pdf_bytes

GIB = 1 << 30


# -- archives ---------------------------------------------------------------------------------


def test_archive_limits_name_the_limit_that_was_passed() -> None:
    limits = ArchiveLimits(max_member_mib=10, max_archive_mib=25, max_ratio=100, ratio_above_mib=1)
    assert limits.check(10 * MIB, 10 * MIB, 0) is None
    assert "over the limit of 10 MiB a member" in (limits.check(10 * MIB + 1, 10 * MIB, 0) or "")
    assert "more than 25 MiB" in (limits.check(6 * MIB, 6 * MIB, 20 * MIB) or "")
    assert "expands 200 times" in (limits.check(2 * MIB, 2 * MIB // 200, 0) or "")
    assert limits.check(MIB, MIB // 1000, 0) is None  # small members may compress well (blank pages)


def test_a_copy_that_goes_over_its_limit_is_stopped_and_removed(tmp_path: Path) -> None:
    archive = zip_of_zeros(tmp_path / "z.zip", [("big.pdf", b"%PDF-1.4\n", 8)])
    budget = _Budget(ArchiveLimits(max_member_mib=3, max_archive_mib=100, max_ratio=1e9, ratio_above_mib=0))
    with zipfile.ZipFile(archive) as zf, pytest.raises(ArchiveLimitError, match="over the limit of 3 MiB"):
        extract_member(zf, zf.getinfo("big.pdf"), tmp_path / "cache", budget)
    assert list((tmp_path / "cache").iterdir()) == []  # the partial copy is gone
    assert budget.used == 0


def test_the_archive_budget_counts_every_member_and_nested_archives(tmp_path: Path) -> None:
    inner = zip_of_zeros(tmp_path / "inner.zip", [("a.pdf", b"%PDF-1.4\n", 6), ("b.pdf", b"%PDF-1.5\n", 6)])
    with zipfile.ZipFile(tmp_path / "outer.zip", "w") as zf:  # stored: the inner zip's own bytes count too
        zf.write(inner, "inner.zip")
        zf.writestr("c.pdf", pdf_bytes(1))
    limits = ArchiveLimits(max_member_mib=100, max_archive_mib=10, max_ratio=1e9, ratio_above_mib=0)
    items = {
        i.source.split("!", 1)[1]: i
        for i in expand_inputs([str(tmp_path / "outer.zip")], tmp_path / "cache", limits=limits)
    }
    assert items["c.pdf"].ok
    assert items["inner.zip!a.pdf"].ok
    assert items["inner.zip!b.pdf"].status == "failed"
    assert "would expand to more than 10 MiB" in (items["inner.zip!b.pdf"].problem or "")


def test_same_name_members_are_both_kept(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "d.zip", "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate name
        for width in (300, 310, 320):
            zf.writestr("x.pdf", pdf_bytes(1, width))
    items = expand_inputs([str(tmp_path / "d.zip")], tmp_path / "cache")
    assert [i.source.split("!")[1] for i in items] == ["x.pdf", "x.pdf#2", "x.pdf#3"]
    assert [Path(i.path).read_bytes() for i in items] == [pdf_bytes(1, w) for w in (300, 310, 320)]


# -- page pixels ------------------------------------------------------------------------------


def _page_pdf(tmp_path: Path, width_pt: float, height_pt: float) -> Path:
    path = tmp_path / f"p{width_pt:g}x{height_pt:g}.pdf"
    path.write_bytes(
        assemble(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt:g} {height_pt:g}] >>".encode(),
            ],
            b"<< /Size 4 /Root 1 0 R >>",
        )
    )
    return path


def test_a_pdf_page_just_under_the_pixel_limit_renders_and_one_just_over_is_refused(tmp_path: Path) -> None:
    dpi = 72.0  # one pixel a point
    side = int(MAX_PAGE_PIXELS**0.5)
    assert render_size((side, side), dpi) == (side, side)
    page = load_page(_page_pdf(tmp_path, side, side), 0, dpi=dpi)
    assert page.image.shape == (side, side)
    with pytest.raises(
        InputFileError, match=r"page 1: page too large: .* at 72 dpi is 9,460×9,460 pixels"
    ) as err:
        load_page(_page_pdf(tmp_path, side + 1, side + 1), 0, dpi=dpi)
    assert err.value.page == 0


def test_the_limit_applies_at_the_requested_dpi(tmp_path: Path) -> None:
    a3 = _page_pdf(tmp_path, 842, 1191)
    assert load_page(a3, 0, dpi=300).image.shape == (4963, 3509)
    with pytest.raises(InputFileError, match="at 1200 dpi"):
        load_page(a3, 0, dpi=1200)


def test_an_encrypt_key_split_across_two_reads_is_still_found(tmp_path: Path) -> None:
    path = tmp_path / "split.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b" " * (READ_CHUNK - 9 - 4) + b"/Encrypt 5 0 R\n%%EOF\n")
    assert _scan_pdf(str(path)) == (True, False)


# -- worker memory ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("3GiB", 3 * GIB),
        ("1500MiB", 1500 * MIB),
        ("2g", 2 * GIB),
        ("512", 512 * MIB),
        ("1.5G", 3 * GIB // 2),
        ("0", 0),
    ],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-1G", "3 parsecs"])
def test_bad_sizes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_size(text)


def test_auto_shares_the_machine_among_the_workers_with_a_floor() -> None:
    settings = BatchSettings()
    floor = int(settings.min_memory_per_worker_mib * MIB)
    for workers in (1, 2, 4):
        share = int(machine_memory() * settings.memory_share / workers)
        assert memory_per_worker("auto", workers, settings) == max(share, floor)
    assert memory_per_worker("auto", 10_000, settings) == int(settings.min_memory_per_worker_mib * MIB)
    assert memory_per_worker("0", 2, settings) is None
    assert memory_per_worker("2GiB", 2, settings) == 2 * GIB


def test_a_bad_max_memory_per_worker_is_checked_like_a_setting(tmp_path: Path) -> None:
    run = run_cli(tmp_path / "x.pdf", "--out", tmp_path / "out", worker_memory="plenty")
    assert run.code == 4  # like --dpi: an option value is validated as the setting it overrides
    assert "ERROR --max-memory-per-worker: " in run.stderr and "'plenty' is not a size" in run.stderr
    assert not (tmp_path / "out").exists()


LIMITED = """
import numpy as np
from extract.executors import limit_memory, run_task
limit_memory(768 << 20)
try:
    run_task(lambda _t: np.ones(1 << 30, dtype=np.uint8), None)
except Exception as exc:
    print(type(exc).__name__, exc)
print("alive", np.ones(1 << 20).sum())
"""


def test_a_limited_worker_refuses_a_large_allocation_and_lives_on() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", LIMITED],
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.splitlines()
    assert first.startswith("WorkerMemoryError MemoryError: Unable to allocate 1.00 GiB")
    assert "more memory than its limit of 0.8 GiB; see --max-memory-per-worker" in first
    assert second == "alive 1048576.0"


def test_a_page_that_reports_running_out_of_memory_says_so() -> None:
    failed = PageResult(
        source="a.pdf", page_index=0, page_count=1, dpi=0.0, width=0, height=0,
        error="a.pdf, page 1: error: OpenCV(5.1.0) alloc.cpp:73: error: (-4:Insufficient memory)\n Failed to allocate 81 bytes",
        error_stage="tables",
    )  # fmt: skip
    error = run_task(lambda _t: failed, None).error or ""
    assert "\n" not in error
    assert error.endswith(
        "(the page needed more memory than the memory available; see --max-memory-per-worker)"
    )
    other = PageResult(
        source="a.pdf",
        page_index=0,
        page_count=1,
        dpi=0.0,
        width=0,
        height=0,
        error="x: bad",
        error_stage="ocr",
    )
    assert run_task(lambda _t: other, None).error == "x: bad"


def test_a_page_tree_entry_that_is_no_page_fails_that_page_alone(tmp_path: Path) -> None:
    """Fuzz finding (seed 1, 212 cases): the reason was PDFium's bare "Failed to load page"."""
    path = tmp_path / "kids.pdf"
    path.write_bytes(
        assemble(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
                b"<< /Type /Font >>",
            ],
            b"<< /Size 5 /Root 1 0 R >>",
        )
    )
    assert load_page(path, 0, dpi=72).image.shape == (100, 100)
    with pytest.raises(InputFileError, match=r"page 2: damaged page, PDFium cannot load it") as err:
        load_page(path, 1, dpi=72)
    assert err.value.page == 1
