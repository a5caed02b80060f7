"""Suggested values: what the form's arithmetic says a cell not read clearly must hold.

A cell read as garbage ("@ ^ Gà"), or with ink and nothing read (or read empty where every
other row of its column has a value), or a number read below ``min_confidence``, that sits in a
sum of the form (a row's "(3)=(4)+(5)", "I = its communes", "Tổng = I + II") whose other cells
were all read for sure, has its value fixed by that sum.  It gets that number as a
**suggestion** (``Value.suggestion``), never as its reading: ``number``, ``raw_text`` and the
status (FLAGGED) stay as read, and the flag says which rule gives what.  A printed report has
arithmetic errors of its own, so a suggestion waits for a person.

A suggestion needs, for every rule that determines it (:func:`suggestions`):

- a sum (``row_sum``, ``children_sum``, ``total_rows``), whole numbers (no printed decimals, no
  tolerance), its rows accounted for as the blame of the print requires (``sure_rows``);
- every other cell read for sure: not flagged, not corrected, not itself suggested (one level
  only), a number read confidently with agreeing candidates (``confident``) or an empty cell read
  as empty (a printed blank is 0 in a sum);
- every rule that determines the cell giving the same number; a negative number in a count
  column, or a fraction, is no suggestion; nor is 0 (what the sums give for a cell printed empty,
  where a dash or a rule's remnant was read as "|", "N", "~~": on dev-new19 5 of the 6 wrong
  suggestions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from extract.model import Value, ValueStatus

from .cells import CellKey, Parser, Reading
from .invariants import Check, RuleInstance
from .missing_rows import is_placeholder
from .settings import ValidateSettings

SUM_KINDS = frozenset({"row_sum", "children_sum", "total_rows"})


def _unsure(value: Value, reading: Reading, lost: bool, settings: ValidateSettings) -> bool:
    """Whether a FLAGGED value was not read clearly: unusable (garbled, ambiguous, a cell not
    read), ink seen and nothing read, a blank where every other row of its column has a value
    (``lost``: a blot over the number reads as an empty cell), or a number below
    ``min_confidence``."""
    if reading.number is None:
        if reading.blank and not value.raw_text.strip():
            return lost or value.confidence < settings.min_confidence
        return reading.problem is not None
    return value.confidence < settings.min_confidence


def _implied(inst: RuleInstance, key: CellKey, readings: Mapping[CellKey, Reading]) -> float:
    """The number cell ``key`` must hold for the sum ``inst`` to hold (its other cells' numbers,
    a blank counting 0)."""

    def num(k: CellKey) -> float:
        return readings[k].number or 0.0

    others = sum(num(c.key) for c in inst.parts if c.key != key)
    return others if inst.total.key == key else num(inst.total.key) - others


def suggestions(
    instances: Sequence[RuleInstance],
    values: Mapping[CellKey, Value],
    readings: Mapping[CellKey, Reading],
    types: Mapping[str, str],
    confident: Callable[[CellKey], bool],
    sure_rows: Callable[[RuleInstance], bool],
    lost_blanks: set[CellKey],
    failing_of: Mapping[CellKey, Sequence[Check]],
    settings: ValidateSettings,
) -> dict[CellKey, tuple[float, tuple[str, ...]]]:
    """Cell -> (suggested number, the rules that give it): see the module doc.  ``values`` have
    their statuses; ``confident`` says a number is read for sure, ``sure_rows`` that a rule's rows
    are the printed ones; ``failing_of`` the failing sums over each cell (a sure part flagged
    because the sum fails over the unsure cell is still sure)."""
    kinds = set(settings.suggest_column_types)
    targets = {
        k
        for k, v in values.items()
        if v.status == ValueStatus.FLAGGED
        and types.get(k[1]) in kinds
        and v.correction is None
        and not is_placeholder(v)
        and _unsure(v, readings[k], k in lost_blanks, settings)
    }

    def sure_part(k: CellKey, target: CellKey) -> bool:
        """Read for sure, and flagged (if at all) only by failing sums over ``target`` itself."""
        v, r = values.get(k), readings.get(k)
        if v is None or r is None or is_placeholder(v):
            return False
        failing = failing_of.get(k, ())
        if v.status == ValueStatus.FLAGGED and not failing:
            return False  # flagged for something else than a sum (a lost blank, a tie, …)
        if not all(any(c.key == target for c in chk.cells) for chk in failing):
            return False  # in a failing sum the unsure cell is no part of: an error may sit here
        if r.blank:
            return v.confidence >= settings.printed_min_confidence and k not in lost_blanks
        return r.decimals == 0 and confident(k)

    given: dict[CellKey, dict[float, list[str]]] = {}
    blocked: set[CellKey] = set()
    for inst in instances:
        if inst.kind not in SUM_KINDS or inst.tolerance:
            continue
        unsure = [c.key for c in inst.cells if c.key in targets]
        if len(unsure) != 1:
            continue
        (key,) = unsure
        if not all(sure_part(c.key, key) for c in inst.cells if c.key != key) or not sure_rows(inst):
            continue
        n = _implied(inst, key, readings)
        if n != round(n) or (n < 0 and types.get(key[1]) == "count"):
            blocked.add(key)  # the sure cells give no value the column can hold
            continue
        given.setdefault(key, {}).setdefault(float(round(n)), []).append(inst.rule)
    out: dict[CellKey, tuple[float, tuple[str, ...]]] = {}
    for key, by_number in given.items():
        if key in blocked or len(by_number) != 1:
            continue  # two rules disagree: no suggestion
        ((n, rules),) = by_number.items()
        if readings[key].number is not None and readings[key].number == n:
            continue  # what was read already
        if n == 0:
            continue  # a printed empty cell ("-", a rule's remnant read "|", "~~") is what 0 looks like
        out[key] = (n, tuple(dict.fromkeys(rules)))
    return out


def with_suggestion(
    value: Value, number: float, rules: Sequence[str], parse: Parser, column_type: str, shown: str
) -> Value:
    """``value`` (FLAGGED) carrying the suggestion: its reading and status kept, the flag saying
    what the rule gives (and whether one of its own OCR readings read it too)."""
    read = value.raw_text.strip()
    names = " and ".join(repr(r) for r in rules)
    gives = f"rules {names} give" if len(rules) > 1 else f"rule {names} gives"
    reason = f"{f'not read clearly: {read!r}' if read else 'nothing read'}; the form's {gives} {shown}"
    seen = next(
        (c.text for c in value.candidates if c.text.strip() and parse(c.text, column_type).number == number),
        None,
    )
    if seen is not None:
        reason += f" (one of its OCR readings, {seen.strip()!r}, reads {shown} too)"
    reason += ": a suggestion, not a reading -- check it on the scan"
    why = f"{value.flag_reason}; {reason}" if value.flag_reason else reason  # its category kept first
    return replace(value, suggestion=number, flag_reason=why, rule="; ".join(rules))
