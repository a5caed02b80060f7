"""Assemble a document from its page results: metadata, forms, continued tables, tidy values.

This runs in the parent process (or any process): it needs no images, only the small
:class:`~extract.model.PageResult` of every page.  Steps:

1. metadata (number, date, district, province) from the text lines of the first pages;
2. for every table, in reading order: the title lines above it identify the form; a table with
   no title at the top of a page that has the previous table's column count continues it;
3. the multi-level header maps grid columns to the form's canonical column keys;
4. body rows are classified (sections, items, totals, communes with official codes);
5. every mapped cell becomes a :class:`~extract.model.Value` (number normalised, provenance kept);
6. the declared invariants validate the values (statuses, corrections, review flags).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .config import ColumnSpec, FormSpec, Settings, settings_or_default
from .folding import fold
from .model import (
    CellRead,
    DocumentMeta,
    DocumentResult,
    OcrLine,
    PageResult,
    ParsedValue,
    ReadTable,
    RowInfo,
    RowKind,
    TableResult,
    Value,
)
from .tables.column_fit import ColumnFitSettings, ColumnPlace, fit_columns
from .understand.communes import DistrictCommunes, MatchSettings
from .understand.gazetteer import Gazetteer
from .understand.metadata import REFERENCE_KEY
from .understand.rows import RowSettings, stt_before_label

if TYPE_CHECKING:
    from .understand.admin_units import DistrictRef
    from .understand.forms import FormsSettings

UNKNOWN_FORM = "unknown"


class DocumentSettings(BaseModel):
    """Section ``document`` of pipeline.yaml."""

    model_config = ConfigDict(extra="forbid")

    metadata_pages: int = 2  # pages whose text lines are searched for the report's metadata
    title_lines: int = 6  # at most this many text lines above a table are its title block
    continuation_top_fraction: float = 0.25  # an untitled table starting this high may continue
    continuation_col_tolerance: int = (
        1  # ... the previous table when its column counts differ by at most this
    )
    # a continued page's or piece's columns placed under the table's by their edges
    column_fit: ColumnFitSettings = ColumnFitSettings()
    default_year: int | None = None  # when the document shows no year
    # a form named by its subtitle alone (no code read) whose table prints more than this many
    # columns more or fewer than the form has is not sure: its values are flagged
    form_columns_slack: int = 3
    # an untitled piece at a continuation's place with rules its table has not is joined to it
    # (every value flagged) when this share of the fewer grid's column edges line up (the
    # column_fit's own share is for joins whose values may stay sure)
    piece_edge_share: float = Field(default=0.6, gt=0.0, le=1.0)
    # lines with numbers under a form's title on a page without a table that suggest a table not
    # found (named in a table issue, :func:`.lost_rows.form_without_table`)
    untabled_min_number_lines: int = Field(default=3, ge=1)
    # text at a page's top is taken for a table's rows not read as a table when this many of its
    # lines hold digits (a lost row read as text: its label's line and its numbers' line) ...
    unread_row_digit_lines: int = Field(default=2, ge=1)
    # ... or one line holds this many numbers standing apart (a lone total row read as one line:
    # dev 229's fax 10B, ten numbers; a date line "ngày 2 tháng 11 năm 2023" holds three)
    unread_row_line_numbers: int = Field(default=4, ge=2)
    rows: RowSettings = RowSettings()  # what a commune list's rows must show to be judged whole


@dataclass
class _Segment:
    """A table on one page, with the lines that stand above it (its title block)."""

    page: PageResult
    table: ReadTable
    title_lines: list[OcrLine]
    # every line between the previous table (or the page top) and this one, top to bottom: a
    # header whose top rules were lost stands above the grid and pushes the title further up
    block: list[OcrLine] = field(default_factory=list)
    # grid column -> the table's column (its first piece's grid column) where the piece's columns
    # are not the table's by index (a piece that lost a column at its edge); None: the same
    columns: dict[int, int] | None = None
    unsure: frozenset[int] = frozenset()  # the table's columns this piece fills only in part
    # a continuation page with another column count: where its columns stand on the first page
    places: list[ColumnPlace] | None = None
    unsure_why: str = (
        "its columns do not line up with the table's (a rule lost or added there): this column is "
        "placed by its position, not sure"
    )
    # a continuation found lower on its page than one starts: the text above it, which may be
    # rows of the table not read as one (a table issue once the piece is joined)
    unread_above: str | None = None


@dataclass
class _Building:
    """A table being assembled across pages."""

    form: FormSpec | None
    form_score: float
    title: str
    columns: dict[int, str]
    headers: dict[int, str]
    header_rows: int
    n_cols: int
    segments: list[tuple[_Segment, int]] = field(default_factory=list)  # (segment, first body row)
    extras: dict[int, str] = field(
        default_factory=dict
    )  # grid column -> key of a column the form does not declare
    missing: tuple[str, ...] = ()  # declared columns the header mapping did not find
    # first-page grid column -> how many printed columns the continuation pages show there
    split: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # table issues found while assembling
    method: str = ""  # how the form was identified (FormMatch.method)
    doubtful_form: bool = False  # the form rests on the subtitle alone and the columns disagree
    # grid column -> why the header mapping's key for it is not sure (HeaderMapping.doubtful)
    doubtful_columns: dict[int, str] = field(default_factory=dict)
    # grid columns over two printed columns, by their column-number cell (HeaderMapping.merged)
    merged_columns: frozenset[int] = frozenset()
    column_fit: ColumnFitSettings = field(default_factory=ColumnFitSettings)  # cells parted by it too


def _gazetteer(settings: Settings) -> Gazetteer:
    return Gazetteer.load(settings.gazetteer_path)  # cached per file


def _segments(pages: Sequence[PageResult], settings: DocumentSettings) -> list[_Segment]:
    out: list[_Segment] = []
    for page in pages:
        if page.failed:
            continue
        previous_bottom = 0
        for table in sorted(page.tables, key=lambda t: t.grid.box.y0):
            top = table.grid.box.y0
            above = [
                ln
                for ln in page.lines
                if previous_bottom <= (ln.box.y0 + ln.box.y1) / 2 < top and ln.text.strip()
            ]
            above.sort(key=lambda ln: ln.box.y0)
            out.append(_Segment(page, table, above[-settings.title_lines :], above))
            previous_bottom = table.grid.box.y1
    return out


def _declared(form: FormSpec | None, key: str) -> ColumnSpec | None:
    if form is None:
        return None
    try:
        return form.column(key)
    except KeyError:
        return None  # a printed column the form does not declare (``extra_…``)


def _column_type(form: FormSpec | None, key: str) -> str:
    spec = _declared(form, key)
    return spec.type if spec is not None else "mixed"


def _is_continuation(seg: _Segment, current: _Building | None, settings: DocumentSettings) -> bool:
    """Whether ``seg`` is placed to continue ``current``: at the top of the next page (the first
    table there), or the next table on the same page just below the last piece (a table torn
    across a band of lost rules); with columns that fit.  Sets ``seg.columns`` where the piece's
    columns line up with the table's other than by index."""
    if current is None:
        return False
    last_seg = current.segments[-1][0]
    if seg.page.page_index == last_seg.page.page_index:
        return _is_lower_piece(seg, last_seg, current, settings)
    if seg.page.page_index != last_seg.page.page_index + 1:
        return False
    page_tables = sorted(seg.page.tables, key=lambda t: t.grid.box.y0)
    if page_tables[0] is not seg.table:
        return False
    if seg.table.grid.box.y0 > settings.continuation_top_fraction * max(seg.page.height, 1):
        return _continues_below_lost_rows(seg, current, settings)
    if _column_gap(seg.table.grid.n_cols, current) > settings.continuation_col_tolerance:
        return _place_columns(seg, current, settings)  # columns lost at its edge: by position
    # a column count within the tolerance: :func:`_continued_columns` places its columns
    if seg.table.grid.n_cols == current.n_cols:
        _place_off_index(seg, current, settings)
    elif not _placed_by_position(seg, current, settings):
        seg.unsure = frozenset(range(seg.table.grid.n_cols))  # by order only: which column is which?
    return True


