"""Fuzzing discovery and ingest with Hypothesis (a few hundred cases; ``bench/fuzz_inputs.py``
runs thousands), and every finding of that fuzzing kept as a regression test."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bench.fuzz_inputs import SEEDS, Case, cases, probe
from extract.inputs import expand_inputs

FUZZ_CASES = 300  # about 2 s; the benchmark script runs 5,000+


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the corrupt TIFF tags it skips
@settings(max_examples=FUZZ_CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_mutated_inputs_are_read_or_refused_with_an_input_file_error(case: Case) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        probe(case, Path(tmp))  # raises Finding on anything but reading or an InputFileError


def test_every_seed_is_read_cleanly(tmp_path: Path) -> None:
    """The unmutated seeds are valid: the fuzzer starts from files that are read, not refused."""
    from bench.fuzz_inputs import Tally

    tally = Tally()
    for name, data in SEEDS.items():
        probe(Case(name, data), tmp_path, tally)
    assert tally.refused == {}
    assert tally.files == len(SEEDS) + 1  # the archive holds two files
    assert tally.pages == tally.files + 1  # two.tiff has two pages


def test_finding_a_zip_member_whose_deflate_stream_is_broken_fails_alone(tmp_path: Path) -> None:
    """Fuzz finding (seed 0): zlib.error escaped expand_inputs ("invalid distance code")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bad.pdf", SEEDS["text.pdf"])
        zf.writestr("good.png", SEEDS["page.png"])
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("bad.pdf")
    start = info.header_offset + 30 + len(info.filename)  # the member's compressed bytes
    data[start : start + info.compress_size] = b"\xff" * info.compress_size  # no valid deflate block
    archive = tmp_path / "broken.zip"
    archive.write_bytes(bytes(data))
    items = {i.source.split("!")[1]: i for i in expand_inputs([str(archive)], tmp_path / "cache")}
    assert items["bad.pdf"].status == "failed"
    assert "cannot extract archive member" in (items["bad.pdf"].problem or "")
    assert "while decompressing data" in (items["bad.pdf"].problem or "")
    assert items["good.png"].ok
    assert Path(items["good.png"].path).read_bytes() == SEEDS["page.png"]
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")] == []


def test_finding_a_zip_of_an_unsupported_version_is_refused_as_an_archive(tmp_path: Path) -> None:
    """Fuzz finding (random draw): ``NotImplementedError: zip file version 23.5`` escaped
    expand_inputs when a mutated byte raised the central directory's "version needed"."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("page.png", SEEDS["page.png"])
    data = bytearray(buffer.getvalue())
    entry = data.index(b"PK\x01\x02")  # the central directory entry
    data[entry + 6 : entry + 8] = (235).to_bytes(2, "little")  # version needed to extract: 23.5
    archive = tmp_path / "future.zip"
    archive.write_bytes(bytes(data))
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(archive)  # what the standard library does with it
    (item,) = expand_inputs([str(archive)], tmp_path / "cache")
    assert item.status == "failed"
    assert "not a readable zip archive" in (item.problem or "")
    assert "zip file version" in (item.problem or "")
