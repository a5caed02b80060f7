"""The next form's table at the top of a page, under a title too worn to name any form, is not
taken for a continuation of the form before it when its own header rows spell out another
form's headers: it starts its own table, identified by that header (its rows went to the form
before it, and the form of its table was lost).  A continuation under such a title that
repeats the continued form's own header, or prints none, still continues."""

from __future__ import annotations

from pathlib import Path

from test_continuation_form import HEADER, _communes, _first_page, _page, _table

from extract.config import FormSpec, load_forms
from extract.document import assemble_document

REPO = Path(__file__).resolve().parents[2]
FORMS = {f.code: f for f in load_forms(REPO / "configs")}
WORN_TITLE = ["Bi,ể ~ m\\ẫ", "Th0ng k ; sô l .. về"]  # names no form


def _header(form: FormSpec) -> list[list[str]]:
    """``form``'s printed header rows as a grid reads them (a merged cell's text in every slot)."""
    depth = max(len(c.header) for c in form.columns)
    rows = [[c.header[min(r, len(c.header) - 1)] for c in form.columns] for r in range(depth)]
    return [*rows, [c.number or f"({i + 1})" for i, c in enumerate(form.columns)]]


def test_the_next_forms_table_under_a_lost_title_is_a_table_of_its_own() -> None:
    form = FORMS["4B"]  # 11 columns: within the continuation's column tolerance of 5B's 12
    body = [["1", "Lĩnh vực Hộ tịch", *["12"] * (len(form.columns) - 2)]]
    second = _page(1, WORN_TITLE, _table([*_header(form), *body], 1, 100))
    doc = assemble_document("h1", "x.pdf", [_first_page(), second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("4B", (1,))]


def test_a_continuation_that_repeats_its_own_header_under_a_lost_title_continues() -> None:
    second = _page(1, WORN_TITLE, _table([*HEADER, *_communes(4, 6)], 1, 100))
    doc = assemble_document("h2", "x.pdf", [_first_page(), second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]


def test_a_continuation_without_header_under_a_lost_title_continues() -> None:
    second = _page(1, WORN_TITLE, _table(_communes(4, 6), 1, 100))
    doc = assemble_document("h3", "x.pdf", [_first_page(), second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1))]
