"""What each body row of a table is: section, item, sub-item, total or commune.

:func:`classify_rows` reads the printed index (STT) and the label of every body row:

- SECTION: roman numerals "I", "II", "III" (and OCR forms "l", "Il", "ll", "1I", "II.");
- ITEM: "1", "2", "3." ;
- SUBITEM: "2.1", "2.2.3" (OCR "2.2.l", "2,1"), bullets "-", "+", "*", "•" and letters "a", "b)";
- TOTAL: labels such as "Tổng số", "Tổng cộng", "Tổng số = (I) + (II)", "Tổng (I) + (II)";
- COMMUNE: with ``commune_rows``, a row whose label names a commune of the report's district; a
  row printed like a commune ("Xã …", "Phường …", "TT. …") that names none keeps its kind but
  gets a ``problem`` (its values are flagged, never silently taken for an item's);
- COLUMN_NUMBERS: the "(1) (2) (3)=(4)+(5)" row.

Each row gets a hierarchical ``path`` ("II/3", "2/2.2/2.2.3", "total") and a ``key`` that is
stable within the table: "commune:<code>" for communes, else the path, else a slug of the label;
repeated keys get a suffix ("#2", "#3", ...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from extract.folding import fold
from extract.model import CommuneMatch, RowInfo, RowKind
from extract.understand.commune_places import communes_by_place
from extract.understand.communes import DistrictCommunes, similarity
from extract.understand.row_sequence import DIGIT_LOOKALIKES, restore_sequence
from extract.understand.section_labels import sections_by_label

# --------------------------------------------------------------------------------------------
# printed indices

_ROMAN_VALUES: Final = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN_OK = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
_ROMAN_LOOKALIKES: Final = str.maketrans(
    {"l": "I", "1": "I", "|": "I", "i": "I", "!": "I", "v": "V", "x": "X"}
)
_ROMAN_WHOLE_REPAIRS: Final = {"H": "II", "IH": "III", "HI": "III", "TI": "II", "IT": "II", "Hl": "III"}
"""Bold serif numerals that OCR glues into letters: "II" read as "H" (seen on every bold II)."""
_BULLETS: Final = frozenset({"-", "+", "*", "•", "–", "—", "−", "·", "o"})
_DOTTED = re.compile(r"[0-9]+(?:\.[0-9]+)+")
_LETTER = re.compile(r"[a-zđ]")
_COLUMN_NUMBER = re.compile(r"\(\s*[0-9]+\s*\)(?:\s*=\s*.*)?")


class RowSettings(BaseModel):
    """Section ``document.rows`` of ``configs/pipeline.yaml``: what the rows of a commune list
    must show before the list is judged as a whole."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # communes matched in a list, in increasing code order, from which the list counts as printed
    # in code order (rows whose label names none may then take a commune by their place)
    place_anchors_min: int = Field(default=4, ge=2)
    # the same for a list with a row for every commune of its district (only its order is then
    # in question, not which communes it lists)
    place_anchors_min_whole: int = Field(default=3, ge=2)
    # a label like none of the names its table may print (communes, sections, fixed items) at
    # least this much (folded rapidfuzz ratio) takes its cell's second reading under a seal that
    # is (extract/understand/label_looks.py)
    label_look_match_min: float = Field(default=80.0, ge=0, le=100)
    # ... else a label that does not read as words (at most this share of its words well-formed,
    # or fewer words than this) takes a second reading that does
    label_look_legible_min: float = Field(default=0.5, ge=0, le=1)
    label_look_words_min: int = Field(default=2, ge=0)
    # commune rows under one parent from which the district's other communes are expected there
    # too (a group with fewer just mentions a commune or two)
    missing_communes_min: int = Field(default=3, ge=1)
    # largest STT a list is checked for gaps up to: a longer number is a misread (a cell of digits
    # read as the STT), named as such, never expanded into thousands of "missing" rows
    stt_max: int = Field(default=999, ge=10)
    # a row whose STT was misread is a section its form prints when its label is at least this
    # like the section's label (folded) and this much more than like any other section's
    # (extract/understand/section_labels.py) ...
    section_label_min: float = Field(default=85.0, ge=0, le=100)
    section_label_margin: float = Field(default=10.0, ge=0, le=100)
    # ... or, right above section II with no section I, when it is the start the sections' labels
    # share: at least this alike as a part of each ("UBND cấp")
    section_prefix_min: float = Field(default=95.0, ge=0, le=100)
    section_prefix_chars: int = Field(default=6, ge=1)  # ... a label this long at least (folded)


DEFAULT_ROW_SETTINGS: Final = RowSettings()

ROMAN_MAX: Final = 30
"""Largest section number read as a roman numeral (forms never have more sections)."""


