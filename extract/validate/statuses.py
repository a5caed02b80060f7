"""Statuses for every value of a document: run the rules, correct, classify, flag.

Per table of a known form (:func:`validate_table`):

1. read every cell (:mod:`.cells`) and lay the form's rules over the rows (:mod:`.invariants`);
2. try OCR candidates on cells of failing rules and on unusable cells (:mod:`.correct`);
3. give every value a status:

   - CORRECTED -- a candidate made its rules hold (``Value.correction`` keeps the reading it
     replaced; ``rule`` names the confirming rules);
   - FLAGGED -- in a rule that still fails; or ambiguous / unparseable; or two candidates tie;
     or uncovered and below ``min_confidence``;
   - VERIFIED -- a holding rule covers it;
   - READ -- no rule covers it and its confidence is high;

   A rule with a part that was not read -- a row it sums is missing (``TableResult.incomplete``),
   or a part is blank where ink was seen but nothing read, or blank in a column every other row
   fills -- corrects and verifies nothing: counting the lost part as 0 made the search "fix" a
   right cell (the seed's hard scan); when it fails, its cells are flagged as a reading problem;

4. explain every failing rule in ``TableResult.issues``.  When every cell of a failing rule reads
   confidently, its candidates agree, no candidate fixes it, every row of the table is accounted
   for (``TableResult.incomplete`` is empty), no row of the rule is doubtful (``RowInfo.problem``)
   and every part of a sum over rows printed its STT (:func:`_unsure_rows`), the printed report
   itself is inconsistent: the finding says so, the cells are flagged "printed totals
   inconsistent: ..." and no value is altered.  Otherwise the failure is reported as a reading
   problem (unresolved, likely OCR; or rows not all read, saying why);
5. flag what a person must see although no rule fails: a blank in a column that every other row
   fills (a lost reading), and every value of a row whose label could not be trusted (a
   commune-like label that names no commune of the district).

Tables of unknown forms get READ or FLAGGED by confidence (and ambiguity) alone.

Values and tables are frozen: every step returns new ones (:func:`dataclasses.replace`); the
functions return the validated table or document and never change their arguments.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from extract.config import SINGLE_NUMBER_TYPES, FormSpec
from extract.model import DocumentResult, OcrCorrection, RowInfo, TableResult, Value, ValueStatus
from extract.understand.communes import DistrictCommunes
from extract.understand.rows import read_index

from .beside_lost_columns import flag_beside_lost_columns
from .cells import (
    CellKey,
    Option,
    Parser,
    Reading,
    candidate_options,
    candidates_agree,
    column_types,
    default_parser,
    read_value,
    trusted_reading,
)
from .correct import Fix, Outcome, correct
from .declared_rows import check_declared_rows, note_missing_total
from .flagging import add_flag
from .invariants import (
    NON_BODY_KINDS,
    ROW_GROUP_KINDS,
    Check,
    RuleInstance,
    evaluate,
    parent_path,
    rule_instances,
)
from .labels import flag_illegible_labels
from .missing_cells import flag_missing_cells
from .missing_rows import add_placeholder_rows, is_placeholder
from .section_rows import flag_undeclared_sections, name_section_rows
from .settings import ValidateSettings
from .structure import (
    flag_pieces_of_forms,
    flag_repeated_rows,
    flag_undeclared_columns,
    mark_column_number_rows,
    note_empty_columns,
)
from .suggest import suggestions, with_suggestion

PRINTED = "printed totals inconsistent"
UNRESOLVED = "rule fails and no OCR candidate fixes it"
INCOMPLETE = "rule fails over rows that are not all read"
MISSING_VALUE = "blank, but every other row of this column has a value: a lost reading?"


def format_number(x: float) -> str:
    """A number the way the reports print it: "95.728", "99,7", "-3"."""
    if abs(x - round(x)) < 1e-9:
        return f"{round(x):,}".replace(",", ".")
    whole, _, frac = f"{abs(x):.4f}".rstrip("0").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return ("-" if x < 0 else "") + grouped + ("," + frac if frac else "")


@dataclass(frozen=True)
class _Finding:
    """A failing check explained: whether it is a misprint, and its suspects (the cells no holding
    rule confirms; every cell when all are confirmed elsewhere).  ``incomplete`` says why the rows
    the rule sums are not all there (then the reading, never the print, is blamed)."""

    check: Check
    printed: bool
    suspects: tuple[CellKey, ...]
    incomplete: str | None = None

    @property
    def label(self) -> str:
        if self.printed:
            return PRINTED
        return f"{INCOMPLETE} ({self.incomplete})" if self.incomplete else UNRESOLVED


def _incomplete(check: Check | RuleInstance, table: TableResult) -> str | None:
    """Why the rows a sum over rows covers are not all read (None: they are, or the rule is
    within one row).  A children sum needs its parent's children; a total of sections needs the
    top-level rows."""
    if check.kind == "children_sum":
        i = check.total.row_index
        return table.incomplete.get(table.rows[i].path) if 0 <= i < len(table.rows) else None
    if check.kind == "total_rows":
        return table.incomplete.get("")
    return None


def _unsure_rows(check: Check | RuleInstance, table: TableResult) -> str | None:
    """Why the rows of ``check`` may not be the printed ones, so that a failure is the reading's
    (None: they are sure).  The issue's condition for blaming the print: the rows account for
    every row the table prints -- not only those under the rule's own parent (a lost STT 7
    under II hangs STT 8's row under 6, and "6 = its children" fails though 6 is printed right;
    a section whose first rows are lost was read from a neighbour's row, and "Tổng = I + II"
    fails) --, no row of the rule is doubtful (two rows run together, a commune-like label that
    names no commune, …: ``RowInfo.problem``), and in a sum over rows every part printed its STT
    (an unnumbered row is placed under the row above it only by guess)."""
    if table.incomplete:
        where = "; ".join(f"under {p or 'the table'}: {why}" for p, why in table.incomplete.items())
        return f"rows missing in this table ({where})"
    rows = table.rows
    for cell in check.cells:
        row = rows[cell.row_index] if 0 <= cell.row_index < len(rows) else None
        if row is not None and row.problem:
            return f"row {(row.index.strip() or row.label.strip()[:30])!r}: {row.problem}"
    if check.kind in ROW_GROUP_KINDS:
        for part in check.parts:
            row = rows[part.row_index] if 0 <= part.row_index < len(rows) else None
            # an STT cell holding words ("Tổngsố=la+": a label run into it) printed no STT either
            if row is not None and read_index(row.index).kind in ("none", "other"):
                name = row.label.strip()[:30]
                return f"row {name!r} printed no STT: its place among the rows summed is a guess"
    if check.kind == "children_sum":
        for part in check.parts:
            hung = _unnumbered_under(part.row_index, rows)
            if hung is not None:
                name = rows[part.row_index].index.strip() or rows[part.row_index].label.strip()[:30]
                return (
                    f"row {hung.label.strip()[:30]!r} printed no STT and hangs under row {name!r}: "
                    "whether it is a part of that row or of this sum is a guess"
                )
    return None


def _rows_sure_for(table: TableResult) -> Callable[[RuleInstance], bool]:
    """Whether the rows of a rule are the printed ones, for a suggestion (:mod:`.suggest`): as
    the blame of the print requires (:func:`_unsure_rows`), except that rows missing elsewhere in
    the table do not matter to a row's own sum, nor to a sum over the children of a parent that
    no missing row is under, over or beside (a lost row elsewhere changes none of its cells)."""
    whole = replace(table, incomplete={}) if table.incomplete else table

    def sure(inst: RuleInstance) -> bool:
        if _incomplete(inst, table) is not None:
            return False
        if inst.kind == "children_sum" and table.incomplete:
            i = inst.total.row_index
            parent = table.rows[i].path if 0 <= i < len(table.rows) else ""
            if any(_related(path, parent) for path in table.incomplete):
                return False
        elif inst.kind != "row_sum" and table.incomplete:
            return False
        return _unsure_rows(inst, whole) is None

    return sure


def _related(a: str, b: str) -> bool:
    """Whether row paths ``a`` and ``b`` are one, or one is under the other, or siblings."""
    return (
        not a
        or not b
        or a == b
        or a.startswith(b + "/")
        or b.startswith(a + "/")
        or parent_path(a) == parent_path(b)
    )


def _unnumbered_under(row_index: int, rows: Sequence[RowInfo]) -> RowInfo | None:
    """The first row without an STT hung under the row at ``row_index`` (a part of a sum over
    rows): placed under it only by guess -- its lost STT may make it the part's sibling (7B's
    "Sự nghiệp huyện" under STT 1 where STTs 2 and 3 were lost: "I = its units" then fails
    though I is printed right)."""
    if not 0 <= row_index < len(rows) or not rows[row_index].path:
        return None
    below = rows[row_index].path + "/"
    return next(
        (
            r
            for r in rows
            if r.path.startswith(below) and not r.index.strip() and r.kind.value not in NON_BODY_KINDS
        ),
        None,
    )


def _implied(check: Check, key: CellKey, readings: Mapping[CellKey, Reading]) -> float | None:
    """The value cell ``key`` would need for ``check`` to hold (None for ratio parts)."""
    if check.total.key == key:
        return check.expected
    if check.kind == "ratio":
        return None
    r = readings.get(key)
    own = 0.0 if r is None or r.number is None else r.number
    return check.actual - (check.expected - own)


def _apply_fix(value: Value, option: Option) -> Value:
    """``value`` read as ``option`` says; the reading it replaces is kept in ``correction`` (the
    first one, when a value corrected before is corrected again on re-validation)."""
    old = value.correction
    correction = OcrCorrection(
        original_text=old.original_text if old is not None else value.raw_text,
        original_number=old.original_number if old is not None else value.number,
        original_confidence=old.original_confidence if old is not None else value.confidence,
        variant=option.variant,
        original_problem=value.problem if value.problem is not None or old is None else old.original_problem,
    )
    return replace(
        value,
        correction=correction,
        problem=None,
        ambiguous=False,
        raw_text=option.text,
        number=option.number,
        value_kind=option.kind,
        unit=option.unit or value.unit,
        text=None,
        confidence=option.confidence,
    )


UNREAD_INK = "ink in the cell, but nothing could be read (confidence {:.0f}): a printed value may be lost"


def _status_by_confidence(value: Value, reading: Reading, settings: ValidateSettings) -> Value:
    """READ at or above ``settings.min_confidence``, else FLAGGED; unusable values are FLAGGED; a
    blank is READ, unless ink was seen in its cell and nothing read (an empty cell reads at 100,
    ink that no model could read below ``min_confidence``: a worn number, or one under a stroke)."""
    if reading.problem:
        return replace(value, status=ValueStatus.FLAGGED, flag_reason=reading.problem, rule=None)
    if reading.blank and value.confidence < settings.min_confidence and not value.raw_text.strip():
        reason = UNREAD_INK.format(value.confidence)
        return replace(value, status=ValueStatus.FLAGGED, flag_reason=reason, rule=None)
    if reading.blank or value.confidence >= settings.min_confidence:
        return replace(value, status=ValueStatus.READ, flag_reason=None, rule=None)
    reason = f"low confidence ({value.confidence:.0f} < {settings.min_confidence:.0f}) and no rule covers it"
    return replace(value, status=ValueStatus.FLAGGED, flag_reason=reason, rule=None)


def _confident(
    key: CellKey,
    values: Mapping[CellKey, Value],
    readings: Mapping[CellKey, Reading],
    corrected: set[CellKey],
    types: Mapping[str, str],
    parse: Parser,
    settings: ValidateSettings,
) -> bool:
    """Read for sure: printed (a blank counted as 0 may be a missed reading), not corrected,
    above the confidence bar (``printed_min_confidence``), and every OCR variant read the same
    number."""
    v, r = values[key], readings[key]
    return (
        r.number is not None
        and key not in corrected
        and v.confidence >= settings.printed_min_confidence
        and candidates_agree(v, types.get(key[1], "mixed"), parse, r)
    )


def _findings(
    table: TableResult,
    failing: Sequence[Check],
    verified: Mapping[CellKey, list[str]],
    readings: Mapping[CellKey, Reading],
    types: Mapping[str, str],
    confident: Callable[[CellKey], bool],
    unread: Mapping[int, str],
) -> list[_Finding]:
    """Each failing check explained (:class:`_Finding`); ``confident`` says a cell is read for
    sure (:func:`_confident`)."""
    # rows with a number that could not be read (":1", "b"): a damaged row is not read for sure
    damaged = {
        k[0] for k, r in readings.items() if r.problem and types.get(k[1], "mixed") in SINGLE_NUMBER_TYPES
    }
    out = []
    for chk in failing:
        incomplete = unread.get(id(chk)) or _incomplete(chk, table) or _unsure_rows(chk, table)
        # blame the print only when the reading is sure: every cell confident, every row of the
        # table accounted for and every row of the rule one printed row in its printed place;
        # a row's own sum also needs every number of its row read (dev_159_fax_150's 14B read
        # "3 = 4 + 1" at 95 beside ":1", printed 5 = 4 + 1)
        printed = (
            incomplete is None
            and all(confident(c.key) for c in chk.cells)
            and not (chk.kind == "row_sum" and chk.total.row_index in damaged)
        )
        # the cells no holding rule confirms are where the error most likely sits
        suspects = tuple(c.key for c in chk.cells if c.key not in verified)
        out.append(_Finding(chk, printed, suspects or tuple(c.key for c in chk.cells), incomplete))
    return out


def _cell_name(key: CellKey, values: Mapping[CellKey, Value], table: TableResult, form: FormSpec) -> str:
    """ "row 'Tổng số = (I) + (II)', column da_giai_quyet_dung_han (7)"."""
    v = values[key]
    row = table.rows[key[0]] if 0 <= key[0] < len(table.rows) else None
    name = (row.index.strip() or row.label.strip()) if row is not None else v.row_label
    number = next((c.number for c in form.columns if c.key == key[1]), None)
    return f"row {name!r}, column {key[1]}" + (f" {number}" if number else "")


def _issues(
    findings: Sequence[_Finding],
    values: Mapping[CellKey, Value],
    readings: Mapping[CellKey, Reading],
    table: TableResult,
    form: FormSpec,
) -> list[str]:
    """One finding per misprinted cell (its failing rules grouped), else one per failing rule."""
    groups: dict[tuple[bool, CellKey] | int, list[_Finding]] = {}
    for i, f in enumerate(findings):
        key: tuple[bool, CellKey] | int = (f.printed, f.suspects[0]) if len(f.suspects) == 1 else i
        groups.setdefault(key, []).append(f)
    out = []
    for key, group in groups.items():
        label = group[0].label
        tail = "values kept as printed" if group[0].printed else "likely an OCR error; values kept as read"
        if isinstance(key, tuple):
            cell = key[1]
            shown = values[cell].raw_text.strip() or "blank"
            verb = "prints" if group[0].printed else "reads"
            gives = []
            for f in group:
                implied = _implied(f.check, cell, readings)
                what = format_number(implied) if implied is not None else "a different value"
                gives.append(f"rule {f.check.rule!r} gives {what}")
            out.append(
                f"{label}: {_cell_name(cell, values, table, form)} {verb} {shown}, but "
                + " and ".join(gives)
                + f"; {tail}"
            )
        else:
            chk = group[0].check
            out.append(f"{label}: {_describe(chk)}; {tail}")
    return out


def _describe(chk: Check) -> str:
    """ "rule '(6)=(7)+(8)' at row 'II', column ...: 96.269 where the parts give 92.168"."""
    return (
        f"rule {chk.rule!r} at {chk.where}: {format_number(chk.actual)} "
        f"where the parts give {format_number(chk.expected)}"
    )


def _flag_failing(
    value: Value,
    key: CellKey,
    failing: Sequence[Check],
    finding_of: Mapping[int, _Finding],
    verified: Mapping[CellKey, list[str]],
    corrected: bool,
    ties: Mapping[CellKey, str],
) -> Value:
    """FLAG a value that sits in failing rules, saying whether the report or OCR is to blame."""
    findings = [finding_of[id(chk)] for chk in failing]
    suspect = any(key in f.suspects for f in findings)
    label = PRINTED if any(f.printed for f in findings) else findings[0].label
    reason = f"{label}: " + "; ".join(_describe(chk) for chk in failing)
    if not suspect and key in verified:
        reason += f" (this cell is confirmed by {', '.join(dict.fromkeys(verified[key]))})"
    if corrected:
        original = value.correction.original_text if value.correction is not None else ""
        reason += f" (after correcting {original!r} to {value.raw_text!r})"
    if key in ties:
        reason += f"; {ties[key]}"
    return replace(
        value,
        suspect=suspect,
        status=ValueStatus.FLAGGED,
        flag_reason=reason,
        rule="; ".join(dict.fromkeys(c.rule for c in failing)),
    )


def _fix_rules(fixes: Sequence[Fix]) -> dict[CellKey, tuple[Fix, Option]]:
    return {key: (fix, opt) for fix in fixes for key, opt in fix.changes}


class Validated(NamedTuple):
    """A validated table and the rule instances judged on it (after correction)."""

    table: TableResult
    checks: list[Check]


def validate_table(
    table: TableResult, form: FormSpec, settings: ValidateSettings, *, parse: Parser | None = None
) -> Validated:
    """Validate one table of a known form: a new table with statuses, corrections and issues.

    Returns it with the judged rule instances after correction; ``table`` is not changed.
    ``parse`` defaults to :func:`extract.understand.numbers.parse_value`.
    """
    parse = parse or default_parser()
    types = column_types(form)
    originals = {(v.row_index, v.column_key): v for v in table.values}
    # a suggestion of an earlier validation is no reading: the sums are judged on what was read
    values = {k: replace(v, suggestion=None) if v.suggestion is not None else v for k, v in originals.items()}
    readings = {k: read_value(v, types.get(k[1], "mixed"), parse) for k, v in values.items()}
    options = {
        k: candidate_options(
            v, types.get(k[1], "mixed"), parse, readings[k], settings.min_candidate_confidence
        )
        for k, v in values.items()
        if v.candidates and not trusted_reading(v, types.get(k[1], "mixed"), parse, readings[k], settings)
    }
    instances = rule_instances(table, form)
    missing = _missing_parts(instances, table, values, readings, form, settings)
    outcome = correct([x for i, x in enumerate(instances) if i not in missing], readings, options, settings)
    fixed = _fix_rules(outcome.fixes)
    for key, (_fix, opt) in fixed.items():
        values[key] = _apply_fix(values[key], opt)
    readings = outcome.readings
    placeholders = {k for k, v in values.items() if is_placeholder(v)}
    checks, partial = _judged(outcome, instances, missing, readings, settings, placeholders)

    corrected = set(fixed) | {k for k, v in values.items() if v.correction is not None}
    coincident = _coincident(checks, values, readings, corrected, settings)
    verified, failing_of = _verified_and_failing([c for c in checks if id(c) not in coincident])
    failing = [c for c in checks if not c.holds]

    def confident(key: CellKey) -> bool:
        return _confident(key, values, readings, corrected, types, parse, settings)

    findings = _findings(table, failing, verified, readings, types, confident, partial)
    judged = _Judged(
        verified=verified,
        failing_of=failing_of,
        finding_of={id(f.check): f for f in findings},
        coincident=_coincident_of(checks, coincident),
        corrected=corrected,
        fixed=fixed,
        ties=outcome.ties,
        readings=readings,
    )
    for key, value in values.items():
        values[key] = _status(value, key, judged, settings)
    lost = _lost_blanks(values, readings, table, form)
    suggested = suggestions(
        instances,
        values,
        readings,
        types,
        lambda k: k not in outcome.ties and confident(k),
        _rows_sure_for(table),
        lost,
        failing_of,
        settings,
    )
    for key, (number, rules) in suggested.items():
        col_type = types.get(key[1], "mixed")
        values[key] = with_suggestion(values[key], number, rules, parse, col_type, format_number(number))

    values.update(_flag_missing(values, lost))
    new_values = tuple(_replaced(v, originals, values) for v in table.values)
    issues = list(table.issues)
    for issue in _issues(findings, values, readings, table, form):
        if issue not in issues:
            issues.append(issue)
    out = replace(table, values=new_values, issues=tuple(issues))
    return Validated(_flag_row_problems(out), checks)


def _coincident(
    checks: Sequence[Check],
    values: Mapping[CellKey, Value],
    readings: Mapping[CellKey, Reading],
    corrected: set[CellKey],
    settings: ValidateSettings,
) -> dict[int, str]:
    """The holding sums of one row that bear out none of their cells (by ``id`` of the check),
    with why: the total and a part both read unsurely (below ``min_confidence``, or corrected).
    What damages a row (a stroke, a fold, a faded band) misreads its cells alike, and the same
    misread in a total and in one of its parts cancels -- "1 = 1 + 0" for a printed "0 = 0 + 0"
    (dev_074_hard_200's 4B, two zeros read "1" at confidence 14 and 15) -- so the rule holding
    says nothing of either.  Unsure parts alone must err by opposite amounts to cancel, one
    unsure cell is what the sure ones give, and cells of different rows (a column's sum) err
    apart and must err by exactly the same amount to cancel: those sums still bear their cells
    out (counting them too flagged 21 right values for the 2 wrong ones on seven extra dev
    documents)."""
    out: dict[int, str] = {}
    for chk in checks:
        if not chk.holds or chk.kind != "row_sum":
            continue
        unsure = [
            c.key
            for c in chk.cells
            if readings[c.key].number is not None
            and (c.key in corrected or values[c.key].confidence < settings.min_confidence)
        ]
        if chk.total.key in unsure and len(unsure) > 1:
            read = ", ".join(f"{values[k].raw_text.strip()!r} ({values[k].confidence:.0f})" for k in unsure)
            out[id(chk)] = (
                f"rule {chk.rule!r} holds at {chk.where}, but over unsure readings of its total "
                f"and a part ({read}): one misread in both would hold as well"
            )
    return out


def _coincident_of(checks: Sequence[Check], coincident: Mapping[int, str]) -> dict[CellKey, list[str]]:
    """Per cell: why the holding sums over it bear it out not (:func:`_coincident`)."""
    out: dict[CellKey, list[str]] = {}
    for chk in checks:
        if id(chk) in coincident:
            for cell in chk.cells:
                out.setdefault(cell.key, []).append(coincident[id(chk)])
    return out


def _verified_and_failing(
    checks: Sequence[Check],
) -> tuple[dict[CellKey, list[str]], dict[CellKey, list[Check]]]:
    """Per cell: the rules that hold over it, and the checks that fail over it."""
    verified: dict[CellKey, list[str]] = {}
    failing_of: dict[CellKey, list[Check]] = {}
    for chk in checks:
        for cell in chk.cells:
            if chk.holds:
                verified.setdefault(cell.key, []).append(chk.rule)
            else:
                failing_of.setdefault(cell.key, []).append(chk)
    return verified, failing_of


@dataclass(frozen=True)
class _Judged:
    """What the rules and the correction search said about a table's cells."""

    verified: Mapping[CellKey, list[str]]  # cell -> rules that hold over it
    failing_of: Mapping[CellKey, list[Check]]  # cell -> checks that fail over it
    finding_of: Mapping[int, _Finding]  # id of a failing check -> its explanation
    coincident: Mapping[CellKey, list[str]]  # cell -> holding sums that bear it out not, and why
    corrected: set[CellKey]
    fixed: Mapping[CellKey, tuple[Fix, Option]]
    ties: Mapping[CellKey, str]
    readings: Mapping[CellKey, Reading]


def _status(value: Value, key: CellKey, judged: _Judged, settings: ValidateSettings) -> Value:
    """A value's status (module doc, step 3): in a failing rule FLAGGED; else CORRECTED; else
    FLAGGED when unusable or tied; else VERIFIED by a holding rule; else READ or FLAGGED by
    confidence."""
    value = replace(value, suspect=False)
    reading = judged.readings[key]
    if is_placeholder(value):  # a printed row not read (extract/validate/missing_rows.py)
        return replace(value, status=ValueStatus.FLAGGED, flag_reason=value.problem, rule=None)
    if key in judged.failing_of:
        return _flag_failing(
            value,
            key,
            judged.failing_of[key],
            judged.finding_of,
            judged.verified,
            key in judged.corrected,
            judged.ties,
        )
    if key in judged.corrected:
        rule = "; ".join(judged.fixed[key][0].rules) if key in judged.fixed else value.rule
        return replace(value, status=ValueStatus.CORRECTED, flag_reason=None, rule=rule)
    if reading.problem or key in judged.ties:
        reason = "; ".join(x for x in (reading.problem, judged.ties.get(key)) if x)
        return replace(value, status=ValueStatus.FLAGGED, rule=None, flag_reason=reason)
    if key in judged.verified:
        rule = "; ".join(dict.fromkeys(judged.verified[key]))
        return replace(value, status=ValueStatus.VERIFIED, flag_reason=None, rule=rule)
    value = _status_by_confidence(value, reading, settings)
    if value.status == ValueStatus.FLAGGED and key in judged.coincident:
        why = "; ".join(dict.fromkeys(judged.coincident[key]))
        return replace(value, flag_reason=f"{value.flag_reason}; {why}")
    return value


def _replaced(value: Value, originals: Mapping[CellKey, Value], validated: Mapping[CellKey, Value]) -> Value:
    """The validated value in place of ``value`` (a cell key printed twice: only the value the
    key names was validated, the others stay as read)."""
    key = (value.row_index, value.column_key)
    return validated[key] if originals[key] is value else value


_ABSENT = Reading(None, blank=True)


def _judged(
    outcome: Outcome,
    instances: Sequence[RuleInstance],
    missing: Mapping[int, tuple[str, bool]],
    readings: Mapping[CellKey, Reading],
    settings: ValidateSettings,
    placeholders: set[CellKey],
) -> tuple[list[Check], dict[int, str]]:
    """The rule instances judged after correction, and (by ``id`` of the check) why a failing one
    has a part that was not read.  A rule with a part not read corrects nothing; when it fails,
    the reading is to blame; it verifies nothing either, unless its only doubt is a blank that
    the sum itself bears out."""
    checks = [c for c in outcome.checks if c is not None]
    partial: dict[int, str] = {}
    for i, (why, strict) in missing.items():
        inst = instances[i]
        # a placeholder row's cell (no number) adds nothing to a sum, as its row did when absent;
        # a rule whose total is one is not judged (its parent row was not read)
        absent = {c.key: _ABSENT for c in inst.parts if c.key in placeholders}
        chk = evaluate(inst, ChainMap(absent, dict(readings)) if absent else readings, settings.blank_is_zero)
        if chk is not None and not chk.holds:
            partial[id(chk)] = why
            checks.append(chk)
        elif chk is not None and not strict:
            checks.append(chk)
    return checks, partial


MISSING_VALUE_MIN_ROWS = 4
"""A blank is suspect when at least this many other body rows of its column all have a value."""


def _lost_blanks(
    values: Mapping[CellKey, Value], readings: Mapping[CellKey, Reading], table: TableResult, form: FormSpec
) -> set[CellKey]:
    """Blank numeric cells whose column has a value in every other body row (at least
    ``MISSING_VALUE_MIN_ROWS``): a reading lost, more likely than a printed blank."""
    numeric = {c.key for c in form.columns if c.type in SINGLE_NUMBER_TYPES}
    by_column: dict[str, list[CellKey]] = {}
    for key, value in values.items():
        if key[1] in numeric and _body_row(table, key[0]) and not is_placeholder(value):
            by_column.setdefault(key[1], []).append(key)
    out = set()
    for keys in by_column.values():
        blanks = [k for k in keys if readings[k].blank]
        if len(blanks) == 1 and len(keys) - 1 >= MISSING_VALUE_MIN_ROWS:
            out.add(blanks[0])
    return out


def _missing_parts(
    instances: Sequence[RuleInstance],
    table: TableResult,
    values: Mapping[CellKey, Value],
    readings: Mapping[CellKey, Reading],
    form: FormSpec,
    settings: ValidateSettings,
) -> dict[int, tuple[str, bool]]:
    """Instance index -> (why one of its cells was not read, strict).  Strict: a row it sums is
    missing, or a cell is blank where ink was seen and nothing confidently read (below
    ``min_confidence``; an empty cell reads at 100) -- such a rule neither corrects nor verifies.
    Not strict: in a sum over rows (one commune's cell among many), a blank in a column every
    other row fills (maybe a printed 0) -- such a rule corrects nothing, but a sum that holds
    with it bears the blank out."""
    lost = _lost_blanks(values, readings, table, form)
    out: dict[int, tuple[str, bool]] = {}
    for i, inst in enumerate(instances):
        why = _incomplete(inst, table) or _placeholder_part(inst, values, table)
        if why is not None:
            out[i] = (why, True)
            continue
        for cell in inst.cells:
            value, reading = values.get(cell.key), readings.get(cell.key)
            if value is None or reading is None or not reading.blank:
                continue
            unread = value.confidence < settings.min_confidence
            if unread or (cell.key in lost and inst.kind in ROW_GROUP_KINDS):
                name = (
                    table.rows[cell.row_index].label.strip() if 0 <= cell.row_index < len(table.rows) else ""
                )
                where = f"row {(name or cell.row_key)!r}, column {cell.column_key}"
                out[i] = (
                    f"{where} not read" if unread else f"{where} blank where every other row has a value",
                    unread,
                )
                if unread:
                    break
    return out


def _placeholder_part(inst: RuleInstance, values: Mapping[CellKey, Value], table: TableResult) -> str | None:
    """Why a rule over a placeholder row's cell (:mod:`.missing_rows`) has a part not read."""
    for cell in inst.cells:
        value = values.get(cell.key)
        if value is not None and is_placeholder(value):
            row = table.rows[cell.row_index] if 0 <= cell.row_index < len(table.rows) else None
            name = (row.index.strip() + " " + row.label.strip()).strip() if row is not None else cell.row_key
            return f"row {name!r} not found on the scan"
    return None


def _flag_missing(values: Mapping[CellKey, Value], lost: set[CellKey]) -> dict[CellKey, Value]:
    """The values to FLAG among ``lost`` (:func:`_lost_blanks`: blank numeric cells whose column has
    a value in every other body row, a reading lost, not a printed blank).  Blanks that a rule
    needs are flagged by that rule already."""
    out = {}
    for key in lost:
        value = values[key]
        if value.status == ValueStatus.READ:
            out[key] = replace(value, status=ValueStatus.FLAGGED, rule=None, flag_reason=MISSING_VALUE)
    return out


def _body_row(table: TableResult, row_index: int) -> bool:
    if not 0 <= row_index < len(table.rows):
        return True
    return table.rows[row_index].kind.value not in ("header", "column_numbers")


def _flag_row_problems(table: TableResult) -> TableResult:
    """FLAG every value of a row the understanding could not trust (a commune-like label that
    names no commune): its values are never silently an item's."""
    return replace(table, values=tuple(_flag_row_problem(v, table) for v in table.values))


def _flag_row_problem(value: Value, table: TableResult) -> Value:
    row = table.rows[value.row_index] if 0 <= value.row_index < len(table.rows) else None
    if row is None or not row.problem:
        return value
    return add_flag(value, f"row {row.label!r} {row.problem}")


def validate_unknown_table(table: TableResult, settings: ValidateSettings) -> TableResult:
    """Statuses for a table of no known form: READ or FLAGGED by confidence and ambiguity."""
    values = tuple(_status_by_confidence(v, read_value(v, "mixed", None), settings) for v in table.values)
    return _flag_row_problems(replace(table, values=values))


def validate_document(
    doc: DocumentResult,
    forms: Mapping[str, FormSpec],
    settings: ValidateSettings,
    *,
    parse: Parser | None = None,
    place_missing_rows: bool = False,
    communes: DistrictCommunes | None = None,
) -> DocumentResult:
    """``doc`` with every table validated; ``forms`` maps form codes to their specs.

    ``place_missing_rows`` (the pipeline's first validation; a re-validation after a review
    keeps the rows it placed): printed rows the evidence says were not read get a placeholder row
    of flagged values without numbers first (:mod:`.missing_rows`; ``communes``: the report's
    district's communes, when it is known)."""
    tables = []
    for table in doc.tables:
        form = forms.get(table.form)
        if form is None:
            table = validate_unknown_table(table, settings)
        else:
            table = mark_column_number_rows(table, settings.column_numbers_min, settings.column_numbers_share)
            if place_missing_rows:
                others = [t for t in doc.tables if t.form == table.form and t is not table]
                table = add_placeholder_rows(table, form, communes, settings, others)  # missing_rows.py
            table = validate_table(table, form, settings, parse=parse).table
            table = flag_undeclared_columns(table, form)  # extract/validate/structure.py
            table = flag_missing_cells(table, form)  # extract/validate/missing_cells.py
            table = flag_beside_lost_columns(table, form)  # beside_lost_columns.py
            table = note_empty_columns(table, form, settings.empty_column_min_rows)  # structure.py
            table = check_declared_rows(
                table,
                form,
                settings.declared_row_min_score,
                settings.declared_row_rename_below,
                settings.declared_row_rename_margin,
            )  # declared_rows.py
            table = note_missing_total(
                table,
                form,
                settings.label_legible_min_share,
                settings.total_sums_min,
                settings.total_label_words_max,
            )
            table = name_section_rows(
                table, form, settings.label_legible_min_share, settings.section_label_same_min
            )  # section_rows.py
            table = flag_undeclared_sections(table, form)  # section_rows.py
        table = flag_repeated_rows(table)  # extract/validate/structure.py
        table = flag_illegible_labels(table, settings.label_legible_min_share)  # labels.py
        tables.append(replace(table, values=tuple(_blank(v) for v in table.values)))
    return replace(doc, tables=tuple(flag_pieces_of_forms(tables, forms)))


def _blank(value: Value) -> Value:
    """A printed-empty cell is blank, not "verified" by a rule it adds 0 to."""
    if value.value_kind == "null" and value.status in (ValueStatus.VERIFIED, ValueStatus.READ):
        return replace(value, status=ValueStatus.BLANK)
    return value
