"""Table detection on synthetic pages drawn with OpenCV: exact grids, several tables per page."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from table_pages import TableSpec, blank, draw_table, pt_to_px, report_page, text_block

from extract.errors import ConfigError
from extract.model import PreparedPage
from extract.preprocess import prepare_page, rotate
from extract.tables.detect import DetectedTables, TableSettings, detect_tables


def _cells(grid) -> set[tuple[int, int, int, int]]:
    return {(c.row, c.col, c.row_span, c.col_span) for c in grid.cells}


def _binary_page(gray: np.ndarray, dpi: float) -> PreparedPage:
    return PreparedPage(gray=gray, binary=np.where(gray < 160, 255, 0).astype(np.uint8), dpi=dpi)


def _assert_tiles(grid) -> None:
    cover = np.zeros((grid.n_rows, grid.n_cols), int)
    for c in grid.cells:
        cover[c.row : c.row + c.row_span, c.col : c.col + c.col_span] += 1
        assert c.box.x0 == grid.col_edges[c.col] and c.box.x1 == grid.col_edges[c.col + c.col_span]
        assert c.box.y0 == grid.row_edges[c.row] and c.box.y1 == grid.row_edges[c.row + c.row_span]
    assert (cover == 1).all()


@pytest.fixture(scope="module", params=[150, 200, 300])
def report(request):
    dpi = request.param
    img, specs = report_page(dpi, seed=dpi)
    page = prepare_page(img, dpi)
    return dpi, img, specs, page, detect_tables(page)


def test_every_table_of_the_page_is_found_exactly(report):
    _dpi, _, specs, page, found = report
    assert page.rotation == 0 and page.skew_deg == 0.0
    assert len(found.grids) == 3  # the stamp and the one-cell box are not tables
    for grid, spec in zip(found.grids, specs, strict=True):
        # a 2-px rule drawn at e is centred on e - 0.5; a missing border comes from the rules' ends
        assert np.abs(np.subtract(grid.row_edges, spec.y_edges)).max() <= 2
        assert np.abs(np.subtract(grid.col_edges, spec.x_edges)).max() <= 3
        assert _cells(grid) == spec.expected_cells()
        _assert_tiles(grid)


def test_tables_come_top_to_bottom_and_the_mask_covers_their_rules(report):
    _dpi, _img, specs, page, found = report
    assert [g.box.y0 for g in found.grids] == sorted(g.box.y0 for g in found.grids)
    mask = found.line_mask
    assert mask.shape == page.gray.shape and mask.dtype == np.uint8
    for spec in specs[::2]:  # the unbroken tables: every rule pixel is masked
        rules = np.zeros_like(mask)
        probe = TableSpec(
            spec.x_edges, spec.y_edges, spec.merges, spec.thickness, spec.missing_sides, ink=255
        )
        rules = draw_table(rules, probe)
        assert (mask[rules > 0] > 0).mean() > 0.99
    # the prose above the first table is not masked
    top = found.grids[0].box.y0
    prose = page.binary[: top - 5] > 0
    assert (mask[: top - 5][prose] > 0).mean() < 0.01


def test_a_boxed_stamp_or_a_one_row_box_is_not_a_table():
    dpi = 200
    img = blank(1600, 1000)
    cv2.rectangle(img, (100, 100), (500, 250), 0, 2)  # one cell
    img = draw_table(img, TableSpec([700, 1100], [100, 160, 220, 280], thickness=2))  # 3 rows, 1 column
    img = draw_table(img, TableSpec([100, 400, 700, 1000], [500, 560], thickness=2))  # 1 row, 3 columns
    found = detect_tables(_binary_page(img, dpi))
    assert found.grids == ()
    assert isinstance(found, DetectedTables)
    # ... while a 2x2 box is
    img = draw_table(img, TableSpec([100, 400, 700], [700, 760, 820], thickness=2))
    found = detect_tables(_binary_page(img, dpi))
    assert len(found.grids) == 1 and found.grids[0].n_rows == 2 and found.grids[0].n_cols == 2


def test_a_prose_page_has_no_table():
    dpi = 200
    img = text_block(blank(1650, 2300), 150, 150, 1350, 40, pt_to_px(13, dpi), seed=5)
    found = detect_tables(prepare_page(img, dpi))
    assert found.grids == () and not found.line_mask.any()


def test_a_skewed_scan_is_straightened_then_read_exactly():
    dpi = 200
    img, specs = report_page(dpi, seed=11)
    page = prepare_page(rotate(img, 2.3), dpi)
    assert abs(page.skew_deg + 2.3) <= 0.15
    found = detect_tables(page)
    assert len(found.grids) == 3
    for grid, spec in zip(found.grids, specs, strict=True):
        assert _cells(grid) == spec.expected_cells()
        # the spacing of the edges survives the rotation (positions move with it)
        assert np.abs(np.diff(grid.row_edges) - np.diff(spec.y_edges)).max() <= 3
        assert np.abs(np.diff(grid.col_edges) - np.diff(spec.x_edges)).max() <= 4


def test_settings_come_from_the_pipeline_yaml(tmp_path):
    (tmp_path / "pipeline.yaml").write_text(
        "tables:\n  min_rows: 3\n  lines:\n    min_line_mm: 20\n  grid:\n    edge_tolerance_mm: 2\n",
        encoding="utf-8",
    )
    s = TableSettings.from_config(tmp_path)
    assert s.min_rows == 3 and s.lines.min_line_mm == 20 and s.grid.edge_tolerance_mm == 2
    assert s.min_cols == TableSettings().min_cols
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pipeline.yaml").write_text("tables:\n  no_such_key: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        TableSettings.from_config(bad)
