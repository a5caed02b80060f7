"""Reading a page's tables cell by cell, and the text outside them.

Per cell (:func:`read_cell`):

1. crop inside the cell, paint rule pixels (``line_mask``) and specks with paper, trim to the
   text, add a paper border (:func:`~extract.ocr.cells.cut_cell`);
2. no ink -> ``EMPTY``, no OCR, unless the crop at a raised contrast holds letter-sized ink
   (faded toner): then it is read as below, unsure (:func:`_faint_ink`);
3. read as text: ``vie``, grayscale, scaled so letters are ``text_target_height_px`` tall, psm 7
   for one line or 6 for several;
4. re-read as a number when that text looks numeric, is short, is mostly digits and digit
   look-alikes ("S.697"), or the crop is one short line (text mode garbles lone numbers:
   "23" -> "vá)"): ``OcrSettings.number`` (``eng``, tallest glyph scaled to 24 px, blur, Otsu
   clipped clear of paper grain, 20 px padding, whitelist ``0123456789.,%+-/``, psm 7) and every
   ``OcrSettings.number_variants`` reading;
5. the cell is a number when the readings say so (:func:`_is_number_cell`); its text is the
   majority of the number readings (:func:`vote_number`), and every reading, each named by its
   variant, is kept in ``candidates`` for the arithmetic self-correction stage;
6. short text ("STT", "x") is also read with ``short_text_langs``; the most confident wins;
7. a reading of dashes or dots alone over a mark taller than a dash is unread ink
   (:func:`_dash_over_ink`): flagged downstream, never the report's own blank;
8. a lone "1" with faint grey beside its stem may be a worn "4": unsure (:func:`_worn_one`); a
   number the confident text reading reads otherwise is unsure (:func:`text_dissent`);
9. a one-line number cell keeps where each word is printed when the reading has one word per
   letter group of the ink (:func:`_placed_words`): a cell over two printed columns whose rule
   was lost is parted there (:mod:`extract.tables.cell_parts`); a number cell over several grid
   rows keeps where each line is printed (:func:`_placed_lines`), and :func:`read_table` parts
   it into a cell per row (:func:`part_rows`: "10 19" over two rows whose rule was lost);
10. a table's unsure cell of a number column crossed by a pen stroke (a signature) is read once
   more with the stroke painted out (:func:`_pen_looks`, :mod:`extract.ocr.pen_strokes`).

Measured on synthetic cells (Liberation Serif digits, 150-300 dpi, scan noise): numbers
98-100% exact at 150-300 dpi with mild noise, 97% at 200 dpi with harsh noise.

With a trustworthy PDF text layer (``words``) cell text is built from the words inside each
cell instead (confidence 100) and nothing is OCR'd.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from ..config import settings_section
from ..model import (
    Candidate,
    CellKind,
    CellRead,
    GridCell,
    OcrLine,
    PixelBox,
    PreparedPage,
    ReadTable,
    TableGrid,
    TextWord,
)
from ..pagetext import with_margin_marks, with_stray_marks
from ..units import mm_to_px
from .capital_marks import with_capitals_from_page
from .cells import (
    CropInfo,
    cut_cell,
    may_hold_faint_ink,
    prepare_number,
    prepare_text,
    raise_contrast,
    raised_ink_growth,
    text_area,
    without_light_ink,
)
from .clean_scan import choice_iterations
from .code_words import with_codes_joined
from .dropped_digits import dropped_digit_reading
from .engine import NUMBER_WHITELIST, NumberVariant, OcrEngine, OcrSettings
from .garble import garbled_words
from .glued_words import with_glued_words_split
from .glyph_checks import INK_CHECK_VARIANT, roman_two, without_unprinted_stop
from .layout_phrases import with_layout_phrases
from .named_cells import marks_unneeded
from .one_strokes import ONE_STROKES_VARIANT, ones
from .page_phrases import with_page_phrases
from .pen_strokes import without_pen_stroke
from .rare_tones import with_rare_tones_respelled
from .second_opinion import Span, left_out, line_box, with_second_opinion
from .semicolons import with_semicolons
from .stamps import read_stamps
from .text_vote import has_letters, scale_readings, vote_text

__all__ = [
    "NumberVariant",
    "OcrSettings",
    "load_ocr_settings",
    "looks_numeric",
    "read_cell",
    "part_rows",
    "read_table",
    "read_text_lines",
    "vote_number",
    "words_to_lines",
]

log = logging.getLogger(__name__)

PSM_BLOCK = 6
PSM_LINE = 7
# tesseract's modes that read a crop as one line or one word (7 line, 8 word, 13 raw line)
ONE_LINE_PSMS = frozenset({PSM_LINE, 8, 13})
NUMERIC_CHARS = frozenset(NUMBER_WHITELIST + " ")
# letters tesseract's text mode returns for lone digits ("O" for 0, "l" for 1, "S" for 5 ...)
DIGIT_LOOKALIKES = frozenset("OoDQIl|iSsBZzGgTq;:¬—–")  # last three: a minus sign
EXCLUDE_MARGIN_MM = 0.8  # blank this far around a table so its outer rules go too
LINE_SPLIT_GAP = (
    8.0  # words further apart than this many line heights are separate lines (side-by-side blocks)
)
SAME_LINE_OVERLAP = 0.5  # a word joins a line when they share this share of the smaller height
TEXT_LAYER_VARIANT = "text_layer"
DIGITISH_SHARE = 0.6  # a reading this much made of digits, look-alikes and number marks may be a number
# ... unless it is confident and holds this many letters that never stand for digits: words ("Có")
# or a date and a decision number ("Số 1599/QĐ-UBND ngày 06/7/2018") are text, and reading them
# as numbers in five variants cost a third of a page's OCR time
WORD_LETTERS = 2
# a crop whose letters are all at least this share of the tallest is read as a number first: digits
# are all as tall, while words have lower-case letters (x-height ~0.7 of the capitals in serif
# faces) that a number-first reading of a commune name ("Xã Kế An") would only waste
UNIFORM_LETTERS = 0.8


def load_ocr_settings(folder: str | None = None) -> OcrSettings:
    """Section ``ocr`` of ``configs/pipeline.yaml``."""
    return settings_section(OcrSettings, "ocr", folder)


NO_CONFIDENCE = 0.0  # a reading at this confidence is one the model could not read (tesseract's 0)
UNSURE_SIGN = 50.0  # confidence of a number reading given a minus sign it did not read itself

# --------------------------------------------------------------------------------------------
# text helpers


def _normalize(text: str) -> str:
    """NFC, lines joined with a space, runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


ADDRESS_MARKS = ("@", "://", "www.")  # a token holding one is an e-mail or web address: no spaces
# an address ending in one of these top-level domains is complete: the next line is a new word
_COMPLETE_ADDRESS = re.compile(r"\.(?:com|vn|net|org|gov|edu|info|int|biz)/?$", re.IGNORECASE)
_AT_MISREAD = re.compile(r"[(©®]@|\(?®(?=[a-z0-9])")  # "(@" and "®" for "@" in an address


def join_lines(text: str) -> str:
    """A cell's lines (tesseract's "\n") joined into one line: with a space, except where a
    line ends inside an address that was wrapped ("thachvandung@exampl" + "e.com"; an address
    ending in ".com" or ".vn" is whole, and a phone number on the next line is a word), and with
    the common misreadings of "@" in an address repaired ("(@")."""
    lines = [ln.strip() for ln in unicodedata.normalize("NFC", text).splitlines() if ln.strip()]
    out = ""
    for line in lines:
        last = out.rsplit(" ", 1)[-1]
        address = any(mark in last for mark in ADDRESS_MARKS) and not _COMPLETE_ADDRESS.search(last)
        if out and address and not line[0].isupper():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return " ".join(_AT_MISREAD.sub("@", tok) if "@" in tok or "®" in tok else tok for tok in out.split())


def looks_numeric(text: str) -> bool:
    """Only digits, ``. , % + - /`` and spaces, with at least one digit ("5.697", "99,7%", "32/32")."""
    stripped = text.strip()
    return bool(stripped) and set(stripped) <= NUMERIC_CHARS and any(ch.isdigit() for ch in stripped)


def _words(reading: Candidate, min_confidence: float) -> bool:
    """A confident text reading holding ``WORD_LETTERS`` letters that never stand for digits
    ("Có", "Số 1599/QĐ-UBND ngày 06/7/2018"): words, not a misread number."""
    letters = sum(ch.isalpha() and ch not in DIGIT_LOOKALIKES for ch in reading.text)
    return reading.confidence >= min_confidence and letters >= WORD_LETTERS


def _maybe_number(reading: Candidate, short_max: int, min_confidence: float) -> bool:
    """Whether a text-mode reading may be a misread number and deserves a number-mode reading:
    not confident words (:func:`_words`), and numeric, short, or mostly digits and digit
    look-alikes ("S.697", "B097", "97;851")."""
    compact = reading.text.replace(" ", "")
    if looks_numeric(compact):
        return True
    if _words(reading, min_confidence):
        return False
    if len(compact) <= short_max:
        return True
    digitish = sum(ch.isdigit() or ch in DIGIT_LOOKALIKES or ch in NUMERIC_CHARS for ch in compact)
    return any(ch.isdigit() for ch in compact) and digitish >= DIGITISH_SHARE * len(compact)


def _lookalike_only(text: str) -> bool:
    """A short reading made of digits and letters that stand for digits ("O", "l", "3O")."""
    compact = text.replace(" ", "")
    return bool(compact) and all(
        ch.isdigit() or ch in DIGIT_LOOKALIKES or ch in NUMERIC_CHARS for ch in compact
    )


# --------------------------------------------------------------------------------------------
# text-layer words


def _center_in(word: TextWord, box: PixelBox) -> bool:
    cx, cy = (word.box.x0 + word.box.x1) / 2, (word.box.y0 + word.box.y1) / 2
    return box.x0 <= cx < box.x1 and box.y0 <= cy < box.y1


def words_to_lines(words: Sequence[TextWord]) -> list[list[TextWord]]:
    """Group words into lines (top to bottom, each left to right).

    A word joins a line when their vertical extents overlap by ``SAME_LINE_OVERLAP`` of the
    smaller height; a line is split where the gap between words exceeds ``LINE_SPLIT_GAP`` line
    heights (side-by-side blocks such as "Nơi nhận:" and the signature).  Smaller gaps are kept
    inside a line, like tesseract does: in the header the gap between the agency and the national
    motto (2-7 heights) is no wider than the blanks left for a number or date ("Số:    /QĐ-UBND").
    """
    rows: list[list[TextWord]] = []
    for word in sorted(words, key=lambda w: ((w.box.y0 + w.box.y1) / 2, w.box.x0)):
        placed = False
        for row in rows:
            top = min(w.box.y0 for w in row)
            bottom = max(w.box.y1 for w in row)
            overlap = min(bottom, word.box.y1) - max(top, word.box.y0)
            if overlap >= SAME_LINE_OVERLAP * max(1, min(bottom - top, word.box.height)):
                row.append(word)
                placed = True
                break
        if not placed:
            rows.append([word])
    lines: list[list[TextWord]] = []
    for row in rows:
        row.sort(key=lambda w: w.box.x0)
        height = max(1, int(np.median([w.box.height for w in row])))
        current = [row[0]]
        for word in row[1:]:
            if word.box.x0 - current[-1].box.x1 > LINE_SPLIT_GAP * height:
                lines.append(current)
                current = [word]
            else:
                current.append(word)
        lines.append(current)
    lines.sort(key=lambda ln: (min(w.box.y0 for w in ln), ln[0].box.x0))
    return lines


