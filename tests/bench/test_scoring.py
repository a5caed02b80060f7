"""Unit tests of the benchmark's scoring functions, on tiny hand-made truths and outputs."""

from __future__ import annotations

import itertools
import math
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds bench/

from bench import scoring
from bench.scoring import (
    FormColumns,
    align_rows,
    apply_affine,
    cell_at,
    clean_img2table_text,
    edit_counts,
    map_point,
    norm_text,
    number_key,
    rates,
    same_number,
    scan_centre,
    score_img2table,
    score_ours,
)

IDENTITY = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
COLUMNS = {
    "T": FormColumns({"stt": "index", "label": "label", "n": "count", "r": "mixed"}, "label", "stt"),
}


# ------------------------------------------------------------------------------------------------
# helpers: a one-page truth with one table of form "T"


def _row(
    i: int, stt: str, label: str, n: str, code: str | None = None, name: str | None = None
) -> dict[str, Any]:
    y = 100 + 20 * i
    return {
        "row_index": i,
        "stt": stt,
        "label": label,
        "commune_code": code,
        "commune_name": name,
        "cells": {"stt": stt, "label": label, "n": n, "r": ""},
        "boxes": {
            "stt": [0, y, 10, y + 20],
            "label": [10, y, 110, y + 20],
            "n": [110, y, 150, y + 20],
            "r": [150, y, 190, y + 20],
        },
    }


def _truth(rows: list[dict[str, Any]], transform: list[list[float]] = IDENTITY) -> dict[str, Any]:
    return {
        "page_count": 1,
        "tables": [{"table_index": 0, "form": "T", "pages": [0], "rows": len(rows)}],
        "pages": [
            {
                "index": 0,
                "scan_width": 400,
                "scan_height": 400,
                "transform": transform,
                "tables": [{"form": "T", "table_index": 0, "rows": rows}],
            }
        ],
    }


TRUTH_ROWS = [
    _row(0, "I", "Tổng số", "5.697"),
    _row(1, "1", "Xã An Mỹ", "12", "31567", "Xã An Mỹ"),
    _row(2, "2", "Xã Nhơn Mỹ", "", "31570", "Xã Nhơn Mỹ"),  # blank: not a numeric cell
]


def _ours_value(
    row: int, key: str, number: float | None, status: str = "read", **extra: Any
) -> dict[str, Any]:
    return {
        "row_index": row,
        "column_key": key,
        "number": number,
        "value_kind": "number",
        "raw_text": "",
        "status": status,
        **extra,
    }


# ------------------------------------------------------------------------------------------------
# normalisation


def test_norm_text_composes_and_folds_whitespace() -> None:
    decomposed = unicodedata.normalize("NFD", "Xã  Kế\nSách ")
    assert decomposed != "Xã Kế Sách"
    assert norm_text(decomposed) == "Xã Kế Sách"
    assert norm_text(None) == ""


def test_edit_counts_counts_edits_against_truth_length() -> None:
    assert edit_counts("Xa Ke Sach", "Xã Kế Sách") == (3, 10)
    assert edit_counts(None, "Xã An") == (5, 5)
    assert edit_counts("Xã\nAn", "Xã An") == (0, 5)


@pytest.mark.parametrize(
    ("text", "ctype", "expected"),
    [
        ("5.697", "count", 5697.0),
        ("1582", "count", 1582.0),
        ("99,7%", "percent", 99.7),
        ("32/32", "mixed", (32.0, 32.0)),
        ("1.5", "count", None),  # ambiguous: never guessed
        ("", "count", None),
        ("12", "label", None),  # not a numeric column
    ],
)
def test_number_key(text: str, ctype: str, expected: Any) -> None:
    assert number_key(text, ctype) == expected


def test_same_number() -> None:
    assert same_number(5697.0, 5697.0)
    assert not same_number(5697.0, 5698.0)
    assert same_number((32.0, 32.0), (32.0, 32.0))
    assert not same_number((32.0, 32.0), 1.0)
    assert not same_number(None, None)


