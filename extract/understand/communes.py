"""The gazetteer: provinces, districts and communes with official codes, and the matching of
OCR'd row labels to the communes of one district.

Data come offline from the MIT package ``vietnamadminunits`` (its pre-2025 63-province table
``admin_units_legacy``, read with ``vietnamadminunits.database.query``; nothing here geocodes).
That table is a snapshot taken just before the 2025 reform, so units merged away earlier
(2019-2024) are missing: ``configs/gazetteer.yaml`` adds, removes, renames and moves units for
a range of report years (see :class:`OverrideEntry`).

Codes are the official GSO codes: province 2 digits, district 3, commune 5.

Matching a label to a commune (:meth:`DistrictCommunes.match`):

1. the label is folded to a key: lowercase, no diacritics (đ -> d), punctuation dropped, the
   unit-type prefix stripped ("Xã", "X.", "Thị trấn", "TT.", "T.T", "Phường", "P.", "UBND xã");
2. every commune of the report's district (never of another district) is scored with
   :func:`ocr_distance`, an edit distance that charges less for OCR-typical confusions
   (o/a/u, m/n/nn/rn, h/b, i/l/1, e/c); syllables must match one by one when the syllable
   counts agree ("Phòng ban" is not "Phong Nẫm");
3. diacritics, when the label has them, break ties between communes whose keys collide;
4. a label that prints a commune's name exactly, diacritics included, takes it outright;
   otherwise the best commune is accepted only with a minimum score and a lead over the
   runner-up.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extract.config import config_dir, settings_section
from extract.errors import ConfigError, MissingDependencyError
from extract.model import Commune, CommuneMatch

# --------------------------------------------------------------------------------------------
# text keys


def fold(text: str) -> str:
    """Lowercase, no diacritics (đ -> d), every non-alphanumeric run turned into one space."""
    s = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).lower().replace("đ", "d"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("đ", "d")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s).split())


def accented(text: str) -> str:
    """Lowercase NFC text with diacritics kept, punctuation dropped (for tie-breaks)."""
    s = unicodedata.normalize("NFC", text).lower()
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def has_diacritics(text: str) -> bool:
    """Whether ``text`` carries Vietnamese marks (then they can break ties between keys)."""
    return any(ord(ch) > 127 and ch.isalpha() for ch in text)


# Unit-type prefixes, folded, longest first.  Each maps to the unit type it names.
_COMMUNE_PREFIXES: Final[tuple[tuple[str, str | None], ...]] = (
    ("uy ban nhan dan xa", "Xã"),
    ("uy ban nhan dan thi tran", "Thị trấn"),
    ("uy ban nhan dan phuong", "Phường"),
    ("ubnd xa", "Xã"),
    ("ubnd thi tran", "Thị trấn"),
    ("ubnd tt", "Thị trấn"),
    ("ubnd phuong", "Phường"),
    ("thi tran", "Thị trấn"),
    ("thi tr", "Thị trấn"),
    ("t t", "Thị trấn"),
    ("tt", "Thị trấn"),
    ("phuong", "Phường"),
    ("p", "Phường"),
    ("xa", "Xã"),
    ("x", "Xã"),
)

_DISTRICT_PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("thanh pho", "Thành phố"),
    ("thi xa", "Thị xã"),
    ("huyen", "Huyện"),
    ("quan", "Quận"),
    ("tp", "Thành phố"),
    ("tx", "Thị xã"),
    ("h", "Huyện"),
    ("q", "Quận"),
)

_PROVINCE_PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("thanh pho", "Thành phố"),
    ("tinh", "Tỉnh"),
    ("tp", "Thành phố"),
)

_ISSUER_WORDS: Final = ("uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd")


def strip_prefix(key: str, prefixes: Sequence[tuple[str, Any]] = _COMMUNE_PREFIXES) -> tuple[str, Any]:
    """Drop a leading unit-type prefix from a folded key; return (rest, unit type or None).

    The prefix is dropped only when something is left after it.
    """
    for prefix, unit_type in prefixes:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            return key[len(prefix) + 1 :], unit_type
    return key, None


# --------------------------------------------------------------------------------------------
# OCR-weighted edit distance

CONFUSION_GROUPS: Final[tuple[str, ...]] = ("oau0", "mn", "hb", "il1j", "ec", "uv")
"""Characters (folded) that OCR of Vietnamese print confuses; substitutions within a group are cheap."""

_CONFUSABLE: Final[frozenset[tuple[str, str]]] = frozenset(
    (a, b) for group in CONFUSION_GROUPS for a in group for b in group if a != b
)
_ONE_TWO: Final[frozenset[tuple[str, str]]] = frozenset({("m", "nn"), ("m", "rn"), ("m", "in"), ("w", "vv")})
"""One character read as two (and back): "m" <-> "nn", "rn"."""

CHEAP_SUBSTITUTION: Final = 0.4
"""Cost of substituting one character of a confusion group for another (a plain edit costs 1)."""
ONE_TWO_COST: Final = 0.5
SPACE_COST: Final = 0.5
"""Cost of inserting or deleting a space (OCR glues and splits syllables)."""


@functools.lru_cache(maxsize=65536)
def ocr_distance(a: str, b: str) -> float:
    """Edit distance between two folded keys that charges less for OCR-typical confusions.

    Substitutions within :data:`CONFUSION_GROUPS` cost :data:`CHEAP_SUBSTITUTION`; "m" for "nn"
    or "rn" costs :data:`ONE_TWO_COST`; spaces cost :data:`SPACE_COST`; other edits cost 1.
    """
    n, m = len(a), len(b)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + (SPACE_COST if b[j - 1] == " " else 1.0)
    for i in range(1, n + 1):
        cur = [0.0] * (m + 1)
        ca = a[i - 1]
        cur[0] = prev[0] + (SPACE_COST if ca == " " else 1.0)
        for j in range(1, m + 1):
            cb = b[j - 1]
            if ca == cb:
                sub = 0.0
            elif (ca, cb) in _CONFUSABLE:
                sub = CHEAP_SUBSTITUTION
            else:
                sub = 1.0
            best = min(
                prev[j - 1] + sub,
                prev[j] + (SPACE_COST if ca == " " else 1.0),
                cur[j - 1] + (SPACE_COST if cb == " " else 1.0),
            )
            if j >= 2 and (ca, b[j - 2 : j]) in _ONE_TWO:
                best = min(best, prev[j - 2] + ONE_TWO_COST)
            if i >= 2 and (cb, a[i - 2 : i]) in _ONE_TWO and prev2:
                best = min(best, prev2[j - 1] + ONE_TWO_COST)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[m]


def similarity(a: str, b: str) -> float:
    """0..100 similarity of two folded keys from :func:`ocr_distance`."""
    if not a or not b:
        return 0.0
    return max(0.0, 100.0 * (1.0 - ocr_distance(a, b) / max(len(a), len(b))))


# --------------------------------------------------------------------------------------------
# settings


class MatchSettings(BaseModel):
    """Thresholds of commune matching (section ``communes`` of pipeline.yaml). Scores are 0..100."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_score: float = Field(default=78.0, ge=0, le=100)
    """Least similarity (label key vs commune key) for a match when the label prints the unit
    type exactly ("Xã", "TT.", "Phường")."""
    min_score_untyped: float = Field(default=86.0, ge=0, le=100)
    """Least similarity when the label has no type, or an OCR-garbled one ("Nhon Mỹ", "Xo An Mỹ")."""
    min_lead: float = Field(default=8.0, ge=0, le=100)
    """Least lead of the best commune over the runner-up."""
    min_syllable_score: float = Field(default=60.0, ge=0, le=100)
    """Least similarity of every syllable, when label and name have as many syllables."""
    accent_penalty: float = Field(default=2.5, ge=0, le=20)
    """Points taken per diacritic mismatch, when the label carries diacritics."""
    max_accent_penalty: float = Field(default=6.0, ge=0, le=50)
    type_mismatch_penalty: float = Field(default=8.0, ge=0, le=50)
    """Points taken when the label's printed type (Xã/Phường/Thị trấn) differs from the unit's."""
    not_communes: list[str] = Field(
        default_factory=lambda: [
            "tong so",
            "tong cong",
            "tong",
            "cong",
            "trong do",
            "phong ban",
            "cap xa",
            "cap huyen",
            "ubnd cap xa",
            "ubnd cap huyen",
            "co quan cap huyen",
            "trung tam",
            "don vi",
            "ghi chu",
            "van phong",
        ]
    )
    """Folded labels that are table vocabulary, never a commune when printed without a type."""
    not_commune_score: float = Field(default=90.0, ge=0, le=100)
    """Similarity to a ``not_communes`` entry above which an untyped label is left unmatched."""
    district_min_communes: int = Field(default=3, ge=1)
    """Commune labels of a table that must name communes of one district for those labels to
    decide (or overrule) the report's district."""
    district_min_share: float = Field(default=0.5, ge=0, le=1)
    """... and the share of the document's commune labels they must be."""
    district_search_score: float = Field(default=80.0, ge=0, le=100)
    """Least similarity of a label to a commune name anywhere in the country for that commune's
    district to be tried (a coarse pre-selection; every tried district then matches for real)."""
    district_search_limit: int = Field(default=8, ge=1)
    """Most districts tried, those with the most labels pre-selected first."""


