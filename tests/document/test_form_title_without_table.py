"""A page whose form is identified (its title's code read) but whose table is not found is never
silent: a note on the table before it names the form.  Before, a page under a form's title whose
rules were not found was named only when its text held lines of numbers (a page whose table was
not read at all, a grey page under a seal, said nothing) and no note said which form was lost."""

from __future__ import annotations

from test_continuation_form import TITLE_5B
from test_table_not_found_named import TITLE_8B, _text_page
from test_torn_pieces import _first, _page

from extract.document import assemble_document


def test_a_forms_title_over_no_table_names_the_form_on_the_table_before() -> None:
    doc = assemble_document(
        "f1", "x.pdf", [_page(0, [(TITLE_5B, _first())]), _text_page(1, [*TITLE_8B, "Nội dung thống kê"])]
    )
    assert [t.form for t in doc.tables] == ["5B"]
    notes = [i for i in doc.tables[0].issues if "form 8B" in i]
    assert len(notes) == 1
    assert notes[0].startswith("page 2: the title of form 8B was read")
    assert "no table of form 8B was found" in notes[0]


def test_a_forms_title_above_its_table_gives_no_note() -> None:
    doc = assemble_document("f2", "x.pdf", [_page(0, [(TITLE_5B, _first())])])
    assert not any("was read" in i for i in doc.tables[0].issues)


def test_a_title_whose_code_is_not_read_gives_no_note() -> None:
    doc = assemble_document(
        "f3", "x.pdf", [_page(0, [(TITLE_5B, _first())]), _text_page(1, ["Danh sách các xã", "Nội dung"])]
    )
    assert not any("was read" in i for i in doc.tables[0].issues)
