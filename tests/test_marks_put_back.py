"""The page text's stray-mark rule kept off text read as a table's cells (trust18).

``extract.pagetext.with_stray_marks`` takes marks ("|", "__", "}") out of the page's prose
lines.  The same lines are read as a table's cells where no table was found (a lost last row at
a page's top, a table read from its text): there a "|" is a rule between two cells and a mark
may be a piece of the label.  Dev 403 (hard 200): its 14B total row, read from page 9's text,
became "'Tổng số = ()" where it read "'Tổng số = () .+IU)" before the rule.
"""

from __future__ import annotations

from extract.config import load_config
from extract.document import DocumentSettings
from extract.lost_rows import unread_lines
from extract.model import OcrLine, PageResult, PixelBox, TextWord
from extract.pagetext import with_marks_put_back, with_stray_marks

CHARS = load_config().page_stages().ocr.page_text.stray_mark_chars


def _line(words: list[tuple[str, int]], y: int) -> OcrLine:
    tw = tuple(TextWord(t, PixelBox(x, y, x + 14 * len(t), y + 40), 90.0) for t, x in words)
    return OcrLine(" ".join(t for t, _ in words), PixelBox(tw[0].box.x0, y, tw[-1].box.x1, y + 40), 90.0, tw)


ROW = [
    ("'Tổng", 100),
    ("số", 180),
    ("=", 215),
    ("()", 235),
    ("|", 270),
    ("120", 290),
    ("53", 345),
    ("|", 380),
    (".+IU)", 400),
]


def test_marks_go_back_into_the_line_they_were_taken_from() -> None:
    lines = [_line(ROW, 0), _line([("Nơi", 100), ("}", 160), ("nhận", 180)], 80)]
    marked = with_stray_marks(lines, CHARS)
    assert [ln.text for ln in marked if not ln.stray_mark] != [ln.text for ln in lines]  # taken out
    back = with_marks_put_back(marked)
    assert [ln.text for ln in back] == [ln.text for ln in lines]
    assert [w.text for w in back[0].words] == [t for t, _ in ROW]
    assert not any(ln.stray_mark for ln in back)
    assert with_marks_put_back(lines) == lines  # nothing taken out: as read


def test_the_text_at_a_page_s_top_read_as_a_table_s_rows_keeps_its_marks() -> None:
    page = PageResult(
        source="s.pdf",
        page_index=8,
        page_count=9,
        dpi=200.0,
        width=2000,
        height=1400,
        lines=with_stray_marks([_line(ROW, 40)], CHARS),
    )
    got = unread_lines(page, DocumentSettings())
    assert [ln.text for ln in got] == [" ".join(t for t, _ in ROW)]
