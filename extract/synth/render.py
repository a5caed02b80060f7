"""Render a BC-UBND report as clean printed pages: a cover page with prose, then annex forms.

Everything here is deterministic: no randomness, no clock.  Lengths are declared in millimetres
or typographic points and turned into pixels at the requested DPI, so a page rendered at 150 dpi
has the same layout as one at 300 dpi, only coarser.

Pages are A4 (210 x 297 mm); a form whose table is too wide for a portrait page (or has more than
:data:`PORTRAIT_MAX_COLUMNS` columns) is printed on landscape pages, like real annexes.  Tables are
ruled (every cell boxed), their multi-level header cells are merged from the column header paths
of the form declaration (``configs/forms/*.yaml``), and long tables continue on the next page.

Every table cell's box is recorded in page pixels (``x0 <= x < x1``; the coordinates of a box's
edges are the centres of the ruling lines around it), together with the text runs drawn in it, so
ground truth and damage can be computed later.
"""

from __future__ import annotations

import contextvars
import functools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..errors import MissingDependencyError
from ..model import PixelBox

# ------------------------------------------------------------------------------------------------
# constants (lengths in mm or pt; converted at the page's DPI)

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
A4_MM = (210.0, 297.0)  # width, height of a portrait page

#: page margins (top, right, bottom, left) in mm, after Nghị định 30/2020 for the prose pages
PORTRAIT_MARGINS_MM = (20.0, 15.0, 20.0, 30.0)
LANDSCAPE_MARGINS_MM = (15.0, 15.0, 15.0, 20.0)

PROSE_PT = 14.0  # body text of the report
HEADER_BLOCK_PT = 13.0  # issuer and national header
TITLE_PT = 14.0
FORM_TITLE_PT = 13.0
TABLE_PT_CHOICES = (12.0, 11.0, 10.0, 9.0, 8.0)  # largest table font that fits is used
SMALL_PT = 11.0  # recipients list, page numbers

RULE_PT = 0.6  # ruling line thickness
CELL_PAD_X_MM = 1.2
CELL_PAD_Y_MM = 0.8
PARAGRAPH_INDENT_MM = 12.7
PARAGRAPH_GAP_PT = 6.0
LINE_SPACING = 1.0  # multiple of the font's ascent + descent

PORTRAIT_MAX_COLUMNS = 8  # more columns than this always go landscape
MIN_FIXED_COL_MM = 9.0  # narrowest number/index column
MIN_FLEX_COL_MM = 22.0  # narrowest label/note column
HEADER_MAX_LINES = 5  # a leaf header may wrap into at most this many lines before its column widens
FLEX_WEIGHTS = {"label": 3.0, "note": 2.0, "text": 2.0}  # share of spare width of wrapping columns
WRAPPING_TYPES = frozenset({"label", "note", "text"})
NUMERIC_ALIGN_TYPES = frozenset({"count", "signed", "decimal", "percent", "ratio"})
WIDE_CELL_MM = 30.0  # a cell wider than this unwrapped makes its column a wrapping column
MIN_ROWS_AFTER_HEADER = 3  # a table starts on the current page only if this many rows fit there
SIGNATURE_BLOCK_MM = 45.0

#: serif families in order of preference: (name, folder, files for regular/bold/italic/bold_italic).
#: Liberation Serif 1.x (Debian fonts-liberation) lacks most Vietnamese letters, so it is used only
#: when it covers :data:`VIETNAMESE_LETTERS`; Liberation Serif 2 is Debian fonts-liberation2.
FONT_FAMILIES: tuple[tuple[str, str, tuple[str, str, str, str]], ...] = (
    (
        "Liberation Serif 2",
        "/usr/share/fonts/truetype/liberation2",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "Liberation Serif",
        "/usr/share/fonts/truetype/liberation",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "DejaVu Serif",
        "/usr/share/fonts/truetype/dejavu",
        ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
    ),
    (
        "DejaVu Serif Condensed",
        "/usr/share/fonts/truetype/dejavu",
        (
            "DejaVuSerifCondensed.ttf",
            "DejaVuSerifCondensed-Bold.ttf",
            "DejaVuSerifCondensed-Italic.ttf",
            "DejaVuSerifCondensed-BoldItalic.ttf",
        ),
    ),
    (
        "Noto Serif",
        "/usr/share/fonts/truetype/noto",
        ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf"),
    ),
)
#: the serif families with full Vietnamese that the population generator draws from (Debian
#: fonts-liberation2, fonts-dejavu-core + fonts-dejavu-extra, fonts-noto-core)
VIETNAMESE_SERIF_FAMILIES = ("Liberation Serif 2", "DejaVu Serif", "DejaVu Serif Condensed", "Noto Serif")
VIETNAMESE_LETTERS = (
    "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
)
_STYLES = ("regular", "bold", "italic", "bold_italic")

Style = Literal["regular", "bold", "italic", "bold_italic"]
Orientation = Literal["portrait", "landscape"]
Align = Literal["left", "center", "right"]


def mm_to_px(value_mm: float, dpi: float) -> int:
    """Millimetres to whole pixels at ``dpi``."""
    return round(value_mm * dpi / MM_PER_INCH)


def pt_to_px(value_pt: float, dpi: float) -> int:
    """Typographic points (1/72 inch) to whole pixels at ``dpi``."""
    return round(value_pt * dpi / PT_PER_INCH)


def rule_px(dpi: float) -> int:
    """Ruling line thickness in pixels (at least 1)."""
    return max(1, pt_to_px(RULE_PT, dpi))


