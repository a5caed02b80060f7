"""Every decision (accept, type, blank, illegible, confirm, wrong, undo), the re-validation after
it, and the ``corrections`` table -- on a real run of two samples."""

from __future__ import annotations

import json

import pytest
from review_helpers import confirm_concurrently, damaged_cell, rows

from extract.errors import ReviewError
from extract.review.service import QueueFilter, ReviewService
from extract.understand.numbers import parse_value


@pytest.fixture()
def service(run_copy):
    s = ReviewService(run_copy.out)
    yield s
    s.close()


def _value(out, cell):
    (r,) = rows(
        out,
        "SELECT * FROM {values} WHERE document_id = ? AND table_index = ? AND row_key = ? AND column_key = ?",
        *cell,
    )
    return r


def _row_statuses(out, cell):
    return {
        r["column_key"]: r["status"]
        for r in rows(
            out,
            "SELECT column_key, status FROM {values} WHERE document_id = ? AND table_index = ? AND row_key "
            "= ?",
            *cell[:3],
        )
    }


def test_typing_the_printed_value_verifies_the_row_and_the_column_sum(run_copy, service) -> None:
    row_index, column, truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)
    before = _value(run_copy.out, cell)
    assert before["status"] == "flagged"
    assert before["number"] != parse_value(truth, "count").number  # the pipeline misread it
    flagged_before = service.queue(QueueFilter())["counts"]["flagged"]
    flagged_cols_before = [
        k for k, s in _row_statuses(run_copy.out, cell).items() if s == "flagged" and k != column
    ]
    assert flagged_cols_before, "the misread cell should drag its row's rule down"

    decision = service.decide(cell, "type", "anna", truth)

    after = _value(run_copy.out, cell)
    assert after["status"] == "reviewed"
    assert after["number"] == parse_value(truth, "count").number
    assert after["raw_text"] == before["raw_text"]  # the OCR text is kept
    assert after["confidence"] == before["confidence"]
    statuses = _row_statuses(run_copy.out, cell)
    assert statuses == decision.row_statuses
    # the row's rule holds again: the cells it had flagged are verified now
    # (a printed-empty part turns "blank": such cells are not rows of cell_values)
    tiep_nhan = [k for k in flagged_cols_before if k.startswith("tiep_nhan")]
    assert tiep_nhan and all(statuses.get(k, "blank") in ("verified", "blank") for k in tiep_nhan)
    assert "verified" in {statuses.get(k) for k in tiep_nhan}
    # and more than the one cell left the queue (the column's communes sum holds as well)
    assert service.queue(QueueFilter())["counts"]["flagged"] < flagged_before - 1
    (flag,) = rows(
        run_copy.out, "SELECT status FROM flags WHERE row_key = ? AND column_key = ?", cell[2], cell[3]
    )
    assert flag["status"] == "reviewed"


def test_corrections_table_keeps_who_what_when_and_why(run_copy, service) -> None:
    row_index, column, truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)
    old = _value(run_copy.out, cell)
    service.decide(cell, "type", "anna", truth, reason="read on the paper copy")
    (c,) = rows(run_copy.out, "SELECT * FROM corrections")
    assert (c["document_id"], c["table_index"], c["row_key"], c["column_key"]) == cell
    assert c["action"] == "type" and c["new_value"] == truth and c["reviewer"] == "anna"
    assert c["old_text"] == old["raw_text"] and c["old_status"] == "flagged"
    assert c["old_value"] and c["created_at"].startswith("20") and c["reason"] == "read on the paper copy"
    assert c["row_index"] == row_index and c["page"] == old["page"]


