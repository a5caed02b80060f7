"""Run one system on one file and save what it read as JSON (run in a fresh process per run).

``python -m bench.systems {ours,img2table} INPUT OUTPUT.json`` — the benchmark starts one such
process per system and quality, so each run's peak memory is its own.  The JSON holds the raw
output in the shape :mod:`bench.scoring` reads, plus ``seconds`` (wall time of the extraction,
engine start-up included, imports excluded), ``cpu_seconds`` (the same span's CPU time, finished
child processes included) and ``pages``.

- ``ours``: :func:`extract.page.process_page` on every page, serially, in this process, then
  :func:`extract.document.assemble_document`.
- ``img2table``: ``img2table.document.PDF`` (or ``Image``) with ``TesseractOCR(n_threads=1,
  lang="vie")``, ruled tables only (``implicit_rows=False, borderless_tables=False``,
  ``min_confidence=50``) and, by default, ``detect_rotation=True`` (its deskew: the scans are
  skewed, and without it img2table finds no table on a scan skewed by 1-3 degrees).  The files
  are image-only, so the PDF text layer is not consulted.  img2table renders PDF pages at
  200 dpi whatever the scan's resolution and deskews on a larger canvas: its cell boxes are in
  those pixels, so the rendered size and the deskew's affine matrix are saved per page (the
  matrix is recorded by wrapping img2table's ``rotate_img_with_border``, which it calls
  unchanged) and scoring maps truth boxes through them.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

SYSTEMS = ("ours", "img2table")
IMG2TABLE_LANG = "vie"
IMG2TABLE_MIN_CONFIDENCE = 50  # img2table's default: OCR words below this confidence are dropped


def ours_to_dict(doc: Any) -> dict[str, Any]:
    """The parts of a :class:`extract.model.DocumentResult` that scoring reads, as plain data."""
    tables = []
    for t in doc.tables:
        rows = [
            {
                "index": r.index,
                "label": r.label,
                "kind": getattr(r.kind, "value", str(r.kind)),
                "key": r.key,
                "commune_code": r.commune.commune.code if r.commune is not None else None,
                "commune_name": r.commune.commune.name if r.commune is not None else None,
            }
            for r in t.rows
        ]
        values = []
        for v in t.values:
            item = {
                "row_index": v.row_index,
                "row_key": v.row_key,
                "commune_code": v.commune_code,
                "column_key": v.column_key,
                "value_kind": v.value_kind,
                "number": v.number,
                "raw_text": v.raw_text,
                "confidence": v.confidence,
                "status": getattr(v.status, "value", str(v.status)),
                "flag_reason": v.flag_reason,
                "rule": v.rule,
            }
            if v.correction is not None:
                item["original_text"] = v.correction.original_text
            if v.suggestion is not None:
                item["suggestion"] = v.suggestion
            values.append(item)
        tables.append(
            {
                "table_index": t.table_index,
                "form": t.form,
                "form_score": t.form_score,
                "title": t.title,
                "pages": list(t.pages),
                "columns": list(t.columns),
                "headers": list(t.headers),
                "rows": rows,
                "values": values,
                "issues": list(t.issues),
            }
        )
    page_errors = [
        {"page_index": p.page_index, "stage": p.error_stage, "error": p.error} for p in doc.pages if p.failed
    ]
    meta = doc.meta
    return {
        "page_count": doc.page_count,
        "meta": {"district_code": meta.district_code, "year": meta.year, "number": meta.number},
        "tables": tables,
        "page_errors": page_errors,
        "error": doc.error,
    }


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children (img2table's
    tesseract processes): unlike wall time, not inflated by the other run sharing the machine."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _import_lazy_modules() -> None:
    """Import what the page task and the document stage import on first use, so that, as for
    img2table, imports stay out of the timed extraction (loading models and data stays in).
    ``vietnamadminunits`` is not among them: a run reads the gazetteer from its on-disk cache
    and never imports it (27 MiB); only a machine's first run builds that cache, inside the
    timed extraction like any data loading."""
    import importlib

    for name in (
        "extract.ocr.reader",
        "extract.ocr.tesseract",
        "extract.orientation",
        "extract.preprocess",
        "extract.tables.detect",
        "extract.understand.communes",
        "extract.understand.gazetteer",
        "extract.validate",  # pandas
    ):
        importlib.import_module(name)


def run_ours(path: str) -> dict[str, Any]:
    """Our pipeline, serial and in-process, on every page of ``path``."""
    from extract.document import assemble_document
    from extract.ingest import count_pages, document_id
    from extract.page import PageTask, process_page

    _import_lazy_modules()
    started, cpu0 = time.perf_counter(), cpu_seconds()
    doc_id = document_id(path)
    n = count_pages(path)
    pages = []
    page_seconds = []
    for i in range(n):
        t0 = time.perf_counter()
        pages.append(process_page(PageTask(path, i, doc_id)))
        page_seconds.append(round(time.perf_counter() - t0, 3))
    t0 = time.perf_counter()
    doc = assemble_document(doc_id, path, pages)
    assemble_s = time.perf_counter() - t0
    out = ours_to_dict(doc)
    out.update(
        page_count=n,
        seconds=time.perf_counter() - started,
        cpu_seconds=cpu_seconds() - cpu0,
        page_seconds=page_seconds,
        assemble_seconds=round(assemble_s, 3),
    )
    return out


IDENTITY_AFFINE = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def img2table_page(
    page_index: int,
    tables: Sequence[Any],
    size: tuple[int, int],
    affine: Sequence[Sequence[float]] | None = None,
) -> dict[str, Any]:
    """One page of img2table's output as plain data: the rendered size (width, height) before
    deskew, the 2x3 affine matrix from those pixels to img2table's (deskewed) pixels, the tables'
    boxes and every distinct cell ``[x0, y0, x1, y1, text]`` (a merged cell appears once)."""
    cells: dict[tuple[int, int, int, int], str | None] = {}
    boxes = []
    for table in tables:
        b = table.bbox
        boxes.append([b.x1, b.y1, b.x2, b.y2])
        for row in table.content.values():
            for c in row:
                key = (int(c.bbox.x1), int(c.bbox.y1), int(c.bbox.x2), int(c.bbox.y2))
                cells.setdefault(key, c.value)
    return {
        "page_index": page_index,
        "width": int(size[0]),
        "height": int(size[1]),
        "affine": [[float(v) for v in row] for row in (affine or IDENTITY_AFFINE)],
        "tables": boxes,
        "cells": [[*k, v] for k, v in cells.items()],
    }


class _DeskewRecorder:
    """Wraps img2table's rotation functions to record, per page in processing order, the rendered
    size and the affine matrix of the deskew it applies (identity when it applies none)."""

    def __init__(self) -> None:
        import img2table.document.rotation as rot

        self._rot = rot
        self._fix = rot.fix_rotation_image
        self._rotate = rot.rotate_img_with_border
        self.sizes: list[tuple[int, int]] = []
        self.affines: list[list[list[float]]] = []
        self._last: list[list[float]] | None = None

    def __enter__(self) -> Self:
        self._rot.rotate_img_with_border = self._rotate_recorded
        self._rot.fix_rotation_image = self._fix_recorded
        return self

    def __exit__(self, *exc: object) -> None:
        self._rot.rotate_img_with_border = self._rotate
        self._rot.fix_rotation_image = self._fix

    def _rotate_recorded(self, img: Any, angle: float, **kwargs: Any) -> Any:
        import cv2

        # the same matrix img2table's rotate_img_with_border builds
        height, width = img.shape[:2]
        centre = (width // 2, height // 2)
        mat = cv2.getRotationMatrix2D(centre, angle, 1.0)
        bound_w = int(height * abs(mat[0, 1]) + width * abs(mat[0, 0]))
        bound_h = int(height * abs(mat[0, 0]) + width * abs(mat[0, 1]))
        mat[0, 2] += bound_w / 2 - centre[0]
        mat[1, 2] += bound_h / 2 - centre[1]
        self._last = mat.tolist()
        return self._rotate(img, angle, **kwargs)

    def _fix_recorded(self, img: Any) -> Any:
        self._last = None
        out = self._fix(img=img)
        self.sizes.append((int(img.shape[1]), int(img.shape[0])))
        self.affines.append(self._last if out[1] and self._last is not None else IDENTITY_AFFINE)
        return out


def _pdf_page_count(path: str) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()


def run_img2table(path: str, detect_rotation: bool = True) -> dict[str, Any]:
    """img2table 2.0 with tesseract (``vie``), set up as its documentation suggests for scans.

    PDFs are processed one page at a time (``PDF(path, pages=[i])``): img2table 2.0 raises on
    some pages (a ``None`` word in a table title: ``TypeError`` in ``_group_words_by_parent``)
    and would otherwise lose the whole document; a page that raises is recorded in
    ``page_errors`` and contributes no cell.  The OCR work is the same as for the whole file
    (tesseract runs once per page either way).
    """
    from img2table.document import PDF, Image
    from img2table.ocr import TesseractOCR

    started, cpu0 = time.perf_counter(), cpu_seconds()
    ocr = TesseractOCR(n_threads=1, lang=IMG2TABLE_LANG)
    options = {
        "ocr": ocr,
        "implicit_rows": False,
        "borderless_tables": False,
        "min_confidence": IMG2TABLE_MIN_CONFIDENCE,
    }
    is_pdf = path.lower().endswith(".pdf")
    n = _pdf_page_count(path) if is_pdf else 1
    pages, errors = [], []
    with _DeskewRecorder() as rec:
        for i in range(n):
            first = len(rec.sizes)
            doc: Any = (
                PDF(path, pages=[i], detect_rotation=detect_rotation, pdf_text_extraction=False)
                if is_pdf
                else Image(path, detect_rotation=detect_rotation)
            )
            try:
                found = doc.extract_tables(**options)
                tables = found.get(i, []) if isinstance(found, dict) else found
            except Exception as exc:  # noqa: BLE001 - img2table's own failure on this page is data
                errors.append(
                    {"page_index": i, "stage": "img2table", "error": f"{type(exc).__name__}: {exc}"}
                )
                tables = []
            try:
                image = doc.images[0]
            except Exception as exc:  # noqa: BLE001 - a page img2table cannot render is data
                errors.append({"page_index": i, "stage": "render", "error": f"{type(exc).__name__}: {exc}"})
                continue
            if detect_rotation and len(rec.sizes) > first:
                size, affine = rec.sizes[first], rec.affines[first]
            else:
                size, affine = (int(image.shape[1]), int(image.shape[0])), None
            pages.append(img2table_page(i, tables, size, affine))
    return {
        "pages": pages,
        "page_errors": errors,
        "page_count": n,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": cpu_seconds() - cpu0,
        "detect_rotation": detect_rotation,
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    deskew = "--no-deskew" not in args
    args = [a for a in args if a != "--no-deskew"]
    if len(args) != 3 or args[0] not in SYSTEMS:
        usage = f"usage: python -m bench.systems {{{','.join(SYSTEMS)}}} INPUT OUTPUT.json [--no-deskew]"
        print(usage, file=sys.stderr)
        return 2
    system, path, out = args
    try:
        data = run_ours(path) if system == "ours" else run_img2table(path, detect_rotation=deskew)
    except Exception as exc:  # noqa: BLE001 - a broken run is reported by the benchmark
        data = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        Path(out).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return 1
    data["system"] = system
    data["input"] = path
    Path(out).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
