"""Where the ruling lines fail, the text says where rows and columns are.

A rule that is faint, broken by a 5-40 mm gap or missing altogether leaves the grid of
:mod:`.grid` with cells that hold a label and a number ("Xã Hiền Quan 137"), several numbers
("13.100 10.635 10.635 20.800") or two communes.  The glyphs of the table body (its ink with the
rules, specks and rule remnants taken out: :class:`TextBlobs`) settle it:

- :func:`body_rows`: the rows below the cells of the first row (and above the last row's cells
  when they span several).  The header rows above them hold real merged cells ("Số hồ sơ đã
  tiếp nhận" over three columns) and are left alone.
- :func:`text_rows`: a body row much taller than the others (``tall_row_factor``) is cut where a
  blank band crosses the whole table and most of the columns holding text (at least
  ``min_split_cells``) have text both above and below it (a wrapped label next to one-line
  numbers is no such band: the numbers cross it).
- :func:`text_columns`: a column is cut where a blank band runs down the whole body and at least
  ``min_split_share`` of its body rows have text on both sides (a vertical rule lost for the
  whole height); :func:`header_row_columns`: also where the header's last row (the printed
  column numbers "(4) (5)", or two headings) has text on both sides of such a band.
- :func:`restore_broken_rules`: slots joined into a shape that is no printed cell (not a
  rectangle, or a rectangle with a rule inside) are cut along their missing rules that no glyph
  crosses, header rows included; :func:`split_header_leaves`: a header cell reaching the body
  over several columns is cut where the body's rules run (its leaves lost a rule), and a header
  cell running on into the body is cut at the body's first row.
- :func:`split_separators`: a missing separator between two body slots counts as printed when no
  glyph crosses its line (the rule's own broken pieces do not count) and there is text on both
  sides within the slots the missing rules join, or, for a vertical one, text in the slot on one
  side and blank slots on the other (a single one, or the text being digits: a value and the
  blank cells beside it); a vertical one also needs its rule printed higher up in the table (or
  its column found from the text).  A section row "I. Hoàn thiện khuôn khổ pháp lý" printed
  across the table, or an item's STT printed once
  beside its four sub-rows, stays one cell.  A merged body cell whose text does cross an inner
  edge stays merged, and the document flags the values it gives ("one cell over N columns").

Pure functions; every length in millimetres is scaled with the DPI.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model import PixelBox, TableGrid
from ..units import mm_to_px
from .item_rows import within_one_item
from .lines import LineMasks
from .seals import Seal, erase_rings, find_seals, in_disc, in_emblem, in_lettering, on_ring, shifted


class TextEvidenceSettings(BaseModel):
    """Settings of the text evidence (section ``tables.text`` of ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # a component of slots that is no printed cell (not a rectangle, or a rule inside it) is cut
    # along its missing rules that no text crosses, header rows included (restore_broken_rules)
    restore_cells: bool = True
    # a header row this low (mm) right above the body may be the printed column-number row
    # "(1) (2) (3)=(4)+(5)": header cells ending on it are leaves, like those ending on the body
    number_row_mm: float = Field(default=9.0, gt=0.0)
    # a glyph this close (mm) to a missing vertical rule's line crosses it ...
    edge_margin_mm: float = Field(default=0.25, ge=0.0)
    # ... and this close to a missing horizontal one (two rows' text lines sit well apart; the
    # lines of a wrapped text in a merged cell do not)
    row_edge_margin_mm: float = Field(default=0.35, ge=0.0)
    # blobs smaller than this (mm) both ways are specks, not glyphs
    speck_mm: float = Field(default=0.38, gt=0.0)
    # text is there when a glyph at least this tall (mm) is (a dash or a dot is no text)
    letter_mm: float = Field(default=1.0, gt=0.0)
    # a blob no wider (mm) than this and at least RULE_REMNANT_ASPECT times as long is what is
    # left of a faint rule when it lies along the missing rule's line
    remnant_width_mm: float = Field(default=0.6, gt=0.0)
    # straight runs of ink at least this long (mm) are pieces of rules the line finder missed,
    # never letters: taken out before glyphs are found (they join the letters they touch into
    # one blob that seems to cross every line)
    remnant_length_mm: float = Field(default=5.0, gt=0.0)
    # a blob at least this tall (mm) is no glyph of a text line (a seal's ring, a signature):
    # it does not keep two rows together where a rule broke, if the text stays seal_clear_mm
    # (more than row_edge_margin_mm) away from the rule's line
    seal_mm: float = Field(default=6.0, gt=0.0)
    seal_clear_mm: float = Field(default=0.5, ge=0.0)
    # a body row this many times the median body row's height may hold several rows
    tall_row_factor: float = Field(default=1.6, gt=1.0)
    # ... and is cut where a blank band at least this high (mm) crosses the table ...
    min_row_gap_mm: float = Field(default=1.0, gt=0.0)
    # ... with text above and below in at least this many columns, and in min_split_share of
    # the columns holding text (the blank bands between the lines of a few wrapped cells,
    # "(3)= / (4)+ / (5)", beside one-line cells centred on the middle line are no row break)
    min_split_cells: int = Field(default=2, ge=1)
    # a new row is at least this high (mm)
    min_row_mm: float = Field(default=3.0, gt=0.0)
    # a body row of any height is cut like a tall one where its STT column holds an index on
    # each side of the band, clear of the label column, and its label column text on each side
    # (text_rows; false: tall rows only)
    index_rows: bool = True
    # a column is cut where a blank band at least this wide (mm) runs down the whole body ...
    min_col_gap_mm: float = Field(default=1.5, gt=0.0)
    # ... with text on both sides in this share of the body rows (or of the columns holding text,
    # for a row break), and in at least min_col_rows
    min_split_share: float = Field(default=0.5, gt=0.0, le=1.0)
    # a number beside a blank slot stands in its own row when its middle is within this share of
    # the slot's height from the slot's middle (a value printed once over two rows is not)
    row_centre_share: float = Field(default=0.2, gt=0.0, le=0.5)
    min_col_rows: int = Field(default=4, ge=1)
    # the header's last row cuts a column at a blank band this wide (mm) between two texts, running
    # on down the body: wider than a word space, so one heading is never cut between its words
    min_header_gap_mm: float = Field(default=3.0, gt=0.0)
    # a first row whose one-row cells with text (at least numbers_row_cells) hold digits in this
    # share is a body row, not a header row (body_rows: a page continued without its header)
    numbers_row_cells: int = Field(default=3, ge=1)
    numbers_row_share: float = Field(default=0.67, gt=0.0, le=1.0)
    # a new column is at least this wide (mm)
    min_col_mm: float = Field(default=5.0, gt=0.0)
    # a rule junction's arms (what is left where two faint rules cross) run over this share of
    # its width and height (_junction_arms)
    junction_arm_share: float = Field(default=0.8, gt=0.0, le=1.0)
    # a round seal over the table (:mod:`.seals`): its rings are taken out of the text and its
    # lettering is no text; a ring of this radius (mm) ...
    seals: bool = True
    seal_radius_min_mm: float = Field(default=12.0, gt=0.0)
    seal_radius_max_mm: float = Field(default=24.0, gt=0.0)
    # ... whose ink runs round this share of the circle, looked for at this resolution (dpi)
    seal_ring_share: float = Field(default=0.6, gt=0.0, le=1.0)
    seal_search_dpi: float = Field(default=60.0, gt=0.0)

    @model_validator(mode="after")
    def _radii_in_order(self) -> TextEvidenceSettings:
        if self.seal_radius_min_mm > self.seal_radius_max_mm:
            raise ValueError("seal_radius_min_mm must not exceed seal_radius_max_mm")
        return self


RULE_REMNANT_ASPECT = 3.0
VALUE_COLUMNS = 2  # the columns from this one on hold values (STT and label before them)
DIGITS = 2  # TextBlobs.kind of a box whose glyphs are all about as tall ...
UNIFORM_HEIGHT = 0.8  # ... at least this share of the tallest


def _without_straight_runs(crop: np.ndarray, length: int) -> np.ndarray:
    """``crop`` (uint8, 255 on ink) without its horizontal and vertical straight runs at least
    ``length`` px long."""
    if crop.size == 0:
        return crop
    length |= 1  # an even kernel shifts the opening by a pixel
    runs = cv2.bitwise_or(
        cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))),
        cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))),
    )
    return cv2.subtract(crop, runs)


