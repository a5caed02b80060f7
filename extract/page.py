"""The unit of work: one page of one file in, one small :class:`PageResult` out.

A page task renders its page, cleans it up, finds its ruled tables and reads every cell and the
text outside the tables.  It is picklable, holds no image after it returns, and never raises for
bad input: a failure comes back as a ``PageResult`` whose ``error`` names the file, the page and
the stage.  Understanding (forms, communes, numbers) happens later, per document, in
:mod:`extract.document`, because a table can continue on the next page.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from .config import settings_section
from .errors import ExtractError
from .model import PageImage, PageResult

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class PageSettings(BaseModel):
    """Section ``page`` of pipeline.yaml."""

    model_config = ConfigDict(extra="forbid")

    dpi: float = 300.0  # render resolution for PDFs (image-only PDFs keep their native resolution)
    use_text_layer: bool = True  # read a trustworthy PDF text layer instead of OCR


@dataclass(frozen=True)
class PageTask:
    """A picklable unit of work: page ``page_index`` (0-based) of ``path``."""

    path: str
    page_index: int
    document_id: str
    config_dir: str | None = None
    dpi: float | None = None  # render resolution; None takes pipeline.yaml's ``page.dpi``


def process_page(task: PageTask) -> PageResult:
    """Read one page: ingest -> preprocess -> tables -> OCR.  Never raises for bad input."""
    from .ingest import load_page
    from .ocr.reader import OcrSettings, read_table, read_text_lines
    from .ocr.tesseract import get_engine
    from .preprocess import PreprocessSettings, prepare_page
    from .tables.detect import TableSettings, detect_tables

    started = time.perf_counter()
    stage = "config"
    page: PageImage | None = None
    try:
        settings = settings_section(PageSettings, "page", task.config_dir)
        ocr_settings = settings_section(OcrSettings, "ocr", task.config_dir)
        prep_settings = PreprocessSettings.from_config(task.config_dir)
        table_settings = TableSettings.from_config(task.config_dir)
        stage = "ingest"
        page = load_page(task.path, task.page_index, dpi=task.dpi or settings.dpi)
        words = page.words if settings.use_text_layer else None
        stage = "ocr-engine"
        engine = get_engine(ocr_settings)
        stage = "preprocess"
        prepared = prepare_page(
            page.image, page.dpi, orientation=None if words else engine.orientation, settings=prep_settings
        )
        if words is not None and (prepared.rotation or abs(prepared.skew_deg) > 0.05):
            words = None  # the text layer's coordinates no longer fit the turned page: OCR it
        stage = "tables"
        detected = detect_tables(prepared, table_settings)
        stage = "ocr"
        with engine.deadline(ocr_settings.page_timeout_s):  # a page that hangs tesseract fails alone
            tables = tuple(
                read_table(
                    prepared,
                    grid,
                    detected.line_mask,
                    engine,
                    ocr_settings,
                    page_index=task.page_index,
                    table_index=i,
                    words=words,
                )
                for i, grid in enumerate(detected.grids)
            )
            lines = read_text_lines(prepared, [g.box for g in detected.grids], engine, ocr_settings, words=words)
        height, width = prepared.gray.shape[:2]
        return PageResult(
            source=task.path,
            page_index=task.page_index,
            page_count=page.page_count,
            dpi=prepared.dpi,
            width=width,
            height=height,
            rotation=prepared.rotation,
            skew_deg=prepared.skew_deg,
            lines=tuple(lines),
            tables=tables,
            used_text_layer=words is not None,
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # noqa: BLE001 - a page task reports every failure as data
        reason = str(exc) if isinstance(exc, ExtractError) else f"{type(exc).__name__}: {exc}"
        prefix = f"{task.path}, page {task.page_index + 1}"
        message = reason if reason.startswith(task.path) else f"{prefix}: {reason}"
        return PageResult(
            source=task.path,
            page_index=task.page_index,
            page_count=page.page_count if page is not None else 0,
            dpi=page.dpi if page is not None else 0.0,
            width=0,
            height=0,
            seconds=time.perf_counter() - started,
            error=message,
            error_stage=stage,
        )
