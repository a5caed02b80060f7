"""Typed options from the command line to the page task (extract.task_options.TaskOptions): built
and checked once in the CLI, one line naming the option on a bad value (exit 4, like the setting
it stands for), carried unchanged by every page task, and used by the real page task."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
from batch_fakes import functions
from batch_helpers import write_good
from pdfbytes import pdf_bytes

from extract.cli import main
from extract.errors import ConfigError, OptionError
from extract.page import PageSettings, PageTask, process_page
from extract.task_options import TaskOptions

EXIT_CONFIG = 4
EXIT_USAGE = 2
MAX_DPI = PageSettings.model_fields["dpi"].metadata[1].le  # the setting's own bound: 1200


def test_unset_options_leave_the_settings_as_they_are() -> None:
    assert TaskOptions().dpi is None
    assert PageTask("a.pdf", 0, "d").options == TaskOptions()


@pytest.mark.parametrize("dpi", [1, 72, 150.5, 300, MAX_DPI])
def test_a_good_dpi_is_kept_as_a_float(dpi: float) -> None:
    options = TaskOptions(dpi=dpi)
    assert options.dpi == dpi and isinstance(options.dpi, float)


@pytest.mark.parametrize(
    ("dpi", "problem"),
    [
        (-5.0, "greater than 0"),
        (0, "greater than 0"),
        (MAX_DPI + 1, f"less than or equal to {MAX_DPI}"),
        (math.inf, f"less than or equal to {MAX_DPI}"),
        (math.nan, "(got nan)"),
        ("300", "a valid number"),
        (True, "a valid number"),
        ([300], "a valid number"),
    ],
)
def test_a_bad_dpi_is_one_line_naming_the_option(dpi: object, problem: str) -> None:
    with pytest.raises(OptionError) as caught:
        TaskOptions(dpi=dpi)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith("--dpi: ") and problem in message and "\n" not in message
    assert isinstance(caught.value, ConfigError) and caught.value.exit_code == EXIT_CONFIG


def test_options_are_frozen() -> None:
    options = TaskOptions(dpi=200)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.dpi = 300  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("5000", EXIT_CONFIG, ["--dpi: ", "less than or equal to 1200", "(got 5000.0)"]),
        ("-1", EXIT_CONFIG, ["--dpi: ", "greater than 0"]),
        ("nan", EXIT_CONFIG, ["--dpi: ", "(got nan)"]),
        ("lots", EXIT_USAGE, ["--dpi", "invalid float value"]),
    ],
)
def test_the_command_refuses_a_bad_dpi_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, code: int, words: list[str]
) -> None:
    write_good(tmp_path / "in", {"a.pdf": 1})
    out = tmp_path / "out"
    assert (
        main([str(tmp_path / "in"), "--out", str(out), "--serial", "--dpi", value], functions=functions())
        == code
    )
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "error" in line.lower()]
    assert len(lines) == 1 and all(w in lines[0] for w in words), err
    assert "Traceback" not in err and not out.exists()


def test_the_commands_options_reach_every_page_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_good(tmp_path / "in", {"a.pdf": 2, "b.pdf": 1})
    seen = tmp_path / "options.jsonl"
    monkeypatch.setenv("BATCH_FAKE_OPTIONS", str(seen))
    common = [str(tmp_path / "in"), "--serial", "--no-progress", "--format", "sqlite"]
    assert main([*common, "--out", str(tmp_path / "out"), "--dpi", "123"], functions=functions()) == 0
    assert [json.loads(line) for line in seen.read_text().splitlines()] == [{"dpi": 123.0}] * 3
    seen.unlink()
    assert main([*common, "--out", str(tmp_path / "out2")], functions=functions()) == 0
    assert [json.loads(line) for line in seen.read_text().splitlines()] == [{"dpi": None}] * 3


def test_the_page_task_renders_at_the_options_dpi(tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(pdf_bytes(1, 360))  # 360 x 400 pt
    default = process_page(PageTask(str(pdf), 0, "d"))
    chosen = process_page(PageTask(str(pdf), 0, "d", None, TaskOptions(dpi=144)))
    assert default.error is None and chosen.error is None
    assert chosen.dpi == 144 and default.dpi == PageSettings().dpi
    assert (chosen.width, chosen.height) == (720, 800)  # 5 x 5.56 inches at 144 dpi