@dataclass(frozen=True)
class IndexInfo:
    """A printed STT read: its kind ("section", "item", "subitem", "bullet", "letter", "none",
    "other") and its normalised text ("II", "3", "2.2.3", "-", "a", "")."""

    kind: str
    text: str


def _roman(text: str) -> str | None:
    """ "II" for "II", "Il", "ll", "1I", "l"; None when not a roman numeral up to :data:`ROMAN_MAX`.

    A string of digits alone ("1", "11") is a number, not a numeral: at least one character
    must be a letter.
    """
    if not text or text.isdigit() or len(text) > 7:
        return None
    if text in _ROMAN_WHOLE_REPAIRS:
        return _ROMAN_WHOLE_REPAIRS[text]
    if not all(ch in "IVXLivxl1|!" for ch in text):
        return None
    candidate = text.translate(_ROMAN_LOOKALIKES).upper()
    if not _ROMAN_OK.fullmatch(candidate) or not candidate:
        return None
    return candidate if _roman_value(candidate) <= ROMAN_MAX else None


def _roman_under_marks(text: str) -> str | None:
    """The numeral of capitals read with a tone mark ("Ì" for "I": a blot above the letter);
    None for anything else (a word, lower case)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return _roman(bare) if bare != text and set(bare) <= set("IVX") else None


def _marked_numerals(reads: list[IndexInfo]) -> list[IndexInfo]:
    """``reads`` with a numeral read with a tone mark ("Ì", "ÌI") taken for the section it reads
    where the rows below start that section: the next numbered row is its first item ("1", or
    "I" read for it) or the next section ("II" after "Ì").  Anywhere else (an "Ị" between the
    communes 8 and 10 of a fax) it stays no STT: a mark on a digit is no numeral."""
    out = list(reads)
    for p, info in enumerate(reads):
        numeral = _roman_under_marks(info.text) if info.kind == "other" else None
        if numeral is None:
            continue
        after = _around(reads, p)[1]
        following = _ROMAN_ORDER[_ROMAN_ORDER.index(numeral) + 1] if numeral in _ROMAN_ORDER[:-1] else None
        if after in (("item", "1"), ("section", "I"), ("section", following)):
            out[p] = IndexInfo("section", numeral)
    return out


def _roman_value(numeral: str) -> int:
    total = 0
    for i, ch in enumerate(numeral):
        v = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -v if v < nxt else v
    return total


def read_index(raw: str) -> IndexInfo:
    """Normalise a printed STT: strip OCR noise ("II." -> "II", "2.2.l" -> "2.2.1", "1." -> "1")."""
    text = unicodedata.normalize("NFC", raw).strip()
    if text and set(text.replace(" ", "")) <= {"|", "!"} and len(text.replace(" ", "")) <= 3:
        text = text.replace(" ", "")  # a bold "I" / "II" read as bars: kept for the numeral
    else:
        text = text.strip("|[](){}'\"`").strip()
    text = text.replace(" ", "")
    if not text:
        return IndexInfo("none", "")
    if text in _BULLETS:
        return IndexInfo("bullet", "-" if text in "-–—−" else text)
    body = text.rstrip(".,:;)")
    if not body:
        return IndexInfo("other", text)
    if body.isdigit():
        return IndexInfo("item", str(int(body)))
    numeral = _roman(body)
    if numeral is not None:
        return IndexInfo("section", numeral)
    dotted = body.replace(",", ".")
    repaired = dotted.translate(DIGIT_LOOKALIKES)
    if _DOTTED.fullmatch(repaired):
        return IndexInfo("subitem", ".".join(str(int(p)) for p in repaired.split(".")))
    if repaired.isdigit() and any(ch.isdigit() for ch in body):
        return IndexInfo("item", str(int(repaired)))
    if len(body) == 1 and body in "ABCDEFGH":
        return IndexInfo("section", body)  # "A", "B": parts above the roman sections
    if len(body) == 1 and _LETTER.fullmatch(body):
        return IndexInfo("letter", body)
    return IndexInfo("other", text)


# --------------------------------------------------------------------------------------------
# total rows

_TOTAL_WORDS: Final = ("tong so", "tong cong", "tong", "cong")
TOTAL_SCORE: Final = 80.0
"""Least similarity of a label's words (bracketed parts removed) to "tổng số"/"tổng cộng"."""
_TOTAL_BRACKETS = re.compile(r"[(\[][^)\]]{0,6}[)\]]?")
"""A short bracketed part: "(I)", "(II)" and its OCR look-alikes "(H)", "(I1)", "(ID)", "(Il"."""
_TOTAL_NOISE = re.compile(r"\b[ivxl1h]{1,4}\b|\b[0-9]+\b")
"""Roman numerals left without brackets ("I + II", OCR "H" for a bold "II") and digits."""


