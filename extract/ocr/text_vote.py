"""A vote of readings at several scales for a short one-line text cell.

Tesseract's reading of a short line of text depends on the size it is fed at: on the 1-bit QĐ 707
scan, p-009's "Quý II/2026" is read "Quý I/2026" at the pipeline's 26 px letter height and right
at the scan's own size and at two and three times it.  A short one-line text cell (never a number
cell: those have their own vote, :func:`extract.ocr.reader.vote_number`) is therefore read again at
``OcrSettings.text_vote_scales`` (multiples of the crop's own letter height) and the reading most of
the readings agree on is kept (:func:`vote_text`).

Trust is never raised by the vote: a unanimous vote keeps the first reading as it is; a majority
that overrules the first reading gets the lower of the first reading's confidence and the
majority's mean confidence; without a majority the first reading stands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from ..model import Candidate

VOTE_VARIANT = "text_vote"  # the variant of a reading that a vote put in place of the first reading

ReadAt = Callable[[float], Candidate]  # a reading of the crop with its letters scaled to this height


def has_letters(text: str) -> bool:
    """Text, not a number: at least one letter."""
    return any(ch.isalpha() for ch in text)


def scale_readings(read_at: ReadAt, glyph_height_px: float, scales: Sequence[float]) -> list[Candidate]:
    """The crop read with its letters at each of ``scales`` times their own height."""
    if glyph_height_px <= 0:
        return []
    return [read_at(scale * glyph_height_px) for scale in scales]


def vote_text(first: Candidate, others: Sequence[Candidate]) -> Candidate:
    """The reading more than half of ``first`` and ``others`` agree on (exact text), else ``first``.

    The result is never more confident than ``first``; a reading that overrules it and is no text
    (no letter: the cell would become a number) does not count: ``first`` stands."""
    if not others or not has_letters(first.text):
        return first
    readings = [first, *others]
    text, votes = Counter(c.text for c in readings).most_common(1)[0]
    if 2 * votes <= len(readings) or text == first.text or not has_letters(text):
        return first
    agreeing = [c.confidence for c in readings if c.text == text]
    confidence = min(first.confidence, sum(agreeing) / len(agreeing))
    return Candidate(text=text, confidence=confidence, variant=VOTE_VARIANT)
