"""Frozen data types passed between pipeline stages.

Data flows one way: ingest -> preprocess -> tables -> ocr -> understand -> validate -> writers.
Every type here is picklable (page tasks run in worker processes or on Dask workers) and small:
a :class:`PageResult` carries text and boxes, never page images.

Coordinates: :class:`PixelBox` is in pixels of the *prepared* page image (after rotation and
deskew, at the page's DPI).  :class:`PageResult` records the rotation and skew that were applied,
so a box can be mapped back onto the original scan.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any

import numpy as np


@dataclass(frozen=True, order=True)
class PixelBox:
    """An axis-aligned box in image pixels: ``x0 <= x < x1``, ``y0 <= y < y1``."""

    x0: int
    y0: int
    x1: int
    y1: int

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"PixelBox has negative size: {self}")

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def area(self) -> int:
        return self.width * self.height

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.x0, self.y0, self.x1, self.y1)

    def union(self, other: PixelBox) -> PixelBox:
        return PixelBox(
            min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1)
        )

    def shifted(self, dx: int, dy: int) -> PixelBox:
        """This box moved by (``dx``, ``dy``): a crop's box in the image it was cut from."""
        return PixelBox(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def contains(self, other: PixelBox, slack: int = 0) -> bool:
        return (
            other.x0 >= self.x0 - slack
            and other.y0 >= self.y0 - slack
            and other.x1 <= self.x1 + slack
            and other.y1 <= self.y1 + slack
        )


@dataclass(frozen=True)
class PdfBox:
    """An axis-aligned box in PDF user space: points (1/72 inch), origin at the page's bottom
    left, ``left <= right``, ``bottom <= top``.  Only ingest sees PDF coordinates: every box that
    leaves it is a :class:`PixelBox` of the rendered page."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def union(self, other: PdfBox) -> PdfBox:
        return PdfBox(
            min(self.left, other.left),
            min(self.bottom, other.bottom),
            max(self.right, other.right),
            max(self.top, other.top),
        )


# --------------------------------------------------------------------------------------------
# ingest


@dataclass(frozen=True)
class TextWord:
    """A word from a PDF text layer or from OCR, in page pixels."""

    text: str
    box: PixelBox
    confidence: float = 100.0  # 0..100; text-layer words are 100

    def shifted(self, dx: int, dy: int) -> TextWord:
        return replace(self, box=self.box.shifted(dx, dy))


@dataclass(frozen=True, eq=False)
class PageImage:
    """One rendered page. ``image`` is grayscale uint8 (H, W); ``dpi`` is its true resolution.

    ``words`` holds the PDF text layer's words (pixel coordinates of ``image``) when the layer was
    judged trustworthy, else ``None`` (then the page is OCR'd).  ``bilevel``: the page is a 1-bit
    scan (a 1-bit image file, a PDF page of 1-bit images), ``None`` when the source does not say
    (the pixels decide, see :func:`extract.preprocess.prepare_page`).
    """

    source: str
    page_index: int  # 0-based
    page_count: int
    image: np.ndarray
    dpi: float
    words: tuple[TextWord, ...] | None = None
    bilevel: bool | None = None


# --------------------------------------------------------------------------------------------
# preprocess


@dataclass(frozen=True, eq=False)
class PreparedPage:
    """A page after orientation, deskew and binarization.

    ``gray`` is uint8 grayscale, ``binary`` is uint8 with ink = 255 and paper = 0, same shape.
    ``rotation`` is the clockwise quarter-turn applied (0, 90, 180, 270); ``skew_deg`` the
    deskew angle applied, in degrees.  ``bilevel``: the page was scanned black and white (every
    pixel paper or ink), so its letters have staircase edges (see :func:`extract.ocr.cells.prepare_text`).
    """

    gray: np.ndarray
    binary: np.ndarray
    dpi: float
    rotation: int = 0
    skew_deg: float = 0.0
    bilevel: bool = False


# --------------------------------------------------------------------------------------------
# tables


@dataclass(frozen=True)
class GridCell:
    """A cell of a ruled table grid. ``row``/``col`` are the top-left grid slot; spans >= 1."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: PixelBox

    def __post_init__(self) -> None:
        if self.row < 0 or self.col < 0 or self.row_span < 1 or self.col_span < 1:
            raise ValueError(f"invalid grid cell position/span: {self}")


@dataclass(frozen=True)
class TableGrid:
    """A ruled table: sorted row edges (y) and column edges (x), and its cells with spans.

    Rows are ``len(row_edges) - 1`` and columns ``len(col_edges) - 1``.  Every grid slot is
    covered by exactly one cell.
    """

    box: PixelBox
    row_edges: tuple[int, ...]
    col_edges: tuple[int, ...]
    cells: tuple[GridCell, ...]
    # (row, col) of the cells a round seal covers (:mod:`extract.tables.seals`): what is read
    # there is not sure
    under_seal: tuple[tuple[int, int], ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


# --------------------------------------------------------------------------------------------
# ocr


class CellKind(str, enum.Enum):
    """How a cell was (or should be) read."""

    EMPTY = "empty"  # no ink: not OCR'd
    TEXT = "text"
    NUMBER = "number"


@dataclass(frozen=True)
class Candidate:
    """One OCR reading of a cell under one set of settings (``variant`` names them)."""

    text: str
    confidence: float  # 0..100
    variant: str


@dataclass(frozen=True)
class CellRead:
    """An OCR'd cell: the grid cell plus the chosen text and every candidate read.

    ``words``: a one-line number cell's words with where each is printed (page pixels), when the
    reading has one word per letter group of the ink (:func:`extract.ocr.reader.read_cell`): a
    cell over two printed columns is parted by them at the lost rule."""

    cell: GridCell
    text: str
    confidence: float  # 0..100 (100 for empty cells and text-layer words)
    kind: CellKind
    candidates: tuple[Candidate, ...] = ()
    words: tuple[TextWord, ...] = ()


@dataclass(frozen=True)
class OcrLine:
    """A line of text outside tables (titles, report number, date), in page pixels.

    ``words`` are its words with boxes and confidences when the reader gives them (tesserocr, a
    text layer): they let :mod:`extract.pagetext` split a line that runs across two columns.
    """

    text: str
    box: PixelBox
    confidence: float
    words: tuple[TextWord, ...] = ()
    stamp: bool = False  # read inside a received stamp's frame (extract.ocr.stamps): not the page's text
    margin_mark: bool = False  # a file mark above the motto (extract.pagetext.with_margin_marks): noise
    stray_mark: bool = False  # a mark no text prints alone (extract.pagetext.with_stray_marks): noise

    def shifted(self, dx: int, dy: int) -> OcrLine:
        """This line (and its words) moved by (``dx``, ``dy``): read in a crop, placed on its page."""
        return replace(self, box=self.box.shifted(dx, dy), words=tuple(w.shifted(dx, dy) for w in self.words))


@dataclass(frozen=True)
class ReadTable:
    """A detected table with its OCR'd cells (one :class:`CellRead` per grid cell)."""

    page_index: int
    table_index: int  # order on the page, top to bottom
    grid: TableGrid
    cells: tuple[CellRead, ...]

    def matrix(self) -> list[list[str]]:
        """Text per grid slot (rows x cols); a merged cell's text fills its whole span."""
        out = [["" for _ in range(self.grid.n_cols)] for _ in range(self.grid.n_rows)]
        for c in self.cells:
            g = c.cell
            for r in range(g.row, g.row + g.row_span):
                for k in range(g.col, g.col + g.col_span):
                    out[r][k] = c.text
        return out

    def cell_at(self, row: int, col: int) -> CellRead | None:
        for c in self.cells:
            g = c.cell
            if g.row <= row < g.row + g.row_span and g.col <= col < g.col + g.col_span:
                return c
        return None


class PageStatus(str, enum.Enum):
    DONE = "done"  # tables extracted, nothing flagged
    FLAGGED = "flagged"  # extracted, some values need review
    NO_TABLES = "no_tables"  # prose page: text read, no table found
    FAILED = "failed"
    SKIPPED = "skipped"  # duplicate content


@dataclass(frozen=True)
class PageResult:
    """What a page task returns: small and picklable, no images."""

    source: str
    page_index: int
    page_count: int
    dpi: float
    width: int
    height: int
    rotation: int = 0
    skew_deg: float = 0.0
    lines: tuple[OcrLine, ...] = ()
    tables: tuple[ReadTable, ...] = ()
    used_text_layer: bool = False
    seconds: float = 0.0
    error: str | None = None  # set when the page failed; ``error_stage`` names the stage
    error_stage: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


# --------------------------------------------------------------------------------------------
# understand


@dataclass(frozen=True)
class ParsedValue:
    """A cell's text turned into a value.

    Exactly one of ``number``/``boolean``/``text`` is the value (or none, for blanks).
    ``ratio`` holds (numerator, denominator) for "32/32".  ``ambiguous`` is set when the text could
    mean two different numbers ("1.5" in a count column); such values are flagged, never guessed.
    """

    raw: str
    kind: str  # "number", "percent", "ratio", "bool", "text", "null"
    number: float | None = None
    boolean: bool | None = None
    text: str | None = None
    ratio: tuple[float, float] | None = None
    unit: str | None = None
    note: str | None = None  # text kept apart from a number: "19 (13 phòng …)" -> note "13 phòng …"
    ambiguous: bool = False
    problem: str | None = None  # why the text could not be parsed as the column's type


@dataclass(frozen=True)
class Commune:
    """A commune-level unit (xã, phường, thị trấn) with its official code, as of the report's year."""

    code: str
    name: str  # full name, e.g. "Xã Nhơn Mỹ"
    short: str  # "Nhơn Mỹ"
    unit_type: str  # "Xã", "Phường", "Thị trấn"
    district_code: str
    district: str
    province_code: str
    province: str


@dataclass(frozen=True)
class CommuneMatch:
    commune: Commune
    score: float  # 0..100
    runner_up: float  # score of the best other commune


class RowKind(str, enum.Enum):
    HEADER = "header"
    COLUMN_NUMBERS = "column_numbers"  # the "(1) (2) (3)=(4)+(5)" row
    SECTION = "section"  # I, II, ...
    ITEM = "item"  # 1, 2, ...
    SUBITEM = "subitem"  # 2.1, 2.2.3, "-" bullets
    TOTAL = "total"  # Tổng số, Tổng cộng, Tổng (I)+(II)
    COMMUNE = "commune"  # a row whose label is a commune of the district


@dataclass(frozen=True)
class RowInfo:
    """What a body row is: its kind, its printed index, its key and (maybe) its commune."""

    kind: RowKind
    index: str  # printed STT ("II", "2.2.3", "-", "")
    path: str  # hierarchical path of the row: "II/3", "2/2.2/2.2.3", "total"
    label: str  # the label as read
    key: str  # stable key within the table: commune code, or path, or a slug of the label
    commune: CommuneMatch | None = None
    problem: str | None = None  # why the row cannot be trusted as read (its values get flagged)
    printed_index: str | None = None  # the STT as read, where ``index`` was restored from the sequence


@dataclass(frozen=True)
class MetaField:
    """One field of a document's standard header, with its trust, like a cell value.

    ``status`` is ``"read"`` (sure, or printed blank: then ``value`` is None and ``reason`` says
    so) or ``"flagged"`` (``reason`` says why: low confidence, a handwritten or stamped area, a
    number that fails its own pattern, printed but unreadable).  ``raw`` is the text it was read from.
    """

    name: str  # number, symbol, date, issuer, doc_type, title, signer, district, province
    value: str | None
    status: str
    confidence: float  # 0..100
    raw: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class DocumentMeta:
    number: str | None = None  # "542/BC-UBND"
    date: str | None = None  # ISO "2019-11-21"
    year: int | None = None
    district: str | None = None  # "Huyện Kế Sách"
    district_code: str | None = None
    province: str | None = None  # "Tỉnh Sóc Trăng"
    province_code: str | None = None
    title: str | None = None
    issuer: str | None = None  # "Ủy ban nhân dân Thành phố Hà Nội", "Bộ Công Thương"
    doc_type: str | None = None  # "QĐ", "BC", "NQ", "TT", "CV" ...
    symbol: str | None = None  # the number's type code, also when the number is blank: "KH-UBND"
    signer: str | None = None
    fields: tuple[MetaField, ...] = ()  # every field with its status and confidence
    district_evidence: str | None = None  # how the district was decided (subtitle, commune names)

    def field(self, name: str) -> MetaField | None:
        return next((f for f in self.fields if f.name == name), None)


# --------------------------------------------------------------------------------------------
# values and results


class ValueStatus(str, enum.Enum):
    VERIFIED = "verified"  # an invariant confirms it
    READ = "read"  # no invariant covers it and OCR confidence is high
    CORRECTED = "corrected"  # a re-read candidate satisfied the invariants
    FLAGGED = "flagged"  # needs a person: see ``flag_reason``
    BLANK = "blank"  # printed empty (or "-"): no value, nothing to trust or doubt
    REVIEWED = "reviewed"  # a person decided it (extract/review: the ``corrections`` table)


@dataclass(frozen=True)
class OcrCorrection:
    """What validation replaced when an OCR candidate made a value's rules hold: the reading as
    first assembled (kept across re-validations) and the variant whose candidate was chosen."""

    original_text: str
    original_number: float | None
    original_confidence: float
    variant: str
    original_problem: str | None = None  # why the original reading was unusable (ambiguous, …)


@dataclass(frozen=True)
class CellPart:
    """One part of a cell joined over a page break: where it was printed and what was read there."""

    page_index: int
    box: PixelBox  # pixels of that prepared page
    raw_text: str
    confidence: float


@dataclass(frozen=True)
class ReviewDecision:
    """The reviewer's decision laid over a value (a row of the ``corrections`` table)."""

    id: int
    action: str  # extract.review.corrections.Action's value
    reviewer: str
    at: str  # when it was made, ISO
    reason: str | None = None


@dataclass(frozen=True)
class Value:
    """One cell of a recognised table, tidy: the long table has one row per Value.

    Frozen like the page-side types: the validate and review stages build new values
    (:func:`dataclasses.replace`) with their statuses, corrections and decisions.
    """

    document_id: str
    source: str
    form: str  # form code ("5B") or "unknown"
    table_index: int  # index of the table within the document
    page_index: int
    row_index: int  # body row number within the table (0-based, across continuation pages)
    row_key: str
    row_kind: str
    row_label: str
    commune_code: str | None
    commune_name: str | None
    column_key: str
    column_header: str
    value_kind: str  # ParsedValue.kind
    number: float | None
    boolean: bool | None
    text: str | None
    unit: str | None
    note: str | None
    raw_text: str
    confidence: float
    box: PixelBox  # the cell, in pixels of its prepared page (``page_index``)
    status: ValueStatus = ValueStatus.READ
    flag_reason: str | None = None
    candidates: tuple[Candidate, ...] = ()
    rule: str | None = None  # the invariant that verified or corrected it
    problem: str | None = None  # why the text cannot be used as read (unparseable, ambiguous, merged)
    ambiguous: bool = False  # the text could mean two different numbers, or one cell covers several
    correction: OcrCorrection | None = None  # set when an OCR candidate replaced the reading
    suspect: bool = False  # the cell a failing rule most likely points at
    continued: str | None = None  # why a row of an unknown table that began on a previous page stays flagged
    parts: tuple[CellPart, ...] = ()  # a cell joined over a page break: each part's page, box and text
    after_break: str | None = None  # why a joined cell is flagged (a fragment after the break)
    review: ReviewDecision | None = None  # a person's decision (extract/review)
    suggestion: float | None = (
        None  # what the form's sums give for a cell not read clearly (FLAGGED; extract/validate/suggest.py)
    )

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickle, also a value stored by an older version (a manifest's document results): its
        string-keyed ``extra`` and tuple ``box`` are read into today's fields."""
        state = dict(state)
        extra = state.pop("extra", None) or {}
        if isinstance(state.get("box"), tuple):
            state["box"] = PixelBox(*state["box"])
        for name in ("problem", "ambiguous", "suspect", "after_break"):
            if name in extra:
                state.setdefault(name, extra[name])
        if extra.get("continued"):
            reason = extra["continued"]
            state.setdefault("continued", reason if isinstance(reason, str) else CONTINUED_REASON)
        if extra.get("parts"):
            state.setdefault("parts", tuple(CellPart(p, PixelBox(*b), t, c) for p, b, t, c in extra["parts"]))
        if "original_text" in extra:
            state.setdefault(
                "correction",
                OcrCorrection(
                    original_text=extra["original_text"],
                    original_number=extra.get("original_number"),
                    original_confidence=extra.get("original_confidence", 0.0),
                    variant=extra.get("variant", ""),
                    original_problem=extra.get("original_problem"),
                ),
            )
        if isinstance(extra.get("review"), dict):
            r = extra["review"]
            state.setdefault(
                "review", ReviewDecision(r["id"], r["action"], r["reviewer"], r["at"], r.get("reason"))
            )
        for f in fields(self):
            if f.name not in state and f.default is not MISSING:
                state[f.name] = f.default
        self.__dict__.update(state)


CONTINUED_REASON = "continued: the row began on the previous page"


def _as_tuple(obj: Any, name: str) -> None:
    """Store a sequence field of a frozen result as a tuple (callers may pass lists)."""
    value = getattr(obj, name)
    if not isinstance(value, tuple):
        object.__setattr__(obj, name, tuple(value))


@dataclass(frozen=True)
class TableResult:
    """A recognised (or unknown) table of a document, possibly spanning several pages."""

    table_index: int
    form: str  # form code or "unknown"
    form_score: float
    title: str
    pages: tuple[int, ...]
    columns: tuple[str, ...]  # canonical column keys (generic "c0", "c1", … when unknown)
    headers: tuple[str, ...]  # header text per column, levels joined with " / "
    rows: tuple[RowInfo, ...]
    values: tuple[Value, ...]
    raw: tuple[tuple[str, ...], ...]  # the raw text matrix of every grid row (header rows included)
    issues: tuple[str, ...] = ()  # table-level findings (e.g. printed totals inconsistent)
    # parent row path ("II", "" for the top level) -> why its child rows are not all there (STT
    # gaps, communes of the district not listed, commune-like rows not resolved): a failing sum
    # over such rows is a reading problem, never blamed on the printed report
    incomplete: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("pages", "columns", "headers", "rows", "values", "issues"):
            _as_tuple(self, name)
        if not all(isinstance(r, tuple) for r in self.raw):
            object.__setattr__(self, "raw", tuple(tuple(r) for r in self.raw))


@dataclass(frozen=True)
class DocumentResult:
    document_id: str  # sha256 of the file's bytes, first 16 hex digits
    source: str
    page_count: int
    meta: DocumentMeta
    pages: tuple[PageResult, ...]
    tables: tuple[TableResult, ...]
    error: str | None = None

    def __post_init__(self) -> None:
        _as_tuple(self, "pages")
        _as_tuple(self, "tables")

    def values(self) -> list[Value]:
        return [v for t in self.tables for v in t.values]
