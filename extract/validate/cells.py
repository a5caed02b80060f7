"""What validation needs to know about one cell: its number for arithmetic, and its OCR options.

A :class:`Reading` is a cell as the rules see it: a number, a blank, or unusable (ambiguous,
unparseable, or text in a mixed column).  An :class:`Option` is a different number one of the
cell's OCR candidates reads, parsed with the column's type: the only values a correction may
write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from extract.config import FormSpec
from extract.model import ParsedValue, Value
from extract.understand.numbers import NULL_TOKENS

from .settings import ValidateSettings

CellKey = tuple[int, str]
"""A cell of a table: (body row index, column key)."""

Parser = Callable[[str, str], ParsedValue]
"""``parse_value(text, column_type)`` of :mod:`extract.understand.numbers`."""

ARITHMETIC_TYPES: Final = frozenset({"count", "signed", "decimal", "percent", "ratio", "mixed", "remark"})
"""Column types whose cells can take part in a rule."""

_USABLE_KINDS: Final = frozenset({"number", "percent"})
_DEBRIS_DIGITS: Final = frozenset("|!")  # marks that, read alone where ink was, may be a "1"
_NULL_MARKS: Final = frozenset("".join(NULL_TOKENS))  # what a printed "no value" is made of
_DECIMAL_TYPES: Final = frozenset({"decimal", "percent", "mixed", "remark"})
_COMMA_FRACTION = re.compile(r",([0-9]+)\D*$")
_DOT_FRACTION = re.compile(r"\.([0-9]+)\D*$")


TRUSTED_MIN_READINGS = 2  # number readings of different variants that must agree


def default_parser() -> Parser:
    """The project's number parser (imported late: validation is usable without it loaded)."""
    from extract.understand.numbers import parse_value

    return parse_value


@dataclass(frozen=True)
class Reading:
    """A cell as the rules see it.

    ``number`` is None for blanks and unusable cells; ``blank`` marks an empty (or "-") cell;
    ``problem`` says why a non-blank cell cannot be used and must be flagged (ambiguous or
    unparseable); a non-blank cell with neither number nor problem (text in a mixed column, a
    ratio) is simply not arithmetic.  ``decimals`` is the number of printed decimal digits (the
    rounding a rule must allow for).
    """

    number: float | None
    blank: bool = False
    decimals: int = 0
    problem: str | None = None

    @property
    def usable(self) -> bool:
        return self.blank or self.number is not None


@dataclass(frozen=True)
class Option:
    """A number an OCR candidate reads for a cell (a possible correction)."""

    number: float
    text: str
    confidence: float  # 0..100
    variant: str
    kind: str  # ParsedValue.kind: "number" or "percent"
    unit: str | None
    decimals: int


def column_types(form: FormSpec | None) -> dict[str, str]:
    """Column key -> declared type ({} for an unknown form)."""
    return {} if form is None else {c.key: c.type for c in form.columns}


def printed_decimals(text: str, column_type: str, number: float | None) -> int:
    """Decimal digits printed in ``text`` ("99,75%" -> 2); 0 for counts and whole numbers."""
    if column_type not in _DECIMAL_TYPES:
        return 0
    m = _COMMA_FRACTION.search(text.strip())
    if m:
        return len(m.group(1))
    if number is not None and number != int(number):
        m = _DOT_FRACTION.search(text.strip())
        if m:
            return len(m.group(1))
    return 0


def _debris_only(raw: str) -> bool:
    """Whether ``raw``, a cell that parses as no value, is ink read as marks rather than empty or
    a printed dash: letters or digits, "|"/"!" (a lost "1"), or any mark that is not one of the
    dashes and dots a report prints for "none" ("*", "`", "“" left by a worn digit)."""
    if any(ch.isalnum() or ch in _DEBRIS_DIGITS for ch in raw):
        return True
    marks = raw.replace(" ", "")
    return bool(marks) and not all(ch in _NULL_MARKS for ch in marks)


