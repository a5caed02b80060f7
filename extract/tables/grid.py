"""From the ruling lines of one table region to a :class:`TableGrid` with merged cells.

1. :func:`cluster_positions`: the positions of the horizontal (vertical) segments, grouped within
   ``edge_tolerance_mm``, give the row (column) edges.
2. :func:`outer_edges`: where the outer border is missing, the ends of the perpendicular rules
   stand in for it (a table cut by the page bottom, a table drawn without side borders); before
   that :func:`widen_sides` takes in a side column whose vertical rules broke (its row rules,
   at the table's row heights, are pieces apart from the table's region on a worn scan).
3. :func:`separators`: for every pair of neighbouring grid slots, whether the rule between them
   is actually printed (enough of it is on the line mask).
4. :func:`merge_slots`: slots not separated by a rule are one cell; every cell is made a rectangle
   so that each slot belongs to exactly one cell.

Pure functions; every length in millimetres is scaled with the DPI.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..model import GridCell, PixelBox, TableGrid
from ..units import mm_to_px
from .lines import LineMasks, Segment
from .text_evidence import (
    PageGlyphs,
    TextBlobs,
    TextEvidenceSettings,
    body_rows,
    header_row_columns,
    numbers_row,
    restore_broken_rules,
    slot_components,
    split_header_leaves,
    split_separators,
    text_columns,
    text_rows,
)


class GridSettings(BaseModel):
    """Settings of :func:`build_grid` (section ``tables.grid`` of ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Rule positions closer than this are one edge (double borders, a rule drawn in two pieces).
    edge_tolerance_mm: float = Field(default=1.2, gt=0.0)
    # Rows and columns are at least this wide; a missing border is restored only beyond it.
    min_cell_mm: float = Field(default=2.5, gt=0.0)
    # A separator is printed when this fraction of its length is on the line mask.
    separator_coverage: float = Field(default=0.5, gt=0.0, le=1.0)
    # A missing border is restored when at least this fraction of the perpendicular rule lines
    # (and at least two) run past the last edge.
    border_fraction: float = Field(default=0.34, gt=0.0, le=1.0)
    # Pieces of horizontal rules at the table's row heights up to this far beside its region
    # (rule gaps of 5-40 mm on worn scans) belong to it when at least ``border_fraction`` of its
    # row lines (and two) have one, and text stands between them: a side column ("STT", "Cơ
    # quan, đơn vị") whose vertical rules broke.
    side_reach_mm: float = Field(default=45.0, ge=0.0)
    # Vertical rules up to ``side_reach_mm`` beside the region of a lone row or two (at most three
    # row rules: a table's last rows printed alone at the top of a page) that run
    # down at least this share of its height (and not beyond it), text between them and the
    # region, are its side columns whose horizontal rules broke: a total row alone at the top of
    # a page whose STT and label columns lost the rule pieces that tie them to the values (0:
    # off).  Tables of several rows are left alone: dev 142's 1B got its lost STT column back
    # and its merged rows 4-5 lost the flag they had (measured, not kept).
    side_rule_cover: float = Field(default=0.6, ge=0.0, le=1.0)
    # ... and beside a table of more rows, vertical rules that run down at least this share of
    # its height from its top rule or up from its bottom one (within ``edge_tolerance_mm``),
    # text between: its side columns whose row rules a fax's threshold dotted away while their
    # vertical rules stood whole (dev 628's 7B: STT and label columns lost, no row paired; 0: off)
    side_border_cover: float = Field(default=0.75, ge=0.0, le=1.0)


def cluster_positions(segments: Sequence[Segment], tolerance: float) -> list[int]:
    """Edge positions from rule positions: sorted, gaps larger than ``tolerance`` px split groups.

    Each group's edge is the length-weighted mean of its rules' positions, rounded to a pixel.
    """
    edges = []
    for g in _lines_of(segments, tolerance):
        w = np.array([s.length for s in g], np.float64)
        p = np.array([s.pos for s in g], np.float64)
        edges.append(round(float(np.dot(w, p) / w.sum())))
    return edges


def _lines_of(segments: Sequence[Segment], tolerance: float) -> list[list[Segment]]:
    """``segments`` grouped into rule lines: sorted by position, gaps over ``tolerance`` split."""
    ordered = sorted(segments, key=lambda s: s.pos)
    groups: list[list[Segment]] = []
    for seg in ordered:
        if groups and seg.pos - groups[-1][-1].pos <= tolerance:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return groups


def outer_edges(
    edges: list[int],
    perpendicular: Sequence[Segment],
    min_cell: float,
    fraction: float,
    tolerance: float = 0.0,
) -> list[int]:
    """``edges`` plus a first and/or last edge where the border rule is missing.

    When at least ``fraction`` of the ``perpendicular`` rule lines (segments within
    ``tolerance`` of one position are one line: a rule broken into pieces counts once), and at
    least two, run more than ``min_cell`` px before the first edge (after the last edge), the
    median of their starts (ends) becomes an edge.  With no edge at all, the perpendicular
    rules' common extent gives both.
    """
    if not perpendicular:
        return list(edges)
    lines = _lines_of(perpendicular, tolerance)
    need = max(2, int(np.ceil(fraction * len(lines))))
    out = list(edges)
    first = out[0] if out else None
    last = out[-1] if out else None
    starts = [min(s.start for s in line) for line in lines]
    starts = [x for x in starts if first is None or x < first - min_cell]
    if len(starts) >= need:
        out.insert(0, int(np.median(starts)))
    ends = [max(s.end for s in line) - 1 for line in lines]
    ends = [x for x in ends if last is None or x > last + min_cell]
    if len(ends) >= need and (not out or np.median(ends) > out[-1] + min_cell):
        out.append(int(np.median(ends)))
    return out


def widen_sides(
    region: PixelBox,
    h_segments: Sequence[Segment],
    tolerance: float,
    reach: float,
    fraction: float,
    has_text: Callable[[int, int], bool] = lambda _a, _b: True,
) -> PixelBox:
    """``region`` widened to the left and right over horizontal rule pieces that continue the
    table's row lines: at the height of a row line of the region (within ``tolerance``), at most
    ``reach`` px beside its current side, on at least ``fraction`` of its row lines (and two),
    with text between the old and the new side (``has_text(x0, x1)``).  A worn scan breaks a
    side column's vertical rules ("STT", "Cơ quan, đơn vị"): its row rules are then pieces
    apart from the table, and the column was lost with its labels."""
    inside = [s for s in h_segments if _inside(s, region, tolerance)]
    lines = _lines_of(inside, tolerance)
    heights = [float(np.mean([s.pos for s in line])) for line in lines]
    need = max(2, int(np.ceil(fraction * len(heights))))
    box = region
    for _ in range(8):  # a side column is reached in one or two steps; bounded all the same
        x0, x1 = box.x0, box.x1
        left: dict[int, int] = {}
        right: dict[int, int] = {}
        for seg in h_segments:
            k = next((i for i, y in enumerate(heights) if abs(seg.pos - y) <= tolerance), None)
            if k is None:
                continue
            if seg.start < x0 - tolerance and seg.end >= x0 - reach:
                left[k] = min(left.get(k, seg.start), seg.start)
            if seg.end > x1 + tolerance and seg.start <= x1 + reach:
                right[k] = max(right.get(k, seg.end), seg.end)
        if len(left) >= need and has_text(int(np.median(list(left.values()))), x0):
            x0 = int(np.median(list(left.values())))
        if len(right) >= need and has_text(x1, int(np.median(list(right.values())))):
            x1 = int(np.median(list(right.values())))
        if (x0, x1) == (box.x0, box.x1):
            return box
        box = PixelBox(x0, box.y0, x1, box.y1)
    return box


def widen_to_side_rules(
    region: PixelBox,
    v_segments: Sequence[Segment],
    h_segments: Sequence[Segment],
    tolerance: float,
    reach: float,
    cover: float,
    has_text: Callable[[int, int], bool] = lambda _a, _b: True,
    *,
    anchored: bool = False,
) -> PixelBox:
    """``region`` widened to the left and right over vertical rules beside it: a rule line (its
    pieces within ``tolerance`` one line) at most ``reach`` px beside the current side that runs
    down at least ``cover`` of the region's height and no further than ``tolerance`` beyond it
    (a box beside a table is no column of it), with text between the old and the new side
    (``has_text(x0, x1)``) or a piece of the region's top or bottom rule along half the way
    (a blank column closed by the table's rules: a total's STT), taken one rule at a time.  A
    worn scan breaks the horizontal rules
    of a side column where they meet the rest of the table (dev 107's 10B, dev 114's 5B: the
    total "Tổng số = (I) + (II)" alone at the top of a page, its label column's rules standing
    but apart from the values' rules): the grid started at the first value, the label was lost
    and the row could not be paired with the printed total.  ``anchored``: only rules that start
    at the region's top or end at its bottom (within ``tolerance``) count."""
    if cover <= 0.0 or region.height <= 0:
        return region
    beside = [
        seg
        for seg in v_segments
        if seg.start >= region.y0 - tolerance
        and seg.end <= region.y1 + tolerance
        and (seg.pos < region.x0 - tolerance or seg.pos > region.x1 + tolerance)
    ]
    rules = []
    for line in _lines_of(beside, tolerance):
        ink = np.zeros(region.height, bool)
        for seg in line:
            ink[max(0, seg.start - region.y0) : max(0, seg.end - region.y0)] = True
        top, bottom = min(seg.start for seg in line), max(seg.end for seg in line)
        if anchored and top > region.y0 + tolerance and bottom < region.y1 - tolerance:
            continue
        if ink.mean() >= cover:
            rules.append(round(float(np.mean([seg.pos for seg in line]))))
    inner = [
        seg.pos
        for seg in v_segments
        if region.x0 - tolerance <= seg.pos <= region.x1 + tolerance
        and seg.start < region.y1
        and seg.end > region.y0
    ]
    # the text tested lies between the new rule and the first (last) rule of the table: a
    # region's side is where its rules' pieces end, not a column edge
    first = min(inner, default=region.x0)
    last = max(inner, default=region.x1)
    sides = [
        seg for seg in h_segments if min(abs(seg.pos - region.y0), abs(seg.pos - region.y1)) <= tolerance
    ]

    def column(a: int, b: int) -> bool:  # text between, or the table's rule along it
        along = (min(seg.end, b) - max(seg.start, a) for seg in sides)
        return has_text(a, b) or max(along, default=0) >= 0.5 * (b - a)

    box = region
    while True:
        left = [x for x in rules if box.x0 - reach <= x < box.x0 - tolerance]
        right = [x for x in rules if box.x1 + tolerance < x <= box.x1 + reach]
        x0 = max(left) if left and column(max(left), max(box.x0, round(first))) else box.x0
        x1 = min(right) if right and column(min(box.x1, round(last)), min(right)) else box.x1
        if (x0, x1) == (box.x0, box.x1):
            return box
        first, last = min(first, x0), max(last, x1)
        box = PixelBox(x0, box.y0, x1, box.y1)


def _coverage(mask: np.ndarray, across: int, lo: int, hi: int, tol: int, vertical: bool) -> float:
    """Fraction of positions ``lo <= t < hi`` where ``mask`` has a line pixel within ``tol`` of
    ``across`` (a vertical rule at x = across when ``vertical``, else a horizontal one at y)."""
    if hi <= lo:
        return 0.0
    if vertical:
        band = mask[lo:hi, max(0, across - tol) : across + tol + 1]
        hit = band.any(axis=1)
    else:
        band = mask[max(0, across - tol) : across + tol + 1, lo:hi]
        hit = band.any(axis=0)
    return float(hit.mean()) if hit.size else 0.0


def separators(
    lines: LineMasks, row_edges: Sequence[int], col_edges: Sequence[int], tol: int, coverage: float
) -> tuple[np.ndarray, np.ndarray]:
    """Which inner rules are printed.

    Returns ``(v_sep, h_sep)``: ``v_sep[r, c]`` is True when a vertical rule separates slot
    (r, c) from (r, c + 1); ``h_sep[r, c]`` when a horizontal rule separates (r, c) from
    (r + 1, c).  A rule counts as printed when ``coverage`` of its span (its ends, where the
    perpendicular rules cross, left out: ``tol`` px or a quarter of the span) is on the mask.
    """
    nr, nc = len(row_edges) - 1, len(col_edges) - 1
    v_sep = np.ones((nr, max(0, nc - 1)), bool)
    h_sep = np.ones((max(0, nr - 1), nc), bool)
    for r in range(nr):
        m = min(tol, (row_edges[r + 1] - row_edges[r]) // 4)
        lo, hi = row_edges[r] + m, row_edges[r + 1] - m
        for c in range(nc - 1):
            v_sep[r, c] = _coverage(lines.vertical, col_edges[c + 1], lo, hi, tol, True) >= coverage
    for c in range(nc):
        m = min(tol, (col_edges[c + 1] - col_edges[c]) // 4)
        lo, hi = col_edges[c] + m, col_edges[c + 1] - m
        for r in range(nr - 1):
            h_sep[r, c] = _coverage(lines.horizontal, row_edges[r + 1], lo, hi, tol, False) >= coverage
    return v_sep, h_sep


def merge_slots(v_sep: np.ndarray, h_sep: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Cells as (row, col, row_span, col_span) from the separator tables of :func:`separators`.

    Slots joined by a missing separator are one cell; a cell that is not a rectangle (a rule
    missing on one side only) grows to its bounding rectangle, absorbing what it overlaps, until
    every cell is a rectangle.  Every slot is covered by exactly one cell.  Sorted by (row, col).
    """
    nr, nc = v_sep.shape[0], h_sep.shape[1]
    if v_sep.shape != (nr, max(0, nc - 1)) or h_sep.shape != (max(0, nr - 1), nc):
        raise ValueError(f"separator tables do not fit one grid: {v_sep.shape} and {h_sep.shape}")
    labels = slot_components(v_sep, h_sep)
    boxes = _bounding_boxes(labels)
    if boxes is not None and all(n == rs * cs for (_r, _c, rs, cs), n in boxes):
        return sorted(box for box, _n in boxes)  # every cell a rectangle already (most tables)
    changed = True
    while changed:  # grow every cell to its bounding rectangle, absorbing what it overlaps
        changed = False
        for label in np.unique(labels):
            rr, cc = np.nonzero(labels == label)
            if not rr.size:
                continue
            inside = np.unique(labels[rr.min() : rr.max() + 1, cc.min() : cc.max() + 1])
            if len(inside) > 1:
                labels[np.isin(labels, inside)] = inside.min()
                changed = True
    cells = []
    for label in np.unique(labels):
        rr, cc = np.nonzero(labels == label)
        r0, c0 = int(rr.min()), int(cc.min())
        cells.append((r0, c0, int(rr.max()) - r0 + 1, int(cc.max()) - c0 + 1))
    return sorted(cells)


def _bounding_boxes(labels: np.ndarray) -> list[tuple[tuple[int, int, int, int], int]] | None:
    """The bounding box (row, col, row_span, col_span) of each label of ``labels`` (rows x
    cols) and how many slots it holds, all at once; None for an empty grid."""
    if not labels.size:
        return None
    nr, nc = labels.shape
    _values, index, counts = np.unique(labels.ravel(), return_inverse=True, return_counts=True)
    rows, cols = np.repeat(np.arange(nr), nc), np.tile(np.arange(nc), nr)
    n = len(counts)
    r0, c0 = np.full(n, nr), np.full(n, nc)
    r1, c1 = np.full(n, -1), np.full(n, -1)
    np.minimum.at(r0, index, rows)
    np.minimum.at(c0, index, cols)
    np.maximum.at(r1, index, rows)
    np.maximum.at(c1, index, cols)
    return [
        ((int(a), int(b), int(c - a) + 1, int(d - b) + 1), int(k))
        for a, b, c, d, k in zip(r0, c0, r1, c1, counts, strict=True)
    ]


def _inside(seg: Segment, region: PixelBox, slack: float) -> bool:
    if seg.horizontal:
        return (
            region.y0 - slack <= seg.pos <= region.y1 + slack
            and seg.end > region.x0 - slack
            and seg.start < region.x1 + slack
        )
    return (
        region.x0 - slack <= seg.pos <= region.x1 + slack
        and seg.end > region.y0 - slack
        and seg.start < region.y1 + slack
    )


def _drop_thin(edges: list[int], min_gap: float) -> list[int]:
    """Edges closer than ``min_gap`` to the previous kept edge are dropped."""
    out: list[int] = []
    for e in edges:
        if not out or e - out[-1] >= min_gap:
            out.append(e)
    return out


def _body(
    v_sep: np.ndarray,
    h_sep: np.ndarray,
    rows: Sequence[int],
    cols: Sequence[int],
    blobs: TextBlobs,
    t: TextEvidenceSettings,
) -> tuple[int, int]:
    """The body rows of the grid with these separators (:func:`.text_evidence.body_rows`)."""
    cells = merge_slots(v_sep, h_sep)
    return body_rows(cells, len(rows) - 1, numbers_row(cells, rows, cols, blobs, t))


def _restore_cells(
    v_sep: np.ndarray,
    h_sep: np.ndarray,
    rows: Sequence[int],
    cols: Sequence[int],
    blobs: TextBlobs,
    dpi: float,
    t: TextEvidenceSettings,
    found_cols: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Separators where broken rules left merges that are no printed cell, and the header's
    leaves that lost a rule (:func:`.text_evidence.restore_broken_rules`,
    :func:`.text_evidence.split_header_leaves`), with the body rows ``(start, end)`` of the
    repaired grid.  ``found_cols``: column edges found from the text, rules of the body too."""
    v_sep, h_sep = restore_broken_rules(v_sep, h_sep, rows, cols, blobs, dpi, t)
    cells = merge_slots(v_sep, h_sep)
    start, end = body_rows(cells, len(rows) - 1, numbers_row(cells, rows, cols, blobs, t))
    v_leaves, h_leaves = split_header_leaves(
        v_sep, h_sep, cells, rows, cols, start, end, blobs, dpi, t, found_cols
    )
    if (v_leaves != v_sep).any() or (h_leaves != h_sep).any():
        v_sep, h_sep = restore_broken_rules(v_leaves, h_leaves, rows, cols, blobs, dpi, t)
        start, end = _body(v_sep, h_sep, rows, cols, blobs, t)
    return v_sep, h_sep, start, end


def _headed_columns(
    found_cols: frozenset[int],
    rows: Sequence[int],
    start: int,
    blobs: TextBlobs,
    dpi: float,
    t: TextEvidenceSettings,
) -> frozenset[int]:
    """The column edges found from the text that no glyph of the header's last row (row
    ``start - 1``) crosses: two printed columns whose rule was lost, each under its own heading.
    A blank band between the words of the labels ("Phường | 4", "Phường | 12") lies under one
    heading ("Cơ quan, đơn vị" crosses it): the cells it splits stay one cell, as they are
    printed, so the labels stay whole."""
    if start < 1 or start >= len(rows):
        return found_cols
    margin = mm_to_px(t.edge_margin_mm, dpi)
    reach = mm_to_px(t.remnant_width_mm, dpi)
    y0, y1 = rows[start - 1] + reach, rows[start] - reach
    return frozenset(x for x in found_cols if not blobs.crosses_v(x, y0, y1, margin, reach))


def _anything(_x0: int, _x1: int) -> bool:
    return True


def _ink_between(glyphs: PageGlyphs, region: PixelBox, t: TextEvidenceSettings) -> Callable[[int, int], bool]:
    """Whether a letter-sized glyph of the page's text ink stands between x0 and x1 within the
    rows of ``region``."""

    def test(x0: int, x1: int) -> bool:
        box = PixelBox(max(0, min(x0, x1)), region.y0, max(x0, x1), region.y1)
        return box.width > 0 and glyphs.find(box, t).any_in(box.x0, box.y0, box.x1, box.y1)

    return test


def build_grid(
    lines: LineMasks,
    region: PixelBox,
    dpi: float,
    settings: GridSettings | None = None,
    *,
    text: TextEvidenceSettings | None = None,
    glyphs: PageGlyphs | None = None,
) -> TableGrid | None:
    """The grid of the table whose rules lie in ``region`` (page pixels), or ``None``.

    ``lines`` holds the whole page's rules; only segments inside ``region`` are used.  With
    ``glyphs`` (the page's text ink, rules taken out, with the glyphs found in it so far: one
    page's grids share them) the body's rows, columns and separators that the rules miss are
    found from the text (:mod:`.text_evidence`).  Returns
    ``None`` when fewer than two row edges or two column edges can be found.
    """
    s = settings or GridSettings()
    tol = mm_to_px(s.edge_tolerance_mm, dpi)
    t = text or TextEvidenceSettings()
    has_text = _ink_between(glyphs, region, t) if glyphs is not None and t.enabled else _anything
    reach = mm_to_px(s.side_reach_mm, dpi)
    region = widen_sides(region, lines.h_segments, tol, reach, s.border_fraction, has_text)
    if len(_lines_of([seg for seg in lines.h_segments if _inside(seg, region, tol)], tol)) <= 3:
        # a lone row or two (a table's last rows printed alone at the top of a page)
        region = widen_to_side_rules(
            region, lines.v_segments, lines.h_segments, tol, reach, s.side_rule_cover, has_text
        )
    elif s.side_border_cover > 0:
        region = widen_to_side_rules(
            region,
            lines.v_segments,
            lines.h_segments,
            tol,
            reach,
            s.side_border_cover,
            has_text,
            anchored=True,
        )
    if glyphs is None:
        return _grid_in(lines, region, dpi, s, t, None)
    # a grey page's second look (side borders on, the same rules and glyphs:
    # :func:`.detect._with_side_borders_if_they_add`) widens most regions as the first look did,
    # and what follows depends on the widened region alone: its grid is taken, not built again
    key = (region, dpi, s.model_copy(update=_SIDE_SETTINGS_OFF), t)
    kept = glyphs.grids.get(key)
    if kept is None or kept[0] is not lines:
        kept = (lines, _grid_in(lines, region, dpi, s, t, glyphs))
        glyphs.grids[key] = kept
    return kept[1]


_SIDE_SETTINGS_OFF = {"side_reach_mm": 0.0, "side_rule_cover": 0.0, "side_border_cover": 0.0}
"""The settings of :func:`build_grid` that only widen its region (the key of a grid kept)."""


def _grid_in(
    lines: LineMasks,
    region: PixelBox,
    dpi: float,
    s: GridSettings,
    t: TextEvidenceSettings,
    glyphs: PageGlyphs | None,
) -> TableGrid | None:
    """:func:`build_grid` in ``region`` as widened to the table's side columns."""
    tol = mm_to_px(s.edge_tolerance_mm, dpi)
    min_cell = mm_to_px(s.min_cell_mm, dpi)
    hs = [seg for seg in lines.h_segments if _inside(seg, region, tol)]
    vs = [seg for seg in lines.v_segments if _inside(seg, region, tol)]
    rows = outer_edges(cluster_positions(hs, tol), vs, min_cell, s.border_fraction, tol)
    cols = outer_edges(cluster_positions(vs, tol), hs, min_cell, s.border_fraction, tol)
    rows, cols = _drop_thin(rows, min_cell), _drop_thin(cols, min_cell)
    if len(rows) < 2 or len(cols) < 2:
        return None
    itol = max(1, round(tol))
    v_sep, h_sep = separators(lines, rows, cols, itol, s.separator_coverage)
    blobs: TextBlobs | None = None
    if glyphs is not None and t.enabled:
        box = PixelBox(cols[0], rows[0], cols[-1], rows[-1])
        blobs = glyphs.find(box, t, with_seals=True)
        start, end = _body(v_sep, h_sep, rows, cols, blobs, t)
        if t.restore_cells:
            v_sep, h_sep, start, end = _restore_cells(v_sep, h_sep, rows, cols, blobs, dpi, t)
        more_rows = text_rows(rows, cols, start, end, blobs, dpi, t)
        end += len(more_rows) - len(rows)
        more_cols = text_columns(more_rows, cols, start, end, blobs, dpi, t)
        more_cols = header_row_columns(more_rows, more_cols, start, end, blobs, dpi, t)
        found_rows, found_cols = frozenset(more_rows) - set(rows), frozenset(more_cols) - set(cols)
        ruled_cols = _headed_columns(found_cols, more_rows, start, blobs, dpi, t)
        if found_rows or found_cols:
            rows, cols = more_rows, more_cols
            v_sep, h_sep = separators(lines, rows, cols, itol, s.separator_coverage)
            if t.restore_cells:
                v_sep, h_sep, _start, _end = _restore_cells(
                    v_sep, h_sep, rows, cols, blobs, dpi, t, ruled_cols
                )
        if numbers_row(merge_slots(v_sep, h_sep), rows, cols, blobs, t):
            start = 0  # a first row of values (a page continued without its header) is body too
        v_sep, h_sep = split_separators(
            v_sep, h_sep, rows, cols, start, end, blobs, dpi, t, found_rows, ruled_cols
        )
    cells = tuple(
        GridCell(r, c, rs, cs, PixelBox(cols[c], rows[r], cols[c + cs], rows[r + rs]))
        for r, c, rs, cs in merge_slots(v_sep, h_sep)
    )
    under_seal: tuple[tuple[int, int], ...] = ()
    if blobs is not None and blobs.seals:
        reach = mm_to_px(t.remnant_width_mm, dpi)  # the rules' own width: not the cell's
        under_seal = tuple(
            (c.row, c.col)
            for c in cells
            if blobs.under_seal(c.box.x0 + reach, c.box.y0 + reach, c.box.x1 - reach, c.box.y1 - reach)
        )
    return TableGrid(
        box=PixelBox(cols[0], rows[0], cols[-1], rows[-1]),
        row_edges=tuple(rows),
        col_edges=tuple(cols),
        cells=cells,
        under_seal=under_seal,
    )
