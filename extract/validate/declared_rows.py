"""The rows a form prints every time, checked against the rows read.

Forms 1B, 2B, 3B, 8B, 9B and 13B print a fixed list of rows (``rows:`` of
``configs/forms/*.yaml``): "- Số VBQPPL phải rà soát trong kỳ báo cáo" and its siblings under 2B's
"3 Rà soát VBQPPL", many with the STT "-", so a row lost or read as marks leaves no STT gap for
the rows' completeness check to see.  On the dev split's hard and fax scans such rows were lost
without a word (dev_012_fax_150 and dev_032_hard_200's 2B, dev_019_fax_150's 9B) or read as marks
("=#bic » BH đề nghị xử lý sau rà ˆ ` {") whose numbers stood ``read`` under a label no user could
place.

:func:`check_declared_rows` lays the declared rows over the table's rows in order (each pair
scored by label and STT, :func:`align`): a declared row no row of the table matches is **named
in a table issue** (its values are lost, or read into another row or table); a row of the table
that matches no declared row is **flagged** (a label misread, or two rows read as one) -- unless it stands
alone between two matched rows where exactly as many declared rows are missing: then it **is**
that declared row by its place, its label is the declared one, the label as read is kept in the
flag reason and in a table issue, and its values are flagged (a place is evidence, not a reading).
So are the rows of a gap at the table's start or end (before its first matched row, after its
last) as many as the declared rows lost there, each printing the declared STT or none read
(:func:`_at_an_edge`).

Rows the form does not declare are not judged: the communes listed under 3B's "2.2 Cấp xã"
(their STTs are deeper than any declared row's, or their labels are printed like communes), rows
a commune was matched to, and rows the understanding already doubts (``RowInfo.problem``).

:func:`note_missing_total` gives a table issue when a form that prints a total row ("Tổng số =
(I) + (II)", a ``total_rows`` rule) has its sections but no total row: the row's numbers were
lost (dev_012_fax_150's 7B: 17 numbers; dev_026_fax_150's 6B: 10).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from rapidfuzz import fuzz

from extract.config import FormSpec, InvariantSpec
from extract.folding import fold
from extract.model import RowInfo, RowKind, TableResult, Value, ValueStatus
from extract.understand.rows import looks_like_commune, read_index, stt_holds_words

from .flagging import add_flag, row_fields
from .invariants import ROW_GROUP_KINDS
from .labels import illegible

_NOT_BODY: Final = frozenset({RowKind.HEADER, RowKind.COLUMN_NUMBERS, RowKind.TOTAL})
_SHORTER_MIN: Final = 0.6
"""A label read at least this share of a declared label's length may be its start (a wrapped
label's first line): it is compared with the declared label's best-fitting part too."""

UNDECLARED = "label {label!r} names no row that form {form} prints: a label misread, or two rows read as one"
BY_PLACE = (
    "row {label!r} is form {form}'s row {declared!r} by its place ({where}); its label as read "
    "names no row of the form: values flagged"
)
SHIFTED = "its STT cell reads the row's label ({words!r})"
BY_WORDS = (
    "row {label!r} is form {form}'s row {declared!r}: {where}, its label cell {label!r}: the "
    "columns were read shifted, its values may stand in the wrong columns: values flagged"
)


STT_MISMATCH_PENALTY: Final = 20.0
"""Taken off a row's score when it prints an STT other than the declared one ("1" for "I" is
the same STT): a misread STT costs a pairing less than a misread label, two rows of one label
("Cấp huyện" under 2 and under 3) are told apart by it."""
_STT_LOOKALIKES: Final = str.maketrans({"l": "1", "I": "1", "i": "1", "|": "1", "O": "0", "o": "0"})


def _stt(text: str) -> str:
    return text.strip().rstrip(".").strip()


def _printed_stt(text: str) -> bool:
    """Whether an STT cell as read holds an STT (a number, a numeral, a bullet or a letter);
    marks or a garble under a signature ("vôi" read for the total's "Tổng") are none."""
    return bool(_stt(text)) and read_index(text).kind != "other"


def _same_stt(a: str, b: str) -> bool:
    return a.translate(_STT_LOOKALIKES) == b.translate(_STT_LOOKALIKES)


def _label_score(declared: str, read: str) -> float:
    """How alike a declared label (folded) and a label as read are (0..100): a wrapped label's
    start is compared with the declared label's best-fitting part; spaces lost or added in
    reading ("Kiểmtraviệctheodõi…") make no other label."""
    b = fold(read)
    if not declared or not b:
        return 0.0
    score = fuzz.ratio(declared, b)
    if min(len(declared), len(b)) >= _SHORTER_MIN * max(len(declared), len(b)):
        score = max(score, fuzz.partial_ratio(declared, b))
    return max(score, fuzz.ratio(declared.replace(" ", ""), b.replace(" ", "")))


def _whole_label_score(declared: str, read: str) -> float:
    """How alike a declared label (folded) and a label as read are as whole labels (0..100): a
    part read well ("' nhã niớc bảo đảm chỉ thường xuyên" of "Số đơn vị được nhà nước bảo đảm chi
    thường xuyên") is not the label; spaces lost or added make no other label."""
    b = fold(read)
    if not declared or not b:
        return 0.0
    return max(fuzz.ratio(declared, b), fuzz.ratio(declared.replace(" ", ""), b.replace(" ", "")))


def stt_cell_label(row: RowInfo) -> str | None:
    """The words ``row``'s STT cell holds, when it holds words, else None: the row's label read
    into its STT cell (the rule between the two columns lost, or the grid one column off:
    dev_208_fax_150's 1B read "Kiểmtraviệctheodõi…" as the STT of rows 4 and 5 and a number as
    their label)."""
    text = row.index.strip()
    return text if stt_holds_words(text) else None


def row_score(declared: dict[str, str], row: RowInfo) -> float:
    """How well ``row`` (as read) fits a declared row (0..100): label similarity, folded
    (:func:`_label_score`), less :data:`STT_MISMATCH_PENALTY` when both print an STT other than
    "-" and they differ; a row whose STT cell holds words is scored by those words too."""
    a = fold(declared.get("label", ""))
    score = _label_score(a, row.label)
    shifted = stt_cell_label(row)
    if shifted is not None:
        return max(score, _label_score(a, shifted))
    d_stt, r_stt = _stt(declared.get("index", "")), _stt(row.index)
    if d_stt not in ("", "-") and r_stt not in ("", "-") and not _same_stt(d_stt, r_stt):
        score -= STT_MISMATCH_PENALTY
    return max(0.0, float(score))


def align(declared: Sequence[dict[str, str]], rows: Sequence[RowInfo], min_score: float) -> dict[int, int]:
    """Declared row -> row (indexes into the two lists): the order-keeping pairing of pairs
    scoring at least ``min_score`` with the greatest total margin over it."""
    n, m = len(declared), len(rows)
    scores = [[row_score(d, r) for r in rows] for d in declared]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = scores[i][j] - min_score + 1.0 + best[i + 1][j + 1] if scores[i][j] >= min_score else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out: dict[int, int] = {}
    i = j = 0
    while i < n and j < m:
        s = scores[i][j]
        if s >= min_score and best[i][j] == s - min_score + 1.0 + best[i + 1][j + 1]:
            out[i], i, j = j, i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _judged_rows(table: TableResult, form: FormSpec) -> list[int]:
    """Indexes of the table's rows the declared rows are laid over (see the module doc)."""
    depth = max((_stt(d.get("index", "")).count(".") for d in form.rows), default=0)
    out = []
    for i, row in enumerate(table.rows):
        if row.kind in _NOT_BODY or row.commune is not None or row.problem:
            continue
        deep = not stt_holds_words(row.index) and _stt(row.index).count(".") > depth
        if deep or looks_like_commune(row.label):  # (words in the STT cell are no STT: "Số.đơn.vị…")
            continue
        if not row.label.strip() and not row.index.strip():
            continue
        out.append(i)
    return out


def declared_name(d: dict[str, str]) -> str:
    """ "3 Rà soát VBQPPL": a declared row's STT and label."""
    stt = d.get("index", "").strip()
    return f"{stt} {d.get('label', '')}".strip()


@dataclass(frozen=True)
class Gap:
    """Declared rows between two declared rows that matched (or the table's start or end), and
    the table's rows between the rows those two matched: ``lost`` and ``stray`` are indexes into
    ``form.rows`` and ``table.rows``; ``after`` / ``before`` the table rows that matched the
    declared rows around the gap (-1 / ``len(table.rows)`` at the table's start / end)."""

    lost: tuple[int, ...]
    stray: tuple[int, ...]
    after: int
    before: int
    declared_after: int  # index into form.rows, -1 at the start
    declared_before: int  # index into form.rows, len(form.rows) at the end


def declared_pairs(table: TableResult, form: FormSpec, min_score: float) -> tuple[list[int], dict[int, int]]:
    """The table's judged rows (indexes into ``table.rows``) and the declared rows laid over
    them (:func:`align`: declared row -> position among the judged rows)."""
    judged = _judged_rows(table, form)
    return judged, align(form.rows, [table.rows[i] for i in judged], min_score)


def declared_gaps(table: TableResult, form: FormSpec, min_score: float) -> list[Gap]:
    """The declared rows laid over the table's judged rows (:func:`align`), gap by gap."""
    judged, pairs = declared_pairs(table, form, min_score)
    rows = [table.rows[i] for i in judged]
    anchors = [(-1, -1), *sorted(pairs.items()), (len(form.rows), len(rows))]
    out = []
    for (d0, r0), (d1, r1) in zip(anchors, anchors[1:], strict=False):
        out.append(
            Gap(
                lost=tuple(range(d0 + 1, d1)),
                stray=tuple(judged[r] for r in range(r0 + 1, r1)),
                after=judged[r0] if r0 >= 0 else -1,
                before=judged[r1] if r1 < len(rows) else len(table.rows),
                declared_after=d0,
                declared_before=d1,
            )
        )
    return out


def check_declared_rows(
    table: TableResult, form: FormSpec, min_score: float, rename_below: float = 0.0, margin: float = 5.0
) -> TableResult:
    """``table`` checked against the rows ``form`` declares (see the module doc); a row paired
    with a declared row whose label as read scores under ``rename_below`` takes the declared
    label, unless it reads as another declared row by ``margin`` more (:func:`_renamed`)."""
    if not form.rows:
        return table
    table = _renamed(table, form, min_score, rename_below, margin)
    by_place: dict[int, tuple[dict[str, str], str]] = {}  # table row -> (declared row, where)
    undeclared: list[int] = []
    missing: list[tuple[dict[str, str], str]] = []
    for gap in declared_gaps(table, form, min_score):
        d0, d1 = gap.declared_after, gap.declared_before
        lost, stray = gap.lost, gap.stray
        after = declared_name(form.rows[d0]) if d0 >= 0 else None
        if lost and len(lost) == len(stray) and d0 >= 0 and d1 < len(form.rows):
            before = declared_name(form.rows[d1])
            for d, r in zip(lost, stray, strict=True):
                by_place[r] = (form.rows[d], f"between rows {after!r} and {before!r}")
            continue
        edge = _at_an_edge(gap, form, table)
        if edge is not None:
            for d, r in zip(lost, stray, strict=True):
                by_place[r] = (form.rows[d], edge)
            continue
        widened = _with_nameless_rows(gap, form, table)
        if widened is not None:
            for d, r in zip(lost, widened[0], strict=True):
                by_place[r] = (form.rows[d], widened[1])
            continue
        undeclared += list(stray)
        where = f"after row {after!r}" if after else "at the table's start"
        missing += [(form.rows[d], where) for d in lost]
    judged, pairs = declared_pairs(table, form, min_score)
    for d, j in pairs.items():
        row, declared = table.rows[judged[j]], form.rows[d]
        words = stt_cell_label(row)
        if words is not None and _label_score(fold(declared.get("label", "")), row.label) < min_score:
            by_place[judged[j]] = (declared, SHIFTED.format(words=words[:60]))
    if not (by_place or undeclared or missing):
        return table
    return _apply(table, form, by_place, undeclared, missing)


def _at_an_edge(gap: Gap, form: FormSpec, table: TableResult) -> str | None:
    """Where a gap at the table's start or end stands (its words), when its rows are the
    declared rows lost there by their place: as many rows as declared rows lost, each row's STT
    the declared one's or none read (dev 1122's 1B: the last row, "%" "Kiể a một}sổ|nội du ác",
    for "5 Kiểm tra một số nội dung khác"; dev 1013's 8B: its first two rows).  A gap open on
    both sides (no declared row matched) settles nothing."""
    d0, d1 = gap.declared_after, gap.declared_before
    if not gap.lost or len(gap.lost) != len(gap.stray) or (d0 < 0) == (d1 >= len(form.rows)):
        return None
    return _gap_words(gap, form) if _stts_agree(gap.lost, gap.stray, form, table) else None


def _stts_agree(lost: Sequence[int], rows: Sequence[int], form: FormSpec, table: TableResult) -> bool:
    """Whether no row of ``rows`` prints an STT other than its declared row's (``lost``, in
    order; none read, "-" or a lookalike agree)."""
    for d, r in zip(lost, rows, strict=True):
        read, declared = _stt(table.rows[r].index), _stt(form.rows[d].get("index", ""))
        if _printed_stt(read) and read != "-" and not _same_stt(read, declared):
            return False
    return True


def _gap_words(gap: Gap, form: FormSpec) -> str:
    """Where a gap stands, in words: between two declared rows, or at the table's end / start."""
    d0, d1 = gap.declared_after, gap.declared_before
    if d0 >= 0 and d1 < len(form.rows):
        return f"between rows {declared_name(form.rows[d0])!r} and {declared_name(form.rows[d1])!r}"
    if d0 >= 0:
        return f"after row {declared_name(form.rows[d0])!r}, the table's last rows"
    return f"before row {declared_name(form.rows[d1])!r}, the table's first rows"


def _nameless_read(row: RowInfo, values: Sequence[Value], i: int) -> bool:
    """A body row whose label was lost in reading: its STT read and no label (the understanding
    doubts it: "STT '1' with no label"), or neither, with a number read (a row of numbers whose
    STT and label cells were read empty).  Not judged by :func:`_judged_rows` (its label names
    nothing), it may still stand where a declared row was lost (:func:`_with_nameless_rows`)."""
    if row.kind not in (RowKind.ITEM, RowKind.SUBITEM, RowKind.SECTION) or row.commune is not None:
        return False
    if row.label.strip() or stt_holds_words(row.index):
        return False
    return bool(_stt(row.index)) or any(v.row_index == i and v.number is not None for v in values)


def _with_nameless_rows(gap: Gap, form: FormSpec, table: TableResult) -> tuple[tuple[int, ...], str] | None:
    """The gap's rows with the rows whose label was lost standing in it (:func:`_nameless_read`)
    and the gap's place in words, when together they are as many as the declared rows lost there
    and none prints an STT other than the declared one's: each is its declared row by its place.
    Dev 1031 / 1059's 8B, 1717's 9B, 1125 / 1727's 13B: the table's first rows printed their STTs
    ("1", "2"; "I" read "1") and their labels were read empty -- doubted, they were judged no
    row, the declared rows "not found" and their numbers paired with no printed row.  A gap open
    on both sides (no declared row matched) settles nothing, as in :func:`_at_an_edge`."""
    d0, d1 = gap.declared_after, gap.declared_before
    if not gap.lost or (d0 < 0 and d1 >= len(form.rows)):
        return None
    between = [i for i in range(gap.after + 1, gap.before) if i not in gap.stray]
    lost_rows = [i for i in between if _nameless_read(table.rows[i], table.values, i)]
    doubted = [i for i in between if i not in lost_rows and _doubted_numbered(table.rows[i])]
    rows = tuple(sorted((*gap.stray, *lost_rows, *doubted)))
    if (
        not (lost_rows or doubted)
        or len(rows) != len(gap.lost)
        or not _stts_agree(gap.lost, rows, form, table)
    ):
        return None
    for d, r in zip(gap.lost, rows, strict=True):
        if r in doubted and not _same_stt(_stt(table.rows[r].index), _stt(form.rows[d].get("index", ""))):
            return None  # a doubted row stands for its declared row only where it prints its STT
    why = "its label read empty" if not doubted else "its label not legible"
    return rows, f"{_gap_words(gap, form)}, {why}"


def _doubted_numbered(row: RowInfo) -> bool:
    """A numbered body row that the understanding doubted (a ``problem``: its STT given by the
    rows around it, its label garbled into something commune-like) -- not judged by
    :func:`_judged_rows`, it may still stand where a declared row was lost, when its STT is that
    row's (dev 2210's 1B: "3 | Kiểm tra thìy^ hi^" between the declared rows 2 and 4, "not
    found", its values flagged but paired with no printed row)."""
    return (
        row.kind in (RowKind.ITEM, RowKind.SUBITEM)
        and row.commune is None
        and bool(row.problem)
        and _printed_stt(row.index)
        and not stt_holds_words(row.index)
    )


RENAMED = (
    "row {read!r} is form {form}'s row {declared!r} (its label as read, garbled, fits no other "
    "row of the form as well, in the form's order): named so"
)


def _renamed(
    table: TableResult, form: FormSpec, min_score: float, rename_below: float, margin: float
) -> TableResult:
    """``table`` whose rows paired with a declared row (:func:`align`, at least ``min_score``)
    but whose label as read scores under ``rename_below`` take the declared row's label (and its
    STT, where none was read or the STT cell held words); the label as read is kept in a table
    issue.  Not where, as a whole label, it reads as another declared row by ``margin`` more
    ("Số đơn vị tự bảo đảm chỉ thường xuyên : : _=——" paired by the order with "… chi thường
    xuyên và chi đầu tư", dev_1005_hard_200: the pairing rests on the order alone).  The pairing
    already trusts the row (its values keep their status); named by its garbled reading, no
    user, join or review could find it ("Số đơn vị tự b&ô Vắh(/@hj thường xuyên" for 9B's
    "- Số đơn vị tự bảo đảm chi thường xuyên", dev_1047_hard_200: its "3", verified by the
    sum, paired with no printed row)."""
    judged, pairs = declared_pairs(table, form, min_score)
    rows, issues = list(table.rows), list(table.issues)
    for d, j in pairs.items():
        i, declared = judged[j], form.rows[d]
        row = table.rows[i]
        if _whole_label_score(fold(declared.get("label", "")), row.label) >= rename_below:
            continue
        if (
            stt_cell_label(row) is not None
            and _label_score(fold(declared.get("label", "")), row.label) < min_score
        ):
            continue  # named from its STT cell's words (BY_WORDS), flagged
        whole = [_whole_label_score(fold(o.get("label", "")), row.label) for o in form.rows]
        if max(whole) >= whole[d] + margin:
            continue  # it reads as another declared row: the pairing rests on the order alone
        rows[i] = replace(row, label=declared.get("label", row.label))
        if stt_cell_label(row) is not None or not _stt(row.index):
            rows[i] = replace(rows[i], index=declared.get("index", row.index), printed_index=row.index)
        read = f"{row.index.strip()} {row.label.strip()}".strip()
        issues.append(RENAMED.format(read=read[:60], form=form.code, declared=declared_name(declared)))
    if rows == list(table.rows):
        return table
    named = {i: r for i, r in enumerate(rows) if r is not table.rows[i]}
    values = tuple(
        replace(v, **row_fields(named[v.row_index])) if v.row_index in named else v for v in table.values
    )
    return replace(table, rows=tuple(rows), values=values, issues=tuple(dict.fromkeys(issues)))


def _apply(
    table: TableResult,
    form: FormSpec,
    by_place: dict[int, tuple[dict[str, str], str]],
    undeclared: list[int],
    missing: list[tuple[dict[str, str], str]],
) -> TableResult:
    reasons: dict[int, str] = {}
    issues = list(table.issues)
    new_rows = list(table.rows)
    for i, (declared, where) in by_place.items():
        read = table.rows[i].label.strip()
        reasons[i] = (BY_WORDS if stt_cell_label(table.rows[i]) is not None else BY_PLACE).format(
            label=read, form=form.code, declared=declared_name(declared), where=where
        )
        renamed = replace(table.rows[i], label=declared.get("label", table.rows[i].label))
        if stt_cell_label(table.rows[i]) is not None:  # the STT cell held the label: the declared STT
            renamed = replace(
                renamed, index=declared.get("index", renamed.index), printed_index=table.rows[i].index
            )
        new_rows[i] = renamed
        issues.append(reasons[i])
    for i in undeclared:
        reasons[i] = UNDECLARED.format(label=table.rows[i].label.strip(), form=form.code)
    if undeclared:
        named = ", ".join(
            f"{(table.rows[i].index.strip() or '(no STT)')} {table.rows[i].label.strip()[:40]!r}"
            for i in undeclared
        )
        issues.append(f"rows naming no row that form {form.code} prints, their values flagged: {named}")
    if missing:
        named = "; ".join(f"{declared_name(d)!r} ({where})" for d, where in missing)
        issues.append(
            f"rows of form {form.code} not found: {named}: "
            "their values are lost, or read into another row or table"
        )
    values = tuple(_flagged(v, reasons, new_rows) for v in table.values)
    unique = tuple(dict.fromkeys(issues))
    return replace(table, rows=tuple(new_rows), values=values, issues=unique)


def _flagged(value: Value, reasons: dict[int, str], rows: Sequence[RowInfo]) -> Value:
    reason = reasons.get(value.row_index)
    if reason is None:
        return value
    value = replace(value, row_label=rows[value.row_index].label)
    return value if value.value_kind == "null" else add_flag(value, reason)


def note_missing_total(
    table: TableResult,
    form: FormSpec,
    min_share: float,
    sums_min: int,
    words_max: int,
) -> TableResult:
    """``table`` with its total row named or its loss reported, when ``form`` prints a total row
    over its sections (a ``total_rows`` rule), the table has those sections and no row was read
    as a total or with a total's label.

    A row with no STT and no legible label (``min_share``: :func:`.labels.illegible`) standing
    where the total is printed -- the table's last row, after the sections' rows, or its first,
    before section I, when its numbers are the sections' sums (:func:`total_places`) -- **is**
    the total row by its place (:func:`name_total_by_place`): on a
    worn scan the total's label cell, merged across the STT and label columns, is the one read
    empty (dev_107_hard_300's 10B, dev_114_hard_300's 5B, dev_145_fax_150's 14B: every number of
    the row read, and the row paired with nothing).  Otherwise an issue says the row was lost."""
    rule = lost_total(table, form, words_max)
    if rule is None:
        return table
    places = total_places(table, rule, min_share, sums_min, words_max)
    if len(places) == 1:
        sums_over_rows = frozenset(inv.name for inv in form.invariants if inv.kind in ROW_GROUP_KINDS)
        return name_total_by_place(table, places[0], rule.name, sums_over_rows)
    issue = (
        f"the total row ({rule.name!r}) was not found: its values are lost, or read into another row or table"
    )
    return table if issue in table.issues else replace(table, issues=(*table.issues, issue))


TOTAL_BY_PLACE = (
    "row {read!r} is the total row {name!r} by its place ({where}): its STT and label were not "
    "read; values flagged"
)
TOTAL_BY_SUMS = (
    "row {read!r} is the total row {name!r} by its place and its numbers ({where}): its label was misread"
)


def _nameless(row: RowInfo, min_share: float) -> bool:
    """A row that printed no STT as read and whose label is empty or marks (not a named row)."""
    if row.kind in _NOT_BODY or row.kind == RowKind.SECTION or row.commune is not None:
        return False
    if _printed_stt(row.index):
        return False
    return not row.label.strip() or illegible(row, min_share)


def _starts_like_a_total(label: str, words_max: int) -> bool:
    """A label starting with a total's first word, the rest too short to name a row of its own:
    at most ``words_max`` words of letters (``validate.total_label_words_max``: "tong dohg",
    "tong so qd"; "Tổng số hồ sơ tiếp nhận" is a row of its own)."""
    folded = fold(label)
    return folded.startswith("tong") and len(re.findall(r"[a-z]{2,}", folded)) <= words_max


def lost_total(table: TableResult, form: FormSpec, words_max: int) -> InvariantSpec | None:
    """The ``total_rows`` rule of ``form`` whose total row the table does not have though it has
    the rule's sections (no row read as a total, or with a total's label: "Tổng số (D) + qI)"
    under STT 25 was read); None otherwise."""
    totals = [inv for inv in form.invariants if inv.kind == "total_rows"]
    if not totals or any(r.kind == RowKind.TOTAL for r in table.rows):
        return None
    body = [i for i, r in enumerate(table.rows) if r.kind not in (RowKind.HEADER, RowKind.COLUMN_NUMBERS)]
    if any(
        fold(r.label).startswith("tong")
        and (
            not body or i != body[-1] or _printed_stt(r.index) or not _starts_like_a_total(r.label, words_max)
        )
        for i, r in enumerate(table.rows)
    ):  # a total's label read ("Tổng số (D) + qI)" under STT 25): the total was read; unless the
        return None  # table's last row, no STT, its label garbled past "Tống": named below by its place
    sections = {_stt(r.index).upper() for r in table.rows if r.kind == RowKind.SECTION}
    return next((inv for inv in totals if {p.upper() for p in inv.parts or ()} <= sections), None)


@dataclass(frozen=True)
class TotalPlace:
    """A row that is a form's total row by its place: ``row`` (index into the table's rows),
    ``where`` (in words), ``by_sums``: its numbers are the sections' sums in every column (at
    least ``validate.total_sums_min``), which names it whatever its label reads; ``by_label``:
    its label starts like a total's, its values checked by a rule keep their status."""

    row: int
    where: str
    by_sums: bool = False
    by_label: bool = False


def _sums_hold(table: TableResult, row: int, sections: Sequence[int], sums_min: int) -> bool:
    """Whether ``row``'s numbers are the sums of the ``sections`` rows' in every column where
    all of them have one, in at least ``sums_min`` columns.  A column where a flagged number (low
    confidence, ambiguous) takes part counts for the sums when they hold there (a misread rarely
    makes a sum hold: dev_1649_hard_200's 10B total "diều sớ) ạ kh 63.663 qĐ tế”") and never
    against them (one unsure number does not unmake the total: dev_1104_fax_150)."""
    numbers = {(v.row_index, v.column_key): v for v in table.values if v.number is not None}
    compared = 0
    for (r, column), total in numbers.items():
        if r != row:
            continue
        parts = [numbers.get((s, column)) for s in sections]
        if any(x is None for x in parts):
            continue
        held = abs(float(total.number or 0) - sum(float(x.number or 0) for x in parts if x)) <= 1e-6
        if not held:
            if any(x.status == ValueStatus.FLAGGED for x in (total, *parts) if x):
                continue  # an unsure number: no evidence against
            return False
        compared += 1
    return compared >= sums_min


def total_places(
    table: TableResult, rule: InvariantSpec, min_share: float, sums_min: int, words_max: int
) -> list[TotalPlace]:
    """The rows standing where ``rule``'s total row is printed that may be it: the last body row
    after every section of the rule when nameless, or with no STT and the sections' sums for
    numbers (its label garbled: "TS UV. - 7"); the first body row right above its first section
    when nameless and the sections' sums (a nameless first row alone may be a piece of the
    header).  Two: which is the total cannot be told."""
    parts = [p.upper() for p in rule.parts or ()]
    body = [i for i, r in enumerate(table.rows) if r.kind not in (RowKind.HEADER, RowKind.COLUMN_NUMBERS)]
    if len(body) < 3:  # (a placeholder row is never nameless: it has its STT or its label)
        return []
    rows = table.rows
    sections = [i for i in body if rows[i].kind == RowKind.SECTION and _stt(rows[i].index).upper() in parts]
    if not sections:
        return []
    last, first = body[-1], body[0]
    out = []
    if last > sections[-1] and _nameless(rows[last], min_share):
        out.append(TotalPlace(last, "the table's last row, below its sections"))
    elif (
        last > sections[-1]
        and len(sections) == len(parts)
        and rows[last].kind in (RowKind.ITEM, RowKind.SUBITEM)
        and rows[last].commune is None
        and not _printed_stt(rows[last].index)
        and _sums_hold(table, last, sections, sums_min)
    ):
        where = "the table's last row, below its sections, its numbers their sums in every column"
        out.append(TotalPlace(last, where, by_sums=True))
    elif (
        last > sections[-1]
        and rows[last].kind in (RowKind.ITEM, RowKind.SUBITEM)
        and rows[last].commune is None
        and not _printed_stt(rows[last].index)
        and _starts_like_a_total(rows[last].label, words_max)
    ):  # "Tống,đổhg.`'' 2, 46" (dev_1096_hard_200's 6B): a total's first word, the rest garbled
        out.append(
            TotalPlace(
                last,
                "the table's last row, below its sections, its label starting like a total's",
                by_label=True,
            )
        )
    if (
        body[1] == sections[0]
        and len(sections) == len(parts)
        and _nameless(rows[first], min_share)
        and _sums_hold(table, first, sections, sums_min)
    ):  # a nameless first row may be a piece of the header: only its sums name it
        where = "the table's first row, above its sections, its numbers their sums in every column"
        out.append(TotalPlace(first, where, by_sums=True))
    return out


def _section_sums(table: TableResult, sections: set[int]) -> dict[str, float]:
    """Column -> the sum of the ``sections`` rows' sure numbers, in the columns where each of
    them has one or is printed blank (0, as the rules count it), one at least a number."""
    sure = [v for v in table.values if v.row_index in sections and v.status != ValueStatus.FLAGGED]
    out: dict[str, float] = {}
    for column in {v.column_key for v in sure}:
        cells = [
            v for v in sure if v.column_key == column and (v.number is not None or v.value_kind == "null")
        ]
        if sections and {v.row_index for v in cells} == sections and any(v.number is not None for v in cells):
            out[column] = sum(v.number or 0.0 for v in cells)
    return out


def _only_sums_over_rows(rule: str | None, sums_over_rows: frozenset[str]) -> bool:
    """Whether every rule named in a value's ``rule`` ("a; b") is one of ``sums_over_rows``."""
    names = [n.strip() for n in (rule or "").split(";") if n.strip()]
    return bool(names) and all(n in sums_over_rows for n in names)


def name_total_by_place(
    table: TableResult, place: TotalPlace, name: str, sums_over_rows: frozenset[str] = frozenset()
) -> TableResult:
    """``table`` whose row ``place.row`` is the total row ``name`` by its place: kind total, key
    and path ``total``, label ``name``; a table issue says so.  Named by its place alone, its
    values with a number, and those left empty in a column where a section printed a number,
    are FLAGGED saying so; named by its sums too, they keep their status (every number of the
    row is the sections' sum: the row is the total and its numbers are right).  Named by its
    label, a value a rule verified or corrected keeps its status unless every such rule is one
    of ``sums_over_rows`` (the form's sums over rows, judged while the row stood in another
    place among the rows: dev_3648_mild_300's 7B total "Tổng số = (I) +qI" summed as the parent
    of the commune above it, its printed 45 "corrected" to that commune's 4)."""
    i = place.row
    row = table.rows[i]
    read = row.label.strip() or row.index.strip()
    reason = (TOTAL_BY_SUMS if place.by_sums else TOTAL_BY_PLACE).format(
        read=read, name=name, where=place.where
    )
    keys = {r.key for k, r in enumerate(table.rows) if k != i}
    named = replace(
        row, kind=RowKind.TOTAL, path="total", key="total" if "total" not in keys else row.key, label=name
    )
    rows = (*table.rows[:i], named, *table.rows[i + 1 :])
    section_rows = {k for k, r in enumerate(table.rows) if r.kind == RowKind.SECTION}
    filled = {v.column_key for v in table.values if v.row_index in section_rows and v.number is not None}
    fields = row_fields(named)
    sums = _section_sums(table, section_rows)

    def renamed(value: Value) -> Value:
        if value.row_index != i:
            return value
        value = replace(value, **fields)
        if place.by_sums or (
            place.by_label
            and (
                (
                    value.status in (ValueStatus.VERIFIED, ValueStatus.CORRECTED)
                    and not _only_sums_over_rows(value.rule, sums_over_rows)
                )
                or (value.number is not None and abs(value.number - sums.get(value.column_key, -1.0)) < 1e-6)
            )
        ):  # (checked by a rule of its row, or the sections' sum in its column: right as the total)
            return value
        return add_flag(value, reason) if value.number is not None or value.column_key in filled else value

    issues = table.issues if reason in table.issues else (*table.issues, reason)
    return replace(table, rows=rows, values=tuple(renamed(v) for v in table.values), issues=issues)
