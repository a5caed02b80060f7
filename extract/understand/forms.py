"""Which known form a table is, and which canonical column each grid column holds.

Two jobs, both pure functions of OCR'd text:

- :func:`identify_form` reads the title block above a table ("Biểu mẫu 5B", the subtitle that
  names the form, or the heading "DANH SÁCH").  The form code is never fuzzy-matched as a whole
  string: its token is parsed with OCR letter->digit repairs ("SB" -> 5B, "1IB" -> 11B, "14" ->
  14B) and then confirmed, or decided among repairs, by how well the subtitle matches each form's
  title.  When no code can be read, the subtitle decides alone, but only with a clear lead over the
  runner-up.
- :func:`split_header` counts a table's header rows and :func:`map_header` aligns each grid
  column's header path (the texts down that column, merged cells repeated) with the form's
  declared header paths.  The alignment is monotone (column order is a strong prior): a dynamic
  program that may skip grid columns (an extra or empty column) and form columns (a missing
  "Ghi chú"), scored by fuzzy similarity of header texts and by printed column numbers "(7)".

Similarities are rapidfuzz scores on 0..100, computed on *folded* text: no diacritics, lower
case, punctuation as spaces, common abbreviations (TTHC, CCHC, UBND ...) expanded.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..config import ColumnSpec, FormSpec, config_dir, settings_section
from ..folding import fold as fold_words
from ..folding import strip_marks
from .rows import read_index

__all__ = [
    "EXTRA_PREFIX",
    "FormMatch",
    "FormsSettings",
    "HeaderMapping",
    "column_paths",
    "default_settings",
    "extra_column_key",
    "fold",
    "generic_columns",
    "grid_column_numbers",
    "identify_form",
    "map_header",
    "parse_form_code",
    "split_header",
    "title_scores",
]


# --------------------------------------------------------------------------------------------
# settings


class FormsSettings(BaseModel):
    """Thresholds of form identification and header mapping (section ``forms`` of pipeline.yaml).

    Every score is on rapidfuzz's 0..100 scale.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # identification
    title_confirm: float = 55.0  # subtitle score that confirms a form code read from the token
    title_only_min: float = 55.0  # subtitle score needed to decide on the subtitle alone
    title_only_lead: float = 8.0  # ... and its lead over the runner-up form
    title_overrule_margin: float = 30.0  # another form's subtitle beats a read code by this much
    repair_penalty: float = 8.0  # per repaired character of the code token
    missing_suffix_penalty: float = 3.0  # "Biểu mẫu 14" printed without its "B"
    heading_min: float = 80.0  # ratio of a short line to a form's heading ("DANH SÁCH")
    title_coverage_weight: float = 0.5  # weight of word coverage vs best-window similarity
    title_pair_min: float = 75.0  # ratio at which a pair of subtitle words counts as a title's pair
    generic_title_prefixes: list[str] = Field(
        default_factory=lambda: ["thong ke so lieu ve", "thong ke so lieu", "thong ke"]
    )
    abbreviations: dict[str, str] = Field(
        default_factory=lambda: {
            "tt hc": "thu tuc hanh chinh",
            "tthc": "thu tuc hanh chinh",
            "cchc": "cai cach hanh chinh",
            "cbcccv": "can bo cong chuc vien chuc",
            "cbccvc": "can bo cong chuc vien chuc",
            "bcci": "buu chinh cong ich",
            "cntt": "cong nghe thong tin",
            "vbqppl": "van ban quy pham phap luat",
            "qppl": "quy pham phap luat",
            "ubnd": "uy ban nhan dan",
            "hdnd": "hoi dong nhan dan",
            "vtvl": "vi tri viec lam",
        }
    )
    # identification by the column headers when no code was read (extract/understand/form_check.py)
    header_check_min_words: int = 4  # shorter headers ("Số lượng", "Ghi chú") are shared: no evidence
    header_check_top: int = 2  # a form's fit is the mean of its best this many header scores
    header_check_fit_min: float = 85.0  # fit a form's headers need to name the form
    header_check_lead: float = 20.0  # lead over the runner-up and over a subtitle-only match
    header_check_window_lines: int = 4  # consecutive title lines joined into one piece, at most
    header_check_piece_length: tuple[float, float] = (0.6, 1.5)  # piece length, in header lengths
    # fits tied within the lead: the form spelled out by at least this many of its headers (each
    # at header_check_fit_min), this many times as many as any tied form's, is named (a form of
    # one value column fits at 100 by a title phrase, "Thống kê số liệu" in "Số liệu thống kê")
    header_check_support_min: int = 3
    header_check_support_ratio: float = 2.0
    # a table under no readable title whose body prints at least this many rows that a form declares
    # (``rows:``; a label cell fitting one at declared_row_fit_min, no other form's) is that form's
    # (extract/understand/form_check.py: other_form_rows): no page of the table before it
    declared_row_fit_min: float = 85.0
    declared_rows_min: int = 2
    # header mapping
    max_header_rows: int = 6  # header rows looked at, column-number row included
    match_floor: float = 45.0  # a column pair scoring below this costs more than it earns
    gap_cost: float = 20.0  # leaving a form column, or a grid column with header text, unmatched
    empty_gap_cost: float = 2.0  # leaving a grid column without header text unmatched
    leaf_weight: float = 0.4  # weight of the last header level vs the whole path
    number_agree_floor: float = 60.0  # equal printed column numbers lift a pair to at least this
    number_disagree_factor: float = 0.6  # different printed column numbers scale a pair by this
    # a grid of the form's column count whose column-number row reads at least this many numbers,
    # each its own position's, takes the form's columns by position (_take_printed_numbers)
    printed_numbers_min: int = Field(default=3, ge=1)
    header_vocab_min: float = 55.0  # a text-only row matching the form's header words this well is header
    tie_margin: float = 3.0  # an alignment that pairs a column otherwise and scores this close is a tie


@functools.lru_cache(maxsize=1)
def default_settings() -> FormsSettings:
    """Section ``forms`` of ``configs/pipeline.yaml``; defaults when that file does not exist."""
    if not (config_dir() / "pipeline.yaml").is_file():
        return FormsSettings()
    return settings_section(FormsSettings, "forms")


# --------------------------------------------------------------------------------------------
# text folding


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=16)
def _abbrev_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b")


def fold(text: str, settings: FormsSettings | None = None) -> str:
    """Lower-case ASCII words of ``text``: diacritics dropped, punctuation as single spaces,
    abbreviations expanded ("TTHC" -> "thu tuc hanh chinh")."""
    s = settings or default_settings()
    return _fold(text, tuple(s.abbreviations.items()))


