"""The only module that talks to tesseract.

Two back ends implement :class:`~extract.ocr.engine.OcrEngine`:

- :class:`TesseractEngine` (default) drives libtesseract in-process through ``tesserocr``.  One
  loaded ``PyTessBaseAPI`` per (tessdata, lang, psm) is cached per process and thread, so a worker
  pays the model load (~0.1 s) once and each cell costs a few milliseconds.
- :class:`PytesseractEngine` (fallback, when ``tesserocr`` cannot be imported) runs the
  ``tesseract`` program once per call through ``pytesseract`` (~100-150 ms a call).

Time limits.  ``tesserocr``: every ``Recognize`` gets ``timeout=`` in milliseconds (tesseract's
own ``ETEXT_DESC`` cancel monitor, checked between words; layout analysis before recognition is
not interruptible, so a call can overrun by that much).  A cancelled call returns ``False`` and
is raised as :class:`OcrTimeout`.  Over a page, the engine's ``deadline()`` budget shrinks each
call's limit and raises :class:`OcrTimeout` once it is spent.  ``pytesseract``: the subprocess
gets ``timeout=`` seconds and is killed when it runs over.

``OMP_THREAD_LIMIT=1`` is set before libtesseract loads: workers run one page each, and
tesseract's OpenMP threads only add contention.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import contextlib
import dataclasses
import functools
import itertools
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingDependencyError, OcrTimeout, ToolError
from ..model import Candidate, OcrLine, PixelBox, TextWord
from .cell_marks import keep_names
from .clean_scan import FULL_SEARCH
from .engine import OcrEngine, OcrSettings, PageTextSettings
from .marks import before_numbers, choose_in_context, choose_marks, keep_title_names, skeleton

INSTALL_ADVICE = (
    "install tesseract 5 and its Vietnamese model: apt-get install tesseract-ocr tesseract-ocr-vie "
    "(optionally tesseract-ocr-script-viet), or point ocr.tessdata / TESSDATA_PREFIX at the folder "
    "that holds vie.traineddata"
)
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
MIN_VERSION = (4, 0)  # LSTM models and whitelists with LSTM need tesseract >= 4
REQUIRED_LANGS = ("vie",)
OPTIONAL_LANGS = ("eng", "osd", "Vietnamese")
PSM_AUTO = 3  # page segmentation with layout analysis, no OSD
PSM_SPARSE = 11  # as much text as can be found, in no order (text the layout analysis left out)
PSM_SINGLE_LINE = 7
PSM_OSD_ONLY = 0
BLANK_CONTRAST = 40  # grey levels: an image with less contrast than this holds no text
TIMEOUT_SLACK = 0.8  # a cancelled call that ran at least this share of its budget timed out


@dataclass(frozen=True)
class TesseractInfo:
    """What :func:`probe` found: back end, version, the tessdata folder and its models."""

    backend: str  # "tesserocr" or "pytesseract"
    version: str  # "5.5.4"
    tessdata: str
    languages: tuple[str, ...]

    @property
    def has_osd(self) -> bool:
        return "osd" in self.languages

    def supports(self, lang: str) -> bool:
        """Whether every model of ``lang`` ("vie+eng") is installed."""
        return all(part in self.languages for part in lang.split("+"))


# --------------------------------------------------------------------------------------------
# probing


def _tesserocr() -> Any | None:
    try:
        import tesserocr
    except ImportError:
        return None
    return tesserocr


def _parse_version(text: str) -> tuple[str, tuple[int, int]]:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        raise MissingDependencyError(
            f"cannot read the tesseract version from {text[:80]!r}; {INSTALL_ADVICE}"
        )
    return match.group(0), (int(match.group(1)), int(match.group(2)))


def find_tessdata(explicit: str | None = None) -> str | None:
    """The folder holding ``*.traineddata``: ``explicit``, ``$TESSDATA_PREFIX``, then system paths."""
    candidates = [explicit] if explicit else []
    env = os.environ.get("TESSDATA_PREFIX")
    if env and not explicit:
        candidates += [env, os.path.join(env, "tessdata")]
    if not explicit:
        candidates += list(TESSDATA_DIRS)
    for folder in candidates:
        if folder and Path(folder).is_dir() and any(Path(folder).glob("*.traineddata")):
            return str(Path(folder))
    return explicit or None


def _languages(folder: str | None) -> tuple[str, ...]:
    if not folder or not Path(folder).is_dir():
        return ()
    return tuple(sorted(p.name[: -len(".traineddata")] for p in Path(folder).glob("*.traineddata")))


def probe(settings: OcrSettings | None = None) -> TesseractInfo:
    """Check tesseract's version and that the Vietnamese model is installed.

    Raises :class:`MissingDependencyError` (with install advice) when the back end asked for is
    missing, the version is older than 4.0, or ``vie.traineddata`` is absent.  ``eng``, ``osd``
    and ``Vietnamese`` are optional: readings that need them are skipped when they are missing.
    """
    settings = settings or OcrSettings()
    tessdata = find_tessdata(settings.tessdata)
    module = _tesserocr() if settings.engine in ("auto", "tesserocr") else None
    if module is not None:
        backend = "tesserocr"
        version, numbers = _parse_version(module.tesseract_version())
    elif settings.engine == "tesserocr":
        raise MissingDependencyError(
            f"the tesserocr module cannot be imported; pip install tesserocr, or {INSTALL_ADVICE}"
        )
    else:
        backend = "pytesseract"
        try:
            import pytesseract

            version, numbers = _parse_version(str(pytesseract.get_tesseract_version()))
        except ImportError as exc:
            raise MissingDependencyError(
                f"neither tesserocr nor pytesseract can be imported; {INSTALL_ADVICE}"
            ) from exc
        except (pytesseract.TesseractNotFoundError, OSError) as exc:
            raise MissingDependencyError(f"the tesseract program was not found; {INSTALL_ADVICE}") from exc
    if numbers < MIN_VERSION:
        raise MissingDependencyError(f"tesseract {version} is too old (need >= 4.0); {INSTALL_ADVICE}")
    langs = _languages(tessdata)
    missing = [lang for lang in REQUIRED_LANGS if lang not in langs]
    if missing:
        where = tessdata or "no tessdata folder found"
        raise MissingDependencyError(
            f"tesseract model(s) {', '.join(missing)} not found ({where}); {INSTALL_ADVICE}"
        )
    assert tessdata is not None
    return TesseractInfo(backend=backend, version=version, tessdata=tessdata, languages=langs)


# --------------------------------------------------------------------------------------------
# helpers shared by both back ends


def _clean(text: str) -> str:
    """NFC, each line stripped, blank lines dropped."""
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _as_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim != 2:
        raise ValueError(f"OCR input must be a 2-D uint8 array, got shape {image.shape}")
    return np.ascontiguousarray(image, dtype=np.uint8)


def _overlap(a: PixelBox, b: PixelBox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _blank(image: np.ndarray) -> bool:
    """No pixel is much darker than the brightest: tesseract would only hallucinate ("¬")."""
    return image.size == 0 or int(image.max()) - int(image.min()) < BLANK_CONTRAST


def _upright_from_osd(orient_deg: int) -> int:
    """tesseract's ``orient_deg`` is how far the content is turned clockwise; undo it."""
    return (360 - int(orient_deg)) % 360


