"""Cell text -> :class:`~extract.model.ParsedValue`, by the column's declared type.

Vietnamese conventions: "." groups thousands ("5.697" -> 5697), "," is the decimal mark
("99,7%" -> 99.7 %).  A reading that could mean two different numbers is flagged
``ambiguous`` and carries no number: it is never guessed.  Examples:

- "1.5", "1.50", "1,5" in a count column: the dot does not group exactly three digits and a
  count has no decimals -> ambiguous.  "1,182" in a count column (a comma before each group of
  three digits) is the thousands dot read as a comma: 1182 as a guess (see :data:`GUESS`: the
  value stays unsure unless a rule of the form bears it out), never a sure number.
- "5.69?" -> unreadable characters -> ``problem`` set, number ``None``.
- "19 (13 phòng chuyên môn, 06 đơn vị sự nghiệp)" -> 19 with the note kept apart.
- "1O2" -> 102, repaired because the letter sits between digits; the repair is recorded in
  ``problem`` while ``number`` holds the value (``raw`` always keeps the text as read).

Everything here is pure and total: :func:`parse_value` never raises on any text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Final

from extract.config import ColumnType
from extract.folding import strip_marks
from extract.model import ParsedValue

TEXT_TYPES: Final = frozenset({"index", "label", "text", "note"})
"""Column types whose cells are kept as text."""

NULL_TOKENS: Final = frozenset({"", "/", "-", "–", "—", "−", "_", "..", "...", "…"})
"""Cell contents that mean "no value" in a numeric or boolean column."""

_TRUE_WORDS: Final = frozenset({"co", "c6", "c0"})
_FALSE_WORDS: Final = frozenset({"khong", "kh6ng", "kh0ng", "khg", "ko"})

_DIGITS: Final = frozenset("0123456789")
_SIGNS: Final = {"+": 1, "-": -1, "−": -1, "–": -1, "—": -1}
_EDGE_JUNK: Final = "|[]{}'\"`´‘’“”*"
"""Characters that ruling lines and quotes leave at a cell's edges; dropped before parsing."""

# Letters OCR reads in place of digits; repaired only between digits (or a digit and a
# separator next to a digit), where no other reading makes sense.
# ("|" is not among them: between digits it is as likely a ruling line splitting two numbers.)
_DIGIT_LOOKALIKES: Final = {"O": "0", "o": "0", "l": "1", "I": "1"}

_LEADING_ONE: Final = frozenset("lLI")
"""Letters a serif "1" is read as at the start of a number ("L5", "L50", "l6" for 15, 150, 16 on
worn scans).  At a cell's edge the same marks can be a ruling line's remnant ("|2" is 2), so the
repair is a guess: :func:`is_guess` tells the assembler to keep it unsure."""
GUESS: Final = "OCR guess"
"""Start of ``ParsedValue.problem`` for a number that rests on a guessed digit."""
GUESS_TYPES: Final = frozenset({"count", "signed", "decimal", "mixed"})
"""Column types where a leading look-alike letter is guessed to be a "1" (never text-like ones).
A mixed column (3B's "Số liệu": numbers, Có/Không, a plan's number) holds no word that is one
such letter then digits, so "L12" there is the number 112 read worn, not a note: kept as text it
stood `read` with no number (a dev hard 200-dpi 3B cell printed 112).  A remark column is read as a
mixed one first, so its bare number ("L18" for 118 in 9B's Ghi chú) is guessed the same way."""

_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")  # 5.697, 97.851, 1.234.567
_PLAIN = re.compile(r"[0-9]+")
_VN_DECIMAL = re.compile(r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),[0-9]+")  # 2,5 ; 1.234,56
_DOT_OTHER = re.compile(r"[0-9]+(?:\.[0-9]+)+")  # 1.5, 1.50, 1.5000, 1.2.3: not a valid grouping
_SPACE_GROUPED = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+")  # 5 697: grouping or two numbers glued
_RATIO = re.compile(r"(?P<num>[^/]+?)\s*/\s*(?P<den>[^/]+)")
_LEADING_NUMBER = re.compile(r"(?P<num>[+\-−–]?\s?[0-9][0-9.,]*%?)(?:\s+|(?=\())(?P<rest>\S.*)")


