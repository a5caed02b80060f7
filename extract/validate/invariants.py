"""The invariant engine: a form's declared rules, laid over a table's rows, evaluated.

Two steps, kept apart so the corrector can re-evaluate cheaply:

1. :func:`rule_instances` -- where each rule applies: one :class:`RuleInstance` per row (row_sum,
   ratio), per parent row and column (children_sum) or per total row and column (total_rows).
   Parent/child structure comes from :attr:`RowInfo.path` ("II" is the parent of "II/3").
2. :func:`evaluate` -- one instance against the cells' readings: a :class:`Check`, or None when
   the instance cannot be judged (a needed cell is missing or unusable, a blank when blanks are
   not 0, every cell blank, a blank ratio result, a zero denominator).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from extract.config import FormSpec, InvariantSpec
from extract.model import RowInfo, RowKind, TableResult

from .cells import CellKey, Parser, Reading, column_types, read_value

NON_BODY_KINDS: Final = frozenset({RowKind.HEADER.value, RowKind.COLUMN_NUMBERS.value})
ROW_GROUP_KINDS: Final = frozenset({"children_sum", "total_rows"})
"""Rules that sum rows: where one lost cell among many parts lets a wrong candidate elsewhere fit,
and whose parts are rows placed by their STTs."""
ROW_RULE_KINDS: Final = frozenset({"row_sum", "ratio"})
"""Rules within one row: they check a value against other columns of its own row."""
FLOAT_SLACK: Final = 1e-9
"""Relative slack for float arithmetic (not a rounding allowance)."""


@dataclass(frozen=True, order=True)
class CellRef:
    """A cell named for people and for code: body row index, row key, column key."""

    row_index: int
    row_key: str
    column_key: str

    @property
    def key(self) -> CellKey:
        return (self.row_index, self.column_key)


@dataclass(frozen=True)
class RuleInstance:
    """One place a rule applies: ``total`` (the printed result) against ``parts``.

    For ``ratio`` the parts are (numerator, denominator) and the expected value is
    ``numerator / denominator * scale``; otherwise it is the sum of the parts.
    """

    rule: str
    kind: str
    where: str  # "row 'II', column tiep_nhan_tong (3)=(4)+(5)"
    total: CellRef
    parts: tuple[CellRef, ...]
    scale: float = 1.0
    tolerance: float = 0.0

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Check:
    """A rule instance judged: ``actual`` is the printed total, ``expected`` what the parts give.

    ``holds`` when they agree within ``tolerance`` (the rule's own tolerance plus the rounding of
    printed decimals).  Blank cells entered the sum as 0 (see ``ValidateSettings.blank_is_zero``).
    """

    instance: RuleInstance
    expected: float
    actual: float
    tolerance: float
    holds: bool

    @property
    def rule(self) -> str:
        return self.instance.rule

    @property
    def kind(self) -> str:
        return self.instance.kind

    @property
    def where(self) -> str:
        return self.instance.where

    @property
    def total(self) -> CellRef:
        return self.instance.total

    @property
    def parts(self) -> tuple[CellRef, ...]:
        return self.instance.parts

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.instance.cells


# --------------------------------------------------------------------------------------------
# structure


def normalize_index(index: str) -> str:
    """A printed STT as a comparable token: "II." -> "II", " 2.1 " -> "2.1", "ii" -> "II"."""
    s = index.strip().rstrip(".").strip()
    return s.upper() if s.isalpha() else s


def parent_path(path: str) -> str:
    """ "II/3" -> "II"; a top-level path has parent ""."""
    return path.rsplit("/", 1)[0] if "/" in path else ""


def children_of(rows: Sequence[RowInfo]) -> dict[int, list[int]]:
    """Row index -> indices of its direct children, by path.

    A child follows its parent and its path's parent is the parent's path; a later row with the
    parent's own path (a repeated path) ends the parent's scope.
    """
    out: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        if not row.path or row.kind.value in NON_BODY_KINDS:
            continue
        kids = []
        for j in range(i + 1, len(rows)):
            if rows[j].path == row.path:
                break
            if parent_path(rows[j].path) == row.path and rows[j].kind.value not in NON_BODY_KINDS:
                kids.append(j)
        if kids:
            out[i] = kids
    return out


def _row_name(row: RowInfo) -> str:
    name = row.index.strip() or row.label.strip() or row.path
    return name if len(name) <= 40 else name[:39] + "…"


def _col_name(form: FormSpec, key: str) -> str:
    try:
        number = form.column(key).number
    except KeyError:
        number = None
    return f"{key} {number}" if number else key


def _columns(inv: InvariantSpec, form: FormSpec, present: set[str]) -> list[str]:
    cols = form.numeric_columns() if inv.columns == "numeric" else list(inv.columns)
    return [c for c in cols if c in present]


def _part_rows(rows: Sequence[RowInfo], part: str) -> list[int]:
    """Rows printed with index ``part``, shallowest first level only (sub-items reuse numbers)."""
    want = normalize_index(part)
    hits = [i for i, r in enumerate(rows) if normalize_index(r.index) == want and r.kind != RowKind.TOTAL]
    if not hits:
        return []
    depth = min(rows[i].path.count("/") for i in hits)
    return [i for i in hits if rows[i].path.count("/") == depth]


def rule_instances(table: TableResult, form: FormSpec) -> list[RuleInstance]:
    """Every place each of ``form``'s invariants applies in ``table``, in declaration order.

    A total_rows part that matches no row, or several rows at the same depth, yields no instance
    for that total row (the table's structure was not recognised well enough to judge it).
    """
    rows = table.rows
    present = {v.column_key for v in table.values}
    row_ids = {i: r.key for i, r in enumerate(rows)}
    body = [i for i, r in enumerate(rows) if r.kind.value not in NON_BODY_KINDS]

    def ref(i: int, col: str) -> CellRef:
        return CellRef(i, row_ids[i], col)

    out: list[RuleInstance] = []
    for inv in form.invariants:
        if inv.kind in ROW_RULE_KINDS:
            total = inv.total if inv.kind == "row_sum" else inv.result
            parts = inv.parts if inv.kind == "row_sum" else [inv.numerator, inv.denominator]
            assert total is not None
            if total not in present:
                continue
            for i in body:
                out.append(
                    RuleInstance(
                        rule=inv.name,
                        kind=inv.kind,
                        where=f"row {_row_name(rows[i])!r}, column {_col_name(form, total)}",
                        total=ref(i, total),
                        parts=tuple(ref(i, p) for p in parts if p is not None),
                        scale=inv.scale,
                        tolerance=inv.tolerance,
                    )
                )
        elif inv.kind == "children_sum":
            kids = children_of(rows)
            want = None if inv.parent == "*" else normalize_index(inv.parent or "")
            for parent, children in kids.items():
                if want is not None and normalize_index(rows[parent].index) != want:
                    continue
                out.extend(_row_sums(inv, form, present, rows, ref, parent, children))
        else:  # total_rows
            found = [_part_rows(rows, p) for p in inv.parts]
            if any(len(f) != 1 for f in found):
                continue
            part_rows = [f[0] for f in found]
            for t in body:
                if rows[t].kind != RowKind.TOTAL:
                    continue
                out.extend(_row_sums(inv, form, present, rows, ref, t, part_rows))
    return out


def _row_sums(
    inv: InvariantSpec,
    form: FormSpec,
    present: set[str],
    rows: Sequence[RowInfo],
    ref: Callable[[int, str], CellRef],
    total_row: int,
    part_rows: Sequence[int],
) -> list[RuleInstance]:
    """One instance per column of ``inv``: row ``total_row`` = the sum of rows ``part_rows``
    (a parent and its children, or the total row and the named sections)."""
    return [
        RuleInstance(
            rule=inv.name,
            kind=inv.kind,
            where=f"row {_row_name(rows[total_row])!r}, column {_col_name(form, col)}",
            total=ref(total_row, col),
            parts=tuple(ref(p, col) for p in part_rows),
            tolerance=inv.tolerance,
        )
        for col in _columns(inv, form, present)
    ]


# --------------------------------------------------------------------------------------------
# evaluation


def _half_unit(decimals: int) -> float:
    """Largest rounding error of a number printed with ``decimals`` decimals."""
    return 0.5 * 10.0 ** (-decimals)


def evaluate(inst: RuleInstance, readings: Mapping[CellKey, Reading], blank_is_zero: bool) -> Check | None:
    """Judge one instance on ``readings``; None when it cannot be judged (see module doc)."""
    numbers: list[float] = []
    decimals: list[int] = []
    blanks = 0
    for n, cell in enumerate(inst.cells):
        r = readings.get(cell.key)
        if r is None:
            return None
        if r.blank:
            if not blank_is_zero or (inst.kind == "ratio" and n == 0):
                return None  # a blank rate means "not computed", not 0 %
            blanks += 1
            numbers.append(0.0)
            decimals.append(0)
        elif r.number is None:
            return None
        else:
            numbers.append(r.number)
            decimals.append(r.decimals)
    if blanks == len(numbers):
        return None
    actual, parts = numbers[0], numbers[1:]
    if inst.kind == "ratio":
        numerator, denominator = parts
        if denominator == 0:
            return None
        expected = numerator / denominator * inst.scale
        tol = inst.tolerance + _half_unit(decimals[0])
    else:
        expected = sum(parts)
        tol = inst.tolerance + sum(_half_unit(d) for d in decimals if d > 0)
    tol += FLOAT_SLACK * max(1.0, abs(expected), abs(actual))
    return Check(inst, expected=expected, actual=actual, tolerance=tol, holds=abs(expected - actual) <= tol)


def table_readings(table: TableResult, form: FormSpec | None, parse: Parser | None) -> dict[CellKey, Reading]:
    """The :class:`Reading` of every value of ``table`` (types from ``form``; "mixed" if unknown)."""
    types = column_types(form)
    return {
        (v.row_index, v.column_key): read_value(v, types.get(v.column_key, "mixed"), parse)
        for v in table.values
    }


def check_table(
    table: TableResult,
    form: FormSpec,
    *,
    blank_is_zero: bool = True,
    parse: Parser | None = None,
) -> list[Check]:
    """Evaluate every invariant of ``form`` on every row/group of ``table`` it applies to.

    Returns the judged instances (holding or failing) in declaration order; instances that cannot
    be judged are left out.  Blank cells count as 0 when ``blank_is_zero`` (the default, see
    :class:`~extract.validate.settings.ValidateSettings`).  ``parse`` (optional) re-reads raw text
    to exclude ambiguous cells; without it the values' own fields decide.  Changes nothing.
    """
    readings = table_readings(table, form, parse)
    checks = (evaluate(inst, readings, blank_is_zero) for inst in rule_instances(table, form))
    return [c for c in checks if c is not None]