def _junction_arms(
    labels: np.ndarray, stats: np.ndarray, ids: np.ndarray, thin: float, arm: float, share: float
) -> tuple[np.ndarray, np.ndarray]:
    """The x of the vertical arm and the y of the horizontal arm (crop pixels) of every blob
    (``stats`` rows, component ``ids`` of ``labels``) made of thin strokes (no more ink than
    ``thin`` px along its width and height), at least ``arm`` px both ways (a speck is no
    junction), with a stroke running down at least ``share`` of its height and one
    running across at least that share of its width: what is left where two faint rules cross.
    NaN for any other blob.  (A glyph such as "T" or "L" has that shape too: a caller counts
    an arm only where it lies on the rules' lines.)"""
    arm_x = np.full(len(ids), np.nan)
    arm_y = np.full(len(ids), np.nan)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    for i in np.flatnonzero((w >= arm) & (h >= arm) & (area <= thin * (w + h))).tolist():
        x, y = int(stats[i, cv2.CC_STAT_LEFT]), int(stats[i, cv2.CC_STAT_TOP])
        mask = labels[y : y + h[i], x : x + w[i]] == ids[i]
        # a faint rule's piece is rarely one pixel straight: its neighbouring lines count too
        across = mask.copy()
        across[1:] |= mask[:-1]
        across[:-1] |= mask[1:]
        down = mask.copy()
        down[:, 1:] |= mask[:, :-1]
        down[:, :-1] |= mask[:, 1:]
        rows, cols = across.sum(axis=1), down.sum(axis=0)
        if rows.max() >= share * w[i] and cols.max() >= share * h[i]:
            arm_x[i], arm_y[i] = x + int(cols.argmax()), y + int(rows.argmax())
    return arm_x, arm_y


