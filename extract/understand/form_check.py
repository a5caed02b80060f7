"""A second look at a table's form from its column headers, when no form code was read.

:func:`extract.understand.forms.identify_form` decides from the title block above a table: a
"Biểu mẫu 11B" code, else the subtitle alone.  On worn and faxed pages the title can be lost
while the header survives, or the grid can lose the header's top rules so that the header's
own text is read as the "title" (dev split, 150-dpi fax: 11B's header "Số lượng TTHC có phát
sinh sử dụng dịch vụ BCCI …" above a broken grid was taken for 3B's subtitle at 64, and the
table's 9 rows were scored as 3B's).  Every form's column headers are known: the text of the
title block and of the table's first rows is compared with each form's longer headers, and a
form whose headers that text spells out clearly overrules a subtitle-only match (or names the
form when nothing matched).  A read form code is never overruled here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Final

from rapidfuzz import fuzz

from extract.config import FormSpec
from extract.folding import fold
from extract.understand.forms import FormMatch, FormsSettings

_NOT_EVIDENCE: Final = frozenset({"index", "label", "note", "text"})
# a column-number cell ("(3)", "3", "(3)=(4)+(5)") or an empty one: no header text
_COLUMN_NUMBER: Final = re.compile(r"[\d\s()=+\-.,]*")
_LAST_RANK: Final = 1000  # a form without an annex number (the staff list) comes last


def _evidence_headers(form: FormSpec, s: FormsSettings) -> list[str]:
    """The folded headers of ``form``'s value columns long enough to be evidence: each column's
    whole header path, and its last level alone ("Số TTHC tiếp nhận")."""
    out: list[str] = []
    for c in form.columns:
        if c.type in _NOT_EVIDENCE:
            continue
        for text in (" ".join(c.header), c.header[-1] if c.header else ""):
            header = fold(text)
            if len(header.split()) >= s.header_check_min_words and header not in out:
                out.append(header)
    return out


def _pieces(title_lines: Sequence[str], first_rows: Sequence[Sequence[str]], s: FormsSettings) -> list[str]:
    """The texts headers are compared with: runs of up to ``header_check_window_lines`` consecutive title
    lines (a header read above a broken grid comes as a few short lines), and every cell of the
    table's first rows."""
    lines = [fold(t) for t in title_lines if fold(t)]
    runs = [
        " ".join(lines[i : i + n])
        for n in range(1, s.header_check_window_lines + 1)
        for i in range(len(lines) - n + 1)
    ]
    return runs + [p for p in (fold(c) for row in first_rows for c in row) if p]


def _header_scores(pieces: Sequence[str], form: FormSpec, s: FormsSettings) -> list[float]:
    """Each evidence header of ``form`` against its best piece no more than between the two
    ``header_check_piece_length`` factors times as long (token-set similarity is 100 whenever
    one side's words are a subset of the other's: a long text holds every header's words, a
    short cell's words are in many headers)."""
    shortest, longest = s.header_check_piece_length
    return [
        max(
            (
                fuzz.token_set_ratio(header, piece)
                for piece in pieces
                if shortest * len(header) <= len(piece) <= longest * len(header)
            ),
            default=0.0,
        )
        for header in _evidence_headers(form, s)
    ]


def header_fit(pieces: Sequence[str], form: FormSpec, s: FormsSettings | None = None) -> float:
    """0..100: how well the text ``pieces`` (folded lines or header cells) spell out ``form``'s
    value-column headers: the mean of its best ``header_check_top`` header scores
    (:func:`_header_scores`)."""
    s = s or FormsSettings()
    top = sorted(_header_scores(pieces, form, s), reverse=True)[: s.header_check_top]
    return sum(top) / len(top) if top else 0.0


def header_support(pieces: Sequence[str], form: FormSpec, s: FormsSettings | None = None) -> int:
    """How many of ``form``'s evidence headers the text ``pieces`` spell out (each at
    ``header_check_fit_min``)."""
    s = s or FormsSettings()
    return sum(score >= s.header_check_fit_min for score in _header_scores(pieces, form, s))