def _covers(path: Path, letters: str) -> bool:
    """Whether the font file draws every one of ``letters`` with its own glyph (not .notdef)."""
    fnt = ImageFont.truetype(str(path), 40)
    notdef = bytes(fnt.getmask("\uffff"))
    return all(bytes(fnt.getmask(ch)) != notdef for ch in letters)


@functools.cache
def family_paths(name: str) -> dict[str, Path] | None:
    """The four style files of family ``name`` of :data:`FONT_FAMILIES`, or None when it is not
    installed with all four styles drawing every Vietnamese letter."""
    for fam, folder, files in FONT_FAMILIES:
        if fam != name:
            continue
        paths = {style: Path(folder, f) for style, f in zip(_STYLES, files, strict=False)}
        if all(p.is_file() for p in paths.values()) and all(
            _covers(p, VIETNAMESE_LETTERS) for p in paths.values()
        ):
            return paths
        return None
    raise KeyError(f"unknown font family {name!r}; known: {[f[0] for f in FONT_FAMILIES]}")


@functools.lru_cache(maxsize=1)
def font_family() -> tuple[str, dict[str, Path]]:
    """The first family of :data:`FONT_FAMILIES` installed with all four styles and Vietnamese letters."""
    for name, _folder, _files in FONT_FAMILIES:
        paths = family_paths(name)
        if paths is not None:
            return name, paths
    raise MissingDependencyError(
        "no serif font with Vietnamese letters found: install Liberation Serif 2 "
        "(Debian/Ubuntu: apt-get install fonts-liberation2) or DejaVu Serif (fonts-dejavu)"
    )


#: the family the current :func:`render_document` call draws with ("" for :func:`font_family`)
_FAMILY: contextvars.ContextVar[str] = contextvars.ContextVar("synth_font_family", default="")


@contextmanager
def using_family(name: str | None) -> Iterator[str]:
    """Draw with family ``name`` (None or "": the default of :func:`font_family`) inside the block."""
    if name and family_paths(name) is None:
        raise MissingDependencyError(
            f"font family {name!r} is not installed with Vietnamese letters "
            "(Debian: apt-get install fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra fonts-noto-core)"
        )
    token = _FAMILY.set(name or "")
    try:
        yield name or font_family()[0]
    finally:
        _FAMILY.reset(token)


@functools.lru_cache(maxsize=256)
def _font(family: str, style: Style, size_px: int) -> ImageFont.FreeTypeFont:
    paths = family_paths(family) if family else font_family()[1]
    assert paths is not None
    return ImageFont.truetype(str(paths[style]), size_px)


def font(style: Style, size_px: int, family: str | None = None) -> ImageFont.FreeTypeFont:
    """A serif font in ``style`` at ``size_px`` pixels per em: ``family``, else the family of the
    enclosing :func:`using_family`, else :func:`font_family`'s."""
    return _font(_FAMILY.get() if family is None else family, style, size_px)


def line_height(fnt: ImageFont.FreeTypeFont) -> int:
    """Distance between baselines of consecutive lines, in pixels."""
    ascent, descent = fnt.getmetrics()
    return round((ascent + descent) * LINE_SPACING)


# ------------------------------------------------------------------------------------------------
# input content


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
    """One body row: printed text per column key (absent keys print empty); ``bold`` for section/total rows."""

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


# ------------------------------------------------------------------------------------------------
# output records


@dataclass(frozen=True)
class TextRun:
    """A line of text as drawn: ``x`` is the left end, ``baseline`` the baseline y, in page pixels."""

    text: str
    x: int
    baseline: int
    style: Style
    size_px: int
    word_gap: float = 0.0  # extra pixels after each space (justified prose)
    family: str = field(default_factory=_FAMILY.get)  # "" for the default family

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return font(self.style, self.size_px, self.family)

    def char_box(self, index: int) -> PixelBox:
        """Ink box of character ``index`` of this run, in page pixels."""
        fnt = self.font
        prefix = self.text[:index]
        x = self.x + fnt.getlength(prefix) + self.word_gap * prefix.count(" ")
        x0, y0, x1, y1 = fnt.getbbox(self.text[index], anchor="ls")
        return PixelBox(
            math.floor(x + x0),
            self.baseline + math.floor(y0),
            math.ceil(x + x1),
            self.baseline + math.ceil(y1),
        )


@dataclass(frozen=True)
class TextLine:
    """A line of text outside tables, with its role ("title", "form_code", "paragraph", ...)."""

    text: str
    box: PixelBox
    role: str


@dataclass(frozen=True)
class RenderedCell:
    """A ruled table cell: grid slot, spans, box (line centre to line centre) and what was printed."""

    row: int  # grid row within the table piece (header rows first)
    col: int
    row_span: int
    col_span: int
    box: PixelBox
    text: str
    runs: tuple[TextRun, ...] = ()
    key: str | None = None  # column key (body cells and leaf header cells)

    @property
    def text_box(self) -> PixelBox | None:
        """Union of the ink boxes of the drawn runs, or None for an empty cell."""
        boxes = [_run_box(r) for r in self.runs if r.text.strip()]
        if not boxes:
            return None
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out


@dataclass(frozen=True)
class RenderedRow:
    row_index: int  # index of the body row within the form's rows (across continuation pages)
    bold: bool
    cells: tuple[RenderedCell, ...]  # one per column, in column order

    def cell(self, key: str) -> RenderedCell:
        for c in self.cells:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass(frozen=True)
