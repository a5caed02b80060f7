"""Rendering: header merging, wrapping, layout of tables on pages, recorded boxes vs drawn ink."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synth_helpers import TEST_DPI, fixture_report, form, made_up_report

from extract.config import load_forms
from extract.synth import render
from extract.synth.render import HeaderSpan, LayoutOptions, distribute_span_heights, header_spans, wrap_text


def test_header_spans_merge_shared_prefixes_exactly():
    paths = [["A"], ["B", "x"], ["B", "y", "p"], ["B", "y", "q"], ["C", "x"]]
    spans, depth = header_spans(paths, ["a", "bx", "byp", "byq", "cx"])
    assert depth == 3
    assert spans == [
        HeaderSpan("A", 0, 0, 3, 1, "a"),
        HeaderSpan("B", 0, 1, 1, 3),
        HeaderSpan("C", 0, 4, 1, 1),
        HeaderSpan("x", 1, 1, 2, 1, "bx"),
        HeaderSpan("y", 1, 2, 1, 2),
        HeaderSpan("x", 1, 4, 2, 1, "cx"),
        HeaderSpan("p", 2, 2, 1, 1, "byp"),
        HeaderSpan("q", 2, 3, 1, 1, "byq"),
    ]


def test_header_spans_do_not_merge_equal_labels_under_different_parents():
    spans, _ = header_spans([["A", "Tổng số"], ["B", "Tổng số"]])
    level1 = [s for s in spans if s.row == 1]
    assert [(s.col, s.col_span) for s in level1] == [(0, 1), (1, 1)]


_labels = st.sampled_from(["A", "B", "C"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_labels, min_size=1, max_size=3), min_size=1, max_size=8))
def test_header_spans_tile_the_header_grid(paths):
    spans, depth = header_spans(paths)
    grid = np.zeros((depth, len(paths)), int)
    for s in spans:
        grid[s.row : s.row + s.row_span, s.col : s.col + s.col_span] += 1
        assert s.text == paths[s.col][s.row]
    assert (grid == 1).all()


def test_distribute_span_heights_spreads_shortfall_over_spanned_rows():
    assert distribute_span_heights([10, 10, 10], [(0, 1, 14), (1, 2, 30)]) == [14, 15, 15]
    assert distribute_span_heights([10, 10], [(0, 2, 15)]) == [10, 10]


_words = st.lists(
    st.sampled_from(
        ["Xã", "Kế", "Sách", "thủ", "tục", "hành", "chính", "5.697", "(3)=(4)+(5)", "ksnguyen@gmail.com"]
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_words, st.integers(min_value=20, max_value=400))
def test_wrap_text_fits_width_and_keeps_every_character(words, width):
    fnt = render.font("regular", 30)
    text = " ".join(words)
    lines = wrap_text(text, fnt, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert fnt.getlength(line) <= width + 0.5 or len(line) == 1


@pytest.fixture(scope="module")
def fixture_pages():
    return render.render_document(fixture_report(), load_forms(), TEST_DPI)


def _all_cells(table):
    return list(table.header_cells) + [c for r in table.rows for c in r.cells]


def test_fixture_renders_cover_then_5b_landscape(fixture_pages):
    kinds = [p.kind for p in fixture_pages]
    assert kinds[0] == "cover" and set(kinds[1:]) == {"form"}
    roles = {ln.role: ln.text for ln in fixture_pages[0].lines}
    assert roles["number"] == "Số: 542/BC-UBND"
    assert roles["place_date"] == "Kế Sách, ngày 21 tháng 11 năm 2019"
    assert roles["title"] == "BÁO CÁO"
    form_page = fixture_pages[1]
    assert form_page.orientation == "landscape"  # 12 columns
    assert form_page.image.shape[1] > form_page.image.shape[0]
    assert any(ln.role == "form_code" and ln.text == "Biểu mẫu 5B" for ln in form_page.lines)


def test_cell_boxes_tile_each_table_inside_the_page(fixture_pages):
    for page in fixture_pages:
        h, w = page.image.shape
        for t in page.tables:
            cover = np.zeros((h, w), np.int32)
            for c in _all_cells(t):
                b = c.box
                assert 0 <= b.x0 < b.x1 <= w and 0 <= b.y0 < b.y1 <= h
                cover[b.y0 : b.y1, b.x0 : b.x1] += 1
            tb = t.box
            assert cover.max() == 1  # no two cells overlap
            assert (cover[tb.y0 : tb.y1, tb.x0 : tb.x1] == 1).all()  # and together they fill the table


def test_recorded_edges_are_drawn_rules(fixture_pages):
    for page in fixture_pages:
        ink = page.image < 128
        for t in page.tables:
            y0, y1 = t.row_edges[t.header_rows], t.row_edges[-1]
            for x in t.col_edges:
                assert ink[y0:y1, x].mean() > 0.97
            x0, x1 = t.col_edges[0], t.col_edges[-1]
            for y in (t.row_edges[0], *t.row_edges[t.header_rows :]):  # header rules may stop at merged cells
                assert ink[y, x0:x1].mean() > 0.97


def test_text_is_inside_its_cell_and_empty_cells_are_blank(fixture_pages):
    t_px = render.rule_px(TEST_DPI)
    for page in fixture_pages:
        ink = page.image < 160
        for t in page.tables:
            for c in _all_cells(t):
                b = c.box
                inner = ink[b.y0 + t_px + 1 : b.y1 - t_px, b.x0 + t_px + 1 : b.x1 - t_px]
                if c.text.strip():
                    assert inner.any(), c
                    tb = c.text_box
                    assert tb is not None and b.contains(tb), (c.text, b, tb)
                else:
                    assert not inner.any(), c


def test_table_rows_follow_the_data_in_order(fixture_pages):
    report = fixture_report()
    rows = [r for p in fixture_pages for t in p.tables for r in t.rows]
    assert [r.row_index for r in rows] == list(range(len(report.forms[0].rows)))
    for r in rows:
        data = report.forms[0].rows[r.row_index]
        assert {c.key: c.text for c in r.cells if c.text} == {k: v for k, v in data.cells if v}
        assert r.bold == data.bold


@pytest.mark.parametrize("repeat", [False, True])
def test_long_table_continues_on_next_pages(repeat):
    report = made_up_report({"5B": 45})
    pages = render.render_document(
        report, load_forms(), TEST_DPI, LayoutOptions(repeat_header=repeat), include_cover=False
    )
    parts = [t for p in pages for t in p.tables]
    assert len(parts) >= 2 and len(pages) == len(parts)
    assert [t.part for t in parts] == list(range(len(parts)))
    assert [t.continued_from_previous_page for t in parts] == [False] + [True] * (len(parts) - 1)
    assert [t.continues_on_next_page for t in parts] == [True] * (len(parts) - 1) + [False]
    assert [r.row_index for t in parts for r in t.rows] == list(range(45))
    for t in parts[1:]:
        assert (len(t.header_cells) > 0) == repeat
        assert t.table_index == 0
    for page in pages:
        assert page.tables[0].box.y1 <= page.image.shape[0] - render.mm_to_whole_px(
            render.LANDSCAPE_MARGINS_MM[2], TEST_DPI
        )


def test_short_forms_share_a_page_when_packing():
    report = made_up_report({"2B": 3, "8B": 3})
    packed = render.render_document(
        report, load_forms(), TEST_DPI, LayoutOptions(pack_forms=True), include_cover=False
    )
    assert len(packed) == 1
    t0, t1 = packed[0].tables
    assert (t0.form_code, t1.form_code) == ("2B", "8B")
    assert (t0.index_on_page, t1.index_on_page) == (0, 1)
    assert t0.box.y1 < t1.box.y0
    apart = render.render_document(
        report, load_forms(), TEST_DPI, LayoutOptions(pack_forms=False), include_cover=False
    )
    assert [len(p.tables) for p in apart] == [1, 1]


def test_every_declared_form_renders_within_margins():
    forms = load_forms()
    report = made_up_report({f.code: 4 for f in forms})
    pages = render.render_document(report, forms, TEST_DPI, include_cover=False)
    seen = set()
    for page in pages:
        h, w = page.image.shape
        margin = render.mm_to_whole_px(10, TEST_DPI)
        for t in page.tables:
            seen.add(t.form_code)
            spec = form(t.form_code)
            if len(spec.columns) > render.PORTRAIT_MAX_COLUMNS:
                assert t.orientation == "landscape"
            b = t.box
            assert margin <= b.x0 and b.x1 <= w - margin and b.y1 <= h - margin
    assert seen == {f.code for f in forms}


def test_staff_list_prints_its_heading_instead_of_a_form_code():
    spec = next((f for f in load_forms() if f.heading), None)
    assert spec is not None, "a form with a printed heading (the staff list) is declared"
    pages = render.render_document(
        made_up_report({spec.code: 3}), load_forms(), TEST_DPI, include_cover=False
    )
    heads = [ln.text for ln in pages[0].lines if ln.role == "form_code"]
    assert heads == [spec.heading]


def test_rendering_is_deterministic():
    a = render.render_document(fixture_report(), load_forms(), TEST_DPI)
    b = render.render_document(fixture_report(), load_forms(), TEST_DPI)
    assert len(a) == len(b)
    for pa, pb in zip(a, b, strict=False):
        assert np.array_equal(pa.image, pb.image)
