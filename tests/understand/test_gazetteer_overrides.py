"""The steps that apply configs/gazetteer.yaml to the snapshot (extract.understand.gazetteer):
one district change, one commune change, re-attaching communes to their districts, and the
whole in file order -- on a small made-up state, so each rule is seen on its own."""

from __future__ import annotations

import pytest

from extract.errors import ConfigError
from extract.model import Commune
from extract.understand.admin_units import DistrictRef, ProvinceRef
from extract.understand.gazetteer import (
    GazetteerState,
    OverrideEntry,
    UnitChange,
    _change_commune,
    _change_district,
    _index,
    _reattach,
    apply_overrides,
)

PROVINCES = {
    "22": ProvinceRef("22", "Tỉnh Quảng Ninh", "Quảng Ninh", "Tỉnh"),
    "94": ProvinceRef("94", "Tỉnh Sóc Trăng", "Sóc Trăng", "Tỉnh"),
}
HA_LONG = DistrictRef("193", "Thành phố Hạ Long", "Hạ Long", "Thành phố", "22", "Tỉnh Quảng Ninh")
KE_SACH = DistrictRef("943", "Huyện Kế Sách", "Kế Sách", "Huyện", "94", "Tỉnh Sóc Trăng")


def _commune(code: str, name: str, district: DistrictRef) -> Commune:
    unit_type, short = name.split(" ", 1) if name.startswith(("Xã ", "Phường ")) else ("Thị trấn", name[9:])
    return Commune(
        code, name, short, unit_type, district.code, district.name, district.province_code, district.province
    )


def _state() -> GazetteerState:
    communes = {
        "07030": _commune("07030", "Phường Hoành Bồ", HA_LONG),
        "07033": _commune("07033", "Xã Sơn Dương", HA_LONG),
        "31528": _commune("31528", "Thị trấn Kế Sách", KE_SACH),
        "31531": _commune("31531", "Thị trấn An Lạc Thôn", KE_SACH),
    }
    return _index(PROVINCES, {"193": HA_LONG, "943": KE_SACH}, communes)


def _change(**fields: str) -> UnitChange:
    return UnitChange.model_validate(fields)


# -- one district change ----------------------------------------------------------------------


def test_an_added_district_takes_its_type_and_province() -> None:
    districts = {"193": HA_LONG}
    communes = dict(_state().communes)
    add = _change(action="add", level="district", code="204", name="Huyện Hoành Bồ", parent="22")
    left = _change_district(add, districts, communes, PROVINCES, "x")
    assert left is communes
    assert districts["204"] == DistrictRef(
        "204", "Huyện Hoành Bồ", "Hoành Bồ", "Huyện", "22", "Tỉnh Quảng Ninh"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"action": "add", "code": "193", "name": "Huyện X", "parent": "22"},
            "x: the district exists already",
        ),
        ({"action": "add", "code": "204", "name": "Huyện X", "parent": "99"}, "x: unknown province 99"),
        ({"action": "rename", "code": "999", "name": "Huyện X"}, "x: unknown district"),
        ({"action": "remove", "code": "999"}, "x: unknown district"),
    ],
)
def test_a_district_change_with_a_bad_reference_is_a_config_error(
    change: dict[str, str], message: str
) -> None:
    districts = {"193": HA_LONG}
    with pytest.raises(ConfigError, match=f"^{message}$"):
        _change_district(_change(level="district", **change), districts, {}, PROVINCES, "x")
    assert districts == {"193": HA_LONG}


def test_a_removed_district_takes_its_communes_with_it() -> None:
    districts = {"193": HA_LONG, "943": KE_SACH}
    left = _change_district(
        _change(action="remove", level="district", code="943"),
        districts,
        dict(_state().communes),
        PROVINCES,
        "x",
    )
    assert set(districts) == {"193"}
    assert set(left) == {"07030", "07033"}


def test_a_renamed_district_gets_the_new_type_and_short_name() -> None:
    districts = {"193": HA_LONG}
    _change_district(
        _change(action="rename", level="district", code="193", name="Thị xã Hạ Long"),
        districts,
        {},
        PROVINCES,
        "x",
    )
    assert (districts["193"].name, districts["193"].short, districts["193"].unit_type) == (
        "Thị xã Hạ Long",
        "Hạ Long",
        "Thị xã",
    )
    assert districts["193"].province_code == "22"


# -- one commune change -----------------------------------------------------------------------


