"""The gazetteer: provinces, districts and communes with official codes, per report year.

Data come offline from the MIT package ``vietnamadminunits`` (its pre-2025 63-province table
``admin_units_legacy``, read with ``vietnamadminunits.database.query``; nothing here geocodes).
That table is a snapshot taken just before the 2025 reform, so units merged away earlier
(2019-2024) are missing: ``configs/gazetteer.yaml`` adds, removes, renames and moves units for
a range of report years (see :class:`OverrideEntry`).  The snapshot is built once per process
and cached on disk (:mod:`extract.understand.gazetteer_cache`).

Codes are the official GSO codes: province 2 digits, district 3, commune 5.  :class:`Gazetteer`
finds the province and district a text names and hands out the communes of one district, ready
to match row labels (:class:`extract.understand.communes.DistrictCommunes`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extract.config import config_dir
from extract.errors import ConfigError, MissingDependencyError
from extract.folding import fold
from extract.model import Commune

from .admin_units import COMMUNE_TYPES, DISTRICT_TYPES, PROVINCE_TYPES, DistrictRef, ProvinceRef, split_type
from .communes import DistrictCommunes, MatchSettings, label_key, similarity, strip_prefix, syllables_ok
from .gazetteer_cache import load_or_build

# unit-type words before a district or province name, folded, longest first
DISTRICT_PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("thanh pho", "Thành phố"),
    ("thi xa", "Thị xã"),
    ("huyen", "Huyện"),
    ("quan", "Quận"),
    ("tp", "Thành phố"),
    ("tx", "Thị xã"),
    ("h", "Huyện"),
    ("q", "Quận"),
)

PROVINCE_PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("thanh pho", "Thành phố"),
    ("tinh", "Tỉnh"),
    ("tp", "Thành phố"),
)


# --------------------------------------------------------------------------------------------
# overrides (configs/gazetteer.yaml)


class UnitChange(BaseModel):
    """One change to the snapshot.

    - ``add``: a new unit ``code`` named ``name`` (full, with its type: "Huyện Hoành Bồ") under
      ``parent`` (a province code for a district, a district code for a commune);
    - ``remove``: drop unit ``code`` (a district with its communes);
    - ``rename``: give unit ``code`` the full ``name``;
    - ``move``: put commune ``code`` under district ``parent``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Literal["add", "remove", "rename", "move"]
    level: Literal["district", "commune"]
    code: str = Field(pattern=r"^[0-9]{3}$|^[0-9]{5}$")
    name: str | None = None
    parent: str | None = Field(default=None, pattern=r"^[0-9]{2,3}$")

    @model_validator(mode="after")
    def _check(self) -> UnitChange:
        if len(self.code) != (3 if self.level == "district" else 5):
            raise ValueError(f"{self.level} code {self.code!r} has the wrong length")
        if self.action in ("add", "rename") and not self.name:
            raise ValueError(f"{self.action} {self.code} needs a name")
        if self.action in ("add", "move") and not self.parent:
            raise ValueError(f"{self.action} {self.code} needs a parent")
        if self.action == "move" and self.level != "commune":
            raise ValueError("only communes move between districts")
        return self


class OverrideEntry(BaseModel):
    """Changes valid for reports of years ``since``..``until`` (inclusive; ``None`` is open)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    since: int | None = None
    until: int | None = None
    source: str = ""  # the legal act behind the change
    note: str = ""
    changes: list[UnitChange] = Field(min_length=1)

    def applies(self, year: int | None) -> bool:
        if year is None:
            return False
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)


class GazetteerFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    overrides: list[OverrideEntry] = Field(default_factory=list)


def read_overrides(path: str | os.PathLike[str]) -> GazetteerFile:
    """Parse and validate a gazetteer override file; :class:`ConfigError` when invalid."""
    import yaml

    from ..config import load_yaml_text

    p = Path(path)
    try:
        data = load_yaml_text(p.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"{p}: gazetteer overrides not found") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: invalid YAML: {exc}") from exc
    try:
        return GazetteerFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{p}: {exc}") from exc


# --------------------------------------------------------------------------------------------
# the snapshot


@dataclass(frozen=True)
class GazetteerState:
    """Units valid for one report year."""

    provinces: dict[str, ProvinceRef]
    districts: dict[str, DistrictRef]
    communes: dict[str, Commune]  # by code
    by_district: dict[str, tuple[str, ...]]  # district code -> commune codes


@functools.lru_cache(maxsize=1)
def snapshot() -> GazetteerState:
    """The package's pre-2025 table, read once per process (and cached on disk per release)."""
    return load_or_build(build_snapshot, GazetteerState)


