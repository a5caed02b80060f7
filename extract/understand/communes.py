"""Matching OCR'd row labels to the communes of one district (:class:`DistrictCommunes`).

The units and their official codes come from the gazetteer (:mod:`extract.understand.gazetteer`);
this module compares text with them.  Matching a label to a commune (:meth:`DistrictCommunes.match`):

1. the label is folded to a key (:func:`extract.folding.fold`: lowercase, no diacritics, đ -> d,
   punctuation dropped), and the unit-type prefix stripped ("Xã", "X.", "Thị trấn", "TT.", "T.T",
   "Phường", "P.", "UBND xã");
2. every commune of the report's district (never of another district) is scored with
   :func:`ocr_distance`, an edit distance that charges less for OCR-typical confusions
   (o/a/u, m/n/nn/rn, h/b, i/l/1, e/c); syllables must match one by one when the syllable
   counts agree ("Phòng ban" is not "Phong Nẫm");
3. diacritics, when the label has them, break ties between communes whose keys collide;
4. a label that prints a commune's name exactly, diacritics included, takes it outright; so does
   one that prints it letter for letter with only its tone marks garbled ("Quỳnh Hồi" for
   "Quỳnh Hội": the circumflex says "ô", which no "Quỳnh Hải" has), when no other commune of the
   district has those letters; either also after cutting trailing marks that are no part of a
   name ("Phú Đức x4/JÏR": a stamp or a ruling line read as text, a token with digits or
   symbols).  Otherwise the best commune is accepted only with a minimum score and a lead over
   the runner-up.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz.distance import Levenshtein

from extract.config import settings_section
from extract.folding import accented, fold, has_diacritics
from extract.model import Commune, CommuneMatch

from .admin_units import DistrictRef

# --------------------------------------------------------------------------------------------
# text keys


_COMMUNE_PREFIXES: Final[tuple[tuple[str, str | None], ...]] = (
    ("uy ban nhan dan xa", "Xã"),
    ("uy ban nhan dan thi tran", "Thị trấn"),
    ("uy ban nhan dan phuong", "Phường"),
    ("ubnd xa", "Xã"),
    ("ubnd thi tran", "Thị trấn"),
    ("ubnd tt", "Thị trấn"),
    ("ubnd phuong", "Phường"),
    ("thi tran", "Thị trấn"),
    ("thi tr", "Thị trấn"),
    ("t t", "Thị trấn"),
    ("tt", "Thị trấn"),
    ("phuong", "Phường"),
    ("p", "Phường"),
    ("xa", "Xã"),
    ("x", "Xã"),
)

_ISSUER_WORDS: Final = ("uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd")


def strip_prefix(key: str, prefixes: Sequence[tuple[str, Any]] = _COMMUNE_PREFIXES) -> tuple[str, Any]:
    """Drop a leading unit-type prefix from a folded key; return (rest, unit type or None).

    The prefix is dropped only when something is left after it.
    """
    for prefix, unit_type in prefixes:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            return key[len(prefix) + 1 :], unit_type
    return key, None


# --------------------------------------------------------------------------------------------
# OCR-weighted edit distance

CONFUSION_GROUPS: Final[tuple[str, ...]] = ("oau0", "mn", "hb", "il1j", "ec", "uv")
"""Characters (folded) that OCR of Vietnamese print confuses; substitutions within a group are cheap."""

_CONFUSABLE: Final[frozenset[tuple[str, str]]] = frozenset(
    (a, b) for group in CONFUSION_GROUPS for a in group for b in group if a != b
)
_ONE_TWO: Final[frozenset[tuple[str, str]]] = frozenset({("m", "nn"), ("m", "rn"), ("m", "in"), ("w", "vv")})
"""One character read as two (and back): "m" <-> "nn", "rn"."""

CHEAP_SUBSTITUTION: Final = 0.4
"""Cost of substituting one character of a confusion group for another (a plain edit costs 1)."""
ONE_TWO_COST: Final = 0.5
SPACE_COST: Final = 0.5
"""Cost of inserting or deleting a space (OCR glues and splits syllables)."""


@functools.lru_cache(maxsize=65536)
def ocr_distance(a: str, b: str) -> float:
    """Edit distance between two folded keys that charges less for OCR-typical confusions.

    Substitutions within :data:`CONFUSION_GROUPS` cost :data:`CHEAP_SUBSTITUTION`; "m" for "nn"
    or "rn" costs :data:`ONE_TWO_COST`; spaces cost :data:`SPACE_COST`; other edits cost 1.
    """
    n, m = len(a), len(b)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + (SPACE_COST if b[j - 1] == " " else 1.0)
    for i in range(1, n + 1):
        cur = [0.0] * (m + 1)
        ca = a[i - 1]
        cur[0] = prev[0] + (SPACE_COST if ca == " " else 1.0)
        for j in range(1, m + 1):
            cb = b[j - 1]
            if ca == cb:
                sub = 0.0
            elif (ca, cb) in _CONFUSABLE:
                sub = CHEAP_SUBSTITUTION
            else:
                sub = 1.0
            best = min(
                prev[j - 1] + sub,
                prev[j] + (SPACE_COST if ca == " " else 1.0),
                cur[j - 1] + (SPACE_COST if cb == " " else 1.0),
            )
            if j >= 2 and (ca, b[j - 2 : j]) in _ONE_TWO:
                best = min(best, prev[j - 2] + ONE_TWO_COST)
            if i >= 2 and (cb, a[i - 2 : i]) in _ONE_TWO and prev2:
                best = min(best, prev2[j - 1] + ONE_TWO_COST)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[m]


def similarity(a: str, b: str) -> float:
    """0..100 similarity of two folded keys from :func:`ocr_distance`."""
    if not a or not b:
        return 0.0
    return max(0.0, 100.0 * (1.0 - ocr_distance(a, b) / max(len(a), len(b))))


# --------------------------------------------------------------------------------------------
# settings


class MatchSettings(BaseModel):
    """Thresholds of commune matching (section ``communes`` of pipeline.yaml). Scores are 0..100."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_score: float = Field(default=78.0, ge=0, le=100)
    """Least similarity (label key vs commune key) for a match when the label prints the unit
    type exactly ("Xã", "TT.", "Phường")."""
    min_score_untyped: float = Field(default=86.0, ge=0, le=100)
    """Least similarity when the label has no type, or an OCR-garbled one ("Nhon Mỹ", "Xo An Mỹ")."""
    min_score_sole_type: float = Field(default=70.0, ge=0, le=100)
    """Least similarity when the label prints its type exactly and the commune is the district's
    only unit of that type (its only "Thị trấn"): the type itself says which ("Thị trấn Nglữa
    Đàn" for Thị trấn Nghĩa Đàn, 77.8)."""
    min_lead: float = Field(default=8.0, ge=0, le=100)
    """Least lead of the best commune over the runner-up."""
    min_syllable_score: float = Field(default=60.0, ge=0, le=100)
    """Least similarity of every syllable, when label and name have as many syllables."""
    accent_penalty: float = Field(default=2.5, ge=0, le=20)
    """Points taken per diacritic mismatch, when the label carries diacritics."""
    max_accent_penalty: float = Field(default=6.0, ge=0, le=50)
    type_mismatch_penalty: float = Field(default=8.0, ge=0, le=50)
    """Points taken when the label's printed type (Xã/Phường/Thị trấn) differs from the unit's."""
    not_communes: list[str] = Field(
        default_factory=lambda: [
            "tong so",
            "tong cong",
            "tong",
            "cong",
            "trong do",
            "phong ban",
            "cap xa",
            "cap huyen",
            "ubnd cap xa",
            "ubnd cap huyen",
            "co quan cap huyen",
            "trung tam",
            "don vi",
            "ghi chu",
            "van phong",
        ]
    )
    """Folded labels that are table vocabulary, never a commune when printed without a type."""
    not_commune_score: float = Field(default=90.0, ge=0, le=100)
    """Similarity to a ``not_communes`` entry above which an untyped label is left unmatched."""
    district_min_communes: int = Field(default=3, ge=1)
    """Commune labels of a table that must name communes of one district for those labels to
    decide (or overrule) the report's district."""
    district_min_share: float = Field(default=0.5, ge=0, le=1)
    """... and the share of the document's commune labels they must be."""
    district_search_score: float = Field(default=80.0, ge=0, le=100)
    """Least similarity of a label to a commune name anywhere in the country for that commune's
    district to be tried (a coarse pre-selection; every tried district then matches for real)."""
    district_search_limit: int = Field(default=8, ge=1)
    """Most districts tried, those with the most labels pre-selected first."""


