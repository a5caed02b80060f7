"""A table's last row alone at the top of the next page, its rules too worn to be found and its
text read as lines (dev 177's 10B total row, hard 300: "Tổng (I) + (II) 62.953 3.885 3.261 …"), is
the table's row: each word under the table's column where it stands on the page, every value
flagged; before, the row was only named in a table issue and its nine numbers were in no output
(the score's "table not found on the page", unflagged)."""

from __future__ import annotations

from dataclasses import replace

from test_continuation_below_lost_rows import TITLE_9B, _next_form_page
from test_continuation_form import TITLE_5B
from test_torn_pieces import EDGES, _first, _page

from extract.document import assemble_document
from extract.model import OcrLine, PixelBox, TextWord

# the total row as printed: label (column 1), (3) (4) (5) (6) (7) (8) in columns 2-7
TOTAL = {1: ["Tổng", "(I)", "+", "(II)"], 2: ["62.953"], 3: ["3.885"], 4: ["3.261"], 5: ["2.446"], 7: ["648"]}


def _total_lines(y: int = 150, with_words: bool = True) -> tuple[OcrLine, OcrLine]:
    """The total row read as two lines, the second set 8 px lower (as tesseract split dev 177's)."""
    words = []
    for c, texts in TOTAL.items():
        x = EDGES[c] + 8
        for t in texts:
            top = y if c < 4 else y + 8
            words.append(TextWord(t, PixelBox(x, top, x + 20, top + 36), 80.0))
            x += 24
    lines = []
    for part in ([w for w in words if w.box.y0 == y], [w for w in words if w.box.y0 > y]):
        box = part[0].box
        for w in part[1:]:
            box = box.union(w.box)
        text = " ".join(w.text for w in part)
        lines.append(OcrLine(text, box, 80.0, tuple(part) if with_words else ()))
    return lines[0], lines[1]


def test_a_total_row_read_as_text_on_the_next_page_is_the_tables_row_placed_by_its_words_flagged() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    second = _next_form_page([])
    second = replace(second, lines=(*_total_lines(), *second.lines))  # type: ignore[type-var,attr-defined]
    doc = assemble_document("t1", "x.pdf", [first, second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0, 1)), ("9B", (1,))]
    table = doc.tables[0]
    assert table.rows[-1].label == "Tổng (I) + (II)"
    total = {v.column_key: v for v in table.values if v.page_index == 1}
    assert {k: v.number for k, v in total.items() if v.number is not None} == {
        "tiep_nhan_tong": 62953,
        "tiep_nhan_ky_truoc": 3885,
        "tiep_nhan_moi": 3261,
        "da_giai_quyet_tong": 2446,
        "da_giai_quyet_qua_han": 648,
    }
    assert all(v.status.value == "flagged" for v in total.values() if v.number is not None)
    assert all(
        "placed under the table's columns" in (v.flag_reason or "") for v in total.values() if v.number
    )
    notes = [i for i in table.issues if "may be this table's last rows" in i]
    assert len(notes) == 1 and "read from that text, flagged" in notes[0]


def test_a_line_without_word_boxes_is_only_named() -> None:
    first = _page(0, [(TITLE_5B, _first())])
    second = _next_form_page([])
    lines = _total_lines(with_words=False)
    second = replace(second, lines=(*lines, *second.lines))  # type: ignore[type-var,attr-defined]
    doc = assemble_document("t2", "x.pdf", [first, second])
    assert [(t.form, t.pages) for t in doc.tables] == [("5B", (0,)), ("9B", (1,))]
    notes = [i for i in doc.tables[0].issues if "may be this table's last rows" in i]
    assert len(notes) == 1 and "its values are not in the outputs" in notes[0]
    assert TITLE_9B[0] == "Biểu mẫu 9B"
