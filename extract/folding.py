"""Text folding: Vietnamese text turned into keys that compare the way OCR'd text must be compared.

One module for every fold of the package, each a named variant because each caller needs a
different amount of the text kept:

- :func:`fold` -- lowercase ASCII words: diacritics dropped (đ -> d), every run of anything that
  is not a letter or digit turned into one space ("Thị trấn  An-Lạc" -> "thi tran an lac").  The
  key of commune, district and province names, of form titles and header paths (the form matcher
  then expands its abbreviations), of metadata and row labels.
- :func:`strip_marks` -- diacritics dropped (đ -> d, Đ -> D) and nothing else: case, spaces and
  punctuation kept.  For parsers that look at punctuation or case after folding: the printed
  column numbers "(3)=(4)+(5)" of a header, a "Có"/"Không" cell (lowercase it first), a
  "Số: 542/BC-UBND" line.
- :func:`accented` -- lowercase words with their diacritics kept, punctuation dropped: the
  tie-break between two names whose folded keys are equal ("Đăk Man" and "Đăk Môn").

``fold`` is ``strip_marks`` then lowercase then the non-alphanumeric runs collapsed, so the two
agree on every letter.  A diacritic is a nonspacing mark (Unicode category ``Mn``) after NFD
decomposition; every Vietnamese mark is one.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_WORD = re.compile(r"[^\w]+")


def strip_marks(text: str) -> str:
    """``text`` without Vietnamese diacritics (đ -> d, Đ -> D); case, spaces and punctuation kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Lowercase ASCII words of ``text``: no diacritics (đ -> d), every run of characters other
    than ``a-z0-9`` turned into one space, no space at either end."""
    return " ".join(_NON_ALNUM.sub(" ", strip_marks(text).lower()).split())


def accented(text: str) -> str:
    """Lowercase NFC words of ``text`` with their diacritics kept, punctuation dropped."""
    s = unicodedata.normalize("NFC", text).lower()
    return " ".join(_NON_WORD.sub(" ", s).split())


def has_diacritics(text: str) -> bool:
    """Whether ``text`` carries Vietnamese marks (then they can break ties between keys)."""
    return any(ord(ch) > 127 and ch.isalpha() for ch in text)


__all__ = ["accented", "fold", "has_diacritics", "strip_marks"]