def match_settings(folder: str | os.PathLike[str] | None = None) -> MatchSettings:
    """The ``communes`` section of ``<configs>/pipeline.yaml`` (defaults for what is absent)."""
    return settings_section(MatchSettings, "communes", folder)


# --------------------------------------------------------------------------------------------
# matching within a district


@dataclass(frozen=True)
class _Target:
    commune: Commune
    key: str  # folded short name ("nhon my"; "5" for "Phường 5")
    full_key: str  # folded full name ("xa nhon my")
    accented: str  # short name, lowercase with diacritics
    numeric: bool  # "Phường 5": the name is a number
    toneless: str  # short name, lowercase, tone marks dropped, letters' own marks kept ("quynh hôi")


@dataclass(frozen=True)
class Reading:
    """One way to read a label: the name part (folded), the unit type printed before it (or
    None), and whether the name must be compared to full unit names ("xa nhon my")."""

    key: str
    unit_type: str | None
    full: bool = False
    typed: bool = False  # the type was printed exactly (not garbled, not guessed)


@dataclass(frozen=True)
class LabelKey:
    """A row label prepared for matching: its readings and its diacritics.

    ``key`` is the folded label without its type prefix and ``unit_type`` that prefix's type;
    ``readings`` holds every way the label is compared (prefix stripped, prefix kept as part of
    the name, an OCR-garbled or glued prefix removed, the whole label against full names).
    """

    key: str
    unit_type: str | None
    accented: str
    has_marks: bool
    readings: tuple[Reading, ...]
    trimmed: LabelKey | None = None
    """The label cut before its first token that is no part of a name (digits or symbols:
    "Phường Phú Đức x4/JÏR" -> "Phường Phú Đức"); None when there is none."""
    folded: str = ""
    """The whole label folded (after its index and leading marks are cut), type word included."""


