"""A table's own header rows against the forms when no title was read: which form they are clearly
not (:func:`other_form_header`), and which form the annex's order names among those they fit
alike (:func:`form_after`)."""

from __future__ import annotations

from pathlib import Path

from extract.config import FormSpec, load_forms
from extract.understand.form_check import annex_rank, form_after, layout_fit, other_form_header

REPO = Path(__file__).resolve().parents[2]
FORMS = load_forms(REPO / "configs")
BY_CODE = {f.code: f for f in FORMS}


def _header(form: FormSpec) -> list[list[str]]:
    depth = max(len(c.header) for c in form.columns)
    return [[c.header[min(r, len(c.header) - 1)] for c in form.columns] for r in range(depth)]


def test_5bs_header_is_not_4b_and_4bs_own_header_is() -> None:
    assert other_form_header(_header(BY_CODE["5B"]), BY_CODE["4B"], FORMS) is not None
    assert other_form_header(_header(BY_CODE["4B"]), BY_CODE["4B"], FORMS) is None
    # body rows or a bare "STT / Ghi chú" header say nothing
    assert other_form_header([["1", "Xã số 1", "12", "3"]], BY_CODE["4B"], FORMS) is None
    assert other_form_header([["STT", "Ghi chú"]], BY_CODE["4B"], FORMS) is None


def test_a_header_that_fits_several_forms_takes_the_first_after_the_last_form_named() -> None:
    header = _header(BY_CODE["3B"])  # "Số liệu thống kê": 3B's and 13B's alike
    after_2b = form_after(header, 4, "2B", {"1B", "2B"}, FORMS, columns_slack=3)
    assert after_2b is not None and (after_2b.code, after_2b.method) == ("3B", "order")
    after_11b = form_after(header, 4, "11B", {"10B", "11B"}, FORMS, columns_slack=3)
    assert after_11b is not None and after_11b.code == "13B"
    # a form the report printed already is not named again; nor one whose column count is far off
    assert form_after(header, 4, "2B", {"3B", "13B"}, FORMS, columns_slack=3) is None
    assert form_after(header, 12, "2B", set(), FORMS, columns_slack=3) is None
    # no header that fits any form: nothing
    assert form_after([["1", "Xã số 1", "12", "3"]], 4, "2B", set(), FORMS, columns_slack=3) is None


def test_the_annex_order() -> None:
    assert [annex_rank(c) for c in ("1B", "9B", "13B", "danh_sach")] == [1, 9, 13, 1000]


def test_short_headers_tell_forms_apart_where_they_stand() -> None:
    # 2B's only value header, "Tổng số", is too short to be evidence; column by column it is 2B's
    header = [*_header(BY_CODE["2B"]), ["(1)", "(2)", "(3)", "(4)"]]
    assert round(layout_fit(header, BY_CODE["2B"])) == 100
    assert layout_fit(header, BY_CODE["8B"]) < 60 and layout_fit(header, BY_CODE["1B"]) == 0.0
    after_1b = form_after(header, 4, "1B", {"1B"}, FORMS, columns_slack=3)
    assert after_1b is not None and after_1b.code == "2B"
    assert other_form_header(header, BY_CODE["1B"], FORMS) == "2B"
    assert other_form_header(header, BY_CODE["2B"], FORMS) is None
