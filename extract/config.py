"""Loading and validating everything under ``configs/``, once, into typed :class:`Settings`.

Forms are data: ``configs/forms/*.yaml`` declare each known form (title, multi-level header,
canonical column keys and types, invariants).  ``configs/pipeline.yaml`` holds the pipeline's
defaults, one section per stage, each validated by that stage's pydantic model (the
:data:`SECTIONS` table).  ``configs/gazetteer.yaml`` holds per-year overrides of administrative
units.

:func:`load_config` reads and checks all of it at the boundary (the CLI, before any page is
read, failing with :class:`ConfigError`, exit code 4) and returns one frozen :class:`Settings`
that is passed explicitly to every stage: the page task carries it to the workers, document
assembly receives it.  ``settings_section`` remains for library callers that read one section.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ConfigError

if TYPE_CHECKING:
    from .batch import BatchSettings
    from .document import DocumentSettings
    from .ocr.engine import OcrSettings
    from .orientation import OrientationSettings
    from .page import PageSettings
    from .preprocess import PreprocessSettings
    from .review.settings import ReviewSettings
    from .tables.detect import TableSettings
    from .understand.communes import MatchSettings
    from .understand.forms import FormsSettings
    from .understand.metadata import MetadataSettings
    from .validate.settings import ValidateSettings

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"

ColumnType = Literal[
    "index",  # the STT column: "I", "2.1", "-"
    "label",  # the row label column (cơ quan, nội dung, commune name)
    "count",  # a whole number; "." groups thousands ("5.697" -> 5697)
    "signed",  # a whole number that may carry + or - ("-1", "+2")
    "decimal",  # a number with "," as the decimal mark
    "percent",  # "99,7%" -> 99.7 (unit "%")
    "ratio",  # "32/32" kept as a ratio
    "bool",  # "Có"/"Không"
    "text",  # free text (names, positions, contact details)
    "note",  # the Ghi chú column: free text
    "mixed",  # a number, a ratio, "Có"/"Không" or text: whatever the cell holds
    "remark",  # a Ghi chú that may hold a bare number: that number, else the text ("14/14" too)
]

NUMERIC_TYPES = frozenset({"count", "signed", "decimal", "percent", "ratio", "mixed"})
#: column types whose cells hold one number each (no ratio "n/N", no mixed text)
SINGLE_NUMBER_TYPES = frozenset({"count", "signed", "decimal", "percent"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    """One canonical column of a form.

    ``header`` is the path through the multi-level header, top level first:
    ``["Số hồ sơ đã tiếp nhận", "Trong đó", "Từ kỳ trước"]``.  Consecutive columns that share a
    prefix share the merged header cells of that prefix.  ``aliases`` are other printed spellings
    of the whole path (each a list like ``header``) seen in real reports.
    """

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    header: list[str] = Field(min_length=1)
    type: ColumnType
    number: str | None = None  # the printed column number, "(3)=(4)+(5)"
    unit: str | None = None
    aliases: list[list[str]] = Field(default_factory=list)


class InvariantSpec(_Strict):
    """An arithmetic rule the printed form obeys.  Kinds:

    - ``row_sum``: in every body row, ``total`` = sum of ``parts`` (column keys).
    - ``children_sum``: a parent row (by printed index, ``parent``; ``"*"`` for every row that has
      child rows) equals the sum of its direct children, in ``columns``.
    - ``total_rows``: the total row equals the sum of the rows whose printed index is in ``parts``
      (e.g. ``["I", "II"]``), in ``columns``.
    - ``ratio``: ``result`` = ``numerator`` / ``denominator`` * ``scale`` (within ``tolerance``).

    ``columns`` is a list of column keys or ``"numeric"`` (every count/signed/decimal column).
    """

    name: str
    kind: Literal["row_sum", "children_sum", "total_rows", "ratio"]
    total: str | None = None
    parts: list[str] = Field(default_factory=list)
    parent: str | None = None
    columns: list[str] | Literal["numeric"] = "numeric"
    result: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    tolerance: float = 0.0

    @model_validator(mode="after")
    def _check_fields(self) -> InvariantSpec:
        need = {
            "row_sum": ("total", "parts"),
            "children_sum": ("parent",),
            "total_rows": ("parts",),
            "ratio": ("result", "numerator", "denominator"),
        }[self.kind]
        missing = [n for n in need if not getattr(self, n)]
        if missing:
            raise ValueError(f"invariant {self.name!r} ({self.kind}) needs {', '.join(missing)}")
        return self


class SectionSpec(_Strict):
    """A section a form always prints ("I UBND cấp huyện"): its numeral, its label, and the labels
    of the fixed rows under it, numbered 1, 2, ... (7B's "Phòng chuyên môn", ...; none where the
    section lists communes or free items)."""

    index: str
    label: str
    rows: list[str] = Field(default_factory=list)


class FormSpec(_Strict):
    """A known form ("Biểu mẫu 5B"), declared in ``configs/forms/<code>.yaml``.

    ``code`` is the form code as printed after "Biểu mẫu" ("5B"); for forms without a code (the
    staff list, "DANH SÁCH") it is a slug and ``heading`` holds the printed heading instead.
    ``title`` is the subtitle that names the form's subject; ``title_aliases`` other printed
    wordings.  ``rows`` optionally lists the canonical row labels of forms whose rows are fixed
    content items (1B, 2B, 8B, ...), each with a ``key``; ``sections`` the sections it always
    prints (:class:`SectionSpec`), which name a section row whose label was lost.
    """

    code: str
    heading: str | None = None
    title: str
    title_aliases: list[str] = Field(default_factory=list)
    index_column: str | None = "stt"
    label_column: str
    commune_rows: bool = False  # body rows list the district's communes
    columns: list[ColumnSpec] = Field(min_length=2)
    rows: list[dict[str, str]] = Field(default_factory=list)
    sections: list[SectionSpec] = Field(default_factory=list)
    invariants: list[InvariantSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_keys(self) -> FormSpec:
        keys = [c.key for c in self.columns]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"form {self.code}: duplicate column keys {sorted(dupes)}")
        known = set(keys)
        for name in (self.label_column, self.index_column):
            if name is not None and name not in known:
                raise ValueError(f"form {self.code}: column {name!r} is not declared")
        for inv in self.invariants:
            refs = [inv.total, inv.result, inv.numerator, inv.denominator]
            if inv.kind == "row_sum":
                refs += inv.parts
            if isinstance(inv.columns, list):
                refs += inv.columns
            bad = [r for r in refs if r is not None and r not in known]
            if bad:
                raise ValueError(f"form {self.code}: invariant {inv.name!r} names unknown columns {bad}")
        return self

    def column(self, key: str) -> ColumnSpec:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def numeric_columns(self) -> list[str]:
        return [c.key for c in self.columns if c.type in ("count", "signed", "decimal")]


# libyaml's parser when PyYAML was built with it (the wheels are): the same safe loading, ten
# times faster (the form files took 0.4 s of every document)
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_text(text: str) -> Any:
    """``yaml.safe_load`` of ``text``, with libyaml when available."""
    return yaml.load(text, Loader=_SafeLoader)  # a safe loader: no arbitrary objects


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml_text(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {' '.join(str(exc).split())}") from exc


def config_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The configs folder: ``path``, else ``$EXTRACT_CONFIGS``, else the repository's ``configs/``."""
    chosen = Path(path or os.environ.get("EXTRACT_CONFIGS") or DEFAULT_CONFIG_DIR)
    if not chosen.is_dir():
        raise ConfigError(f"{chosen}: configs folder not found")
    return chosen