def test_clean_img2table_text_drops_none_tokens_only() -> None:
    assert clean_img2table_text("None 1.582") == "1.582"
    assert clean_img2table_text("None") == ""
    assert clean_img2table_text("Nonetheless") == "Nonetheless"
    assert clean_img2table_text(None) is None


# ------------------------------------------------------------------------------------------------
# geometry


def test_map_point_applies_rotation_and_translation() -> None:
    turn = [[0.0, -1.0, 100.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]  # 90 degrees, then shift x by 100
    assert map_point(10.0, 20.0, turn) == (80.0, 10.0)  # type: ignore[arg-type]


def test_scan_centre_scales_to_the_rendering() -> None:
    shift = [[1.0, 0.0, 4.0], [0.0, 1.0, -2.0], [0.0, 0.0, 1.0]]
    assert scan_centre((0, 0, 10, 20), shift, (0.5, 2.0)) == (4.5, 16.0)  # type: ignore[arg-type]


def test_apply_affine() -> None:
    assert apply_affine((1.0, 2.0), [[2.0, 0.0, 1.0], [0.0, 3.0, -1.0]]) == (3.0, 5.0)
    assert apply_affine((1.0, 2.0), None) == (1.0, 2.0)


def test_cell_at_takes_the_smallest_containing_cell() -> None:
    cells = [[0, 0, 100, 100, "merged"], [10, 10, 20, 20, "small"], [50, 50, 60, 60, None]]
    assert cell_at(cells, (15.0, 15.0)) == "small"
    assert cell_at(cells, (30.0, 30.0)) == "merged"
    assert cell_at(cells, (55.0, 55.0)) == ""  # a cell without text
    assert cell_at(cells, (150.0, 5.0)) is None


# ------------------------------------------------------------------------------------------------
# row alignment


def test_align_rows_identity_when_equal() -> None:
    rows = [("1", "Xã A"), ("2", "Xã B"), ("3", "Xã C")]
    assert align_rows(rows, rows) == {0: 0, 1: 1, 2: 2}


def test_align_rows_skips_an_extra_row_of_ours() -> None:
    truth = [("1", "Xã An Mỹ"), ("2", "Xã Nhơn Mỹ"), ("3", "Xã Kế An"), ("4", "Xã Ba Trinh")]
    ours = [
        ("1", "Xã An Mỹ"),
        ("", "(1) (2) (3)"),
        ("2", "Xã Nhơn Mỹ"),
        ("3", "Xã Kế An"),
        ("4", "Xã Ba Trinh"),
    ]
    assert align_rows(truth, ours) == {0: 0, 1: 2, 2: 3, 3: 4}


def test_align_rows_leaves_a_missing_row_unpaired() -> None:
    truth = [("1", "Xã An Mỹ"), ("2", "Xã Nhơn Mỹ"), ("3", "Xã Kế An"), ("4", "Xã Ba Trinh")]
    ours = [("1", "Xã An Mỹ"), ("3", "Xã Kế An"), ("4", "Xã Ba Trinh")]
    assert align_rows(truth, ours) == {0: 0, 2: 1, 3: 2}


def test_align_rows_pairs_garbled_rows_in_place() -> None:
    truth = [("1", "Xã An Mỹ"), ("2", "Xã Nhơn Mỹ")]
    ours = [("l", "X# 4n"), ("2", "Xa Nhon My")]
    assert align_rows(truth, ours) == {0: 0, 1: 1}


def test_align_rows_keeps_equal_length_tables_in_place_unless_a_shift_gains_more_than_two_gaps() -> None:
    truth = [("1", "Xã An Mỹ"), ("2", "Xã Ba Trinh")]
    ours = [("?", "~~~"), ("?", "Xã An Mỹ")]  # one exact label, one row's position later
    assert align_rows(truth, ours) == {0: 0, 1: 1}
    assert align_rows(truth, ours, gap=0.1) == {0: 1}


rows_strategy = st.lists(st.tuples(st.sampled_from(["1", "2", "I", ""]), st.text(max_size=8)), max_size=8)


@given(rows_strategy, rows_strategy)
def test_align_rows_is_monotone_and_one_to_one(
    truth: list[tuple[str, str]], ours: list[tuple[str, str]]
) -> None:
    pairs = sorted(align_rows(truth, ours).items())
    assert all(0 <= i < len(truth) and 0 <= j < len(ours) for i, j in pairs)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(pairs))


