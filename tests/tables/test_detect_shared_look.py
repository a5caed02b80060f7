"""A grey page's two looks share what the same rules give (issue 9, CPU).

On a grey page the tables are found without side borders and with them
(``tables.side_borders_grey_guarded``); the rules are traced once for both, and where no side
border is kept (most pages) both looks have the same rules, so the same mask, text ink, table
regions and glyphs of each box: they are taken once (``detect._RulesLook``, the glyphs of each
box found once by ``text_evidence.PageGlyphs``).  What is shared must give what the unshared
looks gave."""

from __future__ import annotations

import os

import numpy as np
from table_pages import report_page
from test_fax_side_columns import DPI, _page

from extract.model import PreparedPage
from extract.preprocess import prepare_page
from extract.tables import detect
from extract.tables.detect import TableSettings, faint_ink, for_page
from extract.tables.lines import LineMasks, find_lines, find_lines_without_and_with_sides
from extract.tables.text_evidence import PageGlyphs, TextBlobs, TextEvidenceSettings

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _looks(page: PreparedPage) -> tuple[TableSettings, TableSettings, LineMasks, LineMasks]:
    base = TableSettings()
    s = for_page(base, page)
    sides = s.model_copy(
        update={
            "lines": s.lines.model_copy(update={"side_rule_reach_mm": base.lines.side_rule_reach_mm}),
            "grid": s.grid.model_copy(update={"side_border_cover": base.grid.side_border_cover}),
        }
    )
    without, with_sides = find_lines_without_and_with_sides(
        page.binary, page.dpi, sides.lines, faint=faint_ink(page, s.rule_contrast)
    )
    return s, sides, without, with_sides


def _same_lines(a: LineMasks, b: LineMasks) -> bool:
    return (
        a.h_segments == b.h_segments
        and a.v_segments == b.v_segments
        and np.array_equal(a.horizontal, b.horizontal)
        and np.array_equal(a.vertical, b.vertical)
    )


def test_a_page_whose_side_borders_add_nothing_gets_one_set_of_rules_equal_to_both() -> None:
    img, _specs = report_page(300.0, seed=3)
    page = prepare_page(img, 300.0, bilevel=False)
    s, sides, without, with_sides = _looks(page)
    assert with_sides is without  # no side border kept: one object, both looks share it
    faint = faint_ink(page, s.rule_contrast)
    alone = find_lines(page.binary, page.dpi, sides.lines, faint=faint)
    assert _same_lines(without, alone)
    # the look taken once gives the side borders' look what its own would have given
    look = detect._RulesLook.of(page, s, without)
    shared = detect._detect(page, sides, look=look)
    own = detect._detect(page, sides, lines=with_sides)
    assert shared.grids and shared.grids == own.grids
    assert np.array_equal(shared.line_mask, own.line_mask)


def test_a_page_whose_side_borders_are_kept_gets_two_sets_of_rules() -> None:
    """The grey page of test_side_borders_grey_guard: its side columns' vertical rules are side
    borders; the two looks differ and each keeps its own rules, as found alone."""
    img, _xs, _ys = _page()
    page = prepare_page(img, DPI, bilevel=False)
    s, sides, without, with_sides = _looks(page)
    assert with_sides is not without
    assert len(with_sides.v_segments) > len(without.v_segments)
    faint = faint_ink(page, s.rule_contrast)
    assert _same_lines(with_sides, find_lines(page.binary, page.dpi, sides.lines, faint=faint))
    assert _same_lines(without, find_lines(page.binary, page.dpi, s.lines, faint=faint))


def test_the_glyphs_of_a_box_are_found_once_and_are_those_found_alone() -> None:
    img, specs = report_page(300.0, seed=3)
    page = prepare_page(img, 300.0, bilevel=False)
    grid = detect.detect_tables(page).grids[0]
    t = TextEvidenceSettings()
    glyphs = PageGlyphs(page.binary, page.dpi)
    first = glyphs.find(grid.box, t, with_seals=True)
    assert glyphs.find(grid.box, t, with_seals=True) is first  # kept, not found again
    alone = TextBlobs.find(page.binary, grid.box, page.dpi, t, with_seals=True)
    for field in ("x0", "y0", "x1", "y1", "thin_v", "thin_h", "tall", "seal", "flat", "dot", "ring"):
        assert np.array_equal(getattr(first, field), getattr(alone, field)), field
    assert np.array_equal(first.arm_x, alone.arm_x, equal_nan=True)
    # another box, or the same box without seals, is a box of its own
    assert glyphs.find(grid.box, t) is not first
    assert len(specs) >= 1


def _counting_grids(monkeypatch) -> list[int]:
    """Counts the grids :func:`.grid.build_grid` builds (not those it takes from the kept ones)."""
    from extract.tables import grid as grid_module

    built = [0]
    real = grid_module._grid_in

    def counted(*args, **kwargs):
        built[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(grid_module, "_grid_in", counted)
    return built


def test_the_side_borders_look_takes_the_grids_of_regions_it_widens_as_the_first_look_did(
    monkeypatch,
) -> None:
    """A grey page whose side borders add nothing: the second look (side borders on, the same
    rules and glyphs) widens each region as the first did, so it builds no grid of its own, and
    its grids are those it builds alone (on glyphs of its own)."""
    img, _specs = report_page(300.0, seed=3)
    page = prepare_page(img, 300.0, bilevel=False)
    s, sides, without, with_sides = _looks(page)
    assert with_sides is without
    own = detect._detect(page, sides, lines=with_sides)  # a look of its own: nothing kept
    built = _counting_grids(monkeypatch)
    look = detect._RulesLook.of(page, s, without)
    first = detect._detect(page, s, look=look)
    after_first = built[0]
    shared = detect._detect(page, sides, look=look)
    assert after_first >= 1 and built[0] == after_first  # the second look built none
    assert shared.grids and shared.grids == own.grids == first.grids


def test_a_region_the_side_borders_widen_gets_a_grid_of_its_own(monkeypatch) -> None:
    """The grey page of test_side_borders_grey_guard, both looks on its rules with side borders:
    the side borders' look widens the table to its side columns, a region of its own, so its grid
    is built (not the first look's) and is the grid found on glyphs of its own."""
    img, _xs, _ys = _page()
    page = prepare_page(img, DPI, bilevel=False)
    s, sides, _without, with_sides = _looks(page)
    own = detect._detect(page, sides, lines=with_sides)
    built = _counting_grids(monkeypatch)
    look = detect._RulesLook.of(page, sides, with_sides)
    first = detect._detect(page, s, look=look)
    after_first = built[0]
    shared = detect._detect(page, sides, look=look)
    assert built[0] > after_first
    assert shared.grids == own.grids
    assert sum(len(g.cells) for g in shared.grids) > sum(len(g.cells) for g in first.grids)
