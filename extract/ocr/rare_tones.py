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


def in_compound(cores: Sequence[str], spans: Sequence[tuple[int, int]], texts: Sequence[str], j: int) -> bool:
    """Word ``j`` of a line forms a compound with a neighbour as read (both letters alone, no
    mark between): "quyên góp", "đê điều"."""

    def joined(a: int, b: int) -> bool:
        return spans[a][1] == len(texts[a]) and spans[b][0] == 0 and cores[a].isalpha() and cores[b].isalpha()

    return (j > 0 and joined(j - 1, j) and is_compound(cores[j - 1], cores[j])) or (
        j + 1 < len(cores) and joined(j, j + 1) and is_compound(cores[j], cores[j + 1])
    )


def with_rare_tones_respelled(lines: Sequence[OcrLine], settings: PageTextSettings) -> tuple[OcrLine, ...]:
    """``lines`` with each rare lower-case word whose tone was misread spelled with the far more
    frequent tone (see the module's doc)."""
    if settings.rare_tone_max_zipf <= 0:
        return tuple(lines)
    out: dict[tuple[int, int], str] = {}
    for i, ln in enumerate(lines):
        if not is_read_text(ln):
            continue
        texts = [w.text for w in ln.words]
        spans = [core_span(t) for t in texts]
        cores = [t[a:b] for t, (a, b) in zip(texts, spans, strict=True)]
        for j, core in enumerate(cores):
            new = respelled(core, settings.rare_tone_max_zipf, settings.rare_tone_min_rise)
            if new is not None and not in_compound(cores, spans, texts, j):
                a, b = spans[j]
                out[(i, j)] = texts[j][:a] + new + texts[j][b:]
    return with_words_retexted(lines, out)