def layout_fit(header_rows: Sequence[Sequence[str]], form: FormSpec) -> float:
    """0..100: a table's header rows against ``form``'s column headers column by column, when the
    grid has as many columns as the form: the mean similarity of each value column's header text
    (its cells top to bottom) to the form's header path.  The short headers that are no evidence
    for :func:`header_fit` ("Tổng số", "Số lượng": 2B's and 8B's only value columns) still tell
    such forms apart where they stand.  0 for another column count, or no value column."""
    if not header_rows or max(len(r) for r in header_rows) != len(form.columns):
        return 0.0
    scores = []
    for j, column in enumerate(form.columns):
        if column.type in _NOT_EVIDENCE:
            continue
        texts = [row[j] for row in header_rows if j < len(row) and not _COLUMN_NUMBER.fullmatch(row[j])]
        printed = fold(" ".join(dict.fromkeys(texts)))
        scores.append(fuzz.ratio(fold(" ".join(column.header)), printed) if printed else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _own_header_fit(header_rows: Sequence[Sequence[str]], form: FormSpec, s: FormsSettings) -> float:
    """How well a table's own header rows are ``form``'s: its evidence headers spelled out
    (:func:`header_fit`) or its columns' headers where they stand (:func:`layout_fit`)."""
    return max(header_fit(_pieces([], header_rows, s), form, s), layout_fit(header_rows, form))


def own_header_fit(
    header_rows: Sequence[Sequence[str]], form: FormSpec, s: FormsSettings | None = None
) -> float:
    """0..100: how well a table's own header rows are ``form``'s (:func:`_own_header_fit`)."""
    return _own_header_fit(header_rows, form, s or FormsSettings())


def _leader(
    pieces: Sequence[str], forms: Sequence[FormSpec], s: FormsSettings
) -> tuple[str, float, str] | None:
    """The form the ``pieces`` name by their headers, its fit and how it led; ``None`` when no
    form leads: its fit ``header_check_lead`` above the runner-up's, or, among the forms whose
    fits are tied within the lead, at least ``header_check_support_min`` of its headers spelled
    out and ``header_check_support_ratio`` times as many as any other tied form's (10B's twelve
    headers against 3B's one, "Số liệu thống kê", that a title's "Thống kê số liệu" spells)."""
    fits = sorted(((header_fit(pieces, f, s), f.code) for f in forms), reverse=True)
    (best, code), runner_up = fits[0], (fits[1][0] if len(fits) > 1 else 0.0)
    if best < s.header_check_fit_min:
        return None
    if best - runner_up >= s.header_check_lead:
        return code, best, f"column headers fit {code} at {best:.0f} (runner-up {runner_up:.0f})"
    by_code = {f.code: f for f in forms}
    tied = sorted(
        ((header_support(pieces, by_code[c], s), c) for fit, c in fits if best - fit < s.header_check_lead),
        reverse=True,
    )
    (support, code), (second, _other) = tied[0], tied[1]
    if support < s.header_check_support_min or support < s.header_check_support_ratio * second:
        return None
    fit = next(fit for fit, c in fits if c == code)
    return (
        code,
        fit,
        (
            f"column headers spell out {support} of {code}'s headers (at most {second} of another's; "
            f"fit {fit:.0f}, runner-up {runner_up:.0f})"
        ),
    )


def recheck_form(
    match: FormMatch | None,
    title_lines: Sequence[str],
    first_rows: Sequence[Sequence[str]],
    forms: Sequence[FormSpec],
    settings: FormsSettings | None = None,
) -> FormMatch | None:
    """``match``, or the form whose headers the title block and the table's first rows spell out
    when ``match`` is absent or rests on the subtitle alone (``method == "title"``) and that form
    leads (:func:`_leader`) and its fit leads the subtitle's score by ``header_check_lead``."""
    if match is not None and match.method != "title":
        return match
    s = settings or FormsSettings()
    pieces = _pieces(title_lines, first_rows, s)
    if not pieces:
        return match
    leader = _leader(pieces, forms, s)
    if leader is None:
        return match
    code, best, how = leader
    if match is not None and (match.code == code or best - match.score < s.header_check_lead):
        return match
    before = f"; overrules the subtitle's {match.code} ({match.score:.0f})" if match is not None else ""
    return FormMatch(code, round(best, 1), "header", how + before)


def other_form_header(
    header_rows: Sequence[Sequence[str]],
    form: FormSpec,
    forms: Sequence[FormSpec],
    settings: FormsSettings | None = None,
) -> str | None:
    """The form whose headers a table's own header rows spell out when that is not ``form`` and
    ``form``'s headers fit those rows ``header_check_lead`` worse: a new table whose title was lost
    (dev 114's 5B after 4B, its header "Số hồ sơ đã tiếp nhận / Từ kỳ trước …" fits 5B at 100 and
    4B at 73), not a continuation of ``form`` (which prints no header, or its own).  Unlike
    :func:`recheck_form` the form it names need not lead every other form: it only has to be
    clearly not ``form``; ``None`` when no form's headers fit at ``header_check_fit_min``.  A
    form's fit is its evidence headers' (:func:`header_fit`) or, column by column, its short
    headers' (:func:`layout_fit`: 2B's "Tổng số" after 1B), whichever is higher."""
    s = settings or FormsSettings()
    if not _pieces([], header_rows, s):
        return None
    best, code = max((_own_header_fit(header_rows, f, s), f.code) for f in forms)
    if best < s.header_check_fit_min or code == form.code:
        return None
    return code if best - _own_header_fit(header_rows, form, s) >= s.header_check_lead else None


def annex_rank(code: str) -> int:
    """Where form ``code`` stands in a report's annex (1B … 14B, then the staff list)."""
    digits = re.match(r"\d+", code)
    return int(digits.group()) if digits else _LAST_RANK


def form_after(
    header_rows: Sequence[Sequence[str]],
    n_cols: int,
    previous: str,
    seen: Collection[str],
    forms: Sequence[FormSpec],
    settings: FormsSettings | None = None,
    *,
    columns_slack: int,
) -> FormMatch | None:
    """The form of a table under no readable title whose own header rows fit several forms alike
    (:func:`recheck_form` names none: 3B's and 13B's one evidence header "Số liệu thống kê",
    5B's and 10B's "Tổng số / Trong đó …"): of the forms whose fit is within ``header_check_lead``
    of the best (which reaches ``header_check_fit_min``) and whose column count is within
    ``columns_slack`` of the table's, the first after ``previous`` (the report's last form named)
    in the annex order that the report has not printed yet (``seen``).  The annex prints its
    forms in order, so that is the form the lost title named most likely — not surely: the
    caller flags its values.  ``None`` when no form qualifies."""
    s = settings or FormsSettings()
    if not _pieces([], header_rows, s):
        return None
    fits = [(_own_header_fit(header_rows, f, s), f) for f in forms]
    best = max(fit for fit, _f in fits)
    if best < s.header_check_fit_min:
        return None
    after = annex_rank(previous)
    near = [
        (annex_rank(f.code), fit, f.code)
        for fit, f in fits
        if best - fit < s.header_check_lead
        and annex_rank(f.code) > after
        and f.code not in seen
        and abs(n_cols - len(f.columns)) <= columns_slack
    ]
    if not near:
        return None
    _rank, fit, code = min(near)
    tied = ", ".join(sorted(c for _r, _f, c in near if c != code)) or "none after it"
    return FormMatch(
        code,
        round(fit, 1),
        "order",
        f"no title read; column headers fit {code} at {fit:.0f} (best {best:.0f}; other forms as close: "
        f"{tied}): the first such form after {previous} in the annex order",
    )


def form_by_columns(
    n_cols: int, previous: str, seen: Collection[str], forms: Sequence[FormSpec]
) -> FormMatch | None:
    """The form of a table under no readable title whose header rows fit no form's words at all
    (:func:`form_after` names none: garbled past recognition): the first form after ``previous``
    in the annex order, not printed yet (``seen``), that prints exactly ``n_cols`` columns.  A
    guess from the annex's order and the grid alone: the caller flags every value."""
    after = annex_rank(previous)
    near = sorted(
        (annex_rank(f.code), f.code)
        for f in forms
        if annex_rank(f.code) > after and f.code not in seen and len(f.columns) == n_cols
    )
    if not near:
        return None
    code = near[0][1]
    return FormMatch(
        code,
        0.0,
        "order",
        f"no title read and the column headers fit no form; the first form after {previous} in the "
        f"annex order that prints {n_cols} columns",
    )


def _declared_labels(forms: Sequence[FormSpec]) -> list[tuple[str, str]]:
    """(form code, folded label) of every row the forms declare (``rows:``: 1B, 2B, 3B, 8B, 9B, 13B)."""
    return [(f.code, fold(row["label"])) for f in forms for row in f.rows if row.get("label")]


def declared_row_counts(
    body_rows: Sequence[Sequence[str]], forms: Sequence[FormSpec], settings: FormsSettings | None = None
) -> dict[str, int]:
    """Form code -> how many of ``body_rows`` print a label of that form's declared rows and of no
    other form's (a cell fits it at ``declared_row_fit_min``): rows that say which form a table
    is whatever its title and header read ("Cấp huyện", printed by several forms, says nothing)."""
    s = settings or FormsSettings()
    labels = _declared_labels(forms)
    counts: dict[str, int] = {}
    for row in body_rows:
        cells = [fold(c) for c in row if c and not _COLUMN_NUMBER.fullmatch(c)]
        codes = {
            code
            for code, label in labels
            if any(fuzz.ratio(label, c) >= s.declared_row_fit_min for c in cells)
        }
        if len(codes) == 1:
            code = codes.pop()
            counts[code] = counts.get(code, 0) + 1
    return counts


def other_form_rows(
    body_rows: Sequence[Sequence[str]],
    form: FormSpec | None,
    forms: Sequence[FormSpec],
    settings: FormsSettings | None = None,
) -> str | None:
    """The form other than ``form`` whose declared rows ``body_rows`` print: at least
    ``declared_rows_min`` of them (:func:`declared_row_counts`), more than of any other form's
    and of ``form``'s: 9B's "Số cơ quan hành chính … thực hiện cơ chế tự chủ …" under a lost title
    is no page of 8B, whatever its columns; ``None`` when no form's rows say so."""
    s = settings or FormsSettings()
    counts = declared_row_counts(body_rows, forms, s)
    if not counts:
        return None
    best, code = max((n, c) for c, n in counts.items())
    if best < s.declared_rows_min or (form is not None and code == form.code):
        return None
    if sum(1 for n in counts.values() if n == best) > 1:
        return None
    return code


def form_by_rows(
    body_rows: Sequence[Sequence[str]],
    previous: str | None,
    seen: Collection[str],
    forms: Sequence[FormSpec],
    settings: FormsSettings | None = None,
) -> FormMatch | None:
    """The form of a table under no readable title whose header names none, by the declared rows
    its body prints (:func:`other_form_rows`), when the report has not printed it yet (``seen``):
    the title lost, the rows still say which form it is (``previous``: the form printed before
    it, ``None`` for the report's first table).  Not sure (no title read): the caller flags every
    value."""
    code = other_form_rows(body_rows, None, forms, settings)
    if code is None or code in seen:
        return None
    where = f"after {previous} in the annex" if previous else "the report's first table"
    return FormMatch(
        code,
        0.0,
        "order",
        f"no title read and the column headers name no form; the body prints form {code}'s declared "
        f"rows ({where})",
    )
