"""Administrative units above the commune, as the gazetteer gives them: provinces and districts
with their official GSO codes (province 2 digits, district 3).  Communes are
:class:`extract.model.Commune` (code 5 digits).  Plain records, shared by the gazetteer
(:mod:`extract.understand.gazetteer`) and the commune matcher (:mod:`extract.understand.communes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class ProvinceRef:
    """A province-level unit: ``code`` 2 digits, ``name`` "Tỉnh Sóc Trăng", ``short`` "Sóc Trăng"."""

    code: str
    name: str
    short: str
    unit_type: str
    score: float = 100.0


@dataclass(frozen=True)
class DistrictRef:
    """A district-level unit: ``code`` 3 digits, ``name`` "Huyện Kế Sách", ``short`` "Kế Sách"."""

    code: str
    name: str
    short: str
    unit_type: str
    province_code: str
    province: str
    score: float = 100.0  # how well the text named it, 0..100


def split_type(name: str, types: Sequence[str]) -> tuple[str, str]:
    """("Huyện Kế Sách", types) -> ("Huyện", "Kế Sách"); the type is "" when none is printed."""
    for t in sorted(types, key=len, reverse=True):
        if name.startswith(t + " "):
            return t, name[len(t) + 1 :]
    return "", name


PROVINCE_TYPES: Final = ("Tỉnh", "Thành phố")
DISTRICT_TYPES: Final = ("Huyện", "Quận", "Thị xã", "Thành phố")
COMMUNE_TYPES: Final = ("Xã", "Phường", "Thị trấn")


__all__ = [
    "COMMUNE_TYPES",
    "DISTRICT_TYPES",
    "PROVINCE_TYPES",
    "DistrictRef",
    "ProvinceRef",
    "split_type",
]
