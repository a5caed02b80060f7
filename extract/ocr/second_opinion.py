"""A second model's reading of an unsure word: its letters, digits and punctuation, never its marks.

tesseract's ``vie`` model misreads a few characters of a word it is unsure of that its script
model ``Vietnamese`` (tesseract-ocr-script-viet) reads right: "b/e);" for "b/c);", "2096." for
"2026.", "này..." for the end mark "này./.", "Luật:" with a speck for "Luật", "QH¡5" for "QH15",
"tíng" for "úng". But ``Vietnamese`` places tone marks worse than ``vie`` (its "Bên" for
"Bến", "thâm" for "thẩm", "quyên" for "quyền", read at 93–97), so a vote by confidence over whole
words loses more than it wins (earlier rounds, ``docs/notes/issue-12.md``).

:func:`with_second_opinion` reads each line holding a word below ``second_weak_confidence``
again, as one line, with ``second_lang`` (a line read as noise stays as read) — not over its
whole width but over its unsure words with the words within ``second_context_heights`` line
heights of each (:func:`spans_read_again`: the model's context; the reading's cost is its
width), and a known word of letters alone read at ``second_known_confidence`` or more is no
unsure word (the two models differ there in their tones, hardly in a letter); a word of the
first reading holding a letter or a digit, that one word of the second covers over the same ink
(and that covers no other), takes the second's reading when

- the two differ in more than their marks (letters without marks, digits or punctuation;
  "Các"/"các", "tuyến"/"tuyên", '"Tình'/"“Tình" are the same),
- the second was read at ``second_min_confidence`` or more and ``second_min_gain`` points above
  the first,
- and the new word holds a letter or a digit, ``second_same_ink`` of the first's characters or
  more ("2024," for "năm/2Ø24,": "năm" lost), no stray mark the first had not
  (``stray_mark_chars``: "UBND." read "UBND_") and no mark before it where the first had none
  ("1.597" → ".1.597": a speck), no mark but ``second_added_marks`` it adds ("$ố", "vụ'") and
  none doubled at its end that the first had not ("99,3%.." for "99,3%."), and where it is
  letters (no digit), it is a known word
  (wordfreq) in lower case, capitals or title case.

The new word keeps the first reading's marks wherever the two agree on the letter under them
("Nẵng:" and "Năng;" give "Nẵng;"), and its box and confidence: a word changed by the second
opinion is as unsure as it was read (a header field read from it stays flagged). Never a stamp's
line, a file mark's or a text layer's (``page_phrases.is_read_text``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from functools import reduce

from ..model import OcrLine, PixelBox, TextWord
from ..pagetext import comparable, is_noise, segments
from .engine import PageTextSettings
from .marks import skeleton, zipf
from .page_phrases import EDGE, is_read_text, with_words_retexted

# the words of a line from one index to another (both in): a part of it read again
Span = tuple[int, int]
# reads a span of the line of ``lines`` at an index again with the second model (the line's
# other words painted out): its words, page pixels
LineReader = Callable[[int, Span], Sequence[TextWord]]


def _base(char: str) -> str:
    """``char`` without its marks, lower case ("ẵ" → "a", "Đ" → "d")."""
    return unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D"))[0].lower()


def with_first_marks(first: str, second: str) -> str:
    """``second`` with the marks of ``first`` wherever the two hold the same letter ("Nẵng:",
    "Năng;" → "Nẵng;"); the characters where they differ as ``second`` reads them."""
    a = "".join(_base(c) for c in first)
    b = "".join(_base(c) for c in second)
    if len(a) != len(first) or len(b) != len(second):  # a character that decomposes into two
        return second
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        out.append(first[i1:i2] if op == "equal" else second[j1:j2])
    return "".join(out)


def _covers(a: PixelBox, b: PixelBox) -> bool:
    """``a`` and ``b`` share over half the width of the narrower."""
    shared = min(a.x1, b.x1) - max(a.x0, b.x0)
    return shared > 0.5 * min(a.width, b.width)


def _same_ink(a: PixelBox, b: PixelBox, share: float) -> bool:
    """``a`` and ``b`` span the same ink: they share ``share`` of the wider's width ("2024,"
    read over the end of "năm/2Ø24," is no reading of it)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) >= share * max(a.width, b.width)