def _cell_from_words(cell: GridCell, words: Sequence[TextWord]) -> CellRead:
    inside = [w for w in words if _center_in(w, cell.box)]
    if not inside:
        return CellRead(cell=cell, text="", confidence=100.0, kind=CellKind.EMPTY)
    text = _normalize(" ".join(" ".join(w.text for w in line) for line in words_to_lines(inside)))
    if looks_numeric(text):
        cand = Candidate(text=text, confidence=100.0, variant=TEXT_LAYER_VARIANT)
        return CellRead(cell=cell, text=text, confidence=100.0, kind=CellKind.NUMBER, candidates=(cand,))
    return CellRead(cell=cell, text=text, confidence=100.0, kind=CellKind.TEXT)


# --------------------------------------------------------------------------------------------
# OCR of one cell


def _read_number(
    engine: OcrEngine, crop: np.ndarray, dpi: float, info: CropInfo, variant: NumberVariant
) -> Candidate:
    prepared = prepare_number(
        crop,
        dpi,
        info=info,
        height_px=variant.height_px,
        scale=variant.scale,
        blur=variant.blur,
        binarize=variant.binarize,
        pad_px=variant.pad_px,
        faded_contrast=variant.faded_contrast,
    )
    cand = engine.read(
        prepared.image,
        prepared.dpi,
        mode=variant.name,
        lang=variant.lang,
        psm=variant.psm,
        whitelist=NUMBER_WHITELIST if variant.whitelist else None,
    )
    return _signed(
        Candidate(
            text=_spaced(_normalize(cand.text), info), confidence=cand.confidence, variant=cand.variant
        ),
        info,
    )


def _signed(reading: Candidate, info: CropInfo) -> Candidate:
    """A number reading given back the minus sign the crop shows just left of its digits and the
    model dropped ("-3" read "3" in a "tăng/giảm" column), at no more than ``UNSURE_SIGN``
    confidence: the sign was seen, not read, so the value is flagged unless a rule confirms it."""
    text = reading.text.lstrip()
    if info.leading_dash and looks_numeric(text) and not text.startswith(("-", "+", "−", "–")):
        return Candidate(
            text="-" + text, confidence=min(reading.confidence, UNSURE_SIGN), variant=reading.variant
        )
    return reading


def _spaced(text: str, info: CropInfo) -> str:
    """A number reading with the spaces the crop shows put back: the number models drop them
    ("0966 169 718" -> "0966169718"; two numbers of a merged cell would make one).  Only when
    the reading has no space and one digit per letter blob, so that digit k is blob k."""
    if not info.spaces or " " in text or sum(ch.isdigit() for ch in text) != info.letters:
        return text
    out, k = [], 0
    for ch in text:
        if ch.isdigit():
            if k in info.spaces:
                out.append(" ")
            k += 1
        out.append(ch)
    return "".join(out)


def _is_number_cell(
    text_read: Candidate,
    number_read: Candidate,
    evidence: float,
    letters: int = 0,
    settings: OcrSettings | None = None,
) -> bool:
    """Whether a cell holds a number, from its text-mode reading and its (voted) number reading.

    Yes when the text reading is numeric; else when the number reading is numeric and the text
    reading is empty, made of digit look-alikes ("O", "l", "S.697"), is the number with stray
    marks ("5.697”"), or is less confident than the best numeric reading, ``evidence``
    ("vá)" at 0 vs "23" at 95; but "Có" at 91 stays text against "6" at 46).
    """
    s = settings or OcrSettings()
    if looks_numeric(text_read.text):
        return True
    if not looks_numeric(number_read.text):
        return False
    if _spelled_out(text_read, number_read, letters, s.spelled_out_confidence):
        return False
    if not text_read.text or (_lookalike_only(text_read.text) and evidence >= s.lookalike_min_evidence):
        return True
    if "".join(ch for ch in text_read.text if ch in NUMERIC_CHARS).strip() == number_read.text:
        return True
    if _same_shape(text_read.text, number_read.text):
        return True
    return evidence > text_read.confidence


def _same_shape(text: str, number: str) -> bool:
    """The text reading is the number reading character for character, some digits read as
    their look-alike letters ("096G 169 718" and "0966 169 718"): both models saw the number."""
    return len(text) == len(number) and all(
        t == n or (t in DIGIT_LOOKALIKES and n.isdigit()) for t, n in zip(text, number, strict=True)
    )


def _spelled_out(text_read: Candidate, number_read: Candidate, letters: int, min_confidence: float) -> bool:
    """A confident text reading with at least one character per letter blob of the crop, where
    the number reading has fewer digits than blobs: the letters were read, not misread digits
    ("STT" is two or three blobs; its number reading "5" is one digit)."""
    compact = text_read.text.replace(" ", "")
    digits = sum(ch.isdigit() for ch in number_read.text)
    return (
        letters > 0
        and text_read.confidence >= min_confidence
        and len(compact) >= letters  # touching letters ("TT") make one blob
        and digits < letters
        and not any(ch.isdigit() for ch in compact)
    )


def vote_number(
    readings: Sequence[Candidate], confirmed_by: Candidate | None = None, confirms_min: float | None = None
) -> Candidate:
    """The majority text among numeric ``readings`` (ties: the more confident, then the first).

    Its confidence is the agreeing readings' mean confidence times their share of the numeric
    readings, so a split vote comes out unsure -- and times their share of *all* the readings
    when they are no majority of them: variants that read nothing (or no number) are dissent
    then, not abstentions.  One variant of five reading "1" where the others read nothing was
    wrong 7 times in 30 on the dev split's hard scans (a faded "4" or "0"; a stroke), at 88-95
    confidence, and stood ``read``.  A piece of the number read at no confidence abstains
    (:func:`_lost_digits`); so does one read at any confidence when ``confirmed_by`` (the text
    model's reading of the cell) reads the majority's number at least ``confirms_min`` sure
    (``ocr.text_confirms_min``; required with ``confirmed_by``) (:func:`_confirmed_piece`).
    Returns the first reading when none is numeric.
    """
    if confirmed_by is not None and confirms_min is None:
        raise ValueError("vote_number: confirmed_by needs confirms_min (ocr.text_confirms_min)")
    numeric = [c for c in readings if looks_numeric(c.text)]
    if not numeric:
        return readings[0]
    best = _majority(numeric)
    lost = [
        c
        for c in numeric
        if _lost_digits(c, best[0].text)
        or _confirmed_piece(c, best[0].text, confirmed_by, confirms_min or 0.0)
    ]
    if lost:
        readings = [c for c in readings if not any(c is x for x in lost)]
        numeric = [c for c in numeric if not any(c is x for x in lost)]
        best = _majority(numeric)
    share = len(best) / (len(readings) if 2 * len(best) <= len(readings) else len(numeric))
    confidence = share * sum(c.confidence for c in best) / len(best)
    return Candidate(text=best[0].text, confidence=confidence, variant=best[0].variant)


def _majority(numeric: Sequence[Candidate]) -> list[Candidate]:
    """The readings of the most read text (ties: the more confident, then the first)."""
    counts: dict[str, list[Candidate]] = {}
    for cand in numeric:
        counts.setdefault(cand.text, []).append(cand)
    # most votes; between equal counts the more confident readings ("5.737" at 96 and 96 over
    # "3.737" at 52 and 52), then the earliest (max keeps the first of equals)
    return max(counts.values(), key=lambda group: (len(group), sum(c.confidence for c in group)))


def _confirmed_piece(reading: Candidate, majority: str, text: Candidate | None, confirms_min: float) -> bool:
    """Whether ``reading`` dissents only by losing the majority's leading digits ("4" for "24",
    "6" for "16", "7.423" for "17.423") or its grouping ("3745" for "3.745"), while the text
    model -- another recogniser, on the grey crop -- reads the majority's number, one plain token,
    at least ``confirms_min`` sure (``ocr.text_confirms_min``).  Tesseract's Vietnamese number
    model drops a worn leading digit at 31-97: a right value read by four models at 96 came out
    at 77 and was flagged.  On the fresh dev hard scans (6 documents) the 30 cells whose vote
    this raises held the printed number every time, 18 of them now at 80 or more (a majority
    with a space, "21 67" for 21677, is no plain token: left as it was).
    A different digit ("38" for "39"), a lost last digit or sign, or a text reading of another
    number still dissent."""
    whole = majority.strip()
    if text is None or reading.text == majority or " " in whole or not _PLAIN_READING.fullmatch(whole):
        return False
    said = text.text.strip()
    if text.confidence < confirms_min or " " in said or not _PLAIN_READING.fullmatch(said):
        return False
    key, own = _number_key(whole), _number_key(reading.text)
    if _number_key(said) != key:
        return False
    digits = own.lstrip("-")
    return own == key or (bool(digits) and digits == own and len(own) < len(key) and key.endswith(own))


def _lost_digits(reading: Candidate, majority: str) -> bool:
    """Whether ``reading`` is the majority's text with leading digits lost, read at
    no confidence at all (``NO_CONFIDENCE``): the model says it saw nothing it could read, and
    what it gave back is a piece of the number.  Tesseract's Vietnamese model reads the faded
    leading "1" of "115", "14", "1.630" as "15", "4", ".630" at confidence 0 on the dev split's
    hard scans and faxes: of the 84 values whose vote this changes there, 78 are the printed
    number; of the 6 others, 4 are 3B rows read right but scored against the same commune's row
    of another list, and 2 ("3953", "1591") were misread by every model and stay at 13 and 46.
    Such a reading abstains instead of dissenting.  A sign is no digit: "17.660" at 0 against
    "-17.660" still dissents.  Only leading digits: a *trailing* digit lost ("21.90" at 0, twice,
    against "21.907") marks the digit the other models misread (printed "21.902": the review
    sample's damaged cell)."""
    text = reading.text
    if reading.confidence > NO_CONFIDENCE or not text or text == majority or not majority.endswith(text):
        return False
    return majority[: -len(text)].isdigit()