def match_settings(folder: str | os.PathLike[str] | None = None) -> MatchSettings:
    """The ``communes`` section of ``<configs>/pipeline.yaml`` (defaults for what is absent)."""
    return settings_section(MatchSettings, "communes", folder)


# --------------------------------------------------------------------------------------------
# gazetteer records


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


def _split_type(name: str, types: Sequence[str]) -> tuple[str, str]:
    """("Huyện Kế Sách", types) -> ("Huyện", "Kế Sách"); the type is "" when none is printed."""
    for t in sorted(types, key=len, reverse=True):
        if name.startswith(t + " "):
            return t, name[len(t) + 1 :]
    return "", name


_PROVINCE_TYPES: Final = ("Tỉnh", "Thành phố")
_DISTRICT_TYPES: Final = ("Huyện", "Quận", "Thị xã", "Thành phố")
_COMMUNE_TYPES: Final = ("Xã", "Phường", "Thị trấn")


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
class _State:
    """Units valid for one report year."""

    provinces: dict[str, ProvinceRef]
    districts: dict[str, DistrictRef]
    communes: dict[str, Commune]  # by code
    by_district: dict[str, tuple[str, ...]]  # district code -> commune codes


CACHE_ENV = "BCUBND_CACHE_DIR"  # where the gazetteer snapshot is cached; "off" disables the cache