def _pairs(first: Sequence[TextWord], second: Sequence[TextWord], share: float) -> dict[int, TextWord]:
    """Index in ``first`` → the one word of ``second`` that covers it and no other of ``first``,
    over the same ink (``share`` of the wider's width)."""
    out = {}
    for i, w in enumerate(first):
        over = [s for s in second if _covers(w.box, s.box)]
        alone = len(over) == 1 and sum(_covers(o.box, over[0].box) for o in first) == 1
        if alone and _same_ink(w.box, over[0].box, share):
            out[i] = over[0]
    return out


def _known(text: str) -> bool:
    """``text`` holds a digit, or its letters (edge punctuation off) are a known word in lower
    case, capitals or title case ("hiềN" is none)."""
    if any(c.isdigit() for c in text):
        return True
    core = text.strip(EDGE)
    if not core.isalpha():
        return True
    return (core.islower() or core.isupper() or core.istitle()) and zipf(core) > 0


def _same(a: str, b: str) -> bool:
    """``a`` and ``b`` differ at most in their marks, case, quotes and dashes ("Các"/"các",
    "tuyến"/"tuyên", '"Tình'/"“Tình")."""
    return skeleton(comparable(a)) == skeleton(comparable(b))


def second_reading(first: TextWord, second: TextWord, settings: PageTextSettings) -> str | None:
    """What ``first`` reads by the second opinion ``second`` (the same ink), or None: as read."""
    if first.confidence >= settings.second_weak_confidence or _same(first.text, second.text):
        return None
    if not any(c.isalnum() for c in first.text):  # a lone mark: the noise rules judge it
        return None
    if second.confidence < max(settings.second_min_confidence, first.confidence + settings.second_min_gain):
        return None
    text = with_first_marks(first.text, second.text)
    if not any(c.isalnum() for c in text) or " " in text or not _known(text):
        return None
    if len(text) < settings.second_same_ink * len(first.text):  # less read than the ink holds
        return None
    # a stray mark ("_", "|") the first reading had not is a speck the second read, and so is a
    # mark before a word read with none ("1.597" → ".1.597", "HUYỆN" → '"HUYỆN')
    added = set(text) - set(first.text)
    if added & set(settings.stray_mark_chars) or (text[0] in EDGE and first.text[0] not in EDGE):
        return None
    if _marks_added(first.text, text, settings):
        return None
    return text


def _end_marks(text: str) -> str:
    """The marks ``text`` ends in ("99,3%.." → "%..")."""
    core = text.rstrip("".join(c for c in set(text) if not c.isalnum()))
    return text[len(core) :]


def _doubled(marks: str) -> set[str]:
    """The marks held twice in a row in ``marks`` ("%.." → {"."})."""
    return {a for a, b in zip(marks, marks[1:], strict=False) if a == b}


def _marks_added(first: str, text: str, settings: PageTextSettings) -> bool:
    """``text`` adds to ``first`` a mark no printed word gains by the second reading: one not
    among ``second_added_marks`` ("$ố", "vụ'"), or one doubled at its end that ``first`` had not
    doubled there ("99,3%." → "99,3%..")."""
    if not settings.second_added_marks:
        return False
    new = {c for c in set(text) - set(first) if not c.isalnum()}
    if new - set(settings.second_added_marks):
        return True
    return bool(_doubled(_end_marks(text)) - _doubled(_end_marks(first)))