# ------------------------------------------------------------------------------------------------
# scores


def _ours_output(rows: list[dict[str, Any]], values: list[dict[str, Any]], form: str = "T") -> dict[str, Any]:
    return {"tables": [{"form": form, "pages": [0], "rows": rows, "values": values}]}


def test_score_ours_counts_right_wrong_missing_and_statuses() -> None:
    rows = [
        {"index": "I", "label": "Tổng số", "commune_code": None},
        {"index": "1", "label": "Xã An Mỹ", "commune_code": "31567"},
        {"index": "2", "label": "Xã Nhơn Mỹ", "commune_code": "99999"},  # wrong commune
    ]
    values = [
        _ours_value(0, "n", 5697.0, "verified"),
        _ours_value(1, "n", 13.0, "corrected", original_text="12"),  # correction broke it
    ]
    s = score_ours(_truth(TRUTH_ROWS), _ours_output(rows, values), COLUMNS)
    assert (s.tables, s.tables_identified) == (1, 1)
    assert (s.numeric, s.numeric_correct, s.numeric_missing) == (2, 1, 0)
    assert s.numeric_before_correct == 2
    assert (s.corrections, s.corrections_fixed, s.corrections_broken) == (1, 0, 1)
    assert s.status == {"verified": 1, "read": 0, "corrected": 1, "flagged": 0}
    assert s.status_wrong == {"verified": 0, "read": 0, "corrected": 1, "flagged": 0}
    assert s.status_all == {"verified": 1, "read": 0, "corrected": 1, "flagged": 0}
    assert (s.communes, s.communes_correct) == (2, 1)
    assert (s.label_cells, s.label_edits) == (3, 0)
    r = rates(s)
    assert r["numeric_exact"] == 0.5 and r["unflagged_error_rate"] == 0.5
    assert r["commune_accuracy"] == 0.5


def test_score_ours_uses_commune_code_for_numbers_and_alignment_for_the_rest() -> None:
    # our rows come out in another order with a spurious row: numbers follow the commune code
    rows = [
        {"index": "", "label": "(1) (2) (3)", "commune_code": None},
        {"index": "I", "label": "Tổng số", "commune_code": None},
        {"index": "1", "label": "Xã An Mỹ", "commune_code": "31567"},
    ]
    values = [_ours_value(1, "n", 5697.0), _ours_value(2, "n", 12.0)]
    s = score_ours(_truth(TRUTH_ROWS), _ours_output(rows, values), COLUMNS)
    assert (s.numeric_correct, s.numeric_missing) == (2, 0)
    assert s.label_missing == 1  # "Xã Nhơn Mỹ" has no row of ours
    assert s.communes_correct == 1


def test_score_ours_unknown_form_scores_nothing() -> None:
    rows = [{"index": "I", "label": "Tổng số", "commune_code": None}]
    s = score_ours(_truth(TRUTH_ROWS), _ours_output(rows, [_ours_value(0, "c2", 5697.0)], "unknown"), COLUMNS)
    assert s.tables_identified == 0
    assert (s.numeric_correct, s.numeric_missing) == (0, 2)


