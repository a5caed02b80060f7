"""What the generator prints: the report's metadata and prose, each form's rows, the form
layouts it follows (:class:`FormLike`) and the typist's layout choices (:class:`LayoutOptions`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

Orientation = Literal["portrait", "landscape"]
Align = Literal["left", "center", "right"]


class ColumnLike(Protocol):
    """What the renderer needs of a column: its key, header path (top level first), printed
    column number and type (alignment and wrapping)."""

    @property
    def key(self) -> str: ...
    @property
    def header(self) -> Sequence[str]: ...
    @property
    def number(self) -> str | None: ...
    @property
    def type(self) -> str: ...


class FormLike(Protocol):
    """What the renderer needs of a form layout (``extract.config.FormSpec`` or the population
    generator's own printed layouts, :mod:`extract.synth.printed`)."""

    @property
    def code(self) -> str: ...
    @property
    def heading(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def columns(self) -> Sequence[ColumnLike]: ...


@dataclass(frozen=True)
class DocumentInfo:
    """Metadata and prose of the report (the ``document`` section of the content file)."""

    number: str  # "542/BC-UBND"
    date: str  # ISO "2019-11-21"
    place: str  # "Kế Sách"
    district: str  # "Huyện Kế Sách"
    province: str  # "Tỉnh Sóc Trăng"
    issuer: str  # "ỦY BAN NHÂN DÂN HUYỆN KẾ SÁCH"
    title: str = "BÁO CÁO"
    subtitle: str = ""
    year: int | None = None
    recipients: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    signer_title: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    signer: str | None = None


@dataclass(frozen=True)
class FormRow:
    """One body row: printed text per column key (absent keys print empty); ``bold`` for section and
    total rows."""

    cells: tuple[tuple[str, str], ...]
    bold: bool = False

    def text(self, key: str) -> str:
        for k, v in self.cells:
            if k == key:
                return v
        return ""

    def as_dict(self) -> dict[str, str]:
        return dict(self.cells)


@dataclass(frozen=True)
class FormContent:
    """The printed content of one annex form: its code, reference line and rows."""

    code: str
    reference: str
    rows: tuple[FormRow, ...]
    title: str | None = None  # printed subtitle; the form declaration's title when None


@dataclass(frozen=True)
class ReportData:
    document: DocumentInfo
    forms: tuple[FormContent, ...]

    def form(self, code: str) -> FormContent:
        for f in self.forms:
            if f.code == code:
                return f
        raise KeyError(code)


@dataclass(frozen=True)
class LayoutOptions:
    """Choices a real typist makes differently from one report to the next."""

    repeat_header: bool = False  # repeat the table header on continuation pages (real reports rarely do)
    pack_forms: bool = True  # start a form below the previous one when it fits (several tables a page)
    number_align: Literal["right", "center"] = "center"
    form_code_align: Mapping[str, Literal["right", "center"]] = field(default_factory=dict)  # per form code
    default_form_code_align: Literal["right", "center"] = "right"
    column_numbers: bool = True  # print the "(1) (2) (3)=(4)+(5)" row when the form declares numbers
    page_numbers: bool = True  # page numbers at the top of prose pages after the first
    font_family: str | None = None  # a family of FONT_FAMILIES (None: font_family()'s)
    table_pt: float | None = (
        None  # preferred table font size (None: the largest of TABLE_PT_CHOICES that fits)
    )
    width_jitter: tuple[float, ...] = ()  # per column, a factor (>= 1) on its preferred width
    orientation: Orientation | None = None  # force the tables' orientation when they fit it


def with_options(options: LayoutOptions, **changes: Any) -> LayoutOptions:
    """A copy of ``options`` with some fields changed."""
    return replace(options, **changes)
