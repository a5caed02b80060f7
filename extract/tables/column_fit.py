"""The columns of one grid placed under another grid's columns by their edge positions.

The same printed table keeps its column rules at the same places on every page (up to the
scan's shift), so where a worn page's grid found a column less or more than the table's first
page, or a table torn across a band of lost rules came as pieces one above the other, each
piece's columns are matched to the table's by position instead of by count (a shift by one would
put every value right of the lost rule under its neighbour's key).  One function does it for
both callers (:mod:`extract.document`: continuation pages and lower pieces); its settings are
section ``document.column_fit`` of ``configs/pipeline.yaml``.

Pure functions on column edges (sorted x, page pixels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field

from ..merged_columns import LONE_NUMBER
from ..model import CellKind, CellRead, PixelBox, TextWord
from ..units import mm_to_px


class ColumnFitSettings(BaseModel):
    """Section ``document.column_fit`` of ``configs/pipeline.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # edges of two grids this close (after the scan's shift) are one printed column rule
    edge_mm: float = Field(default=2.0, gt=0.0)
    # the shift between the two grids is at most this (a scanner's offset)
    max_shift_mm: float = Field(default=10.0, ge=0.0)
    # the shift must line up at least this many edges ...
    min_edges: int = Field(default=3, ge=1)
    # ... and this share of the edges of the grid with fewer (a grid that lost rules has fewer):
    # else nothing says they are the same printed columns
    min_edge_share: float = Field(default=0.75, gt=0.0, le=1.0)
    # a piece column stands under a table column when their overlap is this share of the
    # narrower of the two (over several: a rule the piece lost)
    cover_share: float = Field(default=0.5, gt=0.0, le=1.0)
    # ... and it is that column, sure, when the overlap is this share of the wider of the two
    sure_share: float = Field(default=0.6, gt=0.0, le=1.0)
    # a cell over several printed columns (a rule lost) is parted at their rules' places when each
    # of its words lies within one column, reaching at most this far over a rule's place ...
    part_margin_mm: float = Field(default=0.5, ge=0.0)
    # ... and each part is at most this sure (under validate.min_confidence: flagged unless a rule
    # of the form bears it out; the rule's place comes from another row or page)
    part_confidence: float = Field(default=75.0, ge=0.0, le=100.0)
    # a one-stroke word ("1", "l", "|") at most this wide standing on an inner rule's place (within
    # this of it) is the lost rule's remnant, not a value: no word of any part; 0: off
    rule_mark_mm: float = Field(default=0.35, ge=0.0)
    # a cell over n printed columns that its words' places could not part, its text n numbers
    # standing apart ("0 142"), is parted by their order: the k-th number to the k-th column (each
    # at most part_confidence sure); false: such a cell stands whole in each column, flagged
    part_by_order: bool = True
    # a number cell holding two numbers standing apart ("30 8") beside a column of the table that
    # has no cell in that row (the page's grid lost the rule between them over its whole height)
    # is parted by their order, each part at most part_confidence sure; false: it stays whole,
    # flagged, and the other column keeps a flagged place-holder (validate.missing_cells)
    part_beside_lost: bool = True


@dataclass(frozen=True)
class ColumnPlace:
    """Where one column of a piece stands in the table: ``first`` is the (leftmost) table column
    it stands under (``None``: under none); ``spans`` how many table columns it covers (> 1: a
    rule the piece lost, its values are not one column's); ``shared``: another piece column
    stands under the same table column (a rule the table's first page lost: which of the two is
    the key's column cannot be told); ``sure``: the piece column is that one table column (it
    covers it and nothing else, most of both widths); ``most``: the table column it overlaps
    most (``None``: none); ``edges``: the rules of the table columns it covers (``first`` to
    ``first + spans``) at their places on the piece (the piece's pixels)."""

    first: int | None
    spans: int
    shared: bool = False
    sure: bool = False
    most: int | None = None
    edges: tuple[float, ...] = ()


