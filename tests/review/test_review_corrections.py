"""The pure parts: which correction is in force, and corrections laid over a finished document."""

from __future__ import annotations

import copy

import pytest

from extract.errors import ReviewError
from extract.manifest import FILE_NAME, Manifest
from extract.model import ValueStatus
from extract.review.apply import apply_corrections, cell_index
from extract.review.corrections import Action, Correction, effective
from extract.review.rerun import load_rules


def _c(id_: int, cell=("d", 0, "r", "c"), action=Action.TYPE, value="1", reviewer="anna", undoes=None):
    return Correction(
        id_,
        *cell,
        action=action,
        new_value=value,
        reviewer=reviewer,
        created_at=f"2026-01-01T00:00:0{id_}+00:00",
        undoes=undoes,
    )


def test_effective_is_the_latest_decision_not_undone() -> None:
    a, b = ("d", 0, "r", "a"), ("d", 0, "r", "b")
    rows = [
        _c(1, a, value="1"),
        _c(2, a, value="2", reviewer="bao"),
        _c(3, b, value="7"),
        _c(4, a, action=Action.UNDO, undoes=2),
        _c(5, b, action=Action.UNDO, undoes=3),
    ]
    got = effective(rows)
    assert got == {a: rows[0]}  # bao's later value was undone: anna's earlier one is in force again
    assert effective(reversed(rows)) == got  # order of the rows as read does not matter


@pytest.fixture()
def finished(run_copy):
    with Manifest(run_copy.out / FILE_NAME) as m:
        docs = [m.load_document(d) for d in m.document_ids()]
    return next(d for d in docs if any(t.form == "5B" for t in d.tables))


def test_apply_copies_reviews_and_reports_orphans(finished) -> None:
    forms, settings = load_rules(None)
    before = copy.deepcopy(finished)
    index = cell_index(finished)
    flagged = next(
        c
        for c, (pos, key) in index.items()
        if next(v for v in finished.tables[pos].values if (v.row_index, v.column_key) == key).status
        == ValueStatus.FLAGGED
    )
    cell = (finished.document_id, *flagged[1:])
    gone = (finished.document_id, 0, "no-such-row", "tiep_nhan_tong")
    other_doc = ("0000000000000000", 0, "x", "y")
    applied = apply_corrections(
        finished,
        [_c(1, cell, action=Action.BLANK, value=None), _c(2, gone, value="3"), _c(3, other_doc)],
        forms,
        settings,
    )
    assert [o.cell for o in applied.orphans] == [gone]  # another document's corrections are not this one's
    pos, key = index[cell]
    v = next(v for v in applied.document.tables[pos].values if (v.row_index, v.column_key) == key)
    assert (
        v.status == ValueStatus.REVIEWED
        and v.number is None
        and v.review is not None
        and v.review.action == "blank"
    )
    assert finished == before  # the finished document is not modified


def test_a_stored_value_that_no_longer_parses_is_an_error(finished) -> None:
    forms, settings = load_rules(None)
    counts = {c.key for f in forms.values() for c in f.columns if c.type == "count"}
    cell = next(c for c in cell_index(finished) if c[3] in counts)
    with pytest.raises(ReviewError, match="two numbers"):
        apply_corrections(finished, [_c(1, cell, value="1.5")], forms, settings)
