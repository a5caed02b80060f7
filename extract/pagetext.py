"""The text of every page, kept: lines in reading order with boxes and confidence.

A page task already reads the text outside its tables (:attr:`PageResult.lines`, for the title
of a table and the document's metadata); this module puts them in reading order (columns
side by side are read one after the other) and turns them into the rows of the ``lines`` output
table, so that an archive of prose pages (the report's own text, where the narrative numbers
are) can be searched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .folding import fold
from .model import DocumentResult, OcrLine, PageResult, PixelBox, TextWord

Row = dict[str, Any]


_PAGE_NUMBER = re.compile(r"^[-–—(\s]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—)\s.]*$", re.IGNORECASE)


def is_page_number(text: str) -> bool:
    """A line that is only a page number ("2", "- 3 -", "Trang 4/17"): never a table's title."""
    return bool(_PAGE_NUMBER.match(text.strip()))


COLUMN_GAP_HEIGHTS = 2.5
"""A gap wider than this many line heights between two words splits a line into two columns."""
MOTTO_GAP_HEIGHTS = 0.5
"""... and a gap wider than this many line heights before the national motto ("CỘNG HÒA XÃ
HỘI …", printed beside the issuer: TB 453 reads "ỦY BAN NHÂN DÂN _ CỘNG HÒA …" with a gap of
0.7 heights) splits it too: the issuer is read before the motto, as printed (a word space is
about 0.3 heights)."""
BLOCK_GAP_HEIGHTS = 1.2
"""A vertical gap taller than this many line heights ends a block of lines."""
NOISE_MAX_CONFIDENCE = 70.0
"""A segment read below this confidence ..."""
NOISE_MAX_WORD_SHARE = 0.7
"""... whose characters are less than this share in words (two letters or more) and numbers is
noise: a stamp's rim, a seal's fragments, specks, a rule ("ĐẾN °®-- €......", ";ên ¬=——", "_—").
Chosen on five of the nine real page-1 scans (see docs/notes/issue-12.md)."""
_WORDLIKE = re.compile(r"[^\W\d_]{2,}|\d")
_LETTER_OR_DIGIT = re.compile(r"[^\W_\u02b0-\u02ff]")  # no modifier letter ("ˆ" is a mark read)
_BLANK_BEFORE = ("số:", "số", "ngày", "tháng", "năm")
_NUMBER_ROW = re.compile(r"^S[ốôoó6ÓỐÔO]\s*[:.;]")


def _segment(line: OcrLine, words: tuple[TextWord, ...]) -> OcrLine:
    box = PixelBox(
        min(w.box.x0 for w in words),
        min(w.box.y0 for w in words),
        max(w.box.x1 for w in words),
        max(w.box.y1 for w in words),
    )
    conf = sum(w.confidence for w in words) / len(words)
    return OcrLine(
        " ".join(w.text for w in words),
        box,
        conf if line.confidence < 100 else 100.0,
        words,
        stamp=line.stamp,
        margin_mark=line.margin_mark,
        stray_mark=line.stray_mark,
    )


def segments(line: OcrLine) -> list[OcrLine]:
    """``line`` cut where its words are further apart than ``COLUMN_GAP_HEIGHTS`` line heights
    (two columns that tesseract or the text layer ran together: "Nơi nhận: TL. CHỦ TỊCH"); a
    gap left blank for a number or a date ("Số:      /QĐ-UBND", "ngày      tháng") is kept."""
    words = tuple(sorted(getattr(line, "words", ()) or (), key=lambda w: w.box.x0))
    if len(words) < 2:
        return [line]
    height = max(1, line.box.height)
    parts: list[list[TextWord]] = [[words[0]]]
    for i, w in enumerate(words[1:], start=1):
        prev = parts[-1][-1]
        blank_field = prev.text.lower() in _BLANK_BEFORE or w.text.startswith("/")
        gap = w.box.x0 - prev.box.x1
        lettered = [x for x in parts[-1] if any(ch.isalnum() for ch in x.text)]  # past a stray "_"
        motto_gap = w.box.x0 - (lettered[-1].box.x1 if lettered else prev.box.x1)
        motto = motto_gap > MOTTO_GAP_HEIGHTS * height and _starts_motto(words[i : i + 2])
        if (gap > COLUMN_GAP_HEIGHTS * height and not blank_field) or motto:
            parts.append([w])
        else:
            parts[-1].append(w)
    if len(parts) == 1:
        return [line]
    return [_segment(line, tuple(p)) for p in parts]