def _clean(text: str) -> str:
    """NFC, one space between words, ruling-line debris and trailing punctuation dropped."""
    s = unicodedata.normalize("NFC", text)
    s = " ".join(s.split())
    s = s.strip(_EDGE_JUNK + " ")
    if len(s) > 1:
        s = s.rstrip(";:")
        if len(s) > 1 and s.endswith(".") and not s.endswith(".."):
            s = s[:-1]
    return s.strip()


def _parse_bool(s: str) -> bool | None:
    """True for "Có" and its OCR forms, False for "Không" and its forms, else None."""
    word = strip_marks(s.lower()).strip(" .,:;!")
    word = word.replace(" ", "")
    if word in _TRUE_WORDS or s.strip() in ("Có", "CÓ"):
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def _repair_digits(s: str) -> tuple[str, list[str]]:
    """Replace digit look-alike letters that sit between digits; return the text and the repairs."""
    chars = list(s)
    repairs: list[str] = []

    def digitish(i: int) -> bool:
        if not 0 <= i < len(chars):
            return False
        c = chars[i]
        if c in _DIGITS:
            return True
        # a separator counts only when a digit is on its far side
        if c in ".,":
            return (i - 1 >= 0 and chars[i - 1] in _DIGITS) or (
                i + 1 < len(chars) and chars[i + 1] in _DIGITS
            )
        return False

    for i, c in enumerate(chars):
        beside_digit = i > 0 and chars[i - 1] in _DIGITS or i + 1 < len(chars) and chars[i + 1] in _DIGITS
        if c in _DIGIT_LOOKALIKES and digitish(i - 1) and digitish(i + 1) and beside_digit:
            repairs.append(f"{c!r}->{_DIGIT_LOOKALIKES[c]!r}")
            chars[i] = _DIGIT_LOOKALIKES[c]
    return "".join(chars), repairs


def _guess_leading_one(s: str) -> str | None:
    """ "15" for "L5", "150" for "L50", "1.250" for "L.250" is refused (the letter must be followed
    by a digit: "l250" gives "1250"); None when ``s`` is not a look-alike letter then digits."""
    if len(s) < 2 or s[0] not in _LEADING_ONE:
        return None
    rest = s[1:]
    if _PLAIN.fullmatch(rest) or (_GROUPED.fullmatch("1" + rest) and rest[0] in _DIGITS):
        return "1" + rest
    return None


_LONE_LOOKALIKES: Final = {"l": "1", "I": "1", "H": "11"}
"""What tesseract's text model reads a worn lone "1" or "11" as, when the number models read
nothing: a serif "1" without its flag is "l" or "I", two of them whose serifs touch "H".  In a
count column of the dev hard scans, cells read so held 1 (8 of 9 "l") and 11 (11 of 12 "H"); a
lone "|" is no such letter (34 of 45 were a rule's remnant in an empty cell)."""


_AFTER_SIGN_LOOKALIKES: Final = {"]": "1"}
"""What a worn lone "1" is read as right after a printed sign: "+]" for "+1" (6B's change columns
on the dev hard and fax scans: 5 of 5).  Without a sign a "]" may be a rule's remnant, as "|"."""

_PLUS_LOOKALIKES: Final = frozenset("t")
"""What a printed "+" before digits is read as in a signed column: "t2" for "+2" (6B's change
columns on a dev hard 200-dpi document: 5 of 5, read at 95-96)."""


def _guess_lone_letter(s: str) -> str | None:
    """ "1" for "l" or "I", "11" for "H", a leading minus kept ("-l" is -1); None otherwise."""
    sign = s[0] if s[:1] in _SIGNS and len(s) > 1 else ""
    return None if (digits := _LONE_LOOKALIKES.get(s[len(sign) :].strip())) is None else sign + digits


