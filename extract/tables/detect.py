"""Ruled tables of a prepared page: a thin orchestrator over lines -> regions -> grids.

:func:`detect_tables` finds the ruling lines (:mod:`.lines`), groups touching rules into table
regions, builds each region's grid with merged cells (:mod:`.grid`) and keeps the grids with at
least ``min_rows`` rows and ``min_cols`` columns; where the rules fail, the text of the table body
finds rows, columns and cell boundaries (:mod:`.text_evidence`) (a boxed stamp or a lone rectangle
is not a table).  The line mask goes with the grids: the OCR stage paints the rules out of each
cell's crop (:func:`extract.ocr.cells.cut_cell`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..config import settings_section
from ..model import PixelBox, PreparedPage, TableGrid
from ..preprocess import normalize_background
from ..units import mm_to_px
from .grid import GridSettings, build_grid
from .lines import LineMasks, LineSettings, find_lines, find_lines_without_and_with_sides
from .row_bands import lost_row_between
from .side_guard import adds_without_merging
from .text_evidence import PageGlyphs, TextEvidenceSettings

# join_side_by_side: two regions side by side are one table when they overlap over this share of
# the shorter one's height and this share of its horizontal rules continue on the other side
SIDE_OVERLAP = 0.6
SIDE_MATCH = 0.6
# join_stacked: two regions one above the other are one table when they overlap over this share
# of the wider one's width (a narrow ruled box under a table is not a piece of it) and this share
# of the narrower one's vertical rules continue in the other


class TableSettings(BaseModel):
    """Settings of :func:`detect_tables` (section ``tables`` of ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Rules closer than this (mm) belong to the same table region.
    join_gap_mm: float = Field(default=1.5, ge=0.0)
    min_width_mm: float = Field(default=20.0, gt=0.0)
    min_height_mm: float = Field(default=8.0, gt=0.0)
    # two regions side by side this close (mm) whose horizontal rules line up are one table whose
    # rules across the gap are broken (worn scans: gaps of 5-40 mm)
    side_gap_mm: float = Field(default=45.0, ge=0.0)
    # two regions one above the other this close (mm) whose vertical rules line up are one table
    # whose vertical rules broke across a band (worn scans, faxes: a row's rules lost over the
    # table's width); a title between two tables keeps them further apart than this
    stack_gap_mm: float = Field(default=2.5, ge=0.0)
    # ... or further apart, by a band no higher than this many of their rows' pitch, both
    # borders in line: a row whose vertical rules all broke (.row_bands; 0: off)
    lost_row_pitches: float = Field(default=1.5, ge=0.0)
    # the grids' join across such a lost row (:func:`joined_across_lost_rows`; built on a fax
    # whose worn rule ends hid the regions' join)
    lost_row_grids: bool = True
    # the fax mechanisms - the grids' join across a lost row (``lost_row_grids``), side borders
    # (lines.side_rule_reach_mm) and the widening of a table of many rows to them
    # (grid.side_border_cover) - on the pages :func:`for_page` treats as faxes only: on a grey
    # hard 200-dpi page the join took a title one row high between two tables for a lost row,
    # on a grey hard 300-dpi page side borders cost a 6B its commune rows (dev 380: 50 numbers)
    fax_mechanisms_fax_only: bool = True
    # ... and on a grey page the tables found with the side borders where they add cells and merge
    # none of the tables found without them (:func:`.side_guard.adds_without_merging`; a second look)
    side_borders_grey_guarded: bool = True
    # ... or by a band no higher than this (mm) that holds ruled pieces of the same table: a
    # header row whose rules broke into pieces on a fax (each too small to be a table), its
    # vertical rules continued below (0: off)
    stack_bridge_mm: float = Field(default=45.0, ge=0.0)
    # two stacked regions overlap over this share of the wider one's width (a narrower region
    # under a table stays apart) ...
    stack_overlap: float = Field(default=0.8, gt=0.0, le=1.0)
    # ... and this share of the narrower one's vertical rules continue at the same x in the other
    stack_rule_match: float = Field(default=0.6, gt=0.0, le=1.0)
    min_rows: int = Field(default=2, ge=1)
    min_cols: int = Field(default=2, ge=1)
    # Rules are looked for in every pixel at least this much darker than the local paper
    # (a share of the paper level; faded rules are fainter than text).
    rule_contrast: float = Field(default=0.12, gt=0.0, lt=1.0)
    # line_mask is grown by this much (mm) around each rule so grey anti-aliased edges go too.
    mask_grow_mm: float = Field(default=0.15, ge=0.0)
    # A page with no table but long horizontal rules may hold one row continued from the previous
    # page (a total row printed alone): its verticals are as short as the row is high, so they
    # meet the long-line test only in a second look with ``one_row_line_mm`` as the long length,
    # keeping a table at least ``one_row_height_mm`` high with ``one_row_min_cols`` columns,
    # done only when ``one_row_rules`` horizontal rules at least ``one_row_rule_mm`` long exist.
    one_row_line_mm: float = Field(default=5.0, gt=0.0)
    one_row_height_mm: float = Field(default=4.0, gt=0.0)
    one_row_min_cols: int = Field(default=3, ge=2)
    one_row_rule_mm: float = Field(default=60.0, gt=0.0)
    one_row_rules: int = Field(default=2, ge=2)
    # ... counted from the horizontal strokes at least ``one_row_piece_mm`` long (letters are
    # shorter) with gaps up to ``one_row_bridge_mm`` bridged: a worn or faxed row's rules are
    # dashed, none of their pieces is ``one_row_rule_mm`` long
    one_row_piece_mm: float = Field(default=3.0, gt=0.0)
    one_row_bridge_mm: float = Field(default=12.0, ge=0.0)
    # ... and kept only as wide as a table continued (this share of the page width at least) and
    # at the top of the page (its top within this share of the page height): a ruled box
    # elsewhere is not a table
    one_row_min_width: float = Field(default=0.7, gt=0.0, le=1.0)
    one_row_max_top: float = Field(default=0.33, gt=0.0, le=1.0)
    # A 1-bit scan (a fax) whose rules are dashed (at least this share of its long rules' ink in
    # pieces shorter than a rule, :func:`dashed_share`) has its rules' breaks bridged up to this
    # (mm) and a rule's pieces rejoined across this (mm), when more than ``lines``' own: the
    # threshold of a fax wears thin rules into dashes with gaps of 2-3 mm over whole tables (no
    # piece as long as a rule, no table found: dev 131's 8B; a side column's rules apart)
    bilevel_dashed_share: float = Field(default=0.5, ge=0.0, le=1.0)
    # ... as has every 1-bit scan at this resolution (dpi) or less, whose rules are a pixel thick
    bilevel_bridge_dpi: float = Field(default=160.0, ge=0.0)
    bilevel_bridge_gap_mm: float = Field(default=3.0, ge=0.0)
    bilevel_rejoin_gap_mm: float = Field(default=10.0, ge=0.0)
    lines: LineSettings = LineSettings()
    grid: GridSettings = GridSettings()
    text: TextEvidenceSettings = TextEvidenceSettings()

    @classmethod
    def from_config(cls, folder: str | os.PathLike[str] | None = None) -> TableSettings:
        """Section ``tables`` of ``<configs>/pipeline.yaml``, defaults filling what is absent."""
        return settings_section(cls, "tables", folder)


@dataclass(frozen=True, eq=False)
class DetectedTables:
    """The tables of one page, top to bottom, and the mask (uint8, 255) of every ruling line."""

    grids: tuple[TableGrid, ...]
    line_mask: np.ndarray


def faint_ink(page: PreparedPage, contrast: float) -> np.ndarray:
    """Faint ink of ``page`` (uint8, 255): pixels at least ``contrast`` darker than the paper around
    them that are not next to the page's ink (the grey rim of every stroke is left out).  A faded
    rule is often far fainter than the text that set the page's threshold."""
    norm = normalize_background(page.gray, page.dpi)
    faint = cv2.threshold(norm, int(255 * (1.0 - contrast)), 255, cv2.THRESH_BINARY_INV)[1]
    rim = cv2.dilate(page.binary, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return cv2.subtract(faint, rim)


def table_regions(lines: LineMasks, dpi: float, settings: TableSettings) -> list[PixelBox]:
    """Boxes (page pixels) of groups of touching rules at least ``min_width_mm`` x ``min_height_mm``."""
    combined = lines.combined
    gap = round(mm_to_px(settings.join_gap_mm, dpi)) | 1  # odd: the boxes do not shift
    pad = 0
    if gap >= 3:
        combined = cv2.dilate(combined, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, gap)))
        pad = gap // 2
    contours, _ = cv2.findContours(combined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    min_w, min_h = mm_to_px(settings.min_width_mm, dpi), mm_to_px(settings.min_height_mm, dpi)
    h, w = combined.shape
    out = []
    for cnt in contours:
        x, y, bw, bh = cv2.boundingRect(cnt)
        if bw - 2 * pad >= min_w and bh - 2 * pad >= min_h:
            out.append(PixelBox(max(0, x + pad), max(0, y + pad), min(w, x + bw - pad), min(h, y + bh - pad)))
    return _merge_overlaps(out)


def _merge_overlaps(boxes: list[PixelBox]) -> list[PixelBox]:
    """``boxes`` with every group of overlapping boxes replaced by their union, sorted.

    A table whose rules are broken in places falls apart into pieces whose boxes overlap; one
    table region must hold all its rules."""
    merged = sorted(boxes)
    changed = True
    while changed:
        changed = False
        out: list[PixelBox] = []
        for box in merged:
            for k, other in enumerate(out):
                if box.x0 < other.x1 and other.x0 < box.x1 and box.y0 < other.y1 and other.y0 < box.y1:
                    out[k] = other.union(box)
                    changed = True
                    break
            else:
                out.append(box)
        merged = sorted(out)
    return merged


def _rule_cols(lines: LineMasks, box: PixelBox) -> list[float]:
    """The x of the vertical rules that lie in ``box``."""
    return [
        seg.pos
        for seg in lines.v_segments
        if box.x0 - 1 <= seg.pos <= box.x1 + 1 and seg.start < box.y1 and seg.end > box.y0
    ]


def _rule_rows(lines: LineMasks, box: PixelBox) -> list[float]:
    """The y of the horizontal rules that lie in ``box``."""
    return [
        seg.pos
        for seg in lines.h_segments
        if box.y0 - 1 <= seg.pos <= box.y1 + 1 and seg.start < box.x1 and seg.end > box.x0
    ]


def join_side_by_side(
    regions: list[PixelBox], lines: LineMasks, dpi: float, settings: TableSettings
) -> list[PixelBox]:
    """``regions`` with each pair that is one table torn apart joined: side by side at most
    ``side_gap_mm`` apart (the rules across the gap broken on a worn scan), overlapping over
    ``SIDE_OVERLAP`` of the shorter one's height, with at least ``SIDE_MATCH`` of the shorter
    one's horizontal rules (two or more) continued at the same height on the other side."""
    gap = mm_to_px(settings.side_gap_mm, dpi)
    tol = mm_to_px(settings.grid.edge_tolerance_mm, dpi)

    def one_table(a: PixelBox, b: PixelBox) -> bool:
        overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
        if not (0 <= b.x0 - a.x1 <= gap and overlap >= SIDE_OVERLAP * min(a.height, b.height)):
            return False
        return _rules_continue(_rule_rows(lines, a), _rule_rows(lines, b), tol, SIDE_MATCH)

    return _join_pairs(sorted(regions, key=lambda b: b.x0), one_table)


def join_stacked(
    regions: list[PixelBox], lines: LineMasks, dpi: float, settings: TableSettings
) -> list[PixelBox]:
    """``regions`` with each pair that is one table torn across a band joined: one above the
    other at most ``stack_gap_mm`` apart, overlapping over ``stack_overlap`` of the wider one's
    width (a narrower region under a table stays apart), with at least ``stack_rule_match`` of the
    narrower one's vertical rules (two or more, distinct) continued at the same x in the other."""
    gap = mm_to_px(settings.stack_gap_mm, dpi)
    tol = mm_to_px(settings.grid.edge_tolerance_mm, dpi)
    bridge = mm_to_px(settings.stack_bridge_mm, dpi)

    def one_table(a: PixelBox, b: PixelBox) -> bool:
        overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
        if overlap < settings.stack_overlap * max(a.width, b.width):
            return False
        ca, cb = _distinct(_rule_cols(lines, a), tol), _distinct(_rule_cols(lines, b), tol)
        if not _rules_continue(ca, cb, tol, settings.stack_rule_match):
            return False
        band = b.y0 - a.y1
        return (
            -tol <= band <= gap
            or lost_row_between(
                a, b, _rule_rows(lines, a) + _rule_rows(lines, b), tol, settings.lost_row_pitches
            )
            or (
                gap < band <= bridge
                and _ruled_band(a, b, regions, lines, tol, gap + tol, settings.stack_rule_match)
            )
        )

    return _join_pairs(sorted(regions, key=lambda b: b.y0), one_table)


def _ruled_band(
    a: PixelBox, b: PixelBox, regions: list[PixelBox], lines: LineMasks, tol: float, near: float, share: float
) -> bool:
    """Whether the band between ``a`` (above) and ``b`` (below) holds ruled pieces of their table:
    regions inside the band and within the two's width, the first starting at most ``near``
    below ``a`` (a title between two tables is text, not rules), one of them over half the
    band's height, whose vertical rules (two or more, distinct by ``tol``) continue at the same x
    in ``a`` or ``b`` (``share`` of them)."""
    x0, x1 = min(a.x0, b.x0) - tol, max(a.x1, b.x1) + tol
    pieces = [r for r in regions if r.y0 >= a.y1 - tol and r.y1 <= b.y0 + tol and r.x0 >= x0 and r.x1 <= x1]
    if not pieces or min(r.y0 for r in pieces) - a.y1 > near:
        return False
    if max(r.height for r in pieces) < 0.5 * (b.y0 - a.y1):
        return False
    inside = _distinct([x for r in pieces for x in _rule_cols(lines, r)], tol)
    around = _distinct(_rule_cols(lines, a) + _rule_cols(lines, b), tol)
    matched = sum(any(abs(p - q) <= tol for q in around) for p in inside)
    return matched >= max(2, share * len(inside))


def _rules_continue(a: list[float], b: list[float], tol: float, share: float) -> bool:
    """At least ``share`` of the shorter list's rule positions (two or more) are in the other."""
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    matched = sum(any(abs(p - q) <= tol for q in other) for p in short)
    return matched >= max(2, share * len(short))


def _join_pairs(ordered: list[PixelBox], one_table: Callable[[PixelBox, PixelBox], bool]) -> list[PixelBox]:
    """``ordered`` with every pair (earlier, later) that ``one_table`` accepts replaced by its
    union, until no pair is left; sorted."""
    out = list(ordered)
    joined = True
    while joined:
        joined = False
        for i, a in enumerate(out):
            j = next((j for j in range(i + 1, len(out)) if one_table(a, out[j])), None)
            if j is not None:
                out[i] = a.union(out[j])
                del out[j]
                joined = True
                break
    return sorted(out)


def _distinct(positions: list[float], tol: float) -> list[float]:
    """``positions`` with those within ``tol`` of a kept one left out (the pieces of one broken
    rule count once)."""
    out: list[float] = []
    for p in sorted(positions):
        if not out or p - out[-1] > tol:
            out.append(p)
    return out


def joined_regions(regions: list[PixelBox], lines: LineMasks, dpi: float, s: TableSettings) -> list[PixelBox]:
    """The table regions of a page from its groups of touching rules ``regions``: pieces torn
    apart side by side or one above the other joined, and any boxes the joins made overlap (a
    small piece inside a joined one) merged, until nothing changes."""
    boxes = sorted(regions)
    while True:
        again = _merge_overlaps(join_stacked(join_side_by_side(boxes, lines, dpi, s), lines, dpi, s))
        if again == boxes:
            return again
        boxes = again


def detect_tables(page: PreparedPage, settings: TableSettings | None = None) -> DetectedTables:
    """Ruled tables of ``page`` (its ``binary`` image at ``page.dpi``), sorted top to bottom.

    Every grid has at least ``min_rows`` rows and ``min_cols`` columns and each of its slots is
    covered by exactly one cell.  ``line_mask`` marks every rule :func:`find_lines` kept (those of
    the tables, and of ruled boxes too small to be one, such as a boxed stamp), gaps bridged,
    grown by ``mask_grow_mm``; ``page`` is not modified.  A page whose band above its first table
    (or whole page, with no table) holds long horizontal rules gets a second look there for a
    lone row (``one_row_*`` settings): a table's last row printed alone at the top of the next
    page, above the next form's title, as a one-row grid; when that finds none, a third look with
    those long rules' gaps inked (:func:`_with_rules_bridged`: rules worn into dashes shorter than
    the line finder's shortest line).
    """
    base = settings or TableSettings()
    s = for_page(base, page)
    if base.side_borders_grey_guarded and _sides_taken_away(base, s):
        found = _with_side_borders_if_they_add(page, s, base)
    else:
        found = _detect(page, s)
    h, w = page.binary.shape
    # the band above the first table (the whole page when there is none) may hold a lone row
    top = min((g.box.y0 for g in found.grids), default=h)
    band_end = top if not found.grids else top - round(mm_to_px(s.one_row_height_mm, page.dpi) / 2)
    if band_end < mm_to_px(s.one_row_height_mm, page.dpi):
        return found
    band = page if band_end >= h else _rows_above(page, band_end)
    runs = long_rules(band, s)
    if len(runs) < s.one_row_rules:
        return found
    one_row = s.model_copy(
        update={
            # side borders (lines.side_rule_reach_mm) are for a table's long rules: at the lone
            # row's 5 mm every dash of a worn header rule is "long" (dev 131's gray-read 8B)
            "lines": s.lines.model_copy(update={"min_line_mm": s.one_row_line_mm, "side_rule_reach_mm": 0.0}),
            "min_height_mm": s.one_row_height_mm,
            "min_rows": 1,
            "min_cols": max(s.min_cols, s.one_row_min_cols),
        }
    )

    def kept(look: DetectedTables) -> tuple[TableGrid, ...]:
        tol = mm_to_px(s.grid.edge_tolerance_mm, page.dpi)
        return tuple(
            g
            for g in look.grids
            if _ruled_width(g.box, runs, tol) >= s.one_row_min_width * w
            and g.box.y0 <= s.one_row_max_top * h
            and g.box.y1 <= band_end
        )

    again = _detect(band, one_row)
    grids = kept(again)
    if not grids:
        # rules worn into dashes too short for the line finder (a seal over the rows besides:
        # dev 65's 9B, its last two rows alone at the top of the next page): the long rules'
        # gaps bridged
        again = _detect(_with_rules_bridged(band, runs, s), one_row)
        grids = kept(again)
    if not grids:
        return found
    if not found.grids:
        return DetectedTables(grids=grids, line_mask=again.line_mask)
    mask = found.line_mask.copy()
    mask[:band_end] = np.maximum(mask[:band_end], again.line_mask)
    return DetectedTables(grids=grids + found.grids, line_mask=mask)


def _with_side_borders_if_they_add(
    page: PreparedPage, s: TableSettings, base: TableSettings
) -> DetectedTables:
    """A grey page's tables (settings ``s``, without side borders) or, where they add cells and
    merge none (:func:`.side_guard.adds_without_merging`), those found with the side borders of
    ``base``; the rules traced once for both."""
    sides = s.model_copy(
        update={
            "lines": s.lines.model_copy(update={"side_rule_reach_mm": base.lines.side_rule_reach_mm}),
            "grid": s.grid.model_copy(update={"side_border_cover": base.grid.side_border_cover}),
        }
    )  # ``s`` with the side borders only (no other fax mechanism)
    without, with_sides = find_lines_without_and_with_sides(
        page.binary, page.dpi, sides.lines, faint=faint_ink(page, s.rule_contrast)
    )
    look = _RulesLook.of(page, s, without)
    found = _detect(page, s, look=look)
    # the same rules (no side border kept: most pages) give the same mask, text ink and regions
    # (``sides`` differs from ``s`` in side borders only): the glyphs found are shared too
    sided = _detect(page, sides, look=look if with_sides is without else None, lines=with_sides)
    return sided if adds_without_merging(found.grids, sided.grids) else found


def _sides_taken_away(base: TableSettings, s: TableSettings) -> bool:
    """Whether :func:`for_page` took a fax's side borders away (a grey page's ``s``)."""
    had = base.lines.side_rule_reach_mm > 0 or base.grid.side_border_cover > 0
    return had and s.lines.side_rule_reach_mm == 0 and s.grid.side_border_cover == 0


def for_page(s: TableSettings, page: PreparedPage) -> TableSettings:
    """``s`` for ``page``: on a 1-bit scan at fax resolution (``bilevel_bridge_dpi`` or less: its
    1-px rules wear into dashes here and there, a side column's or a whole table's) or whose
    rules are dashed (:func:`dashed_share` at least ``bilevel_dashed_share``), the line finder
    bridges breaks up to ``bilevel_bridge_gap_mm`` and rejoins pieces across
    ``bilevel_rejoin_gap_mm``; other pages keep ``s`` (on 200-dpi 1-bit pages with whole rules,
    the wider bridge chained the letter stems of justified text into rules: QĐ 707), without a
    fax's mechanisms (side borders, the grids' join across a lost row) when
    ``fax_mechanisms_fax_only``: the one test of "fax" for every fax-only mechanism."""
    if not is_fax(page, s):
        if not s.fax_mechanisms_fax_only:
            return s
        return s.model_copy(
            update={
                "lines": s.lines.model_copy(update={"side_rule_reach_mm": 0.0}),
                "grid": s.grid.model_copy(update={"side_border_cover": 0.0}),
                "lost_row_grids": False,
            }
        )
    lines = s.lines.model_copy(
        update={
            "bridge_gap_mm": max(s.lines.bridge_gap_mm, s.bilevel_bridge_gap_mm),
            "rejoin_gap_mm": max(s.lines.rejoin_gap_mm, s.bilevel_rejoin_gap_mm),
        }
    )
    return s.model_copy(update={"lines": lines})


def is_fax(page: PreparedPage, s: TableSettings) -> bool:
    """Whether ``page`` reads as a fax: a 1-bit scan at fax resolution (``bilevel_bridge_dpi`` or
    less) or whose rules are dashed (:func:`dashed_share` at least ``bilevel_dashed_share``)."""
    return page.bilevel and (
        page.dpi <= s.bilevel_bridge_dpi or dashed_share(page, s) >= s.bilevel_dashed_share
    )


def dashed_share(page: PreparedPage, s: TableSettings) -> float:
    """Of the ink in the page's long horizontal runs (strokes at least ``one_row_piece_mm`` long,
    breaks up to ``bilevel_bridge_gap_mm`` closed, ``lines.min_line_mm`` long at least), the share
    in pieces shorter than that: 0 where the rules are whole, near 1 where all are dashed (a fax
    is one or the other: 0.0-0.2 or 0.9-1.0 on the dev faxes and QĐ 707's 1-bit pages)."""

    def kernel(mm: float) -> np.ndarray:
        return cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(mm_to_px(mm, page.dpi))), 1))

    strokes = cv2.morphologyEx(page.binary, cv2.MORPH_OPEN, kernel(s.one_row_piece_mm))
    whole = cv2.morphologyEx(strokes, cv2.MORPH_OPEN, kernel(s.lines.min_line_mm))
    bridged = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE, kernel(s.bilevel_bridge_gap_mm))
    runs = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, kernel(s.lines.min_line_mm))
    ink = cv2.countNonZero(cv2.bitwise_and(runs, strokes))
    return max(0.0, 1.0 - cv2.countNonZero(whole) / ink) if ink else 0.0