def is_total_label(label: str) -> bool:
    """Whether ``label`` is a total row's label: "Tổng số", "Tổng cộng", "Tổng số = (I) + (II)",
    "Tổng (I) + (II)", "Cộng", and OCR variants ("Tông sô", "Tổng cộng:", "Tổng (I) + (H)",
    "Tổng số = (I) + (I1)")."""
    key = fold(label)
    if not key:
        return False
    rest = " ".join(_TOTAL_NOISE.sub(" ", fold(_TOTAL_BRACKETS.sub(" ", label))).split())
    # "Tổng số = (I) + (II)" leaves "tong so"; a longer text ("Tổng số hồ sơ") is a content row
    if not rest:
        return False
    return any(similarity(rest, w) >= TOTAL_SCORE for w in _TOTAL_WORDS)


# --------------------------------------------------------------------------------------------
# keys


def slug(text: str, max_words: int = 8) -> str:
    """A short ASCII key of a label: "Lĩnh vực Hộ tịch" -> "linh_vuc_ho_tich"."""
    words = fold(text).split()[:max_words]
    return "_".join(words) or "row"


def _unique(keys: Sequence[str]) -> list[str]:
    """Suffix repeated keys: the second "x" becomes "x#2", the third "x#3"."""
    seen: dict[str, int] = {}
    out = []
    taken = set(keys)
    for k in keys:
        n = seen.get(k, 0) + 1
        seen[k] = n
        if n == 1:
            out.append(k)
            continue
        cand = f"{k}#{n}"
        while cand in taken:
            n += 1
            cand = f"{k}#{n}"
        seen[k] = n
        taken.add(cand)
        out.append(cand)
    return out


# --------------------------------------------------------------------------------------------
# classification


def _repair_sections(reads: list[IndexInfo]) -> list[IndexInfo]:
    """Read "1", "11" as sections I, II when a later section needs them.

    OCR often reads a printed "I" as "1": when section "II" appears with no "I" before it, and
    the first numbered row of the table (after any earlier section) reads "1", that row was the
    section "I".
    """
    out = list(reads)
    seen: set[str] = set()
    start = 0
    for p, info in enumerate(out):
        if info.kind != "section":
            continue
        if info.text in _ROMAN_ORDER and (v := _ROMAN_ORDER.index(info.text)) >= 1:
            wanted = _ROMAN_ORDER[v - 1]
            if wanted not in seen:
                first = next((q for q in range(start, p) if out[q].kind in ("item", "subitem")), None)
                if first is not None and out[first].kind == "item" and out[first].text == "1" * v:
                    out[first] = IndexInfo("section", wanted)
                    seen.add(wanted)
        seen.add(info.text)
        start = p + 1
    return out


_ROMAN_ORDER: Final = ("I", "II", "III")


def _eleven_as_numeral(reads: list[IndexInfo]) -> list[IndexInfo]:
    """``reads`` with the STTs "11" and "II" told apart by the rows around them.

    On worn scans "11" and "II" (and "I" and "II") read as each other: a section "II" read
    between the items "10" and "12" of one list is the item 11 (its digits are the number the
    list wants there); an item "11" that does not come after the item "10" while the next
    numbered row starts a list again ("1") is the section II -- where it is the only such "11"
    and no section "II" is read before it, or the one read before it is the table's first
    section (no "I" read): that one is then the section I ("II" for "I").  Before the sections
    are repaired: an item read as a numeral would otherwise bound a section in mid-list.
    """
    out = list(reads)
    for p, info in enumerate(out):
        if (info.kind, info.text) == ("section", "II") and _around(out, p) == (
            ("item", "10"),
            ("item", "12"),
        ):
            out[p] = IndexInfo("item", "11")
    lone = [
        p
        for p, info in enumerate(out)
        if (info.kind, info.text) == ("item", "11")
        and _around(out, p)[0] != ("item", "10")
        and _around(out, p)[1] == ("item", "1")
    ]
    if len(lone) != 1:
        return out
    sections = [q for q, info in enumerate(out) if info.kind == "section"]
    seconds = [q for q in sections if out[q].text == "II"]
    if not seconds:
        out[lone[0]] = IndexInfo("section", "II")
    elif seconds == sections[:1] and seconds[0] < lone[0] and len(sections) == 1:
        out[seconds[0]] = IndexInfo("section", "I")  # "II" read for the table's first section
        out[lone[0]] = IndexInfo("section", "II")
    return out