def _starts_motto(words: tuple[TextWord, ...]) -> bool:
    """``words`` open the national motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"."""
    return [fold(w.text).strip(".,:;_-") for w in words] == ["cong", "hoa"]


def is_noise(segment: OcrLine) -> bool:
    """A segment of OCR output that is no text (see :data:`NOISE_MAX_WORD_SHARE`), or marks alone
    at any confidence (a "—" or a ":" speck read at 84 by a signature: no segment of the real
    pages' or the generated pages' text is marks alone); a text layer's lines (confidence 100)
    never are."""
    chars = segment.text.replace(" ", "")
    if not chars:
        return True
    if segment.confidence < 100 and not _LETTER_OR_DIGIT.search(segment.text):
        return True  # marks alone, however sure: no printed segment ("—", ":" specks by a seal)
    if segment.confidence >= NOISE_MAX_CONFIDENCE or _NUMBER_ROW.match(segment.text):
        return False  # the number row: its handwritten number reads as symbols ("Số: #2 /QĐ-TTg")
    wordlike = sum(len(m.group()) for m in _WORDLIKE.finditer(segment.text))
    return wordlike < NOISE_MAX_WORD_SHARE * len(chars)


_VOWEL = re.compile("[aeiouy]")  # in folded text


def is_margin_mark(segment: OcrLine, motto_top: int | None, max_confidence: float) -> bool:
    """A handwritten file mark in the top margin, above the national motto ("TT?!", "TT#Trtz)"
    over CV 3722's and NQ 115's mottos): a segment whose middle lies above the motto's top
    (``motto_top``; None: the page prints no motto), read below ``max_confidence``
    (``ocr.page_text.mark_max_confidence``), none of whose letters is a vowel.  Printed words
    there ("DỰ THẢO", "MẬT", "Mẫu số 01") have vowels; a text layer's lines (confidence 100) are
    never marks."""
    if motto_top is None or segment.confidence >= max_confidence:
        return False
    if (segment.box.y0 + segment.box.y1) / 2 >= motto_top:
        return False
    letters = fold(segment.text)
    return not _VOWEL.search(letters)


def with_margin_marks(lines: Sequence[OcrLine], max_confidence: float) -> tuple[OcrLine, ...]:
    """``lines`` (a page's OCR lines) with the file marks above its motto marked
    (:func:`is_margin_mark`, ``OcrLine.margin_mark``), judged when the page is read, where the
    settings are: a line holding one is replaced by its segments, the marks among them marked;
    :func:`reading_order` leaves them out as noise."""
    segs = [seg for ln in lines if ln.text.strip() and not ln.stamp for seg in segments(ln)]
    top = motto_top(segs)
    if top is None:
        return tuple(lines)
    out: list[OcrLine] = []
    for ln in lines:
        parts = segments(ln) if ln.text.strip() and not ln.stamp else [ln]
        marks = [is_margin_mark(p, top, max_confidence) for p in parts]
        if any(marks):
            out += [replace(p, margin_mark=True) if m else p for p, m in zip(parts, marks, strict=True)]
        else:
            out.append(ln)
    return tuple(out)


def is_stray_mark(word: TextWord, chars: str) -> bool:
    """``word`` is a mark no text prints alone: no letter or digit, and one of ``chars``
    (``ocr.page_text.stray_mark_chars``: a rule's or a seal's fragment read "|", "__", "}"; "ˆ",
    a modifier letter to Python, is a mark there)."""
    return not any(c.isalnum() and c not in chars for c in word.text) and any(c in chars for c in word.text)


