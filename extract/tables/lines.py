"""Ruling lines of a binary page: horizontal and vertical masks and their segments.

For each direction (the vertical one runs on the transposed page):

1. close tiny breaks along the line direction (``pre_bridge_mm``: faded toner, scanner dropouts)
   and thicken across it by ``wiggle_mm`` (a hairline that steps by a pixel stays whole);
2. open with a kernel ``min_fragment_mm`` long, a rank opening that keeps every window at least
   ``min_fill`` ink: only straight runs longer than any character stroke survive (text, specks
   and most of a signature vanish), even where a faded rule is worn into dashes;
3. close gaps along the line direction up to ``bridge_gap_mm`` (a broken rule becomes whole);
4. keep the connected components no thicker than ``max_thickness_mm``, straight (bowing by at
   most ``max_bow_mm`` plus a slight tilt: a stamp's ring is curved) and not lined with ink
   along one side (``max_side_ink``: a text line whose serifs touch);
5. of those, accept the long ones (``min_line_mm``) that meet a long perpendicular line and are
   mostly bare strokes (not letters standing on a run of touching serifs, nor a chain of letter
   stems bridged from line to line); then, repeatedly, the short ones (``min_short_mm``) whose
   two ends join accepted perpendicular lines and whose ink is a bare stroke, not a letter's
   stem with its serifs (the rules that split one header row into sub-columns; cut at the rules
   they join, for a letter touching a rule's far side may have been glued on; at a border that
   is not printed, an end may instead line up with the ends of the accepted rules beside it),
   and pieces continuing an accepted rule across a break of up to ``rejoin_gap_mm``.  A
   segment's ends reach across a final break of up to ``bridge_gap_mm`` onto a solid, mostly
   clean piece of the same line (a rule whose last millimetre survived a dropout but was too
   short for the opening).

Only rules that belong to a ruled structure are kept: a lone underline or a signature line is
not a table rule.

Every length is in millimetres and scaled with the page's DPI.  Inputs are never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..units import mm_to_px

# Short segments are checked against the accepted perpendicular lines at most this many times
# (each pass may accept segments that join the previous pass's).
MAX_JOIN_PASSES = 4
# Two pieces of one rule may overlap by this share of the shorter one (their ends were reached
# across the break between them); more, and they lie side by side: text along a rule.
MAX_REJOIN_OVERLAP = 0.25
# A long rule is looked at in stretches this long (mm); at least MIN_BARE_SHARE of them must be
# bare (no wider than the rule): text may touch a rule here and there, letters line a text run.
BARE_WINDOW_MM = 3.0
MIN_BARE_SHARE = 0.25
# A piece continuing a rule across a break is bare along at least this share of it (a word in
# bold whose serifs touch, written on the line of a rule that stops short of it, is not).
MIN_PIECE_BARE_SHARE = 0.5
# A long rule is inked (after the opening) along at least this share of its length; a chain of
# letter stems bridged from one text line to the next is broken by every line gap.
MIN_LONG_COVER = 0.7
# The piece of a rule beyond its last dropout may have ink right beside it along this share of
# its length (speckle, a letter touching it); the letters beside a run of serifs cover more.
MAX_DIRTY_SHARE = 0.3
# Pages finer than twice this resolution (dpi) are searched for lines at an integer reduction.
LINE_DPI = 150.0
# Tilt a straight rule may keep after deskew (degrees): page curl, a table pasted askew.
MAX_TILT_DEG = 0.5


class LineSettings(BaseModel):
    """Settings of :func:`find_lines` (section ``tables.lines`` of ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pre_bridge_mm: float = Field(default=0.35, ge=0.0)
    # Rules are thickened by this much on each side before the opening (sub-pixel wobble).
    wiggle_mm: float = Field(default=0.15, ge=0.0)
    min_fragment_mm: float = Field(default=2.5, gt=0.0)
    # ... of which at least this share must be ink (1.0: a plain morphological opening).
    min_fill: float = Field(default=0.85, gt=0.0, le=1.0)
    bridge_gap_mm: float = Field(default=1.5, ge=0.0)
    max_thickness_mm: float = Field(default=1.0, gt=0.0)
    min_line_mm: float = Field(default=15.0, gt=0.0)
    min_short_mm: float = Field(default=4.5, gt=0.0)
    # A segment's end must lie this close to the perpendicular rule it joins (at least a pixel;
    # a dropout right at the end is reached across, see _reach).
    join_tolerance_mm: float = Field(default=0.15, ge=0.0)
    # A short rule may run this far past a rule it joins (a letter glued on by the bridging).
    max_overshoot_mm: float = Field(default=6.0, ge=0.0)
    # A short rule's ink may be this much wider than its thickness: a letter's stem is wider,
    # with its serifs, arch or bowl.
    bare_slack_mm: float = Field(default=0.15, ge=0.0)
    # A short rule whose ink stops this far (mm) short of both rules its ends join is a letter's
    # stem bridged to them, not a rule (a printed rule meets the rules it joins).
    free_end_mm: float = Field(default=0.5, ge=0.0)
    # A long candidate crossing at least this many perpendicular rules inside its length whose
    # ink stops free_end_mm short of every one of them is a chain of letter stems (one crossing
    # could be a real rule's dash gap).
    stem_chain_crossings: int = Field(default=2, ge=1)
    # A piece on the line of an accepted rule, at most this far from it, is part of that rule.
    rejoin_gap_mm: float = Field(default=5.0, ge=0.0)
    # A long bare candidate that meets no rule but ends on the line of an accepted perpendicular
    # rule whose end stops at most this far (mm) from it is a table's side border whose rules
    # broke between (a fax's threshold dots a side column's row rules away): it is kept (0: off).
    side_rule_reach_mm: float = Field(default=45.0, ge=0.0)
    # A rule may bow (or tilt, after deskew) by this much plus MAX_TILT_DEG of its length.
    max_bow_mm: float = Field(default=0.5, ge=0.0)
    # Text, not a rule: letters stand on a run of touching serifs, so ink lies right beside it
    # (within side_band_mm) along more than this fraction of its length, on one side.
    max_side_ink: float = Field(default=0.45, gt=0.0, le=1.0)
    side_band_mm: float = Field(default=0.3, gt=0.0)


@dataclass(frozen=True)
class Segment:
    """One straight rule.  Coordinates in page pixels.

    ``pos`` is the rule's centre across its direction (y of a horizontal rule, x of a vertical
    one); it spans ``start <= t < end`` along its direction; ``thickness`` is its mean width in
    pixels (ink pixels / length, so a broken rule reads thinner).
    """

    horizontal: bool
    pos: float
    start: int
    end: int
    thickness: float

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, eq=False)
class LineMasks:
    """Ruling lines of a page: uint8 masks (255 on line pixels, gaps bridged) and segments."""

    horizontal: np.ndarray
    vertical: np.ndarray
    h_segments: tuple[Segment, ...]
    v_segments: tuple[Segment, ...]

    @property
    def combined(self) -> np.ndarray:
        """Horizontal or vertical line pixels (a new uint8 array, 255 on lines)."""
        return cv2.bitwise_or(self.horizontal, self.vertical)


