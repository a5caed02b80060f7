"""The QĐ 707 table pages (an unknown table of six printed columns over 17 scanned page images)
read by the real page task (OpenCV + tesseract) and scored against the hand-labelled cell truth
of seventeen pages (tests/realdocs/qd707): thirteen to work on (p-007 … p-011, p-013 … p-019,
p-021), four held out (p-005, p-006, p-012, p-020) as an independent check.

Targets of issue 12: body rows right >= 98%, cell text CER <= 3%, no printed text missing from
every output.  The thresholds below are the levels measured when this test was written (they
may only get better); docs/notes/issue-12.md reports them per set.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from extract.document import assemble_document
from extract.grouping import write_page_list
from extract.ingest import document_id, load_page
from extract.model import PageResult
from extract.page import PageTask, process_page
from tests.realdocs import score
from tests.realdocs.score import load_truth, missing_text, score_page, truth_pages
from tests.repo_data import REALDATA

PAGES = REALDATA / "qd_707_table_pages"
# the 13 worked pages: measured 0.34% (0.40% before text cells were checked against their ink and
# a garbled smoothed reading was read again plain; 4.43% before a blank band inside one item's
# sub-row was no longer cut as a row -- p-018 -- and 0.64% before text cells took their marks)
TUNING_CER_MAX = 0.004
HELDOUT_CER_MAX = 0.011  # measured 0.0107 (0.0108 before those two, 0.0151 earlier; the target is 0.03)
# measured 52/53 = 0.981 (target 0.98): 50/53 before the two (p-009's "II." and comma, p-011's
# long cell); 48/53 before text cells' marks, 44/53 before p-018's row (43/53 before scattered
# specks were blank, 42/53 before the letters of touching lines were kept)
TUNING_ROWS_MIN = 0.98
HELDOUT_ROWS_MIN = 0.85  # measured 17/20 (unchanged by the two); 14/20 earlier (13/20, 12/20)


def _image(page: str) -> str:
    return str(next(PAGES.glob(f"{page}-*.png")))


@cache
def _read(page: str) -> PageResult:
    result = process_page(PageTask(_image(page), 0, page))
    assert result.error is None, result.error
    return result


def _scores(heldout: bool):
    names = [p for p in truth_pages() if load_truth(p)["heldout"] == heldout]
    assert len(names) == (4 if heldout else 13)
    return [score_page(p, _read(p).tables[0] if _read(p).tables else None) for p in names]


@pytest.mark.parametrize("heldout", [False, True], ids=["tuning", "heldout"])
def test_cell_text_and_body_rows(heldout: bool) -> None:
    scores = _scores(heldout)
    rate = sum(s.errors for s in scores) / sum(s.chars for s in scores)
    rows = sum(s.rows_right for s in scores) / sum(s.rows for s in scores)
    assert rate <= (HELDOUT_CER_MAX if heldout else TUNING_CER_MAX), rate
    assert rows >= (HELDOUT_ROWS_MIN if heldout else TUNING_ROWS_MIN), [
        (s.page, s.wrong_rows) for s in scores
    ]


@pytest.mark.parametrize("page", ["p-006", "p-007", "p-010", "p-012", "p-013", "p-018", "p-020"])
def test_no_printed_text_missing_from_the_outputs(page: str) -> None:
    result = dataclasses.replace(_read(page), page_index=0, page_count=1)
    doc = assemble_document("0" * 16, page, [result])
    assert missing_text(page, doc) == []
    (table,) = doc.tables
    assert len(table.columns) == 6  # every printed column, STT and label included
    assert {v.column_key for v in table.values} <= set(table.columns)


def test_pages_declared_one_document_make_one_table(tmp_path) -> None:
    names = ["p-005", "p-006", "p-007"]
    listing = write_page_list([_image(n) for n in names], tmp_path / "qd707.pages")
    assert load_page(listing, 2).page_count == 3
    assert document_id(listing) != document_id(
        write_page_list([_image(n) for n in reversed(names)], tmp_path / "r.pages")
    )
    pages = [
        dataclasses.replace(_read(n), source=str(listing), page_index=i, page_count=3)
        for i, n in enumerate(names)
    ]
    doc = assemble_document(document_id(listing), str(listing), pages)
    (table,) = doc.tables
    assert table.pages == (0, 1, 2)
    assert table.headers[1] == "Nội dung hành động" and table.headers[5] == "Thời hạn hoàn thành"
    sections = [r for r in table.rows if r.kind.value == "section"]
    assert len(sections) == 1  # "I. Hoàn thiện khuôn khổ pháp lý": one row, one label cell
    label_values = [v for v in table.values if v.row_kind == "section" and v.column_key != "c0"]
    assert len(label_values) == 1 and "pháp lý" in (label_values[0].text or "")
    # the first rows of pages 2 and 3 continue the last rows of pages 1 and 2: one row each
    assert not [v for v in table.values if v.flag_reason and v.flag_reason.startswith("continued")]
    joined = [v for v in table.values if v.parts]
    assert {tuple(p.page_index for p in v.parts) for v in joined} == {(0, 1), (1, 2)}
    split = next(v for v in joined if v.column_key == "c2" and v.page_index == 0)
    assert "yêu cầu tương trợ tư pháp" in score.norm(split.raw_text).replace("câu", "cầu")
    # the stamp's "7" under the page-2 break is kept among the deadline's parts, flagged
    (stamped,) = [v for v in joined if v.column_key == "c5"]
    assert stamped.text == "12/2027" and stamped.status.value == "flagged" and "'7'" in stamped.flag_reason
    assert len(table.rows) == len({v.row_index for v in table.values})
    assert missing_text("p-006", doc) == [] and missing_text("p-007", doc) == []  # parts count
    deadlines = [v for v in table.values if v.column_key == "c5" and v.value_kind == "month_year"]
    assert {v.note for v in deadlines} >= {"2027-10", "2027-12"}
    assert all(v.text for v in deadlines)


def test_section_indexes_are_corrected_by_their_sequence(tmp_path) -> None:
    # p-005 prints "I." (read "1."), p-009 "II." (read "II." from its letter's two stems: see the
    # next test; "H." before)
    names = ["p-005", "p-006", "p-007", "p-008", "p-009"]
    pages = [
        dataclasses.replace(_read(n), source="qd707.pages", page_index=i, page_count=len(names))
        for i, n in enumerate(names)
    ]
    (table,) = assemble_document("0" * 16, "qd707.pages", pages).tables
    sections = [i for i, r in enumerate(table.rows) if r.kind.value == "section"]
    indexes = [v for v in table.values if v.row_index in sections and v.column_key == "c0"]
    (first, second) = indexes
    assert (first.text, first.status.value, first.correction.original_text) == ("I.", "corrected", "1.")
    assert first.rule == "section index sequence" and first.flag_reason is None
    # read as printed, at the reading's low confidence: verified by the sequence, anchored by the
    # table opening with section I
    assert (second.text, second.correction, second.status.value) == ("II.", None, "verified")
    assert second.rule == "section index sequence" and second.flag_reason is None
    truth = [
        c["text"] for n in ("p-005", "p-009") for c in load_truth(n)["cells"] if c["text"] in ("I.", "II.")
    ]
    assert [v.text for v in indexes] == truth  # as printed (the truth's STT cells of the two sections)


def test_a_bold_ii_whose_serifs_touch_is_no_h() -> None:
    # p-009's section "II.": the serifs of the two strokes touch, one blob that tesseract reads
    # "H." at every letter height; the letter has no crossbar, so it is "II".  Read alone the
    # page has no anchor for the section sequence, so only the reading can give it.
    cells = {(c.cell.row, c.cell.col): c for c in _read("p-009").tables[0].cells}
    truth = {(c["row"], c["col"]): c["text"] for c in load_truth("p-009")["cells"]}
    assert cells[2, 0].text == truth[2, 0] == "II."
    assert cells[2, 0].candidates[0].variant == "ink_check"
    assert "H." in {c.text for c in cells[2, 0].candidates}  # what tesseract read is kept
    # its label: no comma after the last letter is printed, and none is read
    assert cells[2, 1].text.endswith("TTPBVKHDHL") and truth[2, 1].endswith("TTPBVKHDHL")
    alone = dataclasses.replace(_read("p-009"), page_index=0, page_count=1)
    (table,) = assemble_document("1" * 16, "p-009", [alone]).tables
    (index,) = [
        v for v in table.values if v.column_key == "c0" and table.rows[v.row_index].kind.value == "section"
    ]
    assert index.raw_text == "II." and index.status.value == "flagged" and index.correction is None


def test_a_garbled_smoothed_reading_is_read_again_plain() -> None:
    # p-011's long cell: smoothed (a 1-bit scan), tesseract read "… và b 12t? vực có quy mô …" for
    # "… và ngành/lĩnh vực có quy mô …" (5.5% CER); read again plain it holds no garbled word
    cells = {(c.cell.row, c.cell.col): c for c in _read("p-011").tables[0].cells}
    (truth,) = [c["text"] for c in load_truth("p-011")["cells"] if (c["row"], c["col"]) == (1, 2)]
    assert "ngành/lĩnh vực" in cells[1, 2].text
    assert score.cer(cells[1, 2].text, truth) <= score.ROW_CELL_CER, cells[1, 2].text


def test_a_wrapped_cell_whose_lines_touch_keeps_its_letters() -> None:
    # p-019's first action: on the 1-bit scan an accent touches the letter above it, one blob two
    # lines tall; every x-height letter was then a mark and painted out ("thực hiệ có hiệu qua …
    # liên qu n đến", 14.9% CER)
    (cell,) = [c for c in _read("p-019").tables[0].cells if (c.cell.row, c.cell.col) == (0, 2)]
    (truth,) = [c["text"] for c in load_truth("p-019")["cells"] if (c["row"], c["col"]) == (0, 2)]
    assert score.cer(cell.text, truth) <= score.ROW_CELL_CER, cell.text


def test_scattered_specks_in_an_empty_cell_are_no_text() -> None:
    # p-021's continued row: two specks of the 1-bit scan in the empty label cell read "+ š"
    (cell,) = [c for c in _read("p-021").tables[0].cells if (c.cell.row, c.cell.col) == (0, 1)]
    assert (cell.text, cell.kind.value) == ("", "empty")


def test_a_blank_band_inside_an_items_sub_row_cuts_no_row() -> None:
    # p-018: item 7's third sub-row lists two actions with a blank band between them and no rule
    # ("… truy tố tội rửa tiền." / "- Bộ Công an và Bộ Tài chính …"); the deadline "Liên tục" is
    # printed once, at its top.  The band was cut as a lost rule: one printed row in two.
    table = _read("p-018").tables[0]
    truth = load_truth("p-018")["cells"]
    assert len(table.grid.row_edges) - 1 == max(c["row"] + c["row_span"] for c in truth)
    place = {(c.cell.row, c.cell.col): (c.cell.row_span, c.cell.col_span) for c in table.cells}
    assert place == {(c["row"], c["col"]): (c["row_span"], c["col_span"]) for c in truth}
    (cell,) = [c for c in table.cells if (c.cell.row, c.cell.col) == (2, 2)]
    (text,) = [c["text"] for c in truth if (c["row"], c["col"]) == (2, 2)]
    assert score.cer(cell.text, text) <= score.ROW_CELL_CER, cell.text


def test_an_item_index_misread_is_corrected_by_the_sequence_over_the_page_break() -> None:
    # p-021's STT "11" is read "1" (87, one number model) and "11" (68, another); p-020 ends with
    # item 10: the sequence and a reading give "11", and no printed text is missing
    names = ["p-020", "p-021"]
    pages = [
        dataclasses.replace(_read(n), source="qd707.pages", page_index=i, page_count=len(names))
        for i, n in enumerate(names)
    ]
    doc = assemble_document("0" * 16, "qd707.pages", pages)
    (table,) = doc.tables
    (item,) = [v for v in table.values if v.column_key == "c0" and v.page_index == 1 and v.raw_text]
    assert (item.text, item.status.value, item.rule) == ("11", "corrected", "item index sequence")
    assert item.correction.original_text == "1"
    assert missing_text("p-021", doc) == []
    read_alone = dataclasses.replace(_read("p-021"), page_index=0, page_count=1)
    assert missing_text("p-021", assemble_document("1" * 16, "p-021", [read_alone])) == ["11"]