def build_snapshot() -> GazetteerState:
    """The package's pre-2025 table as a :class:`GazetteerState`."""
    try:
        from vietnamadminunits.database import query
    except ImportError as exc:  # pragma: no cover - the package is a declared dependency
        raise MissingDependencyError(
            "the gazetteer needs the package 'vietnamadminunits' (pip install vietnamadminunits)"
        ) from exc
    rows = query(
        "SELECT province, provinceShort, provinceCode, district, districtShort, districtType, "
        "districtCode, ward, wardShort, wardType, wardCode FROM admin_units_legacy"
    )
    provinces: dict[str, ProvinceRef] = {}
    districts: dict[str, DistrictRef] = {}
    communes: dict[str, Commune] = {}
    for r in rows:
        pcode = r["provinceCode"]
        if pcode not in provinces:
            ptype, _ = split_type(r["province"], PROVINCE_TYPES)
            provinces[pcode] = ProvinceRef(pcode, r["province"], r["provinceShort"], ptype)
        dcode = r["districtCode"]
        if dcode not in districts:
            districts[dcode] = DistrictRef(
                dcode,
                r["district"],
                split_type(r["district"], DISTRICT_TYPES)[1],
                r["districtType"],
                pcode,
                r["province"],
            )
        if r["wardCode"]:
            communes[r["wardCode"]] = Commune(
                code=r["wardCode"],
                name=r["ward"],
                short=split_type(r["ward"], COMMUNE_TYPES)[1],
                unit_type=r["wardType"],
                district_code=dcode,
                district=r["district"],
                province_code=pcode,
                province=r["province"],
            )
    return _index(provinces, districts, communes)


def _index(
    provinces: dict[str, ProvinceRef], districts: dict[str, DistrictRef], communes: dict[str, Commune]
) -> GazetteerState:
    by_district: dict[str, list[str]] = {d: [] for d in districts}
    for c in sorted(communes.values(), key=lambda c: c.code):
        by_district.setdefault(c.district_code, []).append(c.code)
    return GazetteerState(provinces, districts, communes, {d: tuple(v) for d, v in by_district.items()})


def apply_overrides(base: GazetteerState, entries: Sequence[OverrideEntry], where: str) -> GazetteerState:
    """The snapshot with ``entries`` applied in order; :class:`ConfigError` on a bad reference
    (``where`` names the override file in the message)."""
    districts = dict(base.districts)
    communes = dict(base.communes)
    for entry in entries:
        for change in entry.changes:
            what = f"{where}: {change.action} {change.level} {change.code}"
            if change.level == "district":
                communes = _change_district(change, districts, communes, base.provinces, what)
            else:
                _change_commune(change, communes, what)
    return _index(base.provinces, districts, _reattach(communes, districts, where))


def _change_district(
    change: UnitChange,
    districts: dict[str, DistrictRef],
    communes: dict[str, Commune],
    provinces: dict[str, ProvinceRef],
    what: str,
) -> dict[str, Commune]:
    """Apply one district change to ``districts`` (in place); returns the communes left (a
    removed district takes its communes with it).  ``what`` starts every error message."""
    if change.action == "add":
        if change.code in districts:
            raise ConfigError(f"{what}: the district exists already")
        province = provinces.get(change.parent or "")
        if province is None:
            raise ConfigError(f"{what}: unknown province {change.parent}")
        unit_type, short = split_type(change.name or "", DISTRICT_TYPES)
        districts[change.code] = DistrictRef(
            change.code, change.name or "", short, unit_type, province.code, province.name
        )
    elif change.code not in districts:
        raise ConfigError(f"{what}: unknown district")
    elif change.action == "remove":
        del districts[change.code]
        return {k: c for k, c in communes.items() if c.district_code != change.code}
    elif change.action == "rename":
        unit_type, short = split_type(change.name or "", DISTRICT_TYPES)
        districts[change.code] = replace(
            districts[change.code], name=change.name or "", short=short, unit_type=unit_type
        )
    return communes