def _with_rules_bridged(page: PreparedPage, runs: list[PixelBox], s: TableSettings) -> PreparedPage:
    """``page`` with the gaps of its long horizontal rules ``runs`` (:func:`long_rules`) inked:
    the horizontal strokes at least ``one_row_piece_mm`` long, gaps up to ``one_row_bridge_mm``
    closed, inside the runs' boxes only (a worn rule's dashes become one rule; no text is
    touched)."""
    piece = max(3, round(mm_to_px(s.one_row_piece_mm, page.dpi)))
    strokes = cv2.morphologyEx(
        page.binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (piece, 1))
    )
    bridge = max(3, round(mm_to_px(s.one_row_bridge_mm, page.dpi)))
    closed = cv2.morphologyEx(
        strokes, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1))
    )
    inside = np.zeros_like(closed)
    pad = 4  # the runs' boxes are found at a quarter of the resolution
    for r in runs:
        inside[max(0, r.y0 - pad) : r.y1 + pad, max(0, r.x0 - pad) : r.x1 + pad] = 255
    return dataclasses.replace(page, binary=cv2.bitwise_or(page.binary, cv2.bitwise_and(closed, inside)))


def _rows_above(page: PreparedPage, end: int) -> PreparedPage:
    """The top ``end`` pixel rows of ``page`` (same coordinates)."""
    return PreparedPage(
        gray=page.gray[:end],
        binary=page.binary[:end],
        dpi=page.dpi,
        rotation=page.rotation,
        skew_deg=page.skew_deg,
        bilevel=page.bilevel,
    )


