"""Marks of text cells chosen by their neighbours, names left as read.

A text cell's words take their marks as page text's do (``extract/ocr/marks.py``: an unknown word
the most frequent spelling among tesseract's other choices, a word that forms no compound with its
neighbours the one that does).  Cells print names more than prose does — communes ("Xã Nghĩa
Bình"), ministries ("Bộ Công Thương") — and a name's syllables often form a common compound with
other marks ("Nghĩa Bình" → "nghĩa binh", a word of the dictionary).  So in a cell a word written
with a capital beside another such word (a name's syllable) keeps the marks it was read with when
its neighbours were the only evidence for new ones; an unknown word ("Nghĩà") still takes the
frequent spelling.

Pure functions.
"""

from __future__ import annotations

from .marks import zipf


def _capital(word: str) -> bool:
    core = word.strip(".,;:!?()[]\"'“”‘’…-–/")
    return bool(core) and core[0].isupper()


def keep_names(read: str, chosen: str) -> str:
    """``chosen`` (a line of a text cell with its marks chosen again, word for word the line
    ``read``) with each changed word of a name (capitalised, beside a capitalised word) put back
    as read, unless the read word is no known word."""
    before, after = read.split(" "), chosen.split(" ")
    if len(before) != len(after):
        return chosen
    out = list(after)
    for i, (was, now) in enumerate(zip(before, after, strict=True)):
        if was == now or not _capital(was):
            continue
        name = any(_capital(before[j]) for j in (i - 1, i + 1) if 0 <= j < len(before))
        core = was.strip(".,;:!?()[]\"'“”‘’…-–/")
        if name and zipf(core) > 0:
            out[i] = was
    return " ".join(out)
