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
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .config import PageStageSettings, load_config
from .errors import ExtractError, PageStageError
from .model import OcrLine, PageImage, PageResult, PreparedPage, ReadTable, TextWord
from .task_options import TaskOptions

if TYPE_CHECKING:
    from .ocr.engine import OcrEngine, OcrSettings
    from .tables.detect import TableSettings

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class PageSettings(BaseModel):
    """Section ``page`` of pipeline.yaml."""

    model_config = ConfigDict(extra="forbid")

    # render resolution for PDFs (a scanned page of lower resolution keeps its own): on the
    # benchmark's 300-dpi scans 250 read 703 of 704 numbers of the mild one (the other flagged)
    # where 300 read 704, for 14% less CPU; img2table renders at 200
    dpi: float = Field(250.0, gt=0, le=1200)
    use_text_layer: bool = True  # read a trustworthy PDF text layer instead of OCR
    born_digital: bool = True  # a born-digital PDF page: grid from its vector rules, words from its layer


def _one_thread() -> None:
    """OpenCV's own thread pool off: a page task runs on one core (the batch runs one task per
    core).  With OpenCV's default pool a page took 0.25-0.35 s more CPU for no gain in wall time,
    and those seconds are taken from the other workers when every core is busy."""
    import cv2

    if cv2.getNumThreads() != 1:
        cv2.setNumThreads(1)


@dataclass(frozen=True)
class PageTask:
    """A picklable unit of work: page ``page_index`` (0-based) of ``path``."""

    path: str
    page_index: int
    document_id: str
    settings: PageStageSettings | None = None  # None: the default configs folder's
    options: TaskOptions = TaskOptions()  # set on the command line, checked there (--dpi)


def process_page(task: PageTask) -> PageResult:
    """Read one page: ingest -> preprocess -> tables -> OCR.  Never raises for bad input.

    Whether the page is upside down is judged after it is read (:mod:`extract.orientation`):
    tesseract's OSD runs only for a page whose reading is not confidently text, and a page it
    turns is prepared and read again.
    """
    from .ingest import load_page
    from .ocr.tesseract import get_engine
    from .orientation import reads_upright
    from .preprocess import prepare_page

    started = time.perf_counter()
    _one_thread()
    stage = "config"
    page: PageImage | None = None
    try:
        stages = task.settings or load_config().page_stages()
        settings, ocr_settings, prep_settings = stages.page, stages.ocr, stages.preprocess
        table_settings, turn_settings = stages.tables, stages.orientation
        stage = "ingest"
        if settings.use_text_layer and settings.born_digital:
            from .digital import read_digital_page, worth_trying

            if worth_trying(
                task.path, task.page_index
            ):  # vector rules + text layer: exact, no rendering, no OCR
                digital = read_digital_page(task.path, task.page_index, task.options.dpi or settings.dpi)
                if digital is not None:
                    return digital
        page = load_page(task.path, task.page_index, dpi=task.options.dpi or settings.dpi)
        words = page.words if settings.use_text_layer else None
        stage = "ocr-engine"
        engine = get_engine(ocr_settings)
        stage = "preprocess"
        osd_first = words is None and turn_settings.check == "always"
        prepared = prepare_page(
            page.image,
            page.dpi,
            orientation=engine.orientation if osd_first else None,
            settings=prep_settings,
            bilevel=page.bilevel,
        )
        if words is not None and (prepared.rotation or abs(prepared.skew_deg) > 0.05):
            words = None  # the text layer's coordinates no longer fit the turned page: OCR it
        tables, lines = _read_page(prepared, words, engine, ocr_settings, table_settings, task.page_index)
        stage = "orientation"
        if (
            words is None
            and turn_settings.check == "evidence"
            and not reads_upright(tables, lines, turn_settings)
        ):
            turn = engine.orientation(prepared.gray, prepared.dpi)
            if turn:
                stage = "preprocess"
                prepared = prepare_page(
                    page.image,
                    page.dpi,
                    orientation=lambda _gray, _dpi: turn,
                    settings=prep_settings,
                    bilevel=page.bilevel,
                )
                tables, lines = _read_page(
                    prepared, None, engine, ocr_settings, table_settings, task.page_index
                )
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
            lines=lines,
            tables=tables,
            used_text_layer=words is not None,
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # noqa: BLE001 - a page task reports every failure as data
        if isinstance(exc, PageStageError):
            stage, exc = exc.stage, exc.cause
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


def _read_page(
    prepared: PreparedPage,
    words: tuple[TextWord, ...] | None,
    engine: OcrEngine,
    ocr_settings: OcrSettings,
    table_settings: TableSettings,
    page_index: int,
) -> tuple[tuple[ReadTable, ...], tuple[OcrLine, ...]]:
    """Find a prepared page's tables and read them and the text outside them (raises
    :class:`PageStageError` naming the stage that failed)."""
    from .ocr.reader import read_table, read_text_lines
    from .tables.detect import detect_tables

    try:
        detected = detect_tables(prepared, table_settings)
    except Exception as exc:
        raise PageStageError("tables", exc) from exc
    try:
        with engine.deadline(ocr_settings.page_timeout_s):  # a page that hangs tesseract fails alone
            tables = tuple(
                read_table(
                    prepared,
                    grid,
                    detected.line_mask,
                    engine,
                    ocr_settings,
                    page_index=page_index,
                    table_index=i,
                    words=words,
                )
                for i, grid in enumerate(detected.grids)
            )
            lines = read_text_lines(
                prepared,
                [g.box for g in detected.grids],
                engine,
                ocr_settings,
                words=words,
                page_index=page_index,
            )
    except Exception as exc:
        raise PageStageError("ocr", exc) from exc
    return tables, tuple(lines)