def _guess_after_sign(raw: str) -> str | None:
    """ "+1" for "+]" (the reading as read: cleaning drops a trailing "]" as a rule's debris);
    None otherwise."""
    t = "".join(unicodedata.normalize("NFC", raw).split())
    return (
        t[0] + _AFTER_SIGN_LOOKALIKES[t[1:]] if t[:1] in _SIGNS and t[1:] in _AFTER_SIGN_LOOKALIKES else None
    )


_SPLIT_ONE = re.compile(r"1 ([0-9][0-9.]*)")
"""A serif "1" whose right side bearing was read as a space, then the rest of the number: "1
1.704" for 11.704 (dev hard and fax 5B cells "1 1.704", "1 1.665", "1 1.573", "1 1.522": each the
joined number)."""
_SPLIT_ONE_TYPES: Final = frozenset({"count", "signed"})
"""Where such a reading is joined: single-number columns (a mixed or remark column's "1 37" stays
text, flagged there as digits without a word: ``_digits_without_words``)."""


def _guess_split_one(s: str) -> str | None:
    """ "11.704" for "1 1.704", "114" for "1 14"; None otherwise (the caller checks that the
    joined text is a well-formed number)."""
    m = _SPLIT_ONE.fullmatch(s)
    return "1" + m.group(1) if m else None


_COMMA_GROUPED = re.compile(r"([+\-−–]?)([0-9]{1,3}(?:,[0-9]{3})+)")
"""A number whose thousands dots were read as commas: "1,182", "17,350" (the dev fax and hard
scans' count cells, 9 of 9 printed 1.182, 17.350, …: the 1-bit dot grows a tail)."""
_COMMA_GROUPED_TYPES: Final = frozenset({"count", "signed"})
"""Where such a reading is taken as grouped thousands: columns with no decimals (in a decimal,
percent or mixed column "2,500" may be the decimal 2.5)."""
_TRAILING_SEPARATOR = re.compile(r"([+\-−–]?[0-9][0-9.]*) ?[.,\-–—]")
"""A number with a separator or a dash after its last digit: "104,", "130,", "12,", "30-", "53-"
(a speck or a rule's corner read as a comma, a dash: on the dev hard and fax scans 3 of 8 cells
read with a comma and 5 of 5 with a dash after the digits were the digits as read, the others a
number misread anyway and flagged as before)."""
_TRAILING_SEPARATOR_TYPES: Final = frozenset({"count", "signed", "mixed"})


def _guess_separator(s: str, column_type: str) -> tuple[str, str] | None:
    """(the number's text, why) for a count read with its separators misread: "1.182" for
    "1,182" (in columns with no decimals), "104" for "104,"; None otherwise (the caller checks
    that the text is a well-formed number)."""
    if column_type in _COMMA_GROUPED_TYPES and (m := _COMMA_GROUPED.fullmatch(s)):
        return m.group(1) + m.group(2).replace(",", "."), "',' read for the dot grouping thousands"
    if column_type in _TRAILING_SEPARATOR_TYPES and (m := _TRAILING_SEPARATOR.fullmatch(s)):
        return m.group(1), "a speck after the digits read as a separator or a dash"
    return None


def _guess_plus(s: str) -> str | None:
    """ "+2" for "t2" (a signed column's plus read as a letter); None otherwise."""
    return "+" + s[1:] if len(s) > 1 and s[0] in _PLUS_LOOKALIKES and _PLAIN.fullmatch(s[1:]) else None


def is_guess(parsed: ParsedValue) -> bool:
    """Whether ``parsed`` holds a number that rests on a guessed digit (see :data:`GUESS`)."""
    return parsed.number is not None and (parsed.problem or "").startswith(GUESS)


