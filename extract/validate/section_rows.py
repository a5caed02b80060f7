"""Section rows whose label was lost, named by the sections their form always prints.

Forms 4B, 5B, 6B, 7B, 10B, 11B and 14B print two sections, "I" for the district and "II" for the
communes, under labels the form fixes ("UBND cấp huyện", "TTHC thuộc phạm vi thẩm quyền giải quyết
của UBND cấp xã"; ``sections:`` of ``configs/forms/*.yaml``), and 7B prints three fixed rows under
its section I ("Phòng chuyên môn", "Sự nghiệp huyện", "Sự nghiệp GD").  On a worn scan the label
cell of such a row is read empty or as marks while its STT ("I", "1") and every number are read:
the row stood with its numbers (often checked by the section's sum) under a label no user could
place, and the printed row was paired with nothing (dev 2858's and dev 2888's 7B: "I" with no
label, 12 and 14 numbers).

:func:`name_section_rows` gives such a row the form's label: a **section row** (kind section, as
the STT sequence judged it) whose STT is a declared section's numeral, or an **item right under
it** whose STT is the place of one of the section's fixed rows (path "I/2"), when its label is
read empty or is not legible (:func:`.labels.legible_share`) and no other row of the table reads
as that label.  The label as read is kept in a table issue; the row's numbers that no rule
checked (``read``) are **flagged** (the row's name rests on its STT and the form, not on its
label); numbers a rule of the row bore out keep their status.  A legible label is never replaced:
a report may print its own wording.
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from extract.config import FormSpec
from extract.folding import fold
from extract.model import RowInfo, RowKind, TableResult, Value, ValueStatus

from .across_row import checked_across_row
from .flagging import add_flag, row_fields
from .labels import legible_share

NAMED = (
    "row {stt!r} is form {form}'s row {declared!r} by its STT: its label was read {read!r}; "
    "values not checked by a rule flagged"
)


def _stt(text: str) -> str:
    return text.strip().rstrip(".").strip().upper()


def _lost(label: str, min_share: float) -> bool:
    """A label read empty or as marks (at most ``min_share`` of its words well formed)."""
    if not label.strip():
        return True
    share = legible_share(label)
    return share is None or share <= min_share


def _declared_for(rows: tuple[RowInfo, ...], i: int, form: FormSpec) -> str | None:
    """The label ``form`` fixes for row ``i``: a section's, or a fixed row's under it."""
    row = rows[i]
    sections = {_stt(s.index): s for s in form.sections}
    if row.kind == RowKind.SECTION:
        section = sections.get(_stt(row.index))
        return section.label if section is not None else None
    if row.kind != RowKind.ITEM or row.commune is not None:
        return None
    head, _, stt = row.path.rpartition("/")
    section = sections.get(_stt(head))
    if section is None or not stt.isdigit() or not 1 <= int(stt) <= len(section.rows):
        return None
    return section.rows[int(stt) - 1]


def name_section_rows(table: TableResult, form: FormSpec, min_share: float, same_min: float) -> TableResult:
    """``table`` with every section row (or fixed row under a section) of ``form`` whose label was
    lost named by the form (see the module); ``min_share``: ``validate.label_legible_min_share``;
    ``same_min``: a row whose label (folded) is at least this similar to the declared label reads
    as that row already (then no other row is given it)."""
    if not form.sections:
        return table
    rows = table.rows
    named: dict[int, str] = {}
    for i, row in enumerate(rows):
        declared = _declared_for(rows, i, form)
        if declared is None or not _lost(row.label, min_share):
            continue
        if any(fuzz.ratio(fold(r.label), fold(declared)) >= same_min for r in rows):
            continue  # another row reads as it: this one is not it
        named[i] = declared
    if not named:
        return table
    reasons = {
        i: NAMED.format(stt=rows[i].index.strip(), form=form.code, declared=label, read=rows[i].label.strip())
        for i, label in named.items()
    }
    new_rows = tuple(replace(r, label=named[i]) if i in named else r for i, r in enumerate(rows))

    def renamed(value: Value) -> Value:
        if value.row_index not in named:
            return value
        value = replace(value, **row_fields(new_rows[value.row_index]))
        if value.status == ValueStatus.READ and value.value_kind != "null":
            return add_flag(value, reasons[value.row_index])
        return value

    issues = (*table.issues, *(r for r in reasons.values() if r not in table.issues))
    return replace(table, rows=new_rows, values=tuple(renamed(v) for v in table.values), issues=issues)


UNDECLARED = (
    "under section {stt!r} ({label!r}), which form {form} does not print (it prints {declared}): "
    "the row's place is not known"
)


def flag_undeclared_sections(table: TableResult, form: FormSpec) -> TableResult:
    """``table`` with the numbers of every section row whose STT is no numeral of ``form``'s
    ``sections:``, and of the rows under it, **flagged**.

    A form that declares its sections prints those and no other: a section "B", "III", "IV" or
    "E" is a row read wrong ("Tổng cộng" read "Xổng Êổng" with STT "E", a field's STT garbled,
    section II's numeral read "III", a row the table does not print).  The sums of such a
    section check its rows against each other, not against the printed table: every number of
    the section row is flagged (verified ones too), and every number of a row under it that no
    rule across its own row bore out (a commune read "F" hangs the communes below it under "F":
    their row sums still place them, dev_4608); the table names the section in an issue.  A form
    without ``sections:`` is left as it is."""
    if not form.sections:
        return table
    declared = {_stt(s.index) for s in form.sections}
    heads = {
        row.path: row
        for row in table.rows
        if row.kind == RowKind.SECTION and _stt(row.index) and _stt(row.index) not in declared
    }
    if not heads:
        return table
    names = ", ".join(repr(s.index) for s in form.sections)

    def head_of(row: RowInfo) -> RowInfo | None:
        return heads.get(row.path.split("/", 1)[0])

    def reason(head: RowInfo) -> str:
        return UNDECLARED.format(
            stt=head.index.strip(), label=head.label.strip(), form=form.code, declared=names
        )

    def flagged(value: Value) -> Value:
        row = table.rows[value.row_index] if 0 <= value.row_index < len(table.rows) else None
        head = head_of(row) if row is not None else None
        if head is None or value.number is None or value.status in (ValueStatus.BLANK, ValueStatus.REVIEWED):
            return value
        if row is not head and checked_across_row(value, form):
            return value  # a row under it, checked against its own row's columns
        return add_flag(value, reason(head))

    values = tuple(flagged(v) for v in table.values)
    new = [reason(h) for h in heads.values()]
    issues = (*table.issues, *(r for r in new if r not in table.issues))
    return replace(table, values=values, issues=issues)