def _read_text(
    engine: OcrEngine,
    crop: np.ndarray,
    dpi: float,
    info: CropInfo,
    settings: OcrSettings,
    lang: str | None = None,
    smooth_px: float = 0.0,
    target_px: float | None = None,
) -> Candidate:
    """Read a text cell in ``lang`` (default ``settings.text_lang``), letters scaled to
    ``target_px`` (default ``settings.text_target_height_px``).  ``smooth_px`` (a 1-bit
    scan): the scaled crop is smoothed before it is read (see :func:`prepare_text`), unless that
    loosens stacked accents into a line of marks of their own ("Đề nghị Tòa án / ˆ ˆ Ấ ° /
    nhân dân tối cao"): then the crop is read again as it is.  A smoothed reading holding garbled
    words (:func:`~extract.ocr.garble.garbled_words`: "b 12t?" for "ngành/lĩnh") is read again
    as it is too (``settings.text_garbled_plain``), and the reading with fewer of them kept, at
    the lower of the two confidences."""
    lang = lang or settings.text_lang
    mode = "text" if lang == settings.text_lang else f"text_{lang}"
    psm = PSM_LINE if info.lines <= 1 else PSM_BLOCK
    target = target_px or settings.text_target_height_px
    prepared = prepare_text(crop, dpi, target_height_px=target, info=info, smooth_px=smooth_px)
    read = (
        partial(
            engine.read_text,
            plain=_marks_gate(settings),
            choice_iterations=settings.text_cell_choice_iterations,
        )
        if settings.text_cell_marks
        else engine.read
    )
    raw = read(prepared.image, prepared.dpi, mode=mode, lang=lang, psm=psm)
    if smooth_px > 0 and psm == PSM_BLOCK and any(_marks_only(ln) for ln in raw.text.splitlines()):
        prepared = prepare_text(crop, dpi, target_height_px=target, info=info)
        raw = read(prepared.image, prepared.dpi, mode=mode, lang=lang, psm=psm)
        smooth_px = 0.0
    reading = Candidate(text=_normalize(join_lines(raw.text)), confidence=raw.confidence, variant=raw.variant)
    if smooth_px > 0 and settings.text_garbled_plain and garbled_words(reading.text):
        prepared = prepare_text(crop, dpi, target_height_px=target, info=info)
        plain = read(prepared.image, prepared.dpi, mode=mode, lang=lang, psm=psm)
        text = _normalize(join_lines(plain.text))
        if garbled_words(text) < garbled_words(reading.text):
            return Candidate(
                text=text, confidence=min(reading.confidence, plain.confidence), variant=raw.variant
            )
    return reading


def _marks_gate(settings: OcrSettings) -> Callable[[str, float], bool]:
    """Whether a text cell's plain reading keeps its marks as read (:mod:`.named_cells`)."""
    least = settings.text_cell_marks_named_min_confidence
    return lambda text, confidence: marks_unneeded(_normalize(join_lines(text)), confidence, least)


def _marks_only(line: str) -> bool:
    """A line read with no two letters or digits in a row: accents or specks, not text."""
    return bool(line.strip()) and not re.search(r"[^\W_]{2}", line)


def _short_line(crop: np.ndarray, info: CropInfo, settings: OcrSettings) -> bool:
    """One line of text no wider than ``settings.number_max_aspect`` letter heights."""
    height = info.glyph_height_px
    return info.lines == 1 and height > 0 and crop.shape[1] / height <= settings.number_max_aspect


def _plain_number(reading: Candidate, info: CropInfo) -> bool:
    """Whether a number reading is safe without a text reading to check it against: one digit
    per letter blob of the crop (a word read as digits, "Có" -> "6", has a different count) and
    not only ones (Roman "I", "II" read as "1", "11")."""
    digits = [ch for ch in reading.text if ch.isdigit()]
    return len(digits) == info.letters and set(digits) != {"1"}


def _sure_alone(reading: Candidate, info: CropInfo, settings: OcrSettings) -> bool:
    """A primary number reading that needs no second model to confirm it: one token (a cell that
    merged two columns reads "13 246"), one digit per letter blob (:func:`_plain_number`), at
    least ``single_confidence``.  On the three benchmark scans (1,340 such readings, clean to
    hard) none was wrong, while two models agreeing was wrong 18 times on the hard scan."""
    text = reading.text
    return (
        reading.confidence >= settings.single_confidence
        and looks_numeric(text)
        and " " not in text
        and _plain_number(reading, info)
    )


def _settled(readings: Sequence[Candidate], settings: OcrSettings) -> bool:
    """Two readings (different models) that agree on a numeric text, one of them at least
    ``escalate_below`` confident and neither below ``agree_floor``: no need to spend the other
    variants on this cell.  (On the benchmark scans, pairs agreeing at 96 and 58 were never
    wrong where the other variants would have changed the vote.)"""
    first, second = readings[0], readings[1]
    return (
        looks_numeric(first.text)
        and first.text == second.text
        and max(first.confidence, second.confidence) >= settings.escalate_below
        and min(first.confidence, second.confidence) >= settings.agree_floor
    )


def _text_cell(
    cell: GridCell,
    text_read: Candidate,
    crop: np.ndarray,
    dpi: float,
    info: CropInfo,
    engine: OcrEngine,
    settings: OcrSettings,
    smooth_px: float = 0.0,
    vote_smooth_px: float | None = None,
) -> CellRead:
    """A text cell; short readings ("STT", "x", "II") are also read with
    ``settings.short_text_langs`` and the most confident reading is kept (all are candidates;
    the cell is a number after all when that reading is numeric, and ``EMPTY`` with the reading's
    low confidence when ink was there but nothing could be read).  A short line of text is first
    read again at ``settings.text_vote_scales``, smoothed by ``vote_smooth_px`` (a 1-bit scan), and
    voted on (:mod:`extract.ocr.text_vote`); ``vote_smooth_px`` None: no vote."""
    if (
        vote_smooth_px is not None
        and settings.text_vote_scales
        and _short_line(crop, info, settings)
        and has_letters(text_read.text)
    ):
        at = partial(_read_text, engine, crop, dpi, info, settings, None, vote_smooth_px)
        text_read = vote_text(text_read, scale_readings(at, info.glyph_height_px, settings.text_vote_scales))
    if len(text_read.text.replace(" ", "")) > settings.short_text_max:
        text_read = _on_its_ink(text_read, crop, dpi, settings)
        return CellRead(cell=cell, text=text_read.text, confidence=text_read.confidence, kind=CellKind.TEXT)
    readings = [text_read]
    for lang in settings.short_text_langs:
        if lang != settings.text_lang and engine.supports(lang):
            readings.append(_read_text(engine, crop, dpi, info, settings, lang, smooth_px))
    # ties keep the first: the main reading
    best = _on_its_ink(max(readings, key=lambda c: c.confidence), crop, dpi, settings)
    if best.variant == INK_CHECK_VARIANT:
        readings.insert(0, best)
    kind = CellKind.NUMBER if looks_numeric(best.text) else CellKind.TEXT if best.text else CellKind.EMPTY
    return CellRead(
        cell=cell, text=best.text, confidence=best.confidence, kind=kind, candidates=tuple(readings)
    )


def _on_its_ink(read: Candidate, crop: np.ndarray, dpi: float, settings: OcrSettings) -> Candidate:
    """A text reading checked against its crop's ink (:mod:`extract.ocr.glyph_checks`): a lone
    "H" whose letter has no crossbar is "II"; a trailing comma on no ink is dropped.
    The confidence is the reading's; the variant names the check when it changed the text."""
    if not settings.text_ink_checks or not read.text:
        return read
    text = without_unprinted_stop(roman_two(read.text, crop), crop, dpi)
    if text == read.text:
        return read
    return Candidate(text=text, confidence=read.confidence, variant=INK_CHECK_VARIANT)


@dataclass(frozen=True)
class _CellCrop:
    """One cell being read: its crop (rules painted out, trimmed, bordered), what was measured of
    the crop, and the engine, settings and usable number variants that read it."""

    cell: GridCell
    crop: np.ndarray
    dpi: float
    info: CropInfo
    engine: OcrEngine
    settings: OcrSettings
    variants: tuple[NumberVariant, ...]  # ``settings.number_variants`` the engine supports

    def number(self, variant: NumberVariant, *, primary: bool = False) -> Candidate:
        """A number-mode reading of the crop with ``variant``, as a block when the crop holds
        several lines (the ``primary`` reading) or lines stacked clear of each other (every
        reading): a one-line or one-word mode reads a cell over two rows ("10" over "19") as ""
        or "5", and two such readings outvoted the block reading "10 19".  A worn digit broken
        into pieces at overlapping heights (a "5" whose bar came apart: two "lines" that overlap)
        is read by the variants as one line still: as a block, three of them read it "3"."""
        stacked = self.info.lines > 1 if primary else _stacked(self.info.line_boxes)
        if stacked and variant.psm in ONE_LINE_PSMS:
            variant = variant.model_copy(update={"psm": PSM_BLOCK})
        return _read_number(self.engine, self.crop, self.dpi, self.info, variant)

    def short_line(self) -> bool:
        return _short_line(self.crop, self.info, self.settings)


def _stacked(lines: Sequence[tuple[int, int, int, int]]) -> bool:
    """Whether there are several text lines (x0, y0, x1, y1), each below the one above."""
    return len(lines) > 1 and all(b[1] >= a[3] for a, b in zip(lines, lines[1:], strict=False))


def _cut(
    gray: np.ndarray,
    dpi: float,
    cell: GridCell,
    line_mask: np.ndarray | None,
    engine: OcrEngine,
    settings: OcrSettings,
    *,
    number_run: bool = False,
) -> _CellCrop:
    """Step 1: the cell's crop (:func:`~extract.ocr.cells.cut_cell`) and what reads it
    (``number_run``: only the marks a written number holds, see :func:`_number_run_look`)."""
    crop, info = cut_cell(
        gray,
        cell.box,
        line_mask,
        inset_px=round(mm_to_px(settings.cell_inset_mm, dpi)),
        dpi=dpi,
        border_px=round(mm_to_px(settings.cell_border_mm, dpi)),
        sliver_mm=settings.edge_sliver_max_mm,
        number_run=number_run,
    )
    variants = tuple(v for v in settings.number_variants if engine.supports(v.lang))
    return _CellCrop(cell, crop, dpi, info, engine, settings, variants)


def _blank(job: _CellCrop) -> bool:
    """Step 2: nothing, or only marks too short to be a digit or a letter: a speck, a dot, a dash
    (read as numbers, a lone speck came out "1" at 82 in five variants)."""
    info, settings = job.info, job.settings
    if not info.has_ink or info.number_height_px < mm_to_px(settings.min_glyph_height_mm, job.dpi):
        return True
    # one small mark alone on each of several lines: scattered specks, no text ("+ š")
    scattered = info.lines >= 2 and info.letters == info.lines
    return scattered and info.number_height_px < mm_to_px(settings.scattered_speck_mm, job.dpi)


def _number_first(job: _CellCrop) -> bool:
    """Whether the cell is read as a number before any text reading: a short line of uniform
    glyphs (most are numbers), when the settings allow it and a second model can check."""
    settings, info = job.settings, job.info
    return (
        settings.number_first
        and bool(job.variants)
        and settings.escalate_below > 0
        and job.short_line()
        and info.shortest_letter_px >= UNIFORM_LETTERS * info.number_height_px
    )


def _number_cell(cell: GridCell, chosen: Candidate, candidates: Sequence[Candidate]) -> CellRead:
    return CellRead(
        cell=cell,
        text=chosen.text,
        confidence=chosen.confidence,
        kind=CellKind.NUMBER,
        candidates=tuple(candidates),
    )


def _read_number_first(job: _CellCrop) -> tuple[CellRead | None, list[Candidate]]:
    """Step 3 (:func:`_number_first` cells): a sure plain first reading (:func:`_sure_alone`), or
    two models that agree digit for blob (:func:`_settled`), settle the cell without the slower
    text reading; otherwise no cell yet and the readings made so far."""
    readings = [job.number(job.settings.number)]
    if _sure_alone(readings[0], job.info, job.settings):
        return _number_cell(job.cell, readings[0], readings), readings
    readings.append(job.number(job.variants[0]))
    if _settled(readings, job.settings) and _plain_number(readings[0], job.info):
        return _number_cell(job.cell, vote_number(readings), readings), readings
    return None, readings