def _stray_words(segment: OcrLine, chars: str) -> list[int]:
    """Indexes of the stray marks among ``segment``'s words whose leaving opens no column gap
    between the words of text around them (:func:`segments` would cut there)."""
    words, widest = segment.words, COLUMN_GAP_HEIGHTS * max(1, segment.box.height)
    marks = [i for i, w in enumerate(words) if is_stray_mark(w, chars)]
    text = [i for i in range(len(words)) if i not in marks]
    out = []
    for i in marks:
        before = [j for j in text if j < i]
        after = [j for j in text if j > i]
        if not before or not after or words[after[0]].box.x0 - words[before[-1]].box.x1 <= widest:
            out.append(i)
    return out


def with_stray_marks(lines: Sequence[OcrLine], chars: str) -> tuple[OcrLine, ...]:
    """``lines`` (a page's OCR lines) with the stray marks among the words of their text segments
    (:func:`is_stray_mark`; a segment that is noise as a whole, :func:`is_noise`, stays as it is)
    taken out of their line, each kept as a line of its own marked ``OcrLine.stray_mark`` (noise:
    left out of the page's text by :func:`reading_order`, kept in the ``lines`` table as
    ``ocr_noise``); the line keeps its box and confidence (the header fields are read from it).
    A stamp's lines, a file mark's and a text layer's are never judged.  Judged when the page is
    read, where the settings are; ``chars`` "" is off."""
    if not chars:
        return tuple(lines)
    out: list[OcrLine] = []
    for ln in lines:
        judged = not (ln.stamp or ln.margin_mark or ln.confidence >= 100)
        parts = segments(ln) if judged and " ".join(w.text for w in ln.words) == ln.text else []
        stray = [p.words[i] for p in parts if not is_noise(p) for i in _stray_words(p, chars)]
        kept = tuple(w for w in ln.words if not any(w is m for m in stray))
        if not stray or not kept:
            out.append(ln)
            continue
        out.append(replace(ln, text=" ".join(w.text for w in kept), words=kept))
        out += [replace(_segment(ln, (w,)), stray_mark=True) for w in stray]
    return tuple(out)


