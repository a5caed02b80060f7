"""Upside-down pages: judged from what was read, tesseract's OSD only when that is unsure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import pytest

from extract.config import load_config
from extract.model import CellKind, CellRead, GridCell, OcrLine, PixelBox, ReadTable, TableGrid
from extract.ocr.tesseract import TesseractEngine
from extract.orientation import OrientationSettings, confident_share, reads_upright
from extract.page import PageTask, process_page

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
S = OrientationSettings()


def _line(text: str, confidence: float) -> OcrLine:
    return OcrLine(text=text, box=PixelBox(0, 0, 10, 10), confidence=confidence)


def _table(*cells: tuple[str, float, CellKind]) -> ReadTable:
    box = PixelBox(0, 0, 10, 10)
    grid_cells = tuple(GridCell(row=i, col=0, row_span=1, col_span=1, box=box) for i in range(len(cells)))
    grid = TableGrid(box=box, row_edges=tuple(range(len(cells) + 1)), col_edges=(0, 1), cells=grid_cells)
    reads = tuple(
        CellRead(cell=g, text=t, confidence=c, kind=k) for g, (t, c, k) in zip(grid_cells, cells, strict=True)
    )
    return ReadTable(page_index=0, table_index=0, grid=grid, cells=reads)


def test_confident_text_reads_as_upright() -> None:
    lines = [_line("Biểu mẫu 5B", 95.0), _line("Thống kê kết quả tiếp nhận hồ sơ", 93.0)]
    assert reads_upright([], lines, S)


def test_garbage_read_upside_down_is_not_upright() -> None:
    lines = [_line("ọs oq dẹụu nb ạnx", 41.0), _line("S9 nạu ọ!q", 38.0), _line("ệuu nợp ẹuqd", 45.0)]
    assert not reads_upright([], lines, S)


def test_too_little_text_cannot_judge() -> None:
    assert not reads_upright([], [_line("Xã Kế An", 96.0)], S)  # 8 characters < min_characters


def test_numbers_and_short_marks_are_no_evidence() -> None:
    table = _table(
        ("Xã Thới An Hội", 95.0, CellKind.TEXT),
        ("Thị trấn An Lạc Thôn", 94.0, CellKind.TEXT),
        ("Xã Phong Nẫm", 96.0, CellKind.TEXT),
        ("5.697", 10.0, CellKind.NUMBER),  # numbers never count
        ("STT", 10.0, CellKind.TEXT),  # counts: three letters
        ("x", 5.0, CellKind.TEXT),  # fewer than min_letters: ignored
    )
    share, total = confident_share([table], [], S)
    assert total == len("Xã Thới An Hội") + len("Thị trấn An Lạc Thôn") + len("Xã Phong Nẫm") + 3
    assert share == pytest.approx((total - 3) / total)
    assert reads_upright([table], [], S)


def _count_osd(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = TesseractEngine.orientation

    def counted(self: TesseractEngine, gray, dpi) -> int:  # type: ignore[no-untyped-def]
        answer = real(self, gray, dpi)
        calls.append(answer)
        return answer

    monkeypatch.setattr(TesseractEngine, "orientation", counted)
    return calls


def test_an_upright_scan_is_read_without_osd(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_osd(monkeypatch)
    path = str(SAMPLES / "14B_mild.png")
    result = process_page(PageTask(path, 0, "doc"))
    assert result.error is None and result.rotation == 0 and result.tables
    assert calls == []


def test_an_upside_down_scan_is_turned_by_osd_and_read_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    upright = process_page(PageTask(str(SAMPLES / "14B_mild.png"), 0, "doc"))
    flipped = tmp_path / "14B_upside_down.png"
    image = cv2.imread(str(SAMPLES / "14B_mild.png"), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(flipped), cv2.rotate(image, cv2.ROTATE_180))
    shutil.copystat(SAMPLES / "14B_mild.png", flipped)
    calls = _count_osd(monkeypatch)

    result = process_page(PageTask(str(flipped), 0, "doc"))

    assert calls == [180] and result.rotation == 180 and result.error is None
    # read again after the turn: the same table and the same title as the upright scan
    assert [t.grid.n_cols for t in result.tables] == [t.grid.n_cols for t in upright.tables]
    assert [ln.text for ln in result.lines][:2] == [ln.text for ln in upright.lines][:2]


def test_orientation_check_always_asks_osd_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "pipeline.yaml").write_text("orientation:\n  check: always\n", encoding="utf-8")
    for name in os.listdir(SAMPLES.parent / "configs"):
        if name != "pipeline.yaml":
            src = SAMPLES.parent / "configs" / name
            (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    calls = _count_osd(monkeypatch)
    result = process_page(
        PageTask(str(SAMPLES / "14B_mild.png"), 0, "doc", load_config(tmp_path).page_stages())
    )
    assert result.error is None and calls == [0]