def test_score_img2table_aligns_by_geometry_through_transform_and_scale() -> None:
    # the scan is shifted right by 40 px; img2table rendered it at half size
    shift = [[1.0, 0.0, 40.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    truth = _truth(TRUTH_ROWS, shift)

    def cell(box: list[int], text: str | None) -> list[Any]:
        x0, y0, x1, y1 = box
        return [(x0 + 40) / 2, y0 / 2, (x1 + 40) / 2, y1 / 2, text]

    cells = [
        cell([10, 100, 110, 120], "Tổng số"),
        cell([110, 100, 150, 120], "None 5.697"),
        cell([10, 120, 110, 140], "Xã An\nMỹ"),
        cell([110, 120, 150, 140], "17"),  # misread
    ]  # row 2 was not found at all
    img = {"pages": [{"page_index": 0, "width": 200, "height": 200, "cells": cells}]}
    s = score_img2table(truth, img, COLUMNS)
    assert s.tables_identified is None
    assert (s.numeric, s.numeric_correct, s.numeric_missing) == (2, 1, 0)
    assert (s.label_cells, s.label_missing) == (3, 1)
    assert s.label_edits == len("Xã Nhơn Mỹ")
    assert (s.communes, s.communes_correct) == (2, 1)
    assert math.isclose(rates(s)["label_cer"] or 0.0, len("Xã Nhơn Mỹ") / s.label_chars)


def test_score_img2table_follows_its_deskew_affine() -> None:
    truth = _truth(TRUTH_ROWS)
    # img2table turned the page: rendered (x, y) -> (y, x); its cells are in the turned pixels
    swap = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    cells = [[100, 110, 120, 150, "5.697"]]
    img = {"pages": [{"page_index": 0, "width": 400, "height": 400, "affine": swap, "cells": cells}]}
    assert score_img2table(truth, img, COLUMNS).numeric_correct == 1
    img["pages"][0].pop("affine")
    assert score_img2table(truth, img, COLUMNS).numeric_correct == 0


def test_truth_numbers_skips_blank_and_text_cells() -> None:
    rows = scoring.truth_rows(_truth(TRUTH_ROWS))
    numbers = scoring.truth_numbers(rows, COLUMNS)
    assert [(n.row.row_index, n.column_key, n.key) for n in numbers] == [(0, "n", 5697.0), (1, "n", 12.0)]


def test_ours_to_dict_feeds_score_ours() -> None:
    from bench.systems import ours_to_dict
    from extract.model import (
        Commune,
        CommuneMatch,
        DocumentMeta,
        DocumentResult,
        OcrCorrection,
        PageResult,
        PixelBox,
        RowInfo,
        RowKind,
        TableResult,
        Value,
        ValueStatus,
    )

    commune = Commune("31567", "Xã An Mỹ", "An Mỹ", "Xã", "d", "D", "p", "P")

    def value(row: int, number: float, raw: str, status: ValueStatus, **extra: Any) -> Value:
        return Value(
            document_id="doc",
            source="x.pdf",
            form="T",
            table_index=0,
            page_index=0,
            row_index=row,
            row_key=str(row),
            row_kind="item",
            row_label="",
            commune_code=None,
            commune_name=None,
            column_key="n",
            column_header="N",
            value_kind="number",
            number=number,
            boolean=None,
            text=None,
            unit=None,
            note=None,
            raw_text=raw,
            confidence=90.0,
            box=PixelBox(0, 0, 1, 1),
            status=status,
            **extra,
        )

    rows = [
        RowInfo(RowKind.TOTAL, "I", "total", "Tổng số", "total"),
        RowInfo(RowKind.COMMUNE, "1", "1", "Xã An Mỹ", "31567", CommuneMatch(commune, 98.0, 60.0)),
    ]
    values = [
        value(0, 5697.0, "5.697", ValueStatus.VERIFIED),
        value(
            1,
            12.0,
            "12",
            ValueStatus.CORRECTED,
            correction=OcrCorrection(
                original_text="17", original_number=17.0, original_confidence=60.0, variant="vie"
            ),
        ),
    ]
    table = TableResult(0, "T", 95.0, "title", (0,), ("stt", "label", "n"), ("", "", ""), rows, values, [])
    page = PageResult("x.pdf", 1, 2, 300.0, 10, 10, error="boom", error_stage="ocr")
    doc = DocumentResult("doc", "x.pdf", 2, DocumentMeta(), [page], [table])
    data = ours_to_dict(doc)
    assert data["page_errors"] == [{"page_index": 1, "stage": "ocr", "error": "boom"}]
    s = score_ours(_truth(TRUTH_ROWS), data, COLUMNS)
    assert (s.numeric_correct, s.numeric_before_correct) == (2, 1)
    assert (s.corrections, s.corrections_fixed, s.corrections_broken) == (1, 1, 0)
    assert s.status["corrected"] == 1 and s.status["verified"] == 1
    assert (s.communes, s.communes_correct) == (2, 1)
