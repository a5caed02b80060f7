"""A document code read with a space inside it is one word ("36/BC- UBND" → "36/BC-UBND").

The codes of Vietnamese administrative documents ("36/BC-UBND", "558/SNV-CCHC", "729/QĐ-TTg",
"80-NQ/TW") are printed without a space, but tesseract reads a space where the gap after a
hyphen is wide ("558/SNV- CCHC", "80- NQ/TW": 5 of 333 generated page 1s, KH 173) and where a
number is filled in by hand before the printed symbol ("Số: 729 /QĐ-TTg": QĐ 729, NQ 115,
TT 21). No line of the generated truths or of the real pages' texts holds either shape.

:func:`with_codes_joined` joins two words of a line into one where

- the first ends in a hyphen and holds a digit or a slash before it, and the second starts with
  two capitals or more (a code's part: "UBND", "CCHC", "NQ/TW", "BCT.") — a range's "2026 -
  2031" has spaces on both sides and no capital;
- or the first is a number of one to four digits and the second starts with a slash and holds
  another slash or a hyphen ("/QĐ-TTg", "/2026/TT-BCT").

The word's box is the two boxes' union, its confidence the lower of the two. Never a stamp's
line, a file mark's or a text layer's (``page_phrases.is_read_text``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..model import OcrLine, TextWord
from .engine import PageTextSettings
from .page_phrases import is_read_text

_HYPHEN_END = re.compile(r"^\S*[\d/]\S*-$")  # "36/BC-", "80-", "18/2025/TT-"
_CODE_PART = re.compile(r"^[A-ZĐ][A-ZĐ0-9]+(?:[/.,;:)-]\S*)?$")  # "UBND", "NQ/TW", "BCT."
_NUMBER = re.compile(r"^\d{1,4}$")
_SYMBOL = re.compile(r"^/[A-ZĐ0-9]\S*[-/]\S*$")  # "/QĐ-TTg", "/2026/TT-BCT"


def split_code(first: str, second: str) -> bool:
    """``first second`` is one code read with a space inside it (see the module's doc)."""
    return bool(
        (_HYPHEN_END.match(first) and _CODE_PART.match(second))
        or (_NUMBER.match(first) and _SYMBOL.match(second))
    )


def _joined(a: TextWord, b: TextWord) -> TextWord:
    return TextWord(a.text + b.text, a.box.union(b.box), min(a.confidence, b.confidence))


def with_codes_joined(lines: Sequence[OcrLine], settings: PageTextSettings) -> tuple[OcrLine, ...]:
    """``lines`` with each code read in two words one word (see the module's doc)."""
    if not settings.codes_joined:
        return tuple(lines)
    out = list(lines)
    for i, ln in enumerate(lines):
        if not is_read_text(ln):
            continue
        words: list[TextWord] = []
        for w in ln.words:
            if words and split_code(words[-1].text, w.text):
                words[-1] = _joined(words[-1], w)
            else:
                words.append(w)
        if len(words) < len(ln.words):
            out[i] = dataclasses.replace(ln, text=" ".join(w.text for w in words), words=tuple(words))
    return tuple(out)
