"""Diagnostics of bench.printed_scoring that change no score: how often our issues blame the
printed report, right or wrong against the truth's own misprints, and where our numbers on no
printed cell come from."""

from __future__ import annotations

import copy

from test_printed_scoring import _truth, perfect_output

from bench.printed_scoring import (
    BLAMED_WRONGLY,
    ON_NO_CELL,
    explain_unflagged,
    print_blamed,
    score_ours_printed,
)


def _misprinted(truth):
    """The truth with 7B's total row misprinted in its first numeric column; that column's key."""
    for page in truth["pages"]:
        for t in page["tables"]:
            if t["form"] != "7B":
                continue
            for r in t["rows"]:
                if r["kind"] == "total":
                    key = next(k for k, v in r["values"].items() if isinstance(v, int))
                    r["printed_errors"] = {key: "total row = (I) + (II)"}
                    return key
    raise AssertionError("no 7B total row in the truth")


def test_an_issue_naming_the_misprinted_column_is_right_and_another_is_wrong() -> None:
    truth = copy.deepcopy(_truth())
    key = _misprinted(truth)
    ours = perfect_output(truth)
    seven = next(t for t in ours["tables"] if t["form"] == "7B")
    header = next(c["header_text"] for t in _tables(truth, "7B") for c in t["column_info"] if c["key"] == key)
    mine = seven["columns"][seven["headers"].index(header)]  # our key of the misprinted column
    other = next(k for k in seven["columns"] if k != mine)
    seven["issues"] = [
        f"printed totals inconsistent: row 'Tổng cộng', column {mine} prints 9, but rule 'x' gives 8; kept",
        f"printed totals inconsistent: rule 'x' at row 'II', column {other}: 5 where the parts give 4; kept",
        f"rule fails and no OCR candidate fixes it: rule 'x' at row 'I', column {other}: 1 where …",
    ]
    before = score_ours_printed(truth, ours)
    assert print_blamed(truth, ours) == {"right": 1, "wrong": 1, "named": 1, "misprints": 1}
    assert explain_unflagged(truth, ours)["print_blamed"]["wrong"] == 1
    # --examples lists the wrong blame (and only it) to look into
    wrong = explain_unflagged(truth, ours)["examples"][BLAMED_WRONGLY]
    assert wrong == [f"7B: {seven['issues'][1]}"]
    assert score_ours_printed(truth, ours) == before  # a diagnostic: no score moves


def _tables(truth, form):
    return [t for p in truth["pages"] for t in p["tables"] if t["form"] == form]


def test_numbers_on_no_printed_cell_are_listed_when_unflagged() -> None:
    truth = copy.deepcopy(_truth())
    ours = perfect_output(truth)
    table = ours["tables"][0]
    table["columns"].append("extra_col9")
    table["headers"].append("Cột in thêm")
    table["values"] += [
        {"row_index": 0, "column_key": "extra_col9", "number": 7.0, "status": "read", "raw_text": "7"},
        {"row_index": 1, "column_key": "extra_col9", "number": 8.0, "status": "flagged", "raw_text": "8"},
    ]
    got = explain_unflagged(truth, ours)
    assert got["numbers_on_no_printed_cell"] == {"flagged": 1, "unflagged": 1}
    (example,) = got["examples"][ON_NO_CELL]
    assert "extra_col9: '7' read (column under no printed column)" in example
