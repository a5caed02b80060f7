"""The named steps of line acceptance (step 5 of :mod:`extract.tables.lines`), one by one, on
small drawn pages at 100 dpi (1 mm is about 3.9 px)."""

from __future__ import annotations

import numpy as np

from extract.tables.lines import (
    LineSettings,
    Segment,
    _accept,
    _Acceptance,
    _bare_cut,
    _both_candidates,
    _Candidates,
    _join_pass,
    _join_short,
    _joined_span,
    _Line,
    _long_frame,
    _open_ends,
    _reached,
    _trim_frame,
)

DPI = 100.0
ROWS = (10, 40, 70, 95)
COLS = (10, 60, 110, 150)
SUB_COLUMN_X = 85  # a short rule splitting the middle row's middle cell (a header's sub-columns)


def _grid_page(width: int = 170, height: int = 110) -> np.ndarray:
    img = np.zeros((height, width), np.uint8)
    for y in ROWS:
        img[y, COLS[0] : COLS[-1] + 1] = 255
    for x in COLS:
        img[ROWS[0] : ROWS[-1] + 1, x] = 255
    return img


def _candidates(img: np.ndarray) -> tuple[_Candidates, _Candidates, _Acceptance]:
    s = LineSettings()
    h, v = _both_candidates(img, img, DPI, s)
    return h, v, _Acceptance.at(DPI, s)


def _index(c: _Candidates, pos: float, start: int | None = None) -> int:
    return next(
        i
        for i, seg in enumerate(c.segments)
        if abs(seg.pos - pos) < 1.5 and (start is None or abs(seg.start - start) < 3)
    )


def _line(horizontal: bool, pos: float, start: int, end: int) -> _Line:
    return _Line(Segment(horizontal, pos, start, end, 1.0), pos - 0.5, pos + 0.5, 1.0)


def test_acceptance_thresholds_scale_with_the_resolution():
    low, high = _Acceptance.at(100.0, LineSettings()), _Acceptance.at(200.0, LineSettings())
    assert high.min_short == 2 * low.min_short and high.gap == 2 * low.gap
    assert high.window >= 2 * low.window - 1 and low.tol >= 1.0


def test_reached_moves_an_end_across_a_final_dropout():
    img = _grid_page()
    y = 120
    page = np.zeros((130, 170), np.uint8)
    page[:110] = img
    page[y, 10:140] = 255  # a rule whose last 6 px survived a 4 px dropout
    page[y, 144:150] = 255
    page[y - 10 : y + 1, 10] = 255  # it meets a vertical rule at its start
    h, _v, _p = _candidates(page)
    i = _index(h, y)
    assert h.segments[i].end <= 141
    assert _reached(h, i).seg.end == 150 and _reached(h, i).seg.start == h.segments[i].start


def test_long_frame_keeps_the_table_and_drops_a_lone_underline():
    page = np.zeros((140, 170), np.uint8)
    page[:110] = _grid_page()
    page[130, 20:150] = 255  # a signature line under the table, meeting no vertical rule
    h, v, p = _candidates(page)
    frame = _long_frame(h, v, p)
    assert sorted(round(line.seg.pos) for line in frame.values()) == list(ROWS)
    assert sorted(round(line.seg.pos) for line in _long_frame(v, h, p).values()) == list(COLS)


def test_trim_frame_cuts_a_word_glued_beyond_the_last_rule():
    work = np.zeros((60, 220), np.uint8)
    work[30, 10:200] = 255  # the rule runs on past the border at x = 150 ...
    work[22:38, 160:200] = 255  # ... under a blot of letters glued to it
    ok = {0: _Line(Segment(True, 30.0, 10, 200, 1.0), 29.5, 30.5, 1.0)}
    border = {0: _line(False, 150.0, 20, 40), 1: _line(False, 10.0, 20, 40)}
    _trim_frame(ok, work, border, _Acceptance.at(DPI, LineSettings()))
    assert ok[0].seg.start == 10 and ok[0].seg.end == 151
    bare = {0: _Line(Segment(True, 30.0, 10, 200, 1.0), 29.5, 30.5, 1.0)}
    clean = work.copy()
    clean[22:38, 160:200] = 0
    clean[30, 10:200] = 255
    _trim_frame(bare, clean, border, _Acceptance.at(DPI, LineSettings()))
    assert bare[0].seg.end == 200  # a bare stroke beyond the border is left as it is


