"""The named steps of header mapping (:func:`extract.understand.forms.map_header`): similarity,
monotone alignment, trace-back, the mapping's score, and columns by position."""

from __future__ import annotations

from pathlib import Path

from extract.config import load_forms
from extract.understand.forms import (
    FormsSettings,
    HeaderMapping,
    _align,
    _by_position,
    _mapping,
    _matched_pairs,
    _ties,
    map_header,
)

REPO = Path(__file__).resolve().parents[2]
FORM_5B = next(f for f in load_forms(REPO / "configs") if f.code == "5B")
S = FormsSettings()


def test_by_position_maps_columns_only_when_the_counts_agree() -> None:
    assert _by_position(3, ["a", "b", "c"]) == HeaderMapping({0: "a", 1: "b", 2: "c"}, 0.0, (), ())
    assert _by_position(2, ["a", "b", "c"]) == HeaderMapping({}, 0.0, (0, 1), ("a", "b", "c"))


def test_align_matches_similar_pairs_in_order_and_skips_the_rest() -> None:
    # grid columns: A, an extra column, B; form columns: A, B, C (C not printed)
    sim = [[95.0, 10.0, 5.0], [20.0, 15.0, 10.0], [5.0, 90.0, 30.0]]
    move, best = _align(sim, [S.gap_cost] * 3, S)
    columns, total = _matched_pairs(move, sim, ["a", "b", "c"])
    assert columns == {0: "a", 2: "b"} and total == 185.0
    assert best == 185.0 - 2 * S.match_floor - 2 * S.gap_cost  # grid 1 and form c left over


def test_align_keeps_column_order_over_a_better_crossed_pair() -> None:
    # grid 0 looks like form 1 and grid 1 like form 0: a monotone alignment takes one pair only
    sim = [[50.0, 99.0], [99.0, 50.0]]
    move, best = _align(sim, [S.gap_cost] * 2, S)
    columns, total = _matched_pairs(move, sim, ["a", "b"])
    assert len(columns) == 1 and total == 99.0
    # which pair it takes is a tie: both columns are doubtful, the one it took and the other
    doubtful = _ties(columns, best, sim, [S.gap_cost] * 2, [("X",), ("Y",)], ["a", "b"], S)
    assert set(doubtful) == {0, 1} and all("tie" in why for why in doubtful.values())


def test_a_clear_alignment_has_no_ties_and_a_forbidden_pair_is_never_taken() -> None:
    sim = [[95.0, 10.0, 5.0], [20.0, 15.0, 10.0], [5.0, 90.0, 30.0]]
    move, best = _align(sim, [S.gap_cost] * 3, S)
    columns, _ = _matched_pairs(move, sim, ["a", "b", "c"])
    assert _ties(columns, best, sim, [S.gap_cost] * 3, [("A",), ("X",), ("B",)], ["a", "b", "c"], S) == {}
    move, worse = _align(sim, [S.gap_cost] * 3, S, forbid=(0, 0))
    assert _matched_pairs(move, sim, ["a", "b", "c"])[0].get(0) != "a" and worse < best - S.tie_margin


def test_align_leaves_a_column_without_header_text_unmatched_cheaply() -> None:
    sim = [[90.0, 0.0], [40.0, 40.0], [0.0, 90.0]]
    # the middle column scores under match_floor: skipping it costs empty_gap_cost, less than a
    # poor match would lose
    move, _best = _align(sim, [S.gap_cost, S.empty_gap_cost, S.gap_cost], S)
    columns, _ = _matched_pairs(move, sim, ["a", "b"])
    assert columns == {0: "a", 2: "b"}


def test_mapping_scores_over_the_larger_count_and_lists_what_is_left() -> None:
    got = _mapping({2: "b", 0: "a"}, 180.0, [("A",), ("X",), ("B",), ()], ["a", "b", "c"])
    assert got.columns == {0: "a", 2: "b"} and list(got.columns) == [0, 2]
    assert got.score == 60.0  # 180 over max(3 form columns, 3 grid columns with text)
    assert got.unmapped == (1, 3) and got.missing == ("c",)


def test_map_header_on_the_printed_5b_header() -> None:
    header = [list(c.header) for c in FORM_5B.columns]
    depth = max(len(h) for h in header)
    matrix = [[h[min(r, len(h) - 1)] for h in header] for r in range(depth)]
    matrix.append(["1", "Xã A", *["3"] * (len(header) - 2)])
    got = map_header(matrix, depth, FORM_5B, S)
    assert got.columns == {j: c.key for j, c in enumerate(FORM_5B.columns)}
    assert got.missing == () and got.unmapped == () and got.score > 95