def _best_shift(
    table: Sequence[float], piece: Sequence[float], tolerance: float, max_shift: float
) -> tuple[float, int]:
    """The offset (added to ``piece``'s edges) of at most ``max_shift`` that lines up most of
    ``piece``'s edges with ``table``'s within ``tolerance``, the smallest among equals; and how
    many it lines up."""

    def matched(shift: float) -> int:
        return sum(any(abs(p + shift - t) <= tolerance for t in table) for p in piece)

    shifts = sorted({0.0, *(t - p for p in piece for t in table if abs(t - p) <= max_shift)}, key=abs)
    best = max(shifts, key=matched)  # max keeps the first (smallest) of equal counts
    return best, matched(best)


def fit_columns(
    table: Sequence[float], piece: Sequence[float], settings: ColumnFitSettings, dpi: float
) -> list[ColumnPlace] | None:
    """Each column of a piece (column edges ``piece``) placed under the columns of the table
    (edges ``table``), after the shift that lines up most edges; ``None`` when too few edges line
    up (:class:`ColumnFitSettings`): nothing says the two grids are the same printed columns."""
    if len(table) < 2 or len(piece) < 2:
        return None
    tolerance = mm_to_px(settings.edge_mm, dpi)
    shift, hits = _best_shift(table, piece, tolerance, mm_to_px(settings.max_shift_mm, dpi))
    if hits < max(settings.min_edges, settings.min_edge_share * min(len(table), len(piece))):
        return None
    spans = list(zip(table, table[1:], strict=False))
    found: list[tuple[list[int], bool, int | None]] = []  # (columns under, sure, overlapped most)
    for x0, x1 in zip(piece, piece[1:], strict=False):
        x0, x1 = x0 + shift, x1 + shift
        overlaps = [min(x1, b) - max(x0, a) for a, b in spans]
        under = [
            j
            for j, ((a, b), o) in enumerate(zip(spans, overlaps, strict=True))
            if o > 0 and o >= settings.cover_share * min(b - a, x1 - x0)
        ]
        most = max(range(len(spans)), key=overlaps.__getitem__)
        a, b = spans[most]
        sure = len(under) == 1 and overlaps[most] >= settings.sure_share * max(b - a, x1 - x0)
        found.append((under, sure, most if overlaps[most] > 0 else None))
    # the rules' places on the piece: the shift that lines up the edges, refined to their mean
    # offset (the shift chosen is the smallest within edge_mm; a lost rule is placed from it)
    offsets = [min((t - p for t in table), key=abs) for p in (p + shift for p in piece)]
    close = [o for o in offsets if abs(o) <= tolerance]
    at = shift + (sum(close) / len(close) if close else 0.0)
    taken: dict[int, int] = {}
    for under, _sure, _most in found:
        if under:
            taken[under[0]] = taken.get(under[0], 0) + 1
    return [
        ColumnPlace(
            under[0] if under else None,
            max(1, len(under)),
            bool(under) and taken[under[0]] > 1,
            sure and taken[under[0]] == 1,
            most,
            tuple(table[j] - at for j in range(under[0], under[-1] + 2)) if under else (),
        )
        for under, sure, most in found
    ]


def keys_in_slot(keys: Sequence[str], mapped: Mapping[int, str], column: int, count: int) -> list[str] | None:
    """The form's keys of ``count`` printed columns that a continuation page shows where the
    table's first page read one grid column, ``column`` (a rule the first page lost: its two
    printed columns read as one): the declared keys (``keys``, in printed order) between the
    keys of the first page's neighbours of ``column`` (``mapped``: grid column -> key), when
    there are exactly ``count`` of them, the column's own key among them and none of the others
    mapped to another column; else ``None`` (which of them is which cannot be told)."""
    order = {k: i for i, k in enumerate(keys)}
    own = mapped.get(column)
    if own not in order:
        return None
    left = order.get(mapped.get(column - 1, ""), -1) if column > 0 else -1
    right = order.get(mapped.get(column + 1, ""), len(keys)) if column + 1 in mapped else len(keys)
    if column > 0 and mapped.get(column - 1) not in order:
        return None  # the neighbour's key is no declared column: the slot is not known
    if column + 1 in mapped and mapped[column + 1] not in order:
        return None
    slot = list(keys[left + 1 : right])
    taken = set(mapped.values()) - {own}
    if len(slot) != count or own not in slot or taken & set(slot):
        return None
    return slot


