"""A rare word whose tone was misread takes the far more frequent spelling of another tone ("sô" → "số").

tesseract reads a lower-case syllable with the wrong tone and still makes a word, only a rare
one: "thiết bị sô dành" (TT 37), "giao quyên Chủ tịch" (QĐ 729), "(đê b/c)" (QĐ 2280). The
compounds' rule (``marks.choose_in_context``) changes such a word only where the new spelling
makes a compound with a neighbour, and "bị số", "giao quyền" are in no dictionary, "(đê" has no
neighbour of letters.

:func:`with_rare_tones_respelled` changes a word in lower case (two letters or more, Vietnamese
letters alone within its edge marks) that is a known word rarer than ``rare_tone_max_zipf``
(wordfreq Zipf) and forms no compound with a neighbour as read ("quyên góp", "đê điều" stay),
when the most frequent syllable of the compound dictionary that differs from it in the tone mark
alone (its vowels' own marks and "đ" as read: ``marks.same_vowels``) is more than
``rare_tone_min_rise`` more frequent ("sô" 4.1 → "số" 6.5, "quyên" 4.4 → "quyền" 5.9, "đê" 4.4
→ "để" 6.7). A word that is no word at all is the recogniser's alternatives' to mend
(``marks.choose_marks``), and a frequent one is left: a tone read right on a common word is the
usual case. Title case and capitals are names and headings: left. Its box and confidence as read;
never a stamp's line, a file mark's or a text layer's (``page_phrases.is_read_text``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import OcrLine
from .engine import PageTextSettings
from .marks import dictionary_syllables, is_compound, same_vowels, skeleton, zipf
from .page_phrases import core_span, is_read_text, with_words_retexted

VIETNAMESE_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)


def respelled(core: str, max_zipf: float, min_rise: float) -> str | None:
    """The spelling a rare lower-case word ``core`` takes (see the module's doc), or None."""
    if len(core) < 2 or not core.islower() or not set(core) <= VIETNAMESE_LETTERS:
        return None
    read = zipf(core)
    if not 0 < read < max_zipf:
        return None
    options = [s for s in dictionary_syllables().get(skeleton(core), ()) if s != core and len(s) == len(core)]
    best = max((s for s in options if same_vowels(core, s)), key=zipf, default=None)
    return best if best is not None and zipf(best) > read + min_rise else None


def _letters_at(text: str, end: bool) -> str:
    """The run of letters at ``text``'s start (or end), "" when a mark stands there."""
    run = ""
    for ch in reversed(text) if end else text:
        if not ch.isalpha():
            break
        run = ch + run if end else run + ch
    return run


def in_compound(word: str, before: str | None, after: str | None) -> bool:
    """``word`` (a word as read, its edge marks included) forms a compound with the word
    ``before`` or ``after`` it — no mark between, the neighbour's letters on that side taken
    ("rà soát,.TTHC") —, the line's neighbours or, at a line's ends, the next or last line's:
    "quyên góp", "đê điều", "rà" / "soát" broken over two lines."""
    a, b = core_span(word)
    core = word[a:b]
    first = _letters_at(before, end=True) if before is not None and a == 0 else ""
    second = _letters_at(after, end=False) if after is not None and b == len(word) else ""
    return bool(first and is_compound(first, core)) or bool(second and is_compound(core, second))


def with_rare_tones_respelled(lines: Sequence[OcrLine], settings: PageTextSettings) -> tuple[OcrLine, ...]:
    """``lines`` with each rare lower-case word whose tone was misread spelled with the far more
    frequent tone (see the module's doc)."""
    if settings.rare_tone_max_zipf <= 0:
        return tuple(lines)
    out: dict[tuple[int, int], str] = {}
    read = [ln if is_read_text(ln) else None for ln in lines]
    for i, ln in enumerate(read):
        if ln is None:
            continue
        texts = [w.text for w in ln.words]
        above, below = (read[i - 1] if i > 0 else None), (read[i + 1] if i + 1 < len(read) else None)
        last = above.words[-1].text if above is not None else None
        following = below.words[0].text if below is not None else None
        for j, text in enumerate(texts):
            a, b = core_span(text)
            new = respelled(text[a:b], settings.rare_tone_max_zipf, settings.rare_tone_min_rise)
            before = texts[j - 1] if j > 0 else last
            after = texts[j + 1] if j + 1 < len(texts) else following
            if new is not None and not in_compound(text, before, after):
                out[(i, j)] = text[:a] + new + text[b:]
    return with_words_retexted(lines, out)