def _cache_file() -> Path | None:
    """Where this version of the package's snapshot is cached (``None``: no cache): building it
    imports ``vietnamadminunits`` and indexes its ~10,600 units, 1.2 s for every process that
    assembles a document; the cached copy loads in ~0.05 s."""
    from importlib.metadata import PackageNotFoundError, version

    folder = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "bcubnd-extract"
    )
    if folder == "off":
        return None
    try:
        release = version("vietnamadminunits")
    except PackageNotFoundError:
        return None
    return Path(folder) / f"gazetteer-vietnamadminunits-{release}-v{SNAPSHOT_FORMAT}.pickle"


SNAPSHOT_FORMAT = 1  # bump when _State or the units' types change


@functools.lru_cache(maxsize=1)
def _snapshot() -> _State:
    """The package's pre-2025 table, read once per process (and cached on disk per version)."""
    import pickle

    cache = _cache_file()
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as f:
                state = pickle.load(f)  # our own file, keyed by the package version
            if isinstance(state, _State):
                return state
        except Exception:  # noqa: BLE001, S110 - a damaged cache is rebuilt below
            pass
    state = _build_snapshot()
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only home: no cache, no harm
    return state


def _build_snapshot() -> _State:
    """The package's pre-2025 table as a :class:`_State`."""
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
            ptype, _ = _split_type(r["province"], _PROVINCE_TYPES)
            provinces[pcode] = ProvinceRef(pcode, r["province"], r["provinceShort"], ptype)
        dcode = r["districtCode"]
        if dcode not in districts:
            districts[dcode] = DistrictRef(
                dcode,
                r["district"],
                _split_type(r["district"], _DISTRICT_TYPES)[1],
                r["districtType"],
                pcode,
                r["province"],
            )
        if r["wardCode"]:
            communes[r["wardCode"]] = Commune(
                code=r["wardCode"],
                name=r["ward"],
                short=_split_type(r["ward"], _COMMUNE_TYPES)[1],
                unit_type=r["wardType"],
                district_code=dcode,
                district=r["district"],
                province_code=pcode,
                province=r["province"],
            )
    return _index(provinces, districts, communes)