def _vote_smoothing(settings: OcrSettings, bilevel: bool) -> float | None:
    """How a short text cell's re-readings for the vote are smoothed, None when there is no vote:
    by default only 1-bit scans vote (``text_vote_bilevel_only``: the staircase edges that make
    tesseract drop a stroke of "II"; on grey scans the re-readings cost ~8% of a generated page's
    CPU and changed one cell of four sample pages, a commune name the gazetteer matches anyway)."""
    if bilevel:
        return settings.bilevel_text_smooth_px
    return None if settings.text_vote_bilevel_only else 0.0


def _text_smoothing(job: _CellCrop, bilevel: bool) -> float:
    """Step 4: how much a text reading of a 1-bit scan is smoothed — not at all for a short line,
    where numbers and text are told apart ("11" smoothed read "lãi" and left the number path; a
    generated fax's STT column)."""
    return job.settings.bilevel_text_smooth_px if bilevel and not job.short_line() else 0.0


def _number_readings(job: _CellCrop, maybe: bool) -> list[Candidate]:
    """Step 5, for a cell not read as a number first: the primary number reading (as a block
    when the crop holds several lines) and, when it or the text reading may be a number, the
    first variant (or every variant when readings are never escalated)."""
    settings = job.settings
    readings = [job.number(settings.number, primary=True)]
    if looks_numeric(readings[0].text) or maybe:
        if job.variants and settings.escalate_below > 0:
            readings.append(job.number(job.variants[0]))
        else:
            readings += [job.number(v) for v in job.variants]
    return readings


def _escalate(
    job: _CellCrop, readings: list[Candidate], numeric: bool, text_read: Candidate | None = None
) -> list[Candidate]:
    """Step 6: two readings of what may be a number that do not settle it get every other
    variant; confident words never do ("Xã Kế Thành", a short line, read first as "4" at 0), nor
    letters both number readings found no digit in (:func:`_letters_unescalated`)."""
    if len(readings) == 2 and numeric and not _settled(readings, job.settings):
        if text_read is not None and _letters_unescalated(job, readings, text_read):
            return readings
        return readings + [job.number(v) for v in job.variants[1:]]
    return readings


def _letters_unescalated(job: _CellCrop, readings: Sequence[Candidate], text_read: Candidate) -> bool:
    """Whether the text reading stands without the other number variants: neither number
    reading holds a digit, and the text reading is at least ``unescalated_text_confidence`` sure,
    holds no digit, a letter that never stands for a digit, and a character for every letter
    blob of the crop (a header's "H": the number models read nothing and the three other
    variants read nothing either, 7 tesseract calls a cell).  A digit any reading saw, a blob the
    text reading left unread, or letters that may all be digits (an STT's roman "I", which a
    third variant reads "1") keep the escalation, unless they are a word of
    ``unescalated_lookalike_letters`` letters that is no roman numeral (:func:`_lookalike_word`:
    the header's "STT"): a worn number is not decided here."""
    least = job.settings.unescalated_text_confidence
    if least is None or text_read.confidence < least:
        return False
    if any(ch.isdigit() for r in readings for ch in r.text):
        return False
    compact = text_read.text.replace(" ", "")
    if any(ch.isdigit() for ch in compact) or len(compact) < job.info.letters:
        return False
    if any(ch.isalpha() and ch not in DIGIT_LOOKALIKES for ch in compact):
        return True
    return _lookalike_word(compact, job.settings.unescalated_lookalike_letters)


_ROMAN_NUMERAL_LETTERS = frozenset("IVXLCDMivxlcdm|")
"""Letters of a roman numeral (an STT's "II", "IV"), and the stroke an "I" is read as."""


def _lookalike_word(compact: str, least: int | None) -> bool:
    """Whether ``compact`` (no digit) is a word of at least ``least`` letters, one of them no
    roman numeral's ("STT"): no number, though each letter may stand for a digit."""
    letters = [ch for ch in compact if ch.isalpha()]
    return (
        least is not None
        and len(letters) >= least
        and len(letters) == len(compact)
        and any(ch not in _ROMAN_NUMERAL_LETTERS for ch in letters)
    )


_PRINTED_COLUMN_NUMBER = re.compile(r"\((\d{1,2})\)")
"""A printed column number as the text model reads it: "(7)"."""


def _column_number_cell(
    job: _CellCrop, text_read: Candidate, readings: Sequence[Candidate]
) -> CellRead | None:
    """A cell of the header's column-number row ("(1) (2) (3) ..."), kept as the text model read
    it: a reading at least ``column_number_confidence`` sure of "(n)" where n is the cell's own
    1-based grid column.  The number models read "n" without the brackets at 0, so such a cell was
    escalated to every variant (and its text re-read in the short-text languages): the header row
    costs 6-7 tesseract calls a cell for a value no row takes.  A number in brackets that is not
    its column's own number (a negative "(5)" of a body row) is read as before."""
    least = job.settings.column_number_confidence
    if least is None or text_read.confidence < least or job.cell.col_span != 1:
        return None
    match = _PRINTED_COLUMN_NUMBER.fullmatch(text_read.text.replace(" ", ""))
    if match is None or int(match.group(1)) != job.cell.col + 1:
        return None
    return CellRead(
        cell=job.cell,
        text=text_read.text,
        confidence=text_read.confidence,
        kind=CellKind.TEXT,
        candidates=(*readings, text_read),
    )


def _decide(
    job: _CellCrop,
    text_read: Candidate,
    readings: list[Candidate],
    smooth_px: float,
    vote_smooth_px: float | None = None,
) -> CellRead:
    """Step 7: the number readings' vote against the text reading (:func:`_is_number_cell`): a
    number cell with every reading as a candidate, or a text cell (:func:`_text_cell`)."""
    settings = job.settings
    confirm = text_read if settings.text_confirms_vote else None
    number_read = vote_number(readings, confirm, settings.text_confirms_min) if settings.vote else readings[0]
    evidence = max((c.confidence for c in readings if looks_numeric(c.text)), default=0.0)
    if not _is_number_cell(text_read, number_read, evidence, job.info.letters, settings):
        return _text_cell(
            job.cell, text_read, job.crop, job.dpi, job.info, job.engine, settings, smooth_px, vote_smooth_px
        )
    chosen = number_read if looks_numeric(number_read.text) else text_read
    if settings.vote and chosen is number_read and job.cell.col > 0:  # never the index (an STT re-keys rows)
        numeric = [c for c in readings if looks_numeric(c.text)]
        chosen = dropped_digit_reading(numeric, number_read, text_read, settings.dropped_digit_vote) or chosen
    return _number_cell(job.cell, chosen, (*readings, text_read))


_DASH_MARKS = frozenset("-–—−_.…")
"""What a printed "none" is made of ("-", "—", "..."): a reading of these alone is a blank."""


def _dash_over_ink(job: _CellCrop, read: CellRead) -> CellRead:
    """Step 7: a reading of nothing but dashes or dots where the crop holds a mark taller than
    ``settings.dash_max_height_mm`` (a printed dash is a fraction of a millimetre tall) does not
    account for the ink: a digit crossed by a pen stroke read "—" stood as the report's own blank
    (dev hard 300-dpi 7B, printed "1" at 85).  The cell is unread ink, at ``NO_CONFIDENCE`` with
    its readings as candidates, so it is flagged, never a sure blank."""
    text = read.text.replace(" ", "")
    if not text or any(ch not in _DASH_MARKS for ch in text):
        return read
    if job.info.number_height_px <= mm_to_px(job.settings.dash_max_height_mm, job.dpi):
        return read
    mark = Candidate(read.text, read.confidence, "as read")
    candidates = (
        read.candidates if any(c.text == read.text for c in read.candidates) else (*read.candidates, mark)
    )
    return CellRead(
        cell=read.cell, text="", confidence=NO_CONFIDENCE, kind=CellKind.EMPTY, candidates=candidates
    )


def _worn_one(job: _CellCrop, read: CellRead) -> CellRead:
    """Step 8: a number cell read "1" from one letter with faint grey beside it (at least
    ``settings.worn_one_faint_share`` of the band left of the stem, see
    :attr:`~extract.ocr.cells.CropInfo.faint_left_share`) may be the stem of a worn "4" whose bar
    and diagonal faded below the ink threshold (dev hard 200-dpi 7B pages: printed 4s read "1" at
    90-92 by three models, 0.18-0.20 of the band faint; on three hard 200-dpi documents the worn 3s,
    4s and 5s read "1" measure 0.15-0.27, the 127 printed 1s at most 0.08 but one at 0.13 read at
    19).  Its confidence
    is at most the guessed digit's (``settings.guessed_digit_confidence``): flagged unless a rule
    of the form bears it out."""
    info, settings = job.info, job.settings
    if read.kind is not CellKind.NUMBER or read.text.strip() != "1" or info.letters != 1:
        return read
    if info.faint_left_share < settings.worn_one_faint_share:
        return read
    return replace(read, confidence=min(read.confidence, settings.guessed_digit_confidence))


def read_cell(
    gray: np.ndarray,
    dpi: float,
    cell: GridCell,
    line_mask: np.ndarray | None,
    engine: OcrEngine,
    settings: OcrSettings,
    *,
    bilevel: bool = False,
    under_seal: bool = False,
) -> CellRead:
    """OCR one grid cell of page ``gray`` (see the module docstring for the steps); ``bilevel``:
    the page is a 1-bit scan, its text readings are smoothed by ``settings.bilevel_text_smooth_px``;
    ``under_seal``: a round seal covers the cell (:attr:`~extract.model.TableGrid.under_seal`)."""
    job = _cut(gray, dpi, cell, line_mask, engine, settings)
    if _blank(job):
        return _faint_ink(gray, job, line_mask, bilevel)
    read = _worn_one(job, _dash_over_ink(job, _read_inked(job, bilevel)))
    read = _second_look(gray, job, line_mask, bilevel, text_dissent(read, settings))
    read = _number_run_look(gray, job, line_mask, read, under_seal=under_seal and not bilevel)
    return _placed_words(job, read)


_PLAIN_READING = re.compile(r"[-−–]?[0-9][0-9., ]*")
"""A reading that is a plain number: digits, group and decimal marks, spaces, a leading minus."""


def _number_key(text: str) -> str:
    """What a plain number reading says: its sign and its digits ("1.736" and "1736" agree)."""
    text = text.strip()
    return ("-" if text[:1] in "-−–" else "") + re.sub(r"[^0-9]", "", text)


def text_dissent(read: CellRead, settings: OcrSettings) -> CellRead:
    """Step 8b: a number cell whose text-model reading is a plain number read at least
    ``settings.words_confidence`` sure that says another number (its digits or its sign) than the
    number models' vote is disputed: at most ``settings.guessed_digit_confidence`` sure, flagged
    unless a rule of the form bears it out.  On a dev hard 200-dpi 1B page a printed "23" was read
    "24" by two number models (91, 95) and "23" by the text model (95): it stood `read`.  A text
    reading that is no plain number (text mode garbles lone numbers: "23" -> "vá)") or is unsure
    says nothing."""
    if read.kind is not CellKind.NUMBER or not _PLAIN_READING.fullmatch(read.text.strip()):
        return read
    chosen = _number_key(read.text)
    for cand in read.candidates:
        if (
            cand.variant == "text"
            and cand.confidence >= settings.words_confidence
            and _PLAIN_READING.fullmatch(cand.text.strip())
            and _number_key(cand.text) != chosen
        ):
            return replace(read, confidence=min(read.confidence, settings.guessed_digit_confidence))
    return read