@functools.lru_cache(maxsize=16384)
def _fold(text: str, abbreviation_items: tuple[tuple[str, str], ...]) -> str:
    out = fold_words(text)
    if abbreviation_items and out:
        abbreviations = dict(abbreviation_items)
        pattern = _abbrev_pattern(tuple(abbreviations))
        out = pattern.sub(lambda m: abbreviations[m.group(0)], out)
        out = " ".join(_expand_misread_abbreviation(w, abbreviations) for w in out.split())
    return out


_MIN_FUZZY_ABBREVIATION = 4  # letters: shorter words are expanded only when exact ("chc" is more
# often a misread "chức" than a misread "CCHC")


def _expand_misread_abbreviation(word: str, abbreviations: dict[str, str]) -> str:
    """``word`` expanded when it is one OCR edit away from a long abbreviation ("c8ccvc")."""
    if len(word) < _MIN_FUZZY_ABBREVIATION or word in _COMMON_WORDS or word in abbreviations:
        return word
    for short, long in abbreviations.items():
        if " " not in short and len(short) >= _MIN_FUZZY_ABBREVIATION and _near(word, short, 1):
            return long
    return word


# Folded words that are one edit from an abbreviation but are words themselves.
_COMMON_WORDS = frozenset({"tinh", "thuc", "bach"})


# --------------------------------------------------------------------------------------------
# form identification


@dataclass(frozen=True)
class FormMatch:
    """A recognised form.

    ``score`` is 0..100; ``method`` is ``"code+title"`` (code token read and confirmed by the
    subtitle), ``"code"`` (code read, subtitle absent or unconvincing) or ``"title"`` (decided by
    the subtitle or the heading alone).  ``evidence`` says what was read, for reviewers.
    """

    code: str
    score: float
    method: str
    evidence: str


# OCR readings of characters in a form-code token: (reading, cost).  "B" is the suffix.
_CODE_CHAR_READINGS: dict[str, tuple[tuple[str, int], ...]] = {
    **{d: ((d, 0),) for d in "012345679"},
    "8": (("8", 0), ("B", 1)),
    "b": (("B", 0), ("8", 1), ("6", 2)),
    "s": (("5", 1),),
    "$": (("5", 1),),
    "i": (("1", 1),),
    "l": (("1", 1),),
    "|": (("1", 1),),
    "!": (("1", 1),),
    "j": (("1", 1),),
    "t": (("1", 1), ("7", 1)),
    "o": (("0", 1),),
    "d": (("0", 1),),
    "q": (("9", 1), ("0", 1)),
    "z": (("2", 1),),
    "g": (("9", 1), ("6", 1)),
    "a": (("4", 1),),
    "e": (("3", 1),),
}
_CODE_SHAPE = re.compile(r"^(\d{1,2})(B?)$")
_TOKEN_TRIM = "()[]{}:;.,*_\"'`~-–"
_MAX_CODE_TOKEN = 4  # characters: "13B" plus one stray character


def parse_form_code(
    token: str, known: Sequence[str], settings: FormsSettings | None = None
) -> list[tuple[str, float]]:
    """Readings of a code token that name a known form, cheapest first.

    Each character may be read as itself or as an OCR look-alike ("S" -> 5, "I"/"l" -> 1,
    "B" <-> 8 ...); every look-alike costs ``repair_penalty`` and a missing "B" suffix costs
    ``missing_suffix_penalty``.  Returns ``[(code, cost), ...]``; empty when no reading is a
    known code.  ``parse_form_code("SB", ["5B", "6B"]) == [("5B", 8.0)]``.
    """
    s = settings or default_settings()
    tok = strip_marks(token).strip(_TOKEN_TRIM).lower().replace(" ", "")
    if not tok or len(tok) > _MAX_CODE_TOKEN:
        return []
    options = [_CODE_CHAR_READINGS.get(ch) for ch in tok]
    if any(o is None for o in options):
        return []
    known_upper = {k.upper(): k for k in known}
    best: dict[str, float] = {}
    for combo in itertools.product(*[o for o in options if o is not None]):
        text = "".join(ch for ch, _ in combo)
        m = _CODE_SHAPE.match(text)
        if not m:
            continue
        code = f"{int(m.group(1))}B"
        if code not in known_upper:
            continue
        cost = sum(c for _, c in combo) * s.repair_penalty + (0 if m.group(2) else s.missing_suffix_penalty)
        name = known_upper[code]
        best[name] = min(cost, best.get(name, cost))
    return sorted(best.items(), key=lambda kv: (kv[1], kv[0]))


def _near(word: str, target: str, max_dist: int) -> bool:
    return abs(len(word) - len(target)) <= max_dist and Levenshtein.distance(word, target) <= max_dist


_MAX_CODE_LINE_WORDS = 5  # "Biểu mẫu số: 1 B": a longer line is a subtitle, whatever its first word
_GLUED_MAU = re.compile(r"^(?:m|rn)[a@]?u[:.]?(.+)$")


_SPECK_WORDS = 3  # at most this many speck tokens ("|", "â", "'") read before "Biểu mẫu" are skipped
# "Biểu mẫu 4B - Thống kê ...": the code printed before its subtitle on one line, after a dash
_CODE_THEN_SUBTITLE = re.compile(r"^((?:\S+\s+){1,2}(?:so[:.]?\s+)?\S+?(?:\s+[b8])?)\s*[-–—:]\s+\S")


def _code_line_words(line: str) -> list[str]:
    """The words of a possible code line (folded marks, lower case): speck tokens read before
    its first word left out (a speck or a seal's rim read as "|", "â", "'" turned "Biểu mẫu 8B"
    into a line that starts with no "Biểu"), and a subtitle printed after the code on the same
    line, behind a dash, cut off."""
    words = strip_marks(line).lower().split()
    skipped = 0
    while words and skipped < _SPECK_WORDS and len(_NON_ALNUM.sub("", words[0])) <= 1 and len(words) > 2:
        words, skipped = words[1:], skipped + 1
    head = _CODE_THEN_SUBTITLE.match(" ".join(words))
    if head is not None and len(words) > _MAX_CODE_LINE_WORDS:
        words = head.group(1).split()
    return words


def _subtitle_after_code(line: str) -> str:
    """What a code line prints after its code and a dash (its subtitle), else ""."""
    words = strip_marks(line).split()
    if len(words) <= _MAX_CODE_LINE_WORDS:
        return ""
    parts = re.split(r"\s[-–—:]\s", line, maxsplit=1)
    return parts[1] if len(parts) == 2 else ""


