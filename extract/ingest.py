"""Input files to pages, one page at a time.

Formats are recognised by content, not by name (a ``.pdf`` that is really a PNG is read as a
PNG): PDF (rendered with PDFium), TIFF (multi-page), PNG and JPEG.  Every page comes back as a
:class:`~extract.model.PageImage`: grayscale uint8 at its true resolution, plus the PDF text
layer's words when that layer can be trusted.

Resolution.  PDF pages are rendered at ``dpi``; a page that is one scanned image is rendered at
the image's own resolution when that is lower (no invented pixels; PDFium maps them 1:1).
Images carry their DPI in metadata; when it is missing or implausible (the page would not be
paper-sized) it is estimated from the pixel size assuming A4, else taken as ``DEFAULT_DPI``.

Text layer.  Words come from PDFium's text page, mapped into the rendered image's pixels.  They
are used only when :func:`score_text_layer` calls the layer trustworthy: enough words, nearly
all characters Vietnamese/Latin letters, digits or common punctuation, mostly well-formed
Vietnamese syllables (a legacy-font or garbage OCR layer fails this), and no large images the
text does not cover.

Errors are :class:`~extract.errors.InputFileError` naming the file (and page): missing, empty,
unsupported, corrupt, encrypted, not a regular file (a FIFO or a device is never read: it could
block or never end), too large.

Limits.  A page is never decoded into more than ``MAX_PAGE_PIXELS`` pixels: a PDF page's size x
the render DPI squared is checked before it is rendered, an image's frame size before it is
decoded (Pillow's decompression-bomb check covers only the first frame).  Files are read in
bounded chunks, never whole.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import math
import os
import re
import stat
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputFileError
from .model import PageImage, PdfBox, PixelBox, TextWord
from .units import PT_PER_INCH

DEFAULT_DPI = 300.0
A4_LONG_IN, A4_SHORT_IN = 11.69, 8.27
A4_ASPECT_TOLERANCE = 0.08  # |aspect / 1.414 - 1| up to this is "A4-shaped"
PLAUSIBLE_DPI = (50.0, 1200.0)
PLAUSIBLE_LONG_SIDE_IN = (4.0, 17.5)  # A6 .. A3 with margins
MIN_NATIVE_DPI = 100.0  # scans below this are rendered at the requested DPI instead
FULL_PAGE_IMAGE = 0.85  # an image covering this share of the page makes it a scan
LARGE_IMAGE = 0.25  # visible text plus images covering this share: the text layer is incomplete
SNIFF_BYTES = 1024
READ_CHUNK = 1 << 20  # bytes per read when a whole file is hashed or scanned
# The most pixels one page may decode to: Pillow's own decompression-bomb limit (an A3 sheet at
# 600 dpi is 70 MP).  A page over it fails with its size and the limit; at 1 byte a grey pixel
# and a handful of copies through the pipeline it keeps a page well under a GiB.
MAX_PAGE_PIXELS = 89_478_485
SUPPORTED = "PDF, TIFF, PNG, JPEG"

# text-layer trust (see score_text_layer)
MIN_TRUSTED_WORDS = 8
MIN_VALID_CHAR_SHARE = 0.98
MIN_SYLLABLE_SHARE = 0.75  # visible text
MIN_SYLLABLE_SHARE_OCR = 0.85  # invisible text over a scan: someone's OCR, held to a higher bar
WORD_GAP_SHARE = 0.35  # a gap wider than this share of the character height splits words
TEXT_RENDER_INVISIBLE = 3


# --------------------------------------------------------------------------------------------
# file identity and sniffing


_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def os_error_reason(exc: OSError) -> str:
    """A short, specific reason for an ``OSError`` met opening or listing a path."""
    reasons = {
        errno.ENOENT: "no such file or folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "symbolic link loop (too many levels of symbolic links)",
        errno.ENAMETOOLONG: "file name too long",
        errno.ENOTDIR: "a path component is not a folder",
        errno.EIO: "input/output error (damaged disk or network share)",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def not_regular_reason(mode: int) -> str | None:
    """Why a file of ``st_mode`` ``mode`` must not be read (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = next((label for test, label in _FILE_KINDS if test(mode)), "not a regular file")
    return f"not a regular file: {kind}"


def open_regular(path: str | os.PathLike[str]) -> Any:
    """Open ``path`` for binary reading, only if it is a regular file (symbolic links followed).

    The file is opened without blocking (a FIFO would wait forever for a writer) and checked
    with ``fstat`` on the open descriptor, so a device such as ``/dev/zero`` behind a link is
    refused before a byte is read.  Raises :class:`InputFileError` with a specific reason.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputFileError(name, f"cannot open the file: {os_error_reason(exc)}") from exc
    try:
        reason = not_regular_reason(os.fstat(fd).st_mode)
        if reason is not None:
            raise InputFileError(name, reason)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def document_id(path: str | os.PathLike[str]) -> str:
    """The first 16 hex digits of the SHA-256 of the file's bytes, read in bounded chunks (of its
    pages' bytes for a page list, :mod:`extract.grouping`)."""
    from . import grouping

    if grouping.is_page_list(path):
        return grouping.document_id(path)
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        try:
            while chunk := fh.read(READ_CHUNK):
                digest.update(chunk)
        except OSError as exc:
            raise InputFileError(str(path), f"cannot read the file: {os_error_reason(exc)}") from exc
    return digest.hexdigest()[:16]


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),
    (b"MM\x00+", "tiff"),
)
_OTHER_IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"RIFF", "RIFF/WebP"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"PK\x03\x04", "ZIP/Office"),
)
_IMAGE_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}