def _around(reads: Sequence[IndexInfo], p: int) -> tuple[tuple[str, str], tuple[str, str]]:
    """(kind, text) of the numbered rows (sections, items) just before and just after ``p``."""
    kinds = ("item", "subitem", "section")
    before = next(((r.kind, r.text) for r in reversed(reads[:p]) if r.kind in kinds), ("", ""))
    after = next(((r.kind, r.text) for r in reads[p + 1 :] if r.kind in kinds), ("", ""))
    return before, after


def _numerals_as_digits(reads: Sequence[IndexInfo], labels: Sequence[str]) -> list[IndexInfo]:
    """``reads`` with every numeral made of "I"s that repeats or goes back from the current
    section ("I" after section II) read as the digits it stands for: the item "1" (1 <-> I, "l"),
    or, labelled as a total, no STT (a bar read beside the total's label: "| Tổng số = …").
    Before the sequence of STTs is restored: such a numeral is no section bound ("3", "6.", "l",
    "6", "7" under section II are items 3 to 7 with two STTs misread)."""
    out = list(reads)
    current = ""
    for p, info in enumerate(out):
        if info.kind != "section":
            continue
        if current and _out_of_order(info.text, current):
            out[p] = (
                IndexInfo("none", "")
                if is_total_label(labels[p])
                else IndexInfo("item", "1" * len(info.text))
            )
        else:
            current = info.text
    return out


def _out_of_order(numeral: str, current: str) -> bool:
    """A numeral made of "I"s only ("I", "II") that does not follow the current section (it
    repeats or goes back): the digits "1", "11" read as numerals."""
    if not numeral or set(numeral) != {"I"} or not _ROMAN_OK.fullmatch(current or "-"):
        return False
    return _roman_value(numeral) <= _roman_value(current)


def _match_communes(
    labels: Sequence[str], groups: Sequence[str], candidates: Sequence[bool], communes: DistrictCommunes
) -> list[CommuneMatch | None]:
    """Commune matches for candidate rows, one row per commune within each group of rows
    (rows under the same parent: a commune list printed twice in a table matches twice)."""
    out: list[CommuneMatch | None] = [None] * len(labels)
    by_group: dict[str, list[int]] = {}
    for i, (g, ok) in enumerate(zip(groups, candidates, strict=False)):
        if ok:
            by_group.setdefault(g, []).append(i)
    for rows in by_group.values():
        matches = communes.assign([labels[i] for i in rows])
        for i, m in zip(rows, matches, strict=False):
            out[i] = m
    return out


_COMMUNE_LIKE = re.compile(
    r"^\s*(?:(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?i:xã|phường|thị\s*trấn)\s*\S"
    r"|(?:Xã|Xa|Phường|Phuong|Thị\s*trấn|Thi\s*tran|TT\.?|T\.T\.?)\s+\S|(?:TT|T\.T|P|X)\.\s*\S)"
)
"""A label printed the way communes are: "Xã An Mỹ", "Phường 5", "Thị trấn Kế Sách", "TT. Kế
Sách", "P. 3", "UBND xã ..." (the type word capitalised: "xã hội" inside a sentence is not)."""


def looks_like_commune(label: str) -> bool:
    """Whether ``label`` is printed like a commune's name (see :data:`_COMMUNE_LIKE`)."""
    text = unicodedata.normalize("NFC", label)
    m = _COMMUNE_LIKE.match(text)
    if m is None:
        return False
    rest = text[m.end() - 1 :].strip()
    return bool(rest) and not fold(rest).startswith(("hoi", "cap"))  # "Xã hội hóa", "Xã cấp ..."


@dataclass
class _Cursor:
    """Where the walk down a table's body is: the current section ("II") and the path of the
    last numbered row (the parent of bullets and unnumbered rows)."""

    section: str = ""
    last_numbered: str = ""


@dataclass(frozen=True)
class _Placed:
    """A body row's place in the table before communes are matched."""

    kind: RowKind
    path: str
    parent: str


def _fixed_row(raw_index: str, info: IndexInfo, label: str) -> _Placed | None:
    """The rows whose place does not depend on the hierarchy: the column-number row "(1) (2)
    (3)=(4)+(5)" and a total row ("Tổng số" with no index, or with a bullet)."""
    if _COLUMN_NUMBER.fullmatch(raw_index.strip()) and _COLUMN_NUMBER.fullmatch(label.strip() or "(0)"):
        return _Placed(RowKind.COLUMN_NUMBERS, "column_numbers", "")
    if info.kind in ("none", "other", "bullet") and is_total_label(label):
        return _Placed(RowKind.TOTAL, "total", "")
    return None