def _place_off_index(seg: _Segment, current: _Building, settings: DocumentSettings) -> None:
    """A continuation page with the table's column count whose column rules stand elsewhere than
    its first page's: its columns placed by position, where that is not by index.  A fax's page
    that lost one rule and found a false one (a letter's stems bridged) keeps the count, and by
    index every column between the two took its left neighbour's key, sure (dev 1111's 10B last
    page: the total row's 1.722, 2.092, 960 one printed column right, \"wrong column\" unflagged).
    Where the edges line up (:func:`.tables.column_fit.fit_columns`) and some column stands
    under another of the table's than its index, each goes under the one it overlaps most
    (several under one: their cells joined, :func:`_body_cells`; one over several: parted by
    its words), and the table columns those fill are unsure (their values flagged)."""
    head = current.segments[0][0]
    dpi = seg.page.dpi
    if seg is head or not dpi or dpi != head.page.dpi:
        return
    places = fit_columns(head.table.grid.col_edges, seg.table.grid.col_edges, settings.column_fit, dpi)
    if places is None or all(p.most == c for c, p in enumerate(places)):
        return  # by index, as the rules stand (or nothing says where they stand)
    if any(p.most is None for p in places):
        seg.unsure = frozenset(range(seg.table.grid.n_cols))  # which column is which is not known
        return
    seg.columns = {c: p.most for c, p in enumerate(places) if p.most is not None}
    seg.places = places
    seg.unsure = frozenset(
        j
        for c, p in enumerate(places)
        if p.most != c or not p.sure or p.shared
        for j in {p.most, *(range(p.first, p.first + p.spans) if p.first is not None else ())}
        if j is not None
    )


def _continues_below_lost_rows(seg: _Segment, current: _Building, settings: DocumentSettings) -> bool:
    """``seg``, the first table of the next page but lower than a continuation starts, continues
    ``current`` when the text above it holds numbers (rows whose rules were lost, read as text
    lines: dev 26's fax 4B page) and its columns line up with the table's by position.  The text
    is noted on the table: those rows' values are not in the outputs."""
    texts = [ln.text.strip() for ln in seg.block if ln.text.strip()]
    from .lost_rows import TITLE_START, reads_like_rows

    if any(TITLE_START.match(fold(t)) for t in texts):
        return False  # a form's title above it: a table of its own
    if not reads_like_rows(texts, settings):
        return False
    if not _place_columns(seg, current, settings):
        return False
    seg.unread_above = (
        f"page {seg.page.page_index + 1}: the table goes on "
        f"{seg.table.grid.box.y0 / max(seg.page.height, 1):.0%} down the page; the text above it may be "
        f"rows not read as a table (their values are not in the outputs): {' '.join(texts)[:200]!r}"
    )
    return True


def _is_lower_piece(
    seg: _Segment, last_seg: _Segment, current: _Building, settings: DocumentSettings
) -> bool:
    """``seg`` is the next table on ``last_seg``'s page, right below it (nothing but its title
    block between), and every one of its columns is one of the table's."""
    page_tables = sorted(seg.page.tables, key=lambda t: t.grid.box.y0)
    at = next(i for i, t in enumerate(page_tables) if t is seg.table)
    if at == 0 or page_tables[at - 1] is not last_seg.table:
        return False
    above, below = last_seg.table.grid.box, seg.table.grid.box
    if below.y0 < above.y0 or below.x1 <= above.x0 or below.x0 >= above.x1:
        return False  # beside or inside the last piece, not below it
    from .lost_rows import TITLE_START

    if any(TITLE_START.match(fold(ln.text)) for ln in seg.block):
        return False  # a form's title between them (dev 33: "DANH SÁCH" under 14B's lone row)
    return _place_columns(seg, current, settings)


def _mark_orphan(piece: _Building, before: Sequence[_Building]) -> None:
    """A table of no known form without a title among a report's form tables is a piece of one
    whose grid broke (a worn or faxed page) that could not be joined for sure: it comes out as
    read, with a table issue, and every value in it flagged."""
    seg = piece.segments[0][0]
    known = next(b for b in reversed(before) if b.form is not None)
    assert known.form is not None
    last = known.segments[-1][0].page.page_index + 1
    _all_unsure(
        piece,
        f"page {seg.page.page_index + 1}: a table piece without a title whose columns do not line up "
        f"with the table before it (form {known.form.code}, last on page {last}): not joined, its "
        "values are not sure",
        f"a table piece without a title, not joined to form {known.form.code} (its columns do not "
        "line up): not sure which column or table this value is",
    )


def _body_below_torn_header(seg: _Segment, piece: _Building, before: Sequence[_Building]) -> bool:
    """Whether the untitled ``piece`` of no known form is the body of the table just above it on
    its page whose grid lost columns there (a fax's torn header: dev 390's 1B header read as 5 of
    its 8 columns over the 8-column body, dev 222's 2B as 2 of 4): the table above has fewer columns
    than its form prints, and the piece exactly the form's count.  If so ``piece`` becomes a table
    of that form, its columns the form's in their order, every value flagged (its columns are
    taken by their count, not read from a header); before, its rows were a table of no form: the
    form's rows "not found"."""
    above = before[-1] if before else None
    if above is None or above.form is None:
        return False
    form, last = above.form, above.segments[-1][0]
    page_tables = sorted(seg.page.tables, key=lambda t: t.grid.box.y0)
    at = next(i for i, t in enumerate(page_tables) if t is seg.table)
    if seg.page.page_index != last.page.page_index or at == 0 or page_tables[at - 1] is not last.table:
        return False
    n_cols = seg.table.grid.n_cols
    if above.n_cols >= len(form.columns):
        return False
    by_order = n_cols == len(form.columns)
    keys = (
        dict(enumerate(form.columns))
        if by_order
        else _columns_beside_torn_header(seg, above, form, piece.column_fit)
    )
    if not keys:
        return False
    piece.form, piece.method, piece.doubtful_form = form, "order", True
    piece.columns = {j: c.key for j, c in keys.items()}
    piece.headers = {j: " / ".join(c.header) for j, c in keys.items()}
    piece.extras = {}
    how = (
        "are taken for the form's in their order"
        if by_order
        else "stand under the header's columns where their rules line up, the rest taken for the "
        "form's columns beside those by their count"
    )
    _all_unsure(
        piece,
        f"page {seg.page.page_index + 1}: a table piece without a title below form {form.code}'s "
        f"table, whose grid there has {above.n_cols} of the form's {len(form.columns)} columns: the "
        f"piece's {n_cols} columns {how}, its values are flagged",
        f"a piece below form {form.code}'s header whose grid lost columns: its columns taken for the "
        "form's by their order, not sure",
    )
    return True


def _columns_beside_torn_header(
    seg: _Segment, above: _Building, form: FormSpec, fit: ColumnFitSettings
) -> dict[int, ColumnSpec] | None:
    """The form's column for each column of ``seg``, an untitled piece right below ``above``'s
    header that kept only some of the form's columns (dev 4559's 9B: a header of "Tổng số",
    "Tăng/giảm", "Ghi chú" over a body of STT, label, "Tổng số", "Tăng/giảm", its left rules and
    the seal's side lost), when the piece has another column count than the form: the piece
    columns that line up with the header's by their rules (each sure under one) are the header's
    columns, a run of the form's in order; the piece columns left of them are the form's columns
    before that run, exactly as many; those right of it, the form's after it, at most as many
    (a piece that lost its last rules).  ``None`` when any of this does not hold."""
    ref = above.segments[-1][0]
    dpi = seg.page.dpi
    if len(above.segments) != 1 or not dpi or dpi != ref.page.dpi:
        return None
    places = fit_columns(ref.table.grid.col_edges, seg.table.grid.col_edges, fit, dpi)
    if places is None:
        return None
    under = [p.most if p.sure else None for p in places]
    inside = [c for c, j in enumerate(under) if j is not None]
    if not inside or inside != list(range(inside[0], inside[-1] + 1)):
        return None
    order = [c.key for c in form.columns]
    found = [above.columns.get(j) for c in inside if (j := under[c]) is not None]
    if any(k not in order for k in found):
        return None
    at = [order.index(k) for k in found if k is not None]
    if at != list(range(at[0], at[0] + len(at))) or at[0] != inside[0]:
        return None  # not a run of the form's columns, or not as many columns left of it
    if len(places) - 1 - inside[-1] > len(order) - 1 - at[-1]:
        return None  # more columns right of the run than the form prints there
    return {c: form.columns[c] for c in range(len(places))}


def _all_unsure(table: _Building, note: str, why: str) -> None:
    """Every value of ``table``'s first piece flagged with ``why`` (its later pieces follow it:
    :func:`_tables`), and ``note`` on the table."""
    seg = table.segments[0][0]
    table.notes.append(note)
    seg.unsure = frozenset(range(seg.table.grid.n_cols))
    seg.unsure_why = why