def value_confidence(parsed: ParsedValue, ocr_confidence: float, guessed_confidence: float) -> float:
    """The confidence a value carries: the OCR's, at most ``guessed_confidence`` (setting
    ``ocr.guessed_digit_confidence``, below the READ bar) when its number rests on a guessed digit:
    "L5" read as 15 is flagged unless a rule bears it out, as a minus sign the OCR did not read."""
    return min(ocr_confidence, guessed_confidence) if is_guess(parsed) else ocr_confidence


class _Num:
    """The outcome of reading one unsigned numeral."""

    __slots__ = ("ambiguous", "decimal", "problem", "value")

    def __init__(
        self,
        value: float | None,
        *,
        ambiguous: bool = False,
        problem: str | None = None,
        decimal: bool = False,
    ) -> None:
        self.value = value
        self.ambiguous = ambiguous
        self.problem = problem
        self.decimal = decimal


def _read_unsigned(s: str, column_type: str) -> _Num:
    """Read an unsigned numeral under the Vietnamese conventions for ``column_type``."""
    allows_decimal = column_type in ("decimal", "percent")
    if _PLAIN.fullmatch(s):
        return _Num(float(int(s)))
    if _GROUPED.fullmatch(s):
        return _Num(float(int(s.replace(".", ""))))
    if _VN_DECIMAL.fullmatch(s):
        whole, frac = s.split(",")
        value = float(f"{whole.replace('.', '')}.{frac}")
        if allows_decimal:
            return _Num(value, decimal=True)
        return _Num(None, ambiguous=True, problem=f"{s!r}: decimal comma in a {column_type} column")
    if _DOT_OTHER.fullmatch(s):
        # "1.5": not a thousands group (those have exactly three digits).  In a decimal or
        # percent column with a single dot this can only be an English decimal point.
        if allows_decimal and s.count(".") == 1:
            return _Num(float(s), decimal=True, problem=f"{s!r}: read '.' as a decimal point")
        return _Num(None, ambiguous=True, problem=f"{s!r}: '.' does not group three digits")
    if _SPACE_GROUPED.fullmatch(s):
        return _Num(None, ambiguous=True, problem=f"{s!r}: a thousands group or two numbers")
    return _Num(None, problem=f"{s!r}: not a number")


def _read_signed(s: str, column_type: str) -> tuple[_Num, int | None]:
    """Read an optionally signed numeral; also return the printed sign (+1/-1) or None."""
    sign: int | None = None
    body = s
    if body[:1] in _SIGNS and len(body) > 1:
        sign = _SIGNS[body[0]]
        body = body[1:].lstrip()
    num = _read_unsigned(body, column_type)
    if num.value is not None and sign == -1:
        num.value = -num.value if num.value != 0 else 0.0
    return num, sign


def _number_value(s: str, raw: str, column_type: str) -> ParsedValue:
    """Parse ``s`` (cleaned, no note) as a number, percent or ratio for a numeric column."""
    if "%" in s:
        body = s.replace("%", "").strip()
        num, sign = _read_signed(body, "percent")
        problem = num.problem
        if num.value is not None and column_type not in ("percent", "mixed", "decimal"):
            problem = f"percent in a {column_type} column"
        return ParsedValue(
            raw=raw,
            kind="percent" if num.value is not None or num.ambiguous else "text",
            number=num.value,
            unit="%",
            ambiguous=num.ambiguous,
            problem=problem,
            text=None if num.value is not None or num.ambiguous else s,
        )
    m = _RATIO.fullmatch(s)
    if m:
        a, _ = _read_signed(m.group("num").strip(), "count")
        b, _ = _read_signed(m.group("den").strip(), "count")
        if a.value is not None and b.value is not None:
            problem = (
                None
                if column_type in ("ratio", "mixed", "text", "note")
                else f"ratio in a {column_type} column"
            )
            return ParsedValue(raw=raw, kind="ratio", ratio=(a.value, b.value), problem=problem)
        ambiguous = a.ambiguous or b.ambiguous
        return ParsedValue(
            raw=raw,
            kind="ratio" if ambiguous else "text",
            text=None if ambiguous else s,
            ambiguous=ambiguous,
            problem=a.problem or b.problem,
        )
    num, sign = _read_signed(s, column_type)
    problem = num.problem
    if num.value is None:
        return ParsedValue(
            raw=raw,
            kind="text" if not num.ambiguous else "number",
            text=None if num.ambiguous else s,
            ambiguous=num.ambiguous,
            problem=problem,
        )
    value = num.value
    if column_type == "count" and sign is not None:
        # a count is never negative: the "minus" is a speck or a rule's remnant before the digits
        # (dev hard and fax scans: "-63", "-4.364", "-17.423" where 63, 4364, 17423 are printed,
        # 7 of 7 in count columns; before, they were the negative number, flagged).  The number is
        # kept without it, as a guess (unsure: flagged unless a rule of the form bears it out)
        problem = problem or f"{GUESS}: sign in a count column: {s!r} (a speck before the digits?)"
        value = abs(value)
    kind = "percent" if column_type == "percent" else "number"
    unit = "%" if column_type == "percent" else None
    return ParsedValue(raw=raw, kind=kind, number=value, unit=unit, problem=problem)


