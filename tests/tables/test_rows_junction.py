"""Where two faint rules cross, the pieces of both that the line finder missed stay behind as one
blob of thin strokes (an L, a T, a cross).  It lies on the lost rules' lines, so it must not count
as text crossing them: read with real OpenCV and tesseract, two rows whose STT and label lost
their rules around such a junction are cut into their cells (dev 030's 1B, dev 018's 4B)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from test_rows_split import _edges
from test_text_evidence import CASES, IDS, _read
from worn_tables import BODY, FONTS, Wear, draw, mm

from extract.model import PixelBox
from extract.ocr.reader import OcrSettings
from extract.ocr.tesseract import get_engine
from extract.tables.text_evidence import TextBlobs, TextEvidenceSettings, _junction_arms


@pytest.fixture(scope="module")
def tesseract():
    return get_engine(OcrSettings())


def _junction(img: np.ndarray, dpi: float, x: int, y: int, arms: tuple[tuple[int, int], ...]) -> np.ndarray:
    """``img`` with short pieces of a faint rule (0.2 mm, grey 110) from (x, y): one per arm
    ``(dx, dy)`` in millimetres."""
    page = Image.fromarray(img)
    pen = ImageDraw.Draw(page)
    half = max(1, mm(0.2, dpi)) // 2
    for dx, dy in arms:
        x1, y1 = x + mm(dx, dpi), y + mm(dy, dpi)
        pen.rectangle([min(x, x1) - half, min(y, y1) - half, max(x, x1) + half, max(y, y1) + half], fill=110)
    return np.asarray(page, dtype=np.uint8).copy()


def _cell(table, row: int, col: int):
    return next(
        c
        for c in table.cells
        if c.cell.row <= row < c.cell.row + c.cell.row_span
        and c.cell.col <= col < c.cell.col + c.cell.col_span
    )


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
@pytest.mark.parametrize(
    "arms",
    [((-2, 0), (0, 2)), ((-2, 0), (0, 2), (0, -2))],
    ids=["L", "T"],
)
def test_two_rows_whose_stt_and_label_rules_broke_at_a_junction_are_cut(dpi, font, arms, tesseract):
    """Rows "2 Xã Hiền Quan" and "3 Xã Dị Nậu": the STT|label rule is gone beside both, the rule
    between them gone under the STT and the label, but for 2 mm pieces of both where they
    cross.  Before, that blob crossed both lost rules' lines and the four slots were one cell
    (both STTs and both labels in it, the second row unpaired); now each row has its STT and
    its label."""
    img, _ = draw(dpi, FONTS[font], Wear(gone_v=((1, 3, 4),), gone_h=((4, 0, 1),)))
    xs, ys = _edges(dpi)
    img = _junction(img, dpi, xs[1], ys[4], arms)
    table = _read(img, dpi, tesseract)
    for row in (3, 4):
        for col in (0, 1):
            cell = _cell(table, row, col).cell
            assert (cell.row_span, cell.col_span) == (1, 1), (row, col, cell)
    assert [got[:2] for got in table.matrix()[3:5]] == [printed[:2] for printed in BODY[1:3]]
    assert table.matrix()[2:] == BODY


def _blobs(img: np.ndarray, dpi: float) -> TextBlobs:
    """The glyphs of a white page with black and grey marks (ink: darker than 160)."""
    ink = np.where(img < 160, 255, 0).astype(np.uint8)
    return TextBlobs.find(ink, PixelBox(0, 0, img.shape[1], img.shape[0]), dpi, TextEvidenceSettings())


@pytest.mark.parametrize("dpi", [300, 200, 150])
def test_a_junction_counts_only_on_the_lines_of_its_rules(dpi):
    """The junction's arms lie on the two rules' lines: it does not cross either of them (the
    tested spans kept clear of the perpendicular rule), but it still crosses a line elsewhere,
    and a letter-shaped blob ("T") away from the rules' crossing still crosses its line."""
    img = np.full((mm(30, dpi), mm(40, dpi)), 255, np.uint8)
    x, y = mm(20, dpi), mm(15, dpi)
    img = _junction(img, dpi, x, y, ((-2, 0), (0, 2)))
    blobs = _blobs(img, dpi)
    reach = mm(0.6, dpi)
    assert np.isfinite(blobs.arm_x).sum() == 1
    assert abs(float(np.nanmax(blobs.arm_x)) - x) <= 2 and abs(float(np.nanmax(blobs.arm_y)) - y) <= 2
    # the row line at y between the columns left of x, and the column line at x below y
    assert not blobs.crosses_row(y, mm(5, dpi), x - reach, mm(0.35, dpi), reach, mm(0.5, dpi))
    assert not blobs.crosses_h(y, mm(5, dpi), x - reach, mm(0.35, dpi), reach)
    assert not blobs.crosses_v(x, y + reach, mm(28, dpi), mm(0.25, dpi), reach)
    # a line through the middle of the blob's span (no rule crosses there): it crosses
    assert blobs.crosses_row(y, mm(5, dpi), mm(38, dpi), mm(0.35, dpi), reach, mm(0.5, dpi))
    # the same shape drawn away from where the tested lines meet: text crossing them
    assert blobs.crosses_v(x, mm(2, dpi), mm(28, dpi), mm(0.25, dpi), reach)


