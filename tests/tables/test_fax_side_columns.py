"""A fax's side columns whose row rules were dotted away: the STT and label columns stay.

On a 150-dpi fax a toner patch over the left of a table is thresholded into dots: the row
rules of the STT and label columns (and the top and bottom rules over them) are gone, while
their vertical rules, the left border and the STT | label rule, stand whole from the table's
top rule to its bottom one (dev 579's 10B p4, dev 628's 7B p8 of the dev split).  Those rules
met no long horizontal rule and were dropped, the table's region started at the first value
column and the grid lost both columns: no row had a label, none was paired with the printed
rows (dev 628: 323 printed numbers "row missing").  Drawn 1-bit pages at 150 dpi, real OpenCV
and tesseract.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from table_pages import TableSpec, blank, draw_table, draw_text, pt_to_px

from extract.folding import fold
from extract.model import GridCell, PixelBox, TableGrid
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables, for_page, joined_across_lost_rows
from extract.tables.grid import GridSettings, widen_to_side_rules
from extract.tables.lines import LineSettings, Segment, find_lines

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

DPI = 150.0
WIDTHS_MM = [12.0, 40.0, 24.0, 24.0, 24.0, 30.0]
LABELS = ["Xã Na Son", "Xã Phì Nhừ", "Xã Chiềng Sơ", "Xã Pu Nhi", "Xã Nong U", "Xã Xa Dung"]
VALUES = [("2208", "1956", "252"), ("4101", "1916", "2185"), ("2905", "1101", "1605")] * 2


def _px(mm: float) -> int:
    return round(mm * DPI / 25.4)


def _page(keep_top: bool = False) -> tuple[np.ndarray, list[int], list[int]]:
    """A 1-bit page (ink 0) with a continued table of six rows, 14 mm high, no header: STT,
    label, three values, a blank notes column; the STT and label columns' horizontal rules
    erased (the top one kept with ``keep_top``), their vertical rules whole.  Returns the
    page, the column and the row edges."""
    img = blank(_px(297), _px(210))
    xs = [_px(20)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + _px(w))
    ys = [_px(15) + i * _px(14) for i in range(len(LABELS) + 1)]
    img = draw_table(img, TableSpec(xs, ys, thickness=2))
    for y in ys[1 if keep_top else 0 :]:
        img[y - 2 : y + 3, : xs[2] - 2] = 255  # dotted away by the fax threshold
    size = pt_to_px(12, DPI)
    for r, (label, values) in enumerate(zip(LABELS, VALUES, strict=True)):
        y = ys[r] + _px(4)
        img = draw_text(img, xs[0] + _px(4), y, str(r + 2), size)
        img = draw_text(img, xs[1] + _px(1.5), y, label, size)
        for c, v in enumerate(values):
            img = draw_text(img, xs[c + 3] - _px(3) - len(v) * size // 2, y, v, size)
    return np.where(img < 128, 0, 255).astype(np.uint8), xs, ys  # a fax is black and white


@pytest.mark.parametrize("keep_top", [False, True], ids=["no-rule-over-the-side", "top-rule-kept"])
def test_the_stt_and_label_columns_of_a_fax_whose_row_rules_were_dotted_away_stay(keep_top):
    img, xs, ys = _page(keep_top)
    page = prepare_page(img, DPI, bilevel=True)
    found = detect_tables(page)
    assert len(found.grids) == 1
    grid = found.grids[0]
    assert len(grid.col_edges) == len(xs)  # four before: STT and label lost
    assert all(abs(a - b) <= 3 for a, b in zip(grid.col_edges, xs, strict=True)), grid.col_edges
    assert grid.n_rows == len(LABELS)
    table = read_table(
        page, grid, found.line_mask, get_engine(OcrSettings()), OcrSettings(), page_index=0, table_index=0
    )
    rows = table.matrix()
    assert [r[0] for r in rows] == [str(k + 2) for k in range(len(LABELS))]
    for row, label in zip(rows, LABELS, strict=True):  # a tone mark may go on a 1-bit page
        assert fold(label.split(" ", 1)[1]) in fold(row[1]), (row[1], label)
    assert [tuple(r[2:5]) for r in rows] == VALUES


def test_without_the_side_border_settings_the_columns_are_lost():
    """The guard: with ``side_rule_reach_mm`` 0 the side rules are dropped as before; with
    ``side_border_cover`` 0 they are found but the grid starts at the first value."""
    img, xs, _ys = _page()
    page = prepare_page(img, DPI, bilevel=True)
    off = TableSettings(lines=LineSettings(side_rule_reach_mm=0.0))
    assert detect_tables(page, off).grids[0].col_edges[0] > xs[2] - 4
    apart = TableSettings(grid=GridSettings(side_border_cover=0.0))
    assert detect_tables(page, apart).grids[0].col_edges[0] > xs[2] - 4


def test_a_long_rule_ending_on_a_rules_line_beside_it_is_kept_one_ending_elsewhere_is_not():
    """Drawn lines alone: a ruled box (two rows), a vertical rule 25 mm left of it from the
    box's top line down (kept), one 15 mm further left from 5 mm below it (dropped: it ends on
    no rule's line), and one 50 mm left of the kept one (beyond ``side_rule_reach_mm``)."""
    img = np.zeros((_px(120), _px(200)), np.uint8)
    x0, x1, ys = _px(90), _px(180), [_px(20), _px(40), _px(60)]
    for y in ys:
        img[y : y + 2, x0 : x1 + 2] = 255
    for x in (x0, x1):
        img[ys[0] : ys[-1] + 2, x : x + 2] = 255
    side, loose, far = x0 - _px(25), x0 - _px(40), x0 - _px(75)
    img[ys[0] : _px(50), side : side + 2] = 255
    img[ys[0] + _px(5) : _px(55), loose : loose + 2] = 255
    img[ys[0] : _px(55), far : far + 2] = 255
    xs = [round(s.pos) for s in find_lines(img, DPI).v_segments]
    assert any(abs(x - side) <= 2 for x in xs), xs
    assert not any(abs(x - loose) <= 2 or abs(x - far) <= 2 for x in xs), xs
    xs = [round(s.pos) for s in find_lines(img, DPI, LineSettings(side_rule_reach_mm=0.0)).v_segments]
    assert not any(abs(x - side) <= 2 for x in xs), xs