def sniff(path: str | os.PathLike[str]) -> str:
    """The file's format from its content: ``"pdf"``, ``"tiff"``, ``"png"`` or ``"jpeg"``.

    Raises :class:`InputFileError` for missing, empty, unsupported and unrecognisable files.
    """
    name = str(path)
    p = Path(path)
    if not os.path.lexists(p):
        raise InputFileError(name, "file not found")
    with open_regular(p) as fh:
        try:
            head = fh.read(SNIFF_BYTES)
        except OSError as exc:
            raise InputFileError(name, f"cannot read the file: {os_error_reason(exc)}") from exc
    if not head:
        raise InputFileError(name, "empty file (0 bytes)")
    if b"%PDF-" in head:
        return "pdf"
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    suffix = p.suffix.lower()
    for magic, label in _OTHER_IMAGES:
        if head.startswith(magic):
            raise InputFileError(name, f"unsupported file type: {label} content (supported: {SUPPORTED})")
    if suffix == ".pdf":
        raise InputFileError(name, "not a valid PDF: no %PDF header (corrupt or not a PDF)")
    if suffix in _IMAGE_SUFFIXES:
        raise InputFileError(name, f"corrupt image: content is not a {_IMAGE_SUFFIXES[suffix].upper()} image")
    label = f"'{suffix}'" if suffix else "unknown content"
    raise InputFileError(name, f"unsupported file type {label} (supported: {SUPPORTED})")


# --------------------------------------------------------------------------------------------
# DPI of images


def _plausible(dpi: float, shape: tuple[int, int]) -> bool:
    lo, hi = PLAUSIBLE_DPI
    if not (lo <= dpi <= hi):
        return False
    long_in = max(shape) / dpi
    return PLAUSIBLE_LONG_SIDE_IN[0] <= long_in <= PLAUSIBLE_LONG_SIDE_IN[1]


def estimate_dpi(shape: tuple[int, int]) -> float:
    """DPI of a page image of ``shape`` (H, W) assumed to be A4; ``DEFAULT_DPI`` when it is not
    A4-shaped or the estimate is implausible."""
    long_px, short_px = max(shape), min(shape)
    if short_px <= 0:
        return DEFAULT_DPI
    aspect = long_px / short_px
    if abs(aspect / (A4_LONG_IN / A4_SHORT_IN) - 1) > A4_ASPECT_TOLERANCE:
        return DEFAULT_DPI
    dpi = long_px / A4_LONG_IN
    return float(round(dpi)) if PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1] else DEFAULT_DPI


