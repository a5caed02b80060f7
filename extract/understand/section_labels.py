"""Section rows told by their label where their STT was misread.

Forms 4B, 5B, 6B, 7B, 10B, 11B and 14B print their two sections under labels the form fixes
("I UBND cấp huyện", "II UBND cấp xã"; ``sections:`` of ``configs/forms/*.yaml``).  On a worn scan
the numeral is sometimes read as something else -- "1" for "II" (dev 2833's 10B), "T" for "I"
(dev 2910's 5B), run into the label ("IICấpxã", dev 2935's 14B) -- and the row was classified an
item: the communes below it hung at the top level, the section row was paired with no printed
row and its numbers stood for none.

:func:`sections_by_label` finds such rows from their label alone:

- a row whose label (folded, a numeral read in front of it dropped) is at least
  ``section_label_min`` like one section's label and ``section_label_margin`` more like it than
  like any other section's is that section ("UBND cấp xã", "Cấpxã");
- a row whose label is the start the sections' labels share ("UBND cấp", "TTHC thuộc phạm vi
  thẩm quyền": at least ``section_prefix_min`` alike as a part of each, at least
  ``section_prefix_chars`` long), or a part of section I's label alone ("cấp huyện" of "UBND cấp
  huyện", its first word lost: ``section_label_margin`` less than that as a part of II's),
  standing right above the section II row (read or found as above) where no section I is, is
  section I (dev 3631's 10B: "1 cấp huyện" above II read "u").

Only rows whose STT was not read as a numeral of the form's sections (a numeral it does not print,
"III" for "II" on dev 2805's 10B, is open), not a dotted STT, whose label names no commune and is
no total's, and only a numeral that no row reads and one row alone fits.  The STT
as read is kept (``RowInfo.printed_index``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from extract.folding import fold

_LEADING_NUMERAL = re.compile(r"^[ivxl1|.,:;\s]+")
"""A numeral (or its marks) read in front of a label ("ii capxa", "iicapxa", ". cap huyen")."""


def _text(label: str) -> str:
    return fold(label).strip()


def _score(label: str, declared: str) -> float:
    """How alike a label is to a declared one, as read or with a numeral read in front dropped."""
    text = _text(label)
    return max(fuzz.ratio(text, declared), fuzz.ratio(_LEADING_NUMERAL.sub("", text), declared))


def _part_of_first(text: str, declared: Sequence[str], prefix_min: float, margin: float) -> bool:
    """Whether ``text`` is a part of the first section's label: one every label shares ("UBND
    cấp"), or one of the first's alone ("cấp huyện", its "UBND" lost: at least ``prefix_min``
    alike as a part of it and ``margin`` less than that as a part of every other)."""
    parts = [fuzz.partial_ratio(text, d) for d in declared]
    return all(p >= prefix_min for p in parts) or (
        parts[0] >= prefix_min and all(p < prefix_min - margin for p in parts[1:])
    )


def sections_by_label(
    reads: Sequence[tuple[str, str]],
    labels: Sequence[str],
    sections: Sequence[tuple[str, str]],
    *,
    label_min: float,
    margin: float,
    prefix_min: float,
    excluded: Sequence[bool],
    prefix_chars: int,
) -> dict[int, str]:
    """Row position -> section numeral for the rows whose label names a section (see the
    module).  ``reads``: each row's STT as classified (kind, text); ``excluded``: rows that may
    be no section (a commune, a total)."""
    if len(sections) < 2:
        return {}
    numerals = [n.upper() for n, _ in sections]
    declared = [fold(lbl) for _, lbl in sections]
    read_as = {text.upper() for kind, text in reads if kind == "section"}
    open_rows = [
        p
        for p, (kind, text_read) in enumerate(reads)
        if kind != "subitem"
        and not (kind == "section" and text_read.upper() in numerals)
        and not excluded[p]
        and _text(labels[p])
    ]
    found: dict[str, list[int]] = {}
    for p in open_rows:
        scores = [_score(labels[p], d) for d in declared]
        best = max(range(len(scores)), key=lambda k: scores[k])
        others = [s for k, s in enumerate(scores) if k != best]
        if scores[best] >= label_min and scores[best] - max(others) >= margin:
            found.setdefault(numerals[best], []).append(p)
    out = {p[0]: n for n, p in found.items() if len(p) == 1 and n not in read_as}
    first, second = numerals[0], numerals[1]
    if first not in read_as and first not in out.values():
        below = next((p for p, n in out.items() if n == second), None)
        if below is None:
            below = next(
                (p for p, (kind, t) in enumerate(reads) if kind == "section" and t.upper() == second), None
            )
        above = below - 1 if below is not None else -1
        if (
            above in open_rows
            and above not in out
            and len(_text(labels[above])) >= prefix_chars
            and _part_of_first(_text(labels[above]), declared, prefix_min, margin)
        ):
            out[above] = first
    return out