def _code_tokens(line: str, known: Sequence[str], s: FormsSettings) -> list[str]:
    """The code token of a code line ("Biểu mẫu 5B", "Biểu mẫu số: 1 B", "Mẫu SB"), else [].

    A code line is short and starts with "Mẫu" or "Biểu mẫu" (each word may be misread by one
    letter).  A line starting with a mere look-alike of "Mẫu" ("Máy, biên chế ...") counts only
    when the next token reads as a known code.
    """
    words = _code_line_words(line)
    if not words or len(words) > _MAX_CODE_LINE_WORDS:
        return []
    first = _NON_ALNUM.sub("", words[0])
    start, strong = 0, first == "mau"
    if len(words) > 1 and _near(first, "bieu", 2):
        start, strong = 1, True
    raw = words[start]
    word = _NON_ALNUM.sub("", raw)
    glued = _GLUED_MAU.match(raw.strip(_TOKEN_TRIM))
    if glued and not _near(word, "mau", 1):
        tok, strong = glued.group(1).strip(_TOKEN_TRIM), strong or start == 1
    elif _near(word, "mau", 1) and 2 <= len(word) <= 4:
        j = start + 1
        if j < len(words) and _NON_ALNUM.sub("", words[j]) in ("so", "s0", "s6"):
            j += 1
        tok = words[j] if j < len(words) else ""
        if (
            j + 1 < len(words)
            and words[j + 1].strip(_TOKEN_TRIM) in ("b", "8")
            and tok.strip(_TOKEN_TRIM).isdigit()
        ):
            tok += words[j + 1]
        tok = tok.strip(_TOKEN_TRIM)
    else:
        return []
    if strong or parse_form_code(tok, known, s):
        return [tok]
    return []


_REFERENCE_LINE = re.compile(r"\b(?:kem theo|bao cao so|kinh gui)\b")


def _subtitle_text(lines: Sequence[str], known: Sequence[str], s: FormsSettings) -> str:
    """The folded title block without code lines and "(Kèm theo Báo cáo số ...)" lines."""
    kept = []
    for line in lines:
        if _code_tokens(line, known, s):
            line = _subtitle_after_code(line)  # "Biểu mẫu 4B - Thống kê ...": the subtitle goes on
        folded = fold(line, s)
        if not folded or _REFERENCE_LINE.search(folded):
            continue
        kept.append(folded)
    return " ".join(kept)


def _core(title: str, s: FormsSettings) -> str:
    folded = fold(title, s)
    for prefix in s.generic_title_prefixes:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def _pairs(words: Sequence[str]) -> list[str]:
    """Consecutive word pairs ("tai chinh"); a single word stands for itself."""
    return [f"{a} {b}" for a, b in itertools.pairwise(words)] or list(words)


def _pair_coverage(candidate_core: str, text: str, pair_min: float) -> float:
    """Share (0..1, by letters) of the title's consecutive word pairs found in the text, each
    fuzzily (ratio >= pair_min): sharper than letters between titles that share common words."""
    wanted = _pairs(candidate_core.split())
    present = _pairs(text.split())
    found = 0
    for pair in wanted:
        if process.extractOne(pair, present, scorer=fuzz.ratio, score_cutoff=pair_min) is not None:
            found += len(pair)
    total = sum(len(p) for p in wanted)
    return found / total if total else 0.0


def _title_score(candidate_core: str, text: str, s: FormsSettings) -> float:
    """How well a form's title (generic prefix removed) appears in the subtitle text, 0..100.

    A weighted mean of ``partial_ratio`` (the best window of the text) and the share of the
    title's word pairs found in the text (sharper between titles that share letters and common
    words).  A text shorter than the title is scaled down by the share it could cover.
    """
    if not candidate_core or not text:
        return 0.0
    window = fuzz.partial_ratio(candidate_core, text)
    coverage = 100.0 * _pair_coverage(candidate_core, text, s.title_pair_min)
    score = (1 - s.title_coverage_weight) * window + s.title_coverage_weight * coverage
    if len(text) < len(candidate_core):
        score *= (len(text) / len(candidate_core)) ** 0.5
    return float(score)


def title_scores(
    lines: Sequence[str], forms: Sequence[FormSpec], settings: FormsSettings | None = None
) -> dict[str, float]:
    """Subtitle score (0..100) of every form for the title block ``lines``."""
    s = settings or default_settings()
    return _scores_for_text(_subtitle_text(_split_lines(lines), [f.code for f in forms], s), forms, s)


def _scores_for_text(text: str, forms: Sequence[FormSpec], s: FormsSettings) -> dict[str, float]:
    return {
        f.code: max(_title_score(_core(t, s), text, s) for t in [f.title, *f.title_aliases]) for f in forms
    }


def _split_lines(lines: Sequence[str]) -> list[str]:
    return [part for line in lines for part in line.splitlines() if part.strip()]


def _heading_match(
    lines: Sequence[str], forms: Sequence[FormSpec], s: FormsSettings
) -> tuple[FormSpec, float, str] | None:
    best: tuple[FormSpec, float, str] | None = None
    for f in forms:
        if not f.heading:
            continue
        target = fold(f.heading, s)
        for line in lines:
            folded = fold(line, s)
            if not folded or len(folded) > 2 * len(target):
                continue
            score = fuzz.ratio(folded, target)
            if score >= s.heading_min and (best is None or score > best[1]):
                best = (f, float(score), line.strip())
    return best


