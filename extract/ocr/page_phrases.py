"""A phrase the page prints more than once, misread once, read as the page prints it elsewhere.

An official page repeats its bodies' and procedures' names: "Ủy ban nhân dân" five times on a
decision, "Bộ Nông nghiệp và Môi trường" in the preamble and again in Điều 1, "chống úng ngập" in
the title and the article. tesseract reads most of the occurrences alike and a few wrong where a
seal, a fold or a speck lies on them: "Uy pan nhân dân", "ừ ban nhân dân", "Hội đẳng nhân dân",
"Bộ Nông lghiệp và Môi tưởng", "chồng tíng ngập", "chuyên quyền sở hữu". The page's own readings
are the best lexicon of its names: two readings that agree word for word, against one that
differs in a letter or two where it is weak.

:func:`with_page_phrases` finds, within each line, a run of words (``phrase_words``: 3 to 5) that
matches a run read alike at least ``phrase_min_occurrences`` times elsewhere on the page, except
for some words that differ from it by at most ``phrase_max_edits`` letters and were read below
``phrase_weak_confidence`` (and below the best agreeing reading); at least ``phrase_min_anchors``
words, and no fewer than the differing ones, read exactly alike; a differing word that forms a
compound with its neighbour outside the run is a word in its own context ("địa bàn huyện Mường
Tè" beside "Ủy ban nhân dân huyện Mường Tè"), left as read. The differing words take the page's
spelling; their punctuation, box and confidence stay as read. A word two phrases would spell
differently is left as read, and so is any word with a digit (a number or a date is never a
phrase's: "ngày 16 tháng 6" and "ngày 17 tháng 6" are both printed). No OCR: the words already
read are compared.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..model import OcrLine, TextWord
from .engine import PageTextSettings
from .marks import is_compound

EDGE = ".,;:!?()[]{}\"'“”‘’…-–—/|_"  # punctuation at a word's ends


@dataclass(frozen=True)
class _Token:
    line: int  # index in the page's lines
    word: int  # index in the line's words
    text: str  # as read
    core: str  # the word without the punctuation at its ends ("" for none: "-", "2025;")
    confidence: float


def _core(text: str) -> str:
    """``text`` without its edge punctuation when what is left is letters only, else ""."""
    core = text.strip(EDGE)
    return core if core.isalpha() else ""


def core_span(text: str) -> tuple[int, int]:
    """Where ``text`` is without the punctuation (:data:`EDGE`) at its ends."""
    start = len(text) - len(text.lstrip(EDGE))
    return start, max(start, len(text.rstrip(EDGE)))


def _respelled(text: str, core: str) -> str:
    """``text`` with its letters replaced by ``core``, its edge punctuation kept ('"HỦ' → '"THỦ')."""
    start, end = core_span(text)
    return text[:start] + core + text[end:]


def is_read_text(line: OcrLine) -> bool:
    """``line`` is an OCR reading of the page's own text, its words its text: no stamp's line, no
    file mark, no text layer's line (read at 100)."""
    return (
        bool(line.words)
        and not line.stamp
        and not line.margin_mark
        and line.confidence < 100
        and " ".join(w.text for w in line.words) == line.text
    )


def _read_lines(lines: Sequence[OcrLine]) -> list[list[_Token]]:
    """Per line, its tokens; a line that is no OCR reading of the page's text (a stamp's, a
    file mark, a text layer's at 100, words not its text) has none."""
    return [
        [_Token(i, j, w.text, _core(w.text), w.confidence) for j, w in enumerate(ln.words)]
        if is_read_text(ln)
        else []
        for i, ln in enumerate(lines)
    ]


def _runs(tokens: list[_Token], n: int) -> list[list[_Token]]:
    """The runs of ``n`` tokens of one line, all of them words of letters."""
    return [tokens[k : k + n] for k in range(len(tokens) - n + 1) if all(t.core for t in tokens[k : k + n])]