_LEADING_INDEX = re.compile(r"^\s*(?:[0-9]+(?:[.,][0-9]+)*|[ivxlIVXL]+)[.)]?\s+(?=\S)")
_PARENS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_PREFIX_WORDS: Final[tuple[tuple[str, str], ...]] = (
    ("thi tran", "Thị trấn"),
    ("phuong", "Phường"),
    ("xa", "Xã"),
)
"""Type words that OCR may garble ("Phvong", "Xo", "Thj tran") or glue to the name ("XaAn")."""
_TYPE_TAILS: Final[tuple[tuple[str, str], ...]] = (("thitran", "Thị trấn"), ("phuong", "Phường"))
"""Type words whose start a label cell may lose ("trân Rang Đồng", "rấn Đức Hòa" for "Thị
trấn ..."; "ờng Tân Hạnh" for "Phường ..."): a first word in lower case (a word cut, not a
name) of at least two letters that ends one of them is read as that type word, garbled."""
FUZZY_PREFIX_SCORE: Final = 70.0
"""Least similarity for a garbled first word to count as a type word."""
_DIGIT_LOOKALIKES: Final = str.maketrans({"l": "1", "i": "1", "j": "1", "o": "0"})


def _numeric_key(key: str) -> str:
    """ "l5" -> "15", "1o" -> "10" when the key is one short token with a digit; else ``key``."""
    if " " in key or len(key) > 3 or not any(ch.isdigit() for ch in key):
        return key
    repaired = key.translate(_DIGIT_LOOKALIKES)
    return repaired if repaired.isdigit() else key


def _garbled_prefix(key: str) -> list[Reading]:
    """Readings with an OCR-garbled or glued type word removed from the front of ``key``.

    "phvong giao" -> "giao" (Phường); "xaan lac" -> "an lac" (Xã); "thi tranchi ne" -> "chi ne".
    The cut is tried at every character position near the type word's length.
    """
    out = []
    for prefix, utype in _PREFIX_WORDS:
        glued = prefix.replace(" ", "")
        for cut in range(1, min(len(key), len(prefix) + 3)):
            head, rest = key[:cut].replace(" ", ""), key[cut:].strip()
            if not rest or abs(len(head) - len(glued)) > 1 or key[cut - 1] == " ":
                continue
            if similarity(head, glued) >= FUZZY_PREFIX_SCORE:
                out.append(Reading(rest, utype))
    return out


def _cut_type_tail(text: str) -> list[Reading]:
    """The label read without a type word's end that starts it (:data:`_TYPE_TAILS`)."""
    words = text.split()
    if len(words) < 2 or not words[0][:1].islower():
        return []
    head, rest = fold(words[0]).replace(" ", ""), fold(" ".join(words[1:]))
    return [Reading(rest, utype) for glued, utype in _TYPE_TAILS if len(head) >= 2 and glued.endswith(head)]