def read_value(value: Value, column_type: str, parse: Parser | None) -> Reading:
    """The :class:`Reading` of ``value`` in a column of ``column_type``.

    The value's own parsed fields are authoritative (``number``, ``value_kind``); ``parse``, when
    given, re-reads ``raw_text`` only to learn whether it is ambiguous or unparseable (the
    assembler also records that in ``Value.ambiguous``/``Value.problem``).
    """
    if column_type not in ARITHMETIC_TYPES:
        return Reading(None, blank=value.value_kind == "null" or not value.raw_text.strip())
    parsed = parse(value.raw_text, column_type) if parse is not None else None
    ambiguous = value.ambiguous or (parsed is not None and parsed.ambiguous)
    raw = value.raw_text.strip()
    if ambiguous:
        why = (parsed.problem if parsed is not None else None) or value.problem
        return Reading(None, problem=f"ambiguous number {raw!r}" + (f" ({why})" if why else ""))
    if value.value_kind == "null" and _debris_only(raw):
        # ink was read, and read as nothing but debris ("|", "l", "*"): a rule's remnant, a speck
        # or a lost digit; a printed dash ("-", "—") is the report's own blank
        return Reading(None, problem=f"only {raw!r} was read: a ruling line's remnant or a lost digit")
    if value.problem and value.number is None and not raw:
        # no cell was read here (extract/validate/missing_cells.py): unknown, never a printed 0
        return Reading(None, problem=value.problem)
    if value.value_kind == "null" or (value.number is None and not raw):
        return Reading(None, blank=True)
    if value.number is not None and value.value_kind in _USABLE_KINDS:
        return Reading(value.number, decimals=printed_decimals(raw, column_type, value.number))
    why = (parsed.problem if parsed is not None else None) or value.problem
    if value.number is None and why:
        return Reading(None, problem=f"unparseable {raw!r}: {why}")
    return Reading(None)  # text in a mixed column, a ratio, Có/Không: not arithmetic


def candidate_options(
    value: Value, column_type: str, parse: Parser, current: Reading, min_confidence: float
) -> tuple[Option, ...]:
    """The distinct numbers, other than the current one, that ``value``'s candidates read.

    Candidates below ``min_confidence``, blank, ambiguous or not numbers are ignored; for each
    number the most confident candidate is kept.  Sorted by confidence, best first.
    """
    if column_type not in ARITHMETIC_TYPES:
        return ()
    best: dict[float, Option] = {}
    for cand in value.candidates:
        if cand.confidence < min_confidence or not cand.text.strip():
            continue
        parsed = parse(cand.text, column_type)
        if parsed.ambiguous or parsed.number is None or parsed.kind not in _USABLE_KINDS:
            continue
        if current.number is not None and parsed.number == current.number:
            continue
        old = best.get(parsed.number)
        if old is None or cand.confidence > old.confidence:
            best[parsed.number] = Option(
                number=parsed.number,
                text=cand.text,
                confidence=cand.confidence,
                variant=cand.variant,
                kind=parsed.kind,
                unit=parsed.unit,
                decimals=printed_decimals(cand.text, column_type, parsed.number),
            )
    return tuple(sorted(best.values(), key=lambda o: -o.confidence))


def candidates_agree(value: Value, column_type: str, parse: Parser | None, reading: Reading) -> bool:
    """True when every OCR candidate of ``value`` reads the same number as ``reading``.

    No candidates agree vacuously; a blank, ambiguous or unparseable candidate disagrees.
    """
    if reading.number is None:
        return False
    for cand in value.candidates:
        if parse is None:
            return False
        parsed = parse(cand.text, column_type)
        if parsed.ambiguous or parsed.number is None or parsed.number != reading.number:
            return False
    return True


def trusted_reading(
    value: Value, column_type: str, parse: Parser, reading: Reading, settings: ValidateSettings
) -> bool:
    """A cell that is never "corrected": its reading is confident (``trusted_confidence``) and at
    least two number-mode readings from different OCR variants read the same number.  A rule that
    fails over such cells is the printed report's own arithmetic, not an OCR error: replacing a
    confidently agreed "2" by a weak text-mode "1" because it makes a printed total add up would
    rewrite the report.  Text-mode readings of a number cell do not count (they garble digits).
    """
    if reading.number is None or value.confidence < settings.trusted_confidence:
        return False
    agreeing = {
        cand.variant
        for cand in value.candidates
        if not cand.variant.startswith("text")
        and cand.confidence >= settings.trusted_confidence
        and (parsed := parse(cand.text, column_type)).number is not None
        and not parsed.ambiguous
        and parsed.number == reading.number
    }
    return len(agreeing) >= TRUSTED_MIN_READINGS
