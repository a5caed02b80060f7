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

from collections.abc import Sequence
from typing import Final

from rapidfuzz import fuzz

from extract.config import FormSpec
from extract.folding import fold
from extract.understand.forms import FormMatch

HEADER_MIN_WORDS: Final = 4
"""Headers with fewer words ("Số lượng", "Ghi chú") are shared by many forms: not evidence."""
HEADER_TOP: Final = 2
"""A form's fit is the mean of its best this many header scores."""
HEADER_FIT_MIN: Final = 85.0
"""Fit (0..100, token-set similarity) a form's headers need to name the form."""
HEADER_FIT_LEAD: Final = 20.0
"""Lead the fitting form needs over the runner-up, and over the subtitle-only match's score."""
WINDOW_LINES: Final = 4
"""Consecutive title lines joined into one piece of text, at most."""
PIECE_MIN_LENGTH: Final = 0.6
PIECE_MAX_LENGTH: Final = 1.5
"""Shortest and longest piece of text, in header lengths, a header is compared with."""
_NOT_EVIDENCE: Final = frozenset({"index", "label", "note", "text"})


def _evidence_headers(form: FormSpec) -> list[str]:
    """The folded headers of ``form``'s value columns long enough to be evidence: each column's
    whole header path, and its last level alone ("Số TTHC tiếp nhận")."""
    out: list[str] = []
    for c in form.columns:
        if c.type in _NOT_EVIDENCE:
            continue
        for text in (" ".join(c.header), c.header[-1] if c.header else ""):
            header = fold(text)
            if len(header.split()) >= HEADER_MIN_WORDS and header not in out:
                out.append(header)
    return out


def _pieces(title_lines: Sequence[str], first_rows: Sequence[Sequence[str]]) -> list[str]:
    """The texts headers are compared with: runs of up to :data:`WINDOW_LINES` consecutive title
    lines (a header read above a broken grid comes as a few short lines), and every cell of the
    table's first rows."""
    lines = [fold(t) for t in title_lines if fold(t)]
    runs = [" ".join(lines[i : i + n]) for n in range(1, WINDOW_LINES + 1) for i in range(len(lines) - n + 1)]
    return runs + [p for p in (fold(c) for row in first_rows for c in row) if p]


def header_fit(pieces: Sequence[str], form: FormSpec) -> float:
    """0..100: how well the text ``pieces`` (folded lines or header cells) spell out ``form``'s
    value-column headers: each header against its best piece no more than
    between :data:`PIECE_MIN_LENGTH` and :data:`PIECE_MAX_LENGTH` times as long (token-set
    similarity is 100 whenever one side's words are a subset of the other's: a long text holds
    every header's words, a short cell's words are in many headers)."""
    scores = []
    for header in _evidence_headers(form):
        fits = [
            fuzz.token_set_ratio(header, piece)
            for piece in pieces
            if PIECE_MIN_LENGTH * len(header) <= len(piece) <= PIECE_MAX_LENGTH * len(header)
        ]
        scores.append(max(fits, default=0.0))
    top = sorted(scores, reverse=True)[:HEADER_TOP]
    return sum(top) / len(top) if top else 0.0


def recheck_form(
    match: FormMatch | None,
    title_lines: Sequence[str],
    first_rows: Sequence[Sequence[str]],
    forms: Sequence[FormSpec],
) -> FormMatch | None:
    """``match``, or the form whose headers the title block and the table's first rows spell out
    when ``match`` is absent or rests on the subtitle alone (``method == "title"``) and that form
    leads by :data:`HEADER_FIT_LEAD` both the runner-up's fit and the subtitle's score."""
    if match is not None and match.method != "title":
        return match
    pieces = _pieces(title_lines, first_rows)
    if not pieces:
        return match
    fits = sorted(((header_fit(pieces, f), f.code) for f in forms), reverse=True)
    (best, code), runner_up = fits[0], (fits[1][0] if len(fits) > 1 else 0.0)
    if best < HEADER_FIT_MIN or best - runner_up < HEADER_FIT_LEAD:
        return match
    if match is not None and (match.code == code or best - match.score < HEADER_FIT_LEAD):
        return match
    before = f"; overrules the subtitle's {match.code} ({match.score:.0f})" if match is not None else ""
    return FormMatch(
        code,
        round(best, 1),
        "header",
        f"column headers fit {code} at {best:.0f} (runner-up {runner_up:.0f}){before}",
    )
