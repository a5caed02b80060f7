"""Degrade a clean rendered page the way a desk scanner and an old printer do.

A quality level is a :class:`ScanParams` (see :data:`QUALITIES`):

========  =====  ========  ==========  =====  ========  =====  ====  ===========  ========
level     dpi    skew      paper       noise  speckles  blur   JPEG  ruling lines  toner
========  =====  ========  ==========  =====  ========  =====  ====  ===========  ========
clean     300    0         white       0      0         0      --    intact        even
mild      300    ±1°       238-250     2.5    0.02/cm²  0.05mm 60    intact        ±8 %
hard      200    0.8-3°    212-236     7      0.25/cm²  0.09mm 40    faded/broken  ±25 %
worn      200    0.5-2.5°  212-236     6      0.35/cm²  0.08mm 40    + 5-40mm gaps ±40 %
fax       150    ±1°       240-250     3      0.15/cm²  0.05mm --    few gaps      bilevel
========  =====  ========  ==========  =====  ========  =====  ====  ===========  ========

``worn`` adds what :mod:`extract.synth.wear` does: about 8 stretches a page where a ruling line
did not print (5-40 mm each), a red seal (35 % of pages) or a signature (30 %) over the
content, the spine's shadow (40 %) and a page curl of up to 1.2 mm; those draws come from their
own generator, so the other levels scan exactly as before.

(skew is drawn uniformly with a random sign; noise is the Gaussian sigma in gray levels.)  Lengths
are in millimetres so the look does not depend on the DPI.  Every random choice comes from one
``numpy.random.Generator`` seeded by the caller: the same image, parameters and seed give the same
bytes.

Geometry: the page is rotated by ``skew_deg`` (counter-clockwise as displayed, OpenCV's convention)
about its centre on a canvas of the same size, then optionally turned by whole quarter turns
clockwise (``rotation`` degrees, for orientation tests).  :attr:`Scan.transform` is the 3x3 matrix
that maps a clean-page pixel ``(x, y, 1)`` to the scanned image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..units import mm_to_px, mm_to_whole_px
from . import wear

LINE_MIN_MM = 6.0  # a straight ink run at least this long is a ruling line, not a letter
FADE_PATCH_MM = 12.0  # side of the squares in which a ruling line fades
BREAK_PATCH_MM = 1.6  # side of the squares in which a ruling line breaks
FADE_KEEP = (0.2, 0.6)  # remaining ink darkness inside a faded patch
ILLUMINATION_GRID = (3, 4)  # coarse grid of the uneven-illumination field (rows, cols)
FIELD_STEP = 16  # smooth fields are computed on a grid this many pixels apart, then resized
SPECKLE_RADIUS_MM = (0.06, 0.22)
EDGE_SHADOW_MM = (2.0, 6.0)  # width of the dark band along one edge (scanner lid), when enabled


class ScanParams(BaseModel):
    """Documented parameters of one degradation level (lengths in mm, gray levels 0..255)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dpi: int = Field(default=300, gt=0)  # resolution the page is rendered and scanned at
    skew_min_deg: float = Field(
        default=0.0, ge=0
    )  # |skew| is drawn uniformly from [min, max] with a random sign
    skew_max_deg: float = Field(default=0.0, ge=0)
    paper: tuple[int, int] = (255, 255)  # range of the paper's gray level (one draw per page)
    ink: tuple[int, int] = (0, 0)  # range of the ink's gray level
    illumination: float = Field(default=0.0, ge=0, le=0.5)  # peak relative darkening by uneven lighting
    toner_variation: float = Field(default=0.0, ge=0, le=0.9)  # peak relative lightening of the print
    noise_sigma: float = Field(default=0.0, ge=0)  # Gaussian noise, gray levels
    speckles_per_cm2: float = Field(default=0.0, ge=0)  # dark dust specks
    blur_sigma_mm: float = Field(default=0.0, ge=0)  # Gaussian blur of the optics
    jpeg_quality: int | None = Field(default=None, ge=5, le=100)  # JPEG round trip (None: none)
    line_fade: float = Field(default=0.0, ge=0, le=1)  # share of ruling-line length that fades
    line_break: float = Field(default=0.0, ge=0, le=1)  # share of ruling-line length that breaks off
    edge_shadow: bool = False  # a dark band along one edge of the page
    bilevel: bool = False  # threshold to black and white (fax-like scans)
    bilevel_threshold: float = Field(default=0.55, gt=0, lt=1)  # of the paper level
    # worn prints (extract.synth.wear); off by default, so the levels above scan as before
    rule_gaps: int = Field(default=0, ge=0)  # stretches of ruling line that did not print, a page
    rule_gap_mm: tuple[float, float] = (5.0, 40.0)  # length of each stretch (uniform)
    seal_prob: float = Field(default=0.0, ge=0, le=1)  # a red seal over the content
    signature_prob: float = Field(default=0.0, ge=0, le=1)  # a signature stroke over the content
    binding_shadow_prob: float = Field(default=0.0, ge=0, le=1)  # the spine's dark band
    curl_mm: float = Field(default=0.0, ge=0)  # page curl: largest shift of a line at the edge