def _index(
    provinces: dict[str, ProvinceRef], districts: dict[str, DistrictRef], communes: dict[str, Commune]
) -> _State:
    by_district: dict[str, list[str]] = {d: [] for d in districts}
    for c in sorted(communes.values(), key=lambda c: c.code):
        by_district.setdefault(c.district_code, []).append(c.code)
    return _State(provinces, districts, communes, {d: tuple(v) for d, v in by_district.items()})


def _apply(base: _State, entries: Sequence[OverrideEntry], where: str) -> _State:
    """The snapshot with ``entries`` applied in order; :class:`ConfigError` on a bad reference."""
    districts = dict(base.districts)
    communes = dict(base.communes)
    for entry in entries:
        for ch in entry.changes:
            what = f"{where}: {ch.action} {ch.level} {ch.code}"
            if ch.level == "district":
                if ch.action == "add":
                    if ch.code in districts:
                        raise ConfigError(f"{what}: the district exists already")
                    prov = base.provinces.get(ch.parent or "")
                    if prov is None:
                        raise ConfigError(f"{what}: unknown province {ch.parent}")
                    utype, short = _split_type(ch.name or "", _DISTRICT_TYPES)
                    districts[ch.code] = DistrictRef(
                        ch.code, ch.name or "", short, utype, prov.code, prov.name
                    )
                elif ch.code not in districts:
                    raise ConfigError(f"{what}: unknown district")
                elif ch.action == "remove":
                    del districts[ch.code]
                    communes = {k: c for k, c in communes.items() if c.district_code != ch.code}
                elif ch.action == "rename":
                    utype, short = _split_type(ch.name or "", _DISTRICT_TYPES)
                    districts[ch.code] = replace(
                        districts[ch.code], name=ch.name or "", short=short, unit_type=utype
                    )
            else:
                if ch.action == "add":
                    if ch.code in communes:
                        raise ConfigError(f"{what}: the commune exists already")
                    utype, short = _split_type(ch.name or "", _COMMUNE_TYPES)
                    communes[ch.code] = Commune(
                        ch.code, ch.name or "", short, utype, ch.parent or "", "", "", ""
                    )
                elif ch.code not in communes:
                    raise ConfigError(f"{what}: unknown commune")
                elif ch.action == "remove":
                    del communes[ch.code]
                elif ch.action == "rename":
                    utype, short = _split_type(ch.name or "", _COMMUNE_TYPES)
                    communes[ch.code] = replace(
                        communes[ch.code], name=ch.name or "", short=short, unit_type=utype
                    )
                elif ch.action == "move":
                    communes[ch.code] = replace(communes[ch.code], district_code=ch.parent or "")
    # re-attach every commune to its (possibly new) district and province
    fixed: dict[str, Commune] = {}
    for code, c in communes.items():
        d = districts.get(c.district_code)
        if d is None:
            raise ConfigError(f"{where}: commune {code} is under unknown district {c.district_code}")
        if (c.district, c.province_code, c.province) == (d.name, d.province_code, d.province):
            fixed[code] = c  # most of the country: unchanged (a copy of each cost 0.15 s a load)
        else:
            fixed[code] = replace(c, district=d.name, province_code=d.province_code, province=d.province)
    return _index(base.provinces, districts, fixed)


