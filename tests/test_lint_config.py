"""The lint and type checks of the test command: the rule families ruff selects, the pinned
versions, and scripts/test.sh running ruff format, ruff check and mypy before the tests."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FAMILIES = {"E", "F", "W", "B", "I", "UP", "SIM"}

# one finding of each family: E711, F401, W291, B006, I001, UP006, SIM102
BAD = """\
import sys
import os
from typing import List


def f(x: List[int] = []) -> bool:  \n    if x:
        if x[0] == None:
            return True
    return False
"""


def test_ruff_selects_at_least_the_agreed_rule_families() -> None:
    lint = PYPROJECT["tool"]["ruff"]["lint"]
    assert set(lint["select"]) >= FAMILIES
    assert set(lint.get("ignore", [])) <= {"UP042"}  # StrEnum would change str() in the outputs


def test_the_config_finds_a_problem_of_every_family(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(BAD, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml")]
        + ["--output-format", "json", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    codes = {d["code"] for d in json.loads(out.stdout)}
    assert {"E711", "F401", "W291", "B006", "I001", "UP006", "SIM102"} <= codes, codes


def test_ruff_and_mypy_are_pinned_to_the_installed_versions() -> None:
    """Another ruff formats differently and another mypy finds other things: the dev extra pins
    exactly the versions the checks were run with."""
    pins = dict(req.split("==") for req in PYPROJECT["project"]["optional-dependencies"]["dev"])
    assert set(pins) >= {"ruff", "mypy"}
    assert pins["ruff"] == version("ruff") and pins["mypy"] == version("mypy")


def test_the_test_command_runs_the_checks_before_the_tests() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    steps = ["ruff format --check", "ruff check", "-m mypy extract", "-m pytest"]
    where = [script.find(s) for s in steps]
    assert -1 not in where and where == sorted(where), dict(zip(steps, where, strict=True))
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert 'extras="$extras,dev"' in setup  # --test installs the dev extra
