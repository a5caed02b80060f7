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

A word that is a word but forms no compound with its neighbours ("thành phô", "sửa đối", "bố
sung") takes the spelling among the same alternatives that does ("thành phố", "sửa đổi", "bổ
sung"): :func:`choose_in_context`, with underthesea's dictionary of compound words.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..errors import MissingDependencyError
from ..pagetext import comparable

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


# --------------------------------------------------------------------------------------------
# marks that make another valid word: chosen by the compound words the neighbours form

COMPOUNDS_FILE = ("corpus", "data", "Viet74K.txt")  # underthesea's dictionary of 74K words


@cache
def compound_words() -> frozenset[str]:
    """Vietnamese words of two syllables or more ("thành phố", "bổ sung", "nhu cầu"), lower
    case, tone marks placed as :func:`extract.pagetext.comparable` places them: the dictionary
    underthesea ships (Apache-2.0), read from its file without importing the toolkit (whose
    import takes 0.4 s): once per process."""
    return _dictionary()[0]


@cache
def dictionary_syllables() -> dict[str, frozenset[str]]:
    """Every syllable of the compound dictionary by its letters (:func:`skeleton`): "bo" →
    {"bo", "bó", "bò", "bỏ", "bõ", "bọ", "bô", "bố", "bổ", …, "bơ", …}."""
    return _dictionary()[1]


@cache
def _dictionary() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """:func:`compound_words` and :func:`dictionary_syllables`: built from underthesea's file
    (:func:`_build_dictionary`, 0.1 s) once per machine and cached on disk
    (:mod:`extract.understand.gazetteer_cache`; ~0.03 s a process to load).  The cache file is
    named by what the build reads: the word file (its size and time), the code that makes the
    keys (this module's and ``extract/pagetext.py``'s source) and Python's version (its
    Unicode tables), so a changed spelling rule or word list is rebuilt, never read stale."""
    import sys

    from .. import pagetext
    from ..understand.gazetteer_cache import keyed_cache_file, load_or_build_at

    path = _dictionary_file()
    stat = path.stat()
    key = f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{sys.version}"
    cache = keyed_cache_file("marks-dictionary", key, (__file__, pagetext.__file__))
    return load_or_build_at(cache, lambda: _build_dictionary(path), tuple)


def _dictionary_file() -> Path:
    """underthesea's dictionary file (:data:`COMPOUNDS_FILE`), found without importing it."""
    from importlib.util import find_spec

    spec = find_spec("underthesea")
    folders = list(spec.submodule_search_locations or ()) if spec else []
    path = next(
        (Path(f).joinpath(*COMPOUNDS_FILE) for f in folders if Path(f).joinpath(*COMPOUNDS_FILE).is_file()),
        None,
    )
    if path is None:
        raise MissingDependencyError(
            "underthesea's word list (corpus/data/Viet74K.txt) is not installed: "
            "pip install underthesea, or set ocr.text_marks_context_max_drop to -1"
        )
    return path


def _build_dictionary(path: Path) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """:func:`compound_words` and :func:`dictionary_syllables` from the file ``path``, in one pass.

    ``comparable(line).lower()`` is the line's syllables each made comparable and lower case,
    joined by single spaces (every step of :func:`~extract.pagetext.comparable` and of
    ``str.lower`` works inside a syllable), so each distinct syllable is made comparable once
    (about 9K of the 160K the 64K compounds hold) and grouped by its letters once
    (0.2 -> 0.1 s a process)."""
    keys: dict[str, str] = {}  # a syllable as the file spells it -> comparable, lower case
    words: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for ln in f:
            line = ln.strip()
            if " " not in line:
                continue
            parts = []
            for part in line.split():
                key = keys.get(part)
                if key is None:
                    key = keys[part] = comparable(part).lower()
                parts.append(key)
            words.add(" ".join(parts))
    syllables: dict[str, set[str]] = {}
    for syllable in set(keys.values()):  # the words' syllables
        if syllable.isalpha():
            syllables.setdefault(skeleton(syllable), set()).add(syllable)
    return frozenset(words), {k: frozenset(v) for k, v in syllables.items()}


def cased_like(read: str, spelling: str) -> str:
    """``spelling`` in the case of ``read``, letter for letter ("VÈ", "về" → "VỀ")."""
    return "".join(s.upper() if r.isupper() else s for r, s in zip(read, spelling, strict=True))


def choose_in_context(
    words: Sequence[str],
    alternatives: Sequence[Sequence[Sequence[str]]],
    max_drop: float = 1.0,
    *,
    capitals_any_marks: bool = False,
    lower_min_rise: float | None = None,
) -> list[str]:
    """The words of one text line (or paragraph), each with its marks chosen again by its
    neighbours.

    A word is a syllable; Vietnamese words are mostly compounds of two ("thành phố", "sửa
    đổi", "bổ sung").  A syllable read with the wrong marks is often still a word ("phô",
    "đối", "bố"), but then it rarely forms a compound with its neighbours ("thành phô", "sửa
    đối", "bố sung").  So a syllable that forms no compound with either neighbour (as read, with
    no punctuation between them) takes the one spelling among the recogniser's alternatives
    (``alternatives``: per character, the read one first; same letters, other marks, as
    :func:`choose_marks`) that forms one with a neighbour, when there is exactly one such
    spelling and that neighbour is not already bound on its other side ("Bộ Nông nghiệp" is
    never "Bồ Nông": "Nông" belongs to "nông nghiệp").  A neighbour used as the evidence of a
    change keeps its own reading (in "nhu câu" the evidence "nhu" of "nhu cầu" is not changed
    to "như" by "theo như").  Nor is a word changed into one more than ``max_drop`` less
    frequent (Zipf): "Bộ" (6.4) never becomes "Bồ" (5.0) by "bồ nông" where "Nông nghiệp" was
    misread "Nông lghiệp"; the changes wanted drop by 0.5 at most ("bố" 5.9 → "bổ" 5.4).
    A word of three syllables counts as a compound with both neighbours that follow (or
    precede) the syllable: "PHO CHỦ TỊCH" → "PHÓ CHỦ TỊCH" (the neighbour "CHỦ" is bound to
    "TỊCH", but inside the one word "phó chủ tịch"); a syllable in one as read is bound.

    With ``capitals_any_marks``, a word in capitals that still forms no compound after that
    (and was not changed by it) is tried again with every spelling of its letters that the
    dictionary knows, not only the recogniser's alternatives: on capitals tesseract squeezes a
    tone mark onto the circumflex and often offers no right one at all ("BÓ SUNG": Ó Ồ Ô Ỏ Ố Ộ,
    no Ổ; "THÀNH PHÓ", "SỬA ĐÓI").  The same guards hold; the words changed by the first pass
    are the second's fixed neighbours ("THU HỎI" made "THU HỒI" by tesseract's own Ồ is never
    "THỬ HỎI").  Capitals only: in lower and title case the dictionary's other spellings make
    names into words ("Long Thành" → "Lòng", "Phạm Gia Túc" → "Giả", "Mạnh Hùng" → "Hứng").

    With ``lower_min_rise``, a word in lower case (never a name) does the same, by the spellings
    more than ``lower_min_rise`` more frequent (Zipf) than the word as read that differ from it in
    the tone mark alone (its vowels and "đ" as read: "do" is never "đổ", a line's cut-off "ân" of
    "nhân" never "an"): a tone mark the recogniser dropped makes a rarer word ("kiêm
    định" → "kiểm định", "Thành phô" → "phố"), while a word read right that another spelling
    would bind to a neighbour is the more frequent one ("tại khoản" is never "tài khoản", "mang
    tầm quốc tế" never "tấm").  tesseract reads both kinds at 90 or more: no confidence tells
    them apart."""
    spans = [_core_span(w) for w in words]
    cores = [w[a:b] for w, (a, b) in zip(words, spans, strict=True)]
    own: list[set[str]] = []
    for i, core in enumerate(cores):
        if len(alternatives[i]) != len(words[i]) or not core.isalpha():
            own.append(set())
            continue
        start = spans[i][0]
        options = [
            [c, *(a for a in alternatives[i][start + k][1:] if same_letters(c, a))]
            for k, c in enumerate(core)
        ]
        if sum(len(o) > 1 for o in options) > MAX_VARIED_SYMBOLS:
            own.append(set())
            continue
        own.append({"".join(combo) for combo in itertools.product(*options)} - {core})
    out = _context_pass(words, spans, own, max_drop)
    if not capitals_any_marks and lower_min_rise is None:
        return out
    syllables = dictionary_syllables()

    def spellings(core: str) -> set[str]:  # the dictionary's other spellings of a word as read
        if capitals_any_marks and core.isupper():
            return {cased_like(core, s) for s in syllables.get(skeleton(core), ()) if len(s) == len(core)} - {
                core
            }
        if lower_min_rise is None or not core.islower():
            return set()
        bar = zipf(core) + lower_min_rise
        return {
            s
            for s in syllables.get(skeleton(core), ())
            if len(s) == len(core) and same_vowels(core, s) and zipf(s) > bar
        }

    spelled = [
        spellings(core) if out[i] == words[i] and len(core) >= 2 and core.isalpha() else set()
        for i, core in enumerate(cores)
    ]
    return _context_pass(out, [_core_span(w) for w in out], spelled, max_drop)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _untoned(text: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", text) if c not in _TONES)
    )


def same_vowels(read: str, spelling: str) -> bool:
    """``spelling`` differs from ``read`` in its tone marks alone: the vowels' own marks (â ê ô ơ
    ư ă) and "đ" as read — those are letters, which no frequency may change ("do" is never "đổ",
    a fragment "ân" of "nhân" never "an")."""
    return _untoned(read) == _untoned(spelling)


def _context_pass(
    words: Sequence[str], spans: Sequence[tuple[int, int]], spellings: Sequence[set[str]], max_drop: float
) -> list[str]:
    """:func:`choose_in_context`'s rule with ``spellings`` (per word: the other spellings its
    core may take)."""
    known = compound_words()
    n = len(words)
    cores = [w[a:b] for w, (a, b) in zip(words, spans, strict=True)]

    def joined(i: int, j: int) -> bool:  # i < j adjacent, both letters only, no punctuation between
        return spans[i][1] == len(words[i]) and spans[j][0] == 0 and cores[i].isalpha() and cores[j].isalpha()

    def neighbours(i: int) -> list[int]:
        return [j for j in (i - 1, i + 1) if 0 <= j < n and joined(min(i, j), max(i, j))]

    def compound(i: int, form: str, j: int) -> bool:
        first, second = (form, cores[j]) if i < j else (cores[j], form)
        return f"{_key(first)} {_key(second)}" in known

    def bound(i: int, besides: int = -1) -> bool:
        return any(compound(i, cores[i], j) or three(i, cores[i], j) for j in neighbours(i) if j != besides)

    def three(i: int, form: str, j: int) -> bool:  # form, j and the word beyond j: one word
        k = j + (j - i)
        if not (0 <= k < n and joined(min(j, k), max(j, k))):
            return False
        parts = [form, cores[j], cores[k]] if i < j else [cores[k], cores[j], form]
        return " ".join(_key(p) for p in parts) in known

    proposals: dict[int, tuple[str, int]] = {}
    for i, core in enumerate(cores):
        if not spellings[i] or bound(i):
            continue
        found: dict[str, int] = {}
        for spelling in sorted(spellings[i]):
            for j in neighbours(i):
                if (compound(i, spelling, j) and not bound(j, besides=i) or three(i, spelling, j)) and zipf(
                    spelling
                ) >= zipf(core) - max_drop:
                    found[spelling] = j
        if len(found) == 1:
            proposals[i] = next(iter(found.items()))
    evidence = {j for _, j in proposals.values()}
    out = list(words)
    for i, (spelling, _) in proposals.items():
        if i not in evidence:
            a, b = spans[i]
            out[i] = words[i][:a] + spelling + words[i][b:]
    return out


def _title(word: str) -> bool:
    a, b = _core_span(word)
    core = word[a:b]
    return len(core) >= 2 and core.isalpha() and core[0].isupper() and core[1:].islower()


def keep_title_names(read: Sequence[str], chosen: Sequence[str]) -> list[str]:
    """``chosen`` (words of page text whose marks :func:`choose_in_context` chose, word for word
    ``read``) with each changed word in title case beside another word in title case put back
    as read — a name's syllable ("Xã Nghĩa Bình" never "Nghĩa Binh", a compound of the
    dictionary) — unless the read word is no known word.  Capitals (a title: "THÀNH PHÓ" →
    "THÀNH PHỐ") and lower case are not names here."""
    out = list(chosen)
    for i, (was, now) in enumerate(zip(read, chosen, strict=True)):
        if was == now or not _title(was):
            continue
        a, b = _core_span(was)
        if zipf(was[a:b]) > 0 and any(_title(read[j]) for j in (i - 1, i + 1) if 0 <= j < len(read)):
            out[i] = was
    return out


def before_numbers(words: Sequence[str], number_words: Sequence[str]) -> list[str]:
    """The words of a line with each word that stands before a number spelled as the word of
    ``number_words`` ("số", "năm", "ngày" …) that has its letters, when it is not that word
    already: "Tờ trình sô 10/TTr-HĐND" → "số", "nắm 2026" → "năm".  Before a number these
    documents print a number's name, so its marks are known where tesseract dropped them ("sô",
    "nắm" are words too, which no frequency can see).  Only a word followed by its number with
    nothing between (no punctuation), in lower case or in capitals (a word in title case may be
    a name: "Việt Nam 2030", "Hà Nam 2026" stay), keeping its case; never a word that forms a
    compound with the word before it as read."""
    by_letters = {skeleton(w): w for w in number_words}
    known = compound_words()
    out = list(words)
    for i in range(len(words) - 1):
        a, b = _core_span(words[i])
        core = words[i][a:b]
        target = by_letters.get(skeleton(core)) if b == len(words[i]) and core.isalpha() else None
        if (
            target is None
            or core.lower() == target
            or not (core.islower() or core.isupper())
            or len(core) != len(target)
            or not words[i + 1][:1].isdigit()
            or (i > 0 and f"{_key(words[i - 1])} {_key(core)}" in known)
        ):
            continue
        out[i] = words[i][:a] + cased_like(core, target) + words[i][b:]
    return out


def _core_span(word: str) -> tuple[int, int]:
    """Where ``word`` is, without the punctuation at its edges."""
    start = len(word) - len(word.lstrip(_EDGE))
    return start, max(start, len(word.rstrip(_EDGE)))


@cache
def _key(syllable: str) -> str:
    return comparable(syllable).lower()


def is_compound(first: str, second: str) -> bool:
    """``first second`` (two syllables, any case and tone placement) is a word of the compound
    dictionary (:func:`compound_words`): "địa bàn", "chuyên quyền", not "uy pan"."""
    return f"{_key(first)} {_key(second)}" in compound_words()