def _faint_ink(gray: np.ndarray, job: _CellCrop, line_mask: np.ndarray | None, bilevel: bool) -> CellRead:
    """Step 2, a cell with no ink of letter height: looked at again with its contrast to the
    paper multiplied by ``settings.faint_ink_gain`` (:func:`~extract.ocr.cells.raise_contrast`).
    Faded toner leaves a digit 20-50 grey levels under the paper, under the ink threshold (60):
    on the dev hard 200-dpi scans printed "7", "5", "2" stood as sure blanks (confidence 100) in
    4B and 7B columns.  A cell with letter-sized ink at the raised contrast is read as any other
    (steps 3-8), at most ``settings.faint_ink_confidence`` sure (flagged unless a rule of the form
    bears it out); ink there but nothing read -- or read below ``settings.faint_ink_min_confidence``,
    or as rule marks alone ("|": a faded rule's remnant) -- is unread ink, text "" at
    ``NO_CONFIDENCE`` (flagged in a value column; an STT or a label stays as empty as before: a
    remnant read "1" at 3 had become a total row's STT).  Paper alone stays a sure blank; 1-bit
    scans have no faint grey and are not looked at again."""
    cell, settings = job.cell, job.settings
    empty = CellRead(cell=cell, text="", confidence=100.0, kind=CellKind.EMPTY)
    gain = settings.faint_ink_gain
    if bilevel or gain is None or gain <= 1.0 or not may_hold_faint_ink(job.crop, gain):
        return empty
    faint = _cut_raised(gray, job, line_mask, gain)
    if faint is None or _blank(faint):
        return empty
    read = _worn_one(faint, _dash_over_ink(faint, _read_inked(faint, bilevel)))
    marks = read.text.replace(" ", "")
    if (
        read.kind is CellKind.EMPTY
        or not marks
        or all(ch in _RULE_MARKS for ch in marks)
        or read.confidence < settings.faint_ink_min_confidence
    ):
        return CellRead(
            cell=cell, text="", confidence=NO_CONFIDENCE, kind=CellKind.EMPTY, candidates=read.candidates
        )
    return replace(read, cell=cell, confidence=min(read.confidence, settings.faint_ink_confidence), words=())


def _cut_raised(
    gray: np.ndarray,
    job: _CellCrop,
    line_mask: np.ndarray | None,
    gain: float,
    *,
    number_run: bool = False,
    adjust: Callable[[np.ndarray, float], np.ndarray] = raise_contrast,
) -> _CellCrop | None:
    """The cell of ``job`` cut again from page ``gray`` with its contrast to the paper multiplied
    by ``gain`` (``adjust``: :func:`~extract.ocr.cells.raise_contrast`, or
    :func:`~extract.ocr.cells.without_light_ink`; ``number_run`` as :func:`_cut`); None for a box
    off the page."""
    cell = job.cell
    height, width = gray.shape[:2]
    x0, y0 = max(0, cell.box.x0), max(0, cell.box.y0)
    x1, y1 = min(width, cell.box.x1), min(height, cell.box.y1)
    if x1 <= x0 or y1 <= y0:
        return None
    local = replace(cell, box=PixelBox(0, 0, x1 - x0, y1 - y0))
    mask = line_mask[y0:y1, x0:x1] if line_mask is not None else None
    return _cut(
        adjust(gray[y0:y1, x0:x1], gain),
        job.dpi,
        local,
        mask,
        job.engine,
        job.settings,
        number_run=number_run,
    )


_BRACKETS = frozenset("()[]{}")


def _ink_growth(gray: np.ndarray, box: PixelBox, line_mask: np.ndarray | None, gain: float) -> float:
    """:func:`~extract.ocr.cells.raised_ink_growth` of the cell ``box`` of page ``gray``."""
    height, width = gray.shape[:2]
    x0, y0, x1, y1 = max(0, box.x0), max(0, box.y0), min(width, box.x1), min(height, box.y1)
    if x1 <= x0 or y1 <= y0:
        return 1.0
    rules = line_mask[y0:y1, x0:x1] > 0 if line_mask is not None else None
    return raised_ink_growth(gray[y0:y1, x0:x1], rules, gain)


_ROMAN_OR_MARKS = frozenset("IVXxv")
"""A short text of these alone is a roman numeral (an STT "II") or a mark ("x"): never a digit's
worn shape (:func:`_digit_shaped`)."""


def _digit_shaped(job: _CellCrop, read: CellRead) -> bool:
    """Whether a text reading with no digit may be a worn digit read as letters: a short text
    (at most ``settings.short_text_max`` characters, no confident word: :func:`_words`) from one
    short line (:func:`_short_line`).  Worn toner breaks a
    "0" into two arcs read "u", "U", "Ụ", and the stroke of a "6" read "B", "lạ", "lại", "h" --
    with the number models reading nothing; on a dev hard 200-dpi document 40 printed 0s and 6s
    were lost so, flagged, and at the raised contrast each read as its digit at 90-96.  A roman
    numeral or a mark ("II", "x") never is (an STT "II" read again might become "11")."""
    compact = read.text.replace(" ", "")
    settings = job.settings
    return (
        settings.second_look_letters
        and 0 < len(compact) <= settings.short_text_max
        and not set(compact) <= _ROMAN_OR_MARKS
        and not _words(Candidate(read.text, read.confidence, "text"), settings.words_confidence)
        and job.short_line()
    )


def _unsure(read: CellRead, settings: OcrSettings, job: _CellCrop | None = None) -> bool:
    """Whether a cell of ink was read unsure enough to look at it again: a number read below
    ``settings.second_look_below``, a misread number (a text holding a digit that may be a number,
    :func:`_maybe_number`: "L7.394", "¡` 202", "hs 3"), or ink that nothing could be read from
    (confidence 0).  Words never are (a label "Phường 2" or a plan's "Kế hoạch số 12": on a mild
    300-dpi document they were most of 48 cells read again for nothing, +13% CPU), nor text
    without a digit (a roman "II" read again might become "11" in an STT column) unless it may be
    a worn digit read as letters (:func:`_digit_shaped`, with ``job``)."""
    if read.kind is CellKind.NUMBER:
        return read.confidence < settings.second_look_below
    if read.kind is CellKind.TEXT:
        # a column-number heading "(3)" read again as "3" would lose the heading row
        if any(ch in _BRACKETS for ch in read.text):
            return False
        reading = Candidate(read.text, read.confidence, "text")
        if not any(ch.isdigit() for ch in read.text):
            return job is not None and _digit_shaped(job, read)
        return _maybe_number(reading, settings.short_text_max, settings.words_confidence)
    return read.confidence <= NO_CONFIDENCE


def _second_look(
    gray: np.ndarray, job: _CellCrop, line_mask: np.ndarray | None, bilevel: bool, read: CellRead
) -> CellRead:
    """Step 8c: a cell of ink read unsure (:func:`_unsure`) is read again (steps 3-8) with its
    contrast to the paper multiplied by ``settings.second_look_gain``.  Worn toner leaves a digit's
    strokes in part under the ink threshold: the arms of a "4" or a "3" (read "1"), the leading
    "1" of "15" (read "5" or "L5"), the top of a "3" in "353" (read "153").  On the fresh dev
    hard scans, of the cells read unsure whose second reading was one plain number at least
    ``settings.second_look_min_confidence`` sure and another text, that reading was the printed
    number 31 times and wrong never (gain 1.5; the first reading had been right 5 of those times in
    other digits' place: "L5" for 15).  The second reading then stands, at most
    ``settings.second_look_confidence`` sure (flagged unless a rule of the form bears it out),
    with the first reading's candidates kept so a rule can still choose them.  1-bit scans have no
    grey to raise and are never looked at again."""
    settings = job.settings
    gain = settings.second_look_gain
    if bilevel or gain is None or gain <= 1.0 or not _unsure(read, settings, job):
        return read
    if _ink_growth(gray, job.cell.box, line_mask, gain) < settings.second_look_min_ink_growth:
        return read  # nothing faded there: the same ink would be read the same way
    again_job = _cut_raised(gray, job, line_mask, gain)
    if again_job is None or _blank(again_job):
        return read
    again = _worn_one(again_job, _dash_over_ink(again_job, _read_inked(again_job, bilevel)))
    text = again.text.strip()
    if (
        again.kind is not CellKind.NUMBER
        or not _PLAIN_READING.fullmatch(text)
        or " " in text
        or again.confidence < settings.second_look_min_confidence
        or text == read.text.strip()
    ):
        return read
    return CellRead(
        cell=job.cell,
        text=again.text,
        confidence=min(again.confidence, settings.second_look_confidence),
        kind=CellKind.NUMBER,
        candidates=(*again.candidates, *read.candidates),
    )


_NUMBER_SHAPE = re.compile(r"[-−–]?[0-9]+(?:[., ][0-9]+)*\.?")
"""A number as printed: digits in groups parted by a point, a comma or a space, a leading minus
(a trailing point is read as the number: "19."; a trailing comma or dash is not: "0,", "5-")."""


def _not_a_number(read: CellRead, job: _CellCrop, *, one_line: bool = True) -> bool:
    """Whether a cell (``one_line``: of one short line) was read as something other than a plain
    number that may still be one: a number reading with marks a number does not have ("5-", "0,",
    ",98") or read unsure, unread ink, or a text that is not confident words ("É", "»")."""
    text = read.text.strip()
    if one_line and not (job.info.lines == 1 and job.short_line()):
        return False
    if read.kind is CellKind.NUMBER:
        return not _NUMBER_SHAPE.fullmatch(text) or read.confidence < job.settings.second_look_below
    if read.kind is CellKind.TEXT:
        settings = job.settings
        return (
            not any(ch in _BRACKETS for ch in text)
            and not set(text.replace(" ", "")) <= _ROMAN_OR_MARKS
            and _maybe_number(
                Candidate(read.text, read.confidence, "text"),
                settings.short_text_max,
                settings.words_confidence,
            )
        )
    return read.confidence <= NO_CONFIDENCE


def _agreed_number(readings: Sequence[Candidate], min_confidence: float) -> str | None:
    """The one plain number (one token) that at least two of ``readings`` read at least
    ``min_confidence`` sure, when no reading that sure reads another; else None."""
    sure = [r.text.strip() for r in readings if r.confidence >= min_confidence]
    texts = set(sure)
    if len(texts) != 1:
        return None
    text = texts.pop()
    if len(sure) < 2 or " " in text or not _PLAIN_READING.fullmatch(text):
        return None
    return text