def identify_form(
    lines: Sequence[str], forms: Sequence[FormSpec], settings: FormsSettings | None = None
) -> FormMatch | None:
    """The form named by a title block (OCR'd lines above a table, top to bottom), or ``None``.

    1. A code token after "Biểu mẫu"/"Mẫu" is parsed with OCR repairs; among its readings that
       name a known form the one best supported by the subtitle wins ("code+title" when the
       subtitle scores at least ``title_confirm``, else "code").  A read code is overruled only
       when another form's subtitle scores ``title_overrule_margin`` more and at least
       ``title_only_min``.
    2. Else a heading line ("DANH SÁCH") names its form.
    3. Else the subtitle alone decides, with at least ``title_only_min`` and a lead of
       ``title_only_lead`` over the runner-up ("title").
    """
    s = settings or default_settings()
    lines = _split_lines(lines)
    if not lines or not forms:
        return None
    by_code = {f.code: f for f in forms}
    subtitle = _subtitle_text(lines, list(by_code), s)
    scores = _scores_for_text(subtitle, forms, s)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    has_subtitle = bool(subtitle)

    readings: dict[str, tuple[float, str]] = {}
    for line in lines:
        for tok in _code_tokens(line, list(by_code), s):
            for code, cost in parse_form_code(tok, list(by_code), s):
                if code not in readings or cost < readings[code][0]:
                    readings[code] = (cost, tok)
    if readings:
        code, (cost, tok) = max(readings.items(), key=lambda kv: (scores[kv[0]] - kv[1][0], -kv[1][0]))
        code_score = max(0.0, 100.0 - cost)
        title = scores[code]
        evidence = f"code token {tok!r} -> {code} (cost {cost:g}); subtitle {title:.0f}"
        top_code, top_score = ranked[0]
        if (
            top_code != code
            and top_score >= s.title_only_min
            and top_score - title >= s.title_overrule_margin
        ):
            return FormMatch(
                top_code,
                round(top_score, 1),
                "title",
                f"{evidence}; overruled by subtitle of {top_code} {top_score:.0f}",
            )
        if has_subtitle and title >= s.title_confirm:
            return FormMatch(code, round((code_score + title) / 2, 1), "code+title", evidence)
        return FormMatch(code, round(code_score * (0.8 if has_subtitle else 1.0), 1), "code", evidence)

    heading = _heading_match(lines, forms, s)
    if heading is not None:
        form, hscore, line = heading
        return FormMatch(
            form.code,
            round(hscore, 1),
            "title",
            f"heading {line!r}; subtitle {scores[form.code]:.0f}",
        )

    if not ranked:
        return None
    top_code, top_score = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    if top_score >= s.title_only_min and top_score - runner >= s.title_only_lead:
        return FormMatch(
            top_code,
            round(top_score, 1),
            "title",
            f"no code token; subtitle {top_score:.0f}, runner-up {runner:.0f}",
        )
    return None


# --------------------------------------------------------------------------------------------
# header rows


@dataclass(frozen=True)
class HeaderMapping:
    """Grid columns aligned with a form's columns.

    ``columns`` maps a grid column index to a column key; ``score`` (0..100) is the summed
    similarity of the matched pairs over the larger of the form's column count and the grid's
    count of columns with header text; ``unmapped`` lists grid columns left without a key and
    ``missing`` the form's keys no grid column took.  ``doubtful`` maps a grid column whose key
    is not sure to the reason: an alignment that pairs it otherwise scores within ``tie_margin``
    of the best (a tie: "TX" read "T" while "TH" is not printed), or it took the slot of the one
    key left without reading a heading there.
    """

    columns: dict[int, str]
    score: float
    unmapped: tuple[int, ...]
    missing: tuple[str, ...]
    doubtful: dict[int, str] = field(default_factory=dict)
    # grid column -> the printed column numbers its column-number cell reads side by side
    # ("(3) (4)": one grid column over two printed columns, :func:`merged_column_numbers`)
    merged: dict[int, tuple[int, ...]] = field(default_factory=dict)


COLUMN_NUMBER_MAX_CHARS = 16  # "(9)=(10)+(11)" is 13 characters
COLUMN_NUMBER_ROW_SHARE = 0.8  # share of a row's filled cells that must look like column numbers
COLUMN_NUMBER_VOUCHERS = 3  # ... unless this many of them read cleanly as one ...
COLUMN_NUMBER_VOUCHED_SHARE = 0.6  # ... then this share will do
_PAREN_DIGIT_FIX = str.maketrans({"I": "1", "l": "1", "|": "1", "!": "1", "O": "0", "o": "0", "S": "5"})
_COL_NUMBER = re.compile(r"^\(\s*(\d{1,2})\s*\)(?:\s*[=+\-]\s*\(\s*\d{1,2}\s*\))*$|^(\d{1,2})$")
_INDEX = re.compile(r"^(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2}){0,3}|[-+*•–])\.?$")
_NUMBERISH = re.compile(r"^[+\-]?\d[\d.,]*\s*%?$|^\d+\s*/\s*\d+$")


def _column_number(text: str) -> int | None:
    """The lead number of a printed column number: "(3)=(4)+(5)" -> 3, "(l2)" -> 12; of a cell
    over two printed columns, the first: "(3) (4)" -> 3 (:func:`merged_column_numbers`)."""
    t = text.strip().replace(" ", "")
    if not t:
        return None
    t = re.sub(r"\(([^()]{1,2})\)", lambda m: "(" + m.group(1).translate(_PAREN_DIGIT_FIX) + ")", t)
    m = _COL_NUMBER.match(t)
    if not m:
        merged = merged_column_numbers(text)
        return merged[0] if merged else None
    return int(m.group(1) or m.group(2))


_COL_NUMBERS_SIDE_BY_SIDE = re.compile(r"^(?:\(\s*\d{1,2}\s*\)\s*){2,}$")


def merged_column_numbers(text: str) -> tuple[int, ...]:
    """The printed column numbers a column-number cell reads side by side, counting up by one
    ("(3) (4)": one grid column over two printed columns, the rule between them lost over the
    table's whole height); () for any other cell."""
    t = text.strip()
    if not _COL_NUMBERS_SIDE_BY_SIDE.match(t):
        return ()
    numbers = tuple(int(n) for n in re.findall(r"\d{1,2}", t))
    return numbers if all(b == a + 1 for a, b in itertools.pairwise(numbers)) else ()


COLUMN_NUMBER_MAX_LETTERS = 3  # garbled parentheses give a letter or two ("qœ)"); a word gives more


def has_word(text: str) -> bool:
    """Whether ``text`` holds more letters than a garbled column number does."""
    return sum(ch.isalpha() for ch in text) > COLUMN_NUMBER_MAX_LETTERS


def _garbled_column_number(text: str, position: int) -> bool:
    """A cell OCR made of a printed column number: tesseract garbles parenthesised digits
    ("(5)" -> "@®)", "(1)" -> "qœ)"), but such a cell stays short, keeps a parenthesis or
    ``=``, or its digits equal its 1-based column position, and holds no word."""
    t = text.replace(" ", "")
    if not t or len(t) > COLUMN_NUMBER_MAX_CHARS or has_word(t):
        return False
    digits = "".join(ch for ch in t if ch.isdigit())
    return digits == str(position + 1) or any(ch in t for ch in "()=")