QUALITIES: dict[str, ScanParams] = {
    "clean": ScanParams(),
    "mild": ScanParams(
        dpi=300,
        skew_max_deg=1.0,
        paper=(238, 250),
        ink=(10, 30),
        illumination=0.04,
        toner_variation=0.08,
        noise_sigma=2.5,
        speckles_per_cm2=0.02,
        blur_sigma_mm=0.05,
        jpeg_quality=60,
    ),
    "hard": ScanParams(
        dpi=200,
        skew_min_deg=0.8,
        skew_max_deg=3.0,
        paper=(212, 236),
        ink=(25, 60),
        illumination=0.12,
        toner_variation=0.25,
        noise_sigma=7.0,
        speckles_per_cm2=0.25,
        blur_sigma_mm=0.09,
        jpeg_quality=40,
        line_fade=0.25,
        line_break=0.06,
        edge_shadow=True,
    ),
    # hard, and a worn print: rule gaps of 5-40 mm, faded toner, photocopy speckle, seals and
    # signatures over cells, the spine's shadow, page curl (the population benchmark's "hard")
    "worn": ScanParams(
        dpi=200,
        skew_min_deg=0.5,
        skew_max_deg=2.5,
        paper=(212, 236),
        ink=(25, 60),
        illumination=0.12,
        toner_variation=0.4,
        noise_sigma=6.0,
        speckles_per_cm2=0.35,
        blur_sigma_mm=0.08,
        jpeg_quality=40,
        line_fade=0.25,
        line_break=0.04,
        edge_shadow=True,
        rule_gaps=8,
        seal_prob=0.35,
        signature_prob=0.3,
        binding_shadow_prob=0.4,
        curl_mm=1.2,
    ),
    # a 150-dpi fax: black and white, a little skew and speckle, a few rule gaps
    "fax": ScanParams(
        dpi=150,
        skew_max_deg=1.0,
        paper=(240, 250),
        ink=(10, 30),
        toner_variation=0.15,
        noise_sigma=3.0,
        speckles_per_cm2=0.15,
        blur_sigma_mm=0.05,
        line_fade=0.1,
        rule_gaps=3,
        bilevel=True,
    ),
}


def quality_params(quality: str | ScanParams) -> ScanParams:
    """The parameters of a named quality level (or the parameters themselves)."""
    if isinstance(quality, ScanParams):
        return quality
    try:
        return QUALITIES[quality]
    except KeyError:
        raise ValueError(f"quality must be one of {sorted(QUALITIES)}, got {quality!r}") from None


@dataclass(frozen=True, eq=False)
class Scan:
    """A degraded page: uint8 grayscale (0/255 only when ``bilevel``), and the geometry applied."""

    image: np.ndarray
    dpi: float
    skew_deg: float  # counter-clockwise as displayed
    rotation: int  # clockwise quarter turn applied after the skew: 0, 90, 180, 270
    transform: np.ndarray  # 3x3, clean page pixel -> scanned image pixel
    bilevel: bool
    wear: dict[str, object] = field(default_factory=dict)  # what extract.synth.wear applied, clean-page boxes


# ------------------------------------------------------------------------------------------------
# building blocks (array in, array out; inputs are never modified)