def image_dpi(info: dict[Any, Any], shape: tuple[int, int]) -> float:
    """The DPI of an image from its metadata (``info["dpi"]``) when plausible, else estimated."""
    raw: Any = info.get("dpi")
    try:
        dpi = float(raw[0]) if isinstance(raw, (tuple, list)) else float(raw)
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if dpi > 0 and math.isfinite(dpi) and _plausible(dpi, shape):
        return float(round(dpi)) if abs(dpi - round(dpi)) < 0.05 else dpi
    return estimate_dpi(shape)


# --------------------------------------------------------------------------------------------
# images (Pillow)


def _to_gray(img: Any) -> np.ndarray:
    """A Pillow image as uint8 grayscale (transparency composited over white, 16-bit scaled)."""
    from PIL import Image

    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        hi = float(arr.max()) if arr.size else 0.0
        scale = 255.0 / (65535.0 if hi > 255 else 255.0)
        return np.clip(arr * scale, 0, 255).astype(np.uint8)
    if img.mode == "P":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, img.convert("RGBA"))
    if img.mode != "L":
        img = img.convert("L")
    return np.array(img, dtype=np.uint8)


class _ImageFile:
    """An open TIFF/PNG/JPEG; frames are decoded one at a time."""

    def __init__(self, path: str, kind: str) -> None:
        from PIL import Image

        self.path, self.kind = path, kind
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.img = Image.open(path)
                self.count = int(getattr(self.img, "n_frames", 1) or 1)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InputFileError(path, _bomb_reason(kind, str(exc))) from exc
        except Exception as exc:
            raise InputFileError(path, f"corrupt or unreadable {kind.upper()} image: {exc}") from exc
        if self.count < 1:
            raise InputFileError(path, f"{kind.upper()} file has no pages")

    def page(self, index: int) -> PageImage:
        from PIL import ImageOps

        try:
            self.img.seek(index)
            width, height = self.img.size
            if width * height > MAX_PAGE_PIXELS:  # Pillow checks only the first frame
                raise InputFileError(self.path, _too_large(f"{width}×{height} pixels", width * height), index)
            frame = ImageOps.exif_transpose(self.img)
            frame.load()
            gray = _to_gray(frame)
        except (InputFileError, MemoryError):  # out of memory is the worker's limit, not a bad file
            raise
        except Exception as exc:
            raise InputFileError(
                self.path, f"corrupt or truncated {self.kind.upper()} image: {exc}", index
            ) from exc
        if gray.size == 0:
            raise InputFileError(self.path, "image has no pixels", index)
        dpi = image_dpi(dict(self.img.info), gray.shape[:2])
        bilevel = True if frame.mode == "1" else None
        return PageImage(
            source=self.path, page_index=index, page_count=self.count, image=gray, dpi=dpi, bilevel=bilevel
        )

    def close(self) -> None:
        self.img.close()


def _too_large(what: str, pixels: int) -> str:
    return (
        f"page too large: {what} ({pixels / 1e6:,.0f} megapixels), over the limit of"
        f" {MAX_PAGE_PIXELS / 1e6:,.0f} megapixels; not decoded"
    )


def _bomb_reason(kind: str, message: str) -> str:
    """Pillow's decompression-bomb refusal as a reason that says so (not "corrupt")."""
    found = re.search(r"\((\d+) pixels\)", message)
    pixels = int(found.group(1)) if found else MAX_PAGE_PIXELS + 1
    return (
        _too_large(f"a {kind.upper()} image of {pixels:,} pixels", pixels) + " (possible decompression bomb)"
    )


# --------------------------------------------------------------------------------------------
# text-layer trust