class RenderedTable:
    """The part of one form's table printed on one page."""

    form_code: str
    table_index: int  # index of the form's table within the document
    part: int  # 0 for the first page of the table, 1 for its first continuation page, ...
    page_index: int
    index_on_page: int  # order on the page, top to bottom
    column_keys: tuple[str, ...]
    header_paths: tuple[tuple[str, ...], ...]
    header_cells: tuple[RenderedCell, ...]  # empty on continuation pages unless the header repeats
    header_rows: int  # grid rows taken by the header (column-number row included)
    rows: tuple[RenderedRow, ...]
    row_edges: tuple[int, ...]
    col_edges: tuple[int, ...]
    continued_from_previous_page: bool
    continues_on_next_page: bool
    orientation: Orientation

    @property
    def box(self) -> PixelBox:
        return PixelBox(self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1])


@dataclass(eq=False)
class RenderedPage:
    """A clean page: grayscale uint8 image (255 paper, 0 ink), its DPI, and what is printed on it."""

    image: np.ndarray
    dpi: float
    kind: Literal["cover", "text", "form"]
    orientation: Orientation
    lines: list[TextLine]
    tables: list[RenderedTable]


def _run_box(run: TextRun) -> PixelBox:
    fnt = run.font
    if run.word_gap:
        width = fnt.getlength(run.text) + run.word_gap * run.text.count(" ")
        x0, y0, _, y1 = fnt.getbbox(run.text, anchor="ls")
        return PixelBox(
            run.x + math.floor(x0),
            run.baseline + math.floor(y0),
            math.ceil(run.x + width),
            run.baseline + math.ceil(y1),
        )
    x0, y0, x1, y1 = fnt.getbbox(run.text, anchor="ls")
    return PixelBox(
        run.x + math.floor(x0),
        run.baseline + math.floor(y0),
        run.x + math.ceil(x1),
        run.baseline + math.ceil(y1),
    )


# ------------------------------------------------------------------------------------------------
# text wrapping

_BREAK_AFTER = "=+/-;,@._"


