"""Reviewed values laid over a document, and the form's invariants run again.

:func:`apply_corrections` takes a document as the pipeline finished it and the corrections in
force, and returns a copy in which every corrected cell holds the reviewer's value (its OCR text
kept in ``raw_text``, status ``reviewed``) and every table that has a corrected cell was
validated again with :func:`extract.validate.validate_document` (that table alone): one
correction can make a whole row's rules hold, and its other cells turn ``verified``.  A
correction whose cell is not in the document is returned as an orphan, never dropped silently.

The reviewed value counts in the rules as the reviewer gave it: a number as that number, a blank
as a blank (0 in a sum), an illegible cell as unusable (its rules are not judged), a confirmed
value as printed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..config import FormSpec
from ..model import DocumentMeta, DocumentResult, ParsedValue, ReviewDecision, TableResult, Value, ValueStatus
from ..validate import ValidateSettings, validate_document
from ..validate.statuses import PRINTED, UNRESOLVED
from ..writers.tables import ALL_CELLS, document_rows
from .corrections import Action, CellId, Correction, ReviewError

REVIEWED = ValueStatus.REVIEWED
ILLEGIBLE_TEXT = "illegible"  # what an illegible cell reads as during re-validation (unusable)
_FINDING_PREFIXES = (PRINTED, UNRESOLVED)  # table issues that validation writes (and rewrites)
PARSE_CACHE_SIZE = 65_536  # distinct (text, column type) pairs remembered by the re-validation parser


@dataclass(frozen=True)
class Applied:
    """A document with its corrections applied, and the corrections that found no cell."""

    document: DocumentResult
    orphans: tuple[Correction, ...]


def column_type(form: FormSpec | None, column_key: str) -> str:
    """The declared type of a column ("mixed" for unknown forms and undeclared columns)."""
    if form is None:
        return "mixed"
    return next((c.type for c in form.columns if c.key == column_key), "mixed")


@functools.cache
def cached_parser() -> Callable[[str, str], ParsedValue]:
    """The number parser with a memory: re-validating a table after each decision parses the same
    cell texts again and again (``parse_value`` is a pure function of the text and column type)."""
    from ..understand.numbers import parse_value

    return functools.lru_cache(maxsize=PARSE_CACHE_SIZE)(parse_value)


def parse_reviewed(text: str, col_type: str) -> tuple[str, float | None, bool | None, str | None, str | None]:
    """A typed value for a column: (kind, number, boolean, text, unit).

    Raises :class:`ReviewError` when the text is not a value of the column's type or could mean
    two numbers ("1.5" in a count column): the reviewer is asked again, nothing is guessed.
    """
    from ..understand.numbers import parse_value

    parsed = parse_value(text, col_type)
    if parsed.ambiguous:
        raise ReviewError(f"{text!r} could mean two numbers here ({parsed.problem}); type it without doubt")
    if parsed.problem:
        raise ReviewError(f"{text!r} is not a value of this column ({col_type}): {parsed.problem}")
    if parsed.kind == "null":
        raise ReviewError(f"{text!r} reads as a blank: use 'blank' to mark an empty cell")
    return parsed.kind, parsed.number, parsed.boolean, parsed.text, parsed.unit


def display(value: Value) -> str:
    """A value as a person reads it: "5.697", "99,7", "Có", the text, or "" for a blank."""
    from ..validate import format_number

    if value.number is not None:
        return format_number(value.number)
    if value.boolean is not None:
        return "Có" if value.boolean else "Không"
    return value.text or ""


def _set_value(value: Value, correction: Correction, col_type: str) -> Value:
    """A correction laid over a value, as re-validation must read it (raw_text = the decided text)."""
    action = correction.action
    value = replace(value, ambiguous=False, problem=None, candidates=(), confidence=100.0)
    if action in (Action.ACCEPT, Action.TYPE, Action.WRONG):
        text = correction.new_value or ""
        kind, number, boolean, as_text, unit = parse_reviewed(text, col_type)
        return replace(
            value,
            value_kind=kind,
            number=number,
            boolean=boolean,
            text=as_text,
            unit=unit or value.unit,
            raw_text=text,
        )
    if action is Action.BLANK:
        return replace(value, value_kind="null", number=None, boolean=None, text=None, raw_text="")
    if action is Action.ILLEGIBLE:
        return replace(
            value, value_kind="text", number=None, boolean=None, text=None, raw_text=ILLEGIBLE_TEXT
        )
    return value  # CONFIRM keeps the value as read


def _finish_reviewed(value: Value, correction: Correction, ocr_text: str, ocr_confidence: float) -> Value:
    """After re-validation: the reviewed status, the OCR text and confidence back."""
    illegible = correction.action is Action.ILLEGIBLE
    return replace(
        value,
        raw_text=ocr_text,
        confidence=ocr_confidence,
        status=REVIEWED,
        rule=value.rule if value.status == ValueStatus.VERIFIED else None,
        flag_reason=f"illegible (reviewer {correction.reviewer})" if illegible else None,
        value_kind="null" if illegible else value.value_kind,
        review=ReviewDecision(
            id=correction.id,
            action=correction.action.value,
            reviewer=correction.reviewer,
            at=correction.created_at,
            reason=correction.reason,
        ),
    )


def review_table(
    table: TableResult,
    corrections: Mapping[tuple[int, str], Correction],
    form: FormSpec | None,
    settings: ValidateSettings,
) -> TableResult:
    """A new table: ``table`` with ``corrections`` ((row_index, column_key) -> correction) applied
    and validated again (see the module doc)."""
    ocr = {}
    values = []
    for value in table.values:
        key = (value.row_index, value.column_key)
        corr = corrections.get(key)
        if corr is not None:
            ocr[key] = (value.raw_text, value.confidence)
            value = _set_value(value, corr, column_type(form, key[1]))
        values.append(value)
    issues = tuple(i for i in table.issues if not i.startswith(_FINDING_PREFIXES))
    # the document-level validation over this one table: the same steps as the run's (rules,
    # statuses, printed-empty cells marked blank)
    alone = DocumentResult(
        document_id="",
        source="",
        page_count=0,
        meta=DocumentMeta(),
        pages=(),
        tables=(replace(table, values=tuple(values), issues=issues),),
    )
    forms = {form.code: form} if form is not None else {}
    (out,) = validate_document(alone, forms, settings, parse=cached_parser()).tables
    finished = []
    for value in out.values:
        key = (value.row_index, value.column_key)
        finished.append(_finish_reviewed(value, corrections[key], *ocr[key]) if key in ocr else value)
    return replace(out, values=tuple(finished))


def cell_index(doc: DocumentResult) -> dict[CellId, tuple[int, tuple[int, str]]]:
    """Cell id (the outputs' key, with their unique row keys) -> (position of its table in
    ``doc.tables``, (row_index, column_key))."""
    rows = document_rows(replace(doc, pages=()))[ALL_CELLS]  # every cell, blanks too
    position = {t.table_index: n for n, t in enumerate(doc.tables)}
    out = {}
    for v, row in zip(doc.values(), rows, strict=True):
        cell = (v.document_id, v.table_index, row["row_key"], v.column_key)
        out[cell] = (position[v.table_index], (v.row_index, v.column_key))
    return out


def apply_corrections(
    doc: DocumentResult,
    corrections: Iterable[Correction],
    forms: Mapping[str, FormSpec],
    settings: ValidateSettings,
    *,
    tables: Sequence[int] | None = None,
    index: Mapping[CellId, tuple[int, tuple[int, str]]] | None = None,
) -> Applied:
    """``doc`` with the effective ``corrections`` of its cells applied (a copy; ``doc`` is not
    modified; tables without corrections are shared, not copied).  ``tables`` (table indexes)
    limits the work to those tables; ``index`` is :func:`cell_index` of ``doc`` when already
    known.  Raises :class:`ReviewError` for a stored value that no
    longer parses for its column (configs changed)."""
    from .corrections import effective

    mine = [c for c in corrections if c.document_id == doc.document_id]
    if not mine:
        return Applied(doc, ())
    index = cell_index(doc) if index is None else index
    per_table: dict[int, dict[tuple[int, str], Correction]] = {}
    orphans = []
    for cell, corr in effective(mine).items():
        hit = index.get(cell)
        if hit is None:
            orphans.append(corr)
            continue
        if tables is not None and cell[1] not in tables:
            continue
        per_table.setdefault(hit[0], {})[hit[1]] = corr
    new_tables = list(doc.tables)
    for pos, corr_of in per_table.items():
        table = doc.tables[pos]
        new_tables[pos] = review_table(table, corr_of, forms.get(table.form), settings)
    return Applied(replace(doc, tables=tuple(new_tables)), tuple(orphans))


__all__ = [
    "REVIEWED",
    "Applied",
    "apply_corrections",
    "cell_index",
    "column_type",
    "display",
    "parse_reviewed",
    "review_table",
]
