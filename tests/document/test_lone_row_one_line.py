"""A table's total row alone at the top of the next page, its rules too worn to be found, that
tesseract read as ONE line of numbers under a line holding the label's first words (dev 229's
fax 10B: "Tổng số" over "l (@D+ 78788 | 35795 41245 …"), is the table's row, flagged.  Before,
the text at a page's top was only taken for rows when two of its lines held digits: the row's
ten numbers vanished with no issue at all.  A date line's three numbers are no row."""

from __future__ import annotations

from dataclasses import replace

from test_continuation_below_lost_rows import _next_form_page
from test_continuation_form import TITLE_5B
from test_torn_pieces import EDGES, _first, _page

from extract.config import settings_or_default
from extract.document import assemble_document
from extract.model import OcrLine, PixelBox, TextWord

NUMBERS = {2: "62.953", 3: "3.885", 4: "3.261", 5: "2.446", 7: "648"}


def _line(words: list[tuple[str, int]], y: int) -> OcrLine:
    boxes = [TextWord(t, PixelBox(x, y, x + 40, y + 36), 80.0) for t, x in words]
    box = boxes[0].box
    for w in boxes[1:]:
        box = box.union(w.box)
    return OcrLine(" ".join(t for t, _x in words), box, 80.0, tuple(boxes))


def _total_row(y: int = 100) -> tuple[OcrLine, OcrLine]:
    """The label's first words alone on a line, the numbers (and the label's garbled rest) on the
    line just below it."""
    label = _line([("Tổng", EDGES[1] + 8), ("số", EDGES[1] + 56)], y)
    numbers = _line([("(I)+(II)", EDGES[1] + 8), *((t, EDGES[c] + 8) for c, t in NUMBERS.items())], y + 40)
    return label, numbers


def _doc(lines: tuple[OcrLine, ...], config=None):  # type: ignore[no-untyped-def]
    first = _page(0, [(TITLE_5B, _first())])
    second = _next_form_page([])
    second = replace(second, lines=(*lines, *second.lines))  # type: ignore[type-var,attr-defined]
    return assemble_document("l1", "x.pdf", [first, second], config)


def test_a_total_row_read_as_one_line_of_numbers_is_the_tables_row_flagged() -> None:
    doc = _doc(_total_row())
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1)), ("9B", (1,))]
    table = doc.tables[0]
    assert table.rows[-1].label.startswith("Tổng số")  # the label line joins the numbers' row
    total = {v.column_key: v for v in table.values if v.page_index == 1 and v.number is not None}
    assert {k: v.number for k, v in total.items()} == {
        "tiep_nhan_tong": 62953,
        "tiep_nhan_ky_truoc": 3885,
        "tiep_nhan_moi": 3261,
        "da_giai_quyet_tong": 2446,
        "da_giai_quyet_qua_han": 648,
    }
    assert {v.status.value for v in total.values()} == {"flagged"}
    assert any("its values are read from that text, flagged" in i for i in table.issues)


def test_a_date_line_is_no_row_and_the_setting_decides_a_row() -> None:
    date = _line([("ngày", 300), ("2", 400), ("tháng", 450), ("11", 560), ("năm", 620), ("2023", 700)], 100)
    doc = _doc((date,))
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("9B", (1,))]
    assert not any("last rows" in i for i in doc.tables[0].issues)
    # ``document.unread_row_line_numbers`` (4): at 6, the row's five numbers are no row either
    config = settings_or_default(None)
    assert config.document.unread_row_line_numbers == 4
    doc = _doc(_total_row(), config.override("document", unread_row_line_numbers=6))
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("9B", (1,))]


def test_a_row_whose_label_reads_a_word_keeps_it_and_no_speck_line_joins_it() -> None:
    # dev 177's 10B total row: "'Tổng ()" with its numbers, then a line of specks and rule bits
    numbers = _line([("Tổng", EDGES[1] + 8), *((t, EDGES[c] + 8) for c, t in NUMBERS.items())], 100)
    specks = _line([("¡+", EDGES[1] + 8), ("đD", EDGES[1] + 56), ("TỶ", EDGES[6] + 8)], 140)
    doc = _doc((numbers, specks))
    table = doc.tables[0]
    assert table.rows[-1].label == "Tổng"
    row = [v for v in table.values if v.page_index == 1]
    assert {v.raw_text for v in row if v.column_key == "da_giai_quyet_dung_han"} <= {""}  # no "TỶ"


def test_a_section_row_with_its_own_stt_is_not_taken_for_the_next_rows_label() -> None:
    section = _line(
        [("II", EDGES[0] + 8), ("UBND", EDGES[1] + 8), ("cấp", EDGES[1] + 56), ("xã", EDGES[1] + 96)], 100
    )
    commune = _line(
        [
            ("1", EDGES[0] + 8),
            ("Xã", EDGES[1] + 8),
            ("An", EDGES[1] + 48),
            *((t, EDGES[c] + 8) for c, t in NUMBERS.items()),
        ],
        140,
    )
    doc = _doc((section, commune))
    table = doc.tables[0]
    assert table.rows[-1].label == "Xã An"


def test_the_setting_of_lines_with_digits_is_obeyed() -> None:
    # two lines with digits at the page's top, neither with four numbers: a row read as text at
    # ``document.unread_row_digit_lines`` 2 (the default), no row and no issue at 3
    first = _line(
        [("1", EDGES[0] + 8), ("Xã", EDGES[1] + 8), ("An", EDGES[1] + 48), ("27", EDGES[2] + 8)], 100
    )
    second = _line(
        [("2", EDGES[0] + 8), ("Xã", EDGES[1] + 8), ("Bình", EDGES[1] + 48), ("14", EDGES[2] + 8)], 140
    )
    config = settings_or_default(None)
    assert config.document.unread_row_digit_lines == 2
    doc = _doc((first, second), config)
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1)), ("9B", (1,))]
    assert any("last rows" in i for i in doc.tables[0].issues)
    numbers = sorted(v.number for v in doc.tables[0].values if v.page_index == 1 and v.number is not None)
    assert numbers == [14, 27]
    doc = _doc((first, second), config.override("document", unread_row_digit_lines=3))
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("9B", (1,))]
    assert not any("last rows" in i for i in doc.tables[0].issues)