def long_rules(page: PreparedPage, s: TableSettings) -> list[PixelBox]:
    """The horizontal rules at least ``one_row_rule_mm`` long that ``page`` holds, as boxes (a
    cheap look before the second look for a lone row): the horizontal strokes at least
    ``one_row_piece_mm`` long (no letter is), then, at a quarter of the resolution, gaps up to
    ``one_row_bridge_mm`` bridged (a worn or faxed rule is dashed) and the runs that long kept."""
    f = 4
    h, w = page.binary.shape
    if min(h, w) < 8 * f:
        return []
    piece = max(3, round(mm_to_px(s.one_row_piece_mm, page.dpi)))
    strokes = cv2.morphologyEx(
        page.binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (piece, 1))
    )
    small = cv2.resize(strokes[: h // f * f, : w // f * f], (w // f, h // f), interpolation=cv2.INTER_AREA)
    small = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY)[1]
    bridge = round(mm_to_px(s.one_row_bridge_mm, page.dpi / f))
    if bridge >= 2:
        small = cv2.morphologyEx(
            small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1))
        )
    k = max(3, round(mm_to_px(s.one_row_rule_mm, page.dpi / f)))
    runs = cv2.morphologyEx(small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    n, _labels, stats, _centroids = cv2.connectedComponentsWithStats(runs)
    return [
        PixelBox(int(x) * f, int(y) * f, int(x + bw) * f, int(y + bh) * f)
        for x, y, bw, bh, _area in stats[1:n]
    ]


def _ruled_width(box: PixelBox, runs: list[PixelBox], tol: float) -> int:
    """How wide a one-row grid's table is: its own width, or that of a long rule along its top or
    bottom (a worn row's grid loses the columns at its end whose rules broke)."""
    along = [
        r.width
        for r in runs
        if r.x0 < box.x1
        and box.x0 < r.x1
        and any(abs((r.y0 + r.y1) / 2 - y) <= tol for y in (box.y0, box.y1))
    ]
    return max([box.width, *along])


@dataclass(frozen=True, eq=False)
class _RulesLook:
    """What a look at a page takes from its rules alone: the rules, their mask grown by
    ``mask_grow_mm``, the page's text ink (the rules taken out) with its glyphs
    (:class:`.text_evidence.PageGlyphs`) and the table regions."""

    lines: LineMasks
    mask: np.ndarray
    glyphs: PageGlyphs | None
    regions: list[PixelBox]

    @classmethod
    def of(cls, page: PreparedPage, s: TableSettings, lines: LineMasks | None = None) -> _RulesLook:
        """The look of ``page`` with settings ``s``; ``lines``: its rules when found already."""
        if lines is None:
            lines = find_lines(page.binary, page.dpi, s.lines, faint=faint_ink(page, s.rule_contrast))
        mask = lines.combined
        grow = round(mm_to_px(s.mask_grow_mm, page.dpi))
        if grow >= 1:
            mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * grow + 1, 2 * grow + 1)))
        glyphs = PageGlyphs(cv2.subtract(page.binary, mask), page.dpi) if s.text.enabled else None
        regions = joined_regions(table_regions(lines, page.dpi, s), lines, page.dpi, s)
        return cls(lines=lines, mask=mask, glyphs=glyphs, regions=regions)