def test_accept_a_candidate(run_copy, service) -> None:
    (f,) = rows(
        run_copy.out,
        "SELECT document_id, table_index, row_key, column_key, candidates FROM flags"
        " WHERE status = 'flagged' ORDER BY confidence LIMIT 1",
    )
    cell = (f["document_id"], f["table_index"], f["row_key"], f["column_key"])
    choice = next(c for c in service.cell(cell)["candidates"] if c["usable"] and not c.get("suggested"))
    assert choice["text"] in {c["text"].strip() for c in json.loads(f["candidates"])}
    service.decide(cell, "accept", "bao", choice["text"])
    v = _value(run_copy.out, cell)
    assert v["status"] == "reviewed"
    assert v["number"] == parse_value(choice["text"], "count").number


def test_accept_the_suggestion_in_one_action(run_copy, service) -> None:
    # a cell not read clearly whose sums give its number: that number is the first choice
    (f,) = rows(
        run_copy.out,
        "SELECT document_id, table_index, row_key, column_key, suggestion, rule FROM flags"
        " WHERE status = 'flagged' AND suggestion IS NOT NULL ORDER BY confidence LIMIT 1",
    )
    cell = (f["document_id"], f["table_index"], f["row_key"], f["column_key"])
    first = service.cell(cell)["candidates"][0]
    assert first["usable"] and first["suggested"] == f["rule"]
    assert parse_value(first["text"], "count").number == f["suggestion"]
    service.decide(cell, "accept", "bao", first["text"])
    v = _value(run_copy.out, cell)
    assert v["status"] == "reviewed" and v["number"] == f["suggestion"]


def test_blank_illegible_and_confirm(run_copy, service) -> None:
    flagged = rows(
        run_copy.out,
        "SELECT document_id, table_index, row_key, column_key, number FROM flags WHERE status = 'flagged'"
        " AND number IS NOT NULL ORDER BY document_id, table_index, row_key, column_key LIMIT 3",
    )
    cells = [(r["document_id"], r["table_index"], r["row_key"], r["column_key"]) for r in flagged]
    service.decide(cells[0], "blank", "anna")
    service.decide(cells[1], "illegible", "anna")
    service.decide(cells[2], "confirm", "anna")
    blank, illegible, confirmed = (_value(run_copy.out, c) for c in cells)
    assert blank["status"] == "reviewed" and blank["number"] is None and blank["value_kind"] == "null"
    assert illegible["status"] == "reviewed" and illegible["number"] is None
    assert "illegible" in illegible["flag_reason"]
    assert confirmed["status"] == "reviewed" and confirmed["number"] == flagged[2]["number"]
    (c,) = rows(run_copy.out, "SELECT new_value, old_value FROM corrections WHERE action = 'confirm'")
    assert c["new_value"] == c["old_value"]


def test_undo_restores_the_cell_and_keeps_the_history(run_copy, service) -> None:
    row_index, column, truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)
    before = _value(run_copy.out, cell)
    row_before = _row_statuses(run_copy.out, cell)
    service.decide(cell, "type", "anna", truth)
    assert service.undo("bao") is None  # nothing of bao's to undo
    d = service.undo("anna")
    assert d is not None and d.cell == cell
    after = _value(run_copy.out, cell)
    assert (after["status"], after["number"]) == (before["status"], before["number"])
    assert _row_statuses(run_copy.out, cell) == row_before
    history = rows(run_copy.out, "SELECT id, action, undoes FROM corrections ORDER BY id")
    assert [h["action"] for h in history] == ["type", "undo"] and history[1]["undoes"] == history[0]["id"]
    assert service.undo("anna") is None  # the undone decision is not undone twice


def test_two_reviewers_on_one_cell_the_later_wins(run_copy, service) -> None:
    row_index, column, truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)
    service.decide(cell, "type", "anna", "1")
    service.decide(cell, "type", "bao", truth)
    assert _value(run_copy.out, cell)["number"] == parse_value(truth, "count").number
    history = service.cell(cell)["history"]
    assert [h["reviewer"] for h in history] == ["bao", "anna"]  # newest first, both kept


