"""Page images for the reviewer, rendered on demand from the source file.

Nothing is kept from the run but the source: a page is loaded again at the DPI the run recorded,
turned by the recorded quarter turn and deskewed by the recorded angle -- the same steps as
:func:`extract.preprocess.prepare_page` -- so the stored cell boxes fall on the same pixels.  The
last few prepared pages are kept in memory (``review.page_cache`` of pipeline.yaml): a reviewer
walking down a table decodes each page once.

The page overlay is :func:`extract.debug_overlay.draw_overlay`: the detected grid, every flagged
cell outlined in red, the current cell outlined more heavily.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ..debug_overlay import draw_overlay
from ..errors import ExtractError
from ..model import PixelBox, TableGrid

CURRENT_BGR = (255, 0, 255)


@dataclass(frozen=True)
class PageGeometry:
    """What the run recorded about a prepared page (the ``pages`` table)."""

    path: str  # the file to read (an archive member's cache copy)
    page_index: int  # 0-based
    dpi: float
    rotation: int  # clockwise quarter turn applied, degrees
    skew_deg: float  # deskew angle applied (counter-clockwise), degrees


def prepared_gray(geometry: PageGeometry) -> np.ndarray:
    """The prepared grayscale page the cell boxes refer to (see the module doc).

    Raises :class:`extract.errors.InputFileError` when the source can no longer be read.
    """
    from ..ingest import load_page
    from ..preprocess import rotate, rotate_quarter, to_gray

    page = load_page(geometry.path, geometry.page_index, dpi=geometry.dpi)
    gray = to_gray(page.image)
    if geometry.rotation:
        gray = rotate_quarter(gray, geometry.rotation)
    if geometry.skew_deg:
        gray = rotate(gray, geometry.skew_deg, fill=int(np.median(gray[::16, ::16])))
    return gray


class PageCache:
    """The last ``size`` prepared pages, keyed by their :class:`PageGeometry`; thread-safe.

    Two requests for a page being rendered (the background prefetch and the crop) share one
    rendering."""

    def __init__(self, size: int, render: Callable[[PageGeometry], np.ndarray] = prepared_gray) -> None:
        self.size = size
        self.render = render
        self.renders = 0  # pages rendered so far (for tests and the benchmark)
        self._pages: OrderedDict[PageGeometry, np.ndarray] = OrderedDict()
        self._pending: dict[PageGeometry, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, geometry: PageGeometry) -> np.ndarray:
        while True:
            with self._lock:
                if geometry in self._pages:
                    self._pages.move_to_end(geometry)
                    return self._pages[geometry]
                waiting = self._pending.get(geometry)
                if waiting is None:
                    done = self._pending[geometry] = threading.Event()
                    break
            waiting.wait()  # another thread renders it; then look again (it may have failed)
        try:
            gray = self.render(geometry)
            with self._lock:
                self.renders += 1
                self._pages[geometry] = gray
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
            return gray
        finally:
            with self._lock:
                del self._pending[geometry]
            done.set()


def crop(gray: np.ndarray, box: PixelBox, margin_px: int) -> np.ndarray:
    """The cell ``box`` with ``margin_px`` of page around it (clipped to the page)."""
    h, w = gray.shape[:2]
    x0, y0 = max(0, box.x0 - margin_px), max(0, box.y0 - margin_px)
    x1, y1 = min(w, box.x1 + margin_px), min(h, box.y1 + margin_px)
    if x1 <= x0 or y1 <= y0:
        raise ExtractError(f"cell box {box.as_tuple()} lies outside the page ({w}x{h} pixels)")
    return gray[y0:y1, x0:x1]


def overlay(
    gray: np.ndarray,
    grids: Iterable[TableGrid],
    flagged: Sequence[PixelBox],
    current: PixelBox | None,
    max_width: int,
) -> np.ndarray:
    """The page with its grids and flagged cells (``draw_overlay``), the ``current`` cell outlined
    in magenta, scaled down to at most ``max_width`` pixels wide."""
    img = draw_overlay(gray, grids, flagged)
    if current is not None:
        lw = max(2, round(max(img.shape[:2]) / 400))
        pad = 2 * lw
        cv2.rectangle(
            img, (current.x0 - pad, current.y0 - pad), (current.x1 + pad, current.y1 + pad), CURRENT_BGR, lw
        )
    h, w = img.shape[:2]
    if w > max_width:
        img = cv2.resize(img, (max_width, round(h * max_width / w)), interpolation=cv2.INTER_AREA)
    return img


def png(image: np.ndarray) -> bytes:
    """PNG bytes of a gray or BGR image (cell crops: exact pixels)."""
    ok, buf = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ExtractError("cannot encode the image as PNG")
    return buf.tobytes()


def jpeg(image: np.ndarray, quality: int) -> bytes:
    """JPEG bytes of a gray or BGR image (whole pages: several times faster to encode than PNG)."""
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ExtractError("cannot encode the image as JPEG")
    return buf.tobytes()


__all__ = ["PageCache", "PageGeometry", "crop", "jpeg", "overlay", "png", "prepared_gray"]
