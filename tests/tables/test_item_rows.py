"""A blank band inside one item's sub-row is no row break (extract/tables/item_rows.py), on a
drawn table: the rule is about where text stands, so the glyph boxes are drawn, then found by
the same TextBlobs as a page's."""

from __future__ import annotations

import cv2
import numpy as np

from extract.model import PixelBox
from extract.tables.text_evidence import TextBlobs, TextEvidenceSettings, text_rows

DPI = 200.0
COLS = [0, 100, 600, 1100, 1400, 1700]  # STT, label, action, agency, deadline
SETTINGS = TextEvidenceSettings()


def _ink(words: list[tuple[int, int, int]]) -> np.ndarray:
    """A page of ink with 'words' (``count`` boxes 25 x 20 px: letter-sized, shorter than a rule's
    remnant) at each (column, y, count)."""
    ink = np.zeros((1200, 1700), np.uint8)
    for col, y, count in words:
        for i in range(count):
            x = COLS[col] + 10 + 35 * i
            cv2.rectangle(ink, (x, y), (x + 25, y + 20), 255, -1)
    return ink


def _rows(words: list[tuple[int, int, int]], rows: list[int]) -> list[int]:
    blobs = TextBlobs.find(_ink(words), PixelBox(0, 0, 1700, 1200), DPI, SETTINGS)
    return text_rows(rows, COLS, 0, len(rows) - 1, blobs, DPI, SETTINGS)


ROWS = [0, 200, 400, 1000]  # the last row three times as tall as the others


def test_a_list_in_a_sub_row_with_its_deadline_once_is_not_cut() -> None:
    # STT and label printed above (row 0); the tall row's action lists two items apart by a blank
    # band, the agency column has text beside both, the deadline only at the top
    words = [(0, 20, 1), (1, 20, 5), (2, 220, 6), (3, 220, 3), (4, 220, 2)]
    words += [(2, 420, 6), (2, 444, 6), (3, 420, 3), (4, 420, 2)]
    words += [(2, 800, 6), (2, 824, 6), (3, 800, 3)]
    assert _rows(words, ROWS) == ROWS


def test_the_same_band_is_cut_where_the_row_prints_its_own_deadline() -> None:
    words = [(0, 20, 1), (1, 20, 5), (2, 220, 6), (3, 220, 3), (4, 220, 2)]
    words += [(2, 420, 6), (2, 444, 6), (3, 420, 3), (4, 420, 2)]
    words += [(2, 800, 6), (2, 824, 6), (3, 800, 3), (4, 800, 2)]
    cut = _rows(words, ROWS)
    assert len(cut) == len(ROWS) + 1 and 480 < cut[3] < 800


def test_the_same_band_is_cut_where_the_row_prints_its_index_and_label() -> None:
    # a table of numbers: every row its STT and label; a lost rule between two such rows
    words = [(0, 20, 1), (1, 20, 5), (2, 220, 6), (3, 220, 3), (4, 220, 2)]
    words += [(0, 420, 1), (1, 420, 4), (2, 420, 6), (3, 420, 3), (4, 420, 2)]
    words += [(0, 800, 1), (1, 800, 4), (2, 800, 6), (3, 800, 3)]
    cut = _rows(words, ROWS)
    assert len(cut) == len(ROWS) + 1 and 480 < cut[3] < 800