_VI_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
_VALID_CHARS = frozenset(
    _VI_LOWER
    + _VI_LOWER.upper()
    + "0123456789"
    + " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    + "–—‘’“”…•°§№«»·×÷±€"
)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot below
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
_NUCLEI = [
    "iêu",
    "yêu",
    "oai",
    "oay",
    "oeo",
    "uây",
    "uôi",
    "uya",
    "uyê",
    "uyu",
    "ươi",
    "ươu",
    "oao",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iu",
    "oa",
    "oă",
    "oe",
    "oi",
    "oo",
    "ôi",
    "ơi",
    "ua",
    "uâ",
    "uê",
    "ui",
    "uô",
    "uơ",
    "uy",
    "ưa",
    "ưi",
    "ưu",
    "ươ",
    "yê",
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
]
_SYLLABLE = re.compile(f"^{_ONSET}(?:{'|'.join(_NUCLEI)})(?:ch|ng|nh|[cmnpt])?$")
_ABBREVIATION = re.compile(r"^[A-ZĐ]{2,8}$")


def _strip_tones(word: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(ch in _TONES for ch in decomposed)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES)), tones


def is_vietnamese_syllable(token: str) -> bool:
    """Whether ``token`` (letters only) is a well-formed Vietnamese syllable (at most one tone)
    or an upper-case abbreviation ("UBND", "HĐND")."""
    if _ABBREVIATION.match(token):
        return True
    base, tones = _strip_tones(token.lower())
    return tones <= 1 and bool(_SYLLABLE.match(base))


def syllable_share(words: list[str]) -> float | None:
    """The share of ``words`` that are well-formed Vietnamese syllables or abbreviations
    (:func:`is_vietnamese_syllable`; a word with a digit or a mark in it is none); None for no
    words.  Callers choose which tokens are words (a text layer's letter tokens, a title's words,
    a row label's words of two letters or more)."""
    if not words:
        return None
    return sum(w.isalpha() and is_vietnamese_syllable(w) for w in words) / len(words)


@dataclass(frozen=True)
class TextLayerScore:
    """How much a PDF page's text layer can be trusted (see :func:`score_text_layer`)."""

    words: int
    valid_char_share: float  # non-space characters that are Vietnamese/Latin letters, digits, punctuation
    syllable_share: float  # letter tokens that are well-formed Vietnamese syllables or abbreviations
    invisible: bool  # mostly invisible text (an OCR layer over a scan)
    image_cover: float  # share of the page covered by images
    trusted: bool
    reason: str


def score_text_layer(
    words: list[str], *, invisible: bool = False, image_cover: float = 0.0
) -> TextLayerScore:
    """Judge a text layer from its words.

    Trusted when all hold: at least ``MIN_TRUSTED_WORDS`` words; at least
    ``MIN_VALID_CHAR_SHARE`` of the characters are valid (a legacy TCVN3/VNI font maps
    Vietnamese letters to "©", "¸", "û"...; broken encodings give U+FFFD); at least
    ``MIN_SYLLABLE_SHARE`` of the letter tokens are well-formed Vietnamese syllables
    (``MIN_SYLLABLE_SHARE_OCR`` for an invisible OCR layer: garbage OCR breaks syllables); and,
    for visible text, images cover less than ``LARGE_IMAGE`` of the page (else part of the page,
    often the table, is a picture the text does not cover).
    """
    text = "".join(unicodedata.normalize("NFC", w) for w in words)
    chars = [ch for ch in text if not ch.isspace()]
    valid = sum(ch in _VALID_CHARS for ch in chars) / len(chars) if chars else 0.0
    tokens = [re.sub(r"[^\w]", "", unicodedata.normalize("NFC", w)) for w in words]
    letter_tokens = [t for t in tokens if t and t.isalpha()]
    syllables = syllable_share(letter_tokens) or 0.0
    need = MIN_SYLLABLE_SHARE_OCR if invisible else MIN_SYLLABLE_SHARE
    if len(words) < MIN_TRUSTED_WORDS:
        reason = f"only {len(words)} words"
    elif valid < MIN_VALID_CHAR_SHARE:
        reason = f"{valid:.0%} valid characters (legacy font encoding or broken text)"
    elif syllables < need:
        reason = f"{syllables:.0%} well-formed syllables (garbage or non-Vietnamese text)"
    elif not invisible and image_cover >= LARGE_IMAGE:
        reason = f"images cover {image_cover:.0%} of the page: the text layer is incomplete"
    else:
        reason = "ok"
    return TextLayerScore(
        words=len(words),
        valid_char_share=valid,
        syllable_share=syllables,
        invisible=invisible,
        image_cover=image_cover,
        trusted=reason == "ok",
        reason=reason,
    )