def _numbered_row(info: IndexInfo, label: str, cursor: _Cursor) -> _Placed:
    """A row placed by its printed index under the current section / last numbered row
    (``cursor`` moves on past a section or a numbered row)."""
    section = cursor.section
    if info.kind == "section":
        cursor.section = cursor.last_numbered = info.text
        return _Placed(RowKind.SECTION, info.text, "")
    if info.kind == "item":
        path = f"{section}/{info.text}" if section else info.text
        cursor.last_numbered = path
        return _Placed(RowKind.ITEM, path, section)
    if info.kind == "subitem":
        parts = info.text.split(".")
        chain = [".".join(parts[: k + 1]) for k in range(len(parts))]
        path = "/".join(([section] if section else []) + chain)
        cursor.last_numbered = path
        return _Placed(RowKind.SUBITEM, path, path.rsplit("/", 1)[0] if "/" in path else "")
    last = cursor.last_numbered
    if info.kind in ("bullet", "letter"):
        # "-", "+", "a": a sub-row of the last numbered row; its key comes from its label
        return _Placed(RowKind.SUBITEM, f"{last}/{info.text}" if last else info.text, last)
    # no printed index (or an unreadable one): a row under the last numbered row, named by its label
    base = slug(label) if label.strip() else "row"
    return _Placed(RowKind.ITEM, f"{last}/{base}" if last else base, last)


def _place_rows(indices: Sequence[str], reads: list[IndexInfo], labels: Sequence[str]) -> list[_Placed]:
    """Every body row's kind, path and parent, walking down the table.  ``reads`` is updated
    where the walk reads an index otherwise (the column-number row's index is no index)."""
    cursor = _Cursor()
    placed: list[_Placed] = []
    for p, (raw_index, label) in enumerate(zip(indices, labels, strict=False)):
        info = reads[p]
        fixed = _fixed_row(raw_index, info, label)
        if fixed is not None:
            if fixed.kind == RowKind.COLUMN_NUMBERS:
                reads[p] = IndexInfo("other", raw_index.strip())
            elif info.kind == "other" and is_total_label(raw_index):
                # "Tổng số = (I) + (II)" printed over the STT and label columns (one cell, the
                # rule between them lost or never printed): the total has no STT
                reads[p] = IndexInfo("none", "")
            placed.append(fixed)
            continue
        placed.append(_numbered_row(info, label, cursor))
    return placed


def _row_communes(
    placed: Sequence[_Placed],
    labels: Sequence[str],
    communes: DistrictCommunes | None,
    *,
    commune_rows: bool,
) -> list[CommuneMatch | None]:
    """The commune each row names, for the item and sub-item rows of a form that lists communes."""
    if not commune_rows or communes is None:
        return [None] * len(labels)
    candidates = [
        r.kind in (RowKind.ITEM, RowKind.SUBITEM) and bool(lbl.strip())
        for r, lbl in zip(placed, labels, strict=False)
    ]
    return _match_communes(labels, [r.parent for r in placed], candidates, communes)


_WORDS: Final = re.compile(r"[^\W\d_]{4,}")
_A_WORD: Final = re.compile(r"[^\W\d_]{2,}")


def label_in_stt_cell(index: str, label: str) -> bool:
    """Whether a row's label was read into its STT cell: the label cell empty, the STT cell
    holding words (dev_242_hard_200's 4B: "Lĩnhvựcpháttriểncông.nghiệpvàthươngmại…" as the STT
    of a row with no label; the row then named no printed row and its numbers were counted
    lost)."""
    return not label.strip() and stt_holds_words(index)


def stt_before_label(text: str) -> tuple[str, str]:
    """``(STT, label)`` of a cell read across the STT and label columns (their rule lost): its
    first word when that reads as a number or a dotted STT ("3.2 Cấp xã" -> "3.2", "Cấp xã")
    and words follow; else no STT and the whole text ("Tổng số = (I) + (II)", a section's "II"
    alone, a roman numeral that may be a word's letters)."""
    first, _, rest = text.strip().partition(" ")
    if _A_WORD.search(rest) and read_index(first).kind in ("item", "subitem") and first[:1].isdigit():
        return first, rest.strip()
    return "", text.strip()


def stt_holds_words(index: str) -> bool:
    """Whether an STT cell as read holds words (a run of letters), not an STT: a label read
    into it."""
    return read_index(index).kind == "other" and bool(_WORDS.search(index))


def _list_of(placed: _Placed, info: IndexInfo) -> str | None:
    """The list a row stands in, for :func:`communes_by_place`: its parent; for a row whose STT
    was lost or unreadable (placed under the numbered row above it), that row's parent.  None
    for rows that are in no list (sections, totals, bullets and letters)."""
    if placed.kind not in (RowKind.ITEM, RowKind.SUBITEM) or info.kind in ("bullet", "letter"):
        return None
    if info.kind in ("item", "subitem"):
        return placed.parent
    return placed.parent.rsplit("/", 1)[0] if "/" in placed.parent else ""


