"""The national layout's fixed phrases, read a letter or two off, read as the layout prints them.

Every page-1 of an administrative document (Nghị định 30/2020, Phụ lục I) prints the same
phrases in the same places: the motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do -
Hạnh phúc", "Nơi nhận:", and a signature block of a few titles ("KT. CHỦ TỊCH", "PHÓ THỦ TƯỚNG",
"TM. ỦY BAN NHÂN DÂN"). Those titles are where the signer's seal is pressed, and its ring runs
over their first letters: '"HỦ TƯỚNG' for "THỦ TƯỚNG" (QĐ 729), "HỦ NHIÊM" for "CHỦ NHIỆM" (CV
3722); a title's abbreviation loses its dot ("KT CHỦ TỊCH", QĐ 2280). The page cannot tell these
by itself when they are printed once (:mod:`extract.ocr.page_phrases` needs a second reading):
the layout is their lexicon.

:func:`with_layout_phrases` finds, within each line, a run of words that reads a phrase of
``layout_phrases`` (``ocr.page_text``) but for at most ``layout_max_edits`` letters in all (and
no more than a quarter of the phrase's letters), case and tone placement counted ("Chủ tịch" in
prose is no "CHỦ TỊCH"), nearer to that phrase than to any other of its length; each word that
differs was read below ``layout_weak_confidence`` or is no known word. Its words take the
phrase's letters; their punctuation stays as read, and a phrase's own end mark ("KT.", "nhận:")
is put back where the reading has none. A word two phrases would spell differently is left as
read, and so is a stamp's, a file mark's or a text layer's line. No OCR: the words already read
are compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz.distance import Levenshtein

from ..model import OcrLine, TextWord
from ..pagetext import COLUMN_GAP_HEIGHTS, comparable
from .engine import PageTextSettings
from .marks import zipf
from .page_phrases import EDGE, is_read_text, with_words_retexted

_END_MARKS = ".:"  # a phrase word's own end mark, put back where the reading lost it


@dataclass(frozen=True)
class _Word:
    lead: str  # punctuation before the letters, as read
    core: str  # the letters ("" for a word of punctuation only: "-")
    tail: str  # punctuation after the letters, as read


def _parts(text: str) -> _Word | None:
    """``text`` as punctuation, letters, punctuation; None where the middle is not letters only
    ("2025", "Điều'1¿")."""
    core = text.strip(EDGE)
    if core and not core.isalpha():
        return None
    start = len(text) - len(text.lstrip(EDGE))
    return _Word(text[:start], core, text[start + len(core) :])


@cache
def _phrase(phrase: str) -> tuple[_Word, ...]:
    words = tuple(_parts(w) for w in phrase.split())
    if any(w is None for w in words):
        raise ValueError(f"layout phrase {phrase!r}: a word is not letters and punctuation")
    return tuple(w for w in words if w is not None)


@cache
def _plain(text: str) -> str:
    return comparable(text)


def _letters(words: Sequence[_Word]) -> int:
    return sum(len(w.core) for w in words)


def _distance(read: Sequence[_Word], phrase: Sequence[_Word]) -> int | None:
    """Letters to change to make ``read`` spell ``phrase`` (tone placement aside); None where a
    word of punctuation only ("-") stands against letters or another mark."""
    total = 0
    for r, p in zip(read, phrase, strict=True):
        if not p.core or not r.core:
            if r.core or p.core or _plain(r.lead + r.tail) != _plain(p.lead + p.tail):
                return None
            continue
        total += Levenshtein.distance(_plain(r.core), _plain(p.core))
    return total


def _may_differ(read: _Word, phrase: _Word, confidence: float, settings: PageTextSettings) -> bool:
    """A word read otherwise than the phrase may be respelled: it was read weakly, or is no
    known word, or its letters are the phrase word's with the first ones lost (a seal's ring or
    the page's edge over them: "T." for "KT.", "HỦ" for "THỦ") — never a known word read
    confidently as a word of its own ("HỒ CHỦ TỊCH" is no "PHÓ CHỦ TỊCH"); at most half its letters
    otherwise (a stray mark before a title, "l CHỦ TỊCH", is no lost "KT.")."""
    if 2 * Levenshtein.distance(_plain(read.core), _plain(phrase.core)) > len(phrase.core):
        return False
    if confidence < settings.layout_weak_confidence or zipf(read.core) <= 0:
        return True
    return _plain(phrase.core).endswith(_plain(read.core))


def _lead(read: _Word, phrase: _Word) -> str:
    """The punctuation before ``read``'s letters: as read, or none where it stands for the
    phrase's first letter, lost (the seal's ring over "THỦ" read '"HỦ')."""
    if read.lead and not phrase.lead and _plain(read.core) != _plain(phrase.core):
        lost = Levenshtein.distance(_plain(read.core), _plain(phrase.core))
        if Levenshtein.distance(_plain(read.lead + read.core), _plain(phrase.core)) <= lost:
            return ""
    return read.lead


def _tail(read: _Word, phrase: _Word, put_back: bool) -> str:
    """The punctuation after ``read``'s letters: as read, or the phrase's end mark where the
    reading has none and ``put_back`` ("KT" → "KT.")."""
    lost = put_back and not read.tail and phrase.tail and phrase.tail in _END_MARKS
    return phrase.tail if lost else read.tail


def _respellings(
    read: list[_Word],
    words: Sequence[TextWord],
    candidates: list[tuple[_Word, ...]],
    settings: PageTextSettings,
    ends: bool,
) -> list[tuple[int, str]]:
    """(index in the run, spelling) of the ``words`` read ``read`` that make them the phrase of
    ``candidates`` they read a letter or two off; none where they read none, or two alike. A
    lost end mark is put back on a word in capitals ("KT" of "KT. CHỦ TỊCH"), or on the last word
    where the run ``ends`` its line's segment ("Nơi nhận" alone; "Nơi nhận hồ sơ" is prose)."""
    scored = sorted(
        ((d, phrase) for phrase in candidates if (d := _distance(read, phrase)) is not None),
        key=lambda s: s[0],
    )
    if not scored or len(scored) > 1 and scored[1][0] <= scored[0][0]:
        return []  # no phrase, or as near to another one: not told
    best, phrase = scored[0]
    if best > min(settings.layout_max_edits, _letters(phrase) // 4):
        return []
    changes = []
    for j, (r, p) in enumerate(zip(read, phrase, strict=True)):
        letters_differ = _plain(r.core) != _plain(p.core)
        if letters_differ and not _may_differ(r, p, words[j].confidence, settings):
            return []
        put_back = p.core.isupper() or ends and j == len(read) - 1
        spelling = _lead(r, p) + (p.core if letters_differ else r.core) + _tail(r, p, put_back)
        if spelling != words[j].text:
            changes.append((j, spelling))
    return changes


def layout_spellings(lines: Sequence[OcrLine], settings: PageTextSettings) -> dict[tuple[int, int], str]:
    """(line index, word index) → the word as the layout's phrase prints it."""
    by_length: dict[int, list[tuple[_Word, ...]]] = defaultdict(list)
    for text in settings.layout_phrases:
        by_length[len(_phrase(text))].append(_phrase(text))
    proposed: dict[tuple[int, int], set[str]] = defaultdict(set)
    for i, ln in enumerate(lines):
        if not is_read_text(ln):
            continue
        parts = [_parts(w.text) for w in ln.words]
        gap = COLUMN_GAP_HEIGHTS * max(1, ln.box.height)
        for n, candidates in by_length.items():
            for k in range(len(parts) - n + 1):
                read = [w for w in parts[k : k + n] if w is not None]
                if len(read) < n:
                    continue  # a word of the run is no word of letters ("2025")
                after = ln.words[k + n] if k + n < len(ln.words) else None
                ends = after is None or after.box.x0 - ln.words[k + n - 1].box.x1 > gap
                for j, spelling in _respellings(read, ln.words[k : k + n], candidates, settings, ends):
                    proposed[(i, k + j)].add(spelling)
    return {at: next(iter(s)) for at, s in proposed.items() if len(s) == 1}


def with_layout_phrases(lines: Sequence[OcrLine], settings: PageTextSettings) -> tuple[OcrLine, ...]:
    """``lines`` (a page's OCR lines outside tables) with the runs that read a layout phrase a
    letter or two off respelled as it (:func:`layout_spellings`); off when
    ``settings.layout_max_edits`` is 0 or no phrase is set."""
    if settings.layout_max_edits <= 0 or not settings.layout_phrases:
        return tuple(lines)
    return with_words_retexted(lines, layout_spellings(lines, settings))
