"""Today's administrative units beside the report's: the post-2025 successors of pre-2025 units.

On 1 July 2025 Vietnam abolished the district level and merged provinces and communes.  An
archive of pre-2025 reports joins to today's units through the successors here, taken offline
from ``vietnamadminunits``' own 2025 converter data (``data/converter_2025.json``: which old
communes became which new commune, and where an old commune was split, every new commune that
received part of it) and its two unit tables (``admin_units_legacy`` for the old keys of an old
code, ``admin_units`` for the new names and codes).  Nothing here geocodes, and units are never
matched by code across the reform: codes were reused in 2025, so old and new codes sit in
separate columns.

- a commune's successors: the new commune(s) it became part of (several when it was split);
- a district's successor: the new province(s) its communes are in (districts no longer exist).

Units that the package's table lacks (e.g. ``configs/gazetteer.yaml`` overrides for units merged
before 2025) have no successor: the columns stay empty.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

SEPARATOR = "; "  # between the successors of a unit that was split


@dataclass(frozen=True)
class Successor:
    """The post-2025 unit(s) that replaced a pre-2025 unit (several: ``SEPARATOR``-joined)."""

    code: str  # new commune codes (5 digits), or new province codes (2 digits) for a district
    name: str
    province_code: str
    province: str


def _query(sql: str) -> list[dict[str, Any]]:
    from vietnamadminunits.database import query

    return list(query(sql))


def _join(units: list[tuple[str, str, str, str]]) -> Successor | None:
    if not units:
        return None
    units = sorted(dict.fromkeys(units))
    provinces = list(dict.fromkeys((u[2], u[3]) for u in units))
    return Successor(
        code=SEPARATOR.join(u[0] for u in units),
        name=SEPARATOR.join(u[1] for u in units),
        province_code=SEPARATOR.join(p[0] for p in provinces),
        province=SEPARATOR.join(p[1] for p in provinces),
    )


@functools.lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Successor], dict[str, Successor]]:
    """(old commune code -> successor, old district code -> successor provinces)."""
    data = json.loads(
        resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text(encoding="utf-8")
    )
    new_units = {
        (r["provinceKey"], r["wardKey"]): (r["wardCode"], r["ward"], r["provinceCode"], r["province"])
        for r in _query(
            "SELECT provinceKey, wardKey, wardCode, ward, provinceCode, province FROM admin_units"
        )
    }
    old_to_new: dict[str, list[tuple[str, str, str, str]]] = {}
    for province_key, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            unit = new_units.get((province_key, ward_key))
            if unit is not None:
                for old in olds:
                    old_to_new.setdefault(old, []).append(unit)
    for province_key, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                unit = new_units.get((province_key, part["newWardKey"]))
                if unit is not None:
                    old_to_new.setdefault(old, []).append(unit)
    communes: dict[str, Successor] = {}
    per_district: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in _query(
        "SELECT provinceKey, districtKey, wardKey, wardCode, districtCode FROM admin_units_legacy"
    ):
        units = old_to_new.get(f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}", [])
        found = _join(units)
        if found is not None:
            communes[r["wardCode"]] = found
            per_district.setdefault(r["districtCode"], []).extend((u[2], u[3], u[2], u[3]) for u in units)
    districts = {code: s for code, units in per_district.items() if (s := _join(units)) is not None}
    return communes, districts


def commune_successor(code: str | None) -> Successor | None:
    """The new commune(s) that old commune ``code`` became (part of); ``None`` when unknown."""
    return _index()[0].get(code) if code else None


def district_successor(code: str | None) -> Successor | None:
    """The new province(s) holding the communes of old district ``code`` (``code``/``name`` are
    the provinces too: districts were abolished); ``None`` when unknown."""
    return _index()[1].get(code) if code else None


__all__ = ["SEPARATOR", "Successor", "commune_successor", "district_successor"]
