"""The one text-folding module (extract.folding): its variants, their properties, and that it folds
every Latin letter as the three copies it replaced did (communes, forms, numbers)."""

from __future__ import annotations

import itertools
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from extract.folding import accented, fold, has_diacritics, strip_marks
from extract.understand import forms, numbers

BASE_VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # none, grave, acute, tilde, hook, dot
PLAIN = {"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}


def _vietnamese_vowels() -> list[tuple[str, str]]:
    """Every precomposed Vietnamese vowel, lower and upper case, with the ASCII letter it folds to."""
    out = []
    for vowel, tone in itertools.product(BASE_VOWELS, TONES):
        letter = unicodedata.normalize("NFC", vowel + tone)
        out += [(letter, PLAIN.get(vowel, vowel)), (letter.upper(), PLAIN.get(vowel, vowel))]
    return out


def test_every_vietnamese_letter_folds_to_its_ascii_letter() -> None:
    vowels = _vietnamese_vowels()
    assert len(vowels) == 2 * 12 * 6
    for letter, plain in vowels:
        assert fold(letter) == plain, letter
        assert strip_marks(letter) == (plain.upper() if letter.isupper() else plain), letter
    assert fold("Đ") == fold("đ") == "d" and strip_marks("Đđ") == "Dd"


def test_fold_keeps_only_words() -> None:
    assert fold("  Thị trấn  An-Lạc Thôn (TT.) ") == "thi tran an lac thon tt"
    assert fold("Số: 542/BC-UBND") == "so 542 bc ubnd"
    assert fold("...;;") == "" and fold("") == ""


def test_strip_marks_keeps_case_spaces_and_punctuation() -> None:
    assert strip_marks("Biểu số 5B: (3)=(4)+(5)") == "Bieu so 5B: (3)=(4)+(5)"
    assert strip_marks("  Có. ") == "  Co. "


def test_accented_keeps_marks_and_drops_punctuation() -> None:
    assert accented("Xã Đăk-Môn.") == "xã đăk môn"
    assert accented("Xã Đăk Man") != accented("Xã Đăk Môn")
    assert fold("Xã Đăk Man") != fold("Xã Đăk Môn")  # folded they differ only in o/a ...
    assert fold("Đăk Mân") == fold("Đắk Man")  # ... while these collide folded: marks break the tie
    assert accented("Đăk Mân") != accented("Đắk Man")


def test_has_diacritics() -> None:
    assert has_diacritics("Kế Sách") and has_diacritics("Đ")
    assert not has_diacritics("Ke Sach 12")


vietnamese_text = st.text(
    alphabet=st.sampled_from(
        [v for v, _ in _vietnamese_vowels()] + list("bcdđĐghklmnpqrstvx0123456789 .,-()/:")
    ),
    max_size=40,
)


@given(st.text(max_size=40))
def test_fold_gives_lowercase_ascii_words_and_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert re.fullmatch(r"(?:[0-9a-z]+(?: [0-9a-z]+)*)?", folded)
    assert fold(folded) == folded
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@given(vietnamese_text)
def test_fold_is_strip_marks_lowercased_to_words(text: str) -> None:
    assert fold(text) == " ".join(re.sub(r"[^0-9a-z]+", " ", strip_marks(text).lower()).split())
    assert len(strip_marks(unicodedata.normalize("NFC", text))) == len(unicodedata.normalize("NFC", text))


def _communes_fold_before(text: str) -> str:
    """The copy that was in extract/understand/communes.py (marks: canonical combining class)."""
    s = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).lower().replace("đ", "d"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s).split())


def _numbers_fold_before(text: str) -> str:
    """The copy that was in extract/understand/numbers.py (lowercase, marks dropped, rest kept)."""
    s = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


LATIN = [
    chr(cp)
    for lo, hi in ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F))
    for cp in range(lo, hi + 1)
    if cp != 0x34F  # COMBINING GRAPHEME JOINER: a mark of class 0, see the next test
]


def test_the_shared_fold_folds_every_latin_character_as_the_copies_did() -> None:
    for ch in LATIN:
        for text in (ch, f"a{ch}b", f"Ă{ch}"):
            assert fold(text) == _communes_fold_before(text), repr(text)
            assert strip_marks(text.lower()) == _numbers_fold_before(text), repr(text)


def test_the_only_difference_is_marks_of_class_zero_outside_latin() -> None:
    # the copies dropped marks by combining class, forms' by category Mn (kept here): they differ
    # only on nonspacing marks of combining class 0 (variation selectors, Indic vowel signs, the
    # grapheme joiner), which tesseract's vie/eng models never output
    joiner = "a\u034fb"
    assert fold(joiner) == "ab" and _communes_fold_before(joiner) == "a b"


@given(vietnamese_text)
def test_the_form_matcher_folds_with_the_shared_fold_before_its_abbreviations(text: str) -> None:
    assert forms.fold(text, forms.FormsSettings(abbreviations={})) == fold(text)


def test_yes_and_no_cells_are_folded_in_any_case_and_spelling() -> None:
    for yes in ("Có", "CÓ", "có.", "Có ", "C6", "c ó"):
        assert numbers._parse_bool(yes) is True, yes
    for no in ("Không", "KHÔNG", "không;", "Kh6ng", "Ko"):
        assert numbers._parse_bool(no) is False, no
    for neither in ("Đạt", "Cộng", "Khá"):
        assert numbers._parse_bool(neither) is None, neither