def _detect(
    page: PreparedPage, s: TableSettings, lines: LineMasks | None = None, look: _RulesLook | None = None
) -> DetectedTables:
    """One look for the ruled tables of ``page`` with settings ``s`` (see :func:`detect_tables`);
    ``lines``: its rules when found already; ``look``: what they give, when taken already (with
    settings that differ from ``s`` at most in side borders)."""
    look = look or _RulesLook.of(page, s, lines)
    lines = look.lines

    def grid_of(region: PixelBox) -> TableGrid | None:
        grid = build_grid(lines, region, page.dpi, s.grid, text=s.text, glyphs=look.glyphs)
        return grid if grid is not None and grid.n_rows >= s.min_rows and grid.n_cols >= s.min_cols else None

    found = [g for g in map(grid_of, look.regions) if g]
    grids = without_overlaps(found, grid_of)
    if s.lost_row_pitches > 0 and s.lost_row_grids:
        grids = joined_across_lost_rows(grids, grid_of, mm_to_px(s.grid.edge_tolerance_mm, page.dpi), s)
    grids.sort(key=lambda g: (g.box.y0, g.box.x0))
    return DetectedTables(grids=tuple(grids), line_mask=look.mask)


def without_overlaps(
    grids: list[TableGrid], grid_of: Callable[[PixelBox], TableGrid | None]
) -> list[TableGrid]:
    """``grids`` with every two that overlap replaced by the grid of their boxes' union (the
    largest of them when that gives none), until none overlap.  A region's grid reaches out to
    side columns whose rules broke, so pieces of one table torn across a band (a fax's left
    columns in two, its right column whole) each grew into the whole table or half of it: the
    rows of the overlap came out two or three times."""
    out = list(grids)
    while True:
        pair = next(
            (
                (i, j)
                for i in range(len(out))
                for j in range(i + 1, len(out))
                if _overlap(out[i].box, out[j].box)
            ),
            None,
        )
        if pair is None:
            return out
        a, b = out[pair[0]], out[pair[1]]
        merged = grid_of(a.box.union(b.box))
        if merged is None or merged.box.area < max(a.box.area, b.box.area):
            merged = a if a.box.area >= b.box.area else b
        out = [g for k, g in enumerate(out) if k not in pair] + [merged]