def _host_of_piece(seg: _Segment, out: Sequence[_Building], settings: DocumentSettings) -> _Building | None:
    """The table an untitled piece of no known form continues although its columns are not the
    table's one to one: the table just before it, of a known form, when the piece stands where a
    continuation does (the first table of the next page, at its top, or right below the table's
    last piece on its page) and every piece column stands under one of the table's by its edges,
    several under one allowed (rules the piece has and the table has not: a fax's letter stems
    bridged into rules, a seal's strokes; dev 124's 3B, dev 179's 11B).  Its columns are placed
    there with ``merge`` (:func:`_place_columns`), so every value of it stays flagged; ``None``
    when the piece is no such continuation (it then stays an orphan, :func:`_mark_orphan`)."""
    host = out[-1] if out else None
    if host is None or host.form is None:
        return None
    last_seg = host.segments[-1][0]
    page_tables = sorted(seg.page.tables, key=lambda t: t.grid.box.y0)
    at = next(i for i, t in enumerate(page_tables) if t is seg.table)
    if seg.page.page_index == last_seg.page.page_index:
        placed = at > 0 and page_tables[at - 1] is last_seg.table
    else:
        placed = (
            seg.page.page_index == last_seg.page.page_index + 1
            and at == 0
            and seg.table.grid.box.y0 <= settings.continuation_top_fraction * max(seg.page.height, 1)
        )
    if not placed or not any(
        _place_columns(seg, host, settings, merge=True, ref=ref) for ref in _references(host)
    ):
        return None
    seg.unsure_why = (
        f"a table piece without a title whose grid has rules where form {host.form.code}'s table "
        "has none (its cells joined under the table's columns by their places): not sure which "
        "column this value is"
    )
    return host


def _join_piece(seg: _Segment, host: _Building, fs: FormsSettings) -> None:
    """``seg`` joined to ``host`` as :func:`_host_of_piece` placed it, with a table issue."""
    from .understand.forms import split_header

    assert host.form is not None
    first = split_header(seg.table.matrix(), host.form, fs)
    host.segments.append((seg, first if first and first == host.header_rows else 0))
    host.notes.append(
        f"page {seg.page.page_index + 1}: a table piece without a title, with {seg.table.grid.n_cols} "
        f"columns where the table has {host.n_cols}, joined by where its columns stand (several of "
        "its columns under one of the table's: rules where the table has none); its values are "
        "flagged"
    )


def _continued_past_pieces(
    seg: _Segment, current: _Building, out: Sequence[_Building], settings: DocumentSettings
) -> _Building | None:
    """The last table of a known form when only tables of no known form follow it (pieces of it
    whose grid broke on a worn page; ``current`` the last of them) and ``seg`` is placed to
    continue it after them: the first table of the next page, at its top, its columns lining up
    with the known table's."""
    known = next((b for b in reversed(out) if b.form is not None), None)
    at = {id(b): i for i, b in enumerate(out)}
    if known is None or at[id(known)] > at[id(current)]:
        return None
    last_seg = current.segments[-1][0]
    if seg.page.page_index != last_seg.page.page_index + 1:
        return None
    first_on_page = min(seg.page.tables, key=lambda t: t.grid.box.y0)
    if first_on_page is not seg.table:
        return None
    if seg.table.grid.box.y0 > settings.continuation_top_fraction * max(seg.page.height, 1):
        return None
    return known if _place_columns(seg, known, settings) else None


def _references(host: _Building) -> list[_Segment]:
    """The pages of ``host`` an untitled piece's columns are fitted to, in turn: its first page,
    then its continuation pages, the latest first (a first page whose grid lost a column at its
    edge that the later pages print: dev 1094's 4B, whose first page lost the STT column, its
    last page's piece an orphan, 16 sure numbers \"table not found\")."""
    return [host.segments[0][0], *(seg for seg, _ in reversed(host.segments[1:]))]


def _table_columns(current: _Building, ref: _Segment) -> dict[int, int]:
    """Each grid column of ``ref``, a page of ``current``, -> the table column its values go to,
    as :func:`_body_cells` places them: a piece joined by position, a continuation page with another
    column count (:func:`_continued_columns`), else by index."""
    if ref.columns is not None:
        return dict(ref.columns)
    place = _continued_columns(current, ref)
    return {c: place.get(c, (c, 1))[0] for c in range(ref.table.grid.n_cols)}


def _place_columns(
    seg: _Segment,
    current: _Building,
    settings: DocumentSettings,
    *,
    merge: bool = False,
    ref: _Segment | None = None,
) -> bool:
    """Whether each of ``seg``'s columns is one of ``current``'s by their edges on the page
    (:func:`.tables.column_fit.fit_columns`; no two under one of the table's unless ``merge``); if
    so ``seg.columns`` and ``seg.unsure`` say where they go (a column over several of the table's:
    unsure).  ``merge``: several piece columns under one of the table's (rules the piece has and
    the table has not: a fax's letter stems bridged into a rule, a seal's strokes) go there
    together, their cells joined (:func:`_merged_cell`), and every column of the piece is unsure;
    ``ref``: with ``merge``, the page of the table the edges are fitted to (the first page by
    default), its columns taken to the table's as that page's are (:func:`_table_columns`)."""
    first = current.segments[0][0]
    ref = first if ref is None or not merge else ref
    dpi = seg.page.dpi
    if not dpi or dpi != first.page.dpi or dpi != ref.page.dpi:
        return False
    fit = settings.column_fit
    if merge:
        fit = fit.model_copy(update={"min_edge_share": settings.piece_edge_share})
    places = fit_columns(ref.table.grid.col_edges, seg.table.grid.col_edges, fit, dpi)
    # each piece column under the table column it overlaps most (over two: a rule the piece lost,
    # unsure); none, or two under one (which one is the table's cannot be told): not placed
    most = [p.most for p in places or ()]
    if places is None or None in most or (len(set(most)) < len(most) and not merge):
        return False
    if merge and any(p.first is None for p in places):
        return False  # a piece column beyond the table's outer rules: a column the table lacks there
    if merge:
        to_table = _table_columns(current, ref) if ref is not first else {}
        columns = {c: to_table.get(j, j) for c, j in enumerate(most) if j is not None}
        seg.columns = columns
        seg.unsure = frozenset(columns.values())
        # the rules' places of another page are not the first page's: no cell parted by them
        seg.places = places if ref is first else None
        return True
    columns = {c: j for c, j in enumerate(most) if j is not None}
    seg.columns = None if all(c == j for c, j in columns.items()) and all(p.sure for p in places) else columns
    seg.unsure = frozenset(p.most for p in places if p.most is not None and not p.sure)
    seg.places = places
    return True


def _column_gap(n_cols: int, current: _Building) -> int:
    """How far ``n_cols`` is from the continued table's: its first page's grid, or the columns its
    form prints (a worn first page whose grid lost columns: 8 of 4B's 11, then 10 on the next)."""
    gap = abs(n_cols - current.n_cols)
    return gap if current.form is None else min(gap, abs(n_cols - len(current.form.columns)))


def _keeps_form(
    seg: _Segment, current: _Building | None, forms: Sequence[FormSpec], fs: FormsSettings
) -> bool:
    """Whether a table placed like a continuation of ``current`` (next page, at its top, as many
    columns) continues it although text above it reads like a title: the text names no form, or
    it names another form whose header the table does not print (its first row is a body row)
    and whose column count fits it worse than the continued table's.  On worn scans, speckle and
    a running head above 4B's continuation pages were read as 9B's subtitle.  Text holding an
    annex's reference line ("(Kèm theo Báo cáo …)") is a new table's title block, whatever it
    names: only a form's first page prints it (dev_4601_hard_300's staff list, its title under
    a seal read "Cán bộ, công tác (Kèm theo Báo cáo", went to 14B above it as a lower piece)."""
    from .understand.forms import identify_form, split_header

    if current is None or current.form is None:
        return False
    page = seg.page.page_index + 1
    texts = [ln.text for ln in seg.title_lines]
    match = identify_form(texts, forms, fs)
    said = " ".join(texts).strip()
    said = said if len(said) <= 60 else said[:59] + "…"
    if match is None and len(seg.block) > len(seg.title_lines):
        # a header read above a grid that lost its top rules pushed the title further up
        wider = identify_form([ln.text for ln in seg.block], forms, fs)
        if wider is not None and wider.code != current.form.code:
            return False
    if match is None:
        if _header_names_another_form(seg, current, texts, forms, fs):
            return False  # a new form whose title was lost: its own header says which
        if any(REFERENCE_KEY in fold(text) for text in texts):
            return False  # an annex's "(Kèm theo Báo cáo …)" line: a new table's title block
        current.notes.append(
            f"page {page}: the text above the table ({said!r}) names no form; "
            f"its columns continue form {current.form.code}"
        )
        return True
    other = next((f for f in forms if f.code == match.code), None)
    if other is None or other.code == current.form.code:
        return False  # the same form titled again: a table of its own
    n_cols = seg.table.grid.n_cols
    own_header = split_header(seg.table.matrix(), other, fs) > 0
    if own_header or abs(n_cols - len(other.columns)) <= _column_gap(n_cols, current):
        return False
    current.notes.append(
        f"page {page}: the text above the table reads like form {other.code} ({said!r}), but the table "
        f"prints no header and its {n_cols} columns continue form {current.form.code} "
        f"(form {other.code} prints {len(other.columns)})"
    )
    return True


