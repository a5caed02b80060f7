"""One function places a grid's columns under another grid's by their edges
(:func:`extract.tables.column_fit.fit_columns`), for both of its callers: a continuation page
with a column less or more than the table's first page, and a lower piece of a table torn
across a band of lost rules.  Its settings come from ``configs/pipeline.yaml``."""

from __future__ import annotations

import pytest

from extract.config import load_config
from extract.tables.column_fit import ColumnFitSettings, ColumnPlace, fit_columns

DPI = 254  # 10 px a millimetre: the edges below read in tenths of a millimetre
FIT = ColumnFitSettings()


def _places(places: list[ColumnPlace] | None) -> list[tuple[int | None, int, bool, bool]]:
    assert places is not None
    return [(p.first, p.spans, p.shared, p.sure) for p in places]


def test_the_settings_are_named_in_pipeline_yaml() -> None:
    fit = load_config().document.column_fit
    assert fit == ColumnFitSettings(
        edge_mm=2.0, max_shift_mm=10.0, min_edges=3, min_edge_share=0.75, cover_share=0.5, sure_share=0.6
    )
    # and they are used: a tolerance of 0.5 mm no longer lines up edges 0.9 mm apart
    shifted = [109, 229, 349, 469]
    assert fit_columns([100, 220, 340, 460], shifted, fit, DPI) is not None
    still = fit.model_copy(update={"max_shift_mm": 0.5, "edge_mm": 0.5})
    assert fit_columns([100, 220, 340, 460], shifted, still, DPI) is None


def test_a_continuation_that_lost_a_rule_lines_up_across_a_shift() -> None:
    first = [100, 220, 340, 460, 580, 700]
    lost = [109, 229, 349, 589, 709]  # the rule at 460 lost, the page shifted 0.9 mm
    assert _places(fit_columns(first, lost, FIT, DPI)) == [
        (0, 1, False, True),
        (1, 1, False, True),
        (2, 2, False, False),  # over two columns: a rule lost, not one column's values
        (4, 1, False, True),
    ]


def test_a_rule_the_first_page_lost_puts_two_columns_under_one() -> None:
    more = [100, 220, 340, 400, 460, 580, 700]  # rules the first page lost (at 340 and 400)
    assert _places(fit_columns([100, 220, 460, 580, 700], more, FIT, DPI)) == [
        (0, 1, False, True),
        (1, 1, True, False),
        (1, 1, True, False),
        (1, 1, True, False),
        (2, 1, False, True),
        (3, 1, False, True),
    ]


def test_a_lower_piece_that_lost_columns_at_its_edge() -> None:
    table = [0, 500, 1500, 2500, 3500, 4500]
    assert _places(fit_columns(table, [5, 505, 1505, 2505], FIT, DPI)) == [
        (0, 1, False, True),
        (1, 1, False, True),
        (2, 1, False, True),
    ]
    assert [p.first for p in fit_columns(table, [500, 1500, 2500, 3500, 4500], FIT, DPI) or []] == [
        1,
        2,
        3,
        4,
    ]


def test_a_piece_column_over_two_is_under_both_not_sure() -> None:
    table = [0, 500, 1500, 2500, 3500, 4500]
    places = fit_columns(table, [0, 500, 2400, 3500, 4500], FIT, DPI)
    # the torn-piece caller puts it under the one it overlaps most (here the first)
    assert [p.most for p in places or []] == [0, 1, 3, 4]
    wider_right = fit_columns(table, [0, 500, 1600, 3500, 4500], FIT, DPI) or []
    assert [(p.first, p.spans, p.most) for p in wider_right] == [(0, 1, 0), (1, 1, 1), (2, 2, 3), (4, 1, 4)]
    assert _places(places) == [
        (0, 1, False, True),
        (1, 2, False, False),
        (3, 1, False, True),
        (4, 1, False, True),
    ]


@pytest.mark.parametrize(
    "piece",
    [
        [0, 800, 1900, 3100, 4200],  # no shift lines up three edges
        [1300, 2300, 3300, 4300, 5300, 6300],  # lined up only 13 mm away: farther than a scan's offset
    ],
)
def test_edges_that_do_not_line_up_place_nothing(piece: list[int]) -> None:
    assert fit_columns([0, 500, 1500, 2500, 3500, 4500], piece, FIT, DPI) is None


def test_too_few_of_the_edges_line_up() -> None:
    # four of eight edges line up: not the same printed columns
    table = [0, 500, 1000, 1500, 2000, 2500, 3000, 3500]
    assert fit_columns(table, [0, 500, 1000, 1500, 2300, 2800, 3300, 3800], FIT, DPI) is None
    assert fit_columns(table, [0, 500, 1000, 1500, 2000, 2500, 3300, 3800], FIT, DPI) is not None
