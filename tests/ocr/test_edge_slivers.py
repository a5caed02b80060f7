"""Slivers of a broken ruling line along a cell's side are painted out (extract.ocr.cells._slivers).

On a dev hard 300-dpi 7B page a worn vertical rule had broken into dashes the line mask missed:
1-px slivers 12-16 px tall at the cells' left edges.  Each was a "letter" of a line of its own,
and a printed "2" and "7" beside them became cells of three and two lines read as text ("bệng",
"lội dể" at 0-16): the numbers were lost.  Ink wholly along a side and at most
``ocr.edge_sliver_max_mm`` thick across it is now a rule's remnant, however short."""

from __future__ import annotations

import pytest
from ocr_synth import MILD, mm, render_table

from extract.config import load_config
from extract.model import CellKind, ReadTable
from extract.ocr.cells import cut_cell
from extract.ocr.engine import OcrEngine, OcrSettings
from extract.ocr.reader import read_table

PRINTED = ["2", "7", "38"]
SLIVER_MM = 0.3


def _broken_rule(dpi: int) -> tuple:  # type: ignore[type-arg]
    """A one-row table of PRINTED with two short 1-px slivers of a broken rule just inside each
    cell's left edge, where the line mask (the rule's own band) does not reach."""
    table = render_table([PRINTED], dpi, noise=MILD, col_mm=[14.0] * len(PRINTED), row_mm=6.0, seed=2)
    gray = table.page.gray.copy()
    ys = table.grid.row_edges
    tall = mm(1.5, dpi)
    for x in table.grid.col_edges[:-1]:
        at = x + mm(0.3, dpi)
        for y in (ys[0] + mm(0.6, dpi), ys[1] - mm(0.6, dpi) - tall):
            gray[y : y + tall, at] = 60
    page = type(table.page)(gray=gray, binary=table.page.binary, dpi=table.page.dpi)
    return page, table


def _read(dpi: int, engine: OcrEngine, sliver_mm: float) -> ReadTable:
    page, table = _broken_rule(dpi)
    settings = OcrSettings(edge_sliver_max_mm=sliver_mm)
    return read_table(page, table.grid, table.line_mask, engine, settings, page_index=0, table_index=0)


@pytest.mark.parametrize("dpi", [200, 300])
def test_slivers_make_no_line_of_their_own(dpi: int) -> None:
    page, table = _broken_rule(dpi)
    inset = round(mm(0.1, dpi))
    for cell in table.grid.cells:
        _, before = cut_cell(page.gray, cell.box, table.line_mask, inset_px=inset, dpi=dpi)
        _, after = cut_cell(
            page.gray, cell.box, table.line_mask, inset_px=inset, dpi=dpi, sliver_mm=SLIVER_MM
        )
        assert before.lines > 1  # the mechanism: the slivers are letters of lines of their own
        assert after.lines == 1 and after.letters == len(PRINTED[cell.col])


@pytest.mark.parametrize("dpi", [200, 300])
def test_the_printed_numbers_are_read(dpi: int, engine: OcrEngine) -> None:
    read = _read(dpi, engine, SLIVER_MM)
    assert [c.text for c in read.cells] == PRINTED
    assert all(c.kind is CellKind.NUMBER for c in read.cells)


@pytest.mark.parametrize("dpi", [200, 300])
def test_clean_cells_read_as_before(dpi: int, engine: OcrEngine) -> None:
    """Digits in narrow cells, and minus signs, are no slivers: the same readings either way."""
    rows = [["1", "-3", "11", "4"], ["7", "-25", "1.234", "0"]]
    table = render_table(rows, dpi, noise=MILD, col_mm=[9.0, 11.0, 14.0, 8.0], row_mm=6.0, seed=4)
    on, off = (
        read_table(
            table.page,
            table.grid,
            table.line_mask,
            engine,
            OcrSettings(edge_sliver_max_mm=s),
            page_index=0,
            table_index=0,
        )
        for s in (SLIVER_MM, 0.0)
    )
    # (the confidences may move a point: grain specks along a rule's blurred edge go too)
    assert [c.text for c in on.cells] == [c.text for c in off.cells] == [t for row in rows for t in row]


def test_the_setting() -> None:
    assert load_config().ocr.edge_sliver_max_mm == SLIVER_MM