@dataclass(frozen=True)
class _Fragments:
    """Step 1-3 for one direction, in the working frame (lines run along the rows)."""

    work: np.ndarray  # the binary page (or its transpose)
    joined: np.ndarray  # ... pinholes closed, thickened; find_lines takes the perpendicular runs out
    frag: np.ndarray  # straight runs that survived the opening
    bridged: np.ndarray  # ... with breaks closed


@dataclass(frozen=True)
class _Candidates:
    bridged: np.ndarray
    segments: list[Segment]
    reach: list[tuple[int, int]]  # (start, end) of each segment, extended across a final break
    across: list[tuple[int, int]]  # (lo, hi): the rows its component covers
    widths: list[float]  # how wide its own ink in ``work`` may be (its binary ink, thickened)
    work: np.ndarray  # the page (working frame)
    contours: list[np.ndarray]  # outer contour of each segment's component
    long: list[bool]
    # the ink the rules were traced in (the page and its faint ink, working frame): where a
    # faded rule survives only as faint ink, it still meets the rules it joins
    trace: np.ndarray | None = None


def _odd(n: float) -> int:
    """``n`` rounded to an odd kernel length (an even one would shift the result by a pixel)."""
    k = round(n)
    return k if k % 2 == 1 else k + 1


def _fragments(work: np.ndarray, trace: np.ndarray, dpi: float, s: LineSettings) -> _Fragments:
    """Straight runs along the rows of ``trace`` (``work``, the page or its transpose, plus its
    faint ink), breaks bridged."""
    pre = _odd(mm_to_px(s.pre_bridge_mm, dpi))
    joined = trace
    if pre >= 3:
        joined = cv2.morphologyEx(trace, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (pre, 1)))
    wiggle = round(mm_to_px(s.wiggle_mm, dpi))
    if wiggle >= 1:
        # a thin rule that steps by a pixel here and there (resampling, a slight tilt) stays whole
        joined = cv2.dilate(joined, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 2 * wiggle + 1)))
    k = max(3, _odd(mm_to_px(s.min_fragment_mm, dpi)))
    along = cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1))
    if s.min_fill >= 1.0:
        frag = cv2.morphologyEx(joined, cv2.MORPH_OPEN, along)
    else:
        # a rank opening: the ink of every k-long window that is at least min_fill ink, so a
        # rule worn into dashes by pinholes and speckle survives while letters do not
        dense = cv2.threshold(
            cv2.blur(joined, (k, 1)), int(np.ceil(255 * s.min_fill)) - 1, 255, cv2.THRESH_BINARY
        )[1]
        frag = cv2.bitwise_and(cv2.dilate(dense, along), joined)
    gap = _odd(mm_to_px(s.bridge_gap_mm, dpi))
    bridged = frag
    if gap >= 3:
        bridged = cv2.morphologyEx(frag, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    return _Fragments(work, joined, frag, bridged)


def _reach(
    free: np.ndarray, row0: int, row1: int, start: int, end: int, gap: int, side: int, limit: int
) -> tuple[int, int]:
    """``(start, end)`` of a segment on rows ``row0..row1``, each moved outwards across a break of
    at most ``gap`` px onto a solid piece of the same line, at most ``limit`` px in all.

    ``free`` is the page without the perpendicular rules.  The piece must be solid (no break) and
    mostly clean (at most MAX_DIRTY_SHARE of it with ink within ``side`` rows above or below the
    line), as the last millimetre of a rule beyond a dropout is, and as the bottoms of letters
    next to a run of serifs are not.
    """
    h = free.shape[0]
    line = free[max(0, row0) : row1 + 1]
    above = free[max(0, row0 - side) : max(0, row0)]
    below = free[min(h, row1 + 1) : min(h, row1 + 1 + side)]

    def profiles(a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        on = np.asarray(line[:, a:b].any(axis=0))
        dirty = np.zeros_like(on)
        if above.size:
            dirty |= above[:, a:b].any(axis=0)
        if below.size:
            dirty |= below[:, a:b].any(axis=0)
        return on, dirty

    def walk(on: np.ndarray, dirty: np.ndarray) -> int:
        n = len(on)
        i = 0
        while i < n and on[i]:  # the segment's own ragged end
            i += 1
        j = i
        while j < n and not on[j]:  # the break
            j += 1
        if j >= n or j - i > gap:
            return i
        k = j
        while k < n and on[k]:  # the piece beyond it
            k += 1
        # the last pixels before the perpendicular rule carry that rule's ragged edge
        return k if dirty[j : max(j + 1, k - side)].mean() <= MAX_DIRTY_SHARE else i

    a = max(0, start - limit)
    on, dirty = profiles(a, start)
    before = walk(on[::-1], dirty[::-1])
    on, dirty = profiles(end, end + limit)
    return start - before, end + walk(on, dirty)


def _candidates(
    f: _Fragments, dpi: float, s: LineSettings, horizontal: bool, trace: np.ndarray | None = None
) -> _Candidates:
    """Line candidates (step 4) among the bridged runs of ``f``."""
    contours, _ = cv2.findContours(f.bridged, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    max_t = mm_to_px(s.max_thickness_mm, dpi)
    min_short = mm_to_px(s.min_short_mm, dpi)
    min_long = mm_to_px(s.min_line_mm, dpi)
    bow = mm_to_px(s.max_bow_mm, dpi)
    tilt = float(np.tan(np.radians(MAX_TILT_DEG)))
    band = max(1, round(mm_to_px(s.side_band_mm, dpi)))
    gap = round(mm_to_px(s.bridge_gap_mm, dpi))
    limit = gap + round(mm_to_px(s.min_fragment_mm, dpi))
    wiggle = round(mm_to_px(s.wiggle_mm, dpi))
    segs, reach, across, widths, kept, long = [], [], [], [], [], []
    for cnt in contours:
        x0, top, length, height = cv2.boundingRect(cnt)
        if length < min_short:
            continue
        # the component's own pixels within its box (another component may cross the box)
        own = np.zeros((height, length), np.uint8)
        cv2.drawContours(own, [cnt], -1, 255, thickness=-1, offset=(-x0, -top))
        own &= f.bridged[top : top + height, x0 : x0 + length]
        rows = np.count_nonzero(own, axis=1).astype(np.float64)
        count = float(rows.sum())
        solid = own & f.frag[top : top + height, x0 : x0 + length]
        thickness = cv2.countNonZero(solid) / length
        # the rule's ink in the page's binary (not the faint ink it was traced in), thickened
        # like the traced runs
        inked = cv2.countNonZero(own & f.work[top : top + height, x0 : x0 + length]) / length
        width = count / length
        if thickness > max_t or width > max_t * 1.5:
            continue
        # an arc (a stamp's ring, a signature's stroke) wanders across; a letter glued to one end
        # of a rule does not move the rest of it
        if _wander(own) > bow + length * tilt:
            continue
        if _side_ink(f.work, top, top + height, x0, x0 + length, band) > s.max_side_ink:
            continue
        pos = top + float(np.dot(rows, np.arange(height))) / count
        segs.append(Segment(horizontal, pos, x0, x0 + length, thickness))
        reach.append(_reach(f.joined, top, top + height - 1, x0, x0 + length, gap, band, limit))
        across.append((top, top + height))
        widths.append(inked + 2 * wiggle)
        kept.append(cnt)
        long.append(length >= min_long and float(solid.any(axis=0).mean()) >= MIN_LONG_COVER)
    return _Candidates(f.bridged, segs, reach, across, widths, f.work, kept, long, trace)


def _wander(own: np.ndarray) -> float:
    """How far the centre line of a component (rows x columns, non-zero on its pixels) moves
    across its columns: the spread between the 10th and the 90th percentile of the centres."""
    counts = np.count_nonzero(own, axis=0).astype(np.float64)
    inked = counts > 0
    if inked.sum() < 2:
        return 0.0
    centres = (own > 0).T.astype(np.float64) @ np.arange(own.shape[0], dtype=np.float64)
    ordered = np.sort(centres[inked] / counts[inked])
    last = len(ordered) - 1
    return float(ordered[round(0.9 * last)] - ordered[round(0.1 * last)])


def _side_ink(work: np.ndarray, top: int, bottom: int, x0: int, x1: int, band: int) -> float:
    """Largest fraction of columns ``x0 <= x < x1`` with ink in the ``band`` rows above ``top`` or
    below ``bottom`` (exclusive)."""
    above = work[max(0, top - band) : top, x0:x1]
    below = work[bottom : bottom + band, x0:x1]
    fa = float(above.any(axis=0).mean()) if above.size else 0.0
    fb = float(below.any(axis=0).mean()) if below.size else 0.0
    return max(fa, fb)


@dataclass(frozen=True)
class _Line:
    """A candidate during acceptance: its segment, and ``lo <= across < hi``, the band it covers
    across its direction (a slightly tilted rule covers more than its thickness)."""

    seg: Segment
    lo: float
    hi: float
    width: float  # how wide its ink may be where bare (see _Candidates.widths)

    @property
    def mid(self) -> float:
        return self.seg.pos


def _crosses(p: _Line, line: _Line, tol: float) -> bool:
    """Whether perpendicular ``p`` spans the band of ``line`` (within ``tol``)."""
    return p.seg.start - tol < line.hi and line.lo < p.seg.end + tol


def _end_rule(
    line: _Line, at: float, inward: int, perps: list[_Line], tol: float, over: float
) -> _Line | None:
    """The perpendicular rule that the end of ``line`` at ``at`` joins, or None.

    The rule must cross the line within ``tol`` beyond the end, or up to ``over`` px before it
    (``inward`` = +1 at a start, -1 at an end): a bridge may have glued a letter's stem to the
    rule's far side.  The nearest such rule to the end wins.
    """
    best, dist = None, float("inf")
    for p in perps:
        if not _crosses(p, line, tol):
            continue
        if inward > 0:  # a start: the segment begins at (or inside) the rule's far side
            gap, depth = at - p.hi, p.lo - at
        else:  # an end: the segment stops at (or past) the rule's near side
            gap, depth = p.lo - at - 1, at - p.hi + 1
        if gap <= tol and depth <= over and abs(gap) < dist:
            best, dist = p, abs(gap)
    return best


def _meets(line: _Line, perps: list[_Line], tol: float) -> bool:
    """Whether a perpendicular rule crosses ``line`` or comes within ``tol`` of it."""
    return any(
        _crosses(p, line, tol) and line.seg.start - tol < p.hi and p.lo < line.seg.end + tol for p in perps
    )


def _collinear(line: _Line, others: list[_Line], tol: float, gap: float) -> bool:
    """Whether ``line`` continues one of ``others`` (overlapping bands, a gap up to ``gap``)."""
    for o in others:
        if o.lo - tol < line.hi and line.lo < o.hi + tol:
            between = max(o.seg.start - line.seg.end, line.seg.start - o.seg.end)
            overlap = max(tol, MAX_REJOIN_OVERLAP * min(o.seg.length, line.seg.length))
            if -overlap <= between <= gap:  # end to end, not side by side
                return True
    return False


def _stroke_widths(
    work: np.ndarray, line: _Line, perps: list[_Line], margin: int, window: int
) -> list[tuple[int, int]]:
    """Across ``window``-long stretches of a candidate: (where it starts, how wide the ink through
    its centre is).

    The page band around the candidate (``margin`` px either side) is cut out, the perpendicular
    rules crossing it are blanked, and for every stretch that has ink on the centre line, the
    connected ink through that centre is measured across the line, within the stretch.  A rule
    is as wide as its own thickness; a letter's stem carries serifs, an arch or a bowl, and the
    letters standing on a run of touching serifs rise far above it.
    """
    lo = max(0, int(line.lo) - margin)
    a, b = max(0, line.seg.start), line.seg.end
    crop = work[lo : int(np.ceil(line.hi)) + margin, a:b].copy()
    if crop.size == 0:
        return []
    for p in perps:
        if _crosses(p, line, 0) and a <= p.seg.pos < b:
            half = p.seg.thickness / 2
            crop[:, max(0, round(p.seg.pos - half + 0.5) - a) : round(p.seg.pos + half - 0.5) - a + 1] = 0
    n, labels = cv2.connectedComponents(crop, connectivity=8)
    c = round(line.seg.pos) - lo
    # all stretches at once: the labels cut into windows (the last one padded with background),
    # a table of which labels cross each window's centre, and the rows holding any of them
    height, width = labels.shape
    count = -(-width // window)
    blocks = np.zeros((height, count * window), labels.dtype)
    blocks[:, :width] = labels
    blocks = blocks.reshape(height, count, window)
    centre = blocks[max(0, c - 1) : c + 2]
    through = np.zeros((count, n), bool)
    through[np.broadcast_to(np.arange(count)[None, :, None], centre.shape), centre] = True
    through[:, 0] = False
    crossing: np.ndarray = np.any(through[np.arange(count)[None, :, None], blocks], axis=2)  # rows x windows
    found = np.flatnonzero(through.any(axis=1))
    first = np.argmax(crossing, axis=0)
    last = height - 1 - np.argmax(crossing[::-1], axis=0)
    return [(a + int(k) * window, int(last[k] - first[k] + 1)) for k in found]


def _bare_share(
    work: np.ndarray, line: _Line, perps: list[_Line], margin: int, slack: float, window: int
) -> float:
    """Share of a candidate's inked stretches whose ink is no wider than the candidate itself
    (1.0 for a clean rule; see :func:`_stroke_widths`)."""
    widths = _stroke_widths(work, line, perps, margin, window)
    if not widths:
        return 1.0
    limit = np.ceil(line.width) + slack
    return float(np.mean([w <= limit for _, w in widths]))


def _trim_ends(
    work: np.ndarray, line: _Line, perps: list[_Line], margin: int, slack: float, window: int
) -> _Line:
    """``line`` cut at the outermost perpendicular rules it meets where what lies beyond them is
    not a bare stroke: a word whose serifs touch, glued to a rule's end by the bridging."""
    seg = line.seg
    met = sorted(
        (p for p in perps if _crosses(p, line, 0) and seg.start - p.hi < 0 and p.lo - seg.end < 0),
        key=lambda p: p.mid,
    )
    if not met:
        return line
    start, end = seg.start, seg.end
    head = int(met[0].lo)
    if head - seg.start >= 2:
        part = _Line(
            Segment(seg.horizontal, seg.pos, seg.start, head, seg.thickness), line.lo, line.hi, line.width
        )
        if _bare_share(work, part, [], margin, slack, window) < MIN_PIECE_BARE_SHARE:
            start = head
    tail = int(np.ceil(met[-1].hi))
    if seg.end - tail >= 2:
        part = _Line(
            Segment(seg.horizontal, seg.pos, tail, seg.end, seg.thickness), line.lo, line.hi, line.width
        )
        if _bare_share(work, part, [], margin, slack, window) < MIN_PIECE_BARE_SHARE:
            end = tail
    if (start, end) == (seg.start, seg.end):
        return line
    return _Line(Segment(seg.horizontal, seg.pos, start, end, seg.thickness), line.lo, line.hi, line.width)


@dataclass(frozen=True)
class _Acceptance:
    """Pixel thresholds of step 5, at the working resolution (see :func:`find_lines`)."""

    tol: float  # how close a segment's end must come to the rule it joins
    over: float  # how far a short rule may run past a rule it joins
    gap: float  # a piece this far from an accepted rule on its line continues it
    margin: int  # the band around a candidate whose ink is measured
    slack: float  # how much wider than the candidate its bare ink may be
    window: int  # stretches of a long candidate looked at one by one
    min_short: float  # a short rule, cut to the rules it joins, is at least this long
    clearance: float  # a short rule's ink this far from both rules it joins is a letter's stem
    chain: int  # a long candidate clear of at least this many rules it crosses is stems
    side: float  # a long candidate ending on an accepted rule's line this far beside its end

    @classmethod
    def at(cls, dpi: float, s: LineSettings) -> _Acceptance:
        """The thresholds of ``s`` in pixels at ``dpi``."""
        return cls(
            # the ink a rule's end reaches stops short of the perpendicular rule by the wiggle margin
            tol=max(1.0, mm_to_px(s.join_tolerance_mm, dpi)) + round(mm_to_px(s.wiggle_mm, dpi)),
            over=mm_to_px(s.max_overshoot_mm, dpi),
            gap=mm_to_px(s.rejoin_gap_mm, dpi),
            margin=max(2, round(mm_to_px(s.side_band_mm * 2, dpi))),
            slack=max(1.0, mm_to_px(s.bare_slack_mm, dpi)),
            window=max(2, round(mm_to_px(BARE_WINDOW_MM, dpi))),
            min_short=mm_to_px(s.min_short_mm, dpi),
            clearance=mm_to_px(s.free_end_mm, dpi),
            chain=s.stem_chain_crossings,
            side=mm_to_px(s.side_rule_reach_mm, dpi),
        )


def _reached(c: _Candidates, i: int) -> _Line:
    """Candidate ``i`` of ``c`` with its ends moved across a final break (its ``reach``)."""
    seg = c.segments[i]
    return _Line(
        Segment(seg.horizontal, seg.pos, c.reach[i][0], c.reach[i][1], seg.thickness),
        *c.across[i],
        c.widths[i],
    )


def _long_frame(c: _Candidates, other: _Candidates, p: _Acceptance) -> dict[int, _Line]:
    """The long candidates of ``c`` that meet a long candidate of ``other`` and are mostly bare
    strokes: the frame of the tables, before short rules join it."""
    perps = [_reached(other, i) for i, is_long in enumerate(other.long) if is_long]
    lines = {i: _reached(c, i) for i, is_long in enumerate(c.long) if is_long}
    return {
        i: line
        for i, line in lines.items()
        if _meets(line, perps, p.tol)
        and _bare_share(c.work, line, perps, p.margin, p.slack, p.window) >= MIN_BARE_SHARE
        and not _stem_chain(_ink(c), line, perps, p)
    }


def _trim_frame(ok: dict[int, _Line], work: np.ndarray, other_ok: dict[int, _Line], p: _Acceptance) -> None:
    """Every line of ``ok`` cut at the outermost perpendicular rules of ``other_ok`` where what
    lies beyond them is no bare stroke (in place)."""
    perps = list(other_ok.values())
    for i, line in ok.items():
        ok[i] = _trim_ends(work, line, perps, p.margin, p.slack, p.window)


def _open_ends(
    line: _Line, first: _Line | None, last: _Line | None, same: list[_Line], tol: float
) -> tuple[bool, bool]:
    """Whether the start (end) of ``line``, which joins no rule there while its other end does,
    lines up with the starts (ends) of the accepted rules beside it: a side of the table whose
    border is not printed."""
    a, b = line.seg.start, line.seg.end
    open_start = first is None and last is not None and any(abs(o.seg.start - a) <= tol + 1 for o in same)
    open_end = last is None and first is not None and any(abs(o.seg.end - b) <= tol + 1 for o in same)
    return open_start, open_end


def _joined_span(
    line: _Line, perps: list[_Line], same: list[_Line], p: _Acceptance
) -> tuple[int, int] | None:
    """``(start, end)`` of a short candidate cut to the perpendicular rules its two ends join
    (an end at an open side of the table stays where it is), or None when its ends do not both
    join a rule or an open side, in order."""
    a, b = line.seg.start, line.seg.end
    first = _end_rule(line, a, +1, perps, p.tol, p.over)
    last = _end_rule(line, b - 1, -1, perps, p.tol, p.over)
    open_start, open_end = _open_ends(line, first, last, same, p.tol)
    if (
        (first is not None or open_start)
        and (last is not None or open_end)
        and (first is None or last is None or first.mid < last.mid)
    ):
        start = a if first is None else max(a, int(first.lo))
        end = b if last is None else min(b, int(np.ceil(last.hi)))
        return start, end
    return None


def _bare_cut(
    mine: _Candidates, i: int, line: _Line, span: tuple[int, int], perps: list[_Line], p: _Acceptance
) -> _Line | None:
    """Candidate ``i`` cut to ``span``, when that is at least ``min_short`` long and a bare
    stroke all along (no letter's stem with its serifs); else None."""
    seg = mine.segments[i]
    start, end = span
    cut = _Line(Segment(seg.horizontal, seg.pos, start, end, seg.thickness), line.lo, line.hi, line.width)
    if end - start >= p.min_short and (
        _bare_share(mine.work, cut, perps, p.margin, p.slack, max(1, cut.seg.length)) == 1.0
    ):
        return cut
    return None


def _ink(c: _Candidates) -> np.ndarray:
    """The ink ``c``'s rules were traced in (working frame): the page, and its faint ink."""
    return c.work if c.trace is None else c.trace


def _ink_along(work: np.ndarray, line: _Line, a: int, b: int) -> np.ndarray:
    """Which positions ``a <= t < b`` along ``line`` hold ink in ``work`` (the page, working
    frame) within the line's band."""
    a = max(0, a)
    band = work[max(0, int(line.lo)) : int(np.ceil(line.hi)), a:b]
    return np.asarray(band.any(axis=0)) if band.size else np.zeros(max(0, b - a), bool)


def _gaps_beside(on: np.ndarray, a: int, q: _Line) -> tuple[int, int] | None:
    """Blank positions of ``on`` (positions from ``a``) right before and right after where the
    perpendicular rule ``q`` crosses (its own ink there, within its band: a tilted rule's band
    is wider than the rule), or None when the rule left no ink there."""
    lo, hi = max(0, int(q.lo) - 1 - a), min(len(on), int(np.ceil(q.hi)) + 2 - a)
    mine = np.flatnonzero(on[lo:hi])
    if not len(mine):
        return None
    r0, r1 = lo + int(mine[0]), lo + int(mine[-1])
    before = np.flatnonzero(on[:r0])
    after = np.flatnonzero(on[r1 + 1 :])
    gap_before = r0 - 1 - int(before[-1]) if len(before) else r0
    gap_after = int(after[0]) if len(after) else len(on) - r1 - 1
    return gap_before, gap_after


def _stem_chain(ink: np.ndarray, line: _Line, perps: list[_Line], p: _Acceptance) -> bool:
    """Whether a long candidate is letter stems bridged from row to row: it crosses at least
    ``p.chain`` perpendicular rules inside its length and its ink stops more than
    ``p.clearance`` short of every one of them on both sides (a printed rule, however worn, runs
    through some of the rules it crosses; the stems of capitals standing in one x, one a row,
    stop short of every row rule)."""
    seg = line.seg
    inside = [q for q in perps if _crosses(q, line, 0) and seg.start + p.tol < q.mid < seg.end - p.tol]
    if len(inside) < p.chain:
        return False
    on = _ink_along(ink, line, seg.start, seg.end)
    gaps = [_gaps_beside(on, seg.start, q) for q in inside]
    return all(g is not None and min(g) > p.clearance for g in gaps)


def _stands_free(ink: np.ndarray, line: _Line, perps: list[_Line], p: _Acceptance) -> bool:
    """Whether the ink of a short candidate stops more than ``p.clearance`` short of both rules
    its ends join: a letter's stem standing in a row, bridged to the rules above and below it
    (on a fax, the capitals that start the second word of every "Xã ..." label stand in one x,
    and each row's stem became a "rule" splitting the label column).  A printed rule meets the
    rules it joins, however worn in between.  An end at an open side of the table (no rule
    there), or a joined rule that left no ink on the line, says nothing: False."""
    seg = line.seg
    first = _end_rule(line, seg.start, +1, perps, p.tol, p.over)
    last = _end_rule(line, seg.end - 1, -1, perps, p.tol, p.over)
    if first is None or last is None or first is last:
        return False
    a, b = int(first.lo) - 1, int(np.ceil(last.hi)) + 2
    on = _ink_along(ink, line, a, b)
    head, tail = _gaps_beside(on, max(0, a), first), _gaps_beside(on, max(0, a), last)
    return head is not None and tail is not None and head[1] > p.clearance and tail[0] > p.clearance


def _join_short(
    mine: _Candidates, i: int, perps: list[_Line], same: list[_Line], p: _Acceptance
) -> _Line | None:
    """What short candidate ``i`` becomes, or None: cut to the rules its ends join, or, when
    its ends do not join rules, whole as a piece continuing an accepted rule of ``same`` across
    a break.  A candidate whose ink meets neither rule its ends join is a letter's stem bridged
    to them (:func:`_stands_free`): None."""
    line = _reached(mine, i)
    span = _joined_span(line, perps, same, p)
    if span is not None:
        if _stands_free(_ink(mine), line, perps, p):
            return None
        return _bare_cut(mine, i, line, span, perps, p)
    if _collinear(line, same, p.tol, p.gap) and (
        _bare_share(mine.work, line, perps, p.margin, p.slack, p.window) >= MIN_PIECE_BARE_SHARE
    ):
        return line
    return None


def _join_pass(ok: dict[int, _Line], mine: _Candidates, other_ok: dict[int, _Line], p: _Acceptance) -> bool:
    """One pass over the candidates of ``mine`` not accepted yet (in place); whether any was."""
    perps = list(other_ok.values())
    changed = False
    for i in range(len(mine.segments)):
        if i in ok:
            continue
        joined = _join_short(mine, i, perps, list(ok.values()), p)
        if joined is not None:
            ok[i] = joined
            changed = True
    return changed


def _accept(
    h: _Candidates, v: _Candidates, p: _Acceptance, sides: bool = True
) -> tuple[dict[int, Segment], dict[int, Segment]]:
    """Accepted horizontal and vertical candidates (step 5), by index, each as its final segment
    (a short one is trimmed to the rules it joins): the long frame, trimmed, then the short
    rules joining it, pass after pass, then (``sides``) the side borders."""
    return _accept_each(h, v, p, (sides,))[0]


def _accept_each(
    h: _Candidates, v: _Candidates, p: _Acceptance, sides: tuple[bool, ...]
) -> list[tuple[dict[int, Segment], dict[int, Segment]]]:
    """:func:`_accept` for each of ``sides``: the frame and its joins found once (the side
    borders only add to them)."""
    h_ok, v_ok = _long_frame(h, v, p), _long_frame(v, h, p)
    _trim_frame(h_ok, h.work, v_ok, p)
    _trim_frame(v_ok, v.work, h_ok, p)
    for _ in range(MAX_JOIN_PASSES):
        changed = _join_pass(h_ok, h, v_ok, p)
        changed = _join_pass(v_ok, v, h_ok, p) or changed
        if not changed:
            break
    h_side: dict[int, _Line] = {}
    v_side: dict[int, _Line] = {}
    if any(sides):
        h_side, v_side = _side_borders(h, h_ok, v_ok, p), _side_borders(v, v_ok, h_ok, p)
    out = []
    for with_sides in sides:
        h_all, v_all = ({**h_ok, **h_side}, {**v_ok, **v_side}) if with_sides else (h_ok, v_ok)
        out.append(({i: line.seg for i, line in h_all.items()}, {i: line.seg for i, line in v_all.items()}))
    return out


def _line_ended_on(line: _Line, perps: list[_Line], tol: float, reach: float) -> int | None:
    """Index of the rule of ``perps`` on whose line (within ``tol`` of its band) an end of
    ``line`` lies, the rule not reaching ``line`` but ending at most ``reach`` px beside it;
    None when there is none."""
    at = line.mid
    ends = (line.seg.start, line.seg.end - 1)
    for k, q in enumerate(perps):
        beside = max(q.seg.start - at, at - q.seg.end)
        if 0 < beside <= reach and any(q.lo - tol <= e <= q.hi + tol for e in ends):
            return k
    return None


def _side_borders(
    mine: _Candidates, ok: dict[int, _Line], other_ok: dict[int, _Line], p: _Acceptance
) -> dict[int, _Line]:
    """The long candidates of ``mine`` not accepted that end on the line of an accepted
    perpendicular rule (:func:`_line_ended_on`, ``p.side`` beside its end, or beside a side
    border found before on that line) and are mostly bare strokes, no chain of stems: a table's
    side border, or the rule between its side columns, whose perpendicular rules broke on their
    way to it.  On a fax the threshold dots a side column's row rules away (a toner patch over
    the STT and label columns: dev 579's 10B, dev 628's 7B) while its vertical rules stand whole
    from the table's top rule to its bottom one: they met no long rule and were dropped, and the
    grid lost the columns with the labels."""
    if p.side <= 0:
        return {}
    perps = list(other_ok.values())
    reached = list(perps)  # each rule's line, stretched over the side borders found on it
    out: dict[int, _Line] = {}
    found = True
    while found:
        found = False
        for i, is_long in enumerate(mine.long):
            if not is_long or i in ok or i in out:
                continue
            line = _reached(mine, i)
            k = _line_ended_on(line, reached, p.tol, p.side)
            if (
                k is not None
                and _bare_share(mine.work, line, perps, p.margin, p.slack, p.window) >= MIN_BARE_SHARE
                and not _stem_chain(_ink(mine), line, perps, p)
            ):
                out[i] = line
                q = reached[k].seg
                stretched = Segment(
                    q.horizontal,
                    q.pos,
                    min(q.start, int(line.lo)),
                    max(q.end, int(np.ceil(line.hi))),
                    q.thickness,
                )
                reached[k] = _Line(stretched, reached[k].lo, reached[k].hi, reached[k].width)
                found = True
    return out


def _mask(c: _Candidates, keep: dict[int, Segment], transposed: bool) -> np.ndarray:
    """The accepted components of ``c.bridged``, each cut to its final segment's extent."""
    out = np.zeros_like(c.bridged)
    for i, seg in keep.items():
        x, y, w, h = cv2.boundingRect(c.contours[i])
        own = np.zeros((h, w), np.uint8)
        cv2.drawContours(own, [c.contours[i]], -1, 255, thickness=-1, offset=(-x, -y))
        a, b = max(x, seg.start), min(x + w, seg.end)
        if b > a:
            part = own[:, a - x : b - x] & c.bridged[y : y + h, a:b]
            out[y : y + h, a:b] |= part
    return cv2.transpose(out) if transposed else out


def _pool(src: np.ndarray, f: int) -> np.ndarray:
    """``src`` reduced ``f`` times: a pixel is ink when any pixel of its f x f block is."""
    h, w = src.shape
    small = cv2.resize(src[: h // f * f, : w // f * f], (w // f, h // f), interpolation=cv2.INTER_AREA)
    return cv2.threshold(small, 0, 255, cv2.THRESH_BINARY)[1]


def _unpool(mask: np.ndarray, f: int, shape: tuple[int, ...]) -> np.ndarray:
    """``mask`` enlarged ``f`` times (each pixel a block) and padded with zeros to ``shape``."""
    big = cv2.resize(mask, (mask.shape[1] * f, mask.shape[0] * f), interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(
        big, 0, shape[0] - big.shape[0], 0, shape[1] - big.shape[1], cv2.BORDER_CONSTANT, value=0
    )


def _scale(seg: Segment, f: int) -> Segment:
    return Segment(seg.horizontal, seg.pos * f + (f - 1) / 2.0, seg.start * f, seg.end * f, seg.thickness * f)


def _both_candidates(
    src: np.ndarray, trace: np.ndarray, dpi: float, s: LineSettings
) -> tuple[_Candidates, _Candidates]:
    """Steps 1-4 for both directions: the horizontal and the vertical candidates (the vertical
    ones in the transposed frame)."""
    fh = _fragments(src, trace, dpi, s)
    fv = _fragments(cv2.transpose(src), cv2.transpose(trace), dpi, s)
    # the ink a rule's end may reach across a dropout leaves out the perpendicular rules
    hp, vp = cv2.transpose(fv.frag), cv2.transpose(fh.frag)  # each direction's perpendicular runs
    fh = _Fragments(fh.work, cv2.subtract(fh.joined, hp), fh.frag, fh.bridged)
    fv = _Fragments(fv.work, cv2.subtract(fv.joined, vp), fv.frag, fv.bridged)
    return (
        _candidates(fh, dpi, s, horizontal=True, trace=trace),
        _candidates(fv, dpi, s, horizontal=False, trace=cv2.transpose(trace)),
    )


def find_lines(
    binary: np.ndarray, dpi: float, settings: LineSettings | None = None, *, faint: np.ndarray | None = None
) -> LineMasks:
    """Horizontal and vertical ruling lines of ``binary`` (uint8 or bool, ink non-zero) at ``dpi``.

    ``faint``, when given, is more ink of the same page (same shape: pixels a little darker than
    the paper, where a faded rule survives): rules are traced in ``binary | faint``, while the
    tests that tell letters from rules look at ``binary`` only.  Pages above ``2 * LINE_DPI`` are
    searched at an integer reduction (any-ink pooling keeps hairlines) and the results scaled
    back.  Returns :class:`LineMasks`: masks with the same shape as ``binary`` (255 on line
    pixels, bridged gaps included) and the segments sorted by position then start.  Raises
    ``ValueError`` for a non-2-D image, a ``faint`` of another shape or a non-positive DPI.
    """
    return _found_lines(binary, dpi, settings or LineSettings(), faint, (True,))[0]


def find_lines_without_and_with_sides(
    binary: np.ndarray, dpi: float, settings: LineSettings, *, faint: np.ndarray | None = None
) -> tuple[LineMasks, LineMasks]:
    """:func:`find_lines` without side borders (as with ``side_rule_reach_mm`` 0) and with them,
    the candidates traced once (a grey page's two looks: ``tables.side_borders_grey_guarded``)."""
    without, with_sides = _found_lines(binary, dpi, settings, faint, (False, True))
    return without, with_sides


def _found_lines(
    binary: np.ndarray, dpi: float, s: LineSettings, faint: np.ndarray | None, sides: tuple[bool, ...]
) -> list[LineMasks]:
    """:func:`find_lines`, accepted once for each of ``sides`` (with side borders or not)."""
    if binary.ndim != 2 or binary.size == 0:
        raise ValueError(f"binary: expected a non-empty 2-D array, got shape {binary.shape}")
    if faint is not None and faint.shape != binary.shape:
        raise ValueError(f"faint: shape {faint.shape} differs from binary's {binary.shape}")
    if dpi <= 0:
        raise ValueError(f"dpi: expected a positive resolution, got {dpi}")
    src = cv2.threshold(binary.astype(np.uint8, copy=False), 0, 255, cv2.THRESH_BINARY)[1]
    trace = src
    if faint is not None:
        trace = cv2.bitwise_or(
            src, cv2.threshold(faint.astype(np.uint8, copy=False), 0, 255, cv2.THRESH_BINARY)[1]
        )
    f = max(1, int(dpi // LINE_DPI))
    if f > 1 and min(src.shape) >= 4 * f:
        src, trace = _pool(src, f), _pool(trace, f)
        dpi = dpi / f
    else:
        f = 1
    h, v = _both_candidates(src, trace, dpi, s)
    p = _Acceptance.at(dpi, s)

    def order(seg: Segment) -> tuple[float, int]:
        return (seg.pos, seg.start)

    out: list[LineMasks] = []
    kept: list[tuple[dict[int, Segment], dict[int, Segment]]] = []
    for h_keep, v_keep in _accept_each(h, v, p, sides):
        if kept and (h_keep, v_keep) == kept[-1]:  # no side border kept: the same rules, one object
            out.append(out[-1])
            continue
        kept.append((h_keep, v_keep))
        h_mask, v_mask = _mask(h, h_keep, transposed=False), _mask(v, v_keep, transposed=True)
        if f > 1:
            h_mask, v_mask = _unpool(h_mask, f, binary.shape), _unpool(v_mask, f, binary.shape)
        out.append(
            LineMasks(
                horizontal=h_mask,
                vertical=v_mask,
                h_segments=tuple(sorted((_scale(seg, f) for seg in h_keep.values()), key=order)),
                v_segments=tuple(sorted((_scale(seg, f) for seg in v_keep.values()), key=order)),
            )
        )
    return out