def test_open_ends_line_up_with_the_accepted_rules_beside_them():
    line = _line(True, 50.0, 10, 100)
    beside = [_line(True, 20.0, 10, 100), _line(True, 80.0, 11, 100)]
    rule = _line(False, 100.0, 0, 90)
    assert _open_ends(line, None, rule, beside, tol=1.0) == (True, False)
    assert _open_ends(line, rule, None, beside, tol=1.0) == (False, True)
    assert _open_ends(line, None, rule, [_line(True, 20.0, 30, 100)], tol=1.0) == (False, False)
    assert _open_ends(line, rule, rule, beside, tol=1.0) == (False, False)


def test_joined_span_is_cut_to_the_rules_both_ends_join():
    p = _Acceptance.at(DPI, LineSettings())
    short = _line(False, 85.0, 38, 72)  # a sub-column rule reaching a little past both rows
    rows = [_line(True, 40.0, 10, 150), _line(True, 70.0, 10, 150)]
    assert _joined_span(short, rows, [], p) == (39, 71)
    assert _joined_span(short, rows[:1], [], p) is None  # one end joins nothing
    assert _joined_span(short, [], [], p) is None


def test_bare_cut_takes_a_clean_stroke_and_refuses_a_letter_stem():
    page = _grid_page()
    page[ROWS[1] : ROWS[2] + 1, SUB_COLUMN_X] = 255
    h, v, p = _candidates(page)
    rows = [_reached(h, _index(h, y)) for y in ROWS]
    i = _index(v, SUB_COLUMN_X)
    line = _reached(v, i)
    cut = _bare_cut(v, i, line, (ROWS[1], ROWS[2] + 1), rows, p)
    assert cut is not None and (cut.seg.start, cut.seg.end) == (ROWS[1], ROWS[2] + 1)
    stem = page.copy()
    stem[48:52, SUB_COLUMN_X - 4 : SUB_COLUMN_X + 5] = 255  # serifs on the stem
    h2, v2, _ = _candidates(stem)
    j = _index(v2, SUB_COLUMN_X)
    assert _bare_cut(v2, j, _reached(v2, j), (ROWS[1], ROWS[2] + 1), rows, p) is None
    assert _bare_cut(v, i, line, (ROWS[1], ROWS[1] + 5), rows, p) is None  # shorter than min_short


def test_join_short_and_join_pass_accept_a_sub_column_rule_not_a_stray_dash():
    page = _grid_page(width=220)
    page[ROWS[1] : ROWS[2] + 1, SUB_COLUMN_X] = 255
    page[60:90, 200] = 255  # a stray dash right of the table: joins no rule
    h, v, p = _candidates(page)
    h_ok, v_ok = _long_frame(h, v, p), _long_frame(v, h, p)
    sub, dash = _index(v, SUB_COLUMN_X), _index(v, 200)
    rows = list(h_ok.values())
    joined = _join_short(v, sub, rows, list(v_ok.values()), p)
    assert joined is not None and (joined.seg.start, joined.seg.end) == (ROWS[1], ROWS[2] + 1)
    assert _join_short(v, dash, rows, list(v_ok.values()), p) is None
    assert _join_pass(v_ok, v, h_ok, p) is True and sub in v_ok and dash not in v_ok
    assert _join_pass(v_ok, v, h_ok, p) is False  # nothing left to accept


def test_join_short_continues_an_accepted_rule_across_a_break():
    page = _grid_page()
    page[ROWS[3], COLS[0] : COLS[-1] + 1] = 0
    page[ROWS[3], COLS[0] : 100] = 255  # the bottom border broken by a 4 mm gap
    page[ROWS[3], 116 : COLS[-1] + 1] = 255
    h, v, p = _candidates(page)
    h_ok = _long_frame(h, v, p)
    tail = _index(h, ROWS[3], start=116)
    assert tail not in h_ok
    got = _join_short(h, tail, list(_long_frame(v, h, p).values()), list(h_ok.values()), p)
    assert got is not None and got.seg.end == COLS[-1] + 1


def test_accept_returns_the_table_and_its_sub_column_rule():
    page = _grid_page()
    page[ROWS[1] : ROWS[2] + 1, SUB_COLUMN_X] = 255
    h, v, p = _candidates(page)
    h_keep, v_keep = _accept(h, v, p)
    assert sorted(round(s.pos) for s in h_keep.values()) == list(ROWS)
    assert sorted(round(s.pos) for s in v_keep.values()) == sorted([*COLS, SUB_COLUMN_X])
    sub = next(s for s in v_keep.values() if round(s.pos) == SUB_COLUMN_X)
    assert (sub.start, sub.end) == (ROWS[1], ROWS[2] + 1)
