"""Many page images as one document (extract.grouping)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extract.errors import InputFileError
from extract.grouping import group_inputs, is_page_list, page_order, read_page_list, write_page_list
from extract.ingest import count_pages, document_id, load_page


def _png(path: Path, shade: int) -> str:
    Image.fromarray(np.full((60, 40), shade, np.uint8)).save(path, dpi=(100, 100))
    return str(path)


def test_natural_page_order() -> None:
    names = ["scan/p-10.png", "scan/p-9.png", "scan/p-100.png", "scan/p-005-000.png", "scan/p-006-001.png"]
    assert page_order(names) == [
        "scan/p-005-000.png",
        "scan/p-006-001.png",
        "scan/p-9.png",
        "scan/p-10.png",
        "scan/p-100.png",
    ]


def test_a_page_list_is_one_document_in_its_order(tmp_path: Path) -> None:
    pages = [_png(tmp_path / f"p-{i}.png", 40 * i) for i in (1, 2, 3)]
    listing = write_page_list(pages, tmp_path / "doc.pages")
    assert is_page_list(listing) and not is_page_list(pages[0])
    assert read_page_list(listing) == [str(Path(p).resolve()) for p in pages]
    assert count_pages(listing) == 3
    page = load_page(listing, 1)
    assert (page.page_index, page.page_count, int(page.image[0, 0])) == (1, 3, 80)
    same = write_page_list(pages, tmp_path / "again.pages")
    assert document_id(same) == document_id(listing)  # identity: the pages' bytes, not the list
    assert document_id(write_page_list(pages[::-1], tmp_path / "rev.pages")) != document_id(listing)
    before = document_id(listing)
    _png(tmp_path / "p-2.png", 7)  # a page changes: a new document (resume never mixes pages)
    assert document_id(listing) != before


def test_a_page_list_naming_a_missing_file_fails_with_one_line(tmp_path: Path) -> None:
    listing = tmp_path / "bad.pages"
    listing.write_text("# bcubnd-extract page list\np-1.png\n", encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        count_pages(listing)
    assert "p-1.png" in str(err.value) and "bad.pages" in str(err.value) and "\n" not in str(err.value)


def test_one_document_per_folder(tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    for i in (10, 9, 1):
        _png(folder / f"p-{i}.png", i)
    single = _png(tmp_path / "alone.png", 1)
    specs = group_inputs([str(folder), single], tmp_path / "out")
    assert specs[1] == single
    assert [Path(p).name for p in read_page_list(specs[0])] == ["p-1.png", "p-9.png", "p-10.png"]
    shutil.rmtree(folder)
    assert group_inputs([str(folder)], tmp_path / "out") == [str(folder)]  # reported by the batch
