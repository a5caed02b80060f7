"""A word in capitals whose vowel lost its circumflex, breve or horn and kept its tone ("VÈ CÁP" → "VỀ CẤP").

On a line of capitals tesseract squeezes a tone mark onto the circumflex or breve and drops one
of the two: "VÈ CÁP, THU HỒI" for "VỀ CẤP, THU HỒI" (TT 37's title). A word that is no word
is given its marks among tesseract's alternatives (``extract.ocr.marks``), and a word that forms
a compound with a neighbour by the dictionary's spellings; but "vè" and "cáp" are words, and
"về cấp" is no compound, so neither rule can see them.

:func:`with_capitals_from_page` changes a word of capitals (two letters or more, letters alone
within its edge marks) that is no word the page reads in lower or title case ("Đà Nẵng" makes
"NẴNG" a word of the page), when exactly one syllable of the compound dictionary
(``marks.dictionary_syllables``) is the word with a circumflex, breve or horn put back on a
vowel that kept its tone mark (:func:`hat_dropped`; nothing else changed: "PHO" is never "PHỐ",
"BIẾN" never "BIỂN") and that syllable is more than ``capital_marks_min_rise`` more frequent
(wordfreq Zipf) than the word as read ("vè" 3.3 → "về" 6.6, "cáp" 4.7 → "cấp" 6.0, while "cắp"
at 3.x is no choice). Its box and confidence as read; never a stamp's line, a file mark's or a
text layer's (``page_phrases.is_read_text``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ..model import OcrLine
from .engine import PageTextSettings
from .marks import cased_like, dictionary_syllables, skeleton, zipf
from .page_phrases import core_span, is_read_text, with_words_retexted

_HATS = "\u0302\u0306\u031b"  # circumflex, breve, horn: the vowels' own marks


def hat_dropped(read: str, spelling: str) -> bool:
    """``spelling`` is ``read`` (both lower case) with a circumflex, breve or horn put back on
    a vowel that kept its tone mark ("vè" → "về", "cáp" → "cấp"), nothing else changed."""
    if len(read) != len(spelling) or read == spelling:
        return False
    for r, s in zip(read, spelling, strict=True):
        if r == s:
            continue
        rm, sm = unicodedata.normalize("NFD", r), unicodedata.normalize("NFD", s)
        if rm[0] != sm[0] or len(rm) < 2 or sorted(c for c in sm[1:] if c not in _HATS) != sorted(rm[1:]):
            return False
        if len(sm) != len(rm) + 1:
            return False
    return True


def words_of_page(lines: Sequence[OcrLine]) -> set[str]:
    """Every word of the page's text read in lower or title case, lower-cased."""
    seen: set[str] = set()
    for ln in lines:
        if ln.stamp or ln.margin_mark:
            continue
        for w in ln.words:
            a, b = core_span(w.text)
            core = w.text[a:b]
            if core.isalpha() and (core.islower() or core.istitle()):
                seen.add(core.lower())
    return seen


def with_capitals_from_page(lines: Sequence[OcrLine], settings: PageTextSettings) -> tuple[OcrLine, ...]:
    """``lines`` with each word in capitals whose circumflex, breve or horn was dropped spelled
    with it (see the module's doc)."""
    rise = settings.capital_marks_min_rise
    if rise < 0:
        return tuple(lines)
    seen = words_of_page(lines)
    texts: dict[tuple[int, int], str] = {}
    for i, ln in enumerate(lines):
        if not is_read_text(ln):
            continue
        for j, w in enumerate(ln.words):
            a, b = core_span(w.text)
            core = w.text[a:b]
            if len(core) < 2 or not core.isalpha() or not core.isupper() or core.lower() in seen:
                continue
            bar = zipf(core) + rise
            read = unicodedata.normalize("NFC", core.lower())
            spellings = dictionary_syllables().get(skeleton(core), ())  # loaded once a process
            options = {s for s in spellings if hat_dropped(read, s) and zipf(s) > bar}
            if len(options) == 1:
                texts[(i, j)] = w.text[:a] + cased_like(core, next(iter(options))) + w.text[b:]
    return with_words_retexted(lines, texts)