def _header_names_another_form(
    seg: _Segment, current: _Building, texts: list[str], forms: Sequence[FormSpec], fs: FormsSettings
) -> bool:
    """Whether the first rows of ``seg`` (under a title that names no form) spell out the headers of
    another form than ``current``'s: the next form's table whose title was lost, not a
    continuation (a continuation repeats its own form's header, if any)."""
    from .understand.form_check import other_form_header, other_form_rows, recheck_form
    from .understand.forms import split_header

    if current.form is None:
        return False
    matrix = seg.table.matrix()
    header = recheck_form(None, texts, matrix[: fs.max_header_rows], forms, fs)
    if header is not None:
        return header.code != current.form.code
    # its own header rows fit another form clearly better than this one (the next form's header,
    # whose headers some third form shares: not named, but no continuation of this one)
    own = split_header(matrix, None, fs)
    if own > 0 and other_form_header(matrix[:own], current.form, forms, fs) is not None:
        return True
    if other_form_rows(matrix[own:], current.form, forms, fs) is not None:
        return True  # its body prints another form's declared rows (9B's after 8B's columns)
    return own > 0 and _garbled_header_elsewhere(seg, current, matrix[:own], fs)


def _garbled_header_elsewhere(
    seg: _Segment, current: _Building, header: list[list[str]], fs: FormsSettings
) -> bool:
    """Whether ``seg``, on a later page than ``current``'s last, under no title, prints header rows
    with words that do not spell out ``current``'s form (under ``header_check_fit_min``) and its
    columns do not stand where the table's do (no shift of at most ``column_fit.max_shift_mm``
    lines up its edges with the table's first page): the next form's table, its title lost and
    its header garbled past every form's words (a continuation prints its columns where its
    first page does, and no header or its own).  Before, such a table at the top of the next page
    went to the table before it as a continuation, its values sure under the other form's
    columns and its own form's rows "not found"."""
    from .understand.form_check import own_header_fit
    from .understand.forms import has_word

    assert current.form is not None
    head, last = current.segments[0][0], current.segments[-1][0]
    dpi = seg.page.dpi
    if seg.page.page_index == last.page.page_index or not dpi or dpi != head.page.dpi:
        return False
    if not any(has_word(cell) for row in header for cell in row):
        return False  # a column-number row alone, or a header of numbers: nothing to tell
    if own_header_fit(header, current.form, fs) >= fs.header_check_fit_min:
        return False  # its own form's header, repeated
    return fit_columns(head.table.grid.col_edges, seg.table.grid.col_edges, current.column_fit, dpi) is None


def _doubt_form(table: _Building, settings: DocumentSettings) -> None:
    """A form named by its subtitle alone (no code read) whose table prints far more or fewer
    columns than the form has is not sure (dev 54: the header of 4B, read as text, matched 3B's
    subtitle; 11 columns for 3B's 4): the table says so and every value in it is flagged."""
    form = table.form
    if form is not None and table.method == "order":
        _doubt_form_by_order(table)
        return
    if form is None or table.method != "title":
        return
    if abs(table.n_cols - len(form.columns)) <= settings.form_columns_slack:
        return
    table.doubtful_form = True
    _all_unsure(
        table,
        f"page {table.segments[0][0].page.page_index + 1}: form {form.code} was named by its subtitle "
        f"alone (no form code read, score {table.form_score:.0f}) and the table prints {table.n_cols} "
        f"columns where {form.code} has {len(form.columns)}: the form is not sure, its values are flagged",
        f"form {form.code} named by its subtitle alone, its column count far from the table's: "
        "not sure which form and column this value is",
    )


def _doubt_form_by_order(table: _Building) -> None:
    """A form named by its header and its place in the annex (no title read, the header fitting
    several forms alike: :func:`.understand.form_check.form_after`) is likely, not sure: the table
    says why and every value in it is flagged."""
    assert table.form is not None
    table.doubtful_form = True
    _all_unsure(
        table,
        f"page {table.segments[0][0].page.page_index + 1}: no form title was read above the table; "
        f"form {table.form.code} is named by its place in the annex (the header fits several forms "
        "alike, or none: then by its column count or the rows it prints): the form is not sure, its values "
        "are flagged",
        f"form {table.form.code} named by its header and its place among the forms (no title read): "
        "not sure which form this value is",
    )


def _start_table(
    seg: _Segment,
    forms: Sequence[FormSpec],
    fs: FormsSettings,
    before: Sequence[_Building] = (),
    columns_slack: int = 0,
) -> _Building:
    """A new table from ``seg``: its form, header rows and column keys.  ``before``: the report's
    tables so far (a table under no readable title whose header fits several forms alike takes
    the first of them after the last form named, :func:`.understand.form_check.form_after`; a
    header with words that fits no form at all, garbled past them: the first form after the last
    named that prints the grid's column count, :func:`.understand.form_check.form_by_columns`)."""
    from .understand.form_check import form_after, form_by_columns, form_by_rows, recheck_form
    from .understand.forms import (
        column_paths,
        extra_column_key,
        generic_columns,
        grid_column_numbers,
        has_word,
        identify_form,
        map_header,
        split_header,
    )

    texts = [ln.text for ln in seg.title_lines]
    matrix = seg.table.matrix()
    # no form code read: the column headers may name the form (or the header read as the title)
    match = identify_form(texts, forms, fs)
    if (match is None or match.method == "title") and len(seg.block) > len(seg.title_lines):
        # a header read above a grid that lost its top rules: the title is higher up, and a code
        # read there beats a subtitle-only match of the header's words (dev 54's fax 4B, whose
        # header lines matched 3B's subtitle at 68 under "Biểu mẫu 4B")
        wider = identify_form([ln.text for ln in seg.block], forms, fs)
        if match is None or (wider is not None and wider.method in ("code", "code+title")):
            match = wider
    match = recheck_form(match, texts, matrix[: fs.max_header_rows], forms, fs)
    named = [b.form.code for b in before if b.form is not None]
    if match is None and named and (own := split_header(matrix, None, fs)):
        match = form_after(
            matrix[:own], seg.table.grid.n_cols, named[-1], set(named), forms, fs, columns_slack=columns_slack
        )
        if match is None and any(has_word(cell) for row in matrix[:own] for cell in row):
            match = form_by_columns(seg.table.grid.n_cols, named[-1], set(named), forms)
    if match is None:  # the rows it prints may still say which form (flagged: no title)
        previous = named[-1] if named else None  # none: the report's first table (dev 1913's 8B)
        match = form_by_rows(matrix[split_header(matrix, None, fs) :], previous, set(named), forms, fs)
    form = next((f for f in forms if match is not None and f.code == match.code), None)
    header_rows = split_header(matrix, form, fs)
    if form is None:  # a continued row or a long first row is never the header of an unknown table
        from .understand.unknown import header_rows as unknown_header_rows

        header_rows = unknown_header_rows(matrix, header_rows)
    n_cols = seg.table.grid.n_cols
    extras: dict[int, str] = {}
    missing: tuple[str, ...] = ()
    doubtful: dict[int, str] = {}
    merged: frozenset[int] = frozenset()
    if form is not None:
        mapping = map_header(matrix, header_rows, form, fs)
        doubtful, merged = mapping.doubtful, frozenset(mapping.merged)
        columns = dict(mapping.columns)
        headers = {i: " / ".join(form.column(k).header) for i, k in columns.items()}
        missing = mapping.missing
        # a printed column the form does not declare keeps its values under its own key
        paths = column_paths(matrix, header_rows)
        numbers = grid_column_numbers(matrix, header_rows)
        for j in mapping.unmapped:
            key = extra_column_key(numbers[j] if j < len(numbers) else None, j, set(columns.values()))
            columns[j] = extras[j] = key
            headers[j] = " / ".join(paths[j]) if j < len(paths) else ""
    else:
        keys = generic_columns(n_cols)
        columns = dict(enumerate(keys))
        headers = {
            i: " / ".join(dict.fromkeys(t for t in (row[i] for row in matrix[:header_rows]) if t))
            for i in range(n_cols)
        }
    title = " ".join(texts).strip()
    return _Building(
        method=match.method if match is not None else "",
        form=form,
        form_score=match.score if match is not None else 0.0,
        title=title,
        columns=columns,
        headers=headers,
        header_rows=header_rows,
        n_cols=n_cols,
        segments=[(seg, header_rows)],
        extras=extras,
        missing=missing,
        doubtful_columns=doubtful,
        merged_columns=merged,
        notes=[f"column {columns[j]} (grid column {j + 1}): {why}" for j, why in doubtful.items()],
    )