Stamp = tuple[tuple[str, int, int], ...]


def _stamp(folder: str, pattern: str) -> Stamp:
    """(name, mtime, size) of the files ``pattern`` matches in ``folder``: a cached load is reused
    only while they are unchanged (a config fixed while the process runs is read again)."""
    out = []
    for path in sorted(Path(folder).glob(pattern)):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _load_forms_cached(folder: str, stamp: Stamp = ()) -> tuple[FormSpec, ...]:
    forms = []
    for path in sorted(Path(folder, "forms").glob("*.yaml")):
        data = _read_yaml(path)
        if data is None:
            raise ConfigError(f"{path}: empty form file (declare the form or delete the file)")
        try:
            forms.append(FormSpec.model_validate(data))
        except ValidationError as exc:
            raise ConfigError(_error_line(str(path), exc)) from exc
    if not forms:
        raise ConfigError(f"{folder}/forms: no form declared")
    codes = [f.code for f in forms]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"{folder}/forms: duplicate form codes in {codes}")
    return tuple(forms)


def load_forms(folder: str | os.PathLike[str] | None = None) -> tuple[FormSpec, ...]:
    """Every form declared under ``<configs>/forms``, validated."""
    chosen = str(config_dir(folder))
    return _load_forms_cached(chosen, _stamp(chosen, "forms/*.yaml"))


