"""Two printed rows in one grid row whose height says nothing: a table whose rows hold one to
three wrapped lines lost the rule between two short rows (worn into dashes, a speck on the line)
and the STT|label rule beside them.  Dev 205's 13B (hard, 300 dpi): "II Duy trì, cải tiến hệ
thống" over "1 Thực hiện công bố lại ISO", and "2" over "3", each pair one grid row no taller than
the three-line rows around it, so the tall-row test never looked; their STTs, labels and values
were one cell each and the four rows were not paired with the print.  A table prints one STT on
each row: two STT lines in one grid row, each beside its label, are two rows.  Drawn with Pillow
(Liberation Serif 2 and DejaVu Serif, 300 and 200 dpi), read with real OpenCV and tesseract: each
row in its own grid row, every cell exact.  A label wrapped over two lines beside one STT, or a
heading written across the STT and label columns, is not cut."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from rapidfuzz import fuzz
from worn_tables import FONTS

from extract.model import PixelBox
from extract.ocr.reader import OcrSettings, read_table
from extract.ocr.tesseract import get_engine
from extract.preprocess import prepare_page
from extract.tables.detect import TableSettings, detect_tables
from extract.tables.text_evidence import TextBlobs, TextEvidenceSettings, _dash_marks, text_rows

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

CASES = [(dpi, font) for dpi in (300, 200) for font in sorted(FONTS)]
IDS = [f"{dpi}dpi-{font}" for dpi, font in CASES]
COL_MM = [14.0, 115.0, 30.0, 30.0]
HEADER = ["STT", "Nội dung", "Số liệu", "Ghi chú"]
# (STT, label lines, value, row height mm)
ROWS = [
    (
        "1",
        [
            "Số đơn vị hành chính cấp xã đã công bố áp dụng",
            "hệ thống quản lý chất lượng theo tiêu",
            "chuẩn quốc gia",
        ],
        "9",
        15.0,
    ),
    ("2", ["Số đơn vị hành chính cấp xã thực hiện đúng", "quy định trong hệ thống"], "12", 11.0),
    ("3", ["Duy trì, cải tiến hệ thống"], "", 8.0),
    ("4", ["Thực hiện công bố lại"], "7", 8.0),
    ("5", ["Thực hiện đánh giá nội bộ"], "15", 8.0),
    ("6", ["Thực hiện xem xét của lãnh đạo đối với", "hệ thống quản lý chất lượng"], "3", 11.0),
    (
        "7",
        [
            "Cập nhật các thay đổi của văn bản quy phạm",
            "pháp luật liên quan đến hoạt động xử lý",
            "công việc vào hệ thống",
        ],
        "28",
        15.0,
    ),
    ("8", ["Nội dung khác"], "", 8.0),
]
LOST = (4, 6)  # the y edges (ys) of the rules between "3" and "4" and between "5" and "6"
HEADER_MM = 9.0


def _mm(value: float, dpi: float) -> int:
    return round(value * dpi / 25.4)


def _page(
    dpi: float, font: str, heading: bool = False, stts: dict[int, str] | None = None
) -> tuple[np.ndarray, list[int]]:
    """The table on a page; its y edges.  The rules at the y edges ``LOST`` are dashes of
    0.8 mm every 3 mm with a 0.5 mm speck on the line, and the STT|label rule beside the rows
    above and below them is gone.  ``heading``: the third row is a heading written across the
    STT and label columns over two lines ("II. Duy trì, cải tiến" / "hệ thống").  ``stts``: the
    STTs printed in place of those of ``ROWS`` (body row from 1 -> text)."""
    xs = [_mm(15, dpi)]
    for w in COL_MM:
        xs.append(xs[-1] + _mm(w, dpi))
    ys = [_mm(15, dpi), _mm(15 + HEADER_MM, dpi)]
    for *_, h in ROWS:
        ys.append(ys[-1] + _mm(h, dpi))
    img = Image.new("L", (xs[-1] + _mm(15, dpi), ys[-1] + _mm(15, dpi)), 255)
    pen = ImageDraw.Draw(img)
    face = ImageFont.truetype(font, round(11 / 72 * dpi))
    t = max(2, _mm(0.25, dpi))
    for r, y in enumerate(ys):
        if r in LOST:
            x = xs[0]
            while x < xs[-1]:  # a worn rule: dashes too short for a rule
                pen.rectangle([x, y - t // 2, x + _mm(0.8, dpi), y - t // 2 + t - 1], fill=0)
                x += _mm(3.0, dpi)
            sx = xs[2] + _mm(4.3, dpi)
            pen.rectangle([sx, y - _mm(0.25, dpi), sx + _mm(0.5, dpi), y + _mm(0.25, dpi)], fill=0)
        else:
            pen.rectangle([xs[0] - t // 2, y - t // 2, xs[-1] + t // 2, y - t // 2 + t - 1], fill=0)
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if c == 1 and (r in LOST or r + 1 in LOST):
                continue  # the STT|label rule beside the merged rows
            pen.rectangle([x - t // 2, ys[r], x - t // 2 + t - 1, ys[r + 1]], fill=0)
    cap = pen.textbbox((0, 0), "H", font=face)
    line = round((cap[3] - cap[1]) * 1.9)

    def write(c: int, r: int, lines: list[str], centre: bool, x0: int | None = None) -> None:
        top = (ys[r] + ys[r + 1]) // 2 - (len(lines) * line) // 2
        for k, text in enumerate(lines):
            box = pen.textbbox((0, 0), text, font=face)
            if centre:
                x = (xs[c] + xs[c + 1]) // 2 - (box[2] - box[0]) // 2 - box[0]
            else:
                x = (x0 if x0 is not None else xs[c] + _mm(1.5, dpi)) - box[0]
            y = top + k * line + (line - (cap[3] + cap[1])) // 2
            pen.text((x, y), text, font=face, fill=0)

    for c, text in enumerate(HEADER):
        write(c, 0, [text], centre=True)
    for r, (stt, label, value, _h) in enumerate(ROWS, start=1):
        if heading and r + 1 == LOST[0]:
            write(0, r, ["II. Duy trì, cải tiến", "hệ thống"], centre=False, x0=xs[0] + _mm(2, dpi))
        else:
            write(0, r, [(stts or {}).get(r, stt)], centre=True)
            write(1, r, label, centre=False)
        if value:
            write(2, r, [value], centre=True)
    return np.asarray(img.filter(ImageFilter.GaussianBlur(0.5)), dtype=np.uint8).copy(), ys


@pytest.fixture(scope="module")
def engine():
    return get_engine(OcrSettings())


def _body_read(img: np.ndarray, dpi: float, engine) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The page's one table, found with a grid row per printed row, read: its body rows' texts."""
    page = prepare_page(img, dpi)
    found = detect_tables(page)
    assert len(found.grids) == 1
    grid = found.grids[0]
    assert grid.n_rows == 1 + len(ROWS)
    table = read_table(page, grid, found.line_mask, engine, OcrSettings(), page_index=0, table_index=0)
    return table.matrix()[1:]


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_two_stts_in_one_grid_row_are_two_rows(dpi, font, engine):
    img, ys = _page(dpi, FONTS[font])
    body = _body_read(img, dpi, engine)
    assert [row[0] for row in body] == [stt for stt, *_ in ROWS]
    assert [row[2] for row in body] == [value for _s, _l, value, _h in ROWS]
    # each label whole in its row (tesseract may miss a tone mark in a long label: by ratio)
    for row, (_s, label, *_) in zip(body, ROWS, strict=True):
        assert fuzz.ratio(row[1], " ".join(label)) >= 80, (row[1], label)


