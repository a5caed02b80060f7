"""The commune-list thresholds of extract.understand.rows are settings (``document.rows`` of
configs/pipeline.yaml), read once and passed down: changing them changes the decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extract.config import load_config
from extract.errors import ConfigError
from extract.understand.gazetteer import Gazetteer
from extract.understand.rows import RowSettings, classify_rows, mark_doubtful_rows, missing_rows

REPO_CONFIGS = Path(__file__).resolve().parents[2] / "configs"


KE_SACH = Gazetteer.load().communes("943", 2019)
NAMES = [c.name for c in KE_SACH.communes]  # in the order of their codes


def test_the_repository_settings_keep_the_values_the_module_had() -> None:
    rows = load_config(REPO_CONFIGS).document.rows
    assert rows == RowSettings()
    assert (rows.place_anchors_min, rows.missing_communes_min) == (4, 3)


def test_place_anchors_min_decides_whether_a_short_list_gives_communes_by_place() -> None:
    # four communes of the district, the third under a seal: three anchors in code order
    printed = [("1", NAMES[0]), ("2", NAMES[1]), ("3", "Là"), ("4", NAMES[3])]
    indices, labels = [i for i, _ in printed], [lbl for _, lbl in printed]
    # Ke Sach lists more communes than these: the absent one between NAMES[1] and NAMES[3] is NAMES[2]
    default = classify_rows(indices, labels, KE_SACH, commune_rows=True)
    assert default[2].commune is None  # 3 anchors < 4: the list is not judged in code order
    three = classify_rows(
        indices, labels, KE_SACH, commune_rows=True, settings=RowSettings(place_anchors_min=3)
    )
    assert three[2].commune is not None and three[2].commune.commune.name == NAMES[2]
    assert "place in the list" in (three[2].problem or "")


def test_missing_communes_min_decides_when_a_group_lists_the_district() -> None:
    rows = classify_rows(["1", "2", "3"], [NAMES[0], NAMES[1], "Ban quản lý"], KE_SACH, commune_rows=True)
    assert missing_rows(rows, KE_SACH) == {}  # two communes only mention a commune or two
    assert mark_doubtful_rows(rows, KE_SACH)[2].problem is None
    two = RowSettings(missing_communes_min=2)
    assert "communes of" in missing_rows(rows, KE_SACH, two)[""]
    assert "names no commune" in (mark_doubtful_rows(rows, KE_SACH, two)[2].problem or "")


def test_a_bad_rows_setting_is_refused_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    for path in REPO_CONFIGS.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
        else:
            (folder / path.name).symlink_to(path)
    data = yaml.safe_load((REPO_CONFIGS / "pipeline.yaml").read_text(encoding="utf-8"))
    data["document"]["rows"]["place_anchors_min"] = 1
    (folder / "pipeline.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="place_anchors_min"):
        load_config(folder)


def test_a_huge_misread_stt_is_named_not_expanded_into_missing_rows() -> None:
    # a sub-item's cell of digits read as its STT ("1.2019123456") once made missing_rows build a
    # set of two billion numbers: MemoryError took the whole document down (dev 177, 3 GiB limit)
    labels = ["Mục một", "Mục con", "Mục con", "Mục con"]
    rows = classify_rows(["1", "1.1", "1.2019123456", "1.4"], labels, None, commune_rows=False)
    found = missing_rows(rows, None)["1"]
    assert "2019123456 not a row number" in found
    assert "STT 2, 3 not found" in found  # the plausible numbers are still checked for gaps
    short = classify_rows(["1", "1.1", "1.2", "1.12"], labels, None, commune_rows=False)
    assert "STT 3" in missing_rows(short, None)["1"]  # under the default bound: a gap
    assert "12 not a row number" in missing_rows(short, None, RowSettings(stt_max=10))["1"]
