"""One source of settings: a custom configs folder reaches every stage of a real run, and every
config file and option is checked before the first page (exit 4, one line, nothing written)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from extract import cli
from extract.config import ConfigError, load_config
from tests.repo_data import ROOT as REPO

SAMPLE = REPO / "samples" / "5B_clean_300.pdf"  # one page: a 5B table of Kế Sách's communes
sys.path.insert(0, str(REPO / "tests" / "batch"))
from batch_fakes import functions
from pdfbytes import pdf_bytes


def write_good(folder: Path, names_pages: dict[str, int]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, (name, pages) in enumerate(names_pages.items()):
        (folder / name).write_bytes(pdf_bytes(pages, 301 + n))


#: section -> (field, custom value): one changed threshold per stage that reads pipeline.yaml
CHANGES: dict[str, tuple[str, Any]] = {
    "page": ("dpi", 150.0),
    "preprocess": ("min_skew_deg", 0.37),
    "tables": ("min_rows", 3),
    "ocr": ("escalate_below", 87.0),
    "orientation": ("min_characters", 41),
    "document": ("title_lines", 5),
    "forms": ("title_confirm", 99.0),
    "communes": ("min_lead", 9.0),
    "validate": ("min_confidence", 79.0),
    "batch": ("formats", ["sqlite", "parquet"]),
}


def custom_configs(folder: Path, changes: dict[str, tuple[str, Any]] = CHANGES) -> Path:
    shutil.copytree(REPO / "configs", folder)
    data = yaml.safe_load((folder / "pipeline.yaml").read_text(encoding="utf-8"))
    for section, (name, value) in changes.items():
        data.setdefault(section, {})[name] = value
    (folder / "pipeline.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_custom_configs_folder_reaches_every_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extract import orientation, preprocess, validate
    from extract.ocr import reader
    from extract.tables import detect
    from extract.understand import forms
    from extract.understand.gazetteer import Gazetteer

    seen: dict[str, list[Any]] = {}

    def spy(module: Any, name: str, section: str, pick: Any) -> None:
        real = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen.setdefault(section, []).append(pick(args, kwargs))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    spy(preprocess, "prepare_page", "preprocess", lambda a, k: k["settings"])
    spy(detect, "detect_tables", "tables", lambda a, k: a[1])
    spy(reader, "read_table", "ocr", lambda a, k: a[4])
    spy(orientation, "reads_upright", "orientation", lambda a, k: a[2])
    spy(forms, "identify_form", "forms", lambda a, k: a[2])
    spy(forms, "split_header", "forms", lambda a, k: a[2])
    spy(validate, "validate_document", "validate", lambda a, k: a[2])
    real_communes = Gazetteer.communes

    def communes(self: Gazetteer, code: str, year: int | None, settings: Any = None) -> Any:
        seen.setdefault("communes", []).append(settings)
        return real_communes(self, code, year, settings)

    monkeypatch.setattr(Gazetteer, "communes", communes)
    configs = custom_configs(tmp_path / "configs")
    out = tmp_path / "out"
    rc = cli.main([str(SAMPLE), "--out", str(out), "--serial", "--no-progress", "--configs", str(configs)])
    assert rc == 0
    for section in ("preprocess", "tables", "ocr", "orientation", "forms", "communes", "validate"):
        name, value = CHANGES[section]
        assert seen.get(section), f"stage {section} was not reached"
        assert {getattr(s, name) for s in seen[section]} == {value}, section
    # page.dpi: the page was rendered at the custom resolution; batch.formats: the outputs chosen
    from extract import load_results

    loaded = load_results(out)
    assert set(loaded["pages"]["dpi"]) == {150.0}
    assert (out / "results.sqlite").exists() and (out / "parquet").is_dir() and not (out / "csv").exists()
    # document.title_lines: the settings object assembly received
    assert load_config(configs).document.title_lines == 5


@pytest.mark.parametrize(
    ("where", "text", "expect"),
    [
        ("forms/5B.yaml", "code: [5B\n", "invalid YAML"),
        ("forms/5B.yaml", "", "empty form file"),
        ("forms/5B.yaml", "code: 5B\ntitle: x\nlabel_column: 3\ncolumns: nope\n", "columns"),
        ("gazetteer.yaml", "overrides: 12\n", "gazetteer.yaml"),
        ("gazetteer.yaml", "overrides:\n  - {kind: nonsense}\n", "overrides.0.kind: Extra inputs"),
        ("gazetteer.yaml", "overrides: [\n", "invalid YAML"),
        ("pipeline.yaml", "page:\n  dpi: -5\n", "dpi"),
        ("pipeline.yaml", "ocr:\n  engine: magic\n", "engine"),
        ("pipeline.yaml", "pages:\n  dpi: 300\n", "unknown section"),
    ],
)
def test_a_broken_config_stops_the_run_before_the_first_page(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: str,
    text: str,
    expect: str,
) -> None:
    write_good(tmp_path / "in", {"a.pdf": 2})
    configs = custom_configs(tmp_path / "configs", {})
    good = (configs / where).read_text(encoding="utf-8") if (configs / where).exists() else None
    (configs / where).write_text(text, encoding="utf-8")
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("BATCH_FAKE_CALLS", str(calls))
    out = tmp_path / "out"
    args = [str(tmp_path / "in"), "--out", str(out), "--serial", "--no-progress", "--configs", str(configs)]
    assert cli.main(args, functions=functions()) == 4
    err = capsys.readouterr().err
    assert expect in err and where.split("/")[-1] in err and "Traceback" not in err
    assert len([ln for ln in err.splitlines() if ln.startswith("ERROR")]) == 1
    assert not calls.exists() and not out.exists()  # no page computed, nothing written
    if good is None:
        (configs / where).unlink()
    else:
        (configs / where).write_text(good, encoding="utf-8")
    assert cli.main(args, functions=functions()) == 0  # the fixed configs: computed, not "already complete"
    assert calls.exists()


def test_an_option_value_is_checked_like_a_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_good(tmp_path / "in", {"a.pdf": 1})
    out = tmp_path / "out"
    assert cli.main([str(tmp_path / "in"), "--out", str(out), "--dpi", "-5"], functions=functions()) == 4
    err = capsys.readouterr().err
    assert "--dpi" in err and "greater than 0" in err and not out.exists()


def test_settings_are_loaded_once_per_folder_and_overrides_are_validated(tmp_path: Path) -> None:
    configs = custom_configs(tmp_path / "c", {"page": ("dpi", 222.0)})
    first = load_config(configs)
    assert load_config(configs) is first and first.page.dpi == 222.0
    assert first.override("page", "--dpi", dpi=300).page.dpi == 300 and first.page.dpi == 222.0
    with pytest.raises(ConfigError, match="--dpi"):
        first.override("page", "--dpi", dpi=0)
    stages = first.page_stages()
    assert (stages.page, stages.ocr, stages.tables) == (first.page, first.ocr, first.tables)


def _config_failure(task: Any) -> Any:
    from extract.model import PageResult

    return PageResult(
        task.path, task.page_index, 1, 0.0, 0, 0, error=f"{task.path}: bad settings", error_stage="config"
    )


def test_pages_that_failed_on_their_configuration_are_recomputed_by_a_plain_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    write_good(tmp_path / "in", {"a.pdf": 1})
    out = tmp_path / "out"
    args = [str(tmp_path / "in"), "--out", str(out), "--serial", "--no-progress"]
    broken = dataclasses.replace(functions(), process_page=_config_failure)
    assert cli.main(args, functions=broken) == 1  # as an older version stored it: failed, stage config
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("BATCH_FAKE_CALLS", str(calls))
    assert cli.main(args, functions=functions()) == 0  # no --retry-failed needed
    assert calls.exists()
