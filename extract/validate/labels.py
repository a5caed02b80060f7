"""Rows whose label cannot be read: their values are not trusted as a known row's.

A row is known by its label (and its STT, which repeats from section to section).  On a worn
scan the label cell is sometimes read as marks that are no words ("sácK€W LÍ", ". X€MIÍ? L Đ\\ >
o4 'S ba ÀÌ É"): the numbers beside it may be read right -- a row sum may even hold -- but
nobody can tell from the output which printed row (which field, which unit) they are.  The
dev split's extra documents had such rows standing ``read``/``verified`` (dev_044_hard_300's 4B
rows II/1 and II/2, dev_072_hard_300's 1B row 3): their values are flagged with the label as
read, and the table gets an issue naming the rows.

A label is legible when more than ``label_legible_min_share`` of its words are well-formed
Vietnamese syllables or abbreviations (:func:`extract.ingest.syllable_share`, the count the
text-layer check and the title check use); numbers, punctuation and letters alone are not words,
and a label of no word and no letter, only marks (". . , 7 .", "-4"), is not legible either (an empty
label, an STT alone or a letter alone -- "a", "b" enumerating items -- is the rows' to judge).
Rows a commune was matched to (the commune names them), sections and totals (their STT or kind
names them: a total's "(I) + (II)" is often read as "@) + qĐ") are not judged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from extract.folding import fold
from extract.ingest import syllable_share
from extract.model import RowInfo, RowKind, TableResult

from .flagging import add_flag

_PUNCTUATION = ".,;:'\"()[]{}-–—‹›«»“”‘’…!?|_`~^*"
_LABEL_MARKS = frozenset({".", ",", "-", "–", "—", "+", "(", ")", "…"})
"""Marks a label prints standing alone: a bullet ("- Số đơn vị"), "(I) + (II)", a trailing dot."""
_NOT_A_WORD = re.compile(r"[0-9.,/%+=()\-]+")
_STT_LIKE = re.compile(r"[0-9IVXivx]+(?:[.,][0-9]+)*[.)]?")
"""A label that is an STT alone ("3", "2.1", "II"): the columns shifted, which the rows judge."""
_NAMED_BY_KIND = frozenset({RowKind.SECTION, RowKind.TOTAL, RowKind.HEADER, RowKind.COLUMN_NUMBERS})

ILLEGIBLE = "label not legible ({label!r}): which printed row these values belong to cannot be told"


def legible_share(label: str) -> float | None:
    """The share of ``label``'s words that are well-formed Vietnamese syllables or abbreviations
    (None: no words, only numbers and marks)."""
    tokens = unicodedata.normalize("NFC", label).split()
    words = [w.strip(_PUNCTUATION) for w in tokens]
    # a letter alone is an enumerator ("a", "b") or an initial, no evidence either way; a mark
    # standing alone that labels do not print ("/", ":" in "Hự / : ẳ") is a word not read
    marks = ["/" for t in tokens if not any(ch.isalnum() for ch in t) and t not in _LABEL_MARKS]
    return syllable_share([w for w in words if len(w) > 1 and not _NOT_A_WORD.fullmatch(w)] + marks)


def reads_as_words(label: str, min_share: float, words_min: int) -> bool:
    """Whether ``label`` reads as a label: more than ``min_share`` of its words well-formed
    (:func:`legible_share`) and at least ``words_min`` words of two letters or more (one
    syllable, "TƯ" read under a seal for "UBND cấp xã", is none)."""
    words = [w for w in label.split() if sum(ch.isalpha() for ch in w) >= 2]
    return (legible_share(label) or 0.0) > min_share and len(words) >= words_min


def illegible(row: RowInfo, min_share: float) -> bool:
    """Whether ``row``'s label is marks rather than words (rows named otherwise are never)."""
    if row.kind in _NAMED_BY_KIND or row.commune is not None:
        return False
    if fold(row.label).startswith("tong "):  # a total row not recognised as one: "Tổng số @) + qĐ"
        return False
    share = legible_share(row.label)
    if share is None:  # no word: marks (". . , 7 .", "-4") are no label; a number alone is an
        # STT, a letter alone an enumerator ("a", "b"): the rows judge those
        text = row.label.strip()
        return bool(text) and not _STT_LIKE.fullmatch(text) and not any(ch.isalpha() for ch in text)
    return share <= min_share


def flag_illegible_labels(table: TableResult, min_share: float) -> TableResult:
    """``table`` with every value (not blanks) of a row whose label is not legible FLAGGED, and
    an issue naming those rows."""
    rows = {i for i, r in enumerate(table.rows) if illegible(r, min_share)}
    if not rows:
        return table
    values = tuple(
        add_flag(v, ILLEGIBLE.format(label=table.rows[v.row_index].label.strip()))
        if v.row_index in rows and v.value_kind != "null"
        else v
        for v in table.values
    )
    named = ", ".join(
        f"{(table.rows[i].index.strip() or '(no STT)')} {table.rows[i].label.strip()[:40]!r}"
        for i in sorted(rows)
    )
    issue = f"rows whose label is not legible, their values flagged: {named}"
    issues = table.issues if issue in table.issues else (*table.issues, issue)
    return replace(table, values=values, issues=issues)