# --------------------------------------------------------------------------------------------
# PDF (PDFium)


@dataclass(frozen=True)
class _Char:
    ch: str
    box: PdfBox  # the glyph's ink
    loose: PdfBox  # the same with the font's advance, ascent and descent
    invisible: bool


def _pdf_chars(page: Any) -> list[_Char | None]:
    """The page's characters in content order; ``None`` marks a break (space, line end)."""
    from pypdfium2 import raw

    textpage = page.get_textpage()
    try:
        out: list[_Char | None] = []
        for i in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(textpage, i)
            ch = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if ch.isspace() or raw.FPDFText_IsGenerated(textpage, i) or unicodedata.category(ch) == "Cc":
                out.append(None)
                continue
            obj = raw.FPDFText_GetTextObject(textpage, i)
            mode = raw.FPDFTextObj_GetTextRenderMode(obj) if obj else 0
            out.append(
                _Char(
                    ch,
                    PdfBox(*textpage.get_charbox(i)),
                    PdfBox(*textpage.get_charbox(i, loose=True)),
                    mode == TEXT_RENDER_INVISIBLE,
                )
            )
        return out
    finally:
        textpage.close()


def _group_words(chars: list[_Char | None]) -> list[list[_Char]]:
    """Characters to words: split at breaks, at gaps between the characters' advance boxes wider
    than ``WORD_GAP_SHARE`` of the character height and where the baseline jumps (a new line
    without a line-end mark)."""
    words: list[list[_Char]] = []
    current: list[_Char] = []
    for c in chars:
        if c is None:
            if current:
                words.append(current)
            current = []
            continue
        if current:
            prev = current[-1]
            height = max(prev.loose.height, c.loose.height, 1.0)
            gap = c.loose.left - prev.loose.right
            jump = abs(c.loose.bottom - prev.loose.bottom) > 0.6 * height
            if gap > WORD_GAP_SHARE * height or gap < -2 * height or jump:
                words.append(current)
                current = []
        current.append(c)
    if current:
        words.append(current)
    return words


def _page_to_pixels(page: Any, width: int, height: int) -> np.ndarray:
    """The 2x3 affine map from PDF points to pixels of a ``width`` x ``height`` rendering
    (page rotation and crop box included), measured with PDFium's own FPDF_PageToDevice."""
    import ctypes

    from pypdfium2 import raw

    def dev(x: float, y: float) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        raw.FPDF_PageToDevice(page, 0, 0, width, height, 0, x, y, ctypes.byref(dx), ctypes.byref(dy))
        return float(dx.value), float(dy.value)

    span = 10000.0  # far-apart points keep the integer rounding of the device coordinates negligible
    o, ex, ey = dev(0.0, 0.0), dev(span, 0.0), dev(0.0, span)
    return np.array(
        [
            [(ex[0] - o[0]) / span, (ey[0] - o[0]) / span, o[0]],
            [(ex[1] - o[1]) / span, (ey[1] - o[1]) / span, o[1]],
        ]
    )