def _body_cells(current: _Building) -> list[tuple[_Segment, int, dict[int, CellRead]]]:
    """Every body row of the table: (segment, grid row, {grid column: cell starting in that row});
    a continuation page's columns in its first page's grid columns (:func:`_continued_columns`)."""
    from .tables.cell_parts import placed_cell

    rows = []
    places = [_continued_columns(current, seg) if seg.columns is None else {} for seg, _ in current.segments]
    # the first page's cells where its continuation pages show several printed columns
    places[0] = {j: (j, n) for j, n in current.split.items()}
    fit = current.column_fit
    index_col, label_col = _index_label_columns(current)
    fixed = frozenset(c for c in (index_col, label_col) if c is not None)  # they make the row
    for (seg, first), place in zip(current.segments, places, strict=True):
        grid, dpi = seg.table.grid, seg.page.dpi or current.segments[0][0].page.dpi
        # several piece columns under one table column (a piece joined with ``merge``): joined
        merged = seg.columns is not None and len(set(seg.columns.values())) < len(seg.columns)
        for r in range(first, grid.n_rows):
            cells: dict[int, CellRead] = {}
            for c in range(grid.n_cols):
                cell = seg.table.cell_at(r, c)
                if cell is not None and cell.cell.row == r:
                    placed = placed_cell(
                        cell, c, grid, seg.columns, seg.places, place, fit, dpi, fixed, label_col
                    )
                    for j, part in placed.items():
                        cells[j] = _merged_cell(cells[j], part) if merged and j in cells else part
            if any(cell.text.strip() for cell in cells.values()):
                rows.append((seg, r, cells))
    return rows


def _merged_cell(left: CellRead, right: CellRead) -> CellRead:
    """Two cells of a piece placed under one table column (:func:`_place_columns` with ``merge``)
    as one: their texts in page order, joined without a space where the right one goes on a word
    (a rule drawn through a letter: "Xã N" + "ỹ Long Bắc"), else with one (two numbers stay two:
    "24 12" is no number); the lower confidence; the union of their boxes; no candidates or words
    (they were each cell's own)."""
    if right.cell.box.x0 < left.cell.box.x0:
        left, right = right, left
    a, b = left.text.strip(), right.text.strip()
    glue = "" if a and b and a[-1].isalpha() and b[0].isalpha() and b[0].islower() else " "
    text = glue.join(t for t in (a, b) if t)
    box = left.cell.box.union(right.cell.box)
    cell = replace(left.cell, box=box)
    kind = left.kind if a else right.kind
    return CellRead(cell=cell, text=text, confidence=min(left.confidence, right.confidence), kind=kind)


def _placed_by_position(seg: _Segment, current: _Building, settings: DocumentSettings) -> bool:
    """Whether :func:`_continued_columns` can place ``seg``'s columns by their positions; if so
    ``seg.places`` says where."""
    head = current.segments[0][0]
    dpi = seg.page.dpi or head.page.dpi
    seg.places = fit_columns(head.table.grid.col_edges, seg.table.grid.col_edges, settings.column_fit, dpi)
    return seg.places is not None


def _continued_columns(current: _Building, seg: _Segment) -> dict[int, tuple[int, int]]:
    """For a continuation page whose grid has another column count than the table's first page,
    each of its grid columns -> (the first page's grid column whose key it takes, how many
    first-page columns it covers), by the columns' positions (:func:`.tables.column_fit.
    fit_columns`).  Columns under one first-page column (a rule the first page lost) take the
    form's keys of that slot where the form says which they are (:func:`.tables.column_fit.
    keys_in_slot`; ``current.split`` then marks the first page's column as several); else the
    first keeps the key, flagged, and the others get a column of their own, an ``extra_`` key
    the table reports.  Empty (by position in the grid, as before) when the counts agree or the
    positions do not line up."""
    from .tables.column_fit import keys_in_slot
    from .understand.forms import extra_column_key

    head = current.segments[0][0]
    grid, first = seg.table.grid, head.table.grid
    places = seg.places
    if seg is head or grid.n_cols == first.n_cols or places is None:
        return {}
    groups: dict[int, list[int]] = {}
    for c, p in enumerate(places):
        if p.shared and p.first is not None:
            groups.setdefault(p.first, []).append(c)
    keys = [col.key for col in current.form.columns] if current.form is not None else []
    on_first = {j: k for j, k in current.columns.items() if j < first.n_cols}
    slots = {j: keys_in_slot(keys, on_first, j, len(cs)) for j, cs in groups.items()}
    out: dict[int, tuple[int, int]] = {}
    kept: set[int] = set()
    for c, p in enumerate(places):
        slot = slots.get(p.first) if p.first is not None else None
        if p.first is not None and slot is not None:
            current.split[p.first] = len(slot)
            out[c] = (_slot_column(current, first.n_cols, p.first, slot[groups[p.first].index(c)]), 1)
            continue
        if p.first is not None and p.first not in kept:
            kept.add(p.first)
            out[c] = (p.first, p.spans + p.shared)  # shared: which of the two is the key's?
            continue
        beside = p.first if p.first is not None else c
        j = first.n_cols + beside  # a grid column of its own, the same on every page
        if j not in current.columns:
            key = extra_column_key(None, j, set(current.columns.values()))
            current.columns[j] = current.extras[j] = key
            current.headers[j] = (
                f"a printed column of the continuation pages that page {head.page.page_index + 1}'s "
                f"grid lost (beside its column {beside + 1})"
            )
            # which of the form's columns it prints is not known: its numbers stand for no column
            current.doubtful_columns[j] = (
                f"{current.headers[j]}: which column of the form it is, is not known"
            )
        out[c] = (j, 1)
    return out


def _slot_column(current: _Building, n_cols: int, column: int, key: str) -> int:
    """The table's grid column of the form's column ``key`` in the slot of the first page's grid
    column ``column``: that column itself for its own key, else one of its own past the first
    page's columns (the same on every page), the key no longer missing."""
    if current.columns.get(column) == key:
        return column
    j = next((j for j, k in current.columns.items() if k == key and j >= n_cols), None)
    if j is None:
        j = max(n_cols - 1, *current.columns) + 1
        current.columns[j] = key
        assert current.form is not None
        current.headers[j] = " / ".join(current.form.column(key).header)
        current.missing = tuple(k for k in current.missing if k != key)
    return j


def _index_label_columns(current: _Building) -> tuple[int | None, int | None]:
    """Grid columns of the printed index (STT) and of the row labels."""
    form = current.form
    if form is None:  # unknown table: the first two columns are usually STT and the label
        return (0, 1) if current.n_cols > 2 else (None, 0)
    by_key = {k: i for i, k in current.columns.items()}
    index_col = by_key.get(form.index_column) if form.index_column else None
    return index_col, by_key.get(form.label_column)


