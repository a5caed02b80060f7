"""A digit the number vote's unread readings dropped, kept by a sure reading.

The vote of a number cell's readings (:func:`extract.ocr.reader.vote_number`) counts a reading at
no confidence (tesseract's 0: the model says it could not read the cell) as a vote like any other.
On worn hard scans a faint digit is lost that way by several models at once: a printed "101" read
"10" at 0, 14 and 0 by three number models outvoted "101" read at 44 by a fourth and at 86 by the
text model; "21" read "2" at 0, 0 and 8 outvoted "21" at 87.  The cell stood "10", flagged, and the
form's arithmetic could only suggest the number.

:func:`dropped_digit_reading` gives the number the *read* readings agree on instead, when

- the vote's text is held by at least one reading at no confidence (the unread majority),
- among the number readings read at some confidence, the most read text (ties: the more confident)
  is a plain number ("101", "16.731", "-12"; no marks, no spaces) with **more digits** than the
  vote's, holding the vote's digits in order (a digit dropped, never one substituted: "6" against a
  sure "0" is a different digit, and which one is right the readings cannot say), and
- a reading of that number -- a number model's or the text model's -- is at least
  ``sure`` (``ocr.dropped_digit_vote.sure``) sure.

Its confidence is the agreeing readings' mean, at most ``confidence`` (50): the value stays
**flagged** unless a rule of the form bears it out.  Never in the grid's first column (the caller's
guard: an STT read anew re-keys rows).  Simulated on the readings of 45 pickled dev documents
(35,581 number cells) before it was built: 15 cells changed, 4 more triples right by reading, no
document worse; letting every unread reading abstain changed 185 cells and lost triples on 12
documents (a dissent of another digit at 76-90 is as often wrong as the unread majority).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..model import Candidate

VARIANT = "dropped_digit"  # the variant of a reading this rule put in place of the vote's
NO_CONFIDENCE = 0.0  # a reading at this confidence is one the model could not read (tesseract's 0)

_PLAIN = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})+|-?[0-9]+")
"""A plain printed number: digits, optionally grouped by thousands dots, a leading minus."""


class DroppedDigitSettings(BaseModel):
    """Settings of the dropped-digit rule (``ocr.dropped_digit_vote`` in ``configs/pipeline.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    sure: float = Field(default=80.0, ge=0, le=100)  # a reading of the longer number this sure
    confidence: float = Field(default=50.0, ge=0, le=100)  # the number chosen stands this sure at most


def keeps_digits(short: str, long: str) -> bool:
    """Whether ``long`` holds more digits than ``short`` and every digit of ``short`` in order
    ("10" in "101", "16.73" in "16.731"; not "6" in "10", not "12" in "21")."""
    have, want = [ch for ch in long if ch.isdigit()], [ch for ch in short if ch.isdigit()]
    if len(have) <= len(want):
        return False
    rest = iter(have)
    return all(ch in rest for ch in want)


def dropped_digit_reading(
    numeric: Sequence[Candidate],
    voted: Candidate,
    text_read: Candidate | None,
    settings: DroppedDigitSettings,
) -> Candidate | None:
    """The number the read readings among ``numeric`` (a cell's numeric number readings) agree
    on, when the ``voted`` text lost a digit of it by readings at no confidence (module doc);
    ``text_read``: the text model's reading, counted as a sure reading of the number only."""
    if not settings.enabled or not any(
        c.confidence <= NO_CONFIDENCE and c.text == voted.text for c in numeric
    ):
        return None
    groups: dict[str, list[Candidate]] = {}
    for cand in numeric:
        if cand.confidence > NO_CONFIDENCE:
            groups.setdefault(cand.text.strip(), []).append(cand)
    if not groups:
        return None
    text, agreeing = max(groups.items(), key=lambda kv: (len(kv[1]), sum(c.confidence for c in kv[1])))
    if not _PLAIN.fullmatch(text) or not keeps_digits(voted.text, text):
        return None
    said = [text_read] if text_read is not None and text_read.text.strip() == text else []
    if max(c.confidence for c in (*agreeing, *said)) < settings.sure:
        return None
    mean = sum(c.confidence for c in agreeing) / len(agreeing)
    return Candidate(text=text, confidence=min(mean, settings.confidence), variant=VARIANT)