def test_junction_arms_need_both_arms_and_thin_strokes():
    """A bar alone, a filled block, a speck and an L are told apart: only the L of thin strokes,
    both arms at least a letter long, has arms."""
    labels = np.zeros((20, 60), np.int32)
    labels[5, 2:18] = 1  # a bar: no vertical arm
    labels[2:16, 22:36] = 2  # a filled block: too much ink for strokes
    labels[3, 40:56] = 3  # an L: a bar and a stem
    labels[3:18, 55] = 3
    labels[14:19, 4:9] = 4  # a speck: a ring smaller than a letter
    labels[15:18, 5:8] = 0
    import cv2

    count, lab, stats, _ = cv2.connectedComponentsWithStats((labels > 0).astype(np.uint8), connectivity=8)
    arm_x, arm_y = _junction_arms(lab, stats[1:], np.arange(1, count), 3.0, 10.0, 0.8)
    found = {int(stats[i + 1, cv2.CC_STAT_LEFT]): (arm_x[i], arm_y[i]) for i in range(count - 1)}
    assert np.isnan(found[2][0]) and np.isnan(found[22][0]) and np.isnan(found[4][0])
    assert abs(found[40][0] - 55) <= 1 and found[40][1] == 3


def test_the_arms_share_is_a_setting():
    """``tables.text.junction_arm_share`` (was the constant ``JUNCTION_ARM``): the repository's
    value is 0.8; an L whose stem runs down 0.7 of its height (a stroke bent at its foot) is a
    junction at 0.7, not at 0.8."""
    from extract.config import load_config

    assert load_config().page_stages().tables.text.junction_arm_share == 0.8
    labels = np.zeros((26, 24), np.int32)
    labels[3, 2:20] = 1  # the bar: 18 px
    labels[3:16, 19] = 1  # the stem: 13 px ...
    labels[16, 18] = 1
    for k in range(7):  # ... then bent down to the left: the blob is 20 px high
        labels[16 + k, 17 - k] = 1
    import cv2

    count, lab, stats, _ = cv2.connectedComponentsWithStats((labels > 0).astype(np.uint8), connectivity=8)
    assert count == 2
    ids = np.arange(1, count)
    assert np.isnan(_junction_arms(lab, stats[1:], ids, 3.0, 10.0, 0.8)[0][0])
    assert abs(_junction_arms(lab, stats[1:], ids, 3.0, 10.0, 0.7)[0][0] - 19) <= 1
    with pytest.raises(ValueError):
        TextEvidenceSettings(junction_arm_share=1.5)
