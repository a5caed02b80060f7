"""Printed rows that were not read: placed in the table as rows of flagged values without numbers.

A row lost on a worn scan (its ruling lines gone, two rows read as one band, a row under a seal)
used to leave nothing in the outputs but, at best, a table issue ("rows missing under …").  Its
printed values were in no output: a user looking up a commune found no row and no flag.

:func:`add_placeholder_rows` gives such a row a **placeholder** in its place when the evidence
says which printed row was not read:

- **a commune of the table's district** that a commune-by-commune list does not name, while the
  list names at least ``validate.placeholder_communes_min`` of the district's communes and at
  least ``validate.placeholder_min_listed_share`` of them -- the placeholder is the commune
  (official name and code), placed between the communes around it in the district's code order
  when the list is printed in that order (with the STT the gap leaves), else after the list;
- **a row the form declares** (``rows:`` of a fixed-row form) that no row matches, between two
  rows that matched with no other row read between them
  (:func:`extract.validate.declared_rows.declared_gaps`);
- **an STT gap** in a numbered list ("1, 2, 4": STT 3), at most ``validate.placeholder_max_stt_gap``
  STTs, between two siblings with no other row between them.

No placeholder is made where the row may have been read: a row between the missing row's
neighbours that names no commune (a label garbled, two communes in one row), a row whose label
names the commune among others (two rows read as one: "read into row …"), rows between the
neighbours of a lost declared row, or a row of the same form's other table of the document that
lists the commune or the declared row.  Those are named in a table issue instead.

A placeholder row has the key a read row would have (``commune:<code>``, or its path), its label
(the commune's official name, the declared label, or none for an STT gap) and, in every value
column of the table, a value with no number, FLAGGED with :data:`ROW_NOT_FOUND` and why -- its box
the place on the page where the row is printed (between its neighbours), so the review queue
shows it and a reviewer can type the printed values.  ``Value.problem`` holds the same reason:
the rules treat the cell as not read (:func:`extract.validate.statuses.validate_table`: a sum
over it corrects and verifies nothing and never blames the print).  Nothing is ever invented.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from rapidfuzz import fuzz

from extract.config import FormSpec
from extract.folding import fold
from extract.model import Commune, CommuneMatch, PixelBox, RowInfo, RowKind, TableResult, Value
from extract.understand.communes import DistrictCommunes
from extract.understand.rows import looks_like_commune, read_index, slug

from .declared_rows import declared_gaps, declared_name, lost_total, row_score, total_places
from .flagging import row_fields, unread_value
from .settings import ValidateSettings

ROW_NOT_FOUND: Final = "row_not_found"
"""How every value of a placeholder row is flagged (its ``flag_reason`` and ``problem`` start so)."""

NOT_READ: Final = "no value was read: type the printed values from the page"
_NOT_BODY: Final = frozenset({RowKind.HEADER, RowKind.COLUMN_NUMBERS, RowKind.TOTAL})
_DIGITS = re.compile(r"\d+")


def is_placeholder(value: Value) -> bool:
    """Whether ``value`` is a cell of a placeholder row not yet typed by a reviewer."""
    return bool(value.problem and value.problem.startswith(ROW_NOT_FOUND) and value.number is None)


@dataclass(frozen=True)
class _Planned:
    """A placeholder row to insert before table row ``before`` (``len(rows)``: at the end)."""

    before: int
    row: RowInfo
    why: str
    near: tuple[int, ...]  # table rows around it (for its page and box)
    below: bool = False  # its box: under its one neighbour (the total row lost at the table's end)


# --------------------------------------------------------------------------------------------
# shared helpers


def _ordinal(index: str) -> int | None:
    last = index.strip().rstrip(".").rsplit(".", 1)[-1]
    return int(last) if last.isdigit() else None


def _with_ordinal(index: str, n: int) -> str:
    """ "2.2.5" with its last part ``n``: "2.2.6"."""
    head, dot, _last = index.strip().rstrip(".").rpartition(".")
    return f"{head}{dot}{n}"


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _child_path(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


def _row_name(row: RowInfo) -> str:
    return f"{row.index.strip()} {row.label.strip()[:40]}".strip() or "(no STT or label)"


def _body(row: RowInfo) -> bool:
    return row.kind not in _NOT_BODY


# --------------------------------------------------------------------------------------------
# communes


def _commune_groups(rows: Sequence[RowInfo]) -> dict[str, list[int]]:
    """Rows naming a commune, by the list they stand in (their parent path; a commune row hung
    under another commune row -- its STT lost -- stands in that row's list)."""
    group_of: dict[str, str] = {}
    out: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.commune is None or not _body(row):
            continue
        parent = _parent(row.path)
        parent = group_of.get(parent, parent)
        group_of[row.path] = parent
        out.setdefault(parent, []).append(i)
    return out


def _span(rows: Sequence[RowInfo], parent: str, members: Sequence[int]) -> tuple[int, int]:
    """First and last table row of a list: its members and the rows under its parent around them."""
    lo, hi = min(members), max(members)
    under = {
        i
        for i, r in enumerate(rows)
        if _body(r) and r.kind != RowKind.SECTION and (r.path.startswith(f"{parent}/") if parent else True)
    }
    while lo - 1 in under:
        lo -= 1
    while hi + 1 in under:
        hi += 1
    return lo, hi


def _ordered(codes: Sequence[int], share: float) -> bool:
    """Whether positions in the district's list mostly increase (longest increasing run)."""
    tails: list[int] = []
    for c in codes:
        k = bisect.bisect_left(tails, c)
        if k == len(tails):
            tails.append(c)
        else:
            tails[k] = c
    return len(tails) >= share * len(codes)


def _names_commune(label: str, commune: Commune, name_min: float) -> bool:
    """Whether ``label`` names ``commune`` (alone, or with another commune: two rows read as one)."""
    short = fold(commune.short)
    name = fold(commune.name) if len(short) < 4 or short.isdigit() else short
    text = fold(label)
    return len(text) >= len(name) and fuzz.partial_ratio(name, text) >= name_min


def _read_as(rows: Sequence[RowInfo], commune: Commune, name_min: float) -> list[int]:
    """Rows of the table that name ``commune`` in a label no commune was matched to for sure (an
    unresolved row, two communes in one label, a commune row read as a section "E Phường …"): its
    values may be there."""
    return [
        i
        for i, r in enumerate(rows)
        if _body(r)
        and (r.commune is None or r.problem)
        and (r.problem or looks_like_commune(r.label) or r.kind == RowKind.SECTION)
        and _names_commune(r.label, commune, name_min)
    ]


def _regions(groups: Mapping[str, list[int]], n_rows: int, min_members: int) -> dict[str, tuple[int, int]]:
    """Each commune list's stretch of the table: from past the list before it to before the list
    after it, lists of at least ``min_members`` rows bounding each other (a commune read under
    another parent -- "3.21" for "3.2.1" -- is still in its list's stretch; rows between two
    lists count for both)."""
    spans = sorted((min(m), max(m)) for m in groups.values() if len(m) >= min_members)
    out = {}
    for parent, members in groups.items():
        lo, hi = min(members), max(members)
        start = max((b for _a, b in spans if b < lo), default=-1) + 1
        end = min((a for a, _b in spans if a > hi), default=n_rows) - 1
        out[parent] = (start, end)
    return out


def _run_after(rows: Sequence[RowInfo], last: int) -> set[str]:
    """Codes of the commune rows right after a list's last member, up to the first row naming no
    commune: the list's own rows hung under another parent by misread STTs ("22.8", "2.29",
    "2211" after "2.2.7" -- dev_228_hard_200's 3B), which another list's stretch may have taken."""
    out = set()
    for row in rows[last + 1 :]:
        code = _code(row)
        if code is None:
            break
        out.add(code)
    return out


def _unaccounted(rows: Sequence[RowInfo], lo: int, hi: int) -> list[int]:
    """Body rows between ``lo`` and ``hi`` (exclusive) that name no commune: a lost commune's row
    may be one of them, read garbled."""
    return [
        i
        for i in range(lo + 1, hi)
        if _body(rows[i]) and rows[i].kind != RowKind.SECTION and rows[i].commune is None
    ]


def _commune_row(commune: Commune, parent: str, index: str) -> RowInfo:
    return RowInfo(
        kind=RowKind.COMMUNE,
        index=index,
        path=_child_path(parent, index or slug(commune.name)),
        label=commune.name,
        key=f"commune:{commune.code}",
        commune=CommuneMatch(commune, score=0.0, runner_up=0.0),
    )


def _slot_indexes(rows: Sequence[RowInfo], prev: int | None, nxt: int | None, count: int) -> list[str]:
    """The STTs ``count`` lost rows between ``prev`` and ``nxt`` take when the STTs around them
    leave exactly that gap; blanks otherwise."""
    a = _ordinal(rows[prev].index) if prev is not None else 0
    b = _ordinal(rows[nxt].index) if nxt is not None else None
    if a is None or (b is None and nxt is not None) or (prev is None and b is None):
        return [""] * count
    if b is not None and b - a - 1 != count:
        return [""] * count
    template = rows[prev].index if prev is not None else rows[nxt].index if nxt is not None else ""
    return [_with_ordinal(template, a + k + 1) for k in range(count)]


def _code(row: RowInfo) -> str | None:
    return row.commune.commune.code if row.commune is not None else None


def _commune_plans(
    table: TableResult,
    communes: DistrictCommunes,
    elsewhere: set[str],
    settings: ValidateSettings,
) -> tuple[list[_Planned], list[str]]:
    """Placeholder communes of ``table`` and what was not placed (see the module doc)."""
    rows = table.rows
    order = {c.code: k for k, c in enumerate(communes.communes)}
    n = len(communes.communes)
    plans: list[_Planned] = []
    notes: list[str] = []
    groups = _commune_groups(rows)
    regions = _regions(groups, len(rows), settings.placeholder_communes_min)
    for parent, members in groups.items():
        if len(members) < settings.placeholder_communes_min:
            continue  # a few commune rows under one parent: a piece of a list whose STTs were misread
        codes = {i: _code(rows[i]) for i in members}
        start, end = regions[parent]
        listed = {code for i in range(start, end + 1) if (code := _code(rows[i])) is not None}
        listed |= _run_after(rows, max(members))
        listed_known = [c for c in listed if c in order]
        if (
            len(listed_known) < settings.placeholder_communes_min
            or len(listed_known) < settings.placeholder_min_listed_share * n
        ):
            continue
        absent = [c for c in communes.communes if c.code not in listed and c.code not in elsewhere]
        if not absent:
            continue
        lo, hi = _span(rows, parent, members)
        by_position = sorted((order[c], i) for i, c in codes.items() if c in order)
        in_order = _ordered(
            [p for p, _i in sorted(by_position, key=lambda x: x[1])], settings.placeholder_ordered_share
        )
        slots: dict[tuple[int | None, int | None], list[Commune]] = {}
        for c in absent:
            merged = _read_as(rows, c, settings.placeholder_merged_name_min)
            if merged:
                where = ", ".join(f"row {i + 1} {_row_name(rows[i])!r}" for i in merged[:3])
                notes.append(f"{c.name} ({c.code}) not placed: read into {where}")
                continue
            if in_order:
                k = bisect.bisect_left(by_position, (order[c.code], -1))
                prev = by_position[k - 1][1] if k > 0 else None
                nxt = by_position[k][1] if k < len(by_position) else None
            else:
                prev, nxt = hi, None
            if prev is not None and nxt is not None and nxt < prev:  # neighbours out of order: no place
                notes.append(f"{c.name} ({c.code}) not placed: the rows around its place are out of order")
                continue
            slots.setdefault((prev, nxt), []).append(c)
        # before the list's first commune: from its parent row, or (that row lost too) from the
        # end of the list before it -- rows read garbled there may be the lost communes
        head = next((i for i, r in enumerate(rows) if parent and r.path == parent), start - 1)
        for (prev, nxt), lost in slots.items():
            first = prev if prev is not None else min(lo - 1, head)
            last = nxt if nxt is not None else hi + 1
            seen = (
                _unaccounted(rows, first, last) if in_order else _unaccounted(rows, min(lo - 1, head), hi + 1)
            )
            if seen:
                where = ", ".join(f"row {i + 1} {_row_name(rows[i])!r}" for i in seen[:3])
                names = ", ".join(f"{c.name} ({c.code})" for c in lost)
                notes.append(f"{names} not placed: may be read as {where}, whose label names no commune")
                continue
            indexes = _slot_indexes(rows, prev, nxt, len(lost)) if in_order else [""] * len(lost)
            before = nxt if nxt is not None else (prev + 1 if prev is not None else lo)
            if nxt is None and prev is not None:  # after the previous commune and the rows hung under it
                before = prev + 1
                while before < len(rows) and rows[before].path.startswith(f"{rows[prev].path}/"):
                    before += 1
            around = " and ".join(f"{_row_name(rows[i])!r}" for i in (prev, nxt) if i is not None)
            side = "between" if prev is not None and nxt is not None else "beside"
            place = f" (its place: {side} {around})" if around else ""
            for c, index in zip(lost, indexes, strict=True):
                why = (
                    f"{ROW_NOT_FOUND}: {c.name} (code {c.code}) of {communes.district.name} is not among the "
                    f"{len(listed)} of its {n} communes this list prints: its row was not found on the "
                    f"scan{place}; {NOT_READ}"
                )
                near = tuple(i for i in (prev, nxt) if i is not None)
                plans.append(_Planned(before, _commune_row(c, parent, index), why, near))
    return plans, notes


# --------------------------------------------------------------------------------------------
# declared rows


def _declared_plans(
    table: TableResult, form: FormSpec, others: Sequence[TableResult], settings: ValidateSettings
) -> tuple[list[_Planned], list[str]]:
    """Placeholders for declared rows lost between two matched rows with nothing read between."""
    rows = table.rows
    plans: list[_Planned] = []
    notes: list[str] = []
    for gap in declared_gaps(table, form, settings.declared_row_min_score):
        if not gap.lost or gap.stray:
            continue  # nothing lost, or rows read in the gap that may be the lost ones
        between = [
            i
            for i in range(gap.after + 1, gap.before)
            if _body(rows[i]) and rows[i].commune is None and rows[i].kind != RowKind.SECTION
        ]
        lost = [form.rows[d] for d in gap.lost]
        if between:
            names = "; ".join(repr(declared_name(d)) for d in lost)
            seen = ", ".join(f"row {i + 1} {_row_name(rows[i])!r}" for i in between[:3])
            notes.append(f"{names} not placed: may be read as {seen}")
            continue
        after = declared_name(form.rows[gap.declared_after]) if gap.declared_after >= 0 else None
        before = (
            declared_name(form.rows[gap.declared_before]) if gap.declared_before < len(form.rows) else None
        )
        for d in lost:
            if any(row_score(d, r) >= settings.declared_row_min_score for t in others for r in t.rows):
                continue  # another table of the form has it
            where = (
                f"between rows {after!r} and {before!r}"
                if after and before
                else f"after row {after!r}"
                if after
                else f"before row {before!r}"
                if before
                else "in the table"
            )
            why = (
                f"{ROW_NOT_FOUND}: form {form.code} prints row {declared_name(d)!r} ({where}), "
                f"but it was not found on the scan; {NOT_READ}"
            )
            near = tuple(i for i in (gap.after, gap.before) if 0 <= i < len(rows))
            plans.append(_Planned(gap.before, _declared_row(d, rows, gap, form), why, near))
    return plans, notes


def _declared_row(d: Mapping[str, str], rows: Sequence[RowInfo], gap: object, form: FormSpec) -> RowInfo:
    """A lost declared row: its STT and label; its path beside the row before it (a sibling of
    an STT of the same depth, a child of a shallower one, a bullet under the last numbered row)."""
    index = d.get("index", "").strip()
    label = d.get("label", "")
    after = getattr(gap, "after", -1)
    prev = rows[after] if 0 <= after < len(rows) else None
    name = index if index and index not in ("-", "+") else slug(label)
    if read_index(index).kind == "section":  # "II": a section, at the top level
        return RowInfo(kind=RowKind.SECTION, index=index, path=index, label=label, key=index)
    if prev is None:
        return RowInfo(kind=RowKind.ITEM, index=index, path=name, label=label, key=name)
    if index in ("-", "+") or not index:
        base = prev.path if _ordinal(prev.index) is not None else _parent(prev.path)
        path = _child_path(base, name)
        return RowInfo(kind=RowKind.SUBITEM, index=index, path=path, label=label, key=path)
    depth, prev_depth = index.count("."), prev.index.strip().rstrip(".").count(".")
    if _ordinal(prev.index) is None:
        parent = _parent(_parent(prev.path)) if depth <= prev_depth else _parent(prev.path)
    elif depth > prev_depth:
        parent = prev.path
    else:
        parent = _parent(prev.path)
        for _ in range(prev_depth - depth):
            parent = _parent(parent)
    path = _child_path(parent, index)
    kind = RowKind.SUBITEM if "." in index else RowKind.ITEM
    return RowInfo(kind=kind, index=index, path=path, label=label, key=path)


# --------------------------------------------------------------------------------------------
# STT gaps


def _stt_plans(table: TableResult, settings: ValidateSettings, skip: set[str]) -> list[_Planned]:
    """Placeholders for STTs missing between two numbered siblings with no row between them but
    the first one's own sub-rows (numbered: 2.1 under 2)."""
    rows = table.rows
    siblings: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.kind in (RowKind.ITEM, RowKind.SUBITEM, RowKind.COMMUNE) and _ordinal(r.index) is not None:
            siblings.setdefault(_parent(r.path), []).append(i)
    plans = []
    for parent, members in siblings.items():
        ordinals = [_ordinal(rows[i].index) for i in members]
        if parent in skip or any(b <= a for a, b in zip(ordinals, ordinals[1:], strict=False)):  # type: ignore[operator]
            continue  # a list whose STTs do not increase: misread STTs, not lost rows
        for a, b in zip(members, members[1:], strict=False):
            x, y = _ordinal(rows[a].index), _ordinal(rows[b].index)
            assert x is not None and y is not None
            gap = y - x - 1
            if not 1 <= gap <= settings.placeholder_max_stt_gap:
                continue
            own = f"{rows[a].path}/"
            between = [
                i
                for i in range(a + 1, b)
                if not (rows[i].path.startswith(own) and _ordinal(rows[i].index) is not None)
            ]
            if between:
                continue  # a row between them may be the lost one, its STT not read
            for k in range(1, gap + 1):
                index = _with_ordinal(rows[a].index, x + k)
                path = _child_path(parent, index)
                why = (
                    f"{ROW_NOT_FOUND}: STT {index} is missing between rows {_row_name(rows[a])!r} and "
                    f"{_row_name(rows[b])!r}: its row was not found on the scan; {NOT_READ}"
                )
                row = RowInfo(
                    kind=rows[a].kind if rows[a].kind != RowKind.COMMUNE else RowKind.ITEM,
                    index=index,
                    path=path,
                    label="",
                    key=path,
                )
                plans.append(_Planned(b, row, why, (a, b)))
    return plans


# --------------------------------------------------------------------------------------------
# the total row


def _total_plans(
    table: TableResult, form: FormSpec, others: Sequence[TableResult], settings: ValidateSettings
) -> list[_Planned]:
    """A placeholder for the total row of a form that prints one below its sections (a
    ``total_rows`` rule), when the table has the sections but no total row, no nameless row
    stands where the total is printed (:func:`extract.validate.declared_rows.total_places`:
    that row is named the total later), no other table of the form has a total row, and the last
    row read is a numbered or commune row (one with neither may be the total, its label garbled)."""
    rule = lost_total(table, form, settings.total_label_words_max)
    if rule is None or total_places(
        table, rule, settings.label_legible_min_share, settings.total_sums_min, settings.total_label_words_max
    ):
        return []
    if any(r.kind == RowKind.TOTAL or fold(r.label).startswith("tong") for t in others for r in t.rows):
        return []
    body = [i for i, r in enumerate(table.rows) if _body(r)]
    if not body:
        return []
    last = body[-1]
    if table.rows[last].commune is None and read_index(table.rows[last].index).kind in ("none", "other"):
        return []  # a last row with no STT and no commune may be the total, read garbled
    why = (
        f"{ROW_NOT_FOUND}: form {form.code} prints its total row {rule.name!r} below its sections, "
        f"but it was not found on the scan (after row {_row_name(table.rows[last])!r}); {NOT_READ}"
    )
    row = RowInfo(kind=RowKind.TOTAL, index="", path="total", label=rule.name, key="total")
    return [_Planned(last + 1, row, why, (last,), below=True)]


# --------------------------------------------------------------------------------------------
# the placeholders in the table


def _box(
    table: TableResult,
    by_row: Mapping[int, list[Value]],
    near: Sequence[int],
    column: str,
    before: int,
    below: bool = False,
) -> tuple[int, PixelBox] | None:
    """(page, box) of a placeholder cell: the column's width, from the bottom of the row above to
    the top of the row below on that row's page (both rows' height when they touch); ``below``:
    a row's height under its one neighbour."""
    anchors = [min(by_row[i], key=lambda v: v.box.height) for i in near if by_row.get(i)]
    if not anchors:
        return None
    page = anchors[0].page_index
    same_page = [a for a in anchors if a.page_index == page]
    column_cells = [v for v in table.values if v.column_key == column and v.page_index == page]
    if not column_cells:
        return None
    like = min(column_cells, key=lambda v: abs(v.row_index - before))
    y0, y1 = min(a.box.y0 for a in same_page), max(a.box.y1 for a in same_page)
    if below and len(same_page) == 1:
        y0, y1 = y1, y1 + (y1 - y0)
    if len(same_page) == 2:
        top, bottom = sorted(same_page, key=lambda a: a.box.y0)
        if bottom.box.y0 - top.box.y1 > top.box.height // 2:  # room between them: the lost row
            y0, y1 = top.box.y1, bottom.box.y0
    return page, PixelBox(like.box.x0, y0, like.box.x1, max(y0, y1))


def _values(table: TableResult, plan: _Planned, row_index: int) -> list[Value]:
    """One FLAGGED value without a number per value column of the table."""
    template = next(iter(table.values), None)
    if template is None:
        return []
    columns = list(dict.fromkeys(v.column_key for v in table.values))
    headers = {v.column_key: v.column_header for v in table.values}
    by_row: dict[int, list[Value]] = {}
    for v in table.values:
        by_row.setdefault(v.row_index, []).append(v)
    out = []
    for column in columns:
        placed = _box(table, by_row, plan.near, column, plan.before, plan.below)
        if placed is None:
            continue
        page, box = placed
        out.append(
            unread_value(
                template,
                plan.why,
                page_index=page,
                row_index=row_index,
                **row_fields(plan.row),
                column_key=column,
                column_header=headers[column],
                box=box,
            )
        )
    return out


def _insert(table: TableResult, plans: Sequence[_Planned]) -> TableResult:
    """``table`` with the planned rows inserted (values renumbered) and an issue naming them."""
    at: dict[int, list[_Planned]] = {}
    for p in plans:
        at.setdefault(p.before, []).append(p)
    new_index: dict[int, int] = {}
    rows: list[RowInfo] = []
    placed: list[tuple[_Planned, int]] = []
    for i in range(len(table.rows) + 1):
        for p in at.get(i, ()):
            placed.append((p, len(rows)))
            rows.append(p.row)
        if i < len(table.rows):
            new_index[i] = len(rows)
            rows.append(table.rows[i])
    values = [replace(v, row_index=new_index.get(v.row_index, v.row_index)) for v in table.values]
    for p, row_index in placed:
        values += _values(table, p, row_index)
    values.sort(key=lambda v: v.row_index)
    named = ", ".join(
        f"{(p.row.index + ' ') if p.row.index else ''}{p.row.label or '(label not known)'}".strip()
        + (f" ({p.row.commune.commune.code})" if p.row.commune is not None else "")
        for p, _ in placed
    )
    issue = (
        f"rows not found on the scan, placed as rows with a flagged value and no number in every "
        f"column ({ROW_NOT_FOUND}): {named}"
    )
    return replace(table, rows=tuple(rows), values=tuple(values), issues=(*table.issues, issue))


def add_placeholder_rows(
    table: TableResult,
    form: FormSpec,
    communes: DistrictCommunes | None,
    settings: ValidateSettings,
    others: Sequence[TableResult] = (),
) -> TableResult:
    """``table`` with a placeholder row for every printed row the evidence says was not read
    (see the module doc); ``others``: the document's other tables of the same form."""
    if not table.values:
        return table
    plans: list[_Planned] = []
    notes: list[str] = []
    commune_lists = set(_commune_groups(table.rows)) if form.commune_rows else set()
    if form.commune_rows and communes is not None:
        elsewhere = {r.commune.commune.code for t in others for r in t.rows if r.commune is not None}
        made, notes = _commune_plans(table, communes, elsewhere, settings)
        plans += made
    if form.rows:
        made, more = _declared_plans(table, form, others, settings)
        plans += made
        notes += more
    else:
        plans += _stt_plans(table, settings, commune_lists)
    plans += _total_plans(table, form, others, settings)
    out = _insert(table, plans) if plans else table
    if notes:
        issue = "rows missing but not placed (the row may have been read): " + "; ".join(notes)
        out = replace(out, issues=(*out.issues, issue))
    return out


__all__ = ["NOT_READ", "ROW_NOT_FOUND", "add_placeholder_rows", "is_placeholder"]