def _to_pixel_box(box: PdfBox, affine: np.ndarray, width: int, height: int) -> PixelBox:
    left, bottom, right, top = box.left, box.bottom, box.right, box.top
    corners = np.array([[left, bottom, 1.0], [right, bottom, 1.0], [left, top, 1.0], [right, top, 1.0]])
    pts = corners @ affine.T
    x0, y0 = np.floor(pts.min(axis=0)).astype(int)
    x1, y1 = np.ceil(pts.max(axis=0)).astype(int)
    x0, x1 = int(np.clip(x0, 0, width)), int(np.clip(x1, 0, width))
    y0, y1 = int(np.clip(y0, 0, height)), int(np.clip(y1, 0, height))
    return PixelBox(x0, y0, max(x0, x1), max(y0, y1))


def _images(page: Any) -> list[tuple[float, float]]:
    """(share of the page covered, native DPI) of each image on the page."""
    from pypdfium2 import raw

    pw, ph = page.get_size()
    page_area = max(pw * ph, 1e-6)
    out = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        try:
            left, bottom, right, top = obj.get_bounds()
            px_w, px_h = obj.get_px_size()
        except Exception:  # noqa: BLE001, S112 - a broken image object adds nothing to measure
            continue
        w_in, h_in = (right - left) / PT_PER_INCH, (top - bottom) / PT_PER_INCH
        if w_in <= 0 or h_in <= 0:
            continue
        cover = min(1.0, (right - left) * (top - bottom) / page_area)
        out.append((cover, math.sqrt(px_w * px_h / (w_in * h_in))))
    return out


def _bilevel_images(page: Any) -> bool:
    """Whether the page's pictures are all 1-bit (a black-and-white scan, CCITT or JBIG2)."""
    from pypdfium2 import raw

    bits = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        try:
            bits.append(obj.get_metadata().bits_per_pixel)
        except Exception:  # noqa: BLE001 - an image PDFium cannot describe decides nothing
            return False
    return bool(bits) and all(b == 1 for b in bits)


def _render_dpi(images: list[tuple[float, float]], has_visible_text: bool, dpi: float) -> float:
    """``dpi``, or the scan's own resolution when the page is one lower-resolution image."""
    full = [native for cover, native in images if cover >= FULL_PAGE_IMAGE]
    if has_visible_text or len(full) != 1:
        return dpi
    native = full[0]
    if native < MIN_NATIVE_DPI or native >= dpi:
        return dpi
    return float(round(native)) if abs(native - round(native)) / native < 0.01 else native


SCAN_FILTERS = frozenset({"DCTDecode", "FlateDecode"})  # JPEG or deflated pixels: no decode tricks
SCAN_MIN_REDUCTION = 1.05  # decoded only when it is then reduced at least this much (see below)


def _scan_pixels(page: Any, dpi: float) -> np.ndarray | None:
    """A page that is nothing but one upright 8-bit grey or RGB scan filling it, of a resolution
    above ``dpi``: its pixels decoded and reduced to ``dpi`` by area averaging (25 ms instead of
    PDFium's 130 ms for an A4 page, 300 to 250 dpi).  ``None`` for any other page, which is
    rendered: bilevel, indexed or masked images, turned or flipped placements, several objects,
    a page /Rotate, and scans at (or near) ``dpi`` -- decoded 1:1, a JPEG's specks and edges come
    out sharper than the detector was tuned on (PDFium's rendering smooths them)."""
    import cv2
    from pypdfium2 import raw

    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != raw.FPDF_PAGEOBJ_IMAGE or page.get_rotation() != 0:
        return None
    image = objects[0]
    a, b, c, d, e, f = image.get_matrix().get()
    width_pt, height_pt = page.get_size()
    if b or c or abs(a - width_pt) > 0.5 or abs(d - height_pt) > 0.5 or abs(e) > 0.5 or abs(f) > 0.5:
        return None
    meta = image.get_metadata()
    spaces = (raw.FPDF_COLORSPACE_DEVICEGRAY, raw.FPDF_COLORSPACE_DEVICERGB)
    if meta.bits_per_pixel not in (8, 24) or meta.colorspace not in spaces:
        return None
    if not image.get_filters() or set(image.get_filters()) - SCAN_FILTERS:
        return None
    px_w, px_h = image.get_px_size()
    if px_w * px_h > MAX_PAGE_PIXELS:  # never decoded whole: the page is rendered at ``dpi``
        return None
    # the size PDFium renders at (it rounds up)
    out_w, out_h = render_size((width_pt, height_pt), dpi)
    if px_w < out_w * SCAN_MIN_REDUCTION or px_h < out_h * SCAN_MIN_REDUCTION:
        return None
    pixels = image.get_bitmap(render=False).to_numpy()
    if pixels.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if pixels.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        pixels = cv2.cvtColor(np.ascontiguousarray(pixels), code)
    if pixels.shape[:2] != (px_h, px_w):
        return None
    return cv2.resize(
        np.ascontiguousarray(pixels, dtype=np.uint8), (out_w, out_h), interpolation=cv2.INTER_AREA
    )