TONE_MARKS: Final = frozenset("\u0300\u0301\u0303\u0309\u0323")
"""The five tone marks (grave, acute, tilde, hook, dot below) as combining characters: the
smallest marks of a syllable, the ones OCR garbles most; the marks that make a letter ("â",
"ô", "ơ", "ư", "ă", "ê", "đ") are kept apart from them."""


def toneless(text: str) -> str:
    """``text`` without its tone marks, the letters' own marks kept ("quỳnh hội" -> "quynh hôi")."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))


_VIETNAMESE_MARKS: Final = TONE_MARKS | frozenset("\u0302\u0306\u031b")


def _name_token(token: str) -> bool:
    """Whether ``token`` can be part of a printed name: letters of the Vietnamese alphabet only
    (with their marks), once the punctuation around it is stripped; a token of punctuation
    alone is dropped by folding anyway and counts as one."""
    core = token.strip(".,;:'\"()[]-–‹›«»“”‘’…")
    for ch in unicodedata.normalize("NFD", core):
        if ch in _VIETNAMESE_MARKS or ch in "đĐ" or ("a" <= ch.lower() <= "z" and ch.isascii()):
            continue
        return False
    return True


def _trimmed(text: str) -> str | None:
    """``text`` cut before its first token, after the first two, that is no part of a name
    (None when every token can be, or when what follows names a unit type again: two communes
    in one label, "2 Xã Trung Thạnh 3 Xã Thạnh Phú", are not one commune's)."""
    tokens = text.split()
    for i, token in enumerate(tokens):
        if i >= 2 and not _name_token(token):
            rest = f" {fold(' '.join(tokens[i:]))} "
            if any(f" {word} " in rest for word, _ in _PREFIX_WORDS):
                return None
            return " ".join(tokens[:i])
    return None


_TYPE_WORD_AFTER_MARKS: Final = re.compile(
    r"^(?P<marks>\S.{0,6}?)\s*(?=(?:Xã|XÃ|Phường|PHƯỜNG|Thị\s*trấn)\s+\S)"
)
MAX_LEADING_MARKS: Final = 4
"""Most characters (spaces aside) of marks before a label's type word that are cut ("l8 ÌXã
Đăk Kroong": an STT and a ruling line read into the label cell)."""


def _cut_leading_marks(text: str) -> str:
    """``text`` from its type word on, when what precedes it is marks -- tokens with digits or
    symbols, or letters alone, at most :data:`MAX_LEADING_MARKS` characters -- and no part of a
    name (never a commune's name before a second one: "Phường Tân Vạn 11 Phường Tân Hạnh")."""
    m = _TYPE_WORD_AFTER_MARKS.match(text)
    if m is None:
        return text
    marks = m.group("marks")
    tokens = marks.split()
    if len(marks.replace(" ", "")) > MAX_LEADING_MARKS or not tokens:
        return text
    if any(_name_token(t) and len(t) > 1 for t in tokens):
        return text
    return text[m.end() :]


def label_key(label: str) -> LabelKey:
    """Prepare an OCR'd label: drop a glued row index, marks before the type word and bracketed
    notes, fold, find the type."""
    text = unicodedata.normalize("NFC", label)
    text = _PARENS.sub(" ", text)
    text = _cut_leading_marks(_LEADING_INDEX.sub("", text))
    full = fold(text)
    for word in _ISSUER_WORDS:  # "UBND xã Kế An"
        if full.startswith(word + " "):
            full = full[len(word) + 1 :]
            break
    key, utype = strip_prefix(full)
    readings = [Reading(_numeric_key(key), utype, typed=utype is not None)]
    if utype is not None:
        readings.append(Reading(full, None))  # "Phương Giao": the type word is part of the name
    else:
        readings.extend(_garbled_prefix(full))
        readings.extend(_cut_type_tail(text))
        readings.append(Reading(full, None, full=True))
    readings = [replace(r, key=_numeric_key(r.key)) for r in readings if r.key]
    acc = accented(text)
    n = len(key.split())
    acc_short = " ".join(acc.split()[-n:]) if n else acc
    cut = _trimmed(text)
    return LabelKey(
        key=key,
        unit_type=utype,
        accented=acc_short,
        has_marks=has_diacritics(text),
        readings=tuple(dict.fromkeys(readings)),
        trimmed=label_key(cut) if cut else None,
        folded=full,
    )


def syllables_ok(a: str, b: str, min_score: float, *, same_count: bool = False) -> bool:
    """When both keys have as many syllables, every pair must be at least ``min_score`` alike.

    With ``same_count`` keys with different syllable counts fail.
    """
    sa, sb = a.split(), b.split()
    if len(sa) != len(sb):
        return not same_count
    return all(similarity(x, y) >= min_score for x, y in zip(sa, sb, strict=False))


def _accent_mismatch(label: str, name: str) -> int:
    """Edits that differ only in diacritics: accented distance minus folded distance (>= 0)."""
    return max(0, Levenshtein.distance(label, name) - Levenshtein.distance(fold(label), fold(name)))


@dataclass(frozen=True)
class DistrictCommunes:
    """The communes of one district for one report year, with the label matcher."""

    district: DistrictRef
    year: int | None
    communes: tuple[Commune, ...]
    settings: MatchSettings = field(default_factory=MatchSettings)

    @functools.cached_property
    def _targets(self) -> tuple[_Target, ...]:
        out = []
        for c in self.communes:
            key = fold(c.short)
            short = accented(c.short)
            out.append(_Target(c, key, fold(c.name), short, key.isdigit(), toneless(short)))
        return tuple(out)

    def score(self, label: str | LabelKey, commune_code: str) -> float:
        """Score of one commune for ``label`` (0..100), as used by :meth:`match`."""
        lk = label if isinstance(label, LabelKey) else label_key(label)
        for t in self._targets:
            if t.commune.code == commune_code:
                return self._score(lk, t)
        raise KeyError(commune_code)

    def _reading_score(self, r: Reading, t: _Target) -> float:
        s = self.settings
        if t.numeric or r.key.isdigit():
            # numbered wards ("Phường 5"): the printed type and the exact number
            return 100.0 if (r.key == t.key and r.unit_type is not None and not r.full) else 0.0
        name = t.full_key if r.full else t.key
        if not syllables_ok(r.key, name, s.min_syllable_score, same_count=r.full):
            return 0.0
        score = similarity(r.key, name)
        if r.unit_type is not None and r.unit_type != t.commune.unit_type:
            score -= s.type_mismatch_penalty
        return score

    def _score(self, lk: LabelKey, t: _Target) -> float:
        return self._score_typed(lk, t)[0]

    def _score_typed(self, lk: LabelKey, t: _Target) -> tuple[float, bool]:
        """Best score over the label's readings, and whether that reading printed its type."""
        s = self.settings
        score, typed = max(((self._reading_score(r, t), r.typed) for r in lk.readings), default=(0.0, False))
        if score <= 0:
            return 0.0, typed
        if lk.has_marks:
            score -= min(s.max_accent_penalty, s.accent_penalty * _accent_mismatch(lk.accented, t.accented))
        return max(0.0, score), typed

    def _exact(self, lk: LabelKey) -> tuple[_Target, float] | None:
        """The one commune whose name the label prints letter for letter (and whose type it
        prints, when it prints one), with its score: diacritics included (100), or with only tone
        marks garbled, when no other commune has those letters (100 less the accent penalty).
        The label cut before trailing marks that are no part of a name is tried the same way.
        None when no commune, or several, are printed so."""
        for cand in (lk, lk.trimmed):
            if cand is None or not cand.has_marks:
                continue
            fits = [
                t
                for t in self._targets
                if not t.numeric and (cand.unit_type is None or cand.unit_type == t.commune.unit_type)
            ]
            if cand is lk.trimmed:
                # what was cut may have been the name's end ("Tân Phú 4ông" of "Tân Phú Đông")
                head = cand.accented + " "
                if len(cand.key.split()) < 2 or any(t.accented.startswith(head) for t in self._targets):
                    continue
            hits = [t for t in fits if t.accented == cand.accented]
            if len(hits) == 1:
                return hits[0], 100.0
            bare = toneless(cand.accented)
            hits = [t for t in fits if t.toneless == bare]
            if len(hits) == 1:
                s = self.settings
                penalty = min(
                    s.max_accent_penalty, s.accent_penalty * _accent_mismatch(cand.accented, hits[0].accented)
                )
                return hits[0], 100.0 - penalty
        return None

    def _names_another(self, lk: LabelKey, commune: Commune) -> bool:
        """Whether the label also prints another commune's name (of two syllables or more, and
        no part of ``commune``'s own): two rows read as one ("Xã Nhơn Hải 2.2.9 JXã Thanh Hải",
        the second type word glued to a ruling line), not one commune's row."""
        own = f" {fold(commune.short)} "
        text = f" {lk.folded} "
        printed = own in text  # its name as printed taken out: "Trung Thành" after "Trung Thành Đông"
        text = text.replace(own, " # ", 1)
        return any(
            len(t.key.split()) >= 2 and (printed or f" {t.key} " not in own) and f" {t.key} " in text
            for t in self._targets
            if t.commune.code != commune.code and not t.numeric
        )

    def _sole_of_type(self, commune: Commune) -> bool:
        """Whether ``commune`` is the district's only unit of its type (its only town)."""
        return sum(t.commune.unit_type == commune.unit_type for t in self._targets) == 1

    def _is_vocabulary(self, lk: LabelKey) -> bool:
        """An untyped label that is table vocabulary ("Tổng cộng", "Phòng ban")."""
        if lk.unit_type is not None:
            return False
        return any(
            similarity(lk.key, w) >= self.settings.not_commune_score for w in self.settings.not_communes
        )

    def ranked(self, label: str) -> list[tuple[Commune, float]]:
        """Every commune with its score for ``label``, best first."""
        lk = label_key(label)
        return [(c, sc) for c, sc, _ in self._ranked(lk)]

    def _ranked(self, lk: LabelKey) -> list[tuple[Commune, float, bool]]:
        scored = [(t.commune, *self._score_typed(lk, t)) for t in self._targets]
        return sorted(scored, key=lambda cs: (-cs[1], cs[0].code))

    def match(self, label: str) -> CommuneMatch | None:
        """The commune ``label`` names, or None when no commune is good enough or clearly best.

        Accepted: score >= ``min_score`` (``min_score_untyped`` when the label does not print
        its unit type exactly) and a lead of ``min_lead`` over the runner-up.
        """
        lk = label_key(label)
        if not lk.readings or self._is_vocabulary(lk):
            return None
        exact = self._exact(lk)
        if exact is not None:
            # printed as the gazetteer spells it (diacritics included, or all but tone marks that
            # no other commune's letters share): it wins outright, however close another
            # commune's name is ("Đăk Man" and "Đăk Môn" in one district)
            target, score = exact
            if self._names_another(lk, target.commune):
                return None
            runner = max(
                (self._score(lk, t) for t in self._targets if t.commune.code != target.commune.code),
                default=0.0,
            )
            return CommuneMatch(commune=target.commune, score=score, runner_up=round(runner, 2))
        ranked = self._ranked(lk)
        if not ranked:
            return None
        best, score, typed = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        need = self.settings.min_score if typed else self.settings.min_score_untyped
        if typed and lk.unit_type == best.unit_type and self._sole_of_type(best):
            # "Thị trấn Nglữa Đàn": the district's only town; its printed type says which
            need = min(need, self.settings.min_score_sole_type)
        if score < need or score - runner_up < self.settings.min_lead or self._names_another(lk, best):
            return None
        return CommuneMatch(commune=best, score=round(score, 2), runner_up=round(runner_up, 2))

    def assign(self, labels: Sequence[str]) -> list[CommuneMatch | None]:
        """Match every label, one row per commune: when several labels claim the same commune,
        the one with the highest score keeps it and the others are left unmatched (never moved
        to a second choice); on a tie for the highest score none keeps it."""
        matches = [self.match(label) for label in labels]
        claims: dict[str, list[int]] = {}
        for i, m in enumerate(matches):
            if m is not None:
                claims.setdefault(m.commune.code, []).append(i)
        for rows in claims.values():
            if len(rows) < 2:
                continue
            scores = [matches[i].score for i in rows]  # type: ignore[union-attr]
            top = max(scores)
            winners = [i for i, sc in zip(rows, scores, strict=False) if sc == top]
            for i in rows:
                if len(winners) > 1 or i != winners[0]:
                    matches[i] = None
        return matches


__all__ = [
    "CHEAP_SUBSTITUTION",
    "CONFUSION_GROUPS",
    "FUZZY_PREFIX_SCORE",
    "ONE_TWO_COST",
    "SPACE_COST",
    "DistrictCommunes",
    "LabelKey",
    "MatchSettings",
    "Reading",
    "label_key",
    "match_settings",
    "ocr_distance",
    "similarity",
    "strip_prefix",
    "syllables_ok",
]