# --------------------------------------------------------------------------------------------
# matching within a district


@dataclass(frozen=True)
class _Target:
    commune: Commune
    key: str  # folded short name ("nhon my"; "5" for "Phường 5")
    full_key: str  # folded full name ("xa nhon my")
    accented: str  # short name, lowercase with diacritics
    numeric: bool  # "Phường 5": the name is a number


@dataclass(frozen=True)
class Reading:
    """One way to read a label: the name part (folded), the unit type printed before it (or
    None), and whether the name must be compared to full unit names ("xa nhon my")."""

    key: str
    unit_type: str | None
    full: bool = False
    typed: bool = False  # the type was printed exactly (not garbled, not guessed)


@dataclass(frozen=True)
class LabelKey:
    """A row label prepared for matching: its readings and its diacritics.

    ``key`` is the folded label without its type prefix and ``unit_type`` that prefix's type;
    ``readings`` holds every way the label is compared (prefix stripped, prefix kept as part of
    the name, an OCR-garbled or glued prefix removed, the whole label against full names).
    """

    key: str
    unit_type: str | None
    accented: str
    has_marks: bool
    readings: tuple[Reading, ...]


_LEADING_INDEX = re.compile(r"^\s*(?:[0-9]+(?:[.,][0-9]+)*|[ivxlIVXL]+)[.)]?\s+(?=\S)")
_PARENS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_PREFIX_WORDS: Final[tuple[tuple[str, str], ...]] = (
    ("thi tran", "Thị trấn"),
    ("phuong", "Phường"),
    ("xa", "Xã"),
)
"""Type words that OCR may garble ("Phvong", "Xo", "Thj tran") or glue to the name ("XaAn")."""
FUZZY_PREFIX_SCORE: Final = 70.0
"""Least similarity for a garbled first word to count as a type word."""
_DIGIT_LOOKALIKES: Final = str.maketrans({"l": "1", "i": "1", "j": "1", "o": "0"})


def _numeric_key(key: str) -> str:
    """ "l5" -> "15", "1o" -> "10" when the key is one short token with a digit; else ``key``."""
    if " " in key or len(key) > 3 or not any(ch.isdigit() for ch in key):
        return key
    repaired = key.translate(_DIGIT_LOOKALIKES)
    return repaired if repaired.isdigit() else key


def _garbled_prefix(key: str) -> list[Reading]:
    """Readings with an OCR-garbled or glued type word removed from the front of ``key``.

    "phvong giao" -> "giao" (Phường); "xaan lac" -> "an lac" (Xã); "thi tranchi ne" -> "chi ne".
    The cut is tried at every character position near the type word's length.
    """
    out = []
    for prefix, utype in _PREFIX_WORDS:
        glued = prefix.replace(" ", "")
        for cut in range(1, min(len(key), len(prefix) + 3)):
            head, rest = key[:cut].replace(" ", ""), key[cut:].strip()
            if not rest or abs(len(head) - len(glued)) > 1 or key[cut - 1] == " ":
                continue
            if similarity(head, glued) >= FUZZY_PREFIX_SCORE:
                out.append(Reading(rest, utype))
    return out


def label_key(label: str) -> LabelKey:
    """Prepare an OCR'd label: drop a glued row index and bracketed notes, fold, find the type."""
    text = unicodedata.normalize("NFC", label)
    text = _PARENS.sub(" ", text)
    text = _LEADING_INDEX.sub("", text)
    full = fold(text)
    for word in _ISSUER_WORDS:  # "UBND xã Kế An"
        if full.startswith(word + " "):
            full = full[len(word) + 1 :]
            break
    key, utype = strip_prefix(full)
    readings = [Reading(_numeric_key(key), utype, typed=utype is not None)]
    if utype is not None:
        readings.append(Reading(full, None))  # "Phương Giao": the type word is part of the name
    else:
        readings.extend(_garbled_prefix(full))
        readings.append(Reading(full, None, full=True))
    readings = [replace(r, key=_numeric_key(r.key)) for r in readings if r.key]
    acc = accented(text)
    n = len(key.split())
    acc_short = " ".join(acc.split()[-n:]) if n else acc
    return LabelKey(
        key=key,
        unit_type=utype,
        accented=acc_short,
        has_marks=has_diacritics(text),
        readings=tuple(dict.fromkeys(readings)),
    )