class JunctionArms:
    """The junction arms (:func:`_junction_arms`, page pixels) of a region's blobs, measured
    only for the blobs a test asks about and kept: a crossing test needs the arms of the blobs
    that reach its line and are no remnant of the rule, a few of a table's hundreds of glyphs
    (most of them letters shaped like an L or a T that pass the size filter).  Each blob's arms
    depend on that blob alone, so asking blob by blob gives what measuring all at once gives."""

    def __init__(
        self,
        labels: np.ndarray,
        stats: np.ndarray,
        ids: np.ndarray,
        shape: tuple[float, float, float],
        origin: tuple[int, int],
    ) -> None:
        self._labels, self._stats, self._ids = labels, stats, ids
        self._shape = shape  # thin, arm, share: as _junction_arms takes them
        self._origin = origin  # the region's x0, y0: crop pixels to page pixels
        self.x = np.full(len(ids), np.nan)
        self.y = np.full(len(ids), np.nan)
        self._known = np.zeros(len(ids), bool)

    def of(self, sel: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The arms' x and y of every blob, measured for the blobs of ``sel`` (all when None)
        not measured yet; NaN for a blob that is no junction or was not asked about."""
        todo = ~self._known if sel is None else sel & ~self._known
        if todo.any():
            idx = np.flatnonzero(todo)
            thin, arm, share = self._shape
            ax, ay = _junction_arms(self._labels, self._stats[idx], self._ids[idx], thin, arm, share)
            self.x[idx] = ax + self._origin[0]
            self.y[idx] = ay + self._origin[1]
            self._known[idx] = True
        return self.x, self.y


@dataclass(frozen=True, eq=False)
class TextBlobs:
    """Bounding boxes (page pixels, half-open) of the glyphs of a region: the ink with the rules
    taken out, specks dropped.  ``thin_v`` / ``thin_h`` mark blobs shaped like a rule remnant
    (a faint rule's pieces that the line finder did not keep)."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    thin_v: np.ndarray
    thin_h: np.ndarray
    tall: np.ndarray  # as tall as a letter and no rule remnant: text, not a dash or a dot
    # taller than any text line's glyph (``seal_mm``): a seal's ring or a signature stroke
    seal: np.ndarray | None = None
    # lower than a letter and at least three times as wide: a dash or a thick rule's piece
    flat: np.ndarray | None = None
    # lower than a letter and no dash: a photocopy's speck, a stray dot, a worn rule's piece
    # with a speck or a tick on it (or a tone mark or a decimal point: those stand close to
    # their letters)
    dot: np.ndarray | None = None
    # where two faint rules cross, the pieces of both that the line finder missed are one blob
    # (an L, a T or a cross of thin strokes): the x of its vertical arm and the y of its
    # horizontal one, NaN for any other blob (:class:`JunctionArms`, measured as asked for)
    junctions: JunctionArms | None = None
    # the lettering and the emblem of a round seal found over the region (:mod:`.seals`, its
    # rings taken out of the ink): no text, whatever line it lies on
    ring: np.ndarray | None = None
    seals: tuple[Seal, ...] = ()

    @classmethod
    def find(
        cls,
        ink: np.ndarray,
        region: PixelBox,
        dpi: float,
        settings: TextEvidenceSettings,
        *,
        with_seals: bool = False,
    ) -> TextBlobs:
        """The glyphs of ``ink`` (uint8, 255 on ink, the rules already taken out) in ``region``.
        ``with_seals``: a round seal over the region (:mod:`.seals`, when ``settings.seals``) has
        its rings taken out and its lettering marked ``ring``."""
        seals: tuple[Seal, ...] = ()
        if with_seals and settings.seals:
            pad = round(mm_to_px(settings.seal_radius_max_mm, dpi))  # a seal half off the table
            ih, iw = ink.shape[:2]
            wide = PixelBox(
                max(0, region.x0 - pad),
                max(0, region.y0 - pad),
                min(iw, region.x1 + pad),
                min(ih, region.y1 + pad),
            )
            area = ink[wide.y0 : wide.y1, wide.x0 : wide.x1]
            found = find_seals(area, dpi, settings)
            if found:
                ink = ink.copy()
                ink[wide.y0 : wide.y1, wide.x0 : wide.x1] = erase_rings(area, found)
                seals = tuple(shifted(seal, wide.x0, wide.y0) for seal in found)
        crop = np.ascontiguousarray(ink[region.y0 : region.y1, region.x0 : region.x1])
        crop = _without_straight_runs(crop, max(3, round(mm_to_px(settings.remnant_length_mm, dpi))))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
        ids = np.arange(1, count)
        stats = stats[1:count]
        w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
        speck = mm_to_px(settings.speck_mm, dpi)
        keep = (w >= speck) | (h >= speck)
        stats, w, h, ids = stats[keep], w[keep], h[keep], ids[keep]
        thin = mm_to_px(settings.remnant_width_mm, dpi)
        letter = mm_to_px(settings.letter_mm, dpi)
        junctions = JunctionArms(
            labels, stats, ids, (thin, letter, settings.junction_arm_share), (region.x0, region.y0)
        )
        x0 = stats[:, cv2.CC_STAT_LEFT] + region.x0
        y0 = stats[:, cv2.CC_STAT_TOP] + region.y0
        big = h >= mm_to_px(settings.seal_mm, dpi)
        ring = in_lettering(seals, x0, y0, x0 + w, y0 + h) | in_emblem(seals, x0, y0, x0 + w, y0 + h)
        return cls(
            x0=x0,
            y0=y0,
            x1=x0 + w,
            y1=y0 + h,
            thin_v=(w <= thin) & (h >= RULE_REMNANT_ASPECT * w),
            thin_h=(h <= thin) & (w >= RULE_REMNANT_ASPECT * h),
            tall=(h >= letter) & ~((w <= thin) & (h >= RULE_REMNANT_ASPECT * w)),
            seal=big | ring,
            flat=(h < letter) & (w >= RULE_REMNANT_ASPECT * h),
            dot=h < letter,
            junctions=junctions,
            ring=ring,
            seals=seals,
        )

    def _in(self, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
        """Blobs overlapping the box [x0, x1) x [y0, y1)."""
        return (self.x0 < x1) & (self.x1 > x0) & (self.y0 < y1) & (self.y1 > y0)

    def any_in(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether a letter-sized glyph overlaps the box [x0, x1) x [y0, y1)."""
        return bool((self._in(x0, y0, x1, y1) & self.tall).any())

    def sealed(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether a seal's ring or a signature stroke (``seal``) overlaps the box."""
        if any(on_ring(seal, x0, y0, x1, y1) for seal in self.seals):
            return True
        return self.seal is not None and bool((self._in(x0, y0, x1, y1) & self.seal).any())

    def under_seal(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether the box reaches into a round seal found over the region (its rings, its
        lettering, its emblem): what is read there is not sure (the strokes read as digits, the
        rings were taken out of the text evidence)."""
        return any(in_disc(seal, x0, y0, x1, y1) for seal in self.seals)

    def kind(self, x0: float, y0: float, x1: float, y1: float) -> int:
        """What the box holds: 0 no text, :data:`DIGITS` letter-sized glyphs all about as tall
        (``UNIFORM_HEIGHT``: digits; words have lower-case letters), else 1 (text)."""
        sel = self._in(x0, y0, x1, y1) & self.tall
        if not sel.any():
            return 0
        heights = (self.y1 - self.y0)[sel]
        return DIGITS if heights.min() >= UNIFORM_HEIGHT * heights.max() else 1

    def _lettering(self) -> np.ndarray | bool:
        """The blobs of a seal's lettering (``ring``), or False where no seal was found."""
        return self.ring if self.ring is not None else False

    @property
    def arm_x(self) -> np.ndarray | None:
        """Every blob's vertical arm's x (:class:`JunctionArms`), NaN where it has none."""
        return None if self.junctions is None else self.junctions.of()[0]

    @property
    def arm_y(self) -> np.ndarray | None:
        """Every blob's horizontal arm's y (:class:`JunctionArms`), NaN where it has none."""
        return None if self.junctions is None else self.junctions.of()[1]

    def _junctions(
        self, vertical: bool, line: float, lo: float, hi: float, reach: float, sel: np.ndarray
    ) -> np.ndarray:
        """Which blobs of ``sel`` are where two rules cross (:class:`JunctionArms`) with an arm
        within ``reach`` of the tested ``line`` (its vertical arm when ``vertical``) and the
        other on the perpendicular rule at either end of the tested span ``lo..hi`` (outside it:
        the caller keeps the span clear of those rules by ``reach``) -- the two rules' own
        pieces, not text crossing the line.  False outside ``sel`` (only those are measured)."""
        if self.junctions is None or not sel.any():
            return np.zeros(len(self.x0), bool)
        arm_x, arm_y = self.junctions.of(sel)
        along, across = (arm_x, arm_y) if vertical else (arm_y, arm_x)
        with np.errstate(invalid="ignore"):
            return sel & (np.abs(along - line) <= reach) & ((across <= lo) | (across >= hi))

    def crosses_v(self, x: float, y0: float, y1: float, margin: float, reach: float) -> bool:
        """Whether a glyph between rows y0 and y1 comes within ``margin`` of the vertical line x
        (blobs no wider than ``reach`` centred within ``reach`` of it are the rule's own
        remnants: its broken pieces, however short; a horizontal remnant (``thin_h``) centred
        within ``reach`` of y0 or y1 or beyond is a piece of the rule above or below the span,
        its end on the line where the two rules met: dev 1024's 7B p9, the rule over "8" worn
        to a 9 x 1 px piece by the lost STT | label rule, "8" and its label stayed one cell)."""
        hit = self._in(x - margin, y0, x + margin + 1, y1) & ~self._lettering()
        remnant = (self.x1 - self.x0 <= reach) & (np.abs((self.x0 + self.x1) / 2 - x) <= reach)
        middle = (self.y0 + self.y1) / 2
        remnant |= self.thin_h & ((middle <= y0 + reach) | (middle >= y1 - reach))
        return bool((hit & ~remnant & ~self._junctions(True, x, y0, y1, reach, hit & ~remnant)).any())

    def crosses_h(self, y: float, x0: float, x1: float, margin: float, reach: float) -> bool:
        """As :meth:`crosses_v`, for the horizontal line y between columns x0 and x1."""
        hit = self._in(x0, y - margin, x1, y + margin + 1) & ~self._lettering()
        remnant = (self.y1 - self.y0 <= reach) & (np.abs((self.y0 + self.y1) / 2 - y) <= reach)
        return bool((hit & ~remnant & ~self._junctions(False, y, x0, x1, reach, hit & ~remnant)).any())

    def crosses_row(self, y: float, x0: float, x1: float, margin: float, reach: float, clear: float) -> bool:
        """Whether text crosses the line y of a row break between columns x0 and x1: as
        :meth:`crosses_h`, except that a seal's ring or a signature stroke (``seal``), a dash
        or thick rule piece lying on the line (``flat``: no letter) and a speck or any other blob
        lower than a letter (``dot``) do not
        count -- the glyphs left must then stay ``clear`` of the line (the two rows' text lines
        lie apart, whatever is printed over them; a tone mark or a decimal point on the line has
        its letters or digits within that distance)."""
        hit = self._in(x0, y - margin, x1, y + margin + 1)
        remnant = (self.y1 - self.y0 <= reach) & (np.abs((self.y0 + self.y1) / 2 - y) <= reach)
        remnant |= self._junctions(False, y, x0, x1, reach, hit & ~remnant)
        seal = self.seal if self.seal is not None else np.zeros_like(hit)
        flat = self.flat if self.flat is not None else np.zeros_like(hit)
        if self.dot is not None:
            flat = flat | self.dot
        if (hit & ~remnant & ~seal & ~flat).any():
            return True
        # the rule's own remnants on the line (thin, centred within ``reach``) ask no clearance:
        # a worn rule's pieces kept the descender of "Ngoại" 4 px above the line from its cut
        # (dev 1024's 7B p9); a seal's stroke, a dash or a thicker piece on the line do
        if not (hit & ~remnant & (seal | flat)).any():
            return False
        near = self._in(x0, y - clear, x1, y + clear + 1)
        remnant |= self._junctions(False, y, x0, x1, reach, near & ~remnant)  # measured as asked
        return bool((near & ~remnant & ~seal & ~flat).any())

    def coverage(
        self, lo: int, hi: int, x0: float, y0: float, x1: float, y1: float, vertical: bool
    ) -> np.ndarray:
        """How many glyphs of the box [x0, x1) x [y0, y1) (rule remnants left out) cover each
        position lo <= t < hi: rows when ``vertical``, else columns."""
        sel = self._in(x0, y0, x1, y1) & ~(self.thin_h if vertical else self.thin_v)
        out = np.zeros(max(0, hi - lo) + 1, np.int32)
        a = (self.y0 if vertical else self.x0)[sel]
        b = (self.y1 if vertical else self.x1)[sel]
        np.add.at(out, np.clip(a - lo, 0, hi - lo), 1)
        np.add.at(out, np.clip(b - lo, 0, hi - lo), -1)
        return np.cumsum(out)[: hi - lo]


class PageGlyphs:
    """A page's text ink (uint8, 255 on ink, the rules taken out) and its glyphs in each box
    asked for (:meth:`TextBlobs.find`), found once a box and kept: a grey page's two looks
    (without side borders and with them, :func:`.detect._with_side_borders_if_they_add`) build
    the same grids from the same ink.  The blobs found are shared, not copied: never modified."""

    def __init__(self, ink: np.ndarray, dpi: float) -> None:
        self.ink = ink
        self.dpi = dpi
        self._found: dict[tuple[PixelBox, bool, TextEvidenceSettings], TextBlobs] = {}
        # the grids built on these glyphs (:func:`.grid.build_grid`), by widened region and
        # settings, each with the rules it was built from
        self.grids: dict[tuple[object, ...], tuple[LineMasks, TableGrid | None]] = {}

    def find(
        self, region: PixelBox, settings: TextEvidenceSettings, *, with_seals: bool = False
    ) -> TextBlobs:
        """:meth:`TextBlobs.find` of the page's ink in ``region``, found the first time only."""
        key = (region, with_seals, settings)
        found = self._found.get(key)
        if found is None:
            found = TextBlobs.find(self.ink, region, self.dpi, settings, with_seals=with_seals)
            self._found[key] = found
        return found


def body_rows(
    cells: Sequence[tuple[int, int, int, int]], n_rows: int, first_holds_numbers: bool = False
) -> tuple[int, int]:
    """The body rows ``[start, end)`` of a grid of ``n_rows`` rows whose cells are ``(row, col,
    row_span, col_span)``: below every cell of the first row (the header's cells beside its
    sub-columns, "STT" or "Tên đơn vị", run down to its last row; a table continued without its
    header loses its first row here) that ends in the table's upper half, and above the cells of
    the last row when they look like a header's, spanning several rows and several columns, and
    the first row looks like none (a page read upside down has its header at the bottom, and
    its first row is a body row of numbers without spans), two or more of them over all its
    rows.  A single first-row cell that runs
    on below every other one, while two or more end together on a lower line, is a heading whose
    rule broke: the body starts on that line (:func:`split_header_leaves` cuts the cell there);
    so are two such cells where two or more one-column headings end together on that line.

    ``first_holds_numbers``: the first row's one-row cells hold numbers, not headings
    (:func:`numbers_row`).  A first row whose label or STT cell runs into the next row is then
    a body row whose rule broke (a page continued without its header), not a header: the body
    starts at the first row."""
    first = [(rs, cs) for r, _c, rs, cs in cells if r == 0]
    ends = [rs for rs, _cs in first]
    # a first-row cell running down most of the table is a column whose rules are all broken
    header = [e for e in ends if e <= max(1, n_rows // 2)]
    start = max(header) if header else min(ends, default=0)
    below = [e for e in header if e < start]
    if header.count(start) == 1 and below and below.count(max(below)) >= 2 and max(below) >= 2:
        # one heading alone running on below the others ("Cơ quan, đơn vị" over the first
        # row's "UBND cấp huyện": the rule under it broke); the STT and label headings and the
        # other full-height ones end on the header's last line
        start = max(below)
    elif header.count(start) == 2 and below and max(below) >= 2:
        # two headings running on below the others ("STT I" and "Cơ quan, đơn vị Cơ quan cấp
        # huyện", or the label and "Ghi chú": the rules under them broke) while two or more
        # one-column headings end together on a lower line; a parent heading ending there has
        # its leaves below it and spans their columns
        low = max(below)
        if sum(rs == low and cs == 1 for rs, cs in first) >= 2:
            start = low
    if start > 1 and first_holds_numbers:
        start = 0
    if any(rs > 1 or cs > 1 for rs, cs in first) or not first_holds_numbers:
        return start, n_rows  # a header at the top: the last rows' merges are broken rules
    last = [(rs, cs) for r, _c, rs, cs in cells if r + rs == n_rows]
    bottom = max((rs for rs, _cs in last), default=1)
    # row and column spans: a header, whose headings over all its rows ("STT", "Tên đơn vị")
    # are at least two; one cell over two rows is a label whose rule broke above a total; a
    # cell over all those rows and several columns is no heading (a heading over several
    # columns has their sub-headings beside it): values whose rules broke with the last row's
    # (dev 226's 4B p6: "49 4" over "35 4", the STT and label cells over both rows too)
    if (
        bottom > 1
        and any(cs > 1 for _rs, cs in last)
        and [rs for rs, _cs in last].count(bottom) >= 2
        and not any(rs == bottom and cs > 1 for rs, cs in last)
    ):
        return start, n_rows - bottom
    return start, n_rows


def numbers_row(
    cells: Sequence[tuple[int, int, int, int]],
    rows: Sequence[int],
    cols: Sequence[int],
    blobs: TextBlobs,
    settings: TextEvidenceSettings,
) -> bool:
    """Whether the one-row cells of the grid's first row that hold text (at least
    ``numbers_row_cells`` of them) hold digits in ``numbers_row_share`` of them
    (:meth:`TextBlobs.kind`): a body row of values, not a header row of headings (a parent
    heading over several columns is words).  A cell under a seal's ring (a blob taller than any
    glyph) is left out: the ring's ticks and star read as letters whatever is printed there."""
    kinds = [
        blobs.kind(cols[c], rows[0], cols[c + cs], rows[1])
        for r, c, rs, cs in cells
        if r == 0 and rs == 1 and not blobs.sealed(cols[c], rows[0], cols[c + cs], rows[1])
    ]
    filled = [k for k in kinds if k]
    return len(filled) >= settings.numbers_row_cells and sum(
        k == DIGITS for k in filled
    ) >= settings.numbers_row_share * len(filled)


def _blank_bands(cover: np.ndarray, min_len: float) -> list[tuple[int, int]]:
    """Runs [a, b) of zeros in ``cover`` at least ``min_len`` long, the ends of the array left out."""
    return [(a, b) for a, b in _zero_runs(cover) if b - a >= min_len and a > 0 and b < len(cover)]


def _zero_runs(cover: np.ndarray) -> list[tuple[int, int]]:
    """Every run [a, b) of zeros in ``cover``."""
    zero = np.concatenate([[False], cover == 0, [False]])
    edges = np.flatnonzero(np.diff(zero.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _band_cuts(
    blobs: TextBlobs, lo: int, hi: int, parts: Sequence[int], gap: float, min_size: float, vertical: bool
) -> list[tuple[int, int, int]]:
    """Where a blank band at least ``gap`` wide crosses the slab lo..hi (rows when ``vertical``,
    else columns), at least ``min_size`` from both ends: ``(position, both, filled)`` where
    ``both`` counts the ``parts`` (the slab cut the other way at these edges) with text on both
    sides of the band and ``filled`` those with text on either side."""
    a0, a1 = parts[0], parts[-1]
    if vertical:
        cover = blobs.coverage(lo, hi, a0, lo, a1, hi, vertical=True)
    else:
        cover = blobs.coverage(lo, hi, lo, a0, hi, a1, vertical=False)
    out = []
    for a, b in _blank_bands(cover, gap):
        t = lo + (a + b) // 2
        if t - lo < min_size or hi - t < min_size:
            continue
        out.append((t, *_sides(blobs, lo, t, hi, parts, vertical)))
    return out


def _sides(
    blobs: TextBlobs, lo: int, t: int, hi: int, parts: Sequence[int], vertical: bool
) -> tuple[int, int]:
    """``(both, filled)``: how many of ``parts`` hold text on both sides of the cut at ``t``
    across the slab lo..hi, and on either side."""
    both = filled = 0
    for p0, p1 in itertools.pairwise(parts):
        if vertical:
            first, second = blobs.any_in(p0, lo, p1, t), blobs.any_in(p0, t, p1, hi)
        else:
            first, second = blobs.any_in(lo, p0, t, p1), blobs.any_in(t, p0, hi, p1)
        both += first and second
        filled += first or second
    return both, filled


def text_rows(
    rows: Sequence[int],
    cols: Sequence[int],
    start: int,
    end: int,
    blobs: TextBlobs,
    dpi: float,
    settings: TextEvidenceSettings,
) -> list[int]:
    """``rows`` plus the edges found from text lines in body rows (``start`` to ``end``) much
    taller than the median body row (see the module docstring)."""
    heights = np.diff(rows)[start:end]
    # a body row alone (a table's last rows at the top of a page) has no median: its STTs only
    median = float(np.median(heights)) if len(heights) >= 2 else float("inf")
    gap = mm_to_px(settings.min_row_gap_mm, dpi)
    min_row = mm_to_px(settings.min_row_mm, dpi)
    out = list(rows)
    for r in range(start, end):
        found: list[int] = []
        if rows[r + 1] - rows[r] >= settings.tall_row_factor * median:
            cuts = _band_cuts(blobs, rows[r], rows[r + 1], cols, gap, min_row, vertical=True)
            found = [
                y
                for y, both, filled in cuts
                if _row_break(blobs, cols, rows[r], rows[r + 1], both, filled, settings)
            ]
        # no blank band across the table (a worn rule's dashes, a speck on it): the STTs say
        out.extend(found or _index_cuts(blobs, cols, rows[r], rows[r + 1], dpi, settings))
    return sorted(out)


def _row_break(
    blobs: TextBlobs,
    cols: Sequence[int],
    top: int,
    bottom: int,
    both: int,
    filled: int,
    settings: TextEvidenceSettings,
) -> bool:
    """Whether a cut across the body row ``top``..``bottom`` with text on both sides in ``both``
    columns (of ``filled`` holding text) parts two printed rows."""
    return both >= max(settings.min_split_cells, settings.min_split_share * filled) and not within_one_item(
        blobs, cols, top, bottom, both, filled, VALUE_COLUMNS
    )


def _index_cuts(
    blobs: TextBlobs, cols: Sequence[int], top: int, bottom: int, dpi: float, settings: TextEvidenceSettings
) -> list[int]:
    """Row edges in the body row ``top``..``bottom`` (of any height) between the text lines of
    its STT column: a table prints one STT on each row, so two lines of it there, each clear of
    the label column, with the label column holding text beside each, are two rows whose rule
    was lost.  The edge is the middle of the longest stretch between the two STTs that no text
    of the table crosses (:meth:`TextBlobs.crosses_row`: a worn rule's dashes, a speck or a
    seal's stroke on it do not count), at least ``min_row_mm`` from the row's rules, with text
    on both sides in enough columns (as for a tall row).  Rows of two or three wrapped lines
    beside rows of one make the height test blind (dev 205's 13B: "II Duy trì, cải tiến hệ
    thống" over "1 Thực hiện công bố lại ISO", one grid row, their STTs, labels and values in
    one cell each; not paired with the print)."""
    if not settings.index_rows or len(cols) <= VALUE_COLUMNS + 1:
        return []
    margin = mm_to_px(settings.edge_margin_mm, dpi)
    h_margin = mm_to_px(settings.row_edge_margin_mm, dpi)
    reach = mm_to_px(settings.remnant_width_mm, dpi)
    clear = mm_to_px(settings.seal_clear_mm, dpi)
    min_row = mm_to_px(settings.min_row_mm, dpi)
    gap = mm_to_px(settings.min_row_gap_mm, dpi)
    lines = _text_lines(blobs, cols[0], top, cols[1], bottom, gap)
    lines = sorted(lines + _dash_marks(blobs, cols[0], top, cols[1], bottom, lines, dpi, settings))
    out: list[int] = []
    for (_a, g0), (g1, _b) in itertools.pairwise(lines):
        lo, hi = max(g0, round(top + min_row)), min(g1, round(bottom - min_row))
        free = np.array(
            [not blobs.crosses_row(y, cols[0], cols[-1], h_margin, reach, clear) for y in range(lo, hi)], bool
        )
        runs = _zero_runs(~free) if free.size else []
        if not runs:
            continue
        a, b = max(runs, key=lambda run: run[1] - run[0])
        y = lo + (a + b) // 2
        upper, lower = (out[-1] if out else top, y), (y, bottom)
        if not all(
            blobs.any_in(cols[1], y0, cols[2], y1)
            and not blobs.crosses_v(cols[1], y0 + reach, y1 - reach, margin, reach)  # the rules' dashes
            for y0, y1 in (upper, lower)
        ):
            continue
        both, filled = _sides(blobs, top, y, bottom, cols, True)
        above, below = blobs.any_in(cols[0], top, cols[1], y), blobs.any_in(cols[0], y, cols[1], bottom)
        if not (above and below):  # a "-" on a side: the STT column holds an index on both
            both, filled = both + 1, filled + (not (above or below))
        if _row_break(blobs, cols, top, bottom, both, filled, settings):
            out.append(y)
    return out


def _dash_marks(
    blobs: TextBlobs,
    x0: int,
    y0: int,
    x1: int,
    y1: int,
    lines: Sequence[tuple[int, int]],
    dpi: float,
    settings: TextEvidenceSettings,
) -> list[tuple[int, int]]:
    """The STT column's "-" marks in the box (a sub-item's STT: 2B's and 9B's "- Số văn bản …"),
    as ``(top, bottom)``: dashes -- lower than a letter, at least half a letter and twice their
    height wide, at most two letters wide -- centred in the column (within a letter of its
    middle: a worn rule's pieces lie anywhere along it, most of them off the middle or longer)
    and on no text line of the column (``lines``)."""
    letter = mm_to_px(settings.letter_mm, dpi)
    w, h = blobs.x1 - blobs.x0, blobs.y1 - blobs.y0
    middle = np.abs((blobs.x0 + blobs.x1) / 2 - (x0 + x1) / 2) <= letter
    sel = blobs._in(x0, y0, x1, y1) & (h < letter) & (w >= letter / 2) & (w >= 2 * h) & (w <= 2 * letter)
    out: list[tuple[int, int]] = []
    for i in np.flatnonzero(sel & middle).tolist():
        a, b = int(blobs.y0[i]), int(blobs.y1[i])
        if not any(t <= (a + b) / 2 <= u for t, u in lines):
            out.append((a, b))
    return out


def _text_lines(blobs: TextBlobs, x0: int, y0: int, x1: int, y1: int, gap: float) -> list[tuple[int, int]]:
    """The text lines ``(top, bottom)`` of letter-sized glyphs in the box, apart by at least
    ``gap`` (marks and specks left out)."""
    sel = blobs._in(x0, y0, x1, y1) & blobs.tall
    cover = np.zeros(max(0, y1 - y0) + 1, np.int32)
    np.add.at(cover, np.clip(blobs.y0[sel] - y0, 0, y1 - y0), 1)
    np.add.at(cover, np.clip(blobs.y1[sel] - y0, 0, y1 - y0), -1)
    ink = np.cumsum(cover)[: y1 - y0] > 0
    lines = [(y0 + a, y0 + b) for a, b in _zero_runs(~ink)]
    merged: list[tuple[int, int]] = []
    for a, b in lines:
        if merged and a - merged[-1][1] < gap:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def text_columns(
    rows: Sequence[int],
    cols: Sequence[int],
    start: int,
    end: int,
    blobs: TextBlobs,
    dpi: float,
    settings: TextEvidenceSettings,
) -> list[int]:
    """``cols`` plus the edges found where a blank band runs down every body row (``start`` to
    ``end``) of a column with text on both sides in most rows (see the module docstring)."""
    body = rows[start : end + 1]
    if len(body) - 1 < settings.min_col_rows:
        return list(cols)
    gap = mm_to_px(settings.min_col_gap_mm, dpi)
    min_col = mm_to_px(settings.min_col_mm, dpi)
    need = max(settings.min_col_rows, settings.min_split_share * (len(body) - 1))
    out = list(cols)
    for c in range(len(cols) - 1):
        cuts = [
            _clear_of_header(blobs, cols[c], cols[c + 1], x, rows, start, end)
            for x, both, _ in _band_cuts(blobs, cols[c], cols[c + 1], body, gap, min_col, vertical=False)
            if both >= need
        ]
        out.extend(_cuts_with_columns(blobs, cols[c], cols[c + 1], sorted(cuts), rows, start, end, need))
    return sorted(out)


def _cuts_with_columns(
    blobs: TextBlobs,
    lo: int,
    hi: int,
    cuts: Sequence[int],
    rows: Sequence[int],
    start: int,
    end: int,
    need: float,
) -> list[int]:
    """The ``cuts`` of the column lo..hi (each a blank band down the body with text on both sides
    of it somewhere in the slab) that leave printed columns between them.  Two cuts with no
    glyph between them, header included, are one lost rule (its remnants split the blank band
    in two): one cut at their middle.  A piece between two cuts (or a cut and a rule) holding
    text in fewer than ``need`` body rows and no heading is no column: the cut beside it with
    text on both sides in the fewest rows goes, until none is left (dev_072's 3B: the word
    space in "... tại Bảng" ran down the body, its right side "Bảng" alone, and the values
    farther right counted as that cut's other side)."""
    top, y0, y1 = rows[0], rows[start], rows[end]
    merged: list[int] = []
    for x in cuts:
        if merged and not blobs.any_in(merged[-1], top, x, y1):
            merged[-1] = (merged[-1] + x) // 2
        else:
            merged.append(x)
    slabs = list(itertools.pairwise(rows[start : end + 1]))

    def filled(a: int, b: int) -> int:
        return sum(blobs.any_in(a, r0, b, r1) for r0, r1 in slabs)

    def both(a: int, x: int, b: int) -> int:
        return sum(blobs.any_in(a, r0, x, r1) and blobs.any_in(x, r0, b, r1) for r0, r1 in slabs)

    def column(a: int, b: int) -> bool:
        return filled(a, b) >= need or (start > 0 and blobs.any_in(a, top, b, y0))

    while merged:
        edges = [lo, *merged, hi]
        weak = [
            i
            for i in range(1, len(edges) - 1)
            if not (column(edges[i - 1], edges[i]) and column(edges[i], edges[i + 1]))
        ]
        if not weak:
            break
        i = min(weak, key=lambda i: both(edges[i - 1], edges[i], edges[i + 1]))
        del merged[i - 1]
    return merged


def _clear_of_header(
    blobs: TextBlobs, lo: int, hi: int, x: int, rows: Sequence[int], start: int, end: int
) -> int:
    """``x``, a column cut in the blank band of the body rows ``start`` to ``end`` between
    ``lo`` and ``hi``, moved within that band to the middle of its widest part that the header's
    text above leaves blank too (a heading centred in a wide column may reach into the band)."""
    below = blobs.coverage(lo, hi, lo, rows[start], hi, rows[end], vertical=False)
    k = x - lo
    if not 0 <= k < len(below) or below[k]:
        return x
    a, b = k, k + 1
    while a > 0 and below[a - 1] == 0:
        a -= 1
    while b < len(below) and below[b] == 0:
        b += 1
    whole = blobs.coverage(lo, hi, lo, rows[0], hi, rows[end], vertical=False)
    return lo + _centre_of_widest_blank(whole[a:b], a, b)


def header_row_columns(
    rows: Sequence[int],
    cols: Sequence[int],
    start: int,
    end: int,
    blobs: TextBlobs,
    dpi: float,
    settings: TextEvidenceSettings,
) -> list[int]:
    """``cols`` plus the edges where the header's last row (row ``start - 1``: the printed
    column numbers "(4) (5)", or the leaves' headings) holds text on both sides of a blank band
    at least ``min_header_gap_mm`` wide that runs on down every body row (``start`` to ``end``),
    and the body has text on both sides too (in any rows): two printed columns whose rule was
    lost over the whole height.  Unlike
    :func:`text_columns` it needs no count of body rows with text on both sides: the header row
    says that two columns are printed there (a short table, or a column blank in most rows)."""
    if start < 1 or end <= start:
        return list(cols)
    y0, y1 = rows[start - 1], rows[start]
    gap = mm_to_px(settings.min_header_gap_mm, dpi)
    min_col = mm_to_px(settings.min_col_mm, dpi)
    out = list(cols)
    for c in range(len(cols) - 1):
        lo, hi = cols[c], cols[c + 1]
        # blank down the header's last row and the body, then (where it can) the whole header too
        below = blobs.coverage(lo, hi, lo, y0, hi, rows[end], vertical=False)
        for a, b in _blank_bands(below, gap):
            x = _clear_of_header(blobs, lo, hi, lo + (a + b) // 2, rows, start - 1, end)
            if x - lo < min_col or hi - x < min_col:
                continue
            if _text_both_sides(blobs, lo, x, hi, (y0, y1), (rows[start], rows[end])):
                out.append(x)
    return sorted(out)


def _text_both_sides(blobs: TextBlobs, lo: int, x: int, hi: int, *bands: tuple[int, int]) -> bool:
    """Whether each band ``(y0, y1)`` holds text both between ``lo`` and ``x`` and between ``x``
    and ``hi``: the header's last row (two column numbers) and the body (a value somewhere in
    each column; the ring of a seal over the column numbers is no column's heading)."""
    return all(blobs.any_in(lo, y0, x, y1) and blobs.any_in(x, y0, hi, y1) for y0, y1 in bands)


def _centre_of_widest_blank(cover: np.ndarray, a: int, b: int) -> int:
    """The centre of the widest run of zeros of ``cover`` (offset by ``a``), else of ``a..b``:
    where a column cut crosses the fewest texts (the header's headings above the band)."""
    runs = _zero_runs(cover)
    if not runs:
        return (a + b) // 2
    s, e = max(runs, key=lambda run: run[1] - run[0])
    return a + (s + e) // 2


def _beside_blanks(
    first: bool, second: bool, near_first: int, near_second: int, more_first: int, more_second: int
) -> bool:
    """Whether a missing rule has text in the slot on one side (``near_*``: :meth:`TextBlobs.kind`)
    and only blank slots on the other (``more_*``: how many further slots the missing rules join
    on that side), a single one or the slot's text being digits: a value and the blank cells
    beside it ("0 |    "), not a section title printed across several columns."""
    return (bool(near_first) and not second and (more_second == 0 or near_first == DIGITS)) or (
        bool(near_second) and not first and (more_first == 0 or near_second == DIGITS)
    )


def split_separators(
    v_sep: np.ndarray,
    h_sep: np.ndarray,
    rows: Sequence[int],
    cols: Sequence[int],
    start: int,
    end: int,
    blobs: TextBlobs,
    dpi: float,
    settings: TextEvidenceSettings,
    found_rows: frozenset[int] = frozenset(),
    found_cols: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray]:
    """Copies of the separator tables of :func:`~.grid.separators` in which every missing
    separator between two body slots (rows ``start`` to ``end``) that no glyph crosses is printed.
    ``found_rows``, ``found_cols``: the edges found from the text (:func:`text_rows`,
    :func:`text_columns`) -- their separators need no text on both sides (a blank cell beside
    the break is a cell of its own row)."""
    v_out, h_out = v_sep.copy(), h_sep.copy()
    v_margin = mm_to_px(settings.edge_margin_mm, dpi)
    h_margin = mm_to_px(settings.row_edge_margin_mm, dpi)
    clear = mm_to_px(settings.seal_clear_mm, dpi)
    reach = mm_to_px(settings.remnant_width_mm, dpi)  # the perpendicular rules' remnants: left out
    for r in range(start, min(end, v_sep.shape[0])):
        y0, y1 = rows[r] + reach, rows[r + 1] - reach
        for c in np.flatnonzero(~v_sep[r]).tolist():
            # a header's merged cell: no rule above its inner edges (on a page without a header,
            # start 0, the rule printed in a row below will do)
            printed = v_sep[:r, c].any() or (start == 0 and v_sep[r + 1 :, c].any())
            if not printed and cols[int(c) + 1] not in found_cols:
                continue
            lo, hi = c, c + 1  # the run of slots the missing rules join, left and right of the edge
            while lo > 0 and not v_sep[r, lo - 1]:
                lo -= 1
            while hi < v_sep.shape[1] and not v_sep[r, hi]:
                hi += 1
            x = cols[c + 1]
            left, right = blobs.any_in(cols[lo], y0, x, y1), blobs.any_in(x, y0, cols[hi + 1], y1)
            alone = _beside_blanks(
                left,
                right,
                blobs.kind(cols[c], y0, x, y1),
                blobs.kind(x, y0, cols[c + 2], y1),
                c - lo,
                hi - c - 1,
            )
            evidence = x in found_cols or (left and right) or alone
            v_out[r, c] = evidence and not blobs.crosses_v(x, y0, y1, v_margin, reach)
    for r in range(start, min(end - 1, h_sep.shape[0])):
        for c in np.flatnonzero(~h_sep[r]).tolist():
            lo, hi = r, r + 1
            while lo > start and not h_sep[lo - 1, c]:
                lo -= 1
            while hi < h_sep.shape[0] and not h_sep[hi, c]:
                hi += 1
            x0, x1, y = cols[c] + reach, cols[c + 1] - reach, rows[r + 1]
            # text above and below: an item's STT or label printed once beside its sub-rows has
            # blank slots under it; a value beside one blank slot is cut from it only where it
            # stands in its own slot (_value_in_its_row)
            above, below = blobs.any_in(x0, rows[lo], x1, y), blobs.any_in(x0, y, x1, rows[hi + 1])
            evidence = (
                y in found_rows
                or (above and below)
                or (
                    c >= VALUE_COLUMNS
                    and hi - lo == 1
                    and _value_in_its_row(blobs, x0, x1, rows, r, clear, settings.row_centre_share)
                )
            )
            h_out[r, c] = evidence and not blobs.crosses_row(y, x0, x1, h_margin, reach, clear)
    _split_label_rows(v_out, h_out, rows, cols, start, end, blobs, reach, settings)
    return v_out, h_out


def _split_label_rows(
    v_out: np.ndarray,
    h_out: np.ndarray,
    rows: Sequence[int],
    cols: Sequence[int],
    start: int,
    end: int,
    blobs: TextBlobs,
    reach: float,
    settings: TextEvidenceSettings,
) -> None:
    """Cut a label cell over two numbered rows at the rule between them (in place).

    Where the STT column has the rule, an STT stands on each side apart from the label (text,
    digits on one side at least: :meth:`TextBlobs.kind`; a signature's stroke over the other),
    the value columns have the rule too (``min_split_share`` of them) and the label holds text
    above and below it.  A printed label never runs over two rows with STTs of their own: the
    rule broke, and whatever crosses its line (a signature, a seal's ring joined to a letter)
    does not make the two communes one row ("Xã Liên Trường" over "Xã Quảng Phương")."""
    label = VALUE_COLUMNS - 1
    if h_out.shape[1] <= VALUE_COLUMNS:
        return
    for r in range(start, min(end - 1, h_out.shape[0])):
        if h_out[r, label] or not h_out[r, 0] or not (v_out[r, 0] and v_out[r + 1, 0]):
            continue
        y = rows[r + 1]
        stt = [
            blobs.kind(cols[0] + reach, a + reach, cols[1] - reach, b - reach)
            for a, b in ((rows[r], y), (y, rows[r + 2]))
        ]
        x0, x1 = cols[label] + reach, cols[label + 1] - reach
        if (
            all(stt)
            and DIGITS in stt
            and h_out[r, VALUE_COLUMNS:].mean() >= settings.min_split_share
            and blobs.any_in(x0, rows[r] + reach, x1, y - reach)
            and blobs.any_in(x0, y + reach, x1, rows[r + 2] - reach)
        ):
            h_out[r, label] = True


def _value_in_its_row(
    blobs: TextBlobs, x0: float, x1: float, rows: Sequence[int], r: int, clear: float, centre_share: float
) -> bool:
    """Whether the column x0..x1 of body rows ``r`` and ``r + 1`` (one cell where their rule
    broke) holds a number (glyphs all about as tall, as :meth:`TextBlobs.kind`; a seal, a dash
    or a rule's piece left out) in one of the two slots only, at least
    ``clear`` from the line between them and centred in its slot (within ``centre_share`` of
    the slot's height): a value printed in its own row beside a blank cell.  A value printed
    once over two rows is centred on the line between them and crosses it."""
    ya, y, yb = rows[r], rows[r + 1], rows[r + 2]
    sel = blobs._in(x0, ya, x1, yb) & ~blobs.thin_h & ~blobs.thin_v
    for mark in (blobs.seal, blobs.flat):  # a seal over the cells, a dash or a rule's piece
        if mark is not None:
            sel &= ~mark
    heights = (blobs.y1 - blobs.y0)[sel & blobs.tall]
    if not len(heights) or heights.min() < UNIFORM_HEIGHT * heights.max():
        return False  # no number: no digits, or letters of several heights
    top, bottom = int(blobs.y0[sel].min()), int(blobs.y1[sel].max())
    if bottom <= y - clear:
        lo, hi = ya, y
    elif top >= y + clear:
        lo, hi = y, yb
    else:
        return False
    return abs((top + bottom) / 2 - (lo + hi) / 2) <= centre_share * (hi - lo)


def slot_components(v_sep: np.ndarray, h_sep: np.ndarray) -> np.ndarray:
    """Label of every slot (rows x cols, int): slots joined by missing separators share one."""
    nr, nc = v_sep.shape[0], h_sep.shape[1]
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r, c in zip(*np.nonzero(~v_sep), strict=True):
        a, b = find(int(r) * nc + int(c)), find(int(r) * nc + int(c) + 1)
        parent[max(a, b)] = min(a, b)
    for r, c in zip(*np.nonzero(~h_sep), strict=True):
        a, b = find(int(r) * nc + int(c)), find((int(r) + 1) * nc + int(c))
        parent[max(a, b)] = min(a, b)
    return np.array([find(i) for i in range(nr * nc)], np.int64).reshape(nr, nc)


def improper_cells(v_sep: np.ndarray, h_sep: np.ndarray) -> np.ndarray:
    """Slots (rows x cols, bool) of the components that are no cell as printed: not a rectangle
    (a rule missing on one side only), or a rectangle with a rule printed inside it.  Rules that
    are printed never leave such a shape: a broken rule does."""
    labels = slot_components(v_sep, h_sep)
    bad = np.zeros(labels.shape, bool)
    for label in np.unique(labels):
        rr, cc = np.nonzero(labels == label)
        r0, r1, c0, c1 = rr.min(), rr.max() + 1, cc.min(), cc.max() + 1
        if (
            len(rr) == (r1 - r0) * (c1 - c0)
            and not v_sep[r0:r1, c0 : c1 - 1].any()
            and not h_sep[r0 : r1 - 1, c0:c1].any()
        ):
            continue
        bad[rr, cc] = True
    return bad


def restore_broken_rules(
    v_sep: np.ndarray,
    h_sep: np.ndarray,
    rows: Sequence[int],
    cols: Sequence[int],
    blobs: TextBlobs,
    dpi: float,
    settings: TextEvidenceSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Copies of the separator tables in which the missing separators inside components that
    are no printed cell (:func:`improper_cells`) are restored where no glyph crosses their line,
    in three rounds, each only for the components still improper: first those with text on
    both sides, then the vertical ones, then the horizontal ones.

    Header rows too: a header whose rules lost 30-40 mm would otherwise be closed into one big
    cell (header text lost, columns unmapped, numbers under the wrong columns).  A component
    that is a rectangle without a rule inside (a parent header "Trong đó" over its sub-columns,
    a section title) is a real merged cell and is left alone; a separator crossed by text stays
    missing (the parent over its sub-columns keeps its span)."""
    v_out, h_out = v_sep.copy(), h_sep.copy()
    v_margin = mm_to_px(settings.edge_margin_mm, dpi)
    h_margin = mm_to_px(settings.row_edge_margin_mm, dpi)
    reach = mm_to_px(settings.remnant_width_mm, dpi)

    def text(r: int, c: int) -> bool:
        return blobs.any_in(cols[c] + reach, rows[r] + reach, cols[c + 1] - reach, rows[r + 1] - reach)

    def open_v(r: int, c: int) -> bool:
        return not blobs.crosses_v(cols[c + 1], rows[r] + reach, rows[r + 1] - reach, v_margin, reach)

    def open_h(r: int, c: int) -> bool:
        return not blobs.crosses_h(rows[r + 1], cols[c] + reach, cols[c + 1] - reach, h_margin, reach)

    rounds = (
        (lambda r, c: text(r, c) and text(r, c + 1), lambda r, c: text(r, c) and text(r + 1, c)),
        (lambda r, c: True, lambda r, c: False),
        (lambda r, c: False, lambda r, c: True),
    )
    for v_evidence, h_evidence in rounds:
        bad = improper_cells(v_out, h_out)
        if not bad.any():
            break
        for r, c in zip(*np.nonzero(~v_out & bad[:, :-1] & bad[:, 1:]), strict=True):
            if v_evidence(r, c) and open_v(r, c):
                v_out[r, c] = True
        for r, c in zip(*np.nonzero(~h_out & bad[:-1, :] & bad[1:, :]), strict=True):
            if h_evidence(r, c) and open_h(r, c):
                h_out[r, c] = True
    return v_out, h_out


def split_header_leaves(
    v_sep: np.ndarray,
    h_sep: np.ndarray,
    cells: Sequence[tuple[int, int, int, int]],
    rows: Sequence[int],
    cols: Sequence[int],
    start: int,
    end: int,
    blobs: TextBlobs,
    dpi: float,
    settings: TextEvidenceSettings,
    found_cols: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray]:
    """Copies of the separator tables in which the header's leaves are cut from each other and
    from the body where their rules broke:

    - a header cell that reaches down to the body (row ``start``, or the low row above it: the
      printed column-number row) over several columns is cut along every inner line that is a
      rule in the body below (printed in ``min_split_share`` of the body rows ``start`` to
      ``end``, or one of ``found_cols``: found from the text), in each of its rows that no glyph
      crosses there;
    - a header cell running on into the body is cut at the body's first row where no glyph
      crosses that line: the header ends on one line across the table (a header of at least two
      rows: one row above the body may be a continuation page's first body row, its item's STT
      and label printed once beside the sub-rows below).

    A header's last cells are its leaves, one per data column: a leaf over two data columns with
    text on both sides of the body's rule is a leaf whose rule broke ("Tổng số TTHC" and "Hồ sơ
    đã tiếp nhận" read as one).  A cell across the whole table is left alone (a title printed
    in the table's first row is no leaf).  A parent
    printed over its leaves ("Trong đó") ends above them and is left alone, and so is the part
    of a cell that text crosses (a parent cell merged down with its leaves keeps its row)."""
    v_out, h_out = v_sep.copy(), h_sep.copy()
    if start <= 0 or end <= start:
        return v_out, h_out
    bottoms = {start}
    if start >= 2 and rows[start] - rows[start - 1] <= mm_to_px(settings.number_row_mm, dpi):
        bottoms.add(start - 1)
    body = v_sep[start:end]
    ruled = (body.mean(axis=0) >= settings.min_split_share) & body.any(axis=0)
    ruled |= np.isin(np.asarray(cols[1:-1]), list(found_cols))  # a lost rule the text found
    margins = _Margins.of(settings, dpi)
    for r, c, rs, cs in cells:
        if r < start < r + rs and start >= 2:
            # one row above the body may be a continuation page's first row (an item's STT and
            # label printed once beside its sub-rows): no header
            _end_header(h_out, c, cs, rows[start], start, cols, blobs, margins)
        elif r < start and 2 <= cs < len(cols) - 1 and r + rs in bottoms:
            _cut_leaves(v_out, r, c, rs, cs, rows, cols, ruled, blobs, margins)
    return v_out, h_out


@dataclass(frozen=True)
class _Margins:
    """How close a glyph may come to a missing rule's line (vertical, horizontal) and how wide
    the rules' own remnants are, in pixels."""

    v: float
    h: float
    reach: float

    @classmethod
    def of(cls, settings: TextEvidenceSettings, dpi: float) -> _Margins:
        return cls(
            mm_to_px(settings.edge_margin_mm, dpi),
            mm_to_px(settings.row_edge_margin_mm, dpi),
            mm_to_px(settings.remnant_width_mm, dpi),
        )


def _end_header(
    h_out: np.ndarray, c: int, cs: int, y: int, start: int, cols: Sequence[int], blobs: TextBlobs, m: _Margins
) -> None:
    """Cut a header cell over columns ``c`` to ``c + cs`` at the body's first row (line ``y``),
    where no glyph crosses it (in place)."""
    for k in range(c, c + cs):
        if not blobs.crosses_h(y, cols[k] + m.reach, cols[k + 1] - m.reach, m.h, m.reach):
            h_out[start - 1, k] = True


def _cut_leaves(
    v_out: np.ndarray,
    r: int,
    c: int,
    rs: int,
    cs: int,
    rows: Sequence[int],
    cols: Sequence[int],
    ruled: np.ndarray,
    blobs: TextBlobs,
    m: _Margins,
) -> None:
    """Cut the header cell (r, c, rs, cs) along each inner line that is ``ruled`` in the body
    and has text on both sides, in each of its rows no glyph crosses there (in place)."""
    top, bottom = rows[r] + m.reach, rows[r + rs] - m.reach
    for k in range(c, c + cs - 1):
        left = blobs.any_in(cols[k] + m.reach, top, cols[k + 1] - m.reach, bottom)
        right = blobs.any_in(cols[k + 1] + m.reach, top, cols[k + 2] - m.reach, bottom)
        if not (ruled[k] and left and right):
            continue
        for rr in range(r, r + rs):
            if not blobs.crosses_v(cols[k + 1], rows[rr] + m.reach, rows[rr + 1] - m.reach, m.v, m.reach):
                v_out[rr, k] = True