@functools.lru_cache(maxsize=8)
def _load_settings_cached(folder: str, stamp: Stamp = ()) -> dict[str, Any]:
    data = _read_yaml(Path(folder, "pipeline.yaml")) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{folder}/pipeline.yaml: expected a mapping of sections ({', '.join(SECTIONS)})")
    return data


def load_settings(folder: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The raw sections of ``pipeline.yaml`` (validated per section by ``settings_section``)."""
    chosen = str(config_dir(folder))
    return _load_settings_cached(chosen, _stamp(chosen, "pipeline.yaml"))


M = TypeVar("M", bound=BaseModel)


def settings_section(model: type[M], name: str, folder: str | os.PathLike[str] | None = None) -> M:
    """Validate section ``name`` of ``pipeline.yaml`` with ``model`` (defaults fill what is absent)."""
    raw = load_settings(folder).get(name) or {}
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_error_line(f"pipeline.yaml, section {name!r}", exc)) from exc


def load_yaml(name: str, folder: str | os.PathLike[str] | None = None) -> Any:
    """Any other YAML file under the configs folder (e.g. ``gazetteer.yaml``)."""
    return _read_yaml(config_dir(folder) / name)


#: pipeline.yaml section -> the model that validates it ("module:Class", imported when loading).
SECTIONS: dict[str, str] = {
    "page": "extract.page:PageSettings",
    "ocr": "extract.ocr.engine:OcrSettings",
    "preprocess": "extract.preprocess:PreprocessSettings",
    "tables": "extract.tables.detect:TableSettings",
    "orientation": "extract.orientation:OrientationSettings",
    "document": "extract.document:DocumentSettings",
    "metadata": "extract.understand.metadata:MetadataSettings",
    "forms": "extract.understand.forms:FormsSettings",
    "communes": "extract.understand.communes:MatchSettings",
    "validate": "extract.validate.settings:ValidateSettings",
    "batch": "extract.batch:BatchSettings",
    "review": "extract.review.settings:ReviewSettings",
}
GAZETTEER_FILE = "gazetteer.yaml"


def _model(section: str) -> type[BaseModel]:
    module, name = SECTIONS[section].split(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _error_line(where: str, exc: ValidationError) -> str:
    """One line per problem of a pydantic error: ``where: field: message (got value)``."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(x) for x in err["loc"]) or "(top level)"
        got = err.get("input")
        shown = "" if isinstance(got, (dict, list)) else f" (got {got!r})"
        parts.append(f"{field}: {err['msg']}{shown}")
    return f"{where}: " + "; ".join(parts)


@dataclasses.dataclass(frozen=True)
class PageStageSettings:
    """The settings of the stages a page task runs (ingest, preprocess, tables, OCR, orientation):
    the part of :class:`Settings` each page task carries (0.3 ms to pickle, where the forms would
    cost 3.5 ms a page)."""

    page: PageSettings
    ocr: OcrSettings
    preprocess: PreprocessSettings
    tables: TableSettings
    orientation: OrientationSettings


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything under one configs folder, validated: one typed field per pipeline.yaml section,
    the declared forms, and the gazetteer overrides.  Picklable (page tasks carry it to workers).

    Build it with :func:`load_config`; change a value with :meth:`override` (validated too).
    """

    folder: str
    page: PageSettings
    ocr: OcrSettings
    preprocess: PreprocessSettings
    tables: TableSettings
    orientation: OrientationSettings
    document: DocumentSettings
    metadata: MetadataSettings
    forms: FormsSettings
    communes: MatchSettings
    validate: ValidateSettings
    batch: BatchSettings
    review: ReviewSettings
    form_specs: tuple[FormSpec, ...]
    gazetteer_path: str | None  # gazetteer.yaml when the folder has one (already validated)

    def override(self, section: str, where: str = "", **changes: Any) -> Settings:
        """A copy with ``changes`` applied to ``section`` and validated (``where`` names the origin
        of the change in the error message, e.g. ``"--dpi"``); raises :class:`ConfigError`."""
        current: BaseModel = getattr(self, section)
        try:
            updated = type(current).model_validate({**current.model_dump(), **changes})
        except ValidationError as exc:
            raise ConfigError(
                _error_line(where or f"{self.folder}/pipeline.yaml, section {section!r}", exc)
            ) from exc
        change: dict[str, Any] = {section: updated}
        return dataclasses.replace(self, **change)

    def page_stages(self) -> PageStageSettings:
        """The sections a page task needs (small: sent with every page task to the workers)."""
        return PageStageSettings(self.page, self.ocr, self.preprocess, self.tables, self.orientation)

    def form(self, code: str) -> FormSpec:
        for f in self.form_specs:
            if f.code == code:
                return f
        raise KeyError(code)


def _check_gazetteer(path: Path) -> None:
    from .understand.gazetteer import Gazetteer

    try:
        Gazetteer.load(path)  # parses, validates and applies every override entry (cached)
    except ConfigError as exc:
        if isinstance(exc.__cause__, ValidationError):  # one line per problem, not pydantic's block
            raise ConfigError(_error_line(str(path), exc.__cause__)) from exc
        if isinstance(exc.__cause__, yaml.YAMLError):
            raise ConfigError(f"{path}: invalid YAML: {' '.join(str(exc.__cause__).split())}") from exc
        raise
    except Exception as exc:
        raise ConfigError(f"{path}: {type(exc).__name__}: {exc}") from exc


@functools.lru_cache(maxsize=8)
def _load_config_cached(folder: str, stamp: Stamp) -> Settings:
    path = Path(folder, "pipeline.yaml")
    raw = load_settings(folder) if path.is_file() else {}  # the one reader of pipeline.yaml
    unknown = sorted(str(k) for k in raw if k not in SECTIONS)
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    sections: dict[str, Any] = {}
    for name in SECTIONS:
        data = raw.get(name)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}, section {name!r}: expected a mapping, got {type(data).__name__}")
        try:
            sections[name] = _model(name).model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_error_line(f"{path}, section {name!r}", exc)) from exc
    gazetteer = Path(folder, GAZETTEER_FILE)
    if gazetteer.exists():
        _check_gazetteer(gazetteer)
    return Settings(
        folder=folder,
        form_specs=load_forms(folder),
        gazetteer_path=str(gazetteer.resolve()) if gazetteer.exists() else None,
        **sections,
    )


def load_config(folder: str | os.PathLike[str] | None = None) -> Settings:
    """Read and validate everything under the configs folder (see :func:`config_dir`), once per
    folder and process.  Raises :class:`ConfigError` naming the file, section and field."""
    chosen = str(config_dir(folder).resolve())
    stamp = _stamp(chosen, "*.yaml") + _stamp(chosen, "forms/*.yaml")
    return _load_config_cached(chosen, stamp)


def settings_or_default(settings: Settings | str | os.PathLike[str] | None) -> Settings:
    """``settings`` itself, else the settings of the configs folder it names (``None``: the
    default folder).  For callers that still hold a folder instead of settings."""
    return settings if isinstance(settings, Settings) else load_config(settings)