def _bound_outside(token: _Token, run: list[_Token], line: list[_Token]) -> bool:
    """``token`` forms a compound word with a neighbour outside ``run``, as read, no punctuation
    between: a word in its own context ("địa bàn huyện Mường" is never "dân huyện Mường")."""
    inside = {t.word for t in run}
    for j in (token.word - 1, token.word + 1):
        if j in inside or not 0 <= j < len(line) or not line[j].core:
            continue
        first, second = (line[j], token) if j < token.word else (token, line[j])
        joined = first.text.endswith(first.core) and second.text.startswith(second.core)
        if joined and is_compound(first.core, second.core):
            return True
    return False


def _respellings(
    run: list[_Token],
    line: list[_Token],
    phrase: tuple[str, ...],
    agreed: list[float],
    settings: PageTextSettings,
) -> list[tuple[_Token, str]] | None:
    """The (token, spelling) pairs that make ``run`` (of ``line``) read ``phrase``; None where it
    may not."""
    changes: list[tuple[_Token, str]] = []
    anchors = 0
    for token, spelling, confidence in zip(run, phrase, agreed, strict=True):
        if token.core == spelling:
            anchors += 1
            continue
        if (
            token.confidence >= settings.phrase_weak_confidence
            or token.confidence >= confidence
            or Levenshtein.distance(token.core, spelling) > settings.phrase_max_edits
            or _bound_outside(token, run, line)
        ):
            return None
        changes.append((token, spelling))
    if not changes or anchors < max(settings.phrase_min_anchors, len(changes)):
        return None
    return changes


def page_phrase_spellings(lines: Sequence[OcrLine], settings: PageTextSettings) -> dict[tuple[int, int], str]:
    """(line index, word index) → the word's letters as the page prints them elsewhere."""
    tokens = _read_lines(lines)
    lo, hi = settings.phrase_words
    proposed: dict[tuple[int, int], set[str]] = defaultdict(set)
    for n in range(lo, hi + 1):
        occurrences: dict[tuple[str, ...], list[list[_Token]]] = defaultdict(list)
        for line in tokens:
            for run in _runs(line, n):
                occurrences[tuple(t.core for t in run)].append(run)
        phrases = {
            key: runs for key, runs in occurrences.items() if len(runs) >= settings.phrase_min_occurrences
        }
        by_word: dict[tuple[int, str], list[tuple[str, ...]]] = defaultdict(list)
        for key in phrases:
            for k, core in enumerate(key):
                by_word[(k, core)].append(key)
        for key, runs in occurrences.items():
            if key in phrases:
                continue
            candidates = {p for k, core in enumerate(key) for p in by_word.get((k, core), ())}
            for phrase in candidates:
                # each word of the phrase as confidently as its best agreeing reading read it
                agreed = [max(run[k].confidence for run in phrases[phrase]) for k in range(n)]
                for run in runs:
                    changes = _respellings(run, tokens[run[0].line], phrase, agreed, settings)
                    for token, spelling in changes or ():
                        proposed[(token.line, token.word)].add(spelling)
    return {at: next(iter(spellings)) for at, spellings in proposed.items() if len(spellings) == 1}


def with_page_phrases(lines: Sequence[OcrLine], settings: PageTextSettings) -> tuple[OcrLine, ...]:
    """``lines`` (a page's OCR lines outside tables) with the words of its repeated phrases read
    once otherwise respelled as the page prints them (:func:`page_phrase_spellings`); off when
    ``settings.phrase_min_occurrences`` is 0."""
    if settings.phrase_min_occurrences <= 0:
        return tuple(lines)
    spellings = page_phrase_spellings(lines, settings)
    return with_words_retexted(
        lines, {(i, j): _respelled(lines[i].words[j].text, core) for (i, j), core in spellings.items()}
    )


def with_words_retexted(lines: Sequence[OcrLine], texts: dict[tuple[int, int], str]) -> tuple[OcrLine, ...]:
    """``lines`` with the word at each (line index, word index) of ``texts`` reading that text
    (its box and confidence as read), and its line's text with it."""
    out = list(lines)
    for i, ln in enumerate(lines):
        changed = {j: text for (li, j), text in texts.items() if li == i}
        if not changed:
            continue
        words: list[TextWord] = [
            dataclasses.replace(w, text=changed[j]) if j in changed else w for j, w in enumerate(ln.words)
        ]
        out[i] = dataclasses.replace(ln, text=" ".join(w.text for w in words), words=tuple(words))
    return tuple(out)