def _row_key(placed: _Placed, label: str, info: IndexInfo, match: CommuneMatch | None) -> str:
    """A row's key before repeats get their suffix: the commune's code, else its path; bullets
    and letters (which repeat under a parent) are named by their label."""
    if match is not None:
        return f"commune:{match.commune.code}"
    if placed.kind in (RowKind.TOTAL, RowKind.COLUMN_NUMBERS):
        return placed.path
    if info.kind in ("bullet", "letter"):
        base = slug(label) if label.strip() else info.text
        return f"{placed.parent}/{base}" if placed.parent else base
    return placed.path


_COMMUNE_WORD = re.compile(r"(?:^|[\s|0-9])(?:Xã|XÃ|Phường|PHƯỜNG|Thị\s*trấn|TT\.)\s*(?!hội|cấp)[^\W\d_]")
"""Where a commune's name starts inside a label: the type word capitalised ("Xã", "Phường",
"Thị trấn", "TT."), after a space, a bar or a digit (an STT glued to it), not "xã hội"."""


def merged_communes(label: str) -> bool:
    """Whether ``label`` names two or more communes ("Xã Thới Hưng Xã Đông Hiệp", "2 Xã Trung
    Thạnh 3 Xã Thạnh Phú": rows read as one where a ruling line was lost)."""
    return len(_COMMUNE_WORD.findall(unicodedata.normalize("NFC", label))) >= 2


def _commune_problem(
    kind: RowKind,
    label: str,
    match: CommuneMatch | None,
    communes: DistrictCommunes | None,
    *,
    commune_rows: bool,
) -> str | None:
    """Why a row printed like a commune cannot be trusted: it names two communes (rows merged,
    whichever one it matched), or no commune of the district (or the district is unknown).  None
    for every other row."""
    if commune_rows and kind in (RowKind.ITEM, RowKind.SUBITEM) and merged_communes(label):
        return "names two communes: rows merged where a ruling line was lost"
    if not commune_rows or match is not None or kind not in (RowKind.ITEM, RowKind.SUBITEM):
        return None
    if not looks_like_commune(label):
        return None
    if communes is None:
        return "labelled like a commune but the report's district is unknown"
    return f"labelled like a commune but matches no commune of {communes.district.name}"


def classify_rows(
    indices: Sequence[str],
    labels: Sequence[str],
    communes: DistrictCommunes | None,
    *,
    commune_rows: bool,
    settings: RowSettings = DEFAULT_ROW_SETTINGS,
    sections: Sequence[tuple[str, str]] = (),
) -> list[RowInfo]:
    """Classify the body rows of one table (``indices`` and ``labels`` are parallel, per row).

    Returns one :class:`RowInfo` per row.  ``commune_rows`` says that the form's body lists the
    district's communes; only then are labels matched against ``communes``.  ``sections``: the
    form's sections (numeral, label), which name a section row whose STT was misread
    (:mod:`.section_labels`).
    """
    if len(indices) != len(labels):
        raise ValueError(f"indices ({len(indices)}) and labels ({len(labels)}) differ in length")
    moved = {p for p, (i, lbl) in enumerate(zip(indices, labels, strict=True)) if label_in_stt_cell(i, lbl)}
    if moved:
        labels = [" ".join(indices[p].split()) if p in moved else lbl for p, lbl in enumerate(labels)]
        indices = ["" if p in moved else i for p, i in enumerate(indices)]
    as_read = _marked_numerals([read_index(i) for i in indices])
    told = _eleven_as_numeral(as_read)
    retold = {p for p, (a, b) in enumerate(zip(as_read, told, strict=True)) if a != b}  # "II" <-> "11"
    reads = _numerals_as_digits(_repair_sections(told), labels)
    by_label = sections_by_label(
        [(r.kind, r.text) for r in reads],
        labels,
        sections,
        label_min=settings.section_label_min,
        margin=settings.section_label_margin,
        prefix_min=settings.section_prefix_min,
        prefix_chars=settings.section_prefix_chars,
        excluded=[looks_like_commune(lbl) or is_total_label(lbl) for lbl in labels],
    )
    for p, numeral in by_label.items():
        reads[p] = IndexInfo("section", numeral)
    retold |= set(by_label)
    restored = {
        r.position: r for r in restore_sequence(indices, reads, [is_total_label(lbl) for lbl in labels])
    }
    for p, r in restored.items():
        reads[p] = IndexInfo("subitem" if "." in r.text else "item" if r.text else "none", r.text)
    placed = _place_rows(indices, reads, labels)
    matches = _row_communes(placed, labels, communes, commune_rows=commune_rows)
    problems = [
        _commune_problem(r.kind, label, m, communes, commune_rows=commune_rows)
        for r, label, m in zip(placed, labels, matches, strict=False)
    ]
    named: dict[int, str] = {}  # rows named by their place: the commune's name, not the garble read
    if commune_rows and communes is not None:
        listed = [_list_of(r, info) for r, info in zip(placed, reads, strict=False)]
        merged = [merged_communes(lbl) for lbl in labels]
        numbered = [info.kind in ("item", "subitem") for info in reads]
        for p, (match, why) in communes_by_place(
            listed,
            labels,
            matches,
            communes,
            merged=merged,
            anchors_min=settings.place_anchors_min,
            numbered=numbered,
            whole_anchors_min=settings.place_anchors_min_whole,
            ordinals=[_ordinal(info.text) if info.kind in ("item", "subitem") else None for info in as_read],
        ).items():
            matches[p], problems[p], named[p] = match, why, match.commune.name
    for p, r in restored.items():
        if not r.sure and matches[p] is None and problems[p] is None:
            problems[p] = f"STT read {indices[p].strip()!r}: {r.text!r} given by the rows around it"
    for p in moved:
        if problems[p] is None:
            problems[p] = (
                f"its label was read in the STT cell ({labels[p][:40]!r}): the columns were read shifted"
            )
    keys = _unique(
        [_row_key(r, lbl, info, m) for r, lbl, info, m in zip(placed, labels, reads, matches, strict=False)]
    )
    return [
        RowInfo(
            kind=RowKind.COMMUNE if m is not None else r.kind,
            index=info.text,
            path=r.path,
            label=named.get(p, label),
            key=key,
            commune=m,
            problem=problem,
            printed_index=indices[p].strip() if p in restored or p in retold else None,
        )
        for p, (r, info, label, key, m, problem) in enumerate(
            zip(placed, reads, labels, keys, matches, problems, strict=False)
        )
    ]