def _numbers_at_their_places(row: Sequence[str]) -> bool:
    """Nearly every filled cell of ``row`` reads the number of its own column (its 1-based grid
    position, or all of them shifted alike: a piece that lost its STT column): the printed column
    numbers with one or two misread ("(11)" read "1", "(7)" read "(2)", "(9)" read "-00.") or an
    empty cell ("(2)" lost) that break their counting up by one (dev 742's clean 6B "(1) 2 … 10 1
    12 13 14" was read as a body row, its numbers on no printed cell).  At least
    :data:`COLUMN_NUMBER_VOUCHERS` cells, and :data:`COLUMN_NUMBER_ROW_SHARE` of the filled ones,
    line up so (the STT cell not counted); a garbled cell may read letters, the first two (STT,
    label) may not.  The shift may change by one once along the row: the grid lost a printed
    column (dev_380 hard 300, 6B: "2 3 4 5 6, 8 9 10 1 12 13 14" over a grid without column 7,
    read as a row of data, nine numbers on no printed cell) or found one rule too many."""
    filled = [(j, c.strip()) for j, c in enumerate(row) if c.strip()]
    if any(has_word(c) for j, c in filled if j < 2):
        return False  # a body row: its STT or label reads a word
    # the STT cell's "(1)" is the one garbled most ("I", "0", "qœ)"): the share is over the others
    shifts = [n - (j + 1) for j, c in filled if j > 0 and (n := _column_number(c)) is not None]
    if not shifts:
        return False
    placed = placed_with_one_step(shifts)
    return placed >= COLUMN_NUMBER_VOUCHERS and placed >= COLUMN_NUMBER_ROW_SHARE * sum(
        j > 0 for j, _c in filled
    )


def placed_with_one_step(shifts: Sequence[int], first: int | None = None) -> int:
    """The most of ``shifts`` (each cell's number less its place, left to right) that are one
    shift, or one shift up to a cell and the next one (one up or down) from it on; ``first``:
    the shift the row starts with, when it is known."""
    best = 0
    for k in range(len(shifts) + 1):
        left, right = shifts[:k], shifts[k:]
        for a in {first} if first is not None else set(left) or {0}:
            for b in (a - 1, a, a + 1) if a in left else (a,):  # a step after one cell at least
                best = max(best, left.count(a) + right.count(b))
    return best


def _is_column_number_row(row: Sequence[str], above: Sequence[str] | None = None) -> bool:
    """A row like "(1) (2) (3)=(4)+(5) ...": every filled cell is a column number, mostly in
    parentheses or counting up by one; or, when OCR garbled the parentheses, nearly every filled
    cell still looks like a column number at its position (see ``_garbled_column_number``).
    A cell repeating the cell ``above`` belongs to a header cell merged down over this row (a
    lost rule): it is left out."""
    if above is not None:
        row = ["" if j < len(above) and c.strip() and c == above[j] else c for j, c in enumerate(row)]
    cells = [c.strip() for c in row if c.strip()]
    if len(cells) < 2:
        return False
    if _numbers_at_their_places(row):
        return True
    numbers = [_column_number(c) for c in cells]
    if any(n is None for n in numbers):
        filled = [(j, c.strip()) for j, c in enumerate(row) if c.strip()]
        if any(has_word(c) for _, c in filled):
            return False  # a body row: its label has words
        garbled = sum(_garbled_column_number(c, j) for j, c in filled)
        # cells that read cleanly as a column number or hold a formula "(3)=(4)+(5)" vouch for
        # a row whose other cells OCR garbled beyond recognition ("(1)" -> "0", "(5)" -> "G")
        clean = sum(_column_number(c) is not None or "=" in c for _, c in filled)
        share = COLUMN_NUMBER_VOUCHED_SHARE if clean >= COLUMN_NUMBER_VOUCHERS else COLUMN_NUMBER_ROW_SHARE
        return len(filled) >= 3 and garbled >= share * len(filled)
    if sum(c.startswith("(") for c in cells) * 2 >= len(cells):
        return True
    seq = [n for n in numbers if n is not None]
    return len(seq) >= 3 and all(b == a + 1 for a, b in itertools.pairwise(seq))


def _header_vocabulary(form: FormSpec, s: FormsSettings) -> list[str]:
    words = {fold(t, s) for c in form.columns for path in [c.header, *c.aliases] for t in path}
    return [w for w in words if w]


def _is_body_row(
    row: Sequence[str], above: Sequence[str] | None, form: FormSpec | None, s: FormsSettings
) -> bool:
    cells = [c.strip() for c in row]
    if not any(cells):
        return False
    first = cells[0] if cells else ""
    if first and _INDEX.match(first) and (above is None or above[0].strip() != first):
        return True
    if any(_NUMBERISH.match(c) for c in cells[1:] if c):
        return True
    if form is None or above is None:
        return False
    vocab = _header_vocabulary(form, s)
    texts = {fold(c, s) for c in cells if c}
    texts.discard("")
    if not texts or not vocab:
        return False
    best = [max(fuzz.ratio(t, v) for v in vocab) for t in texts]
    return sum(best) / len(best) < s.header_vocab_min


def split_header(
    matrix: list[list[str]], form: FormSpec | None, settings: FormsSettings | None = None
) -> int:
    """How many top rows of ``matrix`` are header rows (a column-number row included).

    A row ends the header when it is body-like: its first cell is a row index ("I", "2.1", "-")
    not repeated from the row above, or another cell is a number ("5.697", "99,7%", "32/32"), or
    (form known) its texts do not resemble the form's header words.  A column-number row
    "(1) (2) ..." is the last header row, also when a row above it looked body-like (garbled
    header text, a "(4)" read as "4").  A continuation page without header gives 0.
    """
    s = settings or default_settings()
    limit = min(len(matrix), s.max_header_rows)
    for r in range(limit):
        row = matrix[r]
        if _is_column_number_row(row, matrix[r - 1] if r else None):
            return r + 1
        if _is_body_row(row, matrix[r - 1] if r else None, form, s):
            # a header row OCR garbled beyond the form's words still sits above the printed
            # column numbers: the header ends with them, wherever they are
            for below in range(r + 1, limit):
                if _is_column_number_row(matrix[below], matrix[below - 1]):
                    return below + 1
            return r
    return limit


def column_paths(matrix: list[list[str]], header_rows: int) -> list[tuple[str, ...]]:
    """Each grid column's header path: its header texts top to bottom, a merged cell's repeated
    text once, the column-number row left out."""
    if not matrix:
        return []
    n_cols = max(len(r) for r in matrix)
    paths: list[tuple[str, ...]] = []
    for j in range(n_cols):
        path: list[str] = []
        for r in range(min(header_rows, len(matrix))):
            if _is_column_number_row(matrix[r], matrix[r - 1] if r else None):
                continue
            text = " ".join(matrix[r][j].split()) if j < len(matrix[r]) else ""
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(tuple(path))
    return paths


EXTRA_PREFIX = "extra_"


def extra_column_key(number: int | None, grid_column: int, taken: set[str]) -> str:
    """The key of a printed column the form does not declare: ``extra_<printed number>`` when
    its column-number cell reads ("(13)" -> "extra_13"), else ``extra_col<1-based grid
    position>``; suffixed "_2", "_3" when taken."""
    base = f"{EXTRA_PREFIX}{number}" if number is not None else f"{EXTRA_PREFIX}col{grid_column + 1}"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def grid_column_numbers(matrix: list[list[str]], header_rows: int) -> list[int | None]:
    """Each grid column's printed column number ("(7)" -> 7), None where the header has no
    column-number row or the cell does not read as one."""
    return _grid_numbers(matrix, header_rows)


