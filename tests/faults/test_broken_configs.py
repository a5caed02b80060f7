"""Broken configs and option values through the real command (issue 10, item 5; built by issue
11's settings): exit 4 with one line before any page or output, and once fixed the same command
computes everything (nothing computed under the broken configuration is kept as final)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from faults_cli import REPO, assert_clean_stderr, manifest_files, run_cli

from tests.batch.pdfbytes import pdf_bytes

EXIT_CONFIG = 4

# (file under configs/ or an option, its broken text or value, words of the one error line)
BROKEN: list[tuple[str, str, str]] = [
    ("forms/5B.yaml", "code: [5B\n", "invalid YAML"),
    ("forms/5B.yaml", "", "empty form file"),
    ("gazetteer.yaml", "overrides: [\n", "invalid YAML"),
    ("pipeline.yaml", "page:\n  dpi: -5\n", "dpi"),
    ("pipeline.yaml", "batch:\n  max_memory_per_worker: plenty\n", "'plenty' is not a size"),
    ("pipeline.yaml", "batch:\n  max_member_mib: 0\n", "max_member_mib"),
    ("--dpi", "-5", "--dpi"),
    ("--max-memory-per-worker", "lots", "--max-memory-per-worker"),
]


@pytest.mark.parametrize(("where", "broken", "expect"), BROKEN, ids=[f"{w}={b!r}" for w, b, _ in BROKEN])
def test_a_broken_config_stops_before_any_page_and_the_fixed_run_computes(
    tmp_path: Path, where: str, broken: str, expect: str
) -> None:
    configs = tmp_path / "configs"
    shutil.copytree(REPO / "configs", configs)
    good = tmp_path / "in" / "blank.pdf"
    good.parent.mkdir()
    good.write_bytes(pdf_bytes(1, 300))
    out = tmp_path / "out"
    args: list[str | Path] = [good, "--out", out, "--configs", configs]
    if where.startswith("--"):
        run = run_cli(*args, where, broken)
    else:
        (configs / where).write_text(broken, encoding="utf-8")
        run = run_cli(*args)
    assert run.code == EXIT_CONFIG, run.stderr[-2000:]
    assert_clean_stderr(run)
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and expect in errors[0], run.stderr
    assert not out.exists()  # no page computed, nothing written
    if not where.startswith("--"):
        shutil.copyfile(REPO / "configs" / where, configs / where)
    fixed = run_cli(*args)
    assert fixed.code == 0, fixed.stderr[-2000:]
    assert "computed 1 page(s)" in fixed.stderr
    assert manifest_files(out)[str(good)][0] == "no_tables"