# --------------------------------------------------------------------------------------------
# tesserocr


_LOCAL = threading.local()
OSD_DEFAULT_CHARACTERS = 50  # tesseract's min_characters_to_try


def _plain_candidate(api: Any, mode: str) -> Candidate:
    """The last recognition's text and mean confidence as read (no marks chosen)."""
    try:
        text = _clean(api.GetUTF8Text())
    except RuntimeError:  # tesserocr's "No text returned"
        text = ""
    confidence = float(api.MeanTextConf()) if text else 0.0
    return Candidate(text=text, confidence=max(0.0, min(100.0, confidence)), variant=mode)


class TesseractEngine(OcrEngine):
    """libtesseract through ``tesserocr``, one cached ``PyTessBaseAPI`` per (lang, psm)."""

    name = "tesserocr"

    def __init__(
        self,
        info: TesseractInfo,
        *,
        call_timeout_s: float = 20.0,
        osd_min_confidence: float = 2.0,
        osd_quick_characters: int = 0,
        osd_quick_min_confidence: float = 4.0,
        marks_max_zipf: float = -1.0,
        marks_context_max_drop: float = -1.0,
        marks_capitals_any: bool = False,
        marks_lower_min_rise: float = -1.0,
        marks_across_lines: bool = False,
        marks_number_words: Sequence[str] = (),
        invert_cells: bool = True,
    ) -> None:
        super().__init__(call_timeout_s)
        module = _tesserocr()
        if module is None:
            raise MissingDependencyError(f"the tesserocr module cannot be imported; {INSTALL_ADVICE}")
        self._tr = module
        self.info = info
        self.osd_min_confidence = osd_min_confidence
        self.osd_quick_characters = osd_quick_characters
        self.osd_quick_min_confidence = osd_quick_min_confidence
        self.marks_max_zipf = marks_max_zipf  # page text: see extract/ocr/marks.py (< 0: off)
        self.marks_context_max_drop = (
            marks_context_max_drop  # ... of valid words, by their neighbours (< 0: off)
        )
        self.marks_capitals_any = marks_capitals_any  # ... capitals: every spelling the dictionary knows
        self.marks_lower_min_rise = marks_lower_min_rise  # ... lower case, to a more frequent word (< 0: off)
        self.marks_across_lines = marks_across_lines  # ... neighbours across a paragraph's line breaks
        self.marks_number_words = tuple(marks_number_words)  # ... a number's name before a number
        self.invert_cells = invert_cells  # a cell's unsure line read inverted too (_cell_call)

    def supports(self, lang: str) -> bool:
        return self.info.supports(lang)

    def _api(self, lang: str, psm: int, min_characters: int = 0) -> Any:
        """The process' (and thread's) loaded API for ``lang``, set to page segmentation mode
        ``psm`` (and, for OSD, to ``min_characters_to_try``: ``min_characters``, or tesseract's
        50 when 0).  One API per language, not per (language, mode): each loaded model costs
        start-up time and memory."""
        cache: dict[tuple[Any, ...], Any] | None = getattr(_LOCAL, "apis", None)
        if cache is None or getattr(_LOCAL, "pid", None) != os.getpid():
            cache = _LOCAL.apis = {}
            _LOCAL.pid = os.getpid()
        key = (self.info.tessdata, lang)
        api = cache.get(key)
        if api is not None:
            if api.GetPageSegMode() != psm:
                api.SetPageSegMode(psm)
        else:
            if not self.supports(lang):
                raise MissingDependencyError(
                    f"tesseract model(s) for {lang!r} not in {self.info.tessdata}; {INSTALL_ADVICE}"
                )
            try:
                api = self._new_api(lang, psm)
            except RuntimeError as exc:
                raise MissingDependencyError(
                    f"tesseract cannot load {lang!r}: {exc}; {INSTALL_ADVICE}"
                ) from exc
            cache[key] = api
        if lang == "osd":
            api.SetVariable("min_characters_to_try", str(min_characters or OSD_DEFAULT_CHARACTERS))
        return api

    def _new_api(self, lang: str, psm: int) -> Any:
        """A loaded API; the LSTM engine only (same readings as the default, ~5% faster, and the
        legacy classifier of eng.traineddata is never loaded) where the model has one."""
        path = self.info.tessdata + os.sep
        if lang != "osd":
            try:
                return self._tr.PyTessBaseAPI(path=path, lang=lang, psm=psm, oem=self._tr.OEM.LSTM_ONLY)
            except RuntimeError:
                pass  # a legacy-only model: load it the default way
        return self._tr.PyTessBaseAPI(path=path, lang=lang, psm=psm)

    @contextlib.contextmanager
    def _cell_call(self, api: Any) -> Iterator[None]:
        """A table cell's reading: without tesseract's inverted second reading of an unsure line
        unless ``invert_cells`` (no cell of these reports is printed white on black); the page
        text's readings keep tesseract's default (a scan's dark border reads better with it)."""
        if self.invert_cells:
            yield
            return
        api.SetVariable("tessedit_do_invert", "0")
        try:
            yield
        finally:
            api.SetVariable("tessedit_do_invert", "1")

    def _recognize(self, api: Any, image: np.ndarray, dpi: float, what: str) -> None:
        budget = self.call_budget_s()
        gray = _as_gray(image)
        height, width = gray.shape
        api.SetImageBytes(gray.tobytes(), width, height, 1, width)
        api.SetSourceResolution(max(1, round(dpi)))
        started = time.monotonic()
        ok = api.Recognize(timeout=max(1, int(budget * 1000)))
        if not ok:
            elapsed = time.monotonic() - started
            api.Clear()
            if elapsed >= budget * TIMEOUT_SLACK:
                raise OcrTimeout(f"tesseract ({what}) ran past its {budget:.1f} s limit")
            raise ToolError(f"tesseract ({what}) failed to recognise a {width}x{height} image")

    def read(
        self,
        image: np.ndarray,
        dpi: float,
        *,
        mode: str,
        lang: str,
        psm: int,
        whitelist: str | None = None,
    ) -> Candidate:
        if _blank(image):
            return Candidate(text="", confidence=0.0, variant=mode)
        api = self._api(lang, psm)
        api.SetVariable("tessedit_char_whitelist", whitelist or "")
        with self._cell_call(api):
            self._recognize(api, image, dpi, f"{lang}, psm {psm}")
        return _plain_candidate(api, mode)

    def read_text(
        self,
        image: np.ndarray,
        dpi: float,
        *,
        mode: str,
        lang: str,
        psm: int,
        plain: Callable[[str, float], bool] | None = None,
        choice_iterations: int = FULL_SEARCH,
    ) -> Candidate:
        if self.marks_max_zipf < 0:
            return self.read(image, dpi, mode=mode, lang=lang, psm=psm)
        if _blank(image):
            return Candidate(text="", confidence=0.0, variant=mode)
        api = self._api(lang, psm)
        api.SetVariable("tessedit_char_whitelist", "")
        api.SetVariable("lstm_choice_mode", "2")
        if choice_iterations != FULL_SEARCH:  # a clean scan's short search (clean_scan.py)
            api.SetVariable("lstm_choice_iterations", str(choice_iterations))
        try:
            with self._cell_call(api):
                self._recognize(api, image, dpi, f"{lang}, psm {psm}")
            if plain is not None:  # no walk over the choices where they can change nothing
                read = _plain_candidate(api, mode)
                if plain(read.text, read.confidence):
                    return read
            lines = _with_words(
                self._text_lines(api), self._words(api, marks_max_zipf=self.marks_max_zipf, cell=True)
            )
            text = "\n".join(keep_names(ln.text, _text_from_words(ln).text) for ln in lines)
            confidence = float(api.MeanTextConf()) if text else 0.0
        finally:
            api.SetVariable("lstm_choice_mode", "0")
            if choice_iterations != FULL_SEARCH:
                api.SetVariable("lstm_choice_iterations", str(FULL_SEARCH))
        return Candidate(text=_clean(text), confidence=max(0.0, min(100.0, confidence)), variant=mode)

    def read_lines(self, image: np.ndarray, dpi: float, lang: str, *, marks: bool = True) -> list[OcrLine]:
        if _blank(image):
            return []
        api = self._api(lang, PSM_AUTO)
        api.SetVariable("tessedit_char_whitelist", "")
        marks = marks and self.marks_max_zipf >= 0
        if marks:  # the recogniser's other choices per symbol, for the marks of unknown words
            api.SetVariable("lstm_choice_mode", "2")
        try:
            self._recognize(api, image, dpi, f"{lang}, page layout")
            lines = self._text_lines(api)
            words = self._words(api, marks_max_zipf=self.marks_max_zipf if marks else None)
        finally:
            if marks:
                api.SetVariable("lstm_choice_mode", "0")  # cells are read by the same API
            api.Clear()
        return (
            [_text_from_words(ln) for ln in _with_words(lines, words)] if marks else _with_words(lines, words)
        )

    def read_missed_lines(
        self,
        image: np.ndarray,
        dpi: float,
        lang: str,
        found: Sequence[OcrLine],
        *,
        min_confidence: float,
        widen_heights: float,
        leftover_min_confidence: float = 101.0,
        page_text: PageTextSettings | None = None,
    ) -> list[OcrLine]:
        """Text of ``image`` that :meth:`read_lines` left out (``found``: its lines).

        tesseract's layout analysis drops a whole region it takes for a picture: a signature
        block under a seal ("KT. BỘ TRƯỞNG, CHỦ NHIỆM / … / Phạm Mạnh Cường" on CV 3722, "THỦ
        TƯỚNG / Lê Minh Hưng" on QĐ 729).  The lines found are painted white and the rest is
        searched for sparse text (psm 11); a line found there at ``min_confidence`` or more with
        three letters or more is read again as one line (psm 7) over a box widened by
        ``widen_heights`` line heights on each side (the sparse search cuts off letters touching
        the seal's rim: "ê Minh Hưng").  No new region is searched when nothing is left."""
        gray = _as_gray(image).copy()
        height, width = gray.shape
        for ln in found:
            b = ln.box
            gray[max(0, b.y0 - 3) : b.y1 + 3, max(0, b.x0 - 3) : b.x1 + 3] = 255
        if _blank(gray):
            return []
        sparse = [
            ln
            for ln in self.read_sparse_lines(gray, dpi, lang)
            if ln.confidence >= min_confidence and sum(ch.isalpha() for ch in ln.text) >= 3
        ]
        out: list[OcrLine] = []
        if leftover_min_confidence <= 100:
            out += self._leftover_lines(
                gray, dpi, lang, found, sparse, leftover_min_confidence, page_text or PageTextSettings()
            )
        for ln in sparse:
            grow = round(widen_heights * ln.box.height)
            box = PixelBox(
                max(0, ln.box.x0 - grow),
                max(0, ln.box.y0 - 4),
                min(width, ln.box.x1 + grow),
                min(height, ln.box.y1 + 4),
            )
            crop = gray[box.y0 : box.y1, box.x0 : box.x1]
            if _blank(crop):
                continue
            api = self._api(lang, PSM_SINGLE_LINE)
            self._recognize(api, crop, dpi, f"{lang}, a missed line")
            words = [w.shifted(box.x0, box.y0) for w in self._words(api)]
            api.Clear()
            if words:
                text = " ".join(w.text for w in words)
                conf = sum(w.confidence for w in words) / len(words)
                out.append(OcrLine(text=text, box=box, confidence=conf, words=tuple(words)))
        return out

    def read_sparse_lines(self, image: np.ndarray, dpi: float, lang: str) -> list[OcrLine]:
        """The text lines of ``image`` found by tesseract's sparse-text search (psm 11: as much
        text as can be found, in no order), with boxes and confidences."""
        if _blank(image):
            return []
        api = self._api(lang, PSM_SPARSE)
        api.SetVariable("tessedit_char_whitelist", "")
        try:
            self._recognize(api, image, dpi, f"{lang}, sparse text")
            return self._text_lines(api)
        finally:
            api.Clear()

    def _leftover_lines(
        self,
        gray: np.ndarray,
        dpi: float,
        lang: str,
        found: Sequence[OcrLine],
        sparse: Sequence[OcrLine],
        min_confidence: float,
        settings: PageTextSettings,
    ) -> list[OcrLine]:
        """Lines of ink that neither the layout analysis nor the sparse search read (``gray``: the
        band with the lines found painted white): each run of ink one line tall and at least two
        line heights wide (letters joined across gaps under half a line height), outside the
        sparse search's lines, read as one line (psm 7) and kept at ``min_confidence`` with
        three letters.  QĐ 2280's last recipient, "- Lưu: VT, ĐT" with its subscript "DG", is
        read at 78 from its own box and by neither search on the page."""
        import cv2

        heights = sorted(ln.box.height for ln in found if ln.text.strip())
        if not heights:
            return []
        line_h = heights[len(heights) // 2]
        ink = (gray < settings.ink_level).astype(np.uint8)
        joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, max(3, line_h // 2)), np.uint8))
        count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        out: list[OcrLine] = []
        for x, y, w, h, area in stats[1:count]:
            box = PixelBox(int(x), int(y), int(x + w), int(y + h))
            low, high = settings.leftover_heights
            if not (low * line_h <= h <= high * line_h and w >= 2 * line_h):
                continue
            if any(_overlap(box, ln.box) for ln in sparse) or area < settings.leftover_min_ink * w * h:
                continue
            pad = max(4, line_h // 4)
            crop_box = PixelBox(
                max(0, box.x0 - pad),
                max(0, box.y0 - pad),
                min(gray.shape[1], box.x1 + pad),
                min(gray.shape[0], box.y1 + pad),
            )
            api = self._api(lang, PSM_SINGLE_LINE)
            self._recognize(
                api, gray[crop_box.y0 : crop_box.y1, crop_box.x0 : crop_box.x1], dpi, f"{lang}, leftover ink"
            )
            words = [wd.shifted(crop_box.x0, crop_box.y0) for wd in self._words(api)]
            api.Clear()
            if not words:  # nothing read from the whole run: its words one by one
                words = self._read_by_words(gray, box, line_h, dpi, lang, settings.ink_level)
            if not words:
                continue
            text = " ".join(wd.text for wd in words)
            conf = sum(wd.confidence for wd in words) / len(words)
            if conf >= min_confidence and sum(ch.isalpha() for ch in text) >= 3:
                out.append(OcrLine(text=text, box=box, confidence=conf, words=tuple(words)))
        return out

    def _read_by_words(
        self, gray: np.ndarray, box: PixelBox, line_h: int, dpi: float, lang: str, ink_level: int
    ) -> list[TextWord]:
        """The words of the run of ink ``box`` of ``gray``, each read on its own (psm 7, on white
        a quarter line height round it): tesseract reads nothing at all from some lines read
        whole — QĐ 2280's "- Lưu: VT, ĐT" followed by a subscript "DG" — but reads their words
        ("-", "Lưu:", "VT,", "ĐTpo")."""
        import cv2

        run = gray[box.y0 : box.y1, box.x0 : box.x1]
        ink = (run < ink_level).astype(np.uint8)
        joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, max(3, line_h // 4)), np.uint8))
        count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        pad = max(4, line_h // 4)
        out: list[TextWord] = []
        for x, _, w, _, _ in sorted(stats[1:count].tolist(), key=lambda st: st[0]):
            piece = np.full((run.shape[0] + 2 * pad, w + 2 * pad), 255, np.uint8)
            piece[pad:-pad, pad:-pad] = run[:, x : x + w]
            api = self._api(lang, PSM_SINGLE_LINE)
            self._recognize(api, piece, dpi, f"{lang}, a word of leftover ink")
            out += [wd.shifted(box.x0 + x - pad, box.y0 - pad) for wd in self._words(api)]
            api.Clear()
        return out

    def reread_weak_lines(
        self,
        image: np.ndarray,
        dpi: float,
        lang: str,
        found: Sequence[OcrLine],
        *,
        max_confidence: float,
        max_gap_heights: float,
        min_gain: float = 0.0,
    ) -> list[OcrLine]:
        """``found`` (the lines :meth:`read_lines` and :meth:`read_missed_lines` read in
        ``image``) with each line read below ``max_confidence`` read again as one line (psm 7)
        over the ink of its row.

        tesseract's layout analysis cuts a line short where a seal or a stamp touches it and
        reads the piece badly (CV 3722: "KT.BO”" at 56 for "KT. BỘ TRƯỞNG, CHỦ NHIỆM", the
        rest of the line not read at all; NQ 115: "như 'ê nghị cử của" b:1)" under a seal's
        dots).  The line's box is widened left and right while its row has ink (gaps under
        ``max_gap_heights`` line heights, never into another line's box), the other lines'
        words inside it painted white, and read again; the new reading (marks chosen as the
        page's) replaces the line when it is ``min_gain`` or more points more confident."""
        gray = _as_gray(image)
        ink = np.asarray(gray < _ink_level(gray))
        out = list(found)
        for i, ln in enumerate(found):
            if ln.confidence >= max_confidence or not ln.text.strip():
                continue
            others = [o for j, o in enumerate(found) if j != i]
            box = _row_extent(ink, ln.box, others, max_gap_heights)
            if box is None:
                continue
            crop = _painted_out(gray, box, others)
            if _blank(crop):
                continue
            words = self._read_one_line(crop, dpi, lang, box)
            if words:
                conf = sum(w.confidence for w in words) / len(words)
                if conf >= ln.confidence + min_gain:
                    out[i] = OcrLine(
                        " ".join(w.text for w in words), _union(w.box for w in words), conf, tuple(words)
                    )
        return out

    def read_line_again(
        self, image: np.ndarray, dpi: float, lang: str, box: PixelBox, others: Sequence[OcrLine]
    ) -> list[TextWord]:
        """The words of ``image`` at ``box`` read as one line (psm 7) with ``lang``, the words
        of ``others`` inside it painted white (a second opinion on a line, another model)."""
        if not self.supports(lang):
            return []
        crop = _painted_out(_as_gray(image), box, others)
        return [] if _blank(crop) else self._read_one_line(crop, dpi, lang, box)

    def _read_one_line(self, crop: np.ndarray, dpi: float, lang: str, at: PixelBox) -> list[TextWord]:
        """The words of ``crop`` read as one line (psm 7; marks as the page's), in the pixels
        of the image ``crop`` was cut from at ``at``."""
        api = self._api(lang, PSM_SINGLE_LINE)
        api.SetVariable("tessedit_char_whitelist", "")
        marks = self.marks_max_zipf >= 0
        if marks:
            api.SetVariable("lstm_choice_mode", "2")
        try:
            self._recognize(api, crop, dpi, f"{lang}, a weak line")
            read = self._words(api, marks_max_zipf=self.marks_max_zipf if marks else None)
        finally:
            if marks:
                api.SetVariable("lstm_choice_mode", "0")  # cells are read by the same API
            api.Clear()
        return [w.shifted(at.x0, at.y0) for w in read]

    def _text_lines(self, api: Any) -> list[OcrLine]:
        """The text lines of the last recognition, with boxes and confidences (no new OCR)."""
        tr = self._tr
        lines: list[OcrLine] = []
        iterator = api.GetIterator()
        level = tr.RIL.TEXTLINE
        if iterator is not None:
            for item in tr.iterate_level(iterator, level):
                try:
                    text = item.GetUTF8Text(level)
                except RuntimeError:  # tesserocr's "No text returned": an element without text
                    continue
                box = item.BoundingBox(level)
                if not text or box is None or not text.strip():
                    continue
                lines.append(
                    OcrLine(
                        text=_clean(text).replace("\n", " "),
                        box=PixelBox(*box),
                        confidence=item.Confidence(level),
                    )
                )
        return lines

    def _words(self, api: Any, *, marks_max_zipf: float | None = None, cell: bool = False) -> list[TextWord]:
        """The words of the last recognition, with boxes and confidences (no new OCR); with
        ``marks_max_zipf``, a word that is no known word has its marks chosen among the
        recogniser's other choices (``extract.ocr.marks``; the API read with
        ``lstm_choice_mode`` 2)."""
        tr = self._tr
        out: list[TextWord] = []
        iterator = api.GetIterator()
        if iterator is None:
            return out
        if marks_max_zipf is not None:
            return self._words_with_marks(iterator, marks_max_zipf, cell=cell)
        for item in tr.iterate_level(iterator, tr.RIL.WORD):
            word = self._word_at(item)
            if word is not None:
                out.append(word)
        return out

    def _word_at(self, item: Any) -> TextWord | None:
        """The word the result iterator ``item`` stands at; None for one without text or box."""
        level = self._tr.RIL.WORD
        try:
            text = item.GetUTF8Text(level)
        except RuntimeError:
            return None
        box = item.BoundingBox(level)
        if not text or not text.strip() or box is None:
            return None
        return TextWord(_clean(text), PixelBox(*box), float(item.Confidence(level)))

    def _words_with_marks(self, iterator: Any, max_zipf: float, *, cell: bool = False) -> list[TextWord]:
        """:meth:`_words`, walking the symbols: each word with, per symbol, its character and
        the recogniser's other choices, its marks chosen by :func:`choose_marks`."""
        tr = self._tr
        read: list[tuple[TextWord, list[list[str]]]] = []
        starts: list[int] = []  # index in ``read`` of each text line's (paragraph's) first word
        # Vietnamese breaks a line between syllables, never inside one: a paragraph's line break
        # is a space ("Thành / phô về" is "Thành phố")
        context = tr.RIL.PARA if self.marks_across_lines else tr.RIL.TEXTLINE
        current: list[list[str]] | None = None
        for item in tr.iterate_level(iterator, tr.RIL.SYMBOL):
            if item.IsAtBeginningOf(context):
                starts.append(len(read))
            if item.IsAtBeginningOf(tr.RIL.WORD):
                word = self._word_at(item)
                current = None
                if word is not None:
                    current = []
                    read.append((word, current))
            if current is None:
                continue
            try:
                symbol = item.GetUTF8Text(tr.RIL.SYMBOL)
            except RuntimeError:
                symbol = ""
            choices = [symbol or ""]
            for choice in item.GetChoiceIterator():
                other = choice.GetUTF8Text()
                if other and other != symbol:
                    choices.append(unicodedata.normalize("NFC", other))
            current.append(choices)
        texts = [choose_marks(w.text, symbols, max_zipf) for w, symbols in read]
        if self.marks_context_max_drop >= 0:
            before = list(texts)
            for a, b in itertools.pairwise(sorted({0, *starts, len(read)})):
                texts[a:b] = choose_in_context(
                    texts[a:b],
                    [sym for _, sym in read[a:b]],
                    self.marks_context_max_drop,
                    capitals_any_marks=self.marks_capitals_any,
                    lower_min_rise=None
                    if cell or self.marks_lower_min_rise < 0
                    else self.marks_lower_min_rise,
                )
            if not cell:  # text cells keep names by their own rule (cell_marks.keep_names)
                texts = keep_title_names(before, texts)
        if self.marks_number_words:
            for a, b in itertools.pairwise(sorted({0, *starts, len(read)})):
                texts[a:b] = before_numbers(texts[a:b], self.marks_number_words)
        return [dataclasses.replace(w, text=t) for (w, _), t in zip(read, texts, strict=True)]

    def _osd(self, image: np.ndarray, dpi: float, min_characters: int) -> tuple[int, float]:
        """tesseract's (orient_deg, orient_conf) for ``image``; (0, 0.0) without an answer."""
        api = self._api("osd", PSM_OSD_ONLY, min_characters)
        self.call_budget_s()
        height, width = image.shape
        api.SetImageBytes(image.tobytes(), width, height, 1, width)
        api.SetSourceResolution(max(1, round(dpi)))
        result = api.DetectOrientationScript()
        api.Clear()
        if not result:
            return 0, 0.0
        return int(result["orient_deg"]), float(result.get("orient_conf", 0.0))

    def orientation(self, gray: np.ndarray, dpi: float) -> int:
        """OSD's answer.  With ``osd_quick_characters`` set, a quick pass classifies that few
        characters (OSD's cost is mostly per character: 20 instead of 50 takes ~40% less) and
        is trusted at ``osd_quick_min_confidence``; an unsure quick pass is redone in full."""
        if not self.info.has_osd:
            return 0
        image = _as_gray(gray)
        if self.osd_quick_characters > 0:
            deg, conf = self._osd(image, dpi, self.osd_quick_characters)
            if conf >= max(self.osd_quick_min_confidence, self.osd_min_confidence):
                return _upright_from_osd(deg)
        deg, conf = self._osd(image, dpi, 0)
        if conf < self.osd_min_confidence:
            return 0
        return _upright_from_osd(deg)


# --------------------------------------------------------------------------------------------
# pytesseract (subprocess) fallback


class PytesseractEngine(OcrEngine):
    """The ``tesseract`` program run once per call through ``pytesseract``, with a timeout."""

    name = "pytesseract"

    def __init__(
        self, info: TesseractInfo, *, call_timeout_s: float = 20.0, osd_min_confidence: float = 2.0
    ) -> None:
        super().__init__(call_timeout_s)
        import pytesseract

        self._pt = pytesseract
        self.info = info
        self.osd_min_confidence = osd_min_confidence

    def supports(self, lang: str) -> bool:
        return self.info.supports(lang)

    def _config(self, dpi: float, psm: int, whitelist: str | None) -> str:
        parts = [f"--psm {psm}", f"--dpi {max(1, round(dpi))}", f'--tessdata-dir "{self.info.tessdata}"']
        if whitelist:
            parts.append(f"-c tessedit_char_whitelist={whitelist}")
        return " ".join(parts)

    def _run(self, func: Any, image: np.ndarray, what: str, **kwargs: Any) -> Any:
        from PIL import Image

        budget = self.call_budget_s()
        picture = Image.fromarray(_as_gray(image))
        try:
            return func(picture, timeout=budget, **kwargs)
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise OcrTimeout(f"tesseract ({what}) ran past its {budget:.1f} s limit") from exc
            raise ToolError(f"tesseract ({what}) failed: {exc}") from exc
        except self._pt.TesseractNotFoundError as exc:
            raise MissingDependencyError(f"the tesseract program was not found; {INSTALL_ADVICE}") from exc
        except self._pt.TesseractError as exc:
            raise ToolError(f"tesseract ({what}) failed: {exc}") from exc

    def _data(
        self, image: np.ndarray, dpi: float, lang: str, psm: int, whitelist: str | None
    ) -> dict[str, list[Any]]:
        return self._run(
            self._pt.image_to_data,
            image,
            f"{lang}, psm {psm}",
            lang=lang,
            config=self._config(dpi, psm, whitelist),
            output_type=self._pt.Output.DICT,
        )

    @staticmethod
    def _group_lines(data: dict[str, list[Any]]) -> list[tuple[str, PixelBox, float]]:
        groups: dict[tuple[int, int, int], list[int]] = {}
        for i, word in enumerate(data["text"]):
            if str(word).strip() and float(data["conf"][i]) >= 0:
                key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
                groups.setdefault(key, []).append(i)
        out = []
        for key in sorted(groups):
            idx = groups[key]
            text = " ".join(str(data["text"][i]).strip() for i in idx)
            box = PixelBox(
                min(int(data["left"][i]) for i in idx),
                min(int(data["top"][i]) for i in idx),
                max(int(data["left"][i]) + int(data["width"][i]) for i in idx),
                max(int(data["top"][i]) + int(data["height"][i]) for i in idx),
            )
            conf = sum(float(data["conf"][i]) for i in idx) / len(idx)
            out.append((_clean(text), box, conf))
        return out

    def read(
        self,
        image: np.ndarray,
        dpi: float,
        *,
        mode: str,
        lang: str,
        psm: int,
        whitelist: str | None = None,
    ) -> Candidate:
        if _blank(image):
            return Candidate(text="", confidence=0.0, variant=mode)
        lines = self._group_lines(self._data(image, dpi, lang, psm, whitelist))
        if not lines:
            return Candidate(text="", confidence=0.0, variant=mode)
        text = "\n".join(t for t, _, _ in lines)
        confidence = sum(c for _, _, c in lines) / len(lines)
        return Candidate(text=text, confidence=max(0.0, min(100.0, confidence)), variant=mode)

    def read_lines(self, image: np.ndarray, dpi: float, lang: str, *, marks: bool = True) -> list[OcrLine]:
        lines = self._group_lines(self._data(image, dpi, lang, PSM_AUTO, None))
        return [OcrLine(text=t, box=b, confidence=c) for t, b, c in lines]

    def orientation(self, gray: np.ndarray, dpi: float) -> int:
        if not self.info.has_osd:
            return 0
        config = f'--psm 0 --dpi {max(1, round(dpi))} --tessdata-dir "{self.info.tessdata}"'
        try:
            text = self._run(self._pt.image_to_osd, gray, "orientation", config=config)
        except ToolError:
            return 0  # too little text for OSD: tesseract exits with an error
        rotate = re.search(r"Rotate:\s*(\d+)", text)
        conf = re.search(r"Orientation confidence:\s*([\d.]+)", text)
        if not rotate or not conf or float(conf.group(1)) < self.osd_min_confidence:
            return 0
        return int(rotate.group(1)) % 360


def _row_extent(
    ink: np.ndarray, box: PixelBox, others: Sequence[OcrLine], max_gap_heights: float
) -> PixelBox | None:
    """``box`` widened left and right over the ink of its row (its middle half of rows in
    ``ink``) while the gaps are under ``max_gap_heights`` box heights, never into the box of
    one of ``others`` on that row; padded by a fifth of its height.  None: no row to follow."""
    height, width = ink.shape
    h = max(1, box.height)
    top, bottom = box.y0 + h // 4, box.y1 - h // 4
    if bottom <= top:
        return None
    cols = np.asarray(ink[top:bottom].any(axis=0)).copy()
    for o in others:
        if o.box.y0 < bottom and o.box.y1 > top:
            cols[max(0, o.box.x0) : max(0, o.box.x1)] = False
    gap = max(1, round(max_gap_heights * h))
    x0, x1 = box.x0, box.x1
    while (left := cols[max(0, x0 - gap) : x0]).any():
        x0 = max(0, x0 - gap) + int(np.argmax(left))
    while (right := cols[x1 : min(width, x1 + gap)]).any():
        x1 += len(right) - int(np.argmax(right[::-1]))
    pad = max(2, h // 5)
    return PixelBox(max(0, x0 - pad), max(0, box.y0 - pad), min(width, x1 + pad), min(height, box.y1 + pad))


def _painted_out(gray: np.ndarray, box: PixelBox, others: Sequence[OcrLine]) -> np.ndarray:
    """The crop of ``gray`` at ``box`` with the words of ``others`` inside it painted white."""
    crop = gray[box.y0 : box.y1, box.x0 : box.x1].copy()
    for o in others:
        for w in o.words or (TextWord(o.text, o.box, o.confidence),):
            x0, y0 = max(w.box.x0, box.x0) - box.x0, max(w.box.y0, box.y0) - box.y0
            x1, y1 = min(w.box.x1, box.x1) - box.x0, min(w.box.y1, box.y1) - box.y0
            if x1 > x0 and y1 > y0:
                crop[y0:y1, x0:x1] = 255
    return crop


def _union(boxes: Iterable[PixelBox]) -> PixelBox:
    listed = list(boxes)
    return PixelBox(
        min(b.x0 for b in listed),
        min(b.y0 for b in listed),
        max(b.x1 for b in listed),
        max(b.y1 for b in listed),
    )


def _ink_level(gray: np.ndarray) -> int:
    """The grey level below which a pixel of ``gray`` is ink (Otsu's threshold)."""
    import cv2

    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return int(level)


def _text_from_words(line: OcrLine) -> OcrLine:
    """``line`` with its text joined from its words, when the words hold the same letters as
    the line's text (only marks were chosen again; never a word lost or moved)."""
    if not line.words:
        return line
    joined = " ".join(w.text for w in line.words)
    if joined == line.text or skeleton(joined.replace(" ", "")) != skeleton(line.text.replace(" ", "")):
        return line
    return dataclasses.replace(line, text=joined)


def _with_words(lines: list[OcrLine], words: list[TextWord]) -> list[OcrLine]:
    """Each line with its words: a word goes to the one line whose box holds its centre, the
    nearest by height when line boxes overlap (for reading order by columns)."""
    owned: list[list[TextWord]] = [[] for _ in lines]
    for w in words:
        cx, cy = (w.box.x0 + w.box.x1) / 2, (w.box.y0 + w.box.y1) / 2
        holders = [
            i for i, ln in enumerate(lines) if ln.box.x0 <= cx <= ln.box.x1 and ln.box.y0 <= cy <= ln.box.y1
        ]
        if holders:
            best = min(holders, key=lambda i: abs((lines[i].box.y0 + lines[i].box.y1) / 2 - cy))
            owned[best].append(w)
    return [dataclasses.replace(ln, words=tuple(ws)) for ln, ws in zip(lines, owned, strict=True)]


# --------------------------------------------------------------------------------------------
# factory


@functools.lru_cache(maxsize=8)
def _engine(
    backend: str,
    tessdata: str | None,
    call_timeout_s: float,
    osd_min_confidence: float,
    osd_quick_characters: int,
    osd_quick_min_confidence: float,
    pid: int,
    marks_max_zipf: float = -1.0,
    marks_context_max_drop: float = -1.0,
    marks_capitals_any: bool = False,
    marks_across_lines: bool = False,
    marks_number_words: tuple[str, ...] = (),
    marks_lower_min_rise: float = -1.0,
    invert_cells: bool = True,
) -> OcrEngine:
    info = probe(OcrSettings(engine=backend, tessdata=tessdata))
    if info.backend == "tesserocr":
        return TesseractEngine(
            info,
            call_timeout_s=call_timeout_s,
            osd_min_confidence=osd_min_confidence,
            osd_quick_characters=osd_quick_characters,
            osd_quick_min_confidence=osd_quick_min_confidence,
            marks_max_zipf=marks_max_zipf,
            marks_context_max_drop=marks_context_max_drop,
            marks_capitals_any=marks_capitals_any,
            marks_lower_min_rise=marks_lower_min_rise,
            marks_across_lines=marks_across_lines,
            marks_number_words=marks_number_words,
            invert_cells=invert_cells,
        )
    return PytesseractEngine(info, call_timeout_s=call_timeout_s, osd_min_confidence=osd_min_confidence)


def get_engine(settings: OcrSettings | None = None) -> OcrEngine:
    """The process' engine for ``settings`` (probed once, then reused by every page of a worker).

    ``settings.engine``: ``"tesserocr"``, ``"pytesseract"`` or ``"auto"`` (tesserocr when it can be
    imported, else pytesseract).  Raises :class:`MissingDependencyError` when tesseract or its
    Vietnamese model is missing.
    """
    settings = settings or OcrSettings()
    return _engine(
        settings.engine,
        settings.tessdata,
        settings.call_timeout_s,
        settings.osd_min_confidence,
        settings.osd_quick_characters,
        settings.osd_quick_min_confidence,
        os.getpid(),
        settings.text_marks_max_zipf,
        settings.text_marks_context_max_drop,
        settings.text_marks_capitals_any,
        settings.text_marks_across_lines,
        tuple(settings.text_marks_number_words),
        settings.text_marks_lower_min_rise,
        settings.tesseract_invert_cells,
    )
