"""Tone and vowel marks of page text chosen among tesseract's own alternatives by word frequency.

tesseract's ``vie`` model drops or swaps a mark stacked over another more often than it misreads
a letter: "QUYÉT" for "QUYẾT", "SÓ" for "SỐ", "CÚA" for "CỦA", "quôc" for "quốc", "đât" for
"đất" (capitals squeeze the tone mark onto the circumflex).  With ``lstm_choice_mode`` the
recogniser lists, for each symbol, the other characters it weighed.  A word that is **no
Vietnamese word** — absent from wordfreq's Vietnamese list (Zipf frequency 0: "quyét", "só") —
is replaced by the most frequent word spelled with the same letters and other marks among those
alternatives ("QUYẾT").  A word that is a word is never touched: "bổ" and "bố", "đổi" and "đối",
"quyền" and "quyên" are all words, and only context could choose between them.  The letters
(their skeleton without marks, "đ" as "d") and the case never change, so a name, a number or a
code is left as read unless the recogniser itself offered a known word for it.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from functools import cache

_EDGE = ".,;:!?()[]\"'“”‘’…-–/"
MAX_VARIED_SYMBOLS = 3  # symbols with alternatives tried together in one word (4 each: ≤ 64 words)
MAX_ALTERNATIVES = 4  # the read symbol and up to three others


def skeleton(text: str) -> str:
    """``text`` without its marks, lower case ("Quyết" → "quyet", "Đổi" → "doi")."""
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


@cache
def zipf(word: str) -> float:
    """The Zipf frequency of ``word`` in Vietnamese (wordfreq; 0 for no known word)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.lower(), "vi"))


def same_letters(read: str, other: str) -> bool:
    """``other`` may stand for ``read``: the same letters in the same case, other marks."""
    return (
        bool(other)
        and other != read
        and skeleton(other) == skeleton(read)
        and [c.isupper() for c in other] == [c.isupper() for c in read]
    )


def choose_marks(word: str, alternatives: Sequence[Sequence[str]], max_zipf: float) -> str:
    """``word`` as read, or the most frequent spelling of it among ``alternatives`` (per symbol
    of ``word``: the read character first, then the recogniser's other choices) when ``word``
    is at most ``max_zipf`` frequent and that spelling is more frequent.  Punctuation at the
    word's edges is kept as read."""
    if len(alternatives) != len(word):
        return word  # symbols and characters do not line up (a ligature): as read
    start = len(word) - len(word.lstrip(_EDGE))
    end = len(word.rstrip(_EDGE))
    core = word[start:end]
    if not core or not any(c.isalpha() for c in core) or zipf(core) > max_zipf:
        return word
    options = [
        [alts[0], *(a for a in alts[1:MAX_ALTERNATIVES] if same_letters(alts[0], a))]
        for alts in alternatives[start:end]
    ]
    if sum(len(o) > 1 for o in options) > MAX_VARIED_SYMBOLS:
        return word
    best, best_zipf = core, zipf(core)
    for combo in itertools.product(*options):
        candidate = "".join(combo)
        if (z := zipf(candidate)) > best_zipf:
            best, best_zipf = candidate, z
    return word[:start] + best + word[end:]