def unsure_words(line: OcrLine, settings: PageTextSettings) -> list[int]:
    """The indexes of ``line``'s words read below ``second_weak_confidence`` in a segment of it
    that is text (noise as read stays noise: a scribble "X" is no "vụ"), but a known word of letters
    alone read at ``second_known_confidence`` or more; none where the line is no reading of the
    page's text."""
    if not is_read_text(line):
        return []
    noise = {id(w) for seg in segments(line) if is_noise(seg) for w in seg.words}
    return [
        j
        for j, w in enumerate(line.words)
        if w.confidence < settings.second_weak_confidence
        and id(w) not in noise
        and not _plain_word(w, settings)
    ]


def _plain_word(word: TextWord, settings: PageTextSettings) -> bool:
    """``word`` is letters alone, a known word, read at ``second_known_confidence`` or more: the
    second model would differ from it in its tones (which it places worse), hardly in a letter."""
    return word.confidence >= settings.second_known_confidence and word.text.isalpha() and _known(word.text)


def with_second_opinion(
    lines: Sequence[OcrLine], read_again: LineReader, settings: PageTextSettings
) -> tuple[OcrLine, ...]:
    """``lines`` with each unsure word of theirs read as the second model reads it (see the
    module's doc); ``read_again(i, span)`` is the second model's reading of that span of
    ``lines[i]``'s words (:func:`spans_read_again`)."""
    if not settings.second_lang:
        return tuple(lines)
    texts: dict[tuple[int, int], str] = {}
    for i, ln in enumerate(lines):
        unsure = unsure_words(ln, settings)
        if not unsure:
            continue
        read = [w for span in spans_read_again(ln, unsure, settings) for w in read_again(i, span)]
        pairs = _pairs(ln.words, read, settings.second_same_ink)
        for j, other in ((j, pairs[j]) for j in unsure if j in pairs):
            text = second_reading(ln.words[j], other, settings)
            if text is not None and text != ln.words[j].text:
                texts[(i, j)] = text
    return with_words_retexted(lines, texts)


def spans_read_again(line: OcrLine, unsure: Sequence[int], settings: PageTextSettings) -> list[Span]:
    """The spans of ``line``'s words read again for its ``unsure`` words: each with the words
    within ``second_context_heights`` line heights of it either side (the model's context),
    spans that meet taken as one; the whole line where that is 0 (the reading's cost is its
    width)."""
    last = len(line.words) - 1
    reach = settings.second_context_heights * line.box.height
    if reach <= 0 or last < 0:
        return [(0, last)]
    spans: list[Span] = []
    for j in unsure:
        x0, x1 = line.words[j].box.x0 - reach, line.words[j].box.x1 + reach
        near = [k for k, w in enumerate(line.words) if w.box.x1 > x0 and w.box.x0 < x1]
        a, b = min(near), max(near)
        if spans and a <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


def line_box(line: OcrLine, width: int, height: int, span: Span | None = None) -> PixelBox:
    """The box a line (or ``span`` of its words) is read again in: the line's own (from the
    span's first word's left to its last word's right, where it leaves out the line's ends),
    padded by a quarter of the line's height, in the image."""
    pad = max(2, line.box.height // 4)
    b = line.box
    x0, x1 = b.x0, b.x1
    if span is not None and line.words:
        x0 = b.x0 if span[0] == 0 else line.words[span[0]].box.x0
        x1 = b.x1 if span[1] == len(line.words) - 1 else line.words[span[1]].box.x1
    return PixelBox(max(0, x0 - pad), max(0, b.y0 - pad), min(width, x1 + pad), min(height, b.y1 + pad))


def left_out(line: OcrLine, span: Span) -> OcrLine | None:
    """``line``'s words outside ``span`` as one line (painted out when the span is read), or
    None where it holds them all."""
    words = tuple(w for k, w in enumerate(line.words) if not span[0] <= k <= span[1])
    if not words:
        return None
    box = reduce(PixelBox.union, (w.box for w in words))
    return OcrLine(" ".join(w.text for w in words), box, min(w.confidence for w in words), words)