def ruling_mask(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Pixels of straight horizontal or vertical ink runs at least :data:`LINE_MIN_MM` long (bool)."""
    ink = (gray < 128).astype(np.uint8)
    length = max(3, mm_to_whole_px(LINE_MIN_MM, dpi))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return np.logical_or(horizontal > 0, vertical > 0)


def _patches(
    shape: tuple[int, int],
    cell: int,
    prob: float,
    rng: np.random.Generator,
    values: tuple[float, float] | None = None,
) -> np.ndarray:
    """A field of random square patches (side ``cell`` px, chosen with ``prob``): a per-pixel
    factor, 1 outside patches and a per-patch value drawn from ``values`` inside (0 if None)."""
    h, w = shape
    cell = max(1, cell)
    oy, ox = (int(v) for v in rng.integers(0, cell, size=2))
    gh, gw = (h + oy) // cell + 1, (w + ox) // cell + 1
    chosen = rng.random((gh, gw)) < prob
    level = rng.uniform(*values, size=(gh, gw)) if values else np.zeros((gh, gw))
    small = np.where(chosen, level, 1.0).astype(np.float32)
    big = np.repeat(np.repeat(small, cell, axis=0), cell, axis=1)
    return big[oy : oy + h, ox : ox + w]


def damage_lines(
    darkness: np.ndarray, mask: np.ndarray, dpi: float, fade: float, brk: float, rng: np.random.Generator
) -> np.ndarray:
    """Fade a share ``fade`` and break a share ``brk`` of the ruling-line pixels in ``mask``."""
    out = darkness.copy()
    if fade > 0:
        factor = _patches(out.shape, mm_to_whole_px(FADE_PATCH_MM, dpi), fade, rng, FADE_KEEP)
        out = np.where(mask, out * factor, out)
    if brk > 0:
        factor = _patches(out.shape, mm_to_whole_px(BREAK_PATCH_MM, dpi), brk, rng)
        out = np.where(mask, out * factor, out)
    return out.astype(np.float32)


def smooth_field(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A smooth random field in [0, 1] over the page: coarse noise plus a linear gradient.

    Computed on a grid :data:`FIELD_STEP` times coarser than the page, then resized.
    """
    h, w = shape
    sh, sw = max(2, h // FIELD_STEP + 1), max(2, w // FIELD_STEP + 1)
    coarse = rng.random(ILLUMINATION_GRID).astype(np.float32)
    field = cv2.resize(coarse, (sw, sh), interpolation=cv2.INTER_CUBIC)
    angle = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    field = field + (xx / (sw - 1)) * math.cos(angle) + (yy / (sh - 1)) * math.sin(angle)
    lo, hi = float(field.min()), float(field.max())
    field = (field - lo) / (hi - lo if hi > lo else 1.0)
    return cv2.resize(field.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def skew_matrix(shape: tuple[int, int], angle_deg: float) -> np.ndarray:
    """3x3 matrix rotating by ``angle_deg`` (counter-clockwise as displayed) about the centre."""
    h, w = shape
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle_deg, 1.0)
    return np.vstack([m, [0.0, 0.0, 1.0]])


def quarter_turn_matrix(shape: tuple[int, int], rotation: int) -> np.ndarray:
    """3x3 matrix of a clockwise turn by ``rotation`` degrees (0/90/180/270) of an image of ``shape``."""
    h, w = shape
    k = (rotation // 90) % 4
    if rotation % 90:
        raise ValueError(f"rotation must be a multiple of 90 degrees, got {rotation}")
    return {
        0: np.eye(3),
        1: np.array([[0.0, -1.0, h - 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
        2: np.array([[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0], [0.0, 0.0, 1.0]]),
        3: np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, w - 1.0], [0.0, 0.0, 1.0]]),
    }[k]


def quarter_turn(image: np.ndarray, rotation: int) -> np.ndarray:
    """``image`` turned clockwise by ``rotation`` degrees (a multiple of 90)."""
    if rotation % 90:
        raise ValueError(f"rotation must be a multiple of 90 degrees, got {rotation}")
    return np.ascontiguousarray(np.rot90(image, -((rotation // 90) % 4)))


def add_speckles(
    image: np.ndarray, dpi: float, per_cm2: float, level: float, rng: np.random.Generator
) -> np.ndarray:
    """Dark round specks (dust, toner) at ``per_cm2`` per square centimetre, gray ``level``."""
    out = image.copy()
    h, w = out.shape
    area_cm2 = (w / dpi * 2.54) * (h / dpi * 2.54)
    n = int(rng.poisson(per_cm2 * area_cm2))
    xs = rng.integers(0, w, n)
    ys = rng.integers(0, h, n)
    r_lo, r_hi = (mm_to_px(r, dpi) for r in SPECKLE_RADIUS_MM)
    radii = rng.uniform(r_lo, r_hi, n)
    for x, y, r in zip(xs, ys, radii, strict=False):
        cv2.circle(out, (int(x), int(y)), max(1, round(float(r))), float(level), -1, lineType=cv2.LINE_AA)
    return out


def jpeg_round_trip(image: np.ndarray, quality: int) -> np.ndarray:
    """``image`` (uint8) encoded as JPEG at ``quality`` and decoded again."""
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    decoded = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if decoded is None:
        raise RuntimeError("JPEG decoding failed")
    return np.asarray(decoded, dtype=np.uint8)


# ------------------------------------------------------------------------------------------------
# the scan


def degrade(
    image: np.ndarray,
    dpi: float,
    quality: str | ScanParams,
    seed: int,
    *,
    rotation: int = 0,
    skew_deg: float | None = None,
) -> Scan:
    """Scan a clean page: ``image`` is uint8 grayscale (255 paper, 0 ink) at ``dpi``.

    ``skew_deg`` overrides the random skew; ``rotation`` (clockwise degrees, a multiple of 90) turns
    the whole scan, as a page fed sideways or upside down.  Deterministic for a given ``seed``.
    """
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError(f"image must be 2-D uint8, got {image.dtype} {image.shape}")
    p = quality_params(quality)
    rng = np.random.default_rng(seed)
    h, w = image.shape
    if skew_deg is None:
        magnitude = rng.uniform(p.skew_min_deg, p.skew_max_deg) if p.skew_max_deg > 0 else 0.0
        skew_deg = float(magnitude * (1 if rng.random() < 0.5 else -1))
    paper = float(rng.uniform(*p.paper)) if p.paper[0] != p.paper[1] else float(p.paper[0])
    ink = float(rng.uniform(*p.ink)) if p.ink[0] != p.ink[1] else float(p.ink[0])

    darkness: np.ndarray = (255.0 - image.astype(np.float32)) / 255.0
    if p.line_fade > 0 or p.line_break > 0:
        darkness = damage_lines(darkness, ruling_mask(image, dpi), dpi, p.line_fade, p.line_break, rng)
    wear_done: dict[str, object] = {}
    if p.rule_gaps or p.seal_prob or p.signature_prob:  # own generator: the draws above stay as they were
        wrng = np.random.default_rng([seed, 41])
        if p.rule_gaps:
            darkness, gaps = wear.rule_gaps(
                darkness, dpi, int(wrng.poisson(p.rule_gaps)), p.rule_gap_mm, wrng
            )
            wear_done["rule_gaps"] = [list(b) for b in gaps]
        if wrng.random() < p.seal_prob:
            darkness, box = wear.seal(darkness, dpi, wrng)
            wear_done["seal"] = list(box)
        if wrng.random() < p.signature_prob:
            darkness, box = wear.signature(darkness, dpi, wrng)
            wear_done["signature"] = list(box)
    if p.toner_variation > 0:
        darkness = darkness * (1.0 - p.toner_variation * smooth_field((h, w), rng))
    paper_map: np.ndarray = np.full((h, w), paper, np.float32)
    if p.illumination > 0:
        paper_map = paper_map * (1.0 - p.illumination * smooth_field((h, w), rng))
    out: np.ndarray = paper_map - (paper_map - ink) * darkness

    matrix = skew_matrix((h, w), skew_deg)
    if skew_deg:
        out = cv2.warpAffine(
            out, matrix[:2], (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=paper
        )
    if p.edge_shadow:
        band = max(1, round(mm_to_px(float(rng.uniform(*EDGE_SHADOW_MM)), dpi)))
        side = int(rng.integers(0, 4))
        ramp = np.linspace(0.35, 1.0, band, dtype=np.float32)
        view = [out[:, :band], out[:, w - band :], out[:band, :], out[h - band :, :]][side]
        shade = [ramp[None, :], ramp[::-1][None, :], ramp[:, None], ramp[::-1][:, None]][side]
        view *= shade
    if p.curl_mm or p.binding_shadow_prob:
        wrng = np.random.default_rng([seed, 43])
        if p.curl_mm:
            out = wear.curl(out, dpi, float(wrng.uniform(0.3, 1.0)) * p.curl_mm, paper, wrng)
            wear_done["curl"] = True
        if wrng.random() < p.binding_shadow_prob:
            out = wear.binding_shadow(out, dpi, wrng)
            wear_done["binding_shadow"] = True
    if p.blur_sigma_mm > 0:
        out = cv2.GaussianBlur(out, (0, 0), mm_to_px(p.blur_sigma_mm, dpi))
    if p.noise_sigma > 0:
        out = out + rng.normal(0.0, p.noise_sigma, size=out.shape).astype(np.float32)
    if p.speckles_per_cm2 > 0:
        out = add_speckles(out, dpi, p.speckles_per_cm2, ink + 30.0, rng)
    page = np.clip(np.rint(out), 0, 255).astype(np.uint8)

    if p.bilevel:
        page = np.where(page < paper * p.bilevel_threshold, 0, 255).astype(np.uint8)
    elif p.jpeg_quality is not None:
        page = jpeg_round_trip(page, p.jpeg_quality)
    transform = quarter_turn_matrix((h, w), rotation) @ matrix
    page = quarter_turn(page, rotation)
    return Scan(page, dpi, float(skew_deg) + 0.0, rotation % 360, transform, p.bilevel, wear_done)


def map_box(box: tuple[int, int, int, int], transform: np.ndarray) -> tuple[int, int, int, int]:
    """Axis-aligned bounds, in the scan, of a clean-page box ``(x0, y0, x1, y1)`` moved by ``transform``."""
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64).T
    moved = transform @ corners
    return (
        math.floor(float(moved[0].min())),
        math.floor(float(moved[1].min())),
        math.ceil(float(moved[0].max())),
        math.ceil(float(moved[1].max())),
    )