def _row_texts(
    current: _Building,
) -> tuple[list[tuple[_Segment, int, dict[int, CellRead]]], list[str], list[str]]:
    """The body rows of a table with each row's printed index and label."""
    index_col, label_col = _index_label_columns(current)
    body = _body_cells(current)
    indices, labels = [], []
    for _seg, _r, cells in body:
        idx_cell = cells.get(index_col) if index_col is not None else None
        lab_cell = cells.get(label_col) if label_col is not None else None
        if (
            idx_cell is not None
            and idx_cell.cell.col_span > 1
            and (lab_cell is None or lab_cell.cell == idx_cell.cell)
        ):
            # "Tổng số" spanning the STT and label columns, or "3.2 Cấp xã" whose rule was lost
            # (dev 380's 3B p3: the whole cell stood as both, a row naming no printed row)
            index, label = stt_before_label(idx_cell.text)
            if index or lab_cell is None:
                indices.append(index)
                labels.append(label)
                continue
        indices.append(idx_cell.text.strip() if idx_cell is not None else "")
        labels.append(lab_cell.text.strip() if lab_cell is not None else "")
    return body, indices, labels


def _column_issues(current: _Building, values: list[Value]) -> tuple[set[str], list[str]]:
    """Keys of undeclared columns left without header or value (dropped: a spurious grid
    column), and the table issues about columns: a column count other than the form's, an
    undeclared printed column kept, a declared column not found, a column blank in every body
    row."""
    form = current.form
    if form is None:
        return set(), []
    filled: dict[str, int] = {}
    for v in values:
        if v.raw_text.strip():
            filled[v.column_key] = filled.get(v.column_key, 0) + 1
    drop = {key for j, key in current.extras.items() if not current.headers.get(j) and not filled.get(key)}
    # an empty undeclared column under a declared column's heading: a rule read inside that
    # printed column ("Số lượng" twice, dev_1087_hard_300's 8B: the scorer, like a user, could
    # not tell which was the form's, and its 5 numbers stood under neither)
    declared_headings = {
        h
        for j, k in current.columns.items()
        if k not in current.extras.values() and (h := current.headers.get(j))
    }
    twins = {
        k
        for j, k in current.extras.items()
        if not filled.get(k) and current.headers.get(j) in declared_headings
    }
    n_rows = len({v.row_index for v in values})
    issues = [
        *_column_count_issue(current, form, drop),  # (a twin is a column split in reading: counted)
        *_undeclared_column_issues(current, form, drop | twins, filled),
        *_missing_column_issues(current, form),
        *_blank_column_issues(current, form, drop | twins, filled, n_rows),
    ]
    return drop | twins, issues


def _column_count_issue(current: _Building, form: FormSpec, drop: set[str]) -> list[str]:
    """A column count other than the form's (the dropped spurious columns not counted)."""
    printed = current.n_cols - len(drop)
    if printed == len(form.columns):
        return []
    return [
        f"the table prints {printed} columns where form {form.code} has {len(form.columns)}: "
        f"a column {'lost or merged' if printed < len(form.columns) else 'split or added'} in reading?"
    ]


def _undeclared_column_issues(
    current: _Building, form: FormSpec, drop: set[str], filled: Mapping[str, int]
) -> list[str]:
    """Every printed column the form does not declare, kept under its own key."""
    return [
        f"undeclared printed column kept as {key}: {current.headers.get(j) or 'no header text'!r} "
        f"(grid column {j + 1}, {filled.get(key, 0)} values); form {form.code} does not declare it"
        for j, key in sorted(current.extras.items())
        if key not in drop
    ]


def _missing_column_issues(current: _Building, form: FormSpec) -> list[str]:
    """Every declared column (the STT and label columns aside) the header mapping did not find."""
    return [
        f"column {key} ({' / '.join(form.column(key).header)}) declared by form {form.code} was not found"
        for key in current.missing
        if key not in (form.index_column, form.label_column)
    ]


def _blank_column_issues(
    current: _Building, form: FormSpec, drop: set[str], filled: Mapping[str, int], n_rows: int
) -> list[str]:
    """Every value column blank in every body row (from ``EMPTY_COLUMN_MIN_ROWS`` rows on; a
    remarks column left blank is normal)."""
    if n_rows < EMPTY_COLUMN_MIN_ROWS:
        return []
    skip = {form.index_column, form.label_column}
    out = []
    for key in dict.fromkeys(current.columns.values()):
        if key in skip or key in drop or key in current.missing or filled.get(key):
            continue
        spec = _declared(form, key)
        if spec is not None and spec.type in ("note", "text"):
            continue
        header = " / ".join(spec.header) if spec is not None else key
        out.append(f"column {key} ({header}) is blank in every one of the {n_rows} body rows")
    return out


EMPTY_COLUMN_MIN_ROWS = 2  # a column blank in every row is reported from this many body rows on


@dataclass(frozen=True)
class _Origin:
    """Where a table's values come from: the document and the table's place in it."""

    document_id: str
    source: str
    table_index: int
    form: FormSpec | None

    @property
    def form_code(self) -> str:
        return self.form.code if self.form is not None else UNKNOWN_FORM


_BodyRow = tuple[_Segment, int, dict[int, CellRead]]  # (segment, grid row, {grid column: cell})


def _finish_table(
    current: _Building,
    table_index: int,
    document_id: str,
    source: str,
    communes: DistrictCommunes | None,
    settings: RowSettings,
    guessed_confidence: float,
) -> TableResult:
    """The assembled table: body rows classified, every mapped cell a value, the table's issues.

    Steps: the rows (:func:`_classified_rows`, with :func:`_unknown_rows` for a table of no known
    form), the values (:func:`_row_values`), the columns dropped and reported
    (:func:`_column_issues`), the rows missing or not trusted (:func:`_row_issues`)."""
    from .understand.rows import mark_doubtful_rows, missing_rows

    form = current.form
    origin = _Origin(document_id, source, table_index, form)
    body, rows = _classified_rows(current, communes, settings)
    continued: set[int] = set()
    if form is None:
        body, rows, continued = _unknown_rows(current, body, rows)
    values = [
        value
        for row_index, ((seg, _r, cells), info) in enumerate(zip(body, rows, strict=True))
        for value in _row_values(current, origin, seg, row_index, cells, info, guessed_confidence)
    ]
    if form is None:  # a row continued over a page break is one row with its first half
        values, rows = _join_continued(current, values, rows, continued)
    else:  # a lost column's numbers read into its neighbour's cells: parted, flagged
        values = _part_merged_cells(current, form, values)
        values = _part_beside_lost_cells(current, form, values)
    drop, column_issues = _column_issues(current, values)
    values = [v for v in values if v.column_key not in drop]
    incomplete = {} if form is None else missing_rows(rows, communes if form.commune_rows else None, settings)
    if form is not None:  # rows that may not be one printed row each: their values get flagged
        rows = mark_doubtful_rows(rows, communes if form.commune_rows else None, settings)
    issues = [*current.notes, *column_issues, *_row_issues(rows, incomplete)]
    return _table_result(current, origin, rows, values, issues, incomplete, drop)


def _part_beside_lost_cells(current: _Building, form: FormSpec, values: list[Value]) -> list[Value]:
    """:func:`.merged_columns.part_beside_lost_cells` (setting ``column_fit.part_beside_lost``)."""
    from .merged_columns import part_beside_lost_cells

    fit = current.column_fit
    if not fit.part_beside_lost:
        return values
    parse = lambda key, text: _parse_cell(form, key, text, index=False)  # noqa: E731
    return part_beside_lost_cells(values, form, set(current.columns.values()), parse, fit.part_confidence)


def _part_merged_cells(current: _Building, form: FormSpec, values: list[Value]) -> list[Value]:
    """:func:`.merged_columns.part_merged_cells` on the table's declared columns not found; a key
    it parts out becomes a column of the table (after the grid's), with its notes."""
    from .merged_columns import part_merged_cells

    if not current.missing:
        return values
    values, notes = part_merged_cells(
        values,
        form,
        current.missing,
        lambda key, text: _parse_cell(form, key, text, index=False),
        merged={current.columns[j] for j in current.merged_columns if j in current.columns},
    )
    parted = {v.column_key for v in values} - set(current.columns.values())
    for key in (k for k in current.missing if k in parted):
        at = max(current.columns, default=-1) + 1
        current.columns[at] = key
        current.headers[at] = " / ".join(form.column(key).header)
    current.notes.extend(notes)
    return values