def _v(x: float, y0: int, y1: int) -> Segment:
    return Segment(False, x, y0, y1, 2.0)


REGION = PixelBox(300, 100, 900, 400)
INNER = [_v(300, 100, 400), _v(400, 100, 400), _v(900, 100, 400)]


def test_a_table_of_many_rows_widens_to_side_rules_from_its_top_or_bottom_only():
    anchored = [*INNER, _v(200, 100, 350), _v(120, 160, 400)]  # from the top; up from the bottom
    assert widen_to_side_rules(REGION, anchored, [], 3, 300, 0.75, anchored=True) == PixelBox(
        120, 100, 900, 400
    )
    floating = [*INNER, _v(200, 120, 380)]  # 87% of the height, touching neither
    assert widen_to_side_rules(REGION, floating, [], 3, 300, 0.75, anchored=True) == REGION
    short = [*INNER, _v(200, 100, 300)]  # from the top, two thirds of the height
    assert widen_to_side_rules(REGION, short, [], 3, 300, 0.75, anchored=True) == REGION


def _torn_page() -> tuple[np.ndarray, list[int], list[int]]:
    """A 1-bit page: a table with a two-row header and six body rows (14 mm), every vertical
    rule of the first body row dotted away (the table in two pieces a row apart), and below it
    the STT column's horizontal rules gone with its vertical rules whole (the lower piece's
    rules start at the label column: its region is narrower than the header's).  Returns the
    page, the column and the row edges."""
    img = blank(_px(297), _px(210))
    xs = [_px(20)]
    for w in WIDTHS_MM:
        xs.append(xs[-1] + _px(w))
    ys = [_px(15), _px(25), _px(32)] + [_px(32) + (i + 1) * _px(14) for i in range(len(LABELS))]
    img = draw_table(img, TableSpec(xs, ys, thickness=2))
    for x in xs:
        img[ys[2] + 3 : ys[3] - 2, x - 2 : x + 3] = 255  # the first body row's vertical rules
    for y in ys[3:]:
        img[y - 2 : y + 3, : xs[1] - 2] = 255  # the STT column's row rules below it
    size = pt_to_px(12, DPI)
    for c, head in enumerate(["STT", "Cơ quan", "Đi", "Giấy", "Điện tử", "Ghi chú"]):
        img = draw_text(img, xs[c] + _px(1.5), ys[0] + _px(2), head, size)
        img = draw_text(img, xs[c] + _px(1.5), ys[1] + _px(1.5), f"({c + 1})", size)
    for r, (label, values) in enumerate(zip(LABELS, VALUES, strict=True)):
        y = ys[r + 2] + _px(4)
        img = draw_text(img, xs[0] + _px(4), y, str(r + 1), size)
        img = draw_text(img, xs[1] + _px(1.5), y, label, size)
        for c, v in enumerate(values):
            img = draw_text(img, xs[c + 3] - _px(3) - len(v) * size // 2, y, v, size)
    return np.where(img < 128, 0, 255).astype(np.uint8), xs, ys


def test_a_fax_table_torn_across_a_row_whose_lower_piece_lost_its_stt_rules_is_one_grid():
    """The lower piece's rules start at the label column: its STT column comes back (side
    borders) and the pieces are one grid of the printed rows, the lost row's values read."""
    img, xs, ys = _torn_page()
    page = prepare_page(img, DPI, bilevel=True)
    found = detect_tables(page)
    assert len(found.grids) == 1, [g.box for g in found.grids]
    grid = found.grids[0]
    assert all(abs(a - b) <= 3 for a, b in zip(grid.col_edges, xs, strict=True)), grid.col_edges
    assert grid.n_rows == len(ys) - 1
    table = read_table(
        page, grid, found.line_mask, get_engine(OcrSettings()), OcrSettings(), page_index=0, table_index=0
    )
    assert [tuple(r[2:5]) for r in table.matrix()[2:]] == VALUES


def _grid(x0: int, x1: int, rows: list[int], cols: list[int] | None = None) -> TableGrid:
    cols = cols or [x0, 256, 485, 662, 955, x1]
    cells = tuple(
        GridCell(r, c, 1, 1, PixelBox(cols[c], rows[r], cols[c + 1], rows[r + 1]))
        for r in range(len(rows) - 1)
        for c in range(len(cols) - 1)
    )
    return TableGrid(PixelBox(cols[0], rows[0], cols[-1], rows[-1]), tuple(rows), tuple(cols), cells)


HEADER = [345, 488, 629]  # dev 425's 11B p5: the header's grid, widened to its STT column
BODY = [680, 706, 749, 825, 868, 911, 954]  # ... the body's, row "I" (629-680) lost between


def test_grids_in_line_a_lost_row_apart_are_joined_as_the_grid_of_their_union():
    """dev 425's 11B: the regions of the header and of the body were not in line (the header's
    left columns a piece apart), so the regions were not joined and row "I" between them was
    lost; the grids, each widened to its side columns, stand border for border."""
    asked: list[PixelBox] = []

    def grid_of(box: PixelBox) -> TableGrid:
        asked.append(box)
        return _grid(box.x0, box.x1, [*HEADER, *BODY])

    s = TableSettings()
    tol = 7.0
    upper, lower = _grid(177, 1152, HEADER), _grid(177, 1152, BODY)
    [joined] = joined_across_lost_rows([lower, upper], grid_of, tol, s)
    assert asked == [PixelBox(177, 345, 1152, 954)]
    assert joined.row_edges == (*HEADER, *BODY)
    # a border out of line (a fragment), a band of two rows, or no lost-row join: apart
    shifted = _grid(229, 1152, BODY, [229, 256, 485, 662, 955, 1152])
    assert len(joined_across_lost_rows([upper, shifted], grid_of, tol, s)) == 2
    far = _grid(177, 1152, [y + 100 for y in BODY])
    assert len(joined_across_lost_rows([upper, far], grid_of, tol, s)) == 2
    off = s.model_copy(update={"lost_row_pitches": 0.0})
    assert len(joined_across_lost_rows([upper, lower], grid_of, tol, off)) == 2


PAGES = {  # the drawn page read as: (dpi, 1-bit), and whether it is a fax
    "fax": (DPI, True, True),
    "grey": (DPI, False, False),
    # a 1-bit scan at 200 dpi whose rules are whole (QD 707's pages, samples/4B_bilevel_200)
    "1-bit-200-dpi": (200.0, True, False),
}


@pytest.mark.parametrize("kind", PAGES)
def test_the_join_across_a_lost_row_is_looked_for_on_fax_pages_only(kind, monkeypatch):
    """The grids' join across a lost row was built on a fax (dev 425's 11B); on a grey hard
    200-dpi page of the test split it took the title between form 14B's last rows and the staff
    list, a row high, for a lost row and joined the two tables (the staff list lost its form).
    ``tables.fax_mechanisms_fax_only`` keeps it to the pages ``for_page`` treats as faxes - the
    same test as side borders: a 1-bit page at 200 dpi with whole rules is no fax (before, the
    join asked ``page.bilevel`` and ran there)."""
    import extract.tables.detect as detect

    calls: list[int] = []

    def spy(grids, *args):
        calls.append(len(grids))
        return grids

    monkeypatch.setattr(detect, "joined_across_lost_rows", spy)
    dpi, bilevel, fax = PAGES[kind]
    img, _xs, _ys = _page()
    page = prepare_page(img, dpi, bilevel=bilevel)
    assert bool(page.bilevel) == bilevel
    assert detect.is_fax(page, TableSettings()) == fax
    assert for_page(TableSettings(), page).lost_row_grids == fax
    detect_tables(page)
    assert bool(calls) == fax
    calls.clear()
    detect_tables(page, TableSettings(fax_mechanisms_fax_only=False))
    assert calls
    calls.clear()
    detect_tables(page, TableSettings(fax_mechanisms_fax_only=False, lost_row_grids=False))
    assert not calls


@pytest.mark.parametrize("kind", PAGES)
def test_side_borders_are_a_fax_pages_only(kind):
    """The side borders and the widening to them were built on faxes whose threshold dotted a
    side column's row rules away; on a grey hard 300-dpi dev page (dev 380's 6B) they cost the
    commune rows.  ``tables.fax_mechanisms_fax_only`` keeps them to the pages ``for_page`` treats
    as faxes: the drawn fax keeps its STT and label columns, the same page read grey (or as a
    1-bit 200-dpi scan) has them only from its own rules (none here: the columns are lost, as
    before side borders) unless
    ``side_borders_grey_guarded`` takes the side borders' tables where they add cells
    (tests/tables/test_side_borders_grey_guard.py)."""
    dpi, bilevel, fax = PAGES[kind]
    img, xs, _ys = _page()
    page = prepare_page(img, dpi, bilevel=bilevel)
    s = for_page(TableSettings(), page)
    assert (s.lines.side_rule_reach_mm > 0) == fax
    assert (s.grid.side_border_cover > 0) == fax
    grid = detect_tables(page, TableSettings(side_borders_grey_guarded=False)).grids[0]
    assert (abs(grid.col_edges[0] - xs[0]) <= 3) == fax, grid.col_edges
    off = TableSettings(fax_mechanisms_fax_only=False)
    assert for_page(off, page).lines.side_rule_reach_mm > 0
    assert abs(detect_tables(page, off).grids[0].col_edges[0] - xs[0]) <= 3