def _number_run_look(
    gray: np.ndarray,
    job: _CellCrop,
    line_mask: np.ndarray | None,
    read: CellRead,
    *,
    under_seal: bool = False,
) -> CellRead:
    """Step 8d: a one-line cell not read as a plain number (:func:`_not_a_number`) is cut again
    keeping only its letters and the marks a written number holds (a point between digits, a
    leading minus: :func:`~extract.ocr.cells.cut_cell`'s ``number_run``) and read by every number
    model.  A copier's speck beside, above or after the digits is kept as punctuation by the
    first cut and read: "5-", "0,", "27,", ".19", ": 2,591".  When two readings agree on one
    plain number read at least ``settings.second_look_min_confidence`` sure and no reading that
    sure says another (:func:`_agreed_number`), it stands at most
    ``settings.second_look_confidence`` sure (flagged unless a rule of the form bears it out),
    the first reading's candidates kept.  Only cells whose cut drops a mark are read again
    (``settings.number_run_look``; 1-bit scans too: their specks are the same).

    A cell ``under_seal`` is also cut with every mark but the ink that stays ink at its contrast
    to the paper lowered by each of ``settings.seal_look_gains`` painted out
    (:func:`~extract.ocr.cells.without_light_ink`): a seal's ink (red or blue, a lighter grey on the
    scan) falls under the ink threshold, the printed digits stay ("bốn" for 3.049, "4-620" for
    4.620, "" for 7 on the dev hard 300-dpi scans).  Lowered too far, a thin stroke goes too (a
    drawn "47" at 200 dpi read "4" at 0.75, "47" at 0.85): the gains must not read two numbers."""
    settings = job.settings
    if not settings.number_run_look or not job.variants:
        return read
    found = None
    if _not_a_number(read, job):
        found = _agreed_look(
            job, _cut(gray, job.dpi, job.cell, line_mask, job.engine, settings, number_run=True)
        )
    if found is None and under_seal and settings.seal_look_gains and _not_a_number(read, job, one_line=False):
        seen = [
            _agreed_look(job, _cut_raised(gray, job, line_mask, g, number_run=True, adjust=without_light_ink))
            for g in settings.seal_look_gains
        ]
        if len({look[0] for look in seen if look is not None}) == 1:
            found = next(look for look in seen if look is not None)
    if found is None or not _may_replace(read.text.strip(), found[0]):
        return read
    text, readings = found
    return CellRead(
        cell=job.cell,
        text=text,
        confidence=min(max(r.confidence for r in readings), settings.second_look_confidence),
        kind=CellKind.NUMBER,
        candidates=(*readings, *read.candidates),
    )


def _may_replace(first: str, again: str) -> bool:
    """Whether the number-run look's reading ``again`` may stand for the first reading ``first``:
    only holding every digit the first read, in order (a worn digit's piece went with the specks:
    "23" read "3"; under a seal "\\ẨÄ4 Y" read "1"), and a first reading that is a number already
    (read unsure) only with more digits ("8" for 48, "81" for 681): under a seal a "4" read at 6
    was right and its look, the thin strokes lowered away, read "1" (dev hard 200-dpi 14B)."""
    digits, more = re.sub(r"\D", "", first), re.sub(r"\D", "", again)
    if first == again or not _within(digits, more):
        return False
    return not _NUMBER_SHAPE.fullmatch(first) or len(more) > len(digits)


def _within(digits: str, more: str) -> bool:
    """Whether ``digits`` are ``more``'s, in order, some perhaps left out ("829" of "1829")."""
    rest = iter(more)
    return all(ch in rest for ch in digits)


def _agreed_look(job: _CellCrop, again: _CellCrop | None) -> tuple[str, list[Candidate]] | None:
    """The number every number model's reading of the crop ``again`` agrees on
    (:func:`_agreed_number`) and the readings; None when ``again`` is blank or the crop of ``job``
    (no mark dropped: the same crop would be read the same way) or no number is agreed on.  The
    variants are read one by one until two sure readings agree, and not past two that read
    nothing sure."""
    if (
        again is None
        or _blank(again)
        or (again.crop.shape == job.crop.shape and np.array_equal(again.crop, job.crop))
    ):
        return None
    settings = job.settings
    sure = settings.second_look_min_confidence
    readings = [again.number(settings.number, primary=True)]
    for variant in again.variants:
        if len(readings) >= 2 and _agreed_number(readings, sure) is not None:
            break  # two sure readings agree, none dissents
        if len(readings) >= 2 and all(r.confidence < sure for r in readings):
            break  # the first two read nothing sure: the others seldom do (CPU)
        readings.append(again.number(variant))
    text = _agreed_number(readings, sure)
    return None if text is None else (text, readings)


_RULE_MARKS = frozenset({"|", "!", "¦"})
"""What a piece of a vertical ruling line reads as."""


def _placed_words(job: _CellCrop, read: CellRead) -> CellRead:
    """Step 9: a number cell's words with where each is printed, when the reading has as many
    words as the crop's one line has letter groups (:attr:`~extract.ocr.cells.CropInfo.groups`):
    word *i* is group *i*.  A cell over two printed columns whose rule was lost ("5.036 2.141")
    can then be parted at the rule's place (:func:`extract.tables.column_fit.part_cell`); any
    other count leaves no words (which word is where is not known)."""
    tokens = read.text.split()
    lines = job.info.line_boxes
    if len(lines) > 1 and job.cell.row_span > 1 and job.cell.col_span == 1:
        return _placed_lines(job, read, tokens)
    groups = job.info.groups
    if len(tokens) > len(groups):  # a lost rule's remnant read as a bar ("2630 | 202") ...
        tokens = [t for t in tokens if t not in _RULE_MARKS]
    if read.kind is not CellKind.NUMBER or not tokens or len(tokens) != len(groups):
        return read
    # the one line's height where it is printed (a cell over two rows: which row it is in)
    y0, y1 = (lines[0][1], lines[0][3]) if len(lines) == 1 else (job.cell.box.y0, job.cell.box.y1)
    words = tuple(
        TextWord(token, PixelBox(x0, y0, x1, y1), read.confidence)
        for token, (x0, x1) in zip(tokens, groups, strict=True)
        if token not in _RULE_MARKS  # ... is no word, whether its ink was a letter group or not
    )
    return replace(read, words=words) if words else read


def _placed_lines(job: _CellCrop, read: CellRead, tokens: list[str]) -> CellRead:
    """Step 9, a number cell over several grid rows whose crop holds several lines: its words
    with where each line is printed, when every line was read as one number (the tokens that hold
    a digit, as many as the lines, top to bottom: tesseract reads a block's lines in order);
    ``"5 . 3"`` is two lines of one number each.  Any other reading leaves no words."""
    numbers = [t for t in tokens if any(ch.isdigit() for ch in t)]
    lines = job.info.line_boxes
    if read.kind is not CellKind.NUMBER or len(numbers) != len(lines) or not _stacked(lines):
        return read
    if not all(_PLAIN_READING.fullmatch(t) for t in numbers):
        return read
    words = tuple(
        TextWord(token, PixelBox(x0, y0, x1, y1), read.confidence)
        for token, (x0, y0, x1, y1) in zip(numbers, lines, strict=True)
    )
    return replace(read, words=words)


def part_rows(read: CellRead, row_edges: Sequence[int], settings: OcrSettings) -> tuple[CellRead, ...]:
    """A number cell the grid closed over several rows (a horizontal rule lost on a worn scan),
    parted by its lines: each placed line (:func:`_placed_lines`) becomes a cell of the grid row
    its middle lies in, at most ``settings.row_part_confidence`` sure (flagged unless a rule of
    the form bears it out), with the whole cell's readings as candidates.  On the dev hard scans
    such cells read "10 19", "7 5", "21 5", "1.311 562": one value under the upper row, unusable
    and flagged, while the lower row had a flagged place-holder and its printed number was lost.
    A row of the span where no line stands gets no cell (the place-holder of a cell the grid lost,
    :mod:`extract.validate.missing_cells`); lines that do not fall one to a row leave the cell as
    it was.  A cell of one line (its words all on it) becomes the cell of the row the line lies
    wholly in (a number printed in the lower row stood under the upper one, flagged, and the
    lower row's number was "missing"); a line across a row's edge leaves the cell whole.
    ``row_part_confidence`` null: never parted."""
    cell = read.cell
    cap = settings.row_part_confidence
    if cap is None or cell.row_span < 2 or not read.words:
        return (read,)
    if len({(w.box.y0, w.box.y1) for w in read.words}) == 1:
        return (_one_line_part(read, row_edges, cap),)
    if cell.col_span != 1 or len(read.words) < 2:
        return (read,)
    rows: dict[int, TextWord] = {}
    for word in read.words:
        middle = (word.box.y0 + word.box.y1) / 2
        row = next(
            (
                r
                for r in range(cell.row, cell.row + cell.row_span)
                if row_edges[r] <= middle < row_edges[r + 1]
            ),
            None,
        )
        if row is None or row in rows:
            return (read,)
        rows[row] = word
    box = cell.box
    return tuple(
        CellRead(
            cell=GridCell(
                row=row,
                col=cell.col,
                row_span=1,
                col_span=1,
                box=PixelBox(box.x0, max(box.y0, row_edges[row]), box.x1, min(box.y1, row_edges[row + 1])),
            ),
            text=word.text,
            confidence=min(read.confidence, cap),
            kind=CellKind.NUMBER,
            candidates=read.candidates,
            words=(word,),
        )
        for row, word in sorted(rows.items())
    )


def _one_line_part(read: CellRead, row_edges: Sequence[int], cap: float) -> CellRead:
    """A cell over several grid rows whose words stand on one line: the cell of the row (of its
    span) that the line lies wholly in, over the same columns (a cell over two columns too is
    parted by its words later, :mod:`extract.tables.cell_parts`), at most ``cap`` sure; the cell
    as it was when the line
    reaches over a row's edge (which row it is printed in is not known), its words' place is
    the whole cell's (the crop's line was not found), it starts in the grid's first row (a header
    cell) or it was read at confidence 0."""
    cell = read.cell
    top, bottom = read.words[0].box.y0, read.words[0].box.y1
    if (top, bottom) == (cell.box.y0, cell.box.y1) or cell.row == 0 or read.confidence <= 0:
        # its line was not found; or a cell from the grid's first row, a header cell ("STT" over
        # two header rows read "1" at 0: moved down, it made the lower header row a body row);
        # or nothing was read sure at all
        return read
    row = next(
        (
            r
            for r in range(cell.row, cell.row + cell.row_span)
            if row_edges[r] <= top and bottom <= row_edges[r + 1]
        ),
        None,
    )
    if row is None or row == cell.row:
        # in the span's first row it already stands there; and an item's STT printed once at the
        # top beside its sub-rows (QĐ 707) is such a cell: the grid's span is the print's
        return read
    box = cell.box
    return replace(
        read,
        cell=GridCell(
            row=row,
            col=cell.col,
            row_span=1,
            col_span=cell.col_span,
            box=PixelBox(box.x0, max(box.y0, row_edges[row]), box.x1, min(box.y1, row_edges[row + 1])),
        ),
        confidence=min(read.confidence, cap),
    )


def _read_inked(job: _CellCrop, bilevel: bool) -> CellRead:
    """Steps 3-6 of :func:`read_cell` for a crop with ink taller than a speck."""
    cell, dpi, engine, settings = job.cell, job.dpi, job.engine, job.settings
    readings: list[Candidate] = []
    if _number_first(job):
        settled, readings = _read_number_first(job)
        if settled is not None:
            return settled
    smooth_px = _text_smoothing(job, bilevel)
    vote_smooth = _vote_smoothing(settings, bilevel)
    text_read = _read_text(engine, job.crop, dpi, job.info, settings, smooth_px=smooth_px)
    column_number = _column_number_cell(job, text_read, readings)
    if column_number is not None:
        return column_number
    words = _words(text_read, settings.words_confidence)
    maybe = _maybe_number(text_read, settings.short_text_max, settings.words_confidence)
    if not readings:
        # a number-mode reading is spent on what may be a misread number or is one short line
        # (tesseract's text mode garbles lone numbers: "23" -> "vá)"), never on confident words
        if words or not (maybe or job.short_line()):
            return _text_cell(
                cell, text_read, job.crop, dpi, job.info, engine, settings, smooth_px, vote_smooth
            )
        readings = _number_readings(job, maybe)
    readings = _escalate(
        job, readings, numeric=not words and (looks_numeric(readings[0].text) or maybe), text_read=text_read
    )
    return _decide(job, text_read, readings, smooth_px, vote_smooth)