def _classified_rows(
    current: _Building, communes: DistrictCommunes | None, settings: RowSettings
) -> tuple[list[_BodyRow], list[RowInfo]]:
    """The body rows and what each is (sections, items, totals, communes with their codes)."""
    from .understand.joined_labels import split_joined_labels
    from .understand.rows import classify_rows

    form = current.form
    body, indices, labels = _row_texts(current)
    commune_rows = bool(form is not None and form.commune_rows)
    if form is None:
        return body, classify_rows(indices, labels, communes, commune_rows=commune_rows, settings=settings)
    labels, moved = split_joined_labels(indices, labels)  # two rows' labels read in one cell
    again = _labels_read_again(current, body, labels, communes, settings)
    labels = [again[p][0] if p in again else lbl for p, lbl in enumerate(labels)]
    sections = [(s.index, s.label) for s in form.sections]
    rows = classify_rows(
        indices, labels, communes, commune_rows=commune_rows, settings=settings, sections=sections
    )
    rows = [
        dataclasses.replace(r, problem=r.problem or moved[i]) if i in moved else r for i, r in enumerate(rows)
    ]
    return body, [  # a label read again stays flagged whatever else the row's reason says
        dataclasses.replace(r, problem="; ".join(w for w in (r.problem, again[i][1]) if w))
        if i in again
        else r
        for i, r in enumerate(rows)
    ]


def _labels_read_again(
    current: _Building,
    body: list[_BodyRow],
    labels: list[str],
    communes: DistrictCommunes | None,
    settings: RowSettings,
) -> dict[int, tuple[str, str]]:
    """Row position -> (label, why) for the labels that name nothing and whose cell's second
    reading under a seal names a commune, section or item (:mod:`.understand.label_looks`)."""
    from .ocr.reader import LABEL_LOOK_VARIANT
    from .understand.label_looks import labels_read_again

    form = current.form
    _index_col, label_col = _index_label_columns(current)
    if form is None or label_col is None:
        return {}
    looks = [
        tuple(c.text for c in cell.candidates if c.variant == LABEL_LOOK_VARIANT)
        if (cell := cells.get(label_col)) is not None
        else ()
        for _seg, _r, cells in body
    ]
    if not any(looks):
        return {}
    names = [s.label for s in form.sections] + [r for s in form.sections for r in s.rows]
    names += [r["label"] for r in form.rows if r.get("label")]
    if form.commune_rows and communes is not None:
        names += [c.name for c in communes.communes]
    return labels_read_again(
        labels,
        looks,
        names,
        match_min=settings.label_look_match_min,
        legible_min=settings.label_look_legible_min,
        words_min=settings.label_look_words_min,
    )


def _unknown_rows(
    current: _Building, body: list[_BodyRow], rows: list[RowInfo]
) -> tuple[list[_BodyRow], list[RowInfo], set[int]]:
    """A table of no known form as printed: a merged cell once (at its first column), a
    full-width row a section, and (their indexes) the first rows of a page that continue a row
    of the previous page."""
    from .understand import unknown

    index_col, _label_col = _index_label_columns(current)
    body = [(seg, r, unknown.row_cells(cells)) for seg, r, cells in body]
    first_rows: dict[int, int] = {}
    for seg, r, _cells in body:
        first_rows.setdefault(id(seg), r)  # body rows come in page order, top to bottom
    rows = list(rows)
    continued: set[int] = set()
    for i, (seg, r, cells) in enumerate(body):
        if unknown.is_section_row(cells, current.n_cols):
            rows[i] = dataclasses.replace(rows[i], kind=RowKind.SECTION)
        elif r == first_rows.get(id(seg)) and unknown.is_continued_row(cells, index_col):
            continued.add(i)
    return body, rows, continued


def _row_values(
    current: _Building,
    origin: _Origin,
    seg: _Segment,
    row_index: int,
    cells: dict[int, CellRead],
    info: RowInfo,
    guessed_confidence: float,
) -> list[Value]:
    """The values of one body row: one per mapped cell (a known form's STT and label columns are
    the row's, not values; a number resting on a guessed digit at most ``guessed_confidence``)."""
    from .understand.numbers import value_confidence

    form = current.form
    index_col, label_col = _index_label_columns(current)
    skip = {index_col, label_col} if form is not None else set()
    commune = info.commune.commune if info.commune is not None else None
    out = []
    for col, cell in cells.items():
        if col in skip or col not in current.columns:
            continue
        key = current.columns[col]
        parsed = _parse_cell(form, key, cell.text, index=col == index_col)
        ambiguous, problem = _cell_problem(parsed, cell)
        if col in seg.unsure and cell.text.strip() and not ambiguous:
            ambiguous, problem = (
                True,
                f"page {seg.page.page_index + 1}: {seg.unsure_why}",
            )
        if not ambiguous and (cell.cell.row, cell.cell.col) in seg.table.grid.under_seal:
            ambiguous, problem = True, "a seal covers the cell: its reading is not sure"
        if col in current.doubtful_columns and cell.text.strip() and not ambiguous:
            ambiguous, problem = True, current.doubtful_columns[col]
        out.append(
            Value(
                document_id=origin.document_id,
                source=origin.source,
                form=origin.form_code,
                table_index=origin.table_index,
                page_index=seg.page.page_index,
                row_index=row_index,
                row_key=info.key,
                row_kind=info.kind.value,
                row_label=info.label,
                commune_code=commune.code if commune is not None else None,
                commune_name=commune.name if commune is not None else None,
                column_key=key,
                column_header=current.headers.get(col, key),
                value_kind=parsed.kind,
                number=parsed.number,
                boolean=parsed.boolean,
                text=parsed.text,
                unit=parsed.unit or _column_unit(form, key),
                note=parsed.note,
                raw_text=cell.text,
                confidence=value_confidence(parsed, cell.confidence, guessed_confidence),
                box=cell.cell.box,
                candidates=cell.candidates,
                ambiguous=ambiguous,
                problem=problem,
            )
        )
    return out


def _join_continued(
    current: _Building, values: list[Value], rows: list[RowInfo], continued: set[int]
) -> tuple[list[Value], list[RowInfo]]:
    """An unknown table's rows continued over a page break joined with their first halves
    (:func:`extract.understand.unknown.join_continued`)."""
    from .understand.unknown import join_continued

    index_col, label_col = _index_label_columns(current)
    keys = [current.columns.get(c) if c is not None else None for c in (index_col, label_col)]
    return join_continued(values, rows, continued, *keys)


def _parse_cell(form: FormSpec | None, key: str, text: str, *, index: bool) -> ParsedValue:
    """A cell's text typed by its column's declared type, or (no known form) by what it is."""
    if form is None:
        from .understand.unknown import parse_cell

        return parse_cell(text, index=index)
    from .understand.numbers import parse_value

    return parse_value(text, _column_type(form, key))


def _column_unit(form: FormSpec | None, key: str) -> str | None:
    spec = _declared(form, key)
    return spec.unit if spec is not None else None


def _cell_problem(parsed: ParsedValue, cell: CellRead) -> tuple[bool, str | None]:
    """(ambiguous, why the text cannot be used as read): an ambiguous or unparseable number, or
    text in one cell over several grid slots (a rule the text could not restore)."""
    span = cell.cell.col_span, cell.cell.row_span
    if cell.text.strip() and span != (1, 1):
        return True, f"one cell over {span[0]} columns and {span[1]} rows"
    if parsed.problem or parsed.ambiguous:
        return parsed.ambiguous, parsed.problem or "ambiguous number"
    return False, None


def _row_issues(rows: Sequence[RowInfo], incomplete: Mapping[str, str]) -> list[str]:
    """Table issues about rows: rows missing under a parent, rows whose label is not trusted."""
    missing = [
        f"rows missing under {_parent_name(parent, rows)}: {why}" for parent, why in incomplete.items()
    ]
    untrusted = [
        f"row {i + 1} {row.label!r}: {row.problem}; its values are flagged"
        for i, row in enumerate(rows)
        if row.problem
    ]
    restored = [
        f"row {i + 1} {row.printed_index!r} -> {row.index!r}"
        for i, row in enumerate(rows)
        if row.printed_index is not None and not row.problem
    ]
    if restored:  # corrections the sequence bears out: recorded, not flagged
        untrusted.append(f"STT restored from the rows around it: {', '.join(restored)}")
    return missing + untrusted