def _syllables_ok(a: str, b: str, min_score: float, *, same_count: bool = False) -> bool:
    """When both keys have as many syllables, every pair must be at least ``min_score`` alike.

    With ``same_count`` keys with different syllable counts fail.
    """
    sa, sb = a.split(), b.split()
    if len(sa) != len(sb):
        return not same_count
    return all(similarity(x, y) >= min_score for x, y in zip(sa, sb, strict=False))


def _accent_mismatch(label: str, name: str) -> int:
    """Edits that differ only in diacritics: accented distance minus folded distance (>= 0)."""
    return max(0, Levenshtein.distance(label, name) - Levenshtein.distance(fold(label), fold(name)))


@dataclass(frozen=True)
class DistrictCommunes:
    """The communes of one district for one report year, with the label matcher."""

    district: DistrictRef
    year: int | None
    communes: tuple[Commune, ...]
    settings: MatchSettings = field(default_factory=MatchSettings)

    @functools.cached_property
    def _targets(self) -> tuple[_Target, ...]:
        out = []
        for c in self.communes:
            key = fold(c.short)
            out.append(_Target(c, key, fold(c.name), accented(c.short), key.isdigit()))
        return tuple(out)

    def score(self, label: str | LabelKey, commune_code: str) -> float:
        """Score of one commune for ``label`` (0..100), as used by :meth:`match`."""
        lk = label if isinstance(label, LabelKey) else label_key(label)
        for t in self._targets:
            if t.commune.code == commune_code:
                return self._score(lk, t)
        raise KeyError(commune_code)

    def _reading_score(self, r: Reading, t: _Target) -> float:
        s = self.settings
        if t.numeric or r.key.isdigit():
            # numbered wards ("Phường 5"): the printed type and the exact number
            return 100.0 if (r.key == t.key and r.unit_type is not None and not r.full) else 0.0
        name = t.full_key if r.full else t.key
        if not _syllables_ok(r.key, name, s.min_syllable_score, same_count=r.full):
            return 0.0
        score = similarity(r.key, name)
        if r.unit_type is not None and r.unit_type != t.commune.unit_type:
            score -= s.type_mismatch_penalty
        return score

    def _score(self, lk: LabelKey, t: _Target) -> float:
        return self._score_typed(lk, t)[0]

    def _score_typed(self, lk: LabelKey, t: _Target) -> tuple[float, bool]:
        """Best score over the label's readings, and whether that reading printed its type."""
        s = self.settings
        score, typed = max(((self._reading_score(r, t), r.typed) for r in lk.readings), default=(0.0, False))
        if score <= 0:
            return 0.0, typed
        if lk.has_marks:
            score -= min(s.max_accent_penalty, s.accent_penalty * _accent_mismatch(lk.accented, t.accented))
        return max(0.0, score), typed

    def _exact(self, lk: LabelKey) -> _Target | None:
        """The one commune whose name the label prints letter for letter, diacritics included
        (and whose type it prints, when it prints one); None when none or several."""
        if not lk.has_marks:
            return None
        hits = [
            t
            for t in self._targets
            if not t.numeric
            and t.accented == lk.accented
            and (lk.unit_type is None or lk.unit_type == t.commune.unit_type)
        ]
        return hits[0] if len(hits) == 1 else None

    def _is_vocabulary(self, lk: LabelKey) -> bool:
        """An untyped label that is table vocabulary ("Tổng cộng", "Phòng ban")."""
        if lk.unit_type is not None:
            return False
        return any(
            similarity(lk.key, w) >= self.settings.not_commune_score for w in self.settings.not_communes
        )

    def ranked(self, label: str) -> list[tuple[Commune, float]]:
        """Every commune with its score for ``label``, best first."""
        lk = label_key(label)
        return [(c, sc) for c, sc, _ in self._ranked(lk)]

    def _ranked(self, lk: LabelKey) -> list[tuple[Commune, float, bool]]:
        scored = [(t.commune, *self._score_typed(lk, t)) for t in self._targets]
        return sorted(scored, key=lambda cs: (-cs[1], cs[0].code))

    def match(self, label: str) -> CommuneMatch | None:
        """The commune ``label`` names, or None when no commune is good enough or clearly best.

        Accepted: score >= ``min_score`` (``min_score_untyped`` when the label does not print
        its unit type exactly) and a lead of ``min_lead`` over the runner-up.
        """
        lk = label_key(label)
        if not lk.readings or self._is_vocabulary(lk):
            return None
        exact = self._exact(lk)
        if exact is not None:
            # printed exactly as the gazetteer spells it (diacritics included): it wins outright,
            # however close another commune's name is ("Đăk Man" and "Đăk Môn" in one district)
            runner = max(
                (self._score(lk, t) for t in self._targets if t.commune.code != exact.commune.code),
                default=0.0,
            )
            return CommuneMatch(commune=exact.commune, score=100.0, runner_up=round(runner, 2))
        ranked = self._ranked(lk)
        if not ranked:
            return None
        best, score, typed = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        need = self.settings.min_score if typed else self.settings.min_score_untyped
        if score < need or score - runner_up < self.settings.min_lead:
            return None
        return CommuneMatch(commune=best, score=round(score, 2), runner_up=round(runner_up, 2))

    def assign(self, labels: Sequence[str]) -> list[CommuneMatch | None]:
        """Match every label, one row per commune: when several labels claim the same commune,
        the one with the highest score keeps it and the others are left unmatched (never moved
        to a second choice); on a tie for the highest score none keeps it."""
        matches = [self.match(label) for label in labels]
        claims: dict[str, list[int]] = {}
        for i, m in enumerate(matches):
            if m is not None:
                claims.setdefault(m.commune.code, []).append(i)
        for rows in claims.values():
            if len(rows) < 2:
                continue
            scores = [matches[i].score for i in rows]  # type: ignore[union-attr]
            top = max(scores)
            winners = [i for i, sc in zip(rows, scores, strict=False) if sc == top]
            for i in rows:
                if len(winners) > 1 or i != winners[0]:
                    matches[i] = None
        return matches


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
        self._states: dict[int | None, _State] = {}
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

    def state(self, year: int | None) -> _State:
        """Units valid for reports of ``year`` (``None``: the package snapshot as is)."""
        if year not in self._states:
            entries = [e for e in self._overrides.overrides if e.applies(year)]
            self._states[year] = _apply(_snapshot(), entries, self._source) if entries else _snapshot()
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
        merged = dict(_snapshot().districts)
        for e in self._overrides.overrides:
            for y in (e.until, e.since):
                if y is not None:
                    for code, d in self.state(y).districts.items():
                        merged.setdefault(code, d)
        return merged

    # -- look-ups --------------------------------------------------------------------------

    @property
    def provinces(self) -> dict[str, ProvinceRef]:
        return dict(_snapshot().provinces)

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
        provinces = _snapshot().provinces
        by_key = {fold(p.short): p for p in provinces.values()}
        found: dict[str, ProvinceRef] = {}
        spans = _find_spans(key, _PROVINCE_PREFIXES)
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
        spans = _find_spans(key, _DISTRICT_PREFIXES)
        if not spans:
            spans = [("", strip_prefix(key, _DISTRICT_PREFIXES)[0])]
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
            if not _syllables_ok(probe, cand, 60.0):
                continue
            if score >= DISTRICT_MIN_SCORE:
                out.append((cand, score))
    return out