def test_concurrent_reviewers_lose_no_decision(run_copy) -> None:
    flagged = rows(
        run_copy.out,
        "SELECT document_id, table_index, row_key, column_key FROM flags WHERE status = 'flagged' AND form "
        "= '5B' AND number IS NOT NULL LIMIT 8",
    )
    cells = [tuple(r) for r in flagged]
    confirm_concurrently(run_copy.out, None, cells)
    assert len(rows(run_copy.out, "SELECT id FROM corrections")) == len(cells)
    # every decision shows in the long table: none was overwritten by another table rewrite
    assert all(_value(run_copy.out, c)["status"] == "reviewed" for c in cells)


def test_bad_decisions_are_refused_with_a_reason(run_copy, service) -> None:
    row_index, column, _truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)
    with pytest.raises(ReviewError, match="could mean two numbers"):
        service.decide(cell, "type", "anna", "1.5")
    with pytest.raises(ReviewError, match="not a value"):
        service.decide(cell, "type", "anna", "abc")
    with pytest.raises(ReviewError, match="reviewer"):
        service.decide(cell, "confirm", " ")
    with pytest.raises(ReviewError, match="no cell"):
        service.decide((cell[0], cell[1], "no-such-row", cell[3]), "confirm", "anna")
    assert rows(run_copy.out, "SELECT id FROM corrections") == []


def test_wrong_value_on_a_verified_cell_flags_its_row_then_the_right_value_verifies_it(
    run_copy, service
) -> None:
    (v,) = rows(
        run_copy.out,
        "SELECT document_id, table_index, row_key, column_key, number FROM {values}"
        " WHERE form = '5B' AND status = 'verified' AND column_key = 'tiep_nhan_moi' AND number > 10"
        " ORDER BY row_index LIMIT 1",
    )
    cell = tuple(v)[:4]
    row_before = _row_statuses(run_copy.out, cell)
    service.decide(cell, "wrong", "anna", str(int(v["number"]) + 1))  # "this value is wrong" (a bad one)
    assert "flagged" in _row_statuses(run_copy.out, cell).values()
    service.decide(cell, "wrong", "anna", str(int(v["number"])))
    after = _row_statuses(run_copy.out, cell)
    assert after[cell[3]] == "reviewed"
    assert {k: s for k, s in after.items() if k != cell[3]} == {
        k: s for k, s in row_before.items() if k != cell[3]
    }


def test_progress_counts_reviewed_left_and_rate(run_copy, service) -> None:
    row_index, column, truth = run_copy.damaged()
    cell = damaged_cell(run_copy.out, row_index, column)
    left = service.progress()["left"]
    service.decide(cell, "type", "anna", truth)
    p = service.progress()
    assert p["reviewed"] == 1 and p["left"] < left and p["decisions"] == 1 and p["last_hour"] == 1
    assert p["per_reviewer"] == [("anna", 1)] and p["orphans"] == []


@pytest.mark.parametrize("sort", ["document", "form", "reason", "confidence"])
def test_queue_walk_visits_every_cell_once_in_order(service, sort) -> None:
    f = QueueFilter(sort=sort)
    listed = service.queue(f, limit=10_000)["rows"]
    keys = [(r["document_id"], r["table_index"], r["row_key"], r["column_key"]) for r in listed]
    walked = [service.first(f)]
    while (nxt := service.neighbour(walked[-1], f, 1)) is not None:
        walked.append(nxt)
    assert walked == keys
    back = [walked[-1]]
    while (prev := service.neighbour(back[-1], f, -1)) is not None:
        back.append(prev)
    assert back == keys[::-1]


def test_reading_the_queue_does_not_wait_for_a_writer(run_copy, service) -> None:
    """A batch (or another reviewer) holding the write lock does not stall the reviewers' pages."""
    import sqlite3
    import time

    holder = sqlite3.connect(run_copy.out / "results.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        t = time.perf_counter()
        q = service.queue(QueueFilter())
        cell = service.first(QueueFilter())
        service.cell(cell)
        assert time.perf_counter() - t < 5 and q["total"] > 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
