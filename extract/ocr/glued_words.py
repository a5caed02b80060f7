"""A word of the language read glued to a number, or to another word by a speck: two words
("ngày23" → "ngày 23", "đe:nghị" → "đe nghị").

tesseract runs a syllable into the number printed after it where the space between them is
narrow: "ngày23" for "ngày 23" in a date line (QĐ 729's page 1, where both models read
it so). No printed word of the language holds a digit: a word of Vietnamese letters (one with a
mark or "đ": a syllable, no unit or code — "km2", "QH15", "T11", "m3" stay as read) that is a
known word (wordfreq) and runs into a number after it in one word read is two words (a number
before a word is left: "7Tình" was a quote read "7").

A space the recogniser read as a mark between two runs of letters is a space too: "đe:nghị
cua:Bộ" (NQ 115), "tài trợ:khủng bố", "Sở:Nội vụ", "Bộ phận một:cửa" (a colon for a speck in
the gap). No printed word holds a colon between letters (none of the generated truths' lines,
none of the real pages' texts); a code in capitals ("BC:UBND", a hyphen read ":") is left as read.

:func:`with_glued_words_split` splits each such word of the page's text lines in two, the box
cut at the share of the characters, both parts keeping the word's confidence. Never a stamp's
line, a file mark's or a text layer's (``page_phrases.is_read_text``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..model import OcrLine, PixelBox, TextWord
from .engine import PageTextSettings
from .marks import zipf
from .page_phrases import is_read_text

# a run of letters (edge marks before it) and a number (its separators and end marks after it);
# never a number before letters: a quote read "7" before a word ('"Tình' read "7Tình": dev 3446)
_EDGE = "()[]\"'“”‘’.,;!?"  # marks a word may open or close with
_GLUED = re.compile(r"^(?P<a>[^\w\s]*[^\W\d_]+)(?P<b>\d[\d/.,:;%)-]*[^\w\s]*)$")


def _letters(text: str) -> bool:
    return text.isalpha()


def spaced_parts(text: str, marks: str) -> tuple[str, str] | None:
    """``text`` as two runs of letters joined by one of ``marks`` ("đe:nghị" → ("đe", "nghị"),
    "cua:Bộ" → ("cua", "Bộ")), or None: marks at its edges kept with their run ("(Sở:Nội" →
    ("(Sở", "Nội")), never a code of capitals alone ("BC:UBND")."""
    for mark in marks:
        a, sep, b = text.partition(mark)
        if not sep or mark in b:
            continue
        core_a, core_b = a.lstrip(_EDGE), b.rstrip(_EDGE)
        if _letters(core_a) and _letters(core_b) and not (core_a.isupper() and core_b.isupper()):
            return a, b
    return None


def _syllable(text: str) -> bool:
    """``text`` is letters alone, one of them Vietnamese (a mark or "đ": no unit or code)."""
    return text.isalpha() and not text.isascii()


def glued_parts(text: str, min_zipf: float) -> tuple[str, str] | None:
    """``text`` as a syllable and the number after it read as one word, or None: the syllable a
    known word (Zipf ``min_zipf`` or more), in lower case or title case ("ngày23" → ("ngày",
    "23"), "Điều1." → ("Điều", "1."))."""
    m = _GLUED.match(text)
    if m is None:
        return None
    letters = m["a"].lstrip("".join(c for c in m["a"] if not c.isalpha()))
    if _syllable(letters) and (letters.islower() or letters.istitle()) and zipf(letters) >= min_zipf:
        return m["a"], m["b"]
    return None


def _split(word: TextWord, a: str, b: str) -> tuple[TextWord, TextWord]:
    """``word`` as two words reading ``a`` and ``b``, its box cut at the share of ``a``'s characters."""
    box = word.box
    cut = box.x0 + round(box.width * len(a) / (len(a) + len(b)))
    return (
        TextWord(a, PixelBox(box.x0, box.y0, cut, box.y1), word.confidence),
        TextWord(b, PixelBox(cut, box.y0, box.x1, box.y1), word.confidence),
    )


def with_glued_words_split(lines: Sequence[OcrLine], settings: PageTextSettings) -> tuple[OcrLine, ...]:
    """``lines`` with each word that reads a syllable glued to a number, or two runs of letters
    joined by one of ``glued_space_marks``, split in two (see the module's doc); as read where
    ``glued_min_zipf`` is 0."""
    if settings.glued_min_zipf <= 0:
        return tuple(lines)
    out = []
    for ln in lines:
        if not is_read_text(ln):
            out.append(ln)
            continue
        words: list[TextWord] = []
        for w in ln.words:
            parts = glued_parts(w.text, settings.glued_min_zipf) or spaced_parts(
                w.text, settings.glued_space_marks
            )
            words.extend(_split(w, *parts) if parts else (w,))
        if len(words) == len(ln.words):
            out.append(ln)
        else:
            out.append(dataclasses.replace(ln, text=" ".join(w.text for w in words), words=tuple(words)))
    return tuple(out)
