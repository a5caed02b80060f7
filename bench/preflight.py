"""Start-up check of the benchmark's set-up: OpenCV has ``cv2.ximgproc`` and img2table reads a table.

``python -m bench.preflight`` exits 1 with one line per problem (``scripts/setup.sh --bench``
runs it).  A forced ``opencv-python-headless`` over the contrib build removes ``cv2.ximgproc``;
img2table then fails on every page, and a benchmark that went on would print img2table at 0%.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import numpy as np


def opencv_problem() -> str | None:
    """None when the installed OpenCV has ``cv2.ximgproc``; else what is wrong and the fix."""
    try:
        import cv2
    except ImportError as exc:
        return f"OpenCV cannot be imported ({exc}): run scripts/setup.sh"
    if not hasattr(getattr(cv2, "ximgproc", None), "niBlackThreshold"):
        return (
            f"cv2 {cv2.__version__} lacks cv2.ximgproc.niBlackThreshold (a non-contrib OpenCV build is in "
            "charge of cv2, or two builds are mixed): img2table needs it; keep "
            "opencv-contrib-python-headless only (scripts/setup.sh --bench)"
        )
    return None


CHECK_DPI = 200


def check_page() -> tuple[np.ndarray, list[str]]:
    """A printed 1B form (the generator's own layout) as a grayscale page at :data:`CHECK_DPI`,
    and the numbers printed in it."""
    from extract.synth import render
    from extract.synth.printed import printed_forms

    form = printed_forms().form("1B")
    numbers: list[str] = []
    rows = []
    for i, (stt, label, *_flags) in enumerate(form.items):
        cells = [("stt", stt), ("noi_dung", label)]
        for k, key in enumerate(form.numeric_keys):
            numbers.append(str(11 + 7 * i + k))
            cells.append((key, numbers[-1]))
        rows.append(render.FormRow(tuple(cells)))
    info = render.DocumentInfo("1/BC-UBND", "2020-01-01", "A", "Huyện A", "Tỉnh B", "ỦY BAN NHÂN DÂN HUYỆN A")
    report = render.ReportData(
        info, (render.FormContent(form.code, "(Kèm theo Báo cáo số 1/BC-UBND)", tuple(rows)),)
    )
    page = render.render_document(report, [form], CHECK_DPI, include_cover=False)[0]
    return page.image, numbers


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Send file descriptor 1 (child processes included) to /dev/null inside the block."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def img2table_problem() -> str | None:
    """None when img2table finds the table of :func:`check_page` and most of its numbers."""
    try:
        import cv2
        from img2table.document import Image
        from img2table.ocr import TesseractOCR
    except ImportError as exc:
        return f"img2table cannot be imported ({exc}): run scripts/setup.sh --bench"
    image, numbers = check_page()
    ok, png = cv2.imencode(".png", image)
    if not ok:
        return "cannot encode the check image"
    try:
        with _quiet_stdout():  # img2table lets `tesseract --version` print to our stdout
            tables = Image(png.tobytes()).extract_tables(
                ocr=TesseractOCR(n_threads=1, lang="vie"), implicit_rows=False, borderless_tables=False
            )
    except Exception as exc:  # noqa: BLE001 - whatever img2table raises is the problem to report
        return f"img2table fails on a clean printed form: {type(exc).__name__}: {exc}"
    texts = {(c.value or "").strip() for t in tables for row in t.content.values() for c in row}
    found = sum(n in texts for n in numbers)
    if not tables or found < len(numbers) // 2:
        return (
            f"img2table read a clean printed form badly: {len(tables)} tables, {found}/{len(numbers)} numbers"
        )
    return None


def problems(img2table: bool = True) -> list[str]:
    out = [p for p in (opencv_problem(),) if p]
    if img2table and not out:
        p = img2table_problem()
        if p:
            out.append(p)
    return out


def main() -> int:
    found = problems()
    for p in found:
        print(f"bench preflight: {p}", file=sys.stderr)
    if not found:
        print("bench preflight: cv2.ximgproc present, img2table reads a printed form", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