def render_size(size_pt: tuple[float, float], dpi: float) -> tuple[int, int]:
    """(width, height) in pixels of a page of ``size_pt`` points rendered at ``dpi`` (PDFium
    rounds up)."""
    width_pt, height_pt = size_pt
    return (
        max(1, math.ceil(width_pt / PT_PER_INCH * dpi - 1e-6)),
        max(1, math.ceil(height_pt / PT_PER_INCH * dpi - 1e-6)),
    )


def _check_render_size(path: str, index: int, size_pt: tuple[float, float], dpi: float) -> None:
    """Refuse, before rendering, a page that would decode into more than ``MAX_PAGE_PIXELS``."""
    width_pt, height_pt = size_pt
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)):
        raise InputFileError(path, f"page has an invalid size ({width_pt} x {height_pt} pt)", index)
    width, height = render_size(size_pt, dpi)
    if width * height > MAX_PAGE_PIXELS:
        what = (
            f"{width_pt:,.0f}×{height_pt:,.0f} pt ({width_pt / PT_PER_INCH:,.0f}×"
            f"{height_pt / PT_PER_INCH:,.0f} in) at {dpi:g} dpi is {width:,}×{height:,} pixels"
        )
        raise InputFileError(path, _too_large(what, width * height), index)


_ZERO_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")


def _pdf_failure(path: str, code: int | None, message: str) -> str:
    """Why PDFium could not open ``path``.  PDFium's codes are not enough on their own: it also
    answers "password" or "success" for a PDF without pages, so the bytes are looked at too."""
    encrypted, zero_pages = _scan_pdf(path)
    if encrypted:
        if code == 6:  # FPDF_ERR_SECURITY
            return "encrypted PDF with an unsupported security handler"
        return "encrypted PDF (password-protected): cannot be read without its password"
    if zero_pages:
        return "PDF has no pages"
    return f"corrupt or damaged PDF ({message})"


_SCAN_OVERLAP = 256  # bytes kept between chunks so a key split across two reads is still seen


def _scan_pdf(path: str) -> tuple[bool, bool]:
    """(an /Encrypt key, a page tree of /Count 0) in the file's bytes, read in bounded chunks."""
    encrypted = zero_pages = False
    tail = b""
    try:
        with open_regular(path) as fh:
            while (chunk := fh.read(READ_CHUNK)) and not (encrypted and zero_pages):
                window = tail + chunk
                encrypted = encrypted or b"/Encrypt" in window
                zero_pages = zero_pages or bool(_ZERO_PAGES.search(window))
                tail = window[-_SCAN_OVERLAP:]
    except (OSError, InputFileError):
        pass
    return encrypted, zero_pages


