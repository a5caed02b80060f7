"""A page whose table is not found keeps its rows: real OpenCV and tesseract on dev 131's fax 8B
page (`tests/data/generated/dev131_fax150_8B_page.png`, every rule dashed).  Loaded as a gray
image, the page gets the gray pages' line settings and no table is found (as every fax page did
before the fax line bridge): tesseract reads it by columns, each label over four lines and each
number a line of its own beside it.  Before, the document had no table at all: the five numbers
were in no output and no note said so (the note needed a table to go on).  Now the rows are
found from where the text stands (:func:`extract.untabled.layout_rows`) and come out as a table
of form 8B (its title read above them), every value flagged."""

from __future__ import annotations

import os

import pytest

from extract.document import assemble_document
from extract.page import PageTask, process_page
from tests.repo_data import DATA

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

PAGE = DATA / "generated" / "dev131_fax150_8B_page.png"
# 8B's body as printed: the start of each label, "Số lượng"
BODY = [
    ("Số cơ quan hành chính", 27),
    ("Số đơn vị sự nghiệp công lập tự chủ (chưa tự chủ)", 10),
    ("Số đơn vị sự nghiệp công lập tự", 40),
    ("Số đơn vị sự nghiệp công lập tự chủ hoàn toàn đã phê duyệt bản", 41),
    ("Số đơn vị sự nghiệp công lập tự chủ hoàn toàn đã hoàn thiện", 16),
]


@pytest.fixture(scope="module")
def page():
    result = process_page(PageTask(str(PAGE), 0, "dev131"))
    assert result.error is None and result.tables == ()  # no table found: the case at hand
    return result


def test_a_forms_rows_read_by_columns_without_a_table_are_a_flagged_table_of_the_form(page) -> None:
    doc = assemble_document("dev131", PAGE.name, [page])
    assert [(t.form, t.pages) for t in doc.tables] == [("8B", (0,))]
    [table] = doc.tables
    assert any(i.startswith("page 1: no table was found under the title 'Biểu mẫu 8B") for i in table.issues)
    assert len(table.rows) == len(BODY)
    for row, (label, _number) in zip(table.rows, BODY, strict=True):
        assert row.label.startswith(label), row.label
    numbers = [v for v in table.values if v.column_key == "so_luong"]
    assert len(numbers) == len(BODY)
    # four of the five read right ("27" reads "2?" on this fax): each under its own row
    right = {(v.row_index, v.number) for v in numbers} & {(i, n) for i, (_l, n) in enumerate(BODY)}
    assert len(right) >= 4
    assert all(v.status.value == "flagged" for v in numbers)
    assert all("read from the page's text lines" in (v.flag_reason or "") for v in numbers)