def _table_result(
    current: _Building,
    origin: _Origin,
    rows: Sequence[RowInfo],
    values: Sequence[Value],
    issues: Sequence[str],
    incomplete: Mapping[str, str],
    drop: set[str],
) -> TableResult:
    """The :class:`TableResult`: a dropped column keeps its generic key "c<i>" in ``columns``;
    ``raw`` holds the text of every grid row of every page, header rows included."""
    # the first page's grid columns, then those only its continuation pages print (past them)
    n_cols = current.n_cols
    grid_columns = [*range(n_cols), *sorted(j for j in current.columns if j >= n_cols)]
    columns = [current.columns.get(i, f"c{i}") for i in grid_columns]
    raw = tuple(tuple(row) for seg, _first in current.segments for row in seg.table.matrix())
    return TableResult(
        table_index=origin.table_index,
        form=origin.form_code,
        form_score=current.form_score,
        title=current.title,
        pages=tuple(dict.fromkeys(seg.page.page_index for seg, _ in current.segments)),
        columns=tuple(k if k not in drop else f"c{i}" for i, k in enumerate(columns)),
        # (a dropped column's heading, when it repeats a kept one's, is not the table's: blank)
        headers=tuple(
            "" if k in drop else current.headers.get(i, "")
            for i, k in zip(grid_columns, columns, strict=True)
        ),
        rows=tuple(rows),
        values=tuple(values),
        raw=raw,
        issues=tuple(issues),
        incomplete=dict(incomplete),
    )


def _parent_name(parent: str, rows: Sequence[RowInfo]) -> str:
    """ "row II 'UBND cấp xã'" for a parent path, "the top level" for ""."""
    if not parent:
        return "the top level"
    row = next((r for r in rows if r.path == parent), None)
    if row is None:
        return f"row {parent}"
    return f"row {row.index or parent} {row.label!r}" if row.label else f"row {row.index or parent}"


def _metadata(pages: Sequence[PageResult], config: Settings, gazetteer: Gazetteer) -> DocumentMeta:
    from .understand.metadata import DocumentConventions, read_metadata, signature_lines

    def ordered(page: PageResult) -> list[OcrLine]:
        # a stray mark taken out of its line ("_.", extract.pagetext.with_stray_marks) is no line
        return sorted((ln for ln in page.lines if not ln.stray_mark), key=lambda ln: (ln.box.y0, ln.box.x0))

    n = config.document.metadata_pages
    return read_metadata(
        [ln for page in pages[:n] for ln in ordered(page)],
        gazetteer,
        last_lines=signature_lines([ordered(p) for p in pages], search=n),
        conventions=DocumentConventions.load(config.folder),
        settings=config.metadata,
    )


def _tables(
    pages: Sequence[PageResult], settings: DocumentSettings, forms: Sequence[FormSpec], fs: FormsSettings
) -> list[_Building]:
    """The document's tables in reading order, continued tables joined across pages."""
    from .pagetext import is_page_number
    from .understand.forms import split_header

    out: list[_Building] = []
    current: _Building | None = None  # the table the last segment went to
    for seg in _segments(pages, settings):
        has_title = any(not is_page_number(ln.text) for ln in seg.title_lines)
        # after pieces of no known form, a table whose columns line up with the last known form's
        # continues that form rather than the pieces
        known = _continued_past_pieces(seg, current, out, settings) if current and not current.form else None
        placed, current = (
            (True, known) if known is not None else (_is_continuation(seg, current, settings), current)
        )
        if placed and current and not has_title and _header_names_another_form(seg, current, [], forms, fs):
            placed = False  # no title read, but its own header names another form: a table of its own
        if placed and (not has_title or _keeps_form(seg, current, forms, fs)):
            assert current is not None
            # a continued table does not usually repeat the header; drop it when it does
            if current.form is not None:
                first = split_header(seg.table.matrix(), current.form, fs)
            else:
                from .understand.unknown import repeated_header_rows

                first = repeated_header_rows(seg.table.matrix(), current.header_rows, current.headers)
            if (current.form is None or current.doubtful_form) and current.segments[0][0].unsure:
                # the rest of a piece, or of a table whose form is not sure
                seg.unsure = frozenset(range(seg.table.grid.n_cols))
                seg.unsure_why = current.segments[0][0].unsure_why
            current.segments.append((seg, first if first and first == current.header_rows else 0))
            if seg.unread_above:
                current.notes.append(seg.unread_above)
            continue
        seg.columns, seg.unsure = None, frozenset()  # a table of its own: its columns are its own
        current = _start_table(seg, forms, fs, out, settings.form_columns_slack)
        current.column_fit = settings.column_fit
        _doubt_form(current, settings)
        if current.form is None and not has_title and any(b.form is not None for b in out):
            host = _host_of_piece(seg, out, settings)
            if host is not None and _header_names_another_form(seg, host, [], forms, fs):
                host = None  # its own header is another form's: not a piece of this table
            if host is not None:
                _join_piece(seg, host, fs)
                current = host
                continue
            if not _body_below_torn_header(seg, current, out):
                _mark_orphan(current, out)
        elif current.form is None:
            _body_below_torn_header(seg, current, out)  # under a line of specks that names no form
        out.append(current)
    # a printed value never disappears silently: rows and tables read as text lines
    from .lost_rows import add_rows_read_as_text

    add_rows_read_as_text(pages, out, forms, fs, settings)
    return out


def _district(
    meta: DocumentMeta,
    pages: Sequence[PageResult],
    buildings: Sequence[_Building],
    settings: DocumentSettings,
    gazetteer: Gazetteer,
    match: MatchSettings,
) -> tuple[DocumentMeta, DistrictCommunes | None]:
    """The report's district from the text and the commune rows of its tables (see
    :mod:`extract.understand.district`), recorded in the metadata with its evidence."""
    from .understand.district import choose_district

    year = meta.year or settings.default_year
    if meta.district_code:
        named = [gazetteer.district(meta.district_code, year)]
    else:
        named = _named_districts(pages, settings, gazetteer, year)
    labels = _commune_labels(buildings)
    choice = choose_district(named, labels, gazetteer, year, match)
    d = choice.district
    meta = replace(
        meta,
        district=d.name if d else None,
        district_code=d.code if d else None,
        province=(gazetteer.provinces[d.province_code].name if d else meta.province),
        province_code=(d.province_code if d else meta.province_code),
        district_evidence=choice.evidence,
    )
    return meta, choice.communes


def _named_districts(
    pages: Sequence[PageResult], settings: DocumentSettings, gazetteer: Gazetteer, year: int | None
) -> list[DistrictRef]:
    """The districts the text names: in the first pages' lines, and in any page's line that names
    an issuer (an annex names its report's issuer in its reference line)."""
    from .understand.metadata import named_districts

    lines = [
        ln.text
        for page in pages[: settings.metadata_pages]
        for ln in sorted(page.lines, key=lambda ln: (ln.box.y0, ln.box.x0))
    ]
    lines += [ln.text for page in pages for ln in page.lines if "UBND" in ln.text or "nhân dân" in ln.text]
    return named_districts(lines, gazetteer, year)


def _commune_labels(buildings: Sequence[_Building]) -> list[str]:
    """The row labels that look like communes, in tables that list communes (or may: unknown)."""
    from .understand.rows import looks_like_commune

    return [
        label
        for current in buildings
        if current.form is None or current.form.commune_rows
        for label in _row_texts(current)[2]
        if looks_like_commune(label)
    ]


def assemble_document(
    document_id: str, source: str, pages: list[PageResult], config: Settings | str | None = None
) -> DocumentResult:
    """Turn the page results of one document into recognised, validated tables.

    ``config``: the run's :class:`~extract.config.Settings` (a configs folder, or ``None`` for the
    default one, is loaded)."""
    from .validate import validate_document

    config = settings_or_default(config)
    settings = config.document
    forms = config.form_specs
    pages = sorted(pages, key=lambda p: p.page_index)
    page_count = max((p.page_count for p in pages), default=0)
    ok_pages = [p for p in pages if not p.failed]
    gazetteer = _gazetteer(config)
    meta = _metadata(ok_pages, config, gazetteer)
    buildings = _tables(ok_pages, settings, forms, config.forms)
    meta, communes = _district(meta, ok_pages, buildings, settings, gazetteer, config.communes)
    guessed = config.ocr.guessed_digit_confidence
    tables = [
        _finish_table(current, i, document_id, source, communes, settings.rows, guessed)
        for i, current in enumerate(buildings)
    ]

    doc = DocumentResult(
        document_id=document_id,
        source=source,
        page_count=page_count,
        meta=meta,
        pages=tuple(pages),
        tables=tuple(tables),
    )
    doc = validate_document(
        doc, {f.code: f for f in forms}, config.validate, place_missing_rows=True, communes=communes
    )
    from .understand.unknown import flag_unknown

    return flag_unknown(doc)


__all__ = ["UNKNOWN_FORM", "DocumentSettings", "assemble_document"]