class _PdfFile:
    """An open PDF; pages are rendered one at a time."""

    def __init__(self, path: str) -> None:
        import pypdfium2 as pdfium

        self.path = path
        try:
            self.doc = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise InputFileError(path, _pdf_failure(path, getattr(exc, "err_code", None), str(exc))) from exc
        self.count = len(self.doc)
        if self.count == 0:
            self.doc.close()
            raise InputFileError(path, "PDF has no pages")

    def page(self, index: int, dpi: float, *, with_words: bool = True) -> PageImage:
        try:
            page = self.doc[index]
        except Exception as exc:
            raise InputFileError(self.path, f"damaged page, PDFium cannot load it ({exc})", index) from exc
        try:
            chars = _pdf_chars(page) if with_words else []
            real = [c for c in chars if c is not None]
            invisible = bool(real) and sum(c.invisible for c in real) > len(real) / 2
            images = _images(page)
            render_dpi = _render_dpi(images, bool(real) and not invisible, dpi)
            _check_render_size(self.path, index, page.get_size(), render_dpi)
            scan = None if real else _scan_pixels(page, render_dpi)
            bilevel = True if not real and _bilevel_images(page) else None
            if scan is not None:
                gray = scan
            else:
                bitmap = page.render(
                    scale=render_dpi / PT_PER_INCH, grayscale=True, fill_color=(255, 255, 255, 255)
                )
                gray = np.array(bitmap.to_numpy(), dtype=np.uint8)
                if gray.ndim == 3:
                    gray = gray[:, :, 0]
            height, width = gray.shape
            words = None
            if real:
                groups = _group_words(chars)
                texts = ["".join(c.ch for c in g) for g in groups]
                cover = min(1.0, sum(cov for cov, _ in images))
                if score_text_layer(texts, invisible=invisible, image_cover=cover).trusted:
                    affine = _page_to_pixels(page, width, height)
                    words = tuple(
                        TextWord(
                            text=unicodedata.normalize("NFC", t),
                            box=_to_pixel_box(
                                functools.reduce(PdfBox.union, (c.box for c in g)), affine, width, height
                            ),
                        )
                        for t, g in zip(texts, groups, strict=True)
                    )
        except (InputFileError, MemoryError):  # out of memory is the worker's limit, not a bad page
            raise
        except Exception as exc:
            raise InputFileError(self.path, f"cannot render page: {exc}", index) from exc
        finally:
            page.close()
        return PageImage(
            source=self.path,
            page_index=index,
            page_count=self.count,
            image=gray,
            dpi=render_dpi,
            words=words,
            bilevel=bilevel,
        )

    def close(self) -> None:
        self.doc.close()


# --------------------------------------------------------------------------------------------
# public API


def _open(path: str | os.PathLike[str]) -> Any:
    from . import grouping

    if grouping.is_page_list(path):  # many page images declared one document
        return grouping.PageListFile(str(path))
    kind = sniff(path)
    return _PdfFile(str(path)) if kind == "pdf" else _ImageFile(str(path), kind)


def count_pages(path: str | os.PathLike[str]) -> int:
    """Number of pages (frames of a TIFF; 1 for PNG/JPEG).  Raises :class:`InputFileError`."""
    doc = _open(path)
    try:
        return doc.count
    finally:
        doc.close()


def _load(doc: Any, index: int, dpi: float) -> PageImage:
    if not 0 <= index < doc.count:
        raise InputFileError(doc.path, f"page {index + 1} does not exist (the file has {doc.count})", index)
    return doc.page(index) if isinstance(doc, _ImageFile) else doc.page(index, dpi)


def _render_default() -> float:
    """The one render-resolution default: ``page.dpi`` of :class:`extract.page.PageSettings`."""
    from .page import PageSettings

    return float(PageSettings.model_fields["dpi"].default)


def load_page(path: str | os.PathLike[str], index: int, *, dpi: float | None = None) -> PageImage:
    """Page ``index`` (0-based) of ``path`` as a :class:`PageImage`.

    PDFs are rendered at ``dpi`` (default: ``page.dpi``'s default; a page that is one scan of lower
    resolution at the scan's own); images keep their pixels and their DPI (metadata, else estimated).
    """
    dpi = _render_default() if dpi is None else dpi
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, got {dpi}")
    doc = _open(path)
    try:
        return _load(doc, index, dpi)
    finally:
        doc.close()
