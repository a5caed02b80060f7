"""Printed STTs restored from the sequence of their siblings.

On a worn scan the STT cell of a row is often misread ("32.11" for "3.2.11", "2.2.2.2.2.3" for
"2.2.2", "lo" for "8", "l†" for "11"), read as two STTs run together where the STT column lost a
rule ("45" above an empty STT cell, for "4" and "5"), or lost.  Such a row cannot be placed
under its parent, breaks the table's completeness check ("STT 8 not found") and, with a garbled
label, cannot be told from the other rows.

:func:`restore_sequence` finds the longest chain of STTs that follow each other as printed
tables number their rows (``2``, ``2.1``, ``2.2``, ``2.2.1`` ... ``2.2.16``, ``3``), section by
section, and gives the rows between two links of the chain the numbers missing between them --
only when the count of rows is exactly the count of numbers missing.  After the last link,
a row gets the next number only when the digits read in its STT are that number's ("9/ã…" for
9, "X⁄10" for 10), or the rows up to the list's end read the next numbers run together ("2021"
above an empty STT).  A restoration is *sure* when the digits read are those of the number given
(the digits of the run's STTs together, for "45" above an empty STT), else it rests on the
sequence alone and the caller flags the row unless its label settles it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol


class _Read(Protocol):
    """A printed STT as read (:class:`extract.understand.rows.IndexInfo`)."""

    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...


DIGIT_LOOKALIKES: Final = str.maketrans(
    {"l": "1", "L": "1", "I": "1", "|": "1", "i": "1", "O": "0", "o": "0"}
)
_NUMBERED: Final = ("item", "subitem")
_KEEP_RUN: Final = ("bullet", "letter")
"""Rows that are sub-rows printed without a number of the sequence: a run holding one is left as read."""


@dataclass(frozen=True)
class Restored:
    """A row whose STT was restored: its position, the STT given ("3.2.11") and whether the
    digits read bear it out (``sure``)."""

    position: int
    text: str
    sure: bool


def _key(text: str) -> tuple[str, int]:
    """ "3.2.11" -> ("3.2", 11); "7" -> ("", 7)."""
    prefix, _, last = text.rpartition(".")
    return prefix, int(last)


def follows(before: str, after: str, gap: int) -> bool:
    """Whether the numbered STT ``after``, ``gap`` rows below ``before``, can follow it: its next
    sibling(s) (at most ``gap`` numbers on), its first child, or the next sibling of one of its
    ancestors ("3" after "2.2.16")."""
    prefix, n = _key(after)
    if prefix == before:
        return n == 1
    parts = before.split(".")
    depth = len(prefix.split(".")) if prefix else 0
    if depth >= len(parts) or ".".join(parts[:depth]) != prefix:
        return False
    return 1 <= n - int(parts[depth]) <= gap


def _chain(reads: Sequence[_Read], positions: Sequence[int]) -> list[int]:
    """The longest chain of numbered rows (by position) in which each follows the one before."""
    best: list[int] = [1] * len(positions)
    back: list[int] = [-1] * len(positions)
    for i, p in enumerate(positions):
        for j in range(i):
            q = positions[j]
            if best[j] + 1 > best[i] and follows(reads[q].text, reads[p].text, p - q):
                best[i], back[i] = best[j] + 1, j
    if not positions:
        return []
    i = max(range(len(positions)), key=lambda k: (best[k], -k))
    out = []
    while i >= 0:
        out.append(positions[i])
        i = back[i]
    return out[::-1]


def _digits(text: str) -> str:
    return "".join(ch for ch in text.translate(DIGIT_LOOKALIKES) if ch.isdigit())


def _between(before: str | None, after: str) -> list[str] | None:
    """The STTs printed between ``before`` (None: the section's start) and ``after``, or None
    when that is not settled by the two (``after`` a sibling of an ancestor of ``before``)."""
    prefix, k = _key(after)
    if before is None:
        return [str(n) for n in range(1, k)] if not prefix else None
    if prefix == before:
        return [f"{prefix}.{n}" for n in range(1, k)]
    b_prefix, m = _key(before)
    if b_prefix == prefix:
        return [f"{prefix}.{n}" if prefix else str(n) for n in range(m + 1, k)]
    return None


def _next_of(text: str, step: int) -> str:
    prefix, m = _key(text)
    return f"{prefix}.{m + step}" if prefix else str(m + step)


def restore_sequence(raws: Sequence[str], reads: Sequence[_Read], totals: Sequence[bool]) -> list[Restored]:
    """The rows whose STT is restored (see the module docstring).  ``raws``: the STTs as read;
    ``reads``: as :func:`extract.understand.rows.read_index` reads them; ``totals``: rows
    whose label is a total's (never given a number; one read with a number after the last
    link of the chain is given none: "1 | Tổng số = (I) + (II)" is the total row)."""
    out: list[Restored] = []
    bounds = [p for p, r in enumerate(reads) if r.kind == "section"]
    starts, ends = [0, *(b + 1 for b in bounds)], [*bounds, len(reads)]
    for lo, hi in zip(starts, ends, strict=True):
        numbered = [p for p in range(lo, hi) if reads[p].kind in _NUMBERED]
        links = _chain(reads, numbered)
        tail = [p for p in numbered if totals[p] and (not links or p > links[-1])]
        out.extend(Restored(p, "", True) for p in tail)  # "1 | Tổng số" at the end: a total, no STT
        for before, after in zip([None, *links], [*links, None], strict=True):
            run = [
                p
                for p in range((before + 1) if before is not None else lo, after if after is not None else hi)
            ]
            out.extend(_fill(run, before, after, raws, reads, totals))
    return out


def _fill(
    run: list[int],
    before: int | None,
    after: int | None,
    raws: Sequence[str],
    reads: Sequence[_Read],
    totals: Sequence[bool],
) -> list[Restored]:
    """The STTs of the rows ``run`` between two links of the chain (``None``: the section's
    start or end)."""
    if after is None and any(totals[p] for p in run):
        run = run[: next(k for k, p in enumerate(run) if totals[p])]  # the list ends at its total
    if not run or any(reads[p].kind in _KEEP_RUN or totals[p] for p in run):
        return []
    if after is not None:
        wanted = _between(reads[before].text if before is not None else None, reads[after].text)
        if wanted is None or len(wanted) != len(run):
            return []
        sure_run = "".join(_digits(raws[p]) for p in run) == "".join(_digits(w) for w in wanted)
        return [
            Restored(p, w, sure_run or _digits(raws[p]) == _digits(w))
            for p, w in zip(run, wanted, strict=True)
        ]
    if before is None:
        return []
    wanted = [_next_of(reads[before].text, step) for step in range(1, len(run) + 1)]
    if "".join(_digits(raws[p]) for p in run) == "".join(_digits(w) for w in wanted):
        return [Restored(p, w, True) for p, w in zip(run, wanted, strict=True)]  # "2021" above ""
    out = []
    for step, p in enumerate(run, start=1):  # after the last link: only what the digits read say
        w = _next_of(reads[before].text, step)
        if _digits(raws[p]) == _digits(w) and re.search(r"\d", raws[p]):
            out.append(Restored(p, w, True))
        elif _leads_with(raws[p], w):
            out.append(Restored(p, w, False))  # "3P.«øI": a blot after the digits, flagged
        else:
            break
    return out


def _leads_with(raw: str, wanted: str) -> bool:
    """Whether ``raw`` is the STT ``wanted`` ("3") followed by a blot read as letters ("3 P.«øI",
    a seal's or a stain's marks after the digits): the digits it starts with are the last
    number of ``wanted``, a letter follows them and no other digit is read."""
    m = _LEADING.match(raw)
    return m is not None and m.group(1) == wanted.rpartition(".")[2] and not re.search(r"\d", m.group(2))


_LEADING: Final = re.compile(r"\s*(\d+)\s?([^\W\d_].*)", re.S)
"""An STT's digits followed by a letter (one space between at most) and whatever else was read."""