def _split_note(s: str) -> tuple[str, str | None]:
    """Split "19 (13 phòng …)" into ("19", "13 phòng …"); text without a leading number is kept."""
    m = _LEADING_NUMBER.fullmatch(s)
    if not m:
        return s, None
    rest = m.group("rest").strip()
    # a note starts with a letter or an opening bracket; "5.69?" or "12 34" are not notes
    if not (rest[0].isalpha() or rest[0] in "(["):
        return s, None
    if rest[0] in "([" and rest[-1:] in ")]":
        rest = rest[1:-1].strip()
    return m.group("num").replace(" ", ""), rest or None


def _bool_value(s: str, raw: str, column_type: str) -> ParsedValue | None:
    """A bool reading of ``s`` (with an optional note after the word), or None."""
    b = _parse_bool(s)
    note = None
    if b is None:
        head, _, tail = s.partition(" ")
        if tail and (b := _parse_bool(head)) is not None:
            note = tail.strip().strip("()[]").strip() or None
    if b is None:
        return None
    problem = None if column_type in ("bool", "mixed") else f"Có/Không in a {column_type} column"
    return ParsedValue(raw=raw, kind="bool", boolean=b, note=note, problem=problem)


_WORD = re.compile(r"[^\W\d_]{2,}")
"""Two letters in a row: a word ("Có", "Kế hoạch số 12/KH-UBND"), where a mixed cell may be text."""


def _digits_without_words(s: str) -> str | None:
    """Why a mixed cell's text that is no number is no text either, or None: digits with no
    word beside them are a misread number ("1 37" for 137: a serif "1"'s side bearing read as a
    space; "H2" for 112: two worn "1"s read as one letter).  On a dev hard 200-dpi 3B page both
    stood `read` as the text of "Số liệu thống kê"."""
    if any(ch in _DIGITS for ch in s) and not _WORD.search(s):
        return f"{s!r}: digits and no word, in a column of numbers and text: a number misread?"
    return None


def _remark_value(parsed: ParsedValue, s: str) -> ParsedValue:
    """A remark column's value: the number when the cell is one number and nothing else (a
    percent, a guessed or ambiguous number included), else the whole cell as text: a ratio
    ("14/14" of so many units), Có/Không, a number with words after it are the remark as printed."""
    if parsed.kind in ("number", "percent", "null") and parsed.note is None:
        return parsed
    return ParsedValue(raw=parsed.raw, kind="text", text=s)