def test_without_index_rows_the_pairs_stay_merged():
    """The guard: with ``index_rows`` off the two pairs stay one grid row each (no taller than
    the three-line rows: the tall-row test does not look)."""
    dpi = 300
    img, _ = _page(dpi, FONTS[sorted(FONTS)[0]])
    off = TableSettings(text=TextEvidenceSettings(index_rows=False))
    assert detect_tables(prepare_page(img, dpi), off).grids[0].n_rows == 1 + len(ROWS) - 2


@pytest.mark.parametrize("dpi", [300, 200])
def test_a_heading_across_the_stt_and_label_columns_is_not_cut(dpi, engine):
    """A heading written over two lines across the STT and label columns holds two lines in the
    STT column, but each runs on into the label: no row edge between them.  (Its lost rule to
    the row below stays lost: the heading's lines reach into the label column above the cut.)"""
    img, ys = _page(dpi, FONTS[sorted(FONTS)[0]], heading=True)
    page = prepare_page(img, dpi)
    grid = detect_tables(page).grids[0]
    top, bottom = ys[LOST[0] - 1], ys[LOST[0]]
    assert not [y for y in grid.row_edges if top + _mm(2, dpi) < y < bottom - _mm(2, dpi)]
    assert grid.n_rows == len(ROWS)  # the heading and the row under it: one grid row