def _change_commune(change: UnitChange, communes: dict[str, Commune], what: str) -> None:
    """Apply one commune change to ``communes`` (in place).  An added or moved commune names
    only its district here: :func:`_reattach` fills in the district's names and province."""
    if change.action == "add":
        if change.code in communes:
            raise ConfigError(f"{what}: the commune exists already")
        unit_type, short = split_type(change.name or "", COMMUNE_TYPES)
        communes[change.code] = Commune(
            change.code, change.name or "", short, unit_type, change.parent or "", "", "", ""
        )
    elif change.code not in communes:
        raise ConfigError(f"{what}: unknown commune")
    elif change.action == "remove":
        del communes[change.code]
    elif change.action == "rename":
        unit_type, short = split_type(change.name or "", COMMUNE_TYPES)
        communes[change.code] = replace(
            communes[change.code], name=change.name or "", short=short, unit_type=unit_type
        )
    elif change.action == "move":
        communes[change.code] = replace(communes[change.code], district_code=change.parent or "")


def _reattach(
    communes: dict[str, Commune], districts: dict[str, DistrictRef], where: str
) -> dict[str, Commune]:
    """Every commune with the names and province of its (possibly new) district;
    :class:`ConfigError` for a commune whose district does not exist."""
    fixed: dict[str, Commune] = {}
    for code, c in communes.items():
        d = districts.get(c.district_code)
        if d is None:
            raise ConfigError(f"{where}: commune {code} is under unknown district {c.district_code}")
        if (c.district, c.province_code, c.province) == (d.name, d.province_code, d.province):
            fixed[code] = c  # most of the country: unchanged (a copy of each cost 0.15 s a load)
        else:
            fixed[code] = replace(c, district=d.name, province_code=d.province_code, province=d.province)
    return fixed


# --------------------------------------------------------------------------------------------
# the gazetteer