# --------------------------------------------------------------------------------------------
# completeness

MAX_NAMED: Final = 8
"""Names listed in one finding (the rest are counted)."""


def _ordinal(index: str) -> int | None:
    """The position a printed STT claims among its siblings: "3" -> 3, "2.2.3" -> 3, "II" -> 2."""
    last = index.rsplit(".", 1)[-1]
    if last.isdigit():
        return int(last)
    if last and all(ch in "IVX" for ch in last) and _ROMAN_OK.fullmatch(last):
        return _roman_value(last)
    return None


def _names(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_NAMED])
    return shown + (f" and {len(items) - MAX_NAMED} more" if len(items) > MAX_NAMED else "")


def _absent_communes(
    members: Sequence[RowInfo], communes: DistrictCommunes | None, settings: RowSettings
) -> list[str]:
    """Communes of the district not among ``members`` when they list at least
    ``settings.missing_communes_min`` of them (fewer: the group just mentions a commune or two)."""
    matched = {r.commune.commune.code for r in members if r.commune is not None}
    if communes is None or len(matched) < settings.missing_communes_min:
        return []
    return [c.name for c in communes.communes if c.code not in matched]


def missing_rows(
    rows: Sequence[RowInfo], communes: DistrictCommunes | None, settings: RowSettings = DEFAULT_ROW_SETTINGS
) -> dict[str, str]:
    """Parent path -> why the rows under it do not account for everything printed there.

    Under each parent (siblings by path): gaps in the printed numbering ("STT 3, 4 missing"),
    communes of the district not listed when the parent lists the district's communes (with
    ``communes``), and commune-like rows that matched no commune.  Empty when every group is
    whole: only then may a failing sum be blamed on the printed report.
    """
    out: dict[str, str] = {}
    for parent, positions in _sibling_groups(rows).items():
        members = [rows[i] for i in positions]
        reasons = []
        for kinds in ((RowKind.SECTION,), (RowKind.ITEM, RowKind.SUBITEM, RowKind.COMMUNE)):
            read = {n for r in members if r.kind in kinds and (n := _ordinal(r.index)) is not None}
            numbers = {n for n in read if n <= settings.stt_max}
            if read - numbers:
                reasons.append(f"STT {_names([str(n) for n in sorted(read - numbers)])} not a row number")
            if numbers:
                gaps = sorted(set(range(1, max(numbers) + 1)) - numbers)
                if gaps:
                    printed = [_to_roman(g) if kinds == (RowKind.SECTION,) else str(g) for g in gaps]
                    reasons.append(f"STT {_names(printed)} not found")
        absent = _absent_communes(members, communes, settings)
        if communes is not None and absent:
            listed = len(communes.communes) - len(absent)
            reasons.append(
                f"{listed} of the {len(communes.communes)} communes of {communes.district.name} "
                f"listed; not found: {_names(absent)}"
            )
        unresolved = [repr(r.label) for r in members if r.problem and r.commune is None]
        if unresolved:
            reasons.append(f"commune-like rows not resolved: {_names(unresolved)}")
        by_place = [repr(r.label) for r in members if r.problem and r.commune is not None]
        if by_place:
            reasons.append(f"rows named only by their place in the list: {_names(by_place)}")
        if reasons:
            out[parent] = "; ".join(reasons)
    return out


