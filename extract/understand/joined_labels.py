"""Two rows' labels read in one label cell, the next row's label cell read empty.

Where the rule between two label cells is lost (a faded line, a fax's dropped scan line), the
first row's label cell takes the second's text: 4B's row 20 read "Lĩnh vực Kinh doanh khí Lĩnh
vực Giải quyết tố cáo" and row 21 -- its STT and every number read -- no label
(dev_1138_hard_200; dev_1090_fax_150's rows 9/10 alike).  Row 21 then named no printed row: its
numbers stood under a key no user could find, the printed row "lost".

The evidence is in the label itself: a label that starts again, capitalised, with its own
opening words ("Lĩnh vực …", "Số đơn vị …") holds a second label there; so does a commune's
name followed by another's ("Xã Thành Sơn _ Xã Bình Sơn", "Thị trấn Đại Ngãi Xã Hậu Thạnh":
3B's commune rows 2.2.3 and 2.2.4 of dev 1640, 1090's 3.2.3 / 3.2.4, 1622's 2.2.16 / 2.2.17 --
the second commune's row named no printed row, its number "row merged into another").  When the next row has
an STT and no label, the second label is moved to it; that row's values are flagged
(:data:`MOVED`: which words are its label is read from the row above, not from its own cell).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from extract.folding import fold

OPENING_WORDS: Final = 2
"""Words a label's opening is made of: the repeat of these, capitalised, starts a second label."""

MOVED = (
    "its label {label!r} was read in the label cell of the row above ({above!r}): the two labels "
    "read as one, its own label cell empty; values flagged"
)


def _second_label_at(label: str) -> int | None:
    """Index of the word where ``label`` starts again with its opening words, capitalised
    ("Lĩnh vực A Lĩnh vực B" -> 3), or None."""
    words = label.split()
    if len(words) < 2 * OPENING_WORDS or not words[0][:1].isupper():
        return None
    opening = [fold(w) for w in words[:OPENING_WORDS]]
    for k in range(OPENING_WORDS, len(words) - OPENING_WORDS + 1):
        if words[k][:1].isupper() and [fold(w) for w in words[k : k + OPENING_WORDS]] == opening:
            return k
    return None


COMMUNE_TYPES: Final = frozenset({"xa", "phuong", "thi tran"})
"""A commune's type word (folded): a label starting with one names a commune."""


def _commune_start(words: Sequence[str], k: int) -> bool:
    """Whether a commune's name starts, capitalised, at ``words[k]`` ("Xã", "Phường", "Thị trấn")."""
    word = words[k].lstrip("_|-.,:;'\"")
    if not word[:1].isupper():
        return False
    if fold(word) in COMMUNE_TYPES:
        return True
    return k + 1 < len(words) and f"{fold(word)} {fold(words[k + 1])}" in COMMUNE_TYPES


def _second_commune_at(label: str) -> int | None:
    """Index of the word where a second commune's name starts in a ``label`` that names a commune
    ("Xã Thành Sơn _ Xã Bình Sơn" -> 4), or None: a type word after at least one word of the first
    commune's own name."""
    words = label.split()
    if not words or not _commune_start(words, 0):
        return None
    first_name = 3 if fold(words[0]) == "thi" else 2  # the first commune's type word and a name word
    for k in range(first_name, len(words) - 1):
        if _commune_start(words, k):
            return k
    return None


def split_joined_labels(indices: Sequence[str], labels: Sequence[str]) -> tuple[list[str], dict[int, str]]:
    """``labels`` with each second label moved to the next row when that row printed an STT and
    its label cell was read empty (see the module doc); and, for each row given a label so, the
    reason its values are flagged (:data:`MOVED`)."""
    out = list(labels)
    moved: dict[int, str] = {}
    for i in range(len(out) - 1):
        if out[i + 1].strip() or not indices[i + 1].strip():
            continue
        k = _second_label_at(out[i])
        if k is None:
            k = _second_commune_at(out[i])
        if k is None:
            continue
        words = out[i].split()
        first, second = " ".join(words[:k]).rstrip(" _|-"), " ".join(words[k:])
        out[i], out[i + 1] = first, second
        moved[i + 1] = MOVED.format(label=second[:60], above=first[:60])
    return out, moved