def test_a_tall_row_with_no_blank_band_is_cut_between_its_stts():
    """A tall grid row (two printed rows of three lines) whose lost rule left specks all along
    the band between them: no blank band crosses the table, so the tall-row test found no cut
    (dev 205's 8B p2: rows 4 and 5, "4 5" in one cell).  The STTs part them: the cut is where no
    text crosses, the specks left out.  Glyphs drawn as ink boxes, found with OpenCV."""
    dpi = 300
    ink = np.zeros((700, 1200), np.uint8)
    cols = [0, 150, 800, 1000, 1200]
    rows = [0, 150, 300, 630, 700]  # body rows 1..3; row 2 (300..630) holds two printed rows

    def glyphs(x0: int, x1: int, y: int) -> None:  # a text line of 12 px x 36 px letters
        for x in range(x0, x1, 20):
            ink[y : y + 36, x : x + 12] = 255

    for top in (40, 190):  # rows 0 and 1: one line each
        glyphs(60, 90, top)
        glyphs(170, 700, top)
        glyphs(880, 920, top)
    for y in (330, 372, 414):  # printed row A: three label lines, its STT and value centred
        glyphs(170, 700, y)
    glyphs(60, 90, 372)
    glyphs(880, 920, 372)
    for y in (506, 548, 590):  # printed row B
        glyphs(170, 700, y)
    glyphs(60, 90, 548)
    glyphs(880, 920, 548)
    for y in range(452, 504, 8):  # specks all along the lost rule, in the note column
        for x in range(1010, 1190, 40):
            ink[y : y + 5, x : x + 5] = 255
    blobs = TextBlobs.find(ink, PixelBox(0, 0, 1200, 700), dpi, TextEvidenceSettings())
    got = text_rows(rows, cols, 1, 4, blobs, dpi, TextEvidenceSettings())
    new = [y for y in got if y not in rows]
    assert len(new) == 1 and 450 < new[0] < 506
    assert text_rows(rows, cols, 1, 4, blobs, dpi, TextEvidenceSettings(index_rows=False)) == rows


@pytest.mark.parametrize(("dpi", "font"), CASES, ids=IDS)
def test_two_dash_stts_in_one_grid_row_are_two_rows(dpi, font, engine):
    """Sub-items printed with "-" for their STT (2B's "- Số văn bản đã được xử lý sau rà soát"
    over "- Số VBQPPL chưa xử lý xong …", dev 408's p2): a dash is lower than a letter, so the
    STT column held no text line and the pair whose rule wore into dashes stayed one grid row,
    both labels in one cell and a value paired with neither.  A "-" centred in the STT column
    beside each label is an index too: each row in its own grid row, every value exact."""
    dashes = {r: "-" for r in range(LOST[0] - 1, LOST[1] + 1)}
    img, ys = _page(dpi, FONTS[font], stts=dashes)
    body = _body_read(img, dpi, engine)
    assert [row[2] for row in body] == [value for _s, _l, value, _h in ROWS]
    for row, (_s, label, *_) in zip(body, ROWS, strict=True):
        assert fuzz.ratio(row[1], " ".join(label)) >= 80, (row[1], label)


def test_a_worn_rules_piece_in_the_stt_column_is_no_dash():
    """The dash marks of the STT column: a "-" centred in it counts; a rule's piece along the
    lost rule (longer than two letters, or off the column's middle) does not."""
    dpi = 300
    w, h = _mm(14, dpi), _mm(20, dpi)
    img = Image.new("L", (w, h), 255)
    pen = ImageDraw.Draw(img)
    mid = w // 2
    pen.rectangle([mid - _mm(0.6, dpi), _mm(4, dpi), mid + _mm(0.6, dpi), _mm(4.35, dpi)], fill=0)  # "-"
    pen.rectangle([_mm(1, dpi), _mm(10, dpi), _mm(13, dpi), _mm(10.3, dpi)], fill=0)  # a rule's piece
    pen.rectangle([_mm(9, dpi), _mm(15, dpi), _mm(10.2, dpi), _mm(15.35, dpi)], fill=0)  # off the middle
    ink = 255 - np.asarray(img, dtype=np.uint8)
    settings = TextEvidenceSettings()
    blobs = TextBlobs.find(ink, PixelBox(0, 0, w, h), dpi, settings)
    marks = _dash_marks(blobs, 0, 0, w, h, [], dpi, settings)
    assert len(marks) == 1 and marks[0][0] <= _mm(4.2, dpi) <= marks[0][1]


def test_a_body_row_alone_is_cut_between_its_dash_stts():
    """A table's last rows alone at the top of a page (dev 408's 2B p2: the piece's first row
    read as its header, one body row below it holding "- Số văn bản đã được xử lý sau rà soát"
    and "- Số VBQPPL chưa xử lý xong …"): one body row has no median height, so no row of it was
    looked at.  Its STTs need none: the row is cut between its two "-" marks.  Glyphs and dashes
    drawn as ink boxes, found with OpenCV."""
    dpi = 300
    ink = np.zeros((400, 1200), np.uint8)
    cols = [0, 150, 800, 1000, 1200]
    rows = [0, 120, 400]  # a first row (taken for the header), then one body row of two printed rows

    def glyphs(x0: int, x1: int, y: int) -> None:  # a text line of 12 px x 36 px letters
        for x in range(x0, x1, 20):
            ink[y : y + 36, x : x + 12] = 255

    glyphs(170, 700, 40)
    for y in (170, 310):  # two sub-items: "-" centred in the STT column, a label, a value
        ink[y + 16 : y + 21, 66:84] = 255
        glyphs(170, 700, y)
        glyphs(880, 920, y)
    blobs = TextBlobs.find(ink, PixelBox(0, 0, 1200, 400), dpi, TextEvidenceSettings())
    new = [y for y in text_rows(rows, cols, 1, 2, blobs, dpi, TextEvidenceSettings()) if y not in rows]
    assert len(new) == 1 and 206 < new[0] < 310