# --------------------------------------------------------------------------------------------
# tables and free text


def read_table(
    page: PreparedPage,
    grid: TableGrid,
    line_mask: np.ndarray,
    engine: OcrEngine,
    settings: OcrSettings,
    *,
    page_index: int,
    table_index: int,
    words: tuple[TextWord, ...] | None = None,
) -> ReadTable:
    """One :class:`CellRead` per grid cell, in the grid's cell order.

    ``line_mask`` (uint8, page shape, non-zero on ruling lines) is painted out of every crop.
    With ``words`` (a trustworthy text layer, page pixels) no OCR is run.  All OCR of the table
    is bounded by ``settings.page_timeout_s`` (raises :class:`~extract.errors.OcrTimeout`).
    """
    if words is not None:
        cells = tuple(_cell_from_words(cell, words) for cell in grid.cells)
    else:
        sealed = set(grid.under_seal)
        settings = _with_choice_search(page, settings)

        def read(cell: GridCell, under_seal: bool) -> CellRead:
            return read_cell(
                page.gray,
                page.dpi,
                cell,
                line_mask,
                engine,
                settings,
                bilevel=page.bilevel,
                under_seal=under_seal,
            )

        with engine.deadline(settings.page_timeout_s):
            # the cells no seal covers first: their readings tell the number columns, the only
            # ones whose sealed cells get the seal look (:func:`number_columns`)
            reads = {cell: read(cell, False) for cell in grid.cells if (cell.row, cell.col) not in sealed}
            numeric = number_columns(reads.values(), settings.seal_look_number_share)
            for cell in grid.cells:
                if cell not in reads:
                    reads[cell] = read(cell, _number_column_cell(cell, numeric))
            if settings.pen_look.enabled:
                reads = _pen_looks(page, reads, line_mask, engine, settings, sealed)
            if settings.one_strokes.enabled and not page.bilevel:
                reads = _one_stroke_looks(page, reads, line_mask, engine, settings, sealed)
            if settings.label_look.gains:
                reads = _label_seal_looks(page, reads, line_mask, engine, settings, sealed, numeric)
            cells = tuple(
                part for cell in grid.cells for part in part_rows(reads[cell], grid.row_edges, settings)
            )
    return ReadTable(page_index=page_index, table_index=table_index, grid=grid, cells=cells)


def _with_choice_search(page: PreparedPage, settings: OcrSettings) -> OcrSettings:
    """``settings`` with the choice search of ``page``'s text cells (:mod:`.clean_scan`)."""
    iterations = choice_iterations(page, settings.text_cell_short_search)
    if iterations == settings.text_cell_choice_iterations:
        return settings
    return settings.model_copy(update={"text_cell_choice_iterations": iterations})


def _number_column_cell(cell: GridCell, numeric: Collection[int]) -> bool:
    """Whether ``cell`` is one column of a number column (:func:`number_columns`) but the grid's
    first: the cells a number look (the seal look, :func:`_number_run_look`; the pen look; the
    one-stroke look) may read again.  The first is the index: an STT (or a roman "II" the number
    models read "11") read anew re-keys the table's rows -- the mechanism the pen look's guard
    names, and the one left open when the seal look lost a test-split hard 200 document's rows
    twice (cells17, cells19)."""
    return cell.col_span == 1 and cell.col > 0 and cell.col in numeric


LABEL_LOOK_VARIANT = "label_seal_look"
"""The variant of a label cell's reading with the seal's ink painted out (a candidate only)."""


def _label_seal_looks(
    page: PreparedPage,
    reads: dict[GridCell, CellRead],
    line_mask: np.ndarray,
    engine: OcrEngine,
    settings: OcrSettings,
    sealed: set[tuple[int, int]],
    numeric: Collection[int],
) -> dict[GridCell, CellRead]:
    """Each cell under a seal (``sealed``, (row, col)) of a text column (not the grid's first,
    the STT; not one of the ``numeric`` columns) whose reading is not words
    (``settings.label_look``: ``legible_max``, ``words_min``) read once more with the seal's
    lighter ink painted out
    (:func:`_label_seal_look`).  A seal over a commune list's first rows read its labels "TƯ",
    "ẦƑ", "" (dev_4568's 7B); with the seal's ink gone they read "UBND cấp xả", "Ma Phương
    Đình".  The cell's text stays as read: the readings are candidates, which row naming takes
    only where one names a commune, a section or an item the first reading does not
    (:mod:`extract.understand.label_looks`)."""
    out = dict(reads)
    for cell, read in reads.items():
        if cell.col > 0 and cell.col not in numeric and (cell.row, cell.col) in sealed:
            out[cell] = _label_seal_look(page.gray, page.dpi, line_mask, engine, settings, read)
    return out


def _label_seal_look(
    gray: np.ndarray,
    dpi: float,
    line_mask: np.ndarray,
    engine: OcrEngine,
    settings: OcrSettings,
    read: CellRead,
) -> CellRead:
    """``read`` with the text readings of its cell cut again at each of
    ``settings.label_look.gains`` with the ink lighter than that painted out
    (:func:`~extract.ocr.cells.without_light_ink`) added as candidates (``LABEL_LOOK_VARIANT``,
    at most ``settings.second_look_confidence`` sure); unchanged for a number or a reading of
    words (more than ``legible_max`` of them well-formed, at least ``words_min`` of them)."""
    from ..validate.labels import reads_as_words  # the labels' one measure of words

    look = settings.label_look
    if read.kind is CellKind.NUMBER or reads_as_words(read.text, look.legible_max, look.words_min):
        return read
    job = _cut(gray, dpi, read.cell, line_mask, engine, settings)
    found = []
    for gain in look.gains:
        again = _cut_raised(gray, job, line_mask, gain, adjust=without_light_ink)
        if again is None or _blank(again):
            continue
        text = _read_text(engine, again.crop, again.dpi, again.info, settings)
        if text.text.strip() and text.text.strip() != read.text.strip():
            confidence = min(text.confidence, settings.second_look_confidence)
            found.append(Candidate(text.text.strip(), confidence, LABEL_LOOK_VARIANT))
    return replace(read, candidates=(*read.candidates, *found)) if found else read


def _pen_unsure(read: CellRead, settings: OcrSettings) -> bool:
    """Whether a cell's reading may be digits a pen stroke crosses: a number read unsure or with
    marks a number does not have, unread ink, or a short text that is not confident words ("Le.",
    "` nbg", "2-495"); never a heading's "(3)" nor a roman "II"."""
    text = read.text.strip()
    if read.kind is CellKind.NUMBER:
        return not _NUMBER_SHAPE.fullmatch(text) or read.confidence < settings.second_look_below
    if read.kind is CellKind.TEXT:
        compact = text.replace(" ", "")
        return (
            0 < len(compact) <= settings.pen_look.max_text
            and not any(ch in _BRACKETS for ch in compact)
            and not set(compact) <= _ROMAN_OR_MARKS
            and not _words(Candidate(read.text, read.confidence, "text"), settings.words_confidence)
        )
    return read.confidence <= NO_CONFIDENCE


def _pen_looks(
    page: PreparedPage,
    reads: dict[GridCell, CellRead],
    line_mask: np.ndarray,
    engine: OcrEngine,
    settings: OcrSettings,
    sealed: set[tuple[int, int]],
) -> dict[GridCell, CellRead]:
    """Step 10: each unsure cell (:func:`_pen_unsure`) of a number column
    (:func:`number_columns`, ``settings.pen_look.number_share``) but the grid's first (the index:
    an STT changed re-keys the rows) read once more with a pen stroke that crosses it painted out
    (:func:`_pen_look`).  Never a cell under a seal (``sealed``, (row, col)): a seal's ring is a
    long thin curve too, and painted out it took a "7" of "79" with it (dev hard 300-dpi 7B)."""
    look = settings.pen_look
    numeric = number_columns(reads.values(), look.number_share)
    out = dict(reads)
    for cell, read in reads.items():
        if (
            _number_column_cell(cell, numeric)
            and (cell.row, cell.col) not in sealed
            and _pen_unsure(read, settings)
        ):
            out[cell] = _pen_look(page.gray, page.dpi, line_mask, engine, settings, read)
    return out


def _pen_look(
    gray: np.ndarray,
    dpi: float,
    line_mask: np.ndarray,
    engine: OcrEngine,
    settings: OcrSettings,
    read: CellRead,
) -> CellRead:
    """A cell crossed by a pen stroke (:func:`~extract.ocr.pen_strokes.without_pen_stroke`, found
    in the cell and ``settings.pen_look.margin_mm`` round it) cut again with the stroke painted
    out and read by the number models: one plain number two of them agree on at least
    ``settings.second_look_min_confidence`` sure (:func:`_agreed_look`) that may stand for the
    first reading (:func:`_may_replace`) stands at most ``settings.second_look_confidence`` sure
    -- flagged unless a rule of the form bears it out -- the first reading's candidates kept.  A
    signature drawn over a table's last rows crosses its digits with a grey line as dark as the
    print ("71" read "Le.", "2.549" read "` nbg")."""
    look = settings.pen_look
    cell = read.cell
    height, width = gray.shape[:2]
    margin = round(mm_to_px(look.margin_mm, dpi))
    x0, y0 = max(0, cell.box.x0 - margin), max(0, cell.box.y0 - margin)
    x1, y1 = min(width, cell.box.x1 + margin), min(height, cell.box.y1 + margin)
    if x1 <= x0 or y1 <= y0:
        return read
    rules = line_mask[y0:y1, x0:x1]
    painted = without_pen_stroke(gray[y0:y1, x0:x1], rules > 0, dpi, look)
    if painted is None:
        return read
    local = replace(
        cell, box=PixelBox(cell.box.x0 - x0, cell.box.y0 - y0, cell.box.x1 - x0, cell.box.y1 - y0)
    )
    again = _cut(painted, dpi, local, rules, engine, settings, number_run=True)
    if _blank(again):
        return read
    readings = [again.number(settings.number, primary=True)] + [again.number(v) for v in again.variants]
    text = _most_agreed(readings, settings.second_look_min_confidence)
    if text is None or not _may_replace(read.text.strip(), text):
        return read
    if not _accounts_for(text, again.info.letters, look.stray_pieces):
        return read
    return CellRead(
        cell=cell,
        text=text,
        confidence=min(max(r.confidence for r in readings), settings.second_look_confidence),
        kind=CellKind.NUMBER,
        candidates=(*readings, *read.candidates),
    )


_ONE_LOOKALIKES = frozenset("Il|iLÍíìỉĩị1!")
"""What the text model reads a printed "1" as ("II", "li", "lãi", "LÍ", "|"): a reading with none
of these ("q", "ñ" for a worn "0" whose two sides are left as upright strokes) is not "1"s."""