def _grid_numbers(matrix: list[list[str]], header_rows: int) -> list[int | None]:
    n_cols = max((len(r) for r in matrix), default=0)
    for r in range(min(header_rows, len(matrix))):
        if _is_column_number_row(matrix[r], matrix[r - 1] if r else None):
            row = matrix[r]
            return [_column_number(row[j]) if j < len(row) else None for j in range(n_cols)]
    return [None] * n_cols


def _path_similarity(grid: Sequence[str], spec: Sequence[str], s: FormsSettings) -> float:
    """0..100: a weighted mix of the last level's and the whole path's similarity."""
    if not grid:
        return 0.0
    leaf = fuzz.ratio(fold(grid[-1], s), fold(spec[-1], s))
    full = fuzz.ratio(fold(" ".join(grid), s), fold(" ".join(spec), s))
    return s.leaf_weight * leaf + (1 - s.leaf_weight) * full


def _column_similarity(path: Sequence[str], number: int | None, col: ColumnSpec, s: FormsSettings) -> float:
    sim = max(_path_similarity(path, p, s) for p in [col.header, *col.aliases])
    spec_number = _column_number(col.number) if col.number else None
    if number is not None and spec_number is not None:
        if number == spec_number:
            sim = max(sim, s.number_agree_floor + sim * (100 - s.number_agree_floor) / 100)
        else:
            sim *= s.number_disagree_factor
    return sim


def map_header(
    matrix: list[list[str]], header_rows: int, form: FormSpec, settings: FormsSettings | None = None
) -> HeaderMapping:
    """Align the grid's columns with ``form``'s columns, keeping their order.

    Dynamic programming over (grid column, form column): a pair earns ``similarity -
    match_floor``; leaving a grid column unmatched costs ``gap_cost`` (``empty_gap_cost`` when it
    has no header text) and so does leaving a form column unmatched.  Without header text (a
    continuation page) columns are taken by position when the counts agree.
    """
    s = settings or default_settings()
    keys = [c.key for c in form.columns]
    paths = column_paths(matrix, header_rows)
    if not any(paths):
        return _by_position(len(paths), keys)
    numbers = _grid_numbers(matrix, header_rows)
    sim = [
        [_column_similarity(path, number, col, s) for col in form.columns]
        for path, number in zip(paths, numbers, strict=True)
    ]
    skip_grid = [s.gap_cost if path else s.empty_gap_cost for path in paths]
    move, best = _align(sim, skip_grid, s)
    columns, total = _matched_pairs(move, sim, keys)
    doubtful = _ties(columns, best, sim, skip_grid, paths, keys, s)
    _fill_slots(columns, paths, keys, _numbered_columns(matrix, header_rows))
    _fill_row_key_slot(columns, form, matrix, header_rows)
    _shift_row_key_slot(columns, form, matrix, header_rows)
    _fill_index_slot(columns, form, matrix, header_rows)
    _take_printed_numbers(columns, form, matrix, header_rows, s.printed_numbers_min)
    _fill_headless_slots(columns, paths, form, matrix, header_rows, doubtful)
    merged = _doubt_merged_columns(columns, matrix, header_rows, doubtful)
    return replace(_mapping(columns, total, paths, keys, doubtful), merged=merged)


MERGED_COLUMN = (
    "its column-number cell reads {shown}: one grid column over {n} printed columns (the rule "
    "between them lost on the scan), which of them the number is printed in is not known"
)


def _doubt_merged_columns(
    columns: Mapping[int, str], matrix: list[list[str]], header_rows: int, doubtful: dict[int, str]
) -> dict[int, tuple[int, ...]]:
    """Each mapped grid column whose column-number cell reads two printed columns' numbers
    ("(3) (4)") is ``doubtful``: its key is one of them, but a lone number in its body may be
    printed under the other (dev_1003 hard 300, 9B: "Tổng số" and "Tăng/giảm" read as one column
    keyed ``tang_giam``; the six printed totals stood under it unflagged, verified by the sum
    rule, while ``tang_giam`` is printed empty)."""
    out: dict[int, tuple[int, ...]] = {}
    for r in range(min(header_rows, len(matrix))):
        if _is_column_number_row(matrix[r], matrix[r - 1] if r else None):
            for j in columns:
                merged = merged_column_numbers(matrix[r][j]) if j < len(matrix[r]) else ()
                if merged:
                    out[j] = merged
                    shown = " ".join(f"({n})" for n in merged)
                    doubtful.setdefault(j, MERGED_COLUMN.format(shown=shown, n=len(merged)))
            break
    return out


def _numbered_columns(matrix: list[list[str]], header_rows: int) -> list[bool]:
    """Whether each grid column has a cell of its own in the printed column-number row (text,
    however garbled: "(1U1", "0"; not the repeated text of a cell merged over its neighbour): a
    printed column, even where a seal or wear left its heading unreadable."""
    n_cols = max((len(r) for r in matrix), default=0)
    for r in range(min(header_rows, len(matrix))):
        row = matrix[r]
        if _is_column_number_row(row, matrix[r - 1] if r else None):
            cells = [row[j].strip() if j < len(row) else "" for j in range(n_cols)]
            return [bool(c) and (j == 0 or c != cells[j - 1]) for j, c in enumerate(cells)]
    return [False] * n_cols


def _by_position(m: int, keys: list[str]) -> HeaderMapping:
    """A table without header text: its columns are the form's, in order, when the counts agree;
    else none is mapped."""
    if m == len(keys):
        return HeaderMapping({j: keys[j] for j in range(m)}, 0.0, (), ())
    return HeaderMapping({}, 0.0, tuple(range(m)), tuple(keys))