def with_marks_put_back(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """``lines`` with each stray mark (:func:`with_stray_marks`) back in the line it was taken
    from (the line whose box holds it), its words in reading order: for text read as a table's
    cells (a lost row at a page's top, a table read from its text), where a mark may be a rule
    between two cells or a piece of the label -- the rule was made for the page's prose (dev
    403's 14B total "'Tổng số = () .+IU)" lost its marks and its label's end)."""
    marks = [ln for ln in lines if ln.stray_mark]
    if not marks:
        return list(lines)
    out: list[OcrLine] = []
    placed: set[int] = set()
    for ln in lines:
        if ln.stray_mark:
            continue
        mine = [m for m in marks if id(m) not in placed and ln.words and ln.box.contains(m.box)]
        if not mine:
            out.append(ln)
            continue
        placed.update(id(m) for m in mine)
        words = tuple(sorted((*ln.words, *(w for m in mine for w in m.words)), key=lambda w: w.box.x0))
        out.append(replace(ln, text=" ".join(w.text for w in words), words=words))
    return out + [m for m in marks if id(m) not in placed]


def motto_top(segs: list[OcrLine]) -> int | None:
    """The top of the national motto's segment ("CỘNG HÒA XÃ HỘI …"), None where none is read."""
    tops = [s.box.y0 for s in segs if _starts_motto(tuple(getattr(s, "words", ()) or ())[:2])]
    return min(tops) if tops else None


def _split(lines: tuple[OcrLine, ...] | list[OcrLine]) -> tuple[list[OcrLine], list[OcrLine]]:
    """The segments of ``lines`` (stamps left out): text, and noise (:func:`is_noise`,
    :func:`is_margin_mark`)."""
    segs = [seg for ln in lines if ln.text.strip() and not ln.stamp for seg in segments(ln)]
    text: list[OcrLine] = []
    noise: list[OcrLine] = []
    for seg in segs:
        (noise if is_noise(seg) or seg.margin_mark or seg.stray_mark else text).append(seg)
    return text, noise


def noise_segments(lines: tuple[OcrLine, ...] | list[OcrLine]) -> list[OcrLine]:
    """The segments of ``lines`` that :func:`reading_order` leaves out as noise, top to bottom."""
    return sorted(_split(lines)[1], key=lambda s: (s.box.y0, s.box.x0))


def reading_order(lines: tuple[OcrLine, ...] | list[OcrLine]) -> list[OcrLine]:
    """The lines of a page in reading order, blank ones and noise (:func:`is_noise`: a stamp's
    rim or specks, which also broke the columns of the block they sat in; :func:`is_margin_mark`:
    a handwritten file mark above the motto) left out.

    Lines are cut into segments at column gaps (:func:`segments`), then grouped into blocks
    (rows closer than ``BLOCK_GAP_HEIGHTS`` line heights).  A block whose rows split into two
    columns — the issuer beside the national motto, the recipients ("Nơi nhận") beside the
    signature — is read column by column, left column first; a segment that crosses the
    columns' gutter ends a block; other blocks are read row by row.  The closing block, from
    "Nơi nhận:" to the page's end, is read list first, then signature (:func:`_closing_block`).
    """
    body, recipients, signature = _closing_block(_split(lines)[0])
    return _blocks_in_order(body) + recipients + signature


def _rows(segs: list[OcrLine]) -> list[list[OcrLine]]:
    """``segs`` grouped into rows (a segment whose middle lies within a segment of the row
    above joins it), each row left to right, top to bottom."""
    rows: list[list[OcrLine]] = []
    for seg in sorted(segs, key=lambda s: (s.box.y0 + s.box.y1) / 2):
        mid = (seg.box.y0 + seg.box.y1) / 2
        if rows and any(r.box.y0 <= mid <= r.box.y1 for r in rows[-1]):
            rows[-1].append(seg)
        else:
            rows.append([seg])
    for row in rows:
        row.sort(key=lambda s: s.box.x0)
    return rows


def _closing_block(segs: list[OcrLine]) -> tuple[list[OcrLine], list[OcrLine], list[OcrLine]]:
    """(the text above the closing block, its recipients, its signature).

    The closing block begins on the row of "Nơi nhận:" and runs to the page's end: the
    recipients' list at the left margin (with its notes, "(để b/c)", beside the lines they
    belong to) and the signature block ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / … / the name")
    in the right half of the text, rows of each interleaved at any height.  The print reads
    the list, then the signature: segments starting right of the middle of the page's text
    are the signature, the others the list, each read row by row.  A page without "Nơi nhận"
    has no closing block (everything is body)."""
    start = next((s for s in sorted(segs, key=lambda s: s.box.y0) if _RECIPIENTS.match(s.text)), None)
    if start is None:
        return segs, [], []
    top = start.box.y0 - start.box.height // 2
    middle = (min(s.box.x0 for s in segs) + max(s.box.x1 for s in segs)) / 2
    body = [s for s in segs if (s.box.y0 + s.box.y1) / 2 < top]
    closing = [s for s in segs if (s.box.y0 + s.box.y1) / 2 >= top]
    left = [s for s in closing if _lettered_x0(s) < middle]
    right = [s for s in closing if _lettered_x0(s) >= middle]
    return body, [s for r in _rows(left) for s in r], [s for r in _rows(right) for s in r]


def _lettered_x0(segment: OcrLine) -> int:
    """Where ``segment``'s first word holding a letter or a digit starts: a speck read before a
    title (": ___TM.ỦY BAN NHÂN DÂN", left of the page's middle) does not move it into the list."""
    lettered = [w.box.x0 for w in segment.words if any(c.isalnum() for c in w.text)]
    return min(lettered) if lettered else segment.box.x0


_RECIPIENTS = re.compile(r"^\W*N[ơo]i\s*nh[ậâa]n\s*[:;.]?\s*$", re.IGNORECASE)


def _blocks_in_order(segs: list[OcrLine]) -> list[OcrLine]:
    """``segs`` in reading order, block by block (see :func:`reading_order`)."""
    rows = _rows(segs)
    out: list[OcrLine] = []
    block: list[list[OcrLine]] = []

    def flush() -> None:
        if not block:
            return
        split = [r for r in block if len(r) >= 2]
        if not split:
            out.extend(seg for r in block for seg in r)
        else:
            gutter = (max(r[0].box.x1 for r in split), min(r[-1].box.x0 for r in split))
            left = [s for r in block for s in r if (s.box.x0 + s.box.x1) / 2 < (gutter[0] + gutter[1]) / 2]
            right = [s for r in block for s in r if (s.box.x0 + s.box.x1) / 2 >= (gutter[0] + gutter[1]) / 2]
            out.extend(sorted(left, key=lambda s: s.box.y0) + sorted(right, key=lambda s: s.box.y0))
        block.clear()

    for row in rows:
        if block:
            bottom = max(s.box.y1 for r in block for s in r)
            height = max(1, min(s.box.height for s in row))
            split = [r for r in block + [row] if len(r) >= 2]
            crosses = False
            if split:
                g0, g1 = max(r[0].box.x1 for r in split), min(r[-1].box.x0 for r in split)
                crosses = g0 >= g1 or any(
                    s.box.x0 < g0 and s.box.x1 > g1 for r in block + [row] for s in r if len(r) == 1
                )
            number_row = bool(_NUMBER_ROW.match(row[0].text))  # "Số: …" opens the number/date row
            if row[0].box.y0 - bottom > BLOCK_GAP_HEIGHTS * height or crosses or number_row:
                flush()
        block.append(row)
    flush()
    return out


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
_OLD_STYLE = re.compile(f"([oOuU])([{_TONE_MARKS}])([aAeEyY])(?![\\w])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})


def comparable(text: str) -> str:
    """``text`` in one spelling for comparisons: spaces collapsed, quotes and dashes plain, and
    the tone mark of "oa", "oe", "uy" at the end of a word on the second vowel ("hòa" and "hoà",
    "thủy" and "thuỷ" are the same word in two conventions)."""
    s = unicodedata.normalize("NFD", " ".join(text.split()).translate(_QUOTES))
    s = _OLD_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), s)
    return unicodedata.normalize("NFC", s)


