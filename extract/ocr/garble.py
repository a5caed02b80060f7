"""Words no printed text holds: what a garbled OCR reading looks like.

A reading of Vietnamese prose garbled by tesseract holds tokens that mix digits with letters
("12t?" for "ngành/lĩnh", "g1ao" for "giao", "r0" for "ro"); printed prose mixes them only in
codes ("3B", "H5N1", "QH15"), which every reading of the same print holds alike.
:func:`garbled_words` counts them; the cell reader reads a 1-bit scan's smoothed text cell again
plain when its reading holds one, and keeps the reading with fewer
(:func:`extract.ocr.reader._read_text`): "r0" read plain "T0" is no better, and stays.
"""

from __future__ import annotations

import re

_PART = re.compile(r"[/\-–]")  # "RT/TTKB", "NĐ-CP": each part is a word or a code of its own
_EDGES = "\"'“”‘’()[]{}.,;:!?…*+"


def _garbled(part: str) -> bool:
    core = part.strip(_EDGES)
    return any(ch.isdigit() for ch in core) and any(ch.isalpha() for ch in core)


def garbled_words(text: str) -> int:
    """How many whitespace-separated tokens of ``text`` hold a part (split at "/" and "-") that
    mixes digits with letters ("12t?", "g1ao", "r0", a code such as "3B"; not "81/2019/NĐ-CP")."""
    return sum(any(_garbled(p) for p in _PART.split(token)) for token in text.split())