def _run_together(index: str, previous: int | None) -> bool:
    """Whether a printed STT is the next two or more STTs run together ("910" after 8, "67" after
    5): rows merged where a ruling line was lost."""
    if previous is None or not index.isdigit() or len(index) < 2:
        return False
    expected, n = "", previous
    while len(expected) < len(index):
        n += 1
        expected += str(n)
    return expected == index and n > previous + 1


def _sibling_groups(rows: Sequence[RowInfo]) -> dict[str, list[int]]:
    """Row positions by parent path (body rows only)."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.kind not in (RowKind.TOTAL, RowKind.COLUMN_NUMBERS, RowKind.HEADER):
            groups.setdefault(row.path.rsplit("/", 1)[0] if "/" in row.path else "", []).append(i)
    return groups


_BARE_INDEX = re.compile(r"[0-9IVXl|]{1,4}[.)]?(?:\s+[0-9IVXl|]{1,4}[.)]?)?")
"""A label that is only an STT ("3", "II", "I H" is not, "12."): the STT column read as the label's."""


def _doubt(row: RowInfo, previous: int | None, communes_missing: bool) -> str | None:
    """Why ``row`` cannot be trusted as one printed row (see :func:`mark_doubtful_rows`)."""
    if row.problem or row.kind not in (RowKind.ITEM, RowKind.SUBITEM, RowKind.COMMUNE):
        return None
    if _run_together(row.index, previous):
        return f"STT {row.index!r} after {previous} reads as two STTs run together: rows merged"
    label = row.label.strip()
    if row.index and not label:
        return f"STT {row.index!r} with no label: the label was lost or read into another row"
    if not row.index and not label:
        return "no STT and no label: a piece of another row, or a row whose STT and label were lost"
    if not row.index and label[:1].islower():
        return f"the label starts mid-sentence ({label[:20]!r}): a piece of the row above, cut off"
    if not row.index and _BARE_INDEX.fullmatch(label):
        return f"the label reads as an STT ({label!r}): columns shifted in reading"
    if communes_missing and row.commune is None:
        return (
            "names no commune in a list of communes where some are not found: rows merged, shifted or misread"
        )
    return None


def _under(path: str, parents: set[str]) -> bool:
    """Whether ``path`` lies under one of ``parents`` (a child, or a child's unnumbered row)."""
    return any(path.startswith(f"{p}/") for p in parents if p) or ("" in parents and "/" not in path)


def mark_doubtful_rows(
    rows: Sequence[RowInfo], communes: DistrictCommunes | None, settings: RowSettings = DEFAULT_ROW_SETTINGS
) -> list[RowInfo]:
    """``rows`` with a ``problem`` (its values get flagged) on every row that may not be one
    printed row as read:

    - its STT is the next STTs run together ("910" after 8: two rows read as one);
    - it names no commune, among the communes of a parent where communes of the district
      (``communes``) are not found -- the lost communes' values are likelier in it than an item's;
    - it has an STT and no label, neither, a label that is only an STT ("3": the columns
      shifted) or, without an STT, a label starting in lower case (a wrapped label's tail);
    - every row of the table has neither STT nor label (the label column was not read): no row
      can be told from another.
    """
    out = list(rows)
    body = [i for i, r in enumerate(rows) if r.kind not in (RowKind.TOTAL, RowKind.COLUMN_NUMBERS)]
    if len(body) >= UNNAMED_ROWS_MIN and not any(rows[i].index or rows[i].label.strip() for i in body):
        unnamed = "no STT or label was read in any row of the table: its rows cannot be told apart"
        return [replace(r, problem=r.problem or unnamed) if i in body else r for i, r in enumerate(rows)]
    groups = _sibling_groups(rows)
    lacking = {
        p for p, members in groups.items() if _absent_communes([rows[i] for i in members], communes, settings)
    }
    for members in groups.values():
        previous: int | None = None
        for i in members:
            # an unnumbered row hangs under the row above it: it counts where that row's list lacks communes
            why = _doubt(rows[i], previous, _under(rows[i].path, lacking))
            if why is not None:
                out[i] = replace(rows[i], problem=why)
            n = _ordinal(rows[i].index)
            if n is not None and rows[i].kind != RowKind.SECTION:
                previous = n
    return out


UNNAMED_ROWS_MIN: Final = 2
"""Body rows from which a table whose rows all lack STT and label is doubted."""


def _to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out