def page_text(page: PageResult) -> str:
    """The page's text outside its tables, one line per line, in reading order."""
    return "\n".join(ln.text for ln in reading_order(page.lines))


NOISE_ORIGIN = "ocr_noise"
STAMP_ORIGIN = "stamp"


def stamp_lines(lines: tuple[OcrLine, ...] | list[OcrLine]) -> list[OcrLine]:
    """The lines read inside a received stamp's frame (:mod:`extract.ocr.stamps`), top to
    bottom: the page's, not the document's text, so left out of :func:`reading_order`."""
    return sorted((ln for ln in lines if ln.stamp and ln.text.strip()), key=lambda s: (s.box.y0, s.box.x0))


def line_rows(doc: DocumentResult) -> list[Row]:
    """Rows of the ``lines`` table for ``doc`` (pages 1-based): the text in reading order, then
    the noise segments (origin ``ocr_noise``), kept for whoever wants every mark OCR read."""
    out: list[Row] = []
    for page in doc.pages:
        if page.failed:
            continue
        origin = "text_layer" if page.used_text_layer else "ocr"
        ordered = [(ln, origin) for ln in reading_order(page.lines)]
        ordered += [(ln, NOISE_ORIGIN) for ln in noise_segments(page.lines)]
        ordered += [(ln, STAMP_ORIGIN) for ln in stamp_lines(page.lines)]
        for i, (ln, kind) in enumerate(ordered):
            out.append(
                {
                    "document_id": doc.document_id,
                    "page": page.page_index + 1,
                    "line_index": i,
                    "text": ln.text,
                    "confidence": float(ln.confidence),
                    "x0": ln.box.x0,
                    "y0": ln.box.y0,
                    "x1": ln.box.x1,
                    "y1": ln.box.y1,
                    "origin": kind,
                }
            )
    return out


__all__ = [
    "NOISE_ORIGIN",
    "comparable",
    "is_margin_mark",
    "is_noise",
    "is_page_number",
    "line_rows",
    "motto_top",
    "noise_segments",
    "page_text",
    "reading_order",
    "with_margin_marks",
    "with_marks_put_back",
    "with_stray_marks",
]