def _letters_unsure(read: CellRead, settings: OcrSettings) -> bool:
    """Whether a cell's reading may be clean "1"s read as letters: a short text (at most
    ``settings.one_strokes.max_letters`` characters) holding a letter a "1" is read as
    (``_ONE_LOOKALIKES``) that is not confident words and holds no bracket ("II", "li", "lãi",
    "LÍ" -- a roman "II" too: in a number column but the first it is a printed "11")."""
    if read.kind is not CellKind.TEXT:
        return False
    compact = read.text.replace(" ", "")
    return (
        0 < len(compact) <= settings.one_strokes.max_letters
        and any(ch in _ONE_LOOKALIKES for ch in compact)
        and not any(ch in _BRACKETS for ch in compact)
        and not _words(Candidate(read.text, read.confidence, "text"), settings.words_confidence)
    )


def _one_stroke_looks(
    page: PreparedPage,
    reads: dict[GridCell, CellRead],
    line_mask: np.ndarray,
    engine: OcrEngine,
    settings: OcrSettings,
    sealed: set[tuple[int, int]],
) -> dict[GridCell, CellRead]:
    """Step 11: each cell of a number column (:func:`number_columns`,
    ``settings.one_strokes.number_share``) but the grid's first (the index: an STT changed re-keys
    the rows, and a roman "II" is printed there) read as a short text (:func:`_letters_unsure`)
    whose crop's letters are each one upright stroke (:func:`~extract.ocr.one_strokes.ones`) is
    that many "1"s when they hold every digit the text held (:func:`_may_replace`: a worn "14"
    read "L4", its "4" faded to a stem, is no "11"), at most ``settings.second_look_confidence``
    sure -- flagged unless a rule of the form bears it out -- the first reading's candidates kept.
    A clean "11" at 200 dpi is read "II" or "lãi" by the text model and "" at 0 by every number
    model.  Grey scans only, and never a cell under a seal (``sealed``, (row, col)): a seal ring's
    hatching is upright strokes too (a "0" under one read "ụ" became "11", dev hard 200-dpi 6B)."""
    numeric = number_columns(reads.values(), settings.one_strokes.number_share)
    out = dict(reads)
    for cell, read in reads.items():
        if (cell.row, cell.col) in sealed or not (
            _number_column_cell(cell, numeric) and _letters_unsure(read, settings)
        ):
            continue
        job = _cut(page.gray, page.dpi, cell, line_mask, engine, settings)
        if _blank(job) or job.info.lines != 1:
            continue
        text = ones(job.crop, page.dpi, settings.one_strokes)
        if text is None or not _may_replace(read.text.strip(), text):
            continue  # every digit the first reading held kept: a worn "14" read "L4" is no "11"
        out[cell] = CellRead(
            cell=cell,
            text=text,
            confidence=min(read.confidence, settings.second_look_confidence),
            kind=CellKind.NUMBER,
            candidates=(Candidate(text, read.confidence, ONE_STROKES_VARIANT), *read.candidates),
        )
    return out


def _accounts_for(text: str, letters: int, stray: int) -> bool:
    """Whether the number ``text`` read again accounts for the repainted crop's ``letters``
    letter-sized pieces, ``stray`` of them perhaps the stroke's remains beside the digits (a piece
    more: a digit the paint cut in two -- the "7" of "79" read "9").  On the dev hard 200-dpi
    pages "91", "6" and "3" read by four models with one piece of the stroke left beside them
    were refused for that piece."""
    return len(re.sub(r"\D", "", text)) + stray >= letters


def _most_agreed(readings: Sequence[Candidate], min_confidence: float) -> str | None:
    """The one plain number (one token) that more of ``readings`` read at least
    ``min_confidence`` sure than any other text, and at least two; else None ("11.722" read so by
    four models, "1.722" by one)."""
    sure = Counter(r.text.strip() for r in readings if r.confidence >= min_confidence)
    ranked = sure.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    text = ranked[0][0]
    return text if " " not in text and _PLAIN_READING.fullmatch(text) else None


def number_columns(reads: Iterable[CellRead], min_share: float) -> frozenset[int]:
    """The grid columns where at least ``min_share`` of the one-column cells read (not blank) were
    read as numbers: where a cell under a seal may be read again with the seal's ink painted out
    (:func:`_number_run_look`).  Not a label or text column: there the look's number models read a
    name's letters ("Xã", "II") or the seal's remains as digits, and the row loses its label."""
    seen: dict[int, list[bool]] = {}
    for r in reads:
        if r.cell.col_span == 1 and r.kind is not CellKind.EMPTY:
            seen.setdefault(r.cell.col, []).append(r.kind is CellKind.NUMBER)
    return frozenset(col for col, kinds in seen.items() if sum(kinds) >= min_share * len(kinds))


def _blank_boxes(gray: np.ndarray, boxes: Sequence[PixelBox], margin: int) -> np.ndarray:
    out = gray.copy()
    height, width = out.shape[:2]
    for box in boxes:
        out[
            max(0, box.y0 - margin) : min(height, box.y1 + margin),
            max(0, box.x0 - margin) : min(width, box.x1 + margin),
        ] = 255
    return out


def read_text_lines(
    page: PreparedPage,
    exclude: Sequence[PixelBox],
    engine: OcrEngine,
    settings: OcrSettings,
    *,
    words: tuple[TextWord, ...] | None = None,
    page_index: int = 0,
) -> tuple[OcrLine, ...]:
    """The text lines outside the boxes ``exclude`` (the tables), top to bottom.

    With ``words`` the lines are built from the text layer (confidence 100); otherwise the page
    is read with ``settings.text_lang`` after the excluded boxes are painted white.  Page
    ``page_index`` (0-based) of a document: a page with tables past
    ``settings.page_text.table_page_marks_pages`` is read without the marks' alternatives.
    """
    if words is not None:
        outside = [w for w in words if not any(_center_in(w, box) for box in exclude)]
        return tuple(
            OcrLine(
                text=_normalize(" ".join(w.text for w in line)),
                box=PixelBox(
                    min(w.box.x0 for w in line),
                    min(w.box.y0 for w in line),
                    max(w.box.x1 for w in line),
                    max(w.box.y1 for w in line),
                ),
                confidence=100.0,
                words=tuple(line),
            )
            for line in words_to_lines(outside)
        )
    margin = round(mm_to_px(EXCLUDE_MARGIN_MM, page.dpi))
    gray = _blank_boxes(page.gray, exclude, margin)
    out: list[OcrLine] = []
    past = settings.page_text.table_page_marks_pages
    marks = not exclude or past is None or page_index < past
    with engine.deadline(settings.page_timeout_s):
        # each horizontal band between tables is read on its own: on a whole page that is mostly
        # blanked-out table (and a dark scanner edge), tesseract's layout analysis found no text
        # ... cut to the box around its letters (a band of dust is not read at all)
        for top, bottom in _bands(gray.shape[0], exclude, margin):
            band = gray[top:bottom]
            area = text_area(band, page.dpi) if band.shape[0] >= MIN_BAND_PX else None
            if area is None:
                continue
            region = band[area.y0 : area.y1, area.x0 : area.x1]
            dx, dy = area.x0, top + area.y0
            stamps: list[OcrLine] = []
            if settings.stamp_frames:  # received stamps: read apart, painted out of the page's reading
                region, stamps = read_stamps(
                    engine, region, page.dpi, settings.text_lang, settings.stamp_frame
                )
            found = engine.read_lines(region, page.dpi, settings.text_lang, marks=marks)
            # text the layout analysis left out (a signature under a seal on a prose page); not
            # on a page with tables, where the second search ran specks of the worn title band
            # into the title and the form was no longer named (dev 25's 11B at 200 dpi); but on
            # a band of a table page where the layout analysis found no line at all (a seal over
            # the title: dev 67's 8B title band read as one picture, the form lost)
            if settings.missed_text_min_confidence <= 100 and (not exclude or not found):
                found += engine.read_missed_lines(
                    region,
                    page.dpi,
                    settings.text_lang,
                    found,
                    min_confidence=settings.missed_text_min_confidence,
                    widen_heights=settings.missed_text_widen_heights,
                    leftover_min_confidence=settings.missed_text_leftover_min_confidence,
                    page_text=settings.page_text,
                )
            # a weak line read again over its row (a signature title under a seal); on prose
            # pages only (the form pages' titles are read as before)
            if settings.weak_line_max_confidence > 0 and not exclude:
                found = engine.reread_weak_lines(
                    region,
                    page.dpi,
                    settings.text_lang,
                    found,
                    max_confidence=settings.weak_line_max_confidence,
                    max_gap_heights=settings.weak_line_gap_heights,
                    min_gain=settings.weak_line_min_gain,
                )
            for ln in found + stamps:
                out.append(replace(ln.shifted(dx, dy), text=_normalize(ln.text)))
    ordered = sorted((ln for ln in out if ln.text), key=lambda ln: (ln.box.y0, ln.box.x0))
    marked = with_margin_marks(ordered, settings.page_text.mark_max_confidence)  # file marks: noise
    marked = with_stray_marks(marked, settings.page_text.stray_mark_chars)  # "|", "__": noise
    marked = with_semicolons(marked, gray, settings.page_text)  # "năm 2025," whose ink ends in ";"
    if not exclude:  # prose pages: an unsure word read again by a second model ("b/e);" → "b/c);")
        marked = with_second_opinion(
            marked, partial(_read_line_again, engine, gray, page.dpi, marked, settings), settings.page_text
        )
    marked = with_glued_words_split(marked, settings.page_text)  # "ngày23": "ngày 23"
    marked = with_capitals_from_page(marked, settings.page_text)  # "VÈ CÁP": "VỀ CẤP"
    marked = with_codes_joined(marked, settings.page_text)  # "36/BC- UBND": "36/BC-UBND"
    marked = with_rare_tones_respelled(marked, settings.page_text)  # "thiết bị sô": "số"
    # a name misread once ("Uy pan nhân dân") read as the page prints it elsewhere
    marked = with_page_phrases(marked, settings.page_text)
    # a fixed phrase of the layout read a letter or two off ('"HỦ TƯỚNG' under a seal's ring)
    return with_layout_phrases(marked, settings.page_text)


def _read_line_again(
    engine: OcrEngine,
    gray: np.ndarray,
    dpi: float,
    lines: Sequence[OcrLine],
    settings: OcrSettings,
    i: int,
    span: Span,
) -> list[TextWord]:
    """The ``span`` of ``lines[i]``'s words on the page ``gray`` read again by
    ``settings.page_text.second_lang`` (the page's other lines and the line's other words
    painted out)."""
    box = line_box(lines[i], gray.shape[1], gray.shape[0], span)
    others = [ln for j, ln in enumerate(lines) if j != i]
    rest = left_out(lines[i], span)
    return engine.read_line_again(
        gray, dpi, settings.page_text.second_lang, box, others + [rest] if rest else others
    )


MIN_BAND_PX = 8  # a band thinner than this holds no text line


def _bands(height: int, exclude: Sequence[PixelBox], margin: int) -> list[tuple[int, int]]:
    """The horizontal bands of a page of ``height`` rows outside the (merged) vertical extents
    of ``exclude``, top to bottom, as (top, bottom) row ranges."""
    spans = sorted((max(0, b.y0 - margin), min(height, b.y1 + margin)) for b in exclude)
    merged: list[list[int]] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], bottom)
        else:
            merged.append([top, bottom])
    bands, cursor = [], 0
    for top, bottom in merged:
        if top > cursor:
            bands.append((cursor, top))
        cursor = max(cursor, bottom)
    if cursor < height:
        bands.append((cursor, height))
    return bands