def parse_value(text: str, column_type: ColumnType | str) -> ParsedValue:
    """Turn one cell's text into a :class:`ParsedValue` for a column of type ``column_type``.

    ``column_type`` is one of :data:`extract.config.ColumnType`.  Text-like columns (index,
    label, text, note) give kind ``"text"`` (``"null"`` when blank).  Numeric and boolean
    columns give ``"number"``, ``"percent"`` (unit "%"), ``"ratio"``, ``"bool"`` or
    ``"null"`` for blanks and dashes; text that is not a value of the column's type comes back
    as kind ``"text"`` with ``problem`` set.  A ``"remark"`` column (9B's Ghi chú) gives a number
    when the cell is one bare number and its text otherwise.  Never raises.
    """
    raw = text if isinstance(text, str) else str(text)
    s = _clean(raw)
    if column_type == "remark":
        return _remark_value(parse_value(raw, "mixed"), s)
    if column_type in TEXT_TYPES:
        return ParsedValue(raw=raw, kind="text", text=s) if s else ParsedValue(raw=raw, kind="null")
    if s in NULL_TOKENS:
        return ParsedValue(raw=raw, kind="null")

    as_bool = _bool_value(s, raw, column_type)
    if as_bool is not None and (column_type in ("bool", "mixed") or not any(ch in _DIGITS for ch in s)):
        return as_bool
    if column_type == "bool":
        return ParsedValue(raw=raw, kind="text", text=s, problem=f"{s!r}: not Có/Không")

    head, note = _split_note(s)
    repaired, repairs = _repair_digits(head)
    value = _number_value(repaired, raw, column_type)
    guessable = value.kind == "text" and not repairs and column_type in GUESS_TYPES
    guessed = _guess_leading_one(repaired) if guessable else None
    if guessed is not None:
        again = _number_value(guessed, raw, column_type)
        if again.number is not None and again.problem is None:
            why = f"{GUESS}: {repaired[0]!r} at the start read as '1' (or a ruling line's remnant)"
            return replace(again, note=note if note is not None else again.note, problem=why)
    lone = _guess_lone_letter(repaired) if guessable and note is None else None
    if lone is not None:
        why = f"{GUESS}: {repaired!r} read as {lone!r} (a worn serif '1' read as a letter)"
        return replace(_number_value(lone, raw, column_type), problem=why)
    lone = _guess_after_sign(raw) if guessable and note is None else None
    if lone is not None:
        why = f"{GUESS}: {raw.strip()!r} read as {lone!r} (a worn '1' after a sign read as a bracket)"
        return replace(_number_value(lone, raw, column_type), problem=why)
    split = guessable and column_type in _SPLIT_ONE_TYPES and note is None
    joined = _guess_split_one(repaired) if split else None
    if joined is not None:
        again = _number_value(joined, raw, column_type)
        if again.number is not None and again.problem is None:
            why = f"{GUESS}: {repaired!r} read as {joined!r} (a serif '1' read with a space after it)"
            return replace(again, problem=why)
    plus = _guess_plus(repaired) if guessable and column_type == "signed" and note is None else None
    if plus is not None:
        why = f"{GUESS}: {repaired!r} read as {plus!r} (a plus sign read as a letter)"
        return replace(_number_value(plus, raw, column_type), problem=why)
    separated = _guess_separator(repaired, column_type) if not repairs and note is None else None
    if separated is not None:
        again = _number_value(separated[0], raw, column_type)
        if again.number is not None and not again.ambiguous:
            why = f"{GUESS}: {repaired!r} read as {separated[0]!r} ({separated[1]})"
            return replace(again, problem=f"{why}; {again.problem}" if again.problem else why)
    if value.kind == "text":
        if column_type == "mixed":
            return ParsedValue(raw=raw, kind="text", text=s, problem=_digits_without_words(s))
        return ParsedValue(
            raw=raw, kind="text", text=s, problem=value.problem or f"{s!r}: not a {column_type}"
        )
    problem = value.problem
    if repairs:
        repair_msg = "OCR repair " + ", ".join(repairs)
        problem = f"{repair_msg}; {problem}" if problem else repair_msg
    return replace(value, note=note if note is not None else value.note, problem=problem)
