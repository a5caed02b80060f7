"""The generated sample scans under ``samples/`` (made by ``extract.synth``, truth files alongside):
every table of every page is found with its exact number of rows and columns, and the merged
cells of its header where the scan is not of "hard" quality (faded, broken rules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.ingest import count_pages, load_page
from extract.preprocess import prepare_page
from extract.tables.detect import detect_tables

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# (sample stem, page indexes to check; None = all): the 20-page report is sampled on its pages
# with two tables and with the widest headers
CASES = [
    ("5B_clean_300", None),
    ("5B_damaged_mild", None),
    ("5B_hard_200", None),
    ("5B_hard_150", None),
    ("10B_mild", None),  # page 2: its total row alone, a one-row table
    ("14B_mild", None),
    ("7B_rotated_180", None),
    ("4B_bilevel_200", [0, 6]),
    ("8B_9B_13B_clean_200", None),
    ("ke_sach_2019_bc542", [12, 13, 15, 16]),
]


def _pages(stem: str, only: list[int] | None):
    """(index, page) of the sample's pages (a multi-page PNG/JPEG sample is one file a page)."""
    files = sorted(
        (p for p in SAMPLES.glob(stem + "*") if p.suffix != ".json"), key=lambda p: ("-p" in p.name, p.name)
    )
    assert files, f"{stem}: sample missing"
    if only is not None and len(files) == 1:
        for index in only:
            yield index, load_page(files[0], index)
        return
    index = 0
    for f in files:
        for page in (load_page(f, i) for i in range(count_pages(f))):
            if only is None or index in only:
                yield index, page
            index += 1


@pytest.mark.parametrize(("stem", "only"), CASES, ids=[c[0] for c in CASES])
def test_sample_tables_have_their_printed_grid(stem, only):
    truth = json.loads((SAMPLES / f"{stem}.truth.json").read_text(encoding="utf-8"))
    checked = 0
    for index, page in _pages(stem, only):
        expected = truth["pages"][index]
        prepared = prepare_page(page.image, page.dpi)
        grids = detect_tables(prepared).grids
        shapes = [(g.n_rows, g.n_cols) for g in grids]
        want = [
            (len(t["grid"]["row_edges"]) - 1, len(t["grid"]["col_edges"]) - 1) for t in expected["tables"]
        ]
        assert shapes == want, f"{stem} page {index + 1}"
        if expected["quality"] == "hard":
            continue
        for grid, table in zip(grids, expected["tables"], strict=True):
            cells = {(c.row, c.col, c.row_span, c.col_span) for c in grid.cells}
            if expected.get("rotation") == 180:  # no OSD here: the page stays upside down
                cells = {(grid.n_rows - r - rs, grid.n_cols - c - cs, rs, cs) for r, c, rs, cs in cells}
            merged = {
                (h["row"], h["col"], h["row_span"], h["col_span"])
                for h in table["header_cells"]
                if h["row_span"] > 1 or h["col_span"] > 1
            }
            assert merged <= cells, (
                f"{stem} page {index + 1}: header cells {sorted(merged - cells)} not found"
            )
        checked += 1
    assert checked > 0 or truth["pages"][0]["quality"] == "hard"