def test_commune_changes_add_remove_rename_and_move() -> None:
    communes = dict(_state().communes)
    _change_commune(
        _change(action="add", level="commune", code="07099", name="Xã Mới", parent="193"), communes, "x"
    )
    assert (communes["07099"].short, communes["07099"].unit_type, communes["07099"].district_code) == (
        "Mới",
        "Xã",
        "193",
    )
    assert communes["07099"].district == ""  # filled in by _reattach
    _change_commune(
        _change(action="rename", level="commune", code="07030", name="Thị trấn Trới"), communes, "x"
    )
    assert (communes["07030"].name, communes["07030"].short, communes["07030"].unit_type) == (
        "Thị trấn Trới",
        "Trới",
        "Thị trấn",
    )
    _change_commune(_change(action="move", level="commune", code="07033", parent="943"), communes, "x")
    assert communes["07033"].district_code == "943" and communes["07033"].district == HA_LONG.name
    _change_commune(_change(action="remove", level="commune", code="31531"), communes, "x")
    assert "31531" not in communes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"action": "add", "code": "07030", "name": "Xã X", "parent": "193"},
            "x: the commune exists already",
        ),
        ({"action": "rename", "code": "99999", "name": "Xã X"}, "x: unknown commune"),
        ({"action": "move", "code": "99999", "parent": "193"}, "x: unknown commune"),
        ({"action": "remove", "code": "99999"}, "x: unknown commune"),
    ],
)
def test_a_commune_change_with_a_bad_reference_is_a_config_error(
    change: dict[str, str], message: str
) -> None:
    communes = dict(_state().communes)
    with pytest.raises(ConfigError, match=f"^{message}$"):
        _change_commune(_change(level="commune", **change), communes, "x")
    assert communes == _state().communes


# -- re-attaching communes --------------------------------------------------------------------


def test_reattach_gives_each_commune_its_districts_names_and_keeps_the_unchanged_ones() -> None:
    communes = dict(_state().communes)
    moved = Commune("07033", "Xã Sơn Dương", "Sơn Dương", "Xã", "943", HA_LONG.name, "22", "Tỉnh Quảng Ninh")
    communes["07033"] = moved
    fixed = _reattach(communes, {"193": HA_LONG, "943": KE_SACH}, "g.yaml")
    assert (fixed["07033"].district, fixed["07033"].province_code, fixed["07033"].province) == (
        "Huyện Kế Sách",
        "94",
        "Tỉnh Sóc Trăng",
    )
    assert fixed["07030"] is communes["07030"]  # already right: the same object, not a copy


def test_reattach_refuses_a_commune_under_an_unknown_district() -> None:
    communes = dict(_state().communes)
    with pytest.raises(ConfigError, match=r"^g.yaml: commune 31528 is under unknown district 943$"):
        _reattach(communes, {"193": HA_LONG}, "g.yaml")


# -- the whole, in file order -----------------------------------------------------------------


def test_overrides_apply_in_order_and_reindex_the_districts() -> None:
    base = _state()
    entry = OverrideEntry.model_validate(
        {
            "until": 2019,
            "changes": [
                {
                    "action": "add",
                    "level": "district",
                    "code": "204",
                    "name": "Huyện Hoành Bồ",
                    "parent": "22",
                },
                {"action": "move", "level": "commune", "code": "07030", "parent": "204"},
                {"action": "rename", "level": "commune", "code": "07030", "name": "Thị trấn Trới"},
            ],
        }
    )
    state = apply_overrides(base, [entry], "g.yaml")
    assert state.by_district["204"] == ("07030",) and state.by_district["193"] == ("07033",)
    trodi = state.communes["07030"]
    assert (trodi.name, trodi.district, trodi.province) == (
        "Thị trấn Trới",
        "Huyện Hoành Bồ",
        "Tỉnh Quảng Ninh",
    )
    assert base.communes["07030"].name == "Phường Hoành Bồ" and "204" not in base.districts  # base untouched


def test_a_change_sees_the_changes_before_it() -> None:
    rename = {"action": "rename", "level": "commune", "code": "31531", "name": "Xã An Lạc"}
    remove = {"action": "remove", "level": "commune", "code": "31531"}
    renamed_then_removed = OverrideEntry.model_validate({"changes": [rename, remove]})
    assert "31531" not in apply_overrides(_state(), [renamed_then_removed], "g.yaml").communes
    removed_then_renamed = OverrideEntry.model_validate({"changes": [remove, rename]})
    with pytest.raises(ConfigError, match="^g.yaml: rename commune 31531: unknown commune$"):
        apply_overrides(_state(), [removed_then_renamed], "g.yaml")