def _find_spans(key: str, prefixes: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every (unit type, following words) after a unit-type word in a folded text."""
    words = key.split()
    out = []
    for i in range(len(words)):
        for prefix, utype in prefixes:
            pw = prefix.split()
            if words[i : i + len(pw)] == pw and i + len(pw) < len(words):
                out.append((utype, " ".join(words[i + len(pw) : i + len(pw) + 5])))
    return out


DISTRICT_MIN_SCORE: Final = 85.0
"""Least similarity for a district or province named in a text (higher than for communes: the
search runs over the whole country)."""


FALLBACK_CHECK_YEAR: Final = 2000
"""The year used to check overrides that have neither ``since`` nor ``until``."""


class Gazetteer:
    """Provinces, districts and communes with official codes, per report year."""

    def __init__(self, overrides: GazetteerFile | None = None, source: str = "<none>") -> None:
        self._overrides = overrides or GazetteerFile()
        self._source = source
        self._states: dict[int | None, GazetteerState] = {}
        self._indexes: dict[int | None, tuple[list[str], list[tuple[str, ...]]]] = {}
        # check the overrides now, not at first use: build the state of every year that bounds
        # an entry (entries valid in the same year are applied together, in file order)
        bounds = {y for e in self._overrides.overrides for y in (e.since, e.until) if y is not None}
        if self._overrides.overrides and not bounds:
            bounds = {FALLBACK_CHECK_YEAR}
        for year in sorted(bounds):
            self.state(year)

    @classmethod
    def load(cls, overrides: str | os.PathLike[str] | None = None) -> Gazetteer:
        """The package snapshot with the overrides in ``overrides`` (a YAML path); ``None``: none.

        Use :meth:`load_default` for ``<configs>/gazetteer.yaml``.
        """
        if overrides is None:
            return cls()
        return _load_cached(str(Path(overrides).resolve()))

    @classmethod
    def load_default(cls, folder: str | os.PathLike[str] | None = None) -> Gazetteer:
        """The gazetteer with ``<configs>/gazetteer.yaml`` when that file exists."""
        path = config_dir(folder) / "gazetteer.yaml"
        return cls.load(path if path.is_file() else None)

    # -- states per year -------------------------------------------------------------------

    def state(self, year: int | None) -> GazetteerState:
        """Units valid for reports of ``year`` (``None``: the package snapshot as is)."""
        if year not in self._states:
            entries = [e for e in self._overrides.overrides if e.applies(year)]
            self._states[year] = apply_overrides(snapshot(), entries, self._source) if entries else snapshot()
        return self._states[year]

    def _years_with(self, district_code: str) -> list[int]:
        """Report years (bounds of override entries) in which ``district_code`` exists."""
        years = []
        for e in self._overrides.overrides:
            for y in (e.until, e.since):
                if y is not None and district_code in self.state(y).districts:
                    years.append(y)
        return years

    def _all_districts(self, year: int | None) -> dict[str, DistrictRef]:
        if year is not None:
            return self.state(year).districts
        merged = dict(snapshot().districts)
        for e in self._overrides.overrides:
            for y in (e.until, e.since):
                if y is not None:
                    for code, d in self.state(y).districts.items():
                        merged.setdefault(code, d)
        return merged

    # -- look-ups --------------------------------------------------------------------------

    @property
    def provinces(self) -> dict[str, ProvinceRef]:
        return dict(snapshot().provinces)

    def districts(self, year: int | None = None) -> dict[str, DistrictRef]:
        """Districts by code valid for ``year`` (``None``: the snapshot)."""
        return dict(self.state(year).districts)

    def district(self, code: str, year: int | None = None) -> DistrictRef:
        """The district with official ``code``; :class:`KeyError` when unknown for that year."""
        found = self._all_districts(year).get(code)
        if found is None:
            raise KeyError(f"no district {code} in {year or 'the snapshot'}")
        return found

    def find_province(self, text: str) -> list[ProvinceRef]:
        """Provinces named in ``text`` ("tỉnh Sóc Trăng", "UBND TP Hà Nội"), best first."""
        key = fold(text)
        provinces = snapshot().provinces
        by_key = {fold(p.short): p for p in provinces.values()}
        found: dict[str, ProvinceRef] = {}
        spans = _find_spans(key, PROVINCE_PREFIXES)
        for _, following in spans:
            for cand, score in _best_only(_prefix_matches(following, by_key)):
                p = by_key[cand]
                if score > found.get(p.code, replace(p, score=0)).score:
                    found[p.code] = replace(p, score=score)
        return sorted(found.values(), key=lambda p: -p.score)

    def find_district(
        self, text: str, province: str | None = None, year: int | None = None
    ) -> list[DistrictRef]:
        """Districts named in ``text``, best first.

        ``text`` is any header or sentence ("Ủy ban nhân dân huyện Kế Sách", "UBND H. Kế Sách,
        tỉnh Sóc Trăng") or a bare place name ("Kế Sách").  A district is looked for after a
        district-type word (huyện, quận, thị xã, thành phố, TP, TX); when there is none, the
        whole text must be a district name.  When the name exists in several provinces, the
        province named in ``text`` or ``province`` keeps only its own; with none named, every
        candidate is returned.  ``year`` restricts to units valid that year.
        """
        districts = self._all_districts(year)
        by_key: dict[str, list[DistrictRef]] = {}
        for d in districts.values():
            by_key.setdefault(fold(d.short), []).append(d)
        key = fold(text)
        hits: dict[str, DistrictRef] = {}
        spans = _find_spans(key, DISTRICT_PREFIXES)
        if not spans:
            spans = [("", strip_prefix(key, DISTRICT_PREFIXES)[0])]
            exact_only = True
        else:
            exact_only = False
        for utype, following in spans:
            for cand, score in _best_only(_prefix_matches(following, by_key, whole=exact_only)):
                for d in by_key[cand]:
                    if (
                        utype
                        and utype != d.unit_type
                        and not (utype == "Thành phố" and d.unit_type == "Thị xã")
                    ):
                        score_d = score - 10.0
                    else:
                        score_d = score
                    if (
                        score_d >= DISTRICT_MIN_SCORE
                        and score_d > hits.get(d.code, replace(d, score=0)).score
                    ):
                        hits[d.code] = replace(d, score=score_d)
        named = self.find_province(text + " " + (province or ""))
        if province and not named:
            named = self.find_province("tỉnh " + province) or self.find_province("thành phố " + province)
        if named:
            codes = {p.code for p in named}
            inside = [d for d in hits.values() if d.province_code in codes]
            if inside:
                hits = {d.code: d for d in inside}
        return sorted(hits.values(), key=lambda d: (-d.score, d.code))

    def districts_named_by(self, labels: Sequence[str], year: int | None, min_score: float) -> dict[str, int]:
        """District code -> how many of ``labels`` look like one of its communes, over the whole
        country (rapidfuzz on folded names, type prefix removed): the districts worth trying
        when the report does not say which district it is."""
        names, owners = self._commune_index(year)
        votes: dict[str, int] = {}
        for label in labels:
            key = label_key(label).key
            if not key:
                continue
            hits = process.extract(
                key, names, scorer=Levenshtein.normalized_similarity, limit=20, score_cutoff=min_score / 100
            )
            districts = {d for _, _, i in hits for d in owners[i]}
            for d in districts:
                votes[d] = votes.get(d, 0) + 1
        return votes

    def _commune_index(self, year: int | None) -> tuple[list[str], list[tuple[str, ...]]]:
        """Folded commune names of the country and, per name, the districts having one."""
        cached = self._indexes.get(year)
        if cached is None:
            state = self.state(year)
            by_name: dict[str, set[str]] = {}
            for c in state.communes.values():
                by_name.setdefault(fold(c.short), set()).add(c.district_code)
            names = sorted(by_name)
            cached = self._indexes[year] = (names, [tuple(sorted(by_name[n])) for n in names])
        return cached

    def communes(
        self, district_code: str, year: int | None = None, settings: MatchSettings | None = None
    ) -> DistrictCommunes:
        """The communes of ``district_code`` valid in ``year``, ready for matching labels.

        A district that exists only through an override (merged away before the snapshot) is
        taken from the latest override year that has it when ``year`` is ``None``.
        """
        state = self.state(year)
        if district_code not in state.districts and year is None:
            years = self._years_with(district_code)
            if years:
                state = self.state(max(years))
        if district_code not in state.districts:
            raise KeyError(f"no district {district_code} in {year or 'the snapshot'}")
        codes = state.by_district.get(district_code, ())
        return DistrictCommunes(
            district=state.districts[district_code],
            year=year,
            communes=tuple(state.communes[c] for c in codes),
            settings=settings or MatchSettings(),
        )


@functools.lru_cache(maxsize=8)
def _load_cached(path: str) -> Gazetteer:
    return Gazetteer(read_overrides(path), source=path)


def _best_only(matches: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The matches with the best score ("Tiền Giang" names Tiền Giang, not also Kiên Giang)."""
    if not matches:
        return []
    top = max(score for _, score in matches)
    return [(k, score) for k, score in matches if score == top]


def _prefix_matches(following: str, by_key: dict[str, Any], whole: bool = False) -> list[tuple[str, float]]:
    """Names in ``by_key`` that the words ``following`` start with (or are, when ``whole``).

    Tries the first 1..4 words of ``following`` against every key of the same word count with
    rapidfuzz (plain Levenshtein ratio on folded keys) and re-scores the close ones with
    :func:`similarity`; returns (key, score) pairs at or above :data:`DISTRICT_MIN_SCORE`.
    """
    words = following.split()
    if not words:
        return []
    lengths = [len(words)] if whole else range(1, min(4, len(words)) + 1)
    out: list[tuple[str, float]] = []
    keys = list(by_key)
    for n in lengths:
        probe = " ".join(words[:n])
        for cand, _, _ in process.extract(
            probe, keys, scorer=Levenshtein.normalized_similarity, limit=5, score_cutoff=0.6
        ):
            score = similarity(probe, cand)
            if len(cand.split()) != n:
                continue
            if not syllables_ok(probe, cand, 60.0):
                continue
            if score >= DISTRICT_MIN_SCORE:
                out.append((cand, score))
    return out


__all__ = [
    "DISTRICT_MIN_SCORE",
    "DISTRICT_PREFIXES",
    "FALLBACK_CHECK_YEAR",
    "PROVINCE_PREFIXES",
    "Gazetteer",
    "GazetteerFile",
    "GazetteerState",
    "OverrideEntry",
    "UnitChange",
    "apply_overrides",
    "build_snapshot",
    "read_overrides",
    "snapshot",
]