def part_cell(
    cell: CellRead, edges: Sequence[float], settings: ColumnFitSettings, dpi: float
) -> list[CellRead] | None:
    """A cell over the printed columns between ``edges`` (sorted x, the cell's page pixels; a rule
    lost on the scan) parted at the rules' places: one cell per column, holding the words of the
    cell (:attr:`~extract.model.CellRead.words`) that lie within it, each at most
    ``settings.part_confidence`` sure (a column with no word is empty at confidence 0: nothing was
    read there, which over a lost rule is no sure blank);
    ``None`` when the cell has text but no placed words, or a word reaches more than
    ``settings.part_margin_mm`` over an inner rule's place (which column it is, is not known).
    A remnant of the lost rule read as a word (:func:`rule_remnant`) is no word of any part."""
    n = len(edges) - 1
    if n < 2:
        return None
    margin = mm_to_px(settings.part_margin_mm, dpi)
    if cell.text.strip() and not cell.words:
        return None
    parts: list[list[TextWord]] = [[] for _ in range(n)]
    for word in cell.words:
        if rule_remnant(word, edges[1:-1], settings, dpi):
            continue
        inside = [
            j for j in range(n) if word.box.x0 >= edges[j] - margin and word.box.x1 <= edges[j + 1] + margin
        ]
        if len(inside) != 1:
            return None
        parts[inside[0]].append(word)
    grid = cell.cell
    out = []
    for j, words in enumerate(parts):
        box = PixelBox(round(edges[j]), grid.box.y0, round(edges[j + 1]), grid.box.y1)
        part = replace(grid, col=grid.col + j, col_span=1, box=box)
        if not words:  # no word read there: over a lost rule, not a sure blank
            out.append(CellRead(part, "", 0.0, CellKind.EMPTY))
            continue
        text = " ".join(w.text for w in words)
        confidence = min(cell.confidence, settings.part_confidence)
        out.append(CellRead(part, text, confidence, CellKind.NUMBER, words=tuple(words)))
    return out


def part_by_order(
    cell: CellRead, edges: Sequence[float], settings: ColumnFitSettings
) -> list[CellRead] | None:
    """A cell over the printed columns between ``edges`` whose words' places could not part it
    (:func:`part_cell`: a word over a lost rule's place, or no words kept) parted by the order of
    its numbers, when its text is as many numbers standing apart as it covers columns ("0 142"
    over dev 1621's 10B ``dvc3_qua_mang`` and ``dvc4_tthc``; "36 33", "8 7"): the k-th number to
    the k-th column, each at most ``settings.part_confidence`` sure (flagged unless a rule bears
    it out).  Before, the whole text stood in each column, flagged, and neither number counted.
    ``None`` otherwise (``settings.part_by_order`` off, another count, a word that is no number,
    a cell over several rows too: which number is whose is then not told by their order)."""
    n = len(edges) - 1
    numbers = cell.text.split()
    if not settings.part_by_order or n < 2 or len(numbers) != n or cell.cell.row_span != 1:
        return None
    if not all(LONE_NUMBER.match(w) and any(ch.isdigit() for ch in w) for w in numbers):
        return None
    grid = cell.cell
    confidence = min(cell.confidence, settings.part_confidence)
    out = []
    for j, number in enumerate(numbers):
        box = PixelBox(round(edges[j]), grid.box.y0, round(edges[j + 1]), grid.box.y1)
        part = replace(grid, col=grid.col + j, col_span=1, box=box)
        out.append(CellRead(part, number, confidence, CellKind.NUMBER))
    return out


RULE_STROKES = frozenset("1lI|!¦i")
"""What a piece of a vertical ruling line reads as (one stroke)."""


def rule_remnant(word: TextWord, rules: Sequence[float], settings: ColumnFitSettings, dpi: float) -> bool:
    """Whether ``word`` is a piece of a lost vertical rule read as a letter: one stroke
    (:data:`RULE_STROKES`) at most ``settings.rule_mark_mm`` wide, standing on one of ``rules``
    (x, page pixels; within ``rule_mark_mm`` of it).  A printed value stands inside its column,
    clear of the rules (a broken rule's 2-px piece read "1" at 6-19 in a printed-empty cell)."""
    width = mm_to_px(settings.rule_mark_mm, dpi)
    if width <= 0 or word.text.strip() not in RULE_STROKES or word.box.x1 - word.box.x0 > width:
        return False
    return any(word.box.x0 - width <= x <= word.box.x1 + width for x in rules)