def joined_across_lost_rows(
    grids: list[TableGrid], grid_of: Callable[[PixelBox], TableGrid | None], tol: float, s: TableSettings
) -> list[TableGrid]:
    """``grids`` with every two that are one table torn across a row whose vertical rules all
    broke replaced by the grid of their boxes' union: one above the other, both borders in line
    and the band between them a row at most (:func:`.row_bands.lost_row_between` on the grids'
    boxes and row edges), at least ``stack_rule_match`` of the narrower one's column edges in
    the other.  The regions' test (:func:`join_stacked`) sees the rules' pieces, whose ends a
    fax wears away at the sides; a grid's box is widened to its side columns (dev 425's 11B:
    the header's grid and the body's both from 177 to 1152 px, row I between them lost)."""
    out = sorted(grids, key=lambda g: g.box.y0)
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        if (
            min(a.box.x1, b.box.x1) - max(a.box.x0, b.box.x0) > 0
            and _rules_continue(
                list(map(float, a.col_edges)), list(map(float, b.col_edges)), tol, s.stack_rule_match
            )
            and lost_row_between(
                a.box, b.box, [float(y) for y in (*a.row_edges, *b.row_edges)], tol, s.lost_row_pitches
            )
        ):
            merged = grid_of(a.box.union(b.box))
            if merged is not None and merged.n_rows >= a.n_rows + b.n_rows:
                out[k : k + 2] = [merged]
                continue
        k += 1
    return out


def _overlap(a: PixelBox, b: PixelBox) -> bool:
    """Whether ``a`` and ``b`` share a band of pixels both ways (more than a shared border)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1