def _break_token(token: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Split a token wider than ``width`` px, preferring breaks after ``=+/-;,@._``."""
    parts: list[str] = []
    rest = token
    while rest and fnt.getlength(rest) > width:
        cut = 1
        for i in range(1, len(rest) + 1):
            if fnt.getlength(rest[:i]) > width:
                break
            cut = i
        soft = max((i + 1 for i in range(cut) if rest[i] in _BREAK_AFTER and i + 1 < len(rest)), default=0)
        if soft and soft <= cut:
            cut = soft
        parts.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        parts.append(rest)
    return parts


def wrap_text(text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width`` pixels (hard breaks at "\\n")."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        words: list[str] = []
        for w in para.split():
            words.extend(_break_token(w, fnt, width) if fnt.getlength(w) > width else [w])
        current = ""
        for w in words:
            trial = f"{current} {w}" if current else w
            if current and fnt.getlength(trial) > width:
                lines.append(current)
                current = w
            else:
                current = trial
        lines.append(current)
    while len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def balanced_wrap(text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Wrap like :func:`wrap_text` into as few lines, but with lines of similar length (titles)."""
    lines = wrap_text(text, fnt, width)
    if len(lines) < 2:
        return lines
    lo, hi = max(_longest_word(text, fnt), 1.0), float(width)
    while hi - lo > 1:
        mid = (lo + hi) / 2
        if len(wrap_text(text, fnt, mid)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return wrap_text(text, fnt, hi)


def _longest_word(text: str, fnt: ImageFont.FreeTypeFont) -> float:
    return max((fnt.getlength(w) for w in str(text).split()), default=0.0)


# ------------------------------------------------------------------------------------------------
# table geometry (pure)


@dataclass(frozen=True)
class HeaderSpan:
    """A header cell in header-grid slots: ``row`` is the header level, spans are >= 1."""

    text: str
    row: int
    col: int
    row_span: int
    col_span: int
    key: str | None = None  # the column key when the cell is a leaf (its column's last level)


def header_spans(
    paths: Sequence[Sequence[str]], keys: Sequence[str] | None = None
) -> tuple[list[HeaderSpan], int]:
    """Merged header cells of columns with header ``paths`` (top level first), and the header depth.

    Consecutive columns whose paths share a prefix share the cells of that prefix.  A column whose
    path ends above the deepest level gets a leaf cell spanning down to the last header row.
    """
    if not paths:
        return [], 0
    depth = max(len(p) for p in paths)
    out: list[HeaderSpan] = []

    def build(level: int, start: int, stop: int) -> None:
        i = start
        while i < stop:
            label, leaf = paths[i][level], len(paths[i]) == level + 1
            j = i + 1
            if not leaf:
                while j < stop and len(paths[j]) > level + 1 and paths[j][level] == label:
                    j += 1
            if leaf:
                out.append(HeaderSpan(label, level, i, depth - level, 1, keys[i] if keys else None))
            else:
                out.append(HeaderSpan(label, level, i, 1, j - i))
                build(level + 1, i, j)
            i = j

    build(0, 0, len(paths))
    out.sort(key=lambda s: (s.row, s.col))
    return out, depth


def distribute_span_heights(base: Sequence[int], spans: Sequence[tuple[int, int, int]]) -> list[int]:
    """Row heights such that every ``(row, row_span, needed_height)`` fits its rows.

    ``base`` are minimum heights per row.  Single-row needs are applied first; a multi-row cell
    taller than its rows spreads the shortfall evenly over them.
    """
    heights = list(base)
    for row, span, need in sorted(spans, key=lambda s: s[1]):
        have = sum(heights[row : row + span])
        if need > have:
            extra = need - have
            for k in range(span):
                heights[row + k] += extra // span + (1 if k < extra % span else 0)
    return heights


@dataclass(frozen=True)
class TablePlan:
    """How a form's table is laid out: orientation, font size and column widths (px)."""

    orientation: Orientation
    font_px: int
    col_widths: tuple[int, ...]
    header: tuple[HeaderSpan, ...]
    depth: int
    numbers: tuple[str, ...] | None  # the column-number row, or None


def _page_size(orientation: Orientation, dpi: float) -> tuple[int, int]:
    w, h = (mm_to_px(A4_MM[0], dpi), mm_to_px(A4_MM[1], dpi))
    return (w, h) if orientation == "portrait" else (h, w)


def _margins(orientation: Orientation, dpi: float) -> tuple[int, int, int, int]:
    mm = PORTRAIT_MARGINS_MM if orientation == "portrait" else LANDSCAPE_MARGINS_MM
    return tuple(mm_to_px(v, dpi) for v in mm)  # type: ignore[return-value]


def content_width(orientation: Orientation, dpi: float) -> int:
    _, right, _, left = _margins(orientation, dpi)
    return _page_size(orientation, dpi)[0] - left - right


def _column_needs(
    spec: FormLike, rows: Sequence[FormRow], font_px: int, dpi: float
) -> tuple[list[int], list[int], list[bool]]:
    """Per column: minimum width, preferred width, and whether the column wraps its body text."""
    body, bold = font("regular", font_px), font("bold", font_px)
    pad = 2 * mm_to_px(CELL_PAD_X_MM, dpi)
    mins, prefs, wraps = [], [], []
    for col in spec.columns:
        texts = [r.text(col.key) for r in rows]
        natural = max((bold.getlength(t) for t in texts), default=0.0)
        word = max((_longest_word(t, bold) for t in texts), default=0.0)
        leaf = col.header[-1]
        hword = _longest_word(leaf, bold)
        number = _longest_word(col.number or "", body)
        wrap = col.type in WRAPPING_TYPES or natural > mm_to_px(WIDE_CELL_MM, dpi)
        floor = max(word, hword, number * 0.6) + pad + 1
        if wrap:
            mins.append(math.ceil(max(floor, mm_to_px(MIN_FLEX_COL_MM, dpi))))
            prefs.append(math.ceil(max(floor, mm_to_px(MIN_FLEX_COL_MM, dpi))))
        else:
            want = max(natural + pad + 1, floor, bold.getlength(leaf) / HEADER_MAX_LINES + pad)
            mins.append(math.ceil(max(floor, natural + pad + 1, mm_to_px(MIN_FIXED_COL_MM, dpi))))
            prefs.append(math.ceil(max(want, mm_to_px(MIN_FIXED_COL_MM, dpi))))
        wraps.append(wrap)
    return mins, prefs, wraps


def _fit_widths(
    spec: FormLike, mins: list[int], prefs: list[int], wraps: list[bool], avail: int
) -> list[int] | None:
    """Column widths summing to ``avail`` px, or None when even the minimum widths do not fit."""
    if sum(mins) > avail:
        return None
    fixed = [p if not w else 0 for p, w in zip(prefs, wraps, strict=False)]
    flex_min = [m if w else 0 for m, w in zip(mins, wraps, strict=False)]
    if sum(fixed) + sum(flex_min) > avail:  # shrink fixed columns towards their minimum
        over = sum(fixed) + sum(flex_min) - avail
        slack = [p - m if not w else 0 for p, m, w in zip(prefs, mins, wraps, strict=False)]
        total_slack = sum(slack) or 1
        fixed = [
            f - (over * s) // total_slack - (1 if s else 0) if not w else 0
            for f, s, w in zip(fixed, slack, wraps, strict=False)
        ]
        fixed = [max(f, m) if not w else 0 for f, m, w in zip(fixed, mins, wraps, strict=False)]
    spare = avail - sum(fixed) - sum(flex_min)
    weights = [FLEX_WEIGHTS.get(c.type, 1.0) if w else 0.0 for c, w in zip(spec.columns, wraps, strict=False)]
    if sum(weights) == 0:  # no wrapping column: widen every column evenly
        weights = [1.0] * len(wraps)
    total_w = sum(weights)
    widths = [f + fm + int(spare * wt / total_w) for f, fm, wt in zip(fixed, flex_min, weights, strict=False)]
    widths[-1] += avail - sum(widths)
    if min(widths) <= 0:
        return None
    return widths


def plan_table(spec: FormLike, rows: Sequence[FormRow], dpi: float, options: LayoutOptions) -> TablePlan:
    """Choose orientation, font size and column widths for a form's table."""
    paths = [tuple(c.header) for c in spec.columns]
    keys = [c.key for c in spec.columns]
    header, depth = header_spans(paths, keys)
    numbers = None
    if options.column_numbers and any(c.number for c in spec.columns):
        numbers = tuple(c.number or "" for c in spec.columns)
    orientations: tuple[Orientation, ...] = (
        ("landscape",) if len(spec.columns) > PORTRAIT_MAX_COLUMNS else ("portrait", "landscape")
    )
    if options.orientation is not None and options.orientation in orientations:
        orientations = (options.orientation,) + tuple(o for o in orientations if o != options.orientation)
    for orientation in orientations:
        choices = (
            TABLE_PT_CHOICES[:2] if orientation == "portrait" and len(orientations) == 2 else TABLE_PT_CHOICES
        )
        if options.table_pt is not None:  # the typist's size first, then smaller ones if it does not fit
            choices = (options.table_pt,) + tuple(c for c in TABLE_PT_CHOICES if c < options.table_pt)
        for size_pt in choices:
            font_px = pt_to_px(size_pt, dpi)
            mins, prefs, wraps = _column_needs(spec, rows, font_px, dpi)
            if options.width_jitter:
                prefs = [
                    max(m, round(p * (options.width_jitter[k] if k < len(options.width_jitter) else 1.0)))
                    for k, (p, m) in enumerate(zip(prefs, mins, strict=False))
                ]
            widths = _fit_widths(spec, mins, prefs, wraps, content_width(orientation, dpi))
            if widths is not None:
                return TablePlan(orientation, font_px, tuple(widths), tuple(header), depth, numbers)
    font_px = pt_to_px(TABLE_PT_CHOICES[-1], dpi)  # squeeze: equal widths at the smallest size
    n = len(spec.columns)
    avail = content_width("landscape", dpi)
    widths = [avail // n] * n
    widths[-1] += avail - sum(widths)
    return TablePlan("landscape", font_px, tuple(widths), tuple(header), depth, numbers)


# ------------------------------------------------------------------------------------------------
# drawing


class _Canvas:
    """One page being drawn."""

    def __init__(self, orientation: Orientation, kind: Literal["cover", "text", "form"], dpi: float) -> None:
        self.orientation = orientation
        self.kind = kind
        self.dpi = dpi
        self.width, self.height = _page_size(orientation, dpi)
        self.image = Image.new("L", (self.width, self.height), 255)
        self.draw = ImageDraw.Draw(self.image)
        top, right, bottom, left = _margins(orientation, dpi)
        self.left, self.right = left, self.width - right
        self.top, self.bottom = top, self.height - bottom
        self.y = top
        self.lines: list[TextLine] = []
        self.tables: list[RenderedTable] = []

    @property
    def space_left(self) -> int:
        return self.bottom - self.y

    def run(
        self, text: str, x: int, baseline: int, style: Style, size_px: int, word_gap: float = 0.0
    ) -> TextRun:
        r = TextRun(text, int(x), int(baseline), style, size_px, word_gap)
        if word_gap:
            fnt = r.font
            cursor = float(x)
            for word in text.split(" "):
                if word:
                    self.draw.text((round(cursor), baseline), word, font=fnt, fill=0, anchor="ls")
                cursor += fnt.getlength(word) + fnt.getlength(" ") + word_gap
        elif text:
            self.draw.text((int(x), int(baseline)), text, font=r.font, fill=0, anchor="ls")
        return r

    def text_line(
        self,
        text: str,
        style: Style,
        size_px: int,
        align: Align,
        role: str,
        x0: int | None = None,
        x1: int | None = None,
        baseline: int | None = None,
    ) -> TextRun:
        """Draw one line aligned between ``x0`` and ``x1`` (the margins by default); record it."""
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        fnt = font(style, size_px)
        width = fnt.getlength(text)
        x = {"left": x0, "center": x0 + (x1 - x0 - width) / 2, "right": x1 - width}[align]
        if baseline is None:
            baseline = self.y + fnt.getmetrics()[0]
            self.y += line_height(fnt)
        r = self.run(text, round(x), baseline, style, size_px)
        if text.strip():
            self.lines.append(TextLine(text, _run_box(r), role))
        return r

    def hrule(self, x0: int, x1: int, y: int, thickness: int) -> None:
        self.draw.rectangle([x0, y - thickness // 2, x1 - 1, y - thickness // 2 + thickness - 1], fill=0)

    def vrule(self, x: int, y0: int, y1: int, thickness: int) -> None:
        self.draw.rectangle([x - thickness // 2, y0, x - thickness // 2 + thickness - 1, y1 - 1], fill=0)

    def finish(self) -> RenderedPage:
        return RenderedPage(
            np.asarray(self.image, dtype=np.uint8).copy(),
            self.dpi,
            self.kind,
            self.orientation,
            self.lines,
            self.tables,
        )


def _vn_date(place: str, iso: str) -> str:
    """ "Kế Sách, ngày 21 tháng 11 năm 2019" from an ISO date."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if not m:
        raise ValueError(f"document date must be ISO YYYY-MM-DD, got {iso!r}")
    y, mo, d = m.groups()
    return f"{place}, ngày {int(d)} tháng {int(mo)} năm {y}"


def _split_issuer(issuer: str) -> list[str]:
    """Issuer on two lines, breaking before the unit level ("HUYỆN KẾ SÁCH")."""
    m = re.search(r"\s(HUYỆN|TỈNH|XÃ|THỊ XÃ|THÀNH PHỐ|QUẬN|PHƯỜNG|THỊ TRẤN)\s", issuer)
    if m:
        return [issuer[: m.start()].strip(), issuer[m.start() :].strip()]
    return [issuer]


class _Flow:
    """Pages being filled top to bottom."""

    def __init__(self, dpi: float, options: LayoutOptions) -> None:
        self.dpi = dpi
        self.options = options
        self.pages: list[RenderedPage] = []
        self.canvas: _Canvas | None = None

    def new_page(self, orientation: Orientation, kind: Literal["cover", "text", "form"]) -> _Canvas:
        self.close()
        self.canvas = _Canvas(orientation, kind, self.dpi)
        return self.canvas

    def close(self) -> None:
        if self.canvas is not None:
            self.pages.append(self.canvas.finish())
            self.canvas = None

    @property
    def page_index(self) -> int:
        return len(self.pages)


# -- cover and prose -----------------------------------------------------------------------------


def _draw_cover(flow: _Flow, doc: DocumentInfo) -> None:
    dpi = flow.dpi
    c = flow.new_page("portrait", "cover")
    hb = pt_to_px(HEADER_BLOCK_PT, dpi)
    thick = rule_px(dpi)
    width = c.right - c.left
    split = c.left + int(width * 0.40)
    # left block: issuer, rule, number
    y0 = c.y
    issuer_lines = _split_issuer(doc.issuer)
    for i, line in enumerate(issuer_lines):
        c.text_line(
            line,
            "bold" if i == len(issuer_lines) - 1 or len(issuer_lines) == 1 else "regular",
            hb,
            "center",
            "issuer",
            c.left - mm_to_px(8, dpi),
            split,
        )
    last = c.lines[-1].box
    mid = (last.x0 + last.x1) // 2
    rule_half = mm_to_px(10, dpi)
    c.hrule(mid - rule_half, mid + rule_half, c.y + mm_to_px(1, dpi), thick)
    y_left = c.y + mm_to_px(3.5, dpi)
    # right block: national header, motto, rule, place/date
    c.y = y0
    c.text_line(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "bold",
        pt_to_px(12.5, dpi),
        "center",
        "national_header",
        split,
        c.right + mm_to_px(5, dpi),
    )
    motto = c.text_line(
        "Độc lập - Tự do - Hạnh phúc", "bold", hb, "center", "motto", split, c.right + mm_to_px(5, dpi)
    )
    mb = _run_box(motto)
    c.hrule(mb.x0, mb.x1, c.y + mm_to_px(1, dpi), thick)
    y_right = c.y + mm_to_px(3.5, dpi)
    base = max(y_left, y_right) + font("regular", hb).getmetrics()[0]
    c.text_line(
        f"Số: {doc.number}",
        "regular",
        hb,
        "center",
        "number",
        c.left - mm_to_px(8, dpi),
        split,
        baseline=base,
    )
    c.text_line(
        _vn_date(doc.place, doc.date),
        "italic",
        hb,
        "center",
        "place_date",
        split,
        c.right + mm_to_px(5, dpi),
        baseline=base,
    )
    c.y = base + mm_to_px(12, dpi)
    # title
    tp = pt_to_px(TITLE_PT, dpi)
    c.text_line(doc.title, "bold", tp, "center", "title")
    for line in balanced_wrap(doc.subtitle, font("bold", tp), int(width * 0.9)) if doc.subtitle else []:
        c.text_line(line, "bold", tp, "center", "subtitle")
    rule_y = c.y + mm_to_px(2.5, dpi)
    cx = (c.left + c.right) // 2
    c.hrule(cx - mm_to_px(15, dpi), cx + mm_to_px(15, dpi), rule_y, thick)
    c.y = rule_y + mm_to_px(6, dpi)
    _draw_paragraphs(flow, doc.paragraphs)
    _draw_signature(flow, doc)


def _justify_line(
    c: _Canvas, words: list[str], fnt: ImageFont.FreeTypeFont, x0: int, width: int, last: bool, size_px: int
) -> None:
    text = " ".join(words)
    gaps = len(words) - 1
    gap = 0.0 if last or gaps == 0 else (width - fnt.getlength(text)) / gaps
    baseline = c.y + fnt.getmetrics()[0]
    r = c.run(text, x0, baseline, "regular", size_px, gap)
    c.lines.append(TextLine(text, _run_box(r), "paragraph"))
    c.y += int(line_height(fnt) * 1.15)


def _page_number(c: _Canvas, number: int) -> None:
    size = pt_to_px(SMALL_PT + 2, c.dpi)
    fnt = font("regular", size)
    baseline = c.top // 2 + fnt.getmetrics()[0] // 2
    c.text_line(str(number), "regular", size, "center", "page_number", baseline=baseline)


def _draw_paragraphs(flow: _Flow, paragraphs: Sequence[str]) -> None:
    dpi = flow.dpi
    size = pt_to_px(PROSE_PT, dpi)
    fnt = font("regular", size)
    indent = mm_to_px(PARAGRAPH_INDENT_MM, dpi)
    step = int(line_height(fnt) * 1.15)
    for para in paragraphs:
        c = flow.canvas
        assert c is not None
        width = c.right - c.left
        first = wrap_text(para, fnt, width - indent)
        lines: list[list[str]] = []
        if first:
            lines.append(first[0].split())
            rest = " ".join(para.split()[len(first[0].split()) :])
            lines += [ln.split() for ln in wrap_text(rest, fnt, width)] if rest else []
        for i, words in enumerate(lines):
            c = flow.canvas
            assert c is not None
            if c.space_left < step:
                c = flow.new_page("portrait", "text")
                if flow.options.page_numbers:
                    _page_number(c, flow.page_index + 1)
            x0 = c.left + (indent if i == 0 else 0)
            _justify_line(c, words, fnt, x0, c.right - x0, i == len(lines) - 1, size)
        c = flow.canvas
        assert c is not None
        c.y += pt_to_px(PARAGRAPH_GAP_PT, dpi)


def _draw_signature(flow: _Flow, doc: DocumentInfo) -> None:
    dpi = flow.dpi
    c = flow.canvas
    assert c is not None
    if c.space_left < mm_to_px(SIGNATURE_BLOCK_MM, dpi):
        c = flow.new_page("portrait", "text")
        if flow.options.page_numbers:
            _page_number(c, flow.page_index + 1)
    top = c.y + mm_to_px(4, dpi)
    small = pt_to_px(SMALL_PT, dpi)
    mid = c.left + (c.right - c.left) // 2
    c.y = top
    c.text_line("Nơi nhận:", "bold_italic", pt_to_px(12, dpi), "left", "recipients", c.left, mid)
    for r in doc.recipients:
        c.text_line(r if r.startswith("-") else f"- {r}", "regular", small, "left", "recipients", c.left, mid)
    y_left = c.y
    c.y = top
    for t in doc.signer_title:
        c.text_line(t, "bold", pt_to_px(HEADER_BLOCK_PT, dpi), "center", "signature", mid, c.right)
    if doc.signer:
        c.y += mm_to_px(22, dpi)
        c.text_line(doc.signer, "bold", pt_to_px(HEADER_BLOCK_PT, dpi), "center", "signature", mid, c.right)
    c.y = max(c.y, y_left)


# -- forms ---------------------------------------------------------------------------------------


def _cell_align(col_type: str, options: LayoutOptions) -> Align:
    if col_type in WRAPPING_TYPES:
        return "left"
    if col_type in NUMERIC_ALIGN_TYPES:
        return options.number_align
    return "center"


def _cell_runs(
    text: str, box: PixelBox, style: Style, size_px: int, align: Align, dpi: float
) -> tuple[list[str], list[tuple[int, int]]]:
    """Lines of ``text`` wrapped into ``box`` and each line's (x, baseline), centred vertically."""
    fnt = font(style, size_px)
    pad_x = mm_to_px(CELL_PAD_X_MM, dpi)
    inner = box.width - 2 * pad_x
    lines = wrap_text(text, fnt, inner) if text else []
    lh = line_height(fnt)
    ascent = fnt.getmetrics()[0]
    top = box.y0 + (box.height - lh * len(lines)) // 2
    pos = []
    for i, line in enumerate(lines):
        w = fnt.getlength(line)
        x = {"left": box.x0 + pad_x, "center": box.x0 + (box.width - w) / 2, "right": box.x1 - pad_x - w}[
            align
        ]
        pos.append((round(x), top + i * lh + ascent))
    return lines, pos


def _text_height(text: str, style: Style, size_px: int, width: int, dpi: float) -> int:
    fnt = font(style, size_px)
    n = len(wrap_text(text, fnt, width - 2 * mm_to_px(CELL_PAD_X_MM, dpi))) if text else 1
    return max(n, 1) * line_height(fnt) + 2 * mm_to_px(CELL_PAD_Y_MM, dpi)


def _header_heights(plan: TablePlan, dpi: float) -> list[int]:
    """Heights of the header grid rows (levels, then the column-number row if any)."""
    base_h = line_height(font("bold", plan.font_px)) + 2 * mm_to_px(CELL_PAD_Y_MM, dpi)
    needs = []
    for s in plan.header:
        w = sum(plan.col_widths[s.col : s.col + s.col_span])
        needs.append((s.row, s.row_span, _text_height(s.text, "bold", plan.font_px, w, dpi)))
    heights = distribute_span_heights([base_h] * plan.depth, needs)
    if plan.numbers is not None:
        heights.append(
            max(
                _text_height(n, "italic", plan.font_px, w, dpi)
                for n, w in zip(plan.numbers, plan.col_widths, strict=False)
            )
        )
    return heights


def _row_height(spec: FormLike, row: FormRow, plan: TablePlan, dpi: float) -> int:
    style: Style = "bold" if row.bold else "regular"
    return max(
        _text_height(row.text(c.key), style, plan.font_px, w, dpi)
        for c, w in zip(spec.columns, plan.col_widths, strict=False)
    )


def _title_block(
    spec: FormLike, content: FormContent, plan: TablePlan, dpi: float, options: LayoutOptions
) -> list[tuple[str, Style, int, Align, str]]:
    """Lines above the table: (text, style, size px, align, role)."""
    size = pt_to_px(FORM_TITLE_PT, dpi)
    width = content_width(plan.orientation, dpi)
    out: list[tuple[str, Style, int, Align, str]] = []
    if spec.heading:
        out.append((spec.heading, "bold", pt_to_px(TITLE_PT, dpi), "center", "form_code"))
    else:
        align = options.form_code_align.get(spec.code, options.default_form_code_align)
        out.append((f"Biểu mẫu {spec.code}", "bold", size, align, "form_code"))
    title = content.title or spec.title
    for line in balanced_wrap(title, font("bold", size), int(width * 0.8)):
        out.append((line, "bold", size, "center", "form_title"))
    for line in balanced_wrap(content.reference, font("italic", size), int(width * 0.85)):
        out.append((line, "italic", size, "center", "form_reference"))
    return out


def _draw_form(flow: _Flow, spec: FormLike, content: FormContent, table_index: int) -> None:
    dpi, options = flow.dpi, flow.options
    plan = plan_table(spec, content.rows, dpi, options)
    title = _title_block(spec, content, plan, dpi, options)
    title_h = sum(line_height(font(st, sz)) for _, st, sz, _, _ in title) + mm_to_px(5, dpi)
    header_h = _header_heights(plan, dpi)
    row_h = [_row_height(spec, r, plan, dpi) for r in content.rows]
    gap = mm_to_px(8, dpi)
    c = flow.canvas
    need = title_h + sum(header_h) + sum(row_h[:MIN_ROWS_AFTER_HEADER])
    fits_here = (
        options.pack_forms
        and c is not None
        and c.kind == "form"
        and c.orientation == plan.orientation
        and c.tables
        and c.space_left >= need + gap
    )
    if fits_here:
        assert c is not None
        c.y += gap
    else:
        c = flow.new_page(plan.orientation, "form")
    for text, style, size, align, role in title:
        c.text_line(text, style, size, align, role)
    c.y += mm_to_px(5, dpi)
    keys = tuple(col.key for col in spec.columns)
    paths = tuple(tuple(col.header) for col in spec.columns)
    table_w = sum(plan.col_widths)
    x_left = c.left + (c.right - c.left - table_w) // 2
    col_edges = tuple(int(v) for v in np.concatenate([[x_left], x_left + np.cumsum(plan.col_widths)]))

    part = 0
    i = 0
    while True:
        draw_header = part == 0 or options.repeat_header
        y0 = c.y
        row_edges = [y0]
        header_cells: list[RenderedCell] = []
        if draw_header:
            for h in header_h:
                row_edges.append(row_edges[-1] + h)
            header_cells = _draw_header(c, plan, col_edges, row_edges, dpi)
        n_header = len(row_edges) - 1
        body: list[RenderedRow] = []
        while i < len(content.rows) and (row_edges[-1] + row_h[i] <= c.bottom or not body):
            top = row_edges[-1]
            row_edges.append(top + row_h[i])
            body.append(
                _draw_row(
                    c,
                    spec,
                    content.rows[i],
                    i,
                    len(row_edges) - 2,
                    top,
                    row_h[i],
                    col_edges,
                    plan,
                    options,
                    dpi,
                )
            )
            i += 1
        more = i < len(content.rows)
        table = RenderedTable(
            form_code=spec.code,
            table_index=table_index,
            part=part,
            page_index=flow.page_index,
            index_on_page=len(c.tables),
            column_keys=keys,
            header_paths=paths,
            header_cells=tuple(header_cells),
            header_rows=n_header,
            rows=tuple(body),
            row_edges=tuple(row_edges),
            col_edges=col_edges,
            continued_from_previous_page=part > 0,
            continues_on_next_page=more,
            orientation=plan.orientation,
        )
        _draw_rules(c, table, dpi)
        c.tables.append(table)
        c.y = row_edges[-1]
        if not more:
            break
        c = flow.new_page(plan.orientation, "form")
        part += 1


def _draw_header(
    c: _Canvas, plan: TablePlan, col_edges: tuple[int, ...], row_edges: list[int], dpi: float
) -> list[RenderedCell]:
    out = []
    for s in plan.header:
        box = PixelBox(
            col_edges[s.col], row_edges[s.row], col_edges[s.col + s.col_span], row_edges[s.row + s.row_span]
        )
        out.append(
            _draw_cell(
                c,
                s.text,
                box,
                "bold",
                plan.font_px,
                "center",
                dpi,
                s.row,
                s.col,
                s.row_span,
                s.col_span,
                s.key,
            )
        )
    if plan.numbers is not None:
        r = plan.depth
        for k, text in enumerate(plan.numbers):
            box = PixelBox(col_edges[k], row_edges[r], col_edges[k + 1], row_edges[r + 1])
            out.append(_draw_cell(c, text, box, "italic", plan.font_px, "center", dpi, r, k, 1, 1, None))
    return out


def _draw_cell(
    c: _Canvas,
    text: str,
    box: PixelBox,
    style: Style,
    size_px: int,
    align: Align,
    dpi: float,
    row: int,
    col: int,
    row_span: int,
    col_span: int,
    key: str | None,
) -> RenderedCell:
    lines, pos = _cell_runs(text, box, style, size_px, align, dpi)
    runs = tuple(c.run(line, x, b, style, size_px) for line, (x, b) in zip(lines, pos, strict=False))
    return RenderedCell(row, col, row_span, col_span, box, text, runs, key)


def _draw_row(
    c: _Canvas,
    spec: FormLike,
    row: FormRow,
    row_index: int,
    grid_row: int,
    top: int,
    height: int,
    col_edges: tuple[int, ...],
    plan: TablePlan,
    options: LayoutOptions,
    dpi: float,
) -> RenderedRow:
    style: Style = "bold" if row.bold else "regular"
    cells = []
    for k, col in enumerate(spec.columns):
        box = PixelBox(col_edges[k], top, col_edges[k + 1], top + height)
        cells.append(
            _draw_cell(
                c,
                row.text(col.key),
                box,
                style,
                plan.font_px,
                _cell_align(col.type, options),
                dpi,
                grid_row,
                k,
                1,
                1,
                col.key,
            )
        )
    return RenderedRow(row_index, row.bold, tuple(cells))


def _draw_rules(c: _Canvas, table: RenderedTable, dpi: float) -> None:
    t = rule_px(dpi)
    cells = list(table.header_cells) + [cell for r in table.rows for cell in r.cells]
    for cell in cells:
        b = cell.box
        c.hrule(b.x0 - t // 2, b.x1 + t - t // 2, b.y0, t)
        c.hrule(b.x0 - t // 2, b.x1 + t - t // 2, b.y1, t)
        c.vrule(b.x0, b.y0 - t // 2, b.y1 + t - t // 2, t)
        c.vrule(b.x1, b.y0 - t // 2, b.y1 + t - t // 2, t)


# ------------------------------------------------------------------------------------------------
# entry point


def render_document(
    report: ReportData,
    forms: Sequence[FormLike],
    dpi: float,
    options: LayoutOptions | None = None,
    *,
    include_cover: bool = True,
    form_codes: Sequence[str] | None = None,
) -> list[RenderedPage]:
    """Render the report's pages at ``dpi``: the cover (and prose) pages, then each form in order.

    ``forms`` are the form declarations; ``form_codes`` picks and orders the forms to print
    (default: every form of ``report`` in its order).  Table indexes count the printed forms from 0.
    """
    options = options or LayoutOptions()
    specs = {f.code: f for f in forms}
    codes = list(form_codes) if form_codes is not None else [f.code for f in report.forms]
    missing = [code for code in codes if code not in specs]
    if missing:
        raise KeyError(f"no form declaration for {missing} (configs/forms/*.yaml)")
    flow = _Flow(dpi, options)
    with using_family(options.font_family):
        if include_cover:
            _draw_cover(flow, report.document)
        for table_index, code in enumerate(codes):
            _draw_form(flow, specs[code], report.form(code), table_index)
        flow.close()
    return flow.pages


def with_options(options: LayoutOptions, **changes: object) -> LayoutOptions:
    """A copy of ``options`` with some fields changed."""
    return replace(options, **changes)  # type: ignore[arg-type]