def _align(
    sim: list[list[float]], skip_grid: list[float], s: FormsSettings, forbid: tuple[int, int] | None = None
) -> tuple[list[list[str]], float]:
    """The moves of the best monotone alignment of the grid's columns (rows of ``sim``) with the
    form's (its columns), and its score: ``move[j][k]`` is "m" (grid column j-1 takes form
    column k-1), "g" (grid column j-1 left unmatched, at ``skip_grid[j-1]``) or "f" (form column
    k-1 left unmatched, at ``gap_cost``); a pair earns its similarity minus ``match_floor``.
    ``forbid`` (grid column, form column): an alignment that never pairs those two."""
    m = len(sim)
    n = len(sim[0]) if sim else 0
    neg = float("-inf")
    best = [[neg] * (n + 1) for _ in range(m + 1)]
    move = [[""] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(m + 1):
        for k in range(n + 1):
            if j == 0 and k == 0:
                continue
            options = []
            if j and k and (j - 1, k - 1) != forbid:
                options.append((best[j - 1][k - 1] + sim[j - 1][k - 1] - s.match_floor, "m"))
            if j:
                options.append((best[j - 1][k] - skip_grid[j - 1], "g"))
            if k:
                options.append((best[j][k - 1] - s.gap_cost, "f"))
            best[j][k], move[j][k] = max(options)
    return move, best[m][n]


def _ties(
    columns: dict[int, str],
    best: float,
    sim: list[list[float]],
    skip_grid: list[float],
    paths: Sequence[Sequence[str]],
    keys: list[str],
    s: FormsSettings,
) -> dict[int, str]:
    """Grid column -> why its key is not sure, for every column that an alignment scoring within
    ``tie_margin`` of the best (``columns``) pairs otherwise: for each pair of the best, the best
    alignment without that pair is compared; the columns it changes were decided by a tie ("TX"
    read "T" while "TH" is not printed fits both alike)."""
    order = {key: k for k, key in enumerate(keys)}
    out: dict[int, str] = {}
    for j, key in sorted(columns.items()):
        if j in out:
            continue
        move, score = _align(sim, skip_grid, s, forbid=(j, order[key]))
        if best - score > s.tie_margin:
            continue
        other, _total = _matched_pairs(move, sim, keys)
        for i in sorted(set(columns) | set(other)):
            if columns.get(i) != other.get(i) and i not in out:
                heading = " / ".join(paths[i]) if paths[i] else "no heading"
                mapped, alt = (k or "no column of the form" for k in (columns.get(i), other.get(i)))
                out[i] = (
                    f"header mapping tie: the heading {heading!r} fits {mapped} (taken) and {alt} alike "
                    f"(alignments {best - score:.1f} apart): which column this is, is not sure"
                )
    return out


def _matched_pairs(
    move: list[list[str]], sim: list[list[float]], keys: list[str]
) -> tuple[dict[int, str], float]:
    """The pairs of the alignment ``move`` (grid column -> form key) and their summed similarity,
    traced back from the last grid and form columns."""
    columns: dict[int, str] = {}
    total = 0.0
    j, k = len(move) - 1, len(keys)
    while j or k:
        step = move[j][k]
        if step == "m":
            columns[j - 1] = keys[k - 1]
            total += sim[j - 1][k - 1]
            j, k = j - 1, k - 1
        elif step == "g":
            j -= 1
        else:
            k -= 1
    return columns, total


def _mapping(
    columns: dict[int, str],
    total: float,
    paths: Sequence[Sequence[str]],
    keys: list[str],
    doubtful: dict[int, str] | None = None,
) -> HeaderMapping:
    """The :class:`HeaderMapping` of the pairs ``columns``: its score is ``total`` over the larger
    of the form's column count and the count of grid columns with header text."""
    taken = set(columns.values())
    with_text = sum(1 for p in paths if p)
    return HeaderMapping(
        columns=dict(sorted(columns.items())),
        score=round(total / max(len(keys), with_text), 1),
        unmapped=tuple(j for j in range(len(paths)) if j not in columns),
        missing=tuple(key for key in keys if key not in taken),
        doubtful=dict(sorted((doubtful or {}).items())),
    )


def _fill_slots(
    columns: dict[int, str],
    paths: Sequence[Sequence[str]],
    keys: list[str],
    numbered: Sequence[bool] = (),
) -> None:
    """Give the grid columns left unmatched between two matched neighbours (or a neighbour and
    the table's edge) the form columns left unmatched in the same slot, when there are as many of
    each and every such grid column has header text or its own cell in the printed column-number
    row (``numbered``): a header cell OCR destroyed ("STT" read as "$", headings under a seal)
    still sits where its column belongs (a column without any header is not one of the
    form's)."""
    m = len(paths)
    if not columns:
        return
    order = {key: i for i, key in enumerate(keys)}
    anchors = [(-1, -1), *sorted((j, order[key]) for j, key in columns.items()), (m, len(keys))]
    for (j0, k0), (j1, k1) in itertools.pairwise(anchors):
        grid_gap, form_gap = range(j0 + 1, j1), range(k0 + 1, k1)
        printed = all(paths[j] or (j < len(numbered) and numbered[j]) for j in grid_gap)
        if grid_gap and len(grid_gap) == len(form_gap) and printed:
            for j, k in zip(grid_gap, form_gap, strict=True):
                columns[j] = keys[k]


ROW_KEY_TYPES = ("index", "label")


def _fill_row_key_slot(
    columns: dict[int, str], form: FormSpec, matrix: list[list[str]], header_rows: int
) -> None:
    """The form's leading STT and label columns given to the grid's columns left of its first
    mapped one when neither was mapped, they are as many, and their bodies are an index and a
    label: text in at least half the body rows, the first column's mostly STTs as the rows read
    them (:func:`.rows.read_index`: "1", "II", "3.2.9", "-"),
    the second's with letters.  Their headings may read nothing at all ("STT" lost to wear) or
    marks ("4m"), which :func:`_fill_slots` needs (dev_3644_hard_200's 6B and dev_2882_fax_150's
    3B: the two columns kept as undeclared ones, no row of the table named, every value flagged
    and no printed row found).  What they hold is the rows' keys, checked as every row's are."""
    if not columns:
        return
    first = min(columns)
    order = {c.key: i for i, c in enumerate(form.columns)}
    lead = form.columns[: min(order[key] for key in columns.values())]
    if first == 0 or len(lead) != first or [c.type for c in lead] != list(ROW_KEY_TYPES):
        return
    body = matrix[header_rows:]
    if not body:
        return

    if _index_then_label(_body_texts(body, 0), _body_texts(body, 1), len(body) / 2):
        columns[0], columns[1] = lead[0].key, lead[1].key


def _body_texts(body: Sequence[Sequence[str]], j: int) -> list[str]:
    """Grid column ``j``'s non-empty body texts."""
    return [row[j].strip() for row in body if j < len(row) and row[j].strip()]


def _index_then_label(index: Sequence[str], label: Sequence[str], half: float) -> bool:
    """Whether two columns' body texts are an index and a label: text in at least ``half`` of
    the body rows each, the first's mostly STTs as the rows read them, the second's mostly with
    letters."""
    if len(index) < half or len(label) < half:
        return False
    stts = sum(read_index(t).kind != "other" for t in index)
    lettered = sum(sum(ch.isalpha() for ch in t) >= 2 for t in label)
    return stts * 2 >= len(index) and lettered * 2 >= len(label)


def _shift_row_key_slot(
    columns: dict[int, str], form: FormSpec, matrix: list[list[str]], header_rows: int
) -> None:
    """The form's label key moved one grid column right, and its STT key given to the column it
    leaves, when the label key took the grid's first mapped column, the STT key was not mapped,
    the next grid column was not mapped either, and their bodies are an index and a label
    (dev_4533_hard_200's 11B: "STT" lost, its column took "Cơ quan, đơn vị" by the heading read
    over both, the label column's heading read ";" and was kept as an undeclared column; every
    row was then named by its STT, "the label reads as an STT", and no printed row was found)."""
    if not columns or [c.type for c in form.columns[:2]] != list(ROW_KEY_TYPES):
        return
    stt, label = form.columns[0].key, form.columns[1].key
    j = min(columns)
    if columns[j] != label or stt in columns.values() or j + 1 in columns:
        return
    body = matrix[header_rows:]
    if body and _index_then_label(_body_texts(body, j), _body_texts(body, j + 1), len(body) / 2):
        columns[j], columns[j + 1] = stt, label


def _fill_index_slot(
    columns: dict[int, str], form: FormSpec, matrix: list[list[str]], header_rows: int
) -> None:
    """The form's STT key given to the grid column just left of the mapped label column when the
    STT key was not mapped, that column was not mapped either, and their bodies are an index and a
    label (dev_5244_mild_300's 3B: "STT" read as nothing on a clean page, the column kept as an
    undeclared one, its "2.2.1"s flagged as values and the rows left without their STTs, so the
    communes under "2.2 Cấp xã" were never named).  What it holds is the rows' keys, checked as
    every row's are."""
    if not columns or [c.type for c in form.columns[:2]] != list(ROW_KEY_TYPES):
        return
    stt, label = form.columns[0].key, form.columns[1].key
    j = next((j for j, key in columns.items() if key == label), None)
    if not j or stt in columns.values() or j - 1 in columns:
        return
    body = matrix[header_rows:]
    if body and _index_then_label(_body_texts(body, j - 1), _body_texts(body, j), len(body) / 2):
        columns[j - 1] = stt


def _take_printed_numbers(
    columns: dict[int, str], form: FormSpec, matrix: list[list[str]], header_rows: int, least: int
) -> None:
    """Every grid column given the form's column of its position when the grid has as many
    columns as the form, the printed column-number row reads at least ``least`` of them, each the
    number of its own position ("(3)" in the third column), the first two hold an index and a
    label, and the headings' mapping disagrees (dev_4513_fax_150's 11B: "STT" and "Cơ quan, đơn
    vị" given to the columns printed "(4)" and "(5)" by a heading read "TT”; quả" over both,
    the three number columns and the STT and label kept as undeclared columns).  A column whose
    own number cell is not read keeps no other key; the slots fill it as any headless column."""
    keys = [c.key for c in form.columns]
    numbers = _grid_numbers(matrix, header_rows)
    read = [(j, n) for j, n in enumerate(numbers) if n is not None]
    if len(numbers) != len(keys) or len(read) < least or any(n != j + 1 for j, n in read):
        return
    if all(columns.get(j) == key for j, key in enumerate(keys)):
        return
    body = matrix[header_rows:]
    if [c.type for c in form.columns[:2]] == list(ROW_KEY_TYPES) and not (
        body and _index_then_label(_body_texts(body, 0), _body_texts(body, 1), len(body) / 2)
    ):
        return
    for j, key in enumerate(keys):
        if numbers[j] is not None or j < len(ROW_KEY_TYPES):
            columns[j] = key
        elif columns.get(j) not in (None, key):
            del columns[j]  # its heading named a column the numbers place elsewhere


def _fill_headless_slots(
    columns: dict[int, str],
    paths: Sequence[Sequence[str]],
    form: FormSpec,
    matrix: list[list[str]],
    header_rows: int,
    doubtful: dict[int, str],
) -> None:
    """The keys the mapping left missing in a slot between two mapped columns (or a mapped column
    and the table's edge), given to the grid columns there that have no heading read and no cell
    of their own in the column-number row, when they are as many as the keys, each holds text in
    the body, and -- where the column-number row reads -- the neighbours are printed that many
    numbers apart (dev_009's 13B: "Số liệu thống kê" read as nothing; dev_081's 10B: "Tổng số
    văn bản đi" and "Số văn bản giấy" worn away).  Nothing printed names them, so they are
    recorded in ``doubtful``: their values are flagged.  Never the STT or label column: what
    they hold is the rows', not values a flag could mark."""
    if not columns:
        return
    keys = [c.key for c in form.columns]
    order = {key: i for i, key in enumerate(keys)}
    numbers = _grid_numbers(matrix, header_rows)
    number_row = next(
        (
            matrix[r]
            for r in range(min(header_rows, len(matrix)))
            if _is_column_number_row(matrix[r], matrix[r - 1] if r else None)
        ),
        [],
    )
    anchors = [(-1, -1), *sorted((j, order[key]) for j, key in columns.items()), (len(paths), len(keys))]
    for (j0, k0), (j1, k1) in itertools.pairwise(anchors):
        grid_gap, form_gap = range(j0 + 1, j1), range(k0 + 1, k1)
        if not grid_gap or len(grid_gap) != len(form_gap):
            continue
        if any(form.columns[k].type in ("index", "label") for k in form_gap):
            continue
        if any(
            paths[j] or not any(j < len(row) and row[j].strip() for row in matrix[header_rows:])
            for j in grid_gap
        ):
            continue  # a heading read (not this case), or an empty column: a spurious rule's
        if any(j < len(number_row) and number_row[j].strip() for j in grid_gap):
            continue  # a column-number cell there, its own or merged over two: not this case
        n0 = numbers[j0] if j0 >= 0 else None
        n1 = numbers[j1] if j1 < len(numbers) else None
        if n0 is not None and n1 is not None and n1 - n0 != len(grid_gap) + 1:
            continue
        for j, k in zip(grid_gap, form_gap, strict=True):
            columns[j] = keys[k]
            doubtful[j] = (
                f"no heading read over this column: it takes {keys[k]}, a column of the form not found, "
                "by its place between its neighbours alone; which column this is, is not sure"
            )


def generic_columns(n: int) -> list[str]:
    """Column keys for a table of no known form: ``["c0", "c1", ..., f"c{n-1}"]``."""
    if n < 0:
        raise ValueError(f"generic_columns: n must be >= 0, got {n}")
    return [f"c{i}" for i in range(n)]
